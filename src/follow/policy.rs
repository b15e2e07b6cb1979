//! The rules both following engines (thread and step) share: when to retry and for how long
//! ([`Retries`]), how long to wait between tries ([`Backoff`], jittered), how long opening a stream
//! may take ([`open_within`]), and the guard of Ctrl-C and `--follow-timeout` ([`guarded`]).
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
use crate::error::{CliError, ExitStatus};
use crate::output::duration_ms;

use super::{End, FollowOptions};

// Timing. Polling: from POLL_MIN towards POLL_MAX while nothing changes.
pub(super) const POLL_MIN: Duration = Duration::from_millis(250);
pub(super) const POLL_MAX: Duration = Duration::from_secs(5);
// Reopening a dropped stream: exponential from REOPEN_MIN, capped at REOPEN_MAX.
pub(super) const REOPEN_MIN: Duration = Duration::from_millis(100);
pub(super) const REOPEN_MAX: Duration = Duration::from_secs(5);
// A silent stream: ask GetThread after SILENCE_MIN, then less and less often up to SILENCE_MAX.
pub(super) const SILENCE_MIN: Duration = Duration::from_secs(1);
pub(super) const SILENCE_MAX: Duration = Duration::from_secs(15);
// Right after an `ask` step starts, a pause is likely: look sooner.
pub(super) const SILENCE_AFTER_ASK: Duration = Duration::from_millis(250);
// GetThread says a silent stream is behind this many checks in a row: reopen it.
pub(super) const STALE_CHECKS: u32 = 3;
// How long opening a stream may take before it counts as a transient failure.
pub(super) const OPEN_TIMEOUT: Duration = Duration::from_secs(15);
// GetThread found the end first: how long to wait for the stream's own terminal event.
pub(super) const TERMINAL_GRACE: Duration = Duration::from_millis(300);
// GetThread fails this many times in a row after the stream's terminal event: trust the event.
pub(super) const MAX_DOUBTS: u32 = 5;
// While polling after a transient stream failure, try the stream again this often.
pub(super) const STREAM_RETRY_EVERY: Duration = Duration::from_secs(15);

/// Runs `work` until it ends, the user presses Ctrl-C (`End::Interrupted`), or `--follow-timeout`
/// passes (exit 6 with `hint`). `what` names what was being followed.
pub(crate) async fn guarded(
    work: impl Future<Output = anyhow::Result<End>>,
    options: &FollowOptions,
    what: &str,
    hint: String,
) -> anyhow::Result<End> {
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
        () = timed_out => Err(CliError::new(
            ExitStatus::Unreachable,
            format!(
                "stopped following {} after {} (--follow-timeout); it goes on running on the server",
                crate::output::terminal_safe(what),
                duration_ms(options.timeout.unwrap_or_default().as_millis() as i64)
            ),
        )
        .with_hint(hint)
        .into()),
    }
}

/// The retry budget, shared by the thread and step engines: how long a run of transient
/// failures may go on, counted from its first failure and restarted by any success.
pub(crate) struct Retries {
    budget: Duration,
    failing_since: Option<Instant>,
    /// What is being followed (`thread ID`), for the error that gives up.
    what: String,
    /// The error's hint: how to pick following up again.
    hint: String,
}

impl Retries {
    pub(crate) fn new(budget: Duration, what: String, hint: String) -> Retries {
        Retries {
            budget,
            failing_since: None,
            what,
            hint,
        }
    }

    pub(crate) fn succeeded(&mut self) {
        self.failing_since = None;
    }

    /// Counts a transient failure. The first of a run comes back as the one notice worth
    /// showing (a server down for a while costs the user one line, not one per retry); past
    /// the budget, the follow gives up (exit 6).
    pub(crate) fn failed(&mut self, status: &CallError) -> anyhow::Result<Option<String>> {
        let now = Instant::now();
        let budget = duration_ms(self.budget.as_millis() as i64);
        let notice = self.failing_since.is_none().then(|| {
            format!(
                "the server is failing ({}); retrying for up to {budget}",
                status.status_text()
            )
        });
        let since = *self.failing_since.get_or_insert(now);
        if now.duration_since(since) >= self.budget {
            return Err(CliError::new(
                ExitStatus::Unreachable,
                format!(
                    "gave up following {} after {budget} of failures: {}",
                    crate::output::terminal_safe(&self.what),
                    status.status_text()
                ),
            )
            .with_hint(self.hint.clone())
            .into());
        }
        Ok(notice)
    }

    /// A delay shortened so that a run of failures ends no later than the budget allows.
    pub(crate) fn capped(&self, delay: Duration) -> Duration {
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
pub(crate) async fn open_within<T>(
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
    pub(super) fn new(min: Duration, max: Duration) -> Self {
        Backoff {
            min,
            max,
            current: min,
        }
    }

    pub(super) fn reset(&mut self) {
        self.current = self.min;
    }

    /// The delay to use now (jittered), without advancing.
    pub(super) fn peek(&self) -> Duration {
        jitter(self.current)
    }

    /// The delay to use now (jittered); the next one is twice as long, up to the maximum.
    pub(super) fn next(&mut self) -> Duration {
        let delay = jitter(self.current);
        self.current = (self.current * 2).min(self.max);
        delay
    }
}

fn jitter(delay: Duration) -> Duration {
    delay.mul_f64(0.8 + 0.4 * fastrand::f64())
}
