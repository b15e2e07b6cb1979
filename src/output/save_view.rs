//! How a save looks on the terminal: [`SaveView`] draws what the save code reports through
//! [`SaveReporter`] (a byte bar for a large download, on a terminal only; warnings; notes; `-v`
//! detail), and [`print_saved_files`] lists what a save wrote, the same way for every command
//! that saves.

use std::cell::RefCell;

use indicatif::ProgressState;

use crate::save::atomic::FileEntry;
use crate::save::layout::{SaveDir, SUMMARY_FILE};
use crate::save::report::{SaveReporter, Stream, StreamEnd};

use super::{duration_ms, size, terminal_safe, Printer, Verbosity};

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

impl Drop for SaveView {
    /// A save dropped half-way (Ctrl-C): its bar goes before the closing lines are printed.
    fn drop(&mut self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }
}

impl SaveReporter for SaveView {
    fn on_stream_start(&self, stream: Stream, total: Option<u64>) {
        let big = total.is_some_and(|t| t >= BAR_AFTER_BYTES);
        if !(big && self.printer.progress_enabled()) {
            return;
        }
        // Drawn through `term`, so a `^C` or a resize leaves no stale copy; sizes and times as
        // every other line writes them.
        let bar = indicatif::ProgressBar::with_draw_target(total, super::term::stderr_target());
        let sized = |f: fn(&ProgressState) -> u64| {
            move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&size(f(state) as i64));
            }
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{spinner}} {} {{done}} of {{all}} · {{rate}}/s {{bar:30}} {{left}} left",
                stream.name()
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .with_key("done", sized(|s| s.pos()))
            .with_key("all", sized(|s| s.len().unwrap_or(0)))
            .with_key("rate", sized(|s| s.per_sec() as u64))
            .with_key(
                "left",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&duration_ms(state.eta().as_millis() as i64));
                },
            ),
        );
        *self.bar.borrow_mut() = Some(bar);
    }

    fn on_stream_progress(&self, _stream: Stream, delivered: u64) {
        if let Some(bar) = &*self.bar.borrow() {
            bar.set_position(delivered);
        }
    }

    /// The bar is cleared either way: an abandoned stream's error says where it stopped.
    fn on_stream_end(&self, _stream: Stream, _end: StreamEnd) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
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

/// What a save saved, for the heading of its files list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// A thread's result (`result --save`, `run --save`) or its step files (`steps --save`):
    /// "saved N files (size) to DIR:".
    Files,
    /// `thread artifacts --save`: "saved N of M artifacts (size) to DIR:".
    Artifacts { listed: usize },
}

/// How many files the list shows without `-v` (summary.json and the largest; summary.json lists
/// them all).
pub const FILES_SHOWN: usize = 8;

/// The files a save wrote into `dir`, on stderr, the same way for every command that saves:
/// summary.json first, then the largest files (name padded, size right-aligned), then how many
/// more there are. `-v` lists every file.
pub fn print_saved_files(printer: &Printer, dir: &SaveDir, files: &[FileEntry], listing: Listing) {
    let total: u64 = files.iter().map(|f| f.bytes).sum();
    let shown_dir = terminal_safe(&dir.shown().display().to_string()).into_owned();
    printer.status(&match listing {
        Listing::Files => format!(
            "saved {} ({}) to {shown_dir}:",
            count(files.len(), "file"),
            size(total as i64)
        ),
        Listing::Artifacts { listed } => format!(
            "saved {} of {} ({}) to {shown_dir}:",
            files.len(),
            count(listed, "artifact"),
            size(total as i64)
        ),
    });
    let mut order: Vec<&FileEntry> = files.iter().collect();
    order.sort_by_key(|f| listing_rank(f));
    // "… and 1 more" would take the line the file itself needs.
    let limit = if printer.verbosity() >= Verbosity::Verbose || order.len() <= FILES_SHOWN + 1 {
        order.len()
    } else {
        FILES_SHOWN
    };
    let shown = &order[..order.len().min(limit)];
    let width = shown
        .iter()
        .map(|f| f.path.chars().count())
        .max()
        .unwrap_or(0);
    for file in shown {
        printer.status(&format!(
            "  {:width$}  {:>10}",
            terminal_safe(&file.path),
            size(file.bytes as i64)
        ));
    }
    if order.len() > shown.len() {
        let listed = if files.iter().any(|f| f.path == SUMMARY_FILE) {
            "summary.json lists them all, -v shows them here"
        } else {
            "-v shows them all"
        };
        printer.status(&format!(
            "  … and {} more ({listed})",
            order.len() - shown.len()
        ));
    }
}

/// Files of at least this size are listed by size, the largest first; smaller ones follow in
/// the layout's order (they differ by a few bytes, which would only shuffle them).
const LARGE_FILE: u64 = 1024;

/// summary.json first, then the large files, the largest first, then the rest by name.
fn listing_rank(file: &FileEntry) -> (u8, std::cmp::Reverse<u64>, &str) {
    let (group, bytes) = if file.path == SUMMARY_FILE {
        (0, 0)
    } else if file.bytes >= LARGE_FILE {
        (1, file.bytes)
    } else {
        (2, 0)
    };
    (group, std::cmp::Reverse(bytes), &file.path)
}

/// `1 file`, `3 files`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
