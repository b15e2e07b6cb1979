//! Real proxies on 127.0.0.1 for the network tests: an HTTP CONNECT proxy and a SOCKS5 proxy,
//! each recording what it was asked and the first bytes sent through each tunnel. They reach
//! loopback only: a name they are told of ([`PROXY_ONLY_NAME`], which no resolver knows) or a
//! loopback address; any other target is refused (502, SOCKS "host unreachable"), so nothing a
//! test does can leave the machine.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A made-up name only these proxies map (to 127.0.0.1): a client that looked it up itself
/// would fail.
pub const PROXY_ONLY_NAME: &str = "scriptum.test";

/// How much of each tunnel's client-to-server bytes is kept.
const KEEP: usize = 4096;

/// What a proxy does with each request.
#[derive(Clone, Default)]
pub struct Behaviour {
    /// Demand these credentials: `Proxy-Authorization: Basic` (HTTP) or username/password
    /// authentication (SOCKS5).
    pub credentials: Option<(String, String)>,
    /// Answer every CONNECT with this status line (e.g. `403 Forbidden`) instead of a tunnel.
    pub answer: Option<&'static str>,
    /// Close the connection as soon as the request has arrived.
    pub close: bool,
}

/// One request a proxy received.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `CONNECT scriptum.test:443 HTTP/1.1`; for SOCKS5 `SOCKS5 domain scriptum.test:443` or
    /// `SOCKS5 ip 127.0.0.1:443`.
    pub request: String,
    /// HTTP header lines as sent (none for SOCKS5).
    pub headers: Vec<(String, String)>,
    /// The first bytes the client sent through the tunnel.
    pub tunneled: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Entry {
    request: String,
    headers: Vec<(String, String)>,
    tunneled: Arc<Mutex<Vec<u8>>>,
}

/// A proxy serving on 127.0.0.1 until dropped.
pub struct Proxy {
    pub port: u16,
    log: Arc<Mutex<Vec<Entry>>>,
    runtime: Option<tokio::runtime::Runtime>,
    scheme: &'static str,
}

impl Proxy {
    /// An HTTP CONNECT proxy.
    pub fn http(behaviour: Behaviour) -> Proxy {
        Proxy::start("http", behaviour)
    }

    /// A SOCKS5 proxy (CONNECT only; IPv4, IPv6 and domain targets).
    pub fn socks5(behaviour: Behaviour) -> Proxy {
        Proxy::start("socks5", behaviour)
    }

    fn start(scheme: &'static str, behaviour: Behaviour) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind the proxy");
        let port = listener.local_addr().unwrap().port();
        let log: Arc<Mutex<Vec<Entry>>> = Arc::default();
        let shared = log.clone();
        runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let log = shared.clone();
                let behaviour = behaviour.clone();
                tokio::spawn(async move {
                    let _ = if scheme == "http" {
                        serve_http(client, &behaviour, &log).await
                    } else {
                        serve_socks5(client, &behaviour, &log).await
                    };
                });
            }
        });
        Proxy {
            port,
            log,
            runtime: Some(runtime),
            scheme,
        }
    }

    /// `http://127.0.0.1:PORT` (or `socks5://...`), without credentials.
    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.port)
    }

    /// The URL with credentials and another scheme, e.g. `socks5h://u:p@127.0.0.1:PORT`.
    pub fn url_with(&self, scheme: &str, userinfo: &str) -> String {
        let at = if userinfo.is_empty() { "" } else { "@" };
        format!("{scheme}://{userinfo}{at}127.0.0.1:{}", self.port)
    }

    /// Every request so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|e| Seen {
                request: e.request.clone(),
                headers: e.headers.clone(),
                tunneled: e.tunneled.lock().unwrap().clone(),
            })
            .collect()
    }

    /// Every request line so far.
    pub fn requests(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.request).collect()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Where the proxy may connect for `host`: loopback only.
fn upstream_ip(host: &str) -> Option<std::net::IpAddr> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case(PROXY_ONLY_NAME) || host.eq_ignore_ascii_case("localhost") {
        return Some([127, 0, 0, 1].into());
    }
    match host.parse::<std::net::IpAddr>() {
        // Any loopback address reaches the servers, which listen on 127.0.0.1.
        Ok(ip) if ip.to_canonical().is_loopback() => Some([127, 0, 0, 1].into()),
        _ => None,
    }
}

