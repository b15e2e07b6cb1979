//! Following a thread and reporting how it ended, shared by `run`, `watch`, `resume --watch` and
//! `result --wait`: the engine (`follow::follow`) drives the live view (`FollowDisplay`), which
//! closes with one line; `-o json|yaml` then print the final thread as one document.

use crate::cli::OutputFormat;
use crate::context::Context;
use crate::follow::{self, End, FollowOptions, FollowOutcome, Observer};
use crate::model::{Thread, ThreadEvent};
use crate::output::print_document;
use crate::output::progress::FollowDisplay;

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

/// A thread that has already ended, reported as a follow would close: nothing to follow.
pub(crate) fn report_ended(ctx: &Context, thread: Thread) -> anyhow::Result<FollowOutcome> {
    let mut display = FollowDisplay::new(&ctx.printer, ctx.output, &thread.thread_id);
    display.event(&ThreadEvent::progress_of(&thread))?;
    let outcome = FollowOutcome {
        thread,
        end: End::Terminal,
        terminal_event: None,
    };
    display.finish(&outcome);
    Ok(outcome)
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
