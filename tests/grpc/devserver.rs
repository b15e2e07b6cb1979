//! The dev server, driven RPC by RPC with the generated client over loopback gRPC.
//! Time is scaled (speed 50..200) and tests wait on stream events, never on fixed sleeps.

use crate::support::*;
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

fn with_faults(speed: f64, spec: &str) -> dodil::devserver::Settings {
    dodil::devserver::Settings {
        speed,
        faults: spec.parse().unwrap(),
        ..Default::default()
    }
}

fn is_terminal(e: &proto::ThreadEvent) -> bool {
    use proto::thread_event::Event;
    matches!(
        e.event,
        Some(Event::Completed(_) | Event::Failed(_) | Event::Cancelled(_))
    )
}

#[tokio::test]
async fn fault_watch_drop_after_forces_resubscribing() {
    // Slow enough that the first stream starts before the thread does.
    let (_server, mut c) = start(with_faults(2.0, "watch-drop-after=2")).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    let first = watch_all(&mut c, &id).await;
    // Usually exactly [started, step_started 1]; more if the catch-up already had events.
    assert!(
        first.len() >= 2 && !first.iter().any(is_terminal),
        "{:?}",
        labels(&first)
    );
    let mut streams = 1;
    let mut last = first;
    while !last.iter().any(is_terminal) {
        last = watch_all(&mut c, &id).await;
        streams += 1;
        assert!(streams < 50, "never reached the end");
    }
    assert!(streams >= 3, "{streams}");
    assert_eq!(
        labels(&last).len(),
        7,
        "a resubscriber catches up on everything"
    );
}

#[tokio::test]
async fn fault_watch_no_terminal_and_unimplemented() {
    let (_server, mut c) = start(with_faults(SPEED, "watch-no-terminal")).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    let events = watch_all(&mut c, &id).await;
    assert_eq!(events.len(), 6);
    assert!(!events.iter().any(is_terminal));
    let steps = watch_step_all(&mut c, &id, "1").await;
    assert!(steps.iter().all(|e| step_label(e) != "done"));

    let (_server, mut c) = start(with_faults(SPEED, "watch-unimplemented")).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    let e = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unimplemented);
    let e = c
        .watch_step(proto::WatchStepRequest {
            thread_id: id,
            step_path: "1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unimplemented);
}

#[tokio::test]
async fn fault_unavailable_then_latency() {
    let (_server, mut c) = start(with_faults(SPEED, "unavailable=GetThread:2")).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    let get = proto::GetThreadRequest { thread_id: id };
    for _ in 0..2 {
        let e = c.get_thread(get.clone()).await.unwrap_err();
        assert_eq!(e.code(), Code::Unavailable);
    }
    assert!(c.get_thread(get.clone()).await.is_ok());
    assert!(c
        .list_threads(proto::ListThreadsRequest::default())
        .await
        .is_ok());

    let (_server, mut c) = start(with_faults(SPEED, "latency-ms=150")).await;
    let t0 = std::time::Instant::now();
    c.list_threads(proto::ListThreadsRequest::default())
        .await
        .unwrap();
    assert!(t0.elapsed() >= std::time::Duration::from_millis(150));
}

#[tokio::test]
async fn fault_page_repeat_hands_back_the_same_token() {
    let (_server, mut c) = start(with_faults(SPEED, "page-repeat")).await;
    for _ in 0..5 {
        create(&mut c, "demo/hello", "{}").await;
    }
    let list = |token: String| proto::ListThreadsRequest {
        page_size: 2,
        page_token: token,
        ..Default::default()
    };
    let p1 = c
        .list_threads(list(String::new()))
        .await
        .unwrap()
        .into_inner();
    let p2 = c
        .list_threads(list(p1.next_page_token.clone()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(p2.next_page_token, p1.next_page_token);
    assert_ne!(p1.threads[0].thread_id, p2.threads[0].thread_id);
}

#[tokio::test]
async fn fault_chunk_streams() {
    let n = 300_000usize; // five 64 KiB chunks
    let cases: [(&str, &[i32]); 5] = [
        ("chunk-skip=1", &[0, 2, 3, 4]),
        ("chunk-repeat=2", &[0, 1, 2, 2, 3, 4]),
        ("chunk-reorder=0", &[1, 0, 2, 3, 4]),
        ("chunk-extra", &[0, 1, 2, 3, 4, 5]),
        ("chunk-no-final", &[0, 1, 2, 3, 4]),
    ];
    for (spec, want) in cases {
        let (_server, mut c) = start(with_faults(200.0, spec)).await;
        let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n}}}"#)).await;
        finish(&mut c, &id).await;
        let (_, chunks) = stream_output(&mut c, &id, Some(65_536)).await;
        let idx: Vec<i32> = chunks.iter().map(|c| c.chunk_index).collect();
        assert_eq!(idx, want, "{spec}");
        let finals = chunks.iter().filter(|c| c.is_final).count();
        assert_eq!(finals, usize::from(spec != "chunk-no-final"), "{spec}");
        if spec == "chunk-extra" {
            assert!(chunks[4].is_final && !chunks[5].data.is_empty());
        }
    }
    let (_server, mut c) = start(with_faults(200.0, "chunk-short=1,meta-total-mismatch")).await;
    let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n}}}"#)).await;
    finish(&mut c, &id).await;
    let (meta, chunks) = stream_output(&mut c, &id, Some(65_536)).await;
    assert_eq!(meta.total_bytes as usize, n + 1000);
    assert_eq!(chunks[1].data.len(), 32_768);
    assert_eq!(chunks[1].total_bytes as usize, n);
    // The same faults shape StreamStepResult's data chunks.
    let (_server, mut c) = start(with_faults(200.0, "chunk-skip=0")).await;
    let id = create(&mut c, "demo/etl", "{}").await;
    finish(&mut c, &id).await;
    let all = stream_steps(&mut c, &id, Some("3")).await;
    let idx: Vec<i32> = all
        .iter()
        .filter_map(|c| match c {
            proto::step_result_chunk::Chunk::Data(d) => Some(d.chunk_index),
            _ => None,
        })
        .collect();
    assert_eq!(idx, Vec::<i32>::new(), "one 2 MiB chunk, skipped");
}

