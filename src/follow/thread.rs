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
//!    new stream replays are dropped by identity ([`crate::model::EventKey`]). A terminal event is
//!    confirmed too, and GetThread's answer stands over it (a replayed `failed` of a thread
//!    resumed since is history); only while GetThread cannot confirm it (it fails, or answers
//!    a status this client cannot name) does the stream's word end the follow, after
//!    [`MAX_DOUBTS`] tries.
//! 4. A stream that stays silent is not an error: after a while GetThread is asked instead, which
//!    finds a pause, a terminal state the stream never announced, or a stream gone stale.
//!
//! Rules 5 and 6 (retries, Ctrl-C and `--follow-timeout`) are [`super::policy`]'s, shared with the
//! step engine.

use std::collections::HashSet;
use std::future::Future;
use std::ops::ControlFlow::{self, Break, Continue};
use std::time::Duration;

use tokio::time::{sleep, timeout, timeout_at, Instant};
use tokio_stream::StreamExt;

use crate::client::{CallError, CallErrorKind, Client, EventStream};
use crate::model::event::{now_ms, Progress};
use crate::model::{EventKey, EventKind, Thread, ThreadEvent, ThreadStatus};

use super::policy::{
    guarded, open_within, Backoff, Look, Retries, MAX_DOUBTS, SILENCE_AFTER_ASK, STALE_CHECKS,
    STREAM_RETRY_EVERY, TERMINAL_GRACE,
};
use super::stop::Stop;
use super::{End, FollowOptions, FollowOutcome, Observer};

/// What the engine needs from a server; [`Client`] in the program, a script in unit tests.
pub(crate) trait Source {
    fn watch(&self, thread_id: &str) -> impl Future<Output = Result<EventStream, CallError>>;
    fn get(&self, thread_id: &str) -> impl Future<Output = Result<Thread, CallError>>;
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
        seen: HashSet::new(),
        last: None,
        claim: None,
        stream_step: String::new(),
    };
    let end = guarded(engine.run(), options).await?;
    Ok(engine.outcome(end))
}

/// A thread known only by its id (nothing could be read about it).
pub(super) fn placeholder(thread_id: &str) -> Thread {
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
    /// Identity of every event reported so far.
    seen: HashSet<EventKey>,
    /// The thread as GetThread last described it.
    last: Option<Thread>,
    /// The stream's terminal event, while it may still be the end.
    claim: Option<TerminalClaim>,
    /// The step the stream last said started (to notice a stale stream).
    stream_step: String,
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

/// How one stream came to an end.
enum StreamEnd {
    /// Following is over: the thread ended or paused.
    Over(End),
    /// The server does not stream (UNIMPLEMENTED): poll instead, for good.
    Unsupported,
    /// The first stream failed transiently before any event: poll instead, and try the stream
    /// again now and then.
    Unavailable,
    /// It ended, broke or could not be reopened without the thread's end: reopen it.
    /// `progressed` when it brought new events.
    Dropped { progressed: bool },
}

/// Which stream of the follow is being read: a first one that fails before any event gives way
/// to polling, a later one is reopened like any dropped stream.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opening {
    First,
    Again,
}

/// Where a stream failed before delivering any event.
#[derive(Clone, Copy)]
enum FailedAt {
    Open,
    FirstEvent,
}

/// Why GetThread is asked; the two differ in whether a change of state is news.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asking {
    /// In place of a stream: a change of state is reported as a `progress` event.
    InsteadOfStream,
    /// Beside a stream (a silence, a drop, a terminal event to confirm): the stream tells the news.
    BesideStream,
}

/// One open WatchThread stream and what reading it has found so far.
struct Reading {
    stream: EventStream,
    /// It delivered an event (a replayed one counts).
    delivered: bool,
    /// It delivered an event not reported before.
    progressed: bool,
    /// How long to wait in silence before asking GetThread.
    patience: Backoff,
    /// Silences in a row after which GetThread found the thread past the stream's step.
    stale_checks: u32,
    /// The last event started an `ask` step: a pause is likely, look sooner.
    after_ask: bool,
}

impl Reading {
    fn new(stream: EventStream) -> Reading {
        Reading {
            stream,
            delivered: false,
            progressed: false,
            patience: Backoff::silence(),
            stale_checks: 0,
            after_ask: false,
        }
    }

