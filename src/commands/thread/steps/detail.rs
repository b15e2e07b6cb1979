//! `thread steps ID --detail`: every step's (or `--step PATH`'s) whole input and output from
//! StreamStepResult: the start of each for a table, each whole in a document (within a memory
//! budget), or with `--save DIR` every byte as files.

use crate::cli::{OutputFormat, StepsArgs};
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::model::StepDetail;
use crate::output::print_document;
use crate::output::save_view::{print_saved_files, Listing, SaveView};
use crate::output::thread::{print_step_detail, PayloadView, PREVIEW_KEEP};
use crate::save::download::{DownloadError, Downloader};
use crate::save::layout::SaveDir;
use crate::save::memory::{whole_detail, MemoryStore, PreviewStore, DETAIL_TOTAL_LIMIT};
use crate::save::sink::PreviewSink;
use crate::save::step_stream::Payload;

pub(super) async fn run(ctx: &Context, args: &StepsArgs) -> anyhow::Result<ExitStatus> {
    let view = SaveView::new(&ctx.printer);
    let downloader = Downloader::new(ctx.client().await?, &ctx.settings, &view);
    let (id, only) = (args.thread_id.as_str(), args.step.as_deref());
    match (&args.save, ctx.output) {
        (Some(dir), _) => {
            let dir = SaveDir::prepare(dir, args.force)?;
            save(ctx, downloader, id, only, &dir).await
        }
        (None, OutputFormat::Table) => previews(ctx, downloader, id, only).await,
        (None, format) => documents(ctx, downloader, id, only, format).await,
    }
}

/// `--save DIR`: every byte as files, listed on stderr.
async fn save(
    ctx: &Context,
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
    dir: &SaveDir,
) -> anyhow::Result<ExitStatus> {
    let work = crate::save::save_step_files(downloader, thread_id, only, dir);
    let saved = crate::interrupt::race_with(work, || {
        CliError::new(
            ExitStatus::Interrupted,
            crate::interrupt::save_interrupted(dir.shown()),
        )
        .with_hint(format!(
            "save them again with: {}",
            crate::output::suggest::steps_save(thread_id)
        ))
    })
    .await?;
    print_saved_files(&ctx.printer, dir, &saved.files, Listing::Files);
    // A step save meets one problem at most: the stream that broke.
    match saved.problems.into_iter().next() {
        Some(problem) => Err(CliError::new(problem.status, problem.message).into()),
        None => Ok(ExitStatus::Success),
    }
}

/// A table: each step in full, the start of its input and output.
async fn previews(
    ctx: &Context,
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
) -> anyhow::Result<ExitStatus> {
    let steps = downloader
        .download_steps(thread_id, only, &mut PreviewStore::new(PREVIEW_KEEP))
        .await
        .map_err(DownloadError::into_anyhow)?;
    for (n, step) in steps.steps.iter().enumerate() {
        if n > 0 {
            ctx.printer.data_line("")?;
        }
        let (input, output) = (shown(step.input.as_ref()), shown(step.output.as_ref()));
        print_step_detail(&ctx.printer, &step.detail, &input, &output)?;
    }
    if steps.steps.is_empty() {
        ctx.printer.status("no steps yet");
    } else {
        ctx.printer.hint(&format!(
            "every byte as files: {}",
            crate::output::suggest::steps_save(thread_id)
        ));
    }
    Ok(ExitStatus::Success)
}

/// A payload kept by [`PreviewStore`], for display.
fn shown(payload: Option<&Payload<PreviewSink>>) -> PayloadView<'_> {
    match payload {
        Some(p) => PayloadView {
            head: &p.sink.head,
            total: p.bytes,
            whole: true,
        },
        None => PayloadView::NONE,
    }
}

/// `-o json|yaml`: every step with its payloads whole in one document; `-o jsonl`: each step
/// printed as soon as it is complete.
async fn documents(
    ctx: &Context,
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
    format: OutputFormat,
) -> anyhow::Result<ExitStatus> {
    let mut store = if format == OutputFormat::Jsonl {
        MemoryStore::handing_on(DETAIL_TOTAL_LIMIT, |step| {
            ctx.printer.data_line(&serde_json::to_string(&step)?)
        })
    } else {
        MemoryStore::new(DETAIL_TOTAL_LIMIT)
    };
    let steps = downloader
        .download_steps(thread_id, only, &mut store)
        .await
        .map_err(DownloadError::into_anyhow)?;
    // JSON lines: every step has been printed already.
    if format != OutputFormat::Jsonl {
        let details: Vec<StepDetail> = steps.steps.into_iter().map(whole_detail).collect();
        print_document(&ctx.printer, format, &details)?;
    }
    Ok(ExitStatus::Success)
}
