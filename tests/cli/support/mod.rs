//! The harness of the `cli` test binary, for the real `dodil` binary: a dev server on
//! 127.0.0.1:0 in this process, and a `Command` with a pinned environment (no user config, no colour, UTC, a private data dir).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use dodil::devserver::{DevServer, Settings};

/// Speed used by tests: demos finish in a fraction of a second.
pub const TEST_SPEED: f64 = 100.0;

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub url: String,
    server: Option<DevServer>,
    runtime: tokio::runtime::Runtime,
}

impl TestEnv {
    /// A dev server with default settings at test speed.
    pub fn start() -> TestEnv {
        TestEnv::with(|_| {})
    }

    /// A dev server whose settings the caller adjusts (token, faults, ...).
    pub fn with(adjust: impl FnOnce(&mut Settings)) -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings {
            speed: TEST_SPEED,
            ..Settings::default()
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
            dir,
            server: Some(server),
            runtime,
        }
    }

    /// The real binary, pointed at this server, with nothing from the user's environment.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = bare_cmd(self.dir.path());
        cmd.env("DODIL_ENDPOINT", &self.url);
        cmd
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `thread create SCRIPT [extra...]` and returns the id.
    pub fn create(&self, script: &str, extra: &[&str]) -> String {
        let out = self
            .cmd()
            .args(["scriptum", "thread", "create", script])
            .args(extra)
            .output()
            .expect("run dodil");
        assert!(
            out.status.success(),
            "create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// Polls `thread get -o json` until `done` says so (bounded, not a fixed sleep).
    pub fn wait_for(
        &self,
        id: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let out = self
                .cmd()
                .args(["scriptum", "thread", "get", id, "-o", "json"])
                .output()
                .expect("run dodil");
            let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
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
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// The binary with a pinned environment and no endpoint.
pub fn bare_cmd(home: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_dodil"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("DODIL_") || key.starts_with("SCRIPTUM_") || key == "RUST_LOG" {
            cmd.env_remove(&key);
        }
    }
    cmd.env("DODIL_CONFIG", home.join("config.yaml"))
        .env("DODIL_DATA_DIR", home.join("data"))
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .timeout(Duration::from_secs(120));
    cmd
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
