//! A failed call, said in the API's terms rather than a transport's: which method, what kind of
//! failure, the server's words. Every transport converts its own failures into [`CallError`] at
//! this edge, so the rest of the program (exit codes, retries, hints) never names one.

use std::fmt;

/// The API's status codes (the gRPC numbering, which the HTTP gateway's error bodies carry too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}

impl Code {
    /// The code for a number; numbers outside the list (and 0, which is no failure) are UNKNOWN.
    pub fn from_i32(n: i32) -> Code {
        use Code::*;
        match n {
            1 => Cancelled,
            3 => InvalidArgument,
            4 => DeadlineExceeded,
            5 => NotFound,
            6 => AlreadyExists,
            7 => PermissionDenied,
            8 => ResourceExhausted,
            9 => FailedPrecondition,
            10 => Aborted,
            11 => OutOfRange,
            12 => Unimplemented,
            13 => Internal,
            14 => Unavailable,
            15 => DataLoss,
            16 => Unauthenticated,
            _ => Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        use Code::*;
        match self {
            Cancelled => "CANCELLED",
            Unknown => "UNKNOWN",
            InvalidArgument => "INVALID_ARGUMENT",
            DeadlineExceeded => "DEADLINE_EXCEEDED",
            NotFound => "NOT_FOUND",
            AlreadyExists => "ALREADY_EXISTS",
            PermissionDenied => "PERMISSION_DENIED",
            ResourceExhausted => "RESOURCE_EXHAUSTED",
            FailedPrecondition => "FAILED_PRECONDITION",
            Aborted => "ABORTED",
            OutOfRange => "OUT_OF_RANGE",
            Unimplemented => "UNIMPLEMENTED",
            Internal => "INTERNAL",
            Unavailable => "UNAVAILABLE",
            DataLoss => "DATA_LOSS",
            Unauthenticated => "UNAUTHENTICATED",
        }
    }
}

/// What a failure means to the program: each kind has one exit code and one retry answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallErrorKind {
    NotFound,
    FailedPrecondition,
    Unimplemented,
    Unauthenticated,
    PermissionDenied,
    /// An answer larger than this client accepts in one message.
    MessageTooLarge,
    /// An answer this client cannot decode (a string field that is not UTF-8, a malformed
    /// message): the server does not speak this client's `dodil.scriptum.v1`, or speaks it
    /// wrong. Asking again gets the same answer.
    Undecodable,
    /// The server is busy, down or slow (UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED,
    /// ABORTED): the same call later may succeed.
    Transient,
    /// The connection gave way underneath (a reset, a broken pipe), whatever code it came as.
    TransportBroken,
    /// Any other refusal (INVALID_ARGUMENT, ALREADY_EXISTS, a plain INTERNAL ...).
    Refused,
    /// The proxy in the way failed us: the server was never reached (exit 6).
    Proxy(ProxyTrouble),
}

/// How a proxy failed a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyTrouble {
    /// It could not be reached, broke off or did not answer: it may come back.
    Unreachable,
    /// It wants credentials (HTTP 407, a SOCKS authentication failure); `sent`: whether we sent
    /// some.
    AuthRequired { sent: bool },
    /// It refused to open the tunnel (HTTP 403 and other 4xx, a SOCKS ruleset).
    Refused,
    /// It could not reach the endpoint itself (HTTP 5xx, SOCKS host unreachable): like a server
    /// that is down, it may come back.
    Gateway,
}

/// One failed call.
#[derive(Clone, Debug)]
pub struct CallError {
    pub method: &'static str,
    pub kind: CallErrorKind,
    pub code: Code,
    /// The server's (or transport's) message, trimmed.
    pub message: String,
    /// What lay under a transport failure, outermost first (`connection refused`, a TLS
    /// verification error ...): shown as the root cause, searched for certificate trouble.
    pub causes: Vec<String>,
    /// The server's id for the request (`x-request-id`), for a support ticket to quote.
    pub request_id: Option<String>,
}

impl CallError {
    pub fn new(method: &'static str, code: Code, message: impl Into<String>) -> CallError {
        CallError::with_causes(method, code, message.into(), Vec::new())
    }

    pub fn with_causes(
        method: &'static str,
        code: Code,
        message: String,
        causes: Vec<String>,
    ) -> CallError {
        let message = message.trim().to_string();
        let mut kind = classify(code, &message);
        // A transport's own words may lie underneath a bland message ("operation was canceled":
        // "connection closed"); a status the server sent has nothing underneath.
        if kind == CallErrorKind::Refused
            && matches!(code, Code::Unknown | Code::Internal | Code::Cancelled)
            && causes.iter().any(|cause| mentions_transport(cause))
        {
            kind = CallErrorKind::TransportBroken;
        }
        CallError {
            method,
            kind,
            code,
            message,
            causes,
            request_id: None,
        }
    }

    pub fn with_request_id(mut self, request_id: Option<String>) -> CallError {
        self.request_id = request_id;
        self
    }

