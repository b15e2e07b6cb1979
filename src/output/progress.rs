//! How a followed thread looks: a live indicatif display on a terminal, plain timestamped lines
//! otherwise, and with `-o jsonl` one JSON object per event on stdout (stderr then keeps only the
//! spinner, notices and the closing line, never a second copy of each event). Every piece of
//! server text goes through [`terminal_safe`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::{duration_ms, suggest, terminal_safe, Printer};
use crate::cli::OutputFormat;
use crate::follow::{End, FollowOutcome, Observer};
use crate::model::{EventKind, Thread, ThreadEvent, ThreadStatus};

/// In plain mode, a line at least this often while nothing else happens.
const PLAIN_HEARTBEAT: Duration = Duration::from_secs(60);
/// Longest value of a yield shown on one line.
const YIELD_PREVIEW: usize = 100;

pub struct FollowDisplay {
    printer: Printer,
    jsonl: bool,
    style: Style,
    thread_id: String,
    /// `primitive tool` of each step seen starting, for its closing line.
    steps: HashMap<String, String>,
    finished_steps: usize,
    last_step_failure: Option<(String, String, String)>,
    last_line: Instant,
    last_status: Option<ThreadStatus>,
}

enum Style {
    /// A spinner on stderr with lines printed above it.
    Live {
        bar: ProgressBar,
        now: Arc<Mutex<LiveState>>,
    },
    /// One timestamped line per event on stderr.
    Plain,
    /// `-q`: nothing on stderr but errors.
    Quiet,
}

/// What the spinner line shows, read at every tick.
#[derive(Default)]
struct LiveState {
    label: String,
    step_started: Option<Instant>,
    /// Steps started and not finished, innermost last: (path, label, started).
    running: Vec<(String, String, Instant)>,
}

impl LiveState {
    /// Shows the innermost step still running (after one finished, its parent).
    fn show_running(&mut self) {
        if let Some((_, label, started)) = self.running.last() {
            self.label = label.clone();
            self.step_started = Some(*started);
        } else {
            self.step_started = None;
        }
    }
}

