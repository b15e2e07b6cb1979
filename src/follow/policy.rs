//! What both following engines (thread and step) share: the timing, the retry budget
//! ([`Retries`]), jittered [`Backoff`], opening a stream in time ([`open_within`]), the guard of
//! Ctrl-C and `--follow-timeout` ([`guarded`]), and the word for what one look at the server
//! concluded ([`Look`]).
//!
//! 5. Transient failures (UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, broken transport) are
//!    retried while the retry budget lasts; it restarts with every success. Anything else the
//!    server says (UNAUTHENTICATED, NOT_FOUND, …) ends the follow at once.
//! 6. Ctrl-C and `--follow-timeout` stop following; the thread is never touched. (Ctrl-C is
//!    [`crate::interrupt`]'s: whatever a command does after following stops on it too.)
//!
//! (Rules 1–4 are the thread engine's, in [`super::thread`].)

use std::future::Future;
use std::time::Duration;

use tokio::time::{timeout, Instant};

use crate::client::CallError;
use crate::output::duration_ms;

use super::stop::Stop;
use super::{End, FollowOptions};

// Timing, both engines. Polling: from POLL_MIN towards POLL_MAX while nothing changes.
const POLL_MIN: Duration = Duration::from_millis(250);
const POLL_MAX: Duration = Duration::from_secs(5);
// Reopening a dropped stream: exponential from REOPEN_MIN, capped at REOPEN_MAX.
const REOPEN_MIN: Duration = Duration::from_millis(100);
const REOPEN_MAX: Duration = Duration::from_secs(5);
// A silent stream: ask the server after SILENCE_MIN, then less and less often up to SILENCE_MAX.
const SILENCE_MIN: Duration = Duration::from_secs(1);
const SILENCE_MAX: Duration = Duration::from_secs(15);
// How long opening a stream may take before it counts as a transient failure.
pub(super) const OPEN_TIMEOUT: Duration = Duration::from_secs(15);

// The thread engine's. Right after an `ask` step starts, a pause is likely: look sooner.
pub(super) const SILENCE_AFTER_ASK: Duration = Duration::from_millis(250);
// GetThread says a silent stream is behind this many checks in a row: reopen it.
pub(super) const STALE_CHECKS: u32 = 3;
// GetThread found the end first: how long to wait for the stream's own terminal event.
pub(super) const TERMINAL_GRACE: Duration = Duration::from_millis(300);
// GetThread found the end after a stream dropped: how long one more stream may take to bring the
// events sent since.
pub(super) const CATCH_UP: Duration = Duration::from_secs(1);
// GetThread fails this many times in a row after the stream's terminal event: trust the event.
pub(super) const MAX_DOUBTS: u32 = 5;
// While polling after a transient stream failure, try the stream again this often.
pub(super) const STREAM_RETRY_EVERY: Duration = Duration::from_secs(15);

/// What one look at the server (GetThread, GetThreadResult) concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Look {
    /// Following is over: the thing followed has ended, or paused (without `--wait-paused`).
    Over(End),
    /// Still going.
    Going,
    /// The call failed transiently; it counts against the retry budget.
    Failed,
}

