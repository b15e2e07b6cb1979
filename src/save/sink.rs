//! Where downloaded bytes go: the [`ByteSink`] trait, and its file, memory (bounded), preview and
//! tee sinks. (Stdout is `output::stdout_sink::StdoutSink`: the terminal is the CLI's business.)

use bytes::Bytes;

use crate::error::{CliError, ExitStatus};

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
