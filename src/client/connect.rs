//! The connector under the gRPC channel: a TCP connection to the endpoint, or to a proxy and
//! through it (HTTP CONNECT or SOCKS5), as [`Proxies::route`] says for each connection. tonic
//! runs TLS (SNI, ALPN `h2`, verification) over whatever stream this returns, so TLS is end to
//! end inside a tunnel. Our own TCP settings apply here (tonic applies its own only to its
//! built-in connector): no Nagle delay, TCP keepalive, a connect timeout, and a time limit on
//! the proxy's answer.
//!
//! A proxy's failure is a [`ProxyError`], which names the proxy (password masked) and what it
//! said; `client::call_error` finds it in tonic's error chain.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower_service::Service;

use super::ProxyTrouble;
use crate::output::Printer;
use crate::proxy::{Proxies, ProxyKind, ProxyUrl, Route};

/// How long to wait for a TCP connection (to the endpoint or to the proxy).
pub const TCP_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a proxy may take to answer our CONNECT (it connects to the endpoint meanwhile).
pub const PROXY_ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// TCP keepalive probes after this much idle time.
const TCP_KEEPALIVE: Duration = Duration::from_secs(30);
/// The longest proxy answer header we read.
const MAX_ANSWER_BYTES: usize = 16 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Connects each of the channel's connections, directly or through a proxy.
#[derive(Clone)]
pub struct Connector {
    proxies: Arc<Proxies>,
    tcp: HttpConnector,
    printer: Printer,
}

impl Connector {
    pub fn new(proxies: Arc<Proxies>, printer: Printer) -> Connector {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_keepalive(Some(TCP_KEEPALIVE));
        tcp.set_connect_timeout(Some(TCP_CONNECT_TIMEOUT));
        Connector {
            proxies,
            tcp,
            printer,
        }
    }
}

impl Service<Uri> for Connector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.tcp.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, target: Uri) -> Self::Future {
        let mut tcp = self.tcp.clone();
        let proxies = self.proxies.clone();
        let printer = self.printer.clone();
        Box::pin(async move {
            let host = target.host().ok_or("the endpoint has no host")?.to_string();
            let port = target.port_u16().unwrap_or(match target.scheme_str() {
                Some("http") => 80,
                _ => 443,
            });
            // Every gRPC connection is looked up as https://host:port, TLS or not (as grpc-go
            // does), so HTTPS_PROXY is the one variable that matters for it.
            let route = proxies.route(true, &host, port);
            printer.verbose(&format!("connect {host}:{port} {route}"));
            let proxy = match route {
                Route::Direct(_) => return Ok(tcp.call(target).await?),
                Route::Proxy(proxy) => proxy.clone(),
            };
            let tcp_uri: Uri = format!("http://{}:{}", proxy.url_host(), proxy.port())
                .parse()
                .map_err(|_| ProxyError::unreachable(&proxy, "its address is not valid"))?;
            let stream = tcp
                .call(tcp_uri)
                .await
                .map_err(|err| ProxyError::unreachable(&proxy, &chain(&err)))?
                .into_inner();
            let target = Target {
                host: host.trim_start_matches('[').trim_end_matches(']'),
                port,
            };
            let handshake = async {
                match proxy.kind {
                    ProxyKind::Http => http_connect(stream, &proxy, &target).await,
                    ProxyKind::Socks5 | ProxyKind::Socks5h => socks5(stream, &proxy, &target).await,
                }
            };
            let stream = tokio::time::timeout(PROXY_ANSWER_TIMEOUT, handshake)
                .await
                .map_err(|_| {
                    ProxyError::new(
                        ProxyTrouble::Unreachable,
                        format!(
                            "proxy {} did not answer {} within {}s",
                            described(&proxy),
                            target.request(&proxy),
                            PROXY_ANSWER_TIMEOUT.as_secs()
                        ),
                    )
                })??;
            Ok(TokioIo::new(stream))
        })
    }
}

/// Where a tunnel leads.
struct Target<'a> {
    /// Without brackets.
    host: &'a str,
    port: u16,
}

impl Target<'_> {
    /// `host:port`, an IPv6 address in brackets.
    fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// What we asked the proxy for, for messages.
    fn request(&self, proxy: &ProxyUrl) -> String {
        match proxy.kind {
            ProxyKind::Http => format!("CONNECT {}", self.authority()),
            _ => format!("SOCKS5 CONNECT {}", self.authority()),
        }
    }
}

