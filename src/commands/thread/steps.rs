//! `thread steps`: the step tree, one step's detail (`--step`), or every step's full input and
//! output (`--detail`, reassembled from StreamStepResult; `--save DIR` writes them as files).

use crate::cli::{OutputFormat, StepsArgs};
use crate::client::CallErrorKind;
use crate::client::ResultQuery;
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::model::step_tree::nearby;
use crate::model::{StepDetail, StepSummary};
use crate::output::save_view::{print_saved_files, Listing, SaveView};
use crate::output::thread::{print_step_detail, print_step_tree, PayloadView, PREVIEW_KEEP};
use crate::output::{print_document, terminal_safe};
use crate::save::download::{DownloadError, Downloader};
use crate::save::layout::SaveDir;
use crate::save::memory::{whole_detail, MemoryStore, PreviewStore, DETAIL_TOTAL_LIMIT};
use crate::save::sink::PreviewSink;

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
fn shown(payload: Option<&crate::save::step_stream::Payload<PreviewSink>>) -> PayloadView<'_> {
    match payload {
        Some(p) => PayloadView {
            head: &p.sink.head,
            total: p.bytes,
            whole: true,
        },
        None => PayloadView::NONE,
    }
}

async fn detail(ctx: &Context, args: &StepsArgs) -> anyhow::Result<ExitStatus> {
    let view = SaveView::new(&ctx.printer);
    let downloader = Downloader::new(ctx.client().await?, &ctx.settings, &view);
    let only = args.step.as_deref();
    if let Some(dir) = &args.save {
        let dir = SaveDir::prepare(dir, args.force)?;
        let work = crate::save::save_step_files(downloader, &args.thread_id, only, &dir);
        let saved = tokio::select! {
            saved = work => saved?,
            () = crate::interrupt::ctrl_c() => {
                return Err(CliError::new(
                    ExitStatus::Interrupted,
                    "interrupted: the save was stopped and its unfinished files removed",
                )
                .into());
            }
        };
        print_saved_files(&ctx.printer, &dir, &saved.files, Listing::StepFiles);
        // A step save meets one problem at most: the stream that broke.
        return match saved.problems.into_iter().next() {
            Some(problem) => Err(CliError::new(problem.status, problem.message).into()),
            None => Ok(ExitStatus::Success),
        };
    }
    match ctx.output {
        OutputFormat::Table => {
            let steps = downloader
                .download_steps(&args.thread_id, only, &mut PreviewStore::new(PREVIEW_KEEP))
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
            let mut store = if format == OutputFormat::Jsonl {
                MemoryStore::handing_on(DETAIL_TOTAL_LIMIT, |step| {
                    ctx.printer.data_line(&serde_json::to_string(&step)?)
                })
            } else {
                MemoryStore::new(DETAIL_TOTAL_LIMIT)
            };
            let steps = downloader
                .download_steps(&args.thread_id, only, &mut store)
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
