//! Server-sent text (names, errors, paths) and bytes (outputs) can carry terminal escape
//! sequences, and characters that reorder or hide what is shown. Anything shown on a terminal
//! goes through this module, whose one rule is [`escaped`]: every control character (C0, DEL, C1)
//! is shown as a visible escape (`\n`, `\t`, `\r`, else `\xNN`), so it can neither move the
//! cursor, recolour the screen nor retitle the window; and every invisible format character is
//! shown as `\u{NNNN}`, so text cannot be reordered or hidden ("Trojan Source", CVE-2021-42574).
//! JSON and YAML keep the text verbatim.
//!
//! The invisible characters escaped ([`is_invisible`]) are Unicode's format characters
//! (general category Cf: the bidirectional embeddings, overrides and isolates U+202A–202E and
//! U+2066–2069, the marks U+200E, U+200F and U+061C, zero-width space U+200B, word joiner and
//! invisible operators U+2060–2064, U+FEFF, soft hyphen, the tag characters U+E0000–E007F …) and
//! the line and paragraph separators U+2028 and U+2029, which terminals do not show as breaks.
//! The two joiners, U+200C and U+200D, are kept between two visible non-ASCII characters, where
//! emoji sequences (👨‍👩‍👧) and scripts (Persian, the Indic scripts) need them; anywhere else (in
//! ASCII text, at either end, beside a space) they can only hide something, and are escaped.
//! Combining marks and variation selectors are kept: they attach to the character before them and
//! cannot move text.
//!
//! - [`terminal_safe`]: a piece of text (a name, a path, one table cell or line). Everything is
//!   escaped, newline and tab too: a newline in a step name must not forge another row. Text
//!   longer than [`CELL_CHARS`] is cut, with a pointer to where it is shown whole.
//! - [`terminal_message`]: one line of ours on stderr (an error, a warning) that may quote server
//!   text: the same escapes, cut at [`MESSAGE_CHARS`].
//! - [`terminal_bytes`]: a whole document or payload echoed to a terminal (a thread output). The
//!   same rule, except that newline and tab are kept: they are the document's own layout (pretty
//!   JSON is lines and indentation), and they only advance the cursor, never rewrite or hide
//!   what is already shown (`\r` can, so it is escaped). Bytes that are not UTF-8 pass as they
//!   are. [`TerminalStream`] does the same for a document that arrives in chunks.

use std::borrow::Cow;
use std::fmt::Write;

/// The most characters of one piece of server text shown in a table cell or a line; the rest is
/// replaced by a pointer (`… (198.0 KiB more; -o json shows it all)`). Also what keeps a table's
/// layout linear: comfy-table wraps a cell wider than 65 535 columns word by word, re-measuring
/// the line for every word.
pub const CELL_CHARS: usize = 512;
/// The most characters of one of our own lines on stderr (an error, a warning).
pub const MESSAGE_CHARS: usize = 2048;

/// Invisible characters that can reorder or hide text: format characters (Cf) and the line and
/// paragraph separators. The joiners are judged apart ([`is_joiner`]).
pub fn is_invisible(ch: char) -> bool {
    matches!(
        ch as u32,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B
            | 0x200E..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE007F
    )
}

/// Zero-width non-joiner and joiner: kept only between two visible non-ASCII characters.
fn is_joiner(ch: char) -> bool {
    matches!(ch, '\u{200C}' | '\u{200D}')
}

/// A character a joiner may stand next to: visible and not ASCII (emoji, letters of scripts that
/// join).
fn joins(ch: Option<char>) -> bool {
    ch.is_some_and(|c| {
        !c.is_ascii() && !c.is_control() && !c.is_whitespace() && !is_invisible(c) && !is_joiner(c)
    })
}

/// What may need escaping, for a quick look before any copy is made.
fn needs_care(ch: char) -> bool {
    ch.is_control() || is_invisible(ch) || is_joiner(ch)
}

/// The one rule: how a character is shown. Newline and tab are kept when `keep_layout`.
fn push_char(
    out: &mut String,
    ch: char,
    prev: Option<char>,
    next: Option<char>,
    keep_layout: bool,
) {
    let shown_raw = if ch.is_control() {
        keep_layout && matches!(ch, '\n' | '\t')
    } else if is_joiner(ch) {
        joins(prev) && joins(next)
    } else {
        !is_invisible(ch)
    };
    if shown_raw {
        out.push(ch);
        return;
    }
    let _ = match ch {
        '\n' => write!(out, "\\n"),
        '\t' => write!(out, "\\t"),
        '\r' => write!(out, "\\r"),
        c if c.is_control() => write!(out, "\\x{:02x}", c as u32),
        c => write!(out, "\\u{{{:04x}}}", c as u32),
    };
}

