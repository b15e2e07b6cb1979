//! The step engine: follows one step (`thread watch ID --step PATH`) to its end or a pause, by the
//! thread engine's rules where they apply:
//!
//! - WatchStep first; each new event goes to the [`StepObserver`]. A replayed event is dropped by
//!   what it means, never by its timestamp (a replay may stamp it afresh): a snapshot when the
//!   status it shows is not new, a decision once (a decide step chooses once a run, and following
//!   ends with the run), the step's end once (it ends the follow).
//! - A stream that ends or breaks without the step's end is confirmed with GetThreadResult (the
//!   step's status) and reopened. A stream that stays silent is not an error: after a while the
//!   step's status is looked at (an `ask` step pauses the thread, and WatchStep has no event for
//!   that).
//! - UNIMPLEMENTED: the step's status is polled instead, a change reported as a thin snapshot.
//! - Retries, Ctrl-C and `--follow-timeout`: [`super::policy`] (rules 5 and 6).

use std::collections::HashSet;
use std::future::Future;

use tokio::time::{sleep, timeout};
use tokio_stream::StreamExt;

use crate::client::{CallError, CallErrorKind, Client, StepEventStream};
use crate::model::event::now_ms;
use crate::model::step_event::{StepEvent, StepEventKind, StepSnapshot};
use crate::model::StepStatus;

use super::policy::{guarded, open_within, Backoff, Look, Retries};
use super::stop::Stop;
use super::{End, FollowOptions};

// The paths callers have always used.
pub use super::{follow_step, step_watch_hint, StepObserver, StepOutcome};

/// What the step engine needs from a server; [`Client`] in the program, a script in unit tests.
pub(crate) trait StepSource {
    fn watch(
        &self,
        thread_id: &str,
        step_path: &str,
    ) -> impl Future<Output = Result<StepEventStream, CallError>>;
    fn status(
        &self,
        thread_id: &str,
        step_path: &str,
    ) -> impl Future<Output = Result<StepStatus, CallError>>;
}

impl StepSource for Client {
    fn watch(
        &self,
        thread_id: &str,
        step_path: &str,
    ) -> impl Future<Output = Result<StepEventStream, CallError>> {
        self.watch_step(thread_id, step_path)
    }
    fn status(
        &self,
        thread_id: &str,
        step_path: &str,
    ) -> impl Future<Output = Result<StepStatus, CallError>> {
        self.poll_step(thread_id, step_path)
    }
}

/// Follows `step_path` of `thread_id` until it ends, pauses (see
/// [`FollowOptions::wait_paused`]), the user interrupts, or following becomes impossible
/// ([`Stop`]).
pub(super) async fn follow<S: StepSource>(
    source: &S,
    thread_id: &str,
    step_path: &str,
    options: &FollowOptions,
    observer: &mut dyn StepObserver,
) -> Result<StepOutcome, Stop> {
    let mut engine = StepEngine {
        source,
        thread_id,
        step_path,
        options,
        observer,
        retries: Retries::new(options.retry_budget),
        decided: false,
        unknown: HashSet::new(),
        status: None,
        poll_instead: false,
    };
    let end = guarded(engine.run(), options).await?;
    Ok(StepOutcome {
        status: engine.status.unwrap_or(StepStatus::Unspecified),
        end,
    })
}

struct StepEngine<'a, S> {
    source: &'a S,
    thread_id: &'a str,
    step_path: &'a str,
    options: &'a FollowOptions,
    observer: &'a mut dyn StepObserver,
    retries: Retries,
    /// A decision was reported.
    decided: bool,
    /// Events of kinds this client does not know, by timestamp: nothing better to go by.
    unknown: HashSet<i64>,
    /// The last status reported (by a snapshot, an end event or a look).
    status: Option<StepStatus>,
    /// The stream sent an event this client cannot read: poll the status from now on.
    poll_instead: bool,
}

