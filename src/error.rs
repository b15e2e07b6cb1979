//! Outcomes and errors, and the one place that turns them into an exit code and a message.
//!
//! Commands return `anyhow::Result<ExitStatus>`: `Ok` carries the thread's outcome, `Err` a failure
//! of the command itself. [`report`] classifies an error by what lies in its chain: a [`CliError`]
//! a command raised on purpose, or a [`CallError`] from the client.

use std::fmt;
use std::process::ExitCode;

use crate::client::{CallError, CallErrorKind, ProxyTrouble};
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
    /// Stdout was closed before the thread ended: nothing is claimed about it (the code a shell
    /// reports for SIGPIPE).
    StdoutClosed = 141,
}

/// Every exit code and what it means, as `cli-contract.md` words them (for the man page).
pub const EXIT_CODES: [(u8, &str); 10] = [
    (0, "Success; for run, watch, resume --watch and result --wait: the thread completed."),
    (1, "The thread failed."),
    (
        2,
        "Usage or bad local input: a bad flag, invalid JSON in --input, an unreadable @file, a bad \
         config file.",
    ),
    (3, "The thread was cancelled."),
    (4, "The thread is paused, waiting for `thread resume`."),
    (
        5,
        "The server refused the call (NOT_FOUND, INVALID_ARGUMENT, UNAUTHENTICATED, \
         PERMISSION_DENIED, FAILED_PRECONDITION, UNIMPLEMENTED, ...).",
    ),
    (
        6,
        "The server could not be reached, or kept failing after retries (--retry-budget), or \
         --follow-timeout ran out.",
    ),
    (
        7,
        "A download was incomplete or inconsistent (missing, duplicate or short chunks, sizes that \
         disagree), or verify found a file missing or changed.",
    ),
    (
        130,
        "Interrupted (Ctrl-C); the thread goes on running on the server.",
    ),
    (
        141,
        "Stdout was closed (e.g. | head) before the thread ended: nothing is claimed about it.",
    ),
];

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

/// With several threads (`watch ID...`, `run --inputs`), the order in which their codes win
/// (`cli-contract.md`): the first of these that any thread, or the tool, came to.
const SEVERITY: [ExitStatus; 8] = [
    ExitStatus::Interrupted,
    ExitStatus::Unreachable,
    ExitStatus::ServerRefused,
    ExitStatus::DownloadIncomplete,
    ExitStatus::ThreadFailed,
    ExitStatus::ThreadCancelled,
    ExitStatus::ThreadPaused,
    ExitStatus::Success,
];

impl ExitStatus {
    /// The exit code of many threads' codes together: 0 only when every one is 0 (and for
    /// none). A code outside the rule (2, 141) wins over all, as it ends the command itself.
    pub fn of_many(codes: impl IntoIterator<Item = ExitStatus>) -> ExitStatus {
        let rank = |code: &ExitStatus| {
            SEVERITY
                .iter()
                .position(|c| c == code)
                .map_or(0, |at| at + 1)
        };
        codes
            .into_iter()
            .min_by_key(rank)
            .unwrap_or(ExitStatus::Success)
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

/// Whether `err` is (or was caused by) a closed stdout.
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.is::<ClosedPipe>())
}

/// Attached to a [`ClosedPipe`] that came while a thread was still being followed: the command
/// ends quietly with exit 141 instead of 0, since the thread's outcome is not known. (Once it
/// is, a closed stdout leaves the thread's own exit code.)
#[derive(Debug)]
pub struct ClosedBeforeEnd;

impl fmt::Display for ClosedBeforeEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stdout closed before the thread ended")
    }
}

impl std::error::Error for ClosedBeforeEnd {}

/// The exit code of an error [`report`] says nothing about (a closed stdout).
pub fn quiet_status(err: &anyhow::Error) -> ExitStatus {
    if find::<ClosedBeforeEnd>(err).is_some() {
        ExitStatus::StdoutClosed
    } else {
        ExitStatus::Success
    }
}

