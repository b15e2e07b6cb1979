//! What a snapshot shows of a [`Run`]: the command, the exit code and both streams, with every
//! part that changes from run to run replaced by a stable placeholder.
//!
//! Placeholders: `[TMP]` (a temp dir), `[THREAD_1]`, `[THREAD_2]`… (thread ids, numbered in
//! order of appearance), `[EXEC_ID]`, `[PORT]`, `[SHA256]`, `YYYY-MM-DD HH:MM:SS` and
//! `HH:MM:SS.mmm` (as wide as what they replace), `[AGE]` (`5s ago`), `[DUR]` (`850ms`, `4.2s`,
//! `3m 04s`, `2h 05m`; but `0ms`, a step that never ran, stays), `[EPOCH_MS]`, `[SIZE]`; and
//! `#` for the digits of a saved file's size when the file holds timings (`step.json`,
//! `summary.json`).
//!
//! A placeholder in a table column keeps the column's width: when the original value was
//! followed by two or more spaces and more text, the padding is adjusted, so a table whose
//! durations went from `9ms` to `12ms` looks the same, and a misaligned table still shows.
//! (Indentation after a timestamp is kept as it is: those placeholders are as wide as a time.)

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::Run;

/// The snapshot text of a run: `$ command`, `exit: N`, then stdout and stderr in sections,
/// redacted. An output that does not end with a newline says so.
pub fn snapshot(run: &Run) -> String {
    let code = match run.code {
        Some(code) => code.to_string(),
        None => "none (ended by a signal)".into(),
    };
    let mut text = format!("$ {}\nexit: {code}\n", run.command);
    for (name, body) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        text.push_str(&format!("----- {name} -----\n"));
        text.push_str(body);
        if !body.is_empty() && !body.ends_with('\n') {
            text.push_str("\n[no newline at the end]\n");
        }
    }
    redact(&text)
}

static TEMP_DIR: LazyLock<Regex> = LazyLock::new(|| {
    let base = std::env::temp_dir();
    let base = regex::escape(base.to_string_lossy().trim_end_matches('/'));
    Regex::new(&format!(r"{base}/\.tmp[A-Za-z0-9]{{6,}}")).unwrap()
});

/// One rule: what to find, and what to put there.
struct Rule {
    find: Regex,
    with: &'static str,
}

fn rule(find: &str, with: &'static str) -> Rule {
    Rule {
        find: Regex::new(find).unwrap(),
        with,
    }
}

/// In order: a later rule sees the earlier ones' placeholders.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(r"\breq_[0-9a-f]{16}\b", "[REQUEST_ID]"),
        rule(r"\bexe_[0-9a-f]{16}\b", "[EXEC_ID]"),
        rule(r"\b(127\.0\.0\.1|localhost):\d{1,5}\b", "$1:[PORT]"),
        rule(r"\b[0-9a-f]{64}\b", "[SHA256]"),
        rule(r"\b1\d{12}\b", "[EPOCH_MS]"),
        rule(
            r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\b",
            "YYYY-MM-DD HH:MM:SS",
        ),
        rule(r"\b\d{2}:\d{2}:\d{2}\.\d{3}\b", "HH:MM:SS.mmm"),
        rule(r"\b\d+[smhd] ago\b", "[AGE]"),
        rule(
            r"\b(?:\d+h \d{2}m|\d+m \d{2}s|[1-9]\d*(?:\.\d+)?ms|0\.\d+ms|\d+\.\d+s)\b",
            "[DUR]",
        ),
        // The total of a files list (it includes the files that hold timings).
        rule(
            r"\bsaved (\d+) files \([\d.]+ [KMG]?i?B\)",
            "saved $1 files ([SIZE])",
        ),
    ]
});

/// Files whose size moves with the timings they hold.
static TIMED_FILE_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^(\s+\S*(?:step|summary)\.json\s+)([\d.]+)( [KMG]?i?B)$").unwrap()
});

static THREAD_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bthr_[a-z0-9]{20}\b").unwrap());

/// Replaces what changes from run to run (see the module doc).
pub fn redact(text: &str) -> String {
    let mut text = TEMP_DIR.replace_all(text, "[TMP]").into_owned();
    let mut ids: HashMap<String, usize> = HashMap::new();
    text = replace_in_columns(&text, &THREAD_ID, |caps| {
        let next = ids.len() + 1;
        let n = *ids.entry(caps[0].to_string()).or_insert(next);
        format!("[THREAD_{n}]")
    });
    for rule in RULES.iter() {
        text = replace_in_columns(&text, &rule.find, |caps| {
            let mut out = String::new();
            caps.expand(rule.with, &mut out);
            out
        });
    }
    TIMED_FILE_SIZE
        .replace_all(&text, |caps: &Captures| {
            let mask: String = caps[2]
                .chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            format!("{}{mask}{}", &caps[1], &caps[3])
        })
        .into_owned()
}

/// `find` → `with(..)` everywhere; where a match was padded to a column (two or more spaces,
/// then more text on the line), the padding is adjusted so the next column stays where it was.
fn replace_in_columns(
    text: &str,
    find: &Regex,
    mut with: impl FnMut(&Captures) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for caps in find.captures_iter(text) {
        let found = caps.get(0).unwrap();
        if found.start() < done {
            continue;
        }
        out.push_str(&text[done..found.start()]);
        let new = with(&caps);
        out.push_str(&new);
        let rest = &text[found.end()..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let more = !matches!(rest[spaces..].chars().next(), None | Some('\n'));
        if spaces >= 2 && more {
            let width = found.as_str().chars().count() + spaces;
            let pad = width.saturating_sub(new.chars().count()).max(2);
            out.extend(std::iter::repeat_n(' ', pad));
            done = found.end() + spaces;
        } else {
            done = found.end();
        }
    }
    out.push_str(&text[done..]);
    out
}

#[test]
fn redaction_keeps_columns_and_numbers_ids() {
    let table = "\
ID                        DURATION  STEP
thr_aaaaaaaaaaaaaaaaaaaa  9ms       1 greet
thr_bbbbbbbbbbbbbbbbbbbb  12ms      2 format
";
    assert_eq!(
        redact(table),
        "\
ID                        DURATION  STEP
[THREAD_1]                [DUR]     1 greet
[THREAD_2]                [DUR]     2 format
"
    );
    assert_eq!(
        redact("thread thr_aaaaaaaaaaaaaaaaaaaa: 3m 04s, 4.2s, 850ms, 0.8ms, 0ms · 5s ago"),
        "thread [THREAD_1]: [DUR], [DUR], [DUR], [DUR], 0ms · [AGE]"
    );
    assert_eq!(
        redact("10:40:01.123     ▸ 1.0.1 fetch (execute http.get) 7ms\n"),
        "HH:MM:SS.mmm     ▸ 1.0.1 fetch (execute http.get) [DUR]\n"
    );
    assert_eq!(
        redact("  output.json      36 B\n  steps/1/step.json 616 B\n  summary.json  2.3 KiB\n"),
        "  output.json      36 B\n  steps/1/step.json ### B\n  summary.json  #.# KiB\n"
    );
    assert_eq!(
        redact("http://127.0.0.1:45123/x 2026-12-01 21:42:29 UTC"),
        "http://127.0.0.1:[PORT]/x YYYY-MM-DD HH:MM:SS UTC"
    );
}