/// HTTP CONNECT: the target's name (the proxy resolves it), credentials as
/// `Proxy-Authorization: Basic`, and a 2xx answer opens the tunnel.
async fn http_connect(
    mut stream: TcpStream,
    proxy: &ProxyUrl,
    target: &Target<'_>,
) -> Result<TcpStream, ProxyError> {
    let authority = target.authority();
    let mut request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: dodil/{}\r\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some((user, password)) = proxy.credentials() {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    let broke = |err: std::io::Error| {
        ProxyError::new(
            ProxyTrouble::Unreachable,
            format!(
                "proxy {} broke off {}: {err}",
                described(proxy),
                target.request(proxy)
            ),
        )
    };
    stream.write_all(request.as_bytes()).await.map_err(broke)?;
    drop(request);

    // The answer's header, a byte at a time: nothing past it is read, so the first bytes of
    // the tunnel (the server may speak first) stay in the socket for TLS or HTTP/2.
    let mut answer = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        if answer.len() >= MAX_ANSWER_BYTES {
            return Err(ProxyError::malformed(proxy, target, "an endless header"));
        }
        let n = stream.read(&mut byte).await.map_err(broke)?;
        if n == 0 {
            return Err(ProxyError::new(
                ProxyTrouble::Unreachable,
                format!(
                    "proxy {} closed the connection during {}{}",
                    described(proxy),
                    target.request(proxy),
                    if answer.is_empty() {
                        ""
                    } else {
                        " before its answer ended"
                    }
                ),
            ));
        }
        answer.push(byte[0]);
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(&answer) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(ProxyError::malformed(proxy, target, "not an HTTP answer")),
    }
    let code = response.code.unwrap_or(0);
    if (200..300).contains(&code) {
        return Ok(stream);
    }
    let reason = crate::output::terminal_safe(response.reason.unwrap_or("")).into_owned();
    let trouble = match code {
        407 => ProxyTrouble::AuthRequired {
            sent: proxy.credentials().is_some(),
        },
        500..=599 => ProxyTrouble::Gateway,
        _ => ProxyTrouble::Refused,
    };
    Err(ProxyError::new(
        trouble,
        format!(
            "proxy {} answered {} with {code} {reason}",
            described(proxy),
            target.request(proxy)
        )
        .trim_end()
        .to_string(),
    ))
}

/// SOCKS5: `socks5h://` sends the target's name for the proxy to resolve, `socks5://` resolves
/// it here first; credentials as username/password authentication.
async fn socks5(
    stream: TcpStream,
    proxy: &ProxyUrl,
    target: &Target<'_>,
) -> Result<TcpStream, ProxyError> {
    use tokio_socks::tcp::Socks5Stream;
    use tokio_socks::TargetAddr;

    let address: TargetAddr<'_> = match target.host.parse::<std::net::IpAddr>() {
        Ok(ip) => TargetAddr::Ip((ip, target.port).into()),
        Err(_) if proxy.kind == ProxyKind::Socks5h => {
            TargetAddr::Domain(target.host.into(), target.port)
        }
        Err(_) => {
            let found = tokio::net::lookup_host((target.host, target.port))
                .await
                .ok()
                .and_then(|mut addrs| addrs.next());
            match found {
                Some(addr) => TargetAddr::Ip(addr),
                None => {
                    return Err(ProxyError::new(
                        ProxyTrouble::Gateway,
                        format!(
                            "cannot resolve {} here for socks5:// proxy {} (socks5h:// lets the \
                             proxy resolve it)",
                            target.host,
                            described(proxy)
                        ),
                    ))
                }
            }
        }
    };
    let connected = match proxy.credentials() {
        Some((user, password)) => {
            Socks5Stream::connect_with_password_and_socket(stream, address, user, password).await
        }
        None => Socks5Stream::connect_with_socket(stream, address).await,
    };
    match connected {
        Ok(stream) => Ok(stream.into_inner()),
        Err(err) => {
            use tokio_socks::Error as E;
            let trouble = match &err {
                E::PasswordAuthFailure(_)
                | E::NoAcceptableAuthMethods
                | E::AuthorizationRequired => ProxyTrouble::AuthRequired {
                    sent: proxy.credentials().is_some(),
                },
                E::ConnectionNotAllowedByRuleset | E::CommandNotSupported => ProxyTrouble::Refused,
                E::GeneralSocksServerFailure
                | E::NetworkUnreachable
                | E::HostUnreachable
                | E::ConnectionRefused
                | E::TtlExpired => ProxyTrouble::Gateway,
                _ => ProxyTrouble::Unreachable,
            };
            let said = match &err {
                E::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                    "closed the connection".to_string()
                }
                other => other.to_string(),
            };
            Err(ProxyError::new(
                trouble,
                format!(
                    "proxy {} answered {}: {said}",
                    described(proxy),
                    target.request(proxy)
                ),
            ))
        }
    }
}

