//! `thread watch`: follow an existing thread to its end; one that has already ended is reported
//! at once. Also home of [`follow_and_report`], which `run` (and later `result --wait`,
//! `resume --watch`) share.

use crate::cli::{FollowArgs, OutputFormat, WatchArgs};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::follow::{self, End, FollowOptions, FollowOutcome, Observer};
use crate::model::event::{now_ms, Progress};
use crate::model::{EventKind, ThreadEvent};
use crate::output::print_document;
use crate::output::progress::FollowDisplay;
use crate::output::step_display::StepDisplay;

pub async fn run(ctx: &Context, args: WatchArgs) -> anyhow::Result<ExitStatus> {
    let options = options(&args.follow);
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
    let outcome = if let Some(thread) = thread.filter(|t| t.status.is_terminal()) {
        // Nothing to follow: report how it ended.
        let mut display = FollowDisplay::new(&ctx.printer, ctx.output, &args.thread_id);
        display.event(&ThreadEvent {
            thread_id: thread.thread_id.clone(),
            timestamp_ms: now_ms(),
            kind: EventKind::Progress(Progress {
                status: thread.status,
                current_step_path: thread.current_step_path.clone(),
                current_step_name: thread.current_step_name.clone(),
            }),
        })?;
        let outcome = FollowOutcome {
            thread,
            end: End::Terminal,
            terminal_event: None,
        };
        display.finish(&outcome);
        outcome
    } else {
        follow_and_report(ctx, &args.thread_id, &options).await?
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

/// The engine's options from the command line.
pub(crate) fn options(args: &FollowArgs) -> FollowOptions {
    FollowOptions::from(args)
}

/// Follows a thread with the live display (or plain lines, or jsonl) and prints the closing
/// line. Errors (refused, unreachable, timeout) come back for `error::report` to print.
pub(crate) async fn follow_and_report(
    ctx: &Context,
    thread_id: &str,
    options: &FollowOptions,
) -> anyhow::Result<FollowOutcome> {
    let mut display = FollowDisplay::new(&ctx.printer, ctx.output, thread_id);
    let result = follow::follow(ctx, thread_id, options, &mut display).await;
    match &result {
        Ok(outcome) => display.finish(outcome),
        Err(_) => display.clear(),
    }
    result
}

/// `-o json|yaml`: the final thread as one document (not after an interruption).
pub(crate) fn print_final(ctx: &Context, outcome: &FollowOutcome) -> anyhow::Result<()> {
    if outcome.end == End::Interrupted {
        return Ok(());
    }
    match ctx.output {
        OutputFormat::Json | OutputFormat::Yaml => {
            print_document(&ctx.printer, ctx.output, &outcome.thread)
        }
        OutputFormat::Table | OutputFormat::Jsonl => Ok(()),
    }
}
