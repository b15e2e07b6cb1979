//! Where live displays draw: stderr, for indicatif, with two changes that keep the screen clean
//! when the user presses Ctrl-C or resizes the terminal.
//!
//! indicatif pads every line it draws with spaces to the terminal's full width and lets the
//! terminal wrap to the next line, which leaves the cursor in the last column: the `^C` a
//! terminal echoes then wraps onto a new line, and the clearing that follows clears that line
//! instead of the display, leaving a stale copy behind; a terminal made narrower rewraps the
//! padded lines the same way. [`StderrTerm`] writes the padding as a line break instead (before
//! the next line; none after the last, so the cursor stays just after the text), and [`fit`]
//! keeps a line short of the last columns. (indicatif clears each line before drawing it, so the
//! padding is not needed to overwrite what was there.) A terminal made narrower than a line
//! still rewraps it onto more rows than indicatif counts: [`StderrTerm`] remembers the widths
//! of what it drew and clears the extra rows before the next draw.

use std::io;
use std::sync::Mutex;

use console::Term;
use indicatif::{ProgressDrawTarget, TermLike};

/// Columns left free at the end of a line: room for an echoed `^C`.
const MARGIN: usize = 3;

/// Redraws per second at most.
const REFRESH_HZ: u8 = 20;

/// A draw target on stderr without the padding to the full width.
pub fn stderr_target() -> ProgressDrawTarget {
    let term = StderrTerm {
        term: Term::buffered_stderr(),
        state: Mutex::new(Drawing::default()),
    };
    ProgressDrawTarget::term_like_with_hz(Box::new(term), REFRESH_HZ)
}

/// The terminal's width in columns (80 when it cannot be asked).
pub fn width() -> usize {
    match Term::stderr().size_checked() {
        Some((_, cols)) if cols > 0 => cols as usize,
        _ => 80,
    }
}

/// Stdout's width in columns, when it is a terminal (80 when it cannot be asked).
pub fn stdout_width() -> usize {
    match Term::stdout().size_checked() {
        Some((_, cols)) if cols > 0 => cols as usize,
        _ => 80,
    }
}

/// `line` cut to fit the terminal with [`MARGIN`] columns to spare, ending in `…` when cut.
/// `line` holds no colour codes (each character is one column, as for our own text).
pub fn fit(line: &str, width: usize) -> String {
    let room = width.saturating_sub(MARGIN).max(10);
    if line.chars().count() <= room {
        return line.to_string();
    }
    let mut cut: String = line.chars().take(room - 1).collect();
    cut.push('…');
    cut
}

#[derive(Debug)]
struct StderrTerm {
    term: Term,
    state: Mutex<Drawing>,
}

/// What the last draws put on the screen, as far as a resize needs to know.
#[derive(Debug, Default)]
struct Drawing {
    /// A line was drawn and padded: the next text goes on a new line.
    line_ended: bool,
    /// The width of the line being written.
    width: usize,
    /// The widths of the lines drawn since the last flush.
    lines: Vec<usize>,
    /// The widths of the lines the last draw left, and the terminal's width then.
    previous: Vec<usize>,
    previous_columns: usize,
    /// Flushed: the next call begins a draw.
    at_start: bool,
}

/// Rows a line of `width` columns takes on a terminal `columns` wide.
fn rows(width: usize, columns: usize) -> usize {
    width.max(1).div_ceil(columns.max(1))
}

impl StderrTerm {
    fn drawing(&self) -> std::sync::MutexGuard<'_, Drawing> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Anything but more text: the cursor stays where the last line ended.
    fn settle(&self) {
        let mut drawing = self.drawing();
        drawing.line_ended = false;
        drawing.at_start = false;
    }

    fn columns(&self) -> usize {
        self.term.size().1 as usize
    }
}

impl TermLike for StderrTerm {
    fn width(&self) -> u16 {
        self.term.size().1
    }

    fn height(&self) -> u16 {
        self.term.size().0
    }

    /// A draw begins by going up to the region's first line (`n` lines up, by indicatif's
    /// count). If the terminal has since become narrower, it has rewrapped the region's lines
    /// onto more rows than that: those rows are cleared too, so none is left stale.
    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        let mut drawing = self.drawing();
        let start = std::mem::take(&mut drawing.at_start);
        drawing.line_ended = false;
        let region = &drawing.previous[drawing.previous.len().saturating_sub(n + 1)..];
        let (then, now) = (drawing.previous_columns, self.columns());
        let extra = if start && now < then {
            let before: usize = region.iter().map(|w| rows(*w, then)).sum();
            let after: usize = region.iter().map(|w| rows(*w, now)).sum();
            after.saturating_sub(before)
        } else {
            0
        };
        drop(drawing);
        if extra == 0 {
            return self.term.move_cursor_up(n);
        }
        // Up to the first row the region now takes, clear every one of its rows, and back up:
        // indicatif's own clearing and drawing then start from there.
        let all = n + extra;
        self.term.move_cursor_up(all)?;
        for row in 0..=all {
            self.term.clear_line()?;
            if row < all {
                self.term.move_cursor_down(1)?;
            }
        }
        self.term.move_cursor_up(all)
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.settle();
        self.term.move_cursor_down(n)
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.settle();
        self.term.move_cursor_right(n)
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.settle();
        self.term.move_cursor_left(n)
    }

    fn write_line(&self, s: &str) -> io::Result<()> {
        self.settle();
        self.term.write_line(s)
    }

    /// indicatif writes each line, then the spaces that take it to the last column (none when
    /// it fills the width): those become a line break, written only when more text follows.
    fn write_str(&self, s: &str) -> io::Result<()> {
        let mut drawing = self.drawing();
        drawing.at_start = false;
        if s.bytes().all(|b| b == b' ') && (drawing.width > 0 || !s.is_empty()) {
            let width = std::mem::take(&mut drawing.width);
            drawing.lines.push(width);
            // A line that filled the width wraps by itself.
            drawing.line_ended = !s.is_empty();
            return Ok(());
        }
        if std::mem::take(&mut drawing.line_ended) {
            self.term.write_str("\r\n")?;
        }
        drawing.width += console::measure_text_width(s);
        self.term.write_str(s)
    }

    fn clear_line(&self) -> io::Result<()> {
        self.settle();
        self.term.clear_line()
    }

    fn flush(&self) -> io::Result<()> {
        let mut drawing = self.drawing();
        let lines = std::mem::take(&mut drawing.lines);
        if !lines.is_empty() {
            drawing.previous = lines;
            drawing.previous_columns = self.columns();
        }
        drawing.line_ended = false;
        drawing.at_start = true;
        drop(drawing);
        self.term.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_clear_of_the_last_columns() {
        assert_eq!(fit("short", 80), "short");
        let long = "x".repeat(200);
        let cut = fit(&long, 80);
        assert_eq!(cut.chars().count(), 77);
        assert!(cut.ends_with('…'));
    }
}
