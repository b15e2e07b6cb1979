//! `yields.jsonl`: every value the thread yielded that this command saw, in sequence order, each
//! once. GetThreadResult lists at most ~100 of them ("the API offers no call for the rest"), but a
//! command that followed the thread saw each on WatchThread: a [`YieldLog`] keeps those as they
//! come, and [`write_yields`] merges them with the unary list when the thread has ended.
//!
//! Memory stays flat whatever the count: the values go to a scratch file in DIR as they arrive
//! (a temporary name, removed if the command ends early, cleared by `--force` if it was killed);
//! memory holds 24 bytes a yield (its sequence and where its line is), and the sequences seen as
//! ranges. The scratch file is read back in sequence order into `yields.jsonl`, which is written
//! aside and renamed like every other file.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use serde::Serialize;
use tempfile::TempPath;

use crate::follow::seq_set::SeqSet;
use crate::model::YieldedValue;

use super::atomic::{blocking, write_error, AtomicFile, FileEntry, TEMP_PREFIX, TEMP_SUFFIX};
use super::layout::{SaveDir, YIELDS_FILE};

/// The yields a follow saw, kept on disk in DIR until the save writes `yields.jsonl`.
pub struct YieldLog {
    root: PathBuf,
    scratch: Option<Scratch>,
    seen: SeqSet,
    /// Each kept yield: its sequence, and where its line is in the scratch file.
    index: Vec<Line>,
}

struct Scratch {
    writer: BufWriter<File>,
    path: TempPath,
    bytes: u64,
}

#[derive(Clone, Copy, Debug)]
struct Line {
    sequence: i64,
    offset: u64,
    len: u32,
}

const SCRATCH_NAME: &str = "the yields seen while following";

impl YieldLog {
    /// How many yields are kept.
    pub fn kept(&self) -> u64 {
        self.seen.len()
    }

    /// A log whose scratch file (made at the first yield) goes in `dir`.
    pub fn new(dir: &SaveDir) -> YieldLog {
        YieldLog {
            root: dir.root().to_path_buf(),
            scratch: None,
            seen: SeqSet::default(),
            index: Vec::new(),
        }
    }

    /// Keeps a yield, unless one of its sequence is kept already.
    pub fn add(&mut self, value: &YieldedValue) -> anyhow::Result<()> {
        if !self.seen.insert(value.sequence) {
            return Ok(());
        }
        let mut line = serde_json::to_vec(value)?;
        line.push(b'\n');
        let len = u32::try_from(line.len())
            .map_err(|_| anyhow::anyhow!("a yielded value of {} bytes", line.len()))?;
        let fail = |err: &std::io::Error| write_error(SCRATCH_NAME, err);
        if self.scratch.is_none() {
            let file = blocking(|| {
                tempfile::Builder::new()
                    .prefix(TEMP_PREFIX)
                    .suffix(TEMP_SUFFIX)
                    .tempfile_in(&self.root)
            })
            .map_err(|err| fail(&err))?;
            let (file, path) = file.into_parts();
            self.scratch = Some(Scratch {
                writer: BufWriter::new(file),
                path,
                bytes: 0,
            });
        }
        let scratch = self.scratch.as_mut().expect("made above");
        blocking(|| scratch.writer.write_all(&line)).map_err(|err| fail(&err))?;
        self.index.push(Line {
            sequence: value.sequence,
            offset: scratch.bytes,
            len,
        });
        scratch.bytes += u64::from(len);
        Ok(())
    }
}

/// Where the list in `yields.jsonl` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum YieldsSource {
    /// Every value came from following the thread (WatchThread).
    Stream,
    /// From GetThreadResult's list alone (nothing followed, or the follow saw none).
    Result,
    /// From following, and GetThreadResult's list added ones the follow missed.
    StreamAndResult,
    /// No yields.
    None,
}

/// What [`write_yields`] wrote.
pub struct YieldsWritten {
    pub file: Option<FileEntry>,
    /// Values in the file.
    pub saved: u64,
    pub source: YieldsSource,
}

/// One line of `yields.jsonl`, from the scratch file or from GetThreadResult's list.
enum LineFrom<'a> {
    Scratch(Line),
    Result(&'a YieldedValue),
}

