//! `thread watch ID --step PATH` (WatchStep) and `thread resume --watch`, against the dev server.

use crate::support::{stderr, stdout, TestEnv};

fn events(out: &std::process::Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect()
}

fn kinds(events: &[serde_json::Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn decide_step_shows_its_decision_then_done() {
    let env = TestEnv::start();
    let id = env.create("demo/etl", &[]);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", &id, "--step", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("decision (llm): chose 2.1"), "{err}");
    assert!(err.contains("✔ step 2 done"), "{err}");

    let out = env
        .cmd()
        .args([
            "scriptum", "thread", "watch", &id, "--step", "2", "-o", "jsonl",
        ])
        .output()
        .unwrap();
    let events = events(&out);
    assert_eq!(kinds(&events), ["snapshot", "decision", "done"]);
    assert_eq!(events[1]["decision"]["chosenBranch"], "2.1");
    assert!(events[2]["done"]["durationMs"].as_i64().unwrap() > 0);
}

#[test]
fn failed_step_exits_1_and_unknown_step_5() {
    let env = TestEnv::start();
    let id = env.create("demo/fail", &[]);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", &id, "--step", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("failed: upstream returned HTTP 503"),
        "{}",
        stderr(&out)
    );

    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", &id, "--step", "7.7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("no step 7.7"), "{}", stderr(&out));
}

#[test]
fn dropped_step_streams_are_resumed_without_repeats() {
    let env = TestEnv::with(|s| {
        s.faults.watch_drop_after = Some(1);
        s.speed = 20.0;
    });
    let id = env.create("demo/etl", &[]);
    let out = env
        .cmd()
        .args([
            "scriptum", "thread", "watch", &id, "--step", "2", "-o", "jsonl",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let kinds = kinds(&events(&out));
    assert_eq!(
        kinds.iter().filter(|k| *k == "decision").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(kinds.last().map(String::as_str), Some("done"), "{kinds:?}");
}

#[test]
fn without_watch_step_the_status_is_polled() {
    let env = TestEnv::with(|s| s.faults.watch_unimplemented = true);
    let id = env.create("demo/fail", &[]);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", &id, "--step", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("polling"), "{}", stderr(&out));
}

#[test]
fn approval_pauses_then_resume_watch_finishes_it() {
    let env = TestEnv::start();
    // run: the thread pauses at its ask step → exit 4 with the resume hint.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "run", "demo/approval"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("thread resume"), "{err}");
    let id = err
        .split_whitespace()
        .find(|w| w.starts_with("thr_"))
        .unwrap()
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
        .to_string();
    // The waiting step reports paused too.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", &id, "--step", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));

    // resume --watch with an override: follows to the end, exit 0; the override became the
    // step's input.
    let out = env
        .cmd()
        .args([
            "scriptum",
            "thread",
            "resume",
            &id,
            "--input",
            r#"{"approved": true, "by": "ops"}"#,
            "--watch",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("completed"), "{}", stderr(&out));
    let out = env
        .cmd()
        .args([
            "scriptum", "thread", "steps", &id, "--step", "2", "-o", "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let step: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = step.to_string();
    assert!(text.contains("\"by\":\"ops\""), "{text}");
}

#[test]
fn a_step_stream_that_never_opens_is_retried_then_exit_6() {
    // Every call waits 20 s before it is answered. Opening WatchStep is held to the call limit
    // (1 s here) and counts as a transient failure, so the retry budget ends it: exit 6 with the
    // command that picks following up again, long before the server would have answered.
    let env = TestEnv::with(|s| s.faults.latency_ms = 20_000);
    let started = std::time::Instant::now();
    let out = env
        .cmd()
        .env("DODIL_CALL_TIMEOUT", "1s")
        .args(["scriptum", "thread", "watch", "thr_x", "--step", "2"])
        .args(["--retry-budget", "3s"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(
        err.contains("dodil scriptum thread watch thr_x --step 2"),
        "{err}"
    );
    assert_eq!(
        err.matches("retrying").count(),
        1,
        "one notice for the run of failures: {err}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{err}"
    );
}
