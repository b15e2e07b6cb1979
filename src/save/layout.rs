//! The `--save DIR` layout of `cli-contract.md`, and the rules that keep every write inside DIR:
//!
//! ```text
//! DIR/output.json  DIR/summary.json  DIR/yields.jsonl  DIR/steps/<path>/{step,input,output}.json
//! ```
//!
//! A step path becomes a directory name only when it is `digits(.digits)*` (and short); anything
//! else a server sends (`..`, `/etc`, separators, control characters) is encoded as `x-<hex>`, so
//! it can never name a path outside `DIR/steps`. Every directory is checked after it is made: a
//! real directory (not a symlink) whose canonical path lies inside DIR.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{CliError, ExitStatus};

use super::atomic::{TEMP_PREFIX, TEMP_SUFFIX};

pub const OUTPUT_FILE: &str = "output.json";
pub const SUMMARY_FILE: &str = "summary.json";
pub const YIELDS_FILE: &str = "yields.jsonl";
pub const STEPS_DIR: &str = "steps";
pub const STEP_FILE: &str = "step.json";
pub const INPUT_FILE: &str = "input.json";

/// The longest step path used as a directory name as it is.
const MAX_PLAIN_PATH: usize = 100;

/// Whether a step path has the shape `digits(.digits)*`.
pub fn is_plain_step_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= MAX_PLAIN_PATH
        && path
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The directory name under `steps/` for a step path: the path itself when plain, else `x-` and
/// the hex of its bytes (or of their sha256 when long). Only `[0-9.]` or `x-[0-9a-f]` come out.
pub fn step_dir_name(path: &str) -> String {
    if is_plain_step_path(path) {
        return path.to_string();
    }
    let hex = super::atomic::hex(path.as_bytes());
    if hex.len() <= 64 {
        format!("x-{hex}")
    } else {
        use sha2::Digest;
        let digest = super::atomic::hex(&sha2::Sha256::digest(path.as_bytes()));
        format!("x-{}", &digest[..40])
    }
}

/// A prepared save directory.
#[derive(Clone, Debug)]
pub struct SaveDir {
    /// Canonical path: every write is checked against it.
    root: PathBuf,
    /// As the user wrote it, for messages.
    shown: PathBuf,
}

impl SaveDir {
    /// Creates DIR if missing; refuses an existing non-empty DIR unless `force`, and then clears
    /// only our own files (and the leftovers of an interrupted save). Problems here are local:
    /// exit 2, before anything is downloaded.
    pub fn prepare(dir: &Path, force: bool) -> Result<SaveDir, CliError> {
        // Files of ours are about to appear: a Ctrl-C from now on must clean them up.
        crate::interrupt::arm();
        let shown = dir.to_path_buf();
        let show = shown.display().to_string();
        let local = |what: &str, err: io::Error| CliError::usage(format!("{what} {show}: {err}"));
        match fs::symlink_metadata(dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) if meta.file_type().is_symlink() && dir.is_dir() => {}
            Ok(_) => {
                return Err(CliError::usage(format!(
                    "--save {show}: it exists and is not a directory"
                )))
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir).map_err(|err| local("cannot create", err))?;
            }
            Err(err) => return Err(local("cannot use", err)),
        }
        let root = fs::canonicalize(dir).map_err(|err| local("cannot use", err))?;
        let save = SaveDir { root, shown };
        // What a killed save of ours left (`.dodil-*.part`) is ours to clear, not the user's.
        remove_temp_files(&save.root).map_err(|err| local("cannot clear old files in", err))?;
        save.clear_interrupted_steps()
            .map_err(|err| local("cannot clear old files in", err))?;
        let non_empty = fs::read_dir(&save.root)
            .map_err(|err| local("cannot read", err))?
            .next()
            .is_some();
        if non_empty {
            if !force {
                return Err(CliError::usage(format!(
                    "--save {show}: the directory exists and is not empty"
                ))
                .with_hint(
                    "choose a new directory, or add --force to replace dodil's files in it (other files are left alone)",
                ));
            }
            save.clear_our_files()
                .map_err(|err| local("cannot clear old files in", err))?;
        }
        // Fail now, not after a long download, if we cannot write here.
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(&save.root)
            .map_err(|err| {
                local(
                    "cannot write in",
                    io::Error::new(err.kind(), super::atomic::io_words(&err)),
                )
            })?;
        Ok(save)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn shown(&self) -> &Path {
        &self.shown
    }

    /// A top-level file of the layout.
    pub fn top_file(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Makes `steps/<name>/` for a step path and returns it with its name relative to DIR.
    pub fn step_dir(&self, step_path: &str) -> Result<(PathBuf, String), CliError> {
        let steps = self.root.join(STEPS_DIR);
        self.real_dir_inside(&steps, STEPS_DIR)?;
        let name = step_dir_name(step_path);
        let dir = steps.join(&name);
        let rel = format!("{STEPS_DIR}/{name}");
        self.real_dir_inside(&dir, &rel)?;
        Ok((dir, rel))
    }

    /// Creates `dir` if missing and checks it is a real directory inside the root.
    fn real_dir_inside(&self, dir: &Path, rel: &str) -> Result<(), CliError> {
        let fail = |why: String| {
            CliError::new(
                ExitStatus::DownloadIncomplete,
                format!("cannot write {rel}: {why}"),
            )
        };
        match fs::create_dir(dir) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(fail(err.to_string())),
        }
        let meta = fs::symlink_metadata(dir).map_err(|err| fail(err.to_string()))?;
        if !meta.is_dir() {
            return Err(fail(
                "it exists and is not a directory (or is a symlink)".into(),
            ));
        }
        let canonical = fs::canonicalize(dir).map_err(|err| fail(err.to_string()))?;
        if !canonical.starts_with(&self.root) || canonical == self.root {
            return Err(fail(format!(
                "it resolves to {}, outside the save directory",
                canonical.display()
            )));
        }
        Ok(())
    }

    /// Removes what an interrupted save of ours left under `steps/`: temporary files and the
    /// step directories they leave empty (the step files stream beside the output, so a save
    /// stopped early may have made some), and `steps/` itself if nothing else is in it.
    fn clear_interrupted_steps(&self) -> io::Result<()> {
        let steps = self.root.join(STEPS_DIR);
        if !fs::symlink_metadata(&steps).is_ok_and(|m| m.is_dir()) {
            return Ok(());
        }
        for entry in fs::read_dir(&steps)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                remove_temp_files(&entry.path())?;
                let _ = fs::remove_dir(entry.path()); // only if now empty
            }
        }
        let _ = fs::remove_dir(&steps);
        Ok(())
    }

    /// Removes what a previous save of ours left: our top-level files, our step files (in real
    /// step directories only, never following a symlink), and temporary files.
    fn clear_our_files(&self) -> io::Result<()> {
        for name in [SUMMARY_FILE, OUTPUT_FILE, YIELDS_FILE] {
            remove_file_if_there(&self.root.join(name))?;
        }
        remove_temp_files(&self.root)?;
        let steps = self.root.join(STEPS_DIR);
        if !fs::symlink_metadata(&steps).is_ok_and(|m| m.is_dir()) {
            return Ok(());
        }
        for entry in fs::read_dir(&steps)? {
            let entry = entry?;
            if !entry.file_type()?.is_dir() {
                continue;
            }
            let dir = entry.path();
            for name in [STEP_FILE, INPUT_FILE, OUTPUT_FILE] {
                remove_file_if_there(&dir.join(name))?;
            }
            remove_temp_files(&dir)?;
            let _ = fs::remove_dir(&dir); // only if now empty
        }
        let _ = fs::remove_dir(&steps);
        Ok(())
    }
}

