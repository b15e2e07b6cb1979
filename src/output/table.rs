//! Tables in the house style (comfy-table, no borders): [`table`] for rows under a header,
//! [`kv_table`] for one record as `Key:  value` lines, and [`print_table`] to print either
//! without comfy-table's margins. Cells are the caller's to make terminal-safe.

use super::Printer;

/// A table in the house style: no borders, bold header when colour is on.
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

/// One record as `Key:` / value rows (`thread get`, a step's detail).
pub fn kv_table<'a>(rows: impl IntoIterator<Item = (&'a str, String)>) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    for (key, value) in rows {
        table.add_row(vec![format!("{key}:"), value]);
    }
    table
}
