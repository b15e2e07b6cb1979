//! Step payloads held in memory for display or a document, not written to files:
//! [`PreviewStore`] keeps the first bytes of each (`thread steps --detail` as a table), and
//! [`MemoryStore`] keeps each one whole (`-o json|yaml|jsonl`) within a budget that all payloads
//! share, so a thread of many large steps is refused with a hint instead of filling memory.

use std::cell::Cell;
use std::rc::Rc;

use crate::error::CliError;
use crate::model::StepDetail;
use crate::output::{size, terminal_safe};

use super::assemble::Field;
use super::sink::{ByteSink, MemorySink, PreviewSink};
use super::step_stream::{PayloadStore, StepPayloads};

/// The most output `-o json|yaml` embeds in a document (it must be held in memory to parse), and
/// the most of any one step payload held for a document.
pub const EMBED_LIMIT: u64 = 64 * 1024 * 1024;

/// Keeps the first `keep` bytes of each payload (for display) and counts the rest.
pub struct PreviewStore {
    keep: usize,
}

impl PreviewStore {
    pub fn new(keep: usize) -> Self {
        PreviewStore { keep }
    }
}

impl PayloadStore for PreviewStore {
    type Payload = PreviewSink;
    fn open(&mut self, _: &StepDetail, _: Field) -> anyhow::Result<PreviewSink> {
        Ok(PreviewSink::new(self.keep))
    }
}

/// All step payloads held at once for `--detail -o json|yaml|jsonl`: beyond it, the command is
/// told to use `--save` (each payload alone may take up to [`EMBED_LIMIT`]).
pub const DETAIL_TOTAL_LIMIT: u64 = 2 * EMBED_LIMIT;

/// Holds each payload whole in memory, up to [`EMBED_LIMIT`] each and `limit` in all, for a
/// JSON/YAML document or JSON lines.
pub struct MemoryStore<'a> {
    left: Rc<Cell<u64>>,
    limit: u64,
    /// Each step, whole, as soon as it is complete (`-o jsonl` prints it) rather than held to
    /// the end.
    on_step: Option<StepHandler<'a>>,
}

type StepHandler<'a> = Box<dyn FnMut(StepDetail) -> anyhow::Result<()> + 'a>;

impl<'a> MemoryStore<'a> {
    /// Steps are returned once the whole stream has validated.
    pub fn new(limit: u64) -> Self {
        MemoryStore {
            left: Rc::new(Cell::new(limit)),
            limit,
            on_step: None,
        }
    }

    /// Each step is handed to `on_step` as soon as it is complete, and its memory given back.
    pub fn handing_on(
        limit: u64,
        on_step: impl FnMut(StepDetail) -> anyhow::Result<()> + 'a,
    ) -> Self {
        MemoryStore {
            on_step: Some(Box::new(on_step)),
            ..MemoryStore::new(limit)
        }
    }
}

impl PayloadStore for MemoryStore<'_> {
    type Payload = BudgetSink;
    fn open(&mut self, step: &StepDetail, field: Field) -> anyhow::Result<BudgetSink> {
        Ok(BudgetSink {
            memory: MemorySink::new(
                format!("step {} {}", terminal_safe(&step.step_path), field.name()),
                EMBED_LIMIT as usize,
            ),
            left: Rc::clone(&self.left),
            limit: self.limit,
        })
    }

    fn streams_steps(&self) -> bool {
        self.on_step.is_some()
    }

    fn step_done(&mut self, step: StepPayloads<BudgetSink>) -> anyhow::Result<()> {
        match &mut self.on_step {
            Some(on_step) => on_step(whole_detail(step)),
            None => Ok(()),
        }
    }
}

/// A step with its payloads back in place, whole, for a document.
pub fn whole_detail(step: StepPayloads<BudgetSink>) -> StepDetail {
    let mut detail = step.detail;
    if let Some(mut input) = step.input {
        detail.input_data = input.sink.take().into();
    }
    if let Some(mut output) = step.output {
        detail.output_total_bytes = output.bytes as i64;
        detail.output_data = output.sink.take().into();
    }
    // What the document carries is each payload whole.
    detail.output_truncated = false;
    detail
}

/// A [`MemorySink`] that also draws on the budget all payloads share, and gives its bytes back
/// when dropped (a payload replaced by chunks, or one already printed).
pub struct BudgetSink {
    memory: MemorySink,
    left: Rc<Cell<u64>>,
    limit: u64,
}

impl BudgetSink {
    fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.memory.data)
    }
}

impl ByteSink for BudgetSink {
    fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        let n = data.len() as u64;
        let Some(left) = self.left.get().checked_sub(n) else {
            return Err(CliError::usage(format!(
                "the steps' inputs and outputs together are larger than {} and cannot all be held \
                 in memory for -o json/yaml/jsonl",
                size(self.limit as i64)
            ))
            .with_hint("save them to files with --save DIR, or see them cut short with -o table")
            .into());
        };
        self.memory.write(data)?;
        self.left.set(left);
        Ok(())
    }
}

impl Drop for BudgetSink {
    fn drop(&mut self) {
        self.left
            .set(self.left.get() + self.memory.data.len() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitStatus;

    #[test]
    fn detail_payloads_share_one_memory_budget() {
        let step = StepDetail {
            step_path: "1".into(),
            ..StepDetail::default()
        };
        let mut store = MemoryStore::new(10);
        let mut a = store.open(&step, Field::Input).unwrap();
        let mut b = store.open(&step, Field::Output).unwrap();
        a.write(b"123456").unwrap();
        // Each payload is small, but together they pass the budget: exit 2 with a hint.
        let err = b.write(b"12345").unwrap_err();
        let cli = err.downcast_ref::<CliError>().expect("a CliError");
        assert_eq!(cli.status, ExitStatus::Usage);
        assert!(
            format!("{err:#}").contains("together are larger than"),
            "{err:#}"
        );
        b.write(b"1234").unwrap();
        // A payload dropped (replaced by chunks, or printed) gives its bytes back.
        drop(a);
        b.write(b"123456").unwrap();
        assert_eq!(b.take().len(), 10);
    }
}
