//! `thread run`: CreateThread, then follow the thread to its end, then (with `--result` /
//! `--save`) its result, exactly as `thread result` gives it. `--inputs FILE|-`: one thread per
//! line, many at once (`inputs_flow.rs`).

use crate::cli::{OutputFormat, RunArgs};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::follow::{End, FollowOptions};
use crate::output::result::SummaryScope;
use crate::output::terminal_safe;

use super::deliver::{deliver, Print, ResultPlan, SaveTo};
use super::follow_flow::{follow_and_report, print_final};
use super::inputs_flow::run_inputs;
use super::new_thread::create_thread;

pub async fn run(ctx: &Context, args: RunArgs) -> anyhow::Result<ExitStatus> {
    if let Some(inputs) = &args.inputs {
        return run_inputs(ctx, &args, inputs).await;
    }
    let mut options = FollowOptions::from(&args.follow);
    // A thread created a moment ago has no earlier end a stream could replay; and what follows
    // the follow needs no GetThread document (`-o json|yaml` prints one, so it asks).
    options.trust_clean_end = matches!(ctx.output, OutputFormat::Table | OutputFormat::Jsonl);
    // A DIR we may not use is refused before a thread is created for nothing; the follow keeps
    // every yield it sees there.
    let mut save = match &args.save {
        Some(dir) => Some(SaveTo::prepare(dir, args.force, true)?),
        None => None,
    };
    let created = create_thread(ctx, &args.create).await?;
    let id = created.thread_id;
    // At once, so an interrupted run can be found again.
    ctx.printer.status(&format!(
        "thread {} created ({}); following it (Ctrl-C stops following, the thread goes on)",
        terminal_safe(&id),
        terminal_safe(&args.create.script)
    ));
    let keep = save.as_mut().and_then(|s| s.yields.as_mut());
    let outcome = follow_and_report(ctx, &id, &options, keep).await?;

    if outcome.end == End::Terminal && (args.result || args.save.is_some()) {
        // With --result, `-o json|yaml` prints the result document alone (it carries the status).
        let plan = ResultPlan {
            print: if args.result {
                Print::Result
            } else {
                Print::Nothing
            },
            save,
            summary: SummaryScope::AfterFollow,
        };
        return deliver(ctx, &id, plan).await;
    }
    print_final(ctx, &outcome)?;
    Ok(outcome.exit_status())
}
