//! `thread result`, `thread steps` and `--save`: the real binary against the dev server, including
//! its chunk fault switches and hostile step paths.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{interrupt, wait_bounded, Execute, Run, TestEnv, WAIT_LIMIT};
use dodil::cli::Compression;
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

/// A finished demo/big thread with `bytes` of output.
fn big(env: &TestEnv, bytes: u64) -> String {
    let input = format!(r#"{{"bytes": {bytes}, "steps": 2}}"#);
    env.finished("demo/big", &["--input", &input])
}

/// `thread result ID --save DIR` with the stream's chunks asked to be `chunk_bytes` long.
fn save_in_chunks(env: &TestEnv, id: &str, dir: &Path, chunk_bytes: &str) -> Run {
    env.thread_cmd(["result", id, "--save"])
        .arg(dir)
        .env("DODIL_RESULT_CHUNK_BYTES", chunk_bytes)
        .run()
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

/// The output's temporary file in `dir`, once bytes are in it (not the empty probe of whether
/// DIR is writable).
fn temp_file_with_data(dir: &Path) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let ours = e.file_name().to_string_lossy().starts_with(".dodil-");
        (ours && e.metadata().is_ok_and(|m| m.len() > 0)).then(|| e.path())
    })
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
    let id = env.finished("demo/hello", &[]);
    let run = env.thread(["result", "-v", &id]);
    run.success()
        .stderr_has("GetThreadResult: OK")
        .stderr_lacks("StreamThreadResult")
        .stderr_has("completed");
    assert_eq!(
        run.stdout, r#"{"message":"hello, world","steps":2}"#,
        "{run}"
    );

    // A save asks for the metadata alone and streams the output, however small: the unary
    // answer's copy of it would be a second download of the same bytes.
    let dir = env.path("hello");
    let run = env
        .thread_cmd(["result", "-v", &id, "--save"])
        .arg(&dir)
        .run();
    run.success().stderr_has("saved ").stderr_has("output.json");
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["streamed"], true);
    assert_eq!(
        std::fs::read(dir.join("output.json")).unwrap(),
        br#"{"message":"hello, world","steps":2}"#
    );

    let doc = env.thread(["result", &id, "-o", "json"]).success().json();
    assert_eq!(doc["outputData"]["message"], "hello, world");
    assert_eq!(doc["status"], "THREAD_STATUS_COMPLETED");
}

#[test]
fn output_just_over_the_cap_is_streamed_whole_and_stdout_matches_the_file() {
    let env = TestEnv::start();
    let id = big(&env, CAP + 1);
    let piped = env.thread(["result", "-v", &id]);
    piped.success().stderr_has("StreamThreadResult");
    assert_eq!(piped.stdout_bytes.len() as u64, CAP + 1);

    let dir = env.path("big");
    let saved = env.thread_cmd(["result", &id, "--save"]).arg(&dir).run();
    saved.success();
    let file = std::fs::read(dir.join("output.json")).unwrap();
    assert!(file == piped.stdout_bytes, "stdout and output.json differ");
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["streamed"], true);
    assert_eq!(summary["output"]["bytes"], CAP + 1);
    assert_eq!(summary["output"]["sha256"], sha256_hex(&file));
    assert_eq!(summary["complete"], true);
    // The bytes are the JSON string demo/big promises.
    let value: Value = serde_json::from_slice(&file).unwrap();
    assert!(value.is_string());
    // cli-contract.md: with --save, stdout carries nothing in table mode.
    assert!(saved.stdout_bytes.is_empty(), "{saved}");
}

