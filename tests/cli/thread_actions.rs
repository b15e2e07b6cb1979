//! `thread resume`, `cancel` and `artifacts` against the dev server.

use crate::support::{stderr, stdout, TestEnv};

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
        let mut cmd = env.cmd();
        cmd.args(["scriptum", "thread", "resume", &id]);
        if let Some(input) = input {
            cmd.args(["--input", input]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out).trim(), "running");
        env.wait_for(&id, completed);
    }
}

#[test]
fn resume_refusals() {
    let env = TestEnv::start();
    let id = env.create("demo/hello", &[]);
    env.wait_for(&id, completed);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "resume", &id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("it is completed"), "{}", stderr(&out));

    // Bad override input never reaches the server.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "resume", &id, "--input", "{nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cancel_unimplemented_is_a_plain_message() {
    let env = TestEnv::start();
    let id = env.create("demo/etl", &[]);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "cancel", &id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(
        stderr(&out).trim(),
        "error: cancelling is not available on this server yet"
    );
}

#[test]
fn cancel_implemented_cancels() {
    let env = TestEnv::with(|s| {
        s.implement_cancel = true;
        s.speed = 1.0;
    });
    let id = env.create("demo/etl", &[]);
    let out = env
        .cmd()
        .args([
            "scriptum", "thread", "cancel", &id, "--reason", "test", "-o", "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["status"], "THREAD_STATUS_CANCELLED");
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_CANCELLED");
}

#[test]
fn artifacts_unimplemented_and_listed() {
    let env = TestEnv::start();
    let id = env.create("demo/hello", &[]);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "artifacts", &id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("artifacts are not available on this server yet"));

    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("report.json"), br#"{"ok": true}"#).unwrap();
    std::fs::write(files.path().join("notes.txt"), b"hello").unwrap();
    let dir = files.path().to_path_buf();
    let env = TestEnv::with(move |s| s.artifacts_dir = Some(dir));
    let id = env.create("demo/hello", &[]);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "artifacts", &id])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.starts_with("NAME") && table.contains("report.json") && table.contains("5 B"),
        "{table}"
    );
    let out = env
        .cmd()
        .args(["scriptum", "thread", "artifacts", &id, "-o", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list[0]["downloadUrl"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
}

fn artifact_env(
    adjust: impl FnOnce(&mut dodil::devserver::Settings),
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

#[test]
fn artifacts_download_whole_and_checked() {
    let (env, files) = artifact_env(|_| {});
    let id = env.create("demo/hello", &[]);
    let out_dir = env.path("artifacts");
    let out = env
        .cmd()
        .args(["scriptum", "thread", "artifacts", &id, "--save"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("saved 2 of 2 artifacts"),
        "{}",
        stderr(&out)
    );
    for name in ["report.json", "blob.bin"] {
        assert_eq!(
            std::fs::read(out_dir.join(name)).unwrap(),
            std::fs::read(files.path().join(name)).unwrap()
        );
    }
    // A second save into the same DIR is refused without --force, accepted with it.
    let again = |force: bool| {
        let mut cmd = env.cmd();
        cmd.args(["scriptum", "thread", "artifacts", &id, "--save"])
            .arg(&out_dir);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!(again(false), Some(2));
    assert_eq!(again(true), Some(0));
}

#[test]
fn artifact_whose_size_disagrees_is_exit_7_and_no_file() {
    let (env, _files) = artifact_env(|s| s.faults.artifact_size_mismatch = true);
    let id = env.create("demo/hello", &[]);
    let out_dir = env.path("artifacts");
    let out = env
        .cmd()
        .args(["scriptum", "thread", "artifacts", &id, "--save"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("announced"), "{}", stderr(&out));
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
    let out = env
        .cmd()
        .args(["scriptum", "thread", "artifacts", &id, "--save"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(err.contains("2 artifact(s) not saved"), "{err}");
    assert!(
        err.contains("ran past the 2999000 bytes the server announced"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert!(
        left.is_empty(),
        "no file, not even a temporary one: {left:?}"
    );
}
