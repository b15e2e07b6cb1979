//! Generated proto types into `model` types. The only place that knows both.

use crate::model::{CreatedThread, Thread, ThreadStatus};
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
