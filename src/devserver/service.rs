//! The tonic service: every RPC of `ScriptumService`, answered from the store and the timeline.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::convert::{self, Enums};
use super::data::Data;
use super::faults::{Faults, METHODS};
use super::scripts::{resolve, Registry, Source};
use super::store::{new_thread_id, Store, ThreadMeta, ThreadView};
use super::timeline::{Record, RecordKind, Status as TStatus};
use crate::proto::{self, scriptum_service_server::ScriptumService};

/// The place `page-empty` gives to an empty first page's token: the start of the list.
const EMPTY_PAGE_START: &str = "pt0";

/// GetThreadResult's output cap.
pub const RESULT_CAP: u64 = 4 * 1024 * 1024;
/// Per-step cap of `input_data`/`output_data` in StepDetail (GetThreadResult and
/// StreamStepResult); larger step data comes as StepDataChunks.
pub const STEP_CAP: u64 = 64 * 1024;
/// Yielded values GetThreadResult returns inline.
pub const YIELD_CAP: usize = 100;
/// Default, least and most `max_chunk_bytes`.
pub const CHUNK_DEFAULT: u64 = 2 * 1024 * 1024;
pub const CHUNK_MIN: u64 = 64 * 1024;
pub const CHUNK_MAX: u64 = 16 * 1024 * 1024;
/// ListThreads page sizes.
pub const PAGE_DEFAULT: usize = 50;
pub const PAGE_MAX: usize = 1000;
/// The error text of GetThread's answer under the `compress-bomb` fault: past any client's limit
/// once decompressed (32 MiB for dodil), a few KiB compressed.
const COMPRESS_BOMB_BYTES: usize = 48 * 1024 * 1024;

/// Everything the handlers share.
pub struct Shared {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub token: Option<String>,
    pub speed: f64,
    pub faults: Faults,
    pub implement_cancel: bool,
    pub artifacts: Option<(std::path::PathBuf, String)>,
    pub log: bool,
    pub shutdown: watch::Receiver<bool>,
    calls: HashMap<&'static str, AtomicU32>,
    /// StreamThreadResult streams broken so far by `output-break`.
    pub output_breaks: AtomicU32,
    /// ListThreads calls so far, for `page-empty`.
    pub empty_pages: AtomicU32,
}

impl Shared {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        store: Store,
        registry: Arc<Registry>,
        token: Option<String>,
        speed: f64,
        faults: Faults,
        implement_cancel: bool,
        artifacts: Option<(std::path::PathBuf, String)>,
        log: bool,
        shutdown: watch::Receiver<bool>,
    ) -> Shared {
        Shared {
            store,
            registry,
            token,
            speed,
            faults,
            implement_cancel,
            artifacts,
            log,
            shutdown,
            calls: METHODS.iter().map(|m| (*m, AtomicU32::new(0))).collect(),
            output_breaks: AtomicU32::new(0),
            empty_pages: AtomicU32::new(0),
        }
    }
}

/// The service handed to tonic.
#[derive(Clone)]
pub struct Service(pub Arc<Shared>);

pub use crate::model::event::now_ms;

/// One call in progress: for the request log.
struct Call {
    method: &'static str,
    start: Instant,
    log: bool,
    org: String,
    /// Sent back on every answer (`x-request-id`), as production services do, so a client can
    /// quote it in a support ticket.
    request_id: String,
}

impl Call {
    fn finish<T>(self, r: Result<T, Status>) -> Result<Response<T>, Status> {
        if self.log {
            let code = match &r {
                Ok(_) => "OK".to_string(),
                Err(s) => format!("{:?}: {}", s.code(), s.message()),
            };
            eprintln!(
                "dev-server: {} -> {} ({} ms, {})",
                self.method,
                code,
                self.start.elapsed().as_millis(),
                self.request_id
            );
        }
        let id = tonic::metadata::MetadataValue::try_from(self.request_id.as_str())
            .expect("a request id is ASCII");
        match r {
            Ok(value) => {
                let mut response = Response::new(value);
                response.metadata_mut().insert("x-request-id", id);
                Ok(response)
            }
            Err(mut status) => {
                status.metadata_mut().insert("x-request-id", id);
                Err(status)
            }
        }
    }
}

