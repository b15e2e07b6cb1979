//! The client: the API's calls over gRPC (one channel, an interceptor that adds auth and org
//! metadata) or over the HTTP gateway (`http/`), with deadlines and retries for unary calls, and
//! conversion of every answer into `model` types at this edge. Both transports hand back the
//! same generated types and the same [`CallError`]s, so nothing past this module knows which
//! one carried a call.

mod actions;
mod connect;
mod convert;
mod error;
mod http;
mod results;
mod watch;

pub use error::{CallError, CallErrorKind, Code, ProxyTrouble};
pub use results::{OutputStream, ResultQuery, StepStream};
pub use watch::{EventStream, StepEventStream};

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::de::DeserializeOwned;
use tonic::codec::CompressionEncoding;
use tonic::metadata::{AsciiMetadataValue, MetadataValue};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, Channel, ClientTlsConfig};

use crate::config::{Settings, Token, Transport};
use crate::error::CliError;
use crate::model::{CreatedThread, NewThread, Thread, ThreadStatus};
use crate::output::Printer;
use crate::proto;
use crate::proto::scriptum_service_client::ScriptumServiceClient;

pub(crate) type Service = ScriptumServiceClient<InterceptedService<Channel, Auth>>;

/// How long a unary call may take before we stop waiting for it.
const UNARY_DEADLINE: Duration = Duration::from_secs(30);
/// How long to wait for a TCP/TLS connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// With our own connector, the bound on a whole connection: TCP, a proxy's answer, then TLS
/// (each part has its own limit inside; this only guards the sum).
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(
    connect::TCP_CONNECT_TIMEOUT.as_secs() + connect::PROXY_ANSWER_TIMEOUT.as_secs() + 5,
);

/// Largest message we accept: above the 16 MiB chunk clamp plus envelope, far below memory trouble.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Clone)]
pub struct Client {
    transport: Carrier,
    pub(crate) printer: Printer,
    /// `DODIL_CALL_TIMEOUT`: replaces every per-call time limit when set (see [`Client::limit`]).
    call_timeout: Option<Duration>,
}

/// What carries the calls.
// One per client, cloned rarely: the variants' sizes do not matter (clippy's measure of them
// also moves with hyper's and tonic's features).
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Carrier {
    Grpc(Service),
    Http(http::Gateway),
}

/// One call's answer, and the server's id for the request.
pub(crate) struct Answer<T> {
    pub value: T,
    pub request_id: Option<String>,
}

impl<T> Answer<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        Answer {
            value: f(self.value),
            request_id: self.request_id,
        }
    }
}

/// A server stream's messages, from either transport.
pub(crate) enum Replies<P> {
    Grpc(tonic::Streaming<P>),
    Http(http::Messages<P>),
}

impl<P: DeserializeOwned> Replies<P> {
    /// The next message; `Ok(None)` when the server ended the stream.
    async fn message(&mut self, method: &'static str) -> Result<Option<P>, CallError> {
        match self {
            Replies::Grpc(stream) => stream
                .message()
                .await
                .map_err(|status| call_error(method, status)),
            Replies::Http(messages) => messages.message().await,
        }
    }

    /// As a `Stream` that ends after its first error.
    fn into_stream<T>(
        self,
        method: &'static str,
        map: impl Fn(P) -> T + Send + 'static,
    ) -> impl tokio_stream::Stream<Item = Result<T, CallError>> + Send
    where
        P: Send + 'static,
        T: Send,
    {
        futures_util::stream::unfold(Some((self, map)), move |state| async move {
            let (mut replies, map) = state?;
            match replies.message(method).await {
                Ok(Some(message)) => Some((Ok(map(message)), Some((replies, map)))),
                Ok(None) => None,
                Err(err) => Some((Err(err), None)),
            }
        })
    }
}

/// Which unary calls may be repeated after a transient failure.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Reads: repeat a few times with backoff.
    Idempotent,
    /// Writes such as CreateThread: a repeat could act twice, so never.
    Never,
}

