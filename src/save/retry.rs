//! The one retry rule both result streams follow. A stream is opened and read to its end; when
//! it breaks mid-way with an error worth retrying, it is opened once more from the start and read
//! again; a second break, or a failure to open it again, leaves the payload incomplete (exit 7).
//! A refusal before the first message is an ordinary call error (exit 5/6). A message this client
//! cannot read (undecodable, or over its size limit) is never retried: the payload is incomplete.
//!
//! What the messages mean, and how a second attempt avoids delivering a byte twice, is each
//! stream's [`StreamReader`]'s business (`output_stream`, `step_stream`).

use crate::client::{CallError, OutputStream, StepStream};
use crate::model::{OutputMessage, StepMessage};

use super::download::DownloadError;
use super::report::{SaveReporter, Stream, StreamEnd};

/// A stream's messages, one at a time; `Ok(None)` when the server ended it.
pub(super) trait Messages {
    type Message;
    async fn next(&mut self) -> Result<Option<Self::Message>, CallError>;
}

impl Messages for OutputStream {
    type Message = OutputMessage;
    async fn next(&mut self) -> Result<Option<OutputMessage>, CallError> {
        OutputStream::next(self).await
    }
}

impl Messages for StepStream {
    type Message = StepMessage;
    async fn next(&mut self) -> Result<Option<StepMessage>, CallError> {
        StepStream::next(self).await
    }
}

/// One result stream's download, as the driver sees it.
pub(super) trait StreamReader {
    type Messages: Messages;
    /// What a download that completed gives back.
    type Done;

    /// Which stream, for the reporter.
    const STREAM: Stream;

    /// Its size, when known before it is opened.
    fn expected_total(&self) -> Option<u64> {
        None
    }

    /// An attempt is about to open the stream from the start: drop what the last one had
    /// assembled (keeping what it delivered, if that can be checked and skipped).
    fn begin_attempt(&mut self);

    async fn open(&mut self) -> Result<Self::Messages, CallError>;

    /// Takes one message. `Some(n)`: `n` bytes have been delivered in all so far.
    fn accept(
        &mut self,
        message: <Self::Messages as Messages>::Message,
    ) -> Result<Option<u64>, DownloadError>;

    /// The server ended the stream: check that it was whole.
    fn end(&mut self) -> Result<(), DownloadError>;

    /// What the download gives back, once [`end`](Self::end) has passed.
    fn done(self, attempts: u32) -> Self::Done;

    /// What broke, for messages: where the stream was after `messages` messages, and `err`.
    fn breakage(&self, messages: u64, err: &CallError) -> String;

    /// Why a break worth retrying is not retried after all (what was delivered cannot be taken
    /// back), if so.
    fn retry_refused(&self) -> Option<String> {
        None
    }
}

/// Downloads one stream with `reader`, in at most two attempts, reporting as it goes.
pub(super) async fn download<R: StreamReader>(
    mut reader: R,
    reporter: &dyn SaveReporter,
) -> Result<R::Done, DownloadError> {
    reporter.on_stream_start(R::STREAM, reader.expected_total());
    match attempts(&mut reader, reporter).await {
        Ok(attempts) => {
            reporter.on_stream_end(R::STREAM, StreamEnd::Complete);
            Ok(reader.done(attempts))
        }
        Err(err) => {
            reporter.on_stream_end(R::STREAM, StreamEnd::Abandoned);
            Err(err)
        }
    }
}

