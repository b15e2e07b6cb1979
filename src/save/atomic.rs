//! Files that appear whole or not at all: written under a temporary name beside their final one,
//! hashed as they are written, fsynced, then renamed. Dropping an [`AtomicFile`] before
//! [`AtomicFile::commit`] (an error, Ctrl-C ending the task) removes the temporary file.
//!
//! A file that grows past [`BACKGROUND_AFTER`] is handed to a writer thread of its own: chunks
//! go to it through a short bounded queue (the network keeps flowing while the disk writes, and
//! a slow disk holds the download back instead of filling memory), and it asks the kernel to
//! start writing back every [`WRITEBACK_BYTES`], so the final fsync has little left to do.
//!
//! A file whose bytes are all in can be [sealed](AtomicFile::seal) long before it is committed:
//! flushed, fsynced and closed, keeping only its temporary path. A save of thousands of step
//! payloads then holds thousands of paths, not thousands of open files and write buffers.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use bytes::Bytes;
use tempfile::TempPath;

use crate::error::{CliError, ExitStatus};

use super::digest::StreamHasher;
use super::worker::Worker;

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

/// Size past which a file's writes move to a writer thread.
pub const BACKGROUND_AFTER: u64 = 1024 * 1024;
/// Chunks queued for the writer thread at most (with 512 KiB chunks: 2 MiB in flight).
const QUEUE_CHUNKS: usize = 4;
/// How much written data the writer thread lets accumulate before starting its writeback.
const WRITEBACK_BYTES: u64 = 8 * 1024 * 1024;

pub struct AtomicFile {
    writer: Writer,
    temp: TempPath,
    target: PathBuf,
    /// The name shown to people and recorded in summary.json.
    name: String,
    hasher: Option<StreamHasher>,
    bytes: u64,
    /// Removed by the Ctrl-C listener should the process be ended before this is dropped.
    _tracked: crate::interrupt::Tracked,
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
        let tracked = crate::interrupt::track_temporary(&temp);
        Ok(AtomicFile {
            _tracked: tracked,
            writer: Writer::Inline(BufWriter::with_capacity(64 * 1024, file)),
            temp,
            target,
            name,
            hasher: hash.then(StreamHasher::new),
            bytes: 0,
        })
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    pub fn write(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.check_writable()?;
        if matches!(self.writer, Writer::Inline(_)) && !self.goes_background(data.len()) {
            if let Some(hasher) = &mut self.hasher {
                hasher.update_slice(data);
            }
            return self.write_inline(data);
        }
        self.write_bytes(Bytes::copy_from_slice(data))
    }

    /// Like [`AtomicFile::write`], taking the bytes without a copy (a received chunk).
    pub fn write_bytes(&mut self, data: Bytes) -> anyhow::Result<()> {
        self.check_writable()?;
        self.hash(&data);
        if let Writer::Inline(_) = self.writer {
            if !self.goes_background(data.len()) {
                return self.write_inline(&data);
            }
            self.start_background()?;
        }
        let Writer::Background(worker) = &mut self.writer else {
            return Err(write_error(
                &self.name,
                &std::io::Error::other("an earlier write failed"),
            ));
        };
        let len = data.len() as u64;
        if !worker.send(data) {
            // The writer thread stopped on an error: that error is the one to report.
            let writer = std::mem::replace(&mut self.writer, Writer::Failed);
            let err = match writer.finish() {
                Err(err) => err,
                Ok(_) => std::io::Error::other("the writer thread stopped"),
            };
            return Err(write_error(&self.name, &err));
        }
        self.bytes += len;
        Ok(())
    }

    /// Writes after [`seal`](Self::seal) or after a failed write are errors, not panics.
    fn check_writable(&self) -> anyhow::Result<()> {
        match self.writer {
            Writer::Inline(_) | Writer::Background(_) => Ok(()),
            Writer::Sealed { .. } => Err(write_error(
                &self.name,
                &std::io::Error::other("written to after it was sealed"),
            )),
            Writer::Failed => Err(write_error(
                &self.name,
                &std::io::Error::other("an earlier write failed"),
            )),
        }
    }

