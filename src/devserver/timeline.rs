//! The deterministic script engine.
//!
//! A thread's whole observable state is a pure function of its [`Plan`], its creation time, its
//! speed, its resume/cancel [`Record`]s and the current time: [`build`] lays out every event the
//! thread will ever emit (up to a pause or a failure that waits for a resume), each with its
//! wall-clock time, and [`snapshot`] replays the events up to a moment. Nothing runs in the
//! background, so any process that loads the same records sees the same thread.

use bytes::Bytes;

use super::data::Data;
use super::scripts::Plan;

/// How long a new thread stays PENDING, at speed 1.
pub const PENDING_MS: u64 = 300;

/// A change a client made to a thread, at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub at_ms: i64,
    pub kind: RecordKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RecordKind {
    /// ResumeThread, with its `step_input_override_json` when one was given.
    Resume { input: Option<String> },
    /// CancelThread.
    Cancel { reason: String },
}

/// Something that happens to a thread.
#[derive(Clone, Debug)]
pub enum Ev {
    Started,
    StepStarted {
        step: usize,
        input: Data,
    },
    /// An ask step waits for ResumeThread.
    StepPaused {
        step: usize,
    },
    /// ResumeThread took effect; `input` replaces the step's input.
    Resumed {
        step: usize,
        input: Option<Data>,
    },
    Yielded {
        step: usize,
        sequence: i64,
        value: Bytes,
    },
    Decision {
        step: usize,
    },
    StepCompleted {
        step: usize,
        duration_ms: i64,
    },
    StepSkipped {
        step: usize,
    },
    StepFailed {
        step: usize,
        error: String,
    },
    Completed {
        duration_ms: i64,
        steps_executed: i32,
    },
    Failed {
        step: usize,
        error: String,
    },
    Cancelled {
        reason: String,
        step: Option<usize>,
    },
}

#[derive(Clone, Debug)]
pub struct TEvent {
    pub ts: i64,
    pub ev: Ev,
}

impl TEvent {
    /// True for the events that end a watch: completed, failed, cancelled.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self.ev,
            Ev::Completed { .. } | Ev::Failed { .. } | Ev::Cancelled { .. }
        )
    }
}

/// Every event of a thread, in order (timestamps never decrease).
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    pub events: Vec<TEvent>,
}

impl Timeline {
    /// Whether the event at `i` is a `failed` that a later resume superseded.
    pub fn superseded(&self, i: usize) -> bool {
        matches!(self.events[i].ev, Ev::Failed { .. }) && i + 1 < self.events.len()
    }
}

/// Scales a duration at speed 1 to wall-clock milliseconds.
pub fn scaled(ms: u64, speed: f64) -> i64 {
    (ms as f64 / speed).round() as i64
}

struct Stop;

struct Builder<'a> {
    plan: &'a Plan,
    speed: f64,
    events: Vec<TEvent>,
    cancel: Option<(i64, String)>,
    resumes: std::vec::IntoIter<(i64, Option<String>)>,
    open: Vec<usize>,
    started_at: Vec<i64>,
    run_started: i64,
    executed: i32,
    sequence: i64,
    last_output: Option<Data>,
}

/// Lays out the thread's events.
pub fn build(plan: &Plan, created_at_ms: i64, speed: f64, records: &[Record]) -> Timeline {
    let cancel = records.iter().find_map(|r| match &r.kind {
        RecordKind::Cancel { reason } => Some((r.at_ms, reason.clone())),
        RecordKind::Resume { .. } => None,
    });
    let resumes: Vec<_> = records
        .iter()
        .filter_map(|r| match &r.kind {
            RecordKind::Resume { input } => Some((r.at_ms, input.clone())),
            RecordKind::Cancel { .. } => None,
        })
        .collect();
    let mut b = Builder {
        plan,
        speed,
        events: Vec::new(),
        cancel,
        resumes: resumes.into_iter(),
        open: Vec::new(),
        started_at: vec![0; plan.steps.len()],
        run_started: 0,
        executed: 0,
        sequence: 0,
        last_output: None,
    };
    let _ = b.run(created_at_ms);
    Timeline { events: b.events }
}

