//! The data dir: threads outlive their server and a torn last line, and two live servers share
//! one.

use crate::support::*;
use dodil::proto::{self, ThreadStatus};

#[tokio::test]
async fn threads_persist_across_servers() {
    let dir = tempfile::tempdir().unwrap();
    let settings = || dodil::devserver::ServerConfig {
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
    let settings = || dodil::devserver::ServerConfig {
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
