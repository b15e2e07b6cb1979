//! `thread result`: the final output (streamed in full when GetThreadResult has it truncated),
//! a summary on stderr, and with `--save DIR` the files of `cli-contract.md`.

use std::path::Path;

use crate::cli::{OutputFormat, ResultArgs};
use crate::client::{CallErrorKind, ResultQuery};
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::follow::End;
use crate::model::{StepStatus, Thread, ThreadResult, ThreadStatus};
use crate::output::{duration_ms, print_document, size, terminal_bytes, terminal_safe};
use crate::save::download::{download_output, DownloadError};
use crate::save::layout::SaveDir;
use crate::save::memory::EMBED_LIMIT;
use crate::save::sink::{too_large, ByteSink, MemorySink, StdoutSink};
use crate::save::{save_result, Saved};

use super::follow_flow::{follow_and_report, options};

/// The most output pretty-printed on a terminal; larger output is shown as it comes.
const PRETTY_LIMIT: usize = 8 * 1024 * 1024;
/// With --save, output larger than this is not also poured onto a terminal.
const TERMINAL_ECHO_LIMIT: u64 = 1024 * 1024;

pub async fn run(ctx: &Context, args: ResultArgs) -> anyhow::Result<ExitStatus> {
    if args.wait {
        let outcome = follow_and_report(ctx, &args.thread_id, &options(&args.follow)).await?;
        if outcome.end == End::Interrupted {
            return Ok(outcome.exit_status());
        }
    }
    let plan = ResultPlan {
        print: true,
        save: args.save.as_deref(),
        force: args.force,
        followed: args.wait,
    };
    after_run(ctx, &args.thread_id, plan).await
}

/// What to do with a thread's result once it has ended.
pub struct ResultPlan<'a> {
    /// Print the output (table mode) or the result document (json/yaml).
    pub print: bool,
    pub save: Option<&'a Path>,
    pub force: bool,
    /// A follow has just reported how the thread ended (status, duration, failed step): the
    /// summary then adds only what the follow did not say.
    pub followed: bool,
}

/// What `thread result` does once the thread has ended: print the output and/or save everything,
/// as `plan` says. Shared with `thread run --result --save DIR`.
///
/// Exit status: the thread's (COMPLETED 0, FAILED 1, CANCELLED 3, PAUSED 4); 7 when a payload
/// could not be had whole; a thread still pending or running has no result yet, which is an
/// error with exit 5 (the service's own word for it would be FAILED_PRECONDITION) and a hint to
/// use `--wait`.
pub async fn after_run(
    ctx: &Context,
    thread_id: &str,
    plan: ResultPlan<'_>,
) -> anyhow::Result<ExitStatus> {
    let result = fetch_result(ctx, thread_id).await?;
    if result.status == ThreadStatus::Paused {
        ctx.printer.status(&format!(
            "thread {} is paused, waiting for `thread resume {}`: it has no final result yet",
            terminal_safe(thread_id),
            terminal_safe(thread_id)
        ));
        return Ok(ExitStatus::ThreadPaused);
    }
    if !result.status.is_terminal() {
        return Err(not_finished(thread_id, result.status).into());
    }

    let Some(dir) = plan.save else {
        if plan.print {
            // Streaming can take long: Ctrl-C stops it (exit 130), also after a follow.
            crate::interrupt::race(
                print_output(ctx, &result, plan.followed),
                "the output on stdout is incomplete",
            )
            .await?;
        }
        return Ok(ExitStatus::for_thread(result.status));
    };

    let dir = SaveDir::prepare(dir, plan.force)?;
    let thread = ctx.client().await?.get_thread(thread_id).await?;
    if ctx.output == OutputFormat::Table {
        print_summary(ctx, &result, plan.followed);
    }
    // Saving can take long: Ctrl-C drops the work (and with it every temporary file).
    let work = save_and_echo(ctx, &thread, &result, dir, plan.print);
    let saved = tokio::select! {
        saved = work => saved?,
        () = crate::interrupt::ctrl_c() => {
            return Err(CliError::new(
                ExitStatus::Interrupted,
                "interrupted: the save was stopped and its unfinished files removed",
            )
            .with_hint(format!(
                "the thread's result is still on the server: {}",
                crate::output::suggest::result_save_again(thread_id)
            ))
            .into());
        }
    };
    if plan.print && ctx.output != OutputFormat::Table {
        print_document(&ctx.printer, ctx.output, &saved.summary)?;
    }
    report_saved(ctx, &saved)
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
            let query = ResultQuery {
                metadata_only: true,
                ..ResultQuery::default()
            };
            let mut result = client.get_thread_result(thread_id, &query).await?;
            result.output_data = bytes::Bytes::new();
            result.output_truncated = result.output_total_bytes > 0;
            Ok(result)
        }
        Err(err) => Err(err.into()),
    }
}

/// Saves, and in table mode also prints the output on stdout (the same bytes, in one pass).
async fn save_and_echo(
    ctx: &Context,
    thread: &Thread,
    result: &ThreadResult,
    dir: SaveDir,
    print_result: bool,
) -> anyhow::Result<Saved> {
    let client = ctx.client().await?;
    let table = ctx.output == OutputFormat::Table;
    let tty = ctx.printer.stdout_is_tty();
    let total = result.output_total_bytes.max(0) as u64;
    let pretty = table && print_result && tty && !result.output_truncated;
    let echo = table && print_result && !pretty && !(tty && total > TERMINAL_ECHO_LIMIT);
    if table && print_result && tty && !pretty && !echo {
        ctx.printer.status(&format!(
            "the output ({}) is not printed on a terminal; it is saved as output.json",
            size(total as i64)
        ));
    }
    let saved = if echo {
        let mut stdout = StdoutSink::echo(&ctx.printer);
        let saved = save_result(client, thread, result, dir, Some(&mut stdout)).await?;
        stdout.finish()?;
        saved
    } else {
        save_result(client, thread, result, dir, None).await?
    };
    if pretty {
        print_small_output(ctx, &result.output_data)?;
    }
    Ok(saved)
}

