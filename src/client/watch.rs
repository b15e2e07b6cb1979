//! The calls the following engine makes: WatchThread as a stream of `model` events, and a single
//! GetThread attempt whose failure the engine classifies and retries itself.

use std::pin::Pin;
use std::time::Duration;

use tokio_stream::Stream;

use super::http::routes;
use super::{CallError, Client, Code, Deadline};
use crate::model::event::{
    EventKind, StepCompleted, StepFailed, StepStarted, ThreadCancelled, ThreadCompleted,
    ThreadEvent, ThreadFailed, ThreadStarted,
};
use crate::model::step_event::{DecisionMade, StepDone, StepEvent, StepEventKind, StepSnapshot};
use crate::model::{StepStatus, Thread, YieldedValue};
use crate::proto;
use crate::proto::thread_event::Event;

/// Events as they arrive; an `Err` item is the stream breaking.
pub type EventStream = Pin<Box<dyn Stream<Item = Result<ThreadEvent, CallError>> + Send>>;

/// How long one poll may take before it counts as a (transient) failure.
const POLL_DEADLINE: Duration = Duration::from_secs(10);

impl Client {
    /// Opens WatchThread. Returns once the server has answered with its headers; events follow.
    /// No deadline is set on the call: a stream lives as long as the thread (the engine bounds
    /// the opening itself).
    pub async fn watch_thread(&self, thread_id: &str) -> Result<EventStream, CallError> {
        let request = proto::WatchThreadRequest {
            thread_id: thread_id.to_string(),
        };
        let replies = self
            .open(
                "WatchThread",
                Deadline::Unbounded,
                request,
                routes::watch_thread,
                |mut s, r| async move { s.watch_thread(r).await },
            )
            .await?;
        let printer = self.printer.clone();
        let stream = replies.into_stream("WatchThread", ThreadEvent::from);
        let stream = tokio_stream::StreamExt::map(stream, move |item| {
            item.inspect_err(|err| {
                printer.verbose(&format!("WatchThread: stream broke: {}", err.status_text()));
            })
        });
        Ok(Box::pin(stream))
    }

    /// One GetThread attempt with a short deadline and no retries of its own.
    pub async fn poll_thread(&self, thread_id: &str) -> Result<Thread, CallError> {
        let request = proto::GetThreadRequest {
            thread_id: thread_id.to_string(),
        };
        let thread = self
            .call(
                "GetThread",
                Deadline::Whole(self.limit(POLL_DEADLINE)),
                request,
                routes::get_thread,
                |mut s, r| async move { s.get_thread(r).await },
            )
            .await?;
        Ok(Thread::from(thread))
    }
}

impl From<proto::ThreadEvent> for ThreadEvent {
    fn from(p: proto::ThreadEvent) -> Self {
        let kind = match p.event {
            Some(Event::Started(e)) => EventKind::Started(ThreadStarted {
                script_name: e.script_name,
                total_steps: e.total_steps,
            }),
            Some(Event::StepStarted(e)) => EventKind::StepStarted(StepStarted {
                step_path: e.step_path,
                name: e.name,
                primitive: e.primitive,
                tool: e.tool,
            }),
            Some(Event::StepCompleted(e)) => EventKind::StepCompleted(StepCompleted {
                step_path: e.step_path,
                name: e.name,
                duration_ms: e.duration_ms,
            }),
            Some(Event::StepFailed(e)) => EventKind::StepFailed(StepFailed {
                step_path: e.step_path,
                name: e.name,
                error: e.error,
            }),
            Some(Event::Completed(e)) => EventKind::Completed(ThreadCompleted {
                duration_ms: e.duration_ms,
                steps_executed: e.steps_executed,
            }),
            Some(Event::Failed(e)) => EventKind::Failed(ThreadFailed {
                error: e.error,
                failed_step_path: e.failed_step_path,
                failed_step_name: e.failed_step_name,
            }),
            Some(Event::Cancelled(e)) => EventKind::Cancelled(ThreadCancelled {
                reason: e.reason,
                cancelled_step_path: e.cancelled_step_path,
            }),
            Some(Event::Yielded(e)) => EventKind::Yielded(YieldedValue {
                step_path: e.step_path,
                name: e.name,
                value_data: e.value_data,
                sequence: e.sequence,
                timestamp_ms: e.timestamp_ms,
            }),
            // A oneof member this build does not know decodes as no member at all.
            None => EventKind::Unknown,
        };
        ThreadEvent {
            thread_id: p.thread_id,
            timestamp_ms: p.timestamp_ms,
            kind,
        }
    }
}

