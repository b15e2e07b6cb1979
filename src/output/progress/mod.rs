//! How a followed thread looks (run, watch, resume --watch, result --wait).
//!
//! - On a terminal: the steps running now live in a region at the bottom, each with how long it
//!   has run, the thread's own line below them (`live.rs`); a finished step leaves exactly one
//!   line in the scrollback, indented by depth (`✔ 1.0.1 fetch_customers (http.get) 700ms`),
//!   and nothing of its start.
//! - Piped: one timestamped line as each step starts and as it ends (a log shows both).
//! - `-o jsonl`: one JSON object per event on stdout; stderr keeps the region (on a terminal)
//!   and the closing line, never a second copy of the events.
//!
//! A decide step's closing line carries its choice, and skipped steps get a line of their own:
//! neither is in the thread's events, so [`FollowDisplay::extras`] hands the follow a way to ask
//! (`follow::extras`), and the answers come back through the same view; the lines after a
//! decide step wait for them a moment (`queue.rs`), so a log reads in order. The closing line
//! (`ending.rs`) is said once; the counts are kept in `book.rs`. Every piece of server text goes
//! through [`terminal_safe`].

mod book;
mod ending;
mod live;
pub mod many;
mod queue;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use super::{duration_ms, terminal_safe, Printer, Verbosity};
use crate::cli::OutputFormat;
use crate::follow::extras::{Ask, ExtrasObserver};
use crate::follow::{FollowOutcome, Observer};
use crate::model::step_event::DecisionMade;
use crate::model::{EventKind, StepSummary, Thread, ThreadEvent, ThreadStatus};

use book::{indent, step_label, Book};
use live::Region;
use queue::{Entry, Queue, Wait, HOLD};

pub use book::StepCounts;

/// In plain mode, a line at least this often while nothing else happens.
const PLAIN_HEARTBEAT: Duration = Duration::from_secs(60);
/// Longest value of a yield shown on one line.
const YIELD_PREVIEW: usize = 100;

pub struct FollowDisplay {
    view: Arc<View>,
    jsonl: bool,
    /// Where to ask for what the events do not say (see [`FollowDisplay::extras`]).
    asks: Option<UnboundedSender<Ask>>,
    last_line: Instant,
}

/// What draws, shared with the answers of `follow::extras` (which come from tasks of their own).
struct View {
    printer: Printer,
    book: Arc<Mutex<Book>>,
    queue: Mutex<Queue>,
    surface: Surface,
    /// `-o jsonl`: the events are stdout's; stderr shows no line for them.
    jsonl: bool,
}

enum Surface {
    /// A terminal: the live region, lines printed above it.
    Live(Region),
    /// One timestamped line per event on stderr.
    Plain,
    /// `-q`: nothing on stderr but errors.
    Quiet,
}

impl FollowDisplay {
    pub fn new(printer: &Printer, output: OutputFormat, thread_id: &str) -> FollowDisplay {
        let book = Arc::new(Mutex::new(Book::new(thread_id)));
        // (-v writes call logs to stderr, which would tear a live region apart.)
        let surface = if printer.progress_enabled() && printer.verbosity() < Verbosity::Verbose {
            Surface::Live(Region::start(book.clone()))
        } else if printer.verbosity() > Verbosity::Quiet {
            Surface::Plain
        } else {
            Surface::Quiet
        };
        let jsonl = output == OutputFormat::Jsonl;
        FollowDisplay {
            view: Arc::new(View {
                printer: printer.clone(),
                book,
                queue: Mutex::new(Queue::default()),
                surface,
                jsonl,
            }),
            jsonl,
            asks: None,
            last_line: Instant::now(),
        }
    }

    /// What the view will ask for while the follow runs, and where the answers go: for
    /// `follow::extras::serve`. `None` when nothing would show them (`-q`, `-o jsonl`).
    pub fn extras(&mut self) -> Option<(Arc<dyn ExtrasObserver>, UnboundedReceiver<Ask>)> {
        if self.jsonl || matches!(self.view.surface, Surface::Quiet) {
            return None;
        }
        let (asks, asked) = unbounded_channel();
        self.asks = Some(asks);
        Some((self.view.clone(), asked))
    }

