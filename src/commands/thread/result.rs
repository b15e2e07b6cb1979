//! `thread result`: the final output (streamed in full when GetThreadResult has it truncated),
//! a summary on stderr, and with `--save DIR` the files of `cli-contract.md`; with `--wait`, after
//! following the thread to its end.

use crate::cli::ResultArgs;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::follow::{End, FollowOptions};
use crate::output::result::SummaryScope;

use super::deliver::{deliver, Print, ResultPlan, SaveTo};
use super::follow_flow::follow_and_report;

pub async fn run(ctx: &Context, args: ResultArgs) -> anyhow::Result<ExitStatus> {
    // A thread that has already ended is not followed: its history would only be replayed; but
    // with --save it is, for the yields its replay brings (GetThreadResult lists only ~100).
    let followed = args.wait && (args.save.is_some() || !has_ended(ctx, &args.thread_id).await?);
    // A DIR we may not use is refused before following; the follow keeps every yield it sees.
    let mut save = match &args.save {
        Some(dir) => Some(SaveTo::prepare(dir, args.force, followed)?),
        None => None,
    };
    if followed {
        let options = FollowOptions::from(&args.follow);
        let keep = save.as_mut().and_then(|s| s.yields.as_mut());
        let outcome = follow_and_report(ctx, &args.thread_id, &options, keep).await?;
        if outcome.end == End::Interrupted {
            return Ok(outcome.exit_status());
        }
    }
    let plan = ResultPlan {
        // With --save the output goes to files only (cli-contract.md: stdout stays empty in table
        // mode); without, to stdout.
        print: if args.save.is_some() {
            Print::Nothing
        } else {
            Print::Result
        },
        save,
        summary: if followed {
            SummaryScope::AfterFollow
        } else {
            SummaryScope::Whole
        },
    };
    deliver(ctx, &args.thread_id, plan).await
}

/// Whether GetThread says the thread has ended. A transient failure says nothing (the follow
/// retries within its budget); a refusal is the answer.
async fn has_ended(ctx: &Context, thread_id: &str) -> anyhow::Result<bool> {
    match ctx.client().await?.poll_thread(thread_id).await {
        Ok(thread) => Ok(thread.status.is_terminal()),
        Err(err) if err.is_retryable() => Ok(false),
        Err(err) => Err(crate::follow::refused(err, thread_id)),
    }
}
