//! The thread engine: follows one thread from wherever it is to a terminal state (or a pause),
//! through anything a network or a server can do, and reports every event exactly once.
//!
//! 1. WatchThread first; each new event goes to the [`Observer`].
//! 2. If the stream cannot be established (UNIMPLEMENTED, or it fails before its first event),
//!    poll GetThread instead: 250 ms backing off towards 5 s while nothing changes, reset on a
//!    change, jittered; changes are reported as `progress` events. After a transient failure
//!    (not UNIMPLEMENTED) the stream is tried again now and then.
//! 3. When the stream ends or breaks without a terminal event, GetThread confirms: terminal →
//!    done; otherwise the stream is reopened with jittered exponential backoff, and the events the
//!    new stream replays are dropped by what they mean (`thread/ledger.rs`: a thread starts once,
//!    a step runs again only after it failed or the thread was resumed, a yield is its sequence;
//!    never by timestamp, which a replay may stamp afresh). A terminal event is
//!    confirmed too, and GetThread's answer stands over it (a replayed `failed` of a thread
//!    resumed since is history); only while GetThread cannot confirm it (it fails, or answers
//!    a status this client cannot name) does the stream's word end the follow, after
//!    [`MAX_DOUBTS`] tries.
//! 4. A stream that stays silent is not an error: after a while GetThread is asked instead, which
//!    finds a pause, a terminal state the stream never announced, or a stream gone stale.
//!    When GetThread finds the end after a stream dropped, one more stream is read briefly for
//!    the events the thread sent since (a server that replays sends them, the last yields and
//!    the terminal event among them; the replayed ones are dropped as ever).
//!
//! Rules 5 and 6 (retries, Ctrl-C and `--follow-timeout`) are [`super::policy`]'s, shared with the
//! step engine.
//!
//! This file holds the loop (stream, else poll; reopen), GetThread's side of it (checks, polling,
//! the [`TerminalClaim`]) and the outcome; reading one stream is `thread/stream.rs`.

use std::future::Future;

use tokio::time::{sleep, Instant};

use crate::client::{CallError, Client, EventStream};
use crate::model::{EventKind, Thread, ThreadEvent, ThreadStatus};

use super::policy::{guarded, Backoff, Look, Retries, MAX_DOUBTS, STREAM_RETRY_EVERY};
use super::stop::Stop;
use super::{End, FollowOptions, FollowOutcome, Observer};
use ledger::Ledger;
use stream::{Opening, StreamEnd};

mod ledger;
mod stream;

/// What the engine needs from a server; [`Client`] in the program, a script in unit tests.
pub(crate) trait Source {
    fn watch(&self, thread_id: &str) -> impl Future<Output = Result<EventStream, CallError>>;
    fn get(&self, thread_id: &str) -> impl Future<Output = Result<Thread, CallError>>;
    /// Whether a stream may be opened now. A fleet keeps its streams under a bound
    /// (`follow/fleet.rs`); a thread past it is polled until this says yes.
    fn may_stream(&self) -> bool {
        true
    }
}

impl Source for Client {
    fn watch(&self, thread_id: &str) -> impl Future<Output = Result<EventStream, CallError>> {
        self.watch_thread(thread_id)
    }
    fn get(&self, thread_id: &str) -> impl Future<Output = Result<Thread, CallError>> {
        self.poll_thread(thread_id)
    }
}

/// Follows `thread_id` until it ends, pauses (see [`FollowOptions::wait_paused`]), the user
/// interrupts, or following becomes impossible ([`Stop`]).
pub(super) async fn follow<S: Source>(
    source: &S,
    thread_id: &str,
    options: &FollowOptions,
    observer: &mut dyn Observer,
) -> Result<FollowOutcome, Stop> {
    let mut engine = Engine {
        source,
        thread_id,
        options,
        observer,
        retries: Retries::new(options.retry_budget),
        ledger: Ledger::default(),
        last: None,
        claim: None,
        stream_step: String::new(),
        started: None,
    };
    let end = guarded(engine.run(), options).await?;
    Ok(engine.outcome(end))
}

/// A thread known only by its id (nothing could be read about it).
pub(crate) fn placeholder(thread_id: &str) -> Thread {
    Thread {
        thread_id: thread_id.to_string(),
        script_name: String::new(),
        script_version: 0,
        status: ThreadStatus::Unspecified,
        current_step_path: String::new(),
        total_steps: 0,
        current_step_name: String::new(),
        metadata: Default::default(),
        error: String::new(),
        created_at_ms: 0,
        started_at_ms: 0,
        finished_at_ms: 0,
        organization_name: String::new(),
    }
}

struct Engine<'a, S> {
    source: &'a S,
    thread_id: &'a str,
    options: &'a FollowOptions,
    observer: &'a mut dyn Observer,
    retries: Retries,
    /// What has been reported, to know a replay from news.
    ledger: Ledger,
    /// The thread as GetThread last described it.
    last: Option<Thread>,
    /// The stream's terminal event, while it may still be the end.
    claim: Option<TerminalClaim>,
    /// The step the stream last said started (to notice a stale stream).
    stream_step: String,
    /// The stream's `started` event: what the outcome knows of the thread when GetThread was
    /// never asked (a terminal event trusted on a clean end).
    started: Option<ThreadEvent>,
}

