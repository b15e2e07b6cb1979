//! The hardening matrix (issue 8): the real binary against the dev server's fault switches,
//! hostile servers and bad local conditions. Rows already proven elsewhere are listed in the
//! README's Security section with their tests; this file holds the rest. All traffic stays on
//! 127.0.0.1; the one non-loopback name used (`dodil-test.invalid`) must be refused before any
//! connection is attempted.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{wait_bounded, Execute, Run, TestEnv, DODIL};

/// A hang guard for commands that must give up on their own: generous, no timing claim.
const GIVES_UP_WITHIN: Duration = Duration::from_secs(60);

/// No byte that could drive a terminal: only printable text and line ends.
#[track_caller]
fn assert_no_controls(what: &str, text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what} has control characters: {text:?}"
    );
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
    let run = env.thread(["run", "demo/hello"]);
    run.success();
    let failing: Vec<&str> = run
        .stderr_lines()
        .into_iter()
        .filter(|l| l.contains("UNAVAILABLE"))
        .collect();
    assert_eq!(
        failing.len(),
        1,
        "one warning for the outage, not one per poll: {run}"
    );
    assert!(failing[0].starts_with("warning: "), "{run}");
    assert!(
        run.stderr_lines().last().unwrap().contains("completed"),
        "{run}"
    );
}

// ---- slow server: completes; unary deadlines and stream limits exist -------------------------

#[test]
fn a_slow_server_is_waited_for() {
    let env = TestEnv::with(|s| s.faults.latency_ms = 150);
    let run = env.thread(["run", "demo/hello", "-o", "jsonl"]);
    run.success().stdout_has("\"completed\"");
    let id = run.thread_id();
    env.thread(["result", &id]).success();
}

#[test]
fn calls_to_a_stalled_server_hit_their_deadline() {
    // Every call waits 20 s before it is answered: without deadlines these commands would wait
    // for the answer (NOT_FOUND, exit 5). Exit 6 with DEADLINE_EXCEEDED is the proof; the clock
    // only guards against a hang.
    let env = TestEnv::with(|s| s.faults.latency_ms = 20_000);
    for args in [vec!["get", "thr_x"], vec!["list"], vec!["result", "thr_x"]] {
        let started = Instant::now();
        env.thread_cmd(&args)
            .env("DODIL_CALL_TIMEOUT", "300ms")
            .run()
            .code_is(6)
            .stderr_has("DEADLINE_EXCEEDED")
            .stderr_has("hint:");
        // Three attempts of 300 ms with 200 + 400 ms between them, plus start-up.
        let took = started.elapsed();
        assert!(took < GIVES_UP_WITHIN, "{args:?} took {took:?}");
    }
    // Watching: the stream cannot open in time, polls time out, the retry budget runs out
    // (well before the default budget of 60 s would).
    let started = Instant::now();
    env.thread_cmd(["watch", "thr_x", "--retry-budget", "2s"])
        .env("DODIL_CALL_TIMEOUT", "300ms")
        .run()
        .code_is(6);
    let took = started.elapsed();
    assert!(took < GIVES_UP_WITHIN, "{took:?}");

    env.thread_cmd(["get", "thr_x"])
        .env("DODIL_CALL_TIMEOUT", "soon")
        .run()
        .code_is(2)
        .stderr_has("DODIL_CALL_TIMEOUT");
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
    let run = env
        .thread_cmd(["result", &id, "--save"])
        .arg(env.path("out"))
        .env("DODIL_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("DODIL_CALL_TIMEOUT", "1s")
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .run();
    // The stream broke off, and so did its one retry: the download is incomplete (exit 7),
    // nothing half-saved.
    run.code_is(7).stderr_has("silent for 1.0s");
    let took = started.elapsed();
    assert!(took < GIVES_UP_WITHIN, "{took:?}\n{run}");
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
    let run = env
        .thread_cmd(["watch", &id, "-o", "jsonl", "--retry-budget", "3s"])
        .env("DODIL_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("DODIL_CALL_TIMEOUT", "1s")
        .run();
    run.code_is(6)
        .stderr_has(&format!("dodil scriptum thread watch {id}"));
    assert!(
        !run.stdout.is_empty(),
        "events came before the silence: {run}"
    );
    let took = started.elapsed();
    assert!(took < GIVES_UP_WITHIN, "{took:?}\n{run}");
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
            let mut cmd = env.thread_cmd(["list"]);
            cmd.args(&extra);
            if how == "env" {
                cmd.env("DODIL_TOKEN", secret);
            }
            if verbose {
                cmd.arg("-v");
            }
            let run = cmd.run();
            run.code_is(5)
                .stderr_has("UNAUTHENTICATED")
                .stderr_has("hint: ")
                .stderr_lacks(secret);
            assert!(!run.stdout.contains(secret), "the token leaked: {run}");
            if verbose {
                run.stderr_has("bearer token <redacted>");
            }
        }
    }
    // A token is never a command-line value, so it cannot leak through the process list; an
    // attempt is a usage error that does not repeat the value.
    env.thread(["list", "--token", secret])
        .code_is(2)
        .stderr_lacks(secret);
}

