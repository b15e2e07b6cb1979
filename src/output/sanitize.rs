//! Server-sent text (names, errors, paths) and bytes (outputs) can carry terminal escape
//! sequences. Anything shown on a terminal goes through this module, whose one rule is
//! [`push_escape`]: every control character (C0, DEL, C1) is shown as a visible escape (`\n`,
//! `\t`, `\r`, else `\xNN`), so it can neither move the cursor, recolour the screen nor retitle
//! the window. JSON keeps the text verbatim.
//!
//! - [`terminal_safe`]: a piece of text (a name, a path, one table cell or line). Everything is
//!   escaped, newline and tab too: a newline in a step name must not forge another row.
//! - [`terminal_bytes`]: a whole document or payload echoed to a terminal (a thread output). The
//!   same rule, except that newline and tab are kept: they are the document's own layout (pretty
//!   JSON is lines and indentation), and they only advance the cursor, never rewrite or hide
//!   what is already shown (`\r` can, so it is escaped). Bytes that are not UTF-8 pass as they
//!   are; a C1 control is caught in its UTF-8 form (0xC2 0x80..0x9F).

use std::borrow::Cow;
use std::fmt::Write;

/// The one rule: how a control character is shown.
fn push_escape(out: &mut String, code: u32) {
    match code {
        0x0a => out.push_str("\\n"),
        0x09 => out.push_str("\\t"),
        0x0d => out.push_str("\\r"),
        c => {
            let _ = write!(out, "\\x{c:02x}");
        }
    }
}

/// Replaces every control character (C0, DEL, C1; newline and tab too) with a visible escape.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        if ch.is_control() {
            push_escape(&mut safe, ch as u32);
        } else {
            safe.push(ch);
        }
    }
    Cow::Owned(safe)
}

/// [`terminal_safe`] for bytes echoed as a whole document: the same escapes, but newline and tab
/// are kept (see the module doc for why). A trailing 0xC2 is passed as is; a caller feeding
/// chunks holds it back until the next byte is known.
pub fn terminal_bytes(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut escape = String::new();
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        let code = if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f {
            Some(u32::from(b))
        } else if b == 0xC2 && i + 1 < data.len() && (0x80..=0x9f).contains(&data[i + 1]) {
            i += 1;
            Some(u32::from(data[i]))
        } else {
            None
        };
        match code {
            Some(code) => {
                escape.clear();
                push_escape(&mut escape, code);
                out.extend_from_slice(escape.as_bytes());
            }
            None => out.push(b),
        }
        i += 1;
    }
    out
}

/// Server text as one word of a shell command we suggest (a hint such as `dodil … --step PATH`):
/// kept as is when it is made of safe characters, else single-quoted, so pasting the hint can
/// never run what a hostile server put in a step path. Also [`terminal_safe`].
pub fn shell_word(text: &str) -> Cow<'_, str> {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/:=@%+,-".contains(c));
    if plain {
        return Cow::Borrowed(text);
    }
    let quoted = format!("'{}'", text.replace('\'', r"'\''"));
    Cow::Owned(terminal_safe(&quoted).into_owned())
}

#[cfg(test)]
mod tests {
    use super::{shell_word, terminal_bytes, terminal_safe};

    #[test]
    fn shell_words_are_quoted_unless_plain() {
        assert_eq!(shell_word("1.0.2"), "1.0.2");
        assert_eq!(shell_word("../../etc"), "../../etc");
        assert_eq!(shell_word("2; touch pwned"), "'2; touch pwned'");
        assert_eq!(shell_word("$(id)"), "'$(id)'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("\x1b[31m"), "'\\x1b[31m'");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// One rule for text and bytes: they differ only in keeping newline and tab.
        #[test]
        fn bytes_and_text_escape_alike(text in "\\PC{0,40}|.{0,40}|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}a]{0,20}") {
            let bytes = terminal_bytes(text.as_bytes());
            let expected = terminal_safe(&text).replace("\\n", "\n").replace("\\t", "\t");
            // A literal backslash-n in the text stays one, so compare without that case.
            if !text.contains('\\') {
                proptest::prop_assert_eq!(String::from_utf8(bytes).unwrap(), expected);
            }
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
    }
}
