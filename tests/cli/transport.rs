//! `--transport http` (issue 19), beyond the scenarios that run over both transports (each
//! file's `over_http` module): what only the gateway is for — an HTTP/1.1-only reverse proxy
//! in front of the service, where gRPC cannot pass — the CONNECT proxy, and what a broken
//! gateway (or whatever answers in its place) may send.

use crate::support::gateway::{Canned, Http1Proxy};
use crate::support::proxy::{Behaviour, Proxy, PROXY_ONLY_NAME};
use crate::support::{Execute, TestEnv};

#[test]
fn through_an_http1_only_proxy_grpc_fails_clearly_and_http_works() {
    let env = TestEnv::start();
    let proxy = Http1Proxy::start(&env.url);
    let id = env.finished("demo/etl", &[]);
    let through = |transport: &str, args: &[&str]| {
        let mut cmd = env.thread_cmd(args);
        cmd.args(["--endpoint", &proxy.url(), "--transport", transport]);
        cmd.run()
    };

    let grpc = through("grpc", &["get", &id]);
    grpc.code_is(6)
        .stderr_has("error: GetThread: ")
        .stderr_has("try --transport http");
    assert_eq!(
        grpc.stderr_lines().len(),
        2,
        "one error line and a hint\n{grpc}"
    );
    assert!(proxy.refused_h2.load(std::sync::atomic::Ordering::SeqCst) > 0);

    let got = through("http", &["get", &id, "-o", "json"])
        .success()
        .json();
    assert_eq!(got["threadId"], id.as_str());
    assert_eq!(got["status"], "THREAD_STATUS_COMPLETED");
    // A whole run: create, the watch (SSE), the result and its streams (NDJSON), saved.
    let out = env.path("out");
    let run = through(
        "http",
        &[
            "run",
            "demo/etl",
            "--result",
            "--save",
            out.to_str().unwrap(),
        ],
    );
    run.success();
    for file in ["output.json", "summary.json", "steps/3/output.json"] {
        assert!(out.join(file).is_file(), "{file}\n{run}");
    }
    assert!(proxy.forwarded.load(std::sync::atomic::Ordering::SeqCst) >= 4);
}

#[test]
fn the_gateway_is_reached_through_a_connect_proxy_by_name() {
    let env = TestEnv::start();
    let proxy = Proxy::http(Behaviour::default());
    let port = env.url.rsplit(':').next().unwrap();
    let endpoint = format!("http://{PROXY_ONLY_NAME}:{port}");
    let run = env
        .thread_cmd(["run", "demo/etl", "-o", "jsonl", "--endpoint", &endpoint])
        .args(["--transport", "http"])
        .env("HTTPS_PROXY", proxy.url())
        .run();
    run.success();
    assert!(run.stdout.contains("\"event\":\"completed\""), "{run}");
    let wanted = format!("CONNECT {PROXY_ONLY_NAME}:{port} HTTP/1.1");
    let requests = proxy.requests();
    assert!(
        !requests.is_empty() && requests.iter().all(|r| *r == wanted),
        "{requests:?}"
    );
    // HTTP/1.1 inside the tunnel, with the route and the JSON accept header.
    let first = String::from_utf8_lossy(&proxy.seen()[0].tunneled).into_owned();
    assert!(
        first.starts_with("POST /v1/scriptum/threads HTTP/1.1\r\n"),
        "{first}"
    );
    assert!(
        first
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{first}"
    );
}

#[test]
fn a_proxys_html_error_page_is_one_line_naming_the_route_and_exit_6() {
    let env = TestEnv::with(|s| s.faults.http_html_error = vec!["GetThread".into()]);
    let id = env.create("demo/etl", &["--transport", "http"]);
    let run = env.thread(["get", &id, "--transport", "http"]);
    run.code_is(6).stderr_has(
        "GET /v1/scriptum/threads/{thread_id} answered 502 Bad Gateway, text/html: \"<html>\\r\\n<head>",
    );
    let error = run.stderr_lines()[0];
    assert!(error.starts_with("error: GetThread: "), "{run}");
    assert!(
        !run.stderr.contains("<body>\r\n"),
        "the page is quoted escaped\n{run}"
    );
}

