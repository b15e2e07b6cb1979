//! How a thread's result looks on a terminal: the one-line summary on stderr (status, duration,
//! steps, output size, yields, and for a failed thread the step to look at), and a small output
//! already in memory printed on stdout (pretty JSON on a terminal, the exact bytes otherwise).

use crate::model::{StepStatus, ThreadResult, ThreadStatus};
use crate::save::sink::ByteSink;

use super::progress::StepCounts;
use super::stdout_sink::StdoutSink;

use super::thread::status_sgr;
use super::{duration_ms, size, suggest, terminal_bytes, terminal_safe, Printer};

/// The most output pretty-printed on a terminal; larger output is shown as it comes.
const PRETTY_LIMIT: usize = 8 * 1024 * 1024;

/// How much the summary line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryScope {
    /// Everything: the thread's status, duration and steps, then its result.
    Whole,
    /// A follow has just reported how the thread ended (status, duration, failed step): only
    /// what it did not say, as `result: …`.
    AfterFollow,
}

/// One line on stderr: status, duration, steps, output size, yields; and for a failed thread the
/// error and where to look.
pub fn print_result_summary(printer: &Printer, result: &ThreadResult, scope: SummaryScope) {
    let mut parts = Vec::new();
    if scope == SummaryScope::Whole {
        let status = match status_sgr(result.status) {
            Some(sgr) => printer.paint_stderr(&result.status.to_string(), sgr),
            None => result.status.to_string(),
        };
        parts.push(format!(
            "thread {} {status} in {}",
            terminal_safe(&result.thread_id),
            duration_ms(result.duration_ms)
        ));
        // Counted as a follow's closing line counts them, from the summaries when there are
        // any (the server's steps_executed counts the completed ones only).
        parts.push(if result.steps.is_empty() {
            format!("{} run", plural(result.steps_executed.into(), "step"))
        } else {
            StepCounts::of(&result.steps).to_string()
        });
    }
    parts.push(if result.output_total_bytes > 0 {
        format!("output {}", size(result.output_total_bytes))
    } else {
        "no output".to_string()
    });
    parts.push(plural(
        crate::save::yield_count(result, result.yielded_values.len()),
        "yield",
    ));
    let line = parts.join(" · ");
    if scope == SummaryScope::AfterFollow {
        printer.status(&format!("result: {line}"));
        return;
    }
    printer.status(&line);
    if result.status == ThreadStatus::Failed {
        let failed = result
            .steps
            .iter()
            .rev()
            .find(|s| s.status == StepStatus::Failed);
        if let Some(step) = failed {
            print_failed_step(printer, &result.thread_id, &step.step_path, &step.name);
        }
    }
}

/// The failed step of a failed thread, and the command that shows it.
fn print_failed_step(printer: &Printer, thread_id: &str, step_path: &str, name: &str) {
    printer.status(&format!(
        "failed step: {} {}",
        terminal_safe(step_path),
        terminal_safe(name)
    ));
    printer.hint(&format!(
        "what failed, in detail: {}",
        suggest::step(thread_id, step_path)
    ));
}

/// On a terminal, an output larger than this (a screenful or two) is not poured out: a preview
/// is shown, then what was left out and how to get it ([`print_output_preview`]).
pub const FLOOD_LIMIT: u64 = 64 * 1024;
/// A preview's rows at most, and the characters of each at most (fewer on a narrow terminal).
const PREVIEW_ROWS: usize = 20;
const PREVIEW_ROW_CHARS: usize = 200;

/// Whether an output of `total` bytes goes to stdout whole: always when piped or redirected (the
/// exact bytes), on a terminal only up to [`FLOOD_LIMIT`].
pub fn printed_whole(printer: &Printer, total: u64) -> bool {
    !printer.stdout_is_tty() || total <= FLOOD_LIMIT
}

