//! The dev server's HTTP gateway against the API reference: every curl example of the
//! reference (`../shared/spec/000_*.txt`, read at test time, so the test follows the spec; a
//! missing spec is a failure) runs against a dev server, with a real HTTP client, and its
//! answer must have the shape of the reference's example answer. Then what the examples do not
//! show: one state across both transports, error answers, and the streams' framing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;

use crate::support::{TestEnv, WAIT_LIMIT};
use dodil::proto;

const TOKEN: &str = "gw-test-token";
const ORG: &str = "acme";
/// The reference's placeholders.
const REFERENCE_HOST: &str = "https://api.dev.dodil.io";
const REFERENCE_THREAD: &str = "thr_abc123";
/// The RPCs, as the reference's section headings name them.
const RPCS: [&str; 11] = [
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

/// The API reference: `DODIL_SPEC_DIR`, else the spec directory beside the checkout.
fn reference_text() -> String {
    let dir = std::env::var_os("DODIL_SPEC_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec"),
        PathBuf::from,
    );
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the API reference's directory {} cannot be read ({e}); set DODIL_SPEC_DIR",
            dir.display()
        )
    });
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("000_") && name.ends_with(".txt") {
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("/v1/scriptum/threads") {
                return text;
            }
        }
    }
    panic!(
        "no API reference (000_*.txt naming /v1/scriptum/threads) in {}",
        dir.display()
    );
}

/// A curl command: what it sends.
#[derive(Clone, Debug)]
struct Curl {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

/// One curl example of the reference.
#[derive(Debug)]
struct Example {
    /// The section (RPC) it belongs to.
    rpc: String,
    curl: Curl,
    /// The example answer the reference shows, if any.
    response: Option<Value>,
}

/// Splits one shell command starting at `text`'s beginning into words, as sh would: quotes,
/// `\` line continuations, `$VAR` from `vars` outside single quotes. Returns the words and where
/// the command ended. The reference's text runs the next heading into a command's last
/// quote (`...'Response`); that glued word is left out.
fn shell_words(text: &str, vars: &BTreeMap<&str, String>) -> (Vec<String>, usize) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut since_quote = String::new();
    let mut i = 0;
    let expand = |i: &mut usize, out: &mut String| {
        let start = *i + 1;
        let mut end = start;
        while end < chars.len() && (chars[end].1.is_ascii_alphanumeric() || chars[end].1 == '_') {
            end += 1;
        }
        let name: String = chars[start..end].iter().map(|c| c.1).collect();
        out.push_str(vars.get(name.as_str()).unwrap_or_else(|| {
            panic!("the example uses ${name}, which the test has no value for")
        }));
        *i = end;
    };
    let end = loop {
        if i >= chars.len() {
            break text.len();
        }
        let c = chars[i].1;
        match c {
            '\\' if chars.get(i + 1).map(|c| c.1) == Some('\n') => i += 2,
            '\n' => break chars[i].0,
            c if c.is_whitespace() => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
                i += 1;
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                i += 1;
                while chars[i].1 != '\'' {
                    w.push(chars[i].1);
                    i += 1;
                }
                i += 1;
                since_quote.clear();
            }
            '"' => {
                let mut w = word.take().unwrap_or_default();
                i += 1;
                while chars[i].1 != '"' {
                    match chars[i].1 {
                        '\\' if matches!(chars[i + 1].1, '"' | '\\' | '$') => {
                            w.push(chars[i + 1].1);
                            i += 2;
                        }
                        '$' => expand(&mut i, &mut w),
                        c => {
                            w.push(c);
                            i += 1;
                        }
                    }
                }
                i += 1;
                word = Some(w);
                since_quote.clear();
            }
            '$' => {
                let mut w = word.take().unwrap_or_default();
                expand(&mut i, &mut w);
                word = Some(w);
            }
            c => {
                word.get_or_insert_with(String::new).push(c);
                since_quote.push(c);
                i += 1;
            }
        }
    };
    if let Some(mut w) = word {
        if since_quote == "Response" {
            w.truncate(w.len() - since_quote.len());
        }
        words.push(w);
    }
    (words, end)
}

/// Every curl command in `text` (one starting a line), with where it starts and ends.
fn curls(text: &str, vars: &BTreeMap<&str, String>) -> Vec<(usize, usize, Curl)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("\ncurl ") {
        let start = at + found + 1;
        let (words, len) = shell_words(&text[start..], vars);
        at = start + len;
        let mut c = Curl {
            method: "GET".into(),
            url: String::new(),
            headers: Vec::new(),
            body: None,
        };
        let mut words = words.into_iter().skip(1);
        while let Some(w) = words.next() {
            match w.as_str() {
                "-sS" | "-s" | "-S" | "-N" => {}
                "-X" => c.method = words.next().unwrap(),
                "-H" => {
                    let h = words.next().unwrap();
                    let (k, v) = h.split_once(':').expect("a header is NAME: VALUE");
                    c.headers.push((k.trim().to_string(), v.trim().to_string()));
                }
                "-d" => c.body = Some(words.next().unwrap()),
                w if w.starts_with("http") => c.url = w.to_string(),
                w => panic!("the test does not know curl's {w:?}; teach it"),
            }
        }
        out.push((start, at, c));
    }
    out
}