impl Client {
    /// Builds the gRPC channel or the gateway client (`settings.transport`) without connecting:
    /// the first call connects, and a connection failure surfaces there as UNAVAILABLE.
    pub fn new(
        url: &str,
        tls: bool,
        settings: &Settings,
        printer: Printer,
    ) -> anyhow::Result<Client> {
        printer.verbose(&format!(
            "endpoint {url}{}; {}; org {}; org id {}; {}",
            match settings.transport {
                Transport::Grpc => "",
                Transport::Http => " (HTTP gateway)",
            },
            match (&settings.token, &settings.token_source) {
                (None, _) => "no token".to_string(),
                (Some(_), source) =>
                    format!("bearer token <redacted> from {}", source_words(source)),
            },
            settings.org.as_deref().unwrap_or("-"),
            settings.org_id.as_deref().unwrap_or("-"),
            settings.proxies.summary(),
        ));
        let transport = match settings.transport {
            Transport::Grpc => Carrier::Grpc(grpc_service(url, tls, settings, &printer)?),
            Transport::Http => {
                Carrier::Http(http::Gateway::new(url, tls, settings, printer.clone())?)
            }
        };
        Ok(Client {
            transport,
            printer,
            call_timeout: settings.call_timeout,
        })
    }
}

/// The gRPC channel, built without connecting.
fn grpc_service(
    url: &str,
    tls: bool,
    settings: &Settings,
    printer: &Printer,
) -> anyhow::Result<Service> {
    let mut endpoint = endpoint(url)?.connect_timeout(CONNECTION_TIMEOUT);
    if tls {
        let mut tls_config = ClientTlsConfig::new().with_enabled_roots();
        if let Some(pem) = &settings.ca_cert {
            tls_config = tls_config.ca_certificate(Certificate::from_pem(pem));
        }
        endpoint = endpoint
            .tls_config(tls_config)
            .context("cannot set up TLS")?;
    }
    let auth = Auth::new(settings)?;
    // Our connector picks each connection's route (direct, CONNECT, SOCKS5); tonic runs TLS
    // over the stream it returns.
    let connector = connect::Connector::new(settings.proxies.clone(), printer.clone());
    let channel = endpoint.connect_with_connector_lazy(connector);
    // Compressed answers are taken when the server offers them; the size limit applies to
    // the message once decompressed (tonic >= 0.14.3), so a small bomb is refused.
    Ok(ScriptumServiceClient::with_interceptor(channel, auth)
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .accept_compressed(CompressionEncoding::Zstd)
        .accept_compressed(CompressionEncoding::Gzip))
}

impl Client {
    pub async fn create_thread(&self, thread: NewThread) -> Result<CreatedThread, CallError> {
        let request = proto::CreateThreadRequest {
            script_name: thread.script_name,
            version: thread.version,
            input_json: thread.input_json,
            timeout: thread.timeout,
            metadata: thread.metadata.into_iter().collect(),
            callback_url: thread.callback_url,
            load_env: thread.load_env,
        };
        let response = self
            .unary(
                "CreateThread",
                Retry::Never,
                request,
                http::routes::create_thread,
                |mut s, r| async move { s.create_thread(r).await },
            )
            .await?;
        Ok(response.into())
    }

    pub async fn get_thread(&self, thread_id: &str) -> Result<Thread, CallError> {
        let request = proto::GetThreadRequest {
            thread_id: thread_id.to_string(),
        };
        let thread = self
            .unary(
                "GetThread",
                Retry::Idempotent,
                request,
                http::routes::get_thread,
                |mut s, r| async move { s.get_thread(r).await },
            )
            .await?;
        Ok(thread.into())
    }

    pub async fn list_threads(&self, query: &ListQuery) -> Result<ThreadPage, CallError> {
        let request = proto::ListThreadsRequest {
            page_size: query.page_size,
            page_token: query.page_token.clone(),
            status_filter: query.status.map_or(0, ThreadStatus::as_i32),
            script_name_filter: query.script.clone().unwrap_or_default(),
        };
        let page = self
            .unary(
                "ListThreads",
                Retry::Idempotent,
                request,
                http::routes::list_threads,
                |mut s, r| async move { s.list_threads(r).await },
            )
            .await?;
        Ok(ThreadPage {
            threads: page.threads.into_iter().map(Thread::from).collect(),
            next_page_token: page.next_page_token,
        })
    }

