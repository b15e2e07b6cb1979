//! `thread run SCRIPT --inputs FILE|-`: one thread per non-empty line (each line the input, one
//! JSON value), every line checked before the first thread is created; at most `--parallel N`
//! running at once, each created as a slot frees, all followed through [`Many`].
//!
//! With `--save DIR` each input's files go to `DIR/<k>/` (k: the line number, zero-padded to the
//! width of the last), the input's own bytes beside them as `DIR/<k>/input.json` (written once
//! the save is whole), and `DIR/runs.jsonl` gets one line per input as it ends. A run again on
//! the same DIR skips the inputs whose `summary.json` says COMPLETED (saved whole) for the same
//! input bytes, so an interrupted batch goes on where it stopped (`--force` redoes all).

use std::cell::RefCell;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use futures_util::stream::{FuturesUnordered, StreamExt};

use crate::cli::RunArgs;
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::follow::{End, FollowOptions};
use crate::input;
use crate::model::NewThread;
use crate::output::shell_word;

use super::deliver::{result_document, save_one_of_many, SaveTo};
use super::many_flow::{count, Ended, Many, Stopped};
use super::new_thread::build_request;

/// The input's bytes, kept beside its save to know the same input on a run again.
const INPUT_FILE: &str = "input.json";
const RUNS_FILE: &str = "runs.jsonl";
const COMPLETED: &str = "THREAD_STATUS_COMPLETED";

/// One line of the inputs.
struct Input {
    /// 1-based line number.
    line: usize,
    text: String,
}

pub(crate) async fn run_inputs(
    ctx: &Context,
    args: &RunArgs,
    inputs_path: &Path,
) -> anyhow::Result<ExitStatus> {
    // Everything local is checked before the first thread is created.
    let template = build_request(&args.create)?;
    let inputs = read_inputs(inputs_path)?;
    let Some(last) = inputs.last() else {
        return Err(CliError::usage(format!(
            "--inputs {}: no inputs (every line is empty)",
            inputs_path.display()
        ))
        .into());
    };
    let width = last.line.to_string().len();
    let batch = match &args.save {
        Some(dir) => Some(BatchDir::prepare(dir, args.force, width)?),
        None => None,
    };
    let (todo, skipped): (Vec<&Input>, Vec<&Input>) = inputs
        .iter()
        .partition(|i| args.force || batch.as_ref().is_none_or(|b| !b.done(i)));
    if !skipped.is_empty() {
        ctx.printer.status(&format!(
            "{} completed in an earlier run (same input, saved whole): skipped",
            count(skipped.len(), "input")
        ));
    }
    if todo.is_empty() {
        return Ok(ExitStatus::Success);
    }

    let mut options = FollowOptions::from(&args.follow);
    // Each thread is created here a moment before it is followed: no earlier end to replay.
    options.trust_clean_end = true;
    // With --result, stdout carries one line per input, not the events.
    let events_out = !args.result;
    let many = Many::new(ctx, options, events_out).await?;
    let run = Run {
        many: &many,
        template,
        batch: batch.as_ref(),
        result: args.result,
        created: RefCell::new(Vec::new()),
    };
    let parallel = args.parallel as usize;
    let work = async {
        let mut waiting = todo.iter();
        // Threads on the server (what --parallel bounds), and ended threads whose files or
        // result line are being fetched: a slot frees when its thread ends, not when its save
        // is done, so a batch's saves run beside the next threads instead of between them.
        let mut running = FuturesUnordered::new();
        let mut finishing = FuturesUnordered::new();
        let mut ended: Vec<Ended> = Vec::new();
        let mut stop = None;
        loop {
            // Created as slots free up, not all up front.
            while running.len() < parallel {
                let Some(input) = waiting.next() else { break };
                running.push(run.follow(input));
            }
            if running.is_empty() && finishing.is_empty() {
                break;
            }
            tokio::select! {
                biased;
                () = crate::interrupt::ctrl_c() => {
                    stop = Some(Stopped::Interrupted);
                    break;
                }
                Some(followed) = running.next(), if !running.is_empty() => {
                    finishing.push(run.finish(followed?));
                }
                Some(one) = finishing.next(), if !finishing.is_empty() => {
                    let one = one?;
                    let stop_here = args.fail_fast && one.not_completed();
                    ended.push(one);
                    if stop_here {
                        stop = Some(Stopped::FailFast);
                        break;
                    }
                }
            }
        }
        let not_started = waiting.count();
        anyhow::Ok((ended, stop, not_started))
    };
    let (mut ended, stop, not_started) = many.drive(work).await?;
    if !args.result && stop != Some(Stopped::Interrupted) {
        // A follow that trusted the stream's clean end knows the thread from its events, or
        // from a GetThread asked before the end: the table (or array) shows each as GetThread
        // does now, for one ListThreads page or so.
        many.drive(refresh(&many, &mut ended)).await;
    }
    let left: Vec<String> = run.created.borrow().clone();
    let again = match (&stop, &args.save) {
        (Some(_), Some(dir)) => Some(format!(
            "{} not started; pick the batch up again with: dodil scriptum thread run {} --inputs {} --save {}",
            count(not_started, "input"),
            shell_word(&args.create.script),
            if inputs_path == Path::new("-") {
                "FILE".to_string()
            } else {
                shell_word(&inputs_path.display().to_string()).into_owned()
            },
            shell_word(&dir.display().to_string()),
        )),
        (Some(_), None) if not_started > 0 => Some(format!(
            "{} not started (add --save DIR to make a batch that a run again picks up)",
            count(not_started, "input")
        )),
        _ => None,
    };
    // Without a batch DIR there is nothing to pick up: the line says so, and the hint of
    // `close` is how to follow the threads still running.
    let again = match (&args.save, again) {
        (None, Some(text)) => {
            many.view.line(&text);
            None
        }
        (_, again) => again,
    };
    // With --result the lines on stdout were the report: no table or array after them.
    many.close(&ended, &left, stop, again, !args.result)
}