/// Every curl example of the reference, with its section and example answer.
fn examples(text: &str, vars: &BTreeMap<&str, String>) -> Vec<Example> {
    let found = curls(text, vars);
    let mut out = Vec::new();
    for (i, (start, end, curl)) in found.iter().enumerate() {
        // A heading may follow a block's closing brace on its line (`}GetThread`).
        let heading = |l: &str| l.trim().trim_start_matches('}').to_string();
        let rpc = text[..*start]
            .lines()
            .rev()
            .map(heading)
            .find(|l| RPCS.contains(&l.as_str()))
            .expect("an example under an RPC's heading");
        // An example answer follows as `HTTP` then a JSON object, before the next example.
        let next = found.get(i + 1).map_or(text.len(), |n| n.0);
        let rest = &text[*end..next];
        let response = rest.find("\nHTTP\n{").map(|http| {
            let json = &rest[http + "\nHTTP\n".len()..];
            let mut values = serde_json::Deserializer::from_str(json).into_iter::<Value>();
            values.next().unwrap().expect("the example answer is JSON")
        });
        out.push(Example {
            rpc,
            curl: curl.clone(),
            response,
        });
    }
    out
}

/// A pbjson value at its default, which pbjson leaves out.
fn is_default(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || s == "0",
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

fn is_int64(s: &str) -> bool {
    !s.is_empty()
        && s.trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit())
}

/// Bytes holding JSON, as base64 over HTTP.
fn base64_json(s: &str) -> Option<Value> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A value cut short for a failure message (a 4 MiB base64 string helps nobody).
fn brief(v: &impl std::fmt::Display) -> String {
    let s = v.to_string();
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}... ({} bytes)", &s[..i], s.len()),
        None => s,
    }
}

/// The JSON names of the proto's fields by type, read from the `.proto` itself: which strings
/// are int64s, which base64 bytes, which enum names (and of which enum).
struct Schema {
    int64: Vec<String>,
    bytes: Vec<String>,
    enums: Vec<(String, String)>,
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `ThreadStatus` -> `THREAD_STATUS_`.
fn enum_prefix(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out + "_"
}

fn schema() -> Schema {
    let proto = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("proto/dodil/scriptum/v1/scriptum.proto"),
    )
    .unwrap();
    let mut s = Schema {
        int64: Vec::new(),
        bytes: Vec::new(),
        enums: Vec::new(),
    };
    for line in proto.lines() {
        let words: Vec<&str> = line
            .split_whitespace()
            .filter(|w| !matches!(*w, "optional" | "repeated"))
            .collect();
        if words.len() < 3 || words[2] != "=" {
            continue;
        }
        let name = camel(words[1]);
        match words[0] {
            "int64" => s.int64.push(name),
            "bytes" => s.bytes.push(name),
            t @ ("ThreadStatus" | "StepStatus") => s.enums.push((name, enum_prefix(t))),
            _ => {}
        }
    }
    assert!(s.int64.iter().any(|k| k == "createdAtMs"), "{:?}", s.int64);
    assert!(s.bytes.iter().any(|k| k == "outputData"), "{:?}", s.bytes);
    s
}

/// `got` has the shape of the reference's `want`: no key the reference lacks, every key the
/// reference shows present unless the reference's value is a default (which pbjson leaves
/// out, and which an array element may leave out whatever the reference's is), the same JSON types, and for the proto's int64 fields digit strings, for bytes fields
/// base64, for enum fields a name of that enum.
fn same_shape(schema: &Schema, got: &Value, want: &Value, at: &str, problems: &mut Vec<String>) {
    let key = at.rsplit('.').next().unwrap_or_default();
    let key = key.split('[').next().unwrap_or_default();
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for k in g.keys() {
                if !w.contains_key(k) {
                    problems.push(format!("{at}.{k}: not in the reference's example"));
                }
            }
            for (k, wv) in w {
                match g.get(k) {
                    Some(gv) => same_shape(schema, gv, wv, &format!("{at}.{k}"), problems),
                    // An array's elements differ from the reference's one: any field of
                    // theirs may be at its default (a skipped step's zero duration).
                    None if is_default(wv) || at.ends_with(']') => {}
                    None => problems.push(format!("{at}.{k}: missing")),
                }
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            if let Some(w0) = w.first() {
                for (i, gv) in g.iter().enumerate() {
                    same_shape(schema, gv, w0, &format!("{at}[{i}]"), problems);
                }
            }
        }
        (Value::String(g), Value::String(w)) => {
            if schema.int64.iter().any(|k| k == key) && !is_int64(g) {
                problems.push(format!("{at}: {} is not an int64 string", brief(g)));
            }
            if schema.bytes.iter().any(|k| k == key)
                && base64::engine::general_purpose::STANDARD.decode(g).is_err()
            {
                problems.push(format!("{at}: {} is not base64", brief(g)));
            }
            // `status` is a ThreadStatus in one message and a StepStatus in another: the
            // reference's value says which.
            let prefix = schema
                .enums
                .iter()
                .find(|(k, prefix)| k == key && w.starts_with(prefix.as_str()));
            if let Some((_, prefix)) = prefix {
                let is_name = g.starts_with(prefix.as_str())
                    && g.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
                if !is_name {
                    problems.push(format!("{at}: {g:?} is not a {prefix}* name"));
                }
            }
        }
        (Value::Bool(_), Value::Bool(_)) | (Value::Number(_), Value::Number(_)) => {}
        (g, w) => problems.push(format!(
            "{at}: {} has another JSON type than {}",
            brief(g),
            brief(w)
        )),
    }
}

