//! `thread steps`: the step tree, one step's detail (`--step`), or every step's full input and
//! output (`--detail`, reassembled from StreamStepResult; `--save DIR` writes them as files).

use std::cell::Cell;
use std::rc::Rc;

use crate::cli::{OutputFormat, StepsArgs};
use crate::client::CallErrorKind;
use crate::client::ResultQuery;
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::model::step_tree::nearby;
use crate::model::{StepDetail, StepSummary};
use crate::output::thread::{print_step_detail, print_step_tree, PayloadView, PREVIEW_KEEP};
use crate::output::{print_document, size, terminal_safe};
use crate::save::assemble::Field;
use crate::save::download::{download_steps, DownloadError, PayloadStore, StepPayloads};
use crate::save::layout::SaveDir;
use crate::save::sink::{ByteSink, MemorySink, PreviewSink};

use super::result::EMBED_LIMIT;

pub async fn run(ctx: &Context, args: StepsArgs) -> anyhow::Result<ExitStatus> {
    if args.detail {
        return detail(ctx, &args).await;
    }
    match &args.step {
        Some(path) => one_step(ctx, &args.thread_id, path).await,
        None => tree(ctx, &args.thread_id).await,
    }
}

/// The step summaries, asking for metadata only first (no output payload).
async fn summaries(ctx: &Context, thread_id: &str) -> anyhow::Result<Vec<StepSummary>> {
    let client = ctx.client().await?;
    let query = ResultQuery {
        metadata_only: true,
        ..ResultQuery::default()
    };
    let result = client.get_thread_result(thread_id, &query).await?;
    if !result.steps.is_empty() || result.steps_executed == 0 {
        return Ok(result.steps);
    }
    // A server whose metadata-only answer leaves the steps out.
    let result = client
        .get_thread_result(thread_id, &ResultQuery::default())
        .await?;
    Ok(result.steps)
}

async fn tree(ctx: &Context, thread_id: &str) -> anyhow::Result<ExitStatus> {
    let steps = summaries(ctx, thread_id).await?;
    match ctx.output {
        OutputFormat::Table => {
            if steps.is_empty() {
                ctx.printer.status("no steps yet");
                return Ok(ExitStatus::Success);
            }
            print_step_tree(&ctx.printer, &steps)?;
        }
        OutputFormat::Jsonl => {
            for step in &steps {
                ctx.printer.data_line(&serde_json::to_string(step)?)?;
            }
        }
        format => print_document(&ctx.printer, format, &steps)?,
    }
    Ok(ExitStatus::Success)
}

async fn one_step(ctx: &Context, thread_id: &str, path: &str) -> anyhow::Result<ExitStatus> {
    let client = ctx.client().await?;
    let query = ResultQuery {
        step_path: Some(path.to_string()),
        ..ResultQuery::default()
    };
    let found = match client.get_thread_result(thread_id, &query).await {
        Ok(result) => result
            .step_details
            .into_iter()
            .find(|d| d.step_path == path),
        Err(err) if err.kind == CallErrorKind::NotFound => None,
        Err(err) => return Err(err.into()),
    };
    let Some(step) = found else {
        return Err(unknown_step(ctx, thread_id, path).await);
    };
    match ctx.output {
        OutputFormat::Table => {
            let input = PayloadView {
                head: &step.input_data,
                total: step.input_data.len() as u64,
                whole: true,
            };
            let output_total =
                (step.output_total_bytes.max(0) as u64).max(step.output_data.len() as u64);
            let output = PayloadView {
                head: &step.output_data,
                total: output_total,
                whole: !step.output_truncated,
            };
            print_step_detail(&ctx.printer, &step, &input, &output)?;
            if !step.input_data.is_empty() || output_total > 0 {
                ctx.printer.hint(&format!(
                    "all of its input and output: {}",
                    crate::output::suggest::step_save(thread_id, path)
                ));
            }
        }
        format => print_document(&ctx.printer, format, &step)?,
    }
    Ok(ExitStatus::Success)
}

/// Exit 5 naming the steps near the one asked for.
async fn unknown_step(ctx: &Context, thread_id: &str, path: &str) -> anyhow::Error {
    let steps = match summaries(ctx, thread_id).await {
        Ok(steps) => steps,
        Err(err) => return err,
    };
    let near = nearby(&steps, path);
    let message = format!(
        "thread {} has no step {}",
        terminal_safe(thread_id),
        terminal_safe(path)
    );
    let hint = if near.is_empty() {
        "the thread has no steps yet".to_string()
    } else {
        format!(
            "steps nearby: {} (all of them: {})",
            near.iter()
                .map(|p| terminal_safe(p).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            crate::output::suggest::steps(thread_id)
        )
    };
    CliError::new(ExitStatus::ServerRefused, message)
        .with_hint(hint)
        .into()
}

// ---- --detail ----

/// A payload kept by [`PreviewStore`], for display.
fn shown(payload: Option<&crate::save::download::Payload<PreviewSink>>) -> PayloadView<'_> {
    match payload {
        Some(p) => PayloadView {
            head: &p.sink.head,
            total: p.bytes,
            whole: true,
        },
        None => PayloadView::NONE,
    }
}