/// `text` with every control and invisible character escaped; `prev` and `next` are the
/// characters around it (for the joiners at its ends).
fn escaped(text: &str, prev: Option<char>, next: Option<char>, keep_layout: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    let mut before = prev;
    while let Some(ch) = chars.next() {
        let after = chars.peek().copied().or(next);
        push_char(&mut out, ch, before, after, keep_layout);
        before = Some(ch);
    }
    out
}

/// Replaces every control and invisible character (newline and tab too) with a visible escape,
/// and cuts text longer than [`CELL_CHARS`] with a pointer to `-o json`, which shows it whole.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    safe_and_cut(text, CELL_CHARS, "; -o json shows it all")
}

/// [`terminal_safe`] for one of our own lines (an error, a warning), which may quote server text:
/// cut at [`MESSAGE_CHARS`].
pub fn terminal_message(text: &str) -> Cow<'_, str> {
    safe_and_cut(text, MESSAGE_CHARS, "")
}

fn safe_and_cut<'a>(text: &'a str, most: usize, pointer: &str) -> Cow<'a, str> {
    // Past `most` bytes there may be more than `most` characters: find where to cut.
    let cut = if text.len() > most {
        text.char_indices().nth(most).map(|(at, _)| at)
    } else {
        None
    };
    let shown = &text[..cut.unwrap_or(text.len())];
    let mut out = if shown.chars().any(needs_care) {
        Cow::Owned(escaped(shown, None, None, false))
    } else {
        Cow::Borrowed(shown)
    };
    if let Some(at) = cut {
        let rest = text.len() - at;
        let note = format!("… ({} more{pointer})", super::size(rest as i64));
        out.to_mut().push_str(&note);
    }
    out
}

/// [`terminal_safe`] for bytes echoed as a whole document: the same escapes, but newline and tab
/// are kept (see the module doc for why), and nothing is cut. Bytes that are not UTF-8 pass as
/// they are.
pub fn terminal_bytes(data: &[u8]) -> Vec<u8> {
    let mut stream = TerminalStream::default();
    let mut out = stream.push(data);
    out.extend(stream.finish());
    out
}

/// [`terminal_bytes`] for a document that arrives in chunks: a character split across two chunks,
/// and a joiner whose next character is in the next chunk, are held back until they can be
/// judged, so the bytes shown are exactly what [`terminal_bytes`] makes of the whole.
#[derive(Debug, Default)]
pub struct TerminalStream {
    /// Bytes held back from the last chunk.
    carry: Vec<u8>,
    /// The last character shown (`None` after bytes that are not UTF-8): a joiner's left side.
    prev: Option<char>,
}

impl TerminalStream {
    /// The safe bytes for `data`, less what must wait for the next chunk.
    pub fn push(&mut self, data: &[u8]) -> Vec<u8> {
        let mut input = std::mem::take(&mut self.carry);
        input.extend_from_slice(data);
        let keep = hold_back(&input);
        self.carry = input.split_off(input.len() - keep);
        self.render(&input)
    }

    /// What was held back, now that no more is coming.
    pub fn finish(&mut self) -> Vec<u8> {
        let input = std::mem::take(&mut self.carry);
        self.render(&input)
    }

    fn render(&mut self, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len());
        // Each chunk is a valid run, then the bytes that are not UTF-8 after it (if any). A
        // joiner never ends a run here unless such bytes, or the end, follow it: `push` holds
        // back trailing joiners until their right side is known.
        for chunk in input.utf8_chunks() {
            let valid = chunk.valid();
            if !valid.is_empty() {
                out.extend_from_slice(escaped(valid, self.prev, None, true).as_bytes());
                self.prev = valid.chars().next_back();
            }
            if !chunk.invalid().is_empty() {
                out.extend_from_slice(chunk.invalid());
                self.prev = None;
            }
        }
        out
    }
}

/// How many trailing bytes of `data` a chunked reader must hold back: an unfinished UTF-8
/// sequence, and the joiners before it that still wait for their right side.
fn hold_back(data: &[u8]) -> usize {
    let mut keep = unfinished_tail(data);
    let mut end = data.len() - keep;
    // U+200C and U+200D are E2 80 8C and E2 80 8D.
    while let Some(start) = end.checked_sub(3) {
        if !matches!(&data[start..end], [0xE2, 0x80, 0x8C | 0x8D]) {
            break;
        }
        keep += 3;
        end = start;
    }
    keep
}