impl<S: StepSource> StepEngine<'_, S> {
    async fn run(&mut self) -> Result<End, Stop> {
        // Unlike the thread engine's, this backoff does not restart when a stream brought news.
        let mut reopen = Backoff::reopening();
        loop {
            let opened = open_within(
                self.options.open_timeout,
                "WatchStep",
                self.source.watch(self.thread_id, self.step_path),
            )
            .await;
            let look = match opened {
                Ok(stream) => {
                    self.retries.succeeded();
                    self.read(stream).await?
                }
                Err(error) if error.kind == CallErrorKind::Unimplemented => {
                    self.observer
                        .notice("this server cannot stream step events; polling the step's status");
                    return self.poll().await;
                }
                Err(error) => {
                    self.retry_later(error)?;
                    Look::Failed
                }
            };
            if let Look::Over(end) = look {
                return Ok(end);
            }
            if self.poll_instead {
                return self.poll().await;
            }
            sleep(self.retries.capped(reopen.next())).await;
        }
    }

    /// Reports a stream's new events; at its end (or break) without the step's end, looks at
    /// what became of the step.
    async fn read(&mut self, mut stream: StepEventStream) -> Result<Look, Stop> {
        let mut patience = Backoff::silence();
        loop {
            let item = match timeout(patience.peek(), stream.next()).await {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(_silence) => {
                    patience.advance();
                    match self.look().await? {
                        Look::Over(end) => return Ok(Look::Over(end)),
                        Look::Going | Look::Failed => continue,
                    }
                }
            };
            patience.reset();
            match item {
                Ok(event) => {
                    // Only the end event ends the read: a late subscriber's snapshot may already
                    // show a final status, and the replayed end (duration, output size) follows.
                    let ends = event.kind.final_status().is_some();
                    self.report(event)?;
                    if ends {
                        return Ok(Look::Over(End::Terminal));
                    }
                    if self.status == Some(StepStatus::Paused) && !self.options.wait_paused {
                        return Ok(Look::Over(End::Paused));
                    }
                }
                Err(error) if error.is_unreadable() => {
                    // Every stream opened again would replay it: poll the step's status instead.
                    self.observer.notice(&format!(
                        "{error}; polling the step's status instead (its events are not shown from here on)"
                    ));
                    self.poll_instead = true;
                    return self.look().await;
                }
                Err(error) if error.is_retryable() => {
                    self.observer.notice(&format!(
                        "the step stream broke ({}); reconnecting",
                        error.status_text()
                    ));
                    break;
                }
                Err(error) => return Err(Stop::Refused(error)),
            }
        }
        self.look().await
    }

    /// One GetThreadResult look at the step; a status that is news is reported.
    async fn look(&mut self) -> Result<Look, Stop> {
        match self.source.status(self.thread_id, self.step_path).await {
            Ok(status) => {
                self.retries.succeeded();
                self.polled(status)?;
                Ok(self.judge(status))
            }
            Err(error) => {
                self.retry_later(error)?;
                Ok(Look::Failed)
            }
        }
    }

    /// Looks at the step again and again instead of streaming.
    async fn poll(&mut self) -> Result<End, Stop> {
        let mut interval = Backoff::polling();
        loop {
            let before = self.status;
            if let Look::Over(end) = self.look().await? {
                return Ok(end);
            }
            if self.status != before {
                interval.reset();
            }
            sleep(self.retries.capped(interval.next())).await;
        }
    }

    fn judge(&self, status: StepStatus) -> Look {
        if status.is_final() {
            Look::Over(End::Terminal)
        } else if status == StepStatus::Paused && !self.options.wait_paused {
            Look::Over(End::Paused)
        } else {
            Look::Going
        }
    }

    /// Reports an event unless a replay already did. A snapshot counts as new only when the
    /// status it shows is new (each reopened stream starts with one).
    fn report(&mut self, event: StepEvent) -> Result<(), Stop> {
        let new = match &event.kind {
            StepEventKind::Snapshot(snapshot) => self.status != Some(snapshot.status),
            StepEventKind::Decision(_) => !std::mem::replace(&mut self.decided, true),
            // The first end ends the follow: there is no second to tell apart.
            StepEventKind::Done(_) | StepEventKind::Failed(_) => true,
            StepEventKind::Unknown => self.unknown.insert(event.timestamp_ms),
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

    /// A status learnt by a look becomes a (thin) snapshot event when it is news.
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

    /// Counts a transient failure against the budget, announcing the first of a run; a
    /// refusal stops following.
    fn retry_later(&mut self, error: CallError) -> Result<(), Stop> {
        if let Some(notice) = self.retries.failed(error)? {
            self.observer.notice(&notice);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