/// The start of an output too large for a terminal: its first rows (pretty JSON when `head` is
/// the whole document; a long line folded at the terminal's width), the last one ending in `…`,
/// then on stderr what was left out and how to get it all. `head` is what GetThreadResult
/// carried (the start of the output, or nothing).
pub fn print_output_preview(
    printer: &Printer,
    thread_id: &str,
    head: &[u8],
    total: u64,
) -> anyhow::Result<()> {
    let whole = head.len() as u64 == total;
    let pretty = whole
        .then(|| serde_json::from_slice::<serde_json::Value>(head).ok())
        .flatten()
        .and_then(|value| serde_json::to_string_pretty(&value).ok());
    let budget = PREVIEW_ROWS * PREVIEW_ROW_CHARS * 4;
    let text = match &pretty {
        Some(text) => text.as_str().into(),
        // The bytes as they are (a cut may fall inside a character: shown as U+FFFD).
        None => String::from_utf8_lossy(&head[..head.len().min(budget)]),
    };
    let width = PREVIEW_ROW_CHARS.min(super::term::stdout_width().saturating_sub(1).max(20));
    let rows = preview_rows(&text, width, PREVIEW_ROWS);
    for row in &rows {
        printer.data_line(&String::from_utf8_lossy(&terminal_bytes(row.as_bytes())))?;
    }
    let shown = if rows.is_empty() {
        "it is not shown here"
    } else {
        "only its start is shown above"
    };
    printer.status(&format!(
        "the output is {}: {shown} (a terminal is given at most {})",
        size(total as i64),
        size(FLOOD_LIMIT as i64)
    ));
    printer.hint(&format!(
        "all of it: {} (or --save DIR)",
        suggest::result_to_file(thread_id)
    ));
    Ok(())
}

/// At most `limit` rows of `text`, each at most `width` characters (longer lines folded), the
/// last ending in `…` when there is more.
fn preview_rows(text: &str, width: usize, limit: usize) -> Vec<String> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut pieces = chars
            .chunks(width.max(1))
            .map(|c| c.iter().collect::<String>());
        let first = pieces.next().unwrap_or_default();
        for piece in std::iter::once(first).chain(pieces) {
            if rows.len() == limit {
                if let Some(last) = rows.last_mut() {
                    let last: &mut String = last;
                    if last.chars().count() >= width {
                        last.pop();
                    }
                    last.push('…');
                }
                return rows;
            }
            rows.push(piece);
        }
    }
    rows
}

/// Output already in memory: pretty JSON on a terminal (control characters escaped), the exact
/// bytes otherwise. On a terminal an output over [`FLOOD_LIMIT`] is previewed instead.
pub fn print_output_bytes(printer: &Printer, thread_id: &str, data: &[u8]) -> anyhow::Result<()> {
    if !printed_whole(printer, data.len() as u64) {
        return print_output_preview(printer, thread_id, data, data.len() as u64);
    }
    if data.is_empty() {
        return Ok(());
    }
    if !printer.stdout_is_tty() {
        return printer.data_bytes(data);
    }
    let pretty = (data.len() <= PRETTY_LIMIT)
        .then(|| serde_json::from_slice::<serde_json::Value>(data).ok())
        .flatten()
        .and_then(|value| serde_json::to_string_pretty(&value).ok());
    match pretty {
        Some(text) => printer.data_line(&String::from_utf8_lossy(&terminal_bytes(text.as_bytes()))),
        None => {
            let mut sink = StdoutSink::new(printer);
            sink.write(data)?;
            sink.finish()?;
            if !data.ends_with(b"\n") {
                printer.data_bytes(b"\n")?;
            }
            Ok(())
        }
    }
}

/// `1 step`, `3 steps`.
fn plural(n: i64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_folds_long_lines_and_stops_at_its_rows() {
        let rows = preview_rows(&"x".repeat(25), 10, 5);
        assert_eq!(rows, ["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
        let rows = preview_rows(&"abcdefghij\n".repeat(10), 4, 3);
        assert_eq!(rows, ["abcd", "efgh", "ij…"]);
        assert!(preview_rows("", 10, 3).is_empty());
    }
}