#[test]
fn many_small_chunks_reassemble_exactly() {
    let env = TestEnv::start();
    let id = big(&env, CAP + 100_000);
    let dir = env.path("chunks");
    let run = env
        .cmd()
        .args(["-v", "scriptum", "thread", "result", &id, "--save"])
        .arg(&dir)
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .run();
    run.success();
    // 65 KiB chunks: at least 64 messages.
    let messages = run
        .stderr_lines()
        .into_iter()
        .find(|l| l.starts_with("StreamThreadResult: stream ended after"))
        .unwrap_or_else(|| panic!("no stream log line\n{run}"));
    let count: u64 = messages.split_whitespace().nth(4).unwrap().parse().unwrap();
    assert!(count > 64, "{messages}");
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["bytes"], CAP + 100_000);
    let piped = env.thread(["result", &id]);
    assert!(
        std::fs::read(dir.join("output.json")).unwrap() == piped.success().stdout_bytes,
        "output.json and stdout differ"
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
        save_in_chunks(&env, &id, &dir, "1048576")
            .code_is(7)
            .stderr_has("error: thread output");
        assert!(
            !dir.join("output.json").exists(),
            "{fault}: output.json written"
        );
        let summary = verify_saved(&dir);
        assert_eq!(summary["complete"], false, "{fault}");
        assert!(summary["output"].is_null(), "{fault}");
        assert!(!summary["errors"].as_array().unwrap().is_empty(), "{fault}");

        // Without --save the same fault is exit 7 too.
        env.thread_cmd(["result", &id])
            .env("DODIL_RESULT_CHUNK_BYTES", "1048576")
            .run()
            .code_is(7);
    }
}

#[test]
fn a_stream_broken_mid_way_is_retried_once_and_every_byte_arrives_once() {
    // 256 KiB chunks, broken after chunk 6: 1.75 MiB delivered (and hashed off-thread) first.
    // `run --result --save`: the output is saved and echoed to stdout (piped) in one pass.
    let env = TestEnv::with(|s| s.faults = Faults::parse("output-break=6").unwrap());
    let dir = env.path("retried");
    let input = format!(r#"{{"bytes": {}, "steps": 2}}"#, CAP + 300_000);
    let run = env
        .thread_cmd(["run", "demo/big", "--input", &input, "--result", "--save"])
        .arg(&dir)
        .env("DODIL_RESULT_CHUNK_BYTES", "262144")
        .run();
    run.success().stderr_has("retrying once from the start");
    let file = std::fs::read(dir.join("output.json")).unwrap();
    assert_eq!(file.len() as u64, CAP + 300_000);
    assert!(serde_json::from_slice::<Value>(&file).unwrap().is_string());
    // stdout (piped) saw each byte once, though the second stream replayed the first 1.75 MiB.
    assert!(run.stdout_bytes == file, "stdout and output.json differ");
    let summary = verify_saved(&dir);
    assert_eq!(summary["output"]["sha256"], sha256_hex(&file));
    assert_eq!(summary["complete"], true);
}

#[test]
fn a_stream_that_breaks_twice_is_exit_7_with_no_output_file() {
    let env = TestEnv::with(|s| s.faults = Faults::parse("output-break=6:2").unwrap());
    let id = big(&env, CAP + 300_000);
    let dir = env.path("broken");
    save_in_chunks(&env, &id, &dir, "262144")
        .code_is(7)
        .stderr_has("the retry broke too");
    assert!(!dir.join("output.json").exists(), "{:?}", tree(&dir));
    assert_eq!(verify_saved(&dir)["complete"], false);
}

#[test]
fn step_chunk_faults_leave_no_step_files() {
    // demo/etl's step 3 has a 300 kB output, chunked by StreamStepResult.
    let env = TestEnv::with(|s| s.faults = Faults::parse("chunk-skip=1").unwrap());
    let id = env.finished("demo/etl", &[]);
    let dir = env.path("etl");
    env.thread_cmd(["steps", &id, "--detail", "--save"])
        .arg(&dir)
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .run()
        .code_is(7)
        .stderr_has("step \"3\" output");
    assert!(!dir.join("steps").exists(), "{:?}", tree(&dir));
}

#[test]
fn hostile_step_paths_never_write_outside_dir() {
    let env = TestEnv::with(|s| s.faults = Faults::parse("hostile-names").unwrap());
    let id = env.finished("demo/etl", &[]);
    let base = env.path("jail");
    std::fs::create_dir_all(&base).unwrap();
    let dir = base.join("out");
    let before = tree(env.dir.path());
    let run = env.thread_cmd(["result", &id, "--save"]).arg(&dir).run();
    run.success();
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
    run.stderr_lacks("\u{1b}");
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
    let id = env.finished("demo/etl", &[]);
    let dir = env.path("etl");
    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .run()
        .success();
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
    let id = env.finished("demo/hello", &[]);
    let dir = env.path("taken");
    std::fs::create_dir_all(dir.join("steps/9")).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("output.json"), "old").unwrap();
    std::fs::write(dir.join("steps/9/step.json"), "old").unwrap();

    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .run()
        .code_is(2)
        .stderr_has("not empty")
        .stderr_has("--force");
    assert_eq!(std::fs::read(dir.join("output.json")).unwrap(), b"old");

    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .arg("--force")
        .run()
        .success();
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
    let id = env.finished("demo/fail", &[]);
    let dir = env.path("fail");
    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .run()
        .code_is(1)
        .stderr_has("failed")
        .stderr_has("thread steps");
    let summary = verify_saved(&dir);
    assert_eq!(summary["status"], "THREAD_STATUS_FAILED");
    assert_eq!(summary["complete"], true);
}

