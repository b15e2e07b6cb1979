//! `--artifacts DIR`: ListArtifacts lists the files of DIR (for every thread), and a tiny
//! HTTP/1.1 server on 127.0.0.1 serves them at their `download_url`
//! (`http://127.0.0.1:PORT/artifacts/<thread_id>/<name>`). GET and HEAD only; nothing outside
//! DIR's own files is ever served.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::proto;

/// The files of `dir`, sorted by name, as artifacts of `thread_id`.
pub fn list(dir: &Path, base: &str, thread_id: &str) -> anyhow::Result<Vec<proto::Artifact>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        out.push(proto::Artifact {
            path: format!("{thread_id}/{name}"),
            content_type: content_type(&name).to_string(),
            size_bytes: meta.len() as i64,
            download_url: format!("{base}/artifacts/{}/{}", encode(thread_id), encode(&name)),
            name,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// A content type guessed from the file extension.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("json") => "application/json",
        Some("jsonl" | "ndjson") => "application/x-ndjson",
        Some("pdf") => "application/pdf",
        Some("csv") => "text/csv",
        Some("txt" | "log") => "text/plain",
        Some("html" | "htm") => "text/html",
        Some("md") => "text/markdown",
        Some("yaml" | "yml") => "application/yaml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("zip") => "application/zip",
        Some("gz" | "tgz") => "application/gzip",
        Some("parquet") => "application/vnd.apache.parquet",
        _ => "application/octet-stream",
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Serves `dir` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, dir: PathBuf) {
    loop {
        let Ok((sock, _)) = listener.accept().await else {
            continue;
        };
        let dir = dir.clone();
        tokio::spawn(async move {
            let _ = handle(sock, &dir).await;
        });
    }
}

async fn handle(mut sock: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut chunk).await?;
        if n == 0 || buf.len() > 16 * 1024 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let mut parts = head.lines().next().unwrap_or_default().split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method != "GET" && method != "HEAD" {
        return reply(
            &mut sock,
            "405 Method Not Allowed",
            "text/plain",
            b"method not allowed\n",
            true,
        )
        .await;
    }
    let path = target.split('?').next().unwrap_or("");
    let file = path
        .strip_prefix("/artifacts/")
        .and_then(|rest| rest.split_once('/'))
        .and_then(|(_, name)| decode(name))
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\', '\0']) && n != "." && n != "..")
        .map(|n| dir.join(n))
        .filter(|p| p.is_file());
    let Some(file) = file else {
        return reply(
            &mut sock,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            true,
        )
        .await;
    };
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let body = tokio::fs::read(&file).await?;
    reply(
        &mut sock,
        "200 OK",
        content_type(name),
        &body,
        method == "GET",
    )
    .await
}

async fn reply(
    sock: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    sock.write_all(head.as_bytes()).await?;
    if with_body {
        sock.write_all(body).await?;
    }
    sock.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in ["report.pdf", "a b+c%.txt", "ünï.json"] {
            assert_eq!(decode(&encode(s)).as_deref(), Some(s));
        }
        assert_eq!(content_type("X.JSON"), "application/json");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