/// Copies both ways, keeping the first [`KEEP`] bytes the client sends.
async fn relay(mut client: TcpStream, upstream: TcpStream, kept: Arc<Mutex<Vec<u8>>>) {
    let (mut up_read, mut up_write) = upstream.into_split();
    let (mut client_read, mut client_write) = client.split();
    let to_server = async {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            {
                let mut kept = kept.lock().unwrap();
                let room = KEEP.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buf[..room]);
            }
            if up_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = up_write.shutdown().await;
    };
    let to_client = async {
        let _ = tokio::io::copy(&mut up_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(to_server, to_client);
}

async fn serve_http(
    mut client: TcpStream,
    behaviour: &Behaviour,
    log: &Mutex<Vec<Entry>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 || client.read(&mut byte).await? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let tunneled = Arc::new(Mutex::new(Vec::new()));
    log.lock().unwrap().push(Entry {
        request: request.clone(),
        headers: headers.clone(),
        tunneled: tunneled.clone(),
    });
    if behaviour.close {
        return Ok(());
    }
    if let Some(status) = behaviour.answer {
        let answer = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n");
        return client.write_all(answer.as_bytes()).await;
    }
    if let Some((user, pass)) = &behaviour.credentials {
        use base64::Engine as _;
        let wanted = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
        );
        let given = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("proxy-authorization"))
            .map(|(_, v)| v.as_str());
        if given != Some(wanted.as_str()) {
            return client
                .write_all(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n\
                      Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n",
                )
                .await;
        }
    }
    let mut words = request.split(' ');
    let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
        return client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            .await;
    };
    let Some((host, port)) = target.rsplit_once(':') else {
        return client.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    };
    let (Some(ip), Ok(port)) = (upstream_ip(host), port.parse::<u16>()) else {
        return client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
    };
    let Ok(upstream) = TcpStream::connect((ip, port)).await else {
        return client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
    };
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await?;
    relay(client, upstream, tunneled).await;
    Ok(())
}

async fn serve_socks5(
    mut client: TcpStream,
    behaviour: &Behaviour,
    log: &Mutex<Vec<Entry>>,
) -> std::io::Result<()> {
    // Greeting: version 5, the methods offered.
    let mut head = [0u8; 2];
    client.read_exact(&mut head).await?;
    let mut methods = vec![0u8; head[1] as usize];
    client.read_exact(&mut methods).await?;
    let wanted = if behaviour.credentials.is_some() {
        2
    } else {
        0
    };
    if head[0] != 5 || !methods.contains(&wanted) {
        return client.write_all(&[5, 0xff]).await;
    }
    client.write_all(&[5, wanted]).await?;
    if let Some((user, pass)) = &behaviour.credentials {
        // RFC 1929: version 1, user, password.
        let mut version = [0u8; 2];
        client.read_exact(&mut version).await?;
        let mut given_user = vec![0u8; version[1] as usize];
        client.read_exact(&mut given_user).await?;
        let mut len = [0u8; 1];
        client.read_exact(&mut len).await?;
        let mut given_pass = vec![0u8; len[0] as usize];
        client.read_exact(&mut given_pass).await?;
        if given_user != user.as_bytes() || given_pass != pass.as_bytes() {
            return client.write_all(&[1, 1]).await;
        }
        client.write_all(&[1, 0]).await?;
    }
    // Request: version, command, reserved, address type, address, port.
    let mut request = [0u8; 4];
    client.read_exact(&mut request).await?;
    let (kind, host) = match request[3] {
        1 => {
            let mut ip = [0u8; 4];
            client.read_exact(&mut ip).await?;
            ("ip", std::net::Ipv4Addr::from(ip).to_string())
        }
        4 => {
            let mut ip = [0u8; 16];
            client.read_exact(&mut ip).await?;
            ("ip", std::net::Ipv6Addr::from(ip).to_string())
        }
        3 => {
            let mut len = [0u8; 1];
            client.read_exact(&mut len).await?;
            let mut name = vec![0u8; len[0] as usize];
            client.read_exact(&mut name).await?;
            ("domain", String::from_utf8_lossy(&name).into_owned())
        }
        _ => return client.write_all(&[5, 8, 0, 1, 0, 0, 0, 0, 0, 0]).await,
    };
    let mut port = [0u8; 2];
    client.read_exact(&mut port).await?;
    let port = u16::from_be_bytes(port);
    let tunneled = Arc::new(Mutex::new(Vec::new()));
    log.lock().unwrap().push(Entry {
        request: format!("SOCKS5 {kind} {host}:{port}"),
        headers: Vec::new(),
        tunneled: tunneled.clone(),
    });
    if behaviour.close {
        return Ok(());
    }
    // 0x02: not allowed by ruleset; 0x04: host unreachable.
    if request[1] != 1 || behaviour.answer.is_some() {
        return client.write_all(&[5, 2, 0, 1, 0, 0, 0, 0, 0, 0]).await;
    }
    let upstream = match upstream_ip(&host) {
        Some(ip) => TcpStream::connect((ip, port)).await.ok(),
        None => None,
    };
    let Some(upstream) = upstream else {
        return client.write_all(&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0]).await;
    };
    client.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]).await?;
    relay(client, upstream, tunneled).await;
    Ok(())
}