#[test]
fn a_world_readable_token_file_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::with(|s| s.token = Some("file-token-42".into()));
    let token_file = env.path("token");
    std::fs::write(&token_file, "file-token-42\n").unwrap();
    for (mode, warned) in [(0o644, true), (0o600, false)] {
        std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(mode)).unwrap();
        let run = env
            .thread_cmd(["list", "--token-file"])
            .arg(&token_file)
            .run();
        run.success().stderr_lacks("file-token-42");
        assert_eq!(
            run.stderr.contains("warning: token file") && run.stderr.contains("chmod 600"),
            warned,
            "mode {mode:o}: {run}"
        );
    }
}

#[test]
fn a_wrong_organization_is_exit_5_with_a_hint_naming_the_org_flags() {
    let env = TestEnv::with(|s| {
        s.token = Some("org-test-token".into());
        s.faults.only_org = Some("acme".into());
    });
    for org in [None, Some("globex")] {
        let mut cmd = env.thread_cmd(["list", "-v"]);
        cmd.env("DODIL_TOKEN", "org-test-token");
        if let Some(org) = org {
            cmd.args(["--org", org]);
        }
        cmd.run()
            .code_is(5)
            .stderr_has("PERMISSION_DENIED")
            .stderr_has("hint: ")
            .stderr_has("--org")
            .stderr_lacks("org-test-token");
    }
    env.thread_cmd(["list"])
        .env("DODIL_TOKEN", "org-test-token")
        .env("DODIL_ORG", "acme")
        .run()
        .success();
}

// ---- bearer token over plaintext to a non-loopback host --------------------------------------

#[test]
fn a_token_is_not_sent_over_plaintext_to_another_host() {
    let env = TestEnv::offline();
    let token_file = env.path("token");
    std::fs::write(&token_file, "plaintext-secret\n").unwrap();
    let endpoint = "http://dodil-test.invalid:80";
    // The refusal comes from resolving the settings, before any connection (or name lookup):
    // no call is logged, whatever -v.
    for (token_env, args) in [
        (Some("plaintext-secret"), vec![]),
        (None, vec!["--token-file", token_file.to_str().unwrap()]),
    ] {
        let mut cmd = env.thread_cmd(["list", "--endpoint", endpoint, "-v"]);
        cmd.args(&args);
        if let Some(token) = token_env {
            cmd.env("DODIL_TOKEN", token);
        }
        let started = Instant::now();
        cmd.run()
            .code_is(2)
            .stderr_has("refusing to send a bearer token over plaintext")
            .stderr_has("--insecure-allow-plaintext")
            .stderr_lacks("ListThreads")
            .stderr_lacks("plaintext-secret");
        let took = started.elapsed();
        assert!(took < GIVES_UP_WITHIN, "{took:?}");
    }
    // With --insecure-allow-plaintext the settings are accepted: shown without a connection by
    // a command that then stops at bad local input (exit 2 for the input, not the endpoint).
    let create = |extra: &[&str]| {
        env.thread_cmd([
            "create",
            "demo/hello",
            "--input",
            "{not json",
            "--endpoint",
            endpoint,
        ])
        .args(extra)
        .env("DODIL_TOKEN", "plaintext-secret")
        .run()
    };
    create(&["--insecure-allow-plaintext"])
        .code_is(2)
        .stderr_lacks("refusing")
        .stderr_has("not valid JSON");
    // Without the flag the same command is refused for the endpoint first.
    create(&[]).code_is(2).stderr_has("refusing");
    // Loopback plaintext stays allowed (the dev server): proven by every other test here.
}