    /// Flushes, fsyncs and closes the file, which keeps its temporary name until
    /// [`commit`](Self::commit) (and is removed if dropped before). No more writes. Sealing twice
    /// is harmless.
    pub fn seal(&mut self) -> anyhow::Result<()> {
        match self.writer {
            Writer::Sealed { synced: true } => return Ok(()),
            Writer::Sealed { synced: false } => {
                let temp: &Path = &self.temp;
                blocking(|| File::open(temp)?.sync_all())
                    .map_err(|err| write_error(&self.name, &err))?;
            }
            _ => {
                let writer = std::mem::replace(&mut self.writer, Writer::Failed);
                blocking(|| -> std::io::Result<()> { writer.finish()?.sync_all() })
                    .map_err(|err| write_error(&self.name, &err))?;
            }
        }
        self.writer = Writer::Sealed { synced: true };
        Ok(())
    }

    /// Flushes and closes the file without waiting for the disk: for a file committed in a
    /// [`Batch`], which makes all its files durable at once. Closing twice is harmless.
    pub fn close(&mut self) -> anyhow::Result<()> {
        if matches!(self.writer, Writer::Sealed { .. }) {
            return Ok(());
        }
        let writer = std::mem::replace(&mut self.writer, Writer::Failed);
        blocking(|| writer.finish().map(drop)).map_err(|err| write_error(&self.name, &err))?;
        self.writer = Writer::Sealed { synced: false };
        Ok(())
    }

    /// Whether the file is still open for writing.
    #[cfg(test)]
    pub fn is_open(&self) -> bool {
        matches!(self.writer, Writer::Inline(_) | Writer::Background(_))
    }

    fn hash(&mut self, data: &Bytes) {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(data);
        }
    }

    fn goes_background(&self, more: usize) -> bool {
        self.bytes + more as u64 > BACKGROUND_AFTER
    }

    fn write_inline(&mut self, data: &[u8]) -> anyhow::Result<()> {
        let Writer::Inline(writer) = &mut self.writer else {
            return Err(write_error(
                &self.name,
                &std::io::Error::other("not writing inline"),
            ));
        };
        blocking(|| writer.write_all(data)).map_err(|err| write_error(&self.name, &err))?;
        self.bytes += data.len() as u64;
        Ok(())
    }

    /// Hands the file (what was buffered flushed first) to a writer thread.
    fn start_background(&mut self) -> anyhow::Result<()> {
        let Writer::Inline(writer) = std::mem::replace(&mut self.writer, Writer::Failed) else {
            return Ok(());
        };
        let file = writer
            .into_inner()
            .map_err(|e| write_error(&self.name, e.error()))?;
        let offset = self.bytes;
        let worker = Worker::spawn("dodil-writer", QUEUE_CHUNKS, move |rx: Receiver<Bytes>| {
            let mut file = file;
            let mut written = offset;
            let mut flushed = offset;
            for data in rx {
                if let Err(err) = file.write_all(&data) {
                    return (file, Err(err));
                }
                written += data.len() as u64;
                if written - flushed >= WRITEBACK_BYTES {
                    start_writeback(&file, flushed, written - flushed);
                    flushed = written;
                }
            }
            (file, Ok(()))
        })
        .map_err(|err| write_error(&self.name, &err))?;
        self.writer = Writer::Background(worker);
        Ok(())
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
            _tracked,
        } = self;
        let sha256 = match (hasher, sha256) {
            (Some(hasher), _) => hex(&hasher.finish()),
            (None, Some(sha)) => sha,
            (None, None) => {
                unreachable!("a file created without hashing is committed with a digest")
            }
        };
        debug_assert!(matches!(writer, Writer::Sealed { synced: true }));
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

    fn digest(&mut self, sha256: Option<String>) -> String {
        match (self.hasher.take(), sha256) {
            (Some(hasher), _) => hex(&hasher.finish()),
            (None, Some(sha)) => sha,
            (None, None) => {
                unreachable!("a file created without hashing is committed with a digest")
            }
        }
    }
}

/// Files committed together, all whole or absent as one by one, at a fraction of the cost: a
/// save of 3 000 steps has 9 000 files, and an fsync of each file and of its directory, one after
/// another, took 20 s. Here every file's data is made durable at once, then all are renamed,
/// then all the renames are made durable at once (on Linux one `syncfs` each time, measured at
/// 0.4-0.7 s for 9 000 files; elsewhere an fsync per file and per directory).
#[derive(Default)]
pub struct Batch {
    files: Vec<(AtomicFile, String)>,
}

