//! The committed `completions/` files are exactly what the binary generates, so they cannot drift
//! from the clap definition. Regenerate with `UPDATE_COMPLETIONS=1 cargo test --test cli completions`.

use crate::support;
use std::path::PathBuf;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "dodil.bash"),
    ("zsh", "_dodil"),
    ("fish", "dodil.fish"),
    ("powershell", "_dodil.ps1"),
    ("elvish", "dodil.elv"),
];

#[test]
fn committed_completions_match_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let out = support::bare_cmd(home.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "completions {shell}: {}",
            support::stderr(&out)
        );
        assert!(!out.stdout.is_empty());
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &out.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(out.stdout.as_slice()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "completions/{stale:?} differ from the binary's output; \
         run `UPDATE_COMPLETIONS=1 cargo test --test cli completions` and commit the result"
    );
}

#[test]
fn man_page_renders_for_every_command() {
    let home = tempfile::tempdir().unwrap();
    let out = support::bare_cmd(home.path()).arg("man").output().unwrap();
    assert!(out.status.success());
    assert!(support::stdout(&out).starts_with(".ie"), "roff expected");
    let dir = home.path().join("man");
    let out = support::bare_cmd(home.path())
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(dir.join("dodil-scriptum-thread-create.1").is_file());
}
