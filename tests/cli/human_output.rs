//! Every human output, as insta snapshots: tables, the steps tree and a step's detail, the plain
//! lines a piped follow prints and its endings, the result summary and files list, and errors
//! with their hints. A changed word or column shows up in review (`cargo insta review`, or
//! `INSTA_UPDATE=always` and read the diff).
//!
//! `support::snapshot` redacts what changes from run to run (ids, ports, times, durations,
//! hashes, temp dirs). Nothing here depends on timing: the demos emit a fixed set of events, a
//! follow gets all of them (a late stream replays the past first), and no snapshot is taken of
//! a polling follow, whose number of lines depends on the clock.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use crate::support::command::describe;
use crate::support::{artifact_env, lines_until, snapshot, wait_bounded, Execute, Run, TestEnv};

/// Asserts the run's snapshot under `name` (`snapshots/cli__human_output__<name>.snap`).
#[track_caller]
fn check(name: &str, run: &Run) {
    insta::assert_snapshot!(name, snapshot(run));
}

fn status_is(status: &'static str) -> impl Fn(&serde_json::Value) -> bool {
    move |t| t["status"] == status
}

// ---- get and list tables -----------------------------------------------------------------

#[test]
fn get_tables() {
    let env = TestEnv::start();
    let hello = env.create(
        "demo/hello",
        &["--metadata", "k=v", "--metadata", "run=nightly"],
    );
    env.wait_for(&hello, status_is("THREAD_STATUS_COMPLETED"));
    check("get_completed", &env.thread(["get", &hello]));

    let fail = env.finished("demo/fail", &[]);
    check("get_failed", &env.thread(["get", &fail]));

    let approval = env.finished("demo/approval", &[]);
    check("get_paused", &env.thread(["get", &approval]));
}

#[test]
fn list_table() {
    let env = TestEnv::start();
    for script in ["demo/hello", "demo/fail", "demo/approval", "demo/etl"] {
        env.finished(script, &[]);
    }
    check("list", &env.thread(["list"]));
    check(
        "list_filtered_to_nothing",
        &env.thread(["list", "--status", "cancelled"]),
    );
}

/// `--color always`: the same columns as without colour (the codes take no width), the header
/// bold from its first character (no stray space before it).
#[test]
fn tables_with_colour_line_up() {
    let env = TestEnv::start();
    for script in ["demo/hello", "demo/fail", "demo/approval"] {
        env.finished(script, &[]);
    }
    let etl = env.finished("demo/etl", &[]);
    for (name, args) in [
        ("list_colour", vec!["list"]),
        ("steps_tree_colour", vec!["steps", etl.as_str()]),
    ] {
        let plain = env.thread(&args);
        let mut coloured_args = args.clone();
        coloured_args.extend(["--color", "always"]);
        let coloured = env.thread(&coloured_args);
        coloured.success();
        assert!(
            coloured.stdout.starts_with("\x1b[1mID") || coloured.stdout.starts_with("\x1b[1mPATH"),
            "{coloured}"
        );
        let stripped = strip_sgr(&coloured.stdout);
        assert_eq!(
            snapshot_text(&stripped),
            snapshot_text(&plain.stdout),
            "colour moved the columns"
        );
        // Where the colour goes, the codes shown as ␛[…m.
        let shown = Run {
            stdout: coloured.stdout.replace('\x1b', "␛"),
            ..coloured
        };
        check(name, &shown);
    }
}

/// Text without its SGR colour codes.
fn strip_sgr(text: &str) -> String {
    regex::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(text, "")
        .into_owned()
}

/// A table's text as a snapshot redacts it (ages and times change between two runs).
fn snapshot_text(stdout: &str) -> String {
    crate::support::redact::redact(stdout)
}

// ---- steps: tree, one step, its detail ---------------------------------------------------