    /// The time limit for a call whose normal limit is `default`: `DODIL_CALL_TIMEOUT`, when
    /// set, replaces them all (for tests, and for debugging a slow server).
    pub fn limit(&self, default: Duration) -> Duration {
        self.call_timeout.unwrap_or(default)
    }

    /// One unary call with a deadline, `-v` logging, and (for reads) a few quick retries of
    /// transient failures.
    async fn unary<Req, Resp, F, Fut>(
        &self,
        method: &'static str,
        retry: Retry,
        request: Req,
        route: fn(&Req) -> http::Route,
        call: F,
    ) -> Result<Resp, CallError>
    where
        Req: Clone,
        Resp: DeserializeOwned,
        F: Fn(Service, tonic::Request<Req>) -> Fut,
        Fut: Future<Output = Result<tonic::Response<Resp>, tonic::Status>>,
    {
        let attempts = if retry == Retry::Idempotent { 3 } else { 1 };
        let deadline = Deadline::Whole(self.limit(UNARY_DEADLINE));
        with_retries(attempts, || {
            self.call(method, deadline, request.clone(), route, &call)
        })
        .await
    }

    /// One unary call over whichever transport carries them: gRPC's `call`, or the gateway's
    /// `route`.
    async fn call<Req, Resp, F, Fut>(
        &self,
        method: &'static str,
        deadline: Deadline,
        request: Req,
        route: fn(&Req) -> http::Route,
        call: F,
    ) -> Result<Resp, CallError>
    where
        Resp: DeserializeOwned,
        F: FnOnce(Service, tonic::Request<Req>) -> Fut,
        Fut: Future<Output = Result<tonic::Response<Resp>, tonic::Status>>,
    {
        let answer = async {
            match &self.transport {
                Carrier::Grpc(service) => {
                    grpc_answer(method, deadline, service.clone(), request, call).await
                }
                Carrier::Http(gateway) => gateway.unary(method, route(&request)).await,
            }
        };
        self.logged(method, deadline, "OK", answer).await
    }

    /// Opens a server stream over whichever transport carries them; returns once the server has
    /// answered with its headers.
    async fn open<Req, P, F, Fut>(
        &self,
        method: &'static str,
        deadline: Deadline,
        request: Req,
        route: fn(&Req) -> http::Route,
        call: F,
    ) -> Result<Replies<P>, CallError>
    where
        P: DeserializeOwned,
        F: FnOnce(Service, tonic::Request<Req>) -> Fut,
        Fut: Future<Output = Result<tonic::Response<tonic::Streaming<P>>, tonic::Status>>,
    {
        let answer = async {
            match &self.transport {
                Carrier::Grpc(service) => {
                    grpc_answer(method, deadline, service.clone(), request, call)
                        .await
                        .map(|answer| answer.map(Replies::Grpc))
                }
                Carrier::Http(gateway) => gateway
                    .open(method, route(&request))
                    .await
                    .map(|answer| answer.map(Replies::Http)),
            }
        };
        self.logged(method, deadline, "stream open", answer).await
    }

    /// The one place a call is made: applies its deadline, times it, and writes its `-v` line
    /// (`{method}: {ok_label} in 1.2ms`, or the failure).
    async fn logged<T>(
        &self,
        method: &'static str,
        deadline: Deadline,
        ok_label: &str,
        answer: impl Future<Output = Result<Answer<T>, CallError>>,
    ) -> Result<T, CallError> {
        let started = Instant::now();
        let result = match deadline {
            Deadline::Opening(limit) => match tokio::time::timeout(limit, answer).await {
                Ok(result) => result,
                Err(_) => Err(CallError::deadline(
                    method,
                    format!(
                        "no answer within {}",
                        crate::output::duration_ms(limit.as_millis() as i64)
                    ),
                )),
            },
            // gRPC's own deadline fires at the same time, in the same words.
            Deadline::Whole(limit) => match tokio::time::timeout(limit, answer).await {
                Ok(result) => result,
                Err(_) => Err(CallError::deadline(
                    method,
                    "no answer before the call's deadline",
                )),
            },
            Deadline::Unbounded => answer.await,
        };
        let took = fmt_elapsed(started.elapsed());
        match &result {
            Ok(answer) => self.printer.verbose(&format!(
                "{method}: {ok_label} in {took}{}",
                shown_request_id(answer.request_id.as_deref())
            )),
            Err(err) => self.printer.verbose(&format!(
                "{method}: {} in {took}{}",
                err.status_text(),
                shown_request_id(err.request_id.as_deref())
            )),
        }
        result.map(|answer| answer.value)
    }
}

