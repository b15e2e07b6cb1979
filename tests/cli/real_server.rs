//! Issue 16: what a real server may do that our dev server did not. Event identity from what an
//! event means (replays stamped afresh), every yield kept, text that cannot fool the eye,
//! messages this client cannot read, and the quirks a production service has. Each case drives
//! the real binary against the dev server and one of its fault switches.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::{Execute, Run, TestEnv};
use dodil::devserver::Faults;
use serde_json::Value;

/// A server with these faults and scenario files (`(file name, YAML)`), at test speed.
fn env_with(faults: &str, scenarios: &[(&str, &str)]) -> (TestEnv, tempfile::TempDir) {
    let scripts = tempfile::tempdir().unwrap();
    for (name, yaml) in scenarios {
        std::fs::write(scripts.path().join(name), yaml).unwrap();
    }
    let dir: PathBuf = scripts.path().to_path_buf();
    let faults = Faults::parse(faults).unwrap();
    let env = TestEnv::with(move |s| {
        s.faults = faults;
        s.scripts_dir = Some(dir);
    });
    (env, scripts)
}

/// No character that could drive a terminal, or reorder or hide text on it.
#[track_caller]
fn assert_nothing_invisible(what: &str, text: &str) {
    let bad = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c as u32, 0x200B | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF | 0x2028 | 0x2029)
    };
    assert!(
        !text.chars().any(bad),
        "{what} has hidden characters: {text:?}"
    );
}

// ---- 3. No text that can fool the eye ---------------------------------------------------------

const TROJAN: &str = r#"name: t/trojan
steps:
  - path: "1"
    name: "access\u202Enimda\u202C check"
    tool: "zero\u200Bwidth\u2066tool\u2069"
    duration_ms: 10
  - path: "2"
    name: "family 👨‍👩‍👧 and \u200Fmarks\u200E"
    duration_ms: 10
    fail: "denied\u202E: txt.exe\uFEFF"
"#;

#[test]
fn bidi_and_invisible_characters_are_escaped_for_people_and_kept_in_json() {
    let (env, _scripts) = env_with("", &[("trojan.yaml", TROJAN)]);
    let run = env.thread(["run", "t/trojan"]);
    run.code_is(1);
    assert_nothing_invisible("run stderr", &run.stderr);
    let id = run.thread_id();
    run.stderr_has("denied\\u{202e}: txt.exe\\u{feff}");

    for args in [
        vec!["get", id.as_str()],
        vec!["steps", id.as_str()],
        vec!["steps", id.as_str(), "--step", "1"],
        vec!["watch", id.as_str()],
        vec!["list"],
    ] {
        let run = env.thread(&args);
        assert_nothing_invisible(&format!("{args:?} stdout"), &run.stdout);
        assert_nothing_invisible(&format!("{args:?} stderr"), &run.stderr);
    }
    let steps = env.thread(["steps", &id]);
    steps
        .success()
        .stdout_has("access\\u{202e}nimda\\u{202c} check")
        // An emoji sequence keeps its joiners; the bare marks do not.
        .stdout_has("family 👨\u{200d}👩\u{200d}👧 and \\u{200f}marks\\u{200e}");
    env.thread(["steps", &id, "--step", "1"])
        .success()
        .stdout_has("zero\\u{200b}width\\u{2066}tool\\u{2069}");

    // JSON keeps the server's text exactly.
    let doc = env.thread(["steps", &id, "-o", "json"]).success().json();
    let names: Vec<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "access\u{202e}nimda\u{202c} check");
    let thread = env.thread(["get", &id, "-o", "json"]).success().json();
    assert!(thread["error"]
        .as_str()
        .unwrap()
        .ends_with("denied\u{202e}: txt.exe\u{feff}"));
}