/// The stream says the thread has ended (its terminal event); GetThread has the last word.
struct TerminalClaim {
    event: ThreadEvent,
    /// GetThread calls since that could not confirm it (failed, or answered a status this client
    /// cannot name).
    doubts: u32,
    /// GetThread answered "not ended" since: its word stands, not the stream's.
    contradicted: bool,
}

impl TerminalClaim {
    fn new(event: ThreadEvent) -> TerminalClaim {
        TerminalClaim {
            event,
            doubts: 0,
            contradicted: false,
        }
    }

    /// GetThread could not confirm the claim. Returns whether the claim now stands on its own
    /// ([`MAX_DOUBTS`] of them, and never once contradicted).
    fn doubt(&mut self) -> bool {
        if self.contradicted {
            return false;
        }
        self.doubts += 1;
        self.doubts >= MAX_DOUBTS
    }

    /// The status the thread ended in by the stream's word, unless GetThread said otherwise.
    fn standing_status(&self) -> Option<ThreadStatus> {
        if self.contradicted {
            return None;
        }
        self.event.kind.terminal_status()
    }
}

/// When polling gives way to a stream again.
#[derive(Clone, Copy)]
enum Resume {
    /// Never: the server does not stream.
    Never,
    /// From this moment on (the stream failed transiently).
    At(Instant),
    /// Once the source has a stream to spare (a fleet at its bound).
    SlotFree,
}

/// Why GetThread is asked; the two differ in whether a change of state is news.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asking {
    /// In place of a stream: a change of state is reported as a `progress` event.
    InsteadOfStream,
    /// Beside a stream (a silence, a drop, a terminal event to confirm): the stream tells the news.
    BesideStream,
}

