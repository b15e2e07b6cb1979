//! Events of a followed thread: what WatchThread streams, plus the `progress` events that the
//! following engine derives from GetThread when it has to poll.
//!
//! JSON shape (one object per event in `-o jsonl`): the gateway's camelCase envelope with the
//! variant under its own key, and the kind repeated as `event` so `jq 'select(.event == …)'` works:
//! `{"threadId":"thr_1","timestampMs":1748390400000,"event":"stepStarted","stepStarted":{…}}`.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{ThreadStatus, YieldedValue};

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadEvent {
    pub thread_id: String,
    pub timestamp_ms: i64,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    Started(ThreadStarted),
    StepStarted(StepStarted),
    StepCompleted(StepCompleted),
    StepFailed(StepFailed),
    Completed(ThreadCompleted),
    Failed(ThreadFailed),
    Cancelled(ThreadCancelled),
    Yielded(YieldedValue),
    /// Not sent by the server: a change seen by polling GetThread (status or current step).
    Progress(Progress),
    /// A variant this client does not know (a newer server). Shown, never acted upon.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadStarted {
    pub script_name: String,
    pub total_steps: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepStarted {
    pub step_path: String,
    pub name: String,
    pub primitive: String,
    pub tool: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepCompleted {
    pub step_path: String,
    pub name: String,
    pub duration_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepFailed {
    pub step_path: String,
    pub name: String,
    pub error: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadCompleted {
    pub duration_ms: i64,
    pub steps_executed: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadFailed {
    pub error: String,
    pub failed_step_path: String,
    pub failed_step_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadCancelled {
    pub reason: String,
    pub cancelled_step_path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub status: ThreadStatus,
    pub current_step_path: String,
    pub current_step_name: String,
}

/// Milliseconds since the epoch, now (for events the client itself derives).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl EventKind {
    /// The kind as it appears in JSON (`stepStarted`).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Started(_) => "started",
            EventKind::StepStarted(_) => "stepStarted",
            EventKind::StepCompleted(_) => "stepCompleted",
            EventKind::StepFailed(_) => "stepFailed",
            EventKind::Completed(_) => "completed",
            EventKind::Failed(_) => "failed",
            EventKind::Cancelled(_) => "cancelled",
            EventKind::Yielded(_) => "yielded",
            EventKind::Progress(_) => "progress",
            EventKind::Unknown => "unknown",
        }
    }

    /// The thread status this event ends the thread in, if it is a terminal event.
    pub fn terminal_status(&self) -> Option<ThreadStatus> {
        match self {
            EventKind::Completed(_) => Some(ThreadStatus::Completed),
            EventKind::Failed(_) => Some(ThreadStatus::Failed),
            EventKind::Cancelled(_) => Some(ThreadStatus::Cancelled),
            _ => None,
        }
    }

    pub fn step_path(&self) -> &str {
        match self {
            EventKind::StepStarted(e) => &e.step_path,
            EventKind::StepCompleted(e) => &e.step_path,
            EventKind::StepFailed(e) => &e.step_path,
            EventKind::Failed(e) => &e.failed_step_path,
            EventKind::Cancelled(e) => &e.cancelled_step_path,
            EventKind::Yielded(e) => &e.step_path,
            EventKind::Progress(e) => &e.current_step_path,
            EventKind::Started(_) | EventKind::Completed(_) | EventKind::Unknown => "",
        }
    }
}

impl ThreadEvent {
    /// A thread's state as GetThread gave it, said as a `progress` event now (when polling, or
    /// for a thread that ended before anyone followed it).
    pub fn progress_of(thread: &super::Thread) -> ThreadEvent {
        ThreadEvent {
            thread_id: thread.thread_id.clone(),
            timestamp_ms: now_ms(),
            kind: EventKind::Progress(Progress {
                status: thread.status,
                current_step_path: thread.current_step_path.clone(),
                current_step_name: thread.current_step_name.clone(),
            }),
        }
    }
}

impl Serialize for ThreadEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("threadId", &self.thread_id)?;
        map.serialize_entry("timestampMs", &self.timestamp_ms)?;
        let name = self.kind.name();
        map.serialize_entry("event", name)?;
        match &self.kind {
            EventKind::Started(e) => map.serialize_entry(name, e)?,
            EventKind::StepStarted(e) => map.serialize_entry(name, e)?,
            EventKind::StepCompleted(e) => map.serialize_entry(name, e)?,
            EventKind::StepFailed(e) => map.serialize_entry(name, e)?,
            EventKind::Completed(e) => map.serialize_entry(name, e)?,
            EventKind::Failed(e) => map.serialize_entry(name, e)?,
            EventKind::Cancelled(e) => map.serialize_entry(name, e)?,
            EventKind::Yielded(e) => map.serialize_entry(name, e)?,
            EventKind::Progress(e) => map.serialize_entry(name, e)?,
            EventKind::Unknown => {}
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_kind_field_and_embedded_data() {
        let event = ThreadEvent {
            thread_id: "thr_1".into(),
            timestamp_ms: 5,
            kind: EventKind::Yielded(YieldedValue {
                step_path: "1.0".into(),
                name: "fetch".into(),
                value_data: bytes::Bytes::from_static(br#"{"rows":3}"#),
                sequence: 2,
                timestamp_ms: 5,
            }),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "threadId": "thr_1", "timestampMs": 5, "event": "yielded",
                "yielded": {"stepPath": "1.0", "name": "fetch", "valueData": {"rows": 3},
                            "sequence": 2, "timestampMs": 5}
            })
        );
        let unknown = ThreadEvent {
            kind: EventKind::Unknown,
            ..event
        };
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            r#"{"threadId":"thr_1","timestampMs":5,"event":"unknown"}"#
        );
    }
}
