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

#[test]
fn man_page_has_environment_exit_status_and_examples() {
    let env = TestEnv::offline();
    let run = env.dodil(["man"]);
    let page = &run.success().stdout;
    for section in [".SH ENVIRONMENT", ".SH \"EXIT STATUS\"", ".SH EXAMPLES"] {
        assert!(page.contains(section), "{section} missing");
    }
    // Every variable the code reads, every exit code of the contract.
    for var in [
        "DODIL_ENDPOINT",
        "DODIL_PROFILE",
        "DODIL_ORG",
        "SCRIPTUM_ORG_NAME",
        "SCRIPTUM_ORG_ID",
        "DODIL_TOKEN",
        "DODIL_CA_CERT",
        "DODIL_CONFIG",
        "DODIL_PROXY",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "NO_PROXY",
        "no_proxy",
        "NO_COLOR",
        "RUST_LOG",
        "DODIL_CALL_TIMEOUT",
        "DODIL_RESULT_CHUNK_BYTES",
        "DODIL_KEYRING",
    ]
    .into_iter()
    .chain(dodil::devserver::ENV_KNOBS)
    {
        assert!(page.contains(var), "{var} missing from ENVIRONMENT");
    }
    let exit = &page[page.find(".SH \"EXIT STATUS\"").unwrap()..page.find(".SH EXAMPLES").unwrap()];
    for code in ["0", "1", "2", "3", "4", "5", "6", "7", "130", "141"] {
        assert!(
            exit.contains(&format!("\\fB{code}\\fR")),
            "exit {code} missing: {exit}"
        );
    }
}

/// What the committed bash script offers for `words` (the last one is the word being completed):
/// it is sourced in a bash subprocess and its `_dodil` function called as bash would call it.
fn bash_offers(words: &[&str]) -> Vec<String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions/dodil.bash");
    let quoted: Vec<String> = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', r"'\''")))
        .collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 {
        quoted[cword - 1].clone()
    } else {
        "''".into()
    };
    let program = format!(
        "source \"$1\"\nCOMP_WORDS=({})\nCOMP_CWORD={cword}\n_dodil dodil {} {prev}\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        quoted.join(" "),
        quoted[cword],
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program, "bash"])
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut offered: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    offered.sort();
    offered
}

fn sorted(words: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    words.sort();
    words
}

#[test]
fn bash_completion_offers_the_values_of_options() {
    let statuses = [
        "pending",
        "running",
        "completed",
        "failed",
        "cancelled",
        "paused",
    ];
    assert_eq!(
        bash_offers(&["dodil", "scriptum", "thread", "list", "--status", ""]),
        sorted(&statuses)
    );
    assert_eq!(
        bash_offers(&["dodil", "scriptum", "thread", "list", "--status", "c"]),
        sorted(&["completed", "cancelled"])
    );
    let formats = ["table", "json", "yaml", "jsonl"];
    assert_eq!(bash_offers(&["dodil", "-o", ""]), sorted(&formats));
    assert_eq!(
        bash_offers(&["dodil", "scriptum", "thread", "get", "thr_1", "--output", ""]),
        sorted(&formats)
    );
    assert_eq!(
        bash_offers(&["dodil", "scriptum", "thread", "watch", "-o", "j"]),
        sorted(&["json", "jsonl"])
    );
    assert_eq!(
        bash_offers(&["dodil", "auth", "status", "--color", ""]),
        sorted(&["auto", "always", "never"])
    );
    // With nothing typed, bash is offered the options too.
    let shells = bash_offers(&["dodil", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.contains(&shell.to_string()), "{shell}: {shells:?}");
    }
    assert_eq!(bash_offers(&["dodil", "completions", "p"]), ["powershell"]);
    assert!(bash_offers(&["dodil", ""]).contains(&"options".to_string()));
}
