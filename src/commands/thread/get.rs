//! `thread get`: one thread, every field.

use crate::cli::{GetArgs, OutputFormat};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::output::print_document;
use crate::output::thread::print_thread;

pub async fn run(ctx: &Context, args: GetArgs) -> anyhow::Result<ExitStatus> {
    let thread = ctx.client().await?.get_thread(&args.thread_id).await?;
    match ctx.output {
        OutputFormat::Table => print_thread(&ctx.printer, &thread)?,
        format => print_document(&ctx.printer, format, &thread)?,
    }
    // The query succeeded; the thread's own state is in the data, not the exit code.
    Ok(ExitStatus::Success)
}
