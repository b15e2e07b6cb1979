//! `thread run` / `thread watch`: the real binary following threads on the dev server, through
//! its fault switches. No fixed sleeps: every wait is on output or bounded polling.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use crate::support::{
    first_thread_id, interrupt, lines_until, wait_bounded, Execute, Run, TestEnv,
};

fn run(env: &TestEnv, script: &str, extra: &[&str]) -> Run {
    env.thread_cmd(["run", script]).args(extra).run()
}

/// `-o jsonl` lines as (kind, step path, yield sequence): what must match between runs.
fn event_list(run: &Run) -> Vec<(String, String, i64)> {
    run.jsonl()
        .iter()
        .map(|v| {
            let kind = v["event"].as_str().unwrap().to_string();
            let body = &v[&kind];
            let path = ["stepPath", "failedStepPath", "currentStepPath"]
                .iter()
                .find_map(|k| body[k].as_str())
                .unwrap_or("")
                .to_string();
            (kind, path, body["sequence"].as_i64().unwrap_or(0))
        })
        .collect()
}

#[test]
fn each_demo_ends_with_its_exit_code() {
    let env = TestEnv::start();

    let hello = run(&env, "demo/hello", &[]);
    hello.success().stderr_has("created");
    assert!(
        hello.stderr_lines().last().unwrap().contains("completed"),
        "{hello}"
    );
    assert!(hello.stdout.is_empty(), "stdout is for data only: {hello}");

    let fail = run(&env, "demo/fail", &[]);
    let id = fail.thread_id();
    fail.code_is(1)
        .stderr_has(&format!("dodil scriptum thread steps {id} --step 2"));

    let approval = run(&env, "demo/approval", &[]);
    let id = approval.thread_id();
    approval
        .code_is(4)
        .stderr_has(&format!("waiting for `dodil scriptum thread resume {id}`"));

    // -o json: the final thread as one document.
    let doc = run(&env, "demo/hello", &["-o", "json"]).success().json();
    assert_eq!(doc["status"], "THREAD_STATUS_COMPLETED");
}

#[test]
fn run_result_adds_to_the_follow_s_ending_without_repeating_it() {
    let env = TestEnv::start();
    let fail = run(&env, "demo/fail", &["--result"]);
    fail.code_is(1);
    let id = fail.thread_id();
    let hint = format!("hint: what failed, in detail: dodil scriptum thread steps {id} --step 2");
    assert_eq!(fail.stderr.matches(&hint).count(), 1, "{fail}");
    assert_eq!(fail.stderr.matches("failed after").count(), 1, "{fail}");
    fail.stderr_has("result: no output · 0 yields");

    // Without a follow before it, the summary says how the thread ended.
    env.thread(["result", &id])
        .code_is(1)
        .stderr_has(&format!("thread {id} failed in"))
        .stderr_has(&hint);

    let hello = run(&env, "demo/hello", &["--result"]);
    hello
        .success()
        .stderr_has("result: output 36 B · 1 yield\n");
    assert_eq!(hello.stderr.matches("output 36 B").count(), 1, "{hello}");
    assert_eq!(hello.stderr.matches("✔ thread").count(), 1, "{hello}");
}

#[test]
fn jsonl_keeps_events_off_stderr() {
    // Events are data on stdout; stderr (not a terminal here, as in CI) says only how the follow
    // began and ended, and warnings.
    let env = TestEnv::start();
    let etl = run(&env, "demo/etl", &["-o", "jsonl"]);
    etl.success();
    assert!(event_list(&etl).len() > 10, "{etl}");
    let lines = etl.stderr_lines();
    assert_eq!(lines.len(), 2, "no event repeated on stderr: {etl}");
    assert!(lines[0].contains("created"), "{etl}");
    assert!(lines[1].contains("completed"), "{etl}");
}

