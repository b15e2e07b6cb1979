//! What GetThreadResult, StreamThreadResult and StreamStepResult return, as plain types. JSON
//! payloads (output, step input/output, yielded values) serialize as embedded JSON values.

use bytes::Bytes;
use serde::Serialize;

use super::{embed_json, StepStatus, ThreadStatus};

/// Serializes bytes holding JSON as the JSON value itself (see [`json_payload`]).
/// GetThreadResult's answer.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadResult {
    pub thread_id: String,
    pub status: ThreadStatus,
    /// The output as the unary call carried it: a prefix only when `output_truncated`.
    #[serde(serialize_with = "embed_json")]
    pub output_data: Bytes,
    pub duration_ms: i64,
    pub steps_executed: i32,
    pub steps: Vec<StepSummary>,
    pub output_total_bytes: i64,
    pub output_truncated: bool,
    pub yielded_values: Vec<YieldedValue>,
    pub total_yielded: i32,
    pub yields_truncated: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub step_details: Vec<StepDetail>,
}

/// One step, as listed in a result (enough to rebuild the tree from `parent_path`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepSummary {
    pub step_path: String,
    pub name: String,
    pub primitive: String,
    pub status: StepStatus,
    pub duration_ms: i64,
    pub parent_path: String,
}

/// One step in full.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepDetail {
    pub step_path: String,
    pub name: String,
    pub primitive: String,
    pub tool: String,
    pub status: StepStatus,
    #[serde(serialize_with = "embed_json")]
    pub input_data: Bytes,
    #[serde(serialize_with = "embed_json")]
    pub output_data: Bytes,
    pub error: String,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
    pub duration_ms: i64,
    pub diagnostics: Option<StepDiagnostics>,
    pub output_total_bytes: i64,
    pub output_truncated: bool,
    #[serde(serialize_with = "embed_json")]
    pub sample_input: Bytes,
    #[serde(serialize_with = "embed_json")]
    pub sample_output: Bytes,
}

/// What the runtime attaches to a step for debugging.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepDiagnostics {
    pub execution_id: String,
    pub error_detail: String,
    pub logs_url: String,
    pub worker_stderr: String,
    pub schema_warnings: Vec<String>,
}

/// A value a `yield` step produced (in a result, and as a live event).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YieldedValue {
    pub step_path: String,
    pub name: String,
    #[serde(serialize_with = "embed_json")]
    pub value_data: Bytes,
    pub sequence: i64,
    pub timestamp_ms: i64,
}

/// One message of StreamThreadResult.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputMessage {
    Meta(OutputMeta),
    Chunk(DataChunk),
    /// A message with neither variant set (a newer server, or a broken one).
    Empty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputMeta {
    pub status: ThreadStatus,
    pub total_bytes: i64,
    /// 0 when the server does not know.
    pub total_chunks: i32,
}

/// A piece of a chunked payload (thread output, or a step's input/output).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataChunk {
    pub data: Bytes,
    pub total_bytes: i64,
    pub chunk_index: i32,
    pub is_final: bool,
}

/// One message of StreamStepResult.
#[derive(Clone, Debug)]
pub enum StepMessage {
    Meta {
        steps: Vec<StepSummary>,
    },
    Step(Box<StepDetail>),
    Data {
        step_path: String,
        field: String,
        chunk: DataChunk,
    },
    Empty,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_json_embeds_payloads_in_api_names() {
        let result = ThreadResult {
            thread_id: "thr_1".into(),
            status: ThreadStatus::Completed,
            output_data: Bytes::from_static(br#"{"rows": 124}"#),
            output_total_bytes: 13,
            yielded_values: vec![YieldedValue {
                step_path: "2".into(),
                name: "progress".into(),
                value_data: Bytes::from_static(br#"{"pct":50}"#),
                sequence: 1,
                timestamp_ms: 5,
            }],
            ..ThreadResult::default()
        };
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["status"], "THREAD_STATUS_COMPLETED");
        assert_eq!(json["outputData"], serde_json::json!({"rows": 124}));
        assert_eq!(json["outputTotalBytes"], 13);
        assert_eq!(
            json["yieldedValues"][0]["valueData"],
            serde_json::json!({"pct": 50})
        );
        assert!(json.get("stepDetails").is_none());
    }
}
