//! WatchThread and WatchStep on the demo scripts: events in order, nesting, decisions, yields,
//! and a late subscriber's catch-up.

use crate::support::*;
use dodil::proto::{self, ThreadStatus};
use tonic::Code;

#[tokio::test]
async fn hello_events_in_order() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    let events = watch_all(&mut c, &id).await;
    assert_eq!(
        labels(&events),
        [
            "started",
            "step_started 1",
            "yielded 1",
            "step_completed 1",
            "step_started 2",
            "step_completed 2",
            "completed"
        ]
    );
    assert!(events
        .windows(2)
        .all(|w| w[0].timestamp_ms <= w[1].timestamp_ms));
    assert!(events.iter().all(|e| e.thread_id == id));
    let Some(proto::thread_event::Event::Started(s)) = &events[0].event else {
        panic!()
    };
    assert_eq!((s.script_name.as_str(), s.total_steps), ("demo/hello", 2));
    let Some(proto::thread_event::Event::Yielded(y)) = &events[2].event else {
        panic!()
    };
    assert_eq!(y.sequence, 1);
    assert_eq!(&y.value_data[..], br#"{"progress":50}"#);
    let Some(proto::thread_event::Event::Completed(done)) = &events[6].event else {
        panic!()
    };
    assert_eq!(done.steps_executed, 2);
}