impl Builder<'_> {
    fn push(&mut self, ts: i64, ev: Ev) -> Result<(), Stop> {
        if let Some((at, reason)) = &self.cancel {
            if ts > *at {
                let (at, reason) = (*at, reason.clone());
                self.cancelled(at, reason);
                return Err(Stop);
            }
        }
        self.events.push(TEvent { ts, ev });
        Ok(())
    }

    fn cancelled(&mut self, at: i64, reason: String) {
        let step = self.open.last().copied();
        self.events.push(TEvent {
            ts: at,
            ev: Ev::Cancelled { reason, step },
        });
    }

    /// Waits (in timeline terms) for the next resume at or after `t`. A cancel that comes
    /// first ends the thread; no resume at all leaves the thread waiting.
    fn wait_resume(&mut self, t: i64) -> Result<(i64, Option<String>), Stop> {
        let next = self.resumes.next();
        if let Some((at, reason)) = self.cancel.clone() {
            if next.as_ref().is_none_or(|(r, _)| at < *r) {
                self.cancelled(at.max(t), reason);
                return Err(Stop);
            }
        }
        match next {
            Some((at, input)) => Ok((at.max(t), input)),
            None => Err(Stop),
        }
    }

    fn close_until(&mut self, t: i64, keep: Option<usize>) -> Result<(), Stop> {
        while let Some(&top) = self.open.last() {
            if keep.is_some_and(|k| k == top || self.is_ancestor(top, k)) {
                break;
            }
            self.open.pop();
            let duration_ms = t.saturating_sub(self.started_at[top]);
            self.push(
                t,
                Ev::StepCompleted {
                    step: top,
                    duration_ms,
                },
            )?;
            self.executed += 1;
        }
        Ok(())
    }

    fn is_ancestor(&self, a: usize, mut i: usize) -> bool {
        while let Some(p) = self.plan.steps[i].parent {
            if p == a {
                return true;
            }
            i = p;
        }
        false
    }

    fn run(&mut self, created_at_ms: i64) -> Result<(), Stop> {
        let plan = self.plan;
        let mut t = created_at_ms.saturating_add(scaled(PENDING_MS, self.speed));
        self.run_started = t;
        self.push(t, Ev::Started)?;
        for (i, step) in plan.steps.iter().enumerate() {
            self.close_until(t, Some(i))?;
            if step.skip {
                self.push(t, Ev::StepSkipped { step: i })?;
                continue;
            }
            let mut input = step.input.clone();
            self.started_at[i] = t;
            self.open.push(i);
            self.push(
                t,
                Ev::StepStarted {
                    step: i,
                    input: input.clone(),
                },
            )?;
            if step.ask {
                self.push(t, Ev::StepPaused { step: i })?;
                let (at, over) = self.wait_resume(t)?;
                t = at;
                let over = over.map(|s| Data::Inline(Bytes::from(s)));
                if let Some(o) = &over {
                    input = o.clone();
                }
                self.push(
                    t,
                    Ev::Resumed {
                        step: i,
                        input: over,
                    },
                )?;
            }
            let d = scaled(step.duration_ms, self.speed);
            let n = step.yields.len() as i64;
            for (k, value) in step.yields.iter().enumerate() {
                self.sequence += 1;
                let ts = t.saturating_add(d.saturating_mul(k as i64 + 1) / (n + 1));
                let ev = Ev::Yielded {
                    step: i,
                    sequence: self.sequence,
                    value: value.clone(),
                };
                self.push(ts, ev)?;
            }
            if step.decision.is_some() {
                self.push(t.saturating_add(d), Ev::Decision { step: i })?;
            }
            t = t.saturating_add(d);
            if let Some(error) = &step.fail {
                loop {
                    self.open.pop();
                    self.push(
                        t,
                        Ev::StepFailed {
                            step: i,
                            error: error.clone(),
                        },
                    )?;
                    let thread_error =
                        format!("step {} ({}) failed: {error}", step.path, step.name);
                    self.push(
                        t,
                        Ev::Failed {
                            step: i,
                            error: thread_error,
                        },
                    )?;
                    let (at, over) = self.wait_resume(t)?;
                    t = at;
                    let over = over.map(|s| Data::Inline(Bytes::from(s)));
                    let succeeds = over.is_some();
                    if let Some(o) = &over {
                        input = o.clone();
                    }
                    self.push(
                        t,
                        Ev::Resumed {
                            step: i,
                            input: over,
                        },
                    )?;
                    self.started_at[i] = t;
                    self.open.push(i);
                    self.push(
                        t,
                        Ev::StepStarted {
                            step: i,
                            input: input.clone(),
                        },
                    )?;
                    t = t.saturating_add(d);
                    if succeeds {
                        break;
                    }
                }
            }
            self.last_output = Some(step.output_for(&input));
            if !step.has_children {
                self.close_until(t, plan.steps[i].parent)?;
            }
        }
        self.close_until(t, None)?;
        self.push(
            t,
            Ev::Completed {
                duration_ms: t.saturating_sub(self.run_started),
                steps_executed: self.executed,
            },
        )
    }
}

/// Thread status at a moment (mirrors the wire enum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    Paused,
}

impl Status {
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Completed | Status::Failed | Status::Cancelled)
    }
}

/// Step status at a moment (mirrors the wire enum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    Pending,
    Running,
    Completed,
    Failed,
    Skipped,
    Cancelled,
    Paused,
}