type Stream<T> = Pin<Box<dyn tokio_stream::Stream<Item = Result<T, Status>> + Send>>;

fn stream<T: Send + 'static>(rx: mpsc::Receiver<Result<T, Status>>) -> Stream<T> {
    Box::pin(ReceiverStream::new(rx))
}

fn not_found(id: &str) -> Status {
    Status::not_found(format!("thread {id:?} not found"))
}

fn require_id(id: &str) -> Result<(), Status> {
    if id.trim().is_empty() {
        Err(Status::invalid_argument("thread_id is required"))
    } else {
        Ok(())
    }
}

fn status_name(s: TStatus) -> &'static str {
    match s {
        TStatus::Pending => "THREAD_STATUS_PENDING",
        TStatus::Running => "THREAD_STATUS_RUNNING",
        TStatus::Completed => "THREAD_STATUS_COMPLETED",
        TStatus::Failed => "THREAD_STATUS_FAILED",
        TStatus::Cancelled => "THREAD_STATUS_CANCELLED",
        TStatus::Paused => "THREAD_STATUS_PAUSED",
    }
}

fn clamp_chunk(v: Option<i32>) -> u64 {
    v.map_or(CHUNK_DEFAULT, |v| {
        (v.max(0) as u64).clamp(CHUNK_MIN, CHUNK_MAX)
    })
}

fn encode_token(index: usize, id: &str) -> String {
    let raw = format!("{index}:{id}");
    let hex: String = raw.bytes().map(|b| format!("{b:02x}")).collect();
    format!("pt1_{hex}")
}

fn decode_token(token: &str) -> Option<(usize, String)> {
    let hex = token.strip_prefix("pt1_")?;
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    let raw = String::from_utf8(bytes?).ok()?;
    let (i, id) = raw.split_once(':')?;
    Some((i.parse().ok()?, id.to_string()))
}

fn parse_json(field: &str, text: &str) -> Result<serde_json::Value, Status> {
    serde_json::from_str(text)
        .map_err(|e| Status::invalid_argument(format!("{field} is not valid JSON: {e}")))
}

impl Service {
    pub(super) fn enums(&self) -> Enums {
        Enums {
            bad: self.0.faults.bad_enums,
        }
    }

