//! Strict validation of the chunked result streams, with no I/O: each message is accepted (and
//! its bytes handed back to be written) or refused with a [`ChunkError`] that says what was wrong.
//!
//! The rules, for the thread output and for every step field alike: at most one meta message,
//! agreeing with the chunks; `chunk_index` consecutive from 0 with none missing, repeated or out
//! of order; `is_final` exactly once and on the last chunk; every chunk's `total_bytes` equal to
//! the announced total (GetThreadResult's, the meta's, the first chunk's), and the bytes received
//! equal to it. Step data must belong to a step the stream announced, for a field it knows
//! (`input` or `output`).
//!
//! The reference sends the meta first. A stream without one, or with one after the first chunk,
//! is taken all the same: each chunk carries the total, and GetThreadResult announced it already;
//! a late meta must agree with what came before it. `total_chunks` 0 means unknown.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use bytes::Bytes;

use crate::model::{DataChunk, OutputMessage, OutputMeta, StepDetail, StepMessage, StepSummary};

/// What was wrong with a stream, in words a user can act on (or report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkError(pub String);

impl fmt::Display for ChunkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChunkError {}

fn breach(text: impl Into<String>) -> ChunkError {
    ChunkError(text.into())
}

/// One chunked byte sequence: index order, final marker and sizes.
#[derive(Clone, Debug)]
struct Sequence {
    total: u64,
    next_index: i32,
    received: u64,
    finished: bool,
}

impl Sequence {
    fn new(total: u64) -> Self {
        Sequence {
            total,
            next_index: 0,
            received: 0,
            finished: false,
        }
    }

    /// Checks one chunk of this sequence; `what` names the payload in errors.
    fn accept(&mut self, what: &str, chunk: &DataChunk) -> Result<(), ChunkError> {
        if self.finished {
            return Err(breach(format!(
                "{what}: chunk {} arrived after the final chunk",
                chunk.chunk_index
            )));
        }
        if chunk.chunk_index != self.next_index {
            let expected = self.next_index;
            let got = chunk.chunk_index;
            return Err(breach(if got < expected {
                format!("{what}: chunk {got} arrived again (repeated) where chunk {expected} was expected")
            } else {
                format!("{what}: chunk {got} arrived where chunk {expected} was expected (missing or out of order)")
            }));
        }
        if chunk.total_bytes < 0 || chunk.total_bytes as u64 != self.total {
            return Err(breach(format!(
                "{what}: chunk {} says the total is {} bytes, but {} bytes were announced",
                chunk.chunk_index, chunk.total_bytes, self.total
            )));
        }
        let received = self.received + chunk.data.len() as u64;
        if received > self.total {
            return Err(breach(format!(
                "{what}: chunk {} brings the size to {received} bytes, more than the {} announced",
                chunk.chunk_index, self.total
            )));
        }
        if chunk.is_final && received != self.total {
            return Err(breach(format!(
                "{what}: the final chunk ({}) ends at {received} of {} bytes (short)",
                chunk.chunk_index, self.total
            )));
        }
        self.received = received;
        self.next_index = self
            .next_index
            .checked_add(1)
            .ok_or_else(|| breach(format!("{what}: chunk index overflow")))?;
        self.finished = chunk.is_final;
        Ok(())
    }

    fn check_finished(&self, what: &str) -> Result<(), ChunkError> {
        if self.finished {
            return Ok(());
        }
        Err(breach(format!(
            "{what}: the stream ended without a final chunk, after {} chunks and {} of {} bytes",
            self.next_index, self.received, self.total
        )))
    }
}

/// Validates StreamThreadResult.
#[derive(Debug)]
pub struct OutputAssembler {
    expected_total: Option<u64>,
    meta: Option<OutputMeta>,
    sequence: Option<Sequence>,
}

const OUTPUT: &str = "thread output";

impl OutputAssembler {
    /// `expected_total` is what GetThreadResult said (`output_total_bytes`), when we called it.
    pub fn new(expected_total: Option<u64>) -> Self {
        OutputAssembler {
            expected_total,
            meta: None,
            sequence: None,
        }
    }

    /// The announced size, once the meta message has come.
    pub fn total(&self) -> Option<u64> {
        self.sequence.as_ref().map(|s| s.total)
    }

