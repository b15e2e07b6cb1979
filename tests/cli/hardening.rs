//! The hardening matrix (issue 8): the real binary against the dev server's fault switches,
//! hostile servers and bad local conditions. Rows already proven elsewhere are listed in the
//! README's Security section with their tests; this file holds the rest. All traffic stays on
//! 127.0.0.1; the one non-loopback name used (`dodil-test.invalid`) must be refused before any
//! connection is attempted.

use crate::support;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{stderr, stdout, TestEnv};

const DODIL: &str = env!("CARGO_BIN_EXE_dodil");

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("an exit code, not a signal")
}

/// No byte that could drive a terminal: only printable text and line ends.
fn assert_no_controls(what: &str, text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what} has control characters: {text:?}"
    );
}

/// The binary as a plain `std::process::Command` with the harness's pinned environment (for
/// children whose pipes the test drives itself).
fn std_cmd(env: &TestEnv, program: &str) -> Command {
    let home = env.dir.path();
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DODIL_ENDPOINT", &env.url)
        .env("DODIL_CONFIG", home.join("config.yaml"))
        .env("DODIL_DATA_DIR", home.join("data"))
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC");
    cmd
}

/// Waits for a child, killing it if it outlives `limit` (then the test fails).
fn wait_bounded(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---- GetThread UNAVAILABLE for a while during polling ----------------------------------------

#[test]
fn polling_through_an_unavailable_get_thread_warns_once() {
    // No WatchThread, so the engine polls; the first 4 GetThread calls fail. Real time, so the
    // thread is still running while the failures happen.
    let env = TestEnv::with(|s| {
        s.speed = 1.0;
        s.faults.watch_unimplemented = true;
        s.faults.unavailable = vec![("GetThread".into(), 4)];
    });
    let out = env
        .cmd()
        .args(["scriptum", "thread", "run", "demo/hello"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    let failing: Vec<&str> = err.lines().filter(|l| l.contains("UNAVAILABLE")).collect();
    assert_eq!(
        failing.len(),
        1,
        "one warning for the outage, not one per poll: {err}"
    );
    assert!(failing[0].starts_with("warning: "), "{err}");
    assert!(err.lines().last().unwrap().contains("completed"), "{err}");
}

// ---- slow server: completes; unary deadlines and stream limits exist -------------------------

#[test]
fn a_slow_server_is_waited_for() {
    let env = TestEnv::with(|s| s.faults.latency_ms = 150);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "run", "demo/hello", "-o", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("\"completed\""), "{}", stdout(&out));
    let id = stderr(&out)
        .split_whitespace()
        .find(|w| w.starts_with("thr_"))
        .expect("the id on stderr")
        .to_string();
    let out = env
        .cmd()
        .args(["scriptum", "thread", "result", &id])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn calls_to_a_stalled_server_hit_their_deadline() {
    // Every call waits 20 s before it is answered: without deadlines these commands would hang
    // for 20 s (and then get NOT_FOUND, exit 5).
    let env = TestEnv::with(|s| s.faults.latency_ms = 20_000);
    for args in [
        vec!["scriptum", "thread", "get", "thr_x"],
        vec!["scriptum", "thread", "list"],
        vec!["scriptum", "thread", "result", "thr_x"],
    ] {
        let started = Instant::now();
        let out = env
            .cmd()
            .env("DODIL_CALL_TIMEOUT", "300ms")
            .args(&args)
            .output()
            .unwrap();
        let took = started.elapsed();
        let err = stderr(&out);
        assert_eq!(code(&out), 6, "{args:?}: {err}");
        assert!(err.contains("DEADLINE_EXCEEDED"), "{args:?}: {err}");
        assert!(err.contains("hint:"), "{args:?}: {err}");
        // Three attempts of 300 ms with 200 + 400 ms between them, plus start-up.
        assert!(took < Duration::from_secs(8), "{args:?} took {took:?}");
    }
    // Watching: the stream cannot open in time, polls time out, the retry budget runs out.
    let started = Instant::now();
    let out = env
        .cmd()
        .env("DODIL_CALL_TIMEOUT", "300ms")
        .args([
            "scriptum",
            "thread",
            "watch",
            "thr_x",
            "--retry-budget",
            "2s",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(10));

    let out = env
        .cmd()
        .env("DODIL_CALL_TIMEOUT", "soon")
        .args(["scriptum", "thread", "get", "thr_x"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("DODIL_CALL_TIMEOUT"),
        "{}",
        stderr(&out)
    );
}

/// A TCP proxy on 127.0.0.1:0 to `backend` that passes the client's bytes through but only the
/// first `limit` bytes of the server's, then holds the connection open and silent.
fn start_stalling_proxy(runtime: &tokio::runtime::Runtime, backend: String, limit: u64) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let backend = backend.trim_start_matches("http://").to_string();
    runtime.spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = tokio::net::TcpStream::connect(&backend).await else {
                return;
            };
            let (mut client_read, mut client_write) = client.into_split();
            let (mut server_read, mut server_write) = server.into_split();
            tokio::spawn(async move {
                let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
            });
            tokio::spawn(async move {
                let mut passed = 0u64;
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let Ok(n) = server_read.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    let pass = (limit.saturating_sub(passed)).min(n as u64) as usize;
                    if pass > 0 && client_write.write_all(&buf[..pass]).await.is_err() {
                        return;
                    }
                    passed += n as u64;
                    // Past the limit: keep reading (so the server is not blocked) and drop it.
                }
            });
        }
    });
    port
}

