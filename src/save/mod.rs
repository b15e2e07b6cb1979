//! `--save DIR`: the result of a thread as files, exactly as `cli-contract.md` lays them out.
//!
//! - [`assemble`]: strict validation of the chunked streams (pure, property-tested).
//! - [`download`]: a [`Downloader`](download::Downloader) reads the result streams
//!   ([`output_stream`], [`step_stream`]) into sinks, hashing on the way; a stream that breaks
//!   is opened once more from the start (`retry`, one rule for both).
//! - [`atomic`]: files written aside, fsynced, renamed; removed if dropped unfinished.
//! - [`digest`]: SHA-256 on a thread of its own for large streams.
//! - [`layout`]: DIR preparation, step path → directory, nothing outside DIR.
//! - [`memory`]: step payloads held in memory (previews, documents) within a budget.
//! - [`report`]: the [`SaveReporter`](report::SaveReporter) trait: what a save tells the user.
//! - [`sink`]: where bytes go ([`ByteSink`](sink::ByteSink)): files, memory, previews.
//! - `step_files`: `steps/<path>/…`, committed once the step stream has validated.
//! - [`summary`]: the `summary.json` a save writes last.
//! - [`worker`]: the queue-fed thread behind the writer and the hasher.
//! - [`yields`]: `yields.jsonl` from every yield a follow saw, merged with GetThreadResult's list.
//!
//! [`save_result`] writes `output.json`, `yields.jsonl`, `steps/<path>/…`, and `summary.json`
//! last. A payload whose stream breaks the rules gets no file; the problem is recorded in
//! summary.json and decides the exit code (7), and the other payloads are still saved. Every
//! save, of a result, of step files or of artifacts, comes back as one [`Saved`].

pub mod artifacts;
pub mod assemble;
pub mod atomic;
pub mod digest;
pub mod download;
pub mod layout;
pub mod memory;
pub mod output_stream;
pub mod report;
mod retry;
pub mod sink;
mod step_files;
pub mod step_stream;
pub mod summary;
pub mod verify;
pub mod worker;
pub mod yields;

use std::collections::BTreeMap;

use crate::error::{report, ExitStatus};
use crate::model::{Thread, ThreadResult};

use atomic::{AtomicFile, FileEntry};
use download::{DownloadError, Downloader};
use layout::{SaveDir, OUTPUT_FILE, SUMMARY_FILE};
use sink::ByteSink;
use step_files::save_steps;
use summary::{OutputInfo, Summary, SummaryParts, YieldsInfo};
use yields::{write_yields, YieldLog, YieldsSource};

/// A payload that could not be saved, and the exit code it calls for.
#[derive(Clone, Debug)]
pub struct Problem {
    pub status: ExitStatus,
    pub message: String,
}

impl Problem {
    /// A payload the server got wrong or broke off (exit 7).
    pub fn incomplete(message: impl Into<String>) -> Problem {
        Problem {
            status: ExitStatus::DownloadIncomplete,
            message: message.into(),
        }
    }

    fn from_download(err: DownloadError) -> Result<Problem, anyhow::Error> {
        match err {
            DownloadError::Incomplete(message) => Ok(Problem::incomplete(message)),
            DownloadError::Call(err) => {
                let r = report(&err.into()).expect("a call error is reported");
                Ok(Problem {
                    status: r.status,
                    message: r.message,
                })
            }
            DownloadError::Fatal(err) => Err(err),
        }
    }
}

/// What a save wrote and what it could not: the one shape of every save (a thread's result, step
/// files, artifacts).
#[derive(Debug, Default)]
pub struct Saved {
    /// Every file written, in the order written.
    pub files: Vec<FileEntry>,
    /// Each payload that got no file, and why; the first decides the exit code.
    pub problems: Vec<Problem>,
}

impl Saved {
    /// Records output.json, written: its entry among the files, and what the summary says of it.
    fn output_file(&mut self, entry: FileEntry, streamed: bool) -> OutputInfo {
        let info = OutputInfo {
            file: entry.path.clone(),
            bytes: entry.bytes,
            sha256: entry.sha256.clone(),
            streamed,
        };
        self.files.push(entry);
        info
    }
}

/// Writes one small file atomically.
fn write_small(dir: &SaveDir, rel: &str, bytes: &[u8]) -> anyhow::Result<FileEntry> {
    let target = dir.root().join(rel);
    let parent = target
        .parent()
        .expect("a file in DIR has a parent")
        .to_path_buf();
    let mut file = AtomicFile::create(&parent, target, rel.to_string(), true)?;
    file.write(bytes)?;
    file.commit(None)
}