#[test]
fn a_huge_error_is_cut_for_people_and_whole_in_json_and_yaml() {
    let env = TestEnv::start();
    let input = r#"{"steps": 1, "error_bytes": 1000000}"#;
    let run = env.thread(["run", "demo/big", "--input", input]);
    run.code_is(1);
    let id = run.thread_id();
    // The line of the step's failure quotes the error, cut.
    let ending = run
        .stderr_lines()
        .into_iter()
        .find(|l| l.contains("generated error:"))
        .unwrap_or_else(|| panic!("no line with the error\n{run}"))
        .to_string();
    assert!(ending.len() < 1000, "{} bytes", ending.len());
    assert!(
        ending.ends_with("… (976.1 KiB more; -o json shows it all)"),
        "{ending}"
    );

    let get = env.thread(["get", &id]);
    get.success();
    let error_row = get
        .stdout_lines()
        .into_iter()
        .find(|l| l.starts_with("Error:"))
        .unwrap()
        .to_string();
    assert!(error_row.len() < 1000, "{} bytes", error_row.len());
    assert!(error_row.contains("generated error: the step failed"));
    assert!(
        error_row.ends_with("more; -o json shows it all)"),
        "{error_row}"
    );
    // The step tree and the step's detail are cut the same way.
    let detail = env.thread(["steps", &id, "--step", "1"]);
    assert!(detail.success().stdout.len() < 4000, "{detail}");

    // Whole in JSON and YAML.
    let thread = env.thread(["get", &id, "-o", "json"]).success().json();
    let error = thread["error"].as_str().unwrap();
    assert!(error.len() > 1_000_000, "{} bytes", error.len());
    let yaml = env.thread(["get", &id, "-o", "yaml"]).success().yaml();
    assert_eq!(yaml["error"].as_str().unwrap(), error);
    let step = env
        .thread(["steps", &id, "--step", "1", "-o", "json"])
        .success()
        .json();
    assert_eq!(step["error"].as_str().unwrap().len(), 1_000_000);
}

/// A server slow enough that a follow sees the thread run (demo/etl takes ~1.2 s).
fn slow_env(faults: &str) -> TestEnv {
    let faults = Faults::parse(faults).unwrap();
    TestEnv::with(move |s| {
        s.speed = 5.0;
        s.faults = faults;
    })
}

/// How many times each event was printed by `-o jsonl`: by kind and step path, a yield by its
/// sequence.
fn tally(run: &Run) -> BTreeMap<(String, String), usize> {
    let mut tally = BTreeMap::new();
    for v in run.jsonl() {
        let kind = v["event"].as_str().unwrap().to_string();
        let body = &v[&kind];
        let what = match body["sequence"].as_i64() {
            Some(n) => format!("#{n}"),
            None => ["stepPath", "failedStepPath"]
                .iter()
                .find_map(|k| body[k].as_str())
                .unwrap_or("")
                .to_string(),
        };
        *tally.entry((kind, what)).or_insert(0) += 1;
    }
    tally
}

fn count(tally: &BTreeMap<(String, String), usize>, kind: &str, what: &str) -> usize {
    tally
        .get(&(kind.to_string(), what.to_string()))
        .copied()
        .unwrap_or(0)
}

// ---- 1. Event identity from meaning -----------------------------------------------------------

#[test]
fn replays_stamped_afresh_print_each_step_once() {
    // Every stream ends after one live event, and every reconnect replays the thread with new
    // timestamps: a pipeline counting steps must count each once.
    let env = slow_env("watch-drop-after=1,watch-restamp");
    let run = env.thread(["run", "demo/etl", "-o", "jsonl"]);
    run.success();
    let tally = tally(&run);
    let steps = ["1", "1.0", "1.0.1", "1.0.2", "1.1", "2", "2.1", "3", "4"];
    for path in steps {
        assert_eq!(
            count(&tally, "stepStarted", path),
            1,
            "{path}: {tally:?}\n{run}"
        );
        assert_eq!(count(&tally, "stepCompleted", path), 1, "{path}: {tally:?}");
    }
    for seq in 1..=4 {
        assert_eq!(count(&tally, "yielded", &format!("#{seq}")), 1, "{tally:?}");
    }
    assert_eq!(count(&tally, "started", ""), 1, "{tally:?}");
    // The end is told once: by the stream, or by GetThread when it found the end first.
    let ends = count(&tally, "completed", "") + count(&tally, "progress", "");
    assert_eq!(ends, 1, "{tally:?}");
}

