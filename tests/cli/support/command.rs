//! The one pinned environment every test runs the binary in, and running a command to a [`Run`].

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::Run;

/// The binary under test.
pub const DODIL: &str = env!("CARGO_BIN_EXE_dodil");

/// How long one command may run before the test fails: generous, it only guards against hangs.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The terminal width the binary is told (clap wraps help to it).
pub const COLUMNS: &str = "100";

/// Whether an inherited variable is one a developer's shell may set to change what the binary
/// does: its own settings, the dev server's knobs, logging, and proxies (either case).
fn is_user_setting(key: &OsStr) -> bool {
    let key = key.to_string_lossy().to_ascii_uppercase();
    key.starts_with("DODIL_")
        || key.starts_with("SCRIPTUM_")
        || matches!(
            key.as_str(),
            "RUST_LOG" | "HTTPS_PROXY" | "HTTP_PROXY" | "ALL_PROXY" | "NO_PROXY"
        )
}

/// Pins `cmd`'s environment to `home`: nothing from the user's settings, config and data in
/// `home`, no colour, UTC, a fixed width, stdin closed. Every command of the suite starts here,
/// whether run to a [`Run`] or spawned by a test that drives its pipes.
///
/// No test reaches the user's keyring: tokens go to the file store (`DODIL_KEYRING=file`), and
/// a test that asks for the platform's store finds its session bus at a socket nobody serves.
pub fn pin<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    for (key, _) in std::env::vars_os() {
        if is_user_setting(&key) {
            cmd.env_remove(key);
        }
    }
    cmd.env("DODIL_KEYRING", "file")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", home.join("no-session-bus").display()),
        )
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("DODIL_CONFIG", home.join("config.yaml"))
        .env("DODIL_DATA_DIR", home.join("data"))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env("COLUMNS", COLUMNS)
        .stdin(Stdio::null())
}

/// `program` with the pinned environment of `home` (no endpoint).
pub fn pinned(program: impl AsRef<OsStr>, home: &Path) -> Command {
    let mut cmd = Command::new(program);
    pin(&mut cmd, home);
    cmd
}

/// Running a prepared command to its end, within [`TIMEOUT`].
pub trait Execute {
    /// Runs with stdin closed.
    fn run(&mut self) -> Run;
    /// Runs with `input` on stdin.
    fn run_with_stdin(&mut self, input: impl Into<Vec<u8>>) -> Run;
}

impl Execute for Command {
    #[track_caller]
    fn run(&mut self) -> Run {
        execute(self, Vec::new())
    }

    #[track_caller]
    fn run_with_stdin(&mut self, input: impl Into<Vec<u8>>) -> Run {
        execute(self, input.into())
    }
}

#[track_caller]
fn execute(cmd: &mut Command, input: Vec<u8>) -> Run {
    let command = describe(cmd);
    // assert_cmd brings the timeout (it kills the child there) and feeds stdin, then closes it
    // (always: a command reading stdin must not wait for the timeout). It takes the command
    // whole, so the caller's builder is left blank.
    let taken = std::mem::replace(cmd, Command::new(DODIL));
    let started = std::time::Instant::now();
    let out = assert_cmd::Command::from_std(taken)
        .timeout(TIMEOUT)
        .write_stdin(input)
        .output()
        .unwrap_or_else(|err| panic!("`{command}` could not be run: {err}"));
    let run = Run::new(command, out);
    if run.code.is_none() && started.elapsed() >= TIMEOUT {
        panic!("killed after the {TIMEOUT:?} timeout\n{run}");
    }
    run
}

/// `dodil scriptum thread get thr_x`: the program's file name and the arguments, shell-quoted
/// where needed.
pub fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .map(OsString::from)
        .unwrap_or_else(|| cmd.get_program().to_owned());
    std::iter::once(program.as_os_str())
        .chain(cmd.get_args())
        .map(|arg| quote(&arg.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Waits for a spawned child, killing it if it outlives `limit` (then the test fails). The
/// bound is generous: it guards against a hang, it is no performance claim.
#[track_caller]
pub fn wait_bounded(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends SIGINT (Ctrl-C) to a spawned child.
#[track_caller]
pub fn interrupt(child: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -INT {}", child.id());
}

/// A spawned child's stderr lines, read until one satisfies `until` (that one included), or to
/// the end: what a test waits on before it acts (no sleeps). `lines` goes on after it.
pub fn lines_until(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    until: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("a line of the child's stderr");
        let done = until(&line);
        seen.push(line);
        if done {
            break;
        }
    }
    seen
}
