//! Reaching the service from real networks (issue 14): proxy selection from the environment and
//! `--proxy`, HTTP CONNECT and SOCKS5 tunnels, TLS end to end inside them, a proxy's refusals,
//! artifact downloads, and `dev-server --tls`. Every part is real and on 127.0.0.1: the proxies
//! of `support::proxy` (which reach loopback only), the dev server in this process or as its own
//! process. The endpoint `scriptum.test` is a name only those proxies map, so a client that
//! looked it up itself would fail.

use std::path::Path;

use crate::support::proxy::{Behaviour, Proxy, PROXY_ONLY_NAME};
use crate::support::server::ServerProcess;
use crate::support::{artifact_env, Execute, Run, TestEnv};

/// The in-process dev server's port.
fn port_of(env: &TestEnv) -> u16 {
    env.url.rsplit(':').next().unwrap().parse().unwrap()
}

/// The dev server under the name only the proxies know: `http://scriptum.test:PORT`.
fn named(env: &TestEnv) -> String {
    format!("http://{PROXY_ONLY_NAME}:{}", port_of(env))
}

#[track_caller]
fn lacks_secret(run: &Run, secret: &str) {
    assert!(
        !run.stdout.contains(secret) && !run.stderr.contains(secret),
        "{secret:?} was shown\n{run}"
    );
}

#[track_caller]
fn connects(proxy: &Proxy, target: &str) {
    let wanted = format!("CONNECT {target} HTTP/1.1");
    let requests = proxy.requests();
    assert!(
        !requests.is_empty() && requests.iter().all(|r| *r == wanted),
        "expected only {wanted:?}, the proxy saw {requests:?}"
    );
}

// ---- selection: the environment, either case, and what overrides it --------------------------

#[test]
fn https_proxy_and_all_proxy_in_either_case_tunnel_to_the_name() {
    let env = TestEnv::start();
    for var in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        let proxy = Proxy::http(Behaviour::default());
        let run = env
            .thread_cmd(["list", "-v", "--endpoint", &named(&env)])
            .env(var, proxy.url())
            .run();
        run.success().stderr_has(&format!(
            "connect {PROXY_ONLY_NAME}:{} via proxy {} (from {var})",
            port_of(&env),
            proxy.url(),
        ));
        // The request names the target; the proxy resolved it (no lookup here could have).
        let target = format!("{PROXY_ONLY_NAME}:{}", port_of(&env));
        connects(&proxy, &target);
        assert_eq!(proxy.seen()[0].header("host"), Some(target.as_str()));
    }
}

#[test]
fn https_proxy_comes_before_all_proxy() {
    let env = TestEnv::start();
    let (https, all) = (
        Proxy::http(Behaviour::default()),
        Proxy::http(Behaviour::default()),
    );
    env.thread_cmd(["list", "--endpoint", &named(&env)])
        .env("ALL_PROXY", all.url())
        .env("https_proxy", https.url())
        .run()
        .success();
    assert_eq!(https.requests().len(), 1);
    assert!(all.requests().is_empty());
}

#[test]
fn an_explicit_proxy_overrides_the_environment_flag_first() {
    let env = TestEnv::start();
    let from_env = Proxy::http(Behaviour::default());
    let flag = Proxy::http(Behaviour::default());
    let dodil_proxy = Proxy::http(Behaviour::default());
    let profile = Proxy::http(Behaviour::default());
    std::fs::write(
        env.path("config.yaml"),
        format!(
            "default_profile: corp\nprofiles:\n  corp:\n    proxy: {}\n",
            profile.url()
        ),
    )
    .unwrap();
    let run = |extra: &[&str], dodil: bool| {
        let mut cmd = env.thread_cmd(["list", "--endpoint", &named(&env)]);
        cmd.args(extra).env("HTTPS_PROXY", from_env.url());
        if dodil {
            cmd.env("DODIL_PROXY", dodil_proxy.url());
        }
        cmd.run().success();
    };
    // The profile's proxy: beats the environment...
    run(&[], false);
    // ...DODIL_PROXY beats the profile...
    run(&[], true);
    // ...and --proxy beats them all.
    run(&["--proxy", &flag.url()], true);
    for (proxy, name) in [
        (&profile, "profile"),
        (&dodil_proxy, "DODIL_PROXY"),
        (&flag, "--proxy"),
    ] {
        assert_eq!(proxy.requests().len(), 1, "{name}: {:?}", proxy.requests());
    }
    assert!(from_env.requests().is_empty(), "{:?}", from_env.requests());
}

