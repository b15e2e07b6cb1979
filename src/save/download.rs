//! Driving the result streams: every message through the assembler, every accepted byte to its
//! sink at once (nothing is collected), sha256 computed on the way. A stream that breaks mid-way
//! is opened once more from the start; bytes already delivered are then skipped, after checking
//! that the new stream repeats them exactly (by digest), so even stdout can take a retry.

use std::collections::BTreeMap;

use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::digest::StreamHasher;

use crate::client::{CallError, Client};
use crate::model::{StepDetail, StepSummary};

use super::assemble::{ChunkError, Field, OutputAssembler, StepAction, StepAssembler};
use super::atomic::hex;
use super::report::{SaveReporter, Stream, StreamEnd};
use super::sink::ByteSink;

/// The result streams of one client, and where to report on them.
#[derive(Clone, Copy)]
pub struct Downloader<'a> {
    pub client: &'a Client,
    pub reporter: &'a dyn SaveReporter,
}

/// Bytes per chunk we ask for (the server clamps to 64 KiB..16 MiB). Measured on loopback, 512 KiB
/// beat 8 MiB by 2-3x: a chunk that fits in the CPU caches is encoded, copied and hashed while
/// still hot on both sides, and each message needs no fresh multi-MiB allocation. Per-message
/// overhead is a few bytes, and memory in flight stays small.
pub const CHUNK_BYTES: i32 = 512 * 1024;

/// The chunk size to ask for: [`CHUNK_BYTES`], or `DODIL_RESULT_CHUNK_BYTES` (a tuning and test
/// knob; the server clamps it to its own limits).
pub fn chunk_bytes() -> i32 {
    std::env::var("DODIL_RESULT_CHUNK_BYTES")
        .ok()
        .and_then(|v| v.trim().parse::<i32>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(CHUNK_BYTES)
}

/// Why a payload could not be had.
#[derive(Debug)]
pub enum DownloadError {
    /// The stream broke the rules or broke off: the payload is incomplete (exit 7).
    Incomplete(String),
    /// The call was refused or the server unreachable before any data: exit as for any call.
    Call(CallError),
    /// A local failure (disk full, stdout closed, too large for memory): ends the command.
    Fatal(anyhow::Error),
}

impl From<ChunkError> for DownloadError {
    fn from(err: ChunkError) -> Self {
        DownloadError::Incomplete(err.0)
    }
}

impl DownloadError {
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            DownloadError::Incomplete(message) => super::sink::incomplete(message).into(),
            DownloadError::Call(err) => err.into(),
            DownloadError::Fatal(err) => err,
        }
    }
}

/// A thread output, delivered whole.
#[derive(Clone, Debug)]
pub struct OutputDownload {
    pub bytes: u64,
    pub sha256: String,
    pub chunks: i32,
    pub attempts: u32,
}

impl Downloader<'_> {
    /// Streams the thread output into `sink`. `expected_total` is GetThreadResult's
    /// `output_total_bytes`; every size must agree with it.
    pub async fn download_output(
        &self,
        thread_id: &str,
        expected_total: Option<u64>,
        sink: &mut dyn ByteSink,
    ) -> Result<OutputDownload, DownloadError> {
        self.reporter
            .on_stream_start(Stream::Output, expected_total);
        let downloaded = download_output(*self, thread_id, expected_total, sink).await;
        if downloaded.is_err() {
            self.reporter
                .on_stream_end(Stream::Output, StreamEnd::Abandoned);
        }
        downloaded
    }

    /// Streams step details (all steps, or `only`), reassembling chunked input/output into
    /// `store`. Nothing is final until the whole stream has validated; the caller commits.
    pub async fn download_steps<S: PayloadStore>(
        &self,
        thread_id: &str,
        only: Option<&str>,
        store: &mut S,
    ) -> Result<StepsDownload<S::Payload>, DownloadError> {
        self.reporter.on_stream_start(Stream::Steps, None);
        let downloaded = download_steps(*self, thread_id, only, store).await;
        let end = match downloaded {
            Ok(_) => StreamEnd::Complete,
            Err(_) => StreamEnd::Abandoned,
        };
        self.reporter.on_stream_end(Stream::Steps, end);
        downloaded
    }
}