    /// How long to wait for the next event before asking GetThread.
    fn wait(&self) -> Duration {
        if self.after_ask {
            SILENCE_AFTER_ASK
        } else {
            self.patience.peek()
        }
    }

    fn dropped(&self) -> StreamEnd {
        StreamEnd::Dropped {
            progressed: self.progressed,
        }
    }
}

impl<S: Source> Engine<'_, S> {
    async fn run(&mut self) -> Result<End, Stop> {
        let mut reopen = Backoff::reopening();
        let mut opening = Opening::First;
        loop {
            match self.stream_once(opening).await? {
                StreamEnd::Over(end) => return self.finish(end),
                // Polling reports every change, the end among them.
                StreamEnd::Unsupported => {
                    if let Some(end) = self.poll(None).await? {
                        return Ok(end);
                    }
                }
                StreamEnd::Unavailable => {
                    let retry_stream_at = Instant::now() + STREAM_RETRY_EVERY;
                    if let Some(end) = self.poll(Some(retry_stream_at)).await? {
                        return Ok(end);
                    }
                    // Time to see whether the stream works again.
                }
                StreamEnd::Dropped { progressed } => {
                    if progressed {
                        reopen.reset();
                    }
                    if let Look::Over(end) = self.check(Asking::BesideStream).await? {
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

    /// Opens WatchThread and reads it until it ends, breaks, or the thread ends or pauses.
    async fn stream_once(&mut self, opening: Opening) -> Result<StreamEnd, Stop> {
        let opened = open_within(
            self.options.open_timeout,
            "WatchThread",
            self.source.watch(self.thread_id),
        )
        .await;
        let mut reading = match opened {
            Ok(stream) => Reading::new(stream),
            Err(error) => return self.failed_early(error, opening, FailedAt::Open),
        };
        loop {
            let flow = match timeout(reading.wait(), reading.stream.next()).await {
                Err(_silence) => self.on_silence(&mut reading).await?,
                Ok(None) => Break(reading.dropped()),
                Ok(Some(Err(error))) => Break(self.on_error(error, &reading, opening)?),
                Ok(Some(Ok(event))) => self.on_event(event, &mut reading).await?,
            };
            if let Break(end) = flow {
                return Ok(end);
            }
        }
    }

    /// An event from the stream: reported unless it is a replay; a new terminal event is
    /// confirmed with GetThread (a lagging stream, a resume: it may know better).
    async fn on_event(
        &mut self,
        event: ThreadEvent,
        reading: &mut Reading,
    ) -> Result<ControlFlow<StreamEnd>, Stop> {
        reading.delivered = true;
        reading.patience.reset();
        reading.stale_checks = 0;
        self.retries.succeeded();
        reading.after_ask = match &event.kind {
            EventKind::StepStarted(step) => {
                self.stream_step = step.step_path.clone();
                step.primitive.eq_ignore_ascii_case("ask")
            }
            _ => false,
        };
        if !self.report(&event)? {
            // A replay: reported before, and whatever it said was judged then.
            return Ok(Continue(()));
        }
        reading.progressed = true;
        if event.kind.terminal_status().is_none() {
            return Ok(Continue(()));
        }
        self.claim = Some(TerminalClaim::new(event));
        Ok(match self.check(Asking::BesideStream).await? {
            Look::Over(end) => Break(StreamEnd::Over(end)),
            Look::Going | Look::Failed => Continue(()),
        })
    }

    /// The stream has been quiet a while: GetThread says what is going on (a pause, an end the
    /// stream never announced, or a stream fallen behind).
    async fn on_silence(&mut self, reading: &mut Reading) -> Result<ControlFlow<StreamEnd>, Stop> {
        reading.after_ask = false;
        reading.patience.advance();
        match self.check(Asking::BesideStream).await? {
            Look::Over(End::Terminal) => {
                // The stream may still be about to say it: give it a moment.
                self.drain(&mut reading.stream).await?;
                Ok(Break(StreamEnd::Over(End::Terminal)))
            }
            Look::Over(end) => Ok(Break(StreamEnd::Over(end))),
            Look::Failed => Ok(Continue(())),
            Look::Going => {
                if self.stream_is_behind() {
                    reading.stale_checks += 1;
                } else {
                    reading.stale_checks = 0;
                }
                if reading.stale_checks < STALE_CHECKS {
                    return Ok(Continue(()));
                }
                self.observer
                    .notice("the event stream has fallen behind the thread; reopening it");
                Ok(Break(reading.dropped()))
            }
        }
    }

    /// GetThread places the thread at a step the stream never said started.
    fn stream_is_behind(&self) -> bool {
        let polled = self.last.as_ref().map(|t| t.current_step_path.as_str());
        polled.is_some_and(|p| !p.is_empty() && p != self.stream_step)
    }

    /// The stream broke. Before any event that is as if it never opened; after, a transient
    /// failure is reported and the stream reopened.
    fn on_error(
        &mut self,
        error: CallError,
        reading: &Reading,
        opening: Opening,
    ) -> Result<StreamEnd, Stop> {
        if !reading.delivered {
            return self.failed_early(error, opening, FailedAt::FirstEvent);
        }
        if error.kind == CallErrorKind::Unimplemented {
            return Ok(StreamEnd::Unsupported);
        }
        if !error.is_retryable() {
            return Err(Stop::Refused(error));
        }
        self.observer.notice(&format!(
            "the event stream broke ({}); reconnecting",
            error.status_text()
        ));
        // Counted, not announced: the line above said what happened.
        self.retries.failed(error)?;
        Ok(reading.dropped())
    }

    /// The stream could not be opened, or broke before its first event.
    fn failed_early(
        &mut self,
        error: CallError,
        opening: Opening,
        at: FailedAt,
    ) -> Result<StreamEnd, Stop> {
        if error.kind == CallErrorKind::Unimplemented {
            self.observer
                .notice("this server does not stream events (WatchThread is UNIMPLEMENTED); polling GetThread instead");
            return Ok(StreamEnd::Unsupported);
        }
        if !error.is_retryable() {
            return Err(Stop::Refused(error));
        }
        match opening {
            Opening::First => {
                let what = match at {
                    FailedAt::Open => "could not be opened",
                    FailedAt::FirstEvent => "broke before its first event",
                };
                self.observer.notice(&format!(
                    "the event stream {what} ({}); polling GetThread instead",
                    error.status_text()
                ));
                Ok(StreamEnd::Unavailable)
            }
            Opening::Again => {
                self.retry_later(error)?;
                Ok(StreamEnd::Dropped { progressed: false })
            }
        }
    }

    /// After GetThread found the thread ended: give the stream a moment to say so itself.
    async fn drain(&mut self, stream: &mut EventStream) -> Result<(), Stop> {
        let until = Instant::now() + TERMINAL_GRACE;
        while let Ok(Some(Ok(event))) = timeout_at(until, stream.next()).await {
            if self.report(&event)? && event.kind.terminal_status().is_some() {
                self.claim = Some(TerminalClaim::new(event));
                break;
            }
        }
        Ok(())
    }

    /// Polls GetThread until the thread ends or pauses. Returns `None` once `retry_stream_at`
    /// (if any) has passed: time to try the stream again.
    async fn poll(&mut self, retry_stream_at: Option<Instant>) -> Result<Option<End>, Stop> {
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
                    if retry_stream_at.is_some_and(|at| Instant::now() >= at) {
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
        let status = thread.status;
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
        let event = ThreadEvent {
            thread_id: thread.thread_id.clone(),
            timestamp_ms: now_ms(),
            kind: EventKind::Progress(Progress {
                status: thread.status,
                current_step_path: thread.current_step_path.clone(),
                current_step_name: thread.current_step_name.clone(),
            }),
        };
        Ok(self.observer.event(&event)?)
    }

    /// Reports an event unless it was reported before. Returns whether it was new.
    fn report(&mut self, event: &ThreadEvent) -> Result<bool, Stop> {
        if !self.seen.insert(event.key()) {
            return Ok(false);
        }
        if event.kind.terminal_status().is_none() && self.claim.is_some() {
            // Life after an end: that end was history (the thread was resumed).
            self.claim = None;
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
        let mut thread = self.last.unwrap_or_else(|| placeholder(self.thread_id));
        if end == End::Terminal && !thread.status.is_terminal() {
            // The stream's word on the outcome stands only when GetThread never answered after it.
            if let Some(status) = self.claim.as_ref().and_then(TerminalClaim::standing_status) {
                thread.status = status;
            }
        }
        FollowOutcome {
            thread,
            end,
            terminal_event: self.claim.map(|claim| claim.event),
        }
    }
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
