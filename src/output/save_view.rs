//! How a save looks on the terminal: [`SaveView`] draws what the save code reports through
//! [`SaveReporter`] (a byte bar for a large download, on a terminal only; warnings; notes; `-v`
//! detail), and
//! [`print_saved_files`] lists what a save wrote, for every command that saves.

use std::cell::RefCell;

use crate::save::atomic::FileEntry;
use crate::save::layout::SaveDir;
use crate::save::report::{SaveReporter, Stream, StreamEnd};

use super::{size, terminal_safe, Printer};

/// Downloads at least this large get a progress bar (when stderr is a terminal).
const BAR_AFTER_BYTES: u64 = 32 * 1024 * 1024;

/// The terminal side of a save or a download.
pub struct SaveView {
    printer: Printer,
    /// The byte bar of the stream being downloaded, if it has one.
    bar: RefCell<Option<indicatif::ProgressBar>>,
}

impl SaveView {
    pub fn new(printer: &Printer) -> Self {
        SaveView {
            printer: printer.clone(),
            bar: RefCell::new(None),
        }
    }
}

impl SaveReporter for SaveView {
    fn on_stream_start(&self, stream: Stream, total: Option<u64>) {
        let big = total.is_some_and(|t| t >= BAR_AFTER_BYTES);
        if !(big && self.printer.progress_enabled()) {
            return;
        }
        let bar = indicatif::ProgressBar::new(total.unwrap_or(0));
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{spinner}} {} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {{wide_bar}} {{eta}}",
                stream.name()
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        *self.bar.borrow_mut() = Some(bar);
    }

    fn on_stream_progress(&self, _stream: Stream, delivered: u64) {
        if let Some(bar) = &*self.bar.borrow() {
            bar.set_position(delivered);
        }
    }

    fn on_stream_end(&self, _stream: Stream, end: StreamEnd) {
        let Some(bar) = self.bar.borrow_mut().take() else {
            return;
        };
        match end {
            StreamEnd::Complete => bar.finish_and_clear(),
            // Left as it stood, where the download stopped.
            StreamEnd::Abandoned => drop(bar),
        }
    }

    fn on_retry(&self, _stream: Stream, breakage: &str) {
        self.printer
            .warn(&format!("{breakage}; retrying once from the start"));
    }

    fn on_warning(&self, message: &str) {
        self.printer.warn(message);
    }

    fn on_note(&self, message: &str) {
        self.printer.status(message);
    }

    fn on_detail(&self, message: &str) {
        self.printer.verbose(message);
    }
}

/// Whose listing of saved files: each command keeps the layout it has always had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// `thread result --save`: "saved N files (size) to DIR:", then names padded to the longest
    /// shown and sizes right-aligned, for the first [`RESULT_FILES_SHOWN`] files, then how many
    /// more.
    Result,
    /// `thread steps --detail --save`: the same heading, then `name  size` for every file.
    StepFiles,
    /// `thread artifacts --save`: "saved N of M artifacts (size) to DIR", then names in a column
    /// 32 wide and sizes right-aligned.
    Artifacts { listed: usize },
}

/// The most files `thread result --save` lists (summary.json lists them all).
pub const RESULT_FILES_SHOWN: usize = 25;

/// The files a save wrote into `dir`, on stderr.
pub fn print_saved_files(printer: &Printer, dir: &SaveDir, files: &[FileEntry], listing: Listing) {
    let total: u64 = files.iter().map(|f| f.bytes).sum();
    printer.status(&match listing {
        Listing::Result | Listing::StepFiles => format!(
            "saved {} files ({}) to {}:",
            files.len(),
            size(total as i64),
            terminal_safe(&dir.shown().display().to_string())
        ),
        Listing::Artifacts { listed } => format!(
            "saved {} of {listed} artifacts ({}) to {}",
            files.len(),
            size(total as i64),
            dir.shown().display()
        ),
    });
    match listing {
        Listing::Result => {
            let shown = &files[..files.len().min(RESULT_FILES_SHOWN)];
            let width = shown.iter().map(|f| f.path.len()).max().unwrap_or(0);
            for file in shown {
                printer.status(&format!(
                    "  {:width$}  {:>10}",
                    terminal_safe(&file.path),
                    size(file.bytes as i64)
                ));
            }
            if files.len() > shown.len() {
                printer.status(&format!(
                    "  … and {} more, listed in summary.json",
                    files.len() - shown.len()
                ));
            }
        }
        Listing::StepFiles => {
            for file in files {
                printer.status(&format!(
                    "  {}  {}",
                    terminal_safe(&file.path),
                    size(file.bytes as i64)
                ));
            }
        }
        Listing::Artifacts { .. } => {
            for file in files {
                printer.status(&format!(
                    "  {:<32} {:>10}",
                    terminal_safe(&file.path),
                    size(file.bytes as i64)
                ));
            }
        }
    }
}