    /// Whether the closing line's counts need the thread's step summaries (one more call, a
    /// round trip after the end): only when the events cannot tell them, since a decide step
    /// may have skipped steps, or the follow did not see the thread from its start.
    pub fn needs_step_summaries(&self) -> bool {
        let book = self.view.book();
        book.saw_decide() || book.running_since.is_none() || book.counts.run == 0
    }

    /// Says how following ended, once: the skipped steps not shown yet, then the closing line.
    /// `steps`: the thread's step summaries, when they could be had.
    pub fn finish(&mut self, outcome: &FollowOutcome, steps: Option<&[StepSummary]>) {
        let held = self.view.queue().release(None);
        self.view.print(held);
        // Only after steps were shown: an ended thread's account is its closing line alone.
        let followed = self.view.book().counts.run > 0;
        if let (Some(steps), false, true) = (steps, self.jsonl, followed) {
            self.view.show_skipped(steps, None);
        }
        self.clear();
        let book = self.view.book();
        ending::close(&self.view.printer, &book, outcome, steps);
    }

    /// Removes the live region (before the closing lines, or an error).
    pub fn clear(&mut self) {
        if let Surface::Live(region) = &self.view.surface {
            region.clear();
        }
    }

    fn ask(&self, ask: Ask) {
        if let Some(asks) = &self.asks {
            let _ = asks.send(ask);
        }
    }

    /// Takes in one event; returns the lines it calls for (terminal events have none: the
    /// closing line says it), and the answers the lines from here on wait for.
    fn describe(&mut self, event: &ThreadEvent) -> (Vec<Entry>, Vec<Wait>) {
        let live = matches!(self.view.surface, Surface::Live(_));
        let asking = self.asks.is_some();
        let paint = |text: &str, sgr: &str| self.view.printer.paint_stderr(text, sgr);
        let ts = event.timestamp_ms;
        let line = |text: String| (vec![Entry::Line { ts, text }], Vec::new());
        let mut book = self.view.book();
        match &event.kind {
            EventKind::Started(s) => {
                book.script = s.script_name.clone();
                book.running_since = Some(instant_of(ts));
                line(format!(
                    "thread {} started: {} ({} top-level step{})",
                    terminal_safe(&book.thread_id),
                    terminal_safe(&s.script_name),
                    s.total_steps,
                    if s.total_steps == 1 { "" } else { "s" }
                ))
            }
            EventKind::StepStarted(s) => {
                let label =
                    book.started_at(&s.step_path, &s.name, &s.primitive, &s.tool, instant_of(ts));
                if book.is_decide(&s.step_path) && asking {
                    book.asked(&s.step_path);
                    self.ask(Ask::Decision {
                        step_path: s.step_path.clone(),
                    });
                }
                if live {
                    // The region shows it while it runs.
                    return (Vec::new(), Vec::new());
                }
                line(format!(
                    "{}{} {label}",
                    indent(&s.step_path),
                    paint("▸", "2")
                ))
            }
            EventKind::StepCompleted(s) => {
                let label = book.ended(&s.step_path, &s.name, false);
                let text = format!(
                    "{}{} {label} {}",
                    indent(&s.step_path),
                    paint("✔", "32"),
                    duration_ms(s.duration_ms)
                );
                if !book.is_decide(&s.step_path) || !asking {
                    return line(text);
                }
                // Its choice, if still to come, and the steps it skipped are asked for; the
                // lines from here on wait for them.
                let path = s.step_path.clone();
                let mut waits = vec![Wait::Skipped(path.clone())];
                if book.awaits_decision(&path) {
                    waits.push(Wait::Decision(path.clone()));
                }
                self.ask(Ask::Skipped {
                    under: path.clone(),
                });
                (vec![Entry::DecideEnd { ts, path, text }], waits)
            }
            EventKind::StepFailed(s) => {
                let label = book.ended(&s.step_path, &s.name, true);
                book.last_failure = Some((s.step_path.clone(), s.name.clone(), s.error.clone()));
                line(format!(
                    "{}{} {label}: {}",
                    indent(&s.step_path),
                    paint("✘", "31"),
                    terminal_safe(&s.error)
                ))
            }
            EventKind::Yielded(y) => {
                let value = crate::model::json_payload(&y.value_data).to_string();
                let value = terminal_safe(&value);
                let value = if value.chars().count() > YIELD_PREVIEW {
                    format!("{}…", value.chars().take(YIELD_PREVIEW).collect::<String>())
                } else {
                    value.into_owned()
                };
                line(format!(
                    "{}{} yield #{} from {}: {value}",
                    indent(&y.step_path),
                    paint("↳", "36"),
                    y.sequence,
                    step_label(&y.step_path, &y.name)
                ))
            }
            EventKind::Completed(_) | EventKind::Failed(_) | EventKind::Cancelled(_) => {
                book.status = event.kind.terminal_status();
                (Vec::new(), Vec::new())
            }
            EventKind::Progress(p) => {
                // A change seen by polling GetThread: on a terminal the region shows it.
                book.status = Some(p.status);
                let step = step_label(&p.current_step_path, &p.current_step_name);
                book.paused_at = (p.status == ThreadStatus::Paused).then(|| step.clone());
                if live {
                    return (Vec::new(), Vec::new());
                }
                line(if step.is_empty() {
                    format!("status {}", p.status)
                } else {
                    format!("status {}, step {step}", p.status)
                })
            }
            EventKind::Unknown => {
                line("an event of a kind this client does not know (ignored)".to_string())
            }
        }
    }
}

