//! The one printer. Data goes to stdout; status, warnings, hints and errors go to stderr. A closed
//! stdout becomes [`ClosedPipe`], which ends the command quietly. Warnings, hints, errors and `-v`
//! lines pass through [`terminal_message`]: they may quote a server's text, which must not drive the
//! terminal.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use super::jq::JqProgram;
use super::sanitize::terminal_message;
use crate::error::ClosedPipe;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct Printer {
    verbosity: Verbosity,
    stdout_tty: bool,
    stderr_tty: bool,
    color_stdout: bool,
    color_stderr: bool,
    /// `--jq`: every JSON document goes through it before reaching stdout.
    jq: Option<Arc<JqOutput>>,
    /// Put before every stderr line: the thread's id when many are followed at once.
    prefix: Option<Arc<str>>,
}

/// The `--jq` program, and the part of a document printed in pieces (a long list's array)
/// that has not been filtered yet.
#[derive(Debug)]
struct JqOutput {
    program: JqProgram,
    pending: Mutex<Vec<u8>>,
}

impl Printer {
    pub fn new(verbosity: Verbosity, color: ColorChoice) -> Printer {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Printer {
            verbosity,
            stdout_tty,
            stderr_tty,
            color_stdout: decide(stdout_tty),
            color_stderr: decide(stderr_tty),
            jq: None,
            prefix: None,
        }
    }

    /// This printer for one of many threads followed at once: every stderr line starts with
    /// `prefix` (the thread's id), and nothing is drawn live (the many-thread view draws).
    pub fn one_of_many(&self, prefix: &str) -> Printer {
        Printer {
            prefix: Some(Arc::from(prefix)),
            stderr_tty: false,
            ..self.clone()
        }
    }

    /// This printer with nothing on stderr but errors (as `-q`), data as before.
    pub fn quieted(&self) -> Printer {
        Printer {
            verbosity: Verbosity::Quiet,
            ..self.clone()
        }
    }

    /// Filters all data through `program` (see [`Printer::finish`]).
    pub fn with_jq(mut self, program: Option<JqProgram>) -> Printer {
        self.jq = program.map(|program| {
            Arc::new(JqOutput {
                program,
                pending: Mutex::new(Vec::new()),
            })
        });
        self
    }