#[test]
fn a_200_that_is_not_json_is_exit_5_naming_the_route() {
    let env = TestEnv::with(|s| s.faults.http_non_json = vec!["ListThreads".into()]);
    let run = env.thread(["list", "--transport", "http"]);
    run.code_is(5).stderr_has("(not JSON: ").stderr_has(
        "GET /v1/scriptum/threads answered 200 OK, text/plain: \"upstream connect error",
    );
}

#[test]
fn truncated_json_is_exit_5_and_a_truncated_download_exit_7() {
    let env = TestEnv::with(|s| s.faults.http_truncate = vec!["GetThread".into()]);
    let id = env.create("demo/etl", &["--transport", "http"]);
    env.thread(["get", &id, "--transport", "http"])
        .code_is(5)
        .stderr_has("(truncated JSON: ")
        .stderr_has("GET /v1/scriptum/threads/{thread_id} answered 200 OK, application/json");

    let env = TestEnv::with(|s| s.faults.http_truncate = vec!["StreamThreadResult".into()]);
    // Over the unary cap: the output comes by StreamThreadResult.
    let id = env.finished(
        "demo/big",
        &["--input", r#"{"bytes": 5000000, "steps": 2}"#],
    );
    let out = env.path("out");
    let run = env
        .thread_cmd(["result", &id, "--transport", "http", "--save"])
        .arg(&out)
        .run();
    run.code_is(7)
        .stderr_has("truncated JSON")
        .stderr_has("GET /v1/scriptum/threads/{thread_id}/result/stream");
    assert!(!out.join("output.json").exists(), "{run}");
}

#[test]
fn a_json_answer_of_the_wrong_shape_is_exit_5_and_never_a_panic() {
    let env = TestEnv::offline();
    for (status, content_type, body, code, said) in [
        (
            "200 OK",
            "application/json",
            r#"{"threadId": 42}"#,
            5,
            "JSON of the wrong shape",
        ),
        (
            "200 OK",
            "application/json",
            "[]",
            5,
            "JSON of the wrong shape",
        ),
        ("200 OK", "text/html", "<html>hello</html>", 5, "not JSON"),
        (
            "404 Not Found",
            "text/plain",
            "no such route",
            5,
            "404 Not Found, text/plain",
        ),
        (
            "503 Service Unavailable",
            "text/html",
            "<h1>down</h1>",
            6,
            "503 Service Unavailable",
        ),
        (
            "401 Unauthorized",
            "application/json",
            r#"{"code": 16, "message": "bad token"}"#,
            5,
            "bad token (UNAUTHENTICATED)",
        ),
    ] {
        let server = Canned::start(status, content_type, body);
        let run = env
            .bare_cmd()
            .args(["scriptum", "thread", "get", "thr_1", "--transport", "http"])
            .args(["--endpoint", &server.url()])
            .run();
        run.code_is(code).stderr_has(said).stderr_lacks("panicked");
    }
    // A result stream answered with a body in neither framing: the download is exit 7.
    let server = Canned::routes(vec![
        ("/result/stream", ("200 OK", "text/plain", "hello\n")),
        ("/steps/stream", ("200 OK", "text/plain", "hello\n")),
        (
            "/result",
            (
                "200 OK",
                "application/json",
                r#"{"threadId": "thr_1", "status": "THREAD_STATUS_COMPLETED", "outputTotalBytes": "10", "outputTruncated": true}"#,
            ),
        ),
        (
            "",
            (
                "200 OK",
                "application/json",
                r#"{"threadId": "thr_1", "status": "THREAD_STATUS_COMPLETED"}"#,
            ),
        ),
    ]);
    let out = env.path("out");
    let run = env
        .bare_cmd()
        .args([
            "scriptum",
            "thread",
            "result",
            "thr_1",
            "--transport",
            "http",
        ])
        .args(["--endpoint", &server.url(), "--save"])
        .arg(&out)
        .run();
    run.code_is(7)
        .stderr_has("neither SSE nor NDJSON: \"hello\"")
        .stderr_has("/result/stream answered 200, text/plain")
        .stderr_lacks("panicked");
    assert!(!out.join("output.json").exists(), "{run}");
}

#[test]
fn the_transport_comes_from_the_flag_the_environment_or_the_profile() {
    let env = TestEnv::start();
    let id = env.finished("demo/etl", &[]);
    std::fs::write(
        env.path("config.yaml"),
        format!(
            "profiles:\n  gw:\n    endpoint: {}\n    transport: http\n",
            env.url
        ),
    )
    .unwrap();
    let via_profile = env
        .bare_cmd()
        .args(["scriptum", "thread", "get", &id, "-v", "--profile", "gw"])
        .run();
    via_profile.success().stderr_has("(HTTP gateway)");
    let flag_wins = env
        .bare_cmd()
        .args(["scriptum", "thread", "get", &id, "-v", "--profile", "gw"])
        .args(["--transport", "grpc"])
        .run();
    flag_wins.success().stderr_lacks("(HTTP gateway)");
    env.thread_cmd(["get", &id, "-v"])
        .env("DODIL_TRANSPORT", "http")
        .run()
        .success()
        .stderr_has("GET /v1/scriptum/threads/");
    env.thread(["get", &id, "--transport", "carrier-pigeon"])
        .code_is(2);
}

#[test]
fn over_tls_the_gateway_is_http2_by_alpn_with_the_same_trust() {
    let env = TestEnv::offline();
    let server = crate::support::server::ServerProcess::start(&env, &["--tls", "--ephemeral"]);
    let ca = server.ca.clone().expect("a generated CA");
    let get = |extra: &[&str]| {
        env.bare_cmd()
            .args(["scriptum", "thread", "list", "-v", "--transport", "http"])
            .args(["--endpoint", &server.url])
            .args(extra)
            .run()
    };
    get(&["--ca-cert", ca.to_str().unwrap()])
        .success()
        .stderr_has("GET /v1/scriptum/threads?pageSize=50 -> 200 over HTTP/2.0");
    // Without the CA the certificate is refused, as over gRPC: exit 6 with the TLS hint.
    get(&[])
        .code_is(6)
        .stderr_has("certificate")
        .stderr_has("--ca-cert FILE");
}

/// A newer server's answer (a field and a step status this proto lacks) still reads, as it
/// does over gRPC, which skips unknown fields: the thread is shown, nothing is refused.
#[test]
fn a_newer_servers_fields_and_enum_names_are_read_leniently() {
    let env = TestEnv::start();
    let server = Canned::start(
        "200 OK",
        "application/json",
        r#"{"threadId": "thr_1", "scriptName": "demo/hello", "status": "THREAD_STATUS_COMPLETED",
            "priority": "high", "placement": {"region": "eu-1"}, "createdAtMs": "1748390400000"}"#,
    );
    let run = env
        .bare_cmd()
        .args(["scriptum", "thread", "get", "thr_1", "--transport", "http"])
        .args(["--endpoint", &server.url(), "-o", "json"])
        .run();
    let got = run.success().json();
    assert_eq!(got["threadId"], "thr_1");
    assert_eq!(got["status"], "THREAD_STATUS_COMPLETED");

    let server = Canned::start(
        "200 OK",
        "application/json",
        r#"{"threads": [{"threadId": "thr_2", "status": "THREAD_STATUS_QUEUED"}], "nextPageToken": ""}"#,
    );
    let run = env
        .bare_cmd()
        .args(["scriptum", "thread", "list", "--transport", "http"])
        .args(["--endpoint", &server.url(), "-o", "jsonl"])
        .run();
    run.success().stdout_has("thr_2");
}
