//! ListArtifacts and the artifact download server.

use crate::support::*;
use dodil::proto;
use tonic::Code;

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
    let settings = dodil::devserver::ServerConfig {
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
