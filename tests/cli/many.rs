//! Many threads at once: `thread watch ID...|-` and `thread run --inputs`, the real binary
//! against the dev server. No fixed sleeps: every wait is on output or bounded polling.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::support::{
    interrupt, lines_until, snapshot, wait_bounded, Execute, Run, TestEnv, WAIT_LIMIT,
};

fn watch(env: &TestEnv, ids: &[&str], extra: &[&str]) -> Run {
    env.thread_cmd(["watch"]).args(ids).args(extra).run()
}

fn statuses(run: &Run) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = run
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|t| {
            (
                t["threadId"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn the_exit_code_is_the_first_of_the_contracts_order_that_any_thread_came_to() {
    let env = TestEnv::start();
    let hello = env.create("demo/hello", &[]);
    let hello2 = env.create("demo/hello", &[]);
    let fail = env.create("demo/fail", &[]);
    let approval = env.create("demo/approval", &[]);
    // Every thread completed: 0, and a table of them on stdout.
    watch(&env, &[&hello, &hello2], &[])
        .success()
        .stdout_has(&hello)
        .stdout_has(&hello2);
    // Paused (4) and completed: 4.
    watch(&env, &[&hello, &approval], &[]).code_is(4);
    // Failed (1) over paused (4).
    watch(&env, &[&approval, &fail, &hello], &[])
        .code_is(1)
        .stderr_has(&format!("{fail} ✘ thread {fail} failed"));
    // Refused (5: no such thread) over failed (1); the others still followed to their end.
    let run = watch(&env, &[&fail, "thr_nosuchthread", &hello], &["-o", "json"]);
    run.code_is(5)
        .stderr_has("thread thr_nosuchthread not found");
    let mut expected = vec![
        (fail.clone(), "THREAD_STATUS_FAILED".to_string()),
        (hello.clone(), "THREAD_STATUS_COMPLETED".to_string()),
    ];
    expected.sort();
    assert_eq!(statuses(&run), expected, "{run}");
}

#[test]
fn fail_fast_stops_at_the_first_thread_that_does_not_complete() {
    // Real time: demo/etl runs for seconds, demo/fail ends quickly.
    let env = TestEnv::with(|s| s.speed = 1.0);
    let etl = env.create("demo/etl", &[]);
    let fail = env.create("demo/fail", &[]);
    let run = watch(&env, &[&etl, &fail], &["--fail-fast"]);
    run.code_is(1)
        .stderr_has("--fail-fast")
        .stderr_has(&format!("dodil scriptum thread watch {etl}"));
    // The one not followed to its end goes on.
    let etl_now = env.thread(["get", &etl, "-o", "json"]).success().json();
    assert_eq!(etl_now["status"], "THREAD_STATUS_RUNNING", "{etl_now}");
    // Without it, both are followed to the end.
    let env = TestEnv::start();
    let hello = env.create("demo/hello", &[]);
    let fail = env.create("demo/fail", &[]);
    let run = watch(&env, &[&fail, &hello], &["-o", "json"]);
    run.code_is(1);
    assert_eq!(statuses(&run).len(), 2, "{run}");
}

#[test]
fn ids_come_from_stdin_one_a_line() {
    let env = TestEnv::start();
    let a = env.create("demo/hello", &[]);
    let b = env.create("demo/hello", &[]);
    let stdin = format!("{a}\n\n  {b}  \n{a}\n");
    let run = env
        .thread_cmd(["watch", "-", "-o", "json"])
        .run_with_stdin(stdin);
    run.success();
    let mut expected = vec![
        (a.clone(), "THREAD_STATUS_COMPLETED".to_string()),
        (b.clone(), "THREAD_STATUS_COMPLETED".to_string()),
    ];
    expected.sort();
    // Each id once.
    assert_eq!(statuses(&run), expected, "{run}");
    // -o jsonl: every event carries its thread's id.
    let run = env
        .thread_cmd(["watch", "-", "-o", "jsonl"])
        .run_with_stdin(format!("{a}\n{b}\n"));
    run.success();
    let ids: std::collections::BTreeSet<String> = run
        .jsonl()
        .iter()
        .map(|e| e["threadId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{run}");
    // Nothing on stdin (nothing running to wait for): nothing to do.
    env.thread_cmd(["watch", "-"])
        .run_with_stdin("\n")
        .success()
        .stderr_has("no thread ids");
}

#[test]
fn piped_lines_carry_the_thread_id() {
    let env = TestEnv::start();
    let id = env.finished("demo/hello", &[]);
    let run = env
        .thread_cmd(["watch", "-"])
        .run_with_stdin(format!("{id}\n"));
    run.success()
        .stderr_has(&format!("{id} ✔ thread {id} completed"));
    insta::assert_snapshot!("many_watch_ended", snapshot(&run));
    // A paused thread is followed from its start: its lines, then how it stands.
    let paused = env.finished("demo/approval", &[]);
    let run = env
        .thread_cmd(["watch", "-"])
        .run_with_stdin(format!("{paused}\n"));
    run.code_is(4)
        .stderr_has(&format!("{paused} ⏸ thread {paused} is paused"));
    insta::assert_snapshot!("many_watch_paused", snapshot(&run));
}

#[test]
fn a_bad_input_line_creates_nothing_and_is_named() {
    let env = TestEnv::start();
    let inputs = env.path("inputs.jsonl");
    std::fs::write(&inputs, "{\"a\": 1}\n\n{\"b\": 2}\n{not json\n").unwrap();
    env.thread_cmd(["run", "demo/hello", "--inputs"])
        .arg(&inputs)
        .run()
        .code_is(2)
        .stderr_has("line 4 is not valid JSON");
    let listed = env.thread(["list", "-o", "json"]).success().json();
    assert_eq!(listed, serde_json::json!([]), "no thread was created");
}

#[test]
fn at_most_parallel_threads_run_at_once() {
    let env = TestEnv::start();
    let inputs: String = (0..8).map(|n| format!("{{\"n\": {n}}}\n")).collect();
    let run = env
        .thread_cmd(["run", "demo/etl", "--inputs", "-", "--parallel", "3"])
        .run_with_stdin(inputs);
    run.success();
    // Created as slots free up: never more than 3 created and not yet ended, by the lines.
    let mut open: i32 = 0;
    let mut most = 0;
    let mut created = 0;
    for line in run.stderr_lines() {
        if line.contains(": thread ") && line.ends_with(" created") {
            open += 1;
            created += 1;
        } else if line.contains("✔ thread ") && line.contains(" completed") {
            open -= 1;
        }
        most = most.max(open);
    }
    assert_eq!(created, 8, "{run}");
    assert!(most <= 3, "{most} at once\n{run}");
    assert!(most >= 2, "they ran side by side\n{run}");
    let listed = env.thread(["list", "-o", "json"]).success().json();
    assert_eq!(listed.as_array().unwrap().len(), 8);
}

#[test]
fn a_run_again_on_the_same_dir_skips_the_inputs_that_completed() {
    let env = TestEnv::start();
    let inputs = env.path("inputs.jsonl");
    let dir = env.path("batch");
    let lines: Vec<String> = (1..=10).map(|n| format!("{{\"n\": {n}}}")).collect();
    std::fs::write(&inputs, lines.join("\n") + "\n").unwrap();
    let batch = |extra: &[&str]| {
        env.thread_cmd(["run", "demo/hello", "--inputs"])
            .arg(&inputs)
            .arg("--save")
            .arg(&dir)
            .args(extra)
            .run()
    };
    batch(&[]).success();
    // k zero-padded to the width of the last line number.
    for k in ["01", "05", "10"] {
        assert!(dir.join(k).join("summary.json").is_file(), "{k}");
        assert!(dir.join(k).join("output.json").is_file(), "{k}");
    }
    let runs = std::fs::read_to_string(dir.join("runs.jsonl")).unwrap();
    let runs: Vec<serde_json::Value> = runs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(runs.len(), 10);
    assert!(runs.iter().all(|r| r["exitCode"] == 0
        && r["status"] == "THREAD_STATUS_COMPLETED"
        && r["dir"].as_str().is_some_and(|d| d.len() == 2)
        && r["threadId"].as_str().is_some()));
    // An input changed, one save lost: those two are done again, the rest skipped.
    let mut changed = lines.clone();
    changed[2] = "{\"n\": 33}".into();
    std::fs::write(&inputs, changed.join("\n") + "\n").unwrap();
    std::fs::remove_file(dir.join("07").join("summary.json")).unwrap();
    let again = batch(&[]);
    again
        .success()
        .stderr_has("8 inputs completed in an earlier run");
    let created = again
        .stderr_lines()
        .iter()
        .filter(|l| l.ends_with(" created"))
        .count();
    assert_eq!(created, 2, "{again}");
    assert_eq!(
        env.thread(["list", "--all", "-o", "json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        12
    );
    // --force redoes all.
    let forced = batch(&["--force"]);
    forced.success().stderr_lacks("earlier run");
    assert_eq!(
        env.thread(["list", "--all", "-o", "json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        22
    );
}

#[test]
fn ctrl_c_stops_the_batch_and_says_how_to_pick_it_up() {
    // Real time: demo/etl runs for seconds.
    let env = TestEnv::with(|s| s.speed = 1.0);
    let inputs = env.path("inputs.jsonl");
    std::fs::write(&inputs, "{}\n{}\n{}\n{}\n").unwrap();
    let dir = env.path("batch");
    let mut child = env
        .thread_cmd(["run", "demo/etl", "--parallel", "2", "--inputs"])
        .arg(&inputs)
        .arg("--save")
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let seen = lines_until(&mut lines, |line| line.ends_with(" created"));
    interrupt(&child);
    let status = wait_bounded(&mut child, WAIT_LIMIT);
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let text = seen.join("\n") + "\n" + &rest.join("\n");
    assert_eq!(status.code(), Some(130), "{text}");
    assert!(text.contains("interrupted: stopped following"), "{text}");
    assert!(
        text.contains("pick the batch up again with: dodil scriptum thread run demo/etl --inputs"),
        "{text}"
    );
    // The threads go on; the two never started were not created.
    let listed = env.thread(["list", "-o", "json"]).success().json();
    let listed = listed.as_array().unwrap();
    assert!(!listed.is_empty() && listed.len() <= 2, "{listed:?}");
    assert!(
        listed.iter().any(|t| matches!(
            t["status"].as_str(),
            Some("THREAD_STATUS_RUNNING" | "THREAD_STATUS_PENDING")
        )),
        "{listed:?}"
    );
}

#[test]
fn result_prints_one_line_per_input_with_its_output_and_the_codes_count() {
    let env = TestEnv::start();
    let run = env
        .thread_cmd([
            "run",
            "demo/fail",
            "--inputs",
            "-",
            "--result",
            "-o",
            "jsonl",
        ])
        .run_with_stdin("{}\n{}\n");
    run.code_is(1);
    let lines = run.jsonl();
    assert_eq!(lines.len(), 2, "{run}");
    let mut numbers: Vec<i64> = lines.iter().map(|l| l["line"].as_i64().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, [1, 2]);
    assert!(lines.iter().all(|l| l["exitCode"] == 1
        && l["status"] == "THREAD_STATUS_FAILED"
        && l["threadId"].as_str().is_some()
        && l.get("outputData").is_some()));
    let run = env
        .thread_cmd([
            "run",
            "demo/hello",
            "--inputs",
            "-",
            "--result",
            "-o",
            "jsonl",
        ])
        .run_with_stdin("{\"name\": \"Ada\"}\n");
    run.success();
    assert_eq!(run.jsonl()[0]["exitCode"], 0, "{run}");
}

#[test]
fn without_watch_thread_every_thread_is_polled_to_its_end_once() {
    let env = TestEnv::with(|s| s.faults.watch_unimplemented = true);
    let ids: Vec<String> = (0..6).map(|_| env.create("demo/hello", &[])).collect();
    let fail = env.create("demo/fail", &[]);
    let mut all = ids.clone();
    all.push(fail.clone());
    let run = env
        .thread_cmd(["watch", "-", "-o", "jsonl"])
        .run_with_stdin(all.join("\n"));
    run.code_is(1);
    // One terminal state each, whether the first look found it ended or polling did.
    for id in &all {
        let ends = run
            .jsonl()
            .iter()
            .filter(|e| {
                e["threadId"] == id.as_str()
                    && e["event"] == "progress"
                    && matches!(
                        e["progress"]["status"].as_str(),
                        Some("THREAD_STATUS_COMPLETED" | "THREAD_STATUS_FAILED")
                    )
            })
            .count();
        assert_eq!(ends, 1, "{id}\n{run}");
    }
}

/// Many threads over the HTTP gateway (`--transport http`): the same outcomes and files.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn the_exit_code_is_the_first_of_the_contracts_order_that_any_thread_came_to() {
        over_http(super::the_exit_code_is_the_first_of_the_contracts_order_that_any_thread_came_to);
    }

    #[test]
    fn ids_come_from_stdin_one_a_line() {
        over_http(super::ids_come_from_stdin_one_a_line);
    }

    #[test]
    fn a_run_again_on_the_same_dir_skips_the_inputs_that_completed() {
        over_http(super::a_run_again_on_the_same_dir_skips_the_inputs_that_completed);
    }

    #[test]
    fn without_watch_thread_every_thread_is_polled_to_its_end_once() {
        over_http(super::without_watch_thread_every_thread_is_polled_to_its_end_once);
    }
}