#[test]
fn unfinished_thread_is_exit_5_without_wait_and_waited_for_with_it() {
    let env = TestEnv::with(|s| s.speed = 5.0);
    let id = env.create("demo/hello", &[]);
    let run = env.thread(["result", &id]);
    run.code_is(5)
        .stderr_has("no final result yet")
        .stderr_has("--wait");
    assert!(run.stdout.is_empty(), "{run}");

    let run = env.thread(["result", &id, "--wait"]);
    assert_eq!(
        run.success().stdout,
        r#"{"message":"hello, world","steps":2}"#,
        "{run}"
    );
}

#[test]
fn steps_tree_one_step_and_unknown_path() {
    let env = TestEnv::start();
    let id = env.finished("demo/etl", &[]);
    let run = env.thread(["steps", &id]);
    let lines = run.success().stdout_lines();
    assert!(lines[0].contains("PATH"), "{run}");
    let fetch = lines
        .iter()
        .find(|l| l.contains("fetch_customers"))
        .unwrap();
    let extract = lines.iter().find(|l| l.contains("extract")).unwrap();
    let indent = |l: &str| l.len() - l.trim_start().len();
    assert_eq!(indent(fetch), indent(extract) + 4, "{run}");

    let list = env.thread(["steps", &id, "-o", "json"]).success().json();
    assert_eq!(list.as_array().unwrap().len(), 10);
    assert_eq!(list[2]["parentPath"], "1.0");

    env.thread(["steps", &id, "--step", "3"])
        .success()
        .stdout_has("warehouse.load")
        .stdout_has("in all (shown cut short)")
        .stderr_has("--step 3 --save DIR");

    env.thread(["steps", &id, "--step", "1.7"])
        .code_is(5)
        .stderr_has("1.0, 1.1");

    // --detail -o json: every payload whole.
    let details = env
        .thread(["steps", &id, "--detail", "-o", "json"])
        .success()
        .json();
    let step3 = details
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["stepPath"] == "3")
        .unwrap();
    assert_eq!(step3["outputData"].as_str().unwrap().len(), 300_000 - 2);

    // --detail -o jsonl: each step printed once complete, the same steps whole, in order (small
    // chunks, so step 3's output comes in several).
    let lines = env
        .thread_cmd(["steps", &id, "--detail", "-o", "jsonl"])
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .run()
        .success()
        .jsonl();
    assert_eq!(&Value::Array(lines), &details);
}

#[test]
fn steps_detail_save_writes_one_step() {
    let env = TestEnv::start();
    let id = env.finished("demo/etl", &[]);
    let dir = env.path("one");
    env.thread_cmd(["steps", &id, "--step", "3", "--detail", "--save"])
        .arg(&dir)
        .run()
        .success();
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
    // --save implies --detail: the same files, and nothing on stdout.
    let implied = env.path("implied");
    let run = env
        .thread_cmd(["steps", &id, "--step", "3", "--save"])
        .arg(&implied)
        .run();
    run.success();
    assert!(run.stdout.is_empty(), "{run}");
    assert_eq!(tree(&implied), files);
}

#[test]
fn json_output_embeds_a_streamed_output() {
    let env = TestEnv::start();
    let id = big(&env, CAP + 10);
    let doc = env.thread(["result", &id, "-o", "json"]).success().json();
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
    let run = env.thread(["result", "-v", &id]);
    run.success();
    assert_eq!(run.stdout_bytes.len() as u64, CAP + 1);
    // The refusal happened (the fault fired) and the stream was opened again.
    run.stderr_has("StreamThreadResult unavailable (call 1 of the first 1) (UNAVAILABLE)");
}

