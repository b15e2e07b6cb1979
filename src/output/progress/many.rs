//! How many threads followed at once look (`watch ID...`, `run --inputs`).
//!
//! - On a terminal: one live line per thread being followed (status, current step, how long it
//!   has run) in a region at the bottom, at most [`MAX_ROWS`] of them and a count of the rest;
//!   a thread that ends settles into one line in the scrollback.
//! - Piped: each thread's plain lines, as one follow prints them, prefixed with its id.
//! - `-o jsonl`: every event on stdout (each carries `threadId`).
//!
//! Each thread has its own [`FollowDisplay`] (plain or quiet), wrapped in a [`OneOfMany`] that
//! also keeps its live line. What comes at the end (the table, the JSON array) is the flow's.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use super::book::step_label;
use super::{instant_of, FollowDisplay};
use crate::cli::OutputFormat;
use crate::follow::{End, FollowOutcome, Observer};
use crate::model::{EventKind, Thread, ThreadEvent, ThreadStatus};
use crate::output::{duration_ms, term, terminal_safe, Printer, Verbosity};

/// Live lines shown at most; the rest are counted.
const MAX_ROWS: usize = 20;
const TICK: Duration = Duration::from_millis(100);
const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The view of every thread of one command.
pub struct ManyView {
    printer: Printer,
    output: OutputFormat,
    rows: Arc<Mutex<Rows>>,
    region: Option<ProgressBar>,
}

#[derive(Default)]
struct Rows {
    next: u64,
    live: Vec<Row>,
    ended: usize,
}

struct Row {
    key: u64,
    /// What names it: the thread's id (or the input's line while it is being created).
    name: String,
    status: Option<ThreadStatus>,
    step: String,
    since: Instant,
}

impl ManyView {
    pub fn new(printer: &Printer, output: OutputFormat) -> ManyView {
        let rows = Arc::new(Mutex::new(Rows::default()));
        let live = printer.progress_enabled() && printer.verbosity() < Verbosity::Verbose;
        let region = live.then(|| {
            let bar = ProgressBar::with_draw_target(None, term::stderr_target());
            let drawn = rows.clone();
            let style = ProgressStyle::with_template("{rows}")
                .expect("a valid template")
                .with_key(
                    "rows",
                    move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let rows = drawn.lock().unwrap_or_else(|p| p.into_inner());
                        let _ = w.write_str(&render(&rows, Instant::now(), term::width()));
                    },
                );
            bar.set_style(style);
            bar.enable_steady_tick(TICK);
            bar
        });
        ManyView {
            printer: printer.clone(),
            output,
            rows,
            region,
        }
    }

    fn rows(&self) -> MutexGuard<'_, Rows> {
        self.rows.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A line above the live region (or on stderr), unless `-q`.
    pub fn line(&self, text: &str) {
        match &self.region {
            Some(region) => region.println(text),
            None => self.printer.status(text),
        }
    }

    /// The observer of one thread, with its live line.
    pub fn one(&self, thread_id: &str) -> OneOfMany {
        let shown = terminal_safe(thread_id).into_owned();
        let printer = if self.region.is_some() {
            // The region draws; one thread's own lines would tear it.
            self.printer.quieted()
        } else {
            self.printer.one_of_many(&shown)
        };
        let key = {
            let mut rows = self.rows();
            rows.next += 1;
            let key = rows.next;
            rows.live.push(Row {
                key,
                name: shown,
                status: None,
                step: String::new(),
                since: Instant::now(),
            });
            key
        };
        OneOfMany {
            display: FollowDisplay::new(&printer, self.output, thread_id),
            rows: self.rows.clone(),
            key,
            region: self.region.clone(),
            printer: self.printer.clone(),
        }
    }

    /// Removes the live region (before the closing lines, or an error).
    pub fn clear(&self) {
        if let Some(region) = &self.region {
            region.finish_and_clear();
        }
    }

    /// An error of one of the threads (`what`: `thread ID`, `line 3`), said once.
    pub fn error(&self, what: &str, message: &str, hint: Option<&str>) {
        let message = format!("{what}: {message}");
        match &self.region {
            Some(region) => {
                let text = format!("error: {}", crate::output::terminal_message(&message));
                region.println(self.printer.paint_stderr(&text, "31"));
                if let Some(hint) = hint {
                    region.println(format!("hint: {}", crate::output::terminal_message(hint)));
                }
            }
            None => self.printer.error(&message, hint),
        }
    }
}

impl Drop for ManyView {
    fn drop(&mut self) {
        self.clear();
    }
}

/// One thread's observer: its own follow display, and its line in the region.
pub struct OneOfMany {
    display: FollowDisplay,
    rows: Arc<Mutex<Rows>>,
    key: u64,
    /// The live region, on a terminal.
    region: Option<ProgressBar>,
    printer: Printer,
}

impl OneOfMany {
    fn update(&self, f: impl FnOnce(&mut Row)) {
        let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(row) = rows.live.iter_mut().find(|r| r.key == self.key) {
            f(row);
        }
    }