/// A server as the reference's examples need it: a token, an organization, the example's
/// script (`my-etl-pipeline`) and a slow one to cancel, CancelThread and ListArtifacts on.
fn gateway_env() -> (TestEnv, tempfile::TempDir) {
    let files = tempfile::tempdir().unwrap();
    let scripts = files.path().join("scripts");
    let artifacts = files.path().join("artifacts");
    std::fs::create_dir_all(&scripts).unwrap();
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::write(
        scripts.join("my-etl-pipeline.yaml"),
        "name: my-etl-pipeline\nsteps:\n  - path: \"1\"\n    name: fetch_data\n    tool: http.get\n",
    )
    .unwrap();
    std::fs::write(
        scripts.join("slow.yaml"),
        "name: test/slow\nsteps:\n  - path: \"1\"\n    name: wait\n    duration_ms: 86400000\n",
    )
    .unwrap();
    std::fs::write(artifacts.join("report.pdf"), b"%PDF-1.4 not really").unwrap();
    let env = TestEnv::with(|s| {
        s.token = Some(TOKEN.into());
        s.faults.only_org = Some(ORG.into());
        s.scripts_dir = Some(scripts);
        s.artifacts_dir = Some(artifacts);
        s.implement_cancel = true;
    });
    (env, files)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// An answer, read to its end.
struct Answer {
    status: u16,
    content_type: String,
    request_id: Option<String>,
    body: String,
}

impl Answer {
    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    #[track_caller]
    fn error(&self, status: u16, code: i32) -> &Answer {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type, "application/json", "{}", self.body);
        let v = self.json();
        assert_eq!(v["code"], code, "{v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        assert_eq!(v["details"], serde_json::json!([]), "{v}");
        assert_eq!(v.as_object().unwrap().len(), 3, "{v}");
        self
    }
}

fn send(method: &str, url: &str, headers: &[(String, String)], body: Option<&str>) -> Answer {
    let agent = agent();
    let mut response = match method {
        "GET" => {
            let mut r = agent.get(url);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.call()
        }
        "POST" => {
            let mut r = agent.post(url);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.send(body.unwrap_or_default())
        }
        m => panic!("no {m} in the reference"),
    }
    .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (content_type, request_id) = (
        header("content-type").unwrap_or_default(),
        header("x-request-id"),
    );
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_string()
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        content_type,
        request_id,
        body,
    }
}

fn auth() -> Vec<(String, String)> {
    vec![
        ("Authorization".into(), format!("Bearer {TOKEN}")),
        ("x-organization-name".into(), ORG.into()),
    ]
}

fn get(url: &str) -> Answer {
    send("GET", url, &auth(), None)
}

fn post(url: &str, body: &str) -> Answer {
    send("POST", url, &auth(), Some(body))
}

