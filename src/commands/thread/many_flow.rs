//! Following many threads at once, shared by `thread watch ID...|-` and `thread run --inputs`:
//! one client and one [`Fleet`] (streams under a bound, one poller for every GetThread look),
//! the many-thread view, each thread's end reported on its own line, the exit code of them all
//! by the contract's rule ([`ExitStatus::of_many`]), and what is printed at the end (a table,
//! or `-o json|yaml` an array of the threads as `get` shows them).

use std::future::Future;

use futures_util::stream::{FuturesUnordered, StreamExt};

use crate::cli::OutputFormat;
use crate::client::Client;
use crate::context::Context;
use crate::error::{is_closed_pipe, report, ClosedBeforeEnd, ExitStatus};
use crate::follow::fleet::{Fleet, MAX_STREAMS};
use crate::follow::{self, End, FollowOptions, FollowOutcome, Observer};
use crate::model::{Thread, ThreadEvent};
use crate::output::list_writer::ThreadListWriter;
use crate::output::progress::many::{ManyView, OneOfMany};
use crate::output::{suggest, terminal_safe};

/// How one thread of many came out.
pub(crate) struct Ended {
    pub thread_id: String,
    /// The thread as last seen (none when nothing could be read about it).
    pub thread: Option<Thread>,
    /// How following ended; `None` when it stopped on an error (reported already).
    pub end: Option<End>,
    pub status: ExitStatus,
}

impl Ended {
    /// Ended other than COMPLETED (what `--fail-fast` stops at).
    pub fn not_completed(&self) -> bool {
        self.status != ExitStatus::Success
    }
}

/// What many follows share.
pub(crate) struct Many<'a> {
    pub ctx: &'a Context,
    pub fleet: Fleet<Client>,
    pub view: ManyView,
    pub options: FollowOptions,
}

impl<'a> Many<'a> {
    /// `events_out`: `-o jsonl` prints every event (not with `run --inputs --result`, whose
    /// lines are the results).
    pub async fn new(
        ctx: &'a Context,
        mut options: FollowOptions,
        events_out: bool,
    ) -> anyhow::Result<Many<'a>> {
        // Ctrl-C is the batch's to handle, once for all (the flows race it).
        options.handle_ctrl_c = false;
        let client = ctx.client().await?.clone();
        Ok(Many {
            ctx,
            fleet: Fleet::new(client, ctx.settings.max_streams.unwrap_or(MAX_STREAMS)),
            view: ManyView::new(
                &ctx.printer,
                if events_out {
                    ctx.output
                } else {
                    OutputFormat::Table
                },
            ),
            options,
        })
    }

    /// Runs `work` with the fleet's poller beside it.
    pub async fn drive<T>(&self, work: impl Future<Output = T>) -> T {
        tokio::select! {
            result = work => result,
            () = self.fleet.run_poller() => unreachable!("the poller runs for ever"),
        }
    }

    /// Follows a thread that already exists (`watch`): one that has ended is told as ended,
    /// not replayed (the first look, like every look, goes to the shared poller).
    pub async fn watch_one(&self, thread_id: &str) -> anyhow::Result<Ended> {
        match self.fleet.look(thread_id).await {
            Ok(thread) if thread.status.is_terminal() => {
                let mut one = self.view.one(thread_id);
                if self.ctx.output == OutputFormat::Jsonl {
                    // A script reading events learns the end from one, as GetThread tells it.
                    one.event(&ThreadEvent::progress_of(&thread))?;
                }
                let outcome = FollowOutcome {
                    thread,
                    end: End::Terminal,
                    terminal_event: None,
                };
                one.finish(&outcome);
                Ok(ended(thread_id, outcome))
            }
            Err(err) if !err.is_retryable() => {
                let err = follow::refused(err, thread_id);
                Ok(self.failed(thread_id, err))
            }
            // Transient failures are the engine's business (retries within the budget).
            _ => self.follow_one(thread_id, self.view.one(thread_id)).await,
        }
    }

    /// Follows `thread_id` to its end with `one` as its observer; its error is reported here.
    /// Only a closed stdout comes back as an error (exit 141: every follow stops).
    pub async fn follow_one(&self, thread_id: &str, mut one: OneOfMany) -> anyhow::Result<Ended> {
        let followed =
            follow::follow_in_fleet(&self.fleet, thread_id, &self.options, &mut one).await;
        match followed {
            Ok(outcome) => {
                one.finish(&outcome);
                Ok(ended(thread_id, outcome))
            }
            Err(err) if is_closed_pipe(&err) => {
                one.failed();
                Err(err.context(ClosedBeforeEnd))
            }
            Err(err) => {
                one.failed();
                Ok(self.failed(thread_id, err))
            }
        }
    }

    /// A thread whose follow stopped on `err`: said on its own line, its exit code kept.
    pub fn failed(&self, thread_id: &str, err: anyhow::Error) -> Ended {
        let what = format!("thread {}", shown(thread_id));
        Ended {
            thread_id: thread_id.to_string(),
            thread: None,
            end: None,
            status: self.report(&what, &err),
        }
    }

    /// The input on `line` could not be made a thread (CreateThread failed).
    pub fn failed_to_create(&self, line: usize, err: anyhow::Error) -> Ended {
        Ended {
            thread_id: String::new(),
            thread: None,
            end: None,
            status: self.report(&format!("line {line}"), &err),
        }
    }

    fn report(&self, what: &str, err: &anyhow::Error) -> ExitStatus {
        match report(err) {
            Some(r) => {
                self.view.error(what, &r.message, r.hint.as_deref());
                r.status
            }
            None => ExitStatus::Success,
        }
    }

    /// The end of a batch: the live region gone, a line for a Ctrl-C or `--fail-fast`, the
    /// table or document of the threads, and the exit code of them all.
    pub fn close(
        &self,
        ended: &[Ended],
        left: &[String],
        stop: Option<Stopped>,
        again: Option<String>,
        list_threads: bool,
    ) -> anyhow::Result<ExitStatus> {
        self.view.clear();
        let printer = &self.ctx.printer;
        printer.verbose(&format!(
            "the shared poller made {} calls",
            self.fleet.poller_calls()
        ));
        let mut codes: Vec<ExitStatus> = ended.iter().map(|e| e.status).collect();
        match stop {
            Some(Stopped::Interrupted) => {
                codes.push(ExitStatus::Interrupted);
                printer.status(&format!(
                    "interrupted: stopped following {}; {} on running on the server",
                    count(left.len(), "thread"),
                    if left.len() == 1 { "it goes" } else { "they go" }
                ));
            }
            Some(Stopped::FailFast) => printer.status(&format!(
                "stopped at the first thread that did not complete (--fail-fast); {} not followed to the end",
                count(left.len(), "thread")
            )),
            None => {}
        }
        if let Some(again) = again {
            printer.hint(&again);
        } else if !left.is_empty() {
            printer.hint(&format!("follow them again with: {}", watch_again(left)));
        }
        if list_threads && stop != Some(Stopped::Interrupted) {
            let printed = self.print_threads(ended);
            match printed {
                Err(err) if is_closed_pipe(&err) => {}
                other => other?,
            }
        }
        Ok(ExitStatus::of_many(codes))
    }

    /// The threads at the end: a table, or (json, yaml) an array as `get -o json` shows each.
    fn print_threads(&self, ended: &[Ended]) -> anyhow::Result<()> {
        if self.ctx.output == OutputFormat::Jsonl {
            return Ok(());
        }
        let mut writer = ThreadListWriter::new(&self.ctx.printer, self.ctx.output);
        for thread in ended.iter().filter_map(|e| e.thread.clone()) {
            writer.push(thread)?;
        }
        writer.finish()
    }
}

