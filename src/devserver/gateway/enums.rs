//! Enum values the proto does not name. pbjson refuses to write one (an error), where protojson,
//! which real gateways use, writes its number; the `bad-enums` fault makes every status 42, so
//! the gateway writes the answer with those statuses as numbers, as a real gateway would.

use serde::Serialize;

use crate::proto;

/// One step of a path into a message's JSON.
#[derive(Clone, Copy, Debug)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

/// Visits `(path, value, is_named)` for each status of a message.
type Visit<'a> = &'a mut dyn FnMut(&[Seg], &mut i32, fn(i32) -> bool);

/// A message whose statuses (the only enum fields of the API's answers) can be visited.
pub trait Statuses: Serialize + Clone {
    fn statuses(&mut self, _at: &[Seg], _f: Visit<'_>) {}
}

fn thread_named(v: i32) -> bool {
    proto::ThreadStatus::try_from(v).is_ok()
}

fn step_named(v: i32) -> bool {
    proto::StepStatus::try_from(v).is_ok()
}

fn at(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    path.iter().chain(more).copied().collect()
}

macro_rules! thread_status {
    ($($t:ty),*) => {$(
        impl Statuses for $t {
            fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
                f(&at(p, &[Seg::Key("status")]), &mut self.status, thread_named);
            }
        }
    )*};
}

thread_status!(
    proto::CreateThreadResponse,
    proto::Thread,
    proto::CancelThreadResponse,
    proto::ResumeThreadResponse,
    proto::ThreadOutputMeta
);

impl Statuses for proto::ThreadEvent {}
impl Statuses for proto::ListArtifactsResponse {}

impl Statuses for proto::StepSummary {
    fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
        f(&at(p, &[Seg::Key("status")]), &mut self.status, step_named);
    }
}

impl Statuses for proto::StepDetail {
    fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
        f(&at(p, &[Seg::Key("status")]), &mut self.status, step_named);
    }
}

fn each<T: Statuses>(items: &mut [T], p: &[Seg], key: &'static str, f: Visit<'_>) {
    for (i, item) in items.iter_mut().enumerate() {
        item.statuses(&at(p, &[Seg::Key(key), Seg::Index(i)]), f);
    }
}

impl Statuses for proto::ListThreadsResponse {
    fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
        each(&mut self.threads, p, "threads", f);
    }
}

impl Statuses for proto::GetThreadResultResponse {
    fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
        f(
            &at(p, &[Seg::Key("status")]),
            &mut self.status,
            thread_named,
        );
        each(&mut self.steps, p, "steps", f);
        each(&mut self.step_details, p, "stepDetails", f);
    }
}

impl Statuses for proto::StepEvent {
    fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
        if let Some(proto::step_event::Event::Snapshot(s)) = &mut self.event {
            let path = at(p, &[Seg::Key("snapshot"), Seg::Key("status")]);
            f(&path, &mut s.status, step_named);
        }
    }
}

impl Statuses for proto::ThreadOutputChunk {
    fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
        if let Some(proto::thread_output_chunk::Chunk::Meta(m)) = &mut self.chunk {
            m.statuses(&at(p, &[Seg::Key("meta")]), f);
        }
    }
}

impl Statuses for proto::StepResultChunk {
    fn statuses(&mut self, p: &[Seg], f: Visit<'_>) {
        match &mut self.chunk {
            Some(proto::step_result_chunk::Chunk::Meta(m)) => {
                each(&mut m.steps, &at(p, &[Seg::Key("meta")]), "steps", f)
            }
            Some(proto::step_result_chunk::Chunk::Step(s)) => {
                s.statuses(&at(p, &[Seg::Key("step")]), f)
            }
            _ => {}
        }
    }
}

/// `msg` as pbjson, with any status the proto does not name written as its number.
pub fn to_json<T: Statuses>(msg: &T) -> serde_json::Result<Vec<u8>> {
    let error = match serde_json::to_vec(msg) {
        Ok(json) => return Ok(json),
        Err(e) => e,
    };
    let mut named = msg.clone();
    let mut unnamed = Vec::new();
    named.statuses(&[], &mut |path, v, is_named| {
        if !is_named(*v) {
            unnamed.push((path.to_vec(), *v));
            *v = 0;
        }
    });
    if unnamed.is_empty() {
        return Err(error);
    }
    let mut json = serde_json::to_value(&named)?;
    for (path, v) in unnamed {
        let (last, parents) = path.split_last().expect("a status has a path");
        let mut node = &mut json;
        for seg in parents {
            node = match seg {
                Seg::Key(k) => &mut node[*k],
                Seg::Index(i) => &mut node[*i],
            };
        }
        if let (Seg::Key(k), Some(obj)) = (last, node.as_object_mut()) {
            obj.insert(k.to_string(), v.into());
        }
    }
    serde_json::to_vec(&json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unnamed_statuses_are_numbers() {
        let r = proto::GetThreadResultResponse {
            thread_id: "thr_1".into(),
            status: 42,
            steps: vec![
                proto::StepSummary {
                    step_path: "1".into(),
                    status: 2,
                    ..Default::default()
                },
                proto::StepSummary {
                    step_path: "2".into(),
                    status: 42,
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        assert!(serde_json::to_vec(&r).is_err(), "pbjson refuses 42");
        let json: serde_json::Value = serde_json::from_slice(&to_json(&r).unwrap()).unwrap();
        assert_eq!(json["status"], 42);
        assert_eq!(json["steps"][0]["status"], "STEP_STATUS_RUNNING");
        assert_eq!(json["steps"][1]["status"], 42);
        let chunk = proto::ThreadOutputChunk {
            thread_id: "thr_1".into(),
            chunk: Some(proto::thread_output_chunk::Chunk::Meta(
                proto::ThreadOutputMeta {
                    status: 42,
                    total_bytes: 3,
                    total_chunks: 1,
                },
            )),
        };
        let json: serde_json::Value = serde_json::from_slice(&to_json(&chunk).unwrap()).unwrap();
        assert_eq!(json["meta"]["status"], 42);
        assert_eq!(json["meta"]["totalBytes"], "3");
    }
}