/// The length of an unfinished (so far valid) UTF-8 sequence at the end of `data`.
fn unfinished_tail(data: &[u8]) -> usize {
    for back in 1..=3.min(data.len()) {
        let byte = data[data.len() - back];
        if byte & 0xC0 == 0x80 {
            continue;
        }
        let wanted = match byte {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return 0,
        };
        let tail = &data[data.len() - back..];
        let prefix_ok = std::str::from_utf8(tail)
            .err()
            .is_some_and(|e| e.valid_up_to() == 0 && e.error_len().is_none());
        return if back < wanted && prefix_ok { back } else { 0 };
    }
    0
}

/// Server text as one word of a shell command we suggest (a hint such as `dodil … --step PATH`):
/// kept as is when it is made of safe characters, else single-quoted, so pasting the hint can
/// never run what a hostile server put in a step path. Escaped as [`terminal_safe`] does, never
/// cut (a cut word would be another command).
pub fn shell_word(text: &str) -> Cow<'_, str> {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/:=@%+,-".contains(c));
    if plain {
        return Cow::Borrowed(text);
    }
    let quoted = format!("'{}'", text.replace('\'', r"'\''"));
    Cow::Owned(escaped(&quoted, None, None, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_unless_plain() {
        assert_eq!(shell_word("1.0.2"), "1.0.2");
        assert_eq!(shell_word("../../etc"), "../../etc");
        assert_eq!(shell_word("2; touch pwned"), "'2; touch pwned'");
        assert_eq!(shell_word("$(id)"), "'$(id)'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("\x1b[31m"), "'\\x1b[31m'");
        assert_eq!(shell_word("a\u{202e}b"), "'a\\u{202e}b'");
        let long = "9".repeat(CELL_CHARS * 2) + ";";
        assert_eq!(shell_word(&long).len(), long.len() + 2, "never cut");
    }

    /// Text made of the characters this module cares about, and some it must leave alone.
    macro_rules! tricky {
        () => {
            "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}a\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{200b}-\\u{200f}\\u{2060}\\u{feff}\\u{ad}\\u{e0041}\\u{2028}é😀🚀 \\u{301}\\u{fe0f}]{0,24}"
        };
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// One rule for text and bytes: they differ only in keeping newline and tab.
        #[test]
        fn bytes_and_text_escape_alike(text in concat!("\\PC{0,40}|.{0,40}|", tricky!())) {
            let bytes = terminal_bytes(text.as_bytes());
            let expected = terminal_safe(&text).replace("\\n", "\n").replace("\\t", "\t");
            // A literal backslash-n in the text stays one, so compare without that case.
            if !text.contains('\\') && text.chars().count() <= CELL_CHARS {
                proptest::prop_assert_eq!(String::from_utf8(bytes).unwrap(), expected);
            }
        }

        /// Nothing that can drive, reorder or hide text survives: no control character, no
        /// format character, and a joiner only between two visible non-ASCII characters.
        #[test]
        fn nothing_invisible_survives(text in concat!("\\PC{0,40}|.{0,40}|", tricky!())) {
            let safe = terminal_safe(&text);
            let chars: Vec<char> = safe.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                proptest::prop_assert!(!c.is_control() && !is_invisible(c), "{:?} in {:?}", c, safe);
                if is_joiner(c) {
                    let prev = i.checked_sub(1).map(|p| chars[p]);
                    proptest::prop_assert!(joins(prev) && joins(chars.get(i + 1).copied()), "{:?}", safe);
                }
            }
        }

        /// Fed in chunks, split anywhere (inside a character, after a joiner), the bytes shown are
        /// those of the whole.
        #[test]
        fn chunks_show_what_the_whole_shows(
            text in concat!("\\PC{0,30}|", tricky!()),
            junk in proptest::collection::vec(proptest::num::u8::ANY, 0..4),
            cuts in proptest::collection::vec(0usize..200, 0..4),
        ) {
            let mut data = text.into_bytes();
            data.extend(junk);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (data.len() + 1)).collect();
            cuts.sort_unstable();
            let mut stream = TerminalStream::default();
            let mut shown = Vec::new();
            let mut from = 0;
            for cut in cuts {
                shown.extend(stream.push(&data[from..cut]));
                from = cut;
            }
            shown.extend(stream.push(&data[from..]));
            shown.extend(stream.finish());
            proptest::prop_assert_eq!(shown, terminal_bytes(&data));
        }

        /// Whatever the text, the result has no control characters, and once unquoted by
        /// POSIX single-quote rules (when quoted) gives back the terminal-safe text.
        #[test]
        fn shell_word_is_one_safe_word(text in "\\PC{0,30}|.{0,30}") {
            let word = shell_word(&text);
            proptest::prop_assert!(!word.chars().any(char::is_control));
            if word.starts_with('\'') {
                let inner = &word[1..word.len() - 1];
                let unquoted = inner.replace(r"'\''", "'");
                proptest::prop_assert!(!inner.replace(r"'\''", "").contains('\''));
                proptest::prop_assert_eq!(unquoted, terminal_safe(&text).into_owned());
            } else {
                proptest::prop_assert_eq!(word.as_ref(), text.as_str());
            }
        }
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(terminal_safe("plain"), "plain");
        assert_eq!(terminal_safe("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
        assert_eq!(terminal_safe("a\u{9b}b\u{7f}"), "a\\x9bb\\x7f");
        assert_eq!(terminal_safe("line\nbreak\0"), "line\\nbreak\\x00");
    }

    #[test]
    fn escapes_what_reorders_or_hides_text() {
        // The Trojan Source line: an override makes `admin` read backwards.
        assert_eq!(
            terminal_safe("access\u{202e}nimda\u{202c}"),
            "access\\u{202e}nimda\\u{202c}"
        );
        for (text, shown) in [
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
            (
                "a\u{200e}b\u{200f}c\u{61c}",
                "a\\u{200e}b\\u{200f}c\\u{061c}",
            ),
            ("zero\u{200b}width", "zero\\u{200b}width"),
            ("\u{feff}bom", "\\u{feff}bom"),
            ("soft\u{ad}hyphen", "soft\\u{00ad}hyphen"),
            ("tag\u{e0041}", "tag\\u{e0041}"),
            ("line\u{2028}sep", "line\\u{2028}sep"),
            // Joiners in ASCII text hide, at the ends or beside a space too.
            ("dep\u{200d}loy", "dep\\u{200d}loy"),
            ("\u{200d}😀", "\\u{200d}😀"),
            ("😀 \u{200c}é", "😀 \\u{200c}é"),
        ] {
            assert_eq!(terminal_safe(text), shown, "{text:?}");
        }
        // Kept: emoji sequences, the joiners of scripts, marks and variation selectors, RTL text.
        for text in [
            "👨\u{200d}👩\u{200d}👧",
            "می\u{200c}خواهم",
            "e\u{301}\u{301}",
            "❤\u{fe0f}",
            "שלום",
            "日本語",
        ] {
            assert_eq!(terminal_safe(text), text);
        }
    }

    #[test]
    fn long_text_is_cut_with_a_pointer() {
        let error = "boom ".repeat(40_000);
        let shown = terminal_safe(&error);
        assert!(shown.starts_with("boom boom"));
        assert!(
            shown.ends_with("… (194.8 KiB more; -o json shows it all)"),
            "{}",
            &shown[shown.len() - 60..]
        );
        assert_eq!(shown.chars().count(), CELL_CHARS + 40);
        // Characters, not bytes: 512 CJK characters are not cut.
        let cjk = "語".repeat(CELL_CHARS);
        assert_eq!(terminal_safe(&cjk), cjk);
        assert!(terminal_safe(&format!("{cjk}語")).ends_with("(3 B more; -o json shows it all)"));
        let long = "x".repeat(MESSAGE_CHARS + 10);
        let message = terminal_message(&long);
        assert!(message.ends_with("x… (10 B more)"), "{message}");
    }

    #[test]
    fn terminal_bytes_keeps_layout_and_escapes_the_rest() {
        assert_eq!(terminal_bytes(b"{\"a\": 1}\n\t"), b"{\"a\": 1}\n\t");
        assert_eq!(terminal_bytes(b"\x1b[31m"), b"\\x1b[31m");
        assert_eq!(
            terminal_bytes("\u{9b}2J \u{e9}".as_bytes()),
            "\\x9b2J \u{e9}".as_bytes()
        );
        // Carriage return as terminal_safe shows it (it was `\x0d` here before).
        assert_eq!(terminal_bytes(b"\x7f\r"), b"\\x7f\\r");
        assert_eq!(terminal_bytes(b"\xff\xc2"), b"\xff\xc2");
        assert_eq!(
            terminal_bytes("\"\u{202e}\"".as_bytes()),
            b"\"\\u{202e}\"".as_slice()
        );
        // A long document is never cut.
        let long = vec![b'a'; CELL_CHARS * 3];
        assert_eq!(terminal_bytes(&long), long);
    }

    #[test]
    fn chunks_hold_back_split_characters_and_joiners() {
        let mut stream = TerminalStream::default();
        let override_ = "\u{202e}".as_bytes();
        assert_eq!(stream.push(&override_[..2]), b"");
        assert_eq!(stream.push(&override_[2..]), b"\\u{202e}");
        assert_eq!(stream.push("😀\u{200d}".as_bytes()), "😀".as_bytes());
        assert_eq!(stream.push("👩".as_bytes()), "\u{200d}👩".as_bytes());
        assert_eq!(stream.push("\u{200d}".as_bytes()), b"");
        assert_eq!(stream.finish(), b"\\u{200d}");
    }
}