/// How an error is reported: exit class, one-line message, optional hint.
pub struct Report {
    pub status: ExitStatus,
    pub message: String,
    pub hint: Option<String>,
}

/// The failed call an error carries, if it is one.
pub fn call_error(err: &anyhow::Error) -> Option<&CallError> {
    find::<CallError>(err)
}

/// An error of type `T` anywhere in `err`: attached as context (`err.context(t)`, which
/// `chain()` shows only as text) or as a cause in the chain.
fn find<T: std::error::Error + Send + Sync + 'static>(err: &anyhow::Error) -> Option<&T> {
    err.downcast_ref::<T>()
        .or_else(|| err.chain().find_map(|e| e.downcast_ref::<T>()))
}

/// Classifies an error and renders it as one line. `None` means "say nothing" (closed pipe).
pub fn report(err: &anyhow::Error) -> Option<Report> {
    if err.chain().any(|e| e.is::<ClosedPipe>()) {
        return None;
    }
    let message = one_line(err);

    if let Some(cli) = find::<CliError>(err) {
        return Some(Report {
            status: cli.status,
            message,
            hint: cli.hint.clone(),
        });
    }
    if let Some(call) = call_error(err) {
        let (exit, hint) = classify(call);
        return Some(Report {
            status: exit,
            message,
            hint: hint.map(str::to_string),
        });
    }
    // Anything else is local: a file we could not read or write.
    Some(Report {
        status: ExitStatus::Usage,
        message,
        hint: None,
    })
}

/// The chain as one line, down to the failed call (which says its own root cause).
fn one_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        parts.push(cause.to_string());
        if cause.is::<CallError>() {
            break;
        }
    }
    parts.join(": ").replace('\n', " ")
}

/// The exit code a failed call calls for, and the next step worth suggesting.
fn classify(call: &CallError) -> (ExitStatus, Option<&'static str>) {
    use CallErrorKind as K;
    match call.kind {
        K::Proxy(trouble) => (ExitStatus::Unreachable, Some(proxy_hint(trouble))),
        K::Unauthenticated => (
            ExitStatus::ServerRefused,
            Some(
                "sign in with `dodil auth login`, or give a token with --token-file PATH or the \
                 DODIL_TOKEN environment variable",
            ),
        ),
        K::PermissionDenied => (
            ExitStatus::ServerRefused,
            Some(
                "check the organization: --org NAME / --org-id ID (or DODIL_ORG / SCRIPTUM_ORG_ID)",
            ),
        ),
        K::Unimplemented => (
            ExitStatus::ServerRefused,
            Some("this server does not offer that call yet"),
        ),
        // The server answered, but not in a form this client can take: asking again gets the
        // same answer, so this is no "cannot reach" (6). Within a download it is exit 7.
        K::Undecodable | K::MessageTooLarge => (
            ExitStatus::ServerRefused,
            Some(
                "the server's answer does not fit this client's dodil.scriptum.v1 (a newer or \
                 faulty server); quote the request id, if any, when reporting it",
            ),
        ),
        _ if call.certificate_rejected() => (
            ExitStatus::Unreachable,
            Some(
                "the server's TLS certificate was not accepted: check the host name in --endpoint, \
                 or trust a private CA with --ca-cert FILE",
            ),
        ),
        // An HTTP/2 connection closed or garbled under the call, as an HTTP/1.1-only proxy or
        // load balancer does: tonic says CANCELLED when the close comes first, INTERNAL ("h2
        // protocol error") when the proxy's HTTP/1.1 answer is read as a frame. The gateway
        // transport has no such kind.
        K::TransportBroken => (
            ExitStatus::Unreachable,
            Some(
                "the connection was closed under the call: if a proxy or load balancer in the way \
                 does not pass gRPC (HTTP/2), try --transport http",
            ),
        ),
        _ if call.is_retryable() => (
            ExitStatus::Unreachable,
            Some("check --endpoint (or DODIL_ENDPOINT / the profile) and the network"),
        ),
        _ => (ExitStatus::ServerRefused, None),
    }
}

