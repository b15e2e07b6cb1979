//! `thread watch`: follow an existing thread to its end; one that has already ended is told in
//! one line (its ending and counts). `--step PATH` follows one step instead.

use crate::cli::WatchArgs;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::follow::{self, FollowOptions};
use crate::output::step_display::StepDisplay;

use super::follow_flow::{follow_and_report, print_final, report_ended};

pub async fn run(ctx: &Context, args: WatchArgs) -> anyhow::Result<ExitStatus> {
    let options = FollowOptions::from(&args.follow);
    if let Some(step_path) = &args.step {
        return watch_step(ctx, &args.thread_id, step_path, &options).await;
    }
    let client = ctx.client().await?;
    // A transient failure here is the engine's business (retries within the budget).
    let thread = match client.poll_thread(&args.thread_id).await {
        Ok(thread) => Some(thread),
        Err(err) if err.is_retryable() => None,
        Err(err) => return Err(follow::refused(err, &args.thread_id)),
    };
    let outcome = match thread.filter(|t| t.status.is_terminal()) {
        // An ended thread: its ending and counts, not every old event again.
        Some(thread) => report_ended(ctx, thread).await?,
        None => follow_and_report(ctx, &args.thread_id, &options, None).await?,
    };
    print_final(ctx, &outcome)?;
    Ok(outcome.exit_status())
}

/// `--step PATH`: one step's events, and the exit code of its outcome.
async fn watch_step(
    ctx: &Context,
    thread_id: &str,
    step_path: &str,
    options: &FollowOptions,
) -> anyhow::Result<ExitStatus> {
    let mut display = StepDisplay::new(&ctx.printer, ctx.output, thread_id, step_path);
    let outcome =
        follow::step::follow_step(ctx, thread_id, step_path, options, &mut display).await?;
    display.finish(&outcome)?;
    Ok(outcome.exit_status())
}