/// One gRPC call, its deadline sent to the server too (grpc-timeout) so it can stop working for
/// us in time.
async fn grpc_answer<Req, Resp, F, Fut>(
    method: &'static str,
    deadline: Deadline,
    service: Service,
    request: Req,
    call: F,
) -> Result<Answer<Resp>, CallError>
where
    F: FnOnce(Service, tonic::Request<Req>) -> Fut,
    Fut: Future<Output = Result<tonic::Response<Resp>, tonic::Status>>,
{
    let mut request = tonic::Request::new(request);
    if let Deadline::Whole(limit) = deadline {
        request.set_timeout(limit);
    }
    match call(service, request).await {
        Ok(response) => Ok(Answer {
            request_id: request_id(response.metadata()),
            value: response.into_inner(),
        }),
        Err(status) => Err(call_error(method, status)),
    }
}

/// How long a call may take.
#[derive(Clone, Copy)]
enum Deadline {
    /// The whole call (unary); over gRPC the server is told of it as well.
    Whole(Duration),
    /// Only until the server answers with its headers: a stream then lives as long as it has to.
    Opening(Duration),
    /// No limit here: the caller bounds the call itself.
    Unbounded,
}

/// Makes up to `attempts` tries of one call, pausing 200 ms, 400 ms… after each retryable
/// failure. The last failure is returned.
async fn with_retries<T, Fut>(
    attempts: u32,
    mut attempt: impl FnMut() -> Fut,
) -> Result<T, CallError>
where
    Fut: Future<Output = Result<T, CallError>>,
{
    let mut delay = Duration::from_millis(200);
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) if tries >= attempts || !err.is_retryable() => return Err(err),
            Err(_) => {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
    }
}

/// A tonic failure in the API's terms. tonic reports its own deadline (`set_timeout`) as
/// CANCELLED "Timeout expired"; it is a DEADLINE_EXCEEDED — transient, retried, exit 6 — not a
/// refusal by the server (exit 5).
fn call_error(method: &'static str, status: tonic::Status) -> CallError {
    if status.code() == tonic::Code::Cancelled && status.message().contains("Timeout expired") {
        return CallError::deadline(method, "no answer before the call's deadline");
    }
    let code = Code::from_i32(status.code() as i32);
    if let Some(err) = error::unreadable(method, code, status.message()) {
        return err.with_request_id(request_id(status.metadata()));
    }
    let mut causes = Vec::new();
    let mut proxy = None;
    let mut cause = std::error::Error::source(&status);
    while let Some(err) = cause {
        causes.push(err.to_string());
        if let Some(failed) = err.downcast_ref::<connect::ProxyError>() {
            proxy = Some(failed.trouble);
        }
        cause = err.source();
    }
    let error = CallError::with_causes(
        method,
        Code::from_i32(status.code() as i32),
        status.message().to_string(),
        causes,
    )
    .with_request_id(request_id(status.metadata()));
    match proxy {
        Some(trouble) => error.through_proxy(trouble),
        None => error,
    }
}

/// Where the token came from, in a few words for the `-v` endpoint line.
fn source_words(source: &crate::config::TokenSource) -> &'static str {
    use crate::config::TokenSource as S;
    match source {
        S::Environment => "DODIL_TOKEN",
        S::TokenFile(_) => "--token-file",
        S::Keyring => "the keyring",
        S::StoredFile(_) => "the stored token file",
        S::Profile { .. } => "the profile's token_file",
        S::None => "nowhere",
    }
}

