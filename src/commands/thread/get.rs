//! `thread get`: one thread, every field.

use crate::cli::{GetArgs, OutputFormat};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::event::now_ms;
use crate::model::Thread;
use crate::output::{self, age, duration_ms, local_time, print_document, terminal_safe};

pub async fn run(ctx: &Context, args: GetArgs) -> anyhow::Result<ExitStatus> {
    let thread = ctx.client().await?.get_thread(&args.thread_id).await?;
    match ctx.output {
        OutputFormat::Table => print_thread(ctx, &thread)?,
        format => print_document(&ctx.printer, format, &thread)?,
    }
    // The query succeeded; the thread's own state is in the data, not the exit code.
    Ok(ExitStatus::Success)
}

fn print_thread(ctx: &Context, thread: &Thread) -> anyhow::Result<()> {
    let now = now_ms();
    let when = |ms: i64| {
        if ms > 0 {
            format!("{} ({})", local_time(ms), age(ms, now))
        } else {
            "-".to_string()
        }
    };
    let step = if thread.current_step_path.is_empty() {
        "-".to_string()
    } else {
        format!(
            "{} {}",
            terminal_safe(&thread.current_step_path),
            terminal_safe(&thread.current_step_name)
        )
    };
    let metadata = if thread.metadata.is_empty() {
        "-".to_string()
    } else {
        thread
            .metadata
            .iter()
            .map(|(k, v)| format!("{}={}", terminal_safe(k), terminal_safe(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows: Vec<(&str, String)> = vec![
        ("Thread", terminal_safe(&thread.thread_id).into_owned()),
        ("Script", terminal_safe(&thread.script_name).into_owned()),
        ("Version", thread.script_version.to_string()),
        ("Status", status_cell(ctx, thread)),
        ("Step", step),
        ("Total steps", thread.total_steps.to_string()),
        ("Created", when(thread.created_at_ms)),
        ("Started", when(thread.started_at_ms)),
        ("Finished", when(thread.finished_at_ms)),
        (
            "Duration",
            thread.duration_ms(now).map_or("-".into(), duration_ms),
        ),
        ("Organization", or_dash(&thread.organization_name)),
        ("Metadata", metadata),
        ("Error", or_dash(&thread.error)),
    ];
    output::print_table(&ctx.printer, &output::kv_table(rows))
}

/// The status, coloured by outcome when colour is on.
pub fn status_cell(ctx: &Context, thread: &Thread) -> String {
    use crate::model::ThreadStatus::*;
    let text = thread.status.to_string();
    let sgr = match thread.status {
        Completed => "32",
        Failed => "31",
        Cancelled | Paused => "33",
        Running | Pending => "36",
        _ => return text,
    };
    ctx.printer.paint_stdout(&text, sgr)
}

fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "-".into()
    } else {
        terminal_safe(text).into_owned()
    }
}
