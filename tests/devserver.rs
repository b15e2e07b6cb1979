//! The dev server, driven RPC by RPC with the generated client over loopback gRPC.
//! Time is scaled (speed 50..200) and tests wait on stream events, never on fixed sleeps.

mod common;

use common::*;
use dodil::proto::{self, ThreadStatus};
use tonic::Code;

const SPEED: f64 = 100.0;

#[tokio::test]
async fn create_get_and_list_a_thread() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let mut r = req(
        proto::CreateThreadRequest {
            script_name: "demo/hello".into(),
            input_json: r#"{"who":"world"}"#.into(),
            metadata: [("run".to_string(), "nightly".to_string())].into(),
            ..Default::default()
        },
        None,
        Some("acme"),
    );
    r.metadata_mut()
        .insert("x-organization-id", "org_1".parse().unwrap());
    let created = c.create_thread(r).await.unwrap().into_inner();
    assert!(created.thread_id.starts_with("thr_"));
    assert_eq!(created.thread_id.len(), 24);
    assert_eq!(created.status, ThreadStatus::Pending as i32);
    assert!(created.created_at_ms > 1_700_000_000_000);

    let t = finish(&mut c, &created.thread_id).await;
    assert_eq!(t.status, ThreadStatus::Completed as i32);
    assert_eq!(t.script_name, "demo/hello");
    assert_eq!(t.script_version, 1);
    assert_eq!(t.total_steps, 2);
    assert_eq!(t.organization_name, "acme");
    assert_eq!(t.metadata.get("run").map(String::as_str), Some("nightly"));
    assert_eq!(t.created_at_ms, created.created_at_ms);
    assert!(t.started_at_ms >= t.created_at_ms && t.finished_at_ms >= t.started_at_ms);
    assert_eq!(t.current_step_path, "2");
    assert_eq!(t.current_step_name, "format");

    let list = c
        .list_threads(proto::ListThreadsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(list.threads.len(), 1);
    assert_eq!(list.threads[0].thread_id, created.thread_id);
    assert!(list.next_page_token.is_empty());
}