    /// Latency, transient unavailability, auth, and a look for other processes' changes.
    async fn enter<T>(&self, method: &'static str, req: &Request<T>) -> (Call, Result<(), Status>) {
        let s = &self.0;
        let org = req
            .metadata()
            .get("x-organization-name")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let call = Call {
            method,
            start: Instant::now(),
            log: s.log,
            org,
            request_id: format!("req_{:016x}", fastrand::u64(..)),
        };
        if s.faults.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(s.faults.latency_ms)).await;
        }
        let limit = s.faults.unavailable_calls(method);
        if limit > 0 {
            let n = s
                .calls
                .get(method)
                .map_or(0, |c| c.fetch_add(1, Ordering::SeqCst));
            if n < limit {
                let msg = format!(
                    "dev-server fault: {method} unavailable (call {} of the first {limit})",
                    n + 1
                );
                return (call, Err(Status::unavailable(msg)));
            }
        }
        if let Some(token) = &s.token {
            let got = req
                .metadata()
                .get("authorization")
                .and_then(|v| v.to_str().ok());
            let ok = match got {
                None => Err(Status::unauthenticated(
                    "missing credentials: send `authorization: Bearer <token>`",
                )),
                Some(h) => match h.strip_prefix("Bearer ") {
                    Some(t) if constant_time_eq(t.trim().as_bytes(), token.as_bytes()) => Ok(()),
                    _ => Err(Status::unauthenticated("invalid bearer token")),
                },
            };
            if let Err(e) = ok {
                return (call, Err(e));
            }
        }
        if let Some(allowed) = &s.faults.only_org {
            if call.org != *allowed {
                let msg = format!(
                    "dev-server fault: organization {:?} is not allowed for these credentials",
                    call.org
                );
                return (call, Err(Status::permission_denied(msg)));
            }
        }
        if let Err(e) = s.store.refresh() {
            eprintln!("dev-server: {e:#}");
        }
        (call, Ok(()))
    }

    fn view(&self, id: &str) -> Result<ThreadView, Status> {
        require_id(id)?;
        self.0.store.get(id).ok_or_else(|| not_found(id))
    }

    fn create(
        &self,
        org: &str,
        r: proto::CreateThreadRequest,
    ) -> Result<proto::CreateThreadResponse, Status> {
        let name = r.script_name.trim();
        if name.is_empty() {
            return Err(Status::invalid_argument("script_name is required"));
        }
        let source = self.0.registry.get(name).ok_or_else(|| {
            Status::not_found(format!(
                "script {name:?} not found (the dev server knows: {})",
                self.0.registry.names().collect::<Vec<_>>().join(", ")
            ))
        })?;
        let active = match source.as_ref() {
            Source::Demo(d) | Source::Scenario(d) => d.version,
            Source::Big => 1,
        };
        if r.version != 0 && r.version != active {
            return Err(Status::not_found(format!(
                "script {name:?} has no version {} (active: {active})",
                r.version
            )));
        }
        let input_json = if r.input_json.trim().is_empty() {
            "{}".to_string()
        } else {
            r.input_json
        };
        let input = parse_json("input_json", &input_json)?;
        let plan = resolve(source, &input).map_err(|e| Status::invalid_argument(e.0))?;
        let meta = ThreadMeta {
            id: new_thread_id(),
            script_name: name.to_string(),
            version: active,
            input_json,
            metadata: r.metadata.into_iter().collect(),
            org: org.to_string(),
            created_at_ms: now_ms(),
            speed: self.0.speed,
        };
        let v = self
            .0
            .store
            .create(meta, source.clone(), plan)
            .map_err(|e| Status::internal(format!("cannot store the thread: {e:#}")))?;
        Ok(proto::CreateThreadResponse {
            thread_id: v.meta.id.clone(),
            status: self.enums().thread(TStatus::Pending),
            created_at_ms: v.meta.created_at_ms,
        })
    }

    fn list(&self, r: proto::ListThreadsRequest) -> Result<proto::ListThreadsResponse, Status> {
        let f = &self.0.faults;
        let size = match r.page_size {
            n if n <= 0 => PAGE_DEFAULT,
            n => (n as usize).min(PAGE_MAX),
        };
        // `page-short`: half of what was asked, rounded up.
        let size = if f.page_short { size.div_ceil(2) } else { size };
        // A token `page-empty` made: the place it names, and a count that makes it new.
        let token = r
            .page_token
            .split_once('~')
            .map_or(r.page_token.as_str(), |(t, _)| t);
        let token = if token == EMPTY_PAGE_START { "" } else { token };
        let empties = self.0.empty_pages.fetch_add(1, Ordering::SeqCst);
        if f.page_empty.is_some_and(|n| empties < n) {
            let place = if token.is_empty() {
                EMPTY_PAGE_START
            } else {
                token
            };
            return Ok(proto::ListThreadsResponse {
                threads: Vec::new(),
                next_page_token: format!("{place}~e{empties}"),
            });
        }
        let before = if token.is_empty() {
            None
        } else {
            let bad = || Status::invalid_argument("invalid page_token");
            let (i, id) = decode_token(token).ok_or_else(bad)?;
            match self.0.store.at(i) {
                Some(v) if v.meta.id == id => Some(i),
                _ => return Err(bad()),
            }
        };
        let want = match r.status_filter {
            0 => None,
            1 => Some(TStatus::Pending),
            2 => Some(TStatus::Running),
            3 => Some(TStatus::Completed),
            4 => Some(TStatus::Failed),
            5 => Some(TStatus::Cancelled),
            6 => Some(TStatus::Paused),
            n => {
                return Err(Status::invalid_argument(format!(
                    "status_filter {n} is not a ThreadStatus"
                )))
            }
        };
        let script = r.script_name_filter.trim().to_string();
        let now = now_ms();
        let mut snaps = HashMap::new();
        let script = (!script.is_empty()).then_some(script.as_str());
        let (page, next) = self.0.store.page(before, size, script, |v| match want {
            None => true,
            Some(w) => {
                let s = v.snapshot(now);
                let keep = s.status == w;
                if keep {
                    snaps.insert(v.index, s);
                }
                keep
            }
        });
        let e = self.enums();
        let threads = page
            .iter()
            .map(|v| {
                let s = snaps.remove(&v.index).unwrap_or_else(|| v.snapshot(now));
                convert::thread(v, &s, e)
            })
            .collect();
        let next_page_token = match next {
            Some(_) if self.0.faults.page_repeat && !r.page_token.is_empty() => r.page_token,
            Some(i) => encode_token(
                i,
                &self
                    .0
                    .store
                    .at(i)
                    .map(|v| v.meta.id.clone())
                    .unwrap_or_default(),
            ),
            None => String::new(),
        };
        Ok(proto::ListThreadsResponse {
            threads,
            next_page_token,
        })
    }

    fn cancel(&self, r: proto::CancelThreadRequest) -> Result<proto::CancelThreadResponse, Status> {
        if !self.0.implement_cancel {
            return Err(Status::unimplemented(
                "CancelThread is not implemented (start the dev server with --implement-cancel)",
            ));
        }
        let v = self.view(&r.thread_id)?;
        let now = now_ms();
        let s = v.snapshot(now);
        if s.status.is_terminal() {
            return Err(Status::failed_precondition(format!(
                "thread {} is {}; only a pending, running or paused thread can be cancelled",
                v.meta.id,
                status_name(s.status)
            )));
        }
        let rec = Record {
            at_ms: now,
            kind: RecordKind::Cancel { reason: r.reason },
        };
        self.0
            .store
            .append(&v.meta.id, rec)
            .map_err(|e| Status::internal(format!("{e:#}")))?;
        Ok(proto::CancelThreadResponse {
            status: self.enums().thread(TStatus::Cancelled),
        })
    }

    fn resume(&self, r: proto::ResumeThreadRequest) -> Result<proto::ResumeThreadResponse, Status> {
        let v = self.view(&r.thread_id)?;
        let input = if r.step_input_override_json.trim().is_empty() {
            None
        } else {
            parse_json("step_input_override_json", &r.step_input_override_json)?;
            Some(r.step_input_override_json)
        };
        let now = now_ms();
        let s = v.snapshot(now);
        if !matches!(s.status, TStatus::Paused | TStatus::Failed) {
            return Err(Status::failed_precondition(format!(
                "thread {} is {}; only a PAUSED or FAILED thread can be resumed",
                v.meta.id,
                status_name(s.status)
            )));
        }
        let rec = Record {
            at_ms: now,
            kind: RecordKind::Resume { input },
        };
        self.0
            .store
            .append(&v.meta.id, rec)
            .map_err(|e| Status::internal(format!("{e:#}")))?;
        Ok(proto::ResumeThreadResponse {
            status: self.enums().thread(TStatus::Running),
        })
    }

    fn result(
        &self,
        r: proto::GetThreadResultRequest,
    ) -> Result<proto::GetThreadResultResponse, Status> {
        let v = self.view(&r.thread_id)?;
        let now = now_ms();
        let s = v.snapshot(now);
        let e = self.enums();
        let f = &self.0.faults;
        let step_details = match &r.step_path {
            Some(p) => {
                let i = step_index(&v, p)?;
                vec![convert::detail(&v, &s, i, now, STEP_CAP, e)]
            }
            None => Vec::new(),
        };
        let metadata_only = r.metadata_only.unwrap_or(false);
        let output_only = r.output_only.unwrap_or(false);
        let output = s.output.clone().unwrap_or(Data::Inline(Bytes::new()));
        let total = output.len();
        let cap = if f.huge_message { u64::MAX } else { RESULT_CAP };
        let yields = if metadata_only {
            Vec::new()
        } else {
            s.yields
                .iter()
                .take(YIELD_CAP)
                .map(|y| proto::YieldedValue {
                    step_path: v.plan.steps[y.step].path.clone(),
                    name: v.plan.steps[y.step].name.clone(),
                    value_data: y.value.clone(),
                    sequence: y.sequence,
                    timestamp_ms: y.ts,
                })
                .collect()
        };
        Ok(proto::GetThreadResultResponse {
            thread_id: v.meta.id.clone(),
            status: e.thread(s.status),
            output_data: if metadata_only {
                Bytes::new()
            } else {
                output.head(cap)
            },
            duration_ms: s.duration_ms(now),
            steps_executed: s.steps_executed,
            steps: if metadata_only || output_only {
                Vec::new()
            } else {
                let mut steps = convert::summaries(&v, &s, now, e);
                if f.steps_bad_parents {
                    convert::bad_parents(&mut steps);
                }
                steps
            },
            output_total_bytes: total as i64 + if f.result_total_mismatch { 1000 } else { 0 },
            output_truncated: total > cap,
            yielded_values: yields,
            total_yielded: s.yields.len() as i32,
            yields_truncated: s.yields.len() > YIELD_CAP,
            step_details,
        })
    }
}

