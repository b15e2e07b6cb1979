//! `dodil scriptum verify DIR`: is a saved result still exactly what was saved?

use crate::cli::{OutputFormat, VerifyArgs};
use crate::error::{CliError, ExitStatus};
use crate::output::{print_document, size, terminal_safe, Printer};
use crate::save::verify::{verify, FileState};

pub fn run(
    printer: &Printer,
    output: OutputFormat,
    args: &VerifyArgs,
) -> anyhow::Result<ExitStatus> {
    let report = verify(&args.dir)?;
    let dir = terminal_safe(&args.dir.to_string_lossy()).into_owned();
    if output != OutputFormat::Table {
        print_document(printer, output, &report)?;
    } else {
        for file in report.problem_files() {
            let what = match file.state {
                FileState::Missing => "missing",
                FileState::Changed => "changed",
                FileState::Extra => "extra  ",
                FileState::Unsafe => "unsafe ",
                FileState::Ok => continue,
            };
            printer.data_line(&format!("{what}  {}", terminal_safe(&file.path)))?;
        }
    }
    if report.ok {
        printer.status(&format!(
            "{} {dir}: all {} files match summary.json ({})",
            printer.paint_stderr("✔", "32;1"),
            report.listed,
            size(report.listed_bytes as i64)
        ));
        return Ok(ExitStatus::Success);
    }
    let counts: Vec<String> = [
        (FileState::Missing, "missing"),
        (FileState::Changed, "changed"),
        (FileState::Extra, "not listed"),
        (FileState::Unsafe, "outside the directory"),
    ]
    .iter()
    .filter_map(|(state, word)| {
        let n = report.problem_files().filter(|f| f.state == *state).count();
        (n > 0).then(|| format!("{n} {word}"))
    })
    .collect();
    Err(CliError::new(
        ExitStatus::DownloadIncomplete,
        format!(
            "{dir} does not match its summary.json: {}",
            counts.join(", ")
        ),
    )
    .with_hint(
        "the directory changed after it was saved: save the result again, or restore the directory from where it was kept",
    )
    .into())
}
