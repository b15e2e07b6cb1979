//! Delivering a thread's result once it has ended, shared by `thread result` and `thread run
//! --result/--save`: the output printed (streamed in full when GetThreadResult has it
//! truncated) with a summary on stderr, and/or everything saved as the files of
//! `cli-contract.md`, then the exit code the thread and the save call for.

use std::path::Path;

use crate::cli::OutputFormat;
use crate::client::{CallErrorKind, Client, ResultQuery};
use crate::context::Context;
use crate::error::{is_closed_pipe, CliError, ExitStatus};
use crate::model::{Thread, ThreadResult, ThreadStatus};
use crate::output::result::{
    print_output_bytes, print_output_preview, print_result_summary, printed_whole, SummaryScope,
    FLOOD_LIMIT,
};
use crate::output::save_view::{print_saved_files, Listing, SaveView};
use crate::output::stdout_sink::StdoutSink;
use crate::output::{print_document, size, suggest, terminal_safe};
use crate::save::download::{DownloadError, Downloader};
use crate::save::layout::SaveDir;
use crate::save::memory::EMBED_LIMIT;
use crate::save::sink::{too_large, MemorySink};
use crate::save::summary::Summary;
use crate::save::yields::YieldLog;
use crate::save::{save_result, Saved};

/// What to do with a thread's result once it has ended.
pub(crate) struct ResultPlan {
    /// Whether the output goes to stdout.
    pub print: Print,
    /// `--save DIR`, if given.
    pub save: Option<SaveTo>,
    /// How much the stderr summary says.
    pub summary: SummaryScope,
}

/// Whether the output goes to stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Print {
    /// The output (table mode) or, without `--save`, the result document (json/yaml).
    Result,
    /// Not the output (`thread result --save DIR`, `thread run --save DIR` without `--result`);
    /// with `--save` and `-o json|yaml`, the summary document.
    Nothing,
}

/// `--save DIR`, prepared (before any follow, so the yields it keeps have somewhere to go).
pub(crate) struct SaveTo {
    pub dir: SaveDir,
    /// Every yield a follow saw, when the command followed the thread.
    pub yields: Option<YieldLog>,
}

impl SaveTo {
    /// Prepares `--save DIR [--force]` (refused at once if DIR cannot be used); `follows`: the
    /// command follows the thread first, keeping its yields.
    pub fn prepare(dir: &Path, force: bool, follows: bool) -> anyhow::Result<SaveTo> {
        let dir = SaveDir::prepare(dir, force)?;
        let yields = follows.then(|| YieldLog::new(&dir));
        Ok(SaveTo { dir, yields })
    }
}

