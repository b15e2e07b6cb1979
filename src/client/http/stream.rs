//! A gateway stream's framing, whichever the server chose: Server-Sent Events (`data:` lines,
//! an event per blank line) or newline-delimited JSON (`{"result": M}` or a bare `M` a line,
//! `{"error": {...}}` to end it). Decided by the content type, else by the first byte. Decoded
//! line by line as the body's frames arrive, with a bounded line buffer: a result stream may be
//! gigabytes, and one line is never more than a message.

use std::marker::PhantomData;

use bytes::{Buf, Bytes, BytesMut};
use http_body_util::BodyExt as _;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::super::{CallError, CallErrorKind};
use super::error::{excerpt, ErrorBody};

/// The longest line (or SSE event) taken: the largest message, base64 in JSON, and some room.
pub const MAX_LINE_BYTES: usize = super::super::MAX_MESSAGE_BYTES / 3 * 4 + 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    Sse,
    Ndjson,
}

impl Framing {
    /// The framing a content type names; `None` when it names neither (then the body decides).
    pub fn from_content_type(content_type: &str) -> Option<Framing> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(Framing::Sse),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/json-seq"
            | "application/json" => Some(Framing::Ndjson),
            _ => None,
        }
    }

    /// The framing a body's first bytes show: `{` is JSON, a field name or `:` is SSE.
    fn sniff(first: &[u8]) -> Option<Framing> {
        match first.first()? {
            b'{' => Some(Framing::Ndjson),
            b':' => Some(Framing::Sse),
            _ if [&b"data"[..], b"event", b"id", b"retry"]
                .iter()
                .any(|field| first.starts_with(field)) =>
            {
                Some(Framing::Sse)
            }
            _ => None,
        }
    }
}

/// What one line or event carried, before decoding into a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Payload {
    /// A JSON text: `{"result": M}`, `{"error": ...}` or a bare `M`.
    Json(Bytes),
    /// An SSE `event: error`: its data is an error body.
    Error(Bytes),
}

/// Why a body could not be framed.
#[derive(Debug, PartialEq, Eq)]
pub enum FrameError {
    /// A line (or SSE event) past [`MAX_LINE_BYTES`].
    TooLong,
    /// The body is neither SSE nor NDJSON; holds its first bytes.
    Unknown(Bytes),
}

/// Turns a body's bytes, as they come, into payloads.
pub struct Decoder {
    framing: Option<Framing>,
    buf: BytesMut,
    /// How much of `buf` is known to hold no newline.
    scanned: usize,
    max: usize,
    /// The SSE event being gathered.
    event: String,
    data: Vec<u8>,
    has_data: bool,
    ended: bool,
}

