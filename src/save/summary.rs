//! `summary.json`: what a `--save DIR` of a thread's result holds, written last, so that a DIR
//! with a summary.json is a finished save (see `cli-contract.md`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{StepSummary, Thread, ThreadResult, ThreadStatus};

use super::atomic::FileEntry;
use super::{yield_count, Saved};

/// `summary.json`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub thread_id: String,
    pub script_name: String,
    pub script_version: i32,
    pub status: ThreadStatus,
    pub error: String,
    pub metadata: BTreeMap<String, String>,
    pub organization_name: String,
    pub created_at_ms: i64,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
    pub duration_ms: i64,
    pub steps_executed: i32,
    pub total_steps: i32,
    /// The final output as saved; `null` when there is none or it could not be had whole.
    pub output: Option<OutputInfo>,
    pub output_total_bytes: i64,
    pub yields: YieldsInfo,
    pub steps: Vec<SummaryStep>,
    /// Every file this save wrote (summary.json aside), with size and sha256.
    pub files: Vec<FileEntry>,
    pub errors: Vec<String>,
    /// True when every payload was saved whole.
    pub complete: bool,
    pub saved_at_ms: i64,
    pub saved_by: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputInfo {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    /// Whether it came from StreamThreadResult (GetThreadResult had it truncated).
    pub streamed: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YieldsInfo {
    /// How many values the thread yielded (`total_yielded`, never fewer than listed).
    pub count: i64,
    /// How many are in yields.jsonl.
    pub saved: usize,
    /// Whether the server capped the inline list (the API has no call for the rest).
    pub capped: bool,
    pub file: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryStep {
    #[serde(flatten)]
    pub summary: StepSummary,
    /// Where its files are, relative to DIR, when saved.
    pub dir: Option<String>,
}

/// What the save found out on the way, for the summary.
pub(super) struct SummaryParts {
    pub output: Option<OutputInfo>,
    pub yields_file: Option<String>,
    /// How many yielded values were saved (the answer in hand may list none: metadata only).
    pub yields_saved: usize,
    pub yields_capped: bool,
    /// The step summaries (GetThreadResult's, else the step stream's).
    pub steps: Vec<StepSummary>,
    /// Step path → its directory in DIR, for the steps saved.
    pub step_dirs: BTreeMap<String, String>,
}

impl Summary {
    /// The summary of a save that wrote `saved` (so far: summary.json itself aside).
    pub(super) fn new(
        thread: &Thread,
        result: &ThreadResult,
        parts: SummaryParts,
        saved: &Saved,
    ) -> Summary {
        Summary {
            thread_id: result.thread_id.clone(),
            script_name: thread.script_name.clone(),
            script_version: thread.script_version,
            status: result.status,
            error: thread.error.clone(),
            metadata: thread.metadata.clone(),
            organization_name: thread.organization_name.clone(),
            created_at_ms: thread.created_at_ms,
            started_at_ms: thread.started_at_ms,
            finished_at_ms: thread.finished_at_ms,
            duration_ms: result.duration_ms,
            steps_executed: result.steps_executed,
            total_steps: thread.total_steps,
            output: parts.output,
            output_total_bytes: result.output_total_bytes,
            yields: YieldsInfo {
                count: yield_count(result, parts.yields_saved),
                saved: parts.yields_saved,
                capped: parts.yields_capped,
                file: parts.yields_file,
            },
            steps: parts
                .steps
                .iter()
                .map(|s| SummaryStep {
                    summary: s.clone(),
                    dir: parts.step_dirs.get(&s.step_path).cloned(),
                })
                .collect(),
            files: saved.files.clone(),
            errors: saved.problems.iter().map(|p| p.message.clone()).collect(),
            complete: saved.problems.is_empty(),
            saved_at_ms: crate::model::event::now_ms(),
            saved_by: format!("dodil {}", env!("CARGO_PKG_VERSION")),
        }
    }
}
