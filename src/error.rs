//! Outcomes and errors, and the one place that turns them into an exit code and a message.
//!
//! Commands return `anyhow::Result<ExitStatus>`: `Ok` carries the thread's outcome, `Err` a failure
//! of the command itself. [`report`] classifies an error by what lies in its chain: a [`CliError`]
//! a command raised on purpose, or a `tonic::Status` from the server.

use std::fmt;
use std::process::ExitCode;

use crate::model::ThreadStatus;

/// Exit codes as `cli-contract.md` fixes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    Success = 0,
    ThreadFailed = 1,
    Usage = 2,
    ThreadCancelled = 3,
    ThreadPaused = 4,
    ServerRefused = 5,
    Unreachable = 6,
    DownloadIncomplete = 7,
    Interrupted = 130,
}

impl ExitStatus {
    /// The exit code that reports a thread's status to a script. A thread that has not ended
    /// (pending, running, unknown) is reported as success: the command did what it was asked.
    pub fn for_thread(status: ThreadStatus) -> ExitStatus {
        match status {
            ThreadStatus::Failed => ExitStatus::ThreadFailed,
            ThreadStatus::Cancelled => ExitStatus::ThreadCancelled,
            ThreadStatus::Paused => ExitStatus::ThreadPaused,
            _ => ExitStatus::Success,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// An error a command raises deliberately, with its exit class and an optional next step.
#[derive(Debug)]
pub struct CliError {
    pub status: ExitStatus,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn new(status: ExitStatus, message: impl Into<String>) -> Self {
        CliError {
            status,
            message: message.into(),
            hint: None,
        }
    }

    /// Bad flag values or local input: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new(ExitStatus::Usage, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// Stdout was closed by the reader (`| head`): stop quietly, it is not a failure.
#[derive(Debug)]
pub struct ClosedPipe;

impl fmt::Display for ClosedPipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stdout closed")
    }
}

impl std::error::Error for ClosedPipe {}

/// How an error is reported: exit class, one-line message, optional hint.
pub struct Report {
    pub status: ExitStatus,
    pub message: String,
    pub hint: Option<String>,
}

/// The gRPC status an error carries, if a call failed with one.
pub fn grpc_status(err: &anyhow::Error) -> Option<&tonic::Status> {
    err.chain().find_map(|e| e.downcast_ref::<tonic::Status>())
}

/// Whether a call failed with `code`.
pub fn is_code(err: &anyhow::Error, code: tonic::Code) -> bool {
    grpc_status(err).is_some_and(|s| s.code() == code)
}

/// Classifies an error and renders it as one line. `None` means "say nothing" (closed pipe).
pub fn report(err: &anyhow::Error) -> Option<Report> {
    if err.chain().any(|e| e.is::<ClosedPipe>()) {
        return None;
    }
    let message = one_line(err);

    if let Some(cli) = err.chain().find_map(|e| e.downcast_ref::<CliError>()) {
        return Some(Report {
            status: cli.status,
            message,
            hint: cli.hint.clone(),
        });
    }
    if let Some(status) = grpc_status(err) {
        let (exit, hint) = classify_status(status);
        return Some(Report {
            status: exit,
            message,
            hint,
        });
    }
    // Anything else is local: a file we could not read or write.
    Some(Report {
        status: ExitStatus::Usage,
        message,
        hint: None,
    })
}

/// The chain as one line. A `tonic::Status` is shown as `message (CODE)` followed by the root
/// cause of a transport failure (not tonic's nested restatements of it).
fn one_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        if let Some(status) = cause.downcast_ref::<tonic::Status>() {
            let mut text = describe_status(status);
            let mut root = std::error::Error::source(status);
            while let Some(next) = root.and_then(std::error::Error::source) {
                root = Some(next);
            }
            if let Some(root) = root.map(ToString::to_string) {
                if !text.contains(&root) {
                    text = format!("{text}: {root}");
                }
            }
            parts.push(text);
            break;
        }
        parts.push(cause.to_string());
    }
    parts.join(": ").replace('\n', " ")
}