/// Lists what was written, then turns problems into the exit code.
fn report_saved(ctx: &Context, saved: &Saved) -> anyhow::Result<ExitStatus> {
    let total: u64 = saved.files.iter().map(|f| f.bytes).sum();
    ctx.printer.status(&format!(
        "saved {} files ({}) to {}:",
        saved.files.len(),
        size(total as i64),
        terminal_safe(&saved.dir.shown().display().to_string())
    ));
    const SHOWN: usize = 25;
    let width = saved
        .files
        .iter()
        .take(SHOWN)
        .map(|f| f.path.len())
        .max()
        .unwrap_or(0);
    for file in saved.files.iter().take(SHOWN) {
        ctx.printer.status(&format!(
            "  {:width$}  {:>10}",
            terminal_safe(&file.path),
            size(file.bytes as i64)
        ));
    }
    if saved.files.len() > SHOWN {
        ctx.printer.status(&format!(
            "  … and {} more, listed in summary.json",
            saved.files.len() - SHOWN
        ));
    }
    let Some((first, rest)) = saved.problems.split_first() else {
        return Ok(saved.exit_status());
    };
    for problem in rest {
        ctx.printer.warn(&problem.message);
    }
    Err(CliError::new(first.status, first.message.clone())
        .with_hint(format!(
            "summary.json in {} lists what was saved and what was not",
            saved.dir.shown().display()
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
        crate::output::suggest::result_wait(thread_id),
        crate::output::suggest::watch(thread_id)
    ))
}

/// One line on stderr: status, duration, steps, output size, yields; and for a failed thread the
/// error and where to look.
fn print_summary(ctx: &Context, result: &ThreadResult, followed: bool) {
    let mut parts = Vec::new();
    if !followed {
        let status = match result.status {
            ThreadStatus::Completed => ctx.printer.paint_stderr("completed", "32"),
            ThreadStatus::Failed => ctx.printer.paint_stderr("failed", "31"),
            other => ctx.printer.paint_stderr(&other.to_string(), "33"),
        };
        parts.push(format!(
            "thread {} {status} in {}",
            terminal_safe(&result.thread_id),
            duration_ms(result.duration_ms)
        ));
        parts.push(plural(result.steps_executed.into(), "step"));
    }
    parts.push(if result.output_total_bytes > 0 {
        format!("output {}", size(result.output_total_bytes))
    } else {
        "no output".to_string()
    });
    parts.push(plural(crate::save::yield_count(result), "yield"));
    let line = parts.join(" · ");
    if followed {
        ctx.printer.status(&format!("result: {line}"));
        return;
    }
    ctx.printer.status(&line);
    if result.status == ThreadStatus::Failed {
        let failed = result
            .steps
            .iter()
            .rev()
            .find(|s| s.status == StepStatus::Failed);
        if let Some(step) = failed {
            ctx.printer.status(&format!(
                "failed step: {} {}",
                terminal_safe(&step.step_path),
                terminal_safe(&step.name)
            ));
            ctx.printer.hint(
                &crate::output::suggest::step(&result.thread_id, &step.step_path).to_string(),
            );
        }
    }
}

/// Prints the output without `--save`: table mode streams it to stdout, json/yaml embed it.
async fn print_output(ctx: &Context, result: &ThreadResult, followed: bool) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let total = crate::save::output_total(result).map_err(crate::save::sink::incomplete)?;
    match ctx.output {
        OutputFormat::Table => {
            print_summary(ctx, result, followed);
            if !result.output_truncated {
                check_unary_size(result)?;
                return print_small_output(ctx, &result.output_data);
            }
            let mut stdout = StdoutSink::new(&ctx.printer);
            let downloaded =
                download_output(client, &result.thread_id, Some(total), &mut stdout).await;
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
                download_output(client, &result.thread_id, Some(total), &mut memory)
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

/// Output already in memory: pretty JSON on a terminal (control characters escaped), the exact
/// bytes otherwise.
fn print_small_output(ctx: &Context, data: &[u8]) -> anyhow::Result<()> {
    if data.is_empty() {
        return Ok(());
    }
    if !ctx.printer.stdout_is_tty() {
        return ctx.printer.data_bytes(data);
    }
    let pretty = (data.len() <= PRETTY_LIMIT)
        .then(|| serde_json::from_slice::<serde_json::Value>(data).ok())
        .flatten()
        .and_then(|value| serde_json::to_string_pretty(&value).ok());
    match pretty {
        Some(text) => ctx
            .printer
            .data_line(&String::from_utf8_lossy(&terminal_bytes(text.as_bytes()))),
        None => {
            let mut sink = StdoutSink::new(&ctx.printer);
            sink.write(data)?;
            sink.finish()?;
            if !data.ends_with(b"\n") {
                ctx.printer.data_bytes(b"\n")?;
            }
            Ok(())
        }
    }
}

/// `1 step`, `3 steps`.
fn plural(n: i64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