    /// An answer this client could not read (`kind` is [`CallErrorKind::MessageTooLarge`] or
    /// [`CallErrorKind::Undecodable`]); `message` says what was wrong, in our words.
    pub fn unreadable(method: &'static str, kind: CallErrorKind, message: String) -> CallError {
        let code = match kind {
            CallErrorKind::MessageTooLarge => Code::OutOfRange,
            _ => Code::Internal,
        };
        CallError {
            method,
            kind,
            code,
            message,
            causes: Vec::new(),
            request_id: None,
        }
    }

    /// The answer arrived but could not be read: too large, or undecodable. Asking again would
    /// get the same answer.
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self.kind,
            CallErrorKind::MessageTooLarge | CallErrorKind::Undecodable
        )
    }

    /// No answer in time: transient.
    pub fn deadline(method: &'static str, message: impl Into<String>) -> CallError {
        CallError::new(method, Code::DeadlineExceeded, message)
    }

    /// Whether the same call may be tried again (and, if it keeps failing, is exit 6 rather
    /// than 5). The one classifier: unary retries, the following engines, exit codes.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            CallErrorKind::Transient
                | CallErrorKind::TransportBroken
                | CallErrorKind::Proxy(ProxyTrouble::Unreachable | ProxyTrouble::Gateway)
        )
    }

    /// The same failure, known to be a proxy's doing.
    pub fn through_proxy(mut self, trouble: ProxyTrouble) -> CallError {
        self.kind = CallErrorKind::Proxy(trouble);
        self
    }

    /// Whether a stream that broke with this error after delivering data is worth opening once
    /// more: mid-stream, UNKNOWN / INTERNAL / CANCELLED is almost always the transport giving
    /// way, so this is wider than [`CallError::is_retryable`], which must not repeat a refusal.
    pub fn is_retryable_mid_stream(&self) -> bool {
        self.is_retryable()
            || (!matches!(self.kind, CallErrorKind::Proxy(_))
                && !self.is_unreadable()
                && matches!(self.code, Code::Unknown | Code::Internal | Code::Cancelled))
    }

    /// Whether certificate verification failed somewhere underneath.
    pub fn certificate_rejected(&self) -> bool {
        matches!(self.code, Code::Unavailable | Code::Unknown)
            && std::iter::once(&self.message)
                .chain(&self.causes)
                .any(|text| text.to_ascii_lowercase().contains("certificate"))
    }

    /// `message (CODE)`: the failure without the method, for notices and `-v` lines. An answer
    /// this client could not read has no code of the server's to show: the message says it all.
    pub fn status_text(&self) -> String {
        if self.is_unreadable() {
            return self.message.clone();
        }
        if self.message.is_empty() {
            self.code.name().to_string()
        } else {
            format!("{} ({})", self.message, self.code.name())
        }
    }
}

fn classify(code: Code, message: &str) -> CallErrorKind {
    use CallErrorKind as K;
    match code {
        Code::NotFound => K::NotFound,
        Code::FailedPrecondition => K::FailedPrecondition,
        Code::Unimplemented => K::Unimplemented,
        Code::Unauthenticated => K::Unauthenticated,
        Code::PermissionDenied => K::PermissionDenied,
        Code::OutOfRange if message.contains("too large") => K::MessageTooLarge,
        Code::Internal if message.starts_with(DECODE_FAILED) => K::Undecodable,
        // tonic's own word for a compressed message that expands past the limit.
        Code::ResourceExhausted if message.contains("size limit") => K::MessageTooLarge,
        Code::Unavailable | Code::ResourceExhausted | Code::DeadlineExceeded | Code::Aborted => {
            K::Transient
        }
        Code::Unknown | Code::Internal | Code::Cancelled if mentions_transport(message) => {
            K::TransportBroken
        }
        _ => K::Refused,
    }
}

/// How prost's decode errors begin (tonic reports them as INTERNAL).
pub(super) const DECODE_FAILED: &str = "failed to decode Protobuf message";

/// An answer tonic could not take, said in our words: a message over `limit` bytes, or one
/// prost could not decode. `None` for any other failure.
pub(super) fn unreadable(method: &'static str, code: Code, message: &str) -> Option<CallError> {
    if code == Code::OutOfRange && message.contains("decoded message length too large") {
        // tonic: "Error, decoded message length too large: found N bytes, the limit is: M bytes"
        let numbers: Vec<i64> = message
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        let text = match numbers.as_slice() {
            [found, limit, ..] => format!(
                "the server sent a message too large for this client ({}; the limit is {})",
                crate::output::size(*found),
                crate::output::size(*limit)
            ),
            _ => "the server sent a message too large for this client".to_string(),
        };
        return Some(CallError::unreadable(
            method,
            CallErrorKind::MessageTooLarge,
            text,
        ));
    }
    let detail = message.strip_prefix(DECODE_FAILED)?;
    if code != Code::Internal {
        return None;
    }
    // prost: "failed to decode Protobuf message: Inner.field: Outer.field: description", the
    // field that failed first.
    let parts: Vec<&str> = detail.trim_start_matches(':').trim().split(": ").collect();
    let is_field = |p: &&&str| p.contains('.') && !p.contains(char::is_whitespace);
    let fields = parts.iter().take_while(is_field).count();
    let description = parts[fields..].join(": ");
    let field = parts[..fields].first().copied();
    let what = if description.contains("not UTF-8") {
        "invalid UTF-8 in a string field".to_string()
    } else {
        format!("malformed: {description}")
    };
    let text = match field {
        Some(field) => {
            format!("the server sent a message this client cannot decode ({what}: {field})")
        }
        None => format!("the server sent a message this client cannot decode ({what})"),
    };
    Some(CallError::unreadable(
        method,
        CallErrorKind::Undecodable,
        text,
    ))
}