/// Runs `work` until it ends, the user presses Ctrl-C (`End::Interrupted`), or `--follow-timeout`
/// passes ([`Stop::TimedOut`]).
pub(super) async fn guarded(
    work: impl Future<Output = Result<End, Stop>>,
    options: &FollowOptions,
) -> Result<End, Stop> {
    let deadline = options.timeout.map(|d| Instant::now() + d);
    tokio::pin!(work);
    let ctrl_c = async {
        if options.handle_ctrl_c {
            return crate::interrupt::ctrl_c().await;
        }
        std::future::pending::<()>().await
    };
    let timed_out = async {
        match deadline {
            Some(deadline) => tokio::time::sleep_until(deadline).await,
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        result = &mut work => result,
        () = ctrl_c => Ok(End::Interrupted),
        () = timed_out => Err(Stop::TimedOut(options.timeout.unwrap_or_default())),
    }
}

/// The retry budget: how long a run of transient failures may go on, counted from its first
/// failure and restarted by any success.
pub(super) struct Retries {
    budget: Duration,
    failing_since: Option<Instant>,
}

impl Retries {
    pub(super) fn new(budget: Duration) -> Retries {
        Retries {
            budget,
            failing_since: None,
        }
    }

    pub(super) fn succeeded(&mut self) {
        self.failing_since = None;
    }

    /// Counts a failed call. Anything not transient stops following at once
    /// ([`Stop::Refused`]). A transient failure is counted: the first of a run comes back as the
    /// one notice worth showing (a server down for a while costs the user one line, not one per
    /// retry); past the budget, following gives up ([`Stop::GaveUp`], exit 6).
    pub(super) fn failed(&mut self, error: CallError) -> Result<Option<String>, Stop> {
        if !error.is_retryable() {
            return Err(Stop::Refused(error));
        }
        let now = Instant::now();
        let notice = self.failing_since.is_none().then(|| {
            format!(
                "the server is failing ({}); retrying for up to {}",
                error.status_text(),
                duration_ms(self.budget.as_millis() as i64)
            )
        });
        let since = *self.failing_since.get_or_insert(now);
        if now.duration_since(since) >= self.budget {
            return Err(Stop::GaveUp {
                budget: self.budget,
                last: error,
            });
        }
        Ok(notice)
    }

    /// A delay shortened so that a run of failures ends no later than the budget allows.
    pub(super) fn capped(&self, delay: Duration) -> Duration {
        match self.failing_since {
            Some(since) => {
                let left = (since + self.budget).saturating_duration_since(Instant::now());
                delay.min(left)
            }
            None => delay,
        }
    }
}

/// Opens a stream within [`OPEN_TIMEOUT`] (or `DODIL_CALL_TIMEOUT`): a server that never
/// answers is a transient failure (DEADLINE_EXCEEDED), which the retry budget bounds.
pub(super) async fn open_within<T>(
    limit: Duration,
    method: &'static str,
    open: impl Future<Output = Result<T, CallError>>,
) -> Result<T, CallError> {
    match timeout(limit, open).await {
        Ok(result) => result,
        Err(_) => Err(CallError::deadline(
            method,
            "the event stream did not open in time",
        )),
    }
}

/// Exponential backoff with ±20 % jitter.
pub(super) struct Backoff {
    min: Duration,
    max: Duration,
    current: Duration,
}

impl Backoff {
    fn new(min: Duration, max: Duration) -> Self {
        Backoff {
            min,
            max,
            current: min,
        }
    }

    /// Between two looks while polling: reset on a change.
    pub(super) fn polling() -> Self {
        Backoff::new(POLL_MIN, POLL_MAX)
    }

    /// Before reopening a stream that dropped or could not be opened.
    pub(super) fn reopening() -> Self {
        Backoff::new(REOPEN_MIN, REOPEN_MAX)
    }

    /// How long a silent stream is waited on before the server is asked: reset on an event.
    pub(super) fn silence() -> Self {
        Backoff::new(SILENCE_MIN, SILENCE_MAX)
    }

    pub(super) fn reset(&mut self) {
        self.current = self.min;
    }

    /// The delay to use now (jittered), without advancing.
    pub(super) fn peek(&self) -> Duration {
        jitter(self.current)
    }

    /// Makes the next delay twice as long, up to the maximum.
    pub(super) fn advance(&mut self) {
        self.current = (self.current * 2).min(self.max);
    }

    /// The delay to use now (jittered); the next one is twice as long, up to the maximum.
    pub(super) fn next(&mut self) -> Duration {
        let delay = self.peek();
        self.advance();
        delay
    }
}

fn jitter(delay: Duration) -> Duration {
    delay.mul_f64(0.8 + 0.4 * fastrand::f64())
}
