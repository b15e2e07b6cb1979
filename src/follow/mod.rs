//! Following a thread (or one of its steps) to its end: what callers ask for ([`FollowOptions`]),
//! what they get back ([`FollowOutcome`], [`StepOutcome`]), what they are told on the way
//! ([`Observer`], [`StepObserver`]), and the entry points [`follow`] and [`follow_step`].
//!
//! - `thread.rs`: the thread engine (WatchThread, confirmed and stood in for by GetThread).
//! - `step.rs`: the step engine (WatchStep, confirmed and stood in for by GetThreadResult).
//! - `policy.rs`: what both engines share: retries, backoff, opening in time, Ctrl-C and timeout.

use std::time::Duration;

use crate::cli::FollowArgs;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::{Thread, ThreadEvent};

use policy::OPEN_TIMEOUT;

/// How the caller wants the thread followed.
#[derive(Clone, Debug)]
pub struct FollowOptions {
    /// Keep following through PAUSED instead of stopping there.
    pub wait_paused: bool,
    /// Give up following after this long (exit 6); `None` follows for as long as it takes.
    pub timeout: Option<Duration>,
    /// How long transient failures may go on, counted from the first of a run of failures.
    pub retry_budget: Duration,
    /// Stop on Ctrl-C (exit 130). Tests of the engine turn it off.
    pub handle_ctrl_c: bool,
    /// How long opening a stream may take before it counts as a transient failure.
    pub open_timeout: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            wait_paused: false,
            timeout: None,
            retry_budget: DEFAULT_RETRY_BUDGET,
            handle_ctrl_c: true,
            open_timeout: OPEN_TIMEOUT,
        }
    }
}

/// The options of `--follow-timeout`, `--wait-paused` and `--retry-budget`.
impl From<&FollowArgs> for FollowOptions {
    fn from(args: &FollowArgs) -> Self {
        FollowOptions {
            wait_paused: args.wait_paused,
            timeout: args.follow_timeout,
            retry_budget: args.retry_budget,
            ..FollowOptions::default()
        }
    }
}

pub const DEFAULT_RETRY_BUDGET: Duration = Duration::from_secs(60);

/// Why following stopped without an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// COMPLETED, FAILED or CANCELLED.
    Terminal,
    /// PAUSED, waiting for ResumeThread (only without `wait_paused`).
    Paused,
    /// Ctrl-C: the thread goes on without us.
    Interrupted,
}

#[derive(Clone, Debug)]
pub struct FollowOutcome {
    /// The thread as last seen; for a terminal end its status is the terminal one.
    pub thread: Thread,
    pub end: End,
    /// The terminal event, when the stream delivered one.
    pub terminal_event: Option<ThreadEvent>,
}

impl FollowOutcome {
    /// The exit code `cli-contract.md` gives this outcome.
    pub fn exit_status(&self) -> ExitStatus {
        match self.end {
            End::Interrupted => ExitStatus::Interrupted,
            End::Paused => ExitStatus::ThreadPaused,
            End::Terminal => ExitStatus::for_thread(self.thread.status),
        }
    }
}

/// Receives what the engine learns, in order. The live display and `-o jsonl` implement it.
pub trait Observer {
    /// A new event: never one already reported, whatever the streams replay.
    fn event(&mut self, event: &ThreadEvent) -> anyhow::Result<()>;
    /// A fresh view of the thread from GetThread.
    fn thread(&mut self, _thread: &Thread) {}
    /// Something about the connection worth a line (a reconnect, the switch to polling).
    fn notice(&mut self, _message: &str) {}
    /// The thread is paused and `--wait-paused` follows on: once a pause. Says so as a notice.
    fn following_through_pause(&mut self, thread_id: &str) {
        self.notice(&format!(
            "the thread is paused, waiting for `{}`; still following (--wait-paused)",
            crate::output::suggest::resume(thread_id)
        ));
    }
}

/// Follows `thread_id` until it ends, pauses (see [`FollowOptions::wait_paused`]), the user
/// interrupts, or following becomes impossible (an error whose exit code says why).
pub async fn follow(
    ctx: &Context,
    thread_id: &str,
    options: &FollowOptions,
    observer: &mut dyn Observer,
) -> anyhow::Result<FollowOutcome> {
    let client = ctx.client().await?;
    let options = FollowOptions {
        open_timeout: client.limit(options.open_timeout),
        ..options.clone()
    };
    thread::follow(client, thread_id, &options, observer)
        .await
        .map_err(|stop| stop.into_error(Followed::Thread { thread_id }))
}

mod policy;
pub mod step;
mod stop;
mod thread;

use stop::Followed;
pub use stop::{refused, step_watch_hint, watch_hint};
