//! HTTP servers on 127.0.0.1 for the `--transport http` tests: a reverse proxy that speaks
//! HTTP/1.1 only (as an old L7 load balancer does: an HTTP/2 preface gets a 505), in front of
//! the dev server; and a canned server that gives every request the same answer, for what a
//! broken gateway may send.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How an HTTP/2 connection begins.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0";

/// An HTTP/1.1-only reverse proxy to one backend, serving until dropped.
pub struct Http1Proxy {
    pub port: u16,
    /// HTTP/2 prefaces turned away.
    pub refused_h2: Arc<AtomicUsize>,
    /// Requests forwarded.
    pub forwarded: Arc<AtomicUsize>,
    _runtime: tokio::runtime::Runtime,
}

impl Http1Proxy {
    /// In front of `backend` (`http://127.0.0.1:PORT`).
    pub fn start(backend: &str) -> Http1Proxy {
        let runtime = runtime();
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind the reverse proxy");
        let port = listener.local_addr().unwrap().port();
        let refused_h2 = Arc::new(AtomicUsize::new(0));
        let forwarded = Arc::new(AtomicUsize::new(0));
        let backend: http::Uri = backend.parse().expect("backend URL");
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .build_http::<hyper::body::Incoming>();
        let (refused, count) = (refused_h2.clone(), forwarded.clone());
        runtime.spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (refused, count) = (refused.clone(), count.clone());
                let (client, backend) = (client.clone(), backend.clone());
                tokio::spawn(async move {
                    let mut first = [0u8; 14];
                    let n = socket.peek(&mut first).await.unwrap_or(0);
                    if first[..n].starts_with(H2_PREFACE) {
                        refused.fetch_add(1, Ordering::SeqCst);
                        let _ = socket
                            .write_all(
                                b"HTTP/1.1 505 HTTP Version Not Supported\r\n\
                                  Content-Length: 0\r\nConnection: close\r\n\r\n",
                            )
                            .await;
                        return;
                    }
                    let service = hyper::service::service_fn(move |mut request| {
                        count.fetch_add(1, Ordering::SeqCst);
                        let mut parts = backend.clone().into_parts();
                        parts.path_and_query = request.uri().path_and_query().cloned();
                        *request.uri_mut() = http::Uri::from_parts(parts).unwrap();
                        client.request(request)
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        Http1Proxy {
            port,
            refused_h2,
            forwarded,
            _runtime: runtime,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// One canned answer: `status` (`200 OK`), a content type, a body (sent with its length).
pub type Answer = (&'static str, &'static str, &'static str);

/// A server answering each request from a fixed table by the end of its path (the first entry
/// that matches; the last is the fallback), then closing the connection.
pub struct Canned {
    pub port: u16,
    _runtime: tokio::runtime::Runtime,
}

impl Canned {
    /// The same answer to every request.
    pub fn start(status: &'static str, content_type: &'static str, body: &'static str) -> Canned {
        Canned::routes(vec![("", (status, content_type, body))])
    }

    /// `(path suffix, answer)` pairs, first match wins.
    pub fn routes(table: Vec<(&'static str, Answer)>) -> Canned {
        let table = Arc::new(table);
        let runtime = runtime();
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind the canned server");
        let port = listener.local_addr().unwrap().port();
        runtime.spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let table = table.clone();
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&request);
                    let target = text.split(' ').nth(1).unwrap_or("");
                    let path = target.split('?').next().unwrap_or("");
                    let (status, content_type, body) = table
                        .iter()
                        .find(|(suffix, _)| path.ends_with(suffix))
                        .map_or(table[table.len() - 1].1, |(_, answer)| *answer);
                    let answer = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
                         Connection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Canned {
            port,
            _runtime: runtime,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}
