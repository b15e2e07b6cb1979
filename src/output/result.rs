//! How a thread's result looks on a terminal: the one-line summary on stderr (status, duration,
//! steps, output size, yields, and for a failed thread the step to look at), and a small output
//! already in memory printed on stdout (pretty JSON on a terminal, the exact bytes otherwise).

use crate::model::{StepStatus, ThreadResult, ThreadStatus};
use crate::save::sink::ByteSink;

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
        parts.push(plural(result.steps_executed.into(), "step"));
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
pub fn print_failed_step(printer: &Printer, thread_id: &str, step_path: &str, name: &str) {
    printer.status(&format!(
        "failed step: {} {}",
        terminal_safe(step_path),
        terminal_safe(name)
    ));
    printer.hint(&suggest::step(thread_id, step_path).to_string());
}

/// Output already in memory: pretty JSON on a terminal (control characters escaped), the exact
/// bytes otherwise.
pub fn print_output_bytes(printer: &Printer, data: &[u8]) -> anyhow::Result<()> {
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
