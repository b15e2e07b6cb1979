//! The committed `completions/` files are exactly what the binary generates, so they cannot drift
//! from the clap definition. Regenerate with `UPDATE_COMPLETIONS=1 cargo test --test cli completions`.

use crate::support::{Execute, TestEnv};
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
    let env = TestEnv::offline();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let run = env.dodil(["completions", shell]);
        run.success();
        assert!(!run.stdout.is_empty(), "{run}");
        let out = run.stdout_bytes;
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &out).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(out.as_slice()) {
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
    let env = TestEnv::offline();
    let run = env.dodil(["man"]);
    assert!(
        run.success().stdout.starts_with(".ie"),
        "roff expected: {run}"
    );
    let dir = env.path("man");
    env.cmd().args(["man", "--dir"]).arg(&dir).run().success();
    assert!(dir.join("dodil-scriptum-thread-create.1").is_file());
}
