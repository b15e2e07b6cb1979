//! The gRPC client: one channel, an interceptor that adds auth and org metadata, deadlines and
//! retries for unary calls, and conversion of every answer into `model` types at this edge.

mod actions;
mod convert;
mod results;

pub use results::{OutputStream, ResultQuery, StepStream, STREAM_IDLE_TIMEOUT};
mod watch;

pub use watch::{EventStream, StepEventStream};

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tonic::metadata::{AsciiMetadataValue, MetadataValue};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, Channel, ClientTlsConfig};

use crate::config::{Settings, Token};
use crate::error::{describe_status, is_retryable, CliError};
use crate::model::{CreatedThread, NewThread, Thread, ThreadStatus};
use crate::output::Printer;
use crate::proto;
use crate::proto::scriptum_service_client::ScriptumServiceClient;

pub(crate) type Service = ScriptumServiceClient<InterceptedService<Channel, Auth>>;

/// How long a unary call may take before we stop waiting for it.
const UNARY_DEADLINE: Duration = Duration::from_secs(30);
/// How long to wait for a TCP/TLS connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// `DODIL_CALL_TIMEOUT=DUR` replaces every per-call time limit (unary deadlines, GetThread polls,
/// opening a stream, a result stream's idle timeout) — for tests and debugging a slow server;
/// not in `--help`. Set once, by [`Client::new`].
static CALL_TIMEOUT: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();

/// The time limit to use for a call whose normal limit is `default`.
pub(crate) fn call_timeout(default: Duration) -> Duration {
    CALL_TIMEOUT.get().copied().unwrap_or(default)
}

fn init_call_timeout() -> anyhow::Result<()> {
    let Some(text) = std::env::var("DODIL_CALL_TIMEOUT")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(());
    };
    let limit = crate::input::parse_duration("DODIL_CALL_TIMEOUT", &text)?;
    if limit.is_zero() {
        return Err(CliError::usage("DODIL_CALL_TIMEOUT must be longer than 0").into());
    }
    let _ = CALL_TIMEOUT.set(limit);
    Ok(())
}

/// Largest message we accept: above the 16 MiB chunk clamp plus envelope, far below memory trouble.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Clone)]
pub struct Client {
    pub(crate) service: Service,
    pub(crate) printer: Printer,
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
    /// Builds the channel without connecting: the first call connects, and a connection failure
    /// surfaces there as UNAVAILABLE.
    pub fn new(
        url: &str,
        tls: bool,
        settings: &Settings,
        printer: Printer,
    ) -> anyhow::Result<Client> {
        init_call_timeout()?;
        let mut endpoint = endpoint(url)?;
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
        printer.verbose(&format!(
            "endpoint {url}; {}; org {}; org id {}",
            if settings.token.is_some() {
                "bearer token <redacted>"
            } else {
                "no token"
            },
            settings.org.as_deref().unwrap_or("-"),
            settings.org_id.as_deref().unwrap_or("-"),
        ));
        let service = ScriptumServiceClient::with_interceptor(endpoint.connect_lazy(), auth)
            .max_decoding_message_size(MAX_MESSAGE_BYTES);
        Ok(Client { service, printer })
    }

    pub async fn create_thread(&self, thread: NewThread) -> anyhow::Result<CreatedThread> {
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
                |mut s, r| async move { s.create_thread(r).await },
            )
            .await?;
        Ok(response.into())
    }

    pub async fn get_thread(&self, thread_id: &str) -> anyhow::Result<Thread> {
        let request = proto::GetThreadRequest {
            thread_id: thread_id.to_string(),
        };
        let thread = self
            .unary(
                "GetThread",
                Retry::Idempotent,
                request,
                |mut s, r| async move { s.get_thread(r).await },
            )
            .await?;
        Ok(thread.into())
    }

    pub async fn list_threads(&self, query: &ListQuery) -> anyhow::Result<ThreadPage> {
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
                |mut s, r| async move { s.list_threads(r).await },
            )
            .await?;
        Ok(ThreadPage {
            threads: page.threads.into_iter().map(Thread::from).collect(),
            next_page_token: page.next_page_token,
        })
    }

    /// One unary call with a deadline, `-v` logging, and (for reads) a few quick retries of
    /// transient failures. The error carries the method name and the server's status.
    pub(crate) async fn unary<Req, Resp, F, Fut>(
        &self,
        method: &'static str,
        retry: Retry,
        request: Req,
        call: F,
    ) -> anyhow::Result<Resp>
    where
        Req: Clone,
        F: Fn(Service, tonic::Request<Req>) -> Fut,
        Fut: Future<Output = Result<tonic::Response<Resp>, tonic::Status>>,
    {
        let attempts = if retry == Retry::Idempotent { 3 } else { 1 };
        self.with_retries(method, "OK", attempts, || {
            let mut req = tonic::Request::new(request.clone());
            req.set_timeout(call_timeout(UNARY_DEADLINE));
            call(self.service.clone(), req)
        })
        .await
        .map(tonic::Response::into_inner)
    }

    /// Makes up to `attempts` tries of one call, pausing 200 ms, 400 ms… after each transient
    /// failure, logging every try for `-v` (`{method}: {ok_label} in 1.2ms`). The last failure
    /// carries the method name.
    pub(crate) async fn with_retries<T, Fut>(
        &self,
        method: &'static str,
        ok_label: &str,
        attempts: u32,
        mut attempt: impl FnMut() -> Fut,
    ) -> anyhow::Result<T>
    where
        Fut: Future<Output = Result<T, tonic::Status>>,
    {
        let mut delay = Duration::from_millis(200);
        let mut tries = 0;
        loop {
            tries += 1;
            let started = Instant::now();
            let result = attempt().await.map_err(deadline_status);
            let took = fmt_elapsed(started.elapsed());
            match result {
                Ok(value) => {
                    self.printer
                        .verbose(&format!("{method}: {ok_label} in {took}"));
                    return Ok(value);
                }
                Err(status) => {
                    self.printer
                        .verbose(&format!("{method}: {} in {took}", describe_status(&status)));
                    if tries >= attempts || !is_retryable(&status) {
                        return Err(anyhow::Error::new(status).context(method));
                    }
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
            }
        }
    }
}

/// tonic reports its own deadline (`set_timeout`) as CANCELLED "Timeout expired"; it is a
/// DEADLINE_EXCEEDED — transient, retried, exit 6 — not a refusal by the server (exit 5).
pub(crate) fn deadline_status(status: tonic::Status) -> tonic::Status {
    if status.code() == tonic::Code::Cancelled && status.message().contains("Timeout expired") {
        return tonic::Status::deadline_exceeded("no answer before the call's deadline");
    }
    status
}

/// The channel settings every call uses (also by `examples/ceiling`, so the benchmark's ceiling
/// rides the same transport): no Nagle delay, keepalive, and HTTP/2 flow-control windows that
/// grow with the measured bandwidth-delay product.
pub fn endpoint(url: &str) -> anyhow::Result<tonic::transport::Endpoint> {
    Ok(Channel::from_shared(url.to_string())
        .map_err(|_| CliError::usage(format!("invalid endpoint {url:?}")))?
        .connect_timeout(CONNECT_TIMEOUT)
        .tcp_nodelay(true)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(20))
        .keep_alive_while_idle(true)
        .http2_adaptive_window(true))
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
