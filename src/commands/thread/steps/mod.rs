//! `thread steps`: the step tree (here), one step's detail (`--step`, [`one`]), or every step's
//! full input and output (`--detail`, reassembled from StreamStepResult; `--save DIR` writes them
//! as files: [`detail`]). Three flows of one verb, a file each.

mod detail;
mod one;

use crate::cli::{OutputFormat, StepsArgs};
use crate::client::ResultQuery;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::StepSummary;
use crate::output::print_document;
use crate::output::thread::print_step_tree;

pub async fn run(ctx: &Context, args: StepsArgs) -> anyhow::Result<ExitStatus> {
    // Files need every byte: --save implies --detail.
    if args.detail || args.save.is_some() {
        return detail::run(ctx, &args).await;
    }
    match &args.step {
        Some(path) => one::run(ctx, &args.thread_id, path).await,
        None => tree(ctx, &args.thread_id).await,
    }
}

/// The step summaries, asking for metadata only first (no output payload).
async fn summaries(ctx: &Context, thread_id: &str) -> anyhow::Result<Vec<StepSummary>> {
    let client = ctx.client().await?;
    let query = ResultQuery {
        metadata_only: true,
        ..ResultQuery::default()
    };
    let result = client.get_thread_result(thread_id, &query).await?;
    if !result.steps.is_empty() {
        return Ok(result.steps);
    }
    // A server whose metadata-only answer leaves the steps out (the dev server's does, as the
    // reference allows). `steps_executed` cannot tell a thread with no steps yet: it counts only
    // completed steps, and a thread can fail at its first.
    let result = client
        .get_thread_result(thread_id, &ResultQuery::default())
        .await?;
    Ok(result.steps)
}

async fn tree(ctx: &Context, thread_id: &str) -> anyhow::Result<ExitStatus> {
    let steps = summaries(ctx, thread_id).await?;
    match ctx.output {
        OutputFormat::Table => {
            if steps.is_empty() {
                ctx.printer.status("no steps yet");
                return Ok(ExitStatus::Success);
            }
            print_step_tree(&ctx.printer, &steps)?;
        }
        OutputFormat::Jsonl => {
            for step in &steps {
                ctx.printer.data_line(&serde_json::to_string(step)?)?;
            }
        }
        format => print_document(&ctx.printer, format, &steps)?,
    }
    Ok(ExitStatus::Success)
}
