//! Which events are news: the thread engine's memory of what it has reported, judged by what an
//! event means, never by its timestamp (a server may rebuild a stream's replay from the thread's
//! state, stamping every replayed event with the time of the replay).
//!
//! - A thread starts once: a second `started` is a replay.
//! - A yield is known by its per-thread `sequence`.
//! - A stream whose first event is `started` replays the thread from its start: the n-th event
//!   of a kind for a step in it is the n-th the thread ever had, so it is news only when more
//!   have come than were reported (a step run again after a failure or a resume counts twice,
//!   its replay does not). Within such a stream an event that repeats the one before it (a second
//!   start of a run still open, a second end of a run that has ended, a second terminal event) is
//!   a duplicate. Terminal events are counted so only until the replay has caught up with what was
//!   reported: a server may leave out a `failed` that a resume superseded.
//! - A stream that starts anywhere else (it replays only some, or nothing) is judged by the
//!   step's state: a `stepStarted` for a step whose last run is still open, or has completed, is a
//!   replay; after that run's `stepFailed`, or after a resume, it is a new run. A step's end is
//!   news only for a run not yet ended (or one never seen: events may come out of order).
//!   A terminal event is news unless one was reported with no life since.
//! - Terminal events are confirmed by GetThread as before (the engine's business, not this one's).

use std::collections::{HashMap, HashSet};

use crate::follow::seq_set::SeqSet;
use crate::model::{EventKind, ThreadEvent};

