//! The credentials directory, `dodil/credentials/` under the platform config directory (mode
//! 0700): a token file (`<key>.token`, 0600) where no keyring answered, a marker
//! (`<key>.keyring`) where one holds the token. Never beside a `DODIL_CONFIG` file: that may
//! sit in a project's repository, and a secret must not land there.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::StoreKey;
use crate::error::CliError;

/// Everything but letters, digits and `.-_@` is escaped: a profile name or an IPv6 host becomes
/// one safe file name on every platform.
const FILE_NAME: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'@');

pub fn credentials_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("dodil").join("credentials"))
}

/// keyring-core's sample store (`DODIL_KEYRING=sample`) lives in the credentials directory.
pub fn sample_store_file() -> Option<PathBuf> {
    credentials_dir().map(|dir| dir.join("sample-keyring.ron"))
}

/// The files of one key.
pub struct Paths {
    pub dir: PathBuf,
    pub token: PathBuf,
    pub marker: PathBuf,
}

impl Paths {
    pub fn for_key(key: &StoreKey) -> Option<Paths> {
        let dir = credentials_dir()?;
        let stem = utf8_percent_encode(key.user(), FILE_NAME).to_string();
        Some(Paths {
            token: dir.join(format!("{stem}.token")),
            marker: dir.join(format!("{stem}.keyring")),
            dir,
        })
    }
}

/// Creates `dir` (and its parents) with `dir` itself at mode 0700, tightening it if it is
/// looser.
pub fn ensure_private_dir(dir: &Path) -> anyhow::Result<()> {
    let failed =
        |err: std::io::Error| CliError::usage(format!("cannot create {}: {err}", dir.display()));
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(failed(err).into()),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).map_err(failed)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(failed)?;
        }
    }
    Ok(())
}

/// Writes `path` whole or not at all: a temporary file in the same directory, created with mode
/// 0600 (so the token is never readable by others, not even for a moment), synced, renamed.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .context("a credentials file has a directory")?;
    let failed = |err: std::io::Error| {
        CliError::usage(format!(
            "cannot write {}: {}",
            path.display(),
            crate::save::atomic::io_words(&err)
        ))
    };
    // tempfile creates its files with mode 0600 on Unix.
    let mut file = tempfile::Builder::new()
        .prefix(".dodil-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(failed)?;
    file.write_all(bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist(path).map_err(|err| failed(err.error))?;
    Ok(())
}

/// The file's text; `None` when it does not exist.
pub fn read_private(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(CliError::usage(format!(
            "cannot read the stored token file {}: {err}",
            path.display()
        ))
        .into()),
    }
}

/// Removes `path`; whether it was there.
pub fn remove(path: &Path) -> anyhow::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(CliError::usage(format!("cannot remove {}: {err}", path.display())).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_safe_file_name() {
        for user in [
            "../../x@h:1",
            "a/b@[::1]:443",
            "default@rpc.dodil.io:443",
            "é@h",
        ] {
            let stem = utf8_percent_encode(user, FILE_NAME).to_string();
            assert!(
                stem.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-_@%".contains(c)),
                "{stem}"
            );
            assert!(!stem.contains('/') && stem != "." && stem != "..", "{stem}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn files_are_0600_in_a_0700_dir() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("dodil").join("credentials");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("k.token");
        write_private(&file, b"t0k\n").unwrap();
        assert_eq!(mode(&file), 0o600);
        write_private(&file, b"t1k\n").unwrap();
        assert_eq!(read_private(&file).unwrap().as_deref(), Some("t1k\n"));
        assert!(remove(&file).unwrap());
        assert!(!remove(&file).unwrap());
        assert_eq!(read_private(&file).unwrap(), None);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    }
}
