//! `--jq EXPR`: the JSON a command prints, filtered, as gh's `--jq` does (minus its rounding).

use crate::support::TestEnv;

#[test]
fn strings_print_raw_and_other_values_as_compact_json() {
    let env = TestEnv::start();
    let id = env.finished("demo/hello", &[]);
    let run = env.thread(["get", &id, "--jq", ".status"]);
    assert_eq!(run.success().stdout, "THREAD_STATUS_COMPLETED\n", "{run}");
    let run = env.thread(["get", &id, "--jq", "{id: .threadId, steps: .totalSteps}"]);
    assert_eq!(
        run.success().stdout,
        format!("{{\"id\":\"{id}\",\"steps\":2}}\n"),
        "{run}"
    );
    // Numbers as the JSON had them: the int64 milliseconds, digit for digit.
    let created = env.thread(["get", &id, "-o", "json"]).success().json()["createdAtMs"].clone();
    let run = env.thread(["get", &id, "--jq", ".createdAtMs"]);
    assert_eq!(run.success().stdout.trim(), created.to_string(), "{run}");
}

#[test]
fn with_jsonl_each_line_is_filtered_as_it_is_printed() {
    let env = TestEnv::start();
    let run = env.thread([
        "run",
        "demo/hello",
        "-o",
        "jsonl",
        "--jq",
        r#"select(.event == "stepCompleted") | .stepCompleted.name"#,
    ]);
    assert_eq!(run.success().stdout, "greet\nformat\n", "{run}");
}

#[test]
fn a_list_written_in_pieces_is_filtered_whole() {
    let env = TestEnv::start();
    let ids: Vec<String> = (0..3).map(|_| env.create("demo/hello", &[])).collect();
    let run = env.thread(["list", "--all", "--page-size", "2", "--jq", ".[].threadId"]);
    let mut listed = run
        .success()
        .stdout_lines()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    listed.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(listed, expected, "{run}");
    let run = env.thread(["list", "--jq", "length"]);
    assert_eq!(run.success().stdout, "3\n", "{run}");
}

#[test]
fn an_invalid_filter_is_exit_2_with_its_column_before_any_call() {
    let env = TestEnv::offline();
    // Nothing listens there: a call would be exit 6, so exit 2 proves none was made.
    let run = env.thread([
        "--endpoint",
        "http://127.0.0.1:1",
        "list",
        "--jq",
        ".[] | .threadId |",
    ]);
    run.code_is(2)
        .stderr_has("invalid --jq filter")
        .stderr_has("column 18");
    let run = env.thread([
        "--endpoint",
        "http://127.0.0.1:1",
        "list",
        "--jq",
        "nosuch(1)",
    ]);
    run.code_is(2).stderr_has("undefined filter `nosuch`");
    let run = env.thread([
        "--endpoint",
        "http://127.0.0.1:1",
        "list",
        "-o",
        "yaml",
        "--jq",
        ".",
    ]);
    run.code_is(2).stderr_has("use it with -o json or -o jsonl");
}

#[test]
fn a_filter_that_fails_on_the_data_is_exit_2_naming_it() {
    let env = TestEnv::start();
    let id = env.finished("demo/hello", &[]);
    env.thread(["get", &id, "--jq", r#"error("no such field")"#])
        .code_is(2)
        .stderr_has("--jq: ");
}