#[test]
fn a_step_retried_after_a_resume_is_printed_twice_and_its_replays_never() {
    let env = slow_env("watch-drop-after=1,watch-restamp");
    let failed = env.thread(["run", "demo/fail"]);
    failed.code_is(1);
    let id = failed.thread_id();
    env.thread(["resume", &id, "--input", "{}"]).success();
    let run = env.thread(["watch", &id, "-o", "jsonl"]);
    run.success();
    let tally = tally(&run);
    assert_eq!(count(&tally, "stepStarted", "1"), 1, "{tally:?}\n{run}");
    assert_eq!(count(&tally, "stepStarted", "2"), 2, "{tally:?}");
    assert_eq!(count(&tally, "stepFailed", "2"), 1, "{tally:?}");
    assert_eq!(count(&tally, "stepCompleted", "2"), 1, "{tally:?}");
    assert_eq!(count(&tally, "stepCompleted", "3"), 1, "{tally:?}");
    assert_eq!(count(&tally, "completed", ""), 1, "{tally:?}");
}

#[test]
fn step_events_replayed_afresh_print_once_and_a_retried_step_follows_its_new_run() {
    let env = slow_env("watch-drop-after=1,watch-restamp");
    let id = env.create("demo/etl", &[]);
    let run = env.thread(["watch", &id, "--step", "2", "-o", "jsonl"]);
    run.success();
    let kinds: Vec<String> = run
        .jsonl()
        .iter()
        .map(|v| v["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "decision").count(),
        1,
        "{run}"
    );
    assert_eq!(kinds.iter().filter(|k| *k == "done").count(), 1, "{run}");

    // A step in its second run: the first run's failure is history, not this run's end.
    let failed = env.thread(["run", "demo/fail"]);
    let id = failed.thread_id();
    env.thread(["resume", &id, "--input", "{}"]).success();
    env.thread(["watch", &id, "--step", "2", "-o", "jsonl"])
        .success()
        .stdout_has("\"event\":\"done\"");
}

// ---- 2. Every yield kept ------------------------------------------------------------------

/// The sequences in `DIR/yields.jsonl`, in file order.
fn saved_sequences(dir: &std::path::Path) -> Vec<i64> {
    std::fs::read_to_string(dir.join("yields.jsonl"))
        .expect("yields.jsonl")
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["sequence"]
                .as_i64()
                .unwrap()
        })
        .collect()
}

fn summary_yields(dir: &std::path::Path) -> Value {
    let summary: Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    summary["yields"].clone()
}

const MANY_YIELDS: &str = r#"{"steps": 3, "yields": 250}"#;

#[test]
fn run_save_keeps_every_yield_past_the_unary_cap_in_order_once() {
    // Reconnects after every 5 live events, each replaying with new timestamps.
    let env = slow_env("watch-drop-after=5,watch-restamp");
    let dir = env.path("run");
    env.thread_cmd(["run", "demo/big", "--input", MANY_YIELDS, "--save"])
        .arg(&dir)
        .run()
        .success();
    assert_eq!(saved_sequences(&dir), (1..=250).collect::<Vec<_>>());
    let yields = summary_yields(&dir);
    assert_eq!(yields["count"], 250);
    assert_eq!(yields["saved"], 250);
    assert_eq!(yields["capped"], true, "GetThreadResult listed only 100");
    assert_eq!(yields["source"], "stream");
    assert_eq!(yields["complete"], true);
    env.scriptum(["verify"]).code_is(2);
    env.scriptum_cmd(["verify"]).arg(&dir).run().success();
}

