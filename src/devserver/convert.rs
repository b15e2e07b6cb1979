//! From the engine's types to the wire types (with the `bad-enums` and cap rules applied).

use bytes::Bytes;

use super::data::Data;
use super::store::ThreadView;
use super::timeline::{Ev, Snapshot, Status, StepSnap, StepState, TEvent};
use crate::proto;

/// Bytes of `sample_input` / `sample_output`.
pub const SAMPLE_BYTES: u64 = 4096;

/// The value every status takes under the `bad-enums` fault.
pub const BAD_ENUM: i32 = 42;

/// Encodes enums, optionally out of contract.
#[derive(Clone, Copy)]
pub struct Enums {
    pub bad: bool,
}

impl Enums {
    pub fn thread(self, s: Status) -> i32 {
        if self.bad {
            return BAD_ENUM;
        }
        (match s {
            Status::Pending => proto::ThreadStatus::Pending,
            Status::Running => proto::ThreadStatus::Running,
            Status::Completed => proto::ThreadStatus::Completed,
            Status::Failed => proto::ThreadStatus::Failed,
            Status::Cancelled => proto::ThreadStatus::Cancelled,
            Status::Paused => proto::ThreadStatus::Paused,
        }) as i32
    }

    pub fn step(self, s: StepState) -> i32 {
        if self.bad {
            return BAD_ENUM;
        }
        (match s {
            StepState::Pending => proto::StepStatus::Pending,
            StepState::Running => proto::StepStatus::Running,
            StepState::Completed => proto::StepStatus::Completed,
            StepState::Failed => proto::StepStatus::Failed,
            StepState::Skipped => proto::StepStatus::Skipped,
            StepState::Cancelled => proto::StepStatus::Cancelled,
            StepState::Paused => proto::StepStatus::Paused,
        }) as i32
    }
}

/// The `Thread` message.
pub fn thread(v: &ThreadView, s: &Snapshot, enums: Enums) -> proto::Thread {
    let current = s.current.map(|i| &v.plan.steps[i]);
    proto::Thread {
        thread_id: v.meta.id.clone(),
        script_name: v.meta.script_name.clone(),
        script_version: v.meta.version,
        status: enums.thread(s.status),
        current_step_path: current.map(|c| c.path.clone()).unwrap_or_default(),
        total_steps: v.plan.total_steps,
        current_step_name: current.map(|c| c.name.clone()).unwrap_or_default(),
        metadata: v
            .meta
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        error: s.error.clone(),
        created_at_ms: v.meta.created_at_ms,
        started_at_ms: s.started_at_ms,
        finished_at_ms: s.finished_at_ms,
        organization_name: v.meta.org.clone(),
    }
}

fn step_duration(st: &StepSnap, now: i64) -> i64 {
    match (st.started_at_ms, st.finished_at_ms) {
        (0, _) => 0,
        (s, 0) => (now - s).max(0),
        (s, f) => f - s,
    }
}

pub fn summary(
    v: &ThreadView,
    s: &Snapshot,
    i: usize,
    now: i64,
    enums: Enums,
) -> proto::StepSummary {
    let p = &v.plan.steps[i];
    proto::StepSummary {
        step_path: p.path.clone(),
        name: p.name.clone(),
        primitive: p.primitive.clone(),
        status: enums.step(s.steps[i].status),
        duration_ms: step_duration(&s.steps[i], now),
        parent_path: p.parent_path.clone(),
    }
}

pub fn summaries(v: &ThreadView, s: &Snapshot, now: i64, enums: Enums) -> Vec<proto::StepSummary> {
    (0..v.plan.steps.len())
        .map(|i| summary(v, s, i, now, enums))
        .collect()
}

/// `steps-bad-parents`: every third step names the next one as its parent (the last names the
/// first: a cycle through them), every third one after it a parent that does not exist, and the
/// rest themselves.
pub fn bad_parents(steps: &mut [proto::StepSummary]) {
    let paths: Vec<String> = steps.iter().map(|s| s.step_path.clone()).collect();
    // Steps 0, 3, 6 … each name the next of them; the last names step 0.
    let cycle: Vec<usize> = (0..paths.len()).step_by(3).collect();
    for (i, step) in steps.iter_mut().enumerate() {
        step.parent_path = match i % 3 {
            0 => {
                let k = i / 3;
                paths[cycle[(k + 1) % cycle.len()]].clone()
            }
            1 => format!("{}.missing", paths[i]),
            _ => paths[i].clone(),
        };
    }
}

fn empty() -> Data {
    Data::Inline(Bytes::new())
}