impl Decoder {
    pub fn new(framing: Option<Framing>, max: usize) -> Decoder {
        Decoder {
            framing,
            buf: BytesMut::new(),
            scanned: 0,
            max,
            event: String::new(),
            data: Vec::new(),
            has_data: false,
            ended: false,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next payload from the bytes pushed so far; `Ok(None)`: more are needed. After
    /// [`Decoder::end`], the last unterminated line counts too.
    pub fn next(&mut self) -> Result<Option<Payload>, FrameError> {
        loop {
            let Some(line) = self.line()? else {
                if self.ended && self.has_data {
                    // A body that ends inside an event was cut: what it holds is decoded (and
                    // refused if it is not whole), not quietly dropped as a browser would.
                    return self.sse_line(b"");
                }
                return Ok(None);
            };
            let framing = match self.framing {
                Some(framing) => framing,
                None => {
                    let start = trim_start(&line);
                    if start.is_empty() {
                        continue;
                    }
                    let framing =
                        Framing::sniff(start).ok_or_else(|| FrameError::Unknown(line.clone()))?;
                    self.framing = Some(framing);
                    framing
                }
            };
            let payload = match framing {
                Framing::Ndjson => ndjson_line(line),
                Framing::Sse => self.sse_line(&line)?,
            };
            if let Some(payload) = payload {
                return Ok(Some(payload));
            }
        }
    }

    /// The body ended: what is left is one last line, or the rest of an SSE event.
    pub fn end(&mut self) {
        self.ended = true;
    }

    /// The next whole line, without its `\n` or `\r\n`.
    fn line(&mut self) -> Result<Option<Bytes>, FrameError> {
        match self.buf[self.scanned..].iter().position(|&b| b == b'\n') {
            Some(at) => {
                let end = self.scanned + at;
                self.scanned = 0;
                let mut line = self.buf.split_to(end + 1).freeze();
                line.truncate(end);
                if line.ends_with(b"\r") {
                    line.truncate(end - 1);
                }
                if line.len() > self.max {
                    return Err(FrameError::TooLong);
                }
                Ok(Some(line))
            }
            None if self.buf.len() > self.max => Err(FrameError::TooLong),
            None if self.ended && !self.buf.is_empty() => {
                self.scanned = 0;
                let line = self.buf.split().freeze();
                Ok(Some(line))
            }
            None => {
                self.scanned = self.buf.len();
                Ok(None)
            }
        }
    }

    fn sse_line(&mut self, line: &[u8]) -> Result<Option<Payload>, FrameError> {
        if line.is_empty() {
            // A blank line dispatches the event; one without data is none.
            let event = std::mem::take(&mut self.event);
            if !std::mem::take(&mut self.has_data) {
                return Ok(None);
            }
            let data = Bytes::from(std::mem::take(&mut self.data));
            return Ok(Some(if event == "error" {
                Payload::Error(data)
            } else {
                Payload::Json(data)
            }));
        }
        if line.starts_with(b":") {
            return Ok(None);
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(at) => {
                let value = &line[at + 1..];
                (&line[..at], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match field {
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                }
                self.data.extend_from_slice(value);
                self.has_data = true;
                if self.data.len() > self.max {
                    return Err(FrameError::TooLong);
                }
            }
            b"event" => self.event = String::from_utf8_lossy(value).into_owned(),
            // `id` and `retry` are for a browser's reconnection; the following engine reopens
            // the stream itself and sorts out what it has seen.
            _ => {}
        }
        Ok(None)
    }
}

fn trim_start(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    &line[start..]
}

fn ndjson_line(line: Bytes) -> Option<Payload> {
    (!trim_start(&line).is_empty()).then_some(Payload::Json(line))
}

#[derive(Deserialize)]
#[serde(bound = "P: DeserializeOwned")]
struct Envelope<P> {
    result: Option<P>,
    error: Option<ErrorBody>,
}

/// One payload as a message, or as the error the server ended the stream with. `Err(text)`:
/// it is not JSON of either shape.
pub fn decode<P: DeserializeOwned>(
    method: &'static str,
    payload: &Payload,
) -> Result<Result<P, CallError>, String> {
    match payload {
        Payload::Json(json) => {
            let first_key = trim_start(json)
                .strip_prefix(b"{")
                .map(trim_start)
                .unwrap_or_default();
            if first_key.starts_with(b"\"result\"") || first_key.starts_with(b"\"error\"") {
                let envelope: Envelope<P> = from_json(json).map_err(|err| json_trouble(&err))?;
                match (envelope.result, envelope.error) {
                    (_, Some(error)) => Ok(Err(error.into_error(method))),
                    (Some(message), None) => Ok(Ok(message)),
                    (None, None) => Err("a line with neither result nor error".to_string()),
                }
            } else {
                from_json::<P>(json)
                    .map(Ok)
                    .map_err(|err| json_trouble(&err))
            }
        }
        Payload::Error(json) => {
            #[derive(Deserialize)]
            struct Wrapped {
                error: ErrorBody,
            }
            if let Ok(wrapped) = serde_json::from_slice::<Wrapped>(json) {
                return Ok(Err(wrapped.error.into_error(method)));
            }
            serde_json::from_slice::<ErrorBody>(json)
                .map(|error| Err(error.into_error(method)))
                .map_err(|err| format!("an error event that is not an error body: {err}"))
        }
    }
}

/// A JSON text as `T`. pbjson is built lenient (build.rs): a newer server's fields are skipped
/// and its enum values (names or numbers) read as the default, UNSPECIFIED — not an ending.
pub fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(json)
}

/// What was wrong with a JSON text, in a few words.
pub fn json_trouble(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match err.classify() {
        Category::Eof => format!("truncated JSON: {err}"),
        Category::Syntax => format!("not JSON: {err}"),
        Category::Data => format!("JSON of the wrong shape: {err}"),
        Category::Io => err.to_string(),
    }
}

/// A gateway stream's messages, decoded as they arrive.
pub struct Messages<P> {
    body: hyper::body::Incoming,
    decoder: Decoder,
    method: &'static str,
    /// `GET /v1/scriptum/...`, for messages.
    route: String,
    status: http::StatusCode,
    content_type: String,
    body_ended: bool,
    finished: bool,
    _message: PhantomData<fn() -> P>,
}

impl<P: DeserializeOwned> Messages<P> {
    pub fn new(
        method: &'static str,
        route: String,
        status: http::StatusCode,
        content_type: String,
        body: hyper::body::Incoming,
    ) -> Messages<P> {
        Messages {
            body,
            decoder: Decoder::new(Framing::from_content_type(&content_type), MAX_LINE_BYTES),
            method,
            route,
            status,
            content_type,
            body_ended: false,
            finished: false,
            _message: PhantomData,
        }
    }

    /// The next message; `Ok(None)` when the body ended cleanly.
    pub async fn message(&mut self) -> Result<Option<P>, CallError> {
        loop {
            if self.finished {
                return Ok(None);
            }
            match self.decoder.next() {
                Ok(Some(payload)) => {
                    return match decode::<P>(self.method, &payload) {
                        Ok(Ok(message)) => Ok(Some(message)),
                        Ok(Err(error)) => {
                            self.finished = true;
                            Err(error)
                        }
                        Err(why) => Err(self.undecodable(&why, Some(&payload))),
                    };
                }
                Ok(None) if self.body_ended => {
                    self.finished = true;
                    return Ok(None);
                }
                Ok(None) => {}
                Err(FrameError::TooLong) => {
                    return Err(self.undecodable(
                        &format!(
                            "a line longer than {}",
                            crate::output::size(MAX_LINE_BYTES as i64)
                        ),
                        None,
                    ))
                }
                Err(FrameError::Unknown(first)) => {
                    return Err(self.undecodable(
                        &format!("neither SSE nor NDJSON: {}", excerpt(&first)),
                        None,
                    ))
                }
            }
            match self.body.frame().await {
                None => {
                    self.body_ended = true;
                    self.decoder.end();
                }
                Some(Ok(frame)) => {
                    if let Some(data) = frame.data_ref() {
                        self.decoder.push(data.chunk());
                    }
                }
                Some(Err(err)) => {
                    self.finished = true;
                    return Err(super::broken(self.method, "the stream broke", &err));
                }
            }
        }
    }

    fn undecodable(&mut self, why: &str, payload: Option<&Payload>) -> CallError {
        self.finished = true;
        let shown = match payload {
            Some(Payload::Json(json) | Payload::Error(json)) => format!(": {}", excerpt(json)),
            None => String::new(),
        };
        CallError::unreadable(
            self.method,
            CallErrorKind::Undecodable,
            format!(
                "the server sent a stream this client cannot decode ({why}): {} answered {}, {}{shown}",
                self.route,
                self.status.as_u16(),
                if self.content_type.is_empty() {
                    "no content type"
                } else {
                    &self.content_type
                },
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Code;
    use crate::proto;

    fn all(decoder: &mut Decoder) -> Vec<Payload> {
        let mut out = Vec::new();
        while let Some(payload) = decoder.next().unwrap() {
            out.push(payload);
        }
        out
    }

    fn json(text: &str) -> Payload {
        Payload::Json(Bytes::copy_from_slice(text.as_bytes()))
    }

    /// Feeds `body` one byte at a time, then ends it.
    fn bytewise(framing: Option<Framing>, body: &[u8]) -> Vec<Payload> {
        let mut decoder = Decoder::new(framing, 1024);
        let mut out = Vec::new();
        for byte in body {
            decoder.push(&[*byte]);
            out.extend(all(&mut decoder));
        }
        decoder.end();
        out.extend(all(&mut decoder));
        out
    }

    #[test]
    fn ndjson_lines_split_across_frames() {
        let body = b"{\"result\": {\"a\": 1}}\r\n\n{\"result\": {}}\n{\"b\": 2}";
        let got = bytewise(Some(Framing::Ndjson), body);
        assert_eq!(
            got,
            vec![
                json("{\"result\": {\"a\": 1}}"),
                json("{\"result\": {}}"),
                json("{\"b\": 2}")
            ]
        );
        // Sniffed the same.
        assert_eq!(bytewise(None, body), got);
    }

    #[test]
    fn sse_events_join_data_lines_and_skip_comments() {
        let body = b": keepalive\n\nid: 1\ndata: {\"a\":\ndata:  1}\n\nevent: error\ndata: {\"code\": 14, \"message\": \"gone\"}\n\ndata: {\"cut\"";
        let got = bytewise(None, body);
        assert_eq!(
            got,
            vec![
                json("{\"a\":\n 1}"),
                Payload::Error(Bytes::from_static(b"{\"code\": 14, \"message\": \"gone\"}")),
                json("{\"cut\""),
            ]
        );
        assert_eq!(
            bytewise(Some(Framing::Sse), b"event: x\r\ndata:{}\r\n\r\n"),
            vec![json("{}")]
        );
    }

    #[test]
    fn lines_are_bounded_and_unknown_bodies_refused() {
        let mut decoder = Decoder::new(None, 8);
        decoder.push(b"{\"result\": 12345");
        assert_eq!(decoder.next(), Err(FrameError::TooLong));
        let mut decoder = Decoder::new(None, 1024);
        decoder.push(b"<html>\n");
        assert!(matches!(decoder.next(), Err(FrameError::Unknown(_))));
        let mut decoder = Decoder::new(Some(Framing::Sse), 8);
        for _ in 0..4 {
            decoder.push(b"data: 123\n");
        }
        assert_eq!(decoder.next(), Err(FrameError::TooLong));
    }

    #[test]
    fn content_types_name_framings() {
        assert_eq!(
            Framing::from_content_type("text/event-stream; charset=utf-8"),
            Some(Framing::Sse)
        );
        assert_eq!(
            Framing::from_content_type("application/x-ndjson"),
            Some(Framing::Ndjson)
        );
        assert_eq!(Framing::from_content_type("text/plain"), None);
    }

    #[test]
    fn payloads_decode_as_result_bare_message_or_error() {
        type Chunk = proto::ThreadOutputChunk;
        let chunk = decode::<Chunk>(
            "StreamThreadResult",
            &json(r#"{"result": {"threadId": "t", "output": {"data": "aGk=", "chunkIndex": 2, "isFinal": true}}}"#),
        )
        .unwrap()
        .unwrap();
        let Some(proto::thread_output_chunk::Chunk::Output(output)) = chunk.chunk else {
            panic!("{chunk:?}");
        };
        assert_eq!(&output.data[..], b"hi");
        assert_eq!(output.chunk_index, 2);
        assert!(output.is_final);

        let event = decode::<proto::ThreadEvent>(
            "WatchThread",
            &json(r#"{"threadId": "t", "timestampMs": "17", "completed": {"durationMs": "5"}}"#),
        )
        .unwrap()
        .unwrap();
        assert_eq!(event.timestamp_ms, 17);

        let err = decode::<Chunk>(
            "StreamThreadResult",
            &json(r#"{"error": {"code": 14, "message": "worker lost"}}"#),
        )
        .unwrap()
        .unwrap_err();
        assert_eq!(err.code, Code::Unavailable);
        assert_eq!(err.message, "worker lost");
        let err = decode::<Chunk>(
            "StreamThreadResult",
            &Payload::Error(Bytes::from_static(
                br#"{"code": 5, "message": "no thread"}"#,
            )),
        )
        .unwrap()
        .unwrap_err();
        assert_eq!(err.code, Code::NotFound);

        let why = decode::<Chunk>("M", &json(r#"{"result": {"threadId": "#)).unwrap_err();
        assert!(why.starts_with("truncated JSON"), "{why}");
        let thread = from_json::<proto::Thread>(br#"{"threadId": "t", "status": 42}"#).unwrap();
        assert_eq!(thread.status, 0);
        let thread =
            from_json::<proto::Thread>(br#"{"status": "THREAD_STATUS_QUEUED", "new": 1}"#).unwrap();
        assert_eq!(thread.status, 0);
        let page = from_json::<proto::ListThreadsResponse>(
            br#"{"threads": [{"status": "THREAD_STATUS_RUNNING"}, {"status": 42}]}"#,
        )
        .unwrap();
        assert_eq!(page.threads[0].status, proto::ThreadStatus::Running as i32);
        let why = decode::<Chunk>("M", &json(r#"{"threadId": 7}"#)).unwrap_err();
        assert!(why.starts_with("JSON of the wrong shape"), "{why}");
    }
}