#[test]
fn result_wait_save_keeps_every_yield_even_of_an_ended_thread() {
    let env = TestEnv::start();
    let id = env.finished("demo/big", &["--input", MANY_YIELDS]);

    // Without a follow, the unary list is all there is: said so.
    let dir = env.path("plain");
    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .run()
        .success()
        .stderr_has("yields.jsonl has 100 of the 250 values the thread yielded: the thread was not followed");
    assert_eq!(saved_sequences(&dir), (1..=100).collect::<Vec<_>>());
    let yields = summary_yields(&dir);
    assert_eq!(
        (yields["source"].as_str(), yields["complete"].as_bool()),
        (Some("result"), Some(false))
    );

    // --wait follows first: the stream replays the thread from its start.
    let dir = env.path("waited");
    env.thread_cmd(["result", &id, "--wait", "--save"])
        .arg(&dir)
        .run()
        .success()
        .stderr_lacks("values the thread yielded");
    assert_eq!(saved_sequences(&dir), (1..=250).collect::<Vec<_>>());
    assert_eq!(summary_yields(&dir)["complete"], true);
}

#[test]
fn a_follow_that_had_to_poll_knows_its_yields_are_incomplete() {
    let env = slow_env("watch-unimplemented");
    let dir = env.path("polled");
    env.thread_cmd(["run", "demo/big", "--input", MANY_YIELDS, "--save"])
        .arg(&dir)
        .run()
        .success()
        .stderr_has("yields.jsonl has 100 of the 250 values the thread yielded: the follow saw none of them");
    let yields = summary_yields(&dir);
    assert_eq!(yields["source"], "result");
    assert_eq!(yields["complete"], false);
    assert_eq!(saved_sequences(&dir).len(), 100);
}

const YIELD_THEN_FAIL: &str = r#"name: t/yield-fail
steps:
  - path: "1"
    name: produce
    duration_ms: 20
    yields: [PLACEHOLDER]
  - path: "2"
    name: flaky
    duration_ms: 10
    fail: "try again"
  - path: "3"
    name: produce_more
    duration_ms: 20
    yields: [PLACEHOLDER]
"#;

#[test]
fn resume_watch_save_keeps_the_yields_from_before_and_after_the_resume() {
    let values: Vec<String> = (0..60).map(|i| format!("{{i: {i}}}")).collect();
    let yaml = YIELD_THEN_FAIL.replace("PLACEHOLDER", &values.join(", "));
    let (env, _scripts) = env_with("watch-drop-after=7,watch-restamp", &[("y.yaml", &yaml)]);
    let failed = env.thread(["run", "t/yield-fail"]);
    failed.code_is(1);
    let id = failed.thread_id();
    // --save needs --watch.
    env.thread(["resume", &id, "--save", "x"]).code_is(2);
    let dir = env.path("resumed");
    env.thread_cmd(["resume", &id, "--input", "{}", "--watch", "--save"])
        .arg(&dir)
        .run()
        .success();
    assert_eq!(saved_sequences(&dir), (1..=120).collect::<Vec<_>>());
    let yields = summary_yields(&dir);
    assert_eq!(
        (yields["count"].as_i64(), yields["complete"].as_bool()),
        (Some(120), Some(true))
    );
    assert!(dir.join("output.json").exists() && dir.join("steps/3/step.json").exists());
}

// ---- 4. Messages this client cannot read -------------------------------------------------------

/// The `error:` lines of a run: exactly one is expected.
#[track_caller]
fn the_error_line(run: &Run) -> String {
    let errors: Vec<&str> = run
        .stderr_lines()
        .into_iter()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{run}");
    assert!(!run.stderr.contains("panicked"), "{run}");
    errors[0].to_string()
}

#[test]
fn an_answer_this_client_cannot_decode_is_one_line_naming_the_rpc_and_exit_5() {
    let (env, _s) = env_with("bad-utf8=GetThread,undecodable=ListThreads", &[]);
    let id = env.create("demo/hello", &[]);
    let get = env.thread(["get", &id]);
    get.code_is(5);
    assert!(
        the_error_line(&get).starts_with(
            "error: GetThread: the server sent a message this client cannot decode \
             (invalid UTF-8 in a string field: Thread.thread_id) (request id req_"
        ),
        "{get}"
    );
    get.stderr_has("hint: the server's answer does not fit this client's dodil.scriptum.v1");
    let list = env.thread(["list", "-o", "json"]);
    list.code_is(5);
    assert!(list.stdout.is_empty(), "{list}");
    assert!(
        the_error_line(&list).starts_with(
            "error: ListThreads: the server sent a message this client cannot decode \
             (malformed: invalid wire type value: 7)"
        ),
        "{list}"
    );
}