#[tokio::test]
async fn etl_nests_decides_yields_and_truncates() {
    let (_server, mut c) = start(fast(200.0)).await;
    let id = create(&mut c, "demo/etl", "{}").await;
    let events = watch_all(&mut c, &id).await;
    assert_eq!(
        labels(&events),
        [
            "started",
            "step_started 1",
            "step_started 1.0",
            "step_started 1.0.1",
            "yielded 1.0.1",
            "step_completed 1.0.1",
            "step_started 1.0.2",
            "yielded 1.0.2",
            "yielded 1.0.2",
            "step_completed 1.0.2",
            "step_completed 1.0",
            "step_started 1.1",
            "step_completed 1.1",
            "step_completed 1",
            "step_started 2",
            "step_started 2.1",
            "step_completed 2.1",
            "step_completed 2",
            "step_started 3",
            "yielded 3",
            "step_completed 3",
            "step_started 4",
            "step_completed 4",
            "completed"
        ]
    );
    let seqs: Vec<i64> = events
        .iter()
        .filter_map(|e| match &e.event {
            Some(proto::thread_event::Event::Yielded(y)) => Some(y.sequence),
            _ => None,
        })
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    let tool = events.iter().find_map(|e| match &e.event {
        Some(proto::thread_event::Event::StepStarted(s)) if s.step_path == "1.0.1" => {
            Some(s.tool.clone())
        }
        _ => None,
    });
    assert_eq!(tool.as_deref(), Some("http.get"));

    let r = result(&mut c, &id).await;
    assert_eq!(r.status, ThreadStatus::Completed as i32);
    assert_eq!(r.output_total_bytes, 4_500_000);
    assert!(r.output_truncated);
    assert_eq!(r.output_data.len() as u64, dodil::devserver::RESULT_CAP);
    assert_eq!(
        &r.output_data[..],
        &expected_big(4_500_000)[..r.output_data.len()]
    );
    assert_eq!(r.total_yielded, 4);
    assert_eq!(r.yielded_values.len(), 4);
    assert!(!r.yields_truncated);
    assert_eq!(r.steps_executed, 9);
    let paths: Vec<(&str, &str)> = r
        .steps
        .iter()
        .map(|s| (s.step_path.as_str(), s.parent_path.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("1", ""),
            ("1.0", "1"),
            ("1.0.1", "1.0"),
            ("1.0.2", "1.0"),
            ("1.1", "1"),
            ("2", ""),
            ("2.1", "2"),
            ("2.2", "2"),
            ("3", ""),
            ("4", "")
        ]
    );
    let skipped = r.steps.iter().find(|s| s.step_path == "2.2").unwrap();
    assert_eq!(skipped.status, proto::StepStatus::Skipped as i32);
    assert!(r.step_details.is_empty());

    // Scoped reads.
    let one = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("1.0.2".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.step_details.len(), 1);
    let d = &one.step_details[0];
    assert_eq!(
        (d.name.as_str(), d.tool.as_str()),
        ("fetch_orders", "http.get")
    );
    assert_eq!(d.status, proto::StepStatus::Completed as i32);
    let input: serde_json::Value = serde_json::from_slice(&d.input_data).unwrap();
    assert_eq!(input["page_size"], 500);
    let output: serde_json::Value = serde_json::from_slice(&d.output_data).unwrap();
    assert_eq!(output["rows"], 12000);
    let diag = d.diagnostics.as_ref().unwrap();
    assert!(diag.execution_id.starts_with("exe_") && !diag.logs_url.is_empty());
    assert_eq!(&d.sample_output[..], &d.output_data[..]);
    let e = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("1.0".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(e.step_details[0].step_path, "1.0", "exact match");
    let e = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("9.9".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    let meta = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            metadata_only: Some(true),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(meta.output_data.is_empty() && meta.steps.is_empty() && meta.yielded_values.is_empty());
    assert_eq!(
        (meta.output_total_bytes, meta.total_yielded),
        (4_500_000, 4)
    );
    let out = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            output_only: Some(true),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(out.steps.is_empty());
    assert_eq!(out.output_data.len() as u64, dodil::devserver::RESULT_CAP);
}

#[tokio::test]
async fn approval_pauses_and_a_late_subscriber_catches_up() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/approval", "{}").await;
    let mut first = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    // Wait until the ask step starts: the thread is then PAUSED.
    let mut seen = Vec::new();
    within("pause", async {
        while let Some(e) = first.message().await.unwrap() {
            let at_ask = step_started_path(&e) == Some("2");
            seen.push(e);
            if at_ask {
                break;
            }
        }
    })
    .await;
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.status, ThreadStatus::Paused as i32);
    assert_eq!(
        (t.current_step_path.as_str(), t.current_step_name.as_str()),
        ("2", "approve_release")
    );

    // A late subscriber gets the past events first...
    let mut late = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    let mut caught = Vec::new();
    within("catch-up", async {
        while caught.len() < seen.len() {
            caught.push(late.message().await.unwrap().unwrap());
        }
    })
    .await;
    assert_eq!(caught, seen);
    assert_eq!(
        labels(&caught),
        [
            "started",
            "step_started 1",
            "step_completed 1",
            "step_started 2"
        ]
    );

    // ...then the live ones once the thread is resumed.
    let e = c
        .cancel_thread(proto::CancelThreadRequest {
            thread_id: id.clone(),
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unimplemented);
    c.resume_thread(proto::ResumeThreadRequest {
        thread_id: id.clone(),
        step_input_override_json: r#"{"approved":true,"by":"ana"}"#.into(),
    })
    .await
    .unwrap();
    let rest = within("live events", async {
        let mut out = Vec::new();
        while let Some(e) = late.message().await.unwrap() {
            out.push(e);
        }
        out
    })
    .await;
    assert_eq!(
        labels(&rest),
        [
            "step_completed 2",
            "step_started 3",
            "step_completed 3",
            "completed"
        ]
    );
    let first_rest = within("first stream", async {
        let mut n = 0;
        while first.message().await.unwrap().is_some() {
            n += 1;
        }
        n
    })
    .await;
    assert_eq!(first_rest, 4);
    let r = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("2".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let d = &r.step_details[0];
    assert_eq!(&d.input_data[..], br#"{"approved":true,"by":"ana"}"#);
    let out: serde_json::Value = serde_json::from_slice(&d.output_data).unwrap();
    assert_eq!(out["resumed_with"]["by"], "ana");
    assert_eq!(r.status, ThreadStatus::Completed as i32);
}

#[tokio::test]
async fn watch_step_snapshot_then_decision_and_done() {
    use proto::step_event::Event;
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/etl", "{}").await;
    // Subscribed before the step runs: a PENDING snapshot, then the live events.
    let live = watch_step_all(&mut c, &id, "2").await;
    assert_eq!(
        live.iter().map(step_label).collect::<Vec<_>>(),
        ["snapshot", "decision", "done"]
    );
    let Some(Event::Decision(d)) = &live[1].event else {
        panic!()
    };
    assert_eq!(
        (d.strategy.as_str(), d.chosen_branch.as_str()),
        ("llm", "2.1")
    );
    assert!(live.iter().all(|e| e.step_path == "2" && e.thread_id == id));
    finish(&mut c, &id).await;
    // Late: a COMPLETED snapshot with 4 KB samples, then the past events.
    let late = watch_step_all(&mut c, &id, "3").await;
    assert_eq!(
        late.iter().map(step_label).collect::<Vec<_>>(),
        ["snapshot", "done"]
    );
    let Some(Event::Snapshot(s)) = &late[0].event else {
        panic!()
    };
    assert_eq!(s.status, proto::StepStatus::Completed as i32);
    assert_eq!(
        (s.name.as_str(), s.primitive.as_str()),
        ("load_warehouse", "execute")
    );
    assert_eq!(s.sample_output.len(), 4096);
    let Some(Event::Done(d)) = &late[1].event else {
        panic!()
    };
    assert_eq!(d.output_bytes, 300_000);
    // A skipped step: its snapshot, then the stream ends.
    let skipped = watch_step_all(&mut c, &id, "2.2").await;
    assert_eq!(skipped.len(), 1);

    let fid = create(&mut c, "demo/fail", "{}").await;
    let failed = watch_step_all(&mut c, &fid, "2").await;
    assert_eq!(failed.last().map(step_label), Some("step_failed"));
    let e = c
        .watch_step(proto::WatchStepRequest {
            thread_id: fid,
            step_path: "7".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
}