pub(super) fn step_index(v: &ThreadView, path: &str) -> Result<usize, Status> {
    v.plan
        .steps
        .iter()
        .position(|s| s.path == path)
        .ok_or_else(|| Status::not_found(format!("thread {} has no step {path:?}", v.meta.id)))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[tonic::async_trait]
impl ScriptumService for Service {
    async fn create_thread(
        &self,
        req: Request<proto::CreateThreadRequest>,
    ) -> Result<Response<proto::CreateThreadResponse>, Status> {
        let (call, ok) = self.enter("CreateThread", &req).await;
        let org = call.org.clone();
        call.finish(ok.and_then(|()| self.create(&org, req.into_inner())))
    }

    async fn get_thread(
        &self,
        req: Request<proto::GetThreadRequest>,
    ) -> Result<Response<proto::Thread>, Status> {
        let (call, ok) = self.enter("GetThread", &req).await;
        call.finish(ok.and_then(|()| {
            let v = self.view(&req.get_ref().thread_id)?;
            let mut thread = convert::thread(&v, &v.snapshot(now_ms()), self.enums());
            if self.0.faults.compress_bomb {
                thread.error = "x".repeat(COMPRESS_BOMB_BYTES);
            }
            Ok(thread)
        }))
    }

    async fn list_threads(
        &self,
        req: Request<proto::ListThreadsRequest>,
    ) -> Result<Response<proto::ListThreadsResponse>, Status> {
        let (call, ok) = self.enter("ListThreads", &req).await;
        call.finish(ok.and_then(|()| self.list(req.into_inner())))
    }

    async fn cancel_thread(
        &self,
        req: Request<proto::CancelThreadRequest>,
    ) -> Result<Response<proto::CancelThreadResponse>, Status> {
        let (call, ok) = self.enter("CancelThread", &req).await;
        call.finish(ok.and_then(|()| self.cancel(req.into_inner())))
    }

    async fn resume_thread(
        &self,
        req: Request<proto::ResumeThreadRequest>,
    ) -> Result<Response<proto::ResumeThreadResponse>, Status> {
        let (call, ok) = self.enter("ResumeThread", &req).await;
        call.finish(ok.and_then(|()| self.resume(req.into_inner())))
    }

    type WatchThreadStream = Stream<proto::ThreadEvent>;

    async fn watch_thread(
        &self,
        req: Request<proto::WatchThreadRequest>,
    ) -> Result<Response<Self::WatchThreadStream>, Status> {
        let (call, ok) = self.enter("WatchThread", &req).await;
        let r = ok.and_then(|()| {
            if self.0.faults.watch_unimplemented {
                return Err(Status::unimplemented(
                    "WatchThread is not implemented (dev-server fault watch-unimplemented)",
                ));
            }
            let v = self.view(&req.get_ref().thread_id)?;
            let (tx, rx) = mpsc::channel(16);
            tokio::spawn(self.clone().watch_thread_task(v.meta.id.clone(), tx));
            Ok(stream(rx))
        });
        call.finish(r)
    }

    type WatchStepStream = Stream<proto::StepEvent>;

    async fn watch_step(
        &self,
        req: Request<proto::WatchStepRequest>,
    ) -> Result<Response<Self::WatchStepStream>, Status> {
        let (call, ok) = self.enter("WatchStep", &req).await;
        let r = ok.and_then(|()| {
            if self.0.faults.watch_unimplemented {
                return Err(Status::unimplemented(
                    "WatchStep is not implemented (dev-server fault watch-unimplemented)",
                ));
            }
            let r = req.get_ref();
            let v = self.view(&r.thread_id)?;
            if r.step_path.is_empty() {
                return Err(Status::invalid_argument("step_path is required"));
            }
            let i = step_index(&v, &r.step_path)?;
            let (tx, rx) = mpsc::channel(16);
            tokio::spawn(self.clone().watch_step_task(v.meta.id.clone(), i, tx));
            Ok(stream(rx))
        });
        call.finish(r)
    }

    async fn get_thread_result(
        &self,
        req: Request<proto::GetThreadResultRequest>,
    ) -> Result<Response<proto::GetThreadResultResponse>, Status> {
        let (call, ok) = self.enter("GetThreadResult", &req).await;
        call.finish(ok.and_then(|()| self.result(req.into_inner())))
    }

    type StreamThreadResultStream = Stream<proto::ThreadOutputChunk>;

    async fn stream_thread_result(
        &self,
        req: Request<proto::StreamThreadResultRequest>,
    ) -> Result<Response<Self::StreamThreadResultStream>, Status> {
        let (call, ok) = self.enter("StreamThreadResult", &req).await;
        let r = ok.and_then(|()| {
            let r = req.get_ref();
            let v = self.view(&r.thread_id)?;
            let (tx, rx) = mpsc::channel(2);
            let chunk = clamp_chunk(r.max_chunk_bytes);
            tokio::spawn(self.clone().stream_output_task(v, chunk, tx));
            Ok(stream(rx))
        });
        call.finish(r)
    }

    type StreamStepResultStream = Stream<proto::StepResultChunk>;

    async fn stream_step_result(
        &self,
        req: Request<proto::StreamStepResultRequest>,
    ) -> Result<Response<Self::StreamStepResultStream>, Status> {
        let (call, ok) = self.enter("StreamStepResult", &req).await;
        let r = ok.and_then(|()| {
            let r = req.get_ref();
            let v = self.view(&r.thread_id)?;
            let only = match &r.step_path {
                Some(p) => Some(step_index(&v, p)?),
                None => None,
            };
            let (tx, rx) = mpsc::channel(2);
            let chunk = clamp_chunk(r.max_chunk_bytes);
            tokio::spawn(self.clone().stream_steps_task(v, only, chunk, tx));
            Ok(stream(rx))
        });
        call.finish(r)
    }

    async fn list_artifacts(
        &self,
        req: Request<proto::ListArtifactsRequest>,
    ) -> Result<Response<proto::ListArtifactsResponse>, Status> {
        let (call, ok) = self.enter("ListArtifacts", &req).await;
        let r = ok.and_then(|()| {
            let Some((dir, base)) = &self.0.artifacts else {
                return Err(Status::unimplemented(
                    "ListArtifacts is not implemented (start the dev server with --artifacts DIR)",
                ));
            };
            let v = self.view(&req.get_ref().thread_id)?;
            let mut artifacts = super::artifacts::list(dir, base, &v.meta.id)
                .map_err(|e| Status::internal(format!("cannot list artifacts: {e:#}")))?;
            if self.0.faults.artifact_size_mismatch {
                for artifact in &mut artifacts {
                    artifact.size_bytes += 1000;
                }
            }
            if self.0.faults.artifact_size_smaller {
                for artifact in &mut artifacts {
                    artifact.size_bytes = (artifact.size_bytes - 1000).max(0);
                }
            }
            Ok(proto::ListArtifactsResponse { artifacts })
        });
        call.finish(r)
    }
}