#[test]
fn a_payload_this_client_cannot_decode_is_not_saved_and_exit_7() {
    // Step results undecodable: the output is saved, the steps are not.
    let (env, _s) = env_with("bad-utf8=StreamStepResult", &[]);
    let id = env.finished("demo/hello", &[]);
    let dir = env.path("steps");
    let run = env.thread_cmd(["result", &id, "--save"]).arg(&dir).run();
    run.code_is(7);
    assert!(
        the_error_line(&run).starts_with(
            "error: step results: StreamStepResult: the server sent a message this client cannot decode (invalid UTF-8"
        ),
        "{run}"
    );
    assert!(dir.join("output.json").exists() && !dir.join("steps").exists());
    let summary: Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["complete"], false);
    assert!(summary["errors"][0]
        .as_str()
        .unwrap()
        .contains("StreamStepResult"));

    // The streamed output undecodable: no output.json.
    let (env, _s) = env_with("undecodable=StreamThreadResult", &[]);
    let id = env.finished("demo/big", &["--input", r#"{"bytes": 5000000}"#]);
    let dir = env.path("output");
    let run = env.thread_cmd(["result", &id, "--save"]).arg(&dir).run();
    run.code_is(7);
    assert!(the_error_line(&run).contains("thread output: StreamThreadResult: the server sent a message this client cannot decode"), "{run}");
    assert!(!dir.join("output.json").exists());

    // The result itself undecodable: nothing can be saved, and nothing is.
    let (env, _s) = env_with("bad-utf8=GetThreadResult", &[]);
    let id = env.finished("demo/hello", &[]);
    let dir = env.path("nothing");
    let run = env.thread_cmd(["result", &id, "--save"]).arg(&dir).run();
    run.code_is(5);
    the_error_line(&run);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "DIR stays empty"
    );
}

#[test]
fn a_watch_event_this_client_cannot_decode_gives_way_to_polling() {
    let (env, _s) = env_with("bad-utf8=WatchThread,undecodable=WatchStep", &[]);
    let run = env.thread(["run", "demo/hello"]);
    run.success().stderr_has(
        "warning: WatchThread: the server sent a message this client cannot decode \
         (invalid UTF-8 in a string field: ThreadEvent.thread_id); following by polling GetThread instead",
    );
    let id = env.create("demo/etl", &[]);
    env.thread(["watch", &id, "--step", "2"])
        .success()
        .stderr_has("WatchStep: the server sent a message this client cannot decode (malformed: invalid wire type value: 7); polling the step's status instead");
}

// ---- 5. Quirks a production service has ---------------------------------------------------

/// `run demo/hello -o jsonl` under `faults`: the events printed, by kind.
fn hello_kinds(faults: &str) -> (Run, Vec<String>) {
    let (env, _s) = env_with(faults, &[]);
    let started = std::time::Instant::now();
    let run = env.thread(["run", "demo/hello", "-o", "jsonl"]);
    // Generous: the point is that the command ends by itself, not how fast.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{run}"
    );
    let kinds = run
        .jsonl()
        .iter()
        .map(|v| v["event"].as_str().unwrap().to_string())
        .collect();
    (run, kinds)
}

#[test]
fn a_stream_that_only_ever_sends_the_terminal_event() {
    let (run, kinds) = hello_kinds("watch-terminal-only");
    run.success();
    assert_eq!(kinds, ["completed"], "{run}");
}

#[test]
fn a_stream_that_stays_open_and_silent_while_the_thread_ends() {
    // GetThread, asked when the stream has been quiet a while, finds the end.
    let (run, kinds) = hello_kinds("watch-silent");
    run.success();
    assert_eq!(kinds, ["progress"], "{run}");
    assert_eq!(
        run.jsonl()[0]["progress"]["status"],
        "THREAD_STATUS_COMPLETED"
    );
}

