//! How a follow closes: one line saying how the thread ended (or why following stopped), with
//! its duration and step counts, and where to look next. Said once: a piped log has no line of
//! its own for the thread's terminal event, and a failure's error is repeated only when no step
//! line has shown it.

use crate::follow::{End, FollowOutcome};
use crate::model::{EventKind, StepSummary, ThreadEvent, ThreadStatus};
use crate::output::{duration_ms, suggest, terminal_safe, Printer};

use super::book::{step_label, Book, StepCounts};

/// Prints the closing line(s) of `outcome`. `steps`: the thread's step summaries, when they
/// could be had (the counts then agree with `thread steps` and `thread result`).
pub(super) fn close(
    printer: &Printer,
    book: &Book,
    outcome: &FollowOutcome,
    steps: Option<&[StepSummary]>,
) {
    let thread = &outcome.thread;
    let id = terminal_safe(&thread.thread_id).into_owned();
    let counts = counts(book, outcome, steps).map_or(String::new(), |c| format!(" · {c}"));
    let took = took(outcome).map(duration_ms);
    let after = |word: &str| {
        took.as_ref()
            .map_or(String::new(), |t| format!(" {word} {t}"))
    };
    let paint = |text: &str, sgr: &str| printer.paint_stderr(text, sgr);
    match (outcome.end, thread.status) {
        (End::Interrupted, status) => {
            let (known, goes_on) = match status {
                ThreadStatus::Unspecified => (String::new(), "it goes on running on the server"),
                ThreadStatus::Paused => (" (paused)".into(), "it waits on the server"),
                status => (format!(" ({status})"), "it goes on running on the server"),
            };
            printer.status(&format!("stopped following thread {id}{known}; {goes_on}"));
            printer.hint(&format!(
                "follow it again with: {}",
                suggest::watch(&thread.thread_id)
            ));
        }
        (End::Paused, _) => {
            let at = at_step(&thread.current_step_path, &thread.current_step_name);
            printer.status(&format!(
                "{} thread {id} is paused{at}, waiting for `{}`{counts}",
                paint("⏸", "33;1"),
                suggest::resume(&thread.thread_id)
            ));
            printer.hint(&suggest::resume_hint(&thread.thread_id));
        }
        (End::Terminal, ThreadStatus::Completed) => {
            printer.status(&format!(
                "{} thread {id} completed{}{counts}",
                paint("✔", "32;1"),
                after("in")
            ));
        }
        (End::Terminal, ThreadStatus::Failed) => {
            let (path, name, error) = failure(book, outcome);
            // The step's own line said the error already: not again.
            let shown = book
                .last_failure
                .as_ref()
                .is_some_and(|(p, _, e)| *p == path && *e == error);
            let error = if error.is_empty() || shown {
                String::new()
            } else {
                format!(": {}", terminal_safe(&error))
            };
            printer.status(&format!(
                "{} thread {id} failed{}{}{counts}{error}",
                paint("✘", "31;1"),
                after("after"),
                at_step(&path, &name)
            ));
            if !path.is_empty() {
                printer.hint(&format!(
                    "what failed, in detail: {}",
                    suggest::step(&thread.thread_id, &path)
                ));
            }
        }
        (End::Terminal, status) => {
            let mut detail = String::new();
            if let Some(ThreadEvent {
                kind: EventKind::Cancelled(c),
                ..
            }) = &outcome.terminal_event
            {
                if !c.cancelled_step_path.is_empty() {
                    detail.push_str(&format!(
                        " at step {}",
                        terminal_safe(&c.cancelled_step_path)
                    ));
                }
                if !c.reason.is_empty() {
                    detail.push_str(&format!(" ({})", terminal_safe(&c.reason)));
                }
            }
            printer.status(&format!(
                "{} thread {id} {status}{}{detail}{counts}",
                paint("■", "33;1"),
                after("after")
            ));
        }
    }
}

/// ` at step 2 call_api`, or nothing.
fn at_step(path: &str, name: &str) -> String {
    let label = step_label(path, name);
    if label.is_empty() {
        label
    } else {
        format!(" at step {label}")
    }
}

/// The step counts, from the best source there is: the summaries, else what the follow saw,
/// else the `completed` event's count.
fn counts(
    book: &Book,
    outcome: &FollowOutcome,
    steps: Option<&[StepSummary]>,
) -> Option<StepCounts> {
    if let Some(steps) = steps.filter(|s| !s.is_empty()) {
        return Some(StepCounts::of(steps));
    }
    if book.counts.run > 0 {
        return Some(book.counts);
    }
    match &outcome.terminal_event {
        Some(ThreadEvent {
            kind: EventKind::Completed(c),
            ..
        }) if c.steps_executed > 0 => Some(StepCounts {
            run: c.steps_executed as usize,
            ..StepCounts::default()
        }),
        _ => None,
    }
}

/// How long the thread ran: the `completed` event's word, else GetThread's times.
fn took(outcome: &FollowOutcome) -> Option<i64> {
    match &outcome.terminal_event {
        Some(ThreadEvent {
            kind: EventKind::Completed(c),
            ..
        }) if c.duration_ms > 0 => Some(c.duration_ms),
        _ => outcome.thread.duration_ms(crate::model::event::now_ms()),
    }
}

/// The failed step and its error: from the `failed` event (the step's own error says it best;
/// the thread's often wraps it), else the last failed step, else what GetThread says.
fn failure(book: &Book, outcome: &FollowOutcome) -> (String, String, String) {
    let thread = &outcome.thread;
    if let Some(ThreadEvent {
        kind: EventKind::Failed(f),
        ..
    }) = &outcome.terminal_event
    {
        let error = match &book.last_failure {
            Some((path, _, error)) if *path == f.failed_step_path && !error.is_empty() => {
                error.clone()
            }
            _ if f.error.is_empty() => thread.error.clone(),
            _ => f.error.clone(),
        };
        return (
            f.failed_step_path.clone(),
            f.failed_step_name.clone(),
            error,
        );
    }
    if let Some((path, name, error)) = &book.last_failure {
        let error = if error.is_empty() {
            thread.error.clone()
        } else {
            error.clone()
        };
        return (path.clone(), name.clone(), error);
    }
    (
        thread.current_step_path.clone(),
        thread.current_step_name.clone(),
        thread.error.clone(),
    )
}