/// tonic reports a reset connection as UNKNOWN or INTERNAL with words like these.
fn mentions_transport(message: &str) -> bool {
    let text = message.to_ascii_lowercase();
    [
        "transport",
        "connect",
        "connection",
        "reset",
        "broken pipe",
        "h2 protocol",
        "stream",
    ]
    .iter()
    .any(|word| text.contains(word))
}

/// `Method: message (CODE): root cause`, on one line.
impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.status_text();
        if let Some(root) = self.causes.last() {
            if !text.contains(root.as_str()) {
                text = format!("{text}: {root}");
            }
        }
        write!(f, "{}: {}", self.method, text.replace('\n', " "))?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_codes_and_transport_words() {
        let kind = |code, msg| CallError::new("M", code, msg).kind;
        assert_eq!(kind(Code::NotFound, "x"), CallErrorKind::NotFound);
        assert_eq!(kind(Code::Unavailable, "x"), CallErrorKind::Transient);
        assert_eq!(kind(Code::Aborted, "x"), CallErrorKind::Transient);
        assert_eq!(
            kind(Code::Unknown, "transport error"),
            CallErrorKind::TransportBroken
        );
        assert_eq!(kind(Code::Unknown, "bad script"), CallErrorKind::Refused);
        assert_eq!(
            kind(Code::OutOfRange, "decoded message length too large"),
            CallErrorKind::MessageTooLarge
        );
        assert_eq!(kind(Code::OutOfRange, "page 9"), CallErrorKind::Refused);
    }

    #[test]
    fn answers_that_cannot_be_read_are_said_in_our_words() {
        let err = unreadable(
            "GetThread",
            Code::Internal,
            "failed to decode Protobuf message: Thread.thread_id: invalid string value: data is not UTF-8 encoded",
        )
        .unwrap();
        assert_eq!(err.kind, CallErrorKind::Undecodable);
        assert_eq!(
            err.to_string(),
            "GetThread: the server sent a message this client cannot decode (invalid UTF-8 in a string field: Thread.thread_id)"
        );
        assert!(!err.is_retryable() && !err.is_retryable_mid_stream());
        let err = unreadable(
            "WatchThread",
            Code::Internal,
            "failed to decode Protobuf message: invalid wire type value: 7",
        )
        .unwrap();
        assert_eq!(
            err.status_text(),
            "the server sent a message this client cannot decode (malformed: invalid wire type value: 7)"
        );
        let err = unreadable(
            "StreamThreadResult",
            Code::OutOfRange,
            "Error, decoded message length too large: found 41943085 bytes, the limit is: 33554432 bytes",
        )
        .unwrap();
        assert_eq!(err.kind, CallErrorKind::MessageTooLarge);
        assert_eq!(
            err.status_text(),
            "the server sent a message too large for this client (40.0 MiB; the limit is 32.0 MiB)"
        );
        assert!(unreadable("GetThread", Code::Internal, "oops").is_none());
        assert!(unreadable("GetThread", Code::NotFound, DECODE_FAILED).is_none());
    }

    #[test]
    fn mid_stream_retries_more_than_a_call() {
        let err = CallError::new("M", Code::Internal, "oops");
        assert!(!err.is_retryable());
        assert!(err.is_retryable_mid_stream());
        assert!(!CallError::new("M", Code::NotFound, "x").is_retryable_mid_stream());
    }

    #[test]
    fn displays_method_status_and_root_cause_once() {
        let err = CallError::with_causes(
            "GetThread",
            Code::Unavailable,
            "tcp connect error".into(),
            vec![
                "tcp connect error".into(),
                "Connection refused (os error 111)".into(),
            ],
        );
        assert_eq!(
            err.to_string(),
            "GetThread: tcp connect error (UNAVAILABLE): Connection refused (os error 111)"
        );
        assert_eq!(
            CallError::new("GetThread", Code::NotFound, "").to_string(),
            "GetThread: NOT_FOUND"
        );
        assert_eq!(
            CallError::new("GetThread", Code::NotFound, "no such thread")
                .with_request_id(Some("req_1".into()))
                .to_string(),
            "GetThread: no such thread (NOT_FOUND) (request id req_1)"
        );
    }

    #[test]
    fn certificate_trouble_is_found_underneath() {
        let err = CallError::with_causes(
            "GetThread",
            Code::Unavailable,
            "tcp connect error".into(),
            vec!["invalid peer certificate: UnknownIssuer".into()],
        );
        assert!(err.certificate_rejected());
        assert!(!CallError::new("GetThread", Code::NotFound, "certificate").certificate_rejected());
    }
}
