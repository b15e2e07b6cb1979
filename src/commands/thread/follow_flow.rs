//! Following a thread and reporting how it ended, shared by `run`, `watch`, `resume --watch` and
//! `result --wait`: the engine (`follow::follow`) drives the live view (`FollowDisplay`), the
//! extras the view asks for are fetched beside it (`follow::extras`), and the view closes with
//! one line; `-o json|yaml` then print the final thread as one document.

use crate::cli::OutputFormat;
use crate::context::Context;
use crate::error::{is_closed_pipe, ClosedBeforeEnd};
use crate::follow::{self, extras, End, FollowOptions, FollowOutcome, Observer};
use crate::model::{EventKind, StepSummary, Thread, ThreadEvent};
use crate::output::print_document;
use crate::output::progress::FollowDisplay;
use crate::save::yields::YieldLog;

/// Follows a thread with the live view (or plain lines, or jsonl) and prints the closing
/// line; `keep` keeps every yield seen, for `--save`. Errors (refused, unreachable, timeout)
/// come back for `error::report` to print; a stdout closed before the end is exit 141 (nothing is
/// claimed about the thread).
pub(crate) async fn follow_and_report(
    ctx: &Context,
    thread_id: &str,
    options: &FollowOptions,
    keep: Option<&mut YieldLog>,
) -> anyhow::Result<FollowOutcome> {
    let mut display = FollowDisplay::new(&ctx.printer, ctx.output, thread_id);
    let client = ctx.client().await?;
    let wanted = display.extras();
    let answers = async {
        if let Some((observer, asks)) = wanted {
            extras::serve(client.clone(), thread_id.to_string(), asks, observer).await;
        }
        std::future::pending::<()>().await
    };
    let following = async {
        match keep {
            Some(yields) => {
                let mut keeping = Keeping {
                    display: &mut display,
                    yields,
                };
                follow::follow(ctx, thread_id, options, &mut keeping).await
            }
            None => follow::follow(ctx, thread_id, options, &mut display).await,
        }
    };
    let result = tokio::select! {
        result = following => result,
        () = answers => unreachable!("the answers wait for ever"),
    };
    match &result {
        Ok(outcome) => {
            let steps = match outcome.end {
                End::Terminal | End::Paused if display.needs_step_summaries() => {
                    step_summaries(ctx, thread_id).await
                }
                End::Terminal | End::Paused | End::Interrupted => None,
            };
            display.finish(outcome, steps.as_deref());
        }
        Err(_) => display.clear(),
    }
    result.map_err(|err| {
        if is_closed_pipe(&err) {
            err.context(ClosedBeforeEnd)
        } else {
            err
        }
    })
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

/// A thread that has already ended, told as a follow would close (no history replayed): the
/// ending, its duration and its counts.
pub(crate) async fn report_ended(ctx: &Context, thread: Thread) -> anyhow::Result<FollowOutcome> {
    let mut display = FollowDisplay::new(&ctx.printer, ctx.output, &thread.thread_id);
    if ctx.output == OutputFormat::Jsonl {
        // A script reading events learns the end from one, as GetThread tells it.
        display.event(&ThreadEvent::progress_of(&thread))?;
    }
    let steps = step_summaries(ctx, &thread.thread_id).await;
    let outcome = FollowOutcome {
        thread,
        end: End::Terminal,
        terminal_event: None,
    };
    display.finish(&outcome, steps.as_deref());
    Ok(outcome)
}

/// The step summaries for a closing line's counts, unless Ctrl-C comes first.
async fn step_summaries(ctx: &Context, thread_id: &str) -> Option<Vec<StepSummary>> {
    let client = ctx.client().await.ok()?;
    tokio::select! {
        biased;
        () = crate::interrupt::ctrl_c() => None,
        steps = extras::summaries(client, thread_id) => steps,
    }
}

/// `-o json|yaml`: the final thread as one document (not after an interruption). The outcome is
/// known by now: a stdout closed meanwhile does not change the exit code.
pub(crate) fn print_final(ctx: &Context, outcome: &FollowOutcome) -> anyhow::Result<()> {
    if outcome.end == End::Interrupted {
        return Ok(());
    }
    let printed = match ctx.output {
        OutputFormat::Json | OutputFormat::Yaml => {
            print_document(&ctx.printer, ctx.output, &outcome.thread)
        }
        OutputFormat::Table | OutputFormat::Jsonl => Ok(()),
    };
    match printed {
        Err(err) if is_closed_pipe(&err) => Ok(()),
        other => other,
    }
}
