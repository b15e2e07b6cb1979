//! What `thread watch --step` shows: plain timestamped lines on stderr (events of one step are few
//! and far between, so no spinner), or one JSON object per event on stdout with `-o jsonl`.

use crate::cli::OutputFormat;
use crate::follow::step::{step_watch_hint, StepObserver, StepOutcome};
use crate::follow::End;
use crate::model::step_event::{StepEvent, StepEventKind};
use crate::model::StepStatus;
use crate::output::progress::clock;
use crate::output::{duration_ms, print_document, size, suggest, terminal_safe, Printer};

/// Above this a step's output is better streamed to disk than shown.
const LARGE_OUTPUT: i64 = 4 * 1024 * 1024;
/// How much of a sample a line shows.
const PREVIEW_CHARS: usize = 160;

pub struct StepDisplay<'a> {
    printer: &'a Printer,
    output: OutputFormat,
    thread_id: String,
    step_path: String,
    /// From the `done` event: decides whether to suggest streaming the output to disk.
    output_bytes: Option<i64>,
}

impl<'a> StepDisplay<'a> {
    pub fn new(
        printer: &'a Printer,
        output: OutputFormat,
        thread_id: &str,
        step_path: &str,
    ) -> Self {
        StepDisplay {
            printer,
            output,
            thread_id: thread_id.to_string(),
            step_path: step_path.to_string(),
            output_bytes: None,
        }
    }

    fn line(&self, timestamp_ms: i64, text: &str) {
        self.printer
            .status(&format!("{} {text}", clock(timestamp_ms)));
    }

    fn event_lines(&self, event: &StepEvent) -> Vec<String> {
        let path = terminal_safe(&self.step_path);
        match &event.kind {
            StepEventKind::Snapshot(s) => {
                let mut label = format!("step {path}");
                if !s.name.is_empty() {
                    label = format!("{label} {}", terminal_safe(&s.name));
                }
                if !s.primitive.is_empty() {
                    label = format!("{label} ({})", terminal_safe(&s.primitive));
                }
                let mut lines = vec![if s.started_at_ms > 0 {
                    format!("{label}: {}, started {}", s.status, clock(s.started_at_ms))
                } else {
                    format!("{label}: {}", s.status)
                }];
                for (what, sample) in [("input", &s.sample_input), ("output", &s.sample_output)] {
                    if !sample.is_empty() {
                        lines.push(format!("  {what} (first bytes): {}", preview(sample)));
                    }
                }
                lines
            }
            StepEventKind::Decision(d) => {
                let mut text = format!(
                    "decision ({}): chose {}",
                    terminal_safe(&d.strategy),
                    terminal_safe(&d.chosen_branch)
                );
                if !d.reasoning.is_empty() {
                    text = format!("{text} — {}", terminal_safe(&d.reasoning));
                }
                vec![text]
            }
            StepEventKind::Done(d) => vec![format!(
                "{} step {path} done in {}, output {}",
                self.printer.paint_stderr("✔", "32"),
                duration_ms(d.duration_ms),
                size(d.output_bytes)
            )],
            StepEventKind::Failed(f) => vec![format!(
                "{} step {path} failed: {}",
                self.printer.paint_stderr("✘", "31"),
                terminal_safe(&f.error)
            )],
            StepEventKind::Unknown => {
                vec!["an event this client does not know (newer server?)".into()]
            }
        }
    }

    /// The closing lines, and for `-o json|yaml` the step's end as one document.
    pub fn finish(&self, outcome: &StepOutcome) -> anyhow::Result<()> {
        let path = terminal_safe(&self.step_path);
        match outcome.end {
            End::Interrupted => {
                self.printer
                    .status("stopped following; the thread goes on running");
                self.printer
                    .hint(&step_watch_hint(&self.thread_id, &self.step_path));
                return Ok(());
            }
            End::Paused => {
                self.printer.status(&format!(
                    "step {path} is paused: the thread waits for `{}`",
                    suggest::resume(&self.thread_id)
                ));
                self.printer.hint(&suggest::resume_hint(&self.thread_id));
            }
            End::Terminal => {
                if outcome.status == StepStatus::Failed {
                    self.printer.hint(&format!(
                        "its detail and diagnostics: {}",
                        suggest::step(&self.thread_id, &self.step_path)
                    ));
                }
                if self.output_bytes.is_some_and(|b| b > LARGE_OUTPUT) {
                    self.printer.hint(&format!(
                        "the output is large; stream it to disk with: {}",
                        suggest::step_save(&self.thread_id, &self.step_path)
                    ));
                }
            }
        }
        match self.output {
            OutputFormat::Json | OutputFormat::Yaml => print_document(
                self.printer,
                self.output,
                &serde_json::json!({
                    "threadId": self.thread_id,
                    "stepPath": self.step_path,
                    "status": outcome.status,
                }),
            ),
            OutputFormat::Table | OutputFormat::Jsonl => Ok(()),
        }
    }
}

impl StepObserver for StepDisplay<'_> {
    fn event(&mut self, event: &StepEvent) -> anyhow::Result<()> {
        if let StepEventKind::Done(done) = &event.kind {
            self.output_bytes = Some(done.output_bytes);
        }
        if self.output == OutputFormat::Jsonl {
            return self.printer.data_line(&serde_json::to_string(event)?);
        }
        for line in self.event_lines(event) {
            self.line(event.timestamp_ms, &line);
        }
        Ok(())
    }

    fn notice(&mut self, message: &str) {
        // A notice may quote the server (a broken stream's status message).
        let message = super::terminal_message(message);
        self.printer.status(&format!(
            "{} {}",
            clock(0),
            self.printer.paint_stderr(&message, "2")
        ));
    }
}

/// A sample as one safe line: compact JSON when it parses, cut to a preview.
fn preview(bytes: &[u8]) -> String {
    let text = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => value.to_string(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    };
    let safe = terminal_safe(&text).into_owned();
    if safe.chars().count() > PREVIEW_CHARS {
        let cut: String = safe.chars().take(PREVIEW_CHARS).collect();
        format!("{cut}…")
    } else {
        safe
    }
}