#[test]
fn a_stream_that_stays_open_after_its_terminal_event_and_sends_it_twice() {
    // The follow ends at the first terminal event, confirmed by GetThread: it does not wait for
    // the stream to end, and the second copy is never printed.
    let (run, kinds) = hello_kinds("watch-linger,watch-duplicate-terminal");
    run.success();
    assert_eq!(
        kinds.iter().filter(|k| *k == "completed").count(),
        1,
        "{run}"
    );
    assert_eq!(kinds.first().map(String::as_str), Some("started"));
    // Also when replays come stamped afresh after every drop: the end is told once (by the
    // stream, or by GetThread when it found the end first, as a `progress` event).
    let (run, kinds) = hello_kinds("watch-duplicate-terminal,watch-drop-after=1,watch-restamp");
    run.success();
    let ends = kinds
        .iter()
        .filter(|k| *k == "completed" || *k == "progress")
        .count();
    assert_eq!(ends, 1, "{run}");

    // WatchStep: the same three.
    let (env, _s) = env_with("watch-linger,watch-duplicate-terminal", &[]);
    let id = env.finished("demo/etl", &[]);
    let run = env.thread(["watch", &id, "--step", "2", "-o", "jsonl"]);
    run.success();
    assert_eq!(run.stdout.matches("\"event\":\"done\"").count(), 1, "{run}");
    let (env, _s) = env_with("watch-terminal-only", &[]);
    let id = env.finished("demo/etl", &[]);
    env.thread(["watch", &id, "--step", "2", "-o", "jsonl"])
        .success()
        .stdout_has("\"event\":\"done\"");
    let (env, _s) = env_with("watch-silent", &[]);
    let id = env.finished("demo/etl", &[]);
    env.thread(["watch", &id, "--step", "2", "-o", "jsonl"])
        .success()
        .stdout_has("STEP_STATUS_COMPLETED");
}

const SLOW: &str = r#"name: t/slow
steps:
  - {path: "1", name: first, duration_ms: 700}
  - {path: "2", name: second, duration_ms: 700}
  - {path: "3", name: third, duration_ms: 700}
"#;

#[test]
fn a_server_restarted_mid_watch_is_followed_to_the_end() {
    use dodil::devserver::{DevServer, ServerConfig};
    use std::io::BufRead;
    let data = tempfile::tempdir().unwrap();
    let scripts = tempfile::tempdir().unwrap();
    std::fs::write(scripts.path().join("slow.yaml"), SLOW).unwrap();
    let config = ServerConfig {
        speed: 1.0,
        data_dir: Some(data.path().to_path_buf()),
        scripts_dir: Some(scripts.path().to_path_buf()),
        ..ServerConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(DevServer::start(([127, 0, 0, 1], 0).into(), config.clone()))
        .unwrap();
    let addr = server.addr();
    let env = TestEnv::offline();
    let endpoint = server.url();
    let created = env
        .bare_cmd()
        .env("DODIL_ENDPOINT", &endpoint)
        .args(["scriptum", "thread", "create", "t/slow"])
        .run();
    let id = created.success().stdout.trim().to_string();
    let mut watch = env
        .bare_cmd()
        .env("DODIL_ENDPOINT", &endpoint)
        .args(["scriptum", "thread", "watch", &id, "-o", "jsonl"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = watch.stdout.take().unwrap();
    let (send, lines) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = send.send(line);
        }
    });
    // Once the watch has seen step 1 start, the server goes away and comes back on its port.
    let mut seen = Vec::new();
    loop {
        let line = lines
            .recv_timeout(crate::support::WAIT_LIMIT)
            .expect("the watch prints step 1's start");
        let first = line.contains("stepStarted");
        seen.push(line);
        if first {
            break;
        }
    }
    runtime.block_on(server.shutdown());
    let server = runtime
        .block_on(DevServer::start(addr, config))
        .expect("the server starts again on its port");
    let status = crate::support::wait_bounded(&mut watch, crate::support::WAIT_LIMIT);
    reader.join().unwrap();
    seen.extend(lines.try_iter());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut watch.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}\n{seen:#?}");
    let kinds: Vec<(String, String)> = seen
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let kind = v["event"].as_str().unwrap().to_string();
            let path = v[&kind]["stepPath"].as_str().unwrap_or("").to_string();
            (kind, path)
        })
        .collect();
    for path in ["1", "2", "3"] {
        for kind in ["stepStarted", "stepCompleted"] {
            let n = kinds.iter().filter(|(k, p)| k == kind && p == path).count();
            assert_eq!(n, 1, "{kind} {path}: {kinds:?}\n{stderr}");
        }
    }
    assert_eq!(kinds.last().unwrap().0, "completed", "{kinds:?}");
    runtime.block_on(server.shutdown());
}

