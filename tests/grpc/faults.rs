//! Every fault switch as a raw client sees it: what the `cli` tests rely on the server doing.

use crate::support::*;
use dodil::proto;
use tonic::Code;

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