#[test]
fn steps_tree_and_one_step() {
    let env = TestEnv::start();
    let etl = env.finished("demo/etl", &[]);
    check("steps_tree", &env.thread(["steps", &etl]));
    // A large output: a preview cut short, and the hint to get it whole.
    check(
        "steps_one_step",
        &env.thread(["steps", &etl, "--step", "3"]),
    );
    check(
        "steps_one_step_detail",
        &env.thread(["steps", &etl, "--step", "1.0.1", "--detail"]),
    );
    // A decide step.
    check(
        "steps_decide_step",
        &env.thread(["steps", &etl, "--step", "2"]),
    );
    check(
        "steps_unknown_path",
        &env.thread(["steps", &etl, "--step", "1.7"]),
    );

    let fail = env.finished("demo/fail", &[]);
    check("steps_tree_failed", &env.thread(["steps", &fail]));
    check(
        "steps_failed_step",
        &env.thread(["steps", &fail, "--step", "2"]),
    );
}

// ---- run: the plain (piped) follow lines and each ending ----------------------------------

#[test]
fn run_endings() {
    let env = TestEnv::start();
    check("run_completed", &env.thread(["run", "demo/hello"]));
    check("run_failed", &env.thread(["run", "demo/fail"]));
    check("run_paused", &env.thread(["run", "demo/approval"]));
    // Nested steps, yields, a decision, a skipped step.
    check("run_nested", &env.thread(["run", "demo/etl"]));
    check(
        "run_result_completed",
        &env.thread(["run", "demo/hello", "--result"]),
    );
    check(
        "run_result_failed",
        &env.thread(["run", "demo/fail", "--result"]),
    );
}

#[test]
fn run_cancelled() {
    // Followed through the pause (--wait-paused); cancelled once the follow says it waits.
    let env = TestEnv::with(|s| s.implement_cancel = true);
    let mut cmd = env.thread_cmd(["run", "demo/approval", "--wait-paused"]);
    let command = describe(&cmd);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        out.read_to_string(&mut text).unwrap();
        text
    });
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut stderr: String = lines_until(&mut lines, |line| {
        line.contains("still following (--wait-paused)")
    })
    .iter()
    .map(|line| format!("{line}\n"))
    .collect();
    let id = crate::support::first_thread_id(&stderr).expect("the id on stderr");
    check(
        "cancel_implemented",
        &env.thread(["cancel", &id, "--reason", "not today"]),
    );
    for line in lines {
        stderr.push_str(&line.unwrap());
        stderr.push('\n');
    }
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    let run = Run {
        command,
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr,
        stdout_bytes: Vec::new(),
    };
    check("run_cancelled", &run);
}

// ---- watch: an ended thread, a paused one, one step ---------------------------------------

#[test]
fn watch_endings() {
    let env = TestEnv::start();
    let hello = env.finished("demo/hello", &[]);
    check("watch_ended_completed", &env.thread(["watch", &hello]));
    let fail = env.finished("demo/fail", &[]);
    check("watch_ended_failed", &env.thread(["watch", &fail]));
    // Not ended: followed from the start (the stream replays the past), up to the pause.
    let approval = env.finished("demo/approval", &[]);
    check("watch_paused", &env.thread(["watch", &approval]));

    let etl = env.finished("demo/etl", &[]);
    check(
        "watch_step_decision",
        &env.thread(["watch", &etl, "--step", "2"]),
    );
    check(
        "watch_step_failed",
        &env.thread(["watch", &fail, "--step", "2"]),
    );
}

// ---- result: summary, files list ----------------------------------------------------------

#[test]
fn result_summaries() {
    let env = TestEnv::start();
    let hello = env.finished("demo/hello", &[]);
    check("result_completed", &env.thread(["result", &hello]));
    let fail = env.finished("demo/fail", &[]);
    check("result_failed", &env.thread(["result", &fail]));
    let approval = env.finished("demo/approval", &[]);
    check("result_paused", &env.thread(["result", &approval]));
}

#[test]
fn result_of_a_running_thread() {
    // Slow: demo/etl runs for half a minute, still running when `result` asks.
    let env = TestEnv::with(|s| s.speed = 0.2);
    let etl = env.create("demo/etl", &[]);
    env.wait_for(&etl, status_is("THREAD_STATUS_RUNNING"));
    check("result_running", &env.thread(["result", &etl]));
}

