//! Server-sent text (names, errors, paths) can carry terminal escape sequences. Anything shown on a
//! terminal or in plain lines goes through [`terminal_safe`]; JSON keeps the text verbatim.

use std::borrow::Cow;
use std::fmt::Write;

/// Replaces control characters (C0, DEL, C1) with visible escapes such as `\x1b`, so text can
/// neither move the cursor, recolour the screen nor retitle the window.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' => safe.push_str("\\n"),
            '\t' => safe.push_str("\\t"),
            '\r' => safe.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(safe, "\\x{:02x}", c as u32);
            }
            c => safe.push(c),
        }
    }
    Cow::Owned(safe)
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
    use super::{shell_word, terminal_safe};

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
}
