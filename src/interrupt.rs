//! Ctrl-C, once for the whole process.
//!
//! The first call of [`ctrl_c`] (or [`arm`], which a save calls before its first file) installs
//! the one listener. From then on SIGINT no longer ends the
//! process by itself (tokio cannot give the default back), so every long operation that may come
//! later races its work against [`ctrl_c`]: the follow (`follow::policy::guarded`), a save, the output
//! streamed to stdout. Dropping the work removes its unfinished files; the command exits 130.
//!
//! Work that cannot notice (blocked writing to a pipe nobody reads) is not waited on for ever:
//! [`GRACE`] after Ctrl-C, or at a second Ctrl-C, the listener ends the process with exit 130.
//! The temporary files still being written are removed first ([`track_temporary`]), so no exit
//! path leaves a `.dodil-*.part` behind, and the last words say what goes on ([`set_last_word`]).
//!
//! The listener runs on a thread of its own, so it works whatever the main runtime is doing.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::watch;

use crate::error::{CliError, ExitStatus};

/// What an interrupted save into `dir` says: its unfinished files are gone with the dropped work.
pub fn save_interrupted(dir: &Path) -> String {
    format!(
        "interrupted: the save into {} was stopped and its unfinished files removed",
        crate::output::terminal_safe(&dir.display().to_string())
    )
}

/// How long Ctrl-C waits for the work to stop by itself before the process is ended.
const GRACE: Duration = Duration::from_secs(3);

static PRESSED: OnceLock<Option<watch::Receiver<bool>>> = OnceLock::new();

/// Temporary files being written, by a number of their own: removed if the process is ended.
static TEMPORARIES: Mutex<Option<HashMap<u64, PathBuf>>> = Mutex::new(None);
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// What a forced exit adds after `error: interrupted`: what goes on, how to pick up again.
static LAST_WORD: Mutex<Option<String>> = Mutex::new(None);

/// A temporary file known to the listener until this is dropped (once the file is renamed or
/// removed by its owner).
#[derive(Debug)]
pub struct Tracked(u64);

/// Keeps `path` on the list of files a forced exit removes.
pub fn track_temporary(path: &Path) -> Tracked {
    let id = NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed);
    let mut files = TEMPORARIES.lock().unwrap_or_else(|p| p.into_inner());
    files
        .get_or_insert_with(HashMap::new)
        .insert(id, path.to_path_buf());
    Tracked(id)
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let mut files = TEMPORARIES.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(files) = files.as_mut() {
            files.remove(&self.0);
        }
    }
}

/// Removes every tracked temporary file (the process is about to end without unwinding).
fn remove_temporaries() -> usize {
    let files = TEMPORARIES.lock().unwrap_or_else(|p| p.into_inner()).take();
    let mut removed = 0;
    for path in files.into_iter().flat_map(HashMap::into_values) {
        if std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Sets what a forced exit says after `error: interrupted` (the command's next step).
pub fn set_last_word(text: impl Into<String>) {
    *LAST_WORD.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.into());
}

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

/// Installs the listener now, if it is not yet: from here on a Ctrl-C is the command's to
/// handle (before a save creates its first file, say), never the default that ends the process
/// with files half written.
pub fn arm() {
    PRESSED.get_or_init(install);
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
/// `interrupted` is called once `work` has been dropped (its temporary files are gone).
pub async fn race_with<T>(
    work: impl Future<Output = anyhow::Result<T>>,
    interrupted: impl FnOnce() -> CliError,
) -> anyhow::Result<T> {
    let finished = {
        tokio::pin!(work);
        tokio::select! {
            biased;
            () = ctrl_c() => None,
            result = &mut work => Some(result),
        }
    };
    finished.unwrap_or_else(|| Err(interrupted().into()))
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
        let forced = tokio::select! {
            () = tokio::time::sleep(GRACE) => format!(
                "the work did not stop within {}s",
                GRACE.as_secs()
            ),
            () = interrupts.next() => "a second Ctrl-C".to_string(),
        };
        let removed = remove_temporaries();
        let files = match removed {
            0 => String::new(),
            1 => "; its unfinished file was removed".to_string(),
            n => format!("; its {n} unfinished files were removed"),
        };
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            // Over whatever a spinner or a bar had drawn on the cursor's line.
            eprint!("\r\x1b[2K");
        }
        eprintln!("error: interrupted ({forced}){files}");
        let word = LAST_WORD.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(word) = word {
            eprintln!("hint: {word}");
        }
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
