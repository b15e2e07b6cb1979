//! What a download or a save has to tell the person running it, as calls on a
//! [`SaveReporter`] (uv's `Reporter` pattern, as the follow engine's `Observer`): the save code
//! says what happens, the CLI decides how it looks (`output::save_view`). Nothing under `save/`
//! writes to the terminal.

/// One of the two result streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// StreamThreadResult: the thread's final output.
    Output,
    /// StreamStepResult: every step's input and output.
    Steps,
}

impl Stream {
    /// `output`, `steps`.
    pub fn name(self) -> &'static str {
        match self {
            Stream::Output => "output",
            Stream::Steps => "steps",
        }
    }

    /// What it carries, as problems name it: `thread output`, `step results`.
    pub fn payload(self) -> &'static str {
        match self {
            Stream::Output => "thread output",
            Stream::Steps => "step results",
        }
    }
}

/// How a stream's download ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// Every byte in and the stream validated.
    Complete,
    /// Given up: it broke the rules, broke off, or a sink failed.
    Abandoned,
}

/// Receives what a download or a save has to say. Every call is made on the task doing the work.
pub trait SaveReporter {
    /// A stream's download begins; `total` is its size when known beforehand.
    fn on_stream_start(&self, stream: Stream, total: Option<u64>);

    /// `delivered` bytes of the stream have reached their sink so far. It never goes back: bytes
    /// a retry repeats are not delivered again.
    fn on_stream_progress(&self, stream: Stream, delivered: u64);

    /// The stream's download is over, one way or the other.
    fn on_stream_end(&self, stream: Stream, end: StreamEnd);

    /// The stream broke mid-way (`breakage` says how) and is opened once more from the start.
    fn on_retry(&self, stream: Stream, breakage: &str);

    /// Something the person should know that does not stop the save.
    fn on_warning(&self, message: &str);

    /// A plain note on how the save went.
    fn on_note(&self, message: &str);

    /// Detail for whoever asked for it (`-v`): how a download is made.
    fn on_detail(&self, message: &str);
}
