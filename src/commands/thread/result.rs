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
    // A thread that has already ended is not followed: its history would only be replayed.
    let followed = args.wait && !has_ended(ctx, &args.thread_id).await?;
    if followed {
        let outcome =
            follow_and_report(ctx, &args.thread_id, &FollowOptions::from(&args.follow)).await?;
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
        save: args.save.as_deref().map(|dir| SaveTo {
            dir,
            force: args.force,
        }),
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
