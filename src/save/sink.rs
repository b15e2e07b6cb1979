//! Where downloaded bytes go: a file being written aside, stdout, memory (bounded), a preview.

use bytes::Bytes;

use crate::error::{CliError, ExitStatus};
use crate::output::{terminal_bytes, Printer};

use super::atomic::AtomicFile;

/// Takes bytes in order. Implementations must not hold more than they say they do.
pub trait ByteSink {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()>;

    /// The same, for bytes already owned (a received chunk): a sink that hands them to another
    /// thread takes them without a copy.
    fn write_bytes(&mut self, data: Bytes) -> anyhow::Result<()> {
        self.write(&data)
    }
}

impl ByteSink for AtomicFile {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        AtomicFile::write(self, data)
    }

    fn write_bytes(&mut self, data: Bytes) -> anyhow::Result<()> {
        AtomicFile::write_bytes(self, data)
    }
}

/// Writes to stdout through the printer: exact bytes when piped; on a terminal, through
/// [`terminal_bytes`] (control characters other than newline and tab shown as escapes) so server
/// data cannot drive it.
pub struct StdoutSink {
    printer: Printer,
    terminal: bool,
    /// A trailing 0xC2 byte held back, so a C1 control split across chunks is still caught.
    carry: Option<u8>,
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
            carry: None,
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
        match self.carry.take() {
            Some(byte) => self.put(&[byte]),
            None => Ok(()),
        }
    }
}

impl ByteSink for StdoutSink {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.bytes += data.len() as u64;
        if !self.terminal {
            return self.put(data);
        }
        let mut input = Vec::with_capacity(data.len() + 1);
        input.extend(self.carry.take());
        input.extend_from_slice(data);
        if input.last() == Some(&0xC2) {
            self.carry = input.pop();
        }
        self.put(&terminal_bytes(&input))
    }
}

/// Collects bytes in memory up to a limit; past it, the command is told to use `--save`.
pub struct MemorySink {
    pub data: Vec<u8>,
    limit: usize,
    what: String,
}

impl MemorySink {
    pub fn new(what: impl Into<String>, limit: usize) -> Self {
        MemorySink {
            data: Vec::new(),
            limit,
            what: what.into(),
        }
    }
}

impl ByteSink for MemorySink {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        if self.data.len() + data.len() > self.limit {
            return Err(too_large(&self.what, self.limit as u64).into());
        }
        self.data.extend_from_slice(data);
        Ok(())
    }
}

/// The refusal to hold a payload in memory.
pub fn too_large(what: &str, limit: u64) -> CliError {
    CliError::usage(format!(
        "{what} is larger than {} and cannot be embedded in a JSON/YAML document",
        crate::output::size(limit as i64)
    ))
    .with_hint("save it to files with --save DIR, or print the raw bytes with -o table")
}

/// Keeps the first `keep` bytes for display and counts the rest.
pub struct PreviewSink {
    pub head: Vec<u8>,
    keep: usize,
    pub bytes: u64,
}

impl PreviewSink {
    pub fn new(keep: usize) -> Self {
        PreviewSink {
            head: Vec::new(),
            keep,
            bytes: 0,
        }
    }
}

impl ByteSink for PreviewSink {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        let room = self.keep.saturating_sub(self.head.len());
        self.head.extend_from_slice(&data[..room.min(data.len())]);
        self.bytes += data.len() as u64;
        Ok(())
    }
}

/// Two sinks fed the same bytes (a file and stdout).
pub struct Tee<'a, A: ?Sized, B: ?Sized>(pub &'a mut A, pub &'a mut B);

impl<A: ByteSink + ?Sized, B: ByteSink + ?Sized> ByteSink for Tee<'_, A, B> {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.0.write(data)?;
        self.1.write(data)
    }

    fn write_bytes(&mut self, data: Bytes) -> anyhow::Result<()> {
        self.0.write_bytes(data.clone())?;
        self.1.write_bytes(data)
    }
}

/// Discards bytes (the download is validated and hashed all the same).
pub struct NullSink;

impl ByteSink for NullSink {
    fn write(&mut self, _data: &[u8]) -> anyhow::Result<()> {
        Ok(())
    }
}

/// The error a download breach becomes when it ends the command.
pub fn incomplete(message: impl Into<String>) -> CliError {
    CliError::new(ExitStatus::DownloadIncomplete, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_and_preview_bounds() {
        let mut m = MemorySink::new("output", 4);
        m.write(b"abc").unwrap();
        assert!(m.write(b"de").is_err());
        let mut p = PreviewSink::new(3);
        p.write(b"ab").unwrap();
        p.write(b"cdef").unwrap();
        assert_eq!((p.head.as_slice(), p.bytes), (&b"abc"[..], 6));
    }
}
