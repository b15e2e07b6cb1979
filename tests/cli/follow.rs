//! `thread run` / `thread watch`: the real binary following threads on the dev server, through
//! its fault switches. No fixed sleeps: every wait is on output or bounded polling.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{stderr, stdout, TestEnv};

fn run(env: &TestEnv, script: &str, extra: &[&str]) -> std::process::Output {
    env.cmd()
        .args(["scriptum", "thread", "run", script])
        .args(extra)
        .output()
        .expect("run dodil")
}

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exit code")
}

/// The thread id `run` announces on stderr.
fn thread_id(err: &str) -> String {
    let at = err.find("thr_").expect("a thread id on stderr");
    err[at..]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap()
        .to_string()
}

/// `-o jsonl` lines as (kind, step path, yield sequence): what must match between runs.
fn event_list(out: &str) -> Vec<(String, String, i64)> {
    out.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
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

    let out = run(&env, "demo/hello", &[]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(err.contains("created"), "the id is announced: {err}");
    assert!(err.lines().last().unwrap().contains("completed"), "{err}");
    assert!(stdout(&out).is_empty(), "stdout is for data only");

    let out = run(&env, "demo/fail", &[]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    let id = thread_id(&err);
    assert!(
        err.contains(&format!("dodil scriptum thread steps {id} --step 2")),
        "{err}"
    );

    let out = run(&env, "demo/approval", &[]);
    let err = stderr(&out);
    assert_eq!(code(&out), 4, "{err}");
    let id = thread_id(&err);
    assert!(
        err.contains(&format!("waiting for `dodil scriptum thread resume {id}`")),
        "{err}"
    );

    // -o json: the final thread as one document.
    let out = run(&env, "demo/hello", &["-o", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "THREAD_STATUS_COMPLETED");
}

#[test]
fn run_result_adds_to_the_follow_s_ending_without_repeating_it() {
    let env = TestEnv::start();
    let out = run(&env, "demo/fail", &["--result"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    let id = thread_id(&err);
    let hint = format!("hint: dodil scriptum thread steps {id} --step 2");
    assert_eq!(err.matches(&hint).count(), 1, "{err}");
    assert_eq!(err.matches("failed after").count(), 1, "{err}");
    assert!(err.contains("result: no output · 0 yields"), "{err}");

    // Without a follow before it, the summary says how the thread ended.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "result", &id])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(err.contains(&format!("thread {id} failed in")), "{err}");
    assert!(err.contains(&hint), "{err}");

    let out = run(&env, "demo/hello", &["--result"]);
    assert_eq!(code(&out), 0);
    let err = stderr(&out);
    assert!(err.contains("result: output 36 B · 1 yield\n"), "{err}");
    assert_eq!(err.matches("output 36 B").count(), 1, "{err}");
    assert_eq!(err.matches("✔ thread").count(), 1, "{err}");
}

#[test]
fn jsonl_keeps_events_off_stderr() {
    // Events are data on stdout; stderr (not a terminal here, as in CI) says only how the follow
    // began and ended, and warnings.
    let env = TestEnv::start();
    let out = run(&env, "demo/etl", &["-o", "jsonl"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(event_list(&stdout(&out)).len() > 10, "{}", stdout(&out));
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "no event repeated on stderr: {err}");
    assert!(lines[0].contains("created"), "{err}");
    assert!(lines[1].contains("completed"), "{err}");
}

#[test]
fn watch_reports_an_ended_thread_at_once() {
    let env = TestEnv::start();
    let id = env.create("demo/fail", &[]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_FAILED");
    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", &id])
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("--step 2"), "{}", stderr(&out));

    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", "thr_nosuchthread"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
}

#[test]
fn dropped_streams_are_resumed_and_every_event_printed_once() {
    let clean = TestEnv::start();
    let out = run(&clean, "demo/etl", &["-o", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let expected = event_list(&stdout(&out));
    assert!(expected.len() > 10, "{expected:?}");

    let faulty = TestEnv::with(|s| s.faults.watch_drop_after = Some(2));
    let out = run(&faulty, "demo/etl", &["-o", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(event_list(&stdout(&out)), expected);
}

#[test]
fn a_stream_without_its_terminal_event_is_confirmed_by_get_thread() {
    let env = TestEnv::with(|s| s.faults.watch_no_terminal = true);
    let out = run(&env, "demo/fail", &["-o", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let events = event_list(&stdout(&out));
    assert_eq!(events.last().unwrap().0, "progress", "{events:?}");
    let out = run(&env, "demo/hello", &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn without_watch_thread_polling_gets_the_same_outcomes() {
    let env = TestEnv::with(|s| s.faults.watch_unimplemented = true);
    for (script, expected) in [("demo/hello", 0), ("demo/fail", 1), ("demo/approval", 4)] {
        let out = run(&env, script, &[]);
        let err = stderr(&out);
        assert_eq!(code(&out), expected, "{script}: {err}");
        assert!(err.contains("polling"), "{err}");
    }
}

#[test]
fn transient_unavailable_is_retried() {
    let env = TestEnv::with(|s| {
        s.faults.unavailable = vec![("WatchThread".into(), 2), ("GetThread".into(), 2)];
    });
    let out = run(&env, "demo/hello", &["-o", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_server_gone_for_good_is_exit_6_within_the_budget() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = TestEnv::start();
    let started = Instant::now();
    let out = env
        .cmd()
        .env("DODIL_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .args([
            "scriptum",
            "thread",
            "watch",
            "thr_gone",
            "--retry-budget",
            "2s",
        ])
        .output()
        .unwrap();
    let took = started.elapsed();
    let err = stderr(&out);
    assert_eq!(code(&out), 6, "{err}");
    assert!(err.contains("thr_gone"), "{err}");
    assert!(
        err.contains("dodil scriptum thread watch thr_gone"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn unknown_enum_values_are_not_terminal_and_do_not_crash() {
    let env = TestEnv::with(|s| s.faults.bad_enums = true);
    let out = run(&env, "demo/hello", &["-o", "jsonl"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let kinds: Vec<_> = event_list(&stdout(&out)).into_iter().map(|e| e.0).collect();
    assert!(kinds.contains(&"unknown".to_string()), "{kinds:?}");
    assert_eq!(kinds.last().unwrap(), "completed", "{kinds:?}");
}

#[test]
fn plain_output_has_no_escape_codes() {
    let env = TestEnv::with(|s| s.faults.hostile_names = true);
    let out = env
        .cmd()
        .env_remove("NO_COLOR")
        .args(["scriptum", "thread", "run", "demo/etl", "--color", "auto"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(
        !err.chars().any(|c| c.is_control() && c != '\n'),
        "control characters on stderr: {err:?}"
    );
    assert!(
        err.contains("\\x1b"),
        "escapes are shown, not obeyed: {err}"
    );
    // One line per event, each timestamped.
    assert!(
        err.lines().filter(|l| l.contains(" ▸ ")).count() >= 5,
        "{err}"
    );
}

#[test]
fn follow_timeout_gives_up_with_a_hint() {
    let env = TestEnv::start();
    let out = run(
        &env,
        "demo/approval",
        &["--wait-paused", "--follow-timeout", "1500ms"],
    );
    let err = stderr(&out);
    assert_eq!(code(&out), 6, "{err}");
    let id = thread_id(&err);
    assert!(
        err.contains(&format!("dodil scriptum thread watch {id}")),
        "{err}"
    );
}

#[test]
fn sigint_stops_following_and_leaves_the_thread_running() {
    // Real time: the thread runs for seconds, long after we stop following it.
    let env = TestEnv::with(|s| s.speed = 1.0);
    let mut child = env_command(&env)
        .args(["scriptum", "thread", "run", "demo/etl"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    // Wait for the first event line (bounded by the run itself: EOF ends the loop).
    for line in lines.by_ref() {
        let line = line.unwrap();
        let first_event = line.contains(" started: ");
        seen.push(line);
        if first_event {
            break;
        }
    }
    let id = thread_id(&seen.join("\n"));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let exit = child.wait().unwrap();
    let err = rest.join("\n");
    assert_eq!(exit.code(), Some(130), "{seen:?} {err}");
    assert!(
        err.contains(&format!("dodil scriptum thread watch {id}")),
        "{err}"
    );

    let out = env
        .cmd()
        .args(["scriptum", "thread", "get", &id, "-o", "json"])
        .output()
        .unwrap();
    let thread: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(thread["status"], "THREAD_STATUS_RUNNING", "{thread}");
}

/// `thread result ID --wait` streaming a huge output to stdout: the follow (which takes Ctrl-C
/// over) is over, the output is pouring out. Returns the child once `first` bytes have arrived,
/// and what it writes to stderr (read by a thread).
fn streaming_result(env: &TestEnv) -> (std::process::Child, std::thread::JoinHandle<String>) {
    let id = env.create(
        "demo/big",
        &["--input", r#"{"bytes": 2000000000, "steps": 1}"#],
    );
    let mut child = env_command(env)
        .args(["scriptum", "thread", "result", &id, "--wait"])
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

/// Waits for a child, killing it if it outlives `limit` (then the test fails).
fn wait_bounded(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child did not exit within {limit:?} of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn interrupt(child: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
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
    let status = wait_bounded(&mut child, Duration::from_secs(30));
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
    let status = wait_bounded(&mut child, Duration::from_secs(30));
    drop(out);
    let err = stderr.join().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
}

#[test]
fn a_cancelled_thread_is_exit_3() {
    use dodil::proto::scriptum_service_client::ScriptumServiceClient;
    let env = TestEnv::with(|s| s.implement_cancel = true);
    let id = env.create("demo/approval", &[]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_PAUSED");
    // Follow it through the pause, and cancel it once the follower is attached.
    let mut child = env_command(&env)
        .args(["scriptum", "thread", "watch", &id, "--wait-paused"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("--wait-paused") {
            break;
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut client = ScriptumServiceClient::connect(env.url.clone())
            .await
            .unwrap();
        client
            .cancel_thread(dodil::proto::CancelThreadRequest {
                thread_id: id.clone(),
                reason: "test".into(),
            })
            .await
            .unwrap();
    });
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert_eq!(child.wait().unwrap().code(), Some(3), "{rest:?}");
    assert!(rest.join("\n").contains("cancelled"), "{rest:?}");
}

/// The binary as a plain `std::process::Command` (for tests that talk to it while it runs).
fn env_command(env: &TestEnv) -> Command {
    let home = env.dir.path();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dodil"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DODIL_ENDPOINT", &env.url)
        .env("DODIL_CONFIG", home.join("config.yaml"))
        .env("DODIL_DATA_DIR", home.join("data"))
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .stdout(Stdio::null());
    cmd
}