/// Creates a thread of `script` over the gateway.
fn create(base: &str, script: &str) -> String {
    let a = post(
        &format!("{base}/v1/scriptum/threads"),
        &serde_json::json!({ "scriptName": script }).to_string(),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["threadId"].as_str().unwrap().to_string()
}

/// Polls GetThread over the gateway until the thread's status is one of `statuses`.
fn wait_status(base: &str, id: &str, statuses: &[&str]) -> Value {
    let deadline = Instant::now() + WAIT_LIMIT;
    loop {
        let thread = get(&format!("{base}/v1/scriptum/threads/{id}")).json();
        if statuses.contains(&thread["status"].as_str().unwrap_or_default()) {
            return thread;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting on {id}: {thread}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The `data:` of each event of an SSE body, checking the framing: events are blank-line
/// separated, every line of an event is a `data:` line.
#[track_caller]
fn sse_events(body: &str) -> Vec<Value> {
    assert!(
        body.ends_with("\n\n"),
        "an SSE body ends with a blank line: {body:?}"
    );
    body.trim_end_matches('\n')
        .split("\n\n")
        .map(|event| {
            let data = event
                .strip_prefix("data: ")
                .filter(|d| !d.contains('\n'))
                .unwrap_or_else(|| panic!("an event is one data: line: {event:?}"));
            serde_json::from_str(data).unwrap_or_else(|e| panic!("not JSON ({e}): {data}"))
        })
        .collect()
}

/// The messages of an NDJSON body of `{"result": ...}` lines.
#[track_caller]
fn ndjson_results(body: &str) -> Vec<Value> {
    assert!(
        body.ends_with('\n'),
        "an NDJSON body ends with a newline: {body:?}"
    );
    body.lines()
        .map(|line| {
            let mut v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let obj = v.as_object_mut().unwrap();
            assert_eq!(obj.len(), 1, "one key a line: {line}");
            obj.remove("result")
                .unwrap_or_else(|| panic!("not a result line: {line}"))
        })
        .collect()
}

/// `v` reads as the pbjson of `T` (which refuses unknown fields and wrong types).
#[track_caller]
fn pbjson<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("not a {} in pbjson ({e}): {v}", std::any::type_name::<T>()))
}

#[test]
fn every_reference_example_answers_in_the_reference_shape() {
    let text = reference_text();
    let (env, _files) = gateway_env();
    let base = env.url.clone();
    // The threads the examples act on: a finished demo/etl (step 1.0.2 exists), one paused at
    // demo/approval's ask step, one still running.
    let etl = create(&base, "demo/etl");
    let approval = create(&base, "demo/approval");
    let slow = create(&base, "test/slow");
    wait_status(&base, &etl, &["THREAD_STATUS_COMPLETED"]);
    wait_status(&base, &approval, &["THREAD_STATUS_PAUSED"]);
    wait_status(&base, &slow, &["THREAD_STATUS_RUNNING"]);

    let vars = BTreeMap::from([
        ("DODIL_TOKEN", TOKEN.to_string()),
        ("DODIL_ORG", ORG.to_string()),
    ]);
    let examples = examples(&text, &vars);
    let schema = schema();
    let answers = examples.iter().filter(|e| e.response.is_some()).count();
    assert!(
        answers >= 3,
        "the reference shows example answers (found {answers})"
    );
    let sections: Vec<&str> = examples.iter().map(|e| e.rpc.as_str()).collect();
    assert_eq!(
        sections, RPCS,
        "one curl example per RPC, in the table's order"
    );
    for example in &examples {
        let thread = match example.rpc.as_str() {
            "CancelThread" => &slow,
            "ResumeThread" => &approval,
            _ => &etl,
        };
        let e = &example.curl;
        assert!(e.url.starts_with(REFERENCE_HOST), "{e:?}");
        let url = e
            .url
            .replace(REFERENCE_HOST, &base)
            .replace(REFERENCE_THREAD, thread);
        let a = send(&e.method, &url, &e.headers, e.body.as_deref());
        let what = format!("{} ({} {url})", example.rpc, e.method);
        assert_eq!(a.status, 200, "{what}: {}", a.body);
        assert!(
            a.request_id
                .as_deref()
                .is_some_and(|r| r.starts_with("req_")),
            "{what}"
        );
        let content_type = match example.rpc.as_str() {
            "WatchThread" | "WatchStep" => "text/event-stream",
            "StreamThreadResult" | "StreamStepResult" => "application/x-ndjson",
            _ => "application/json",
        };
        assert_eq!(a.content_type, content_type, "{what}");
        match example.rpc.as_str() {
            "WatchThread" => {
                let events = sse_events(&a.body);
                for ev in &events {
                    let ev: proto::ThreadEvent = pbjson(ev);
                    assert_eq!(ev.thread_id, *thread);
                }
                assert!(events.first().unwrap()["started"].is_object(), "{what}");
                assert!(events.last().unwrap()["completed"].is_object(), "{what}");
            }
            "WatchStep" => {
                let events = sse_events(&a.body);
                for ev in &events {
                    let ev: proto::StepEvent = pbjson(ev);
                    assert_eq!(
                        (ev.thread_id.as_str(), ev.step_path.as_str()),
                        (thread.as_str(), "1.0.2")
                    );
                }
                assert!(events.first().unwrap()["snapshot"].is_object(), "{what}");
                assert!(events.last().unwrap()["done"].is_object(), "{what}");
            }
            "StreamThreadResult" => {
                let chunks = ndjson_results(&a.body);
                let mut output = Vec::new();
                for c in &chunks {
                    let c: proto::ThreadOutputChunk = pbjson(c);
                    if let Some(proto::thread_output_chunk::Chunk::Output(o)) = c.chunk {
                        output.extend_from_slice(&o.data);
                    }
                }
                assert!(chunks[0]["meta"].is_object(), "{what}: meta first");
                assert_eq!(chunks.last().unwrap()["output"]["isFinal"], true, "{what}");
                assert_eq!(output.len(), 4_500_000, "{what}: demo/etl's whole output");
                serde_json::from_slice::<Value>(&output).expect("the output is JSON");
            }
            "StreamStepResult" => {
                let chunks = ndjson_results(&a.body);
                for c in &chunks {
                    let _: proto::StepResultChunk = pbjson(c);
                }
                assert!(chunks[0]["meta"].is_object(), "{what}: meta first");
                assert_eq!(chunks[1]["step"]["stepPath"], "1.0.2", "{what}");
            }
            _ => {
                let got = a.json();
                match example.rpc.as_str() {
                    "CreateThread" => {
                        let _: proto::CreateThreadResponse = pbjson(&got);
                    }
                    "GetThread" => {
                        let t: proto::Thread = pbjson(&got);
                        assert_eq!(t.thread_id, *thread);
                        assert_eq!(t.organization_name, ORG);
                    }
                    "ListThreads" => {
                        let l: proto::ListThreadsResponse = pbjson(&got);
                        // The example's own thread may still be running too.
                        assert!(
                            l.threads.iter().any(|t| t.thread_id == slow),
                            "{what}: {got}"
                        );
                        assert!(
                            l.threads
                                .iter()
                                .all(|t| t.status == proto::ThreadStatus::Running as i32),
                            "{what}: {got}"
                        );
                    }
                    "CancelThread" => {
                        assert_eq!(
                            got,
                            serde_json::json!({"status": "THREAD_STATUS_CANCELLED"})
                        );
                    }
                    "ResumeThread" => {
                        let r: proto::ResumeThreadResponse = pbjson(&got);
                        assert_ne!(r.status, proto::ThreadStatus::Paused as i32, "{got}");
                    }
                    "GetThreadResult" => {
                        let _: proto::GetThreadResultResponse = pbjson(&got);
                        assert_eq!(
                            got["outputTruncated"], true,
                            "{what}: 4.5 MB is over the cap"
                        );
                    }
                    "ListArtifacts" => {
                        let l: proto::ListArtifactsResponse = pbjson(&got);
                        assert_eq!(l.artifacts[0].path, format!("{thread}/report.pdf"));
                    }
                    other => panic!("no check for {other}"),
                }
                if let Some(want) = &example.response {
                    let mut problems = Vec::new();
                    same_shape(&schema, &got, want, "", &mut problems);
                    assert!(
                        problems.is_empty(),
                        "{what}: {problems:#?}\n{}",
                        brief(&got)
                    );
                }
            }
        }
    }
    // The examples' effects are the service's: the created thread has the example's metadata
    // and input, and the resume's override reached step 2.
    let list = get(&format!(
        "{base}/v1/scriptum/threads?scriptNameFilter=my-etl-pipeline"
    ))
    .json();
    assert_eq!(
        list["threads"][0]["metadata"],
        serde_json::json!({"run": "nightly"}),
        "{list}"
    );
    wait_status(&base, &approval, &["THREAD_STATUS_COMPLETED"]);
    let step = get(&format!(
        "{base}/v1/scriptum/threads/{approval}/result?stepPath=2"
    ))
    .json();
    let input = base64_json(step["stepDetails"][0]["inputData"].as_str().unwrap()).unwrap();
    assert_eq!(input, serde_json::json!({"retry_count": 3}), "{step}");
}

#[test]
fn shape_check_catches_what_pbjson_would_not_send() {
    // The shape comparison must be able to fail.
    let schema = schema();
    let want = serde_json::json!({"threadId": "thr_1", "status": "THREAD_STATUS_PENDING",
        "createdAtMs": "17", "outputData": "eyJhIjoxfQ==", "outputTruncated": false});
    let good = serde_json::json!({"threadId": "t", "status": "THREAD_STATUS_RUNNING",
        "createdAtMs": "9", "outputData": "e30="});
    let mut problems = Vec::new();
    same_shape(&schema, &good, &want, "", &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    for (key, bad) in [
        ("createdAtMs", serde_json::json!(17)),
        ("createdAtMs", serde_json::json!("17ms")),
        ("status", serde_json::json!(1)),
        ("status", serde_json::json!("STEP_STATUS_PENDING")),
        ("outputData", serde_json::json!("{\"a\":1}")),
        ("thread_id", serde_json::json!("t")),
    ] {
        let mut got = good.clone();
        got[key] = bad;
        let mut problems = Vec::new();
        same_shape(&schema, &got, &want, "", &mut problems);
        assert!(
            problems.iter().any(|p| p.starts_with(&format!(".{key}"))),
            "{got}: {problems:?}"
        );
    }
    let mut got = good.clone();
    got.as_object_mut().unwrap().remove("threadId");
    let mut problems = Vec::new();
    same_shape(&schema, &got, &want, "", &mut problems);
    assert_eq!(problems, [".threadId: missing"]);
}

#[test]
fn one_state_across_both_transports() {
    let (env, _files) = gateway_env();
    let base = env.url.clone();
    let cli = |args: &[&str]| {
        let mut cmd = env.thread_cmd(args);
        cmd.env("DODIL_TOKEN", TOKEN).env("DODIL_ORG", ORG);
        crate::support::Execute::run(&mut cmd)
    };
    // Created over HTTP, read over gRPC.
    let id = create(&base, "demo/hello");
    let over_grpc = cli(&["get", &id, "-o", "json"]).success().json();
    assert_eq!(over_grpc["scriptName"], "demo/hello", "{over_grpc}");
    assert_eq!(over_grpc["organizationName"], ORG, "{over_grpc}");
    // Created over gRPC, read and resumed over HTTP.
    let run = cli(&["create", "demo/approval"]);
    let id = run.success().stdout.trim().to_string();
    let over_http = get(&format!("{base}/v1/scriptum/threads/{id}")).json();
    assert_eq!(over_http["scriptName"], "demo/approval", "{over_http}");
    wait_status(&base, &id, &["THREAD_STATUS_PAUSED"]);
    let a = post(&format!("{base}/v1/scriptum/threads/{id}/resume"), "");
    assert_eq!(a.status, 200, "{}", a.body);
    wait_status(&base, &id, &["THREAD_STATUS_COMPLETED"]);
    let done = cli(&["get", &id, "-o", "json"]).success().json();
    assert_eq!(done["status"], "THREAD_STATUS_COMPLETED", "{done}");
}

#[test]
fn errors_are_json_with_the_grpc_code_and_its_http_status() {
    let (env, _files) = gateway_env();
    let base = env.url.clone();
    let threads = format!("{base}/v1/scriptum/threads");
    // Unknown thread, on a unary route and before a stream's first message.
    let a = get(&format!("{threads}/thr_nope"));
    a.error(404, 5);
    assert!(a.request_id.is_some());
    get(&format!("{threads}/thr_nope/watch")).error(404, 5);
    get(&format!("{threads}/thr_nope/result/stream")).error(404, 5);
    // No token, a wrong one, no organization.
    send("GET", &threads, &[], None).error(401, 16);
    let wrong = vec![("Authorization".to_string(), "Bearer nope".to_string())];
    send("GET", &threads, &wrong, None).error(401, 16);
    send("GET", &threads, &auth()[..1], None).error(403, 7);
    send("GET", &format!("{threads}/thr_nope/watch"), &[], None).error(401, 16);
    // Bad input.
    let a = post(&threads, "{\"scriptName\": ");
    a.error(400, 3);
    assert!(
        a.json()["message"]
            .as_str()
            .unwrap()
            .contains("CreateThreadRequest"),
        "{}",
        a.body
    );
    let a = post(&threads, "{\"scriptNam\": \"demo/hello\"}");
    a.error(400, 3);
    assert!(a.body.contains("scriptNam"), "{}", a.body);
    post(&threads, "{}").error(400, 3);
    post(&threads, "{\"scriptName\": \"nope\"}").error(404, 5);
    get(&format!("{threads}?pageSize=many")).error(400, 3);
    get(&format!("{threads}?statusFilter=THREAD_STATUS_SLEEPING")).error(400, 3);
    let id = create(&base, "demo/hello");
    get(&format!("{threads}/{id}/steps/9.9/watch")).error(404, 5);
    // FAILED_PRECONDITION: resuming a thread that is not paused or failed.
    wait_status(&base, &id, &["THREAD_STATUS_COMPLETED"]);
    post(&format!("{threads}/{id}/resume"), "").error(400, 9);
    // Routes and methods the gateway does not have.
    get(&format!("{base}/v1/scriptum/nothing")).error(404, 5);
    get(&format!("{base}/")).error(404, 5);
}

#[test]
fn wrong_methods_are_405_and_cancel_can_be_unimplemented() {
    let env = TestEnv::start();
    let threads = format!("{}/v1/scriptum/threads", env.url);
    let a = post(&format!("{threads}/thr_x"), "{}");
    assert_eq!(a.status, 405, "{}", a.body);
    assert_eq!(a.content_type, "application/json");
    assert_eq!(a.json()["code"], 12);
    let a = get(&format!("{threads}/thr_x/cancel"));
    assert_eq!(a.status, 405, "{}", a.body);
    // Without --implement-cancel, CancelThread is UNIMPLEMENTED, as in production: 501.
    let id = create(&env.url, "demo/hello");
    post(&format!("{threads}/{id}/cancel"), "").error(501, 12);
    get(&format!("{threads}/{id}/artifacts")).error(501, 12);
}

#[test]
fn a_followed_thread_streams_sse_events_then_ndjson_results() {
    let env = TestEnv::start();
    let base = env.url.clone();
    let id = create(&base, "demo/hello");
    // Subscribed right away: the whole run, live, ending with the terminal event.
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/watch"));
    assert_eq!(
        (a.status, a.content_type.as_str()),
        (200, "text/event-stream"),
        "{}",
        a.body
    );
    let events = sse_events(&a.body);
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| {
            let _: proto::ThreadEvent = pbjson(e);
            let obj = e.as_object().unwrap();
            obj.keys()
                .find(|k| !matches!(k.as_str(), "threadId" | "timestampMs"))
                .unwrap()
                .as_str()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "started",
            "stepStarted",
            "yielded",
            "stepCompleted",
            "stepStarted",
            "stepCompleted",
            "completed"
        ],
        "{}",
        a.body
    );
    assert!(events
        .iter()
        .all(|e| e["threadId"] == id.as_str() && e["timestampMs"].is_string()));
    assert_eq!(events[2]["yielded"]["sequence"], "1", "int64 as a string");
    // The result stream, in small chunks, reassembles to GetThreadResult's output.
    let unary = get(&format!("{base}/v1/scriptum/threads/{id}/result")).json();
    let a = get(&format!(
        "{base}/v1/scriptum/threads/{id}/result/stream?maxChunkBytes=65536"
    ));
    assert_eq!(a.content_type, "application/x-ndjson");
    let chunks = ndjson_results(&a.body);
    assert_eq!(chunks.len(), 2, "meta, then one chunk: {}", a.body);
    assert_eq!(chunks[0]["meta"]["status"], "THREAD_STATUS_COMPLETED");
    assert_eq!(chunks[1]["output"]["data"], unary["outputData"]);
    // Every step, then one.
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/steps/stream"));
    let chunks = ndjson_results(&a.body);
    let steps: Vec<&Value> = chunks.iter().filter_map(|c| c.get("step")).collect();
    assert_eq!(steps.len(), 2, "{}", a.body);
    let a = get(&format!(
        "{base}/v1/scriptum/threads/{id}/result?stepPath=2&outputOnly=false"
    ));
    assert_eq!(a.json()["stepDetails"][0]["stepPath"], "2", "{}", a.body);
}

#[test]
fn an_error_mid_stream_is_the_last_ndjson_line() {
    let env =
        TestEnv::with(|s| s.faults = dodil::devserver::Faults::parse("output-break=0").unwrap());
    let base = env.url.clone();
    let id = create(&base, "demo/hello");
    wait_status(&base, &id, &["THREAD_STATUS_COMPLETED"]);
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/result/stream"));
    assert_eq!(
        a.status, 200,
        "headers went out before the error: {}",
        a.body
    );
    let lines: Vec<Value> = a
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines[0]["result"]["meta"].is_object(), "{}", a.body);
    let last = lines.last().unwrap();
    assert_eq!(last["error"]["code"], 14, "{}", a.body);
    assert!(last["error"]["message"].is_string(), "{}", a.body);
}

#[test]
fn gateway_faults_answer_as_a_broken_proxy_would() {
    let env = TestEnv::with(|s| {
        s.faults = dodil::devserver::Faults::parse(
            "http-html-error=GetThread,http-non-json=ListThreads,http-truncate=GetThreadResult,http-truncate=WatchThread",
        )
        .unwrap()
    });
    let base = env.url.clone();
    let id = create(&base, "demo/hello");
    let a = get(&format!("{base}/v1/scriptum/threads/{id}"));
    assert_eq!(
        (a.status, a.content_type.as_str()),
        (502, "text/html"),
        "{}",
        a.body
    );
    assert!(a.body.contains("502 Bad Gateway"));
    let a = get(&format!("{base}/v1/scriptum/threads"));
    assert_eq!(
        (a.status, a.content_type.as_str()),
        (200, "text/plain"),
        "{}",
        a.body
    );
    assert!(serde_json::from_str::<Value>(&a.body).is_err());
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/result"));
    assert_eq!(
        (a.status, a.content_type.as_str()),
        (200, "application/json")
    );
    assert!(a.body.starts_with("{\"threadId\""), "{}", a.body);
    assert!(
        serde_json::from_str::<Value>(&a.body).is_err(),
        "{}",
        a.body
    );
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/watch"));
    assert!(
        a.body.starts_with("data: {") && !a.body.ends_with('\n'),
        "{}",
        a.body
    );
    // The other routes, and gRPC, are untouched.
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/steps/stream"));
    assert_eq!(a.status, 200, "{}", a.body);
    let run = env.thread(["get", &id, "-o", "json"]);
    run.success();
}

/// README's gateway examples are `sh no-run` (curl is not on every machine that runs the
/// tests), so this runs their requests: the block's curl commands, and its `dodil` line, as
/// written but for the port.
#[test]
fn the_readme_gateway_examples_work_as_written() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let section = &readme[readme
        .find("\n### HTTP gateway\n")
        .expect("README has the section")..];
    let block = &section[section
        .find("```sh no-run\n")
        .expect("the section has an example")..];
    let block = &block[..block[3..].find("```").unwrap() + 3];
    let env = TestEnv::start();
    let block = block.replace("http://127.0.0.1:50051", &env.url);
    let line = block
        .lines()
        .find_map(|l| l.strip_prefix("id=$(dodil "))
        .and_then(|l| l.strip_suffix(')'))
        .expect("the block creates a thread with dodil");
    let run = crate::support::Execute::run(env.bare_cmd().args(line.split_whitespace()));
    let id = run.success().stdout.trim().to_string();
    let found = curls(&block, &BTreeMap::from([("id", id.clone())]));
    assert_eq!(found.len(), 2, "{block}");
    let created = &found[0].2;
    let a = send(
        &created.method,
        &created.url,
        &created.headers,
        created.body.as_deref(),
    );
    assert_eq!(
        (a.status, a.content_type.as_str()),
        (200, "application/json"),
        "{}",
        a.body
    );
    let created: proto::CreateThreadResponse = pbjson(&a.json());
    let thread = get(&format!(
        "{}/v1/scriptum/threads/{}",
        env.url, created.thread_id
    ))
    .json();
    assert_eq!(thread["scriptName"], "demo/hello", "{thread}");
    let watch = &found[1].2;
    assert!(
        watch.url.ends_with(&format!("/threads/{id}/watch")),
        "{watch:?}"
    );
    let a = send(&watch.method, &watch.url, &watch.headers, None);
    assert_eq!(a.content_type, "text/event-stream", "{}", a.body);
    let events = sse_events(&a.body);
    assert!(
        events.last().unwrap()["completed"].is_object(),
        "{}",
        a.body
    );
}

