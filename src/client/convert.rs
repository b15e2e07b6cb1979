//! Generated proto types into `model` types for the unary calls and result streams (the watch
//! events convert in `watch.rs`, beside the calls that receive them). The rest of the crate sees
//! only `model`.

use crate::model::{
    CreatedThread, DataChunk, OutputMessage, OutputMeta, StepDetail, StepDiagnostics, StepMessage,
    StepStatus, StepSummary, Thread, ThreadResult, ThreadStatus, YieldedValue,
};
use crate::proto;

impl From<proto::CreateThreadResponse> for CreatedThread {
    fn from(p: proto::CreateThreadResponse) -> Self {
        CreatedThread {
            thread_id: p.thread_id,
            status: ThreadStatus::from_i32(p.status),
            created_at_ms: p.created_at_ms,
        }
    }
}

impl From<proto::Thread> for Thread {
    fn from(p: proto::Thread) -> Self {
        Thread {
            thread_id: p.thread_id,
            script_name: p.script_name,
            script_version: p.script_version,
            status: ThreadStatus::from_i32(p.status),
            current_step_path: p.current_step_path,
            total_steps: p.total_steps,
            current_step_name: p.current_step_name,
            metadata: p.metadata.into_iter().collect(),
            error: p.error,
            created_at_ms: p.created_at_ms,
            started_at_ms: p.started_at_ms,
            finished_at_ms: p.finished_at_ms,
            organization_name: p.organization_name,
        }
    }
}

impl From<proto::GetThreadResultResponse> for ThreadResult {
    fn from(p: proto::GetThreadResultResponse) -> Self {
        ThreadResult {
            thread_id: p.thread_id,
            status: ThreadStatus::from_i32(p.status),
            output_data: p.output_data,
            duration_ms: p.duration_ms,
            steps_executed: p.steps_executed,
            steps: p.steps.into_iter().map(StepSummary::from).collect(),
            output_total_bytes: p.output_total_bytes,
            output_truncated: p.output_truncated,
            yielded_values: p
                .yielded_values
                .into_iter()
                .map(YieldedValue::from)
                .collect(),
            total_yielded: p.total_yielded,
            yields_truncated: p.yields_truncated,
            step_details: p.step_details.into_iter().map(StepDetail::from).collect(),
        }
    }
}

impl From<proto::StepSummary> for StepSummary {
    fn from(p: proto::StepSummary) -> Self {
        StepSummary {
            step_path: p.step_path,
            name: p.name,
            primitive: p.primitive,
            status: StepStatus::from_i32(p.status),
            duration_ms: p.duration_ms,
            parent_path: p.parent_path,
        }
    }
}

impl From<proto::StepDetail> for StepDetail {
    fn from(p: proto::StepDetail) -> Self {
        StepDetail {
            step_path: p.step_path,
            name: p.name,
            primitive: p.primitive,
            tool: p.tool,
            status: StepStatus::from_i32(p.status),
            input_data: p.input_data,
            output_data: p.output_data,
            error: p.error,
            started_at_ms: p.started_at_ms,
            finished_at_ms: p.finished_at_ms,
            duration_ms: p.duration_ms,
            diagnostics: p.diagnostics.map(|d| StepDiagnostics {
                execution_id: d.execution_id,
                error_detail: d.error_detail,
                logs_url: d.logs_url,
                worker_stderr: d.worker_stderr,
                schema_warnings: d.schema_warnings,
            }),
            output_total_bytes: p.output_total_bytes,
            output_truncated: p.output_truncated,
            sample_input: p.sample_input,
            sample_output: p.sample_output,
        }
    }
}

impl From<proto::YieldedValue> for YieldedValue {
    fn from(p: proto::YieldedValue) -> Self {
        YieldedValue {
            step_path: p.step_path,
            name: p.name,
            value_data: p.value_data,
            sequence: p.sequence,
            timestamp_ms: p.timestamp_ms,
        }
    }
}

impl From<proto::ThreadOutputChunk> for OutputMessage {
    fn from(p: proto::ThreadOutputChunk) -> Self {
        use proto::thread_output_chunk::Chunk;
        match p.chunk {
            Some(Chunk::Meta(meta)) => OutputMessage::Meta(OutputMeta {
                status: ThreadStatus::from_i32(meta.status),
                total_bytes: meta.total_bytes,
                total_chunks: meta.total_chunks,
            }),
            Some(Chunk::Output(chunk)) => OutputMessage::Chunk(DataChunk {
                data: chunk.data,
                total_bytes: chunk.total_bytes,
                chunk_index: chunk.chunk_index,
                is_final: chunk.is_final,
            }),
            None => OutputMessage::Empty,
        }
    }
}

impl From<proto::StepResultChunk> for StepMessage {
    fn from(p: proto::StepResultChunk) -> Self {
        use proto::step_result_chunk::Chunk;
        match p.chunk {
            Some(Chunk::Meta(meta)) => StepMessage::Meta {
                steps: meta.steps.into_iter().map(StepSummary::from).collect(),
            },
            Some(Chunk::Step(step)) => StepMessage::Step(Box::new(step.into())),
            Some(Chunk::Data(data)) => StepMessage::Data {
                step_path: data.step_path,
                field: data.field,
                chunk: DataChunk {
                    data: data.data,
                    total_bytes: data.total_bytes,
                    chunk_index: data.chunk_index,
                    is_final: data.is_final,
                },
            },
            None => StepMessage::Empty,
        }
    }
}
