//! The thread store: in memory, or persisted as an append-only JSON-lines file
//! (`<data_dir>/threads.jsonl`) of create/resume/cancel records.
//!
//! Each mutation is one small `O_APPEND` write of one line, so several processes (each CLI
//! invocation with `--endpoint embedded` runs its own server) can share a data dir: each loads
//! the file at start and picks up lines other processes appended before every call
//! ([`Store::refresh`]). A torn last line is ignored.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::scripts::{make_hostile, resolve, Plan, Registry, ScriptDef, Source};
use super::timeline::{self, Record, RecordKind, Timeline};

/// What never changes about a thread.
#[derive(Clone, Debug)]
pub struct ThreadMeta {
    pub id: String,
    pub script_name: String,
    pub version: i32,
    pub input_json: String,
    pub metadata: BTreeMap<String, String>,
    pub org: String,
    pub created_at_ms: i64,
    pub speed: f64,
}

/// A thread as readers see it: cheap to clone, immutable.
#[derive(Clone, Debug)]
pub struct ThreadView {
    pub meta: Arc<ThreadMeta>,
    pub plan: Arc<Plan>,
    pub timeline: Arc<Timeline>,
    /// Position in creation order (stable: the store only appends).
    pub index: usize,
}

impl ThreadView {
    pub fn snapshot(&self, now: i64) -> timeline::Snapshot {
        timeline::snapshot(&self.plan, &self.timeline, now)
    }
}

/// A stored thread. Its plan and timeline are laid out on first use (and again after each
/// record), so loading a store of 10 000 threads costs little more than parsing it.
struct Entry {
    meta: Arc<ThreadMeta>,
    source: Arc<Source>,
    records: Vec<Record>,
    view: Option<ThreadView>,
    index: usize,
}

impl Entry {
    fn view(&mut self, hostile: bool) -> ThreadView {
        if let Some(v) = &self.view {
            return v.clone();
        }
        let input = serde_json::from_str(&self.meta.input_json).unwrap_or(serde_json::Value::Null);
        // Inputs were checked at creation; should a definition have changed since, the thread
        // runs as an empty script rather than failing every call.
        let mut plan = resolve(&self.source, &input).unwrap_or(Plan {
            steps: Vec::new(),
            output: None,
            total_steps: 0,
        });
        if hostile {
            make_hostile(&mut plan);
        }
        let plan = Arc::new(plan);
        self.lay_out(plan)
    }

    fn lay_out(&mut self, plan: Arc<Plan>) -> ThreadView {
        let m = &self.meta;
        let timeline = timeline::build(&plan, m.created_at_ms, m.speed, &self.records);
        let v = ThreadView {
            meta: self.meta.clone(),
            plan,
            timeline: Arc::new(timeline),
            index: self.index,
        };
        self.view = Some(v.clone());
        v
    }

    fn add_record(&mut self, record: Record, hostile: bool) -> ThreadView {
        let plan = self.view(hostile).plan;
        self.records.push(record);
        self.records.sort_by_key(|r| r.at_ms);
        self.lay_out(plan)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Line {
    Create {
        id: String,
        script: String,
        version: i32,
        input: String,
        #[serde(default)]
        metadata: BTreeMap<String, String>,
        #[serde(default)]
        org: String,
        created_at_ms: i64,
        speed: f64,
        /// A user scenario's definition, stored whole so the thread outlives the file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scenario: Option<Box<ScriptDef>>,
    },
    Resume {
        id: String,
        at_ms: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        input: Option<String>,
    },
    Cancel {
        id: String,
        at_ms: i64,
        #[serde(default)]
        reason: String,
    },
}

struct Inner {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// Bytes of the file already applied.
    offset: u64,
}

pub struct Store {
    inner: Mutex<Inner>,
    file: Option<PathBuf>,
    registry: Arc<Registry>,
    hostile: bool,
    changes: watch::Sender<u64>,
}

impl Store {
    /// An empty in-memory store, or the one persisted in `data_dir` (created when missing).
    pub fn open(
        data_dir: Option<&Path>,
        registry: Arc<Registry>,
        hostile: bool,
    ) -> anyhow::Result<Store> {
        let file = match data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create data directory {}", dir.display()))?;
                Some(dir.join("threads.jsonl"))
            }
            None => None,
        };
        let store = Store {
            inner: Mutex::new(Inner {
                entries: Vec::new(),
                index: HashMap::new(),
                offset: 0,
            }),
            file,
            registry,
            hostile,
            changes: watch::channel(0).0,
        };
        store.refresh()?;
        Ok(store)
    }