#[test]
fn step_trees_whose_parents_form_cycles_or_are_missing_lose_and_repeat_no_step() {
    let (env, _s) = env_with("steps-bad-parents", &[]);
    let id = env.finished("demo/etl", &[]);
    let json = env.thread(["steps", &id, "-o", "json"]).success().json();
    let paths: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stepPath"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 10);
    let tree = env.thread(["steps", &id]);
    tree.success();
    let rows: Vec<&str> = tree.stdout_lines()[1..].to_vec();
    assert_eq!(rows.len(), paths.len(), "{tree}");
    for path in &paths {
        let n = rows
            .iter()
            .filter(|r| r.split_whitespace().next() == Some(path.as_str()))
            .count();
        assert_eq!(n, 1, "{path}\n{tree}");
    }
    // --save lays the steps out by path, whatever their parents say.
    let dir = env.path("saved");
    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .run()
        .success();
    for path in &paths {
        assert!(
            dir.join("steps").join(path).join("step.json").exists(),
            "{path}"
        );
    }
}

#[test]
fn thousands_of_steps_are_followed_listed_and_saved_each_once() {
    let env = TestEnv::with(|s| s.speed = 10_000.0);
    let input = r#"{"steps": 3000}"#;
    let run = env.thread(["run", "demo/big", "--input", input, "-o", "jsonl"]);
    run.success();
    let tally = tally(&run);
    let started = tally.keys().filter(|(k, _)| k == "stepStarted").count();
    assert_eq!(started, 3000);
    assert!(
        tally.values().all(|n| *n == 1),
        "{:?}",
        tally.iter().find(|(_, n)| **n > 1)
    );
    let id = run.thread_id();
    let tree = env.thread(["steps", &id]);
    assert_eq!(tree.success().stdout_lines().len(), 3001);
    assert_eq!(
        tree.stdout_lines()[3000].split_whitespace().next(),
        Some("3000")
    );
}

const SCRIPTS: &str = r#"name: t/scripts
steps:
  - {path: "1", name: "plain ascii", primitive: execute, duration_ms: 5}
  - {path: "2", name: "日本語のステップ", primitive: decide, duration_ms: 5}
  - {path: "3", name: "rocket 🚀 launch", primitive: ask_no, duration_ms: 5}
  - {path: "4", name: "שלום עולם", primitive: execute, duration_ms: 5}
  - {path: "5", name: "e\u0301te\u0301 combined", primitive: execute, duration_ms: 5}
  - {path: "6", name: "👨‍👩‍👧 family", primitive: execute, duration_ms: 5}
  - {path: "7", name: "Ελληνικά и кириллица", primitive: execute, duration_ms: 5}
"#;

#[test]
fn names_in_any_script_line_up_in_tables() {
    use unicode_width::UnicodeWidthStr;
    let (env, _s) = env_with("", &[("scripts.yaml", SCRIPTS)]);
    let id = env.finished("t/scripts", &[]);
    let tree = env.thread(["steps", &id]);
    tree.success();
    let lines = tree.stdout_lines();
    // Where each column starts on screen, from the header (ASCII).
    let header = lines[0];
    let column = |name: &str| header.find(name).unwrap();
    let columns = [
        (column("PRIMITIVE"), &["execute", "decide", "ask_no"][..]),
        (column("STATUS"), &["completed"][..]),
    ];
    for line in &lines[1..] {
        for (start, values) in columns {
            let at = values
                .iter()
                .filter_map(|v| line.find(&format!("  {v}")).map(|i| i + 2))
                .min()
                .unwrap_or_else(|| panic!("{line:?}"));
            assert_eq!(line[..at].width(), start, "{line:?}\n{}", tree.stdout);
        }
    }
    assert!(
        tree.stdout.contains("👨\u{200d}👩\u{200d}👧 family"),
        "{}",
        tree.stdout
    );
}