/// `message (CODE)`, without tonic's metadata dump.
pub fn describe_status(status: &tonic::Status) -> String {
    let code = code_name(status.code());
    let message = status.message().trim();
    if message.is_empty() {
        code.to_string()
    } else {
        format!("{message} ({code})")
    }
}

/// Whether retrying the same call later may succeed.
pub fn is_transient(code: tonic::Code) -> bool {
    matches!(
        code,
        tonic::Code::Unavailable | tonic::Code::ResourceExhausted | tonic::Code::DeadlineExceeded
    )
}

/// Whether a failed call may be tried again (and, if it keeps failing, is exit 6 rather than 5):
/// the transient codes, and a transport that broke underneath (tonic reports a reset connection
/// as UNKNOWN or INTERNAL). The one classifier: unary retries, the following engines, exit codes.
pub fn is_retryable(status: &tonic::Status) -> bool {
    use tonic::Code;
    if is_transient(status.code()) || status.code() == Code::Aborted {
        return true;
    }
    if matches!(
        status.code(),
        Code::Unknown | Code::Internal | Code::Cancelled
    ) {
        let text = status.message().to_ascii_lowercase();
        return [
            "transport",
            "connect",
            "connection",
            "reset",
            "broken pipe",
            "h2 protocol",
            "stream",
        ]
        .iter()
        .any(|word| text.contains(word));
    }
    false
}

fn classify_status(status: &tonic::Status) -> (ExitStatus, Option<String>) {
    use tonic::Code;
    match status.code() {
        Code::Unauthenticated => (
            ExitStatus::ServerRefused,
            Some(
                "supply a token with --token-file PATH or the DODIL_TOKEN environment variable \
                 (or a profile's token_file in the config file)"
                    .into(),
            ),
        ),
        Code::PermissionDenied => (
            ExitStatus::ServerRefused,
            Some(
                "check the organization: --org NAME / --org-id ID (or DODIL_ORG / SCRIPTUM_ORG_ID)"
                    .into(),
            ),
        ),
        Code::Unimplemented => (
            ExitStatus::ServerRefused,
            Some("this server does not offer that call yet".into()),
        ),
        Code::Unavailable | Code::Unknown if mentions_certificate(status) => (
            ExitStatus::Unreachable,
            Some(
                "the server's TLS certificate was not accepted: check the host name in --endpoint, \
                 or trust a private CA with --ca-cert FILE"
                    .into(),
            ),
        ),
        _ if is_retryable(status) => (
            ExitStatus::Unreachable,
            Some("check --endpoint (or DODIL_ENDPOINT / the profile) and the network".into()),
        ),
        _ => (ExitStatus::ServerRefused, None),
    }
}

/// Whether a transport failure came from certificate verification (anywhere in its chain).
fn mentions_certificate(status: &tonic::Status) -> bool {
    let mut cause: Option<&dyn std::error::Error> = Some(status);
    while let Some(err) = cause {
        if err.to_string().to_ascii_lowercase().contains("certificate") {
            return true;
        }
        cause = err.source();
    }
    false
}

fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code;
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn status_in_chain_decides_exit_and_renders_one_line() {
        let err = Err::<(), _>(tonic::Status::not_found("thread thr_x not found"))
            .context("GetThread")
            .unwrap_err();
        let r = report(&err).unwrap();
        assert_eq!(r.status, ExitStatus::ServerRefused);
        assert_eq!(r.message, "GetThread: thread thr_x not found (NOT_FOUND)");

        let err = anyhow::Error::new(tonic::Status::unavailable("tcp connect error"));
        assert_eq!(report(&err).unwrap().status, ExitStatus::Unreachable);
    }

    #[test]
    fn cli_error_wins_and_closed_pipe_is_silent() {
        let err = anyhow::Error::new(CliError::usage("bad").with_hint("do this"));
        let r = report(&err).unwrap();
        assert_eq!(
            (r.status, r.hint.as_deref()),
            (ExitStatus::Usage, Some("do this"))
        );
        assert!(report(&anyhow::Error::new(ClosedPipe)).is_none());
    }
}
