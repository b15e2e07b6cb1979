//! Fault switches: the real service's quirks and the failures a client must survive.
//!
//! One grammar serves the `--faults` flag and `DODIL_DEVSERVER_FAULTS`: comma-separated items,
//! each `NAME` or `NAME=VALUE` (see [`Faults::parse`] and the README's fault table).

use std::fmt;
use std::str::FromStr;

use anyhow::{anyhow, bail};

/// The RPC names `unavailable=` accepts (and `*`, for all of them).
pub const METHODS: [&str; 11] = [
    "CreateThread",
    "GetThread",
    "ListThreads",
    "CancelThread",
    "ResumeThread",
    "WatchThread",
    "WatchStep",
    "GetThreadResult",
    "StreamThreadResult",
    "StreamStepResult",
    "ListArtifacts",
];

/// Every fault switch; `Default` is none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// `watch-drop-after=N`: every WatchThread/WatchStep stream ends (OK, no terminal event)
    /// after N live events following its catch-up, so a client must resubscribe repeatedly.
    pub watch_drop_after: Option<u32>,
    /// `watch-no-terminal`: watch streams end where the terminal event would be, without it.
    pub watch_no_terminal: bool,
    /// `watch-unimplemented`: WatchThread and WatchStep answer UNIMPLEMENTED.
    pub watch_unimplemented: bool,
    /// `watch-terminal-only`: watch streams send nothing but the end (WatchThread's terminal event,
    /// WatchStep's `done`/`step_failed`), when it comes.
    pub watch_terminal_only: bool,
    /// `watch-silent`: watch streams open and send nothing, ever, staying open while the thread
    /// runs and ends.
    pub watch_silent: bool,
    /// `watch-linger`: a watch stream stays open (and silent) after its end event instead of
    /// ending.
    pub watch_linger: bool,
    /// `watch-duplicate-terminal`: watch streams send their end event twice.
    pub watch_duplicate_terminal: bool,
    /// `watch-restamp`: watch streams stamp each event with the time it is sent (a yield's own
    /// `timestamp_ms` too), so a replay carries new timestamps, as a server that rebuilds its
    /// replay from the thread's state does.
    pub watch_restamp: bool,
    /// `unavailable=METHOD:N`: the first N calls of METHOD (or `*`: of each method) answer
    /// UNAVAILABLE. Repeatable.
    pub unavailable: Vec<(String, u32)>,
    /// `latency-ms=MS`: every call waits this long before it is answered.
    pub latency_ms: u64,
    /// `page-repeat`: ListThreads hands back the page token it was given instead of the next one.
    pub page_repeat: bool,
    /// `page-short`: ListThreads pages hold at most half of what was asked (rounded up), with a
    /// next token as long as threads remain.
    pub page_short: bool,
    /// `page-empty=N`: the first N ListThreads calls answer an empty page that still carries a
    /// next token (a fresh one each time, for the same place in the list).
    pub page_empty: Option<u32>,
    /// `steps-bad-parents`: step summaries' `parent_path`s form cycles, name missing parents, or
    /// the step itself.
    pub steps_bad_parents: bool,
    /// `chunk-skip=K`: result streams never send chunk K.
    pub chunk_skip: Option<u32>,
    /// `chunk-repeat=K`: result streams send chunk K twice.
    pub chunk_repeat: Option<u32>,
    /// `chunk-reorder=K`: result streams send chunk K+1 before chunk K.
    pub chunk_reorder: Option<u32>,
    /// `chunk-short=K`: chunk K carries half its bytes (its total_bytes unchanged).
    pub chunk_short: Option<u32>,
    /// `chunk-no-final`: no chunk has `is_final` set.
    pub chunk_no_final: bool,
    /// `chunk-extra`: one more chunk (index = count, 16 bytes) follows the final one.
    pub chunk_extra: bool,
    /// `meta-total-mismatch`: StreamThreadResult's meta `total_bytes` is 1000 more than sent.
    pub meta_total_mismatch: bool,
    /// `meta-missing`: result streams send no meta message.
    pub meta_missing: bool,
    /// `meta-late`: result streams send their meta message after the first data message.
    pub meta_late: bool,
    /// `meta-chunks-unknown`: StreamThreadResult's meta says `total_chunks` 0 (unknown).
    pub meta_chunks_unknown: bool,
    /// `chunk-delay-ms=MS`: result streams wait MS before each data message (a slow stream).
    pub chunk_delay_ms: u64,
    /// `result-total-mismatch`: GetThreadResult's `output_total_bytes` is 1000 more than the
    /// stream delivers.
    pub result_total_mismatch: bool,
    /// `only-org=NAME`: every call whose `x-organization-name` is not NAME answers
    /// PERMISSION_DENIED, as the service does for a token used with another organization.
    pub only_org: Option<String>,
    /// `bad-enums`: every status is 42 (outside the contract), and WatchThread sends an extra
    /// event with no variant set after `started` (what a newer server's new variant looks like).
    pub bad_enums: bool,
    /// `hostile-names`: step paths and names carry terminal escapes, `..`, `/abs`, `a/b`, NUL
    /// (for threads laid out while it is on).
    pub hostile_names: bool,
    /// `huge-message`: GetThreadResult returns the whole output uncapped, and StreamThreadResult
    /// sends it as one chunk, whatever `max_chunk_bytes` says.
    pub huge_message: bool,
    /// `compress-bomb`: GetThread's answer carries a 48 MiB error text, a few KiB on the wire
    /// when compressed (`dev-server --compress`): a small message that expands past any limit.
    pub compress_bomb: bool,
    /// `artifact-size-mismatch`: ListArtifacts announces every artifact 1000 bytes larger than
    /// its download delivers.
    pub artifact_size_mismatch: bool,
    /// `artifact-size-smaller`: ListArtifacts announces every artifact 1000 bytes smaller (not
    /// below 0) than its download delivers, so the body runs past the announced size.
    pub artifact_size_smaller: bool,
    /// `bad-utf8=METHOD`: METHOD's answers (or `*`: every method's) carry a string field that is
    /// not UTF-8 (each thread id's first byte is 0xFF). Repeatable.
    pub bad_utf8: Vec<String>,
    /// `undecodable=METHOD`: the first message of METHOD's answers (or `*`: every method's) is not
    /// valid protobuf. Repeatable.
    pub undecodable: Vec<String>,
    /// `output-break=K[:N]`: the first N (default 1) StreamThreadResult streams this server
    /// answers end with UNAVAILABLE right after chunk K, as a dropped connection would (a
    /// stream with no chunk K counts as one of the N, and is sent whole).
    pub output_break: Option<(u32, u32)>,
    /// `http-html-error=METHOD`: the HTTP gateway answers METHOD's route (or `*`: every route)
    /// with a 502 HTML page, as a proxy in front of a failed service does. Repeatable.
    pub http_html_error: Vec<String>,
    /// `http-non-json=METHOD`: the HTTP gateway answers METHOD's route with a 200 whose body is
    /// plain text, not JSON. Repeatable.
    pub http_non_json: Vec<String>,
    /// `http-truncate=METHOD`: the HTTP gateway cuts METHOD's JSON body (a stream's first frame)
    /// in half and ends the body there. Repeatable.
    pub http_truncate: Vec<String>,
}