#[test]
fn loopback_and_embedded_go_direct_unless_the_proxy_is_explicit() {
    let env = TestEnv::start();
    let proxy = Proxy::http(Behaviour::default());
    let port = port_of(&env);
    for endpoint in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        "embedded".to_string(),
    ] {
        env.thread_cmd(["list", "-v", "--endpoint", &endpoint])
            .env("HTTPS_PROXY", proxy.url())
            .env("ALL_PROXY", proxy.url())
            .run()
            .success()
            .stderr_has("direct (loopback)")
            .stderr_lacks("via proxy");
    }
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());

    // An explicit --proxy takes loopback, and the embedded server, too.
    let run = env
        .thread_cmd([
            "list",
            "-v",
            "--endpoint",
            "embedded",
            "--proxy",
            &proxy.url(),
        ])
        .run();
    run.success().stderr_has("via proxy");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(
        requests[0].starts_with("CONNECT 127.0.0.1:"),
        "{requests:?}"
    );
}

/// Runs `dodil ARGS...` where `scriptum.test` resolves to 127.0.0.1 from a private /etc/hosts
/// (a user+mount namespace), so a connection that goes direct can reach the dev server without
/// any DNS query. `None` when namespaces are unavailable and the skip switch is set.
fn with_hosts_file(env: &TestEnv, vars: &[(&str, &str)], args: &[&str]) -> Option<Run> {
    if !crate::hardening::namespaces_available("proxy::with_hosts_file") {
        return None;
    }
    let hosts = env.path("hosts");
    std::fs::write(&hosts, format!("127.0.0.1 localhost {PROXY_ONLY_NAME}\n")).unwrap();
    let mut cmd = env.program("unshare");
    cmd.args([
        "-Urm",
        "sh",
        "-c",
        r#"mount --bind "$HOSTS" /etc/hosts && exec "$@""#,
        "sh",
        crate::support::DODIL,
    ])
    .args(args)
    .env("HOSTS", &hosts);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    Some(cmd.run())
}

#[test]
fn no_proxy_forms_and_proxy_none_go_direct() {
    let env = TestEnv::start();
    let proxy = Proxy::http(Behaviour::default());
    let endpoint = named(&env);
    let list = ["scriptum", "thread", "list", "-v", "--endpoint", &endpoint];
    let url = proxy.url();

    // The control: with the proxy set and no exemption, the connection goes through it.
    let Some(run) = with_hosts_file(&env, &[("HTTPS_PROXY", &url)], &list) else {
        return;
    };
    run.success().stderr_has("via proxy");
    assert_eq!(proxy.requests().len(), 1);

    for (var, value) in [
        ("NO_PROXY", PROXY_ONLY_NAME),
        ("NO_PROXY", ".test"),
        ("NO_PROXY", "*"),
        ("NO_PROXY", "other.example, scriptum.test"),
        ("no_proxy", "test"),
    ] {
        let run = with_hosts_file(&env, &[("HTTPS_PROXY", &url), (var, value)], &list).unwrap();
        run.success().stderr_has(&format!("direct ({var})"));
    }
    for (vars, extra, why) in [
        (
            vec![("HTTPS_PROXY", url.as_str())],
            vec!["--proxy", "none"],
            "--proxy",
        ),
        (
            vec![("HTTPS_PROXY", url.as_str()), ("DODIL_PROXY", "none")],
            vec![],
            "DODIL_PROXY",
        ),
    ] {
        let args: Vec<&str> = list.iter().copied().chain(extra).collect();
        let run = with_hosts_file(&env, &vars, &args).unwrap();
        run.success()
            .stderr_has(&format!("direct (proxy none, from {why})"));
    }
    std::fs::write(
        env.path("config.yaml"),
        "default_profile: home\nprofiles:\n  home:\n    proxy: none\n",
    )
    .unwrap();
    with_hosts_file(&env, &[("HTTPS_PROXY", &url)], &list)
        .unwrap()
        .success()
        .stderr_has("direct (proxy none, from the proxy: of profile \"home\")");
    // Only the control went through the proxy.
    assert_eq!(proxy.requests().len(), 1, "{:?}", proxy.requests());
}