/// What `thread result` does once the thread has ended: print the output and/or save everything,
/// as `plan` says. Shared with `thread run --result --save DIR`.
///
/// Exit status: the thread's (COMPLETED 0, FAILED 1, CANCELLED 3, PAUSED 4); 7 when a payload
/// could not be had whole; a thread still pending or running has no result yet, which is an
/// error with exit 5 (the service's own word for it would be FAILED_PRECONDITION) and a hint to
/// use `--wait`.
pub(crate) async fn deliver(
    ctx: &Context,
    thread_id: &str,
    plan: ResultPlan,
) -> anyhow::Result<ExitStatus> {
    let (result, thread) = match plan.save {
        Some(_) => {
            let (result, thread) = fetch_for_save(ctx.client().await?, thread_id).await?;
            (result, Some(thread))
        }
        None => (fetch_result(ctx, thread_id).await?, None),
    };
    if result.status == ThreadStatus::Paused {
        ctx.printer.status(&format!(
            "thread {} is paused, waiting for `{}`: it has no final result yet",
            terminal_safe(thread_id),
            suggest::resume(thread_id)
        ));
        ctx.printer.hint(&suggest::resume_hint(thread_id));
        return Ok(ExitStatus::ThreadPaused);
    }
    if !result.status.is_terminal() {
        return Err(not_finished(thread_id, result.status).into());
    }

    let Some(save) = plan.save else {
        if plan.print == Print::Result {
            // Streaming can take long: Ctrl-C stops it (exit 130), also after a follow.
            let printed = crate::interrupt::race(
                print_output(ctx, &result, plan.summary),
                "the output on stdout is incomplete",
            )
            .await;
            // A reader that stopped reading (`| head`) changes nothing about the thread's code.
            match printed {
                Err(err) if is_closed_pipe(&err) => {}
                other => other?,
            }
        }
        return Ok(ExitStatus::for_thread(result.status));
    };

    let SaveTo { dir, yields } = save;
    let thread = thread.expect("fetched for the save");
    // Saving can take long: Ctrl-C drops the work (and with it every temporary file).
    let again = || {
        format!(
            "the thread's result is still on the server; save it again with: {}",
            suggest::result_save(thread_id, dir.shown(), !dir_is_empty(&dir))
        )
    };
    crate::interrupt::set_last_word(again());
    let echo = EchoMode::choose(plan.print, ctx.output, ctx.printer.stdout_is_tty());
    let work = save_and_echo(ctx, &thread, &result, &dir, echo, yields);
    let (saved, summary) = crate::interrupt::race_with(work, || {
        CliError::new(
            ExitStatus::Interrupted,
            crate::interrupt::save_interrupted(dir.shown()),
        )
        .with_hint(again())
    })
    .await?;
    if ctx.output == OutputFormat::Table {
        // Said once the save is done: the metadata-only answer it started from names no steps,
        // the step stream did.
        let mut shown = result.clone();
        shown.steps = summary.steps.iter().map(|s| s.summary.clone()).collect();
        print_result_summary(&ctx.printer, &shown, plan.summary);
    }
    if ctx.output != OutputFormat::Table {
        // With --save, -o json|yaml print the summary document (what summary.json holds).
        match print_document(&ctx.printer, ctx.output, &summary) {
            Err(err) if is_closed_pipe(&err) => {}
            other => other?,
        }
    }
    report_saved(ctx, &dir, &saved, &summary)
}

/// Whether nothing is left in a save directory (an interrupted save removes what it began).
fn dir_is_empty(dir: &SaveDir) -> bool {
    std::fs::read_dir(dir.root()).is_ok_and(|mut entries| entries.next().is_none())
}

/// GetThreadResult. When its answer is too large to accept (a server ignoring the unary cap),
/// asks again for the metadata alone and takes the output as truncated, so it is streamed.
async fn fetch_result(ctx: &Context, thread_id: &str) -> anyhow::Result<ThreadResult> {
    let client = ctx.client().await?;
    match client
        .get_thread_result(thread_id, &ResultQuery::default())
        .await
    {
        Ok(result) => Ok(result),
        Err(err) if err.kind == CallErrorKind::MessageTooLarge => {
            ctx.printer.warn(&format!(
                "GetThreadResult's answer is over the {} message limit; fetching metadata and streaming the output instead",
                size(crate::client::MAX_MESSAGE_BYTES as i64)
            ));
            Ok(client.get_thread_result_metadata(thread_id).await?)
        }
        Err(err) => Err(err.into()),
    }
}

/// What a save starts from: the result's metadata and the thread, asked for at once (one round
/// trip). Metadata only, since the output is streamed anyway: the unary answer would carry up
/// to its first 4 MiB for nothing.
async fn fetch_for_save(
    client: &Client,
    thread_id: &str,
) -> anyhow::Result<(ThreadResult, Thread)> {
    let (result, thread) = tokio::join!(
        client.get_thread_result_metadata(thread_id),
        client.get_thread(thread_id)
    );
    Ok((result?, thread?))
}

/// How the output reaches stdout while it is saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EchoMode {
    /// Not at all: not asked for, or `-o json|yaml`, which print the summary document instead.
    Off,
    /// The same bytes as they are saved, in one pass (stdout piped or redirected).
    Stream,
    /// Once saved, as a terminal shows an output: pretty, or a preview when large.
    Terminal,
}

impl EchoMode {
    fn choose(print: Print, format: OutputFormat, stdout_tty: bool) -> Self {
        if print != Print::Result || format != OutputFormat::Table {
            EchoMode::Off
        } else if !stdout_tty {
            EchoMode::Stream
        } else {
            EchoMode::Terminal
        }
    }
}

