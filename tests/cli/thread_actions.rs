//! `thread resume`, `cancel` and `artifacts` against the dev server.

use crate::support::{artifact_env, Execute, TestEnv};

fn paused(t: &serde_json::Value) -> bool {
    t["status"] == "THREAD_STATUS_PAUSED"
}

fn completed(t: &serde_json::Value) -> bool {
    t["status"] == "THREAD_STATUS_COMPLETED"
}

#[test]
fn resume_a_paused_thread_with_and_without_override() {
    let env = TestEnv::start();
    for input in [None, Some(r#"{"approved": true, "by": "ops"}"#)] {
        let id = env.create("demo/approval", &[]);
        env.wait_for(&id, paused);
        let mut cmd = env.thread_cmd(["resume", &id]);
        if let Some(input) = input {
            cmd.args(["--input", input]);
        }
        let run = cmd.run();
        assert_eq!(run.success().stdout.trim(), "running", "{run}");
        env.wait_for(&id, completed);
    }
}

#[test]
fn resume_refusals() {
    let env = TestEnv::start();
    let id = env.create("demo/hello", &[]);
    env.wait_for(&id, completed);
    env.thread(["resume", &id])
        .code_is(5)
        .stderr_has("it is completed");

    // Bad override input never reaches the server.
    env.thread(["resume", &id, "--input", "{nope"]).code_is(2);
}

#[test]
fn cancel_unimplemented_is_a_plain_message() {
    let env = TestEnv::start();
    let id = env.create("demo/etl", &[]);
    let run = env.thread(["cancel", &id]);
    run.code_is(5);
    assert_eq!(
        run.stderr.trim(),
        "error: cancelling is not available on this server yet",
        "{run}"
    );
}

#[test]
fn cancel_implemented_cancels() {
    let env = TestEnv::with(|s| {
        s.implement_cancel = true;
        s.speed = 1.0;
    });
    let id = env.create("demo/etl", &[]);
    let answer = env
        .thread(["cancel", &id, "--reason", "test", "-o", "json"])
        .success()
        .json();
    assert_eq!(answer["status"], "THREAD_STATUS_CANCELLED");
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_CANCELLED");
}

#[test]
fn artifacts_unimplemented_and_listed() {
    let env = TestEnv::start();
    let id = env.create("demo/hello", &[]);
    env.thread(["artifacts", &id])
        .code_is(5)
        .stderr_has("artifacts are not available on this server yet");

    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("report.json"), br#"{"ok": true}"#).unwrap();
    std::fs::write(files.path().join("notes.txt"), b"hello").unwrap();
    let dir = files.path().to_path_buf();
    let env = TestEnv::with(move |s| s.artifacts_dir = Some(dir));
    let id = env.create("demo/hello", &[]);
    let run = env.thread(["artifacts", &id]);
    run.success().stdout_has("report.json").stdout_has("5 B");
    assert!(run.stdout.starts_with("NAME"), "{run}");
    let list = env
        .thread(["artifacts", &id, "-o", "json"])
        .success()
        .json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list[0]["downloadUrl"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
}

#[test]
fn artifacts_download_whole_and_checked() {
    let (env, files) = artifact_env(|_| {});
    let id = env.create("demo/hello", &[]);
    let out_dir = env.path("artifacts");
    env.thread_cmd(["artifacts", &id, "--save"])
        .arg(&out_dir)
        .run()
        .success()
        .stderr_has("saved 2 of 2 artifacts");
    for name in ["report.json", "blob.bin"] {
        assert_eq!(
            std::fs::read(out_dir.join(name)).unwrap(),
            std::fs::read(files.path().join(name)).unwrap()
        );
    }
    // A second save into the same DIR is refused without --force, accepted with it.
    let again = |force: bool| {
        let mut cmd = env.thread_cmd(["artifacts", &id, "--save"]);
        cmd.arg(&out_dir);
        if force {
            cmd.arg("--force");
        }
        cmd.run()
    };
    again(false).code_is(2);
    again(true).success();
}

#[test]
fn artifact_whose_size_disagrees_is_exit_7_and_no_file() {
    let (env, _files) = artifact_env(|s| s.faults.artifact_size_mismatch = true);
    let id = env.create("demo/hello", &[]);
    let out_dir = env.path("artifacts");
    env.thread_cmd(["artifacts", &id, "--save"])
        .arg(&out_dir)
        .run()
        .code_is(7)
        .stderr_has("announced");
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert!(
        left.is_empty(),
        "no file, not even a temporary one: {left:?}"
    );
}

#[test]
fn artifact_body_past_its_size_is_stopped_exit_7_and_no_file() {
    // Announced 1000 bytes smaller than served: the download stops as soon as it runs past the
    // announced size (an endless body cannot fill the disk), and leaves no file.
    let (env, _files) = artifact_env(|s| s.faults.artifact_size_smaller = true);
    let id = env.create("demo/hello", &[]);
    let out_dir = env.path("artifacts");
    env.thread_cmd(["artifacts", &id, "--save"])
        .arg(&out_dir)
        .run()
        .code_is(7)
        .stderr_has("2 artifact(s) not saved")
        .stderr_has("ran past the 2999000 bytes the server announced");
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert!(
        left.is_empty(),
        "no file, not even a temporary one: {left:?}"
    );
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn resume_a_paused_thread_with_and_without_override() {
        over_http(super::resume_a_paused_thread_with_and_without_override);
    }

    #[test]
    fn resume_refusals() {
        over_http(super::resume_refusals);
    }

    #[test]
    fn cancel_unimplemented_is_a_plain_message() {
        over_http(super::cancel_unimplemented_is_a_plain_message);
    }

    #[test]
    fn cancel_implemented_cancels() {
        over_http(super::cancel_implemented_cancels);
    }

    #[test]
    fn artifacts_unimplemented_and_listed() {
        over_http(super::artifacts_unimplemented_and_listed);
    }
}
