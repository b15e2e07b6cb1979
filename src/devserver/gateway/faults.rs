//! The gateway's own faults: what a client meets when something between it and the service
//! (a proxy, a load balancer, a captive portal) answers instead, or cuts the answer short.
//! `http-html-error=METHOD` (a 502 HTML page, the service never called), `http-non-json=METHOD`
//! (a 200 with a plain-text body), `http-truncate=METHOD` (the JSON body, or a stream's first
//! frame, cut in half, then the end of the body).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

use crate::devserver::Faults;

pub enum Breakage {
    /// This answer instead of the service's.
    Answer(Response),
    /// The service's answer, cut short.
    Truncate,
}

fn named(list: &[String], method: &str) -> bool {
    list.iter().any(|m| m == method || m == "*")
}

fn text(status: StatusCode, content_type: &'static str, body: &'static str) -> Response {
    let mut r = Response::new(axum::body::Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// How the gateway's faults break `method`'s answer, if they do.
pub fn breakage(faults: &Faults, method: &str) -> Option<Breakage> {
    if named(&faults.http_html_error, method) {
        Some(Breakage::Answer(text(
            StatusCode::BAD_GATEWAY,
            "text/html",
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
             <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
             </body>\r\n</html>\r\n",
        )))
    } else if named(&faults.http_non_json, method) {
        Some(Breakage::Answer(text(
            StatusCode::OK,
            "text/plain",
            "upstream connect error or disconnect/reset before headers. reset reason: \
             connection termination\n",
        )))
    } else if named(&faults.http_truncate, method) {
        Some(Breakage::Truncate)
    } else {
        None
    }
}
