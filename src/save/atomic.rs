//! Files that appear whole or not at all: written under a temporary name beside their final one,
//! hashed as they are written, fsynced, then renamed. Dropping an [`AtomicFile`] before
//! [`AtomicFile::commit`] (an error, Ctrl-C ending the task) removes the temporary file.
//!
//! A file whose bytes are all in can be [sealed](AtomicFile::seal) long before it is committed:
//! flushed, fsynced and closed, keeping only its temporary path. A save of thousands of step
//! payloads then holds thousands of paths, not thousands of open files and write buffers.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::TempPath;

use crate::error::{CliError, ExitStatus};

/// Prefix and suffix of every temporary file we create, so a later `--force` can clear leftovers
/// of a killed process.
pub const TEMP_PREFIX: &str = ".dodil-";
pub const TEMP_SUFFIX: &str = ".part";

/// A file written: where (relative to the save directory, `/`-separated), how big, its sha256.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileEntry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

pub struct AtomicFile {
    /// `None` once sealed: the bytes are on disk and the file is closed.
    writer: Option<BufWriter<File>>,
    temp: TempPath,
    target: PathBuf,
    /// The name shown to people and recorded in summary.json.
    name: String,
    hasher: Option<Sha256>,
    bytes: u64,
}

impl AtomicFile {
    /// Starts `target` (in `dir`, which must exist) under a temporary name. `name` is how errors
    /// and summary.json name it. With `hash` off the caller supplies the digest at commit.
    pub fn create(dir: &Path, target: PathBuf, name: String, hash: bool) -> anyhow::Result<Self> {
        let file = blocking(|| {
            let mut builder = tempfile::Builder::new();
            builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                // Ordinary file permissions (the umask applies), not tempfile's private 0600.
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
            builder.tempfile_in(dir)
        })
        .map_err(|err| write_error(&name, &err))?;
        let (file, temp) = file.into_parts();
        Ok(AtomicFile {
            writer: Some(BufWriter::with_capacity(64 * 1024, file)),
            temp,
            target,
            name,
            hasher: hash.then(Sha256::new),
            bytes: 0,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    pub fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(data);
        }
        let Some(writer) = &mut self.writer else {
            return Err(write_error(
                &self.name,
                &std::io::Error::other("written to after it was sealed"),
            ));
        };
        blocking(|| writer.write_all(data)).map_err(|err| write_error(&self.name, &err))?;
        self.bytes += data.len() as u64;
        Ok(())
    }

    /// Flushes, fsyncs and closes the file, which keeps its temporary name until
    /// [`commit`](Self::commit) (and is removed if dropped before). No more writes. Sealing twice
    /// is harmless.
    pub fn seal(&mut self) -> anyhow::Result<()> {
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        blocking(|| -> std::io::Result<()> {
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()
        })
        .map_err(|err| write_error(&self.name, &err))
    }

    /// Whether the file is still open for writing.
    pub fn is_open(&self) -> bool {
        self.writer.is_some()
    }

    /// Seals (if not yet), renames to the final name, and fsyncs the directory. `sha256` is
    /// needed only when the file was created without hashing.
    pub fn commit(mut self, sha256: Option<String>) -> anyhow::Result<FileEntry> {
        self.seal()?;
        let AtomicFile {
            writer,
            temp,
            target,
            name,
            hasher,
            bytes,
        } = self;
        let sha256 = match (hasher, sha256) {
            (Some(hasher), _) => hex(&hasher.finalize()),
            (None, Some(sha)) => sha,
            (None, None) => {
                unreachable!("a file created without hashing is committed with a digest")
            }
        };
        debug_assert!(writer.is_none(), "sealed above");
        blocking(|| -> std::io::Result<()> {
            temp.persist(&target).map_err(|e| e.error)?;
            if let Some(parent) = target.parent() {
                sync_dir(parent);
            }
            Ok(())
        })
        .map_err(|err| write_error(&name, &err))?;
        Ok(FileEntry {
            path: name,
            bytes,
            sha256,
        })
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Makes a rename durable. Not every platform can open a directory; that is not an error.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// A local write failure: the file is named, the download counts as incomplete (exit 7).
fn write_error(name: &str, err: &std::io::Error) -> anyhow::Error {
    CliError::new(
        ExitStatus::DownloadIncomplete,
        format!("cannot write {name}: {err}"),
    )
    .into()
}

/// Runs blocking file work without stalling the other tasks of a multi-threaded runtime.
pub fn blocking<R>(work: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn commit_renames_and_hashes_drop_removes() {
        let dir = tempfile::tempdir().unwrap();
        let mut file =
            AtomicFile::create(dir.path(), dir.path().join("a.json"), "a.json".into(), true)
                .unwrap();
        file.write(b"abc").unwrap();
        assert_eq!(entries(dir.path()).len(), 1);
        assert!(entries(dir.path())[0].starts_with(TEMP_PREFIX));
        let entry = file.commit(None).unwrap();
        assert_eq!(entry.bytes, 3);
        assert_eq!(
            entry.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(entries(dir.path()), vec!["a.json"]);
        assert_eq!(std::fs::read(dir.path().join("a.json")).unwrap(), b"abc");

        let mut file =
            AtomicFile::create(dir.path(), dir.path().join("b.json"), "b.json".into(), true)
                .unwrap();
        file.write(b"half").unwrap();
        drop(file);
        assert_eq!(entries(dir.path()), vec!["a.json"]);
    }

    #[test]
    fn sealed_file_is_closed_but_committed_or_removed_later() {
        let dir = tempfile::tempdir().unwrap();
        let mut file =
            AtomicFile::create(dir.path(), dir.path().join("c.json"), "c.json".into(), true)
                .unwrap();
        file.write(b"abc").unwrap();
        file.seal().unwrap();
        assert!(!file.is_open());
        file.seal().unwrap();
        assert!(file.write(b"more").is_err(), "no writes after sealing");
        // Still under its temporary name, with every byte on disk.
        let temp = entries(dir.path());
        assert!(
            temp.len() == 1 && temp[0].starts_with(TEMP_PREFIX),
            "{temp:?}"
        );
        assert_eq!(std::fs::read(dir.path().join(&temp[0])).unwrap(), b"abc");
        let entry = file.commit(None).unwrap();
        assert_eq!(entry.bytes, 3);
        assert_eq!(entries(dir.path()), vec!["c.json"]);

        let mut file =
            AtomicFile::create(dir.path(), dir.path().join("d.json"), "d.json".into(), true)
                .unwrap();
        file.write(b"abc").unwrap();
        file.seal().unwrap();
        drop(file);
        assert_eq!(entries(dir.path()), vec!["c.json"]);
    }
}