/// Each ended thread as the server describes it now (kept as it is when it cannot be had).
async fn refresh(many: &Many<'_>, ended: &mut [Ended]) {
    let looks: FuturesUnordered<_> = ended
        .iter_mut()
        .filter(|e| e.thread.is_some())
        .map(|e| async move {
            if let Ok(thread) = many.fleet.look(&e.thread_id).await {
                e.thread = Some(thread);
            }
        })
        .collect();
    looks.collect::<Vec<()>>().await;
}

/// An input whose thread ended (or could not be created: `created` false).
struct Followed<'i> {
    input: &'i Input,
    ended: Ended,
    created: bool,
}

/// What every input's part shares.
struct Run<'a, 'b> {
    many: &'a Many<'b>,
    template: NewThread,
    batch: Option<&'a BatchDir>,
    result: bool,
    /// Threads created and not ended yet (what a Ctrl-C leaves running).
    created: RefCell<Vec<String>>,
}

impl Run<'_, '_> {
    /// One input's thread: CreateThread (never repeated), then followed to its end.
    async fn follow<'i>(&self, input: &'i Input) -> anyhow::Result<Followed<'i>> {
        let many = self.many;
        let ctx = many.ctx;
        let mut request = self.template.clone();
        request.input_json = input.text.clone();
        let created = ctx.client().await?.create_thread(request).await;
        let id = match created {
            Ok(created) => created.thread_id,
            Err(err) => {
                return Ok(Followed {
                    input,
                    ended: many.failed_to_create(input.line, err.into()),
                    created: false,
                });
            }
        };
        self.created.borrow_mut().push(id.clone());
        many.view.line(&format!(
            "line {}: thread {} created",
            input.line,
            super::many_flow::shown(&id)
        ));
        let one = many.view.one(&id);
        let ended = many.follow_one(&id, one).await?;
        self.created.borrow_mut().retain(|c| c != &id);
        Ok(Followed {
            input,
            ended,
            created: true,
        })
    }

    /// An ended thread's save and result line, then its line in `runs.jsonl`.
    async fn finish(&self, followed: Followed<'_>) -> anyhow::Result<Ended> {
        let Followed {
            input,
            mut ended,
            created,
        } = followed;
        if !created || ended.end != Some(End::Terminal) {
            self.record(input, &mut ended, None);
            return Ok(ended);
        }
        let many = self.many;
        let ctx = many.ctx;
        let id = ended.thread_id.clone();
        let mut dir = None;
        if let Some(batch) = self.batch {
            let (name, path) = batch.sub(input.line);
            // A redo: the input kept from before no longer says what is saved.
            let _ = fs::remove_file(path.join(INPUT_FILE));
            let saved = async {
                let save = SaveTo::prepare(&path, true, false)?;
                let (status, _) = save_one_of_many(ctx, &id, save).await?;
                write_whole(&path.join(INPUT_FILE), input.text.as_bytes())?;
                anyhow::Ok(status)
            }
            .await;
            match saved {
                Ok(status) => ended.status = ExitStatus::of_many([ended.status, status]),
                Err(err) => {
                    let failed = many.failed(&id, err);
                    ended.status = ExitStatus::of_many([ended.status, failed.status]);
                }
            }
            dir = Some(name);
        }
        if self.result {
            match result_document(ctx, &id).await {
                Ok(result) => {
                    let mut line = serde_json::Map::new();
                    line.insert("line".into(), input.line.into());
                    if let serde_json::Value::Object(fields) = serde_json::to_value(&result)? {
                        line.extend(fields);
                    }
                    line.insert("exitCode".into(), (ended.status as u8).into());
                    ctx.printer
                        .data_line(&serde_json::to_string(&line)?)
                        .map_err(|e| e.context(crate::error::ClosedBeforeEnd))?;
                }
                Err(err) => {
                    let failed = many.failed(&id, err);
                    ended.status = ExitStatus::of_many([ended.status, failed.status]);
                }
            }
        }
        self.record(input, &mut ended, dir);
        Ok(ended)
    }

    /// `runs.jsonl`'s line for an input that ended.
    fn record(&self, input: &Input, ended: &mut Ended, dir: Option<String>) {
        let Some(batch) = self.batch else {
            return;
        };
        let line = serde_json::json!({
            "line": input.line,
            "threadId": (!ended.thread_id.is_empty()).then(|| ended.thread_id.clone()),
            "status": ended.thread.as_ref().map(|t| t.status),
            "exitCode": ended.status as u8,
            "dir": dir,
        });
        if let Err(err) = batch.append(&line.to_string()) {
            self.many.view.line(&format!("warning: {err:#}"));
            ended.status = ExitStatus::of_many([ended.status, ExitStatus::Usage]);
        }
    }
}

