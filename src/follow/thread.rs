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
use std::time::Duration;

use tokio::time::{sleep, timeout, Instant};
use tokio_stream::StreamExt;

use crate::client::{CallError, CallErrorKind, Client, EventStream};
use crate::model::event::{now_ms, Progress};
use crate::model::{EventKey, EventKind, Thread, ThreadEvent, ThreadStatus};

use super::policy::{
    guarded, open_within, Backoff, Retries, MAX_DOUBTS, POLL_MAX, POLL_MIN, REOPEN_MAX, REOPEN_MIN,
    SILENCE_AFTER_ASK, SILENCE_MAX, SILENCE_MIN, STALE_CHECKS, STREAM_RETRY_EVERY, TERMINAL_GRACE,
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
        seen: HashSet::new(),
        last: None,
        terminal_event: None,
        retries: Retries::new(options.retry_budget),
        paused_noted: false,
        doubts: 0,
        contradicted: false,
        end_reported: false,
        stream_step: String::new(),
    };
    let end = guarded(engine.run(), options).await?;
    let mut thread = engine.last.take().unwrap_or_else(|| placeholder(thread_id));
    if let (End::Terminal, Some(event)) = (end, &engine.terminal_event) {
        // The stream's word on the outcome stands only when GetThread never answered after it.
        if !thread.status.is_terminal() && !engine.contradicted {
            thread.status = event.kind.terminal_status().unwrap_or(thread.status);
        }
    }
    Ok(FollowOutcome {
        thread,
        end,
        terminal_event: engine.terminal_event.take(),
    })
}

/// A thread known only by its id (nothing could be read about it).
fn placeholder(thread_id: &str) -> Thread {
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
    /// Identity of every event reported so far.
    seen: HashSet<EventKey>,
    /// The thread as GetThread last described it.
    last: Option<Thread>,
    terminal_event: Option<ThreadEvent>,
    retries: Retries,
    paused_noted: bool,
    /// GetThread calls that could not confirm the stream's terminal event (failed, or answered a
    /// status it cannot name).
    doubts: u32,
    /// GetThread answered "not ended" after the stream's terminal event: its word stands.
    contradicted: bool,
    /// A terminal `progress` event has been reported.
    end_reported: bool,
    /// The step the stream last said started (to notice a stale stream).
    stream_step: String,
}

/// How one stream ended.
enum StreamEnd {
    Done(End),
    /// Not usable: poll instead. `retry` when the cause may pass (a transient failure).
    Unusable {
        retry: bool,
    },
    /// Ended or broke without a terminal event, after delivering this many new events.
    Dropped {
        new_events: usize,
    },
}

/// What a GetThread check concluded.
enum Check {
    Done(End),
    Going,
    /// The call failed transiently (within the budget).
    Failed,
}