/// Keeps the first bytes of each payload for display.
struct PreviewStore;

impl PayloadStore for PreviewStore {
    type Payload = PreviewSink;
    fn open(&mut self, _: &StepDetail, _: Field) -> anyhow::Result<PreviewSink> {
        Ok(PreviewSink::new(PREVIEW_KEEP))
    }
}

/// All step payloads held at once for `--detail -o json|yaml|jsonl`: beyond it, the command is
/// told to use `--save` (each payload alone may take up to [`EMBED_LIMIT`]).
pub const DETAIL_TOTAL_LIMIT: u64 = 2 * EMBED_LIMIT;

/// Holds each payload whole in memory, up to [`EMBED_LIMIT`] each and `limit` in all, for a
/// JSON/YAML document or JSON lines.
struct MemoryStore {
    left: Rc<Cell<u64>>,
    limit: u64,
    /// `-o jsonl`: each step is printed here as soon as it is complete, not held to the end.
    lines: Option<crate::output::Printer>,
}

impl MemoryStore {
    fn new(limit: u64) -> Self {
        MemoryStore {
            left: Rc::new(Cell::new(limit)),
            limit,
            lines: None,
        }
    }
}

impl PayloadStore for MemoryStore {
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
        self.lines.is_some()
    }

    fn step_done(&mut self, step: StepPayloads<BudgetSink>) -> anyhow::Result<()> {
        match &self.lines {
            Some(printer) => printer.data_line(&serde_json::to_string(&whole_detail(step))?),
            None => Ok(()),
        }
    }
}

/// A step with its payloads back in place, whole, for a document.
fn whole_detail(step: StepPayloads<BudgetSink>) -> StepDetail {
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
struct BudgetSink {
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

async fn detail(ctx: &Context, args: &StepsArgs) -> anyhow::Result<ExitStatus> {
    let client = ctx.client().await?;
    let only = args.step.as_deref();
    if let Some(dir) = &args.save {
        let dir = SaveDir::prepare(dir, args.force)?;
        let work = crate::save::save_step_files(client, &args.thread_id, only, &dir);
        let (files, problem) = tokio::select! {
            saved = work => saved?,
            () = crate::interrupt::ctrl_c() => {
                return Err(CliError::new(
                    ExitStatus::Interrupted,
                    "interrupted: the save was stopped and its unfinished files removed",
                )
                .into());
            }
        };
        let total: u64 = files.iter().map(|f| f.bytes).sum();
        ctx.printer.status(&format!(
            "saved {} files ({}) to {}:",
            files.len(),
            size(total as i64),
            terminal_safe(&dir.shown().display().to_string())
        ));
        for file in &files {
            ctx.printer.status(&format!(
                "  {}  {}",
                terminal_safe(&file.path),
                size(file.bytes as i64)
            ));
        }
        return match problem {
            Some(problem) => Err(CliError::new(problem.status, problem.message).into()),
            None => Ok(ExitStatus::Success),
        };
    }
    match ctx.output {
        OutputFormat::Table => {
            let steps = download_steps(client, &args.thread_id, only, &mut PreviewStore)
                .await
                .map_err(DownloadError::into_anyhow)?;
            for (n, step) in steps.steps.iter().enumerate() {
                if n > 0 {
                    ctx.printer.data_line("")?;
                }
                print_step_detail(
                    &ctx.printer,
                    &step.detail,
                    &shown(step.input.as_ref()),
                    &shown(step.output.as_ref()),
                )?;
            }
            if steps.steps.is_empty() {
                ctx.printer.status("no steps yet");
            } else {
                ctx.printer.hint(&format!(
                    "every byte as files: {}",
                    crate::output::suggest::steps_save(&args.thread_id)
                ));
            }
        }
        format => {
            let mut store = MemoryStore::new(DETAIL_TOTAL_LIMIT);
            if format == OutputFormat::Jsonl {
                store.lines = Some(ctx.printer.clone());
            }
            let steps = download_steps(client, &args.thread_id, only, &mut store)
                .await
                .map_err(DownloadError::into_anyhow)?;
            // JSON lines: every step has been printed already.
            if format != OutputFormat::Jsonl {
                let details: Vec<StepDetail> = steps.steps.into_iter().map(whole_detail).collect();
                print_document(&ctx.printer, format, &details)?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

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
