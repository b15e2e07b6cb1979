//! Everything that reaches the user: the printer (stdout for data, stderr for the rest), the
//! renderers for each `-o` format, and the sanitising and formatting helpers they share.

mod format;
pub mod jq;
mod printer;
pub mod progress;
mod sanitize;
pub mod step_display;
pub mod suggest;

pub use format::{age, duration_ms, local_time, size};
pub use printer::{ColorChoice, Printer, Verbosity};
pub use sanitize::{shell_word, terminal_bytes, terminal_safe};

use serde::Serialize;

use crate::cli::OutputFormat;

/// Prints one document as JSON or YAML. Table rendering is each command's own business.
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

/// A table in the house style: no borders, bold header when colour is on, cells made safe for a
/// terminal.
pub fn table(printer: &Printer, header: &[&str]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    let header = header.iter().map(|h| {
        let cell = comfy_table::Cell::new(h);
        if printer.color_stdout() {
            cell.add_attribute(comfy_table::Attribute::Bold)
        } else {
            cell
        }
    });
    table.set_header(header);
    table
}

/// Prints a finished table, without comfy-table's one-space margin on the left and padding on
/// the right.
pub fn print_table(printer: &Printer, table: &comfy_table::Table) -> anyhow::Result<()> {
    let text = table
        .lines()
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    printer.data_line(&text)
}