/// Saves everything about a terminal thread into `dir`. `tee` also receives the output bytes
/// (stdout, when the command prints the output too); `yields` holds what a follow saw. Local
/// failures (disk full, permission, Ctrl-C dropping this future) end the save at once with no
/// partial file under a final name; a payload the server got wrong is recorded and the rest is
/// still saved.
pub async fn save_result(
    downloader: Downloader<'_>,
    thread: &Thread,
    result: &ThreadResult,
    dir: &SaveDir,
    tee: Option<&mut dyn ByteSink>,
    yields: Option<YieldLog>,
) -> anyhow::Result<(Saved, Summary)> {
    // The output, the step files and (when the answer in hand lacks them) the yielded values are
    // independent: asked for at once on the one connection, they cost one round trip, not three.
    let has_steps = !result.steps.is_empty() || result.steps_executed > 0;
    let mut output_part = Saved::default();
    let mut steps_part = Saved::default();
    // A local failure in one (a full disk) ends the others at once, their temporaries removed.
    let (output, steps_done, yielded) = tokio::try_join!(
        save_output(downloader, result, dir, tee, &mut output_part),
        async {
            if has_steps {
                save_steps(downloader, &result.thread_id, None, dir, &mut steps_part).await
            } else {
                Ok(None)
            }
        },
        yielded_values(
            downloader,
            result,
            yields.as_ref().map_or(0, YieldLog::kept)
        ),
    )?;
    let mut saved = output_part;

    // yields.jsonl
    let followed = yields.is_some();
    let written = write_yields(dir, yields, &yielded)?;
    let yields_file = written.file.as_ref().map(|entry| entry.path.clone());
    if let Some(entry) = written.file {
        saved.files.push(entry);
    }
    let saved_count = usize::try_from(written.saved).unwrap_or(usize::MAX);
    let count = yield_count(result, saved_count);
    let yields_info = YieldsInfo {
        count,
        saved: written.saved,
        capped: yields_capped(result, yielded.len()),
        source: written.source,
        complete: i64::try_from(written.saved).unwrap_or(i64::MAX) >= count,
        file: yields_file,
    };
    if !yields_info.complete {
        let why = match (followed, written.source) {
            (true, YieldsSource::Stream | YieldsSource::StreamAndResult) => {
                "the follow did not see them all (it began late, or polled instead of streaming)"
            }
            (true, _) => "the follow saw none of them",
            (false, _) => "the thread was not followed",
        };
        downloader.reporter.on_warning(&format!(
            "yields.jsonl has {} of the {count} values the thread yielded: {why}, and the server lists only {} (the API offers no call for the rest)",
            yields_info.saved,
            yielded.len(),
        ));
    }

    // steps/<path>/{step,input,output}.json, final only now that the output is in: a save
    // stopped early leaves no file under a final name for the next one to trip over.
    saved.problems.append(&mut steps_part.problems);
    let mut step_dirs: BTreeMap<String, String> = BTreeMap::new();
    let mut steps = result.steps.clone();
    if let Some(mut done) = steps_done {
        done.commit(dir, &mut saved)?;
        step_dirs = done.dirs;
        // A metadata-only answer has no summaries: the stream's meta does.
        if steps.is_empty() {
            steps = done.summaries;
        }
    }

    let parts = SummaryParts {
        output,
        yields: yields_info,
        steps,
        step_dirs,
    };
    let summary = Summary::new(thread, result, parts, &saved);
    let mut text = serde_json::to_string_pretty(&summary)?;
    text.push('\n');
    let entry = write_small(dir, SUMMARY_FILE, text.as_bytes())?;
    saved.files.push(entry);
    Ok((saved, summary))
}

/// The yielded values to save: those `result` lists, or, when it lists none though the thread
/// yielded (a metadata-only answer), those of a full GetThreadResult.
async fn yielded_values<'r>(
    downloader: Downloader<'_>,
    result: &'r ThreadResult,
    kept: u64,
) -> anyhow::Result<std::borrow::Cow<'r, [crate::model::YieldedValue]>> {
    // A follow that kept as many as the thread yielded needs no list from the server.
    let all_kept = i64::try_from(kept).unwrap_or(i64::MAX) >= i64::from(result.total_yielded);
    if !result.yielded_values.is_empty() || result.total_yielded <= 0 || all_kept {
        return Ok(std::borrow::Cow::Borrowed(&result.yielded_values));
    }
    let full = downloader
        .client
        .get_thread_result(&result.thread_id, &crate::client::ResultQuery::default())
        .await?;
    Ok(std::borrow::Cow::Owned(full.yielded_values))
}

/// How many values the thread yielded: `total_yielded`, but never fewer than were listed (a
/// negative or short count from the server is not believed).
pub fn yield_count(result: &ThreadResult, listed: usize) -> i64 {
    let listed = i64::try_from(listed).unwrap_or(i64::MAX);
    i64::from(result.total_yielded).max(listed)
}

/// Whether the server listed fewer yielded values than the thread yielded. Compared as `i64`:
/// a negative `total_yielded` is not a huge one.
fn yields_capped(result: &ThreadResult, listed: usize) -> bool {
    let listed = i64::try_from(listed).unwrap_or(i64::MAX);
    result.yields_truncated || i64::from(result.total_yielded) > listed
}

