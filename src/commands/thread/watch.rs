//! `thread watch`: follow an existing thread to its end; one that has already ended is told in
//! one line (its ending and counts). `--step PATH` follows one step instead. Several ids (or
//! `-`, ids from stdin) are followed all at once (`many_flow.rs`).

use crate::cli::WatchArgs;
use crate::context::Context;
use std::io::Read;

use crate::error::{CliError, ExitStatus};
use crate::follow::{self, FollowOptions};
use crate::output::step_display::StepDisplay;

use super::follow_flow::{follow_and_report, print_final, report_ended};
use super::many_flow::watch_many;

pub async fn run(ctx: &Context, args: WatchArgs) -> anyhow::Result<ExitStatus> {
    let options = FollowOptions::from(&args.follow);
    let from_stdin = args.thread_ids.iter().any(|id| id == "-");
    let ids = thread_ids(&args.thread_ids)?;
    if ids.is_empty() {
        // `thread list ... | thread watch -` with nothing running: nothing to wait for.
        ctx.printer
            .status("no thread ids on stdin: nothing to follow");
        return Ok(ExitStatus::Success);
    }
    if let Some(step_path) = &args.step {
        let [thread_id] = ids.as_slice() else {
            return Err(CliError::usage(
                "--step follows one step of one thread: give one THREAD_ID",
            )
            .into());
        };
        return watch_step(ctx, thread_id, step_path, &options).await;
    }
    let thread_id = match ids.as_slice() {
        [one] if !from_stdin => one.clone(),
        _ => return watch_many(ctx, ids, options, args.fail_fast).await,
    };
    let client = ctx.client().await?;
    // A transient failure here is the engine's business (retries within the budget).
    let thread = match client.poll_thread(&thread_id).await {
        Ok(thread) => Some(thread),
        Err(err) if err.is_retryable() => None,
        Err(err) => return Err(follow::refused(err, &thread_id)),
    };
    let outcome = match thread.filter(|t| t.status.is_terminal()) {
        // An ended thread: its ending and counts, not every old event again.
        Some(thread) => report_ended(ctx, thread).await?,
        None => follow_and_report(ctx, &thread_id, &options, None).await?,
    };
    print_final(ctx, &outcome)?;
    Ok(outcome.exit_status())
}

/// The ids given, `-` replaced by stdin's lines (one id a line, blank lines ignored), each
/// once, in order.
fn thread_ids(given: &[String]) -> Result<Vec<String>, CliError> {
    let mut ids: Vec<String> = Vec::new();
    for id in given {
        if id != "-" {
            ids.push(id.clone());
            continue;
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|err| CliError::usage(format!("cannot read thread ids from stdin: {err}")))?;
        ids.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
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
