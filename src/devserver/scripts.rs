//! Script definitions: the built-in demos and user scenario files (`*.yaml`), and their
//! resolution, with a thread's input, into a [`Plan`] the timeline engine runs.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::data::Data;

/// One script, as written in a scenario file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptDef {
    /// The script name clients pass to CreateThread.
    pub name: String,
    /// The active version (what `version = 0` runs); other versions are NOT_FOUND.
    #[serde(default = "one")]
    pub version: i32,
    #[serde(default)]
    pub description: String,
    /// Steps in execution order; a child (`1.0`) follows its parent (`1`).
    pub steps: Vec<StepDef>,
    /// The thread's final output; default: the last executed step's output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Instead of `output`: a generated JSON string of exactly this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_bytes: Option<u64>,
}

/// One step of a scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    /// Hierarchical path, e.g. `1.0.2`; the parent is the path without its last `.` part.
    pub path: String,
    pub name: String,
    #[serde(default = "execute")]
    pub primitive: String,
    #[serde(default)]
    pub tool: String,
    /// The step's own run time at speed 1 (a parent's children run after it).
    #[serde(default = "hundred")]
    pub duration_ms: u64,
    /// The step's input; default: the thread's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// Instead of `input`: a generated JSON string of exactly this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_bytes: Option<u64>,
    /// The step's output; default `{"step": PATH, "ok": true}` (an ask step: `{"resumed_with": INPUT}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Instead of `output`: a generated JSON string of exactly this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_bytes: Option<u64>,
    /// The step fails with this error (the thread ends FAILED). A ResumeThread retries it; the
    /// retry succeeds when the resume carries `step_input_override_json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<String>,
    /// Values yielded while the step runs, evenly spread over its duration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yields: Vec<Value>,
    /// The thread pauses (PAUSED) when this step starts, until ResumeThread.
    #[serde(default)]
    pub ask: bool,
    /// A decide step's choice, sent to WatchStep subscribers when the step's own time is up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionDef>,
    /// The step (and its children) is not run: status SKIPPED, no events.
    #[serde(default)]
    pub skip: bool,
}

/// A decide step's choice.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DecisionDef {
    #[serde(default = "llm")]
    pub strategy: String,
    pub chosen_branch: String,
    #[serde(default)]
    pub reasoning: String,
}

fn one() -> i32 {
    1
}
fn execute() -> String {
    "execute".into()
}
fn hundred() -> u64 {
    100
}
fn llm() -> String {
    "llm".into()
}

/// The largest `bytes` demo/big accepts (64 GiB).
pub const BIG_MAX_BYTES: u64 = 64 << 30;
/// The most steps demo/big accepts.
pub const BIG_MAX_STEPS: u64 = 10_000;
/// The most yields demo/big accepts.
pub const BIG_MAX_YIELDS: u64 = 1_000_000;
/// The longest error demo/big's last step fails with (`error_bytes`).
pub const BIG_MAX_ERROR_BYTES: u64 = 16 << 20;

const DEMO_SOURCES: [(&str, &str); 4] = [
    ("hello.yaml", include_str!("demos/hello.yaml")),
    ("etl.yaml", include_str!("demos/etl.yaml")),
    ("fail.yaml", include_str!("demos/fail.yaml")),
    ("approval.yaml", include_str!("demos/approval.yaml")),
];

/// Where a script comes from; user scenarios are stored whole with each thread.
#[derive(Clone, Debug)]
pub enum Source {
    Demo(ScriptDef),
    Big,
    Scenario(ScriptDef),
}

/// Every script the server knows.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    scripts: BTreeMap<String, Arc<Source>>,
}