#[test]
fn a_result_stream_that_goes_silent_is_broken_off() {
    // 12 MB of output: GetThreadResult brings 4 MiB, then StreamThreadResult goes silent
    // after about 1.5 MB more, on a connection that stays open.
    let env = TestEnv::start();
    let id = finished_big(&env, 12_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let port = start_stalling_proxy(&runtime, env.url.clone(), 6_000_000);
    let started = Instant::now();
    let out = env
        .cmd()
        .env("DODIL_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("DODIL_CALL_TIMEOUT", "1s")
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .args(["scriptum", "thread", "result", &id, "--save"])
        .arg(env.path("out"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_ne!(code(&out), 0, "{err}");
    assert!(err.contains("silent for 1.0s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30), "{err}");
    assert!(!env.path("out").join("output.json").exists());
    runtime.shutdown_background();
}

#[test]
fn a_watch_on_a_connection_gone_silent_gives_up_within_the_budget() {
    // A long thread; the connection delivers the first 50 kB, then nothing, and never closes.
    let env = TestEnv::start();
    let id = env.create(
        "demo/big",
        &["--input", r#"{"bytes": 1024, "steps": 5000}"#],
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let port = start_stalling_proxy(&runtime, env.url.clone(), 50_000);
    let started = Instant::now();
    let out = env
        .cmd()
        .env("DODIL_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("DODIL_CALL_TIMEOUT", "1s")
        .args(["scriptum", "thread", "watch", &id, "-o", "jsonl"])
        .args(["--retry-budget", "3s"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 6, "{err}");
    assert!(
        err.contains(&format!("dodil scriptum thread watch {id}")),
        "{err}"
    );
    assert!(!stdout(&out).is_empty(), "events came before the silence");
    assert!(started.elapsed() < Duration::from_secs(30), "{err}");
    runtime.shutdown_background();
}

// ---- auth refused: exit 5, a hint, the token never echoed (not even with -v) -----------------

#[test]
fn a_refused_token_is_exit_5_with_a_hint_and_never_shown() {
    let env = TestEnv::with(|s| s.token = Some("the-right-token".into()));
    let secret = "wrong-token-7d1f3c";
    let token_file = env.path("token");
    std::fs::write(&token_file, format!("{secret}\n")).unwrap();
    for (how, extra) in [
        ("env", vec![]),
        ("file", vec!["--token-file", token_file.to_str().unwrap()]),
    ] {
        for verbose in [false, true] {
            let mut cmd = env.cmd();
            if how == "env" {
                cmd.env("DODIL_TOKEN", secret);
            }
            cmd.args(["scriptum", "thread", "list"]).args(&extra);
            if verbose {
                cmd.arg("-v");
            }
            let out = cmd.output().unwrap();
            let err = stderr(&out);
            assert_eq!(code(&out), 5, "{how} -v={verbose}: {err}");
            assert!(err.contains("UNAUTHENTICATED"), "{err}");
            assert!(err.contains("hint: "), "{err}");
            assert!(!err.contains(secret), "the token leaked: {err}");
            assert!(!stdout(&out).contains(secret));
            if verbose {
                assert!(err.contains("bearer token <redacted>"), "{err}");
            }
        }
    }
    // A token is never a command-line value, so it cannot leak through the process list; an
    // attempt is a usage error that does not repeat the value.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "list", "--token", secret])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(!stderr(&out).contains(secret), "{}", stderr(&out));
}

#[test]
fn a_world_readable_token_file_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::with(|s| s.token = Some("file-token-42".into()));
    let token_file = env.path("token");
    std::fs::write(&token_file, "file-token-42\n").unwrap();
    for (mode, warned) in [(0o644, true), (0o600, false)] {
        std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = env
            .cmd()
            .args(["scriptum", "thread", "list", "--token-file"])
            .arg(&token_file)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(code(&out), 0, "{err}");
        assert_eq!(
            err.contains("warning: token file") && err.contains("chmod 600"),
            warned,
            "mode {mode:o}: {err}"
        );
        assert!(!err.contains("file-token-42"), "{err}");
    }
}

#[test]
fn a_wrong_organization_is_exit_5_with_a_hint_naming_the_org_flags() {
    let env = TestEnv::with(|s| {
        s.token = Some("org-test-token".into());
        s.faults.only_org = Some("acme".into());
    });
    for org in [None, Some("globex")] {
        let mut cmd = env.cmd();
        cmd.env("DODIL_TOKEN", "org-test-token")
            .args(["scriptum", "thread", "list", "-v"]);
        if let Some(org) = org {
            cmd.args(["--org", org]);
        }
        let out = cmd.output().unwrap();
        let err = stderr(&out);
        assert_eq!(code(&out), 5, "{org:?}: {err}");
        assert!(err.contains("PERMISSION_DENIED"), "{err}");
        assert!(err.contains("hint: ") && err.contains("--org"), "{err}");
        assert!(!err.contains("org-test-token"), "{err}");
    }
    let out = env
        .cmd()
        .env("DODIL_TOKEN", "org-test-token")
        .env("DODIL_ORG", "acme")
        .args(["scriptum", "thread", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

// ---- bearer token over plaintext to a non-loopback host --------------------------------------

#[test]
fn a_token_is_not_sent_over_plaintext_to_another_host() {
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("token");
    std::fs::write(&token_file, "plaintext-secret\n").unwrap();
    let endpoint = "http://dodil-test.invalid:80";
    // The refusal comes from resolving the settings, before any connection (or name lookup).
    for (token_env, args) in [
        (Some("plaintext-secret"), vec![]),
        (None, vec!["--token-file", token_file.to_str().unwrap()]),
    ] {
        let mut cmd = support::bare_cmd(home.path());
        if let Some(token) = token_env {
            cmd.env("DODIL_TOKEN", token);
        }
        let started = Instant::now();
        let out = cmd
            .args(["scriptum", "thread", "list", "--endpoint", endpoint, "-v"])
            .args(&args)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{err}");
        assert!(
            err.contains("refusing to send a bearer token over plaintext"),
            "{err}"
        );
        assert!(err.contains("--insecure-allow-plaintext"), "{err}");
        assert!(!err.contains("ListThreads"), "no call was made: {err}");
        assert!(!err.contains("plaintext-secret"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    // With --insecure-allow-plaintext the settings are accepted: shown without a connection by
    // a command that then stops at bad local input (exit 2 for the input, not the endpoint).
    let out = support::bare_cmd(home.path())
        .env("DODIL_TOKEN", "plaintext-secret")
        .args([
            "scriptum",
            "thread",
            "create",
            "demo/hello",
            "--input",
            "{not json",
            "--endpoint",
            endpoint,
            "--insecure-allow-plaintext",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(!err.contains("refusing"), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");
    // Without the flag the same command is refused for the endpoint first.
    let out = support::bare_cmd(home.path())
        .env("DODIL_TOKEN", "plaintext-secret")
        .args([
            "scriptum",
            "thread",
            "create",
            "demo/hello",
            "--input",
            "{not json",
            "--endpoint",
            endpoint,
        ])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("refusing"), "{}", stderr(&out));
    // Loopback plaintext stays allowed (the dev server): proven by every other test here.
}

// ---- terminal escapes from the server: escaped in plain output, verbatim in JSON -------------

#[test]
fn hostile_text_is_escaped_for_people_and_verbatim_in_json() {
    let env = TestEnv::with(|s| s.faults.hostile_names = true);
    let id = env.create("demo/fail", &[]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_FAILED");

    let plain = |args: &[&str]| {
        let out = env.cmd().args(args).output().unwrap();
        let (o, e) = (stdout(&out), stderr(&out));
        assert_no_controls(&format!("{args:?} stdout"), &o);
        assert_no_controls(&format!("{args:?} stderr"), &e);
        (code(&out), o, e)
    };
    let (c, out, _) = plain(&["scriptum", "thread", "get", &id]);
    assert_eq!(c, 0);
    assert!(out.contains("\\x1b]0;"), "escapes shown, not obeyed: {out}");
    let (c, out, _) = plain(&["scriptum", "thread", "list"]);
    assert_eq!(c, 0);
    assert!(out.contains("\\x1b"), "{out}");
    let (c, out, _) = plain(&["scriptum", "thread", "steps", &id]);
    assert_eq!(c, 0);
    assert!(out.contains("\\x1b[31mred"), "{out}");
    let (c, out, err) = plain(&["scriptum", "thread", "steps", &id, "--step", "../../etc"]);
    assert_eq!(c, 0, "{err}");
    assert!(out.contains("\\x1b[2J"), "the tool name is escaped: {out}");
    let (c, _, err) = plain(&["scriptum", "thread", "watch", &id]);
    assert_eq!(c, 1, "{err}");
    assert!(err.contains("\\x1b]0;pwned"), "{err}");
    let (c, _, err) = plain(&["scriptum", "thread", "result", &id]);
    assert_eq!(c, 1, "{err}");
    // Error lines are made safe where they are printed, whatever they quote: here a file name
    // (the same path carries a server's status message to the terminal).
    let missing = format!("@{}/\u{1b}]0;pwned\u{7}.json", env.dir.path().display());
    let (c, _, err) = plain(&[
        "scriptum",
        "thread",
        "create",
        "demo/hello",
        "--input",
        &missing,
    ]);
    assert_eq!(c, 2, "{err}");
    assert!(err.contains("\\x1b]0;pwned\\x07.json"), "{err}");
    // Colour on: our own SGR codes only, never the server's.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "get", &id, "--color", "always"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        !text.contains("\u{1b}]") && !text.contains("\u{7}"),
        "{text:?}"
    );
    assert!(
        !text.contains("\u{1b}[2J") && !text.contains("\u{1b}[8m"),
        "{text:?}"
    );

    // JSON keeps the server's text exactly (as JSON escapes: the bytes on stdout stay inert).
    let out = env
        .cmd()
        .args(["scriptum", "thread", "get", &id, "-o", "json"])
        .output()
        .unwrap();
    assert_no_controls("json", &stdout(&out));
    let thread: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        thread["currentStepName"],
        "\u{1b}]0;window title\u{7}call_api"
    );
    assert!(thread["error"]
        .as_str()
        .unwrap()
        .contains("\u{1b}]0;pwned\u{7}"));
    let out = env
        .cmd()
        .args(["scriptum", "thread", "steps", &id, "-o", "json"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("\\u001b[31mred\\u001b[0m"), "{text}");
    let out = env
        .cmd()
        .args(["scriptum", "thread", "watch", &id, "-o", "jsonl"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("\\u001b]0;window title\\u0007"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn suggested_commands_quote_a_hostile_step_path() {
    // Eight steps, the last failing: under hostile-names its path becomes `C:\Windows`.
    let scripts = tempfile::tempdir().unwrap();
    let mut yaml = String::from("name: t/hostile\nsteps:\n");
    for i in 1..=8 {
        yaml.push_str(&format!(
            "  - path: \"{i}\"\n    name: s{i}\n    duration_ms: 10\n"
        ));
    }
    yaml.push_str("    fail: boom\n");
    std::fs::write(scripts.path().join("hostile.yaml"), yaml).unwrap();
    let dir = scripts.path().to_path_buf();
    let env = TestEnv::with(move |s| {
        s.faults.hostile_names = true;
        s.scripts_dir = Some(dir);
    });
    let out = env
        .cmd()
        .args(["scriptum", "thread", "run", "t/hostile"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("--step 'C:\\Windows'"), "{err}");
}

// ---- `| head -1`: a reader that goes away is a quiet exit --------------------------------------

/// Runs the command with stdout piped, reads `bytes` (or one line), closes the pipe, and
/// returns the exit status and stderr.
fn read_then_close(mut cmd: Command, one_line: bool) -> (std::process::ExitStatus, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    if one_line {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(line.ends_with('\n'), "a first line: {line:?}");
    } else {
        let mut buf = [0u8; 4096];
        let n = out.read(&mut buf).unwrap();
        assert!(n > 0);
    }
    drop(out);
    let mut err_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut err = String::new();
        err_pipe.read_to_string(&mut err).unwrap();
        err
    });
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    (status, reader.join().unwrap())
}

fn assert_quiet_exit(what: &str, status: std::process::ExitStatus, err: &str) {
    assert_eq!(status.code(), Some(0), "{what}: {status:?} {err}");
    assert!(!err.contains("error"), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(!err.to_lowercase().contains("broken pipe"), "{what}: {err}");
}

#[test]
fn a_closed_stdout_ends_list_result_and_watch_quietly() {
    let env = TestEnv::with(|s| s.speed = 1000.0);
    // list: more than a pipe buffer of rows (64 KiB), so the writer must meet the closed pipe.
    let padding = "p".repeat(4000);
    for _ in 0..24 {
        env.create("demo/hello", &["--metadata", &format!("pad={padding}")]);
    }
    for format in ["table", "jsonl", "json"] {
        let mut cmd = std_cmd(&env, DODIL);
        cmd.args(["scriptum", "thread", "list", "--all", "-o", format]);
        let (status, err) = read_then_close(cmd, true);
        assert_quiet_exit(&format!("list -o {format}"), status, &err);
    }

    // result: 8 MB of output, streamed.
    let big = env.create(
        "demo/big",
        &["--input", r#"{"bytes": 8000000, "steps": 1}"#],
    );
    env.wait_for(&big, |t| t["status"] == "THREAD_STATUS_COMPLETED");
    let mut cmd = std_cmd(&env, DODIL);
    cmd.args(["scriptum", "thread", "result", &big]);
    let (status, err) = read_then_close(cmd, false);
    assert_quiet_exit("result", status, &err);

    // watch -o jsonl: a thread with thousands of events still to come.
    let long = env.create(
        "demo/big",
        &["--input", r#"{"bytes": 1024, "steps": 5000}"#],
    );
    let mut cmd = std_cmd(&env, DODIL);
    cmd.args(["scriptum", "thread", "watch", &long, "-o", "jsonl"]);
    let (status, err) = read_then_close(cmd, true);
    assert_quiet_exit("watch -o jsonl", status, &err);
}

// ---- read-only DIR and a full disk: a clear error naming the file, no partial files ----------

/// Runs dodil inside a private user+mount namespace where `mnt` is a 2 MiB tmpfs holding an
/// empty `out/` (read-only with `read_only`). Returns the output and every path left under
/// the tmpfs afterwards. `None` when this sandbox cannot make namespaces (the reason printed).
fn in_small_tmpfs(
    env: &TestEnv,
    read_only: bool,
    args: &[&str],
) -> Option<(std::process::Output, Vec<String>)> {
    let probe = Command::new("unshare")
        .args(["-Urm", "true"])
        .stderr(Stdio::piped())
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        other => {
            eprintln!("SKIPPED: cannot create a user+mount namespace here: {other:?}");
            return None;
        }
    }
    let mnt = env.path("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let listing = env.path("listing.txt");
    let script = r#"
        set -e
        mount -t tmpfs -o size=2m dodil-test "$MNT"
        mkdir "$MNT/out"
        if [ "$READ_ONLY" = 1 ]; then mount --bind -o ro "$MNT/out" "$MNT/out"; fi
        set +e
        "$@"
        rc=$?
        (cd "$MNT" && find . -mindepth 1 | sort) > "$LISTING"
        exit $rc
    "#;
    let mut cmd = std_cmd(env, "unshare");
    cmd.args(["-Urm", "sh", "-c", script, "sh", DODIL])
        .args(args)
        .arg(mnt.join("out"))
        .env("MNT", &mnt)
        .env("LISTING", &listing)
        .env("READ_ONLY", if read_only { "1" } else { "0" });
    let out = cmd.output().unwrap();
    let left = std::fs::read_to_string(&listing)
        .unwrap_or_else(|_| panic!("the namespace script failed: {}", stderr(&out)));
    Some((out, left.lines().map(str::to_string).collect()))
}

fn finished_big(env: &TestEnv, bytes: u64) -> String {
    let input = format!(r#"{{"bytes": {bytes}, "steps": 2}}"#);
    let id = env.create("demo/big", &["--input", &input]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_COMPLETED");
    id
}

#[test]
fn saving_to_a_full_disk_names_the_file_and_leaves_no_partial_file() {
    let env = TestEnv::start();
    let id = finished_big(&env, 3_000_000); // more than the 2 MiB tmpfs holds
    let Some((out, left)) = in_small_tmpfs(
        &env,
        false,
        &["scriptum", "thread", "result", &id, "--save"],
    ) else {
        return;
    };
    let err = stderr(&out);
    assert_ne!(code(&out), 0, "{err}");
    assert!(err.contains("output.json"), "the file is named: {err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !left
            .iter()
            .any(|p| p.ends_with("output.json") || p.contains(".part")),
        "no output.json, whole or partial: {left:?}"
    );
}

#[test]
fn saving_to_a_read_only_dir_is_a_clear_error_and_writes_nothing() {
    let env = TestEnv::start();
    let id = finished_big(&env, 10_000);
    let Some((out, left)) =
        in_small_tmpfs(&env, true, &["scriptum", "thread", "result", &id, "--save"])
    else {
        return;
    };
    let err = stderr(&out);
    assert_ne!(code(&out), 0, "{err}");
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(err.contains("out"), "the place is named: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(left, vec!["./out".to_string()], "nothing written: {left:?}");
}

// ---- TLS: verification on by default, --ca-cert for a private CA ----------------------------

mod tls {
    use super::*;
    use std::sync::Arc;
    use tokio_rustls::rustls;

    /// A TLS terminator on 127.0.0.1:0 (ALPN h2) in front of the dev server's plaintext port,
    /// with a self-signed certificate for `localhost`. Returns its port and the CA's PEM.
    fn start_proxy(runtime: &tokio::runtime::Runtime, backend: String) -> (u16, String) {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        let pem = cert.cert.pem();
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(
            rustls::pki_types::PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()),
        );
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let backend = backend.trim_start_matches("http://").to_string();
        runtime.spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                let backend = backend.clone();
                tokio::spawn(async move {
                    // A refused handshake (the client does not trust us) just ends here.
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let Ok(mut upstream) = tokio::net::TcpStream::connect(&backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
                });
            }
        });
        (port, pem)
    }

    #[test]
    fn a_self_signed_server_is_refused_unless_its_ca_is_given() {
        let env = TestEnv::start();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (port, pem) = start_proxy(&runtime, env.url.clone());
        let endpoint = format!("https://localhost:{port}");
        let ca = env.path("ca.pem");
        std::fs::write(&ca, &pem).unwrap();

        let out = env
            .cmd()
            .args(["scriptum", "thread", "list", "--endpoint", &endpoint])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(code(&out), 6, "{err}");
        assert!(err.contains("certificate"), "{err}");
        assert!(err.contains("hint: ") && err.contains("--ca-cert"), "{err}");

        let out = env
            .cmd()
            .args([
                "scriptum",
                "thread",
                "list",
                "--endpoint",
                &endpoint,
                "--ca-cert",
            ])
            .arg(&ca)
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));

        // The whole path works over TLS, including a stream.
        let out = env
            .cmd()
            .env("DODIL_CA_CERT", &ca)
            .args([
                "scriptum",
                "thread",
                "run",
                "demo/hello",
                "--endpoint",
                &endpoint,
            ])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));

        // A certificate for another name is refused too, even with the CA trusted.
        let out = env
            .cmd()
            .args([
                "scriptum",
                "thread",
                "list",
                "--endpoint",
                &format!("https://127.0.0.1:{port}"),
                "--ca-cert",
            ])
            .arg(&ca)
            .output()
            .unwrap();
        assert_eq!(code(&out), 6, "{}", stderr(&out));
        runtime.shutdown_background();
    }
}

// ---- Many steps under a low open-file limit ------------------------------------------------------

#[test]
fn saving_many_steps_holds_few_files_open() {
    // 600 steps, each with an input and an output: 1,200 payload files. Each used to stay open
    // (with a 64 KiB buffer) until the whole stream had validated; under `ulimit -n 256` the save
    // failed with "too many open files".
    const STEPS: usize = 600;
    let scripts = tempfile::tempdir().unwrap();
    let mut yaml = String::from("name: t/many\nsteps:\n");
    for i in 1..=STEPS {
        yaml.push_str(&format!(
            "  - path: \"{i}\"\n    name: s{i}\n    duration_ms: 1\n    input: {{n: {i}}}\n"
        ));
    }
    std::fs::write(scripts.path().join("many.yaml"), yaml).unwrap();
    let dir = scripts.path().to_path_buf();
    let env = TestEnv::with(move |s| {
        s.speed = 1000.0;
        s.scripts_dir = Some(dir);
    });
    let id = env.create("t/many", &[]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_COMPLETED");

    let save = env.path("many");
    let err_file = env.path("many.stderr");
    let mut cmd = std_cmd(&env, "sh");
    cmd.args(["-c", r#"ulimit -n 256 && exec "$0" "$@""#, DODIL])
        .args(["scriptum", "thread", "result", &id, "--save"])
        .arg(&save)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_file).unwrap());
    let mut child = cmd.spawn().unwrap();
    let status = wait_bounded(&mut child, Duration::from_secs(120));
    let err = std::fs::read_to_string(&err_file).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(save.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["complete"], true);
    assert_eq!(summary["steps"].as_array().unwrap().len(), STEPS);
    for i in [1, STEPS / 2, STEPS] {
        let step = save.join("steps").join(i.to_string());
        let input: serde_json::Value =
            serde_json::from_slice(&std::fs::read(step.join("input.json")).unwrap()).unwrap();
        assert_eq!(input["n"], i);
        assert!(step.join("output.json").is_file());
    }
}