    /// Whether threads are kept in a data file (which other processes may write too).
    pub fn has_file(&self) -> bool {
        self.file.is_some()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A receiver that changes whenever any thread does.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn notify(&self) {
        self.changes.send_modify(|v| *v += 1);
    }

    pub fn get(&self, id: &str) -> Option<ThreadView> {
        let mut inner = self.lock();
        let i = *inner.index.get(id)?;
        Some(inner.entries[i].view(self.hostile))
    }

    /// The thread at a creation-order position.
    pub fn at(&self, index: usize) -> Option<ThreadView> {
        let hostile = self.hostile;
        self.lock().entries.get_mut(index).map(|e| e.view(hostile))
    }

    /// Adds a new thread.
    pub fn create(
        &self,
        meta: ThreadMeta,
        source: Arc<Source>,
        mut plan: Plan,
    ) -> anyhow::Result<ThreadView> {
        let scenario = match source.as_ref() {
            Source::Scenario(def) => Some(def.clone()),
            Source::Demo(_) | Source::Big => None,
        };
        let line = Line::Create {
            id: meta.id.clone(),
            script: meta.script_name.clone(),
            version: meta.version,
            input: meta.input_json.clone(),
            metadata: meta.metadata.clone(),
            org: meta.org.clone(),
            created_at_ms: meta.created_at_ms,
            speed: meta.speed,
            scenario: scenario.map(Box::new),
        };
        let view = {
            let mut inner = self.lock();
            self.write(&line)?;
            let i = insert(&mut inner, meta, source);
            if self.hostile {
                make_hostile(&mut plan);
            }
            inner.entries[i].lay_out(Arc::new(plan))
        };
        self.notify();
        Ok(view)
    }

    /// Adds a resume or cancel record to a thread and lays its timeline out again.
    pub fn append(&self, id: &str, record: Record) -> anyhow::Result<ThreadView> {
        let line = match &record.kind {
            RecordKind::Resume { input } => Line::Resume {
                id: id.to_string(),
                at_ms: record.at_ms,
                input: input.clone(),
            },
            RecordKind::Cancel { reason } => Line::Cancel {
                id: id.to_string(),
                at_ms: record.at_ms,
                reason: reason.clone(),
            },
        };
        let view = {
            let mut inner = self.lock();
            let i = *inner
                .index
                .get(id)
                .ok_or_else(|| anyhow::anyhow!("no thread {id}"))?;
            self.write(&line)?;
            inner.entries[i].add_record(record, self.hostile)
        };
        self.notify();
        Ok(view)
    }

    fn write(&self, line: &Line) -> anyhow::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let mut text = serde_json::to_vec(line)?;
        text.push(b'\n');
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        f.write_all(&text)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Applies lines other processes appended to the file since the last look.
    pub fn refresh(&self) -> anyhow::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let mut inner = self.lock();
        let len = match std::fs::metadata(path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        if len <= inner.offset {
            return Ok(());
        }
        let mut f =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        f.seek(SeekFrom::Start(inner.offset))?;
        let mut buf = Vec::with_capacity((len - inner.offset) as usize);
        f.read_to_end(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        // Only whole lines; a torn last line waits (or is ignored for good if never completed).
        let Some(end) = buf.iter().rposition(|&b| b == b'\n') else {
            return Ok(());
        };
        let mut changed = false;
        for raw in buf[..end].split(|&b| b == b'\n') {
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Line>(raw) {
                Ok(line) => changed |= self.apply(&mut inner, line),
                Err(e) => eprintln!("dev-server: skipping a bad line in {}: {e}", path.display()),
            }
        }
        inner.offset += end as u64 + 1;
        drop(inner);
        if changed {
            self.notify();
        }
        Ok(())
    }

    fn apply(&self, inner: &mut Inner, line: Line) -> bool {
        match line {
            Line::Create {
                id,
                script,
                version,
                input,
                metadata,
                org,
                created_at_ms,
                speed,
                scenario,
            } => {
                if inner.index.contains_key(&id) {
                    return false;
                }
                let source = match scenario {
                    Some(def) => Arc::new(Source::Scenario(*def)),
                    None => match self.registry.get(&script) {
                        Some(s) => s.clone(),
                        None => {
                            eprintln!("dev-server: thread {id}: unknown script {script}; skipped");
                            return false;
                        }
                    },
                };
                let speed = if super::SPEED_RANGE.contains(&speed) {
                    speed
                } else {
                    1.0
                };
                let meta = ThreadMeta {
                    id,
                    script_name: script,
                    version,
                    input_json: input,
                    metadata,
                    org,
                    created_at_ms,
                    speed,
                };
                insert(inner, meta, source);
                true
            }
            Line::Resume { id, at_ms, input } => {
                self.apply_record(inner, &id, at_ms, RecordKind::Resume { input })
            }
            Line::Cancel { id, at_ms, reason } => {
                self.apply_record(inner, &id, at_ms, RecordKind::Cancel { reason })
            }
        }
    }

    fn apply_record(&self, inner: &mut Inner, id: &str, at_ms: i64, kind: RecordKind) -> bool {
        let Some(&i) = inner.index.get(id) else {
            return false;
        };
        let record = Record { at_ms, kind };
        if inner.entries[i].records.contains(&record) {
            return false;
        }
        inner.entries[i].add_record(record, self.hostile);
        true
    }

    /// Threads newest first, starting below creation position `before` (None: the newest),
    /// of script `script` (None: any) that `keep` accepts. Returns the page and, when more
    /// match, the position of the page's last thread (to continue from).
    pub fn page(
        &self,
        before: Option<usize>,
        limit: usize,
        script: Option<&str>,
        mut keep: impl FnMut(&ThreadView) -> bool,
    ) -> (Vec<ThreadView>, Option<usize>) {
        let mut inner = self.lock();
        let end = before
            .unwrap_or(inner.entries.len())
            .min(inner.entries.len());
        let mut page: Vec<ThreadView> = Vec::new();
        for e in inner.entries[..end].iter_mut().rev() {
            if script.is_some_and(|s| e.meta.script_name != s) {
                continue;
            }
            let v = e.view(self.hostile);
            if !keep(&v) {
                continue;
            }
            if page.len() == limit {
                let last = page.last().map(|l| l.index);
                return (page, last);
            }
            page.push(v);
        }
        (page, None)
    }
}

fn insert(inner: &mut Inner, meta: ThreadMeta, source: Arc<Source>) -> usize {
    let index = inner.entries.len();
    inner.index.insert(meta.id.clone(), index);
    inner.entries.push(Entry {
        meta: Arc::new(meta),
        source,
        records: Vec::new(),
        view: None,
        index,
    });
    index
}

/// A new thread id: `thr_` and 20 random lowercase letters and digits.
pub fn new_thread_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::from("thr_");
    let mut word = 0u64;
    for i in 0..20 {
        if i % 10 == 0 {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default(),
            );
            h.write_usize(i);
            word = h.finish();
        }
        id.push(ALPHABET[(word % 36) as usize] as char);
        word /= 36;
    }
    id
}
