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
        let kind = classify(code, &message);
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
                && matches!(self.code, Code::Unknown | Code::Internal | Code::Cancelled))
    }

    /// Whether certificate verification failed somewhere underneath.
    pub fn certificate_rejected(&self) -> bool {
        matches!(self.code, Code::Unavailable | Code::Unknown)
            && std::iter::once(&self.message)
                .chain(&self.causes)
                .any(|text| text.to_ascii_lowercase().contains("certificate"))
    }

    /// `message (CODE)`: the failure without the method, for notices and `-v` lines.
    pub fn status_text(&self) -> String {
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