/// The `StepDetail` of step `i`, input and output cut at `cap` bytes.
pub fn detail(
    v: &ThreadView,
    s: &Snapshot,
    i: usize,
    now: i64,
    cap: u64,
    enums: Enums,
) -> proto::StepDetail {
    let p = &v.plan.steps[i];
    let st = &s.steps[i];
    let input = st.input.clone().unwrap_or_else(empty);
    let output = st.output.clone().unwrap_or_else(empty);
    let failed = st.status == StepState::Failed && !st.error.is_empty();
    proto::StepDetail {
        step_path: p.path.clone(),
        name: p.name.clone(),
        primitive: p.primitive.clone(),
        tool: p.tool.clone(),
        status: enums.step(st.status),
        input_data: input.head(cap),
        output_data: output.head(cap),
        error: st.error.clone(),
        started_at_ms: st.started_at_ms,
        finished_at_ms: st.finished_at_ms,
        duration_ms: step_duration(st, now),
        diagnostics: (st.attempts > 0).then(|| proto::StepDiagnostics {
            execution_id: execution_id(&v.meta.id, i, st.attempts),
            error_detail: if failed {
                format!("{} (attempt {})", st.error, st.attempts)
            } else {
                String::new()
            },
            logs_url: format!(
                "https://logs.dodil.invalid/threads/{}/steps/{}/attempts/{}",
                v.meta.id, p.path, st.attempts
            ),
            worker_stderr: if failed {
                format!(
                    "[worker] running {} ({})\n[worker] error: {}\n",
                    p.name, p.tool, st.error
                )
            } else {
                String::new()
            },
            schema_warnings: if p.tool == "json.schema" {
                vec!["50 rows rejected: field `email` is not a valid address".to_string()]
            } else {
                Vec::new()
            },
        }),
        output_total_bytes: output.len() as i64,
        output_truncated: output.len() > cap,
        sample_input: input.head(SAMPLE_BYTES),
        sample_output: output.head(SAMPLE_BYTES),
    }
}

/// A stable id for one attempt of one step.
fn execution_id(thread: &str, step: usize, attempt: u32) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in thread
        .bytes()
        .chain(step.to_le_bytes())
        .chain(attempt.to_le_bytes())
    {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("exe_{h:016x}")
}

/// The `ThreadEvent` for an engine event, if it is one clients see.
pub fn thread_event(v: &ThreadView, timed: &TEvent) -> Option<proto::ThreadEvent> {
    use proto::thread_event::Event;
    let step = |i: usize| &v.plan.steps[i];
    let event = match &timed.ev {
        Ev::Started => Event::Started(proto::ThreadStarted {
            script_name: v.meta.script_name.clone(),
            total_steps: v.plan.total_steps,
        }),
        Ev::StepStarted { step: i, .. } => Event::StepStarted(proto::StepStarted {
            step_path: step(*i).path.clone(),
            name: step(*i).name.clone(),
            primitive: step(*i).primitive.clone(),
            tool: step(*i).tool.clone(),
        }),
        Ev::StepCompleted {
            step: i,
            duration_ms,
        } => Event::StepCompleted(proto::StepCompleted {
            step_path: step(*i).path.clone(),
            name: step(*i).name.clone(),
            duration_ms: *duration_ms,
        }),
        Ev::StepFailed { step: i, error } => Event::StepFailed(proto::StepFailed {
            step_path: step(*i).path.clone(),
            name: step(*i).name.clone(),
            error: error.clone(),
        }),
        Ev::Yielded {
            step: i,
            sequence,
            value,
        } => Event::Yielded(proto::YieldedValue {
            step_path: step(*i).path.clone(),
            name: step(*i).name.clone(),
            value_data: value.clone(),
            sequence: *sequence,
            timestamp_ms: timed.ts,
        }),
        Ev::Completed {
            duration_ms,
            steps_executed,
        } => Event::Completed(proto::ThreadCompleted {
            duration_ms: *duration_ms,
            steps_executed: *steps_executed,
        }),
        Ev::Failed { step: i, error } => Event::Failed(proto::ThreadFailed {
            error: error.clone(),
            failed_step_path: step(*i).path.clone(),
            failed_step_name: step(*i).name.clone(),
        }),
        Ev::Cancelled { reason, step: i } => Event::Cancelled(proto::ThreadCancelled {
            reason: reason.clone(),
            cancelled_step_path: i.map(|i| step(i).path.clone()).unwrap_or_default(),
        }),
        Ev::StepPaused { .. }
        | Ev::Resumed { .. }
        | Ev::Decision { .. }
        | Ev::StepSkipped { .. } => return None,
    };
    Some(proto::ThreadEvent {
        thread_id: v.meta.id.clone(),
        timestamp_ms: timed.ts,
        event: Some(event),
    })
}

/// The `StepEvent` for an engine event of step `i`, if it is one.
pub fn step_event(v: &ThreadView, i: usize, timed: &TEvent) -> Option<proto::StepEvent> {
    use proto::step_event::Event;
    let p = &v.plan.steps[i];
    let event = match &timed.ev {
        Ev::Decision { step } if *step == i => {
            let d = p
                .decision
                .clone()
                .unwrap_or_else(|| super::scripts::DecisionDef {
                    strategy: "rule".into(),
                    chosen_branch: String::new(),
                    reasoning: String::new(),
                });
            Event::Decision(proto::DecisionMade {
                strategy: d.strategy,
                chosen_branch: d.chosen_branch,
                reasoning: d.reasoning,
            })
        }
        Ev::StepCompleted { step, duration_ms } if *step == i => Event::Done(proto::StepDone {
            duration_ms: *duration_ms,
            output_bytes: 0, // filled by the caller, who knows the input the step ran with
        }),
        Ev::StepFailed { step, error } if *step == i => Event::StepFailed(proto::StepFailed {
            step_path: p.path.clone(),
            name: p.name.clone(),
            error: error.clone(),
        }),
        _ => return None,
    };
    Some(proto::StepEvent {
        thread_id: v.meta.id.clone(),
        step_path: p.path.clone(),
        timestamp_ms: timed.ts,
        event: Some(event),
    })
}
