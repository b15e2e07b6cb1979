//! `thread artifacts`: the files a thread produced, as a table, JSON lines or a document.

use crate::cli::OutputFormat;
use crate::model::Artifact;

use super::{print_document, print_table, size, table, terminal_safe, Printer};

/// The artifacts a thread produced: a table, JSON lines, or one document.
pub fn print_artifacts(
    printer: &Printer,
    format: OutputFormat,
    artifacts: &[Artifact],
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Table => {
            if artifacts.is_empty() {
                printer.status("no artifacts");
                return Ok(());
            }
            let mut table = table(printer, &["NAME", "TYPE", "SIZE", "PATH"]);
            for a in artifacts {
                table.add_row(vec![
                    terminal_safe(&a.name).into_owned(),
                    terminal_safe(&a.content_type).into_owned(),
                    size(a.size_bytes),
                    terminal_safe(&a.path).into_owned(),
                ]);
            }
            print_table(printer, &table)
        }
        OutputFormat::Jsonl => {
            for a in artifacts {
                printer.data_line(&serde_json::to_string(a)?)?;
            }
            Ok(())
        }
        format => print_document(printer, format, &artifacts),
    }
}
