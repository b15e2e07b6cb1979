//! `verify DIR`: checks a `--save` directory against its own `summary.json`, long after it was
//! written (a CI artifact downloaded next week): every listed file is re-hashed, streamed, so
//! any size costs a small buffer; files the layout would have listed but the summary does not
//! are reported too. Nothing is ever written, and no listed path outside DIR is ever opened.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::atomic::hex;
use super::layout::{OUTPUT_FILE, SUMMARY_FILE, YIELDS_FILE};
use crate::error::CliError;

/// What a file is, measured against its line in summary.json.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileState {
    /// Present, same size, same sha256.
    Ok,
    Missing,
    /// A different size or sha256, or not a regular file any more.
    Changed,
    /// In the layout's places (`steps/`, `output.json`, `yields.jsonl`) but not in summary.json.
    Extra,
    /// summary.json names a path that leads out of DIR: never opened.
    Unsafe,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckedFile {
    pub path: String,
    pub state: FileState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The whole check, as `-o json` prints it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub dir: PathBuf,
    pub ok: bool,
    /// Files summary.json lists.
    pub listed: usize,
    /// Bytes summary.json lists.
    pub listed_bytes: u64,
    pub problems: usize,
    pub files: Vec<CheckedFile>,
}

impl Verification {
    pub fn problem_files(&self) -> impl Iterator<Item = &CheckedFile> {
        self.files.iter().filter(|f| f.state != FileState::Ok)
    }
}

#[derive(Deserialize)]
struct Summary {
    files: Vec<Listed>,
}

#[derive(Deserialize)]
struct Listed {
    path: String,
    bytes: u64,
    sha256: String,
}

/// Checks `dir`. An unreadable or foreign summary.json is exit 2; every file's own trouble is
/// in the answer (see [`Verification::ok`]).
pub fn verify(dir: &Path) -> anyhow::Result<Verification> {
    let summary = read_summary(dir)?;
    let mut files = Vec::with_capacity(summary.files.len());
    let mut listed = BTreeSet::new();
    for entry in &summary.files {
        listed.insert(entry.path.clone());
        files.push(check(dir, entry));
    }
    for path in unlisted(dir, &listed) {
        files.push(CheckedFile {
            path,
            state: FileState::Extra,
            expected_bytes: None,
            expected_sha256: None,
            bytes: None,
            sha256: None,
        });
    }
    let problems = files.iter().filter(|f| f.state != FileState::Ok).count();
    Ok(Verification {
        dir: dir.to_path_buf(),
        ok: problems == 0,
        listed: summary.files.len(),
        listed_bytes: summary.files.iter().map(|f| f.bytes).sum(),
        problems,
        files,
    })
}

fn read_summary(dir: &Path) -> anyhow::Result<Summary> {
    let path = dir.join(SUMMARY_FILE);
    let hint = "verify takes a directory written by --save (thread run, thread result, thread steps --detail)";
    let text = std::fs::read(&path).map_err(|err| {
        CliError::usage(format!("cannot read {}: {err}", path.display())).with_hint(hint)
    })?;
    serde_json::from_slice(&text).map_err(|err| {
        CliError::usage(format!(
            "{} is not a summary.json written by --save: {err}",
            path.display()
        ))
        .with_hint(hint)
        .into()
    })
}

fn check(dir: &Path, entry: &Listed) -> CheckedFile {
    let mut checked = CheckedFile {
        path: entry.path.clone(),
        state: FileState::Ok,
        expected_bytes: Some(entry.bytes),
        expected_sha256: Some(entry.sha256.clone()),
        bytes: None,
        sha256: None,
    };
    let Some(relative) = inside(&entry.path) else {
        checked.state = FileState::Unsafe;
        return checked;
    };
    let path = dir.join(relative);
    // A symlink or a directory where a saved file was is a change, whatever it points at.
    match std::fs::symlink_metadata(&path) {
        Err(_) => checked.state = FileState::Missing,
        Ok(meta) if !meta.is_file() => checked.state = FileState::Changed,
        Ok(_) => match hash_file(&path) {
            Ok((bytes, sha256)) => {
                if bytes != entry.bytes || !sha256.eq_ignore_ascii_case(&entry.sha256) {
                    checked.state = FileState::Changed;
                }
                checked.bytes = Some(bytes);
                checked.sha256 = Some(sha256);
            }
            Err(_) => checked.state = FileState::Missing,
        },
    }
    checked
}

/// `path` as a relative path of plain names only (no `..`, no root, no drive).
fn inside(path: &str) -> Option<PathBuf> {
    let relative = Path::new(path);
    let plain = !path.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| relative.to_path_buf())
}

/// Size and sha256 of a file, read in 1 MiB pieces.
fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1024 * 1024];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        total += n as u64;
    }
    Ok((total, hex(&hasher.finalize())))
}

/// Files where a save puts them (`output.json`, `yields.jsonl`, anything under `steps/`) that
/// summary.json does not list, as `/`-separated paths relative to DIR.
fn unlisted(dir: &Path, listed: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for name in [OUTPUT_FILE, YIELDS_FILE] {
        if dir.join(name).symlink_metadata().is_ok() && !listed.contains(name) {
            found.push(name.to_string());
        }
    }
    let mut pending = vec![PathBuf::from("steps")];
    while let Some(relative) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&relative)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = relative.join(entry.file_name());
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(_) => {
                    let shown = path.to_string_lossy().replace('\\', "/");
                    if !listed.contains(&shown) {
                        found.push(shown);
                    }
                }
                Err(_) => {}
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_inside() {
        assert!(inside("steps/1.0/output.json").is_some());
        for bad in ["", "../x", "steps/../../x", "/etc/passwd", "./x/../../y"] {
            assert!(inside(bad).is_none(), "{bad}");
        }
    }
}