impl Registry {
    /// The demos, plus every `*.yaml` of `scripts_dir`. A bad file is an error naming it.
    pub fn load(scripts_dir: Option<&Path>) -> anyhow::Result<Registry> {
        let mut scripts = BTreeMap::new();
        for (file, text) in DEMO_SOURCES {
            let def = parse_def(text).with_context(|| format!("built-in demo {file}"))?;
            scripts.insert(def.name.clone(), Arc::new(Source::Demo(def)));
        }
        scripts.insert("demo/big".to_string(), Arc::new(Source::Big));
        if let Some(dir) = scripts_dir {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read scenario directory {}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            files.sort();
            for path in files {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read scenario file {}", path.display()))?;
                let def = parse_def(&text)
                    .with_context(|| format!("invalid scenario file {}", path.display()))?;
                if scripts.contains_key(&def.name) {
                    bail!(
                        "invalid scenario file {}: script name {:?} is already defined",
                        path.display(),
                        def.name
                    );
                }
                scripts.insert(def.name.clone(), Arc::new(Source::Scenario(def)));
            }
        }
        Ok(Registry { scripts })
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Source>> {
        self.scripts.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.scripts.keys().map(String::as_str)
    }
}

/// Parses and validates one scenario definition.
pub fn parse_def(text: &str) -> anyhow::Result<ScriptDef> {
    let def: ScriptDef = serde_yaml::from_str(text)?;
    validate(&def)?;
    Ok(def)
}

fn validate(def: &ScriptDef) -> anyhow::Result<()> {
    if def.name.trim().is_empty() {
        bail!("field `name`: must not be empty");
    }
    if def.version < 1 {
        bail!("field `version`: must be 1 or more");
    }
    if def.output.is_some() && def.output_bytes.is_some() {
        bail!("fields `output` and `output_bytes`: give at most one");
    }
    check_size("output_bytes", def.output_bytes)?;
    let mut seen = HashSet::new();
    let mut open: Vec<&str> = Vec::new();
    for (i, s) in def.steps.iter().enumerate() {
        let at = |field: &str| format!("steps[{i}].{field}");
        if s.path.is_empty() || s.path.split('.').any(str::is_empty) {
            bail!(
                "field `{}`: {:?} is not a dotted step path",
                at("path"),
                s.path
            );
        }
        if !seen.insert(s.path.as_str()) {
            bail!("field `{}`: duplicate step path {:?}", at("path"), s.path);
        }
        let parent = parent_of(&s.path);
        while open.last().is_some_and(|p| !is_prefix_path(p, &s.path)) {
            open.pop();
        }
        if !parent.is_empty() && open.last() != Some(&parent) {
            bail!(
                "field `{}`: step {:?} must directly follow its parent {:?} or a sibling",
                at("path"),
                s.path,
                parent
            );
        }
        open.push(&s.path);
        if s.input.is_some() && s.input_bytes.is_some() {
            bail!(
                "fields `{}` and `input_bytes`: give at most one",
                at("input")
            );
        }
        if s.output.is_some() && s.output_bytes.is_some() {
            bail!(
                "fields `{}` and `output_bytes`: give at most one",
                at("output")
            );
        }
        check_size(&at("input_bytes"), s.input_bytes)?;
        check_size(&at("output_bytes"), s.output_bytes)?;
        if s.duration_ms > 24 * 3600 * 1000 {
            bail!("field `{}`: at most one day", at("duration_ms"));
        }
        let has_children = def
            .steps
            .get(i + 1)
            .is_some_and(|n| is_prefix_path(&s.path, &n.path));
        if has_children && (s.fail.is_some() || s.ask) {
            bail!(
                "field `{}`: `fail` and `ask` are for leaf steps only",
                at(if s.ask { "ask" } else { "fail" })
            );
        }
        if s.ask && s.fail.is_some() {
            bail!("fields `{}` and `fail`: give at most one", at("ask"));
        }
    }
    Ok(())
}

fn check_size(field: &str, v: Option<u64>) -> anyhow::Result<()> {
    match v {
        Some(n) if !(2..=BIG_MAX_BYTES).contains(&n) => {
            bail!("field `{field}`: must be between 2 and {BIG_MAX_BYTES}")
        }
        _ => Ok(()),
    }
}

/// `1.0.2` -> `1.0`; `1` -> ``.
pub fn parent_of(path: &str) -> &str {
    path.rfind('.').map_or("", |i| &path[..i])
}

/// True when `ancestor` is a proper ancestor of `path` (`1` of `1.0.2`).
fn is_prefix_path(ancestor: &str, path: &str) -> bool {
    path.len() > ancestor.len()
        && path.starts_with(ancestor)
        && path.as_bytes()[ancestor.len()] == b'.'
}

/// A script resolved for one thread: what the timeline engine runs.
#[derive(Clone, Debug)]
pub struct Plan {
    pub steps: Vec<PlanStep>,
    /// None: the last executed step's output.
    pub output: Option<Data>,
    /// Number of top-level steps.
    pub total_steps: i32,
}

#[derive(Clone, Debug)]
pub struct PlanStep {
    pub path: String,
    pub name: String,
    pub parent_path: String,
    /// Index of the parent step.
    pub parent: Option<usize>,
    pub primitive: String,
    pub tool: String,
    pub duration_ms: u64,
    pub input: Data,
    /// None: the default output (see [`StepDef::output`]).
    pub output: Option<Data>,
    pub fail: Option<String>,
    pub yields: Vec<Bytes>,
    pub ask: bool,
    pub decision: Option<DecisionDef>,
    pub skip: bool,
    /// Whether later steps are its children.
    pub has_children: bool,
}

impl PlanStep {
    /// The output of a successful run with this input.
    pub fn output_for(&self, input: &Data) -> Data {
        if let Some(o) = &self.output {
            return o.clone();
        }
        if self.ask {
            return Data::json(&json!({ "resumed_with": input.as_json() }));
        }
        Data::json(&json!({ "step": self.path, "ok": true }))
    }
}

/// Why a script cannot run with an input.
#[derive(Debug)]
pub struct BadInput(pub String);

/// Builds the plan of `source` for a thread with this (already valid JSON) input.
pub fn resolve(source: &Source, input: &Value) -> Result<Plan, BadInput> {
    match source {
        Source::Demo(def) | Source::Scenario(def) => Ok(plan_of(def, input)),
        Source::Big => Ok(plan_of(&big_def(input)?, input)),
    }
}

/// demo/big: `{"bytes": N, "steps": M}` -> M steps, then an output of exactly N bytes.
fn big_def(input: &Value) -> Result<ScriptDef, BadInput> {
    let field = |k: &str, default: u64| -> Result<u64, BadInput> {
        match input.get(k) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => v
                .as_u64()
                .ok_or_else(|| BadInput(format!("demo/big: `{k}` must be a whole number"))),
        }
    };
    let bytes = field("bytes", 1024)?;
    let steps = field("steps", 3)?;
    let yields = field("yields", 0)?;
    let error_bytes = field("error_bytes", 0)?;
    if !(2..=BIG_MAX_BYTES).contains(&bytes) {
        return Err(BadInput(format!(
            "demo/big: `bytes` must be between 2 and {BIG_MAX_BYTES}"
        )));
    }
    if !(1..=BIG_MAX_STEPS).contains(&steps) {
        return Err(BadInput(format!(
            "demo/big: `steps` must be between 1 and {BIG_MAX_STEPS}"
        )));
    }
    if yields > BIG_MAX_YIELDS {
        return Err(BadInput(format!(
            "demo/big: `yields` must be at most {BIG_MAX_YIELDS}"
        )));
    }
    if error_bytes > BIG_MAX_ERROR_BYTES {
        return Err(BadInput(format!(
            "demo/big: `error_bytes` must be at most {BIG_MAX_ERROR_BYTES}"
        )));
    }
    let last = steps;
    let steps = (1..=steps)
        .map(|i| StepDef {
            path: i.to_string(),
            name: format!("generate_part_{i}"),
            primitive: "execute".into(),
            tool: "bytes.generate".into(),
            duration_ms: 200,
            input: Some(json!({ "part": i })),
            input_bytes: None,
            output: Some(json!({ "part": i, "ok": true })),
            output_bytes: None,
            fail: (i == last && error_bytes > 0).then(|| long_error(error_bytes)),
            // Yield k (from 1) goes to step (k - 1) % steps + 1.
            yields: (1..=yields)
                .filter(|k| (k - 1) % last + 1 == i)
                .map(|k| json!({ "n": k }))
                .collect(),
            ask: false,
            decision: None,
            skip: false,
        })
        .collect();
    Ok(ScriptDef {
        name: "demo/big".into(),
        version: 1,
        description: "Output of `bytes` bytes after `steps` steps.".into(),
        steps,
        output: None,
        output_bytes: Some(bytes),
    })
}