fn remove_file_if_there(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_dir() => fs::remove_file(path),
        Ok(_) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    }
}

fn remove_temp_files(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
            && entry.file_type()?.is_file()
        {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_paths_kept_others_encoded() {
        assert_eq!(step_dir_name("1"), "1");
        assert_eq!(step_dir_name("1.0.2"), "1.0.2");
        assert_eq!(step_dir_name(".."), "x-2e2e");
        assert_eq!(step_dir_name("/etc/passwd").len(), 2 + 22);
        assert_eq!(step_dir_name("1..2"), "x-312e2e32");
        assert_eq!(step_dir_name(""), "x-");
        assert!(step_dir_name(&"9".repeat(200)).starts_with("x-"));
        assert!(!is_plain_step_path("1.a"));
        assert!(!is_plain_step_path("1/2"));
        assert!(!is_plain_step_path("1.2."));
    }

    #[test]
    fn existing_dir_refused_without_force_and_cleared_with_it() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("out");
        SaveDir::prepare(&dir, false).unwrap(); // created
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        fs::write(dir.join(OUTPUT_FILE), "old").unwrap();
        fs::create_dir_all(dir.join("steps/1")).unwrap();
        fs::write(dir.join("steps/1/step.json"), "old").unwrap();
        fs::write(dir.join(".dodil-abc.part"), "half").unwrap();
        let err = SaveDir::prepare(&dir, false).unwrap_err();
        assert_eq!(err.status, ExitStatus::Usage);
        assert!(!dir.join(".dodil-abc.part").exists(), "ours, cleared");
        SaveDir::prepare(&dir, true).unwrap();
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left, vec!["notes.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_step_dir_is_refused() {
        let base = tempfile::tempdir().unwrap();
        let outside = base.path().join("outside");
        fs::create_dir(&outside).unwrap();
        let save = SaveDir::prepare(&base.path().join("out"), false).unwrap();
        fs::create_dir(save.root().join(STEPS_DIR)).unwrap();
        std::os::unix::fs::symlink(&outside, save.root().join("steps/1")).unwrap();
        assert!(save.step_dir("1").is_err());
        assert!(save.step_dir("2").is_ok());
    }

    #[test]
    fn a_dir_holding_only_our_leftovers_counts_as_empty() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("out");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(".dodil-XyZ123.part"), "half of a killed save").unwrap();
        SaveDir::prepare(&dir, false).unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        // Not ours: a name that merely looks alike is the user's.
        fs::write(dir.join(".dodil-notes"), "mine").unwrap();
        assert!(SaveDir::prepare(&dir, false).is_err());
    }

    proptest! {
        /// Whatever the server calls a step, its directory is a single safe component.
        #[test]
        fn step_dir_name_is_one_safe_component(path in ".{0,80}") {
            let name = step_dir_name(&path);
            prop_assert!(!name.is_empty());
            prop_assert!(name != "." && name != "..");
            prop_assert!(name.len() <= MAX_PLAIN_PATH + 2);
            prop_assert!(name.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'x' || (b'a'..=b'f').contains(&b)));
            let joined = Path::new("/save/steps").join(&name);
            prop_assert_eq!(joined.parent(), Some(Path::new("/save/steps")));
        }

        #[test]
        fn step_dirs_stay_inside(path in prop_oneof![".{0,40}", "[0-9./]{0,20}", Just("../../x".to_string()), Just("/etc".to_string())]) {
            let base = tempfile::tempdir().unwrap();
            let save = SaveDir::prepare(&base.path().join("out"), false).unwrap();
            let (dir, rel) = save.step_dir(&path).unwrap();
            prop_assert!(fs::canonicalize(&dir).unwrap().starts_with(save.root()));
            prop_assert!(rel.starts_with("steps/"));
        }
    }
}
