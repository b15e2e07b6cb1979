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
//! - [`worker`]: the queue-fed thread behind the writer and the hasher.
//!
//! [`save_result`] writes `output.json`, `yields.jsonl`, `steps/<path>/…`, and `summary.json`
//! last. A payload whose stream breaks the rules gets no file; the problem is recorded in
//! summary.json and decides the exit code (7), and the other payloads are still saved.

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
pub mod step_stream;
pub mod verify;
pub mod worker;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::error::{report, ExitStatus};
use crate::model::{
    StepDetail, StepDiagnostics, StepStatus, StepSummary, Thread, ThreadResult, ThreadStatus,
};

use assemble::Field;
use atomic::{AtomicFile, FileEntry};
use download::{DownloadError, Downloader};
use layout::{SaveDir, INPUT_FILE, OUTPUT_FILE, STEP_FILE, SUMMARY_FILE, YIELDS_FILE};
use sink::ByteSink;
use step_stream::PayloadStore;

/// A payload that could not be saved, and the exit code it calls for.
#[derive(Clone, Debug)]
pub struct Problem {
    pub status: ExitStatus,
    pub message: String,
}

impl Problem {
    fn from_download(err: DownloadError) -> Result<Problem, anyhow::Error> {
        match err {
            DownloadError::Incomplete(message) => Ok(Problem {
                status: ExitStatus::DownloadIncomplete,
                message,
            }),
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

/// What a save wrote and what went wrong.
pub struct Saved {
    pub dir: SaveDir,
    pub files: Vec<FileEntry>,
    pub problems: Vec<Problem>,
    pub summary: Summary,
}

impl Saved {
    /// The exit code: the first problem's, else the thread's.
    pub fn exit_status(&self) -> ExitStatus {
        self.problems
            .first()
            .map_or(ExitStatus::for_thread(self.summary.status), |p| p.status)
    }
}

/// `summary.json`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub thread_id: String,
    pub script_name: String,
    pub script_version: i32,
    pub status: ThreadStatus,
    pub error: String,
    pub metadata: BTreeMap<String, String>,
    pub organization_name: String,
    pub created_at_ms: i64,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
    pub duration_ms: i64,
    pub steps_executed: i32,
    pub total_steps: i32,
    /// The final output as saved; `null` when there is none or it could not be had whole.
    pub output: Option<OutputInfo>,
    pub output_total_bytes: i64,
    pub yields: YieldsInfo,
    pub steps: Vec<SummaryStep>,
    /// Every file this save wrote (summary.json aside), with size and sha256.
    pub files: Vec<FileEntry>,
    pub errors: Vec<String>,
    /// True when every payload was saved whole.
    pub complete: bool,
    pub saved_at_ms: i64,
    pub saved_by: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputInfo {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    /// Whether it came from StreamThreadResult (GetThreadResult had it truncated).
    pub streamed: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YieldsInfo {
    /// How many values the thread yielded (`total_yielded`, never fewer than listed).
    pub count: i64,
    /// How many are in yields.jsonl.
    pub saved: usize,
    /// Whether the server capped the inline list (the API has no call for the rest).
    pub capped: bool,
    pub file: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryStep {
    #[serde(flatten)]
    pub summary: StepSummary,
    /// Where its files are, relative to DIR, when saved.
    pub dir: Option<String>,
}

/// `steps/<path>/step.json`: the step without its payloads, which sit beside it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepFile<'a> {
    step_path: &'a str,
    name: &'a str,
    primitive: &'a str,
    tool: &'a str,
    status: StepStatus,
    error: &'a str,
    started_at_ms: i64,
    finished_at_ms: i64,
    duration_ms: i64,
    diagnostics: Option<&'a StepDiagnostics>,
    output_total_bytes: i64,
    output_truncated: bool,
    input_file: Option<&'static str>,
    input_bytes: u64,
    output_file: Option<&'static str>,
    output_bytes: u64,
}

/// Writes step payloads as files being written aside in their step directory.
struct DiskStore<'a> {
    dir: &'a SaveDir,
    reporter: &'a dyn report::SaveReporter,
    step_dirs: BTreeMap<String, (PathBuf, String)>,
}

impl DiskStore<'_> {
    fn dir_of(&mut self, step_path: &str) -> anyhow::Result<&(PathBuf, String)> {
        if !self.step_dirs.contains_key(step_path) {
            let made = self.dir.step_dir(step_path)?;
            self.step_dirs.insert(step_path.to_string(), made);
        }
        Ok(&self.step_dirs[step_path])
    }
}

impl PayloadStore for DiskStore<'_> {
    type Payload = AtomicFile;

    fn step(&mut self, step: &StepDetail) -> anyhow::Result<()> {
        if !layout::is_plain_step_path(&step.step_path) {
            self.reporter.on_warning(&format!(
                "step path {:?} is not of the form 1.0.2; its files go to {}",
                crate::output::terminal_safe(&step.step_path),
                format_args!("steps/{}", layout::step_dir_name(&step.step_path))
            ));
        }
        self.dir_of(&step.step_path).map(|_| ())
    }

    fn open(&mut self, step: &StepDetail, field: Field) -> anyhow::Result<AtomicFile> {
        let (dir, rel) = self.dir_of(&step.step_path)?.clone();
        let file = match field {
            Field::Input => INPUT_FILE,
            Field::Output => OUTPUT_FILE,
        };
        AtomicFile::create(&dir, dir.join(file), format!("{rel}/{file}"), true)
    }

    /// Closes the file as soon as its bytes are in: it waits for the commit as a temporary path
    /// only, so a thread of thousands of steps does not hold thousands of open files.
    fn complete(&mut self, payload: &mut AtomicFile) -> anyhow::Result<()> {
        payload.seal()
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
/// (stdout, when the command prints the output too). Local failures (disk full, permission,
/// Ctrl-C dropping this future) end the save at once with no partial file under a final name;
/// a payload the server got wrong is recorded and the rest is still saved.
pub async fn save_result(
    downloader: Downloader<'_>,
    thread: &Thread,
    result: &ThreadResult,
    dir: SaveDir,
    tee: Option<&mut dyn ByteSink>,
) -> anyhow::Result<Saved> {
    let mut files: Vec<FileEntry> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();

    // output.json
    let output = save_output(downloader, result, &dir, tee).await?;
    let output = match output {
        Ok(Some((entry, streamed))) => {
            let info = OutputInfo {
                file: entry.path.clone(),
                bytes: entry.bytes,
                sha256: entry.sha256.clone(),
                streamed,
            };
            files.push(entry);
            Some(info)
        }
        Ok(None) => None,
        Err(problem) => {
            problems.push(problem);
            None
        }
    };

    // yields.jsonl
    let yields_file = if result.yielded_values.is_empty() {
        None
    } else {
        let mut text = String::new();
        for value in &result.yielded_values {
            text.push_str(&serde_json::to_string(value)?);
            text.push('\n');
        }
        let entry = write_small(&dir, YIELDS_FILE, text.as_bytes())?;
        let name = entry.path.clone();
        files.push(entry);
        Some(name)
    };
    let capped = yields_capped(result);
    if capped {
        downloader.reporter.on_warning(&format!(
            "the server listed {} of {} yielded values (the API offers no call for the rest)",
            result.yielded_values.len(),
            result.total_yielded
        ));
    }

    // steps/<path>/{step,input,output}.json
    let mut step_dirs: BTreeMap<String, String> = BTreeMap::new();
    let mut summaries = result.steps.clone();
    let has_steps = !result.steps.is_empty() || result.steps_executed > 0;
    if has_steps {
        match save_steps(downloader, &result.thread_id, None, &dir, &mut files).await? {
            Ok((dirs, streamed)) => {
                step_dirs = dirs;
                // A metadata-only answer has no summaries: the stream's meta does.
                if summaries.is_empty() {
                    summaries = streamed;
                }
            }
            Err(problem) => problems.push(problem),
        }
    }

    let summary = Summary {
        thread_id: result.thread_id.clone(),
        script_name: thread.script_name.clone(),
        script_version: thread.script_version,
        status: result.status,
        error: thread.error.clone(),
        metadata: thread.metadata.clone(),
        organization_name: thread.organization_name.clone(),
        created_at_ms: thread.created_at_ms,
        started_at_ms: thread.started_at_ms,
        finished_at_ms: thread.finished_at_ms,
        duration_ms: result.duration_ms,
        steps_executed: result.steps_executed,
        total_steps: thread.total_steps,
        output,
        output_total_bytes: result.output_total_bytes,
        yields: YieldsInfo {
            count: yield_count(result),
            saved: result.yielded_values.len(),
            capped,
            file: yields_file,
        },
        steps: summaries
            .iter()
            .map(|s| SummaryStep {
                summary: s.clone(),
                dir: step_dirs.get(&s.step_path).cloned(),
            })
            .collect(),
        files: files.clone(),
        errors: problems.iter().map(|p| p.message.clone()).collect(),
        complete: problems.is_empty(),
        saved_at_ms: crate::model::event::now_ms(),
        saved_by: format!("dodil {}", env!("CARGO_PKG_VERSION")),
    };
    let mut text = serde_json::to_string_pretty(&summary)?;
    text.push('\n');
    let entry = write_small(&dir, SUMMARY_FILE, text.as_bytes())?;
    files.push(entry);
    Ok(Saved {
        dir,
        files,
        problems,
        summary,
    })
}

/// How many values the thread yielded: `total_yielded`, but never fewer than were listed (a
/// negative or short count from the server is not believed).
pub fn yield_count(result: &ThreadResult) -> i64 {
    let listed = i64::try_from(result.yielded_values.len()).unwrap_or(i64::MAX);
    i64::from(result.total_yielded).max(listed)
}

/// Whether the server listed fewer yielded values than the thread yielded. Compared as `i64`:
/// a negative `total_yielded` is not a huge one.
fn yields_capped(result: &ThreadResult) -> bool {
    let listed = i64::try_from(result.yielded_values.len()).unwrap_or(i64::MAX);
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

/// output.json from the unary bytes, or streamed when GetThreadResult had them truncated.
/// `Ok(Ok(None))`: the thread has no output. `Ok(Err(problem))`: no file, and why.
async fn save_output(
    downloader: Downloader<'_>,
    result: &ThreadResult,
    dir: &SaveDir,
    tee: Option<&mut dyn ByteSink>,
) -> anyhow::Result<Result<Option<(FileEntry, bool)>, Problem>> {
    let total = match output_total(result) {
        Ok(total) => total,
        Err(message) => {
            return Ok(Err(Problem {
                status: ExitStatus::DownloadIncomplete,
                message,
            }))
        }
    };
    if !result.output_truncated {
        if result.output_data.len() as u64 != total {
            return Ok(Err(Problem {
                status: ExitStatus::DownloadIncomplete,
                message: format!(
                    "thread output: GetThreadResult carried {} bytes but said the output has {}",
                    result.output_data.len(),
                    result.output_total_bytes
                ),
            }));
        }
        if total == 0 {
            return Ok(Ok(None));
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
        return Ok(Ok(Some((file.commit(None)?, false))));
    }
    let mut file = AtomicFile::create(
        dir.root(),
        dir.top_file(OUTPUT_FILE),
        OUTPUT_FILE.into(),
        false,
    )?;
    let downloaded = match tee {
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
            Ok(Ok(Some((file.commit(Some(done.sha256))?, true))))
        }
        // Dropping `file` removes its temporary file: no output.json.
        Err(err) => Ok(Err(Problem::from_download(err)?)),
    }
}

/// Every step's files; all of them committed only once the whole stream has validated.
async fn save_steps(
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
    dir: &SaveDir,
    files: &mut Vec<FileEntry>,
) -> anyhow::Result<Result<(BTreeMap<String, String>, Vec<StepSummary>), Problem>> {
    let mut store = DiskStore {
        dir,
        reporter: downloader.reporter,
        step_dirs: BTreeMap::new(),
    };
    let downloaded = downloader.download_steps(thread_id, only, &mut store).await;
    let steps = match downloaded {
        Ok(steps) => steps,
        Err(err) => {
            remove_empty_dirs(&store);
            return Ok(Err(Problem::from_download(err)?));
        }
    };
    let mut dirs = BTreeMap::new();
    for step in steps.steps {
        let (_, rel) = store.dir_of(&step.detail.step_path)?.clone();
        let d = &step.detail;
        let step_file = StepFile {
            step_path: &d.step_path,
            name: &d.name,
            primitive: &d.primitive,
            tool: &d.tool,
            status: d.status,
            error: &d.error,
            started_at_ms: d.started_at_ms,
            finished_at_ms: d.finished_at_ms,
            duration_ms: d.duration_ms,
            diagnostics: d.diagnostics.as_ref(),
            output_total_bytes: d.output_total_bytes,
            output_truncated: d.output_truncated,
            input_file: step.input.as_ref().map(|_| INPUT_FILE),
            input_bytes: step.input.as_ref().map_or(0, |p| p.bytes),
            output_file: step.output.as_ref().map(|_| OUTPUT_FILE),
            output_bytes: step.output.as_ref().map_or(0, |p| p.bytes),
        };
        let mut text = serde_json::to_string_pretty(&step_file)?;
        text.push('\n');
        for payload in [step.input, step.output].into_iter().flatten() {
            files.push(payload.sink.commit(None)?);
        }
        files.push(write_small(
            dir,
            &format!("{rel}/{STEP_FILE}"),
            text.as_bytes(),
        )?);
        dirs.insert(d.step_path.clone(), rel);
    }
    Ok(Ok((dirs, steps.summaries)))
}

/// `thread steps --detail --save DIR`: the step files alone (all steps, or `only`). Returns the
/// files written and the problem that kept them from being written, if any.
pub async fn save_step_files(
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
    dir: &SaveDir,
) -> anyhow::Result<(Vec<FileEntry>, Option<Problem>)> {
    let mut files = Vec::new();
    let problem = save_steps(downloader, thread_id, only, dir, &mut files)
        .await?
        .err();
    Ok((files, problem))
}

fn remove_empty_dirs(store: &DiskStore<'_>) {
    for (dir, _) in store.step_dirs.values() {
        let _ = std::fs::remove_dir(dir);
    }
    let _ = std::fs::remove_dir(store.dir.root().join(layout::STEPS_DIR));
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
        assert!(!yields_capped(&result(-1, 0)));
        assert!(!yields_capped(&result(-5, 2)));
        assert_eq!(yield_count(&result(-1, 2)), 2);
        assert!(yields_capped(&result(3, 2)));
        assert!(!yields_capped(&result(2, 2)));
        assert_eq!(yield_count(&result(i32::MAX, 1)), i64::from(i32::MAX));
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