/// GetThreadResult's `output_total_bytes`, refused when negative (it would otherwise read as
/// "no output", or as a size the stream then seems to contradict).
pub fn output_total(result: &ThreadResult) -> Result<u64, String> {
    u64::try_from(result.output_total_bytes).map_err(|_| {
        format!(
            "thread output: GetThreadResult announces a negative size ({} bytes)",
            result.output_total_bytes
        )
    })
}

/// output.json from the unary bytes, or streamed when GetThreadResult had them truncated, into
/// `saved` (its file, or the problem that kept it from being written). `None`: no output.json.
async fn save_output(
    downloader: Downloader<'_>,
    result: &ThreadResult,
    dir: &SaveDir,
    tee: Option<&mut dyn ByteSink>,
    saved: &mut Saved,
) -> anyhow::Result<Option<OutputInfo>> {
    let total = match output_total(result) {
        Ok(total) => total,
        Err(message) => {
            saved.problems.push(Problem::incomplete(message));
            return Ok(None);
        }
    };
    if !result.output_truncated {
        if result.output_data.len() as u64 != total {
            saved.problems.push(Problem::incomplete(format!(
                "thread output: GetThreadResult carried {} bytes but said the output has {}",
                result.output_data.len(),
                result.output_total_bytes
            )));
            return Ok(None);
        }
        if total == 0 {
            return Ok(None);
        }
        let mut file = AtomicFile::create(
            dir.root(),
            dir.top_file(OUTPUT_FILE),
            OUTPUT_FILE.into(),
            true,
        )?;
        file.write(&result.output_data)?;
        if let Some(tee) = tee {
            tee.write(&result.output_data)?;
        }
        return Ok(Some(saved.output_file(file.commit(None)?, false)));
    }
    let mut file = AtomicFile::create(
        dir.root(),
        dir.top_file(OUTPUT_FILE),
        OUTPUT_FILE.into(),
        false,
    )?;
    let mut tee = tee;
    let downloaded = match tee.as_deref_mut() {
        Some(tee) => {
            let mut both = sink::Tee(&mut file, tee);
            downloader
                .download_output(&result.thread_id, Some(total), &mut both)
                .await
        }
        None => {
            downloader
                .download_output(&result.thread_id, Some(total), &mut file)
                .await
        }
    };
    match downloaded {
        Ok(done) => {
            if done.attempts > 1 {
                downloader
                    .reporter
                    .on_note("thread output: the second attempt completed and verified");
            }
            Ok(Some(
                saved.output_file(file.commit(Some(done.sha256))?, true),
            ))
        }
        // A server without StreamThreadResult: the unary answer holds a small output whole.
        Err(DownloadError::Call(err))
            if err.kind == crate::client::CallErrorKind::Unimplemented
                && total <= UNARY_OUTPUT_CAP =>
        {
            drop(file);
            let full = downloader
                .client
                .get_thread_result(&result.thread_id, &crate::client::ResultQuery::default())
                .await?;
            if full.output_truncated {
                saved
                    .problems
                    .push(Problem::from_download(DownloadError::Call(err))?);
                return Ok(None);
            }
            Box::pin(save_output(downloader, &full, dir, tee, saved)).await
        }
        // Dropping `file` removes its temporary file: no output.json.
        Err(err) => {
            saved.problems.push(Problem::from_download(err)?);
            Ok(None)
        }
    }
}

/// The most output a unary GetThreadResult carries whole (the reference's ~4 MB).
const UNARY_OUTPUT_CAP: u64 = 4 * 1024 * 1024;

/// `thread steps --detail --save DIR`: the step files alone (all steps, or `only`), or the
/// problem that kept them from being written.
pub async fn save_step_files(
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
    dir: &SaveDir,
) -> anyhow::Result<Saved> {
    let mut saved = Saved::default();
    if let Some(mut steps) = save_steps(downloader, thread_id, only, dir, &mut saved).await? {
        steps.commit(dir, &mut saved)?;
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::YieldedValue;

    fn result(total_yielded: i32, listed: usize) -> ThreadResult {
        ThreadResult {
            total_yielded,
            yielded_values: vec![YieldedValue::default(); listed],
            ..ThreadResult::default()
        }
    }

    #[test]
    fn negative_yield_count_is_not_a_huge_one() {
        // `total_yielded as usize` read -1 as 18446744073709551615: a false "capped".
        assert!(!yields_capped(&result(-1, 0), 0));
        assert!(!yields_capped(&result(-5, 2), 2));
        assert_eq!(yield_count(&result(-1, 2), 2), 2);
        assert!(yields_capped(&result(3, 2), 2));
        assert!(!yields_capped(&result(2, 2), 2));
        assert_eq!(yield_count(&result(i32::MAX, 1), 1), i64::from(i32::MAX));
    }

    #[test]
    fn negative_output_total_is_refused() {
        let mut r = result(0, 0);
        r.output_total_bytes = -1;
        assert!(output_total(&r).unwrap_err().contains("negative"));
        r.output_total_bytes = 7;
        assert_eq!(output_total(&r), Ok(7));
    }
}
