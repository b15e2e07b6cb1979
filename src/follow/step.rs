//! Following one step (`thread watch ID --step PATH`): WatchStep first, with the same rules as the
//! thread engine — a stream that ends or breaks without the step's end is confirmed with
//! GetThreadResult and reopened (replayed events dropped), UNIMPLEMENTED falls back to polling the
//! step's status, transient failures are retried within the budget, anything else ends at once.

use std::collections::HashSet;
use tokio::time::sleep;
use tokio_stream::StreamExt;

use crate::client::{CallError, CallErrorKind, Client};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::event::now_ms;
use crate::model::step_event::{StepEvent, StepEventKind, StepSnapshot};
use crate::model::StepStatus;

use super::policy::{guarded, open_within, Backoff, Retries};
pub use super::stop::step_watch_hint;
use super::stop::{Followed, Stop};
use super::{End, FollowOptions};

/// Receives each new step event (never one already reported) and connection notices.
pub trait StepObserver {
    fn event(&mut self, event: &StepEvent) -> anyhow::Result<()>;
    fn notice(&mut self, _message: &str) {}
}

#[derive(Clone, Debug)]
pub struct StepOutcome {
    /// The step's last known status: final for `End::Terminal`, PAUSED for `End::Paused`.
    pub status: StepStatus,
    pub end: End,
}

impl StepOutcome {
    /// COMPLETED or SKIPPED 0, FAILED 1, CANCELLED 3, PAUSED 4, interrupted 130.
    pub fn exit_status(&self) -> ExitStatus {
        match (self.end, self.status) {
            (End::Interrupted, _) => ExitStatus::Interrupted,
            (End::Paused, _) | (_, StepStatus::Paused) => ExitStatus::ThreadPaused,
            (_, StepStatus::Failed) => ExitStatus::ThreadFailed,
            (_, StepStatus::Cancelled) => ExitStatus::ThreadCancelled,
            _ => ExitStatus::Success,
        }
    }
}

pub async fn follow_step(
    ctx: &Context,
    thread_id: &str,
    step_path: &str,
    options: &FollowOptions,
    observer: &mut dyn StepObserver,
) -> anyhow::Result<StepOutcome> {
    let client = ctx.client().await?;
    let options = &FollowOptions {
        open_timeout: client.limit(options.open_timeout),
        ..options.clone()
    };
    let mut follower = StepFollower {
        client,
        thread_id,
        step_path,
        options,
        observer,
        seen: HashSet::new(),
        status: None,
        retries: Retries::new(options.retry_budget),
    };
    let end = guarded(follower.run(), options).await.map_err(|stop| {
        stop.into_error(Followed::Step {
            thread_id,
            step_path,
        })
    })?;
    Ok(StepOutcome {
        status: follower.status.unwrap_or(StepStatus::Unspecified),
        end,
    })
}

struct StepFollower<'a> {
    client: &'a Client,
    thread_id: &'a str,
    step_path: &'a str,
    options: &'a FollowOptions,
    observer: &'a mut dyn StepObserver,
    /// Identities of the events reported: kind and timestamp.
    seen: HashSet<(&'static str, i64)>,
    /// The last status reported (by a snapshot, an end event or a poll).
    status: Option<StepStatus>,
    retries: Retries,
}

/// What one look at the step found.
enum Look {
    Ended,
    Paused,
    Again,
}