#[derive(Clone, Debug)]
pub struct StepSnap {
    pub status: StepState,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
    /// The input it ran (or runs) with; None before it started.
    pub input: Option<Data>,
    pub output: Option<Data>,
    pub error: String,
    pub attempts: u32,
}

#[derive(Clone, Debug)]
pub struct YieldSnap {
    pub step: usize,
    pub sequence: i64,
    pub ts: i64,
    pub value: Bytes,
}

/// A thread at a moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub status: Status,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
    pub error: String,
    pub current: Option<usize>,
    pub steps: Vec<StepSnap>,
    pub yields: Vec<YieldSnap>,
    pub output: Option<Data>,
    pub steps_executed: i32,
    pub failed_step: Option<usize>,
}

impl Snapshot {
    /// Run time so far (or in all, once finished).
    pub fn duration_ms(&self, now: i64) -> i64 {
        match (self.started_at_ms, self.finished_at_ms) {
            (0, _) => 0,
            (s, 0) => (now - s).max(0),
            (s, f) => f - s,
        }
    }
}

/// Replays the events up to `now`.
pub fn snapshot(plan: &Plan, timeline: &Timeline, now: i64) -> Snapshot {
    let mut s = Snapshot {
        status: Status::Pending,
        started_at_ms: 0,
        finished_at_ms: 0,
        error: String::new(),
        current: None,
        steps: plan
            .steps
            .iter()
            .map(|_| StepSnap {
                status: StepState::Pending,
                started_at_ms: 0,
                finished_at_ms: 0,
                input: None,
                output: None,
                error: String::new(),
                attempts: 0,
            })
            .collect(),
        yields: Vec::new(),
        output: None,
        steps_executed: 0,
        failed_step: None,
    };
    let mut last_output: Option<Data> = None;
    for e in timeline.events.iter().take_while(|e| e.ts <= now) {
        match &e.ev {
            Ev::Started => {
                s.status = Status::Running;
                s.started_at_ms = e.ts;
            }
            Ev::StepStarted { step, input } => {
                let st = &mut s.steps[*step];
                st.status = StepState::Running;
                st.started_at_ms = e.ts;
                st.finished_at_ms = 0;
                st.input = Some(input.clone());
                st.output = None;
                st.error.clear();
                st.attempts += 1;
                s.current = Some(*step);
            }
            Ev::StepPaused { step } => {
                s.steps[*step].status = StepState::Paused;
                s.status = Status::Paused;
            }
            Ev::Resumed { step, input } => {
                s.status = Status::Running;
                s.finished_at_ms = 0;
                s.error.clear();
                s.failed_step = None;
                let st = &mut s.steps[*step];
                if st.status == StepState::Paused {
                    st.status = StepState::Running;
                }
                if let Some(i) = input {
                    st.input = Some(i.clone());
                }
                s.current = Some(*step);
            }
            Ev::Yielded {
                step,
                sequence,
                value,
            } => s.yields.push(YieldSnap {
                step: *step,
                sequence: *sequence,
                ts: e.ts,
                value: value.clone(),
            }),
            Ev::Decision { .. } => {}
            Ev::StepCompleted { step, .. } => {
                let input = s.steps[*step]
                    .input
                    .clone()
                    .unwrap_or(Data::Inline(Bytes::new()));
                let out = plan.steps[*step].output_for(&input);
                let st = &mut s.steps[*step];
                st.status = StepState::Completed;
                st.finished_at_ms = e.ts;
                if !plan.steps[*step].has_children {
                    last_output = Some(out.clone());
                }
                st.output = Some(out);
                s.steps_executed += 1;
            }
            Ev::StepSkipped { step } => s.steps[*step].status = StepState::Skipped,
            Ev::StepFailed { step, error } => {
                let st = &mut s.steps[*step];
                st.status = StepState::Failed;
                st.finished_at_ms = e.ts;
                st.error = error.clone();
            }
            Ev::Completed { .. } => {
                s.status = Status::Completed;
                s.finished_at_ms = e.ts;
                s.output = plan.output.clone().or(last_output.take());
            }
            Ev::Failed { step, error } => {
                s.status = Status::Failed;
                s.finished_at_ms = e.ts;
                s.error = error.clone();
                s.failed_step = Some(*step);
                s.current = Some(*step);
            }
            Ev::Cancelled { reason, .. } => {
                s.status = Status::Cancelled;
                s.finished_at_ms = e.ts;
                s.error = if reason.is_empty() {
                    "cancelled".to_string()
                } else {
                    format!("cancelled: {reason}")
                };
                for st in &mut s.steps {
                    if matches!(st.status, StepState::Running | StepState::Paused) {
                        st.status = StepState::Cancelled;
                        st.finished_at_ms = e.ts;
                    }
                }
            }
        }
    }
    if s.status == Status::Failed {
        // Parents of the failed step are open; show them failed too (they run again on retry).
        let mut p = s.failed_step.and_then(|f| plan.steps[f].parent);
        while let Some(i) = p {
            if s.steps[i].status == StepState::Running {
                s.steps[i].status = StepState::Failed;
            }
            p = plan.steps[i].parent;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devserver::scripts::{resolve, Registry};

    fn plan(name: &str) -> Plan {
        let r = Registry::load(None).unwrap();
        resolve(r.get(name).unwrap(), &serde_json::json!({})).unwrap()
    }

    fn names(t: &Timeline) -> Vec<String> {
        t.events
            .iter()
            .map(|e| {
                format!("{:?}", e.ev)
                    .split([' ', '{'])
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn hello_runs_to_completion() {
        let p = plan("demo/hello");
        let t = build(&p, 1000, 1.0, &[]);
        assert_eq!(
            names(&t),
            [
                "Started",
                "StepStarted",
                "Yielded",
                "StepCompleted",
                "StepStarted",
                "StepCompleted",
                "Completed"
            ]
        );
        assert_eq!(t.events.last().unwrap().ts, 1000 + 300 + 1000);
        let s = snapshot(&p, &t, 1000);
        assert_eq!(s.status, Status::Pending);
        let s = snapshot(&p, &t, 1400);
        assert_eq!((s.status, s.current), (Status::Running, Some(0)));
        let s = snapshot(&p, &t, 5000);
        assert_eq!(s.status, Status::Completed);
        assert_eq!(s.steps_executed, 2);
    }

    #[test]
    fn approval_pauses_until_resumed() {
        let p = plan("demo/approval");
        let t = build(&p, 0, 1.0, &[]);
        let s = snapshot(&p, &t, 100_000);
        assert_eq!(s.status, Status::Paused);
        assert_eq!(s.current, Some(1));
        let rec = Record {
            at_ms: 10_000,
            kind: RecordKind::Resume {
                input: Some(r#"{"approved":true}"#.into()),
            },
        };
        let t = build(&p, 0, 1.0, &[rec]);
        let s = snapshot(&p, &t, 100_000);
        assert_eq!(s.status, Status::Completed);
        assert_eq!(t.events.last().unwrap().ts, 10_000 + 300 + 400);
        let out = s.steps[1].output.clone().unwrap().as_json().unwrap();
        assert_eq!(out["resumed_with"]["approved"], true);
    }

    #[test]
    fn fail_then_retry() {
        let p = plan("demo/fail");
        let t = build(&p, 0, 1.0, &[]);
        let s = snapshot(&p, &t, 100_000);
        assert_eq!(s.status, Status::Failed);
        assert_eq!(s.failed_step, Some(1));
        let again = Record {
            at_ms: 5_000,
            kind: RecordKind::Resume { input: None },
        };
        let fixed = Record {
            at_ms: 9_000,
            kind: RecordKind::Resume {
                input: Some("{}".into()),
            },
        };
        let t = build(&p, 0, 1.0, std::slice::from_ref(&again));
        assert_eq!(snapshot(&p, &t, 100_000).status, Status::Failed);
        assert_eq!(snapshot(&p, &t, 5_100).status, Status::Running);
        let t = build(&p, 0, 1.0, &[again, fixed]);
        let s = snapshot(&p, &t, 100_000);
        assert_eq!(s.status, Status::Completed);
        assert_eq!(s.steps[1].attempts, 3);
    }

    #[test]
    fn cancel_stops_the_timeline() {
        let p = plan("demo/etl");
        let rec = Record {
            at_ms: 1_000,
            kind: RecordKind::Cancel {
                reason: "enough".into(),
            },
        };
        let t = build(&p, 0, 1.0, &[rec]);
        let last = t.events.last().unwrap();
        assert!(matches!(last.ev, Ev::Cancelled { .. }));
        assert_eq!(last.ts, 1_000);
        assert_eq!(snapshot(&p, &t, 2_000).status, Status::Cancelled);
    }

    #[test]
    fn etl_nests_and_skips() {
        let p = plan("demo/etl");
        let t = build(&p, 0, 1.0, &[]);
        let s = snapshot(&p, &t, i64::MAX);
        assert_eq!(s.status, Status::Completed);
        let skipped = p.steps.iter().position(|x| x.path == "2.2").unwrap();
        assert_eq!(s.steps[skipped].status, StepState::Skipped);
        assert!(s
            .steps
            .iter()
            .enumerate()
            .all(|(i, x)| i == skipped || x.status == StepState::Completed));
        assert_eq!(s.output.unwrap().len(), 4_500_000);
        let end = t.events.last().unwrap().ts;
        assert!((5_000..=8_000).contains(&end), "{end}");
    }
}