#[test]
fn watch_reports_an_ended_thread_at_once() {
    let env = TestEnv::start();
    let id = env.create("demo/fail", &[]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_FAILED");
    env.thread(["watch", &id]).code_is(1).stderr_has("--step 2");
    env.thread(["watch", "thr_nosuchthread"]).code_is(5);
}

#[test]
fn dropped_streams_are_resumed_and_every_event_printed_once() {
    let clean = TestEnv::start();
    let etl = run(&clean, "demo/etl", &["-o", "jsonl"]);
    etl.success();
    let expected = event_list(&etl);
    assert!(expected.len() > 10, "{etl}");

    let faulty = TestEnv::with(|s| s.faults.watch_drop_after = Some(2));
    let etl = run(&faulty, "demo/etl", &["-o", "jsonl"]);
    etl.success();
    assert_eq!(event_list(&etl), expected, "{etl}");
}

#[test]
fn a_stream_without_its_terminal_event_is_confirmed_by_get_thread() {
    let env = TestEnv::with(|s| s.faults.watch_no_terminal = true);
    let fail = run(&env, "demo/fail", &["-o", "jsonl"]);
    fail.code_is(1);
    let events = event_list(&fail);
    assert_eq!(events.last().unwrap().0, "progress", "{fail}");
    run(&env, "demo/hello", &[]).success();
}

#[test]
fn without_watch_thread_polling_gets_the_same_outcomes() {
    let env = TestEnv::with(|s| s.faults.watch_unimplemented = true);
    for (script, expected) in [("demo/hello", 0), ("demo/fail", 1), ("demo/approval", 4)] {
        run(&env, script, &[])
            .code_is(expected)
            .stderr_has("polling");
    }
}

#[test]
fn transient_unavailable_is_retried() {
    // The first two WatchThread and the first two GetThread calls answer UNAVAILABLE. With -v
    // every call is logged, so the faults are seen firing and the calls seen retried: a no-op
    // fault switch, or a client that gave up, fails here.
    let env = TestEnv::with(|s| {
        s.faults.unavailable = vec![("WatchThread".into(), 2), ("GetThread".into(), 2)];
    });
    let hello = run(&env, "demo/hello", &["-o", "jsonl", "-v"]);
    hello.success();
    let calls = |method: &str, outcome: &str| {
        hello
            .stderr_lines()
            .iter()
            .filter(|l| l.starts_with(&format!("{method}: ")) && l.contains(outcome))
            .count()
    };
    // WatchThread is refused (then the follow polls, or reopens the stream).
    assert!(calls("WatchThread", "(UNAVAILABLE)") >= 1, "{hello}");
    // Both refused GetThread calls happened, the second as a retry of the first...
    hello
        .stderr_has("GetThread unavailable (call 1 of the first 2) (UNAVAILABLE)")
        .stderr_has("GetThread unavailable (call 2 of the first 2) (UNAVAILABLE)")
        .stderr_has("retrying");
    assert_eq!(calls("GetThread", "(UNAVAILABLE)"), 2, "{hello}");
    // ...and a third one got through; the thread is reported as it ended.
    assert!(calls("GetThread", ": OK in ") >= 1, "{hello}");
    let last = hello.jsonl().pop().expect("an event");
    assert!(
        last["event"] == "completed" || last["progress"]["status"] == "THREAD_STATUS_COMPLETED",
        "{hello}"
    );
}

#[test]
fn a_server_gone_for_good_is_exit_6_within_the_budget() {
    let port = crate::support::CLOSED_PORT;
    let env = TestEnv::offline();
    let started = std::time::Instant::now();
    env.thread_cmd(["watch", "thr_gone", "--retry-budget", "2s"])
        .env("DODIL_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .run()
        .code_is(6)
        .stderr_has("thr_gone")
        .stderr_has("dodil scriptum thread watch thr_gone");
    // Under the default 60 s budget: --retry-budget was honoured. (A hang guard, not a timing
    // claim: the command takes about 2 s.)
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "{took:?}");
}

#[test]
fn unknown_enum_values_are_not_terminal_and_do_not_crash() {
    let env = TestEnv::with(|s| s.faults.bad_enums = true);
    let hello = run(&env, "demo/hello", &["-o", "jsonl"]);
    hello.success().stderr_lacks("panicked");
    let kinds: Vec<_> = event_list(&hello).into_iter().map(|e| e.0).collect();
    assert!(kinds.contains(&"unknown".to_string()), "{hello}");
    assert_eq!(kinds.last().unwrap(), "completed", "{hello}");
}

#[test]
fn plain_output_has_no_escape_codes() {
    let env = TestEnv::with(|s| s.faults.hostile_names = true);
    let etl = env
        .thread_cmd(["run", "demo/etl", "--color", "auto"])
        .env_remove("NO_COLOR")
        .run();
    etl.success();
    assert!(
        !etl.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "control characters on stderr: {:?}",
        etl.stderr
    );
    // Escapes are shown, not obeyed.
    etl.stderr_has("\\x1b");
    // One line per event, each timestamped.
    assert!(
        etl.stderr_lines()
            .iter()
            .filter(|l| l.contains(" ▸ "))
            .count()
            >= 5,
        "{etl}"
    );
}

#[test]
fn follow_timeout_gives_up_with_a_hint() {
    let env = TestEnv::start();
    let approval = run(
        &env,
        "demo/approval",
        &["--wait-paused", "--follow-timeout", "1500ms"],
    );
    let id = approval.thread_id();
    approval
        .code_is(6)
        .stderr_has(&format!("dodil scriptum thread watch {id}"));
}

#[test]
fn sigint_stops_following_and_leaves_the_thread_running() {
    // Real time: the thread runs for seconds, long after we stop following it.
    let env = TestEnv::with(|s| s.speed = 1.0);
    let mut child = env
        .thread_cmd(["run", "demo/etl"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Wait for the first event line (bounded by the run itself: EOF ends the loop).
    let seen = lines_until(&mut lines, |line| line.contains(" started: "));
    let id = first_thread_id(&seen.join("\n")).expect("the id on stderr");
    interrupt(&child);
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let exit = wait_bounded(&mut child, Duration::from_secs(60));
    let err = rest.join("\n");
    assert_eq!(exit.code(), Some(130), "{seen:?} {err}");
    assert!(
        err.contains(&format!("dodil scriptum thread watch {id}")),
        "{err}"
    );

    let thread = env.thread(["get", &id, "-o", "json"]).success().json();
    assert_eq!(thread["status"], "THREAD_STATUS_RUNNING", "{thread}");
}

/// `thread result ID --wait` streaming a huge output to stdout: the follow (which takes Ctrl-C
/// over) is over, the output is pouring out. Returns the child, and what it writes to stderr
/// (read by a thread).
fn streaming_result(env: &TestEnv) -> (std::process::Child, std::thread::JoinHandle<String>) {
    let id = env.create(
        "demo/big",
        &["--input", r#"{"bytes": 2000000000, "steps": 1}"#],
    );
    let mut child = env
        .thread_cmd(["result", &id, "--wait"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut text);
        text
    });
    (child, stderr)
}

#[test]
fn ctrl_c_after_a_follow_stops_the_output_that_follows() {
    // A reader that keeps reading: Ctrl-C lands between chunks.
    let env = TestEnv::start();
    let (mut child, stderr) = streaming_result(&env);
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let n = std::io::Read::read(&mut out, &mut buf).unwrap();
    assert!(n > 0, "the output began");
    let drain = std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    interrupt(&child);
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    let err = stderr.join().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    // Stopped by the command itself, not by the listener's last resort.
    assert!(
        err.contains("interrupted: the output on stdout is incomplete"),
        "{err}"
    );
    let _ = drain.join();
}

#[test]
fn ctrl_c_ends_a_result_blocked_on_a_reader_that_stopped_reading() {
    // The reader takes the first bytes, then nothing: the writer is stuck in write(2).
    let env = TestEnv::start();
    let (mut child, stderr) = streaming_result(&env);
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1024];
    let n = std::io::Read::read(&mut out, &mut buf).unwrap();
    assert!(n > 0, "the output began");
    interrupt(&child);
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    drop(out);
    let err = stderr.join().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
}

#[test]
fn a_cancelled_thread_is_exit_3() {
    let env = TestEnv::with(|s| s.implement_cancel = true);
    let id = env.create("demo/approval", &[]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_PAUSED");
    // Follow it through the pause, and cancel it once the follower is attached.
    let mut child = env
        .thread_cmd(["watch", &id, "--wait-paused"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    lines_until(&mut lines, |line| line.contains("--wait-paused"));
    env.thread(["cancel", &id, "--reason", "test"]).success();
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(3), "{rest:?}");
    assert!(rest.join("\n").contains("cancelled"), "{rest:?}");
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn each_demo_ends_with_its_exit_code() {
        over_http(super::each_demo_ends_with_its_exit_code);
    }

    #[test]
    fn dropped_streams_are_resumed_and_every_event_printed_once() {
        over_http(super::dropped_streams_are_resumed_and_every_event_printed_once);
    }

    #[test]
    fn a_stream_without_its_terminal_event_is_confirmed_by_get_thread() {
        over_http(super::a_stream_without_its_terminal_event_is_confirmed_by_get_thread);
    }

    #[test]
    fn without_watch_thread_polling_gets_the_same_outcomes() {
        over_http(super::without_watch_thread_polling_gets_the_same_outcomes);
    }

    #[test]
    fn transient_unavailable_is_retried() {
        over_http(super::transient_unavailable_is_retried);
    }

    #[test]
    fn a_cancelled_thread_is_exit_3() {
        over_http(super::a_cancelled_thread_is_exit_3);
    }

    #[test]
    fn a_server_gone_for_good_is_exit_6_within_the_budget() {
        over_http(super::a_server_gone_for_good_is_exit_6_within_the_budget);
    }

    #[test]
    fn follow_timeout_gives_up_with_a_hint() {
        over_http(super::follow_timeout_gives_up_with_a_hint);
    }

    #[test]
    fn sigint_stops_following_and_leaves_the_thread_running() {
        over_http(super::sigint_stops_following_and_leaves_the_thread_running);
    }

    #[test]
    fn run_result_adds_to_the_follow_s_ending_without_repeating_it() {
        over_http(super::run_result_adds_to_the_follow_s_ending_without_repeating_it);
    }

    #[test]
    fn unknown_enum_values_are_not_terminal_and_do_not_crash() {
        over_http(super::unknown_enum_values_are_not_terminal_and_do_not_crash);
    }
}
