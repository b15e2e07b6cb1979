//! `dodil scriptum dev-server` run as its own process (for what only the standalone server
//! does: `--tls`, its stdout lines), stopped when dropped.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;

use super::{TestEnv, WAIT_LIMIT};

pub struct ServerProcess {
    child: Child,
    /// `https://127.0.0.1:PORT` (or `http://`), from the first stdout line.
    pub url: String,
    pub port: u16,
    /// From the second line, `ca certificate: PATH`, when the server printed one.
    pub ca: Option<PathBuf>,
}

impl ServerProcess {
    /// Starts `dodil scriptum dev-server --listen 127.0.0.1:0 --speed 100 ARGS...` in `env`'s
    /// pinned environment and reads its first lines (two when `ARGS` has `--tls`).
    #[track_caller]
    pub fn start(env: &TestEnv, args: &[&str]) -> ServerProcess {
        let mut child = env
            .bare_cmd()
            .args([
                "scriptum",
                "dev-server",
                "--listen",
                "127.0.0.1:0",
                "--speed",
                "100",
            ])
            .args(args)
            .stdout(Stdio::piped())
            // Not read: a piped stderr would fill and stall the server's call log.
            .stderr(Stdio::null())
            .spawn()
            .expect("start the dev server");
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        let next = || {
            lines
                .recv_timeout(WAIT_LIMIT)
                .unwrap_or_else(|_| panic!("the dev server printed no line within {WAIT_LIMIT:?}"))
        };
        let first = next();
        let url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {first:?}"))
            .to_string();
        let port = url.rsplit(':').next().unwrap().parse().unwrap();
        let generated = args.contains(&"--tls") && !args.contains(&"--tls-cert");
        let ca = generated.then(|| {
            let second = next();
            PathBuf::from(
                second
                    .strip_prefix("ca certificate: ")
                    .unwrap_or_else(|| panic!("second line: {second:?}")),
            )
        });
        ServerProcess {
            child,
            url,
            port,
            ca,
        }
    }
}

impl Drop for ServerProcess {
    /// SIGTERM, as a user's Ctrl-C would (so an ephemeral server removes its CA's temp dir),
    /// then SIGKILL if it is still there after the wait limit.
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + WAIT_LIMIT;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
