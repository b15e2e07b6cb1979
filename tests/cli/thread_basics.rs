//! `thread create`, `get` and `list` against the dev server, through the real binary.

use std::collections::HashSet;

use crate::support::{Execute, TestEnv};

#[test]
fn create_with_inline_file_and_stdin_input() {
    let env = TestEnv::start();

    let inline = env.create("demo/hello", &["--input", r#"{"name": "inline"}"#]);
    assert!(inline.starts_with("thr_"), "{inline}");

    let file = env.path("input.json");
    std::fs::write(&file, r#"{"name": "file"}"#).unwrap();
    let from_file = env.create("demo/hello", &["--input", &format!("@{}", file.display())]);

    let run = env
        .thread_cmd(["create", "demo/hello", "--input", "@-", "-o", "json"])
        .run_with_stdin(r#"{"name": "stdin"}"#);
    let created = run.success().json();
    let from_stdin = created["threadId"].as_str().unwrap().to_string();
    assert_eq!(created["status"], "THREAD_STATUS_PENDING");
    assert!(created["createdAtMs"].as_i64().unwrap() > 0);

    let ids = [inline, from_file, from_stdin];
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 3);
    for id in &ids {
        let thread = env.thread(["get", id, "-o", "json"]).success().json();
        assert_eq!(thread["threadId"], id.as_str());
        assert_eq!(thread["scriptName"], "demo/hello");
    }
}

#[test]
fn table_create_prints_the_id_alone_and_metadata_is_echoed() {
    let env = TestEnv::start();
    let run = env.thread([
        "create",
        "demo/hello",
        "--metadata",
        "run=nightly",
        "--metadata",
        "owner=ops",
        "--timeout",
        "5m",
        "--env",
    ]);
    run.success().stderr_has("created thread");
    assert_eq!(run.stdout_lines().len(), 1, "{run}");
    let thread = env.wait_for(run.stdout.trim(), |_| true);
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
        let run = env.thread_cmd(["create", "demo/hello"]).args(&args).run();
        run.code_is(2).stderr_has(expect);
        assert!(run.stderr.starts_with("error: "), "{run}");
    }
    // Nothing reached the server: it has no threads.
    let run = env.thread(["list", "-o", "json"]);
    assert_eq!(run.success().stdout.trim(), "[]", "{run}");
}

#[test]
fn server_refusals_are_exit_5() {
    let env = TestEnv::start();
    env.thread(["create", "no/such-script"])
        .code_is(5)
        .stderr_has("NOT_FOUND");
    env.thread(["get", "thr_doesnotexist"]).code_is(5);
}

#[test]
fn get_in_every_format() {
    let env = TestEnv::start();
    let id = env.create("demo/hello", &["--metadata", "k=v"]);
    env.wait_for(&id, |t| t["status"] == "THREAD_STATUS_COMPLETED");

    let get = |format: &str| env.thread(["get", &id, "-o", format]);
    let table = get("table");
    table.success();
    for label in [
        "Thread:",
        "Script:",
        "Status:",
        "Created:",
        "Duration:",
        "Metadata:",
    ] {
        table.stdout_has(label);
    }
    table.stdout_has("completed").stdout_has("k=v");

    let json = get("json").success().json();
    assert_eq!(json["status"], "THREAD_STATUS_COMPLETED");
    assert!(json["finishedAtMs"].is_i64());
    let yaml = get("yaml").success().yaml();
    assert_eq!(yaml["threadId"].as_str(), Some(id.as_str()));
    let jsonl = get("jsonl");
    let lines = jsonl.success().jsonl();
    assert_eq!(lines.len(), 1, "{jsonl}");
    assert_eq!(lines[0]["threadId"], id.as_str());
}

#[test]
fn list_pages_filters_and_formats() {
    let env = TestEnv::start();
    let mut ids: Vec<String> = (0..7).map(|_| env.create("demo/hello", &[])).collect();
    ids.push(env.create("demo/fail", &[]));
    let failed = ids.last().unwrap().clone();
    env.wait_for(&failed, |t| t["status"] == "THREAD_STATUS_FAILED");

    let list = |args: &[&str]| -> Vec<String> {
        let run = env.thread_cmd(["list", "-o", "jsonl"]).args(args).run();
        run.success()
            .jsonl()
            .iter()
            .map(|t| t["threadId"].as_str().unwrap().to_string())
            .collect()
    };
    // --all over pages of 3 sees all 8, once each.
    let all = list(&["--all", "--page-size", "3"]);
    assert_eq!(all.len(), 8, "{all:?}");
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 8);
    // --limit stops across a page boundary.
    assert_eq!(list(&["--limit", "5", "--page-size", "2"]).len(), 5);
    // Status filter in both spellings, and the script filter.
    assert_eq!(list(&["--status", "failed"]), vec![failed.clone()]);
    assert_eq!(
        list(&["--status", "THREAD_STATUS_FAILED"]),
        vec![failed.clone()]
    );
    assert_eq!(list(&["--script", "demo/fail"]), vec![failed.clone()]);

    let table = env.thread(["list"]);
    let header = table.success().stdout_lines()[0];
    for column in [
        "ID", "SCRIPT", "VERSION", "STATUS", "CREATED", "DURATION", "STEP",
    ] {
        assert!(header.contains(column), "{table}");
    }
    assert_eq!(table.stdout_lines().len(), 9, "{table}");

    let json = env.thread(["list", "-o", "json", "--limit", "3"]).json();
    assert_eq!(json.as_array().unwrap().len(), 3);
    let yaml = env.thread(["list", "-o", "yaml", "--limit", "2"]).yaml();
    assert_eq!(yaml.as_sequence().unwrap().len(), 2);
}

#[test]
fn wrong_status_lists_the_valid_ones() {
    let env = TestEnv::start();
    env.thread(["list", "--status", "done"])
        .code_is(2)
        .stderr_has("pending, running, completed, failed, cancelled, paused");
}

#[test]
fn auth_token_is_required_and_never_echoed() {
    let env = TestEnv::with(|s| s.token = Some("s3cret-token-value".into()));
    env.thread(["list"])
        .code_is(5)
        .stderr_has("hint:")
        .stderr_has("DODIL_TOKEN");

    let run = env
        .thread_cmd(["list", "-v"])
        .env("DODIL_TOKEN", "s3cret-token-value")
        .run();
    run.success()
        .stderr_has("ListThreads: OK")
        .stderr_lacks("s3cret");
    assert!(!run.stdout.contains("s3cret"), "{run}");

    let token_file = env.path("token");
    std::fs::write(&token_file, b"s3cret-token-value\n").unwrap();
    env.thread_cmd(["list", "-v", "--token-file"])
        .arg(&token_file)
        .run()
        .success();

    env.thread_cmd(["list"])
        .env("DODIL_TOKEN", "wrong-token")
        .run()
        .code_is(5)
        .stderr_lacks("wrong-token");
}

#[test]
fn unreachable_endpoint_is_exit_6_quickly() {
    let port = crate::support::CLOSED_PORT;
    let env = TestEnv::offline();
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    env.thread(["get", "thr_x", "--endpoint", &endpoint])
        .code_is(6)
        .stderr_has("hint:");
    // Refused connections are not retried for the whole 60 s retry budget (a hang guard, not
    // a timing claim: the command takes well under a second).
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
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
    let create = ["scriptum", "thread", "create", "demo/hello", "-o", "json"];
    let org_of = |cmd: &mut std::process::Command| {
        let created = cmd.run().success().json();
        let id = created["threadId"].as_str().unwrap().to_string();
        env.wait_for(&id, |_| true)["organizationName"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(org_of(env.bare_cmd().args(create)), "from-profile");
    // Environment beats the profile; the flag beats the environment.
    assert_eq!(
        org_of(env.bare_cmd().args(create).env("DODIL_ORG", "from-env")),
        "from-env"
    );
    assert_eq!(
        org_of(
            env.bare_cmd()
                .args(create)
                .args(["--org", "from-flag"])
                .env("DODIL_ORG", "from-env")
        ),
        "from-flag"
    );

    // A flag endpoint beats the profile's: a dead port fails with 6.
    env.bare_cmd()
        .args([
            "scriptum",
            "thread",
            "list",
            "--endpoint",
            "http://127.0.0.1:9",
        ])
        .run()
        .code_is(6);

    // Unknown profile and malformed file: exit 2, naming what is wrong.
    env.bare_cmd()
        .args(["scriptum", "thread", "list", "--profile", "nope"])
        .run()
        .code_is(2)
        .stderr_has("unknown profile")
        .stderr_has("staging");
    std::fs::write(
        env.path("config.yaml"),
        "profiles:\n  local:\n    endpont: x\n",
    )
    .unwrap();
    env.bare_cmd()
        .args(["scriptum", "thread", "list"])
        .run()
        .code_is(2)
        .stderr_has("config.yaml")
        .stderr_has("line 3");
}

#[test]
fn unknown_status_from_the_server_is_shown_not_fatal() {
    let env = TestEnv::with(|s| s.faults.bad_enums = true);
    let id = env.create("demo/hello", &[]);
    env.thread(["get", &id]).success().stdout_has("unknown(42)");
    let thread = env.thread(["get", &id, "-o", "json"]).success().json();
    assert_eq!(thread["status"], "unknown(42)");
    env.thread(["list"]).success().stdout_has("unknown(42)");
}

#[test]
fn repeated_page_token_stops_with_a_warning() {
    let env = TestEnv::with(|s| s.faults.page_repeat = true);
    for _ in 0..3 {
        env.create("demo/hello", &[]);
    }
    let run = env.thread(["list", "--all", "--page-size", "1", "-o", "jsonl"]);
    run.success().stderr_has("repeated a page token");
    assert!(run.stdout_lines().len() <= 3, "{run}");
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn create_with_inline_file_and_stdin_input() {
        over_http(super::create_with_inline_file_and_stdin_input);
    }

    #[test]
    fn table_create_prints_the_id_alone_and_metadata_is_echoed() {
        over_http(super::table_create_prints_the_id_alone_and_metadata_is_echoed);
    }

    #[test]
    fn server_refusals_are_exit_5() {
        over_http(super::server_refusals_are_exit_5);
    }

    #[test]
    fn get_in_every_format() {
        over_http(super::get_in_every_format);
    }

    #[test]
    fn list_pages_filters_and_formats() {
        over_http(super::list_pages_filters_and_formats);
    }

    #[test]
    fn auth_token_is_required_and_never_echoed() {
        over_http(super::auth_token_is_required_and_never_echoed);
    }

    #[test]
    fn unreachable_endpoint_is_exit_6_quickly() {
        over_http(super::unreachable_endpoint_is_exit_6_quickly);
    }
}