// ---- TLS end to end inside the tunnel --------------------------------------------------------

#[test]
fn tls_runs_end_to_end_through_the_tunnel_with_the_dev_servers_ca() {
    let env = TestEnv::offline();
    let server = ServerProcess::start(&env, &["--tls", "--ephemeral"]);
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let ca = server.ca.clone().expect("a ca certificate line");
    assert!(std::fs::read_to_string(&ca)
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    let proxy = Proxy::http(Behaviour::default());
    let endpoint = format!("https://localhost:{}", server.port);

    // localhost is loopback: only an explicit proxy takes it.
    let run = env
        .thread_cmd([
            "run",
            "demo/hello",
            "-v",
            "--endpoint",
            &endpoint,
            "--proxy",
            &proxy.url(),
        ])
        .arg("--ca-cert")
        .arg(&ca)
        .run();
    run.success().stderr_has("via proxy");
    connects(&proxy, &format!("localhost:{}", server.port));
    // What went through the tunnel is a TLS handshake naming the server (SNI): the proxy saw
    // no gRPC, only TLS.
    let tunneled = &proxy.seen()[0].tunneled;
    assert_eq!(tunneled.first(), Some(&0x16), "a TLS record: {tunneled:?}");
    assert!(contains(tunneled, b"localhost"), "SNI: {tunneled:?}");
    assert!(contains(tunneled, b"h2"), "ALPN h2: {tunneled:?}");

    // Without the CA, the certificate is refused at the far end of the tunnel.
    env.thread(["list", "--endpoint", &endpoint, "--proxy", &proxy.url()])
        .code_is(6)
        .stderr_has("certificate")
        .stderr_has("--ca-cert");

    // An ephemeral server's CA goes with it.
    drop(server);
    assert!(!ca.exists(), "{} is left behind", ca.display());
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn https_proxy_reaches_a_named_tls_server_and_saves_a_run() {
    // A certificate for the proxy-only name, served with --tls-cert/--tls-key.
    let env = TestEnv::offline();
    let generated = dodil::devserver::tls::generate(&[PROXY_ONLY_NAME]).unwrap();
    let (cert, key, ca) = (
        env.path("cert.pem"),
        env.path("key.pem"),
        env.path("ca.pem"),
    );
    std::fs::write(&cert, &generated.identity.cert_pem).unwrap();
    std::fs::write(&key, &generated.identity.key_pem).unwrap();
    std::fs::write(&ca, &generated.ca_pem).unwrap();
    let server = ServerProcess::start(
        &env,
        &[
            "--ephemeral",
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(server.ca.is_none());
    let proxy = Proxy::http(Behaviour::default());
    let endpoint = format!("https://{PROXY_ONLY_NAME}:{}", server.port);
    let out = env.path("out");
    let run = env
        .thread_cmd([
            "run",
            "demo/etl",
            "--result",
            "--endpoint",
            &endpoint,
            "--save",
        ])
        .arg(&out)
        .arg("--ca-cert")
        .arg(&ca)
        .env("HTTPS_PROXY", proxy.url())
        .run();
    run.success();
    for file in [
        "output.json",
        "summary.json",
        "yields.jsonl",
        "steps/3/output.json",
    ] {
        assert!(out.join(file).is_file(), "{file}\n{run}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["complete"], true, "{summary}");
    // Every connection (the run, its stream, the result streams) went through the proxy, by name.
    connects(&proxy, &format!("{PROXY_ONLY_NAME}:{}", server.port));
    assert!(contains(
        &proxy.seen()[0].tunneled,
        PROXY_ONLY_NAME.as_bytes()
    ));
}

#[test]
fn the_dev_servers_ca_lives_in_its_data_dir() {
    let env = TestEnv::offline();
    let data = env.path("data-tls");
    let server = ServerProcess::start(&env, &["--tls", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(server.ca.as_deref(), Some(data.join("ca.pem").as_path()));
    env.thread_cmd(["list", "--endpoint", &server.url, "--ca-cert"])
        .arg(data.join("ca.pem"))
        .run()
        .success();
}

// ---- a proxy's credentials and refusals ------------------------------------------------------

#[test]
fn a_proxy_demanding_credentials_gets_them_from_the_url_and_they_never_show() {
    let secret = "s3cret-Pw";
    let env = TestEnv::start();
    let proxy = Proxy::http(Behaviour {
        credentials: Some(("alice".into(), format!("{secret}@x"))),
        ..Behaviour::default()
    });
    let list = || env.thread_cmd(["list", "-v", "--endpoint", &named(&env)]);

    let run = list().env("HTTPS_PROXY", proxy.url()).run();
    run.code_is(6)
        .stderr_has("407 Proxy Authentication Required")
        .stderr_has(&format!("proxy {} (from HTTPS_PROXY)", proxy.url()))
        .stderr_has("hint: the proxy wants credentials");

    let wrong = proxy.url_with("http", "alice:wrong-Pw");
    let run = list().env("HTTPS_PROXY", &wrong).run();
    run.code_is(6)
        .stderr_has("407")
        .stderr_has("http://alice:***@127.0.0.1")
        .stderr_has("hint: the proxy did not accept the credentials");
    lacks_secret(&run, "wrong-Pw");

    // Right, percent-encoded (`@` in the password), from HTTPS_PROXY and from DODIL_PROXY.
    let right = proxy.url_with("http", &format!("alice:{secret}%40x"));
    for var in ["HTTPS_PROXY", "DODIL_PROXY"] {
        let run = list().env(var, &right).run();
        run.success().stderr_has(&format!(
            "via proxy http://alice:***@127.0.0.1:{} (from {var})",
            proxy.port
        ));
        lacks_secret(&run, secret);
    }
    use base64::Engine as _;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{secret}@x"))
    );
    assert_eq!(
        proxy.seen().last().unwrap().header("proxy-authorization"),
        Some(basic.as_str())
    );

    // A password is never taken on the command line, and the refusal does not repeat it.
    let run = env.thread(["list", "--endpoint", &named(&env), "--proxy", &right]);
    run.code_is(2)
        .stderr_has("never taken as a command-line value");
    lacks_secret(&run, secret);
}

#[test]
fn refusing_closing_and_unreachable_proxies_are_exit_6_naming_the_proxy() {
    let env = TestEnv::start();
    let target = format!("CONNECT {PROXY_ONLY_NAME}:{}", port_of(&env));
    for (behaviour, says, hint) in [
        (
            Behaviour {
                answer: Some("403 Forbidden"),
                ..Behaviour::default()
            },
            format!("answered {target} with 403 Forbidden"),
            "the proxy would not open a tunnel",
        ),
        (
            Behaviour {
                answer: Some("502 Bad Gateway"),
                ..Behaviour::default()
            },
            format!("answered {target} with 502 Bad Gateway"),
            "the proxy could not reach the endpoint",
        ),
        (
            Behaviour {
                close: true,
                ..Behaviour::default()
            },
            format!("closed the connection during {target}"),
            "check the proxy",
        ),
    ] {
        let proxy = Proxy::http(behaviour);
        env.thread_cmd(["get", "thr_x", "--endpoint", &named(&env)])
            .env("HTTPS_PROXY", proxy.url())
            .run()
            .code_is(6)
            .stderr_has(&format!("error: GetThread: proxy {}", proxy.url()))
            .stderr_has(&says)
            .stderr_has(&format!("hint: {hint}"));
    }

    // Nothing listens there any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let run = env
        .thread_cmd(["run", "demo/hello", "--endpoint", &named(&env)])
        .env(
            "HTTPS_PROXY",
            format!("http://alice:unseen-Pw@127.0.0.1:{port}"),
        )
        .run();
    run.code_is(6)
        .stderr_has(&format!(
            "cannot reach proxy http://alice:***@127.0.0.1:{port} (from HTTPS_PROXY)"
        ))
        .stderr_has("hint: check the proxy: HTTPS_PROXY");
    lacks_secret(&run, "unseen-Pw");
}

#[test]
fn bad_proxy_settings_are_exit_2_naming_them() {
    let env = TestEnv::start();
    let list = || env.thread_cmd(["list", "--endpoint", &named(&env)]);
    list()
        .args(["--proxy", "ftp://proxy.example:21"])
        .run()
        .code_is(2)
        .stderr_has("unsupported proxy scheme \"ftp\" in --proxy")
        .stderr_has("hint: ");
    list()
        .env("HTTPS_PROXY", "socks4://u:Pw-in-env@proxy.example:1080")
        .run()
        .code_is(2)
        .stderr_has("unsupported proxy scheme \"socks4\" in HTTPS_PROXY")
        .stderr_lacks("Pw-in-env");
    list()
        .env("DODIL_PROXY", "http://proxy.example:http")
        .run()
        .code_is(2)
        .stderr_has("invalid proxy URL in DODIL_PROXY");
    std::fs::write(
        env.path("config.yaml"),
        "profiles:\n  corp:\n    proxy: gopher://proxy.example\n",
    )
    .unwrap();
    list()
        .args(["--profile", "corp"])
        .run()
        .code_is(2)
        .stderr_has("\"gopher\" in the proxy: of profile \"corp\"");
}

// ---- streams, artifacts and SOCKS5 through the proxy ------------------------------------------

#[test]
fn a_watch_stream_follows_a_thread_through_the_proxy() {
    use std::io::BufRead;
    use std::process::Stdio;
    use std::sync::mpsc;

    // demo/approval pauses at its `ask` step until resumed: the watch is open, live, while the
    // thread moves on, whatever the machine's load.
    let env = TestEnv::start();
    let proxy = Proxy::http(Behaviour::default());
    let endpoint = named(&env);
    let through = |args: &[&str]| {
        let mut cmd = env.thread_cmd(args);
        cmd.args(["--endpoint", &endpoint])
            .env("HTTPS_PROXY", proxy.url());
        cmd
    };
    let id = through(&["create", "demo/approval"])
        .run()
        .success()
        .stdout
        .trim()
        .to_string();
    let mut watch = through(&["watch", &id, "--wait-paused", "-o", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (send, lines) = mpsc::channel();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = send.send(line);
        }
    });
    let mut seen = Vec::new();
    while !seen
        .iter()
        .any(|l: &String| l.contains("\"primitive\":\"ask\""))
    {
        match lines.recv_timeout(crate::support::WAIT_LIMIT) {
            Ok(line) => seen.push(line),
            Err(_) => panic!("no pause came through the watch: {seen:?}"),
        }
    }
    through(&["resume", &id]).run().success();
    let status = crate::support::wait_bounded(&mut watch, crate::support::WAIT_LIMIT);
    // The reader ends at EOF, now that the watch has exited.
    seen.extend(lines.iter());
    assert_eq!(status.code(), Some(0), "{seen:?}");
    assert!(
        seen.iter().any(|l| l.contains("\"event\":\"completed\"")),
        "{seen:?}"
    );
    connects(&proxy, &format!("{PROXY_ONLY_NAME}:{}", port_of(&env)));
}

#[test]
fn artifact_downloads_take_the_proxy_and_carry_no_authorization() {
    let (env, _files) = artifact_env(|s| s.token = Some("bearer-Tok-77".into()));
    let id = env
        .thread_cmd(["create", "demo/hello"])
        .env("DODIL_TOKEN", "bearer-Tok-77")
        .run()
        .success()
        .stdout
        .trim()
        .to_string();
    let proxy = Proxy::http(Behaviour::default());
    let out = env.path("artifacts");
    let run = env
        .thread_cmd(["artifacts", &id, "-v", "--proxy", &proxy.url(), "--save"])
        .arg(&out)
        .env("DODIL_TOKEN", "bearer-Tok-77")
        .run();
    run.success()
        .stderr_has("artifact report.json: download via proxy");
    lacks_secret(&run, "bearer-Tok-77");
    assert!(out.join("report.json").is_file() && out.join("blob.bin").is_file());

    // Two downloads through the proxy (ureq tunnels http:// too), each a plain GET with no
    // authorization header: the bearer token goes to the endpoint only.
    let downloads: Vec<_> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.tunneled.starts_with(b"GET /artifacts/"))
        .collect();
    assert_eq!(downloads.len(), 2, "{:?}", proxy.requests());
    for download in downloads {
        let head = String::from_utf8_lossy(&download.tunneled).to_ascii_lowercase();
        let head = head.split("\r\n\r\n").next().unwrap();
        assert!(
            !head.lines().any(|l| l.starts_with("authorization:")),
            "{head}"
        );
        assert!(!head.contains("bearer"), "{head}");
    }

    // From the environment, the loopback download URLs go direct.
    let again = env.path("again");
    env.thread_cmd(["artifacts", &id, "-v", "--save"])
        .arg(&again)
        .env("DODIL_TOKEN", "bearer-Tok-77")
        .env("HTTP_PROXY", proxy.url())
        .env("ALL_PROXY", proxy.url())
        .run()
        .success()
        .stderr_has("artifact report.json: download direct (loopback)");
}

#[test]
fn socks5h_sends_the_name_socks5_the_address_and_credentials_work() {
    let env = TestEnv::start();
    let port = port_of(&env);

    let socks = Proxy::socks5(Behaviour::default());
    env.thread_cmd(["list", "-v", "--endpoint", &named(&env)])
        .env("ALL_PROXY", socks.url_with("socks5h", ""))
        .run()
        .success()
        .stderr_has("via proxy socks5h://127.0.0.1");
    assert_eq!(
        socks.requests(),
        vec![format!("SOCKS5 domain {PROXY_ONLY_NAME}:{port}")]
    );

    // socks5://: the name is resolved here (localhost needs no DNS) and the address sent.
    let socks = Proxy::socks5(Behaviour::default());
    env.thread([
        "list",
        "--endpoint",
        &format!("http://localhost:{port}"),
        "--proxy",
        &socks.url(),
    ])
    .success();
    let requests = socks.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(
        requests[0] == format!("SOCKS5 ip 127.0.0.1:{port}")
            || requests[0] == format!("SOCKS5 ip ::1:{port}"),
        "{requests:?}"
    );

    let socks = Proxy::socks5(Behaviour {
        credentials: Some(("bob".into(), "socks-Pw".into())),
        ..Behaviour::default()
    });
    let run = env
        .thread_cmd(["list", "--endpoint", &named(&env)])
        .env("HTTPS_PROXY", socks.url_with("socks5h", ""))
        .run();
    run.code_is(6)
        .stderr_has("hint: the proxy wants credentials");
    let run = env
        .thread_cmd(["list", "-v", "--endpoint", &named(&env)])
        .env("HTTPS_PROXY", socks.url_with("socks5h", "bob:socks-Pw"))
        .run();
    run.success().stderr_has("socks5h://bob:***@127.0.0.1");
    lacks_secret(&run, "socks-Pw");
}

// ---- documentation ---------------------------------------------------------------------------

#[test]
fn the_man_page_lists_the_proxy_variables() {
    let env = TestEnv::offline();
    let page = env.dodil(["man"]).success().stdout.clone();
    let environment = &page[page
        .find(".SH ENVIRONMENT")
        .expect("an ENVIRONMENT section")..];
    for var in [
        "DODIL_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "HTTP_PROXY",
        "NO_PROXY",
        "no_proxy",
    ] {
        assert!(environment.contains(var), "{var} in\n{environment}");
    }
    let dir = env.path("man");
    env.cmd().args(["man", "--dir"]).arg(&dir).run().success();
    let run_page =
        std::fs::read_to_string(Path::new(&dir).join("dodil-scriptum-thread-run.1")).unwrap();
    assert!(run_page.contains(".SH ENVIRONMENT") && run_page.contains("HTTPS_PROXY"));
}

/// The same scenarios over the HTTP gateway (`--transport http`): the same outputs, files and
/// exit codes.
mod over_http {
    use crate::support::over_http;

    #[test]
    fn a_watch_stream_follows_a_thread_through_the_proxy() {
        over_http(super::a_watch_stream_follows_a_thread_through_the_proxy);
    }

    #[test]
    fn https_proxy_reaches_a_named_tls_server_and_saves_a_run() {
        over_http(super::https_proxy_reaches_a_named_tls_server_and_saves_a_run);
    }

    #[test]
    fn tls_runs_end_to_end_through_the_tunnel_with_the_dev_servers_ca() {
        over_http(super::tls_runs_end_to_end_through_the_tunnel_with_the_dev_servers_ca);
    }

    #[test]
    fn refusing_closing_and_unreachable_proxies_are_exit_6_naming_the_proxy() {
        over_http(super::refusing_closing_and_unreachable_proxies_are_exit_6_naming_the_proxy);
    }

    #[test]
    fn a_proxy_demanding_credentials_gets_them_from_the_url_and_they_never_show() {
        over_http(super::a_proxy_demanding_credentials_gets_them_from_the_url_and_they_never_show);
    }

    #[test]
    fn socks5h_sends_the_name_socks5_the_address_and_credentials_work() {
        over_http(super::socks5h_sends_the_name_socks5_the_address_and_credentials_work);
    }
}