/// `http://alice:***@proxy:3128 (from HTTPS_PROXY)`.
fn described(proxy: &ProxyUrl) -> String {
    format!("{proxy} (from {})", proxy.source())
}

/// An error and its causes on one line.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cause = err.source();
    while let Some(err) = cause {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = err.source();
    }
    parts.join(": ")
}

/// A proxy failed a connection: the message names it (password masked) and what it said.
/// Deliberately without a `source`, so the message is the root cause a [`super::CallError`]
/// shows.
#[derive(Debug)]
pub struct ProxyError {
    pub trouble: ProxyTrouble,
    message: String,
}

impl ProxyError {
    fn new(trouble: ProxyTrouble, message: String) -> ProxyError {
        ProxyError { trouble, message }
    }

    fn unreachable(proxy: &ProxyUrl, why: &str) -> ProxyError {
        ProxyError::new(
            ProxyTrouble::Unreachable,
            format!("cannot reach proxy {}: {why}", described(proxy)),
        )
    }

    fn malformed(proxy: &ProxyUrl, target: &Target<'_>, what: &str) -> ProxyError {
        ProxyError::new(
            ProxyTrouble::Unreachable,
            format!(
                "proxy {} answered {} with {what}",
                described(proxy),
                target.request(proxy)
            ),
        )
    }
}

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProxyError {}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    fn proxy(text: &str) -> ProxyUrl {
        ProxyUrl::parse(text, "test").unwrap()
    }

    /// A one-shot fake proxy: reads the request header, answers `answer`, then echoes five
    /// bytes (`echo`) or closes.
    async fn fake(answer: &'static [u8], echo: bool) -> (u16, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") {
                if socket.read(&mut byte).await.unwrap() == 0 {
                    break;
                }
                request.push(byte[0]);
            }
            socket.write_all(answer).await.unwrap();
            let mut rest = [0u8; 5];
            if echo && socket.read_exact(&mut rest).await.is_ok() {
                socket.write_all(&rest).await.unwrap();
            }
            request
        });
        (port, task)
    }

    #[tokio::test]
    async fn connect_names_the_target_and_keeps_early_bytes() {
        // The proxy answers and the "server" speaks at once: those bytes must survive.
        let (port, task) = fake(b"HTTP/1.1 200 Connection established\r\n\r\nHELLO", true).await;
        let p = proxy(&format!("http://alice:pa%3Ass@127.0.0.1:{port}"));
        let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let target = Target {
            host: "scriptum.test",
            port: 443,
        };
        let mut stream = http_connect(stream, &p, &target).await.unwrap();
        let mut early = [0u8; 5];
        stream.read_exact(&mut early).await.unwrap();
        assert_eq!(&early, b"HELLO");
        stream.write_all(b"ping!").await.unwrap();
        let request = String::from_utf8(task.await.unwrap()).unwrap();
        assert!(
            request.starts_with("CONNECT scriptum.test:443 HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(request.contains("Host: scriptum.test:443\r\n"), "{request}");
        // alice:pa:ss
        assert!(
            request.contains("Proxy-Authorization: Basic YWxpY2U6cGE6c3M=\r\n"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn refusals_name_the_proxy_and_its_answer_without_the_password() {
        for (answer, trouble, words) in [
            (
                &b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"[..],
                ProxyTrouble::AuthRequired { sent: true },
                "407 Proxy Authentication Required",
            ),
            (
                &b"HTTP/1.1 403 Forbidden\r\n\r\n"[..],
                ProxyTrouble::Refused,
                "403 Forbidden",
            ),
            (
                &b"HTTP/1.0 502 Bad Gateway\r\n\r\n"[..],
                ProxyTrouble::Gateway,
                "502 Bad Gateway",
            ),
            (
                &b"HTTP/1.1 200 OK\r\n"[..],
                ProxyTrouble::Unreachable,
                "closed the connection",
            ),
            (
                &b"SSH-2.0-x\r\n\r\n"[..],
                ProxyTrouble::Unreachable,
                "not an HTTP answer",
            ),
        ] {
            let (port, task) = fake(answer, false).await;
            let p = proxy(&format!("http://alice:hunter2@127.0.0.1:{port}"));
            let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            let target = Target {
                host: "::1",
                port: 8443,
            };
            let err = http_connect(stream, &p, &target).await.unwrap_err();
            assert_eq!(err.trouble, trouble, "{err}");
            let text = err.to_string();
            assert!(text.contains(words), "{text}");
            assert!(
                text.contains(&format!("http://alice:***@127.0.0.1:{port} (from test)")),
                "{text}"
            );
            assert!(text.contains("CONNECT [::1]:8443"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
            task.abort();
        }
    }
}