    /// Bytes accepted so far.
    pub fn received(&self) -> u64 {
        self.sequence.as_ref().map_or(0, |s| s.received)
    }

    /// Accepts one message; returns the bytes to append, if it carried any.
    pub fn accept(&mut self, message: OutputMessage) -> Result<Option<Bytes>, ChunkError> {
        match message {
            OutputMessage::Meta(meta) => {
                if self.meta.is_some() {
                    return Err(breach(format!("{OUTPUT}: a second meta message arrived")));
                }
                if meta.total_bytes < 0 {
                    return Err(breach(format!(
                        "{OUTPUT}: the meta message announces a negative size ({})",
                        meta.total_bytes
                    )));
                }
                if meta.total_chunks < 0 {
                    return Err(breach(format!(
                        "{OUTPUT}: the meta message announces a negative chunk count ({})",
                        meta.total_chunks
                    )));
                }
                let total = meta.total_bytes as u64;
                match &self.sequence {
                    // Late: after chunks, which announced their total already.
                    Some(sequence) => {
                        if sequence.total != total {
                            return Err(breach(format!(
                                "{OUTPUT}: the meta message, after chunk {}, announces {total} bytes but the chunks {}",
                                sequence.next_index - 1,
                                sequence.total
                            )));
                        }
                    }
                    None => {
                        self.check_expected(total, "the stream announces")?;
                        self.sequence = Some(Sequence::new(total));
                    }
                }
                self.meta = Some(meta);
                self.check_chunk_count()?;
                Ok(None)
            }
            OutputMessage::Chunk(chunk) => {
                if self.sequence.is_none() {
                    // No meta (yet): the chunk says the total.
                    if chunk.total_bytes < 0 {
                        return Err(breach(format!(
                            "{OUTPUT}: chunk {} announces a negative size ({})",
                            chunk.chunk_index, chunk.total_bytes
                        )));
                    }
                    self.check_expected(chunk.total_bytes as u64, "the chunks announce")?;
                    self.sequence = Some(Sequence::new(chunk.total_bytes as u64));
                }
                let sequence = self.sequence.as_mut().expect("made above");
                sequence.accept(OUTPUT, &chunk)?;
                self.check_chunk_count()?;
                Ok(Some(chunk.data))
            }
            OutputMessage::Empty => Err(breach(format!(
                "{OUTPUT}: a message carried neither meta nor data"
            ))),
        }
    }

    /// The size announced by the stream agrees with GetThreadResult's.
    fn check_expected(&self, total: u64, what: &str) -> Result<(), ChunkError> {
        match self.expected_total {
            Some(expected) if expected != total => Err(breach(format!(
                "{OUTPUT}: {what} {total} bytes but GetThreadResult said {expected}"
            ))),
            _ => Ok(()),
        }
    }

    /// The chunks so far agree with the meta's `total_chunks` (0: unknown).
    fn check_chunk_count(&self) -> Result<(), ChunkError> {
        let (Some(meta), Some(sequence)) = (&self.meta, &self.sequence) else {
            return Ok(());
        };
        let count = sequence.next_index;
        if meta.total_chunks > 0
            && (count > meta.total_chunks || (sequence.finished && count != meta.total_chunks))
        {
            return Err(breach(format!(
                "{OUTPUT}: {count} chunks arrived but the meta message announced {}",
                meta.total_chunks
            )));
        }
        Ok(())
    }

    /// Called when the server ends the stream: the output's size when it is complete, or an
    /// error saying what is missing.
    pub fn finish(&self) -> Result<u64, ChunkError> {
        let Some(sequence) = &self.sequence else {
            return Err(breach(format!(
                "{OUTPUT}: the stream ended before any meta message or chunk"
            )));
        };
        // An empty output may come as a meta message alone.
        if !(sequence.total == 0 && sequence.next_index == 0) {
            sequence.check_finished(OUTPUT)?;
        }
        Ok(sequence.received)
    }
}

/// The two chunked fields of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Input,
    Output,
}

impl Field {
    pub fn parse(text: &str) -> Option<Field> {
        match text {
            "input" => Some(Field::Input),
            "output" => Some(Field::Output),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::Input => "input",
            Field::Output => "output",
        }
    }
}