impl<S: Source> Engine<'_, S> {
    async fn run(&mut self) -> Result<End, Stop> {
        let mut reopen = Backoff::reopening();
        let mut opening = Opening::First;
        loop {
            if !self.source.may_stream() {
                // No stream to be had for now: polled until one is.
                if let Some(end) = self.poll(Resume::SlotFree).await? {
                    return Ok(end);
                }
                continue;
            }
            match self.stream_once(opening).await? {
                StreamEnd::Over(end) => return self.finish(end),
                // Polling reports every change, the end among them: nothing to finish.
                StreamEnd::Unsupported => {
                    if let Some(end) = self.poll(Resume::Never).await? {
                        return Ok(end);
                    }
                }
                StreamEnd::Unavailable => {
                    let retry_stream_at = Instant::now() + STREAM_RETRY_EVERY;
                    if let Some(end) = self.poll(Resume::At(retry_stream_at)).await? {
                        return Ok(end);
                    }
                    // Time to see whether the stream works again.
                }
                StreamEnd::Dropped { progressed } => {
                    if progressed {
                        reopen.reset();
                    }
                    if let Look::Over(end) = self.check(Asking::BesideStream).await? {
                        if end == End::Terminal {
                            self.catch_up().await?;
                        }
                        return self.finish(end);
                    }
                    sleep(self.retries.capped(reopen.next())).await;
                }
            }
            opening = Opening::Again;
        }
    }

    /// Following ends beside a stream: when it was GetThread that found the end, not the
    /// stream, the end is said as an event.
    fn finish(&mut self, end: End) -> Result<End, Stop> {
        if end == End::Terminal && self.claim.is_none() {
            self.report_state_as_event()?;
        }
        Ok(end)
    }

    /// Polls GetThread until the thread ends or pauses. Returns `None` once `resume` says it is
    /// time to try the stream again.
    async fn poll(&mut self, resume: Resume) -> Result<Option<End>, Stop> {
        let mut interval = Backoff::polling();
        loop {
            let before = self.last.as_ref().map(state_of);
            match self.check(Asking::InsteadOfStream).await? {
                Look::Over(end) => return Ok(Some(end)),
                Look::Failed => {}
                Look::Going => {
                    if before != self.last.as_ref().map(state_of) {
                        interval.reset();
                    }
                    let stream_again = match resume {
                        Resume::Never => false,
                        Resume::At(at) => Instant::now() >= at,
                        Resume::SlotFree => self.source.may_stream(),
                    };
                    if stream_again {
                        return Ok(None);
                    }
                }
            }
            sleep(self.retries.capped(interval.next())).await;
        }
    }

    /// Asks GetThread. Over on a terminal state or (unless waiting through pauses) a pause; when
    /// asking instead of a stream, a change of state is reported as a `progress` event.
    async fn check(&mut self, asking: Asking) -> Result<Look, Stop> {
        let thread = match self.source.get(self.thread_id).await {
            Ok(thread) => thread,
            Err(error) => {
                self.retry_later(error)?;
                if self.claim.as_mut().is_some_and(TerminalClaim::doubt) {
                    return Ok(Look::Over(End::Terminal));
                }
                return Ok(Look::Failed);
            }
        };
        self.retries.succeeded();
        let changed = self.last.as_ref().map(state_of) != Some(state_of(&thread));
        let was_paused = self
            .last
            .as_ref()
            .is_some_and(|t| t.status == ThreadStatus::Paused);
        let was_waiting = self
            .last
            .as_ref()
            .is_some_and(|t| matches!(t.status, ThreadStatus::Paused | ThreadStatus::Failed));
        let status = thread.status;
        if was_waiting && matches!(status, ThreadStatus::Running | ThreadStatus::Pending) {
            // Resumed: a step may run again, even one that completed.
            self.ledger.resumed();
        }
        self.observer.thread(&thread);
        self.last = Some(thread);
        if asking == Asking::InsteadOfStream && changed {
            self.report_state_as_event()?;
        }
        if status.is_terminal() {
            return Ok(Look::Over(End::Terminal));
        }
        if let Some(claim) = &mut self.claim {
            if matches!(status, ThreadStatus::Unknown(_) | ThreadStatus::Unspecified) {
                // A status GetThread cannot name does not say "not ended" either.
                if claim.doubt() {
                    return Ok(Look::Over(End::Terminal));
                }
            } else {
                // The stream said the thread ended; GetThread says not (yet): a resumed thread,
                // or a GetThread lagging behind. Either way GetThread decides when it has ended.
                claim.contradicted = true;
            }
        }
        if status == ThreadStatus::Paused {
            if !self.options.wait_paused {
                return Ok(Look::Over(End::Paused));
            }
            if !was_paused {
                // Once a pause: the previous answer was something else (or there was none).
                self.observer.following_through_pause(self.thread_id);
            }
        }
        Ok(Look::Going)
    }

    /// Reports the last GetThread state as a `progress` event (when polling, or when GetThread
    /// found an end the stream never announced).
    fn report_state_as_event(&mut self) -> Result<(), Stop> {
        let Some(thread) = &self.last else {
            return Ok(());
        };
        let event = ThreadEvent::progress_of(thread);
        Ok(self.observer.event(&event)?)
    }

    /// Reports an event unless it was reported before. Returns whether it was new.
    fn report(&mut self, event: &ThreadEvent) -> Result<bool, Stop> {
        if !self.ledger.admit(event) {
            return Ok(false);
        }
        if event.kind.terminal_status().is_none() && self.claim.is_some() {
            // Life after an end: that end was history (the thread was resumed).
            self.claim = None;
        }
        if matches!(event.kind, EventKind::Started(_)) {
            self.started = Some(event.clone());
        }
        self.observer.event(event)?;
        Ok(true)
    }

    /// Counts a transient failure against the budget, announcing the first of a run; a
    /// refusal stops following.
    fn retry_later(&mut self, error: CallError) -> Result<(), Stop> {
        if let Some(notice) = self.retries.failed(error)? {
            self.observer.notice(&notice);
        }
        Ok(())
    }

    /// The outcome once following has ended with `end`.
    fn outcome(self, end: End) -> FollowOutcome {
        let mut thread = match self.last {
            Some(thread) => thread,
            None => from_events(self.thread_id, self.started.as_ref(), self.claim.as_ref()),
        };
        if end == End::Terminal && !thread.status.is_terminal() {
            // The stream's word on the outcome stands only when GetThread never answered after it.
            if let Some(claim) = self.claim.as_ref() {
                if let Some(status) = claim.standing_status() {
                    // A document from before the end: its end is the event's, not "still
                    // running" (a duration counted to now).
                    thread.status = status;
                    if thread.finished_at_ms == 0 {
                        thread.finished_at_ms = claim.event.timestamp_ms;
                    }
                }
            }
        }
        FollowOutcome {
            thread,
            end,
            terminal_event: self.claim.map(|claim| claim.event),
        }
    }
}

/// The thread as far as its events tell (GetThread never answered): the script and step count
/// of its `started` event, and its start and end times.
fn from_events(
    thread_id: &str,
    started: Option<&ThreadEvent>,
    claim: Option<&TerminalClaim>,
) -> Thread {
    let mut thread = placeholder(thread_id);
    if let Some(ThreadEvent {
        kind: EventKind::Started(s),
        timestamp_ms,
        ..
    }) = started
    {
        thread.script_name = s.script_name.clone();
        thread.total_steps = s.total_steps;
        thread.started_at_ms = *timestamp_ms;
        if let Some(claim) = claim {
            thread.finished_at_ms = claim.event.timestamp_ms;
        }
    }
    if let Some(EventKind::Failed(f)) = claim.map(|c| &c.event.kind) {
        thread.error = f.error.clone();
        thread.current_step_path = f.failed_step_path.clone();
        thread.current_step_name = f.failed_step_name.clone();
    }
    thread
}

fn state_of(thread: &Thread) -> (ThreadStatus, String, String) {
    (
        thread.status,
        thread.current_step_path.clone(),
        thread.current_step_name.clone(),
    )
}

#[cfg(test)]
mod tests;
