//! Following a thread and reporting how it ended, shared by `run`, `watch`, `resume --watch` and
//! `result --wait`: the engine (`follow::follow`) drives the live view (`FollowDisplay`), which
//! closes with one line; `-o json|yaml` then print the final thread as one document.

use crate::cli::OutputFormat;
use crate::context::Context;
use crate::follow::{self, End, FollowOptions, FollowOutcome, Observer};
use crate::model::{EventKind, Thread, ThreadEvent};
use crate::output::print_document;
use crate::output::progress::FollowDisplay;
use crate::save::yields::YieldLog;

/// Follows a thread with the live display (or plain lines, or jsonl) and prints the closing
/// line; `keep` keeps every yield seen, for `--save`. Errors (refused, unreachable, timeout)
/// come back for `error::report` to print.
pub(crate) async fn follow_and_report(
    ctx: &Context,
    thread_id: &str,
    options: &FollowOptions,
    keep: Option<&mut YieldLog>,
) -> anyhow::Result<FollowOutcome> {
    let mut display = FollowDisplay::new(&ctx.printer, ctx.output, thread_id);
    let result = match keep {
        Some(yields) => {
            let mut keeping = Keeping {
                display: &mut display,
                yields,
            };
            follow::follow(ctx, thread_id, options, &mut keeping).await
        }
        None => follow::follow(ctx, thread_id, options, &mut display).await,
    };
    match &result {
        Ok(outcome) => display.finish(outcome),
        Err(_) => display.clear(),
    }
    result
}

/// The display, and every yield kept on the way.
struct Keeping<'a> {
    display: &'a mut FollowDisplay,
    yields: &'a mut YieldLog,
}

impl Observer for Keeping<'_> {
    fn event(&mut self, event: &ThreadEvent) -> anyhow::Result<()> {
        if let EventKind::Yielded(value) = &event.kind {
            self.yields.add(value)?;
        }
        self.display.event(event)
    }
    fn thread(&mut self, thread: &Thread) {
        self.display.thread(thread);
    }
    fn notice(&mut self, message: &str) {
        self.display.notice(message);
    }
    fn following_through_pause(&mut self, thread_id: &str) {
        self.display.following_through_pause(thread_id);
    }
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
