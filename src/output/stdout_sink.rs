//! Downloaded bytes on stdout, through the printer: exact bytes when piped; on a terminal, made
//! safe by a [`TerminalStream`] (control and invisible characters other than newline and tab shown
//! as escapes) so server data cannot drive or disguise it, even when a character is split across
//! two chunks.

use crate::save::sink::ByteSink;

use super::sanitize::TerminalStream;
use super::Printer;

/// Stdout as a [`ByteSink`]; `bytes` counts what was handed to it.
pub struct StdoutSink {
    printer: Printer,
    terminal: bool,
    /// On a terminal: what is held back between chunks, so a character split across them is
    /// still judged whole.
    escaper: TerminalStream,
    pub bytes: u64,
    /// Keep going (dropping the bytes) once the reader has closed stdout, for when stdout is only
    /// an echo of a file being saved.
    tolerate_close: bool,
    closed: bool,
}

impl StdoutSink {
    pub fn new(printer: &Printer) -> Self {
        StdoutSink {
            terminal: printer.stdout_is_tty(),
            printer: printer.clone(),
            escaper: TerminalStream::default(),
            bytes: 0,
            tolerate_close: false,
            closed: false,
        }
    }

    /// A sink that stops echoing, quietly, when stdout is closed (`| head`), instead of failing.
    pub fn echo(printer: &Printer) -> Self {
        StdoutSink {
            tolerate_close: true,
            ..StdoutSink::new(printer)
        }
    }

    fn put(&mut self, data: &[u8]) -> anyhow::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.printer.data_bytes(data) {
            Err(err) if self.tolerate_close && err.is::<crate::error::ClosedPipe>() => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }

    /// Writes what was held back. Call at the end.
    pub fn finish(&mut self) -> anyhow::Result<()> {
        let rest = self.escaper.finish();
        if rest.is_empty() {
            return Ok(());
        }
        self.put(&rest)
    }
}

impl ByteSink for StdoutSink {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.bytes += data.len() as u64;
        if !self.terminal {
            return self.put(data);
        }
        let safe = self.escaper.push(data);
        self.put(&safe)
    }
}