impl Batch {
    /// Adds a file whose bytes are all in; it is closed now (thousands of files must not stay
    /// open), and removed if the batch is dropped uncommitted.
    pub fn push(&mut self, mut file: AtomicFile, sha256: Option<String>) -> anyhow::Result<()> {
        file.close()?;
        let digest = file.digest(sha256);
        self.files.push((file, digest));
        Ok(())
    }

    /// Adds a small file written whole from `bytes`.
    pub fn push_bytes(
        &mut self,
        dir: &Path,
        target: PathBuf,
        name: String,
        bytes: &[u8],
    ) -> anyhow::Result<()> {
        let mut file = AtomicFile::create(dir, target, name, true)?;
        file.write(bytes)?;
        self.push(file, None)
    }

    /// Makes every file durable, renames each to its final name, and makes the renames durable.
    /// `root`: a directory on the files' filesystem. The entries come back in the order added.
    pub fn commit(self, root: &Path) -> anyhow::Result<Vec<FileEntry>> {
        if self.files.is_empty() {
            return Ok(Vec::new());
        }
        let first = self.files[0].0.name.clone();
        blocking(|| -> std::io::Result<Vec<FileEntry>> {
            let temps: Vec<&Path> = self.files.iter().map(|(f, _)| &*f.temp as &Path).collect();
            durable(root, &temps)?;
            let mut entries = Vec::with_capacity(self.files.len());
            let mut parents = std::collections::BTreeSet::new();
            for (file, sha256) in self.files {
                let AtomicFile {
                    temp,
                    target,
                    name,
                    bytes,
                    ..
                } = file;
                temp.persist(&target).map_err(|e| e.error)?;
                if let Some(parent) = target.parent() {
                    parents.insert(parent.to_path_buf());
                }
                entries.push(FileEntry {
                    path: name,
                    bytes,
                    sha256,
                });
            }
            let parents: Vec<&Path> = parents.iter().map(PathBuf::as_path).collect();
            durable(root, &parents)?;
            Ok(entries)
        })
        .map_err(|err| write_error(&first, &err))
    }
}

/// Makes `paths` (files or directories, all on `root`'s filesystem) durable: one `syncfs` on
/// Linux, an fsync of each elsewhere or when `syncfs` fails.
fn durable(root: &Path, paths: &[&Path]) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let handle = File::open(root)?;
        if group_sync::syncfs(&handle) {
            return Ok(());
        }
    }
    for path in paths {
        if path.is_dir() {
            sync_dir(path);
        } else {
            File::open(path)?.sync_all()?;
        }
    }
    Ok(())
}

/// `syncfs` shared by the saves of one process (`run --inputs --save` makes many at once): a
/// caller needs a sync that *starts* after its writes, so all who arrive while one runs wait
/// for the next and share it, instead of each walking the filesystem's dirty pages in turn.
#[cfg(target_os = "linux")]
mod group_sync {
    use std::collections::HashMap;
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    use std::sync::{Condvar, Mutex};

    #[derive(Default)]
    struct Device {
        /// Syncs started, and the last one finished (with how it went).
        started: u64,
        finished: u64,
        finished_ok: bool,
        running: bool,
    }

    static DEVICES: Mutex<Option<HashMap<u64, Device>>> = Mutex::new(None);
    static CHANGED: Condvar = Condvar::new();