/// The attempts themselves; how many it took.
async fn attempts<R: StreamReader>(
    reader: &mut R,
    reporter: &dyn SaveReporter,
) -> Result<u32, DownloadError> {
    let mut broke: Option<String> = None;
    for attempt in 1..=2u32 {
        reader.begin_attempt();
        let mut stream = match reader.open().await {
            Ok(stream) => stream,
            Err(err) => {
                return Err(match broke {
                    None => DownloadError::Call(err),
                    Some(first) => DownloadError::Incomplete(format!(
                        "{first}; opening it again failed: {err}"
                    )),
                })
            }
        };
        let mut messages = 0u64;
        loop {
            let message = match stream.next().await {
                Ok(Some(message)) => message,
                Ok(None) => {
                    reader.end()?;
                    return Ok(attempt);
                }
                Err(err) => {
                    if err.is_unreadable() {
                        // A message this client cannot read: another attempt would get the same
                        // one. The payload cannot be had (exit 7), whatever came before.
                        let what = format!("{}: {err}", R::STREAM.payload());
                        return Err(DownloadError::Incomplete(match broke {
                            Some(first) => format!("{first}; the retry broke too: {what}"),
                            None => what,
                        }));
                    }
                    if messages == 0 && attempt == 1 && !err.is_retryable_mid_stream() {
                        return Err(DownloadError::Call(err));
                    }
                    let what = reader.breakage(messages, &err);
                    let refused = reader.retry_refused();
                    if attempt == 1 && err.is_retryable_mid_stream() && refused.is_none() {
                        reporter.on_retry(R::STREAM, &what);
                        broke = Some(what);
                        break;
                    }
                    return Err(DownloadError::Incomplete(match (broke, refused) {
                        (Some(first), _) => format!("{first}; the retry broke too: {what}"),
                        (None, Some(why)) => format!("{what} ({why})"),
                        (None, None) => what,
                    }));
                }
            };
            messages += 1;
            if let Some(delivered) = reader.accept(message)? {
                reporter.on_stream_progress(R::STREAM, delivered);
            }
            // A stream whose next message is always there already (a fast or embedded server)
            // would never hand control back: once a message, the task lets the select around it
            // see a Ctrl-C.
            tokio::task::yield_now().await;
        }
    }
    unreachable!("the second attempt always returns")
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use super::*;
    use crate::client::Code;

    /// One attempt as the fake server plays it: the open fails, or these messages (a number
    /// each), then an end (`None`) or an error.
    enum Play {
        OpenFails(Code),
        Messages(Vec<u8>, Option<Code>),
    }

    struct FakeStream(VecDeque<Result<Option<u8>, CallError>>);

    impl Messages for FakeStream {
        type Message = u8;
        async fn next(&mut self) -> Result<Option<u8>, CallError> {
            self.0.pop_front().unwrap_or(Ok(None))
        }
    }

    struct FakeReader {
        plays: VecDeque<Play>,
        received: Vec<u8>,
        refuse_retry: bool,
    }

    fn error(code: Code) -> CallError {
        CallError::new("Fake", code, "boom")
    }

    impl StreamReader for FakeReader {
        type Messages = FakeStream;
        type Done = (Vec<u8>, u32);
        const STREAM: Stream = Stream::Steps;

        fn begin_attempt(&mut self) {
            self.received.clear();
        }

        async fn open(&mut self) -> Result<FakeStream, CallError> {
            match self.plays.pop_front().expect("a play per attempt") {
                Play::OpenFails(code) => Err(error(code)),
                Play::Messages(messages, end) => {
                    let mut stream: VecDeque<_> =
                        messages.into_iter().map(|m| Ok(Some(m))).collect();
                    stream.push_back(end.map_or(Ok(None), |code| Err(error(code))));
                    Ok(FakeStream(stream))
                }
            }
        }

        fn accept(&mut self, message: u8) -> Result<Option<u64>, DownloadError> {
            self.received.push(message);
            Ok(Some(self.received.len() as u64))
        }

        fn end(&mut self) -> Result<(), DownloadError> {
            Ok(())
        }

        fn done(self, attempts: u32) -> (Vec<u8>, u32) {
            (self.received, attempts)
        }

        fn breakage(&self, messages: u64, _err: &CallError) -> String {
            format!("broke after {messages}")
        }

        fn retry_refused(&self) -> Option<String> {
            self.refuse_retry.then(|| "already printed".to_string())
        }
    }

    #[derive(Default)]
    struct Log(RefCell<Vec<String>>);

    impl SaveReporter for Log {
        fn on_stream_start(&self, _: Stream, _: Option<u64>) {
            self.0.borrow_mut().push("start".into());
        }
        fn on_stream_progress(&self, _: Stream, delivered: u64) {
            self.0.borrow_mut().push(format!("at {delivered}"));
        }
        fn on_stream_end(&self, _: Stream, end: StreamEnd) {
            self.0.borrow_mut().push(format!("{end:?}"));
        }
        fn on_retry(&self, _: Stream, breakage: &str) {
            self.0.borrow_mut().push(format!("retry: {breakage}"));
        }
        fn on_warning(&self, message: &str) {
            self.0.borrow_mut().push(format!("warning: {message}"));
        }
        fn on_note(&self, message: &str) {
            self.0.borrow_mut().push(format!("note: {message}"));
        }
        fn on_detail(&self, message: &str) {
            self.0.borrow_mut().push(format!("detail: {message}"));
        }
    }

    async fn run(
        plays: Vec<Play>,
        refuse_retry: bool,
    ) -> (Result<(Vec<u8>, u32), String>, Vec<String>) {
        let log = Log::default();
        let reader = FakeReader {
            plays: plays.into(),
            received: Vec::new(),
            refuse_retry,
        };
        let result = download(reader, &log).await.map_err(|err| match err {
            DownloadError::Incomplete(message) => format!("incomplete: {message}"),
            DownloadError::Call(err) => format!("call: {err}"),
            DownloadError::Fatal(err) => format!("fatal: {err}"),
        });
        (result, log.0.into_inner())
    }

    use Code::{NotFound, Unavailable};
    use Play::{Messages as M, OpenFails};

    #[tokio::test]
    async fn a_break_is_retried_once_from_the_start() {
        let (result, log) = run(
            vec![M(vec![1, 2], Some(Unavailable)), M(vec![1, 2, 3], None)],
            false,
        )
        .await;
        assert_eq!(result, Ok((vec![1, 2, 3], 2)));
        assert_eq!(
            log,
            [
                "start",
                "at 1",
                "at 2",
                "retry: broke after 2",
                "at 1",
                "at 2",
                "at 3",
                "Complete"
            ]
        );
    }

    #[tokio::test]
    async fn a_second_break_leaves_the_payload_incomplete() {
        let (result, log) = run(
            vec![M(vec![1], Some(Unavailable)), M(vec![], Some(Unavailable))],
            false,
        )
        .await;
        assert_eq!(
            result,
            Err("incomplete: broke after 1; the retry broke too: broke after 0".into())
        );
        assert_eq!(log.last().map(String::as_str), Some("Abandoned"));
    }

    #[tokio::test]
    async fn failing_to_open_again_says_so() {
        let (result, _) = run(
            vec![M(vec![1], Some(Unavailable)), OpenFails(Unavailable)],
            false,
        )
        .await;
        let message = result.unwrap_err();
        assert!(
            message.starts_with("incomplete: broke after 1; opening it again failed: Fake:"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn a_refusal_before_any_message_is_a_call_error() {
        let (result, log) = run(vec![M(vec![], Some(NotFound))], false).await;
        assert!(result.unwrap_err().starts_with("call: Fake:"));
        assert_eq!(log, ["start", "Abandoned"]);
        let (result, _) = run(vec![OpenFails(Unavailable)], false).await;
        assert!(result.unwrap_err().starts_with("call: Fake:"));
    }

    #[tokio::test]
    async fn a_break_not_worth_retrying_is_not_retried() {
        let (result, _) = run(vec![M(vec![1], Some(NotFound))], false).await;
        assert_eq!(result, Err("incomplete: broke after 1".into()));
        // Worth retrying, but what was delivered cannot be taken back.
        let (result, log) = run(vec![M(vec![1], Some(Unavailable))], true).await;
        assert_eq!(
            result,
            Err("incomplete: broke after 1 (already printed)".into())
        );
        assert!(!log.iter().any(|l| l.starts_with("retry")), "{log:?}");
    }
}
