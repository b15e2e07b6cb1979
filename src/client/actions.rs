//! Calls that act on a thread (resume, cancel) and the artifact listing.

use crate::model::{Artifact, ThreadStatus};
use crate::proto;

use super::{CallError, Client, Retry};

impl Client {
    /// ResumeThread; `input_override` is the failed or waiting step's new input (JSON text).
    pub async fn resume_thread(
        &self,
        thread_id: &str,
        input_override: Option<String>,
    ) -> Result<ThreadStatus, CallError> {
        let request = proto::ResumeThreadRequest {
            thread_id: thread_id.to_string(),
            step_input_override_json: input_override.unwrap_or_default(),
        };
        let response = self
            .unary(
                "ResumeThread",
                Retry::Never,
                request,
                super::http::routes::resume_thread,
                |mut s, r| async move { s.resume_thread(r).await },
            )
            .await?;
        Ok(ThreadStatus::from_i32(response.status))
    }

    pub async fn cancel_thread(
        &self,
        thread_id: &str,
        reason: Option<String>,
    ) -> Result<ThreadStatus, CallError> {
        let request = proto::CancelThreadRequest {
            thread_id: thread_id.to_string(),
            reason: reason.unwrap_or_default(),
        };
        let response = self
            .unary(
                "CancelThread",
                Retry::Never,
                request,
                super::http::routes::cancel_thread,
                |mut s, r| async move { s.cancel_thread(r).await },
            )
            .await?;
        Ok(ThreadStatus::from_i32(response.status))
    }

    pub async fn list_artifacts(&self, thread_id: &str) -> Result<Vec<Artifact>, CallError> {
        let request = proto::ListArtifactsRequest {
            thread_id: thread_id.to_string(),
        };
        let response = self
            .unary(
                "ListArtifacts",
                Retry::Idempotent,
                request,
                super::http::routes::list_artifacts,
                |mut s, r| async move { s.list_artifacts(r).await },
            )
            .await?;
        Ok(response
            .artifacts
            .into_iter()
            .map(|a| Artifact {
                name: a.name,
                path: a.path,
                content_type: a.content_type,
                size_bytes: a.size_bytes,
                download_url: a.download_url,
            })
            .collect())
    }
}
