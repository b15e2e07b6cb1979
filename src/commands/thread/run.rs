//! `thread run`: CreateThread, then follow the thread to its end, then (with `--result` /
//! `--save`) its result.

use crate::cli::RunArgs;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::follow::End;
use crate::output::terminal_safe;

use super::create::create_thread;
use super::watch::{follow_and_report, options, print_final};

pub async fn run(ctx: &Context, args: RunArgs) -> anyhow::Result<ExitStatus> {
    let options = options(&args.follow);
    let created = create_thread(ctx, &args.create).await?;
    let id = created.thread_id;
    // At once, so an interrupted run can be found again.
    ctx.printer.status(&format!(
        "thread {} created ({}); following it (Ctrl-C stops following, the thread goes on)",
        terminal_safe(&id),
        terminal_safe(&args.create.script)
    ));
    let outcome = follow_and_report(ctx, &id, &options).await?;

    // ---- RESULTS CALL SITE -----------------------------------------------------------------
    // The lead replaces this block after merging the `results` branch with:
    //   if args.result || args.save.is_some() {
    //       super::result::after_run(ctx, &id, args.result, args.save.as_deref()).await?;
    //   }
    // (and `-o json` then prints the thread and its result as one document).
    if outcome.end == End::Terminal && (args.result || args.save.is_some()) {
        ctx.printer.warn(
            "--result and --save are not available in this build; the thread was followed only",
        );
        ctx.printer.hint(&format!(
            "fetch the result later with: dodil scriptum thread result {}",
            terminal_safe(&id)
        ));
    }
    // ----------------------------------------------------------------------------------------

    print_final(ctx, &outcome)?;
    Ok(outcome.exit_status())
}