/// Saves, and echoes the output on stdout as `echo` says.
async fn save_and_echo(
    ctx: &Context,
    thread: &Thread,
    result: &ThreadResult,
    dir: &SaveDir,
    echo: EchoMode,
    yields: Option<YieldLog>,
) -> anyhow::Result<(Saved, Summary)> {
    let view = SaveView::new(&ctx.printer);
    let downloader = Downloader::new(ctx.client().await?, &ctx.settings, &view);
    let saved = if echo == EchoMode::Stream {
        let mut stdout = StdoutSink::echo(&ctx.printer);
        let saved = save_result(downloader, thread, result, dir, Some(&mut stdout), yields).await?;
        stdout.finish()?;
        saved
    } else {
        save_result(downloader, thread, result, dir, None, yields).await?
    };
    if echo == EchoMode::Terminal {
        let saved_output = saved.1.output.as_ref().map(|o| dir.root().join(&o.file));
        print_terminal_output(ctx, result, saved_output.as_deref())?;
    }
    Ok(saved)
}

/// The output as a terminal shows it, from what GetThreadResult carried: whole (pretty) when
/// small, else a preview.
fn print_terminal_output(
    ctx: &Context,
    result: &ThreadResult,
    saved_output: Option<&Path>,
) -> anyhow::Result<()> {
    let total = result.output_total_bytes.max(0) as u64;
    // A save streams the output (the unary answer carried none): its start is read back from
    // output.json, saved and verified a moment ago.
    let head = match saved_output {
        Some(path) if result.output_data.is_empty() => {
            use std::io::Read;
            let mut head = Vec::new();
            std::fs::File::open(path)?
                .take(FLOOD_LIMIT + 1)
                .read_to_end(&mut head)?;
            bytes::Bytes::from(head)
        }
        _ => result.output_data.clone(),
    };
    let whole = head.len() as u64 == total;
    if !whole || !printed_whole(&ctx.printer, total) {
        return print_output_preview(&ctx.printer, &result.thread_id, &head, total);
    }
    print_output_bytes(&ctx.printer, &result.thread_id, &head)
}

/// Lists what was written, then turns problems into the exit code.
fn report_saved(
    ctx: &Context,
    dir: &SaveDir,
    saved: &Saved,
    summary: &Summary,
) -> anyhow::Result<ExitStatus> {
    print_saved_files(&ctx.printer, dir, &saved.files, Listing::Files);
    let Some((first, rest)) = saved.problems.split_first() else {
        return Ok(ExitStatus::for_thread(summary.status));
    };
    for problem in rest {
        ctx.printer.warn(&problem.message);
    }
    Err(CliError::new(first.status, first.message.clone())
        .with_hint(format!(
            "summary.json in {} lists what was saved and what was not",
            dir.shown().display()
        ))
        .into())
}

fn not_finished(thread_id: &str, status: ThreadStatus) -> CliError {
    let id = terminal_safe(thread_id);
    CliError::new(
        ExitStatus::ServerRefused,
        format!("thread {id} is {status}: it has no final result yet"),
    )
    .with_hint(format!(
        "wait for it: {} (or follow it: {})",
        suggest::result_wait(thread_id),
        suggest::watch(thread_id)
    ))
}

/// Prints the output without `--save`: table mode streams it to stdout, json/yaml embed it.
async fn print_output(
    ctx: &Context,
    result: &ThreadResult,
    summary: SummaryScope,
) -> anyhow::Result<()> {
    let view = SaveView::new(&ctx.printer);
    let downloader = Downloader::new(ctx.client().await?, &ctx.settings, &view);
    let total = crate::save::output_total(result).map_err(crate::save::sink::incomplete)?;
    match ctx.output {
        OutputFormat::Table => {
            print_result_summary(&ctx.printer, result, summary);
            if !result.output_truncated {
                check_unary_size(result)?;
            }
            // A terminal is shown what is in hand (a large output only in part); a pipe or a
            // file gets the exact bytes, streamed when GetThreadResult had them truncated.
            if ctx.printer.stdout_is_tty() {
                return print_terminal_output(ctx, result, None);
            }
            if !result.output_truncated {
                return print_output_bytes(&ctx.printer, &result.thread_id, &result.output_data);
            }
            let mut stdout = StdoutSink::new(&ctx.printer);
            let downloaded = downloader
                .download_output(&result.thread_id, Some(total), &mut stdout)
                .await;
            stdout.finish()?;
            if let Err(err) = downloaded {
                let written = stdout.bytes;
                return Err(match err {
                    DownloadError::Incomplete(message) if written > 0 => {
                        crate::save::sink::incomplete(format!(
                            "{message} ({} of the output had already been written to stdout: discard it)",
                            size(written as i64)
                        ))
                        .into()
                    }
                    err => err.into_anyhow(),
                });
            }
            Ok(())
        }
        format => {
            let mut full = result.clone();
            if result.output_truncated {
                if total > EMBED_LIMIT {
                    return Err(too_large("the output", EMBED_LIMIT).into());
                }
                let mut memory = MemorySink::new("the output", EMBED_LIMIT as usize);
                downloader
                    .download_output(&result.thread_id, Some(total), &mut memory)
                    .await
                    .map_err(DownloadError::into_anyhow)?;
                full.output_data = memory.data.into();
                // What the document carries is now the whole output.
                full.output_truncated = false;
            } else {
                check_unary_size(result)?;
            }
            print_document(&ctx.printer, format, &full)
        }
    }
}