impl Faults {
    /// Parses the fault grammar, e.g. `watch-drop-after=3,unavailable=GetThread:2,latency-ms=200`.
    pub fn parse(spec: &str) -> anyhow::Result<Faults> {
        let mut f = Faults::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            f.set(item)?;
        }
        Ok(f)
    }

    /// Applies one `NAME` or `NAME=VALUE` item.
    pub fn set(&mut self, item: &str) -> anyhow::Result<()> {
        let (name, value) = match item.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (item.trim(), None),
        };
        let num = |what: &str| -> anyhow::Result<u32> {
            let v = value.ok_or_else(|| anyhow!("fault `{name}` needs a value: {name}={what}"))?;
            v.parse()
                .map_err(|_| anyhow!("fault `{name}`: {v:?} is not a whole number"))
        };
        let flag = || -> anyhow::Result<bool> {
            match value {
                None | Some("1" | "true" | "on" | "yes") => Ok(true),
                Some("0" | "false" | "off" | "no") => Ok(false),
                Some(v) => bail!("fault `{name}` takes no value (got {v:?})"),
            }
        };
        match name {
            "watch-drop-after" => self.watch_drop_after = Some(num("N")?),
            "watch-no-terminal" => self.watch_no_terminal = flag()?,
            "watch-unimplemented" => self.watch_unimplemented = flag()?,
            "watch-restamp" => self.watch_restamp = flag()?,
            "watch-terminal-only" => self.watch_terminal_only = flag()?,
            "watch-silent" => self.watch_silent = flag()?,
            "watch-linger" => self.watch_linger = flag()?,
            "watch-duplicate-terminal" => self.watch_duplicate_terminal = flag()?,
            "page-short" => self.page_short = flag()?,
            "page-empty" => self.page_empty = Some(num("N")?),
            "steps-bad-parents" => self.steps_bad_parents = flag()?,
            "meta-missing" => self.meta_missing = flag()?,
            "meta-late" => self.meta_late = flag()?,
            "meta-chunks-unknown" => self.meta_chunks_unknown = flag()?,
            "chunk-delay-ms" => self.chunk_delay_ms = u64::from(num("MS")?),
            "unavailable" => self
                .unavailable
                .push(parse_unavailable(value.unwrap_or(""))?),
            "latency-ms" => self.latency_ms = u64::from(num("MS")?),
            "page-repeat" => self.page_repeat = flag()?,
            "chunk-skip" => self.chunk_skip = Some(num("K")?),
            "chunk-repeat" => self.chunk_repeat = Some(num("K")?),
            "chunk-reorder" => self.chunk_reorder = Some(num("K")?),
            "chunk-short" => self.chunk_short = Some(num("K")?),
            "chunk-no-final" => self.chunk_no_final = flag()?,
            "chunk-extra" => self.chunk_extra = flag()?,
            "meta-total-mismatch" => self.meta_total_mismatch = flag()?,
            "result-total-mismatch" => self.result_total_mismatch = flag()?,
            "bad-enums" => self.bad_enums = flag()?,
            "hostile-names" => self.hostile_names = flag()?,
            "huge-message" => self.huge_message = flag()?,
            "compress-bomb" => self.compress_bomb = flag()?,
            "artifact-size-mismatch" => self.artifact_size_mismatch = flag()?,
            "artifact-size-smaller" => self.artifact_size_smaller = flag()?,
            "output-break" => self.output_break = Some(parse_break(value.unwrap_or(""))?),
            "bad-utf8" => self.bad_utf8.push(parse_method(name, value)?),
            "undecodable" => self.undecodable.push(parse_method(name, value)?),
            "http-html-error" => self.http_html_error.push(parse_method(name, value)?),
            "http-non-json" => self.http_non_json.push(parse_method(name, value)?),
            "http-truncate" => self.http_truncate.push(parse_method(name, value)?),
            "only-org" => match value.map(str::trim).filter(|v| !v.is_empty()) {
                Some(org) => self.only_org = Some(org.to_string()),
                None => bail!("fault `only-org` needs an organization name, e.g. only-org=acme"),
            },
            _ => bail!(
                "unknown fault `{name}`; known: watch-drop-after=N, watch-no-terminal, \
                 watch-unimplemented, watch-restamp, watch-terminal-only, watch-silent, \
                 watch-linger, watch-duplicate-terminal, unavailable=METHOD:N, latency-ms=MS, \
                 page-repeat, page-short, page-empty=N, steps-bad-parents, chunk-skip=K, \
                 chunk-repeat=K, chunk-reorder=K, chunk-short=K, chunk-no-final, chunk-extra, \
                 chunk-delay-ms=MS, meta-total-mismatch, meta-missing, meta-late, \
                 meta-chunks-unknown, result-total-mismatch, bad-enums, hostile-names, \
                 huge-message, compress-bomb, artifact-size-mismatch, artifact-size-smaller, \
                 output-break=K[:N], bad-utf8=METHOD, undecodable=METHOD, only-org=NAME, \
                 http-html-error=METHOD, http-non-json=METHOD, http-truncate=METHOD"
            ),
        }
        Ok(())
    }

    /// Adds every switch `other` turns on.
    pub fn merge(&mut self, other: Faults) {
        let Faults {
            watch_drop_after,
            watch_no_terminal,
            watch_unimplemented,
            watch_restamp,
            watch_terminal_only,
            watch_silent,
            watch_linger,
            watch_duplicate_terminal,
            unavailable,
            latency_ms,
            page_repeat,
            page_short,
            page_empty,
            steps_bad_parents,
            chunk_skip,
            chunk_repeat,
            chunk_reorder,
            chunk_short,
            chunk_no_final,
            chunk_extra,
            meta_total_mismatch,
            meta_missing,
            meta_late,
            meta_chunks_unknown,
            chunk_delay_ms,
            result_total_mismatch,
            bad_enums,
            hostile_names,
            huge_message,
            compress_bomb,
            artifact_size_mismatch,
            artifact_size_smaller,
            output_break,
            bad_utf8,
            undecodable,
            only_org,
            http_html_error,
            http_non_json,
            http_truncate,
        } = other;
        self.watch_drop_after = watch_drop_after.or(self.watch_drop_after);
        self.watch_no_terminal |= watch_no_terminal;
        self.watch_unimplemented |= watch_unimplemented;
        self.watch_restamp |= watch_restamp;
        self.watch_terminal_only |= watch_terminal_only;
        self.watch_silent |= watch_silent;
        self.watch_linger |= watch_linger;
        self.watch_duplicate_terminal |= watch_duplicate_terminal;
        self.page_short |= page_short;
        self.page_empty = page_empty.or(self.page_empty);
        self.steps_bad_parents |= steps_bad_parents;
        self.meta_missing |= meta_missing;
        self.meta_late |= meta_late;
        self.meta_chunks_unknown |= meta_chunks_unknown;
        self.chunk_delay_ms = self.chunk_delay_ms.max(chunk_delay_ms);
        self.unavailable.extend(unavailable);
        self.latency_ms = self.latency_ms.max(latency_ms);
        self.page_repeat |= page_repeat;
        self.chunk_skip = chunk_skip.or(self.chunk_skip);
        self.chunk_repeat = chunk_repeat.or(self.chunk_repeat);
        self.chunk_reorder = chunk_reorder.or(self.chunk_reorder);
        self.chunk_short = chunk_short.or(self.chunk_short);
        self.chunk_no_final |= chunk_no_final;
        self.chunk_extra |= chunk_extra;
        self.meta_total_mismatch |= meta_total_mismatch;
        self.result_total_mismatch |= result_total_mismatch;
        self.bad_enums |= bad_enums;
        self.hostile_names |= hostile_names;
        self.huge_message |= huge_message;
        self.compress_bomb |= compress_bomb;
        self.artifact_size_mismatch |= artifact_size_mismatch;
        self.artifact_size_smaller |= artifact_size_smaller;
        self.output_break = output_break.or(self.output_break);
        self.bad_utf8.extend(bad_utf8);
        self.undecodable.extend(undecodable);
        self.http_html_error.extend(http_html_error);
        self.http_non_json.extend(http_non_json);
        self.http_truncate.extend(http_truncate);
        self.only_org = only_org.or(self.only_org.take());
    }

    /// How many first calls of `method` fail with UNAVAILABLE.
    pub fn unavailable_calls(&self, method: &str) -> u32 {
        self.unavailable
            .iter()
            .filter(|(m, _)| m == method || m == "*")
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0)
    }
}

