//! The streaming routes' framings. The watch routes are Server-Sent Events: `data: <JSON>` and a
//! blank line per event; the result streams are newline-delimited JSON, one `{"result": <JSON>}`
//! a line. An error the stream ends with (after its headers are sent, as gRPC sends it in the
//! trailers) is `{"error": {"code": N, "message": "...", "details": []}}`: the NDJSON line
//! itself, or the `data:` of an SSE event named `error`. Either way it is the stream's last frame.

use std::pin::Pin;

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_stream::{Stream, StreamExt as _};
use tonic::Status;

use super::enums::{self, Statuses};
use super::error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    Sse,
    Ndjson,
}

impl Framing {
    fn content_type(self) -> &'static str {
        match self {
            Framing::Sse => "text/event-stream",
            Framing::Ndjson => "application/x-ndjson",
        }
    }

    /// One message's frame.
    fn message<T: Statuses>(self, msg: &T) -> serde_json::Result<Vec<u8>> {
        let json = enums::to_json(msg)?;
        let (before, after): (&[u8], &[u8]) = match self {
            Framing::Sse => (b"data: ", b"\n\n"),
            Framing::Ndjson => (b"{\"result\":", b"}\n"),
        };
        let mut out = Vec::with_capacity(before.len() + json.len() + after.len());
        out.extend_from_slice(before);
        out.extend_from_slice(&json);
        out.extend_from_slice(after);
        Ok(out)
    }

    /// The frame of the error a stream ends with.
    fn error(self, status: &Status) -> Vec<u8> {
        let line = serde_json::json!({ "error": error::body(status) }).to_string();
        match self {
            Framing::Sse => format!("event: error\ndata: {line}\n\n").into_bytes(),
            Framing::Ndjson => format!("{line}\n").into_bytes(),
        }
    }
}

pub type Messages<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// How a stream's body is cut short (the `http-truncate` fault): the first frame's first half,
/// then the end of the body.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    Whole,
    FirstFrameHalf,
}

/// The HTTP answer for a server-streaming call: a plain error before the stream opened, else
/// the framed messages, as they come. A task forwards them so that a client that goes away
/// drops the service's stream (and with it the task feeding it).
pub fn response<T>(
    answer: Result<tonic::Response<Messages<T>>, Status>,
    framing: Framing,
    cut: Cut,
) -> Response
where
    T: Statuses + Send + 'static,
{
    let answer = match answer {
        Ok(a) => a,
        Err(status) => return error::response(&status),
    };
    let request_id = error::request_id(answer.metadata());
    let mut messages = answer.into_inner();
    // Two frames in flight, so a slow reader slows the service's stream down too.
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::convert::Infallible>>(2);
    tokio::spawn(async move {
        while let Some(item) = messages.next().await {
            let (frame, last) = match item {
                Ok(msg) => match framing.message(&msg) {
                    Ok(frame) => (frame, false),
                    Err(e) => (
                        framing.error(&Status::internal(format!(
                            "cannot write this message as JSON: {e}"
                        ))),
                        true,
                    ),
                },
                Err(status) => (framing.error(&status), true),
            };
            let (frame, last) = match cut {
                Cut::Whole => (frame, last),
                Cut::FirstFrameHalf => (frame[..frame.len() / 2].to_vec(), true),
            };
            if tx.send(Ok(Bytes::from(frame))).await.is_err() || last {
                break;
            }
        }
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(framing.content_type()),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-request-id", request_id);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames() {
        let msg = crate::proto::ThreadEvent {
            thread_id: "thr_1".into(),
            ..Default::default()
        };
        assert_eq!(
            Framing::Sse.message(&msg).unwrap(),
            b"data: {\"threadId\":\"thr_1\"}\n\n"
        );
        assert_eq!(
            Framing::Ndjson.message(&msg).unwrap(),
            b"{\"result\":{\"threadId\":\"thr_1\"}}\n"
        );
        let e = Status::unavailable("gone");
        assert_eq!(
            Framing::Ndjson.error(&e),
            b"{\"error\":{\"code\":14,\"message\":\"gone\",\"details\":[]}}\n"
        );
        assert_eq!(
            Framing::Sse.error(&e),
            b"event: error\ndata: {\"error\":{\"code\":14,\"message\":\"gone\",\"details\":[]}}\n\n"
        );
    }
}