#[tokio::test]
async fn create_rejects_bad_requests() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let cases = [
        ("", "{}", 0, Code::InvalidArgument),
        ("  ", "{}", 0, Code::InvalidArgument),
        ("demo/nope", "{}", 0, Code::NotFound),
        ("demo/hello", "{not json", 0, Code::InvalidArgument),
        ("demo/hello", "{}", 7, Code::NotFound),
        ("demo/big", r#"{"bytes": 1}"#, 0, Code::InvalidArgument),
        ("demo/big", r#"{"steps": "x"}"#, 0, Code::InvalidArgument),
    ];
    for (script, input, version, code) in cases {
        let e = c
            .create_thread(proto::CreateThreadRequest {
                script_name: script.into(),
                input_json: input.into(),
                version,
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), code, "{script} {input}: {}", e.message());
    }
    // Empty input is `{}`; version 1 is the active version.
    let ok = c
        .create_thread(proto::CreateThreadRequest {
            script_name: "demo/hello".into(),
            version: 1,
            ..Default::default()
        })
        .await;
    assert!(ok.is_ok());
    for id in ["", "thr_missing"] {
        let e = c
            .get_thread(proto::GetThreadRequest {
                thread_id: id.into(),
            })
            .await
            .unwrap_err();
        let want = if id.is_empty() {
            Code::InvalidArgument
        } else {
            Code::NotFound
        };
        assert_eq!(e.code(), want);
    }
}

#[tokio::test]
async fn list_pages_newest_first_with_filters() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let script = if i % 2 == 0 {
            "demo/hello"
        } else {
            "demo/fail"
        };
        ids.push(create(&mut c, script, "{}").await);
    }
    for id in &ids {
        finish(&mut c, id).await;
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let r = c
            .list_threads(proto::ListThreadsRequest {
                page_size: 3,
                page_token: token.clone(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        pages += 1;
        seen.extend(r.threads.iter().map(|t| t.thread_id.clone()));
        if r.next_page_token.is_empty() {
            break;
        }
        token = r.next_page_token;
    }
    assert_eq!(pages, 3);
    let newest_first: Vec<_> = ids.iter().rev().cloned().collect();
    assert_eq!(seen, newest_first);

    let failed = c
        .list_threads(proto::ListThreadsRequest {
            status_filter: ThreadStatus::Failed as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(failed.threads.len(), 3);
    assert!(failed.threads.iter().all(|t| t.script_name == "demo/fail"));
    let hello = c
        .list_threads(proto::ListThreadsRequest {
            script_name_filter: "demo/hello".into(),
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(hello.threads.len(), 2);
    assert!(!hello.next_page_token.is_empty());

    let e = c
        .list_threads(proto::ListThreadsRequest {
            page_token: "garbage".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    let e = c
        .list_threads(proto::ListThreadsRequest {
            status_filter: 42,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
}

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

fn step_started_path(e: &proto::ThreadEvent) -> Option<&str> {
    match &e.event {
        Some(proto::thread_event::Event::StepStarted(s)) => Some(&s.step_path),
        _ => None,
    }
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
async fn fail_fails_and_resume_retries_the_step() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/fail", "{}").await;
    let events = watch_all(&mut c, &id).await;
    assert_eq!(
        labels(&events),
        [
            "started",
            "step_started 1",
            "step_completed 1",
            "step_started 2",
            "step_failed 2",
            "failed 2"
        ]
    );
    let Some(proto::thread_event::Event::Failed(f)) = &events[5].event else {
        panic!()
    };
    assert_eq!(f.failed_step_name, "call_api");
    assert!(f.error.contains("503"), "{}", f.error);
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.status, ThreadStatus::Failed as i32);
    assert!(t.error.contains("503"));
    assert_eq!(t.current_step_path, "2");
    let r = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("2".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.status, ThreadStatus::Failed as i32);
    assert!(r.output_data.is_empty());
    let d = &r.step_details[0];
    assert_eq!(d.status, proto::StepStatus::Failed as i32);
    assert!(d.error.contains("503"));
    let diag = d.diagnostics.as_ref().unwrap();
    assert!(!diag.error_detail.is_empty() && !diag.worker_stderr.is_empty());

    // Without an override the retry fails again.
    let resume = |input: &str| proto::ResumeThreadRequest {
        thread_id: id.clone(),
        step_input_override_json: input.into(),
    };
    let r = c.resume_thread(resume("")).await.unwrap().into_inner();
    assert_eq!(r.status, ThreadStatus::Running as i32);
    let events = watch_all(&mut c, &id).await;
    let tail: Vec<_> = labels(&events).into_iter().rev().take(3).collect();
    assert_eq!(tail, ["failed 2", "step_failed 2", "step_started 2"]);
    assert_eq!(
        labels(&events)
            .iter()
            .filter(|l| l.starts_with("failed"))
            .count(),
        1,
        "a superseded failure is not replayed"
    );
    // With an override it succeeds, with the override as the step's input.
    let e = c.resume_thread(resume("{oops")).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    c.resume_thread(resume(r#"{"endpoint":"https://backup.example.invalid"}"#))
        .await
        .unwrap();
    let t = finish(&mut c, &id).await;
    assert_eq!(t.status, ThreadStatus::Completed as i32);
    assert!(t.error.is_empty());
    let r = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("2".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let input: serde_json::Value = serde_json::from_slice(&r.step_details[0].input_data).unwrap();
    assert_eq!(input["endpoint"], "https://backup.example.invalid");
    let out: serde_json::Value = serde_json::from_slice(&r.output_data).unwrap();
    assert_eq!(out["status"], "recovered");

    let e = c.resume_thread(resume("")).await.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(
        e.message().contains("THREAD_STATUS_COMPLETED"),
        "{}",
        e.message()
    );
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
async fn truncation_boundary_at_the_cap() {
    let (_server, mut c) = start(fast(200.0)).await;
    let cap = dodil::devserver::RESULT_CAP as usize;
    for (n, truncated) in [(cap - 1, false), (cap, false), (cap + 1, true)] {
        let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n},"steps":1}}"#)).await;
        finish(&mut c, &id).await;
        let r = result(&mut c, &id).await;
        assert_eq!(r.output_total_bytes as usize, n);
        assert_eq!(r.output_truncated, truncated, "{n}");
        assert_eq!(r.output_data.len(), n.min(cap));
        if !truncated {
            assert_eq!(&r.output_data[..], &expected_big(n)[..]);
            serde_json::from_slice::<serde_json::Value>(&r.output_data).unwrap();
        }
    }
}

#[tokio::test]
async fn chunk_sizes_are_clamped_and_streams_reassemble() {
    let (_server, mut c) = start(fast(200.0)).await;
    let n = 300_000usize;
    let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n},"steps":2}}"#)).await;
    let done = finish(&mut c, &id).await;
    assert_eq!(done.status, ThreadStatus::Completed as i32);
    let expected = expected_big(n);
    for (asked, size) in [
        (Some(1000), 65_536),
        (Some(-5), 65_536),
        (Some(100_000), 100_000),
        (None, n),
    ] {
        let (meta, chunks) = stream_output(&mut c, &id, asked).await;
        assert_eq!(meta.status, ThreadStatus::Completed as i32);
        assert_eq!(meta.total_bytes as usize, n);
        assert_eq!(meta.total_chunks as usize, chunks.len());
        assert_eq!(chunks.len(), n.div_ceil(size), "{asked:?}");
        let mut all = Vec::new();
        for (i, ch) in chunks.iter().enumerate() {
            assert_eq!(ch.chunk_index as usize, i);
            assert_eq!(ch.total_bytes as usize, n);
            assert_eq!(ch.is_final, i + 1 == chunks.len());
            if i + 1 < chunks.len() {
                assert_eq!(ch.data.len(), size);
            }
            all.extend_from_slice(&ch.data);
        }
        assert!(all == expected, "reassembled bytes differ ({asked:?})");
    }

    // Above 16 MiB: clamped to 16 MiB; the whole output checksums to the generator's.
    let n = 40 << 20;
    let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n},"steps":1}}"#)).await;
    finish(&mut c, &id).await;
    let (meta, chunks) = stream_output(&mut c, &id, Some(i32::MAX)).await;
    assert_eq!(meta.total_chunks, 3);
    let sizes: Vec<usize> = chunks.iter().map(|c| c.data.len()).collect();
    assert_eq!(sizes, [16 << 20, 16 << 20, 8 << 20]);
    let mut got = Fnv::default();
    for ch in &chunks {
        got.update(&ch.data);
    }
    let mut want = Fnv::default();
    want.update(&expected_big(n));
    assert_eq!(got, want);
}

#[tokio::test]
async fn unfinished_threads_stream_an_empty_output() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/approval", "{}").await;
    let (meta, chunks) = stream_output(&mut c, &id, None).await;
    assert_ne!(meta.status, ThreadStatus::Completed as i32);
    assert_eq!(meta.total_bytes, 0);
    assert_eq!(chunks.len(), 1);
    assert!(chunks[0].is_final && chunks[0].data.is_empty());
    let e = c
        .stream_thread_result(proto::StreamThreadResultRequest {
            thread_id: "thr_nope".into(),
            max_chunk_bytes: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
}

#[tokio::test]
async fn step_results_stream_details_then_large_data() {
    use proto::step_result_chunk::Chunk;
    let (_server, mut c) = start(fast(200.0)).await;
    let id = create(&mut c, "demo/etl", "{}").await;
    finish(&mut c, &id).await;
    let all = stream_steps(&mut c, &id, None).await;
    let Chunk::Meta(meta) = &all[0] else {
        panic!("meta first")
    };
    assert_eq!(meta.total_steps, 10);
    assert_eq!(meta.steps.len(), 10);
    let details: Vec<&proto::StepDetail> = all
        .iter()
        .filter_map(|c| match c {
            Chunk::Step(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(details.len(), 10);
    let load = details.iter().find(|d| d.step_path == "3").unwrap();
    assert!(load.output_truncated);
    assert_eq!(load.output_total_bytes, 300_000);
    assert_eq!(load.output_data.len() as u64, dodil::devserver::STEP_CAP);
    assert_eq!(load.sample_output.len(), 4096);
    let data: Vec<&proto::StepDataChunk> = all
        .iter()
        .filter_map(|c| match c {
            Chunk::Data(d) => Some(d),
            _ => None,
        })
        .collect();
    assert!(!data.is_empty());
    assert!(data
        .iter()
        .all(|d| d.step_path == "3" && d.field == "output"));
    let bytes: Vec<u8> = data.iter().flat_map(|d| d.data.iter().copied()).collect();
    assert_eq!(bytes, expected_big(300_000));
    assert!(data.last().unwrap().is_final);
    // The data chunks follow their step's detail.
    let pos_detail = all
        .iter()
        .position(|c| matches!(c, Chunk::Step(d) if d.step_path == "3"))
        .unwrap();
    let pos_data = all
        .iter()
        .position(|c| matches!(c, Chunk::Data(_)))
        .unwrap();
    assert_eq!(pos_data, pos_detail + 1);

    let one = stream_steps(&mut c, &id, Some("1.0.1")).await;
    assert_eq!(one.len(), 2);
    let Chunk::Meta(m) = &one[0] else { panic!() };
    assert_eq!((m.total_steps, m.steps[0].step_path.as_str()), (1, "1.0.1"));
    let e = c
        .stream_step_result(proto::StreamStepResultRequest {
            thread_id: id.clone(),
            step_path: Some("1.0.9".into()),
            max_chunk_bytes: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
}

async fn watch_step_all(c: &mut Client, id: &str, path: &str) -> Vec<proto::StepEvent> {
    let mut s = c
        .watch_step(proto::WatchStepRequest {
            thread_id: id.into(),
            step_path: path.into(),
        })
        .await
        .unwrap()
        .into_inner();
    within("watch step", async {
        let mut out = Vec::new();
        while let Some(e) = s.message().await.unwrap() {
            out.push(e);
        }
        out
    })
    .await
}

fn step_label(e: &proto::StepEvent) -> &'static str {
    use proto::step_event::Event;
    match e.event {
        Some(Event::Snapshot(_)) => "snapshot",
        Some(Event::Decision(_)) => "decision",
        Some(Event::Done(_)) => "done",
        Some(Event::StepFailed(_)) => "step_failed",
        None => "none",
    }
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
