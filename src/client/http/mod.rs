//! The HTTP gateway transport (`--transport http`): the same calls as JSON over HTTP/1.1 (HTTP/2
//! where TLS's ALPN offers it), through the same connector as gRPC (direct, CONNECT, SOCKS5) and
//! the same TLS trust. Answers decode (pbjson) into the same generated types the gRPC transport
//! gets, so `convert.rs` serves both; failures become the same [`CallError`]s.

mod error;
pub mod routes;
pub mod stream;

use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use http_body_util::{BodyExt as _, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde::de::DeserializeOwned;

use super::connect::{Connector, ProxyError};
use super::{Answer, CallError, CallErrorKind, Code, HTTP2_WINDOW_BYTES};
use crate::config::Settings;
use crate::error::CliError;
use crate::output::Printer;
pub use routes::Route;
pub use stream::Messages;

/// What a stream answer may be: either framing.
const STREAM_ACCEPT: &str = "text/event-stream, application/x-ndjson, application/json";
/// The most of an error answer's body read (the contract's JSON is small; a proxy's page is
/// only quoted).
const ERROR_BODY_BYTES: usize = 64 * 1024;

/// The gateway, at one base URL.
#[derive(Clone)]
pub struct Gateway {
    client: HyperClient<HttpsConnector<Connector>, Full<Bytes>>,
    /// `https://host:port`, without a trailing slash.
    base: String,
    /// Auth, org, user agent: on every request.
    headers: HeaderMap,
    printer: Printer,
}

impl Gateway {
    pub fn new(
        url: &str,
        tls: bool,
        settings: &Settings,
        printer: Printer,
    ) -> anyhow::Result<Gateway> {
        let connector = Connector::new(settings.proxies.clone(), printer.clone());
        let builder = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls_config(tls, settings.ca_cert.as_deref())?);
        let builder = if tls {
            builder.https_only()
        } else {
            builder.https_or_http()
        };
        let https = builder
            .enable_http1()
            .enable_http2()
            .wrap_connector(connector);
        let client = HyperClient::builder(TokioExecutor::new())
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .http2_initial_stream_window_size(HTTP2_WINDOW_BYTES)
            .http2_initial_connection_window_size(HTTP2_WINDOW_BYTES)
            .http2_keep_alive_interval(Duration::from_secs(30))
            .http2_keep_alive_timeout(Duration::from_secs(20))
            .http2_keep_alive_while_idle(true)
            .build(https);
        Ok(Gateway {
            client,
            base: url.trim_end_matches('/').to_string(),
            headers: headers(settings)?,
            printer,
        })
    }

    /// One unary call: the answer's JSON as `T`.
    pub async fn unary<T: DeserializeOwned>(
        &self,
        method: &'static str,
        route: Route,
    ) -> Result<Answer<T>, CallError> {
        let response = self.send(method, &route, "application/json").await?;
        let (parts, body) = response.into_parts();
        let request_id = request_id(&parts.headers);
        let content_type = content_type(&parts.headers);
        let limit = if parts.status.is_success() {
            stream::MAX_LINE_BYTES
        } else {
            ERROR_BODY_BYTES
        };
        let (bytes, whole) = read_bounded(method, body, limit)
            .await
            .map_err(|err| err.with_request_id(request_id.clone()))?;
        let shown = route.shown();
        if !parts.status.is_success() {
            return Err(
                error::from_status(method, &shown, parts.status, &content_type, &bytes)
                    .with_request_id(request_id),
            );
        }
        if !whole {
            return Err(CallError::unreadable(
                method,
                CallErrorKind::MessageTooLarge,
                format!(
                    "the server sent a message too large for this client (over {})",
                    crate::output::size(limit as i64)
                ),
            )
            .with_request_id(request_id));
        }
        match stream::from_json::<T>(&bytes) {
            Ok(value) => Ok(Answer { value, request_id }),
            Err(err) => Err(error::undecodable(
                method,
                &shown,
                parts.status,
                &content_type,
                &bytes,
                &stream::json_trouble(&err),
            )
            .with_request_id(request_id)),
        }
    }

    /// Opens a stream: returns once the server has answered with its headers (a failure then
    /// is a plain HTTP error with the contract's body).
    pub async fn open<P: DeserializeOwned>(
        &self,
        method: &'static str,
        route: Route,
    ) -> Result<Answer<Messages<P>>, CallError> {
        let response = self.send(method, &route, STREAM_ACCEPT).await?;
        let (parts, body) = response.into_parts();
        let request_id = request_id(&parts.headers);
        let content_type = content_type(&parts.headers);
        let shown = route.shown();
        if !parts.status.is_success() {
            let (bytes, _) = read_bounded(method, body, ERROR_BODY_BYTES)
                .await
                .map_err(|err| err.with_request_id(request_id.clone()))?;
            return Err(
                error::from_status(method, &shown, parts.status, &content_type, &bytes)
                    .with_request_id(request_id),
            );
        }
        Ok(Answer {
            value: Messages::new(method, shown, parts.status, content_type, body),
            request_id,
        })
    }

    async fn send(
        &self,
        method: &'static str,
        route: &Route,
        accept: &'static str,
    ) -> Result<http::Response<hyper::body::Incoming>, CallError> {
        let uri = format!("{}{}", self.base, route.path_and_query);
        let mut request = http::Request::builder()
            .method(route.method.clone())
            .uri(&uri)
            .body(Full::new(
                route.body.clone().map(Bytes::from).unwrap_or_default(),
            ))
            .map_err(|err| {
                CallError::new(
                    method,
                    Code::InvalidArgument,
                    format!("bad request URL: {err}"),
                )
            })?;
        let headers = request.headers_mut();
        headers.extend(self.headers.clone());
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        if route.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let response = self
            .client
            .request(request)
            .await
            .map_err(|err| broken(method, "cannot reach the HTTP gateway", &err))?;
        self.printer.verbose(&format!(
            "{} {} -> {} over {:?}",
            route.method,
            route.path_and_query,
            response.status().as_u16(),
            response.version()
        ));
        Ok(response)
    }
}