#[test]
fn list_pages_shorter_than_asked_and_empty_pages_with_a_token_are_followed() {
    let (env, _s) = env_with("page-short,page-empty=3", &[]);
    for _ in 0..7 {
        env.create("demo/hello", &[]);
    }
    let all = env.thread(["list", "--all", "--page-size", "4", "-o", "jsonl"]);
    assert_eq!(all.success().jsonl().len(), 7, "{all}");
    let four = env.thread(["list", "--limit", "4", "-o", "jsonl"]);
    assert_eq!(four.success().jsonl().len(), 4, "{four}");

    // A server that never stops sending empty pages with new tokens: the list ends, said so.
    let (env, _s) = env_with("page-empty=100000", &[]);
    env.create("demo/hello", &[]);
    env.thread(["list", "--all", "-o", "jsonl"]).success().stderr_has(
        "warning: the server sent 100 empty pages in a row; stopping after 0 threads (the list may be incomplete)",
    );
}

#[test]
fn result_streams_without_meta_first_unknown_chunk_counts_or_slow_are_saved_whole() {
    for faults in [
        "meta-missing",
        "meta-late",
        "meta-chunks-unknown",
        "meta-missing,meta-chunks-unknown",
        "chunk-delay-ms=150",
    ] {
        let (env, _s) = env_with(faults, &[]);
        let id = env.finished("demo/etl", &[]);
        let dir = env.path("saved");
        // 1 MiB chunks: a slow stream is several slow messages.
        env.thread_cmd(["result", &id, "--save"])
            .arg(&dir)
            .env("DODIL_RESULT_CHUNK_BYTES", "1048576")
            .run()
            .success();
        let summary: Value =
            serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
        assert_eq!(summary["complete"], true, "{faults}");
        assert_eq!(summary["output"]["bytes"], 4_500_000, "{faults}");
        env.scriptum_cmd(["verify"]).arg(&dir).run().success();
    }
    // A late meta that disagrees is still refused (exit 7, no output.json).
    let (env, _s) = env_with("meta-late,meta-total-mismatch", &[]);
    let id = env.finished("demo/etl", &[]);
    let dir = env.path("saved");
    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .run()
        .code_is(7)
        .stderr_has("the meta message, after chunk 0, announces");
    assert!(!dir.join("output.json").exists());
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn a_stream_that_only_ever_sends_the_terminal_event() {
        over_http(super::a_stream_that_only_ever_sends_the_terminal_event);
    }

    #[test]
    fn a_stream_that_stays_open_and_silent_while_the_thread_ends() {
        over_http(super::a_stream_that_stays_open_and_silent_while_the_thread_ends);
    }

    #[test]
    fn a_stream_that_stays_open_after_its_terminal_event_and_sends_it_twice() {
        over_http(super::a_stream_that_stays_open_after_its_terminal_event_and_sends_it_twice);
    }

    #[test]
    fn a_server_restarted_mid_watch_is_followed_to_the_end() {
        over_http(super::a_server_restarted_mid_watch_is_followed_to_the_end);
    }

    #[test]
    fn run_save_keeps_every_yield_past_the_unary_cap_in_order_once() {
        over_http(super::run_save_keeps_every_yield_past_the_unary_cap_in_order_once);
    }

    #[test]
    fn result_streams_without_meta_first_unknown_chunk_counts_or_slow_are_saved_whole() {
        over_http(
            super::result_streams_without_meta_first_unknown_chunk_counts_or_slow_are_saved_whole,
        );
    }

    #[test]
    fn list_pages_shorter_than_asked_and_empty_pages_with_a_token_are_followed() {
        over_http(super::list_pages_shorter_than_asked_and_empty_pages_with_a_token_are_followed);
    }
}
