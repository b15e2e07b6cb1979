//! `thread list`'s output, written as the pages arrive: JSON lines and a JSON array go out thread
//! by thread (memory does not grow with `--all`); a table or YAML, which need every row, are
//! printed at the end.

use crate::cli::OutputFormat;
use crate::model::event::now_ms;
use crate::model::Thread;

use super::thread::{current_step_cell, status_cell};
use super::{age, duration_ms, print_table, table, terminal_safe, Printer};

/// Threads printed as they arrive: streamed out for json/jsonl, collected for a table or YAML.
pub struct ThreadListWriter<'a> {
    printer: &'a Printer,
    format: OutputFormat,
    collected: Vec<Thread>,
    count: usize,
}

impl<'a> ThreadListWriter<'a> {
    pub fn new(printer: &'a Printer, format: OutputFormat) -> Self {
        ThreadListWriter {
            printer,
            format,
            collected: Vec::new(),
            count: 0,
        }
    }

    pub fn push(&mut self, thread: Thread) -> anyhow::Result<()> {
        let printer = self.printer;
        match self.format {
            OutputFormat::Jsonl => printer.data_line(&serde_json::to_string(&thread)?)?,
            OutputFormat::Json => {
                // A JSON array written element by element, so memory does not grow with --all.
                let item = serde_json::to_string_pretty(&thread)?.replace('\n', "\n  ");
                let lead = if self.count == 0 { "[\n  " } else { ",\n  " };
                printer.data(&format!("{lead}{item}"))?;
            }
            OutputFormat::Table | OutputFormat::Yaml => self.collected.push(thread),
        }
        self.count += 1;
        Ok(())
    }

    /// Closes the JSON array, or prints what was collected.
    pub fn finish(self) -> anyhow::Result<()> {
        let printer = self.printer;
        match self.format {
            OutputFormat::Jsonl => Ok(()),
            OutputFormat::Json if self.count == 0 => printer.data_line("[]"),
            OutputFormat::Json => printer.data("\n]\n"),
            OutputFormat::Yaml => printer.data(&serde_yaml::to_string(&self.collected)?),
            OutputFormat::Table => {
                if self.collected.is_empty() {
                    printer.status("no threads found");
                    return Ok(());
                }
                let now = now_ms();
                let mut table = table(
                    printer,
                    &[
                        "ID", "SCRIPT", "VERSION", "STATUS", "CREATED", "DURATION", "STEP",
                    ],
                );
                for thread in &self.collected {
                    table.add_row(vec![
                        terminal_safe(&thread.thread_id).into_owned(),
                        terminal_safe(&thread.script_name).into_owned(),
                        thread.script_version.to_string(),
                        status_cell(printer, thread.status),
                        age(thread.created_at_ms, now),
                        thread.duration_ms(now).map_or("-".into(), duration_ms),
                        current_step_cell(thread),
                    ]);
                }
                print_table(printer, &table)
            }
        }
    }
}
