//! `dodil auth login | status | logout`: a token read from stdin, kept in keyring-core's
//! file-backed sample store (the keyring code path, `DODIL_KEYRING=sample`) or in the 0600
//! fallback file, used by every command for the endpoint it was stored for, and never shown.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{Execute, Run, TestEnv};

const TOKEN: &str = "tok-Auth-5ecret-42";

fn server() -> TestEnv {
    TestEnv::with(|s| s.token = Some(TOKEN.into()))
}

/// `dodil ARGS...` against `env`'s server with the given store.
fn cmd(env: &TestEnv, store: &str, args: &[&str]) -> Command {
    let mut cmd = env.cmd();
    cmd.env("DODIL_KEYRING", store).args(args);
    cmd
}

#[track_caller]
fn login(env: &TestEnv, store: &str, token: &str) -> Run {
    let run =
        cmd(env, store, &["auth", "login", "--with-token"]).run_with_stdin(format!("{token}\n"));
    assert_no_token(&run, token);
    run
}

#[track_caller]
fn assert_no_token(run: &Run, token: &str) {
    assert!(
        !run.stdout.contains(token) && !run.stderr.contains(token),
        "the token leaked: {run}"
    );
}

fn credentials(env: &TestEnv) -> PathBuf {
    env.path(".config/dodil/credentials")
}

/// The fallback file of the default profile for `env`'s server.
fn token_file(env: &TestEnv) -> PathBuf {
    let authority = env.url.trim_start_matches("http://").replace(':', "%3A");
    credentials(env).join(format!("default@{authority}.token"))
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn login_through_the_keyring_then_status_then_logout() {
    let env = server();
    env.thread(["list"]).code_is(5);

    login(&env, "sample", TOKEN)
        .success()
        .stderr_has("signed in to")
        .stderr_has("in the keyring (service dodil, user default@127.0.0.1:");
    assert!(credentials(&env).join("sample-keyring.ron").exists());
    assert!(
        !token_file(&env).exists(),
        "no fallback file when the keyring answers"
    );

    let run = cmd(&env, "sample", &["scriptum", "thread", "list", "-v"]).run();
    run.success()
        .stderr_has("bearer token <redacted> from the keyring");
    assert_no_token(&run, TOKEN);

    let run = cmd(&env, "sample", &["auth", "status"]).run();
    run.success()
        .stdout_has("from the keyring (service dodil, user default@127.0.0.1:")
        .stdout_has("accepts the token");
    assert_no_token(&run, TOKEN);
    let report = cmd(&env, "sample", &["auth", "status", "-o", "json"])
        .run()
        .success()
        .json();
    assert_eq!(report["token"]["source"], "keyring");
    assert_eq!(report["server"], "accepted");
    assert_eq!(report["endpoint"], env.url.as_str());
    assert_eq!(report["profile"], "default");

    cmd(&env, "sample", &["auth", "logout"])
        .run()
        .success()
        .stderr_has("removed the keyring entry (service dodil, user default@127.0.0.1:");
    cmd(&env, "sample", &["scriptum", "thread", "list"])
        .run()
        .code_is(5)
        .stderr_has("UNAUTHENTICATED")
        .stderr_has("dodil auth login");
    // Idempotent: nothing stored is said, and is no failure.
    cmd(&env, "sample", &["auth", "logout"])
        .run()
        .success()
        .stderr_has("no token was stored for default@127.0.0.1:");
    let report = cmd(&env, "sample", &["auth", "status", "-o", "json"])
        .run()
        .code_is(5)
        .json();
    assert_eq!(report["token"]["source"], "none");
    assert_eq!(report["server"], "rejected");
}

#[cfg(unix)]
#[test]
fn the_fallback_file_is_0600_in_a_0700_dir_and_is_used() {
    let env = server();
    login(&env, "file", TOKEN)
        .success()
        .stderr_has("the token is in ");
    let file = token_file(&env);
    assert_eq!(mode(&file), 0o600, "{}", file.display());
    assert_eq!(mode(&credentials(&env)), 0o700);
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), TOKEN);

    env.thread(["list", "-v"])
        .success()
        .stderr_has("from the stored token file");
    let report = env.dodil(["auth", "status", "-o", "json"]).success().json();
    assert_eq!(report["token"]["source"], "fallback-file");
    assert_eq!(report["token"]["location"], file.to_str().unwrap());

    // Logging in again replaces the file whole, still 0600; a wrong token is then rejected.
    login(&env, "file", "not-the-token").success();
    assert_eq!(mode(&file), 0o600);
    let run = env.dodil(["auth", "status"]);
    run.code_is(5)
        .stdout_has("rejects the token (UNAUTHENTICATED)")
        .stderr_has("the server rejected the token from ")
        .stderr_has("hint: sign in again with `dodil auth login`");
    assert_no_token(&run, "not-the-token");

    env.dodil(["auth", "logout"])
        .success()
        .stderr_has("removed ")
        .stderr_has(".token");
    assert!(!file.exists());
    env.thread(["list"]).code_is(5);
}