/// `METHOD:N`.
/// `K` or `K:N` of `output-break`.
fn parse_break(v: &str) -> anyhow::Result<(u32, u32)> {
    let (k, n) = v.split_once(':').unwrap_or((v, "1"));
    match (k.trim().parse(), n.trim().parse()) {
        (Ok(k), Ok(n)) => Ok((k, n)),
        _ => bail!("fault `output-break` takes K or K:N (whole numbers), got {v:?}"),
    }
}

/// The `METHOD` (an RPC name, or `*`) of `bad-utf8` and `undecodable`.
fn parse_method(fault: &str, value: Option<&str>) -> anyhow::Result<String> {
    let m = value.map(str::trim).unwrap_or_default();
    if m != "*" && !METHODS.contains(&m) {
        bail!(
            "fault `{fault}` needs METHOD: * or one of {} (got {m:?})",
            METHODS.join(", ")
        );
    }
    Ok(m.to_string())
}

pub fn parse_unavailable(v: &str) -> anyhow::Result<(String, u32)> {
    let (m, n) = v.split_once(':').ok_or_else(|| {
        anyhow!("fault `unavailable` needs METHOD:N, e.g. GetThread:2 (got {v:?})")
    })?;
    let m = m.trim();
    if m != "*" && !METHODS.contains(&m) {
        bail!(
            "fault `unavailable`: unknown method {m:?}; use * or one of {}",
            METHODS.join(", ")
        );
    }
    let n = n
        .trim()
        .parse()
        .map_err(|_| anyhow!("fault `unavailable`: {n:?} is not a whole number"))?;
    Ok((m.to_string(), n))
}

