//! Tables in the house style (comfy-table, no borders): [`table`] for rows under a header,
//! [`kv_table`] for one record as `Key:  value` lines, and [`print_table`] to print either
//! without comfy-table's margins. Cells are the caller's to make terminal-safe.

use super::Printer;

/// A table in the house style: no borders; the header is made bold by [`print_table`], after
/// layout.
pub fn table(_printer: &Printer, header: &[&str]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    // comfy-table styles nothing itself (its bold header would take the cell padding into the
    // escape codes, and a leading space with it); cells the caller painted are measured without
    // their colour codes (the custom_styling feature), so columns stay aligned.
    table.force_no_tty();
    table.set_header(header.iter().map(comfy_table::Cell::new));
    table
}

/// Prints a finished table, without comfy-table's one-space margin on the left and padding on
/// the right; the header line bold when colour is on.
pub fn print_table(printer: &Printer, table: &comfy_table::Table) -> anyhow::Result<()> {
    let has_header = table.header().is_some();
    let text = table
        .lines()
        .enumerate()
        .map(|(n, line)| {
            let line = line
                .strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_string();
            if n == 0 && has_header {
                printer.paint_stdout(&line, "1")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    printer.data_line(&text)
}

/// One record as `Key:` / value rows (`thread get`, a step's detail).
pub fn kv_table<'a>(rows: impl IntoIterator<Item = (&'a str, String)>) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    for (key, value) in rows {
        table.add_row(vec![format!("{key}:"), value]);
    }
    table
}
