//! Every command's `--help`, snapshotted: a changed flag or wording is a reviewed change.

use crate::support::TestEnv;
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
