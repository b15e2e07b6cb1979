//! The gateway's errors: a gRPC status as the HTTP answer the contract describes, a status code
//! from the gRPC code and the body `{"code": N, "message": "...", "details": []}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use tonic::{Code, Status};

/// The HTTP status for a gRPC code: the contract's table, and the usual gateway mapping for the
/// codes it leaves open.
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::Cancelled => StatusCode::from_u16(499).expect("499 is a valid status"),
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            StatusCode::BAD_REQUEST
        }
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The error object: the whole body of an error answer, and what a stream's error line wraps.
pub fn body(status: &Status) -> serde_json::Value {
    serde_json::json!({
        "code": status.code() as i32,
        "message": status.message(),
        "details": [],
    })
}

/// The `x-request-id` the service stamped on an answer, or a fresh one for an answer the
/// gateway makes itself (a malformed body never reaches the service).
pub fn request_id(metadata: &tonic::metadata::MetadataMap) -> HeaderValue {
    metadata
        .get("x-request-id")
        .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
        .unwrap_or_else(fresh_request_id)
}

pub fn fresh_request_id() -> HeaderValue {
    HeaderValue::try_from(format!("req_{:016x}", fastrand::u64(..))).expect("a request id is ASCII")
}

/// A status as a whole HTTP answer.
pub fn response(status: &Status) -> Response {
    let mut r = Response::new(axum::body::Body::from(body(status).to_string()));
    *r.status_mut() = http_status(status.code());
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert("x-request-id", request_id(status.metadata()));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_codes() {
        for (code, http) in [
            (Code::NotFound, 404),
            (Code::InvalidArgument, 400),
            (Code::FailedPrecondition, 400),
            (Code::Unauthenticated, 401),
            (Code::PermissionDenied, 403),
            (Code::Unimplemented, 501),
            (Code::Unavailable, 503),
        ] {
            assert_eq!(http_status(code).as_u16(), http, "{code:?}");
        }
        let r = response(&Status::not_found("thread \"x\" not found"));
        assert_eq!(r.status(), 404);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        assert!(r.headers().contains_key("x-request-id"));
        assert_eq!(
            body(&Status::not_found("gone")),
            serde_json::json!({"code": 5, "message": "gone", "details": []})
        );
    }
}
