//! The lines a follow prints, in order, held back for a moment after a decide step ends: its
//! closing line carries the choice, and the steps it skipped follow it, both from asks of their
//! own (`follow::extras`). The lines after wait for those answers (at most [`HOLD`]), so a log
//! reads in order, the same every time.

use std::collections::HashSet;
use std::time::Duration;

/// The longest lines are held for an answer.
pub(super) const HOLD: Duration = Duration::from_secs(2);

/// One line to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Entry {
    Line {
        ts: i64,
        text: String,
    },
    /// A decide step's closing line, without its choice (added when printed).
    DecideEnd {
        ts: i64,
        path: String,
        text: String,
    },
    /// A skipped step's line, after its decide step's.
    Skipped {
        ts: i64,
        text: String,
    },
}

/// An answer the held lines wait for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Wait {
    Decision(String),
    Skipped(String),
}

#[derive(Debug, Default)]
pub(super) struct Queue {
    held: Vec<Entry>,
    waits: HashSet<Wait>,
    /// Counts holds, so a timer set for an earlier one releases nothing of a later one.
    generation: u64,
}

impl Queue {
    /// Waits for `waits` before printing what comes next. Returns the hold's generation when a
    /// new hold begins (for its timer).
    pub fn hold(&mut self, waits: impl IntoIterator<Item = Wait>) -> Option<u64> {
        let was_holding = !self.waits.is_empty();
        self.waits.extend(waits);
        if was_holding || self.waits.is_empty() {
            return None;
        }
        self.generation += 1;
        Some(self.generation)
    }

    /// `entry`, to print now, or held.
    pub fn push(&mut self, entry: Entry) -> Vec<Entry> {
        if self.waits.is_empty() {
            return vec![entry];
        }
        self.held.push(entry);
        Vec::new()
    }

    /// Skipped steps' lines, placed after their decide step's line (and its other skipped
    /// steps) when that is still held; what is to be printed now.
    pub fn skipped(&mut self, under: &str, entries: Vec<Entry>) -> Vec<Entry> {
        let at = self
            .held
            .iter()
            .position(|e| matches!(e, Entry::DecideEnd { path, .. } if path == under));
        match at {
            Some(at) => {
                let mut at = at + 1;
                while matches!(self.held.get(at), Some(Entry::Skipped { .. })) {
                    at += 1;
                }
                self.held.splice(at..at, entries);
                Vec::new()
            }
            None if self.waits.is_empty() => entries,
            None => {
                self.held.extend(entries);
                Vec::new()
            }
        }
    }

    /// `wait` has its answer: what is to be printed now (everything held, once nothing is
    /// awaited any more).
    pub fn settle(&mut self, wait: &Wait) -> Vec<Entry> {
        self.waits.remove(wait);
        if self.waits.is_empty() {
            std::mem::take(&mut self.held)
        } else {
            Vec::new()
        }
    }

    /// Everything held, waiting for nothing more: the timer of hold `generation` ran out (any
    /// generation when `None`: the follow is over).
    pub fn release(&mut self, generation: Option<u64>) -> Vec<Entry> {
        if generation.is_some_and(|g| g != self.generation) {
            return Vec::new();
        }
        self.waits.clear();
        std::mem::take(&mut self.held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Entry {
        Entry::Line {
            ts: 0,
            text: text.into(),
        }
    }

    #[test]
    fn lines_after_a_decide_step_wait_for_its_answers() {
        let mut q = Queue::default();
        assert_eq!(q.push(line("a")), [line("a")]);
        let generation = q.hold([Wait::Decision("2".into()), Wait::Skipped("2".into())]);
        assert_eq!(generation, Some(1));
        let end = Entry::DecideEnd {
            ts: 0,
            path: "2".into(),
            text: "✔ 2".into(),
        };
        assert!(q.push(end.clone()).is_empty());
        assert!(q.push(line("▸ 3")).is_empty());
        assert!(q.settle(&Wait::Decision("2".into())).is_empty());
        let skipped = Entry::Skipped {
            ts: 0,
            text: "⊘ 2.2".into(),
        };
        assert!(q.skipped("2", vec![skipped.clone()]).is_empty());
        assert_eq!(
            q.settle(&Wait::Skipped("2".into())),
            [end, skipped, line("▸ 3")]
        );
        assert_eq!(q.push(line("b")), [line("b")]);
    }

    #[test]
    fn a_timer_releases_its_own_hold_only() {
        let mut q = Queue::default();
        let first = q.hold([Wait::Skipped("2".into())]);
        q.push(line("x"));
        assert_eq!(q.settle(&Wait::Skipped("2".into())), [line("x")]);
        let second = q.hold([Wait::Skipped("4".into())]);
        q.push(line("y"));
        assert!(q.release(first).is_empty(), "an old timer");
        assert_eq!(q.release(second), [line("y")]);
    }
}
