//! `thread cancel`: CancelThread. Today's service answers UNIMPLEMENTED; say so plainly.

use crate::cli::{CancelArgs, OutputFormat};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::output::{print_document, terminal_safe};

use super::unimplemented::unimplemented_plainly;

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
