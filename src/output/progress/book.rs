//! What the live view knows about the steps of a followed thread: which run now (for the live
//! region), what each one is (for its closing line), the decide steps' choices, and the counts
//! the closing line gives. Plain data, fed by the view and read by the region's ticker.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use crate::model::step_event::DecisionMade;
use crate::model::{StepStatus, StepSummary, ThreadStatus};

use super::super::terminal_safe;

/// A step that started and has not finished.
#[derive(Clone, Debug)]
pub(super) struct Running {
    pub path: String,
    /// `1.0.1 fetch_customers (http.get)`, safe for a terminal.
    pub label: String,
    pub since: Instant,
}

/// How many steps ended how, as far as the follow knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepCounts {
    /// Ran to an end: completed or failed.
    pub run: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl StepCounts {
    /// Counted from the step summaries (what `thread steps` shows).
    pub fn of(steps: &[StepSummary]) -> StepCounts {
        let count = |f: &dyn Fn(StepStatus) -> bool| steps.iter().filter(|s| f(s.status)).count();
        StepCounts {
            run: count(&|s| matches!(s, StepStatus::Completed | StepStatus::Failed)),
            failed: count(&|s| s == StepStatus::Failed),
            skipped: count(&|s| s == StepStatus::Skipped),
        }
    }
}

impl std::fmt::Display for StepCounts {
    /// `9 steps run, 1 skipped`; `2 steps run (1 failed)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = if self.run == 1 { "" } else { "s" };
        write!(f, "{} step{s} run", self.run)?;
        if self.failed > 0 {
            write!(f, " ({} failed)", self.failed)?;
        }
        if self.skipped > 0 {
            write!(f, ", {} skipped", self.skipped)?;
        }
        Ok(())
    }
}

#[derive(Debug)]
pub(super) struct Book {
    pub thread_id: String,
    /// From the `started` event.
    pub script: String,
    /// Since the display was made.
    pub since: Instant,
    /// When the thread started running, by its `started` event.
    pub running_since: Option<Instant>,
    /// The thread's status as last heard (GetThread, a polled change).
    pub status: Option<ThreadStatus>,
    /// Where a paused thread waits, as GetThread said.
    pub paused_at: Option<String>,
    /// In the order they started.
    pub running: Vec<Running>,
    /// `tool` (else `primitive`) of every step seen starting.
    kinds: HashMap<String, String>,
    names: HashMap<String, String>,
    /// Paths of the decide steps seen starting.
    decide: HashSet<String>,
    decisions: HashMap<String, DecisionMade>,
    /// Decide steps whose choice was asked for, and those whose answer came (with or without).
    asked: HashSet<String>,
    answered: HashSet<String>,
    /// Decisions already shown on their step's closing line.
    decisions_shown: HashSet<String>,
    /// Skipped steps already given their line.
    skipped_shown: HashSet<String>,
    pub counts: StepCounts,
    /// The last step that failed: path, name, error.
    pub last_failure: Option<(String, String, String)>,
}

impl Book {
    pub fn new(thread_id: &str) -> Book {
        Book {
            thread_id: thread_id.to_string(),
            script: String::new(),
            since: Instant::now(),
            running_since: None,
            status: None,
            paused_at: None,
            running: Vec::new(),
            kinds: HashMap::new(),
            names: HashMap::new(),
            decide: HashSet::new(),
            decisions: HashMap::new(),
            asked: HashSet::new(),
            answered: HashSet::new(),
            decisions_shown: HashSet::new(),
            skipped_shown: HashSet::new(),
            counts: StepCounts::default(),
            last_failure: None,
        }
    }

    /// A step started, at `at`; returns its label.
    pub fn started_at(
        &mut self,
        path: &str,
        name: &str,
        primitive: &str,
        tool: &str,
        at: Instant,
    ) -> String {
        let kind = if tool.is_empty() { primitive } else { tool };
        let kind = terminal_safe(kind).into_owned();
        self.kinds.insert(path.to_string(), kind);
        self.names.insert(path.to_string(), name.to_string());
        if primitive == "decide" {
            self.decide.insert(path.to_string());
        }
        let label = self.label(path, name);
        // A step started again (a resumed retry) runs once.
        self.running.retain(|r| r.path != path);
        self.running.push(Running {
            path: path.to_string(),
            label: label.clone(),
            since: at,
        });
        self.paused_at = None;
        label
    }

    /// A step ended (completed or failed); returns its label.
    pub fn ended(&mut self, path: &str, name: &str, failed: bool) -> String {
        self.running.retain(|r| r.path != path);
        self.counts.run += 1;
        if failed {
            self.counts.failed += 1;
        }
        self.label(path, name)
    }

    /// Whether any decide step was seen starting (so steps may have been skipped).
    pub fn saw_decide(&self) -> bool {
        !self.decide.is_empty()
    }

    pub fn is_decide(&self, path: &str) -> bool {
        self.decide.contains(path)
    }

    /// `1.0.1 fetch_customers (http.get)`: the kind as seen when the step started.
    pub fn label(&self, path: &str, name: &str) -> String {
        let name = if name.is_empty() {
            self.names.get(path).map_or("", String::as_str)
        } else {
            name
        };
        let base = step_label(path, name);
        match self.kinds.get(path) {
            Some(kind) if !kind.is_empty() => format!("{base} ({kind})"),
            _ => base,
        }
    }

