//! The gateway's route table (the API reference's): each request message as a method, a path
//! under `/v1/scriptum`, camelCase query parameters, and a pbjson body for the POSTs.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use crate::proto;

/// One request to the gateway.
#[derive(Clone, Debug)]
pub struct Route {
    pub method: http::Method,
    /// The route as the reference writes it, for messages: `GET /v1/scriptum/threads/{thread_id}`.
    pub template: &'static str,
    /// Path and query, encoded.
    pub path_and_query: String,
    /// The JSON body of a POST.
    pub body: Option<Vec<u8>>,
}

impl Route {
    /// `GET /v1/scriptum/threads/{thread_id}`.
    pub fn shown(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

/// What a path segment or query value must not carry raw.
const COMPONENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'=')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn enc(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

fn thread_path(thread_id: &str, rest: &str) -> String {
    format!("/v1/scriptum/threads/{}{rest}", enc(thread_id))
}

/// `path?a=1&b=2`, leaving out parameters that are not set.
fn with_query(path: String, query: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = query
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={}", enc(v))))
        .collect();
    if parts.is_empty() {
        path
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}

/// The request as pbjson writes it, without the fields the path carries.
fn body<T: serde::Serialize>(request: &T, in_path: &[&str]) -> Vec<u8> {
    let mut value = serde_json::to_value(request).expect("a proto message serializes to JSON");
    if let Some(object) = value.as_object_mut() {
        for field in in_path {
            object.remove(*field);
        }
    }
    serde_json::to_vec(&value).expect("a JSON value serializes")
}

fn get(template: &'static str, path_and_query: String) -> Route {
    Route {
        method: http::Method::GET,
        template,
        path_and_query,
        body: None,
    }
}

fn post(template: &'static str, path_and_query: String, body: Vec<u8>) -> Route {
    Route {
        method: http::Method::POST,
        template,
        path_and_query,
        body: Some(body),
    }
}

pub fn create_thread(r: &proto::CreateThreadRequest) -> Route {
    post(
        "/v1/scriptum/threads",
        "/v1/scriptum/threads".to_string(),
        body(r, &[]),
    )
}

pub fn get_thread(r: &proto::GetThreadRequest) -> Route {
    get(
        "/v1/scriptum/threads/{thread_id}",
        thread_path(&r.thread_id, ""),
    )
}

pub fn list_threads(r: &proto::ListThreadsRequest) -> Route {
    let status = (r.status_filter != 0).then(|| {
        proto::ThreadStatus::try_from(r.status_filter).map_or_else(
            |_| r.status_filter.to_string(),
            |s| s.as_str_name().to_string(),
        )
    });
    get(
        "/v1/scriptum/threads",
        with_query(
            "/v1/scriptum/threads".to_string(),
            &[
                (
                    "pageSize",
                    (r.page_size != 0).then(|| r.page_size.to_string()),
                ),
                ("pageToken", nonempty(&r.page_token)),
                ("statusFilter", status),
                ("scriptNameFilter", nonempty(&r.script_name_filter)),
            ],
        ),
    )
}

pub fn cancel_thread(r: &proto::CancelThreadRequest) -> Route {
    post(
        "/v1/scriptum/threads/{thread_id}/cancel",
        thread_path(&r.thread_id, "/cancel"),
        body(r, &["threadId"]),
    )
}

pub fn resume_thread(r: &proto::ResumeThreadRequest) -> Route {
    post(
        "/v1/scriptum/threads/{thread_id}/resume",
        thread_path(&r.thread_id, "/resume"),
        body(r, &["threadId"]),
    )
}

pub fn watch_thread(r: &proto::WatchThreadRequest) -> Route {
    get(
        "/v1/scriptum/threads/{thread_id}/watch",
        thread_path(&r.thread_id, "/watch"),
    )
}

pub fn watch_step(r: &proto::WatchStepRequest) -> Route {
    get(
        "/v1/scriptum/threads/{thread_id}/steps/{step_path}/watch",
        thread_path(&r.thread_id, &format!("/steps/{}/watch", enc(&r.step_path))),
    )
}

pub fn get_thread_result(r: &proto::GetThreadResultRequest) -> Route {
    get(
        "/v1/scriptum/threads/{thread_id}/result",
        with_query(
            thread_path(&r.thread_id, "/result"),
            &[
                ("stepPath", r.step_path.clone()),
                ("outputOnly", r.output_only.map(|b| b.to_string())),
                ("metadataOnly", r.metadata_only.map(|b| b.to_string())),
            ],
        ),
    )
}

pub fn stream_thread_result(r: &proto::StreamThreadResultRequest) -> Route {
    get(
        "/v1/scriptum/threads/{thread_id}/result/stream",
        with_query(
            thread_path(&r.thread_id, "/result/stream"),
            &[("maxChunkBytes", r.max_chunk_bytes.map(|n| n.to_string()))],
        ),
    )
}

pub fn stream_step_result(r: &proto::StreamStepResultRequest) -> Route {
    get(
        "/v1/scriptum/threads/{thread_id}/steps/stream",
        with_query(
            thread_path(&r.thread_id, "/steps/stream"),
            &[
                ("stepPath", r.step_path.clone()),
                ("maxChunkBytes", r.max_chunk_bytes.map(|n| n.to_string())),
            ],
        ),
    )
}

pub fn list_artifacts(r: &proto::ListArtifactsRequest) -> Route {
    get(
        "/v1/scriptum/threads/{thread_id}/artifacts",
        thread_path(&r.thread_id, "/artifacts"),
    )
}

fn nonempty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_queries_are_camel_case_and_encoded() {
        let route = list_threads(&proto::ListThreadsRequest {
            page_size: 20,
            page_token: "a b/c".into(),
            status_filter: proto::ThreadStatus::Running as i32,
            script_name_filter: String::new(),
        });
        assert_eq!(
            route.path_and_query,
            "/v1/scriptum/threads?pageSize=20&pageToken=a%20b%2Fc&statusFilter=THREAD_STATUS_RUNNING"
        );
        let route = get_thread_result(&proto::GetThreadResultRequest {
            thread_id: "thr/1".into(),
            step_path: Some("1.0.2".into()),
            output_only: None,
            metadata_only: Some(true),
        });
        assert_eq!(
            route.path_and_query,
            "/v1/scriptum/threads/thr%2F1/result?stepPath=1.0.2&metadataOnly=true"
        );
        assert_eq!(route.shown(), "GET /v1/scriptum/threads/{thread_id}/result");
        let route = watch_step(&proto::WatchStepRequest {
            thread_id: "t".into(),
            step_path: "1.2".into(),
        });
        assert_eq!(
            route.path_and_query,
            "/v1/scriptum/threads/t/steps/1.2/watch"
        );
    }

    #[test]
    fn post_bodies_are_pbjson_without_the_path_fields() {
        let route = cancel_thread(&proto::CancelThreadRequest {
            thread_id: "thr_1".into(),
            reason: "User requested abort".into(),
        });
        assert_eq!(route.path_and_query, "/v1/scriptum/threads/thr_1/cancel");
        assert_eq!(
            String::from_utf8(route.body.unwrap()).unwrap(),
            r#"{"reason":"User requested abort"}"#
        );
        let route = create_thread(&proto::CreateThreadRequest {
            script_name: "etl".into(),
            input_json: "{}".into(),
            load_env: true,
            ..Default::default()
        });
        let body: serde_json::Value = serde_json::from_slice(&route.body.unwrap()).unwrap();
        assert_eq!(body["scriptName"], "etl");
        assert_eq!(body["inputJson"], "{}");
        assert_eq!(body["loadEnv"], true);
    }
}
