//! The HTTP gateway: every RPC under `/v1/scriptum`, with pbjson bodies (the proto's JSON
//! mapping: camelCase, int64 as strings, bytes as base64, enums by name), served on the gRPC
//! port (`dispatch` sends `application/grpc*` to tonic, the rest here).
//!
//! Each route calls the very service method the gRPC server calls, with the auth headers as
//! its metadata, so auth, organizations, state and faults are the same over both transports.
//! `error` turns a status into the HTTP error answer, `stream` frames the streaming RPCs (SSE,
//! NDJSON), `dispatch` splits the port, `faults` breaks answers as a bad proxy would, `enums`
//! writes the statuses the proto does not name (the `bad-enums` fault).

mod dispatch;
mod enums;
mod error;
mod faults;
mod stream;

use std::future::Future;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use tonic::Status;

use super::service::Service;
use crate::proto;
use crate::proto::scriptum_service_server::ScriptumService as _;
pub use dispatch::ByContentType;
use enums::Statuses;
use faults::Breakage;
use stream::{Cut, Framing, Messages};

/// The largest request body, as the gRPC side's largest request message.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The headers a route hands on to the service as gRPC metadata.
const FORWARDED: [&str; 3] = ["authorization", "x-organization-name", "x-organization-id"];

/// The gateway's routes, answering with `svc`.
pub fn router(svc: Service) -> Router {
    let t = "/v1/scriptum/threads";
    Router::new()
        .route(t, post(create_thread).get(list_threads))
        .route(&format!("{t}/{{id}}"), get(get_thread))
        .route(&format!("{t}/{{id}}/cancel"), post(cancel_thread))
        .route(&format!("{t}/{{id}}/resume"), post(resume_thread))
        .route(&format!("{t}/{{id}}/watch"), get(watch_thread))
        .route(&format!("{t}/{{id}}/steps/{{step}}/watch"), get(watch_step))
        .route(&format!("{t}/{{id}}/result"), get(get_thread_result))
        .route(
            &format!("{t}/{{id}}/result/stream"),
            get(stream_thread_result),
        )
        .route(&format!("{t}/{{id}}/steps/stream"), get(stream_step_result))
        .route(&format!("{t}/{{id}}/artifacts"), get(list_artifacts))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .method_not_allowed_fallback(wrong_method)
        .fallback(unknown_route)
        .with_state(svc)
}

async fn unknown_route(method: Method, uri: Uri) -> Response {
    error::response(&Status::not_found(format!(
        "no route {method} {}: the gateway serves /v1/scriptum/threads...",
        uri.path()
    )))
}

async fn wrong_method(method: Method, uri: Uri) -> Response {
    let mut r = error::response(&Status::unimplemented(format!(
        "method {method} is not allowed on {}",
        uri.path()
    )));
    *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    r
}

/// A request for the service: `msg` with the forwarded headers as its metadata.
fn request<T>(headers: &HeaderMap, msg: T) -> tonic::Request<T> {
    let mut forwarded = HeaderMap::new();
    for name in FORWARDED {
        for v in headers.get_all(name) {
            forwarded.append(name, v.clone());
        }
    }
    tonic::Request::from_parts(
        tonic::metadata::MetadataMap::from_headers(forwarded),
        tonic::Extensions::default(),
        msg,
    )
}

/// A short name of a message type, for error messages.
fn type_name<T>() -> &'static str {
    std::any::type_name::<T>()
        .rsplit("::")
        .next()
        .unwrap_or_default()
}

/// A request body in pbjson; an empty body is `{}` (every field of these requests is optional
/// but the thread id, which the path gives).
fn parse_body<T: DeserializeOwned + Default>(
    body: &Result<Bytes, BytesRejection>,
) -> Result<T, Status> {
    let body = body.as_ref().map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Status::resource_exhausted(format!(
                "the request body is larger than {} MiB",
                BODY_LIMIT >> 20
            ))
        } else {
            Status::invalid_argument(format!("cannot read the request body: {}", e.body_text()))
        }
    })?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let mut json = serde_json::Deserializer::from_slice(body);
    let message = strict::<T, _>(&mut json).map_err(|e| {
        Status::invalid_argument(format!(
            "the request body is not a valid {} in JSON: {e}",
            type_name::<T>()
        ))
    })?;
    json.end().map_err(|e| {
        Status::invalid_argument(format!("the request body has more after its JSON: {e}"))
    })?;
    Ok(message)
}