/// The server's id for a request, in the headers or trailers, by either common name.
fn request_id(metadata: &tonic::metadata::MetadataMap) -> Option<String> {
    ["x-request-id", "request-id"].iter().find_map(|name| {
        let value = metadata.get(*name)?.to_str().ok()?;
        let value = crate::output::terminal_safe(value.trim());
        (!value.is_empty()).then(|| value.into_owned())
    })
}

fn shown_request_id(id: Option<&str>) -> String {
    id.map_or(String::new(), |id| format!(" (request id {id})"))
}

/// HTTP/2 flow-control window, per stream and per connection: about twice the bandwidth-delay
/// product of the longest fat link we aim to fill (100 ms RTT × 1 Gbit/s ≈ 12 MiB). Fixed, not
/// adaptive: hyper's adaptive window restarts every connection at 64 KiB and caps at 16 MiB
/// (measured through the bench's link emulator: a 4 MiB GetThreadResult took 1.3 s at 100 ms
/// RTT), and in tonic the adaptive flag overrides a fixed window set beside it. The cost: up to
/// this much received data may wait in memory when the disk is slower than the network.
pub const HTTP2_WINDOW_BYTES: u32 = 24 * 1024 * 1024;

/// The channel settings every call uses (also by `examples/ceiling`, so the benchmark's ceiling
/// rides the same transport): no Nagle delay, keepalive, and wide fixed flow-control windows.
pub fn endpoint(url: &str) -> anyhow::Result<tonic::transport::Endpoint> {
    Ok(Channel::from_shared(url.to_string())
        .map_err(|_| CliError::usage(format!("invalid endpoint {url:?}")))?
        .connect_timeout(CONNECT_TIMEOUT)
        .tcp_nodelay(true)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(20))
        .keep_alive_while_idle(true)
        .initial_stream_window_size(HTTP2_WINDOW_BYTES)
        .initial_connection_window_size(HTTP2_WINDOW_BYTES))
}

fn fmt_elapsed(elapsed: Duration) -> String {
    format!("{:.1}ms", elapsed.as_secs_f64() * 1000.0)
}

/// One ListThreads call's parameters.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub page_size: i32,
    pub page_token: String,
    pub status: Option<ThreadStatus>,
    pub script: Option<String>,
}

pub struct ThreadPage {
    pub threads: Vec<Thread>,
    pub next_page_token: String,
}

/// Adds `authorization` (marked sensitive, so it is never logged) and the org headers.
#[derive(Clone)]
pub struct Auth {
    authorization: Option<AsciiMetadataValue>,
    org: Option<AsciiMetadataValue>,
    org_id: Option<AsciiMetadataValue>,
}

impl Auth {
    fn new(settings: &Settings) -> anyhow::Result<Auth> {
        let authorization = settings.token.as_ref().map(bearer).transpose()?;
        let header = |name: &str, value: &Option<String>| -> anyhow::Result<_> {
            value
                .as_deref()
                .map(|v| {
                    MetadataValue::try_from(v).map_err(|_| {
                        CliError::usage(format!(
                            "{name} {v:?} is not a valid header value (ASCII only)"
                        ))
                    })
                })
                .transpose()
                .map_err(Into::into)
        };
        Ok(Auth {
            authorization,
            org: header("organization name", &settings.org)?,
            org_id: header("organization id", &settings.org_id)?,
        })
    }
}

fn bearer(token: &Token) -> anyhow::Result<AsciiMetadataValue> {
    let mut value = MetadataValue::try_from(format!("Bearer {}", token.expose()))
        .map_err(|_| CliError::usage("the token holds characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

impl tonic::service::Interceptor for Auth {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        let metadata = request.metadata_mut();
        if let Some(value) = &self.authorization {
            metadata.insert("authorization", value.clone());
        }
        if let Some(value) = &self.org_id {
            metadata.insert("x-organization-id", value.clone());
        }
        if let Some(value) = &self.org {
            metadata.insert("x-organization-name", value.clone());
        }
        Ok(request)
    }
}