async fn download_output(
    downloader: Downloader<'_>,
    thread_id: &str,
    mut expected_total: Option<u64>,
    sink: &mut dyn ByteSink,
) -> Result<OutputDownload, DownloadError> {
    let Downloader { client, reporter } = downloader;
    let mut hasher = StreamHasher::new();
    let mut delivered: u64 = 0;
    let mut broke: Option<String> = None;
    for attempt in 1..=2u32 {
        let mut stream = match client
            .stream_thread_result(thread_id, Some(chunk_bytes()))
            .await
        {
            Ok(stream) => stream,
            Err(err) => {
                return Err(match broke {
                    None => DownloadError::Call(err),
                    Some(first) => DownloadError::Incomplete(format!(
                        "{first}; opening it again failed: {}",
                        err
                    )),
                })
            }
        };
        let mut assembler = OutputAssembler::new(expected_total);
        // On a second attempt: bytes of the new stream already delivered by the first.
        let mut skip = Replay::new(delivered, hasher.snapshot());
        let mut messages = 0u64;
        loop {
            let message = match stream.next().await {
                Ok(Some(message)) => message,
                Ok(None) => {
                    let done = assembler.finish()?;
                    reporter.on_stream_end(Stream::Output, StreamEnd::Complete);
                    return Ok(OutputDownload {
                        bytes: done.bytes,
                        sha256: hex(&hasher.finish()),
                        chunks: done.chunks,
                        attempts: attempt,
                    });
                }
                Err(status) => {
                    if messages == 0 && attempt == 1 && !status.is_retryable_mid_stream() {
                        return Err(DownloadError::Call(status));
                    }
                    let what = format!(
                        "thread output: the stream broke after {} of {} bytes: {}",
                        assembler.received(),
                        assembler.total().map_or("?".to_string(), |t| t.to_string()),
                        status.status_text()
                    );
                    if attempt == 1 && status.is_retryable_mid_stream() {
                        reporter.on_retry(Stream::Output, &what);
                        expected_total = expected_total.or(assembler.total());
                        broke = Some(what);
                        break;
                    }
                    return Err(DownloadError::Incomplete(match broke {
                        Some(first) => format!("{first}; the retry broke too: {what}"),
                        None => what,
                    }));
                }
            };
            messages += 1;
            let Some(data) = assembler.accept(message)? else {
                continue;
            };
            let data = skip.pass(data)?;
            if !data.is_empty() {
                // Both hand large data to threads of their own: receiving, hashing and
                // writing overlap.
                hasher.update(&data);
                delivered += data.len() as u64;
                sink.write_bytes(data).map_err(DownloadError::Fatal)?;
                reporter.on_stream_progress(Stream::Output, delivered);
            }
        }
    }
    unreachable!("the second attempt always returns")
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

/// Where step payloads go: files being written aside, memory, or a preview.
pub trait PayloadStore {
    type Payload: ByteSink;

    /// Called once per step, when its record arrives (e.g. to make its directory).
    fn step(&mut self, _step: &StepDetail) -> anyhow::Result<()> {
        Ok(())
    }

    /// A fresh payload for one field of a step.
    fn open(&mut self, step: &StepDetail, field: Field) -> anyhow::Result<Self::Payload>;

    /// Every byte of `payload` is in (its inline data, or its final chunk): release what only
    /// writing needs (e.g. close the file). A chunked restart may still drop it later.
    fn complete(&mut self, _payload: &mut Self::Payload) -> anyhow::Result<()> {
        Ok(())
    }

    /// Whether steps are handed to [`step_done`](Self::step_done) as soon as each is complete,
    /// rather than all returned once the whole stream has validated (`-o jsonl` prints them).
    fn streams_steps(&self) -> bool {
        false
    }

    /// A complete step, when [`streams_steps`](Self::streams_steps). The stream is not yet
    /// validated as a whole: a later breach still fails the download.
    fn step_done(&mut self, _step: StepPayloads<Self::Payload>) -> anyhow::Result<()> {
        Ok(())
    }
}

/// One step with its reassembled input and output (the inline data moved out of `detail`).
pub struct StepPayloads<P> {
    pub detail: StepDetail,
    pub input: Option<Payload<P>>,
    pub output: Option<Payload<P>>,
}

pub struct Payload<P> {
    pub sink: P,
    pub bytes: u64,
    /// Whether it came in chunks rather than inline.
    pub chunked: bool,
    /// Whether every byte is in (inline data, or the final chunk arrived).
    pub complete: bool,
}

impl<P> StepPayloads<P> {
    /// Whether nothing more is expected for this step, as far as its record and chunks tell.
    /// (Chunks replacing an inline field could still follow; the stream order makes them come
    /// before the next step record.)
    fn complete(&self) -> bool {
        let whole = |p: &Option<Payload<P>>| p.as_ref().is_none_or(|p| p.complete);
        let output_in = !self.detail.output_truncated
            || self
                .output
                .as_ref()
                .is_some_and(|p| p.chunked && p.complete);
        whole(&self.input) && whole(&self.output) && output_in
    }
}

/// Hands the complete steps among the first `limit` (those a later step record has followed) to
/// a streaming store, in order; the first incomplete one stops it.
fn hand_over<S: PayloadStore>(
    store: &mut S,
    steps: &mut [Option<StepPayloads<S::Payload>>],
    next: &mut usize,
    limit: usize,
) -> Result<(), DownloadError> {
    if !store.streams_steps() {
        return Ok(());
    }
    while *next < limit && steps[*next].as_ref().is_some_and(StepPayloads::complete) {
        let step = steps[*next].take().expect("checked above");
        store.step_done(step).map_err(DownloadError::Fatal)?;
        *next += 1;
    }
    Ok(())
}

pub struct StepsDownload<P> {
    pub summaries: Vec<StepSummary>,
    pub steps: Vec<StepPayloads<P>>,
    pub attempts: u32,
}

async fn download_steps<S: PayloadStore>(
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
    store: &mut S,
) -> Result<StepsDownload<S::Payload>, DownloadError> {
    let Downloader { client, reporter } = downloader;
    let mut broke: Option<String> = None;
    for attempt in 1..=2u32 {
        let mut stream = match client
            .stream_step_result(thread_id, only, Some(chunk_bytes()))
            .await
        {
            Ok(stream) => stream,
            Err(err) => {
                return Err(match broke {
                    None => DownloadError::Call(err),
                    Some(first) => DownloadError::Incomplete(format!(
                        "{first}; opening it again failed: {}",
                        err
                    )),
                })
            }
        };
        let mut assembler = StepAssembler::new(only);
        let mut summaries = Vec::new();
        // `None`: handed over to a streaming store already.
        let mut steps: Vec<Option<StepPayloads<S::Payload>>> = Vec::new();
        let mut handed = 0usize;
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut messages = 0u64;
        loop {
            let message = match stream.next().await {
                Ok(Some(message)) => message,
                Ok(None) => {
                    assembler.finish()?;
                    let all = steps.len();
                    hand_over(store, &mut steps, &mut handed, all)?;
                    return Ok(StepsDownload {
                        summaries,
                        steps: steps.into_iter().flatten().collect(),
                        attempts: attempt,
                    });
                }
                Err(status) => {
                    if messages == 0 && attempt == 1 && !status.is_retryable_mid_stream() {
                        return Err(DownloadError::Call(status));
                    }
                    let what = format!(
                        "step results: the stream broke after {messages} messages: {}",
                        status.status_text()
                    );
                    if attempt == 1 && status.is_retryable_mid_stream() && handed == 0 {
                        reporter.on_retry(Stream::Steps, &what);
                        broke = Some(what);
                        break;
                    }
                    return Err(DownloadError::Incomplete(match broke {
                        Some(first) => format!("{first}; the retry broke too: {what}"),
                        None if handed > 0 => {
                            format!("{what} ({handed} steps had already been printed; not retried)")
                        }
                        None => what,
                    }));
                }
            };
            messages += 1;
            match assembler.accept(message)? {
                StepAction::Meta { steps: listed, .. } => summaries = listed,
                StepAction::Step(detail) => {
                    let mut detail = *detail;
                    // Every step so far has been followed by a record: its chunks are in.
                    let all = steps.len();
                    hand_over(store, &mut steps, &mut handed, all)?;
                    store.step(&detail).map_err(DownloadError::Fatal)?;
                    let input = inline(store, &detail, Field::Input, &detail.input_data)?;
                    let output = inline(store, &detail, Field::Output, &detail.output_data)?;
                    detail.input_data = bytes::Bytes::new();
                    detail.output_data = bytes::Bytes::new();
                    index.insert(detail.step_path.clone(), steps.len());
                    steps.push(Some(StepPayloads {
                        detail,
                        input,
                        output,
                    }));
                }
                StepAction::Data {
                    step_path,
                    field,
                    restart,
                    last,
                    data,
                } => {
                    let Some(step) = &mut steps[index[&step_path]] else {
                        return Err(DownloadError::Incomplete(format!(
                            "step {step_path:?} {}: data arrived after the step had been printed \
                             (JSON lines print each step once the next one begins); to have it \
                             whole, use --save DIR",
                            field.name()
                        )));
                    };
                    let slot = match field {
                        Field::Input => &mut step.input,
                        Field::Output => &mut step.output,
                    };
                    if restart {
                        // Chunks replace the inline data (dropping it removes its temp file).
                        *slot = None;
                        let sink = store
                            .open(&step.detail, field)
                            .map_err(DownloadError::Fatal)?;
                        *slot = Some(Payload {
                            sink,
                            bytes: 0,
                            chunked: true,
                            complete: false,
                        });
                    }
                    let payload = slot.as_mut().expect("chunk 0 opened the payload");
                    payload.bytes += data.len() as u64;
                    payload
                        .sink
                        .write_bytes(data)
                        .map_err(DownloadError::Fatal)?;
                    if last {
                        store
                            .complete(&mut payload.sink)
                            .map_err(DownloadError::Fatal)?;
                        payload.complete = true;
                    }
                }
            }
        }
    }
    unreachable!("the second attempt always returns")
}

fn inline<S: PayloadStore>(
    store: &mut S,
    detail: &StepDetail,
    field: Field,
    data: &[u8],
) -> Result<Option<Payload<S::Payload>>, DownloadError> {
    if data.is_empty() {
        return Ok(None);
    }
    let mut sink = store.open(detail, field).map_err(DownloadError::Fatal)?;
    sink.write(data).map_err(DownloadError::Fatal)?;
    store.complete(&mut sink).map_err(DownloadError::Fatal)?;
    Ok(Some(Payload {
        sink,
        bytes: data.len() as u64,
        chunked: false,
        complete: true,
    }))
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