/// How one run of a step has gone, as far as its events have said.
#[derive(Clone, Copy, Debug)]
struct Run {
    /// Its `stepStarted` was reported (an end can come first, out of order).
    started: bool,
    end: Option<RunEnd>,
    /// The resumes seen before it began.
    epoch: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunEnd {
    Completed,
    Failed,
}

/// The kinds that are counted per step path, for streams that replay from the start.
type Slot = (&'static str, String);

#[derive(Debug, Default)]
pub(super) struct Ledger {
    started: bool,
    /// Each step's last run.
    runs: HashMap<String, Run>,
    yields: SeqSet,
    /// How many events of each kind (and step) were reported.
    reported: HashMap<Slot, u32>,
    /// A terminal event was reported, and nothing has happened since.
    ended: bool,
    /// Resumes seen (by GetThread, or by life after a terminal event).
    epoch: u32,
    /// Events of kinds this client does not know, by timestamp: nothing better to go by.
    unknown: HashSet<i64>,
    stream: Stream,
}

/// What the stream being read has brought so far.
#[derive(Debug, Default)]
struct Stream {
    /// Decided by its first event: `started` first means a replay from the thread's start.
    from_start: Option<bool>,
    /// How many events of each kind (and step) it brought.
    seen: HashMap<Slot, u32>,
    /// Reported events (terminal ones aside) it has yet to replay.
    behind: u64,
}

/// Terminal events are judged apart: a server may leave a superseded `failed` out of a replay,
/// so their count in a replay says less than the others'.
fn is_terminal(slot: &Slot) -> bool {
    matches!(slot.0, "completed" | "failed" | "cancelled")
}

impl Ledger {
    /// A new stream is being read: its events are judged afresh against what was reported.
    pub(super) fn new_stream(&mut self) {
        let behind = self
            .reported
            .iter()
            .filter(|(slot, _)| !is_terminal(slot))
            .map(|(_, n)| u64::from(*n))
            .sum();
        self.stream = Stream {
            behind,
            ..Stream::default()
        };
    }

    /// The thread was resumed (GetThread saw it go from PAUSED or FAILED to running): a step may
    /// now run again, even one that completed.
    pub(super) fn resumed(&mut self) {
        self.epoch += 1;
    }

    /// Whether `event` is news; if so it counts as reported from now on.
    pub(super) fn admit(&mut self, event: &ThreadEvent) -> bool {
        let from_start = *self
            .stream
            .from_start
            .get_or_insert(matches!(event.kind, EventKind::Started(_)));
        let kind = &event.kind;
        let new = match kind {
            EventKind::Started(_) => !std::mem::replace(&mut self.started, true),
            EventKind::Yielded(y) => self.yields.insert(y.sequence),
            // Not a stream's: derived by polling, always news.
            EventKind::Progress(_) => true,
            _ => {
                let slot: Slot = (kind.name(), kind.step_path().to_string());
                let nth = self.stream.seen.entry(slot.clone()).or_insert(0);
                *nth += 1;
                let nth = *nth;
                let reported = self.reported.get(&slot).copied().unwrap_or(0);
                let terminal = is_terminal(&slot);
                let news = if from_start {
                    if !terminal && nth <= reported {
                        self.stream.behind = self.stream.behind.saturating_sub(1);
                    }
                    // A terminal event once the replay has caught up is judged by the state: it
                    // may be the second failure of a thread whose first the replay left out.
                    let replayed = nth <= reported && !(terminal && self.stream.behind == 0);
                    !replayed && !self.repeats(kind)
                } else {
                    self.plausible(kind, event.timestamp_ms)
                };
                if news {
                    *self.reported.entry(slot).or_insert(0) += 1;
                    self.record(kind, event.timestamp_ms);
                }
                news
            }
        };
        if new && kind.terminal_status().is_none() && self.ended {
            // Life after an end: the thread was resumed.
            self.ended = false;
            self.epoch += 1;
        }
        new
    }

    /// In a stream that replays from the start, an event that only repeats the one before it.
    fn repeats(&self, kind: &EventKind) -> bool {
        let run = self.runs.get(kind.step_path());
        match kind {
            EventKind::StepStarted(_) => {
                run.is_some_and(|r| r.started && r.end.is_none() && r.epoch == self.epoch)
            }
            EventKind::StepCompleted(_) | EventKind::StepFailed(_) => {
                run.is_some_and(|r| r.end.is_some())
            }
            EventKind::Completed(_) | EventKind::Failed(_) | EventKind::Cancelled(_) => self.ended,
            _ => false,
        }
    }

    /// In a stream that started mid-thread: whether the event fits the state as news.
    fn plausible(&self, kind: &EventKind, timestamp_ms: i64) -> bool {
        let run = self.runs.get(kind.step_path());
        match kind {
            EventKind::StepStarted(_) => match run {
                None => true,
                Some(r) => !r.started || r.end == Some(RunEnd::Failed) || r.epoch < self.epoch,
            },
            EventKind::StepCompleted(_) | EventKind::StepFailed(_) => {
                run.is_none_or(|r| r.started && r.end.is_none())
            }
            EventKind::Completed(_) | EventKind::Failed(_) | EventKind::Cancelled(_) => !self.ended,
            _ => !self.unknown.contains(&timestamp_ms),
        }
    }

    /// Updates the state with an event that was news.
    fn record(&mut self, kind: &EventKind, timestamp_ms: i64) {
        let epoch = self.epoch;
        let path = kind.step_path().to_string();
        let fresh = Run {
            started: false,
            end: None,
            epoch,
        };
        match kind {
            EventKind::StepStarted(_) => match self.runs.get_mut(&path) {
                // The start of a run whose end came first (events out of order).
                Some(run) if !run.started => run.started = true,
                // A first run, or a new one.
                _ => {
                    self.runs.insert(
                        path,
                        Run {
                            started: true,
                            ..fresh
                        },
                    );
                }
            },
            EventKind::StepCompleted(_) | EventKind::StepFailed(_) => {
                let end = if matches!(kind, EventKind::StepCompleted(_)) {
                    RunEnd::Completed
                } else {
                    RunEnd::Failed
                };
                // The end of the last run, or of one whose start has not come (yet).
                self.runs.entry(path).or_insert(fresh).end = Some(end);
            }
            EventKind::Completed(_) | EventKind::Failed(_) | EventKind::Cancelled(_) => {
                self.ended = true;
            }
            _ => {
                self.unknown.insert(timestamp_ms);
            }
        }
    }
}