impl<S: Source> Engine<'_, S> {
    async fn run(&mut self) -> Result<End, Stop> {
        let end = self.follow().await?;
        if end == End::Terminal && self.terminal_event.is_none() && !self.end_reported {
            // GetThread found the end the stream never announced: say it as an event.
            self.report_state_as_event()?;
        }
        Ok(end)
    }

    async fn follow(&mut self) -> Result<End, Stop> {
        let mut reopen = Backoff::new(REOPEN_MIN, REOPEN_MAX);
        let mut first = true;
        loop {
            match self.stream_once(first).await? {
                StreamEnd::Done(end) => return Ok(end),
                StreamEnd::Unusable { retry } => match self.poll(retry).await? {
                    Some(end) => return Ok(end),
                    None => {
                        // Polling saw the stream work again: back to streaming.
                        first = false;
                        continue;
                    }
                },
                StreamEnd::Dropped { new_events } => {
                    first = false;
                    if new_events > 0 {
                        reopen.reset();
                    }
                    if let Check::Done(end) = self.check(None).await? {
                        return Ok(end);
                    }
                    let delay = self.capped(reopen.next());
                    sleep(delay).await;
                }
            }
        }
    }

    /// Opens WatchThread and reads it until it ends, breaks, or the thread ends or pauses.
    async fn stream_once(&mut self, first: bool) -> Result<StreamEnd, Stop> {
        let mut stream = match open_within(
            self.options.open_timeout,
            "WatchThread",
            self.source.watch(self.thread_id),
        )
        .await
        {
            Ok(stream) => stream,
            Err(status) => return self.stream_failed(status, first, false),
        };
        let mut new_events = 0usize;
        let mut got_any = false;
        let mut silence = Backoff::new(SILENCE_MIN, SILENCE_MAX);
        let mut stale_checks = 0u32;
        let mut last_was_ask = false;
        loop {
            let wait = if last_was_ask {
                SILENCE_AFTER_ASK
            } else {
                silence.peek()
            };
            let item = match timeout(wait, stream.next()).await {
                Ok(item) => item,
                Err(_) => {
                    // Silence: ask GetThread what is going on.
                    last_was_ask = false;
                    silence.next();
                    match self.check(None).await? {
                        Check::Done(End::Terminal) => {
                            // The stream may still be about to say it: give it a moment.
                            self.drain(&mut stream).await?;
                            return Ok(StreamEnd::Done(End::Terminal));
                        }
                        Check::Done(end) => return Ok(StreamEnd::Done(end)),
                        Check::Failed => {}
                        Check::Going => {
                            let polled = self.last.as_ref().map(|t| t.current_step_path.as_str());
                            if polled.is_some_and(|p| !p.is_empty() && p != self.stream_step) {
                                stale_checks += 1;
                            } else {
                                stale_checks = 0;
                            }
                            if stale_checks >= STALE_CHECKS {
                                self.observer.notice(
                                    "the event stream has fallen behind the thread; reopening it",
                                );
                                return Ok(StreamEnd::Dropped { new_events });
                            }
                        }
                    }
                    continue;
                }
            };
            match item {
                None => return Ok(StreamEnd::Dropped { new_events }),
                Some(Err(status)) => {
                    if got_any {
                        return self.stream_broke(status, new_events);
                    }
                    return self.stream_failed(status, first, true);
                }
                Some(Ok(event)) => {
                    got_any = true;
                    self.succeeded();
                    silence.reset();
                    stale_checks = 0;
                    if let EventKind::StepStarted(step) = &event.kind {
                        self.stream_step = step.step_path.clone();
                        last_was_ask = step.primitive.eq_ignore_ascii_case("ask");
                    } else {
                        last_was_ask = false;
                    }
                    if !self.report(&event)? {
                        // A replay: reported before, and whatever it said was judged then.
                        continue;
                    }
                    new_events += 1;
                    if event.kind.terminal_status().is_some() {
                        self.take_terminal(event);
                        // Confirm: GetThread may know better (a lagging stream, a resume).
                        match self.check(None).await? {
                            Check::Going | Check::Failed => continue,
                            Check::Done(end) => return Ok(StreamEnd::Done(end)),
                        }
                    }
                }
            }
        }
    }

    /// The stream failed before its first event (or could not be opened).
    fn stream_failed(
        &mut self,
        status: CallError,
        first: bool,
        opened: bool,
    ) -> Result<StreamEnd, Stop> {
        if status.kind == CallErrorKind::Unimplemented {
            self.observer
                .notice("this server does not stream events (WatchThread is UNIMPLEMENTED); polling GetThread instead");
            return Ok(StreamEnd::Unusable { retry: false });
        }
        if !status.is_retryable() {
            return Err(Stop::Refused(status));
        }
        if first {
            let what = if opened {
                "broke before its first event"
            } else {
                "could not be opened"
            };
            self.observer.notice(&format!(
                "the event stream {what} ({}); polling GetThread instead",
                status.status_text()
            ));
            return Ok(StreamEnd::Unusable { retry: true });
        }
        self.failed(&status, true)?;
        Ok(StreamEnd::Dropped { new_events: 0 })
    }

    /// The stream broke after delivering events.
    fn stream_broke(&mut self, status: CallError, new_events: usize) -> Result<StreamEnd, Stop> {
        if status.kind == CallErrorKind::Unimplemented {
            return Ok(StreamEnd::Unusable { retry: false });
        }
        if !status.is_retryable() {
            return Err(Stop::Refused(status));
        }
        self.observer.notice(&format!(
            "the event stream broke ({}); reconnecting",
            status.status_text()
        ));
        self.failed(&status, false)?;
        Ok(StreamEnd::Dropped { new_events })
    }

    /// After GetThread found the thread ended: give the stream a moment to say so itself.
    async fn drain(&mut self, stream: &mut EventStream) -> Result<(), Stop> {
        let until = Instant::now() + TERMINAL_GRACE;
        while let Ok(Some(Ok(event))) = tokio::time::timeout_at(until, stream.next()).await {
            if self.report(&event)? && event.kind.terminal_status().is_some() {
                self.take_terminal(event);
                break;
            }
        }
        Ok(())
    }

    /// Polls GetThread until the thread ends or pauses. Returns `None` when the stream should be
    /// tried again (only with `retry_stream`).
    async fn poll(&mut self, retry_stream: bool) -> Result<Option<End>, Stop> {
        let mut interval = Backoff::new(POLL_MIN, POLL_MAX);
        let stream_retry_at = Instant::now() + STREAM_RETRY_EVERY;
        loop {
            let before = self.last.as_ref().map(state_of);
            match self.check(Some(())).await? {
                Check::Done(end) => return Ok(Some(end)),
                Check::Failed => {}
                Check::Going => {
                    let after = self.last.as_ref().map(state_of);
                    if before != after {
                        interval.reset();
                    }
                    if retry_stream && Instant::now() >= stream_retry_at {
                        return Ok(None);
                    }
                }
            }
            let delay = self.capped(interval.next());
            sleep(delay).await;
        }
    }

    /// Asks GetThread. Reports a change of state as a `progress` event when polling (`Some`),
    /// ends on a terminal state or (unless waiting through pauses) a pause.
    async fn check(&mut self, polling: Option<()>) -> Result<Check, Stop> {
        let thread = match self.source.get(self.thread_id).await {
            Ok(thread) => thread,
            Err(status) if status.is_retryable() => {
                self.failed(&status, true)?;
                if self.doubt() {
                    return Ok(Check::Done(End::Terminal));
                }
                return Ok(Check::Failed);
            }
            Err(status) => return Err(Stop::Refused(status)),
        };
        self.succeeded();
        let changed = self.last.as_ref().map(state_of) != Some(state_of(&thread));
        self.observer.thread(&thread);
        self.last = Some(thread);
        if polling.is_some() && changed {
            self.report_state_as_event()?;
        }
        let status = self
            .last
            .as_ref()
            .map_or(ThreadStatus::Unspecified, |t| t.status);
        if status.is_terminal() {
            return Ok(Check::Done(End::Terminal));
        }
        if self.terminal_event.is_some() {
            if matches!(status, ThreadStatus::Unknown(_) | ThreadStatus::Unspecified) {
                // A status GetThread cannot name does not say "not ended" either.
                if self.doubt() {
                    return Ok(Check::Done(End::Terminal));
                }
            } else {
                // The stream said the thread ended; GetThread says not (yet): a resumed thread,
                // or a GetThread lagging behind. Either way GetThread decides when it has ended.
                self.contradicted = true;
            }
        }
        if status == ThreadStatus::Paused {
            if !self.options.wait_paused {
                return Ok(Check::Done(End::Paused));
            }
            if !self.paused_noted {
                self.paused_noted = true;
                self.observer.notice(&format!(
                    "the thread is paused, waiting for `{}`; still following (--wait-paused)",
                    crate::output::suggest::resume(self.thread_id)
                ));
            }
        } else {
            self.paused_noted = false;
        }
        Ok(Check::Going)
    }

    /// Reports the last GetThread state as a `progress` event (when polling, or when GetThread
    /// found an end the stream never announced).
    fn report_state_as_event(&mut self) -> Result<(), Stop> {
        let Some(thread) = &self.last else {
            return Ok(());
        };
        if thread.status.is_terminal() {
            self.end_reported = true;
        }
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
        if event.kind.terminal_status().is_none() && self.terminal_event.is_some() {
            // Life after an end: that end was history (the thread was resumed).
            self.terminal_event = None;
        }
        self.observer.event(event)?;
        Ok(true)
    }

    /// A new terminal event from the stream: the end, unless GetThread says otherwise.
    fn take_terminal(&mut self, event: ThreadEvent) {
        self.terminal_event = Some(event);
        self.doubts = 0;
        self.contradicted = false;
    }

    /// GetThread could not confirm the stream's terminal event (it failed, or answered a status
    /// it cannot name). Returns whether the stream's word now stands ([`MAX_DOUBTS`] in a row).
    fn doubt(&mut self) -> bool {
        if self.terminal_event.is_none() || self.contradicted {
            return false;
        }
        self.doubts += 1;
        self.doubts >= MAX_DOUBTS
    }

    fn succeeded(&mut self) {
        self.retries.succeeded();
    }

    /// Counts a transient failure against the budget (see [`Retries::failed`]); `announce`
    /// unless the caller already said what happened.
    fn failed(&mut self, status: &CallError, announce: bool) -> Result<(), Stop> {
        if let Some(notice) = self.retries.failed(status.clone())? {
            if announce {
                self.observer.notice(&notice);
            }
        }
        Ok(())
    }

    fn capped(&self, delay: Duration) -> Duration {
        self.retries.capped(delay)
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