    /// Following ended: the closing line (plain), or the thread's settled line (terminal).
    /// An interruption says nothing per thread (the flow says it once for all).
    pub fn finish(mut self, outcome: &FollowOutcome) {
        self.remove();
        if outcome.end == End::Interrupted {
            self.display.clear();
            return;
        }
        match &self.region {
            Some(region) => {
                if self.printer.verbosity() > Verbosity::Quiet {
                    region.println(settled_line(&self.printer, &outcome.thread, outcome.end));
                }
            }
            None => self.display.finish(outcome, None),
        }
    }

    /// Following stopped on an error (the flow reports it).
    pub fn failed(mut self) {
        self.remove();
        self.display.clear();
    }

    fn remove(&mut self) {
        let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(at) = rows.live.iter().position(|r| r.key == self.key) {
            rows.ended += 1;
            rows.live.remove(at);
        }
    }
}

impl Observer for OneOfMany {
    fn event(&mut self, event: &ThreadEvent) -> anyhow::Result<()> {
        match &event.kind {
            EventKind::Started(_) => {
                let since = instant_of(event.timestamp_ms);
                self.update(|r| {
                    r.status = Some(ThreadStatus::Running);
                    r.since = since;
                });
            }
            EventKind::StepStarted(s) => {
                let step = step_label(&s.step_path, &s.name);
                self.update(|r| {
                    r.status = Some(ThreadStatus::Running);
                    r.step = step;
                });
            }
            EventKind::Progress(p) => {
                let step = step_label(&p.current_step_path, &p.current_step_name);
                self.update(|r| {
                    r.status = Some(p.status);
                    r.step = step;
                });
            }
            kind => {
                if let Some(status) = kind.terminal_status() {
                    self.update(|r| r.status = Some(status));
                }
            }
        }
        self.display.event(event)
    }

    fn thread(&mut self, thread: &Thread) {
        let step = step_label(&thread.current_step_path, &thread.current_step_name);
        let since = (thread.started_at_ms > 0).then(|| instant_of(thread.started_at_ms));
        self.update(|r| {
            r.status = Some(thread.status);
            r.step = step;
            if let Some(since) = since {
                r.since = since;
            }
        });
        self.display.thread(thread);
    }

    fn notice(&mut self, message: &str) {
        self.display.notice(message);
    }

    fn following_through_pause(&mut self, thread_id: &str) {
        self.display.following_through_pause(thread_id);
    }
}

/// The settled line of a thread that ended, for the scrollback above the region.
pub fn settled_line(printer: &Printer, thread: &Thread, end: End) -> String {
    let id = terminal_safe(&thread.thread_id);
    let took = thread
        .duration_ms(crate::model::event::now_ms())
        .map_or(String::new(), |ms| format!(" in {}", duration_ms(ms)));
    let (mark, sgr, words) = match (end, thread.status) {
        (End::Paused, _) | (_, ThreadStatus::Paused) => ("⏸", "33;1", "paused".to_string()),
        (_, ThreadStatus::Completed) => ("✔", "32;1", format!("completed{took}")),
        (_, ThreadStatus::Failed) => {
            let error = if thread.error.is_empty() {
                String::new()
            } else {
                format!(": {}", terminal_safe(&thread.error))
            };
            ("✘", "31;1", format!("failed{took}{error}"))
        }
        (_, ThreadStatus::Cancelled) => ("⊘", "33;1", format!("cancelled{took}")),
        (_, status) => ("·", "2", status.to_string()),
    };
    format!("{} thread {id} {words}", printer.paint_stderr(mark, sgr))
}

/// The region: a line per thread being followed (up to [`MAX_ROWS`]), then the count.
fn render(rows: &Rows, now: Instant, width: usize) -> String {
    let tick = (crate::model::event::now_ms() / TICK.as_millis() as i64) as usize;
    let frame = FRAMES[tick % FRAMES.len()];
    let mut lines: Vec<String> = rows
        .live
        .iter()
        .take(MAX_ROWS)
        .map(|r| {
            let status = r
                .status
                .map_or("waiting".to_string(), |s| s.to_string().to_lowercase());
            let step = if r.step.is_empty() {
                String::new()
            } else {
                format!(" · {}", r.step)
            };
            let took = duration_ms(now.saturating_duration_since(r.since).as_millis() as i64);
            term::fit(
                &format!("{frame} {} {status}{step} · {took}", r.name),
                width,
            )
        })
        .collect();
    let more = rows.live.len().saturating_sub(MAX_ROWS);
    let more = if more > 0 {
        format!(", {more} more not shown")
    } else {
        String::new()
    };
    lines.push(term::fit(
        &format!(
            "following {} thread{}{more} · {} ended",
            rows.live.len(),
            if rows.live.len() == 1 { "" } else { "s" },
            rows.ended
        ),
        width,
    ));
    lines.join("\n")
}