/// `T` from JSON, refusing a field `T` does not have: the generated impls skip unknown fields
/// (a client must read a newer server's answers), but a request with a misspelt field is
/// better refused than half obeyed.
fn strict<'de, T: DeserializeOwned, D: serde::Deserializer<'de>>(json: D) -> Result<T, String> {
    let mut unknown = Vec::new();
    let message: T = serde_ignored::deserialize(json, |path| unknown.push(path.to_string()))
        .map_err(|e| e.to_string())?;
    match unknown.first() {
        None => Ok(message),
        Some(field) => Err(format!("unknown field `{field}`")),
    }
}

/// Query parameters as a pbjson request: each `name=value` a field (camelCase or the proto's
/// snake_case, as pbjson reads them), `bools` the names whose values are booleans (`true`,
/// `false`, or nothing, meaning true); numbers and enum names are read from their text.
fn parse_query<T: DeserializeOwned>(query: Option<&str>, bools: &[&str]) -> Result<T, Status> {
    let mut fields = serde_json::Map::new();
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| {
                    Status::invalid_argument(format!("query parameter {pair:?} is not UTF-8"))
                })
        };
        let (k, v) = (decode(k)?, decode(v)?);
        let value = match (bools.contains(&k.as_str()), v.as_str()) {
            (true, "" | "true") => serde_json::Value::Bool(true),
            (true, "false") => serde_json::Value::Bool(false),
            _ => serde_json::Value::String(v),
        };
        fields.insert(k, value);
    }
    if let Some(serde_json::Value::String(name)) = fields.get("statusFilter") {
        // Read leniently, an unknown name would become "no filter" and list everything.
        if name.parse::<i32>().is_err() && proto::ThreadStatus::from_str_name(name).is_none() {
            return Err(Status::invalid_argument(format!(
                "bad query parameters: statusFilter {name:?} is not a ThreadStatus"
            )));
        }
    }
    strict::<T, _>(serde_json::Value::Object(fields)).map_err(|e| {
        Status::invalid_argument(format!(
            "bad query parameters for {}: {e}",
            type_name::<T>()
        ))
    })
}

/// A unary answer: the message as pbjson, or the error answer.
fn unary_response<T: Statuses>(answer: Result<tonic::Response<T>, Status>, cut: Cut) -> Response {
    let answer = match answer {
        Ok(a) => a,
        Err(status) => return error::response(&status),
    };
    let request_id = error::request_id(answer.metadata());
    let mut json = match enums::to_json(answer.get_ref()) {
        Ok(json) => json,
        Err(e) => {
            let status = Status::internal(format!("cannot write the answer as JSON: {e}"));
            let mut r = error::response(&status);
            r.headers_mut().insert("x-request-id", request_id);
            return r;
        }
    };
    if cut == Cut::FirstFrameHalf {
        json.truncate(json.len() / 2);
    }
    let mut r = Response::new(axum::body::Body::from(json));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert("x-request-id", request_id);
    r
}

/// Runs a unary route for `method`, with the gateway's faults.
async fn unary<T, F>(svc: &Service, method: &str, call: F) -> Response
where
    T: Statuses,
    F: Future<Output = Result<tonic::Response<T>, Status>>,
{
    match faults::breakage(&svc.0.faults, method) {
        Some(Breakage::Answer(r)) => r,
        Some(Breakage::Truncate) => unary_response(call.await, Cut::FirstFrameHalf),
        None => unary_response(call.await, Cut::Whole),
    }
}

/// Runs a streaming route for `method`, with the gateway's faults.
async fn streaming<T, F>(svc: &Service, method: &str, framing: Framing, call: F) -> Response
where
    T: Statuses + Send + 'static,
    F: Future<Output = Result<tonic::Response<Messages<T>>, Status>>,
{
    match faults::breakage(&svc.0.faults, method) {
        Some(Breakage::Answer(r)) => r,
        Some(Breakage::Truncate) => stream::response(call.await, framing, Cut::FirstFrameHalf),
        None => stream::response(call.await, framing, Cut::Whole),
    }
}

async fn create_thread(
    State(svc): State<Service>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    unary(&svc, "CreateThread", async {
        let msg: proto::CreateThreadRequest = parse_body(&body)?;
        svc.create_thread(request(&headers, msg)).await
    })
    .await
}

async fn get_thread(
    State(svc): State<Service>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    unary(&svc, "GetThread", async {
        let msg = proto::GetThreadRequest { thread_id: id };
        svc.get_thread(request(&headers, msg)).await
    })
    .await
}

async fn list_threads(
    State(svc): State<Service>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    unary(&svc, "ListThreads", async {
        let msg: proto::ListThreadsRequest = parse_query(query.as_deref(), &[])?;
        svc.list_threads(request(&headers, msg)).await
    })
    .await
}