/// No session bus (the socket `pin` names does not exist): the platform's store fails at once
/// and the token lands in the file, saying so.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
#[test]
fn without_a_session_bus_login_falls_back_to_the_file_at_once() {
    let env = server();
    let started = Instant::now();
    let run = cmd(&env, "os", &["auth", "login", "--with-token"]).run_with_stdin(TOKEN);
    let took = started.elapsed();
    run.success()
        .stderr_has("warning: no keyring answered (")
        .stderr_has("(mode 0600) instead");
    assert_no_token(&run, TOKEN);
    eprintln!("auth login without a session bus took {took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert_eq!(mode(&token_file(&env)), 0o600);
    cmd(&env, "os", &["scriptum", "thread", "list"])
        .run()
        .success();
}

/// A session bus that takes the connection and never answers (as a headless one can): each
/// keyring call is given up after 3 s, and the token lands in the file. Later commands do not
/// wait on that keyring again: nothing of theirs is in it.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
#[test]
fn a_keyring_that_never_answers_is_given_up_on_after_3_s() {
    let env = server();
    let socket = env.path("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let bus = format!("unix:path={}", socket.display());

    let started = Instant::now();
    let run = cmd(&env, "os", &["auth", "login", "--with-token"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .run_with_stdin(TOKEN);
    let took = started.elapsed();
    run.success()
        .stderr_has("no keyring answered (no answer within 3 s)");
    eprintln!("auth login against a silent bus took {took:?}");
    assert!(took >= Duration::from_secs(3), "{took:?}");
    assert!(took < Duration::from_secs(60), "{took:?}");

    let run = cmd(&env, "os", &["scriptum", "thread", "list"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .run();
    run.success().stderr_lacks("keyring");
}

#[test]
fn a_token_on_the_command_line_is_refused_and_not_repeated() {
    let env = server();
    let secret = "argv-tok-9f3e1d";
    for args in [
        vec!["auth", "login", secret],
        vec!["auth", "login", "--with-token", secret],
        vec!["auth", "login", "--token", secret],
        vec!["auth", "login", &format!("--token={secret}")],
        vec!["auth", secret],
        vec!["--token", secret, "auth", "login"],
    ] {
        let run = cmd(&env, "file", &args).run_with_stdin(format!("{TOKEN}\n"));
        run.code_is(2);
        assert_no_token(&run, secret);
    }
    assert!(!credentials(&env).exists(), "nothing was stored");
}

#[test]
fn an_empty_or_unsendable_token_is_exit_2() {
    let env = server();
    for (stdin, says) in [
        ("", "no token was given on stdin"),
        ("\n", "no token was given on stdin"),
        ("   \nsecond-line-token\n", "no token was given on stdin"),
        ("two words\n", "a header"),
    ] {
        let run = cmd(&env, "file", &["auth", "login", "--with-token"]).run_with_stdin(stdin);
        run.code_is(2).stderr_has(says).stderr_lacks("two words");
    }
    // Without --with-token, a stdin that is not a terminal is read all the same.
    cmd(&env, "file", &["auth", "login"])
        .run_with_stdin(format!("{TOKEN}\n"))
        .success();
    env.thread(["list"]).success();
}

#[test]
fn precedence_is_dodil_token_then_token_file_then_stored_then_profile() {
    let env = server();
    let right = env.path("right.token");
    let wrong = env.path("wrong.token");
    std::fs::write(&right, format!("{TOKEN}\n")).unwrap();
    std::fs::write(&wrong, "wrong-token\n").unwrap();
    std::fs::write(
        env.path("config.yaml"),
        format!(
            "default_profile: dev\nprofiles:\n  dev:\n    token_file: {}\n",
            wrong.display()
        ),
    )
    .unwrap();
    let status = |cmd: &mut Command| cmd.args(["auth", "status", "-o", "json"]).run();

    // The profile's token_file, with nothing stored: it is used (and wrong).
    let report = status(&mut env.cmd()).code_is(5).json();
    assert_eq!(report["token"]["source"], "profile");
    assert_eq!(report["profile"], "dev");

    // The stored token comes before the profile's.
    login(&env, "file", TOKEN).success();
    let report = status(&mut env.cmd()).success().json();
    assert_eq!(report["token"]["source"], "fallback-file");

    // --token-file comes before the stored token.
    let mut with_file = env.cmd();
    with_file.arg("--token-file").arg(&wrong);
    let report = status(&mut with_file).code_is(5).json();
    assert_eq!(report["token"]["source"], "token-file");

    // DODIL_TOKEN comes before --token-file (which is then not read, and said so).
    let mut with_both = env.cmd();
    with_both
        .arg("--token-file")
        .arg(env.path("absent.token"))
        .env("DODIL_TOKEN", TOKEN);
    let run = status(&mut with_both);
    run.success()
        .stderr_has("DODIL_TOKEN is set, so --token-file");
    assert_eq!(run.json()["token"]["source"], "environment");
    let mut wrong_env = env.cmd();
    wrong_env
        .arg("--token-file")
        .arg(&right)
        .env("DODIL_TOKEN", "wrong-token");
    status(&mut wrong_env)
        .code_is(5)
        .stderr_has("the server rejected the token in DODIL_TOKEN");
}

#[test]
fn a_stored_token_is_sent_only_to_the_host_and_profile_it_was_stored_for() {
    let a = server();
    let b = server();
    // One home for both: the token stored for A's address is there when B is called.
    login(&a, "file", TOKEN).success();
    a.thread(["list"]).success();

    let run = a
        .thread_cmd(["list", "-v"])
        .env("DODIL_ENDPOINT", &b.url)
        .run();
    run.code_is(5)
        .stderr_has("no token")
        .stderr_has("UNAUTHENTICATED");

    // Another profile on the same endpoint has nothing stored either.
    std::fs::write(a.path("config.yaml"), "profiles:\n  other: {}\n").unwrap();
    a.thread_cmd(["list", "-v", "--profile", "other"])
        .run()
        .code_is(5)
        .stderr_has("no token");
    let report = a
        .cmd()
        .args(["--profile", "other", "auth", "status", "-o", "json"])
        .env("DODIL_ENDPOINT", &a.url)
        .run()
        .code_is(5)
        .json();
    assert_eq!(report["token"]["source"], "none");
}

#[test]
fn embedded_needs_no_stored_token_and_dodil_token_is_warned_about() {
    let env = TestEnv::offline();
    env.dodil(["--endpoint", "embedded", "auth", "login", "--with-token"])
        .code_is(2)
        .stderr_has("the embedded dev server is never given a stored token")
        .stderr_has("hint: ");
    let report = env
        .dodil(["--endpoint", "embedded", "auth", "status", "-o", "json"])
        .success()
        .json();
    assert_eq!(report["token"]["source"], "none");
    assert_eq!(report["server"], "accepted");
    env.dodil(["--endpoint", "embedded", "auth", "logout"])
        .success()
        .stderr_has("nothing to forget");

    let env = server();
    let run = env
        .cmd()
        .args(["auth", "login", "--with-token"])
        .env("DODIL_TOKEN", "env-tok-77")
        .run_with_stdin(TOKEN);
    run.success()
        .stderr_has("DODIL_TOKEN is set: commands use it");
    assert_no_token(&run, "env-tok-77");
    env.dodil(["auth", "login", "--with-token", "--token-file", "x"])
        .code_is(2)
        .stderr_has("not --token-file");
}

#[test]
fn status_of_an_unreachable_server_is_exit_6() {
    let env = TestEnv::offline();
    let endpoint = format!("http://127.0.0.1:{}", crate::support::CLOSED_PORT);
    let run = env.dodil(["--endpoint", &endpoint, "auth", "status", "-o", "json"]);
    run.code_is(6);
    assert_eq!(run.json()["server"], "unreachable");
}
