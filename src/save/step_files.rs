//! `steps/<path>/{step,input,output}.json`: every step's files (or one step's), written aside as
//! their payloads stream in and all committed only once the whole stream has validated. A step
//! path that is not of the plain `1.0.2` form still gets a directory of its own inside DIR.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::model::{StepDetail, StepDiagnostics, StepStatus, StepSummary};

use super::assemble::Field;
use super::atomic::{AtomicFile, Batch};
use super::download::Downloader;
use super::layout::{self, SaveDir, INPUT_FILE, OUTPUT_FILE, STEP_FILE};
use super::report::SaveReporter;
use super::step_stream::PayloadStore;
use super::{Problem, Saved};

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
    reporter: &'a dyn SaveReporter,
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
        payload.close()
    }
}

/// Where a save put each step's files, and the step summaries its stream listed.
pub(super) struct SavedSteps {
    /// Step path → its directory, relative to DIR.
    pub dirs: BTreeMap<String, String>,
    pub summaries: Vec<StepSummary>,
    /// The step files, written aside: final only once committed.
    batch: Batch,
}

impl SavedSteps {
    /// Gives the step files their final names, into `saved`.
    pub fn commit(&mut self, dir: &SaveDir, saved: &mut Saved) -> anyhow::Result<()> {
        saved
            .files
            .extend(std::mem::take(&mut self.batch).commit(dir.root())?);
        Ok(())
    }
}

/// Every step's files, written aside once the whole stream has validated, for the caller to
/// [commit](SavedSteps::commit); or the problem that kept them from being written, in `saved`.
/// `Some`: where each step's files are, and the stream's step summaries.
pub(super) async fn save_steps(
    downloader: Downloader<'_>,
    thread_id: &str,
    only: Option<&str>,
    dir: &SaveDir,
    saved: &mut Saved,
) -> anyhow::Result<Option<SavedSteps>> {
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
            saved.problems.push(Problem::from_download(err)?);
            return Ok(None);
        }
    };
    let mut dirs = BTreeMap::new();
    // Thousands of small files: made durable together, not one fsync after another.
    let mut batch = Batch::default();
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
            batch.push(payload.sink, None)?;
        }
        let step_dir = dir.root().join(&rel);
        batch.push_bytes(
            &step_dir,
            step_dir.join(STEP_FILE),
            format!("{rel}/{STEP_FILE}"),
            text.as_bytes(),
        )?;
        dirs.insert(d.step_path.clone(), rel);
    }
    Ok(Some(SavedSteps {
        dirs,
        summaries: steps.summaries,
        batch,
    }))
}

fn remove_empty_dirs(store: &DiskStore<'_>) {
    for (dir, _) in store.step_dirs.values() {
        let _ = std::fs::remove_dir(dir);
    }
    let _ = std::fs::remove_dir(store.dir.root().join(layout::STEPS_DIR));
}
