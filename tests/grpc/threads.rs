//! CreateThread, GetThread and ListThreads: ids and fields, validation, pages and filters,
//! and odd inputs that must get a status, never a panic.

use crate::support::*;
use dodil::proto::{self, ThreadStatus};
use tonic::Code;

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
