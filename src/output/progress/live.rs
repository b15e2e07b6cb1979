//! The live region at the bottom of a terminal: the steps running now (indented by depth, each
//! with how long it has run), and below them the thread's own line. Lines printed through it
//! (a finished step, a yield) go above, into the scrollback. One indicatif bar whose template
//! draws the whole region from the [`Book`] at every tick, so every elapsed time moves.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use super::book::{indent, Book};
use crate::output::{duration_ms, term, terminal_safe};

const TICK: Duration = Duration::from_millis(100);
const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

#[derive(Clone)]
pub(super) struct Region {
    bar: ProgressBar,
}

impl Region {
    /// Starts drawing on stderr (a terminal).
    pub fn start(book: Arc<Mutex<Book>>) -> Region {
        let bar = ProgressBar::with_draw_target(None, term::stderr_target());
        let style = ProgressStyle::with_template("{region}")
            .expect("a valid template")
            .with_key(
                "region",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let book = book.lock().unwrap_or_else(|p| p.into_inner());
                    let _ = w.write_str(&render(&book, Instant::now(), term::width()));
                },
            );
        bar.set_style(style);
        bar.enable_steady_tick(TICK);
        Region { bar }
    }

    /// A line above the region. (Never called with the book locked: the ticker locks it too.)
    pub fn print(&self, line: &str) {
        self.bar.println(line);
    }

    /// Runs `f` with the region off the screen (for stdout output between its redraws).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the region for good, before the closing lines.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// The region's lines: one per running step, then the thread's line.
fn render(book: &Book, now: Instant, width: usize) -> String {
    let since = |at: Instant| duration_ms(now.saturating_duration_since(at).as_millis() as i64);
    let tick = now.saturating_duration_since(book.since).as_millis() / TICK.as_millis();
    let frame = FRAMES[tick as usize % FRAMES.len()];
    let paused = book.paused_at.is_some();
    let last = book.running.len().saturating_sub(1);
    let mut lines: Vec<String> = book
        .running
        .iter()
        .enumerate()
        .map(|(n, r)| {
            // A paused thread waits at its innermost step.
            let state = if paused && n == last {
                "waiting"
            } else {
                "running"
            };
            term::fit(
                &format!(
                    "{}{frame} {}{} · {state} for {}",
                    indent(&r.path),
                    r.label,
                    book.choice(&r.path),
                    since(r.since)
                ),
                width,
            )
        })
        .collect();
    let id = terminal_safe(&book.thread_id);
    let script = if book.script.is_empty() {
        String::new()
    } else {
        format!(" ({})", terminal_safe(&book.script))
    };
    let overall = match (&book.paused_at, book.running_since) {
        (Some(at), _) => format!(
            "⏸ thread {id}{script} paused at {at} · {} · following for {}",
            book.counts,
            since(book.since)
        ),
        (None, Some(started)) => format!(
            "{frame} thread {id}{script} running for {} · {}",
            since(started),
            book.counts
        ),
        (None, None) => format!(
            "{frame} thread {id}: waiting for its first event · following for {}",
            since(book.since)
        ),
    };
    lines.push(term::fit(&overall, width));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_steps_then_the_thread_each_with_its_time() {
        let mut book = Book::new("thr_1");
        let t0 = book.since;
        book.script = "demo/etl".into();
        book.running_since = Some(t0);
        book.started_at("1", "extract", "iterate", "", t0);
        book.started_at(
            "1.0",
            "fetch",
            "execute",
            "http.get",
            t0 + Duration::from_millis(200),
        );
        let text = render(&book, t0 + Duration::from_millis(1500), 160);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].ends_with("1 extract (iterate) · running for 1.5s"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("  ")
                && lines[1].ends_with("1.0 fetch (http.get) · running for 1.3s"),
            "{text}"
        );
        assert!(
            lines[2].ends_with("thread thr_1 (demo/etl) running for 1.5s · 0 steps run"),
            "{text}"
        );
        // Never up to the last columns.
        let narrow = render(&book, t0, 30);
        assert!(narrow.lines().all(|l| l.chars().count() <= 27), "{narrow}");
    }
}