#[test]
fn result_save_lists_the_files() {
    let env = TestEnv::start();
    let hello = env.finished("demo/hello", &[]);
    let dir = env.path("hello");
    check(
        "result_save",
        &env.thread_cmd(["result", &hello, "--save"]).arg(&dir).run(),
    );
    // More files than the list shows.
    let etl = env.finished("demo/etl", &[]);
    let dir = env.path("etl");
    let run = env.thread_cmd(["result", &etl, "--save"]).arg(&dir).run();
    // stdout carries 4.5 MB of output: the snapshot shows stderr alone.
    run.success();
    let stderr_only = Run {
        stdout: format!("[{} bytes]\n", run.stdout_bytes.len()),
        ..run
    };
    check("result_save_many_files", &stderr_only);

    let fail = env.finished("demo/fail", &[]);
    let dir = env.path("fail");
    check(
        "result_save_failed",
        &env.thread_cmd(["result", &fail, "--save"]).arg(&dir).run(),
    );
}

// ---- create, resume, cancel, artifacts -----------------------------------------------------

#[test]
fn create_resume_cancel_artifacts() {
    let env = TestEnv::start();
    check("create", &env.thread(["create", "demo/hello"]));
    let approval = env.finished("demo/approval", &[]);
    check("resume", &env.thread(["resume", &approval]));
    let hello = env.finished("demo/hello", &[]);
    check("resume_refused", &env.thread(["resume", &hello]));
    check("cancel_unimplemented", &env.thread(["cancel", &hello]));
    check(
        "artifacts_unimplemented",
        &env.thread(["artifacts", &hello]),
    );
}

#[test]
fn artifacts_table() {
    let (env, _files) = artifact_env(|_| {});
    let id = env.create("demo/hello", &[]);
    check("artifacts", &env.thread(["artifacts", &id]));
    let dir = env.path("artifacts");
    check(
        "artifacts_save",
        &env.thread_cmd(["artifacts", &id, "--save"]).arg(&dir).run(),
    );
}

// ---- errors and their hints ---------------------------------------------------------------

#[test]
fn errors_from_the_server() {
    let env = TestEnv::start();
    check(
        "error_unknown_thread",
        &env.thread(["get", "thr_doesnotexist"]),
    );
    check(
        "error_unknown_script",
        &env.thread(["create", "no/such-script"]),
    );
    check(
        "error_watch_unknown_step",
        &env.thread(["watch", "thr_doesnotexist", "--step", "2"]),
    );
}

#[test]
fn errors_of_credentials() {
    let env = TestEnv::with(|s| {
        s.token = Some("the-right-token".into());
        s.faults.only_org = Some("acme".into());
    });
    check("error_missing_token", &env.thread(["list"]));
    check(
        "error_refused_token",
        &env.thread_cmd(["list"])
            .env("DODIL_TOKEN", "wrong-token")
            .run(),
    );
    check(
        "error_wrong_org",
        &env.thread_cmd(["list", "--org", "globex"])
            .env("DODIL_TOKEN", "the-right-token")
            .run(),
    );
    check(
        "list_empty",
        &env.thread_cmd(["list", "--org", "acme", "-v"])
            .env("DODIL_TOKEN", "the-right-token")
            .run(),
    );
}

#[test]
fn errors_before_any_call() {
    let env = TestEnv::offline();
    let port = crate::support::CLOSED_PORT;
    let endpoint = format!("http://127.0.0.1:{port}");
    check(
        "error_unreachable",
        &env.thread(["get", "thr_x", "--endpoint", &endpoint]),
    );
    check(
        "error_bad_input_json",
        &env.thread(["create", "demo/hello", "--input", r#"{"a": ,}"#]),
    );
    check(
        "error_bad_status",
        &env.thread(["list", "--status", "done"]),
    );
    check(
        "error_bad_duration",
        &env.thread(["create", "demo/hello", "--timeout", "5 minutes"]),
    );
    check(
        "error_token_over_plaintext",
        &env.thread_cmd(["list", "--endpoint", "http://dodil-test.invalid:80"])
            .env("DODIL_TOKEN", "plaintext-secret")
            .run(),
    );
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn get_tables() {
        over_http(super::get_tables);
    }

    #[test]
    fn errors_from_the_server() {
        over_http(super::errors_from_the_server);
    }

    #[test]
    fn watch_endings() {
        over_http(super::watch_endings);
    }

    #[test]
    fn result_summaries() {
        over_http(super::result_summaries);
    }
}
