//! Bearer tokens: required when the server has one, never echoed; anything passes without.

use crate::support::*;
use dodil::proto;
use tonic::Code;

#[tokio::test]
async fn auth_on_and_off() {
    let settings = dodil::devserver::ServerConfig {
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
