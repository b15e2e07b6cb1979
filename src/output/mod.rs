//! Everything that reaches the user: the printer (stdout for data, stderr for the rest), the
//! renderers for each `-o` format, and the sanitising and formatting helpers they share.
//!
//! One view per subject, so commands only choose what to show: [`thread`] (a thread, the step
//! tree, one step in full), [`list_writer`] (`thread list`), [`result`] (the result summary, a
//! small output), [`artifacts`], [`save_view`] (what a save reports, the files it wrote),
//! [`progress`] and [`step_display`] (following live); [`stdout_sink`] pours downloaded bytes
//! onto stdout, [`suggest`] composes every command line a hint suggests, and [`term`] is where
//! live displays draw.

pub mod artifacts;
mod format;
pub mod jq;
pub mod list_writer;
mod printer;
pub mod progress;
pub mod result;
mod sanitize;
pub mod save_view;
pub mod stdout_sink;
pub mod step_display;
pub mod suggest;
mod table;
pub mod term;
pub mod thread;

pub use format::{age, duration_ms, local_time, size};
pub use printer::{ColorChoice, Printer, Verbosity};
pub use sanitize::{shell_word, terminal_bytes, terminal_message, terminal_safe};
pub use table::{kv_table, print_table, table};

use serde::Serialize;

use crate::cli::OutputFormat;

/// Prints one document as JSON or YAML. Tables are drawn with [`table`] and [`kv_table`].
pub fn print_document<T: Serialize>(
    printer: &Printer,
    format: OutputFormat,
    value: &T,
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Yaml => printer.data(&serde_yaml::to_string(value)?),
        // A single document in jsonl is one compact line.
        OutputFormat::Jsonl => printer.data_line(&serde_json::to_string(value)?),
        OutputFormat::Json | OutputFormat::Table => {
            printer.data_line(&serde_json::to_string_pretty(value)?)
        }
    }
}
