//! Why following stopped short of an end ([`Stop`], what the engines return), and how the user is
//! told: the `CliError` with its exit code and the command that picks up from there
//! ([`watch_hint`], [`step_watch_hint`], the not-found hints), all from [`crate::output::suggest`].
//! The engines never word these themselves.

use std::time::Duration;

use crate::client::{CallError, CallErrorKind};
use crate::error::{CliError, ExitStatus};
use crate::output::{duration_ms, suggest, terminal_safe};

/// Why an engine stopped following without reaching an [`End`](super::End).
#[derive(Debug)]
pub(crate) enum Stop {
    /// The server said no: anything not transient (NOT_FOUND, UNAUTHENTICATED, …).
    Refused(CallError),
    /// A run of transient failures outlasted the retry budget; the last of them.
    GaveUp { budget: Duration, last: CallError },
    /// `--follow-timeout` passed (after this long).
    TimedOut(Duration),
    /// The observer could not take what it was given (a closed stdout, say): its error as is.
    Observer(anyhow::Error),
}

impl From<anyhow::Error> for Stop {
    fn from(err: anyhow::Error) -> Stop {
        Stop::Observer(err)
    }
}

/// What was being followed: the subject of a [`Stop`]'s words.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Followed<'a> {
    Thread {
        thread_id: &'a str,
    },
    Step {
        thread_id: &'a str,
        step_path: &'a str,
    },
}

impl Followed<'_> {
    /// `thread ID` or `step PATH of thread ID` (not yet made terminal-safe).
    fn name(&self) -> String {
        match self {
            Followed::Thread { thread_id } => format!("thread {thread_id}"),
            Followed::Step {
                thread_id,
                step_path,
            } => format!("step {step_path} of thread {thread_id}"),
        }
    }

    /// How to pick following up again.
    fn again(&self) -> String {
        match *self {
            Followed::Thread { thread_id } => watch_hint(thread_id),
            Followed::Step {
                thread_id,
                step_path,
            } => step_watch_hint(thread_id, step_path),
        }
    }

    /// What NOT_FOUND means for the thing followed.
    fn not_found(&self) -> CliError {
        match *self {
            Followed::Thread { thread_id } => CliError::new(
                ExitStatus::ServerRefused,
                format!("thread {} not found", terminal_safe(thread_id)),
            )
            .with_hint(format!("list recent threads with: {}", suggest::list())),
            Followed::Step {
                thread_id,
                step_path,
            } => CliError::new(
                ExitStatus::ServerRefused,
                format!(
                    "no step {} in thread {}",
                    terminal_safe(step_path),
                    terminal_safe(thread_id)
                ),
            )
            .with_hint(format!(
                "list its steps with: {}",
                suggest::steps(thread_id)
            )),
        }
    }
}

impl Stop {
    /// The error `error::report` prints and exits with: 5 for a refusal (or as it classifies the
    /// status), 6 for a budget or `--follow-timeout` that ran out.
    pub(crate) fn into_error(self, followed: Followed<'_>) -> anyhow::Error {
        match self {
            Stop::Refused(status) => {
                let kind = status.kind;
                let err = anyhow::Error::new(status);
                if kind == CallErrorKind::NotFound {
                    return err.context(followed.not_found());
                }
                err
            }
            Stop::GaveUp { budget, last } => CliError::new(
                ExitStatus::Unreachable,
                format!(
                    "gave up following {} after {} of failures: {}",
                    terminal_safe(&followed.name()),
                    duration_ms(budget.as_millis() as i64),
                    last.status_text()
                ),
            )
            .with_hint(format!(
                "the thread goes on running on the server; {}",
                followed.again()
            ))
            .into(),
            Stop::TimedOut(after) => CliError::new(
                ExitStatus::Unreachable,
                format!(
                    "stopped following {} after {} (--follow-timeout); it goes on running on the server",
                    terminal_safe(&followed.name()),
                    duration_ms(after.as_millis() as i64)
                ),
            )
            .with_hint(followed.again())
            .into(),
            Stop::Observer(err) => err,
        }
    }
}

/// The `thread watch` command line that picks following up again.
pub fn watch_hint(thread_id: &str) -> String {
    format!("follow it again with: {}", suggest::watch(thread_id))
}

/// The `thread watch --step` command line that picks following up again.
pub fn step_watch_hint(thread_id: &str, step_path: &str) -> String {
    format!(
        "follow it again with: {}",
        suggest::watch_step(thread_id, step_path)
    )
}

/// The server said no to following `thread_id`: exit 5 (or as `error::report` classifies the
/// status), with what NOT_FOUND means for a thread.
pub fn refused(status: CallError, thread_id: &str) -> anyhow::Error {
    Stop::Refused(status).into_error(Followed::Thread { thread_id })
}
