//! [`Run`]: what one command did, shown whole when an assertion about it fails.

use std::fmt;

use serde_json::Value;

/// One finished command: its exit code and both streams. `Display` prints them in labelled
/// sections, so `assert!(cond, "{run}")` shows everything the command said.
pub struct Run {
    /// The command as typed, e.g. `dodil scriptum thread get thr_x`.
    pub command: String,
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    /// stdout, decoded lossily (see [`Run::stdout_bytes`] for the bytes).
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
}

impl Run {
    pub fn new(command: String, out: std::process::Output) -> Run {
        Run {
            command,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            stdout_bytes: out.stdout,
        }
    }

    /// The exit code; fails when a signal ended the process.
    #[track_caller]
    pub fn code(&self) -> i32 {
        match self.code {
            Some(code) => code,
            None => panic!("ended by a signal, no exit code\n{self}"),
        }
    }

    /// Exit 0.
    #[track_caller]
    pub fn success(&self) -> &Run {
        self.code_is(0)
    }

    /// Exactly this exit code (the contract fixes one for every outcome).
    #[track_caller]
    pub fn code_is(&self, code: i32) -> &Run {
        assert!(
            self.code == Some(code),
            "expected exit {code}, got {:?}\n{self}",
            self.code
        );
        self
    }

    /// stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "no {needle:?} on stdout\n{self}"
        );
        self
    }

    /// stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "no {needle:?} on stderr\n{self}"
        );
        self
    }

    /// stderr does not contain `needle`.
    #[track_caller]
    pub fn stderr_lacks(&self, needle: &str) -> &Run {
        assert!(
            !self.stderr.contains(needle),
            "{needle:?} on stderr\n{self}"
        );
        self
    }

    /// stdout as one JSON document.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout_bytes)
            .unwrap_or_else(|err| panic!("stdout is not one JSON document ({err})\n{self}"))
    }

    /// stdout as one JSON document a line.
    #[track_caller]
    pub fn jsonl(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|err| {
                    panic!("stdout line {line:?} is not JSON ({err})\n{self}")
                })
            })
            .collect()
    }

    /// stdout as YAML.
    #[track_caller]
    pub fn yaml(&self) -> serde_yaml::Value {
        serde_yaml::from_slice(&self.stdout_bytes)
            .unwrap_or_else(|err| panic!("stdout is not YAML ({err})\n{self}"))
    }

    pub fn stdout_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }

    /// The first thread id on stderr (`run` announces the one it created there).
    #[track_caller]
    pub fn thread_id(&self) -> String {
        first_thread_id(&self.stderr).unwrap_or_else(|| panic!("no thread id on stderr\n{self}"))
    }
}

/// The first `thr_...` word in `text`.
pub fn first_thread_id(text: &str) -> Option<String> {
    let at = text.find("thr_")?;
    Some(
        text[at..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default()
            .to_string(),
    )
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = match self.code {
            Some(code) => code.to_string(),
            None => "none (ended by a signal)".into(),
        };
        writeln!(f, "$ {}", self.command)?;
        writeln!(f, "exit: {code}")?;
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            writeln!(f, "----- {name} -----")?;
            // Big outputs (a result of megabytes) are cut: the message must stay readable.
            const MAX: usize = 8 * 1024;
            if text.len() > MAX {
                let cut = (0..=MAX).rev().find(|i| text.is_char_boundary(*i)).unwrap();
                writeln!(f, "{}", &text[..cut])?;
                writeln!(f, "[… {} more bytes]", text.len() - cut)?;
            } else {
                write!(f, "{text}")?;
                if !text.is_empty() && !text.ends_with('\n') {
                    writeln!(f)?;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