impl View {
    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Holds the lines from here on for `waits`; a new hold is released after [`HOLD`] at the
    /// latest, answered or not.
    fn hold(self: &Arc<Self>, waits: Vec<Wait>) {
        let Some(generation) = self.queue().hold(waits) else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let view = self.clone();
        runtime.spawn(async move {
            tokio::time::sleep(HOLD).await;
            let held = view.queue().release(Some(generation));
            view.print(held);
        });
    }

    /// Entries to print now, through the queue (held while it holds).
    fn emit(&self, entry: Entry) {
        let now = self.queue().push(entry);
        self.print(now);
    }

    /// Prints entries (a decide step's line with its choice as known by now).
    fn print(&self, entries: Vec<Entry>) {
        for entry in entries {
            let (ts, text) = match entry {
                Entry::Line { ts, text } | Entry::Skipped { ts, text } => (ts, text),
                Entry::DecideEnd { ts, path, text } => {
                    let choice = self.book().take_choice(&path);
                    (ts, format!("{text}{choice}"))
                }
            };
            self.line(ts, &text);
        }
    }

    /// A line on stderr: above the region, or timestamped. Never called with the book locked.
    fn line(&self, timestamp_ms: i64, text: &str) {
        match &self.surface {
            Surface::Live(region) => region.print(text),
            Surface::Plain => self
                .printer
                .status(&format!("{} {text}", clock(timestamp_ms))),
            Surface::Quiet => {}
        }
    }

    /// The lines of the skipped steps among `steps` (under `under`, or anywhere) not shown yet.
    fn skipped_lines(&self, steps: &[StepSummary], under: Option<&str>) -> Vec<Entry> {
        self.book()
            .newly_skipped(steps, under)
            .into_iter()
            .map(|s| {
                let mark = self.printer.paint_stderr("⊘", "2");
                let kind = if s.primitive.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", terminal_safe(&s.primitive))
                };
                Entry::Skipped {
                    ts: 0,
                    text: format!(
                        "{}{mark} {}{kind} skipped",
                        indent(&s.step_path),
                        step_label(&s.step_path, &s.name)
                    ),
                }
            })
            .collect()
    }

    /// The skipped steps among `steps` not shown yet, printed now.
    fn show_skipped(&self, steps: &[StepSummary], under: Option<&str>) {
        let lines = self.skipped_lines(steps, under);
        self.print(lines);
    }
}