impl FromStr for Faults {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Faults> {
        Faults::parse(s)
    }
}

impl fmt::Display for Faults {
    /// The switches that are on, in the parse grammar.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items: Vec<String> = Vec::new();
        let mut on = |cond: bool, s: &str| {
            if cond {
                items.push(s.to_string());
            }
        };
        on(self.watch_no_terminal, "watch-no-terminal");
        on(self.watch_unimplemented, "watch-unimplemented");
        on(self.watch_restamp, "watch-restamp");
        on(self.watch_terminal_only, "watch-terminal-only");
        on(self.watch_silent, "watch-silent");
        on(self.watch_linger, "watch-linger");
        on(self.watch_duplicate_terminal, "watch-duplicate-terminal");
        on(self.page_short, "page-short");
        on(self.steps_bad_parents, "steps-bad-parents");
        on(self.meta_missing, "meta-missing");
        on(self.meta_late, "meta-late");
        on(self.meta_chunks_unknown, "meta-chunks-unknown");
        on(self.page_repeat, "page-repeat");
        on(self.chunk_no_final, "chunk-no-final");
        on(self.chunk_extra, "chunk-extra");
        on(self.meta_total_mismatch, "meta-total-mismatch");
        on(self.result_total_mismatch, "result-total-mismatch");
        on(self.bad_enums, "bad-enums");
        on(self.hostile_names, "hostile-names");
        on(self.huge_message, "huge-message");
        on(self.compress_bomb, "compress-bomb");
        on(self.artifact_size_mismatch, "artifact-size-mismatch");
        on(self.artifact_size_smaller, "artifact-size-smaller");
        let opt = [
            ("watch-drop-after", self.watch_drop_after),
            ("page-empty", self.page_empty),
            ("chunk-skip", self.chunk_skip),
            ("chunk-repeat", self.chunk_repeat),
            ("chunk-reorder", self.chunk_reorder),
            ("chunk-short", self.chunk_short),
        ];
        for (name, v) in opt {
            if let Some(v) = v {
                items.push(format!("{name}={v}"));
            }
        }
        if self.latency_ms > 0 {
            items.push(format!("latency-ms={}", self.latency_ms));
        }
        if self.chunk_delay_ms > 0 {
            items.push(format!("chunk-delay-ms={}", self.chunk_delay_ms));
        }
        for (m, n) in &self.unavailable {
            items.push(format!("unavailable={m}:{n}"));
        }
        if let Some((k, n)) = self.output_break {
            items.push(format!("output-break={k}:{n}"));
        }
        for m in &self.bad_utf8 {
            items.push(format!("bad-utf8={m}"));
        }
        for m in &self.undecodable {
            items.push(format!("undecodable={m}"));
        }
        for (name, list) in [
            ("http-html-error", &self.http_html_error),
            ("http-non-json", &self.http_non_json),
            ("http-truncate", &self.http_truncate),
        ] {
            for m in list {
                items.push(format!("{name}={m}"));
            }
        }
        if let Some(org) = &self.only_org {
            items.push(format!("only-org={org}"));
        }
        f.write_str(&items.join(","))
    }
}