impl StepFollower<'_> {
    async fn run(&mut self) -> Result<End, Stop> {
        let mut reopen = Backoff::reopening();
        loop {
            let opened = open_within(
                self.options.open_timeout,
                "WatchStep",
                self.client.watch_step(self.thread_id, self.step_path),
            )
            .await;
            let look = match opened {
                Ok(stream) => {
                    self.retries.succeeded();
                    self.read(stream).await?
                }
                Err(status) if status.kind == CallErrorKind::Unimplemented => {
                    self.observer
                        .notice("this server cannot stream step events; polling the step's status");
                    return self.poll().await;
                }
                Err(status) => {
                    self.failed(status)?;
                    Look::Again
                }
            };
            match look {
                Look::Ended => return Ok(End::Terminal),
                Look::Paused => return Ok(End::Paused),
                Look::Again => sleep(self.retries.capped(reopen.next())).await,
            }
        }
    }

    /// Reports a stream's new events; at its end (or break) without the step's end, asks
    /// GetThreadResult what became of the step.
    async fn read(&mut self, mut stream: crate::client::StepEventStream) -> Result<Look, Stop> {
        // A step can wait silently (an `ask` step pauses the thread, and WatchStep has no event
        // for that): after a quiet while, look at the step's status instead of waiting blindly.
        let mut quiet = Backoff::silence();
        loop {
            let item = match tokio::time::timeout(quiet.next(), stream.next()).await {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(_silence) => match self.confirm().await? {
                    Look::Again => continue,
                    look => return Ok(look),
                },
            };
            quiet.reset();
            match item {
                Ok(event) => {
                    // Only the end event ends the read: a late subscriber's snapshot may already
                    // show a final status, and the replayed end (duration, output size) follows.
                    let ends = event.kind.final_status().is_some();
                    self.report(event)?;
                    if ends {
                        return Ok(Look::Ended);
                    }
                    if self.status == Some(StepStatus::Paused) && !self.options.wait_paused {
                        return Ok(Look::Paused);
                    }
                }
                Err(status) if status.is_retryable() => {
                    self.observer.notice(&format!(
                        "the step stream broke ({}); reconnecting",
                        status.status_text()
                    ));
                    break;
                }
                Err(status) => return Err(Stop::Refused(status)),
            }
        }
        self.confirm().await
    }

    /// One GetThreadResult look at the step; transient failures count against the budget (the
    /// caller waits before it looks again).
    async fn confirm(&mut self) -> Result<Look, Stop> {
        match self.client.poll_step(self.thread_id, self.step_path).await {
            Ok(status) => {
                self.retries.succeeded();
                self.polled(status)?;
                Ok(self.judge(status))
            }
            Err(status) => {
                self.failed(status)?;
                Ok(Look::Again)
            }
        }
    }

    /// Polling instead of streaming: 250 ms backing off towards 5 s while nothing changes.
    async fn poll(&mut self) -> Result<End, Stop> {
        let mut wait = Backoff::polling();
        loop {
            let before = self.status;
            match self.confirm().await? {
                Look::Ended => return Ok(End::Terminal),
                Look::Paused => return Ok(End::Paused),
                Look::Again => {}
            }
            if self.status != before {
                wait.reset();
            }
            sleep(self.retries.capped(wait.next())).await;
        }
    }

    fn judge(&self, status: StepStatus) -> Look {
        if status.is_final() {
            Look::Ended
        } else if status == StepStatus::Paused && !self.options.wait_paused {
            Look::Paused
        } else {
            Look::Again
        }
    }

    /// Reports an event unless a replay already did. A snapshot counts as new only when the
    /// status it shows is new (each reopened stream starts with one).
    fn report(&mut self, event: StepEvent) -> Result<(), Stop> {
        let new = match &event.kind {
            StepEventKind::Snapshot(snapshot) => self.status != Some(snapshot.status),
            kind => self.seen.insert((kind.name(), event.timestamp_ms)),
        };
        if !new {
            return Ok(());
        }
        match &event.kind {
            StepEventKind::Snapshot(snapshot) => self.status = Some(snapshot.status),
            kind => {
                if let Some(status) = kind.final_status() {
                    self.status = Some(status);
                }
            }
        }
        Ok(self.observer.event(&event)?)
    }

    /// A status learnt by polling becomes a (thin) snapshot event when it is news.
    fn polled(&mut self, status: StepStatus) -> Result<(), Stop> {
        if self.status == Some(status) {
            return Ok(());
        }
        self.report(StepEvent {
            thread_id: self.thread_id.to_string(),
            step_path: self.step_path.to_string(),
            timestamp_ms: now_ms(),
            kind: StepEventKind::Snapshot(StepSnapshot {
                status,
                name: String::new(),
                primitive: String::new(),
                started_at_ms: 0,
                sample_input: Vec::new(),
                sample_output: Vec::new(),
            }),
        })
    }

    /// A failed call: retried while the budget lasts (the thread engine's rules: one notice
    /// for a run of failures, exit 6 past the budget); anything not transient ends at once.
    fn failed(&mut self, status: CallError) -> Result<(), Stop> {
        if let Some(notice) = self.retries.failed(status)? {
            self.observer.notice(&notice);
        }
        Ok(())
    }
}