/// Ctrl-C during a save: exit 130, no output.json, no temporary file.
#[cfg(unix)]
#[test]
fn sigint_during_a_save_leaves_no_partial_file() {
    let env = TestEnv::start();
    let id = big(&env, 2 * 1024 * 1024 * 1024);
    let dir = env.path("interrupted");
    let mut child = env
        .thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .env("DODIL_RESULT_CHUNK_BYTES", "65536")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (bounded) for the output's temporary file to appear, then interrupt.
    let deadline = Instant::now() + WAIT_LIMIT;
    loop {
        if temp_file_with_data(&dir).is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "no temp file appeared");
        std::thread::sleep(Duration::from_millis(10));
    }
    interrupt(&child);
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut text);
        text
    });
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    let err = reader.join().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(!dir.join("output.json").exists());
    assert!(!dir.join("summary.json").exists());
    assert_no_temp_files(&dir);
}

/// A server that ignores the unary cap and sends one giant chunk: a clear error (exit 7), no
/// output.json, and memory bounded by the message size limit.
#[test]
fn oversized_messages_are_refused_clearly() {
    let env = TestEnv::with(|s| s.faults = Faults::parse("huge-message").unwrap());
    let id = big(&env, 40 * 1024 * 1024);
    let dir = env.path("huge");
    env.thread_cmd(["result", &id, "--save"])
        .arg(&dir)
        .run()
        .code_is(7)
        .stderr_has("too large");
    assert!(!dir.join("output.json").exists());
    let summary = verify_saved(&dir);
    assert_eq!(summary["complete"], false);
    assert_eq!(summary["steps"].as_array().unwrap().len(), 2);
}

/// The README's way: the debug build, `--endpoint embedded` (the server inside the command) and
/// a multi-GB save. Ctrl-C stops it at once, by the command's own hand (not the listener's last
/// resort after its grace period), says how to fetch the result again, leaves no temporary file,
/// and the same DIR takes the next save (a stale temporary of ours in it is cleared, not called
/// the user's).
#[cfg(unix)]
#[test]
fn sigint_during_an_embedded_save_stops_at_once_and_leaves_the_dir_clean() {
    let env = TestEnv::offline();
    let dir = env.path("big");
    let embedded = |cmd: &mut std::process::Command| {
        cmd.env("DODIL_ENDPOINT", "embedded")
            .env("DODIL_DEVSERVER_EPHEMERAL", "1")
            .env("DODIL_DEVSERVER_SPEED", "100");
    };
    let mut cmd = env.bare_cmd();
    embedded(&mut cmd);
    let mut child = cmd
        .args([
            "scriptum", "thread", "run", "demo/big", "--result", "--save",
        ])
        .arg(&dir)
        .args(["--input", r#"{"bytes": 8000000000, "steps": 1}"#])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut text);
        text
    });
    let deadline = Instant::now() + WAIT_LIMIT;
    let part = loop {
        if let Some(part) = temp_file_with_data(&dir) {
            break part;
        }
        assert!(Instant::now() < deadline, "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(10));
    };
    let pressed = Instant::now();
    interrupt(&child);
    let status = wait_bounded(&mut child, WAIT_LIMIT);
    let took = pressed.elapsed();
    let err = reader.join().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    // Within the bound, and by the command itself: the last resort would say "did not stop".
    assert!(took < Duration::from_secs(3), "took {took:?}: {err}");
    assert!(
        err.contains("was stopped and its unfinished files removed"),
        "{err}"
    );
    assert!(!err.contains("did not stop"), "{err}");
    assert!(
        err.contains("save it again with: dodil scriptum thread result"),
        "{err}"
    );
    assert!(!part.exists(), "{} left behind", part.display());
    assert_no_temp_files(&dir);
    eprintln!("stopped {took:?} after SIGINT");

    // What a killed save leaves: ours to clear.
    std::fs::write(dir.join(".dodil-Ab12Cd.part"), b"half").unwrap();
    let mut again = env.bare_cmd();
    embedded(&mut again);
    again
        .args(["scriptum", "thread", "run", "demo/hello", "--save"])
        .arg(&dir)
        .run()
        .success();
    assert!(dir.join("summary.json").exists());
    assert_no_temp_files(&dir);
}

/// On a terminal (a pty from util-linux `script`), a 4.3 MiB output is not poured out: its
/// start, then its size and how to get it whole. (Piped, the exact bytes: the tests above.)
#[cfg(target_os = "linux")]
#[test]
fn a_large_output_on_a_terminal_is_previewed_not_dumped() {
    let env = TestEnv::start();
    let id = env.finished("demo/etl", &[]);
    let line = format!("{} scriptum thread result {id}", crate::support::DODIL);
    let out = env
        .program("script")
        .args(["-qec", &line, "/dev/null"])
        .env("COLUMNS", "120")
        .output()
        .expect("util-linux script");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        out.stdout.len() < 64 * 1024,
        "{} bytes reached the terminal",
        out.stdout.len()
    );
    assert!(
        text.contains("the output is 4.3 MiB: only its start is shown above"),
        "{text}"
    );
    assert!(
        text.contains(&format!("dodil scriptum thread result {id} > output.json")),
        "{text}"
    );
}

