//! StreamThreadResult, read into one sink: every message through the [`OutputAssembler`], every
//! accepted byte to the sink at once (nothing is collected), sha256 computed on the way. On a
//! second attempt the bytes the first one delivered are not delivered again: they are skipped
//! after checking that the new stream repeats them exactly (by digest), so even stdout can take
//! a retry.

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::client::{CallError, Client, OutputStream};
use crate::model::OutputMessage;

use super::assemble::OutputAssembler;
use super::atomic::hex;
use super::digest::StreamHasher;
use super::download::DownloadError;
use super::report::Stream;
use super::retry::StreamReader;
use super::sink::ByteSink;

/// A thread output, delivered whole.
#[derive(Clone, Debug)]
pub struct OutputDownload {
    pub sha256: String,
    /// 2 when the first attempt broke and the second completed.
    pub attempts: u32,
}

/// The thread output's download into `sink`.
pub(super) struct OutputReader<'a> {
    client: &'a Client,
    thread_id: &'a str,
    chunk_bytes: i32,
    /// GetThreadResult's `output_total_bytes`, or after a break the size the stream announced.
    expected_total: Option<u64>,
    sink: &'a mut dyn ByteSink,
    assembler: OutputAssembler,
    /// Bytes handed to the sink, over all attempts, and their running hash.
    delivered: u64,
    hasher: StreamHasher,
    /// On a second attempt: the bytes of the new stream that the first one delivered.
    replay: Replay,
}

impl<'a> OutputReader<'a> {
    pub(super) fn new(
        client: &'a Client,
        thread_id: &'a str,
        chunk_bytes: i32,
        expected_total: Option<u64>,
        sink: &'a mut dyn ByteSink,
    ) -> Self {
        OutputReader {
            client,
            thread_id,
            chunk_bytes,
            expected_total,
            sink,
            assembler: OutputAssembler::new(expected_total),
            delivered: 0,
            hasher: StreamHasher::new(),
            replay: Replay::new(0, Sha256::new()),
        }
    }
}

impl StreamReader for OutputReader<'_> {
    type Messages = OutputStream;
    type Done = OutputDownload;
    const STREAM: Stream = Stream::Output;

    fn expected_total(&self) -> Option<u64> {
        self.expected_total
    }

    fn begin_attempt(&mut self) {
        // Every size of the new stream must agree with what the broken one announced.
        self.expected_total = self.expected_total.or(self.assembler.total());
        self.assembler = OutputAssembler::new(self.expected_total);
        self.replay = Replay::new(self.delivered, self.hasher.snapshot());
    }

    async fn open(&mut self) -> Result<OutputStream, CallError> {
        self.client
            .stream_thread_result(self.thread_id, Some(self.chunk_bytes))
            .await
    }

    fn accept(&mut self, message: OutputMessage) -> Result<Option<u64>, DownloadError> {
        let Some(data) = self.assembler.accept(message)? else {
            return Ok(None);
        };
        let data = self.replay.pass(data)?;
        if data.is_empty() {
            return Ok(None);
        }
        // Both hand large data to threads of their own: receiving, hashing and writing overlap.
        self.hasher.update(&data);
        self.delivered += data.len() as u64;
        self.sink.write_bytes(data).map_err(DownloadError::Fatal)?;
        Ok(Some(self.delivered))
    }

    fn end(&mut self) -> Result<(), DownloadError> {
        self.assembler.finish()?;
        Ok(())
    }

    fn done(self, attempts: u32) -> OutputDownload {
        OutputDownload {
            sha256: hex(&self.hasher.finish()),
            attempts,
        }
    }

    fn breakage(&self, _messages: u64, err: &CallError) -> String {
        format!(
            "thread output: the stream broke after {} of {} bytes: {}",
            self.assembler.received(),
            self.assembler
                .total()
                .map_or("?".to_string(), |t| t.to_string()),
            err.status_text()
        )
    }
}

/// On a second attempt, the bytes the first one already delivered: they are not delivered again,
/// only hashed and compared, so a sink (stdout) never sees a byte twice.
struct Replay {
    already: u64,
    digest: sha2::digest::Output<Sha256>,
    seen: Sha256,
    replayed: u64,
}

impl Replay {
    /// `delivered` bytes, whose running hash is `hasher`, went out before this attempt.
    fn new(delivered: u64, hasher: Sha256) -> Replay {
        Replay {
            already: delivered,
            digest: hasher.finalize(),
            seen: Sha256::new(),
            replayed: 0,
        }
    }

    /// The part of `data` that is new; an error when the repeated part differs.
    fn pass(&mut self, data: Bytes) -> Result<Bytes, DownloadError> {
        if self.replayed >= self.already {
            return Ok(data);
        }
        let n = ((self.already - self.replayed) as usize).min(data.len());
        self.seen.update(&data[..n]);
        self.replayed += n as u64;
        if self.replayed == self.already && self.seen.clone().finalize() != self.digest {
            return Err(DownloadError::Incomplete(
                "thread output: after a retry the stream repeated different bytes than the first attempt".into(),
            ));
        }
        Ok(data.slice(n..))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashed(data: &[u8]) -> Sha256 {
        let mut h = Sha256::new();
        h.update(data);
        h
    }

    #[test]
    fn replay_skips_what_was_delivered_and_checks_it() {
        // First attempt delivered "abcd"; the retry sends "ab", "cdef", "gh".
        let b = Bytes::from_static;
        let mut replay = Replay::new(4, hashed(b"abcd"));
        assert_eq!(replay.pass(b(b"ab")).unwrap(), b(b""));
        assert_eq!(replay.pass(b(b"cdef")).unwrap(), b(b"ef"));
        assert_eq!(replay.pass(b(b"gh")).unwrap(), b(b"gh"));

        let mut replay = Replay::new(4, hashed(b"abcd"));
        assert!(replay.pass(b(b"abXdef")).is_err());

        // Nothing delivered before: everything passes.
        let mut replay = Replay::new(0, Sha256::new());
        assert_eq!(replay.pass(b(b"xyz")).unwrap(), b(b"xyz"));
    }
}