/// An error of exactly `bytes` bytes (ASCII words), for a thread whose error is huge.
fn long_error(bytes: u64) -> String {
    let mut text = String::from("generated error:");
    while (text.len() as u64) < bytes {
        text.push_str(" the step failed");
    }
    text.truncate(bytes as usize);
    text
}

fn plan_of(def: &ScriptDef, input: &Value) -> Plan {
    let mut steps: Vec<PlanStep> = Vec::with_capacity(def.steps.len());
    for (i, s) in def.steps.iter().enumerate() {
        let parent_path = parent_of(&s.path).to_string();
        let parent = (0..i).rev().find(|&j| steps[j].path == parent_path);
        let has_children = def
            .steps
            .get(i + 1)
            .is_some_and(|n| is_prefix_path(&s.path, &n.path));
        let skip = s.skip || parent.is_some_and(|p| steps[p].skip);
        steps.push(PlanStep {
            path: s.path.clone(),
            name: s.name.clone(),
            parent_path,
            parent,
            primitive: s.primitive.clone(),
            tool: s.tool.clone(),
            duration_ms: s.duration_ms,
            input: match (&s.input, s.input_bytes) {
                (_, Some(n)) => Data::Filler(n),
                (Some(v), None) => Data::json(v),
                (None, None) => Data::json(input),
            },
            output: match (&s.output, s.output_bytes) {
                (_, Some(n)) => Some(Data::Filler(n)),
                (Some(v), None) => Some(Data::json(v)),
                (None, None) => None,
            },
            fail: s.fail.clone(),
            yields: s
                .yields
                .iter()
                .map(|v| Bytes::from(serde_json::to_vec(v).unwrap_or_default()))
                .collect(),
            ask: s.ask,
            decision: s.decision.clone(),
            skip,
            has_children,
        });
    }
    Plan {
        total_steps: steps.iter().filter(|s| s.parent_path.is_empty()).count() as i32,
        steps,
        output: match (&def.output, def.output_bytes) {
            (_, Some(n)) => Some(Data::Filler(n)),
            (Some(v), None) => Some(Data::json(v)),
            (None, None) => None,
        },
    }
}