fn ended(thread_id: &str, outcome: FollowOutcome) -> Ended {
    Ended {
        thread_id: thread_id.to_string(),
        status: outcome.exit_status(),
        end: Some(outcome.end),
        thread: Some(outcome.thread),
    }
}

/// `thread watch ID...`: every thread followed at once; `fail_fast` stops at the first that
/// ends other than COMPLETED.
pub(crate) async fn watch_many(
    ctx: &Context,
    ids: Vec<String>,
    options: FollowOptions,
    fail_fast: bool,
) -> anyhow::Result<ExitStatus> {
    let many = Many::new(ctx, options, true).await?;
    let work = async {
        let mut follows: FuturesUnordered<_> = ids
            .iter()
            .enumerate()
            .map(|(at, id)| {
                let many = &many;
                async move { (at, many.watch_one(id).await) }
            })
            .collect();
        let mut ended: Vec<Option<Ended>> = (0..ids.len()).map(|_| None).collect();
        let mut stop = None;
        loop {
            tokio::select! {
                biased;
                () = crate::interrupt::ctrl_c() => {
                    stop = Some(Stopped::Interrupted);
                    break;
                }
                next = follows.next() => {
                    let Some((at, one)) = next else { break };
                    let one = one?;
                    let stop_here = fail_fast && one.not_completed();
                    ended[at] = Some(one);
                    if stop_here {
                        stop = Some(Stopped::FailFast);
                        break;
                    }
                }
            }
        }
        anyhow::Ok((ended, stop))
    };
    let (ended, stop) = many.drive(work).await?;
    let left: Vec<String> = ids
        .iter()
        .zip(&ended)
        .filter(|(_, e)| e.is_none())
        .map(|(id, _)| id.clone())
        .collect();
    let ended: Vec<Ended> = ended.into_iter().flatten().collect();
    many.close(&ended, &left, stop, None, true)
}

/// Why a batch stopped before every thread ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stopped {
    Interrupted,
    FailFast,
}

/// `3 threads`.
pub(crate) fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The command line that follows `ids` again: the ids themselves while few, else from a list.
fn watch_again(ids: &[String]) -> String {
    const FEW: usize = 8;
    if ids.len() <= FEW {
        let mut line = suggest::watch(&ids[0]).to_string();
        for id in &ids[1..] {
            line.push(' ');
            line.push_str(&crate::output::shell_word(id));
        }
        return line;
    }
    format!(
        "{} -o jsonl | jq -r .threadId | dodil scriptum thread watch -",
        suggest::list()
    )
}

/// A thread id as shown in a line.
pub(crate) fn shown(id: &str) -> String {
    terminal_safe(id).into_owned()
}