/// One message of a chunk stream, as the faults shape it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkOp {
    /// The chunk's index (and which bytes it carries: `index * size ..`).
    pub index: u32,
    pub is_final: bool,
    /// Send only half of the chunk's bytes.
    pub short: bool,
    /// A chunk that should not exist: 16 bytes past the end.
    pub extra: bool,
}

/// The messages of a stream of `n` chunks (at least one, even for no bytes).
pub fn chunk_plan(n: u32, f: &Faults) -> Vec<ChunkOp> {
    let n = n.max(1);
    let mut ops: Vec<ChunkOp> = (0..n)
        .map(|index| ChunkOp {
            index,
            is_final: index + 1 == n && !f.chunk_no_final,
            short: f.chunk_short == Some(index),
            extra: false,
        })
        .collect();
    if let Some(k) = f.chunk_reorder {
        if k + 1 < n {
            ops.swap(k as usize, k as usize + 1);
        }
    }
    if let Some(k) = f.chunk_repeat {
        if let Some(pos) = ops.iter().position(|o| o.index == k) {
            let op = ops[pos];
            ops.insert(pos + 1, op);
        }
    }
    if let Some(k) = f.chunk_skip {
        ops.retain(|o| o.index != k);
    }
    if f.chunk_extra {
        ops.push(ChunkOp {
            index: n,
            is_final: false,
            short: false,
            extra: true,
        });
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_round_trips() {
        let f =
            Faults::parse("watch-drop-after=3, unavailable=GetThread:2,latency-ms=200,bad-enums")
                .unwrap();
        assert_eq!(f.watch_drop_after, Some(3));
        assert_eq!(f.unavailable_calls("GetThread"), 2);
        assert_eq!(f.unavailable_calls("ListThreads"), 0);
        assert_eq!(f.latency_ms, 200);
        assert!(f.bad_enums);
        assert_eq!(Faults::parse(&f.to_string()).unwrap(), f);
        let every = Faults::parse(
            "artifact-size-mismatch,artifact-size-smaller,output-break=3,only-org=acme,chunk-extra,\
             bad-utf8=GetThread,undecodable=*,watch-restamp,watch-terminal-only,watch-silent,\
             watch-linger,watch-duplicate-terminal,page-short,page-empty=3,steps-bad-parents,\
             meta-missing,meta-late,meta-chunks-unknown,chunk-delay-ms=20,http-html-error=GetThread,\
             http-non-json=*,http-truncate=WatchThread",
        )
        .unwrap();
        assert_eq!(every.output_break, Some((3, 1)));
        assert_eq!(Faults::parse(&every.to_string()).unwrap(), every);
        assert_eq!(
            Faults::parse("output-break=2:5").unwrap().output_break,
            Some((2, 5))
        );
    }

    #[test]
    fn bad_items_are_named() {
        for (spec, needle) in [
            ("nope", "unknown fault `nope`"),
            ("watch-drop-after", "needs a value"),
            ("chunk-skip=x", "not a whole number"),
            ("unavailable=Foo:1", "unknown method"),
            ("bad-enums=7", "takes no value"),
            ("bad-utf8=Nope", "needs METHOD"),
        ] {
            let e = Faults::parse(spec).unwrap_err().to_string();
            assert!(e.contains(needle), "{spec}: {e}");
        }
    }

    #[test]
    fn chunk_plans() {
        let idx = |f: &Faults| -> Vec<u32> { chunk_plan(4, f).iter().map(|o| o.index).collect() };
        assert_eq!(idx(&Faults::default()), [0, 1, 2, 3]);
        let f = |s: &str| Faults::parse(s).unwrap();
        assert_eq!(idx(&f("chunk-skip=1")), [0, 2, 3]);
        assert_eq!(idx(&f("chunk-repeat=2")), [0, 1, 2, 2, 3]);
        assert_eq!(idx(&f("chunk-reorder=0")), [1, 0, 2, 3]);
        assert_eq!(idx(&f("chunk-extra")), [0, 1, 2, 3, 4]);
        assert!(chunk_plan(4, &f("chunk-no-final"))
            .iter()
            .all(|o| !o.is_final));
        assert!(chunk_plan(4, &Faults::default())[3].is_final);
        assert_eq!(chunk_plan(0, &Faults::default()).len(), 1);
    }
}