impl ExtrasObserver for View {
    fn decision(&self, step_path: &str, decision: Option<&DecisionMade>) {
        let late = {
            let mut book = self.book();
            book.decided(step_path, decision.cloned())
                .then(|| (book.label(step_path, ""), book.choice(step_path)))
        };
        // The step's closing line went out without it (the answer came late): a line of its own.
        if let (Some((label, choice)), false) = (late, self.jsonl) {
            let choice = choice.trim_start_matches(" · ");
            self.emit(Entry::Line {
                ts: 0,
                text: format!("{}◆ {label} {choice}", indent(step_path)),
            });
        }
        let now = self.queue().settle(&Wait::Decision(step_path.to_string()));
        self.print(now);
    }

    fn summaries(&self, ask: &Ask, steps: Option<&[StepSummary]>) {
        let Ask::Skipped { under } = ask else {
            return;
        };
        if let Some(steps) = steps {
            let lines = self.skipped_lines(steps, Some(under));
            let now = self.queue().skipped(under, lines);
            self.print(now);
        }
        let now = self.queue().settle(&Wait::Skipped(under.clone()));
        self.print(now);
    }
}

impl Observer for FollowDisplay {
    fn event(&mut self, event: &ThreadEvent) -> anyhow::Result<()> {
        if self.jsonl {
            let line = serde_json::to_string(event)?;
            let printer = &self.view.printer;
            match &self.view.surface {
                Surface::Live(region) => region.suspend(|| printer.data_line(&line))?,
                _ => printer.data_line(&line)?,
            }
        }
        // Always taken in: what it tells (steps, failures) feeds the region and the closing line.
        let (entries, waits) = self.describe(event);
        if !self.jsonl {
            // The hold first: a decide step's own line waits for its choice too.
            self.view.hold(waits);
            for entry in entries {
                self.last_line = Instant::now();
                self.view.emit(entry);
            }
        }
        Ok(())
    }

    fn thread(&mut self, thread: &Thread) {
        let step = step_label(&thread.current_step_path, &thread.current_step_name);
        {
            let mut book = self.view.book();
            book.status = Some(thread.status);
            book.paused_at = (thread.status == ThreadStatus::Paused).then(|| step.clone());
        }
        if matches!(self.view.surface, Surface::Plain)
            && self.last_line.elapsed() >= PLAIN_HEARTBEAT
        {
            self.last_line = Instant::now();
            let text = format!("still {}, step {step}", thread.status);
            self.view.emit(Entry::Line {
                ts: crate::model::event::now_ms(),
                text,
            });
        }
    }

    fn notice(&mut self, message: &str) {
        self.last_line = Instant::now();
        match &self.view.surface {
            Surface::Live(region) => region.print(&format!(
                "{}: {}",
                self.view.printer.paint_stderr("note", "33"),
                terminal_safe(message)
            )),
            Surface::Plain => self.view.printer.warn(message),
            Surface::Quiet => {}
        }
    }
}

impl Drop for FollowDisplay {
    fn drop(&mut self) {
        self.clear();
    }
}

/// The moment an event's timestamp names, on this machine's clock (now, when it is unset or
/// in the future).
fn instant_of(timestamp_ms: i64) -> Instant {
    let ago = (crate::model::event::now_ms() - timestamp_ms).clamp(0, 24 * 3600 * 1000);
    let now = Instant::now();
    if timestamp_ms <= 0 {
        return now;
    }
    now.checked_sub(Duration::from_millis(ago as u64))
        .unwrap_or(now)
}

/// `10:40:01.123` in local time, for plain lines.
pub(crate) fn clock(ms: i64) -> String {
    let ms = if ms > 0 {
        ms
    } else {
        crate::model::event::now_ms()
    };
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => ts
            .to_zoned(jiff::tz::TimeZone::system())
            .strftime("%H:%M:%S%.3f")
            .to_string(),
        Err(_) => ms.to_string(),
    }
}
