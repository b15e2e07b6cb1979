//! The harness of the `cli` test binary, for the real `dodil` binary:
//! - [`TestEnv`]: a temp dir as the user's home and, unless offline, a dev server on
//!   127.0.0.1:0 in this process;
//! - one pinned environment ([`command::pin`]) for every command, run or spawned;
//! - [`Run`]: a finished command (exit code, stdout, stderr), displayed whole when an assertion
//!   fails, with `#[track_caller]` checks;
//! - `env.dodil([...])`, `env.scriptum([...])`, `env.thread([...])` to run a command in one line;
//! - [`redact::snapshot`]: a run as an insta snapshot shows it, with ids, ports, times,
//!   durations and hashes replaced by placeholders.
#![allow(dead_code)]

pub mod command;
pub mod gateway;
pub mod proxy;
pub mod redact;
mod run;
pub mod server;

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use dodil::devserver::{DevServer, ServerConfig};

/// A loopback port nothing listens on. Not one just freed from 127.0.0.1:0: another test's dev
/// server may take that one a moment later (and a refused call becomes exit 5). Port 1 lies
/// below the ephemeral range, so no test server is ever given it.
pub const CLOSED_PORT: u16 = 1;

pub use command::{interrupt, lines_until, pinned, wait_bounded, Execute, DODIL};
pub use redact::snapshot;
pub use run::{first_thread_id, Run};

/// Speed used by tests: demos finish in a fraction of a second.
pub const TEST_SPEED: f64 = 100.0;

/// How long a test waits for a condition (a status, a file, a line) before it fails.
pub const WAIT_LIMIT: Duration = Duration::from_secs(60);

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    /// `DODIL_TRANSPORT` for every command, when a scenario runs [`over_http`].
    pub transport: Option<&'static str>,
    /// The dev server's `http://127.0.0.1:PORT`; empty when offline.
    pub url: String,
    server: Option<(DevServer, tokio::runtime::Runtime)>,
}

impl TestEnv {
    /// A dev server with default settings at test speed.
    pub fn start() -> TestEnv {
        TestEnv::with(|_| {})
    }

    /// A dev server whose settings the caller adjusts (token, faults, ...).
    pub fn with(adjust: impl FnOnce(&mut ServerConfig)) -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = ServerConfig {
            speed: TEST_SPEED,
            ..ServerConfig::default()
        };
        adjust(&mut settings);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime
            .block_on(DevServer::start(([127, 0, 0, 1], 0).into(), settings))
            .expect("dev server starts");
        TestEnv {
            url: server.url(),
            transport: transport(),
            dir,
            server: Some((server, runtime)),
        }
    }

    /// A home and no server: for commands that need none, or an endpoint of their own.
    pub fn offline() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            transport: transport(),
            url: String::new(),
            server: None,
        }
    }

    /// The binary with the pinned environment and no endpoint (a profile or a flag may give
    /// one).
    pub fn bare_cmd(&self) -> Command {
        let mut cmd = pinned(DODIL, self.dir.path());
        if let Some(transport) = self.transport {
            cmd.env("DODIL_TRANSPORT", transport);
        }
        cmd
    }

    /// The binary pointed at this server (`DODIL_ENDPOINT`), in the pinned environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare_cmd();
        if !self.url.is_empty() {
            cmd.env("DODIL_ENDPOINT", &self.url);
        }
        cmd
    }

    /// Another program (a shell, `unshare`) in the pinned environment, pointed at this server.
    pub fn program(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = pinned(program, self.dir.path());
        if let Some(transport) = self.transport {
            cmd.env("DODIL_TRANSPORT", transport);
        }
        if !self.url.is_empty() {
            cmd.env("DODIL_ENDPOINT", &self.url);
        }
        cmd
    }

    /// `dodil ARGS...` against this server.
    #[track_caller]
    pub fn dodil<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd().args(args).run()
    }

    /// `dodil scriptum ARGS...` against this server.
    #[track_caller]
    pub fn scriptum<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.scriptum_cmd(args).run()
    }

    /// `dodil scriptum thread ARGS...` against this server.
    #[track_caller]
    pub fn thread<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.thread_cmd(args).run()
    }

    /// `dodil scriptum ARGS...`, to adjust (env, stdin) before running.
    pub fn scriptum_cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.cmd();
        cmd.arg("scriptum").args(args);
        cmd
    }

    /// `dodil scriptum thread ARGS...`, to adjust (env, stdin) before running.
    pub fn thread_cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.cmd();
        cmd.args(["scriptum", "thread"]).args(args);
        cmd
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `thread create SCRIPT [extra...]` and returns the id.
    #[track_caller]
    pub fn create(&self, script: &str, extra: &[&str]) -> String {
        let run = self.thread_cmd(["create", script]).args(extra).run();
        run.success();
        run.stdout.trim().to_string()
    }

    /// Polls `thread get -o json` until `done` says so (bounded by [`WAIT_LIMIT`], not a fixed
    /// sleep).
    #[track_caller]
    pub fn wait_for(
        &self,
        id: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = std::time::Instant::now() + WAIT_LIMIT;
        loop {
            let value = self.thread(["get", id, "-o", "json"]).success().json();
            if done(&value) {
                return value;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting on {id}: {value}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Creates a thread of `script` and waits for it to end (completed, failed or cancelled)
    /// or pause.
    #[track_caller]
    pub fn finished(&self, script: &str, extra: &[&str]) -> String {
        let id = self.create(script, extra);
        self.wait_for(&id, is_settled);
        id
    }
}

thread_local! {
    /// The transport the scenario running on this thread asks for ([`over_http`]).
    static TRANSPORT: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

fn transport() -> Option<&'static str> {
    TRANSPORT.with(std::cell::Cell::get)
}

/// Runs a scenario written for the default transport over the HTTP gateway instead: every
/// [`TestEnv`] it starts gives its commands `DODIL_TRANSPORT=http` (the dev server answers
/// both on one address). A test runs on a thread of its own, so this is the scenario's alone.
pub fn over_http(scenario: fn()) {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            TRANSPORT.with(|t| t.set(None));
        }
    }
    TRANSPORT.with(|t| t.set(Some("http")));
    let _reset = Reset;
    scenario();
}

/// A server listing a temp dir with a small JSON file and a 3 MB blob.
pub fn artifact_env(
    adjust: impl FnOnce(&mut dodil::devserver::ServerConfig),
) -> (TestEnv, tempfile::TempDir) {
    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("report.json"), br#"{"ok": true}"#).unwrap();
    let blob: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(files.path().join("blob.bin"), &blob).unwrap();
    let dir = files.path().to_path_buf();
    let env = TestEnv::with(move |s| {
        s.artifacts_dir = Some(dir);
        adjust(s);
    });
    (env, files)
}

/// Ended, or paused for `thread resume`.
pub fn is_settled(thread: &serde_json::Value) -> bool {
    matches!(
        thread["status"].as_str(),
        Some(
            "THREAD_STATUS_COMPLETED"
                | "THREAD_STATUS_FAILED"
                | "THREAD_STATUS_CANCELLED"
                | "THREAD_STATUS_PAUSED"
        )
    )
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some((server, runtime)) = self.server.take() {
            runtime.block_on(server.shutdown());
        }
    }
}
