//! The config file matters only to commands that call the service: a broken one must not break
//! the commands that need none of it.

use std::io::BufRead;
use std::process::Stdio;
use std::time::Duration;

use crate::support::{interrupt, wait_bounded, TestEnv};

fn with_broken_config() -> TestEnv {
    let env = TestEnv::offline();
    std::fs::write(env.path("config.yaml"), "profiles: [broken\n").unwrap();
    env
}

#[test]
fn a_malformed_config_breaks_only_the_commands_that_read_it() {
    let env = with_broken_config();
    env.dodil(["completions", "bash"]).success();
    env.dodil(["man"]).success();
    env.thread(["list"])
        .code_is(2)
        .stderr_has("malformed config file")
        .stderr_has("hint: fix the file, or point DODIL_CONFIG at another one");
}

#[test]
fn a_malformed_config_does_not_stop_the_dev_server() {
    let env = with_broken_config();
    let mut child = env
        .bare_cmd()
        .args(["scriptum", "dev-server", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the dev server");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let first = rx.recv_timeout(Duration::from_secs(60));
    interrupt(&child);
    wait_bounded(&mut child, Duration::from_secs(60));
    let first = first.expect("the dev server printed its address");
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first:?}"
    );
}