#[tokio::test]
async fn fault_result_total_and_huge_message() {
    let (_server, mut c) = start(with_faults(200.0, "result-total-mismatch")).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    finish(&mut c, &id).await;
    let r = result(&mut c, &id).await;
    assert_eq!(r.output_total_bytes as usize, r.output_data.len() + 1000);

    let (_server, mut c) = start(with_faults(200.0, "huge-message")).await;
    let n = 6_000_000;
    let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n}}}"#)).await;
    finish(&mut c, &id).await;
    let r = result(&mut c, &id).await;
    assert_eq!((r.output_data.len(), r.output_truncated), (n, false));
    let (_, chunks) = stream_output(&mut c, &id, None).await;
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].data.len(), n);
    // A client with the default 4 MiB decode limit cannot take it.
    let mut small = dodil::proto::scriptum_service_client::ScriptumServiceClient::connect(format!(
        "http://{}",
        _server.addr()
    ))
    .await
    .unwrap();
    let e = small
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::OutOfRange, "{}", e.message());
}

#[tokio::test]
async fn fault_bad_enums() {
    let (_server, mut c) = start(with_faults(SPEED, "bad-enums")).await;
    let created = c
        .create_thread(proto::CreateThreadRequest {
            script_name: "demo/hello".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.status, 42);
    let events = watch_all(&mut c, &created.thread_id).await;
    assert_eq!(events.iter().filter(|e| e.event.is_none()).count(), 1);
    assert!(events.iter().any(is_terminal));
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: created.thread_id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.status, 42);
    let r = result(&mut c, &created.thread_id).await;
    assert_eq!(r.status, 42);
    assert!(r.steps.iter().all(|s| s.status == 42));
    let l = c
        .list_threads(proto::ListThreadsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(l.threads[0].status, 42);
}

#[tokio::test]
async fn fault_hostile_names() {
    let (_server, mut c) = start(with_faults(200.0, "hostile-names")).await;
    let id = create(&mut c, "demo/etl", "{}").await;
    let events = watch_all(&mut c, &id).await;
    assert!(is_terminal(events.last().unwrap()));
    let r = result(&mut c, &id).await;
    let paths: Vec<&str> = r.steps.iter().map(|s| s.step_path.as_str()).collect();
    for bad in ["..", "../../etc", "/abs/path", "a/b", "nul\0byte"] {
        assert!(paths.contains(&bad), "{bad:?} in {paths:?}");
    }
    assert!(paths.iter().any(|p| p.contains('\u{1b}')));
    assert!(r
        .steps
        .iter()
        .all(|s| s.name.contains('\u{1b}') || s.name.contains("..") || s.name.contains('\n')));
    // Parent paths follow the renaming, and exact-match lookups still work.
    assert_eq!(r.steps[1].parent_path, "..");
    let one = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("../../etc".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.step_details[0].step_path, "../../etc");
}

#[tokio::test]
async fn auth_on_and_off() {
    let settings = dodil::devserver::Settings {
        speed: SPEED,
        token: Some("s3cret".into()),
        ..Default::default()
    };
    let (_server, mut c) = start(settings).await;
    let list = proto::ListThreadsRequest::default;
    let e = c.list_threads(list()).await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    let e = c
        .list_threads(req(list(), Some("wrong"), None))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    assert!(!e.message().contains("s3cret"));
    let e = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: "x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    assert!(c
        .list_threads(req(list(), Some("s3cret"), None))
        .await
        .is_ok());
    let created = c
        .create_thread(req(
            proto::CreateThreadRequest {
                script_name: "demo/hello".into(),
                ..Default::default()
            },
            Some("s3cret"),
            Some("acme"),
        ))
        .await
        .unwrap()
        .into_inner();
    let t = c
        .get_thread(req(
            proto::GetThreadRequest {
                thread_id: created.thread_id,
            },
            Some("s3cret"),
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.organization_name, "acme");

    // Without a token configured, any (or no) credentials pass.
    let (_server, mut c) = start(fast(SPEED)).await;
    assert!(c.list_threads(list()).await.is_ok());
    assert!(c
        .list_threads(req(list(), Some("anything"), None))
        .await
        .is_ok());
}

#[tokio::test]
async fn threads_persist_across_servers() {
    let dir = tempfile::tempdir().unwrap();
    let settings = || dodil::devserver::Settings {
        speed: SPEED,
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let (server, mut c) = start(settings()).await;
    let hello = create(&mut c, "demo/hello", r#"{"n":1}"#).await;
    let approval = create(&mut c, "demo/approval", "{}").await;
    let before = finish(&mut c, &hello).await;
    server.shutdown().await;

    let (server, mut c) = start(settings()).await;
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: hello.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t, before, "the same thread, byte for byte");
    let l = c
        .list_threads(proto::ListThreadsRequest::default())
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<_> = l.threads.iter().map(|t| t.thread_id.clone()).collect();
    assert_eq!(ids, [approval.clone(), hello.clone()]);
    c.resume_thread(proto::ResumeThreadRequest {
        thread_id: approval.clone(),
        step_input_override_json: r#"{"ok":true}"#.into(),
    })
    .await
    .unwrap();
    let done = finish(&mut c, &approval).await;
    assert_eq!(done.status, ThreadStatus::Completed as i32);
    drop(server);

    // A torn last line (a writer that died mid-write) is ignored.
    use std::io::Write;
    let file = dir.path().join("threads.jsonl");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap()
        .write_all(br#"{"op":"create","id":"thr_torn"#)
        .unwrap();
    let (_server, mut c) = start(settings()).await;
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: approval,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.status, ThreadStatus::Completed as i32);
}

#[tokio::test]
async fn two_live_servers_share_a_data_dir() {
    // Like two `--endpoint embedded` commands running at once.
    let dir = tempfile::tempdir().unwrap();
    let settings = || dodil::devserver::Settings {
        speed: SPEED,
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let (_a, mut ca) = start(settings()).await;
    let (_b, mut cb) = start(settings()).await;
    let id = create(&mut ca, "demo/approval", "{}").await;
    // B sees A's thread, and A's watcher sees B's resume.
    let mut watch = ca
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    within("pause", async {
        while let Some(e) = watch.message().await.unwrap() {
            if step_started_path(&e) == Some("2") {
                break;
            }
        }
    })
    .await;
    cb.resume_thread(proto::ResumeThreadRequest {
        thread_id: id.clone(),
        ..Default::default()
    })
    .await
    .unwrap();
    let last = within("resume seen", async {
        let mut last = None;
        while let Some(e) = watch.message().await.unwrap() {
            last = Some(e);
        }
        last.unwrap()
    })
    .await;
    assert_eq!(label(&last), "completed");
}

#[tokio::test]
async fn cancel_when_implemented() {
    let settings = dodil::devserver::Settings {
        speed: SPEED,
        implement_cancel: true,
        ..Default::default()
    };
    let (_server, mut c) = start(settings).await;
    let id = create(&mut c, "demo/approval", "{}").await;
    let mut watch = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    within("pause", async {
        while let Some(e) = watch.message().await.unwrap() {
            if step_started_path(&e) == Some("2") {
                break;
            }
        }
    })
    .await;
    let r = c
        .cancel_thread(proto::CancelThreadRequest {
            thread_id: id.clone(),
            reason: "not today".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.status, ThreadStatus::Cancelled as i32);
    let e = within("cancelled event", watch.message())
        .await
        .unwrap()
        .unwrap();
    let Some(proto::thread_event::Event::Cancelled(x)) = &e.event else {
        panic!("{e:?}")
    };
    assert_eq!(
        (x.reason.as_str(), x.cancelled_step_path.as_str()),
        ("not today", "2")
    );
    assert!(within("end", watch.message()).await.unwrap().is_none());
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.status, ThreadStatus::Cancelled as i32);
    let e = c
        .cancel_thread(proto::CancelThreadRequest {
            thread_id: id.clone(),
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    let e = c
        .resume_thread(proto::ResumeThreadRequest {
            thread_id: id,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("THREAD_STATUS_CANCELLED"));
}

#[tokio::test]
async fn artifacts_when_enabled() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    let e = c
        .list_artifacts(proto::ListArtifactsRequest { thread_id: id })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unimplemented);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.pdf"), b"%PDF-1.4 fake").unwrap();
    std::fs::write(dir.path().join("rows.csv"), b"a,b\n1,2\n").unwrap();
    std::fs::create_dir(dir.path().join("subdir")).unwrap();
    let settings = dodil::devserver::Settings {
        speed: SPEED,
        artifacts_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let (_server, mut c) = start(settings).await;
    let id = create(&mut c, "demo/hello", "{}").await;
    let a = c
        .list_artifacts(proto::ListArtifactsRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .artifacts;
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].name, "report.pdf");
    assert_eq!(a[0].path, format!("{id}/report.pdf"));
    assert_eq!(a[0].content_type, "application/pdf");
    assert_eq!(a[0].size_bytes, 13);
    assert_eq!(a[1].content_type, "text/csv");
    let body = http_get(&a[1].download_url).await;
    assert!(body.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(body.ends_with(b"\r\n\r\na,b\n1,2\n"));
    let missing = a[1].download_url.replace("rows.csv", "..%2Fetc%2Fpasswd");
    assert!(http_get(&missing).await.starts_with(b"HTTP/1.1 404"));
    let e = c
        .list_artifacts(proto::ListArtifactsRequest {
            thread_id: "thr_nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
}

/// A raw HTTP/1.1 GET over loopback.
async fn http_get(url: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    assert!(host.starts_with("127.0.0.1:"));
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = Vec::new();
    within("http", s.read_to_end(&mut out)).await.unwrap();
    out
}

#[tokio::test]
async fn scenario_files_run_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pipeline.yaml"),
        r#"
name: ci/pipeline
version: 3
steps:
  - path: "1"
    name: build
    tool: cargo
    duration_ms: 200
    output: {artifact: "app.tar"}
    yields: [{percent: 50}, {percent: 100}]
  - path: "1.1"
    name: unit
    input_bytes: 70000
  - path: "2"
    name: deploy
    primitive: execute
    fail: "permission denied"
output: {deployed: true}
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a scenario").unwrap();
    let settings = dodil::devserver::Settings {
        speed: SPEED,
        scripts_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let (_server, mut c) = start(settings.clone()).await;
    let created = c
        .create_thread(proto::CreateThreadRequest {
            script_name: "ci/pipeline".into(),
            version: 3,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let id = created.thread_id;
    let events = watch_all(&mut c, &id).await;
    assert_eq!(
        labels(&events),
        [
            "started",
            "step_started 1",
            "yielded 1",
            "yielded 1",
            "step_started 1.1",
            "step_completed 1.1",
            "step_completed 1",
            "step_started 2",
            "step_failed 2",
            "failed 2"
        ]
    );
    // A large step input is streamed in chunks (field "input").
    let chunks = stream_steps(&mut c, &id, Some("1.1")).await;
    let input: Vec<u8> = chunks
        .iter()
        .filter_map(|c| match c {
            proto::step_result_chunk::Chunk::Data(d) if d.field == "input" => Some(d.data.to_vec()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(input, expected_big(70_000));

    std::fs::write(
        dir.path().join("zz-broken.yaml"),
        "name: broken\nsteps:\n  - path: '1'\n    name: a\n    durration_ms: 5\n",
    )
    .unwrap();
    let err = dodil::devserver::DevServer::start("127.0.0.1:0".parse().unwrap(), settings)
        .await
        .err()
        .expect("a malformed scenario stops the server");
    let msg = format!("{err:#}");
    assert!(
        msg.contains("zz-broken.yaml") && msg.contains("durration_ms"),
        "{msg}"
    );
}

#[test]
fn readme_scenario_example_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```yaml\nname: ci/deploy")
        .expect("the README's scenario example");
    let body = &readme[start + "```yaml\n".len()..];
    let yaml = &body[..body.find("```").unwrap()];
    let def = dodil::devserver::parse_scenario(yaml).unwrap();
    assert_eq!(
        (def.name.as_str(), def.version, def.steps.len()),
        ("ci/deploy", 3, 7)
    );
}

#[tokio::test]
async fn odd_inputs_get_statuses_never_panics() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/hello", "[1,2,3]").await;
    finish(&mut c, &id).await;
    for token in [
        "pt1_",
        "pt1_zz",
        "pt1_3a",
        "pt1_393939393939393939393939393a78",
        "\u{0}",
        "pt1_ä",
    ] {
        let e = c
            .list_threads(proto::ListThreadsRequest {
                page_token: token.into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "{token:?}");
    }
    for path in ["", "\u{0}", "../..", "1.", "99999999999999999999"] {
        let r = c
            .get_thread_result(proto::GetThreadResultRequest {
                thread_id: id.clone(),
                step_path: Some(path.into()),
                ..Default::default()
            })
            .await;
        assert_eq!(r.unwrap_err().code(), Code::NotFound, "{path:?}");
    }
    let e = c
        .watch_step(proto::WatchStepRequest {
            thread_id: id.clone(),
            step_path: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    for max in [i32::MIN, -1, 0, 1, i32::MAX] {
        let (meta, chunks) = stream_output(&mut c, &id, Some(max)).await;
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].data.len() as i64, meta.total_bytes);
    }
    for bad in ["thr_\u{0}", "thr_../../etc", " "] {
        let e = c
            .get_thread(proto::GetThreadRequest {
                thread_id: bad.into(),
            })
            .await
            .unwrap_err();
        assert!(
            matches!(e.code(), Code::NotFound | Code::InvalidArgument),
            "{bad:?}"
        );
    }
    let e = c
        .create_thread(proto::CreateThreadRequest {
            script_name: "demo/big".into(),
            input_json: r#"{"bytes": 1e30}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    let e = c
        .resume_thread(proto::ResumeThreadRequest {
            thread_id: id,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
}
