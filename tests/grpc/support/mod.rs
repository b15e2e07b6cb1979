//! The raw gRPC harness of the `grpc` test binary: an in-process dev server on 127.0.0.1:0 and
//! the generated gRPC client speaking to it directly, so the server is checked against the spec
//! without the CLI in between (`tests/cli/support` drives the real binary instead).
#![allow(dead_code)]

use std::time::Duration;

use dodil::devserver::{DevServer, ServerConfig};
use dodil::proto::scriptum_service_client::ScriptumServiceClient;
use dodil::proto::{self, thread_event::Event};
use tonic::transport::Channel;

pub type Client = ScriptumServiceClient<Channel>;

/// The longest any single wait in a test may take before it fails.
pub const LIMIT: Duration = Duration::from_secs(30);

/// The usual time scale of these tests: demos end in tens of milliseconds.
pub const SPEED: f64 = 100.0;

/// ServerConfig for tests: in memory, fast.
pub fn fast(speed: f64) -> ServerConfig {
    ServerConfig {
        speed,
        ..ServerConfig::default()
    }
}

/// ServerConfig for tests with these fault switches (the `--faults` grammar).
pub fn with_faults(speed: f64, spec: &str) -> ServerConfig {
    ServerConfig {
        speed,
        faults: spec.parse().unwrap(),
        ..Default::default()
    }
}

/// Starts a server with these settings and connects a client to it.
pub async fn start(settings: ServerConfig) -> (DevServer, Client) {
    let server = DevServer::start("127.0.0.1:0".parse().unwrap(), settings)
        .await
        .expect("dev server starts");
    let client = connect(&server.url()).await;
    (server, client)
}

/// A client for `url`, accepting messages up to 64 MiB.
pub async fn connect(url: &str) -> Client {
    let channel = tonic::transport::Endpoint::from_shared(url.to_string())
        .unwrap()
        .initial_stream_window_size(Some(8 << 20))
        .initial_connection_window_size(Some(16 << 20))
        .connect()
        .await
        .expect("connects");
    ScriptumServiceClient::new(channel).max_decoding_message_size(64 << 20)
}

/// A request with optional bearer token and organization name.
pub fn req<T>(msg: T, token: Option<&str>, org: Option<&str>) -> tonic::Request<T> {
    let mut r = tonic::Request::new(msg);
    if let Some(t) = token {
        r.metadata_mut()
            .insert("authorization", format!("Bearer {t}").parse().unwrap());
    }
    if let Some(o) = org {
        r.metadata_mut()
            .insert("x-organization-name", o.parse().unwrap());
    }
    r
}

/// Creates a thread of `script` with `input` and returns its id.
pub async fn create(c: &mut Client, script: &str, input: &str) -> String {
    c.create_thread(proto::CreateThreadRequest {
        script_name: script.into(),
        input_json: input.into(),
        ..Default::default()
    })
    .await
    .expect("create")
    .into_inner()
    .thread_id
}

/// Awaits `f`, failing the test after [`LIMIT`].
pub async fn within<F: std::future::Future>(what: &str, f: F) -> F::Output {
    tokio::time::timeout(LIMIT, f)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// Every event of one WatchThread stream, until it ends.
pub async fn watch_all(c: &mut Client, id: &str) -> Vec<proto::ThreadEvent> {
    let mut s = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.into(),
        })
        .await
        .expect("watch")
        .into_inner();
    within("watch stream", async {
        let mut out = Vec::new();
        while let Some(e) = s.message().await.expect("watch message") {
            out.push(e);
        }
        out
    })
    .await
}

/// Waits for the thread to reach a terminal status by watching it to its end.
pub async fn finish(c: &mut Client, id: &str) -> proto::Thread {
    watch_all(c, id).await;
    c.get_thread(proto::GetThreadRequest {
        thread_id: id.into(),
    })
    .await
    .expect("get")
    .into_inner()
}

/// A short name for an event's variant, with the step path where there is one.
pub fn label(e: &proto::ThreadEvent) -> String {
    match &e.event {
        Some(Event::Started(_)) => "started".into(),
        Some(Event::StepStarted(s)) => format!("step_started {}", s.step_path),
        Some(Event::StepCompleted(s)) => format!("step_completed {}", s.step_path),
        Some(Event::StepFailed(s)) => format!("step_failed {}", s.step_path),
        Some(Event::Yielded(y)) => format!("yielded {}", y.step_path),
        Some(Event::Completed(_)) => "completed".into(),
        Some(Event::Failed(f)) => format!("failed {}", f.failed_step_path),
        Some(Event::Cancelled(_)) => "cancelled".into(),
        None => "none".into(),
    }
}

