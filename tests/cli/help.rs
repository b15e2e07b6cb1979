//! Every command's `--help`, snapshotted: a changed flag or wording is a reviewed change.

use crate::support::{Execute, TestEnv};
use clap::CommandFactory;

/// Every command path in the clap tree, e.g. ["scriptum", "thread", "create"].
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(prefix.clone());
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut path = prefix.clone();
            path.push(sub.get_name().to_string());
            walk(sub, path, out);
        }
    }
    let mut out = Vec::new();
    walk(&dodil::cli::Cli::command(), Vec::new(), &mut out);
    out
}

#[test]
fn help_of_every_command() {
    let env = TestEnv::offline();
    let mut failed = Vec::new();
    for path in command_paths() {
        let run = env.dodil(path.iter().map(String::as_str).chain(["--help"]));
        run.success();
        let name = if path.is_empty() {
            "dodil".to_string()
        } else {
            format!("dodil {}", path.join(" "))
        };
        // Check every command before failing, so one run shows (and writes) every changed page.
        let text = run.stdout;
        let checked = std::panic::catch_unwind(|| {
            insta::assert_snapshot!(name.replace(' ', "_"), text, &name);
        });
        if checked.is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "help changed for: {failed:?} (review with `cargo insta review`)"
    );
}

#[test]
fn clap_definition_is_consistent() {
    dodil::cli::Cli::command().debug_assert();
}

#[test]
fn usage_lines_never_show_an_option_an_environment_variable_gave() {
    let env = TestEnv::offline();
    let run = env
        .bare_cmd()
        .env("DODIL_ENDPOINT", "embedded")
        .args(["scriptum", "thread", "run"])
        .run();
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr
            .contains("Usage: dodil scriptum thread run [OPTIONS] <SCRIPT>")
            || run
                .stderr
                .contains("Usage: dodil scriptum thread run <SCRIPT>"),
        "{run}"
    );
    assert!(!run.stderr.contains("--endpoint"), "{run}");
}

#[test]
fn small_usage_errors_are_exit_2() {
    let env = TestEnv::offline();
    for (args, says) in [
        (
            &["--endpoint", "embeded", "scriptum", "thread", "list"][..],
            "did you mean embedded?",
        ),
        (&["scriptum", "thread", "list", "--limit", "0"], "1 or more"),
        (&["scriptum", "dev-server", "--speed", "0"], "--speed"),
        (
            &["scriptum", "dev-server", "--endpoint", "x"],
            "`dev-server` does not take it",
        ),
        (
            &[
                "scriptum",
                "thread",
                "create",
                "demo/hello",
                "--input",
                "@",
                "--endpoint",
                "embedded",
            ],
            "file name is missing",
        ),
    ] {
        let run = env.dodil(args.iter().copied());
        assert_eq!(run.code, Some(2), "{run}");
        assert!(run.stderr.contains(says), "{run}");
    }
    // The client's variables do not stop a dev server: only the command line is refused.
    let run = env
        .bare_cmd()
        .env("DODIL_ENDPOINT", "http://127.0.0.1:1")
        .args(["scriptum", "dev-server", "--help"])
        .run();
    assert_eq!(run.code, Some(0), "{run}");
    for client_only in [
        "Global options",
        "--profile",
        "--jq",
        "--org-id",
        "--output",
    ] {
        assert!(!run.stdout.contains(client_only), "{client_only}: {run}");
    }
}
