//! Tokens kept between runs by `dodil auth login`: in the platform's secret store (the keyring
//! crate's defaults: Secret Service over D-Bus, Keychain, Credential Manager) and, where none
//! answers within [`KEYRING_TIMEOUT`], in a file of mode 0600 in a 0700 directory.
//!
//! A token is keyed by profile and endpoint (`<profile>@<host>:<port>`, see [`StoreKey`]) and
//! looked up by the endpoint a command is about to call, so it only ever goes to the host it was
//! stored for. Beside each token stored in the keyring lies a marker file, so a command for which
//! nothing is stored never waits on a secret store (a headless session bus can hang).
//!
//! `DODIL_KEYRING` (for tests and operators, not in `--help`) picks the store: `os` (the
//! default), `file` (the file only, never the keyring) or `sample` (keyring-core's file-backed
//! test store, in the credentials directory: the keyring code path without touching the user's
//! keyring).

mod files;
mod keyring;

use std::path::PathBuf;

use crate::config::{Endpoint, Token};
use crate::error::CliError;
use crate::output::Printer;

pub use self::keyring::KEYRING_TIMEOUT;
use self::keyring::{Backend, Unanswered};

/// The keyring's service name for every dodil token.
pub const SERVICE: &str = "dodil";

/// Which profile's token for which endpoint: the keyring's user name is `<profile>@<host>:<port>`
/// (the profile `default` when none is chosen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreKey {
    user: String,
}

impl StoreKey {
    /// The key for a remote endpoint; `None` for `embedded`, which is never given a stored token.
    pub fn new(profile: Option<&str>, endpoint: &Endpoint) -> Option<StoreKey> {
        let Endpoint::Remote { url, .. } = endpoint else {
            return None;
        };
        let authority = url
            .split_once("://")
            .map_or(url.as_str(), |(_, rest)| rest)
            .to_ascii_lowercase();
        Some(StoreKey {
            user: format!("{}@{authority}", profile.unwrap_or("default")),
        })
    }

    /// The keyring's user name: `<profile>@<host>:<port>`.
    pub fn user(&self) -> &str {
        &self.user
    }
}

/// Where a stored token is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The platform's secret store (or, with `DODIL_KEYRING=sample`, the test store).
    Keyring,
    /// The fallback file.
    File(PathBuf),
}

/// The token stored for `key`, if any: the keyring's when the marker says it holds one (a
/// keyring that does not answer is warned about, then passed over), else the fallback file's.
pub fn lookup(key: &StoreKey, printer: &Printer) -> anyhow::Result<Option<(Token, Place)>> {
    let backend = Backend::from_env()?;
    let Some(paths) = files::Paths::for_key(key) else {
        return Ok(None);
    };
    if backend != Backend::File && paths.marker.exists() {
        match keyring::get(backend, key.user()) {
            Ok(Some(secret)) => match Token::parse(&secret) {
                Some(token) => return Ok(Some((token, Place::Keyring))),
                None => printer.warn(&format!(
                    "the keyring's token for {} is empty or not a valid header value; not used",
                    key.user()
                )),
            },
            Ok(None) => printer.verbose(&format!(
                "the keyring no longer holds a token for {}",
                key.user()
            )),
            Err(why) => printer.warn(&format!(
                "the keyring did not answer ({why}): the token stored there for {} is not used",
                key.user()
            )),
        }
    }
    match files::read_private(&paths.token)? {
        Some(text) => match Token::parse(&text) {
            Some(token) => Ok(Some((token, Place::File(paths.token)))),
            None => Err(CliError::usage(format!(
                "the stored token file {} is empty or holds characters a header cannot carry",
                paths.token.display()
            ))
            .with_hint(
                "sign in again with `dodil auth login`, or remove it with `dodil auth logout`",
            )
            .into()),
        },
        None => Ok(None),
    }
}

/// Keeps `token` for `key`: in the keyring, else (saying so) in the fallback file. Whatever the
/// key held before is replaced in both places.
pub fn store(key: &StoreKey, token: &Token, printer: &Printer) -> anyhow::Result<Place> {
    let backend = Backend::from_env()?;
    let paths = files::Paths::for_key(key).ok_or_else(no_config_dir)?;
    files::ensure_private_dir(&paths.dir)?;
    if backend != Backend::File {
        match keyring::set(backend, key.user(), token.expose()) {
            Ok(()) => {
                files::write_private(&paths.marker, marker_text(key).as_bytes())?;
                files::remove(&paths.token)?;
                return Ok(Place::Keyring);
            }
            Err(why) => printer.warn(&format!(
                "no keyring answered ({why}); keeping the token in {} (mode 0600) instead",
                paths.token.display()
            )),
        }
    }
    files::write_private(&paths.token, format!("{}\n", token.expose()).as_bytes())?;
    // A keyring entry from an earlier login must not shadow this newer token.
    files::remove(&paths.marker)?;
    Ok(Place::File(paths.token))
}

/// What [`forget`] removed.
#[derive(Debug, Default)]
pub struct Forgotten {
    /// The keyring held a token for the key, and no longer does.
    pub keyring: bool,
    /// The fallback file that was removed.
    pub file: Option<PathBuf>,
    /// The keyring did not answer although the marker says it holds a token: it may still.
    pub keyring_unanswered: Option<String>,
}

/// Forgets the token stored for `key`: the keyring's entry (asked even without a marker, so a
/// lost marker leaves nothing behind) and the fallback file. Nothing stored is no error.
pub fn forget(key: &StoreKey, printer: &Printer) -> anyhow::Result<Forgotten> {
    let backend = Backend::from_env()?;
    let mut forgotten = Forgotten::default();
    let Some(paths) = files::Paths::for_key(key) else {
        return Ok(forgotten);
    };
    let marked = paths.marker.exists();
    if backend != Backend::File {
        match keyring::delete(backend, key.user()) {
            Ok(deleted) => forgotten.keyring = deleted,
            Err(why) if marked => forgotten.keyring_unanswered = Some(why.to_string()),
            Err(why) => printer.verbose(&format!("the keyring did not answer ({why})")),
        }
    }
    files::remove(&paths.marker)?;
    if files::remove(&paths.token)? {
        forgotten.file = Some(paths.token);
    }
    Ok(forgotten)
}

/// What the marker file says to someone who opens it.
fn marker_text(key: &StoreKey) -> String {
    format!(
        "The dodil token for {} is in the platform's keyring (service {SERVICE}, user {}).\n",
        key.user(),
        key.user()
    )
}

fn no_config_dir() -> anyhow::Error {
    CliError::usage("there is no config directory to keep the token in (is HOME set?)").into()
}

impl std::fmt::Display for Unanswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unanswered::TimedOut => {
                write!(f, "no answer within {} s", KEYRING_TIMEOUT.as_secs_f64())
            }
            Unanswered::Failed(why) => f.write_str(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_profile_host_and_port() {
        let key = |profile, url| StoreKey::new(profile, &Endpoint::parse(url).unwrap());
        assert_eq!(
            key(None, "https://RPC.dodil.io").unwrap().user(),
            "default@rpc.dodil.io:443"
        );
        assert_eq!(
            key(Some("staging"), "http://127.0.0.1:50051")
                .unwrap()
                .user(),
            "staging@127.0.0.1:50051"
        );
        assert_ne!(
            key(None, "http://127.0.0.1:1"),
            key(None, "http://localhost:1")
        );
        assert_eq!(key(None, "embedded"), None);
    }
}