/// Writes `yields.jsonl` from what the follow kept (if it followed) and GetThreadResult's list
/// (`listed`): each sequence once, in sequence order. No file when there is nothing to write.
pub fn write_yields(
    dir: &SaveDir,
    log: Option<YieldLog>,
    listed: &[YieldedValue],
) -> anyhow::Result<YieldsWritten> {
    let (mut seen, index, scratch) = match log {
        Some(log) => (log.seen, log.index, log.scratch),
        None => (SeqSet::default(), Vec::new(), None),
    };
    let from_stream = seen.len();
    let mut lines: Vec<(i64, LineFrom<'_>)> = index
        .into_iter()
        .map(|line| (line.sequence, LineFrom::Scratch(line)))
        .collect();
    let mut from_result = 0u64;
    for value in listed {
        if seen.insert(value.sequence) {
            lines.push((value.sequence, LineFrom::Result(value)));
            from_result += 1;
        }
    }
    let source = match (from_stream, from_result) {
        (0, 0) => YieldsSource::None,
        (0, _) => YieldsSource::Result,
        (_, 0) => YieldsSource::Stream,
        _ => YieldsSource::StreamAndResult,
    };
    if lines.is_empty() {
        return Ok(YieldsWritten {
            file: None,
            saved: 0,
            source,
        });
    }
    // Stable: lines of one sequence (a server's duplicates never get here) keep their order.
    lines.sort_by_key(|(sequence, _)| *sequence);
    let mut reader = match scratch {
        Some(mut scratch) => {
            blocking(|| scratch.writer.flush()).map_err(|e| write_error(SCRATCH_NAME, &e))?;
            let file = blocking(|| File::open(&scratch.path))
                .map_err(|e| write_error(SCRATCH_NAME, &e))?;
            Some((BufReader::with_capacity(256 * 1024, file), 0u64, scratch))
        }
        None => None,
    };
    let target = dir.top_file(YIELDS_FILE);
    let mut file = AtomicFile::create(dir.root(), target, YIELDS_FILE.into(), true)?;
    let mut buffer = Vec::new();
    for (_, line) in &lines {
        match line {
            LineFrom::Result(value) => {
                let mut text = serde_json::to_vec(value)?;
                text.push(b'\n');
                file.write(&text)?;
            }
            LineFrom::Scratch(line) => {
                let (reader, position, _) = reader.as_mut().expect("scratch lines have a file");
                blocking(|| -> std::io::Result<()> {
                    if *position != line.offset {
                        reader.seek(SeekFrom::Start(line.offset))?;
                    }
                    buffer.resize(line.len as usize, 0);
                    reader.read_exact(&mut buffer)
                })
                .map_err(|e| write_error(SCRATCH_NAME, &e))?;
                *position = line.offset + u64::from(line.len);
                file.write(&buffer)?;
            }
        }
    }
    let entry = file.commit(None)?;
    // The scratch file goes with `reader` (its TempPath removes it).
    drop(reader);
    Ok(YieldsWritten {
        file: Some(entry),
        saved: lines.len() as u64,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ThreadResult;
    use bytes::Bytes;

    fn value(sequence: i64) -> YieldedValue {
        YieldedValue {
            step_path: "1".into(),
            name: "s".into(),
            value_data: Bytes::from(format!("{{\"n\":{sequence}}}")),
            sequence,
            timestamp_ms: sequence * 10,
        }
    }

    fn sequences(dir: &SaveDir) -> Vec<i64> {
        std::fs::read_to_string(dir.top_file(YIELDS_FILE))
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["sequence"]
                    .as_i64()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn stream_and_result_merge_in_sequence_order_each_once() {
        let temp = tempfile::tempdir().unwrap();
        let dir = SaveDir::prepare(temp.path(), false).unwrap();
        let mut log = YieldLog::new(&dir);
        for n in [1, 2, 5, 4, 5, 2, 7] {
            log.add(&value(n)).unwrap();
        }
        assert_eq!(log.seen.len(), 5);
        let result = ThreadResult {
            yielded_values: [1, 2, 3].map(value).to_vec(),
            total_yielded: 7,
            ..ThreadResult::default()
        };
        let written = write_yields(&dir, Some(log), &result.yielded_values).unwrap();
        assert_eq!(written.saved, 6);
        assert_eq!(written.source, YieldsSource::StreamAndResult);
        assert_eq!(sequences(&dir), [1, 2, 3, 4, 5, 7]);
        // Only yields.jsonl is left: the scratch file is gone.
        let names: Vec<_> = std::fs::read_dir(dir.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, [YIELDS_FILE]);
    }

    #[test]
    fn sources_say_where_the_list_came_from() {
        let temp = tempfile::tempdir().unwrap();
        let dir = SaveDir::prepare(temp.path(), false).unwrap();
        let listed = &[value(1)][..];
        assert_eq!(
            write_yields(&dir, None, listed).unwrap().source,
            YieldsSource::Result
        );
        let mut log = YieldLog::new(&dir);
        log.add(&value(1)).unwrap();
        assert_eq!(
            write_yields(&dir, Some(log), listed).unwrap().source,
            YieldsSource::Stream
        );
        let none = write_yields(&dir, Some(YieldLog::new(&dir)), &[]).unwrap();
        assert!(none.file.is_none() && none.source == YieldsSource::None);
    }
}