/// What a validated StreamStepResult message asks the caller to do.
#[derive(Debug)]
pub enum StepAction {
    Meta {
        steps: Vec<StepSummary>,
    },
    /// A step, announced; its inline input/output may be replaced by chunks later.
    Step(Box<StepDetail>),
    /// Bytes for a step field. `restart` is set on chunk 0: the chunks replace whatever the step
    /// record carried inline for that field. `last` is set on the final chunk: the field is
    /// complete (the stream as a whole is validated only at its end).
    Data {
        step_path: String,
        field: Field,
        restart: bool,
        last: bool,
        data: Bytes,
    },
}

#[derive(Debug)]
struct AnnouncedStep {
    output_truncated: bool,
    output_total_bytes: i64,
}

/// Validates StreamStepResult.
#[derive(Debug)]
pub struct StepAssembler {
    only: Option<String>,
    meta_seen: bool,
    listed: Vec<String>,
    steps: BTreeMap<String, AnnouncedStep>,
    sequences: BTreeMap<(String, Field), Sequence>,
}

impl StepAssembler {
    /// `only`: the one step asked for with `--step`, if any.
    pub fn new(only: Option<&str>) -> Self {
        StepAssembler {
            only: only.map(str::to_string),
            meta_seen: false,
            listed: Vec::new(),
            steps: BTreeMap::new(),
            sequences: BTreeMap::new(),
        }
    }

    pub fn accept(&mut self, message: StepMessage) -> Result<StepAction, ChunkError> {
        match message {
            StepMessage::Meta { steps } => {
                if self.meta_seen {
                    return Err(breach("step results: a second meta message arrived"));
                }
                self.meta_seen = true;
                self.listed = steps.iter().map(|s| s.step_path.clone()).collect();
                Ok(StepAction::Meta { steps })
            }
            StepMessage::Step(detail) => {
                if let Some(only) = &self.only {
                    if &detail.step_path != only {
                        return Err(breach(format!(
                            "step results: step {:?} arrived, but only step {only:?} was asked for",
                            detail.step_path
                        )));
                    }
                }
                if self.steps.contains_key(&detail.step_path) {
                    return Err(breach(format!(
                        "step results: step {:?} was sent twice",
                        detail.step_path
                    )));
                }
                if detail.output_total_bytes < 0 {
                    return Err(breach(format!(
                        "step {:?}: negative output size ({})",
                        detail.step_path, detail.output_total_bytes
                    )));
                }
                self.steps.insert(
                    detail.step_path.clone(),
                    AnnouncedStep {
                        output_truncated: detail.output_truncated,
                        output_total_bytes: detail.output_total_bytes,
                    },
                );
                Ok(StepAction::Step(detail))
            }
            StepMessage::Data {
                step_path,
                field,
                chunk,
            } => {
                let Some(step) = self.steps.get(&step_path) else {
                    return Err(breach(format!(
                        "step results: a data chunk for step {step_path:?}, which the stream did not announce"
                    )));
                };
                let Some(field) = Field::parse(&field) else {
                    return Err(breach(format!(
                        "step {step_path:?}: a data chunk for an unknown field {field:?} (expected input or output)"
                    )));
                };
                let what = format!("step {step_path:?} {}", field.name());
                let restart = chunk.chunk_index == 0;
                let key = (step_path.clone(), field);
                if !self.sequences.contains_key(&key) {
                    if chunk.total_bytes < 0 {
                        return Err(breach(format!(
                            "{what}: chunk {} announces a negative size ({})",
                            chunk.chunk_index, chunk.total_bytes
                        )));
                    }
                    if field == Field::Output
                        && step.output_total_bytes > 0
                        && chunk.total_bytes != step.output_total_bytes
                    {
                        return Err(breach(format!(
                            "{what}: the chunks announce {} bytes but the step said {}",
                            chunk.total_bytes, step.output_total_bytes
                        )));
                    }
                    self.sequences
                        .insert(key.clone(), Sequence::new(chunk.total_bytes as u64));
                }
                let sequence = self.sequences.get_mut(&key).expect("inserted above");
                sequence.accept(&what, &chunk)?;
                Ok(StepAction::Data {
                    step_path,
                    field,
                    restart,
                    last: sequence.finished,
                    data: chunk.data,
                })
            }
            StepMessage::Empty => Err(breach(
                "step results: a message carried neither meta, step nor data",
            )),
        }
    }

