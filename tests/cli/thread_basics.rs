//! `thread create`, `get` and `list` against the dev server, through the real binary.

use crate::support;
use std::io::Write;

use crate::support::{stderr, stdout, TestEnv};

#[test]
fn create_with_inline_file_and_stdin_input() {
    let env = TestEnv::start();

    let inline = env.create("demo/hello", &["--input", r#"{"name": "inline"}"#]);
    assert!(inline.starts_with("thr_"), "{inline}");

    let file = env.path("input.json");
    std::fs::write(&file, r#"{"name": "file"}"#).unwrap();
    let from_file = env.create("demo/hello", &["--input", &format!("@{}", file.display())]);

    let out = env
        .cmd()
        .args([
            "scriptum",
            "thread",
            "create",
            "demo/hello",
            "--input",
            "@-",
            "-o",
            "json",
        ])
        .write_stdin(r#"{"name": "stdin"}"#)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let from_stdin = created["threadId"].as_str().unwrap().to_string();
    assert_eq!(created["status"], "THREAD_STATUS_PENDING");
    assert!(created["createdAtMs"].as_i64().unwrap() > 0);

    let ids = [inline, from_file, from_stdin];
    assert_eq!(
        ids.iter().collect::<std::collections::HashSet<_>>().len(),
        3
    );
    for id in &ids {
        let out = env
            .cmd()
            .args(["scriptum", "thread", "get", id, "-o", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let thread: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(thread["threadId"], id.as_str());
        assert_eq!(thread["scriptName"], "demo/hello");
    }
}

#[test]
fn table_create_prints_the_id_alone_and_metadata_is_echoed() {
    let env = TestEnv::start();
    let out = env
        .cmd()
        .args([
            "scriptum",
            "thread",
            "create",
            "demo/hello",
            "--metadata",
            "run=nightly",
        ])
        .args(["--metadata", "owner=ops", "--timeout", "5m", "--env"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out);
    assert_eq!(id.lines().count(), 1);
    assert!(stderr(&out).contains("created thread"));
    let thread = env.wait_for(id.trim(), |_| true);
    assert_eq!(thread["metadata"]["run"], "nightly");
    assert_eq!(thread["metadata"]["owner"], "ops");
}

#[test]
fn invalid_input_is_exit_2_and_nothing_is_sent() {
    let env = TestEnv::start();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--input", "{\"a\": ,}"], "line 1 column"),
        (vec!["--input", "@/nonexistent/input.json"], "cannot read"),
        (vec!["--input", "@-"], "empty"),
        (vec!["--metadata", "novalue"], "KEY=VALUE"),
        (vec!["--timeout", "5 minutes"], "duration"),
        (vec!["--callback-url", "ftp://x"], "URL"),
    ];
    for (args, expect) in cases {
        let out = env
            .cmd()
            .args(["scriptum", "thread", "create", "demo/hello"])
            .args(&args)
            .write_stdin("")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("error: ") && err.contains(expect),
            "{args:?}: {err}"
        );
    }
    // Nothing reached the server: it has no threads.
    let out = env
        .cmd()
        .args(["scriptum", "thread", "list", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn server_refusals_are_exit_5() {
    let env = TestEnv::start();
    let out = env
        .cmd()
        .args(["scriptum", "thread", "create", "no/such-script"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("NOT_FOUND"));
    let out = env
        .cmd()
        .args(["scriptum", "thread", "get", "thr_doesnotexist"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
}

#[test]
fn get_in_every_format() {
    let env = TestEnv::start();
    let id = env.create("demo/hello", &["--metadata", "k=v"]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_COMPLETED");

    let run = |format: &str| {
        let out = env
            .cmd()
            .args(["scriptum", "thread", "get", &id, "-o", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        stdout(&out)
    };
    let table = run("table");
    for label in [
        "Thread:",
        "Script:",
        "Status:",
        "Created:",
        "Duration:",
        "Metadata:",
    ] {
        assert!(table.contains(label), "{table}");
    }
    assert!(
        table.contains("completed") && table.contains("k=v"),
        "{table}"
    );

    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["status"], "THREAD_STATUS_COMPLETED");
    assert!(json["finishedAtMs"].is_i64());
    let yaml: serde_yaml::Value = serde_yaml::from_str(&run("yaml")).unwrap();
    assert_eq!(yaml["threadId"].as_str(), Some(id.as_str()));
    let jsonl = run("jsonl");
    assert_eq!(jsonl.lines().count(), 1);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&jsonl).unwrap()["threadId"],
        id.as_str()
    );
}

#[test]
fn list_pages_filters_and_formats() {
    let env = TestEnv::start();
    let mut ids: Vec<String> = (0..7).map(|_| env.create("demo/hello", &[])).collect();
    ids.push(env.create("demo/fail", &[]));
    let failed = ids.last().unwrap().clone();
    env.wait_for(&failed, |t| t["status"] == "THREAD_STATUS_FAILED");

    let list = |args: &[&str]| -> Vec<String> {
        let out = env
            .cmd()
            .args(["scriptum", "thread", "list", "-o", "jsonl"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["threadId"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    // --all over pages of 3 sees all 8, once each.
    let all = list(&["--all", "--page-size", "3"]);
    assert_eq!(all.len(), 8, "{all:?}");
    assert_eq!(
        all.iter().collect::<std::collections::HashSet<_>>().len(),
        8
    );
    // --limit stops across a page boundary.
    assert_eq!(list(&["--limit", "5", "--page-size", "2"]).len(), 5);
    // Status filter in both spellings, and the script filter.
    assert_eq!(list(&["--status", "failed"]), vec![failed.clone()]);
    assert_eq!(
        list(&["--status", "THREAD_STATUS_FAILED"]),
        vec![failed.clone()]
    );
    assert_eq!(list(&["--script", "demo/fail"]), vec![failed.clone()]);

    let out = env
        .cmd()
        .args(["scriptum", "thread", "list"])
        .output()
        .unwrap();
    let table = stdout(&out);
    let header = table.lines().next().unwrap();
    for column in [
        "ID", "SCRIPT", "VERSION", "STATUS", "CREATED", "DURATION", "STEP",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert_eq!(table.lines().count(), 9);

    let out = env
        .cmd()
        .args(["scriptum", "thread", "list", "-o", "json", "--limit", "3"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "list", "-o", "yaml", "--limit", "2"])
        .output()
        .unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    assert_eq!(yaml.as_sequence().unwrap().len(), 2);
}

#[test]
fn wrong_status_lists_the_valid_ones() {
    let env = TestEnv::start();
    let out = env
        .cmd()
        .args(["scriptum", "thread", "list", "--status", "done"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("pending, running, completed, failed, cancelled, paused"),
        "{err}"
    );
}

#[test]
fn auth_token_is_required_and_never_echoed() {
    let env = TestEnv::with(|s| s.token = Some("s3cret-token-value".into()));
    let out = env
        .cmd()
        .args(["scriptum", "thread", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint:") && stderr(&out).contains("DODIL_TOKEN"));

    let out = env
        .cmd()
        .args(["scriptum", "thread", "list", "-v"])
        .env("DODIL_TOKEN", "s3cret-token-value")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("ListThreads: OK"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("s3cret") && !stdout(&out).contains("s3cret"));

    let token_file = env.path("token");
    std::fs::File::create(&token_file)
        .unwrap()
        .write_all(b"s3cret-token-value\n")
        .unwrap();
    let out = env
        .cmd()
        .args(["scriptum", "thread", "list", "-v", "--token-file"])
        .arg(&token_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let out = env
        .cmd()
        .args(["scriptum", "thread", "list"])
        .env("DODIL_TOKEN", "wrong-token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(!stderr(&out).contains("wrong-token"));
}

#[test]
fn unreachable_endpoint_is_exit_6_quickly() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = support::bare_cmd(home.path())
        .args([
            "scriptum",
            "thread",
            "get",
            "thr_x",
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(stderr(&out).contains("hint:"));
}

#[test]
fn config_profiles_and_precedence() {
    let env = TestEnv::start();
    // The profile points at the dev server; no flag, no env.
    std::fs::write(
        env.path("config.yaml"),
        format!("default_profile: local\nprofiles:\n  local:\n    endpoint: {}\n    org: from-profile\n", env.url),
    )
    .unwrap();
    let run = |cmd: &mut assert_cmd::Command| {
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let id = created["threadId"].as_str().unwrap().to_string();
        env.wait_for(&id, |_| true)["organizationName"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut base = support::bare_cmd(env.dir.path());
    base.args(["scriptum", "thread", "create", "demo/hello", "-o", "json"]);
    assert_eq!(run(&mut base), "from-profile");
    // Environment beats the profile; the flag beats the environment.
    let mut with_env = support::bare_cmd(env.dir.path());
    with_env
        .args(["scriptum", "thread", "create", "demo/hello", "-o", "json"])
        .env("DODIL_ORG", "from-env");
    assert_eq!(run(&mut with_env), "from-env");
    let mut with_flag = support::bare_cmd(env.dir.path());
    with_flag
        .args([
            "scriptum",
            "thread",
            "create",
            "demo/hello",
            "-o",
            "json",
            "--org",
            "from-flag",
        ])
        .env("DODIL_ORG", "from-env");
    assert_eq!(run(&mut with_flag), "from-flag");

    // A flag endpoint beats the profile's: a dead port fails with 6.
    let out = support::bare_cmd(env.dir.path())
        .args([
            "scriptum",
            "thread",
            "list",
            "--endpoint",
            "http://127.0.0.1:9",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));

    // Unknown profile and malformed file: exit 2, naming what is wrong.
    let out = support::bare_cmd(env.dir.path())
        .args(["scriptum", "thread", "list", "--profile", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown profile") && stderr(&out).contains("staging"));
    std::fs::write(
        env.path("config.yaml"),
        "profiles:\n  local:\n    endpont: x\n",
    )
    .unwrap();
    let out = support::bare_cmd(env.dir.path())
        .args(["scriptum", "thread", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("config.yaml") && err.contains("line 3"),
        "{err}"
    );
}

#[test]
fn unknown_status_from_the_server_is_shown_not_fatal() {
    let env = TestEnv::with(|s| s.faults.bad_enums = true);
    let id = env.create("demo/hello", &[]);
    let out = env
        .cmd()
        .args(["scriptum", "thread", "get", &id])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("unknown(42)"), "{}", stdout(&out));
    let out = env
        .cmd()
        .args(["scriptum", "thread", "get", &id, "-o", "json"])
        .output()
        .unwrap();
    let thread: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(thread["status"], "unknown(42)");
    let out = env
        .cmd()
        .args(["scriptum", "thread", "list"])
        .output()
        .unwrap();
    assert!(out.status.success() && stdout(&out).contains("unknown(42)"));
}

#[test]
fn repeated_page_token_stops_with_a_warning() {
    let env = TestEnv::with(|s| s.faults.page_repeat = true);
    for _ in 0..3 {
        env.create("demo/hello", &[]);
    }
    let out = env
        .cmd()
        .args([
            "scriptum",
            "thread",
            "list",
            "--all",
            "--page-size",
            "1",
            "-o",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("repeated a page token"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).lines().count() <= 3);
}