/// The connection failed or broke: UNAVAILABLE (retryable, exit 6), with what lay underneath,
/// and the proxy's failure when one was in the way.
pub(super) fn broken(
    method: &'static str,
    what: &str,
    err: &(dyn std::error::Error + 'static),
) -> CallError {
    let mut causes = Vec::new();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(err) = cause {
        if let Some(failed) = err.downcast_ref::<ProxyError>() {
            // The proxy's words say it all, as over gRPC.
            return CallError::new(method, Code::Unavailable, failed.to_string())
                .through_proxy(failed.trouble);
        }
        let text = err.to_string();
        if !causes.contains(&text) {
            causes.push(text);
        }
        cause = err.source();
    }
    CallError::with_causes(method, Code::Unavailable, what.to_string(), causes)
}

/// Reads a body up to `limit` bytes; `true` when that was all of it.
async fn read_bounded(
    method: &'static str,
    mut body: hyper::body::Incoming,
    limit: usize,
) -> Result<(Vec<u8>, bool), CallError> {
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| broken(method, "the answer broke off", &err))?;
        if let Some(data) = frame.data_ref() {
            if bytes.len() + data.len() > limit {
                let room = limit - bytes.len();
                bytes.extend_from_slice(&data[..room]);
                return Ok((bytes, false));
            }
            bytes.extend_from_slice(data);
        }
    }
    Ok((bytes, true))
}

/// The same trust as the gRPC channel (tonic's `with_enabled_roots` and `--ca-cert`): ring,
/// webpki's roots and the platform's, plus the private CA. Plaintext needs none.
fn tls_config(tls: bool, ca_cert: Option<&[u8]>) -> anyhow::Result<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::CertificateDer;

    let mut roots = rustls::RootCertStore::empty();
    if tls {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if let Some(pem) = ca_cert {
            let certs = CertificateDer::pem_slice_iter(pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| CliError::usage(format!("cannot read --ca-cert: {err}")))?;
            roots.add_parsable_certificates(certs);
        }
    }
    Ok(
        rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .context("cannot set up TLS")?
        .with_root_certificates(roots)
        .with_no_client_auth(),
    )
}

/// Authorization (marked sensitive), the org headers, and who we are.
fn headers(settings: &Settings) -> anyhow::Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert(
        USER_AGENT,
        HeaderValue::from_static(concat!("dodil/", env!("CARGO_PKG_VERSION"))),
    );
    if let Some(token) = &settings.token {
        let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose()))
            .map_err(|_| CliError::usage("the token holds characters a header cannot carry"))?;
        value.set_sensitive(true);
        headers.insert(http::header::AUTHORIZATION, value);
    }
    for (name, what, value) in [
        ("x-organization-name", "organization name", &settings.org),
        ("x-organization-id", "organization id", &settings.org_id),
    ] {
        if let Some(value) = value {
            let value = HeaderValue::try_from(value.as_str()).map_err(|_| {
                CliError::usage(format!(
                    "{what} {value:?} is not a valid header value (ASCII only)"
                ))
            })?;
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    Ok(headers)
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The server's id for a request, by either common name.
fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"].iter().find_map(|name| {
        let value = headers.get(*name)?.to_str().ok()?;
        let value = crate::output::terminal_safe(value.trim());
        (!value.is_empty()).then(|| value.into_owned())
    })
}