// ---- terminal escapes from the server: escaped in plain output, verbatim in JSON -------------

#[test]
fn hostile_text_is_escaped_for_people_and_verbatim_in_json() {
    let env = TestEnv::with(|s| s.faults.hostile_names = true);
    let id = env.create("demo/fail", &[]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_FAILED");

    let plain = |args: &[&str]| {
        let run = env.thread(args);
        assert_no_controls(&format!("{args:?} stdout"), &run.stdout);
        assert_no_controls(&format!("{args:?} stderr"), &run.stderr);
        run
    };
    // Escapes shown, not obeyed.
    plain(&["get", &id]).success().stdout_has("\\x1b]0;");
    plain(&["list"]).success().stdout_has("\\x1b");
    plain(&["steps", &id]).success().stdout_has("\\x1b[31mred");
    // The tool name is escaped.
    plain(&["steps", &id, "--step", "../../etc"])
        .success()
        .stdout_has("\\x1b[2J");
    plain(&["watch", &id])
        .code_is(1)
        .stderr_has("\\x1b]0;pwned");
    plain(&["result", &id]).code_is(1);
    // Error lines are made safe where they are printed, whatever they quote: here a file name
    // (the same path carries a server's status message to the terminal).
    let missing = format!("@{}/\u{1b}]0;pwned\u{7}.json", env.dir.path().display());
    plain(&["create", "demo/hello", "--input", &missing])
        .code_is(2)
        .stderr_has("\\x1b]0;pwned\\x07.json");
    // Colour on: our own SGR codes only, never the server's.
    let run = env
        .thread_cmd(["get", &id, "--color", "always"])
        .env_remove("NO_COLOR")
        .run();
    let text = &run.stdout;
    assert!(
        !text.contains("\u{1b}]") && !text.contains("\u{7}"),
        "{text:?}"
    );
    assert!(
        !text.contains("\u{1b}[2J") && !text.contains("\u{1b}[8m"),
        "{text:?}"
    );

    // JSON keeps the server's text exactly (as JSON escapes: the bytes on stdout stay inert).
    let run = env.thread(["get", &id, "-o", "json"]);
    assert_no_controls("json", &run.stdout);
    let thread = run.success().json();
    assert_eq!(
        thread["currentStepName"],
        "\u{1b}]0;window title\u{7}call_api"
    );
    assert!(thread["error"]
        .as_str()
        .unwrap()
        .contains("\u{1b}]0;pwned\u{7}"));
    env.thread(["steps", &id, "-o", "json"])
        .stdout_has("\\u001b[31mred\\u001b[0m");
    env.thread(["watch", &id, "-o", "jsonl"])
        .stdout_has("\\u001b]0;window title\\u0007");
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
    env.thread(["run", "t/hostile"])
        .code_is(1)
        .stderr_has("--step 'C:\\Windows'");
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

#[track_caller]
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
        let cmd = env.thread_cmd(["list", "--all", "-o", format]);
        let (status, err) = read_then_close(cmd, true);
        assert_quiet_exit(&format!("list -o {format}"), status, &err);
    }

    // result: 8 MB of output, streamed.
    let big = env.create(
        "demo/big",
        &["--input", r#"{"bytes": 8000000, "steps": 1}"#],
    );
    env.wait_for(&big, |t| t["status"] == "THREAD_STATUS_COMPLETED");
    let (status, err) = read_then_close(env.thread_cmd(["result", &big]), false);
    assert_quiet_exit("result", status, &err);

    // watch and run -o jsonl: a thread with events still to come. Quiet too, but not a
    // success: the thread has not ended (141, what a shell reports for SIGPIPE).
    // (At real speed demo/etl runs for seconds: it is still running when the pipe closes.)
    let env = TestEnv::with(|s| s.speed = 1.0);
    let long = env.create("demo/etl", &[]);
    for args in [
        vec!["watch", long.as_str(), "-o", "jsonl"],
        vec!["run", "demo/etl", "-o", "jsonl"],
    ] {
        let (status, err) = read_then_close(env.thread_cmd(&args), true);
        assert_eq!(status.code(), Some(141), "{args:?}: {status:?} {err}");
        assert!(
            !err.contains("error") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
    // Once the outcome is known, a closed stdout leaves its code: a failed thread's 1.
    let fail = env.finished("demo/fail", &[]);
    let (status, err) = read_then_close(env.thread_cmd(["watch", &fail, "-o", "jsonl"]), true);
    assert_eq!(status.code(), Some(1), "{err}");
}

// ---- read-only DIR and a full disk: a clear error naming the file, no partial files ----------

/// Set to 1 to skip the tests that need a user+mount namespace where none can be made (a
/// container without the privilege). Without it such a machine fails them: a skipped test must
/// be a decision, not an accident.
const SKIP_NAMESPACES: &str = "DODIL_TEST_SKIP_NAMESPACES";

/// Whether `unshare -Urm` works here. When it does not, the test fails, unless
/// [`SKIP_NAMESPACES`] is 1: then it says why on stderr and the caller returns.
#[track_caller]
pub(crate) fn namespaces_available(test: &str) -> bool {
    let why = match Command::new("unshare")
        .args(["-Urm", "true"])
        .stderr(Stdio::piped())
        .output()
    {
        Ok(out) if out.status.success() => return true,
        Ok(out) => format!(
            "`unshare -Urm true` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(err) => format!("cannot run `unshare`: {err}"),
    };
    if std::env::var_os(SKIP_NAMESPACES).is_some_and(|v| v == "1") {
        // Straight to the process's stderr: eprintln! would be captured with the test's output.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {why} ({SKIP_NAMESPACES}=1)"
        );
        return false;
    }
    panic!(
        "{test} needs a user+mount namespace and cannot make one: {why}. \
         Set {SKIP_NAMESPACES}=1 to skip it on such a machine."
    );
}

/// Runs dodil inside a private user+mount namespace where `mnt` is a 2 MiB tmpfs holding an
/// empty `out/` (read-only with `read_only`). Returns the run and every path left under the
/// tmpfs afterwards.
fn in_small_tmpfs(env: &TestEnv, read_only: bool, args: &[&str]) -> (Run, Vec<String>) {
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
    let run = env
        .program("unshare")
        .args(["-Urm", "sh", "-c", script, "sh", DODIL])
        .args(args)
        .arg(mnt.join("out"))
        .env("MNT", &mnt)
        .env("LISTING", &listing)
        .env("READ_ONLY", if read_only { "1" } else { "0" })
        .run();
    let left = std::fs::read_to_string(&listing)
        .unwrap_or_else(|_| panic!("the namespace script failed\n{run}"));
    (run, left.lines().map(str::to_string).collect())
}

fn finished_big(env: &TestEnv, bytes: u64) -> String {
    let input = format!(r#"{{"bytes": {bytes}, "steps": 2}}"#);
    let id = env.create("demo/big", &["--input", &input]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_COMPLETED");
    id
}

#[test]
fn saving_to_a_full_disk_names_the_file_and_leaves_no_partial_file() {
    if !namespaces_available("saving_to_a_full_disk_names_the_file_and_leaves_no_partial_file") {
        return;
    }
    let env = TestEnv::start();
    let id = finished_big(&env, 3_000_000); // more than the 2 MiB tmpfs holds
    let (run, left) = in_small_tmpfs(
        &env,
        false,
        &["scriptum", "thread", "result", &id, "--save"],
    );
    // A local failure to write the download: exit 7, naming the file and the reason.
    run.code_is(7)
        .stderr_has("output.json")
        .stderr_has("No space left on device")
        .stderr_lacks("panicked");
    assert!(
        !left
            .iter()
            .any(|p| p.ends_with("out/output.json") || p.contains(".part")),
        "no output.json, whole or partial: {left:?}"
    );
}

#[test]
fn saving_to_a_read_only_dir_is_a_clear_error_and_writes_nothing() {
    if !namespaces_available("saving_to_a_read_only_dir_is_a_clear_error_and_writes_nothing") {
        return;
    }
    let env = TestEnv::start();
    let id = finished_big(&env, 10_000);
    let (run, left) = in_small_tmpfs(&env, true, &["scriptum", "thread", "result", &id, "--save"]);
    run.code_is(2)
        .stderr_has("Read-only file system")
        .stderr_has("out")
        .stderr_lacks("panicked");
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

        env.thread(["list", "--endpoint", &endpoint])
            .code_is(6)
            .stderr_has("certificate")
            .stderr_has("hint: ")
            .stderr_has("--ca-cert");

        env.thread_cmd(["list", "--endpoint", &endpoint, "--ca-cert"])
            .arg(&ca)
            .run()
            .success();

        // The whole path works over TLS, including a stream.
        env.thread_cmd(["run", "demo/hello", "--endpoint", &endpoint])
            .env("DODIL_CA_CERT", &ca)
            .run()
            .success();

        // A certificate for another name is refused too, even with the CA trusted.
        env.thread_cmd([
            "list",
            "--endpoint",
            &format!("https://127.0.0.1:{port}"),
            "--ca-cert",
        ])
        .arg(&ca)
        .run()
        .code_is(6);
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
    env.program("sh")
        .args(["-c", r#"ulimit -n 256 && exec "$0" "$@""#, DODIL])
        .args(["scriptum", "thread", "result", &id, "--save"])
        .arg(&save)
        .run()
        .success();
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

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
/// (Not `a_watch_on_a_connection_gone_silent_gives_up_within_the_budget`: over HTTP/1.1 the
/// polls take a connection of their own beside the stalled watch, so they reach the end.)
mod over_http {
    use crate::support::over_http;

    #[test]
    fn a_refused_token_is_exit_5_with_a_hint_and_never_shown() {
        over_http(super::a_refused_token_is_exit_5_with_a_hint_and_never_shown);
    }

    #[test]
    fn a_wrong_organization_is_exit_5_with_a_hint_naming_the_org_flags() {
        over_http(super::a_wrong_organization_is_exit_5_with_a_hint_naming_the_org_flags);
    }

    #[test]
    fn calls_to_a_stalled_server_hit_their_deadline() {
        over_http(super::calls_to_a_stalled_server_hit_their_deadline);
    }

    #[test]
    fn a_result_stream_that_goes_silent_is_broken_off() {
        over_http(super::a_result_stream_that_goes_silent_is_broken_off);
    }

    #[test]
    fn polling_through_an_unavailable_get_thread_warns_once() {
        over_http(super::polling_through_an_unavailable_get_thread_warns_once);
    }

    #[test]
    fn a_closed_stdout_ends_list_result_and_watch_quietly() {
        over_http(super::a_closed_stdout_ends_list_result_and_watch_quietly);
    }

    #[test]
    fn hostile_text_is_escaped_for_people_and_verbatim_in_json() {
        over_http(super::hostile_text_is_escaped_for_people_and_verbatim_in_json);
    }
}
