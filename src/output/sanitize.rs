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

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn escapes_control_characters() {
        assert_eq!(terminal_safe("plain"), "plain");
        assert_eq!(terminal_safe("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
        assert_eq!(terminal_safe("a\u{9b}b\u{7f}"), "a\\x9bb\\x7f");
        assert_eq!(terminal_safe("line\nbreak\0"), "line\\nbreak\\x00");
    }
}
