//! The gateway's failures in the API's terms: its JSON error body (`{"code", "message"}`), or,
//! when something else answered (a proxy's HTML page, an empty 502), a code from the HTTP status
//! and a line saying what came back.

use serde::Deserialize;

use super::super::{CallError, CallErrorKind, Code};

/// The contract's error body: `{"code": <gRPC code number>, "message": "...", "details": []}`.
#[derive(Debug, Deserialize)]
pub(super) struct ErrorBody {
    #[serde(default)]
    pub code: i32,
    #[serde(default)]
    pub message: String,
}

impl ErrorBody {
    pub fn into_error(self, method: &'static str) -> CallError {
        // 0 is OK, which is no failure: a body that says so about an error is UNKNOWN.
        CallError::new(method, Code::from_i32(self.code), self.message)
    }
}

/// The code an HTTP status stands for when the body does not say (the gateway's table read
/// backwards, and what proxies and load balancers mean by theirs).
pub(super) fn code_for_status(status: u16) -> Code {
    match status {
        400 => Code::InvalidArgument,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::NotFound,
        408 | 504 => Code::DeadlineExceeded,
        409 => Code::Aborted,
        412 => Code::FailedPrecondition,
        429 => Code::ResourceExhausted,
        499 => Code::Cancelled,
        501 => Code::Unimplemented,
        502 | 503 => Code::Unavailable,
        500 => Code::Internal,
        _ => Code::Unknown,
    }
}

/// A failed answer: the body's code and message when it is the contract's JSON, else the
/// status's code and what came back.
pub(super) fn from_status(
    method: &'static str,
    route: &str,
    status: http::StatusCode,
    content_type: &str,
    body: &[u8],
) -> CallError {
    if let Ok(error) = serde_json::from_slice::<ErrorBody>(body) {
        if error.code != 0 || !error.message.is_empty() {
            return error.into_error(method);
        }
    }
    CallError::new(
        method,
        code_for_status(status.as_u16()),
        format!("{route} answered {}", what_came(status, content_type, body)),
    )
}

/// A 2xx answer this client cannot read (not JSON, truncated, the wrong shape): the same
/// answer again would not help (exit 5; inside a download, 7).
pub(super) fn undecodable(
    method: &'static str,
    route: &str,
    status: http::StatusCode,
    content_type: &str,
    body: &[u8],
    why: &str,
) -> CallError {
    CallError::unreadable(
        method,
        CallErrorKind::Undecodable,
        format!(
            "the server sent an answer this client cannot decode ({why}): {route} answered {}",
            what_came(status, content_type, body)
        ),
    )
}

/// `502 Bad Gateway, text/html: "<html>..."`: the status, the content type, and the first
/// characters of the body, escaped, for one line of an error message.
pub(super) fn what_came(status: http::StatusCode, content_type: &str, body: &[u8]) -> String {
    let status = match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    };
    let content_type = if content_type.is_empty() {
        "no content type".to_string()
    } else {
        crate::output::terminal_safe(content_type).into_owned()
    };
    if body.is_empty() {
        return format!("{status}, {content_type}, an empty body");
    }
    format!("{status}, {content_type}: {}", excerpt(body))
}

/// Characters shown of a body.
const EXCERPT_CHARS: usize = 80;

/// The body's first characters as a quoted, escaped string (`"<html>\n<head>…"`).
pub(super) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_CHARS * 4)]);
    let mut shown: String = text.chars().take(EXCERPT_CHARS).collect();
    let more = text.chars().count() > EXCERPT_CHARS || body.len() > EXCERPT_CHARS * 4;
    if more {
        shown.push('…');
    }
    format!("{shown:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    #[test]
    fn the_contract_body_wins_over_the_status() {
        let err = from_status(
            "GetThread",
            "GET /v1/scriptum/threads/{thread_id}",
            StatusCode::NOT_FOUND,
            "application/json",
            br#"{"code": 5, "message": "thread thr_x not found", "details": []}"#,
        );
        assert_eq!(err.code, Code::NotFound);
        assert_eq!(err.kind, CallErrorKind::NotFound);
        assert_eq!(err.message, "thread thr_x not found");
    }

    #[test]
    fn a_proxy_page_is_said_in_one_line() {
        let err = from_status(
            "GetThread",
            "GET /v1/scriptum/threads/{thread_id}",
            StatusCode::BAD_GATEWAY,
            "text/html",
            b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>",
        );
        assert_eq!(err.code, Code::Unavailable);
        assert!(err.is_retryable());
        assert_eq!(
            err.message,
            r#"GET /v1/scriptum/threads/{thread_id} answered 502 Bad Gateway, text/html: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>""#
        );
        let long = "x".repeat(500);
        let err = from_status("M", "R", StatusCode::FORBIDDEN, "", long.as_bytes());
        assert_eq!(err.code, Code::PermissionDenied);
        assert!(err.message.ends_with("x…\""), "{}", err.message);
        assert!(err.message.contains("no content type"));
    }

    #[test]
    fn statuses_map_to_codes() {
        for (status, code) in [
            (400, Code::InvalidArgument),
            (401, Code::Unauthenticated),
            (403, Code::PermissionDenied),
            (404, Code::NotFound),
            (429, Code::ResourceExhausted),
            (501, Code::Unimplemented),
            (502, Code::Unavailable),
            (503, Code::Unavailable),
            (504, Code::DeadlineExceeded),
            (418, Code::Unknown),
        ] {
            assert_eq!(code_for_status(status), code, "{status}");
        }
        let err = from_status("M", "R", StatusCode::SERVICE_UNAVAILABLE, "", b"");
        assert!(err
            .message
            .ends_with("503 Service Unavailable, no content type, an empty body"));
    }
}
