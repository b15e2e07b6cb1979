//! `thread resume`: ResumeThread on a paused (or failed) thread, then (with `--watch`) follow it.

use crate::cli::{OutputFormat, ResumeArgs};
use crate::client::CallErrorKind;
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::follow::{End, FollowOptions};
use crate::input;
use crate::output::result::SummaryScope;
use crate::output::{print_document, terminal_safe};

use super::deliver::{deliver, Print, ResultPlan, SaveTo};
use super::follow_flow::{follow_and_report, print_final};

pub async fn run(ctx: &Context, args: ResumeArgs) -> anyhow::Result<ExitStatus> {
    let input_override = match &args.input {
        Some(value) => Some(input::read_json_arg("--input", value)?),
        None => None,
    };
    // A DIR we may not use is refused before the thread is resumed.
    let mut save = match &args.save {
        Some(dir) => Some(SaveTo::prepare(dir, args.force, true)?),
        None => None,
    };
    let client = ctx.client().await?;
    let status = match client.resume_thread(&args.thread_id, input_override).await {
        Ok(status) => status,
        Err(err) if err.kind == CallErrorKind::FailedPrecondition => {
            // Say what state the thread is actually in, which is what the user needs next.
            let actual = client
                .get_thread(&args.thread_id)
                .await
                .map(|t| t.status.to_string())
                .unwrap_or_else(|_| "unknown".into());
            return Err(CliError::new(
                ExitStatus::ServerRefused,
                format!(
                    "thread {} cannot be resumed: it is {actual} (only paused or failed threads can)",
                    terminal_safe(&args.thread_id)
                ),
            )
            .into());
        }
        Err(err) => return Err(err.into()),
    };
    let id = terminal_safe(&args.thread_id);
    if args.watch {
        ctx.printer
            .status(&format!("resumed thread {id}: now {status}; following it"));
        let options = FollowOptions::from(&args.follow);
        let keep = save.as_mut().and_then(|s| s.yields.as_mut());
        let outcome = follow_and_report(ctx, &args.thread_id, &options, keep).await?;
        if outcome.end == End::Terminal && save.is_some() {
            let plan = ResultPlan {
                print: Print::Nothing,
                save,
                summary: SummaryScope::AfterFollow,
            };
            return deliver(ctx, &args.thread_id, plan).await;
        }
        print_final(ctx, &outcome)?;
        return Ok(outcome.exit_status());
    }
    match ctx.output {
        OutputFormat::Table => {
            ctx.printer.data_line(&status.to_string())?;
            ctx.printer
                .status(&format!("resumed thread {id}: now {status}"));
            ctx.printer.hint(&format!(
                "follow it with: {}",
                crate::output::suggest::watch(&args.thread_id)
            ));
        }
        format => print_document(
            &ctx.printer,
            format,
            &serde_json::json!({ "threadId": args.thread_id, "status": status }),
        )?,
    }
    Ok(ExitStatus::Success)
}
