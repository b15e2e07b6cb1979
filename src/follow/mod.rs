//! Following a thread, or one of its steps, to its end: what callers ask for ([`FollowOptions`]),
//! what they get back ([`FollowOutcome`], [`StepOutcome`]), what they are told on the way
//! ([`Observer`], [`StepObserver`]), and the entry points [`follow`] and [`follow_step`].
//!
//! - `thread.rs`: the thread engine (WatchThread, confirmed and stood in for by GetThread);
//!   `thread/stream.rs` reads one stream for it.
//! - `step.rs`: the step engine (WatchStep, confirmed and stood in for by GetThreadResult).
//! - `policy.rs`: what both engines share: timing, retry budget, backoff, the Ctrl-C guard.
//! - `stop.rs`: why following stopped short (`Stop`), and what the user is told then.
//! - `extras.rs`: what a live view asks for beside the thread's events (a decide step's choice,
//!   the skipped steps); best effort, never bearing on how following ends.
//!
//! The engines never print, draw or compose a command line: they report to an observer, and
//! return an outcome or a `Stop` that the entry points here turn into the error to report.

pub mod extras;
pub mod fleet;
mod policy;
pub(crate) mod seq_set;
pub mod step;
mod stop;
mod thread;

use std::time::Duration;

use crate::cli::FollowArgs;
use crate::client::Client;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::step_event::StepEvent;
use crate::model::{StepStatus, Thread, ThreadEvent};

use policy::OPEN_TIMEOUT;
use stop::Followed;
pub use stop::{refused, step_watch_hint};

/// How the caller wants a thread (or one of its steps) followed.
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
    /// A terminal event that the first, unbroken stream follows with its clean end is final
    /// without GetThread's word (one round trip less). For a thread just created, whose history
    /// holds no earlier end, and a caller that needs no GetThread document afterwards.
    pub trust_clean_end: bool,
}

impl FollowOptions {
    /// These options with the client's `DODIL_CALL_TIMEOUT`, if set, for opening a stream.
    fn for_client(&self, client: &Client) -> FollowOptions {
        FollowOptions {
            open_timeout: client.limit(self.open_timeout),
            ..self.clone()
        }
    }
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            wait_paused: false,
            timeout: None,
            retry_budget: DEFAULT_RETRY_BUDGET,
            handle_ctrl_c: true,
            open_timeout: OPEN_TIMEOUT,
            trust_clean_end: false,
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

/// What following a thread came to.
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

/// What following a step came to.
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

/// Receives what the thread engine learns, in order. The live display and `-o jsonl`
/// implement it.
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

/// Receives each new step event (never one already reported) and connection notices.
pub trait StepObserver {
    fn event(&mut self, event: &StepEvent) -> anyhow::Result<()>;
    fn notice(&mut self, _message: &str) {}
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
    thread::follow(client, thread_id, &options.for_client(client), observer)
        .await
        .map_err(|stop| stop.into_error(Followed::Thread { thread_id }))
}

/// Follows `thread_id` as one of a [`fleet::Fleet`]'s threads: the same engine, its streams
/// under the fleet's bound and its GetThread looks answered by the fleet's poller.
pub async fn follow_in_fleet(
    fleet: &fleet::Fleet<Client>,
    thread_id: &str,
    options: &FollowOptions,
    observer: &mut dyn Observer,
) -> anyhow::Result<FollowOutcome> {
    let member = fleet.member();
    let options = options.for_client(fleet.server());
    thread::follow(&member, thread_id, &options, observer)
        .await
        .map_err(|stop| stop.into_error(Followed::Thread { thread_id }))
}

/// Follows one step of `thread_id` (`thread watch --step`) until it ends, pauses, the user
/// interrupts, or following becomes impossible (an error whose exit code says why).
pub async fn follow_step(
    ctx: &Context,
    thread_id: &str,
    step_path: &str,
    options: &FollowOptions,
    observer: &mut dyn StepObserver,
) -> anyhow::Result<StepOutcome> {
    let client = ctx.client().await?;
    step::follow(
        client,
        thread_id,
        step_path,
        &options.for_client(client),
        observer,
    )
    .await
    .map_err(|stop| {
        stop.into_error(Followed::Step {
            thread_id,
            step_path,
        })
    })
}
