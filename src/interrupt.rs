//! Ctrl-C, once for the whole process.
//!
//! The first call of [`ctrl_c`] installs the one listener. From then on SIGINT no longer ends the
//! process by itself (tokio cannot give the default back), so every long operation that may come
//! later races its work against [`ctrl_c`]: the follow (`follow::policy::guarded`), a save, the output
//! streamed to stdout. Dropping the work removes its unfinished files; the command exits 130.
//!
//! Work that cannot notice (blocked writing to a pipe nobody reads) is not waited on for ever:
//! [`GRACE`] after Ctrl-C, or at a second Ctrl-C, the listener ends the process with exit 130.
//! Files being written are then left under their temporary names, never their final ones.
//!
//! The listener runs on a thread of its own, so it works whatever the main runtime is doing.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::watch;

use crate::error::{CliError, ExitStatus};

/// What an interrupted save says: its unfinished files are gone with the dropped work.
pub const SAVE_INTERRUPTED: &str =
    "interrupted: the save was stopped and its unfinished files removed";

/// How long Ctrl-C waits for the work to stop by itself before the process is ended.
const GRACE: Duration = Duration::from_secs(3);

static PRESSED: OnceLock<Option<watch::Receiver<bool>>> = OnceLock::new();

/// Resolves once Ctrl-C has been pressed: at once when it already has been, since the first
/// call. Never resolves when no listener could be installed (SIGINT then still ends the process).
pub async fn ctrl_c() {
    if let Some(mut pressed) = PRESSED.get_or_init(install).clone() {
        if pressed.wait_for(|pressed| *pressed).await.is_ok() {
            return;
        }
    }
    std::future::pending().await
}

/// Runs `work` unless Ctrl-C comes first (or came already): then exit 130, saying what was
/// stopped (`interrupted: {what}`).
pub async fn race<T>(
    work: impl Future<Output = anyhow::Result<T>>,
    what: &str,
) -> anyhow::Result<T> {
    race_with(work, || {
        CliError::new(ExitStatus::Interrupted, format!("interrupted: {what}"))
    })
    .await
}

/// [`race`], with the error to report (exit 130, and a hint where one helps). Ctrl-C is polled
/// first, so its listener is in place before `work` takes its first step (creates a file, say).
pub async fn race_with<T>(
    work: impl Future<Output = anyhow::Result<T>>,
    interrupted: impl FnOnce() -> CliError,
) -> anyhow::Result<T> {
    tokio::select! {
        biased;
        () = ctrl_c() => Err(interrupted().into()),
        result = work => result,
    }
}

fn install() -> Option<watch::Receiver<bool>> {
    let (tx, rx) = watch::channel(false);
    let (ready_tx, ready) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("ctrl-c".into())
        .spawn(move || listen(tx, ready_tx))
        .ok()?;
    // Back only once the handler is in place: a SIGINT from then on is ours, never the default
    // that kills the process with files half written (a loaded machine can take a while to
    // start the thread).
    match ready.recv_timeout(Duration::from_secs(5)) {
        Ok(true) => Some(rx),
        _ => None,
    }
}

fn listen(pressed: watch::Sender<bool>, ready: std::sync::mpsc::Sender<bool>) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        let _ = ready.send(false);
        return;
    };
    runtime.block_on(async move {
        let Ok(mut interrupts) = Interrupts::register() else {
            let _ = ready.send(false);
            return;
        };
        let _ = ready.send(true);
        interrupts.next().await;
        let _ = pressed.send(true);
        tokio::select! {
            () = tokio::time::sleep(GRACE) => {}
            () = interrupts.next() => {}
        }
        eprintln!("error: interrupted");
        std::process::exit(ExitStatus::Interrupted as i32);
    });
}

/// SIGINT (Ctrl-C on Windows), registered when this is made, not when first awaited.
struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupts {
    #[cfg(unix)]
    fn register() -> std::io::Result<Interrupts> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Interrupts {
            signal: signal(SignalKind::interrupt())?,
        })
    }

    #[cfg(not(unix))]
    fn register() -> std::io::Result<Interrupts> {
        Ok(Interrupts {})
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            if self.signal.recv().await.is_none() {
                std::future::pending::<()>().await;
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