/// `bad-enums` over the gateway: a status the proto does not name is written as its number (as
/// protojson does; pbjson alone would fail), every route still answers.
#[test]
fn unnamed_statuses_are_numbers_over_the_gateway() {
    let env = TestEnv::with(|s| s.faults.bad_enums = true);
    let base = env.url.clone();
    let a = post(
        &format!("{base}/v1/scriptum/threads"),
        r#"{"scriptName": "demo/hello"}"#,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["status"], 42, "{}", a.body);
    let id = a.json()["threadId"].as_str().unwrap().to_string();
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/watch"));
    let events = sse_events(&a.body);
    assert!(
        events.iter().any(|e| e.get("completed").is_some()),
        "{}",
        a.body
    );
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/result"));
    assert_eq!(a.status, 200, "{}", a.body);
    let result = a.json();
    assert_eq!(result["status"], 42, "{result}");
    assert_eq!(result["steps"][0]["status"], 42, "{result}");
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/result/stream"));
    assert_eq!(
        ndjson_results(&a.body)[0]["meta"]["status"],
        42,
        "{}",
        a.body
    );
    let a = get(&format!("{base}/v1/scriptum/threads/{id}/steps/1/watch"));
    assert_eq!(
        sse_events(&a.body)[0]["snapshot"]["status"],
        42,
        "{}",
        a.body
    );
}

/// `--tls`: a client that offers ALPN `http/1.1` only (curl --http1.1) is served, as one that
/// offers `h2` is (gRPC, which the CLI checks); each gets the protocol it asked for.
#[test]
fn the_gateway_over_tls_speaks_http1_to_who_asks() {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio_rustls::rustls;

    let generated = dodil::devserver::tls::generate(&[]).unwrap();
    let env = TestEnv::with(|s| s.tls = Some(generated.identity.clone()));
    let addr = env.url.trim_start_matches("https://").to_string();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ask = |alpn: &[u8]| {
        let mut roots = rustls::RootCertStore::empty();
        let ca = rustls::pki_types::pem::PemObject::from_pem_slice(generated.ca_pem.as_bytes());
        roots.add(ca.unwrap()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![alpn.to_vec()];
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        runtime.block_on(async {
            let tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
            let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
            let mut tls = connector.connect(name, tcp).await.unwrap();
            let agreed = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
            let mut answer = Vec::new();
            if alpn == b"http/1.1" {
                let request = "GET /v1/scriptum/threads HTTP/1.1\r\nHost: localhost\r\n\
                               Connection: close\r\n\r\n";
                tls.write_all(request.as_bytes()).await.unwrap();
                tls.read_to_end(&mut answer).await.unwrap();
            }
            (agreed, String::from_utf8_lossy(&answer).into_owned())
        })
    };
    let (agreed, answer) = ask(b"http/1.1");
    assert_eq!(agreed.as_deref(), Some(&b"http/1.1"[..]));
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(
        answer.contains("content-type: application/json"),
        "{answer}"
    );
    let (agreed, _) = ask(b"h2");
    assert_eq!(agreed.as_deref(), Some(&b"h2"[..]));
}
