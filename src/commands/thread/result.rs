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
    // A DIR we may not use is refused before following; the follow keeps every yield it sees.
    let mut save = match &args.save {
        Some(dir) => Some(SaveTo::prepare(dir, args.force, args.wait)?),
        None => None,
    };
    if args.wait {
        let options = FollowOptions::from(&args.follow);
        let keep = save.as_mut().and_then(|s| s.yields.as_mut());
        let outcome = follow_and_report(ctx, &args.thread_id, &options, keep).await?;
        if outcome.end == End::Interrupted {
            return Ok(outcome.exit_status());
        }
    }
    let plan = ResultPlan {
        print: Print::Result,
        save,
        summary: if args.wait {
            SummaryScope::AfterFollow
        } else {
            SummaryScope::Whole
        },
    };
    deliver(ctx, &args.thread_id, plan).await
}