    /// Whether a `syncfs` of `handle`'s filesystem, begun after this call, succeeded.
    pub fn syncfs(handle: &File) -> bool {
        let Ok(dev) = handle.metadata().map(|m| m.dev()) else {
            return false;
        };
        let mut devices = DEVICES.lock().unwrap_or_else(|e| e.into_inner());
        // The next sync to start is the first that covers what this caller wrote.
        let needed = devices
            .get_or_insert_with(HashMap::new)
            .entry(dev)
            .or_default()
            .started
            + 1;
        loop {
            let device = devices
                .as_mut()
                .and_then(|d| d.get_mut(&dev))
                .expect("device entry");
            if device.finished >= needed {
                // A sync that began after our writes ended; a later one may have finished
                // since, and covers us just as well.
                return device.finished_ok;
            }
            if device.running {
                devices = CHANGED.wait(devices).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            device.running = true;
            device.started += 1;
            let this = device.started;
            drop(devices);
            // SAFETY: a plain syscall on a descriptor we own, no memory passed.
            let ok = unsafe { libc::syncfs(handle.as_raw_fd()) } == 0;
            devices = DEVICES.lock().unwrap_or_else(|e| e.into_inner());
            let device = devices
                .as_mut()
                .and_then(|d| d.get_mut(&dev))
                .expect("device entry");
            device.running = false;
            device.finished = this;
            device.finished_ok = ok;
            CHANGED.notify_all();
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn concurrent_callers_share_syncs_and_each_is_covered() {
            let dir = tempfile::tempdir().unwrap();
            let threads: Vec<_> = (0..16)
                .map(|i| {
                    let path = dir.path().join(format!("f{i}"));
                    std::thread::spawn(move || {
                        std::fs::write(&path, b"data").unwrap();
                        let handle = std::fs::File::open(path.parent().unwrap()).unwrap();
                        super::syncfs(&handle)
                    })
                })
                .collect();
            for thread in threads {
                assert!(thread.join().unwrap());
            }
        }
    }
}

/// Where an [`AtomicFile`]'s bytes go: through a buffer on the caller's thread, or to a writer
/// thread of its own.
enum Writer {
    Inline(BufWriter<File>),
    Background(Worker<Bytes, (File, std::io::Result<()>)>),
    /// The writer failed (its error already reported) or is between two states.
    Failed,
    /// Flushed and closed (`synced`: and fsynced): waiting for the rename.
    Sealed {
        synced: bool,
    },
}

impl Writer {
    /// Everything written out; the file, ready to be synced.
    fn finish(self) -> std::io::Result<File> {
        match self {
            Writer::Inline(writer) => writer.into_inner().map_err(|e| e.into_error()),
            Writer::Background(worker) => match worker.join() {
                Ok((file, result)) => result.map(|()| file),
                Err(_) => Err(std::io::Error::other("the writer thread panicked")),
            },
            Writer::Failed | Writer::Sealed { .. } => {
                Err(std::io::Error::other("an earlier write failed"))
            }
        }
    }
}

/// Asks the kernel to start writing `len` bytes from `offset` to disk now, without waiting, so
/// dirty pages do not pile up for the final fsync. Advisory: an error here is not one (the fsync
/// reports real ones).
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    // SAFETY: a plain syscall on a descriptor we own, no memory passed.
    unsafe {
        libc::sync_file_range(
            file.as_raw_fd(),
            offset as libc::off64_t,
            len as libc::off64_t,
            libc::SYNC_FILE_RANGE_WRITE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _len: u64) {}

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
pub(crate) fn write_error(name: &str, err: &std::io::Error) -> anyhow::Error {
    let words = io_words(err);
    CliError::new(
        ExitStatus::DownloadIncomplete,
        format!("cannot write {name}: {words}"),
    )
    .into()
}

/// What an I/O error says, without the ` at path "DIR/.dodil-XXXX.part"` tempfile appends: the
/// user knows the file by its final name, which the message gives.
pub fn io_words(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" at path \"") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
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
    fn large_files_go_through_the_writer_thread() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        let mut file =
            AtomicFile::create(dir.path(), dir.path().join("big"), "big".into(), true).unwrap();
        // Past BACKGROUND_AFTER and WRITEBACK_BYTES, in owned and borrowed pieces.
        for i in 0..40u8 {
            let piece = vec![i; 300 * 1024 + usize::from(i)];
            expected.extend_from_slice(&piece);
            if i % 2 == 0 {
                file.write_bytes(Bytes::from(piece)).unwrap();
            } else {
                file.write(&piece).unwrap();
            }
        }
        assert!(matches!(file.writer, Writer::Background(_)));
        assert_eq!(file.bytes(), expected.len() as u64);
        let entry = file.commit(None).unwrap();
        assert_eq!(
            entry.sha256,
            hex(&<sha2::Sha256 as sha2::Digest>::digest(&expected))
        );
        assert_eq!(std::fs::read(dir.path().join("big")).unwrap(), expected);

        let mut file =
            AtomicFile::create(dir.path(), dir.path().join("gone"), "gone".into(), true).unwrap();
        file.write_bytes(Bytes::from(vec![1u8; 3 * 1024 * 1024]))
            .unwrap();
        drop(file);
        assert_eq!(entries(dir.path()), vec!["big"]);
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