/// Reads and checks every line: a bad one is exit 2, naming its number.
fn read_inputs(path: &Path) -> Result<Vec<Input>, CliError> {
    let shown = path.display().to_string();
    let mut text = String::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text).map(|_| ()))
    };
    read.map_err(|err| CliError::usage(format!("--inputs {shown}: cannot read it: {err}")))?;
    let mut inputs = Vec::new();
    for (at, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        input::validate_json(line).map_err(|err| {
            CliError::usage(format!(
                "--inputs {shown}: line {} is not valid JSON: {err}",
                at + 1
            ))
            .with_hint("each non-empty line is one thread's input, one JSON value (JSON Lines)")
        })?;
        inputs.push(Input {
            line: at + 1,
            text: line.to_string(),
        });
    }
    Ok(inputs)
}

/// `--save DIR` of a batch.
struct BatchDir {
    root: PathBuf,
    width: usize,
    runs: RefCell<fs::File>,
}

impl BatchDir {
    fn prepare(dir: &Path, force: bool, width: usize) -> Result<BatchDir, CliError> {
        crate::interrupt::arm();
        let show = dir.display().to_string();
        let local = |what: &str, err: std::io::Error| {
            CliError::usage(format!("--save {show}: {what}: {err}"))
        };
        fs::create_dir_all(dir).map_err(|err| local("cannot create it", err))?;
        let runs_path = dir.join(RUNS_FILE);
        let non_empty = fs::read_dir(dir)
            .map_err(|err| local("cannot read it", err))?
            .next()
            .is_some();
        if non_empty && !runs_path.exists() && !force {
            return Err(CliError::usage(format!(
                "--save {show}: the directory exists, is not empty, and holds no batch ({RUNS_FILE})"
            ))
            .with_hint("choose a new directory, or add --force to use it all the same"));
        }
        let runs = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&runs_path)
            .map_err(|err| local("cannot write runs.jsonl", err))?;
        if force {
            runs.set_len(0)
                .map_err(|err| local("cannot clear runs.jsonl", err))?;
        }
        Ok(BatchDir {
            root: dir.to_path_buf(),
            width,
            runs: RefCell::new(runs),
        })
    }

    /// The directory of the input on `line`: its name in DIR, and its path.
    fn sub(&self, line: usize) -> (String, PathBuf) {
        let name = format!("{line:0width$}", width = self.width);
        let path = self.root.join(&name);
        (name, path)
    }

    /// Whether this input completed in an earlier run, saved whole, for the same input bytes.
    fn done(&self, input: &Input) -> bool {
        let (_, dir) = self.sub(input.line);
        let Ok(kept) = fs::read(dir.join(INPUT_FILE)) else {
            return false;
        };
        if kept != input.text.as_bytes() {
            return false;
        }
        let Ok(summary) = fs::read(dir.join(crate::save::layout::SUMMARY_FILE)) else {
            return false;
        };
        let Ok(summary) = serde_json::from_slice::<serde_json::Value>(&summary) else {
            return false;
        };
        summary["status"] == COMPLETED && summary["complete"] == true
    }

    /// One line of `runs.jsonl`, written whole in one call (appended).
    fn append(&self, line: &str) -> anyhow::Result<()> {
        let mut text = line.to_string();
        text.push('\n');
        self.runs
            .borrow_mut()
            .write_all(text.as_bytes())
            .map_err(|err| anyhow::anyhow!("cannot write {RUNS_FILE}: {err}"))
    }
}

/// Writes a file whole or not at all (aside, then renamed).
fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut part = tempfile::Builder::new()
        .prefix(".dodil-")
        .suffix(".part")
        .tempfile_in(dir)?;
    part.write_all(bytes)?;
    part.as_file().sync_all()?;
    part.persist(path)?;
    Ok(())
}