    /// Prints what `--jq` still holds: a document written in pieces is filtered once whole.
    pub fn finish(&self) -> anyhow::Result<()> {
        let Some(jq) = &self.jq else {
            return Ok(());
        };
        let pending = std::mem::take(
            &mut *jq
                .pending
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        if pending.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        self.filtered(&jq.program, &pending)
    }

    /// With `--jq`: a whole document is filtered and printed at once; a piece is kept until
    /// [`Printer::finish`]. Returns false when there is no `--jq`.
    fn jq_data(&self, text: &[u8], whole: bool) -> anyhow::Result<bool> {
        let Some(jq) = &self.jq else {
            return Ok(false);
        };
        let mut pending = jq
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if whole && pending.is_empty() {
            drop(pending);
            self.filtered(&jq.program, text)?;
        } else {
            pending.extend_from_slice(text);
            if whole {
                pending.push(b'\n');
            }
        }
        Ok(true)
    }

    fn filtered(&self, program: &JqProgram, document: &[u8]) -> anyhow::Result<()> {
        let mut out = io::stdout().lock();
        for line in program.run(document)? {
            write_out(&mut out, line.as_bytes())?;
            write_out(&mut out, b"\n")?;
        }
        flush_out(&mut out)
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    pub fn stdout_is_tty(&self) -> bool {
        self.stdout_tty
    }

    /// Whether live progress (spinners, redrawn lines) may be drawn on stderr.
    pub fn progress_enabled(&self) -> bool {
        self.stderr_tty && self.verbosity > Verbosity::Quiet
    }

    /// Writes data to stdout as is, and flushes so a reader following a pipe sees it at once.
    pub fn data(&self, text: &str) -> anyhow::Result<()> {
        self.data_bytes(text.as_bytes())
    }

    pub fn data_line(&self, line: &str) -> anyhow::Result<()> {
        if self.jq_data(line.as_bytes(), true)? {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        write_out(&mut out, line.as_bytes())?;
        write_out(&mut out, b"\n")?;
        flush_out(&mut out)
    }

    pub fn data_bytes(&self, bytes: &[u8]) -> anyhow::Result<()> {
        if self.jq_data(bytes, false)? {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        if bytes.len() >= BULK_BYTES {
            // Past std's line buffer, which would scan every byte for a newline first.
            flush_out(&mut out)?;
            return write_out(&mut RawStdout, bytes);
        }
        write_out(&mut out, bytes)?;
        flush_out(&mut out)
    }

    /// A human status line on stderr (suppressed by `-q`).
    pub fn status(&self, message: &str) {
        if self.verbosity > Verbosity::Quiet {
            self.stderr_line(message);
        }
    }

    /// A warning on stderr (suppressed by `-q`).
    pub fn warn(&self, message: &str) {
        if self.verbosity > Verbosity::Quiet {
            let label = self.paint_stderr("warning", "33;1");
            self.stderr_line(&format!("{label}: {}", terminal_message(message)));
        }
    }

    /// A next step for the user on stderr (suppressed by `-q`).
    pub fn hint(&self, message: &str) {
        if self.verbosity > Verbosity::Quiet {
            let label = self.paint_stderr("hint", "36;1");
            self.stderr_line(&format!("{label}: {}", terminal_message(message)));
        }
    }

    /// Detail for `-v` only.
    pub fn verbose(&self, message: &str) {
        if self.verbosity >= Verbosity::Verbose {
            self.stderr_line(&self.paint_stderr(&terminal_message(message), "2"));
        }
    }

    /// An error is always shown, even with `-q`.
    pub fn error(&self, message: &str, hint: Option<&str>) {
        let label = self.paint_stderr("error", "31;1");
        self.stderr_line(&format!("{label}: {}", terminal_message(message)));
        if let Some(hint) = hint {
            let label = self.paint_stderr("hint", "36;1");
            self.stderr_line(&format!("{label}: {}", terminal_message(hint)));
        }
    }

    /// Wraps text in an SGR colour when colour is on for stderr.
    pub fn paint_stderr(&self, text: &str, sgr: &str) -> String {
        paint(self.color_stderr, text, sgr)
    }

    /// Wraps text in an SGR colour when colour is on for stdout.
    pub fn paint_stdout(&self, text: &str, sgr: &str) -> String {
        paint(self.color_stdout, text, sgr)
    }

    fn stderr_line(&self, line: &str) {
        // Nothing sensible remains to be done if stderr itself is gone.
        let _ = match &self.prefix {
            Some(prefix) => writeln!(io::stderr().lock(), "{prefix} {line}"),
            None => writeln!(io::stderr().lock(), "{line}"),
        };
    }
}

fn paint(enabled: bool, text: &str, sgr: &str) -> String {
    if enabled {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Writes this large go straight to the stdout descriptor (a streamed output's chunks).
const BULK_BYTES: usize = 64 * 1024;

/// File descriptor 1 without a buffer. Only written while the `Stdout` lock is held and its
/// buffer flushed, so bytes keep their order.
struct RawStdout;

impl Write for RawStdout {
    #[cfg(unix)]
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        use std::os::fd::FromRawFd;
        // SAFETY: descriptor 1 stays open for the life of the process (std reopens a closed one
        // on /dev/null at start-up); ManuallyDrop keeps this borrowed handle from closing it.
        let mut file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) });
        file.write(bytes)
    }

    #[cfg(not(unix))]
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        io::stdout().lock().write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn write_out(out: &mut impl Write, bytes: &[u8]) -> anyhow::Result<()> {
    out.write_all(bytes).map_err(pipe_error)
}

fn flush_out(out: &mut impl Write) -> anyhow::Result<()> {
    out.flush().map_err(pipe_error)
}

fn pipe_error(err: io::Error) -> anyhow::Error {
    if err.kind() == io::ErrorKind::BrokenPipe {
        anyhow::Error::new(ClosedPipe)
    } else {
        anyhow::Error::new(err).context("cannot write to stdout")
    }
}
