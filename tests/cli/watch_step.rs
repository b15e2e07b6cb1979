//! `thread watch ID --step PATH` (WatchStep) and `thread resume --watch`, against the dev server.

use crate::support::{Execute, Run, TestEnv};

fn kinds(run: &Run) -> Vec<String> {
    run.jsonl()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn decide_step_shows_its_decision_then_done() {
    let env = TestEnv::start();
    let id = env.create("demo/etl", &[]);
    env.thread(["watch", &id, "--step", "2"])
        .success()
        .stderr_has("decision (llm): chose 2.1")
        .stderr_has("✔ step 2 done");

    let run = env.thread(["watch", &id, "--step", "2", "-o", "jsonl"]);
    let events = run.success().jsonl();
    assert_eq!(kinds(&run), ["snapshot", "decision", "done"], "{run}");
    assert_eq!(events[1]["decision"]["chosenBranch"], "2.1");
    assert!(events[2]["done"]["durationMs"].as_i64().unwrap() > 0);
}

#[test]
fn failed_step_exits_1_and_unknown_step_5() {
    let env = TestEnv::start();
    let id = env.create("demo/fail", &[]);
    env.thread(["watch", &id, "--step", "2"])
        .code_is(1)
        .stderr_has("failed: upstream returned HTTP 503");
    env.thread(["watch", &id, "--step", "7.7"])
        .code_is(5)
        .stderr_has("no step 7.7");
}

#[test]
fn dropped_step_streams_are_resumed_without_repeats() {
    let env = TestEnv::with(|s| {
        s.faults.watch_drop_after = Some(1);
        s.speed = 20.0;
    });
    let id = env.create("demo/etl", &[]);
    let run = env.thread(["watch", &id, "--step", "2", "-o", "jsonl"]);
    run.success();
    let kinds = kinds(&run);
    assert_eq!(
        kinds.iter().filter(|k| *k == "decision").count(),
        1,
        "{run}"
    );
    assert_eq!(kinds.last().map(String::as_str), Some("done"), "{run}");
}

#[test]
fn without_watch_step_the_status_is_polled() {
    let env = TestEnv::with(|s| s.faults.watch_unimplemented = true);
    let id = env.create("demo/fail", &[]);
    env.thread(["watch", &id, "--step", "2"])
        .code_is(1)
        .stderr_has("polling");
}

#[test]
fn approval_pauses_then_resume_watch_finishes_it() {
    let env = TestEnv::start();
    // run: the thread pauses at its ask step → exit 4 with the resume hint.
    let run = env.thread(["run", "demo/approval"]);
    run.code_is(4).stderr_has("thread resume");
    let id = run.thread_id();
    // The waiting step reports paused too.
    env.thread(["watch", &id, "--step", "2"]).code_is(4);

    // resume --watch with an override: follows to the end, exit 0; the override became the
    // step's input.
    env.thread([
        "resume",
        &id,
        "--input",
        r#"{"approved": true, "by": "ops"}"#,
        "--watch",
    ])
    .success()
    .stderr_has("completed");
    let step = env
        .thread(["steps", &id, "--step", "2", "-o", "json"])
        .success()
        .json();
    let text = step.to_string();
    assert!(text.contains("\"by\":\"ops\""), "{text}");
}

#[test]
fn a_step_stream_that_never_opens_is_retried_then_exit_6() {
    // Every call waits 20 s before it is answered. Opening WatchStep is held to the call limit
    // (1 s here) and counts as a transient failure, so the retry budget ends it: exit 6 with the
    // command that picks following up again, before the server would have answered.
    let env = TestEnv::with(|s| s.faults.latency_ms = 20_000);
    let started = std::time::Instant::now();
    let run = env
        .thread_cmd(["watch", "thr_x", "--step", "2", "--retry-budget", "3s"])
        .env("DODIL_CALL_TIMEOUT", "1s")
        .run();
    run.code_is(6)
        .stderr_has("dodil scriptum thread watch thr_x --step 2");
    assert_eq!(
        run.stderr.matches("retrying").count(),
        1,
        "one notice for the run of failures: {run}"
    );
    // A hang guard, not a timing claim: without the call limit this would wait on the server.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{run}"
    );
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn decide_step_shows_its_decision_then_done() {
        over_http(super::decide_step_shows_its_decision_then_done);
    }

    #[test]
    fn failed_step_exits_1_and_unknown_step_5() {
        over_http(super::failed_step_exits_1_and_unknown_step_5);
    }

    #[test]
    fn dropped_step_streams_are_resumed_without_repeats() {
        over_http(super::dropped_step_streams_are_resumed_without_repeats);
    }

    #[test]
    fn without_watch_step_the_status_is_polled() {
        over_http(super::without_watch_step_the_status_is_polled);
    }

    #[test]
    fn approval_pauses_then_resume_watch_finishes_it() {
        over_http(super::approval_pauses_then_resume_watch_finishes_it);
    }

    #[test]
    fn a_step_stream_that_never_opens_is_retried_then_exit_6() {
        over_http(super::a_step_stream_that_never_opens_is_retried_then_exit_6);
    }
}
