//! The result calls: GetThreadResult (unary), and the two chunked result streams
//! (StreamThreadResult, StreamStepResult), handed out as plain `model` messages.

use std::time::{Duration, Instant};

use crate::model::{OutputMessage, StepMessage, ThreadResult};
use crate::proto;

use super::http::routes;
use super::{fmt_elapsed, with_retries, CallError, Client, Deadline, Replies, Retry};

/// How long a result stream may stay silent before we call it broken.
pub const STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long opening a stream (until the server's response headers) may take.
const STREAM_OPEN_DEADLINE: Duration = Duration::from_secs(30);

/// Which slice of a result to ask GetThreadResult for.
#[derive(Clone, Debug, Default)]
pub struct ResultQuery {
    pub step_path: Option<String>,
    pub metadata_only: bool,
}

impl Client {
    pub async fn get_thread_result(
        &self,
        thread_id: &str,
        query: &ResultQuery,
    ) -> Result<ThreadResult, CallError> {
        let request = proto::GetThreadResultRequest {
            thread_id: thread_id.to_string(),
            step_path: query.step_path.clone(),
            output_only: None,
            metadata_only: query.metadata_only.then_some(true),
        };
        let result = self
            .unary(
                "GetThreadResult",
                Retry::Idempotent,
                request,
                routes::get_thread_result,
                |mut s, r| async move { s.get_thread_result(r).await },
            )
            .await?;
        Ok(result.into())
    }

    /// GetThreadResult without the output bytes (`metadata_only`), marked truncated when there
    /// is an output, so that it is streamed: whatever a server puts in `output_data` then, it
    /// is not taken for the output.
    pub async fn get_thread_result_metadata(
        &self,
        thread_id: &str,
    ) -> Result<ThreadResult, CallError> {
        let query = ResultQuery {
            metadata_only: true,
            ..ResultQuery::default()
        };
        let mut result = self.get_thread_result(thread_id, &query).await?;
        result.output_data = bytes::Bytes::new();
        result.output_truncated = result.output_total_bytes > 0;
        Ok(result)
    }

    /// Opens StreamThreadResult. Failing to open is an ordinary call error (exit 5/6); a failure
    /// once messages flow comes out of [`OutputStream::next`].
    pub async fn stream_thread_result(
        &self,
        thread_id: &str,
        max_chunk_bytes: Option<i32>,
    ) -> Result<OutputStream, CallError> {
        let request = proto::StreamThreadResultRequest {
            thread_id: thread_id.to_string(),
            max_chunk_bytes,
        };
        let inner = self
            .open_stream(
                "StreamThreadResult",
                request,
                routes::stream_thread_result,
                |mut s, r| async move { s.stream_thread_result(r).await },
            )
            .await?;
        Ok(OutputStream {
            inner: Incoming::new(inner, self.clone(), "StreamThreadResult"),
        })
    }

    /// Opens StreamStepResult, for every step or only `step_path`.
    pub async fn stream_step_result(
        &self,
        thread_id: &str,
        step_path: Option<&str>,
        max_chunk_bytes: Option<i32>,
    ) -> Result<StepStream, CallError> {
        let request = proto::StreamStepResultRequest {
            thread_id: thread_id.to_string(),
            step_path: step_path.map(str::to_string),
            max_chunk_bytes,
        };
        let inner = self
            .open_stream(
                "StreamStepResult",
                request,
                routes::stream_step_result,
                |mut s, r| async move { s.stream_step_result(r).await },
            )
            .await?;
        Ok(StepStream {
            inner: Incoming::new(inner, self.clone(), "StreamStepResult"),
        })
    }

    /// Opens a server stream with a deadline on the opening only (a long download must not be
    /// cut by it), retrying a transient refusal twice.
    async fn open_stream<Req, P, F, Fut>(
        &self,
        method: &'static str,
        request: Req,
        route: fn(&Req) -> routes::Route,
        call: F,
    ) -> Result<Replies<P>, CallError>
    where
        Req: Clone,
        P: serde::de::DeserializeOwned,
        F: Fn(super::Service, tonic::Request<Req>) -> Fut,
        Fut: std::future::Future<
            Output = Result<tonic::Response<tonic::Streaming<P>>, tonic::Status>,
        >,
    {
        let deadline = Deadline::Opening(self.limit(STREAM_OPEN_DEADLINE));
        with_retries(3, || {
            self.open(method, deadline, request.clone(), route, &call)
        })
        .await
    }
}

/// StreamThreadResult's messages, one at a time.
pub struct OutputStream {
    inner: Incoming<proto::ThreadOutputChunk>,
}

impl OutputStream {
    /// The next message; `Ok(None)` when the server ended the stream. An error is the server's
    /// status, or DEADLINE_EXCEEDED after [`STREAM_IDLE_TIMEOUT`] of silence.
    pub async fn next(&mut self) -> Result<Option<OutputMessage>, CallError> {
        Ok(self.inner.next().await?.map(OutputMessage::from))
    }
}

/// StreamStepResult's messages, one at a time.
pub struct StepStream {
    inner: Incoming<proto::StepResultChunk>,
}

impl StepStream {
    pub async fn next(&mut self) -> Result<Option<StepMessage>, CallError> {
        Ok(self.inner.next().await?.map(StepMessage::from))
    }
}

struct Incoming<P> {
    inner: Replies<P>,
    client: Client,
    method: &'static str,
    messages: u64,
    started: Instant,
}

impl<P: serde::de::DeserializeOwned> Incoming<P> {
    fn new(inner: Replies<P>, client: Client, method: &'static str) -> Self {
        Incoming {
            inner,
            client,
            method,
            messages: 0,
            started: Instant::now(),
        }
    }

    async fn next(&mut self) -> Result<Option<P>, CallError> {
        let idle = self.client.limit(STREAM_IDLE_TIMEOUT);
        let next = match tokio::time::timeout(idle, self.inner.message(self.method)).await {
            Ok(next) => next,
            Err(_) => Err(CallError::deadline(
                self.method,
                format!(
                    "the stream was silent for {}",
                    crate::output::duration_ms(idle.as_millis() as i64)
                ),
            )),
        };
        match &next {
            Ok(Some(_)) => self.messages += 1,
            Ok(None) => self.client.printer.verbose(&format!(
                "{}: stream ended after {} messages in {}",
                self.method,
                self.messages,
                fmt_elapsed(self.started.elapsed())
            )),
            Err(err) => self.client.printer.verbose(&format!(
                "{}: {} after {} messages",
                self.method,
                err.status_text(),
                self.messages
            )),
        }
        next
    }
}