impl FollowDisplay {
    pub fn new(printer: &Printer, output: OutputFormat, thread_id: &str) -> FollowDisplay {
        let style = if printer.progress_enabled() && printer.verbosity() < super::Verbosity::Verbose
        {
            // (-v writes call logs to stderr, which would tear a live display apart.)
            let now = Arc::new(Mutex::new(LiveState {
                label: "waiting for the first event".into(),
                ..LiveState::default()
            }));
            let shared = now.clone();
            let template = ProgressStyle::with_template("{spinner} {live}")
                .expect("valid template")
                .tick_strings(&["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", "✔"])
                .with_key(
                    "live",
                    move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let live = shared.lock().expect("live state");
                        let _ = write!(
                            w,
                            "{} {}",
                            duration_ms(state.elapsed().as_millis() as i64),
                            live.label
                        );
                        if let Some(started) = live.step_started {
                            let _ =
                                write!(w, " {}", duration_ms(started.elapsed().as_millis() as i64));
                        }
                    },
                );
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(template);
            bar.enable_steady_tick(Duration::from_millis(100));
            Style::Live { bar, now }
        } else if printer.verbosity() > super::Verbosity::Quiet {
            Style::Plain
        } else {
            Style::Quiet
        };
        FollowDisplay {
            printer: printer.clone(),
            jsonl: output == OutputFormat::Jsonl,
            style,
            thread_id: thread_id.to_string(),
            steps: HashMap::new(),
            finished_steps: 0,
            last_step_failure: None,
            last_line: Instant::now(),
            last_status: None,
        }
    }

    /// Prints the closing line: outcome, duration, step count; on FAILED the failed step, its
    /// error, and where to look next.
    pub fn finish(&mut self, outcome: &FollowOutcome) {
        self.clear();
        let thread = &outcome.thread;
        let id = terminal_safe(&thread.thread_id).into_owned();
        let now = crate::model::event::now_ms();
        let took = match &outcome.terminal_event {
            Some(ThreadEvent {
                kind: EventKind::Completed(c),
                ..
            }) if c.duration_ms > 0 => Some(c.duration_ms),
            _ => thread.duration_ms(now),
        }
        .map(duration_ms);
        let steps = match &outcome.terminal_event {
            Some(ThreadEvent {
                kind: EventKind::Completed(c),
                ..
            }) if c.steps_executed > 0 => c.steps_executed as usize,
            _ if self.finished_steps > 0 => self.finished_steps,
            _ => thread.total_steps.max(0) as usize,
        };
        let steps = format!("{steps} step{}", if steps == 1 { "" } else { "s" });
        let after = |word: &str| {
            took.as_ref()
                .map_or(String::new(), |t| format!(" {word} {t}"))
        };
        match (outcome.end, thread.status) {
            (End::Interrupted, status) => {
                let known = match status {
                    ThreadStatus::Unspecified => String::new(),
                    status => format!(" ({status})"),
                };
                self.printer.status(&format!(
                    "stopped following thread {id}{known}; it goes on running on the server"
                ));
                self.printer
                    .hint(&suggest::watch(&thread.thread_id).to_string());
            }
            (End::Paused, _) => {
                let at = step_label(&thread.current_step_path, &thread.current_step_name);
                let at = if at.is_empty() {
                    String::new()
                } else {
                    format!(" at step {at}")
                };
                self.printer.status(&format!(
                    "{} thread {id} is paused{at}, waiting for `{}`",
                    self.paint("⏸", "33;1"),
                    suggest::resume(&thread.thread_id)
                ));
                self.printer.hint(&format!(
                    "resume it, then follow it again with: {}",
                    suggest::watch(&thread.thread_id)
                ));
            }
            (End::Terminal, ThreadStatus::Completed) => self.printer.status(&format!(
                "{} thread {id} completed{} · {steps}",
                self.paint("✔", "32;1"),
                after("in")
            )),
            (End::Terminal, ThreadStatus::Failed) => {
                let (path, name, error) = self.failure(outcome);
                let at = step_label(&path, &name);
                let at = if at.is_empty() {
                    String::new()
                } else {
                    format!(" at step {at}")
                };
                let error = if error.is_empty() {
                    String::new()
                } else {
                    format!(": {}", terminal_safe(&error))
                };
                self.printer.status(&format!(
                    "{} thread {id} failed{}{at} · {steps}{error}",
                    self.paint("✘", "31;1"),
                    after("after")
                ));
                if !path.is_empty() {
                    self.printer
                        .hint(&suggest::step(&thread.thread_id, &path).to_string());
                }
            }
            (End::Terminal, status) => {
                let detail = match &outcome.terminal_event {
                    Some(ThreadEvent {
                        kind: EventKind::Cancelled(c),
                        ..
                    }) => {
                        let mut text = String::new();
                        if !c.cancelled_step_path.is_empty() {
                            text.push_str(&format!(
                                " at step {}",
                                terminal_safe(&c.cancelled_step_path)
                            ));
                        }
                        if !c.reason.is_empty() {
                            text.push_str(&format!(": {}", terminal_safe(&c.reason)));
                        }
                        text
                    }
                    _ => String::new(),
                };
                self.printer.status(&format!(
                    "{} thread {id} {status}{}{detail} · {steps}",
                    self.paint("■", "33;1"),
                    after("after")
                ));
            }
        }
    }

    /// Removes the live display (before an error is printed).
    pub fn clear(&mut self) {
        if let Style::Live { bar, .. } = &self.style {
            bar.finish_and_clear();
        }
    }

    /// The failed step and its error: from the `failed` event, else the last failed step, else
    /// what GetThread says.
    fn failure(&self, outcome: &FollowOutcome) -> (String, String, String) {
        if let Some(ThreadEvent {
            kind: EventKind::Failed(f),
            ..
        }) = &outcome.terminal_event
        {
            // The step's own error says it best; the thread's error often wraps it.
            let error = match &self.last_step_failure {
                Some((path, _, error)) if *path == f.failed_step_path && !error.is_empty() => {
                    error.clone()
                }
                _ if f.error.is_empty() => outcome.thread.error.clone(),
                _ => f.error.clone(),
            };
            return (
                f.failed_step_path.clone(),
                f.failed_step_name.clone(),
                error,
            );
        }
        if let Some((path, name, error)) = &self.last_step_failure {
            let error = if error.is_empty() {
                outcome.thread.error.clone()
            } else {
                error.clone()
            };
            return (path.clone(), name.clone(), error);
        }
        let t = &outcome.thread;
        (
            t.current_step_path.clone(),
            t.current_step_name.clone(),
            t.error.clone(),
        )
    }

    fn paint(&self, text: &str, sgr: &str) -> String {
        self.printer.paint_stderr(text, sgr)
    }

    /// A line on stderr, above the spinner when there is one.
    fn line(&mut self, timestamp_ms: i64, text: &str) {
        self.last_line = Instant::now();
        match &self.style {
            Style::Live { bar, .. } => bar.println(text),
            Style::Plain => self
                .printer
                .status(&format!("{} {text}", clock(timestamp_ms))),
            Style::Quiet => {}
        }
    }

    fn step_started(&self, path: &str, label: String) {
        if let Style::Live { now, .. } = &self.style {
            let mut live = now.lock().expect("live state");
            live.running.retain(|(p, _, _)| p != path);
            live.running.push((path.to_string(), label, Instant::now()));
            live.show_running();
        }
    }

    fn step_finished(&self, path: &str) {
        if let Style::Live { now, .. } = &self.style {
            let mut live = now.lock().expect("live state");
            live.running.retain(|(p, _, _)| p != path);
            live.show_running();
        }
    }

    fn set_live(&self, label: Option<String>, step_started: Option<Option<Instant>>) {
        if let Style::Live { now, .. } = &self.style {
            let mut live = now.lock().expect("live state");
            if let Some(label) = label {
                live.label = label;
            }
            if let Some(started) = step_started {
                live.step_started = started;
            }
        }
    }

    /// The text of one event, or `None` for events shown otherwise (terminal ones on a terminal:
    /// the closing line says it).
    fn event_line(&mut self, event: &ThreadEvent) -> Option<String> {
        let live = matches!(self.style, Style::Live { .. });
        let indent = |path: &str| "  ".repeat(path.matches('.').count());
        match &event.kind {
            EventKind::Started(s) => Some(format!(
                "thread {} started: {} ({} top-level step{})",
                terminal_safe(&self.thread_id),
                terminal_safe(&s.script_name),
                s.total_steps,
                if s.total_steps == 1 { "" } else { "s" }
            )),
            EventKind::StepStarted(s) => {
                let kind = if s.tool.is_empty() {
                    terminal_safe(&s.primitive).into_owned()
                } else {
                    format!("{} {}", terminal_safe(&s.primitive), terminal_safe(&s.tool))
                };
                self.steps.insert(s.step_path.clone(), kind.clone());
                let label = step_label(&s.step_path, &s.name);
                self.step_started(&s.step_path, format!("{label} ({kind})"));
                let mark = if live {
                    self.paint("▸", "2")
                } else {
                    "▸".into()
                };
                Some(format!(
                    "{}{mark} {label} {}",
                    indent(&s.step_path),
                    self.paint(&format!("({kind})"), "2")
                ))
            }
            EventKind::StepCompleted(s) => {
                self.finished_steps += 1;
                self.step_finished(&s.step_path);
                let kind = self
                    .steps
                    .get(&s.step_path)
                    .map_or(String::new(), |kind| format!(" ({kind})"));
                Some(format!(
                    "{}{} {}{} {}",
                    indent(&s.step_path),
                    self.paint("✔", "32"),
                    step_label(&s.step_path, &s.name),
                    self.paint(&kind, "2"),
                    duration_ms(s.duration_ms)
                ))
            }
            EventKind::StepFailed(s) => {
                self.finished_steps += 1;
                self.last_step_failure =
                    Some((s.step_path.clone(), s.name.clone(), s.error.clone()));
                self.step_finished(&s.step_path);
                Some(format!(
                    "{}{} {}: {}",
                    indent(&s.step_path),
                    self.paint("✘", "31"),
                    step_label(&s.step_path, &s.name),
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
                Some(format!(
                    "{}{} yield #{} from {}: {value}",
                    indent(&y.step_path),
                    self.paint("↳", "36"),
                    y.sequence,
                    step_label(&y.step_path, &y.name)
                ))
            }
            EventKind::Completed(c) if !live => Some(format!(
                "completed in {}, {} steps executed",
                duration_ms(c.duration_ms),
                c.steps_executed
            )),
            EventKind::Failed(f) if !live => Some(format!(
                "failed at step {}: {}",
                step_label(&f.failed_step_path, &f.failed_step_name),
                terminal_safe(&f.error)
            )),
            EventKind::Cancelled(c) if !live => Some(format!(
                "cancelled at step {}: {}",
                terminal_safe(&c.cancelled_step_path),
                terminal_safe(&c.reason)
            )),
            EventKind::Completed(_) | EventKind::Failed(_) | EventKind::Cancelled(_) => None,
            EventKind::Progress(p) => {
                let step = step_label(&p.current_step_path, &p.current_step_name);
                self.last_status = Some(p.status);
                if live {
                    self.set_live(Some(format!("{} {step}", p.status)), None);
                    return None;
                }
                Some(if step.is_empty() {
                    format!("status {}", p.status)
                } else {
                    format!("status {}, step {step}", p.status)
                })
            }
            EventKind::Unknown => {
                Some("an event of a kind this client does not know (ignored)".to_string())
            }
        }
    }
}

impl Observer for FollowDisplay {
    fn event(&mut self, event: &ThreadEvent) -> anyhow::Result<()> {
        if self.jsonl {
            let line = serde_json::to_string(event)?;
            match &self.style {
                Style::Live { bar, .. } => bar.suspend(|| self.printer.data_line(&line))?,
                _ => self.printer.data_line(&line)?,
            }
        }
        // Always described: what it tells (steps, failures) feeds the spinner and closing line.
        let text = self.event_line(event);
        if let (Some(text), false) = (text, self.jsonl) {
            // With -o jsonl the events are the data on stdout: stderr does not repeat them.
            self.line(event.timestamp_ms, &text);
        }
        Ok(())
    }

    fn thread(&mut self, thread: &Thread) {
        let step = step_label(&thread.current_step_path, &thread.current_step_name);
        if thread.status == ThreadStatus::Paused {
            self.set_live(
                Some(format!("paused at {step}, waiting for resume")),
                Some(None),
            );
        }
        if matches!(self.style, Style::Plain) && self.last_line.elapsed() >= PLAIN_HEARTBEAT {
            let text = format!("still {}, step {step}", thread.status);
            self.line(crate::model::event::now_ms(), &text);
        }
    }

    fn notice(&mut self, message: &str) {
        self.last_line = Instant::now();
        match &self.style {
            Style::Live { bar, .. } => {
                // A notice may quote the server (a broken stream's status message).
                let message = super::terminal_message(message);
                bar.println(format!("{}: {message}", self.paint("note", "33")))
            }
            Style::Plain => self.printer.warn(message),
            Style::Quiet => {}
        }
    }
}

impl Drop for FollowDisplay {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `1.0.2 fetch_orders`, safe for a terminal; empty when both parts are.
fn step_label(path: &str, name: &str) -> String {
    match (path.is_empty(), name.is_empty()) {
        (true, true) => String::new(),
        (false, true) => terminal_safe(path).into_owned(),
        (true, false) => terminal_safe(name).into_owned(),
        (false, false) => format!("{} {}", terminal_safe(path), terminal_safe(name)),
    }
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
