//! Every command line we suggest to the user, in one place, each word from the server quoted for
//! a shell ([`shell_word`]): pasting a hint can never run what a hostile server put in an id or a
//! step path. Placeholders (`DIR`) and flags are ours and stay as they are.

use std::fmt;

use super::shell_word;

/// A `dodil …` command line being put together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandLine(String);

impl CommandLine {
    /// `dodil scriptum thread VERB`.
    fn thread(verb: &str) -> CommandLine {
        CommandLine(format!("dodil scriptum thread {verb}"))
    }

    /// A word that came from the server or the user: quoted as a shell needs it.
    fn word(mut self, text: &str) -> CommandLine {
        self.0.push(' ');
        self.0.push_str(&shell_word(text));
        self
    }

    /// Our own flags and placeholders, verbatim.
    fn literal(mut self, text: &str) -> CommandLine {
        self.0.push(' ');
        self.0.push_str(text);
        self
    }
}

impl fmt::Display for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn list() -> CommandLine {
    CommandLine::thread("list")
}

pub fn watch(thread_id: &str) -> CommandLine {
    CommandLine::thread("watch").word(thread_id)
}

pub fn watch_step(thread_id: &str, step_path: &str) -> CommandLine {
    watch(thread_id).literal("--step").word(step_path)
}

pub fn resume(thread_id: &str) -> CommandLine {
    CommandLine::thread("resume").word(thread_id)
}

/// Resuming a paused thread with its answer, following it on.
pub fn resume_watch(thread_id: &str) -> CommandLine {
    resume(thread_id).literal("--input JSON --watch")
}

/// The hint after a pause: how to go on.
pub fn resume_hint(thread_id: &str) -> String {
    format!(
        "resume it (JSON: the paused step's input, if it wants one) and follow it on: {}",
        resume_watch(thread_id)
    )
}

pub fn steps(thread_id: &str) -> CommandLine {
    CommandLine::thread("steps").word(thread_id)
}

/// Every step's input and output as files.
pub fn steps_save(thread_id: &str) -> CommandLine {
    steps(thread_id).literal("--save DIR")
}

pub fn step(thread_id: &str, step_path: &str) -> CommandLine {
    steps(thread_id).literal("--step").word(step_path)
}

/// One step's full input and output as files.
pub fn step_save(thread_id: &str, step_path: &str) -> CommandLine {
    step(thread_id, step_path).literal("--save DIR")
}

pub fn result_wait(thread_id: &str) -> CommandLine {
    CommandLine::thread("result")
        .word(thread_id)
        .literal("--wait")
}

/// The whole output into a file, by the shell.
pub fn result_to_file(thread_id: &str) -> CommandLine {
    CommandLine::thread("result")
        .word(thread_id)
        .literal("> output.json")
}

/// Saving the result (again) into `dir`: `--force` when what is there must be replaced.
pub fn result_save(thread_id: &str, dir: &std::path::Path, force: bool) -> CommandLine {
    let line = CommandLine::thread("result")
        .word(thread_id)
        .literal("--save")
        .word(&dir.display().to_string());
    if force {
        line.literal("--force")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_words_are_quoted_and_ours_are_not() {
        assert_eq!(
            watch_step("thr_1", "1.0.2").to_string(),
            "dodil scriptum thread watch thr_1 --step 1.0.2"
        );
        assert_eq!(
            step_save("thr_1; rm -rf ~", "$(touch x)").to_string(),
            "dodil scriptum thread steps 'thr_1; rm -rf ~' --step '$(touch x)' --save DIR"
        );
        assert_eq!(
            resume("it's").to_string(),
            r"dodil scriptum thread resume 'it'\''s'"
        );
    }
}
