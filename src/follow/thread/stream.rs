//! Reading one WatchThread stream for the thread engine: each event, each silence, the error
//! that breaks it, and how it came to an end ([`StreamEnd`]) for the engine's loop to act on.

use std::ops::ControlFlow::{self, Break, Continue};
use std::time::Duration;

use tokio::time::{timeout, timeout_at, Instant};
use tokio_stream::StreamExt;

use crate::client::{CallError, CallErrorKind, EventStream};
use crate::model::{EventKind, ThreadEvent};

use crate::follow::policy::{
    open_within, Backoff, Look, CATCH_UP, SILENCE_AFTER_ASK, STALE_CHECKS, TERMINAL_GRACE,
};
use crate::follow::stop::Stop;
use crate::follow::End;

use super::{Asking, Engine, Source, TerminalClaim};

/// How one stream came to an end.
pub(super) enum StreamEnd {
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
pub(super) enum Opening {
    First,
    Again,
}

/// How the confirmation of a terminal event came out on a first stream.
enum Confirmation {
    /// The stream ended cleanly first: the terminal event stands.
    CleanEnd,
    /// GetThread answered first.
    Checked(Result<Look, Stop>),
    /// The stream said something more first (an event, or an error): GetThread decides.
    StreamSaid(Option<Result<ThreadEvent, CallError>>),
}

/// Where a stream failed before delivering any event.
#[derive(Clone, Copy)]
enum FailedAt {
    Open,
    FirstEvent,
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
    /// The follow's first stream: nothing was missed or replayed before it.
    first: bool,
}

impl Reading {
    fn new(stream: EventStream, opening: Opening) -> Reading {
        Reading {
            stream,
            first: opening == Opening::First,
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
    /// Opens WatchThread and reads it until it ends, breaks, or the thread ends or pauses.
    pub(super) async fn stream_once(&mut self, opening: Opening) -> Result<StreamEnd, Stop> {
        let opened = open_within(
            self.options.open_timeout,
            "WatchThread",
            self.source.watch(self.thread_id),
        )
        .await;
        let mut reading = match opened {
            Ok(stream) => {
                self.ledger.new_stream();
                Reading::new(stream, opening)
            }
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
        let look = if self.options.trust_clean_end && reading.first {
            match self.confirm_or_clean_end(reading).await {
                Confirmation::CleanEnd => return Ok(Break(StreamEnd::Over(End::Terminal))),
                Confirmation::Checked(look) => look?,
                Confirmation::StreamSaid(next) => {
                    if let Some(Ok(event)) = next {
                        self.report(&event)?;
                    }
                    self.check(Asking::BesideStream).await?
                }
            }
        } else {
            self.check(Asking::BesideStream).await?
        };
        Ok(match look {
            Look::Over(end) => Break(StreamEnd::Over(end)),
            Look::Going | Look::Failed => Continue(()),
        })
    }

    /// After a terminal event on the first stream: GetThread is asked at once, and the stream
    /// read on meanwhile. A clean end of the stream before GetThread answers is the server's word
    /// that the thread is over, so the answer is not awaited (a round trip less for `run`).
    async fn confirm_or_clean_end(&mut self, reading: &mut Reading) -> Confirmation {
        let check = self.check(Asking::BesideStream);
        tokio::pin!(check);
        tokio::select! {
            biased;
            next = reading.stream.next() => match next {
                None => Confirmation::CleanEnd,
                next => Confirmation::StreamSaid(next),
            },
            look = &mut check => Confirmation::Checked(look),
        }
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
        if error.is_unreadable() {
            return Ok(self.unreadable(&error));
        }
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

    /// The stream sent an event this client cannot read. Every stream opened again would replay
    /// it, so GetThread is polled instead, for good: the follow reaches the thread's end all the
    /// same, and the line says which events it can no longer show.
    fn unreadable(&mut self, error: &CallError) -> StreamEnd {
        self.observer.notice(&format!(
            "{error}; following by polling GetThread instead (its events are not shown from here on)"
        ));
        StreamEnd::Unsupported
    }

    /// The stream could not be opened, or broke before its first event.
    fn failed_early(
        &mut self,
        error: CallError,
        opening: Opening,
        at: FailedAt,
    ) -> Result<StreamEnd, Stop> {
        if error.is_unreadable() {
            return Ok(self.unreadable(&error));
        }
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

    /// GetThread found the thread ended after the stream dropped: one more stream, read for at
    /// most [`CATCH_UP`], for the events sent since the drop (the last yields, the terminal
    /// event). Best effort: a stream that cannot be opened, or replays nothing, changes nothing.
    pub(super) async fn catch_up(&mut self) -> Result<(), Stop> {
        let opened = open_within(
            CATCH_UP.min(self.options.open_timeout),
            "WatchThread",
            self.source.watch(self.thread_id),
        )
        .await;
        let Ok(mut stream) = opened else {
            return Ok(());
        };
        self.ledger.new_stream();
        let until = Instant::now() + CATCH_UP;
        while let Ok(Some(Ok(event))) = timeout_at(until, stream.next()).await {
            let terminal = event.kind.terminal_status().is_some();
            if self.report(&event)? && terminal {
                self.claim = Some(TerminalClaim::new(event));
            }
            if terminal {
                break;
            }
        }
        Ok(())
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
}