/// What to check when the proxy in the way failed.
fn proxy_hint(trouble: ProxyTrouble) -> &'static str {
    match trouble {
        ProxyTrouble::AuthRequired { sent: false } => {
            "the proxy wants credentials: put them in its URL, http://USER:PASS@HOST:PORT, in \
             HTTPS_PROXY, DODIL_PROXY or the profile's proxy: (never on the command line)"
        }
        ProxyTrouble::AuthRequired { sent: true } => {
            "the proxy did not accept the credentials in its URL: check USER:PASS \
             (percent-encode @ : / % in them)"
        }
        ProxyTrouble::Refused => {
            "the proxy would not open a tunnel to the endpoint: check that it allows the \
             endpoint's host and port, or exempt the host with NO_PROXY (or --proxy none)"
        }
        ProxyTrouble::Gateway => {
            "the proxy could not reach the endpoint: check --endpoint and the proxy's own network"
        }
        ProxyTrouble::Unreachable => {
            "check the proxy: HTTPS_PROXY / ALL_PROXY, or --proxy, DODIL_PROXY, the profile's \
             proxy: (--proxy none connects directly)"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Code;
    use anyhow::Context as _;

    #[test]
    fn call_error_in_chain_decides_exit_and_renders_one_line() {
        let err = Err::<(), _>(CallError::new(
            "GetThread",
            Code::NotFound,
            "thread thr_x not found",
        ))
        .context("looking it up")
        .unwrap_err();
        let r = report(&err).unwrap();
        assert_eq!(r.status, ExitStatus::ServerRefused);
        assert_eq!(
            r.message,
            "looking it up: GetThread: thread thr_x not found (NOT_FOUND)"
        );

        let err = anyhow::Error::new(CallError::new(
            "GetThread",
            Code::Unavailable,
            "tcp connect error",
        ));
        assert_eq!(report(&err).unwrap().status, ExitStatus::Unreachable);
    }

    #[test]
    fn many_codes_follow_the_contracts_order() {
        use ExitStatus as E;
        assert_eq!(E::of_many([]), E::Success);
        assert_eq!(E::of_many([E::Success, E::Success]), E::Success);
        assert_eq!(E::of_many([E::ThreadPaused, E::Success]), E::ThreadPaused);
        assert_eq!(
            E::of_many([E::ThreadPaused, E::ThreadCancelled, E::Success]),
            E::ThreadCancelled
        );
        assert_eq!(
            E::of_many([E::ThreadCancelled, E::ThreadFailed]),
            E::ThreadFailed
        );
        assert_eq!(
            E::of_many([E::ThreadFailed, E::DownloadIncomplete]),
            E::DownloadIncomplete
        );
        assert_eq!(
            E::of_many([E::DownloadIncomplete, E::ServerRefused, E::ThreadFailed]),
            E::ServerRefused
        );
        assert_eq!(
            E::of_many([E::ServerRefused, E::Unreachable]),
            E::Unreachable
        );
        assert_eq!(
            E::of_many([E::Unreachable, E::Interrupted, E::Success]),
            E::Interrupted
        );
        // In any order.
        assert_eq!(
            E::of_many([E::Success, E::Interrupted, E::ThreadFailed]),
            E::Interrupted
        );
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
        let closed = anyhow::Error::new(ClosedPipe);
        assert_eq!(quiet_status(&closed), ExitStatus::Success);
        let unfinished = closed.context(ClosedBeforeEnd);
        assert!(report(&unfinished).is_none());
        assert_eq!(quiet_status(&unfinished), ExitStatus::StdoutClosed);
    }

    #[test]
    fn a_cli_error_given_as_context_brings_its_hint() {
        let err = anyhow::Error::new(CallError::new("GetThread", Code::NotFound, "no")).context(
            CliError::new(ExitStatus::ServerRefused, "thread x not found").with_hint("list"),
        );
        let r = report(&err).unwrap();
        assert_eq!(r.hint.as_deref(), Some("list"));
        assert_eq!(r.message, "thread x not found: GetThread: no (NOT_FOUND)");
    }
}
