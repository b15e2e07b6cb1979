//! `thread result`, `thread steps` and `--save`: the real binary against the dev server, including
//! its chunk fault switches and hostile step paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{stderr, stdout, TestEnv};
use dodil::devserver::Faults;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The unary cap of the dev server (and, roughly, of the real service).
const CAP: u64 = 4 * 1024 * 1024;

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a thread and waits for it to end.
fn finished(env: &TestEnv, script: &str, input: Option<&str>) -> String {
    let extra: Vec<&str> = match input {
        Some(json) => vec!["--input", json],
        None => vec![],
    };
    let id = env.create(script, &extra);
    env.wait_for(&id, |t| {
        matches!(
            t["status"].as_str(),
            Some("THREAD_STATUS_COMPLETED" | "THREAD_STATUS_FAILED" | "THREAD_STATUS_CANCELLED")
        )
    });
    id
}

fn big(env: &TestEnv, bytes: u64) -> String {
    finished(
        env,
        "demo/big",
        Some(&format!(r#"{{"bytes": {bytes}, "steps": 2}}"#)),
    )
}

fn result(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(["scriptum", "thread", "result"])
        .args(args)
        .output()
        .unwrap()
}

/// `thread result ID --save DIR` with the stream's chunks asked to be `chunk_bytes` long.
fn save_in_chunks(env: &TestEnv, id: &str, dir: &Path, chunk_bytes: &str) -> std::process::Output {
    env.cmd()
        .env("DODIL_RESULT_CHUNK_BYTES", chunk_bytes)
        .args(["scriptum", "thread", "result", id, "--save"])
        .arg(dir)
        .output()
        .unwrap()
}

fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).expect("summary.json")).unwrap()
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, out);
            } else {
                out.insert(
                    path.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut out = BTreeSet::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// Every file in summary.json exists with that size and sha256, and no temp file is left.
fn verify_saved(dir: &Path) -> Value {
    let summary = summary(dir);
    for file in summary["files"].as_array().unwrap() {
        let path = dir.join(file["path"].as_str().unwrap());
        let data = std::fs::read(&path).unwrap_or_else(|_| panic!("{path:?} listed but missing"));
        assert_eq!(
            data.len() as u64,
            file["bytes"].as_u64().unwrap(),
            "{path:?}"
        );
        assert_eq!(
            sha256_hex(&data),
            file["sha256"].as_str().unwrap(),
            "{path:?}"
        );
    }
    assert_no_temp_files(dir);
    summary
}

fn assert_no_temp_files(dir: &Path) {
    let temps: Vec<String> = tree(dir)
        .into_iter()
        .filter(|p| p.contains(".dodil-"))
        .collect();
    assert!(temps.is_empty(), "temp files left: {temps:?}");
}

#[test]
fn small_output_comes_from_the_unary_call_alone() {
    let env = TestEnv::start();
    let id = finished(&env, "demo/hello", None);
    let out = result(&env, &["-v", &id]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), r#"{"message":"hello, world","steps":2}"#);
    assert!(stderr(&out).contains("GetThreadResult: OK"));
    assert!(
        !stderr(&out).contains("StreamThreadResult"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("completed"), "{}", stderr(&out));

    let dir = env.path("hello");
    let out = result(&env, &[&id, "--save", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["streamed"], false);
    assert_eq!(
        std::fs::read(dir.join("output.json")).unwrap(),
        br#"{"message":"hello, world","steps":2}"#
    );
    assert!(stderr(&out).contains("saved "), "{}", stderr(&out));
    assert!(stderr(&out).contains("output.json"), "{}", stderr(&out));

    let out = result(&env, &[&id, "-o", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["outputData"]["message"], "hello, world");
    assert_eq!(doc["status"], "THREAD_STATUS_COMPLETED");
}

#[test]
fn output_just_over_the_cap_is_streamed_whole_and_stdout_matches_the_file() {
    let env = TestEnv::start();
    let id = big(&env, CAP + 1);
    let piped = result(&env, &["-v", &id]);
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(
        stderr(&piped).contains("StreamThreadResult"),
        "{}",
        stderr(&piped)
    );
    assert_eq!(piped.stdout.len() as u64, CAP + 1);

    let dir = env.path("big");
    let out = result(&env, &[&id, "--save", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = std::fs::read(dir.join("output.json")).unwrap();
    assert_eq!(file, piped.stdout, "stdout and output.json differ");
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["streamed"], true);
    assert_eq!(summary["output"]["bytes"], CAP + 1);
    assert_eq!(summary["output"]["sha256"], sha256_hex(&file));
    assert_eq!(summary["complete"], true);
    // The bytes are the JSON string demo/big promises.
    let value: Value = serde_json::from_slice(&file).unwrap();
    assert!(value.is_string());
    // The save's own stdout carries the same bytes too.
    assert_eq!(out.stdout, file);
}

#[test]
fn many_small_chunks_reassemble_exactly() {
    let env = TestEnv::start();
    let id = big(&env, CAP + 100_000);
    let dir = env.path("chunks");
    let out = env
        .cmd()
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .args(["-v", "scriptum", "thread", "result", &id, "--save"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // 65 KiB chunks: at least 64 messages.
    let messages = stderr(&out)
        .lines()
        .find(|l| l.starts_with("StreamThreadResult: stream ended after"))
        .map(str::to_string)
        .expect("stream log line");
    let count: u64 = messages.split_whitespace().nth(4).unwrap().parse().unwrap();
    assert!(count > 64, "{messages}");
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["bytes"], CAP + 100_000);
    let piped = env
        .cmd()
        .args(["scriptum", "thread", "result", &id])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read(dir.join("output.json")).unwrap(),
        piped.stdout
    );
}

#[test]
fn every_chunk_fault_is_exit_7_with_no_output_file() {
    let faults = [
        "chunk-skip=1",
        "chunk-repeat=1",
        "chunk-reorder=1",
        "chunk-short=1",
        "chunk-no-final",
        "chunk-extra",
        "meta-total-mismatch",
        "result-total-mismatch",
    ];
    for fault in faults {
        let env = TestEnv::with(|s| s.faults = Faults::parse(fault).unwrap());
        let id = big(&env, CAP + 300_000);
        let dir = env.path("out");
        let out = save_in_chunks(&env, &id, &dir, "1048576");
        assert_eq!(out.status.code(), Some(7), "{fault}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("error: thread output"),
            "{fault}: {}",
            stderr(&out)
        );
        assert!(
            !dir.join("output.json").exists(),
            "{fault}: output.json written"
        );
        let summary = verify_saved(&dir);
        assert_eq!(summary["complete"], false, "{fault}");
        assert!(summary["output"].is_null(), "{fault}");
        assert!(!summary["errors"].as_array().unwrap().is_empty(), "{fault}");

        // Without --save the same fault is exit 7 too.
        let out = env
            .cmd()
            .env("DODIL_RESULT_CHUNK_BYTES", "1048576")
            .args(["scriptum", "thread", "result", &id])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(7),
            "{fault} (stdout): {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_stream_broken_mid_way_is_retried_once_and_every_byte_arrives_once() {
    // 256 KiB chunks, broken after chunk 6: 1.75 MiB delivered (and hashed off-thread) first.
    let env = TestEnv::with(|s| s.faults = Faults::parse("output-break=6").unwrap());
    let id = big(&env, CAP + 300_000);
    let dir = env.path("retried");
    let out = save_in_chunks(&env, &id, &dir, "262144");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("retrying once from the start"),
        "{}",
        stderr(&out)
    );
    let file = std::fs::read(dir.join("output.json")).unwrap();
    assert_eq!(file.len() as u64, CAP + 300_000);
    assert!(serde_json::from_slice::<Value>(&file).unwrap().is_string());
    // stdout (piped) saw each byte once, though the second stream replayed the first 1.75 MiB.
    assert_eq!(out.stdout, file, "stdout and output.json differ");
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["sha256"], sha256_hex(&file));
    assert_eq!(summary["complete"], true);
}

#[test]
fn a_stream_that_breaks_twice_is_exit_7_with_no_output_file() {
    let env = TestEnv::with(|s| s.faults = Faults::parse("output-break=6:2").unwrap());
    let id = big(&env, CAP + 300_000);
    let dir = env.path("broken");
    let out = save_in_chunks(&env, &id, &dir, "262144");
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the retry broke too"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("output.json").exists(), "{:?}", tree(&dir));
    assert_eq!(verify_saved(&dir)["complete"], false);
}

#[test]
fn step_chunk_faults_leave_no_step_files() {
    // demo/etl's step 3 has a 300 kB output, chunked by StreamStepResult.
    let env = TestEnv::with(|s| s.faults = Faults::parse("chunk-skip=1").unwrap());
    let id = finished(&env, "demo/etl", None);
    let dir = env.path("etl");
    let out = env
        .cmd()
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .args(["scriptum", "thread", "steps", &id, "--detail", "--save"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("step \"3\" output"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("steps").exists(), "{:?}", tree(&dir));
}

#[test]
fn hostile_step_paths_never_write_outside_dir() {
    let env = TestEnv::with(|s| s.faults = Faults::parse("hostile-names").unwrap());
    let id = finished(&env, "demo/etl", None);
    let base = env.path("jail");
    std::fs::create_dir_all(&base).unwrap();
    let dir = base.join("out");
    let before = tree(env.dir.path());
    let out = result(&env, &[&id, "--save", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = tree(env.dir.path());
    let new: Vec<&String> = after.difference(&before).collect();
    for path in &new {
        assert!(
            path.starts_with("jail/out/") || path.starts_with("data/"),
            "written outside DIR: {path}"
        );
    }
    let summary = verify_saved(&dir);
    // Every step directory is one plain component under steps/.
    for step in summary["steps"].as_array().unwrap() {
        let rel = step["dir"].as_str().unwrap();
        let name = rel.strip_prefix("steps/").unwrap();
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b'-' || b == b'x'),
            "{rel}"
        );
        assert!(dir.join(rel).join("step.json").is_file(), "{rel}");
    }
    // Escape sequences in names never reach the terminal-facing stderr raw.
    assert!(!stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
    // The real paths survive verbatim in JSON.
    let paths: Vec<&str> = summary["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stepPath"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"../../etc"), "{paths:?}");
}

#[test]
fn nested_steps_are_saved_with_input_and_output_and_yields() {
    let env = TestEnv::start();
    let id = finished(&env, "demo/etl", None);
    let dir = env.path("etl");
    let out = result(&env, &[&id, "--save", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = verify_saved(&dir);
    assert_eq!(summary["complete"], true);
    assert_eq!(summary["output"]["bytes"], 4_500_000);
    assert_eq!(summary["output"]["streamed"], true);

    let input: Value =
        serde_json::from_slice(&std::fs::read(dir.join("steps/1.0.1/input.json")).unwrap())
            .unwrap();
    assert_eq!(
        input,
        serde_json::json!({"url": "https://example.invalid/customers", "page_size": 500})
    );
    let output: Value =
        serde_json::from_slice(&std::fs::read(dir.join("steps/1.0.2/output.json")).unwrap())
            .unwrap();
    assert_eq!(
        output,
        serde_json::json!({"source": "orders", "rows": 12000})
    );
    let step: Value =
        serde_json::from_slice(&std::fs::read(dir.join("steps/1.0.1/step.json")).unwrap()).unwrap();
    assert_eq!(step["tool"], "http.get");
    assert_eq!(step["status"], "STEP_STATUS_COMPLETED");
    // Step 3's 300 kB output came in chunks, whole.
    assert_eq!(
        std::fs::metadata(dir.join("steps/3/output.json"))
            .unwrap()
            .len(),
        300_000
    );
    // A skipped step still has its step.json.
    assert!(dir.join("steps/2.2/step.json").is_file());

    let yields = std::fs::read_to_string(dir.join("yields.jsonl")).unwrap();
    let lines: Vec<Value> = yields
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["stepPath"], "1.0.1");
    assert_eq!(
        lines[0]["valueData"],
        serde_json::json!({"stage": "extract", "source": "customers", "rows_fetched": 5000})
    );
    let sequences: Vec<i64> = lines
        .iter()
        .map(|l| l["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(sequences, vec![1, 2, 3, 4]);
    assert_eq!(summary["yields"]["count"], 4);
    assert_eq!(summary["yields"]["capped"], false);
}

#[test]
fn existing_dir_is_refused_without_force_and_only_our_files_replaced_with_it() {
    let env = TestEnv::start();
    let id = finished(&env, "demo/hello", None);
    let dir = env.path("taken");
    std::fs::create_dir_all(dir.join("steps/9")).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("output.json"), "old").unwrap();
    std::fs::write(dir.join("steps/9/step.json"), "old").unwrap();

    let out = result(&env, &[&id, "--save", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.join("output.json")).unwrap(), b"old");

    let out = result(&env, &[&id, "--save", dir.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
    assert_eq!(
        std::fs::read(dir.join("output.json")).unwrap(),
        br#"{"message":"hello, world","steps":2}"#
    );
    assert!(
        !dir.join("steps/9").exists(),
        "a stale step of ours was left"
    );
    verify_saved(&dir);
}

#[test]
fn failed_thread_is_saved_and_exits_1() {
    let env = TestEnv::start();
    let id = finished(&env, "demo/fail", None);
    let dir = env.path("fail");
    let out = result(&env, &[&id, "--save", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("failed"), "{}", stderr(&out));
    assert!(stderr(&out).contains("thread steps"), "{}", stderr(&out));
    let summary = verify_saved(&dir);
    assert_eq!(summary["status"], "THREAD_STATUS_FAILED");
    assert_eq!(summary["complete"], true);
}

#[test]
fn unfinished_thread_is_exit_5_without_wait_and_waited_for_with_it() {
    let env = TestEnv::with(|s| s.speed = 5.0);
    let id = env.create("demo/hello", &[]);
    let out = result(&env, &[&id]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no final result yet"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--wait"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());

    let out = result(&env, &[&id, "--wait"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), r#"{"message":"hello, world","steps":2}"#);
}

#[test]
fn steps_tree_one_step_and_unknown_path() {
    let env = TestEnv::start();
    let id = finished(&env, "demo/etl", None);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "steps", &id])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("PATH"), "{text}");
    let fetch = lines
        .iter()
        .find(|l| l.contains("fetch_customers"))
        .unwrap();
    let extract = lines.iter().find(|l| l.contains("extract")).unwrap();
    let indent = |l: &str| l.len() - l.trim_start().len();
    assert_eq!(indent(fetch), indent(extract) + 4, "{text}");

    let out = env
        .cmd()
        .args(["scriptum", "thread", "steps", &id, "-o", "json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 10);
    assert_eq!(list[2]["parentPath"], "1.0");

    let out = env
        .cmd()
        .args(["scriptum", "thread", "steps", &id, "--step", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("warehouse.load"), "{text}");
    assert!(text.contains("in all (shown cut short)"), "{text}");
    assert!(stderr(&out).contains("--detail --save"), "{}", stderr(&out));

    let out = env
        .cmd()
        .args(["scriptum", "thread", "steps", &id, "--step", "1.7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("1.0, 1.1"), "{}", stderr(&out));

    // --detail -o json: every payload whole.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "steps", &id, "--detail", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let details: Value = serde_json::from_slice(&out.stdout).unwrap();
    let step3 = details
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["stepPath"] == "3")
        .unwrap();
    assert_eq!(step3["outputData"].as_str().unwrap().len(), 300_000 - 2);

    // --detail -o jsonl: each step printed once complete, the same steps whole, in order (small
    // chunks, so step 3's output comes in several).
    let out = env
        .cmd()
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .args([
            "scriptum", "thread", "steps", &id, "--detail", "-o", "jsonl",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&Value::Array(lines), &details);
}

#[test]
fn steps_detail_save_writes_one_step() {
    let env = TestEnv::start();
    let id = finished(&env, "demo/etl", None);
    let dir = env.path("one");
    let out = env
        .cmd()
        .args([
            "scriptum", "thread", "steps", &id, "--step", "3", "--detail", "--save",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let files = tree(&dir);
    assert_eq!(
        files,
        [
            "steps/3/input.json",
            "steps/3/output.json",
            "steps/3/step.json"
        ]
        .into_iter()
        .map(String::from)
        .collect()
    );
}

#[test]
fn json_output_embeds_a_streamed_output() {
    let env = TestEnv::start();
    let id = big(&env, CAP + 10);
    let out = result(&env, &[&id, "-o", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["outputData"].as_str().unwrap().len() as u64,
        CAP + 10 - 2
    );
    assert_eq!(doc["outputTruncated"], false);
}

#[test]
fn transient_refusal_of_the_stream_is_retried() {
    let env =
        TestEnv::with(|s| s.faults = Faults::parse("unavailable=StreamThreadResult:1").unwrap());
    let id = big(&env, CAP + 1);
    let out = result(&env, &[&id]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout.len() as u64, CAP + 1);
}

/// Ctrl-C during a save: exit 130, no output.json, no temporary file.
#[cfg(unix)]
#[test]
fn sigint_during_a_save_leaves_no_partial_file() {
    let env = TestEnv::start();
    let id = big(&env, 2 * 1024 * 1024 * 1024);
    let dir = env.path("interrupted");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dodil"))
        .envs(pinned_env(&env))
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .args(["scriptum", "thread", "result", &id, "--save"])
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (bounded) for the output's temporary file to appear, then interrupt.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if tree(&dir).iter().any(|p| p.contains(".dodil-")) {
            break;
        }
        assert!(Instant::now() < deadline, "no temp file appeared");
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(!dir.join("output.json").exists());
    assert!(!dir.join("summary.json").exists());
    assert_no_temp_files(&dir);
}

/// The environment `support::bare_cmd` pins, for a `std::process::Command`.
fn pinned_env(env: &TestEnv) -> Vec<(String, PathBuf)> {
    let home = env.dir.path();
    vec![
        ("DODIL_CONFIG".into(), home.join("config.yaml")),
        ("DODIL_DATA_DIR".into(), home.join("data")),
        ("HOME".into(), home.to_path_buf()),
        ("NO_COLOR".into(), "1".into()),
        ("DODIL_ENDPOINT".into(), env.url.clone().into()),
    ]
}

/// A server that ignores the unary cap and sends one giant chunk: a clear error (exit 7), no
/// output.json, and memory bounded by the message size limit.
#[test]
fn oversized_messages_are_refused_clearly() {
    let env = TestEnv::with(|s| s.faults = Faults::parse("huge-message").unwrap());
    let id = big(&env, 40 * 1024 * 1024);
    let dir = env.path("huge");
    let out = result(&env, &[&id, "--save", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("too large"), "{}", stderr(&out));
    assert!(!dir.join("output.json").exists());
    let summary = verify_saved(&dir);
    assert_eq!(summary["complete"], false);
    assert_eq!(summary["steps"].as_array().unwrap().len(), 2);
}
