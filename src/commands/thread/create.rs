//! `thread create`: start a thread and return at once.

use crate::cli::{CreateArgs, OutputFormat};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::output::{print_document, terminal_safe};

use super::new_thread::create_thread;

pub async fn run(ctx: &Context, args: CreateArgs) -> anyhow::Result<ExitStatus> {
    let created = create_thread(ctx, &args).await?;
    match ctx.output {
        OutputFormat::Table => {
            // stdout is the id alone, so `id=$(dodil scriptum thread create …)` works.
            ctx.printer.data_line(&created.thread_id)?;
            ctx.printer.status(&format!(
                "created thread {} ({}, {})",
                terminal_safe(&created.thread_id),
                terminal_safe(&args.script),
                created.status
            ));
            ctx.printer.hint(&format!(
                "follow it with: {}",
                crate::output::suggest::watch(&created.thread_id)
            ));
        }
        format => print_document(&ctx.printer, format, &created)?,
    }
    Ok(ExitStatus::Success)
}
