//! How a thread looks in a table: its status (coloured by outcome), its current step, and every
//! field of it as `Key: value` rows for `thread get`. `thread list` draws its rows from the same
//! cells, so a status or a step reads the same in both.

use crate::model::event::now_ms;
use crate::model::{Thread, ThreadStatus};

use super::{age, duration_ms, kv_table, local_time, print_table, terminal_safe, Printer};

/// The SGR colour of a status: green completed, red failed, yellow cancelled or paused, cyan
/// running or pending; none for a status outside the contract.
pub fn status_sgr(status: ThreadStatus) -> Option<&'static str> {
    use ThreadStatus::*;
    match status {
        Completed => Some("32"),
        Failed => Some("31"),
        Cancelled | Paused => Some("33"),
        Running | Pending => Some("36"),
        _ => None,
    }
}

/// The status for a table on stdout, coloured when colour is on.
pub fn status_cell(printer: &Printer, status: ThreadStatus) -> String {
    let text = status.to_string();
    match status_sgr(status) {
        Some(sgr) => printer.paint_stdout(&text, sgr),
        None => text,
    }
}

/// The step a thread is at (`1.0.2 fetch_orders`), `-` when it is at none.
pub fn current_step_cell(thread: &Thread) -> String {
    if thread.current_step_path.is_empty() {
        return "-".into();
    }
    format!(
        "{} {}",
        terminal_safe(&thread.current_step_path),
        terminal_safe(&thread.current_step_name)
    )
}

/// `thread get` in a table: every field of one thread, times as local time and age.
pub fn print_thread(printer: &Printer, thread: &Thread) -> anyhow::Result<()> {
    let now = now_ms();
    let when = |ms: i64| {
        if ms > 0 {
            format!("{} ({})", local_time(ms), age(ms, now))
        } else {
            "-".to_string()
        }
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
        ("Status", status_cell(printer, thread.status)),
        ("Step", current_step_cell(thread)),
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
    print_table(printer, &kv_table(rows))
}

/// The text made terminal-safe, `-` when empty.
pub fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "-".into()
    } else {
        terminal_safe(text).into_owned()
    }
}