/// Renames steps with hostile names and paths (the `hostile-names` fault): terminal escape
/// sequences, `..`, absolute and nested file paths, NUL. Paths stay unique. Tool names and step
/// errors (and so the thread's error) carry escapes too.
pub fn make_hostile(plan: &mut Plan) {
    const PATHS: [&str; 8] = [
        "..",
        "../../etc",
        "/abs/path",
        "a/b",
        "nul\u{0}byte",
        "\u{1b}[31mred\u{1b}[0m",
        "\u{1b}]0;pwned\u{7}",
        "C:\\Windows",
    ];
    const NAMES: [&str; 4] = [
        "\u{1b}[31mred\u{1b}[0m name",
        "\u{1b}]0;window title\u{7}",
        "../../../etc/passwd",
        "line\nbreak\rcarriage",
    ];
    let mapped: Vec<String> = (0..plan.steps.len())
        .map(|i| {
            let base = PATHS[i % PATHS.len()];
            if i < PATHS.len() {
                base.to_string()
            } else {
                format!("{base}{}", i / PATHS.len())
            }
        })
        .collect();
    for i in 0..plan.steps.len() {
        let parent_path = plan.steps[i]
            .parent
            .map(|p| mapped[p].clone())
            .unwrap_or_default();
        let s = &mut plan.steps[i];
        s.path = mapped[i].clone();
        s.parent_path = parent_path;
        s.name = format!("{}{}", NAMES[i % NAMES.len()], s.name);
        if !s.tool.is_empty() {
            s.tool = format!("\u{1b}[2J{}\u{1b}[5m", s.tool);
        }
        if let Some(fail) = &mut s.fail {
            *fail = format!("\u{1b}]0;pwned\u{7}{fail}\u{1b}[8m");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demos_parse() {
        let r = Registry::load(None).unwrap();
        let names: Vec<_> = r.names().collect();
        assert_eq!(
            names,
            [
                "demo/approval",
                "demo/big",
                "demo/etl",
                "demo/fail",
                "demo/hello"
            ]
        );
    }

    #[test]
    fn unknown_field_is_named() {
        let e = parse_def("name: x\nsteps:\n  - path: '1'\n    name: a\n    colour: red\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn child_must_follow_parent() {
        let e =
            parse_def("name: x\nsteps:\n  - {path: '1', name: a}\n  - {path: '2.1', name: b}\n")
                .unwrap_err()
                .to_string();
        assert!(e.contains("steps[1].path"), "{e}");
    }
}
