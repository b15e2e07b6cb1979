//! `scriptum verify DIR`: a saved result checked against its own summary.json, later.

use std::path::Path;

use crate::support::{snapshot, TestEnv};

/// A finished demo/etl (nested steps, yields, a streamed output) saved into `saved/`.
fn saved(env: &TestEnv) -> std::path::PathBuf {
    let id = env.finished("demo/etl", &[]);
    let dir = env.path("saved");
    env.thread(["result", &id, "--save", dir.to_str().unwrap()])
        .success();
    dir
}

fn verify(env: &TestEnv, dir: &Path, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["verify", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.scriptum(args)
}

#[test]
fn an_untouched_save_verifies() {
    let env = TestEnv::start();
    let dir = saved(&env);
    let run = verify(&env, &dir, &[]);
    run.success()
        .stderr_has("all ")
        .stderr_has("files match summary.json");
    assert_eq!(run.stdout, "", "{run}");
    let report = verify(&env, &dir, &["-o", "json"]).success().json();
    assert_eq!(report["ok"], true);
    assert_eq!(report["problems"], 0);
    let listed = report["listed"].as_u64().unwrap();
    assert!(listed > 10, "{report}");
    assert_eq!(report["files"].as_array().unwrap().len() as u64, listed);
}

#[test]
fn a_changed_missing_or_extra_file_is_exit_7_naming_each() {
    let env = TestEnv::start();
    let dir = saved(&env);
    // Same size, one byte different: only the hash can tell.
    let output = dir.join("steps/1.0.1/output.json");
    let mut bytes = std::fs::read(&output).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&output, bytes).unwrap();
    std::fs::remove_file(dir.join("yields.jsonl")).unwrap();
    std::fs::write(dir.join("steps/2/notes.txt"), "mine").unwrap();

    let run = verify(&env, &dir, &[]);
    run.code_is(7);
    insta::assert_snapshot!("verify_problems", snapshot(&run));

    let report = verify(&env, &dir, &["-o", "json"]).code_is(7).json();
    let state = |path: &str| {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .map(|f| f["state"].as_str().unwrap().to_string())
    };
    assert_eq!(state("steps/1.0.1/output.json").as_deref(), Some("changed"));
    assert_eq!(state("yields.jsonl").as_deref(), Some("missing"));
    assert_eq!(state("steps/2/notes.txt").as_deref(), Some("extra"));
    assert_eq!(state("output.json").as_deref(), Some("ok"));
    assert_eq!(report["problems"], 3);
}

#[test]
fn a_summary_that_points_outside_dir_is_never_followed() {
    let env = TestEnv::offline();
    let dir = env.path("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(env.path("secret"), "top secret").unwrap();
    let summary = serde_json::json!({
        "files": [{"path": "../secret", "bytes": 10, "sha256": "00"}]
    });
    std::fs::write(dir.join("summary.json"), summary.to_string()).unwrap();
    let report = verify(&env, &dir, &["-o", "json"]).code_is(7).json();
    let file = &report["files"][0];
    assert_eq!(file["state"], "unsafe", "{report}");
    assert!(file.get("sha256").is_none(), "it was opened: {report}");
}

#[test]
fn a_dir_without_a_summary_is_exit_2_with_a_hint() {
    let env = TestEnv::offline();
    let dir = env.path("empty");
    std::fs::create_dir_all(&dir).unwrap();
    verify(&env, &dir, &[])
        .code_is(2)
        .stderr_has("summary.json")
        .stderr_has("hint: verify takes a directory written by --save");
    std::fs::write(dir.join("summary.json"), "{\"not\": \"ours\"}").unwrap();
    verify(&env, &dir, &[])
        .code_is(2)
        .stderr_has("is not a summary.json written by --save");
}