#[test]
fn compressed_answers_are_taken_and_a_compressed_bomb_is_refused() {
    for compress in [Compression::Gzip, Compression::Zstd] {
        let env = TestEnv::with(|config| config.compress = Some(compress));
        let id = env.finished("demo/etl", &[]);
        let dir = env.path("etl");
        env.thread_cmd(["result", &id, "--save"])
            .arg(&dir)
            .run()
            .success();
        verify_saved(&dir);
        env.thread(["get", &id]).success().stdout_has("demo/etl");
    }
    // 48 MiB once decompressed, a few KiB on the wire: refused at the 32 MiB limit as it
    // expands (not retried, no panic), and the words say it was the decompression.
    let env = TestEnv::with(|config| {
        config.compress = Some(Compression::Zstd);
        config.faults.compress_bomb = true;
    });
    let id = env.create("demo/hello", &[]);
    env.thread(["get", &id])
        .code_is(5)
        .stderr_has("decompressing")
        .stderr_lacks("retry")
        .stderr_lacks("panicked");
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn small_output_comes_from_the_unary_call_alone() {
        over_http(super::small_output_comes_from_the_unary_call_alone);
    }

    #[test]
    fn output_just_over_the_cap_is_streamed_whole_and_stdout_matches_the_file() {
        over_http(super::output_just_over_the_cap_is_streamed_whole_and_stdout_matches_the_file);
    }

    #[test]
    fn many_small_chunks_reassemble_exactly() {
        over_http(super::many_small_chunks_reassemble_exactly);
    }

    #[test]
    fn every_chunk_fault_is_exit_7_with_no_output_file() {
        over_http(super::every_chunk_fault_is_exit_7_with_no_output_file);
    }

    #[test]
    fn a_stream_broken_mid_way_is_retried_once_and_every_byte_arrives_once() {
        over_http(super::a_stream_broken_mid_way_is_retried_once_and_every_byte_arrives_once);
    }

    #[test]
    fn nested_steps_are_saved_with_input_and_output_and_yields() {
        over_http(super::nested_steps_are_saved_with_input_and_output_and_yields);
    }

    #[test]
    fn steps_tree_one_step_and_unknown_path() {
        over_http(super::steps_tree_one_step_and_unknown_path);
    }

    #[test]
    fn steps_detail_save_writes_one_step() {
        over_http(super::steps_detail_save_writes_one_step);
    }

    #[test]
    fn transient_refusal_of_the_stream_is_retried() {
        over_http(super::transient_refusal_of_the_stream_is_retried);
    }

    #[test]
    fn failed_thread_is_saved_and_exits_1() {
        over_http(super::failed_thread_is_saved_and_exits_1);
    }

    #[test]
    fn sigint_during_a_save_leaves_no_partial_file() {
        over_http(super::sigint_during_a_save_leaves_no_partial_file);
    }

    #[test]
    fn a_stream_that_breaks_twice_is_exit_7_with_no_output_file() {
        over_http(super::a_stream_that_breaks_twice_is_exit_7_with_no_output_file);
    }

    #[test]
    fn step_chunk_faults_leave_no_step_files() {
        over_http(super::step_chunk_faults_leave_no_step_files);
    }

    #[test]
    fn json_output_embeds_a_streamed_output() {
        over_http(super::json_output_embeds_a_streamed_output);
    }
}
