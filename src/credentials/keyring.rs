//! The secret store behind [`super`]: each call on a thread of its own, waited for at most
//! [`KEYRING_TIMEOUT`] (a headless session bus can accept a connection and never answer; the
//! thread left waiting dies with the process).

use std::sync::mpsc;
use std::time::Duration;

use keyring_core::api::CredentialStoreApi as _;
use keyring_core::Error as KeyringError;

use super::SERVICE;
use crate::error::CliError;

/// How long one keyring call may take before the store counts as not answering.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(3);

/// Which secret store `DODIL_KEYRING` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The platform's (the default).
    Os,
    /// None: the fallback file only.
    File,
    /// keyring-core's file-backed sample store, for tests.
    Sample,
}

impl Backend {
    pub fn from_env() -> Result<Backend, CliError> {
        let value = std::env::var("DODIL_KEYRING").unwrap_or_default();
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "os" => Ok(Backend::Os),
            "file" => Ok(Backend::File),
            "sample" => Ok(Backend::Sample),
            _ => Err(CliError::usage(format!(
                "DODIL_KEYRING={value:?} is not one of os, file, sample"
            ))),
        }
    }
}

/// Why the store gave no usable answer.
#[derive(Debug)]
pub enum Unanswered {
    TimedOut,
    Failed(String),
}

/// The secret stored for `user`, `None` when there is none.
pub fn get(backend: Backend, user: &str) -> Result<Option<String>, Unanswered> {
    bounded(backend, user, |entry| match entry.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(KeyringError::NoEntry) => Ok(None),
        Err(err) => Err(err),
    })
}

pub fn set(backend: Backend, user: &str, secret: &str) -> Result<(), Unanswered> {
    let secret = secret.to_string();
    bounded(backend, user, move |entry| entry.set_password(&secret))
}

/// Whether there was an entry to delete.
pub fn delete(backend: Backend, user: &str) -> Result<bool, Unanswered> {
    bounded(backend, user, |entry| match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(KeyringError::NoEntry) => Ok(false),
        Err(err) => Err(err),
    })
}

/// Runs `op` on the entry for `user` on a thread of its own, waiting at most
/// [`KEYRING_TIMEOUT`] for it (opening the store included: that is where a bus hangs).
fn bounded<T: Send + 'static>(
    backend: Backend,
    user: &str,
    op: impl FnOnce(&keyring_core::Entry) -> keyring_core::Result<T> + Send + 'static,
) -> Result<T, Unanswered> {
    let user = user.to_string();
    let sample_file = super::files::sample_store_file();
    within(KEYRING_TIMEOUT, move || match backend {
        Backend::Os => {
            // Opening the platform's store (connecting to the bus) happens once, here; its
            // failure says more than the NoDefaultStore every entry then reports.
            if let Err(err) = keyring::Entry::store_status() {
                return Err(describe(err));
            }
            keyring::Entry::new(SERVICE, &user)
                .and_then(|entry| op(&entry.inner))
                .map_err(|err| describe(&err))
        }
        Backend::Sample => sample(sample_file, &user, op).map_err(|err| describe(&err)),
        Backend::File => Err(describe(&KeyringError::NoDefaultStore)),
    })
}

/// Runs `job` on a thread of its own and waits at most `limit` for its answer.
fn within<T: Send + 'static>(
    limit: Duration,
    job: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, Unanswered> {
    let (answer, answered) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("keyring".into())
        .spawn(move || {
            let _ = answer.send(job());
        });
    if let Err(err) = spawned {
        return Err(Unanswered::Failed(format!("cannot start a thread: {err}")));
    }
    match answered.recv_timeout(limit) {
        Ok(result) => result.map_err(Unanswered::Failed),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Unanswered::TimedOut),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(Unanswered::Failed("the keyring call panicked".into()))
        }
    }
}

/// keyring-core's sample store, loaded from and saved to `file`.
fn sample<T>(
    file: Option<std::path::PathBuf>,
    user: &str,
    op: impl FnOnce(&keyring_core::Entry) -> keyring_core::Result<T>,
) -> keyring_core::Result<T> {
    let file = file.ok_or(KeyringError::NoDefaultStore)?;
    let path = file.to_str().ok_or_else(|| {
        KeyringError::Invalid("path".into(), "the sample store's path is not UTF-8".into())
    })?;
    let store = keyring_core::sample::Store::new_with_backing(path)?;
    let entry = store.build(SERVICE, user, None)?;
    let result = op(&entry);
    store.save()?;
    result
}

/// The store's error in a few words. Never the secret: two variants carry its bytes.
fn describe(err: &KeyringError) -> String {
    match err {
        KeyringError::BadEncoding(_) => "the stored token is not UTF-8".into(),
        KeyringError::BadDataFormat(..) => "the stored secret is malformed".into(),
        KeyringError::Ambiguous(entries) => {
            format!("{} keyring entries match", entries.len())
        }
        KeyringError::NoDefaultStore => "no keyring on this platform".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_carry_the_secret() {
        let secret = b"tok-5ecret".to_vec();
        for err in [
            KeyringError::BadEncoding(secret.clone()),
            KeyringError::BadDataFormat(secret.clone(), "x".into()),
        ] {
            assert!(!describe(&err).contains("5ecret"));
        }
    }

    #[test]
    fn a_store_that_never_answers_times_out() {
        let started = std::time::Instant::now();
        let answer = within(Duration::from_millis(50), || -> Result<(), String> {
            loop {
                std::thread::park();
            }
        });
        assert!(matches!(answer, Err(Unanswered::TimedOut)), "{answer:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(matches!(
            within(Duration::from_secs(10), || Err::<(), _>("no bus".to_string())),
            Err(Unanswered::Failed(why)) if why == "no bus"
        ));
    }

    /// keyring-core's in-memory mock store: the calls [`bounded`] makes, and an error the store
    /// raises, come back as they should.
    #[test]
    fn entry_calls_against_the_mock_store() {
        let store = keyring_core::mock::Store::new().unwrap();
        let entry = store.build(SERVICE, "default@h:1", None).unwrap();
        assert!(matches!(entry.get_password(), Err(KeyringError::NoEntry)));
        entry.set_password("t0k").unwrap();
        assert_eq!(entry.get_password().unwrap(), "t0k");
        let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        mock.set_error(KeyringError::PlatformFailure("the bus is gone".into()));
        let err = entry.get_password().unwrap_err();
        assert_eq!(describe(&err), "Platform failure: the bus is gone");
        entry.delete_credential().unwrap();
        assert!(matches!(entry.get_password(), Err(KeyringError::NoEntry)));
    }
}