async fn cancel_thread(
    State(svc): State<Service>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    unary(&svc, "CancelThread", async {
        let mut msg: proto::CancelThreadRequest = parse_body(&body)?;
        msg.thread_id = id;
        svc.cancel_thread(request(&headers, msg)).await
    })
    .await
}

async fn resume_thread(
    State(svc): State<Service>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    unary(&svc, "ResumeThread", async {
        let mut msg: proto::ResumeThreadRequest = parse_body(&body)?;
        msg.thread_id = id;
        svc.resume_thread(request(&headers, msg)).await
    })
    .await
}

async fn watch_thread(
    State(svc): State<Service>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    streaming(&svc, "WatchThread", Framing::Sse, async {
        let msg = proto::WatchThreadRequest { thread_id: id };
        svc.watch_thread(request(&headers, msg)).await
    })
    .await
}

async fn watch_step(
    State(svc): State<Service>,
    Path((id, step_path)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    streaming(&svc, "WatchStep", Framing::Sse, async {
        let msg = proto::WatchStepRequest {
            thread_id: id,
            step_path,
        };
        svc.watch_step(request(&headers, msg)).await
    })
    .await
}

async fn get_thread_result(
    State(svc): State<Service>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    unary(&svc, "GetThreadResult", async {
        let mut msg: proto::GetThreadResultRequest = parse_query(
            query.as_deref(),
            &["outputOnly", "output_only", "metadataOnly", "metadata_only"],
        )?;
        msg.thread_id = id;
        svc.get_thread_result(request(&headers, msg)).await
    })
    .await
}

async fn stream_thread_result(
    State(svc): State<Service>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    streaming(&svc, "StreamThreadResult", Framing::Ndjson, async {
        let mut msg: proto::StreamThreadResultRequest = parse_query(query.as_deref(), &[])?;
        msg.thread_id = id;
        svc.stream_thread_result(request(&headers, msg)).await
    })
    .await
}

async fn stream_step_result(
    State(svc): State<Service>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    streaming(&svc, "StreamStepResult", Framing::Ndjson, async {
        let mut msg: proto::StreamStepResultRequest = parse_query(query.as_deref(), &[])?;
        msg.thread_id = id;
        svc.stream_step_result(request(&headers, msg)).await
    })
    .await
}

async fn list_artifacts(
    State(svc): State<Service>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    unary(&svc, "ListArtifacts", async {
        let msg = proto::ListArtifactsRequest { thread_id: id };
        svc.list_artifacts(request(&headers, msg)).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters() {
        let r: proto::ListThreadsRequest = parse_query(
            Some("pageSize=20&statusFilter=THREAD_STATUS_RUNNING&scriptNameFilter=demo%2Fetl"),
            &[],
        )
        .unwrap();
        assert_eq!(r.page_size, 20);
        assert_eq!(r.status_filter, proto::ThreadStatus::Running as i32);
        assert_eq!(r.script_name_filter, "demo/etl");
        let r: proto::GetThreadResultRequest =
            parse_query(Some("stepPath=1.0&outputOnly"), &["outputOnly"]).unwrap();
        assert_eq!(r.step_path.as_deref(), Some("1.0"));
        assert_eq!(r.output_only, Some(true));
        let e = parse_query::<proto::ListThreadsRequest>(Some("pageSize=many"), &[]).unwrap_err();
        assert_eq!(e.code(), tonic::Code::InvalidArgument);
        let e = parse_query::<proto::ListThreadsRequest>(Some("nope=1"), &[]).unwrap_err();
        assert!(e.message().contains("nope"), "{}", e.message());
    }

    #[test]
    fn bodies() {
        let r: proto::CancelThreadRequest = parse_body(&Ok(Bytes::from_static(b" \n"))).unwrap();
        assert_eq!(r, proto::CancelThreadRequest::default());
        let e =
            parse_body::<proto::CreateThreadRequest>(&Ok(Bytes::from_static(b"{\"scriptName\":")))
                .unwrap_err();
        assert_eq!(e.code(), tonic::Code::InvalidArgument);
        assert!(
            e.message().contains("CreateThreadRequest"),
            "{}",
            e.message()
        );
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_resource_exhausted() {
        use tower_service::Service as _;
        let mut app = Router::new()
            .route(
                "/",
                post(|body: Result<Bytes, BytesRejection>| async move {
                    let e = parse_body::<proto::CancelThreadRequest>(&body).unwrap_err();
                    error::response(&e)
                }),
            )
            .layer(DefaultBodyLimit::max(8));
        let request = axum::http::Request::post("/")
            .body(axum::body::Body::from("{\"reason\": \"too long\"}"))
            .unwrap();
        let r = app.call(request).await.unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}