/// Step events as they arrive; an `Err` item is the stream breaking.
pub type StepEventStream = Pin<Box<dyn Stream<Item = Result<StepEvent, CallError>> + Send>>;

impl Client {
    /// Opens WatchStep for one step. No deadline: the stream lives as long as the step (the
    /// step engine bounds the opening itself).
    pub async fn watch_step(
        &self,
        thread_id: &str,
        step_path: &str,
    ) -> Result<StepEventStream, CallError> {
        let request = proto::WatchStepRequest {
            thread_id: thread_id.to_string(),
            step_path: step_path.to_string(),
        };
        let replies = self
            .open(
                "WatchStep",
                Deadline::Unbounded,
                request,
                routes::watch_step,
                |mut s, r| async move { s.watch_step(r).await },
            )
            .await?;
        Ok(Box::pin(replies.into_stream("WatchStep", StepEvent::from)))
    }

    /// One GetThreadResult attempt for one step's status, with a short deadline and no retries:
    /// the step watcher classifies failures itself.
    pub async fn poll_step(
        &self,
        thread_id: &str,
        step_path: &str,
    ) -> Result<StepStatus, CallError> {
        let request = proto::GetThreadResultRequest {
            thread_id: thread_id.to_string(),
            step_path: Some(step_path.to_string()),
            output_only: None,
            metadata_only: None,
        };
        let response = self
            .call(
                "GetThreadResult",
                Deadline::Whole(self.limit(POLL_DEADLINE)),
                request,
                routes::get_thread_result,
                |mut s, r| async move { s.get_thread_result(r).await },
            )
            .await?;
        let detail = response
            .step_details
            .into_iter()
            .find(|d| d.step_path == step_path)
            .ok_or_else(|| {
                CallError::new(
                    "GetThreadResult",
                    Code::NotFound,
                    format!("no step {step_path} in the result"),
                )
            })?;
        Ok(StepStatus::from_i32(detail.status))
    }
}

impl From<proto::StepEvent> for StepEvent {
    fn from(p: proto::StepEvent) -> Self {
        use proto::step_event::Event;
        let kind = match p.event {
            Some(Event::Snapshot(s)) => StepEventKind::Snapshot(StepSnapshot {
                status: StepStatus::from_i32(s.status),
                name: s.name,
                primitive: s.primitive,
                started_at_ms: s.started_at_ms,
                sample_input: s.sample_input.to_vec(),
                sample_output: s.sample_output.to_vec(),
            }),
            Some(Event::Decision(d)) => StepEventKind::Decision(DecisionMade {
                strategy: d.strategy,
                chosen_branch: d.chosen_branch,
                reasoning: d.reasoning,
            }),
            Some(Event::Done(d)) => StepEventKind::Done(StepDone {
                duration_ms: d.duration_ms,
                output_bytes: d.output_bytes,
            }),
            Some(Event::StepFailed(f)) => StepEventKind::Failed(StepFailed {
                step_path: f.step_path,
                name: f.name,
                error: f.error,
            }),
            None => StepEventKind::Unknown,
        };
        StepEvent {
            thread_id: p.thread_id,
            step_path: p.step_path,
            timestamp_ms: p.timestamp_ms,
            kind,
        }
    }
}
