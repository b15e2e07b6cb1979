//! StreamStepResult, read into a [`PayloadStore`]: each step record and its inline input and
//! output, then the chunks that replace a truncated field, validated by the [`StepAssembler`].
//! Nothing is final until the whole stream has validated (the caller commits), except that a
//! streaming store (`-o jsonl`) is handed each step as soon as it is complete; once one has
//! been, a break is not retried.

use std::collections::BTreeMap;

use bytes::Bytes;

use crate::client::{CallError, Client, StepStream};
use crate::model::{StepDetail, StepMessage, StepSummary};

use super::assemble::{Field, StepAction, StepAssembler};
use super::download::DownloadError;
use super::report::Stream;
use super::retry::StreamReader;
use super::sink::ByteSink;

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
}

/// The step results' download into `store`.
pub(super) struct StepsReader<'a, S: PayloadStore> {
    client: &'a Client,
    thread_id: &'a str,
    only: Option<&'a str>,
    chunk_bytes: i32,
    store: &'a mut S,
    assembler: StepAssembler,
    summaries: Vec<StepSummary>,
    /// In stream order; `None`: handed over to a streaming store already.
    steps: Vec<Option<StepPayloads<S::Payload>>>,
    /// How many steps have been handed over.
    handed: usize,
    /// Step path → its place in `steps`.
    index: BTreeMap<String, usize>,
}

impl<'a, S: PayloadStore> StepsReader<'a, S> {
    pub(super) fn new(
        client: &'a Client,
        thread_id: &'a str,
        only: Option<&'a str>,
        chunk_bytes: i32,
        store: &'a mut S,
    ) -> Self {
        StepsReader {
            client,
            thread_id,
            only,
            chunk_bytes,
            store,
            assembler: StepAssembler::new(only),
            summaries: Vec::new(),
            steps: Vec::new(),
            handed: 0,
            index: BTreeMap::new(),
        }
    }

    /// Hands every complete step so far to a streaming store.
    fn hand_over_all(&mut self) -> Result<(), DownloadError> {
        let all = self.steps.len();
        hand_over(self.store, &mut self.steps, &mut self.handed, all)
    }

    /// A step record: its inline payloads into the store.
    fn step(&mut self, mut detail: StepDetail) -> Result<(), DownloadError> {
        // Every step so far has been followed by a record: its chunks are in.
        self.hand_over_all()?;
        let store = &mut *self.store;
        store.step(&detail).map_err(DownloadError::Fatal)?;
        let input = inline(store, &detail, Field::Input, &detail.input_data)?;
        let output = inline(store, &detail, Field::Output, &detail.output_data)?;
        detail.input_data = bytes::Bytes::new();
        detail.output_data = bytes::Bytes::new();
        self.index
            .insert(detail.step_path.clone(), self.steps.len());
        self.steps.push(Some(StepPayloads {
            detail,
            input,
            output,
        }));
        Ok(())
    }

    /// A chunk of one step's field.
    fn data(
        &mut self,
        step_path: String,
        field: Field,
        restart: bool,
        last: bool,
        data: Bytes,
    ) -> Result<(), DownloadError> {
        let Some(step) = &mut self.steps[self.index[&step_path]] else {
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
            let sink = self
                .store
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
            self.store
                .complete(&mut payload.sink)
                .map_err(DownloadError::Fatal)?;
            payload.complete = true;
        }
        Ok(())
    }
}

impl<S: PayloadStore> StreamReader for StepsReader<'_, S> {
    type Messages = StepStream;
    type Done = StepsDownload<S::Payload>;
    const STREAM: Stream = Stream::Steps;

    fn begin_attempt(&mut self) {
        // What the last attempt assembled is dropped (with it, its temporary files).
        self.assembler = StepAssembler::new(self.only);
        self.summaries = Vec::new();
        self.steps = Vec::new();
        self.handed = 0;
        self.index = BTreeMap::new();
    }

    async fn open(&mut self) -> Result<StepStream, CallError> {
        self.client
            .stream_step_result(self.thread_id, self.only, Some(self.chunk_bytes))
            .await
    }

    fn accept(&mut self, message: StepMessage) -> Result<Option<u64>, DownloadError> {
        match self.assembler.accept(message)? {
            StepAction::Meta { steps: listed } => self.summaries = listed,
            StepAction::Step(detail) => self.step(*detail)?,
            StepAction::Data {
                step_path,
                field,
                restart,
                last,
                data,
            } => self.data(step_path, field, restart, last, data)?,
        }
        Ok(None)
    }

    fn end(&mut self) -> Result<(), DownloadError> {
        self.assembler.finish()?;
        self.hand_over_all()
    }

    fn done(self, _attempts: u32) -> StepsDownload<S::Payload> {
        StepsDownload {
            summaries: self.summaries,
            steps: self.steps.into_iter().flatten().collect(),
        }
    }

    fn breakage(&self, messages: u64, err: &CallError) -> String {
        format!(
            "step results: the stream broke after {messages} messages: {}",
            err.status_text()
        )
    }

    fn retry_refused(&self) -> Option<String> {
        (self.handed > 0).then(|| {
            format!(
                "{} steps had already been printed; not retried",
                self.handed
            )
        })
    }
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
