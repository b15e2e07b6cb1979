//! `thread cancel`: CancelThread. Today's service answers UNIMPLEMENTED; say so plainly.

use crate::cli::{CancelArgs, OutputFormat};
use crate::client::{CallError, CallErrorKind};
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::output::{print_document, terminal_safe};

pub async fn run(ctx: &Context, args: CancelArgs) -> anyhow::Result<ExitStatus> {
    let client = ctx.client().await?;
    let status = client
        .cancel_thread(&args.thread_id, args.reason.clone())
        .await
        .map_err(|err| {
            unimplemented_plainly(err, "cancelling is not available on this server yet")
        })?;
    let id = terminal_safe(&args.thread_id);
    match ctx.output {
        OutputFormat::Table => {
            ctx.printer.data_line(&status.to_string())?;
            ctx.printer
                .status(&format!("cancel requested for thread {id}: now {status}"));
        }
        format => print_document(
            &ctx.printer,
            format,
            &serde_json::json!({ "threadId": args.thread_id, "status": status }),
        )?,
    }
    Ok(ExitStatus::Success)
}

/// UNIMPLEMENTED becomes one plain sentence (exit 5); anything else is left as it is.
pub fn unimplemented_plainly(err: CallError, message: &str) -> anyhow::Error {
    if err.kind == CallErrorKind::Unimplemented {
        CliError::new(ExitStatus::ServerRefused, message).into()
    } else {
        err.into()
    }
}
