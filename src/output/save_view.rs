//! How a save looks on the terminal: [`SaveView`] draws what the save code reports through
//! [`SaveReporter`] (a byte bar for a large download, on a terminal only; warnings; notes).

use std::cell::RefCell;

use crate::save::report::{SaveReporter, Stream, StreamEnd};

use super::Printer;

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
}
