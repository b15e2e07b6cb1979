//! Events of one watched step (WatchStep): a snapshot first, then a decision, and the end.
//!
//! JSON shape, as for thread events: `{"threadId","stepPath","timestampMs","event":"done","done":{…}}`.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::event::StepFailed;
use super::{embed_json, StepStatus};

#[derive(Clone, Debug, PartialEq)]
pub struct StepEvent {
    pub thread_id: String,
    pub step_path: String,
    pub timestamp_ms: i64,
    pub kind: StepEventKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepEventKind {
    Snapshot(StepSnapshot),
    Decision(DecisionMade),
    Done(StepDone),
    Failed(StepFailed),
    /// A variant this client does not know (a newer server). Shown, never acted upon.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepSnapshot {
    pub status: StepStatus,
    pub name: String,
    pub primitive: String,
    pub started_at_ms: i64,
    /// First 4 KB of the input, embedded as JSON when it parses.
    #[serde(serialize_with = "embed_json")]
    pub sample_input: Vec<u8>,
    #[serde(serialize_with = "embed_json")]
    pub sample_output: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionMade {
    pub strategy: String,
    pub chosen_branch: String,
    pub reasoning: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepDone {
    pub duration_ms: i64,
    pub output_bytes: i64,
}

impl StepEventKind {
    pub fn name(&self) -> &'static str {
        match self {
            StepEventKind::Snapshot(_) => "snapshot",
            StepEventKind::Decision(_) => "decision",
            StepEventKind::Done(_) => "done",
            StepEventKind::Failed(_) => "stepFailed",
            StepEventKind::Unknown => "unknown",
        }
    }

    /// The status a step ends in with this event, if it ends it.
    pub fn final_status(&self) -> Option<StepStatus> {
        match self {
            StepEventKind::Done(_) => Some(StepStatus::Completed),
            StepEventKind::Failed(_) => Some(StepStatus::Failed),
            _ => None,
        }
    }
}

impl StepStatus {
    /// The step will not change any more (a failed step may still be retried by a resume, but
    /// that is a new run the user asks for).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            StepStatus::Completed
                | StepStatus::Failed
                | StepStatus::Skipped
                | StepStatus::Cancelled
        )
    }
}

impl Serialize for StepEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("threadId", &self.thread_id)?;
        map.serialize_entry("stepPath", &self.step_path)?;
        map.serialize_entry("timestampMs", &self.timestamp_ms)?;
        let name = self.kind.name();
        map.serialize_entry("event", name)?;
        match &self.kind {
            StepEventKind::Snapshot(e) => map.serialize_entry(name, e)?,
            StepEventKind::Decision(e) => map.serialize_entry(name, e)?,
            StepEventKind::Done(e) => map.serialize_entry(name, e)?,
            StepEventKind::Failed(e) => map.serialize_entry(name, e)?,
            StepEventKind::Unknown => {}
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape() {
        let event = StepEvent {
            thread_id: "thr_1".into(),
            step_path: "2".into(),
            timestamp_ms: 7,
            kind: StepEventKind::Decision(DecisionMade {
                strategy: "llm".into(),
                chosen_branch: "2.1".into(),
                reasoning: "small delta".into(),
            }),
        };
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            serde_json::json!({"threadId": "thr_1", "stepPath": "2", "timestampMs": 7,
                "event": "decision",
                "decision": {"strategy": "llm", "chosenBranch": "2.1", "reasoning": "small delta"}})
        );
        assert_eq!(
            StepEventKind::Done(StepDone {
                duration_ms: 1,
                output_bytes: 2
            })
            .final_status(),
            Some(StepStatus::Completed)
        );
        assert!(!StepStatus::Running.is_final() && StepStatus::Skipped.is_final());
        assert!(!StepStatus::Unknown(42).is_final());
    }
}