/// An untruncated unary output must be exactly as long as the server says.
fn check_unary_size(result: &ThreadResult) -> Result<(), CliError> {
    if result.output_data.len() as i64 == result.output_total_bytes {
        return Ok(());
    }
    Err(crate::save::sink::incomplete(format!(
        "thread output: GetThreadResult carried {} bytes but said the output has {}",
        result.output_data.len(),
        result.output_total_bytes
    )))
}

/// One thread of a batch (`run --inputs --save`) saved into its own DIR, with nothing on the
/// terminal (the batch's view speaks): the exit code the thread and the save call for, and the
/// summary written.
pub(crate) async fn save_one_of_many(
    ctx: &Context,
    thread_id: &str,
    save: SaveTo,
) -> anyhow::Result<(ExitStatus, Summary)> {
    let client = ctx.client().await?.clone();
    let settings = ctx.settings.clone();
    let quiet = ctx.printer.quieted();
    let thread_id = thread_id.to_string();
    // A batch follows all its threads on one task, and a save waits on the disk (fsync,
    // syncfs) in place: on that task, 1 000 saves would queue behind each other and stall
    // every follow. On a thread of its own, a save overlaps the others and the follows.
    let runtime = tokio::runtime::Handle::current();
    let saving = tokio::task::spawn_blocking(move || {
        runtime.block_on(async move {
            let (result, thread) = fetch_for_save(&client, &thread_id).await?;
            if !result.status.is_terminal() {
                return Err(not_finished(&thread_id, result.status).into());
            }
            let view = SaveView::new(&quiet);
            let downloader = Downloader::new(&client, &settings, &view);
            let (saved, summary) =
                save_result(downloader, &thread, &result, &save.dir, None, save.yields).await?;
            let status = match saved.problems.first() {
                Some(problem) => problem.status,
                None => ExitStatus::for_thread(summary.status),
            };
            anyhow::Ok((status, summary))
        })
    });
    saving
        .await
        .map_err(|err| anyhow::anyhow!("a save stopped unexpectedly: {err}"))?
}

/// A thread's result with its whole output embedded (streamed when GetThreadResult had it
/// truncated, within the embedding limit), for `run --inputs --result`.
pub(crate) async fn result_document(
    ctx: &Context,
    thread_id: &str,
) -> anyhow::Result<ThreadResult> {
    let result = fetch_result(ctx, thread_id).await?;
    if !result.output_truncated {
        check_unary_size(&result)?;
        return Ok(result);
    }
    let total = crate::save::output_total(&result).map_err(crate::save::sink::incomplete)?;
    if total > EMBED_LIMIT {
        return Err(too_large("the output", EMBED_LIMIT).into());
    }
    let quiet = ctx.printer.quieted();
    let view = SaveView::new(&quiet);
    let downloader = Downloader::new(ctx.client().await?, &ctx.settings, &view);
    let mut memory = MemorySink::new("the output", EMBED_LIMIT as usize);
    downloader
        .download_output(thread_id, Some(total), &mut memory)
        .await
        .map_err(DownloadError::into_anyhow)?;
    let mut full = result;
    full.output_data = memory.data.into();
    full.output_truncated = false;
    Ok(full)
}