    /// Called when the server ends the stream.
    pub fn finish(&self) -> Result<(), ChunkError> {
        // Without a meta message nothing was listed: the steps sent are all there is to check.
        for ((path, field), sequence) in &self.sequences {
            sequence.check_finished(&format!("step {path:?} {}", field.name()))?;
        }
        for (path, step) in &self.steps {
            if step.output_truncated && !self.sequences.contains_key(&(path.clone(), Field::Output))
            {
                return Err(breach(format!(
                    "step {path:?} output: the step record is truncated ({} bytes in all) and no chunks followed",
                    step.output_total_bytes
                )));
            }
        }
        let sent: BTreeSet<&String> = self.steps.keys().collect();
        match &self.only {
            Some(only) => {
                if !self.steps.contains_key(only) {
                    return Err(breach(format!(
                        "step results: the stream ended without step {only:?}"
                    )));
                }
            }
            None => {
                if let Some(missing) = self.listed.iter().find(|p| !sent.contains(p)) {
                    return Err(breach(format!(
                        "step results: step {missing:?} is listed in the meta message but was never sent"
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ThreadStatus;
    use proptest::prelude::*;

    fn meta(total: i64, chunks: i32) -> OutputMessage {
        OutputMessage::Meta(OutputMeta {
            status: ThreadStatus::Completed,
            total_bytes: total,
            total_chunks: chunks,
        })
    }

    fn chunk(data: &[u8], total: i64, index: i32, is_final: bool) -> DataChunk {
        DataChunk {
            data: Bytes::copy_from_slice(data),
            total_bytes: total,
            chunk_index: index,
            is_final,
        }
    }

    fn out(data: &[u8], total: i64, index: i32, is_final: bool) -> OutputMessage {
        OutputMessage::Chunk(chunk(data, total, index, is_final))
    }

    fn run(messages: Vec<OutputMessage>, expected: Option<u64>) -> Result<Vec<u8>, ChunkError> {
        let mut asm = OutputAssembler::new(expected);
        let mut bytes = Vec::new();
        for m in messages {
            if let Some(data) = asm.accept(m)? {
                bytes.extend_from_slice(&data);
            }
        }
        asm.finish()?;
        Ok(bytes)
    }

    #[test]
    fn well_formed_output_assembles() {
        let got = run(
            vec![
                meta(6, 3),
                out(b"ab", 6, 0, false),
                out(b"cd", 6, 1, false),
                out(b"ef", 6, 2, true),
            ],
            Some(6),
        );
        assert_eq!(got.unwrap(), b"abcdef");
        assert_eq!(run(vec![meta(0, 0)], Some(0)).unwrap(), b"");
        assert_eq!(
            run(vec![meta(0, 0), out(b"", 0, 0, true)], None).unwrap(),
            b""
        );
        // No meta, or a late one: the chunks say the total. 0 chunks announced: unknown.
        let chunks = || vec![out(b"abc", 6, 0, false), out(b"def", 6, 1, true)];
        assert_eq!(run(chunks(), Some(6)).unwrap(), b"abcdef");
        let mut late = chunks();
        late.insert(1, meta(6, 2));
        assert_eq!(run(late, Some(6)).unwrap(), b"abcdef");
        let mut unknown = chunks();
        unknown.insert(0, meta(6, 0));
        assert_eq!(run(unknown, Some(6)).unwrap(), b"abcdef");
    }

    fn error_of(messages: Vec<OutputMessage>, expected: Option<u64>) -> String {
        run(messages, expected).unwrap_err().0
    }

    #[test]
    fn each_fault_is_named() {
        let e = error_of(vec![out(b"ab", 2, 0, true)], Some(3));
        assert!(
            e.contains("the chunks announce 2 bytes but GetThreadResult said 3"),
            "{e}"
        );
        let e = error_of(vec![out(b"ab", 4, 0, false), meta(5, 0)], None);
        assert!(
            e.contains("the meta message, after chunk 0, announces 5 bytes"),
            "{e}"
        );
        let e = error_of(
            vec![out(b"ab", 4, 0, false), meta(4, 1), out(b"cd", 4, 1, true)],
            None,
        );
        assert!(e.contains("announced 1"), "{e}");
        let e = error_of(vec![meta(4, 0), out(b"ab", 4, 1, false)], None);
        assert!(e.contains("missing or out of order"), "{e}");
        let e = error_of(
            vec![meta(4, 0), out(b"ab", 4, 0, false), out(b"ab", 4, 0, false)],
            None,
        );
        assert!(e.contains("repeated"), "{e}");
        let e = error_of(vec![meta(4, 0), out(b"ab", 4, 0, true)], None);
        assert!(e.contains("short"), "{e}");
        let e = error_of(vec![meta(4, 0), out(b"ab", 4, 0, false)], None);
        assert!(e.contains("without a final chunk"), "{e}");
        let e = error_of(
            vec![meta(2, 0), out(b"ab", 2, 0, true), out(b"", 2, 1, true)],
            None,
        );
        assert!(e.contains("after the final"), "{e}");
        let e = error_of(vec![meta(2, 0), out(b"ab", 3, 0, true)], None);
        assert!(e.contains("announced"), "{e}");
        let e = error_of(vec![meta(2, 0), out(b"ab", 2, 0, true)], Some(3));
        assert!(e.contains("GetThreadResult said 3"), "{e}");
        let e = error_of(vec![meta(2, 0), out(b"abc", 2, 0, true)], None);
        assert!(e.contains("more than"), "{e}");
        let e = error_of(vec![meta(2, 2), out(b"ab", 2, 0, true)], None);
        assert!(e.contains("announced 2"), "{e}");
        let e = error_of(vec![meta(2, 0), meta(2, 0)], None);
        assert!(e.contains("second meta"), "{e}");
        let e = error_of(vec![], None);
        assert!(e.contains("before any meta message or chunk"), "{e}");
        let e = error_of(vec![meta(2, 0), OutputMessage::Empty], None);
        assert!(e.contains("neither"), "{e}");
    }

    fn detail(path: &str, truncated: bool, total: i64) -> StepMessage {
        StepMessage::Step(Box::new(StepDetail {
            step_path: path.into(),
            output_truncated: truncated,
            output_total_bytes: total,
            ..StepDetail::default()
        }))
    }

    fn smeta(paths: &[&str]) -> StepMessage {
        StepMessage::Meta {
            steps: paths
                .iter()
                .map(|p| StepSummary {
                    step_path: p.to_string(),
                    ..StepSummary::default()
                })
                .collect(),
        }
    }

    fn sdata(path: &str, field: &str, c: DataChunk) -> StepMessage {
        StepMessage::Data {
            step_path: path.into(),
            field: field.into(),
            chunk: c,
        }
    }

    fn steps(messages: Vec<StepMessage>, only: Option<&str>) -> Result<(), ChunkError> {
        let mut asm = StepAssembler::new(only);
        for m in messages {
            asm.accept(m)?;
        }
        asm.finish()
    }

    #[test]
    fn step_stream_rules() {
        let ok = steps(
            vec![
                smeta(&["1", "1.0"]),
                detail("1", false, 2),
                detail("1.0", true, 4),
                sdata("1.0", "output", chunk(b"ab", 4, 0, false)),
                sdata("1.0", "output", chunk(b"cd", 4, 1, true)),
            ],
            None,
        );
        assert_eq!(ok, Ok(()));

        let e = steps(
            vec![
                smeta(&["1"]),
                detail("1", false, 0),
                sdata("9", "output", chunk(b"a", 1, 0, true)),
            ],
            None,
        )
        .unwrap_err();
        assert!(e.0.contains("did not announce"), "{e}");
        let e = steps(
            vec![
                smeta(&["1"]),
                detail("1", false, 0),
                sdata("1", "secrets", chunk(b"a", 1, 0, true)),
            ],
            None,
        )
        .unwrap_err();
        assert!(e.0.contains("unknown field"), "{e}");
        let e = steps(vec![smeta(&["1"]), detail("1", true, 9)], None).unwrap_err();
        assert!(e.0.contains("no chunks followed"), "{e}");
        let e = steps(vec![smeta(&["1", "2"]), detail("1", false, 0)], None).unwrap_err();
        assert!(e.0.contains("never sent"), "{e}");
        let e = steps(
            vec![smeta(&["1"]), detail("1", false, 0), detail("1", false, 0)],
            None,
        )
        .unwrap_err();
        assert!(e.0.contains("twice"), "{e}");
        let e = steps(vec![smeta(&[]), detail("2", false, 0)], Some("1")).unwrap_err();
        assert!(e.0.contains("only step"), "{e}");
        // No meta message, or a late one: what was sent is checked all the same.
        assert_eq!(steps(vec![detail("1", false, 0)], None), Ok(()));
        let e = steps(vec![detail("1", false, 0), smeta(&["1", "2"])], None).unwrap_err();
        assert!(
            e.0.contains("\"2\" is listed in the meta message but was never sent"),
            "{e}"
        );
        let e = steps(
            vec![
                smeta(&["1"]),
                detail("1", true, 4),
                sdata("1", "output", chunk(b"ab", 5, 0, false)),
            ],
            None,
        )
        .unwrap_err();
        assert!(e.0.contains("step said 4"), "{e}");
    }

    /// A random message: meta, chunk or empty, with small values so sequences sometimes line up.
    fn any_output_message() -> impl Strategy<Value = OutputMessage> {
        prop_oneof![
            (0i64..8, 0i32..4).prop_map(|(t, c)| meta(t, c)),
            (
                prop::collection::vec(any::<u8>(), 0..4),
                -1i64..8,
                -1i32..4,
                any::<bool>()
            )
                .prop_map(|(d, t, i, f)| out(&d, t, i, f)),
            Just(OutputMessage::Empty),
        ]
    }

    proptest! {
        /// Any message sequence gives an error or exactly the concatenated chunk data, never a
        /// panic; and a success always has every size agreeing.
        #[test]
        fn output_assembler_never_panics(messages in prop::collection::vec(any_output_message(), 0..12), expected in prop::option::of(0u64..8)) {
            let mut asm = OutputAssembler::new(expected);
            let mut bytes = Vec::new();
            let mut failed = false;
            for m in messages.clone() {
                match asm.accept(m) {
                    Ok(Some(data)) => bytes.extend_from_slice(&data),
                    Ok(None) => {}
                    Err(_) => { failed = true; break; }
                }
            }
            if !failed {
                if let Ok(size) = asm.finish() {
                    prop_assert_eq!(size, bytes.len() as u64);
                    prop_assert_eq!(Some(size), asm.total());
                    if let Some(expected) = expected {
                        prop_assert_eq!(size, expected);
                    }
                    // The accepted chunks are exactly the data chunks in order 0..n.
                    let data: Vec<u8> = messages.iter().filter_map(|m| match m {
                        OutputMessage::Chunk(c) => Some(c.data.to_vec()),
                        _ => None,
                    }).flatten().collect();
                    prop_assert_eq!(data, bytes);
                }
            }
        }

        /// Splitting any payload into any chunk sizes round-trips exactly.
        #[test]
        fn output_assembler_round_trips(payload in prop::collection::vec(any::<u8>(), 0..300), cuts in prop::collection::vec(1usize..64, 1..20)) {
            let total = payload.len() as i64;
            let mut messages = vec![meta(total, 0)];
            let mut at = 0;
            let mut index = 0;
            let mut sizes = cuts.iter().cycle();
            loop {
                let size = *sizes.next().unwrap();
                let end = (at + size).min(payload.len());
                let last = end == payload.len();
                messages.push(out(&payload[at..end], total, index, last));
                index += 1;
                at = end;
                if last { break; }
            }
            prop_assert_eq!(run(messages, Some(total as u64)).unwrap(), payload);
        }

        #[test]
        fn step_assembler_never_panics(messages in prop::collection::vec(prop_oneof![
            Just(smeta(&["1", "1.0"])),
            (prop_oneof![Just("1"), Just("1.0"), Just("2")], any::<bool>(), 0i64..6).prop_map(|(p, t, n)| detail(p, t, n)),
            (prop_oneof![Just("1"), Just("1.0"), Just("../x")], prop_oneof![Just("input"), Just("output"), Just("x")],
             prop::collection::vec(any::<u8>(), 0..4), -1i64..6, -1i32..3, any::<bool>())
                .prop_map(|(p, f, d, t, i, fin)| sdata(p, f, chunk(&d, t, i, fin))),
            Just(StepMessage::Empty),
        ], 0..12), only in prop::option::of(prop_oneof![Just("1"), Just("2")])) {
            let mut asm = StepAssembler::new(only);
            for m in messages {
                if asm.accept(m).is_err() { break; }
            }
            let _ = asm.finish();
        }
    }
}