    /// The choice of decide step `path` has been asked for.
    pub fn asked(&mut self, path: &str) {
        self.asked.insert(path.to_string());
    }

    /// Whether the choice of `path` was asked for and no answer has come yet.
    pub fn awaits_decision(&self, path: &str) -> bool {
        self.asked.contains(path) && !self.answered.contains(path)
    }

    /// The answer about a decide step's choice. Returns whether its closing line has been
    /// shown already without it (then a choice needs a line of its own).
    pub fn decided(&mut self, path: &str, decision: Option<DecisionMade>) -> bool {
        self.answered.insert(path.to_string());
        let Some(decision) = decision else {
            return false;
        };
        self.decisions.insert(path.to_string(), decision);
        self.decisions_shown.contains(path)
    }

    /// For a decide step's closing line: ` · chose 2.1 merge_incremental (llm)` when the choice
    /// is known, else empty (and a choice that comes later gets a line of its own).
    pub fn take_choice(&mut self, path: &str) -> String {
        self.decisions_shown.insert(path.to_string());
        self.choice(path)
    }

    /// ` · chose 2.1 merge_incremental (llm)`, or empty.
    pub fn choice(&self, path: &str) -> String {
        let Some(d) = self.decisions.get(path) else {
            return String::new();
        };
        let branch = match self.names.get(&d.chosen_branch) {
            Some(name) => step_label(&d.chosen_branch, name),
            None => terminal_safe(&d.chosen_branch).into_owned(),
        };
        if d.strategy.is_empty() {
            format!(" · chose {branch}")
        } else {
            format!(" · chose {branch} ({})", terminal_safe(&d.strategy))
        }
    }

    /// The skipped steps among `steps` not shown yet (under `under`, or all); marks them shown.
    pub fn newly_skipped<'s>(
        &mut self,
        steps: &'s [StepSummary],
        under: Option<&str>,
    ) -> Vec<&'s StepSummary> {
        let mut found = Vec::new();
        for step in steps {
            let inside = under.is_none_or(|u| {
                step.step_path
                    .strip_prefix(u)
                    .is_some_and(|rest| rest.starts_with('.'))
            });
            if step.status == StepStatus::Skipped
                && inside
                && self.skipped_shown.insert(step.step_path.clone())
            {
                found.push(step);
            }
        }
        found
    }
}

/// `1.0.2 fetch_orders`, safe for a terminal; empty when both parts are.
pub(super) fn step_label(path: &str, name: &str) -> String {
    match (path.is_empty(), name.is_empty()) {
        (true, true) => String::new(),
        (false, true) => terminal_safe(path).into_owned(),
        (true, false) => terminal_safe(name).into_owned(),
        (false, false) => format!("{} {}", terminal_safe(path), terminal_safe(name)),
    }
}

/// Two spaces a level: `1.0.2` is at depth 2.
pub(super) fn indent(path: &str) -> String {
    "  ".repeat(path.matches('.').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(path: &str, status: StepStatus) -> StepSummary {
        StepSummary {
            step_path: path.into(),
            name: format!("s{path}"),
            primitive: "execute".into(),
            status,
            duration_ms: 0,
            parent_path: String::new(),
        }
    }

    #[test]
    fn counts_say_what_they_count() {
        let steps = [
            summary("1", StepStatus::Completed),
            summary("2", StepStatus::Failed),
            summary("3", StepStatus::Pending),
            summary("3.1", StepStatus::Skipped),
        ];
        assert_eq!(
            StepCounts::of(&steps).to_string(),
            "2 steps run (1 failed), 1 skipped"
        );
        assert_eq!(StepCounts::default().to_string(), "0 steps run");
    }

    #[test]
    fn labels_choices_and_skipped_steps() {
        let mut book = Book::new("thr_1");
        let now = Instant::now();
        assert_eq!(
            book.started_at("1.0.1", "fetch", "execute", "http.get", now),
            "1.0.1 fetch (http.get)"
        );
        book.started_at("2", "choose", "decide", "", now);
        book.started_at("2.1", "merge", "execute", "sql.merge", now);
        assert!(book.is_decide("2") && !book.is_decide("2.1"));
        let decision = DecisionMade {
            strategy: "llm".into(),
            chosen_branch: "2.1".into(),
            reasoning: String::new(),
        };
        book.asked("2");
        assert!(book.awaits_decision("2"));
        assert!(!book.decided("2", Some(decision)));
        assert!(!book.awaits_decision("2"));
        assert_eq!(book.take_choice("2"), " · chose 2.1 merge (llm)");
        assert_eq!(book.ended("2", "choose", false), "2 choose (decide)");
        assert_eq!(book.running.len(), 2);

        let steps = [
            summary("2.2", StepStatus::Skipped),
            summary("22", StepStatus::Skipped),
        ];
        let under: Vec<_> = book
            .newly_skipped(&steps, Some("2"))
            .into_iter()
            .map(|s| s.step_path.clone())
            .collect();
        assert_eq!(under, ["2.2"]);
        let rest: Vec<_> = book
            .newly_skipped(&steps, None)
            .into_iter()
            .map(|s| s.step_path.clone())
            .collect();
        assert_eq!(rest, ["22"], "2.2 was shown already");
    }
}