pub fn labels(events: &[proto::ThreadEvent]) -> Vec<String> {
    events.iter().map(label).collect()
}

/// The step path of a `step_started` event.
pub fn step_started_path(e: &proto::ThreadEvent) -> Option<&str> {
    match &e.event {
        Some(Event::StepStarted(s)) => Some(&s.step_path),
        _ => None,
    }
}

/// A completed, failed or cancelled event.
pub fn is_terminal(e: &proto::ThreadEvent) -> bool {
    matches!(
        e.event,
        Some(Event::Completed(_) | Event::Failed(_) | Event::Cancelled(_))
    )
}

/// Every event of one WatchStep stream, until it ends.
pub async fn watch_step_all(c: &mut Client, id: &str, path: &str) -> Vec<proto::StepEvent> {
    let mut s = c
        .watch_step(proto::WatchStepRequest {
            thread_id: id.into(),
            step_path: path.into(),
        })
        .await
        .unwrap()
        .into_inner();
    within("watch step", async {
        let mut out = Vec::new();
        while let Some(e) = s.message().await.unwrap() {
            out.push(e);
        }
        out
    })
    .await
}

/// A short name for a step event's variant.
pub fn step_label(e: &proto::StepEvent) -> &'static str {
    use proto::step_event::Event;
    match e.event {
        Some(Event::Snapshot(_)) => "snapshot",
        Some(Event::Decision(_)) => "decision",
        Some(Event::Done(_)) => "done",
        Some(Event::StepFailed(_)) => "step_failed",
        None => "none",
    }
}

/// FNV-1a, to compare large byte streams without holding them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn update(&mut self, data: &[u8]) {
        for b in data {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The documented demo/big output of `n` bytes, built independently of the server's generator:
/// a JSON string whose body is 64-byte blocks `<15 hex digits of i> a..zA..U;`, cut to size.
pub fn expected_big(n: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(n);
    let mut i = 0u64;
    while body.len() + 2 < n {
        body.extend_from_slice(
            format!("{i:015x} abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU;").as_bytes(),
        );
        i += 1;
    }
    body.truncate(n - 2);
    [&b"\""[..], &body, &b"\""[..]].concat()
}

/// Every message of a StreamThreadResult call.
pub async fn stream_output(
    c: &mut Client,
    id: &str,
    max_chunk_bytes: Option<i32>,
) -> (proto::ThreadOutputMeta, Vec<proto::OutputChunk>) {
    use proto::thread_output_chunk::Chunk;
    let mut s = c
        .stream_thread_result(proto::StreamThreadResultRequest {
            thread_id: id.into(),
            max_chunk_bytes,
        })
        .await
        .expect("stream result")
        .into_inner();
    within("output stream", async {
        let mut meta = None;
        let mut chunks = Vec::new();
        while let Some(m) = s.message().await.expect("stream message") {
            match m.chunk {
                Some(Chunk::Meta(x)) => {
                    assert!(
                        meta.is_none() && chunks.is_empty(),
                        "meta comes first, once"
                    );
                    meta = Some(x);
                }
                Some(Chunk::Output(o)) => chunks.push(o),
                None => panic!("empty chunk message"),
            }
        }
        (meta.expect("a meta message"), chunks)
    })
    .await
}

/// Every message of a StreamStepResult call.
pub async fn stream_steps(
    c: &mut Client,
    id: &str,
    step_path: Option<&str>,
) -> Vec<proto::step_result_chunk::Chunk> {
    let mut s = c
        .stream_step_result(proto::StreamStepResultRequest {
            thread_id: id.into(),
            step_path: step_path.map(str::to_string),
            max_chunk_bytes: None,
        })
        .await
        .expect("stream steps")
        .into_inner();
    within("step stream", async {
        let mut out = Vec::new();
        while let Some(m) = s.message().await.expect("step stream message") {
            out.push(m.chunk.expect("a chunk"));
        }
        out
    })
    .await
}

/// GetThreadResult with default options.
pub async fn result(c: &mut Client, id: &str) -> proto::GetThreadResultResponse {
    c.get_thread_result(proto::GetThreadResultRequest {
        thread_id: id.into(),
        ..Default::default()
    })
    .await
    .expect("result")
    .into_inner()
}
