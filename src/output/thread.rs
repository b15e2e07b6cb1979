//! How a thread and its steps look in a table: a thread's status (coloured by outcome), its
//! current step and every field of it (`thread get`; `thread list` draws its rows from the same
//! cells), the step tree, and one step in full with the start of its input and output (`thread
//! steps --step`, `--detail`). Everything from the server passes through `terminal_safe`.

use crate::model::event::now_ms;
use crate::model::step_tree::tree_order;
use crate::model::{StepDetail, StepStatus, StepSummary, Thread, ThreadStatus};

use super::{
    age, duration_ms, kv_table, local_time, print_table, size, table, terminal_safe, Printer,
};

/// How much of an input/output is shown in a step's detail.
const PREVIEW_BYTES: usize = 2048;
/// How much of a payload to keep for its preview: one byte more than is shown, so that a payload
/// cut short is known to be.
pub const PREVIEW_KEEP: usize = PREVIEW_BYTES + 1;
const PREVIEW_LINES: usize = 24;
/// Longest line shown; a longer one ends in `…`.
const LINE_CHARS: usize = 160;

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

/// A step status's colour, as its thread's would be; skipped and pending dim.
fn step_status_sgr(status: StepStatus) -> Option<&'static str> {
    use StepStatus::*;
    match status {
        Completed => Some("32"),
        Failed => Some("31"),
        Cancelled | Paused => Some("33"),
        Running => Some("36"),
        Skipped | Pending => Some("2"),
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
        // Made safe (and cut) as one cell: a thousand long labels must not make a huge one.
        let text = thread
            .metadata
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        terminal_safe(&text).into_owned()
    };
    let rows: Vec<(&str, String)> = vec![
        ("Thread", terminal_safe(&thread.thread_id).into_owned()),
        ("Script", terminal_safe(&thread.script_name).into_owned()),
        ("Version", thread.script_version.to_string()),
        ("Status", status_cell(printer, thread.status)),
        ("Step", current_step_cell(thread)),
        // The API counts the top-level steps only (`steps` and a run's end count every step).
        ("Top-level steps", thread.total_steps.to_string()),
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
fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "-".into()
    } else {
        terminal_safe(text).into_owned()
    }
}

/// The step tree: one row per step, depth-first, each path indented by its depth.
pub fn print_step_tree(printer: &Printer, steps: &[StepSummary]) -> anyhow::Result<()> {
    let mut table = table(
        printer,
        &["PATH", "NAME", "PRIMITIVE", "STATUS", "DURATION"],
    );
    for (depth, step) in tree_order(steps) {
        table.add_row(vec![
            format!("{}{}", "  ".repeat(depth), terminal_safe(&step.step_path)),
            terminal_safe(&step.name).into_owned(),
            terminal_safe(&step.primitive).into_owned(),
            match step_status_sgr(step.status) {
                Some(sgr) => printer.paint_stdout(&step.status.to_string(), sgr),
                None => step.status.to_string(),
            },
            // A step that never ran has no duration (not "0ms").
            match step.status {
                StepStatus::Skipped | StepStatus::Pending => "-".to_string(),
                _ => duration_ms(step.duration_ms),
            },
        ]);
    }
    print_table(printer, &table)
}

/// A payload as far as we have it, for a step's detail.
pub struct PayloadView<'a> {
    /// Its first bytes (all of them, or the first [`PREVIEW_KEEP`]).
    pub head: &'a [u8],
    pub total: u64,
    /// Whether `total` bytes exist in all (false: the server truncated what it sent).
    pub whole: bool,
}

impl PayloadView<'_> {
    /// No payload at all.
    pub const NONE: PayloadView<'static> = PayloadView {
        head: &[],
        total: 0,
        whole: true,
    };

    /// A step's input and output as GetThreadResult carries them inline: the input whole, the
    /// output perhaps truncated, at the size the server announces.
    pub fn inline(step: &StepDetail) -> (PayloadView<'_>, PayloadView<'_>) {
        let input = PayloadView {
            head: &step.input_data,
            total: step.input_data.len() as u64,
            whole: true,
        };
        let output = PayloadView {
            head: &step.output_data,
            total: (step.output_total_bytes.max(0) as u64).max(step.output_data.len() as u64),
            whole: !step.output_truncated,
        };
        (input, output)
    }
}

/// One step in full for a table: its fields, diagnostics, worker stderr, and the start of its
/// input and output.
pub fn print_step_detail(
    printer: &Printer,
    step: &StepDetail,
    input: &PayloadView<'_>,
    output: &PayloadView<'_>,
) -> anyhow::Result<()> {
    let safe = |t: &str| terminal_safe(t).into_owned();
    let mut rows: Vec<(&str, String)> = vec![
        (
            "Step",
            format!("{} {}", safe(&step.step_path), safe(&step.name)),
        ),
        ("Primitive", or_dash(&step.primitive)),
        ("Tool", or_dash(&step.tool)),
        ("Status", step.status.to_string()),
        ("Started", local_time(step.started_at_ms)),
        ("Finished", local_time(step.finished_at_ms)),
        ("Duration", duration_ms(step.duration_ms)),
        ("Error", or_dash(&step.error)),
    ];
    let diagnostics = step.diagnostics.clone().unwrap_or_default();
    rows.push(("Execution id", or_dash(&diagnostics.execution_id)));
    rows.push(("Error detail", or_dash(&diagnostics.error_detail)));
    rows.push(("Logs", or_dash(&diagnostics.logs_url)));
    if !diagnostics.schema_warnings.is_empty() {
        rows.push((
            "Schema warnings",
            diagnostics
                .schema_warnings
                .iter()
                .map(|w| safe(w))
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    print_table(printer, &kv_table(rows))?;
    if !diagnostics.worker_stderr.is_empty() {
        printer.data_line("Worker stderr:")?;
        printer.data_line(&indent_lines(&diagnostics.worker_stderr, 40))?;
    }
    for (label, payload) in [("Input", input), ("Output", output)] {
        printer.data_line(&format!("{label}: {}", payload_size(payload)))?;
        if !payload.head.is_empty() {
            printer.data_line(&payload_preview(payload.head))?;
        }
    }
    Ok(())
}

/// A payload's size, `none`, or `… in all (shown cut short)`.
fn payload_size(payload: &PayloadView<'_>) -> String {
    if payload.total == 0 && payload.head.is_empty() {
        return "none".into();
    }
    let head = payload.head.len();
    let cut = head > PREVIEW_BYTES || (head as u64) < payload.total || !payload.whole;
    if cut {
        format!("{} in all (shown cut short)", size(payload.total as i64))
    } else {
        size(payload.total as i64)
    }
}

/// The start of a payload for people: pretty JSON when it parses, control characters escaped,
/// at most a few lines, indented.
fn payload_preview(head: &[u8]) -> String {
    let text = serde_json::from_slice::<serde_json::Value>(head)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| {
            String::from_utf8_lossy(&head[..head.len().min(PREVIEW_BYTES)]).into_owned()
        });
    let text: String = text.chars().take(PREVIEW_BYTES).collect();
    indent_lines(&text, PREVIEW_LINES)
}

/// At most `most` lines of `text`, each indented, cut at [`LINE_CHARS`] and made terminal-safe.
fn indent_lines(text: &str, most: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(most)
        .map(|l| {
            let mut line: String = l.chars().take(LINE_CHARS).collect();
            if line.len() < l.len() {
                line.push('…');
            }
            format!("  {}", terminal_safe(&line))
        })
        .collect();
    if lines.len() > most {
        out.push(format!("  … ({} more lines)", lines.len() - most));
    }
    out.join("\n")
}
