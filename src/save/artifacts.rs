//! `thread artifacts --save DIR`: each artifact fetched from its short-lived `download_url`,
//! streamed into an [`AtomicFile`] in DIR, its size checked against `size_bytes` as it arrives
//! (a body that runs past it is stopped at once, so an endless one cannot fill the disk) and at
//! the end. A body that stalls for [`READ_TIMEOUT`] is given up. A download that fails or
//! disagrees leaves no file (exit 7); the others are still saved.

use std::io::Read;
use std::time::Duration;

use crate::error::{CliError, ExitStatus};
use crate::model::Artifact;
use crate::proxy::{Proxies, ProxyKind, ProxyUrl};

use super::atomic::{blocking, hex, AtomicFile, FileEntry};
use super::layout::SaveDir;
use super::report::SaveReporter;
use super::{Problem, Saved};

/// The file name in DIR for an artifact: its name when that is one plain file name, else `x-` and
/// the hex of its bytes (of their sha256 when long), so a hostile name (`../x`, `/etc/passwd`,
/// `a/b`, control characters) can never name a path outside DIR. Distinct names get distinct
/// files: a plain name never starts with `x-`, and a long name is not cut but hashed.
pub fn artifact_file_name(name: &str) -> String {
    let plain = !name.is_empty()
        && name.len() <= 200
        && name != "."
        && name != ".."
        && !name.starts_with("x-")
        && !name.starts_with(super::atomic::TEMP_PREFIX)
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control());
    if plain {
        return name.to_string();
    }
    let encoded = hex(name.as_bytes());
    if encoded.len() <= 64 {
        format!("x-{encoded}")
    } else {
        use sha2::Digest;
        // `x-h…`: never the form of a short name's encoding, which is hex only.
        format!("x-h{}", hex(&sha2::Sha256::digest(name.as_bytes())))
    }
}

/// The longest wait for the next bytes of a body: a stalled download fails rather than hangs.
/// Not a limit on the whole body, which may be large and slow.
pub const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Downloads every artifact into DIR, each URL through the proxy `proxies` picks for it (by its
/// own scheme): a file for each that arrived whole, a problem (exit 7, naming the file and why)
/// for each that did not. No request carries our bearer token: the agent never has it.
pub fn save_artifacts(
    dir: &SaveDir,
    artifacts: &[Artifact],
    proxies: &Proxies,
    reporter: &dyn SaveReporter,
) -> Saved {
    let agent = ureq::Agent::config_builder()
        // Not ureq's reading of the environment: ours, per URL (see `download_one`).
        .proxy(None)
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .timeout_per_read(Some(READ_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut saved = Saved::default();
    let mut taken = std::collections::HashSet::new();
    for artifact in artifacts {
        let file_name = artifact_file_name(&artifact.name);
        if !taken.insert(file_name.clone()) {
            saved.problems.push(Problem::incomplete(format!(
                "{}: another artifact has the same name; skipped",
                file_name
            )));
            continue;
        }
        match download_one(&agent, proxies, reporter, dir, artifact, &file_name) {
            Ok(entry) => saved.files.push(entry),
            Err(problem) => saved
                .problems
                .push(Problem::incomplete(format!("{file_name}: {problem}"))),
        }
    }
    saved
}

fn download_one(
    agent: &ureq::Agent,
    proxies: &Proxies,
    reporter: &dyn SaveReporter,
    dir: &SaveDir,
    artifact: &Artifact,
    file_name: &str,
) -> Result<FileEntry, String> {
    let url = &artifact.download_url;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err("the server gave no http(s) download URL".into());
    }
    let Ok(expected) = u64::try_from(artifact.size_bytes) else {
        return Err(format!(
            "the server announced a negative size ({})",
            artifact.size_bytes
        ));
    };
    let route = proxies
        .route_url(url)
        .map_err(|why| format!("the server gave a bad download URL: {why}"))?;
    reporter.on_detail(&format!("artifact {file_name}: download {route}"));
    let proxy = route.proxy().map(ureq_proxy).transpose()?;
    let via = route
        .proxy()
        .map(|p| format!(" via proxy {p}"))
        .unwrap_or_default();
    let mut file = AtomicFile::create(
        dir.root(),
        dir.top_file(file_name),
        file_name.to_string(),
        true,
    )
    .map_err(|err| format!("{err:#}"))?;
    blocking(|| -> Result<(), String> {
        let response = agent
            .get(url)
            .config()
            .proxy(proxy)
            .build()
            .call()
            .map_err(|err| format!("download failed{via}: {err}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("download failed: HTTP {status}"));
        }
        let mut reader = response.into_body().into_reader();
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let n = reader
                .read(&mut buffer)
                .map_err(|err| format!("download broke off after {} bytes: {err}", file.bytes()))?;
            if n == 0 {
                return Ok(());
            }
            let received = file.bytes() + n as u64;
            if received > expected {
                // Stopped here: what follows is never written.
                return Err(format!(
                    "the download ran past the {expected} bytes the server announced \
                     (stopped at {received})"
                ));
            }
            file.write(&buffer[..n]).map_err(|err| format!("{err:#}"))?;
        }
    })?;
    if file.bytes() != expected {
        return Err(format!(
            "received {} bytes but the server announced {expected}",
            file.bytes()
        ));
    }
    file.commit(None).map_err(|err| format!("{err:#}"))
}

/// Our proxy as ureq's, credentials included (ureq sends them as `Proxy-Authorization: Basic` or
/// SOCKS5 authentication; the name goes to the proxy unresolved except for `socks5://`).
fn ureq_proxy(proxy: &ProxyUrl) -> Result<ureq::Proxy, String> {
    let protocol = match proxy.kind {
        ProxyKind::Http => ureq::ProxyProtocol::Http,
        ProxyKind::Socks5 => ureq::ProxyProtocol::Socks5,
        ProxyKind::Socks5h => ureq::ProxyProtocol::Socks5h,
    };
    let mut builder = ureq::Proxy::builder(protocol)
        .host(proxy.url_host())
        .port(proxy.port());
    if let Some((user, password)) = proxy.credentials() {
        builder = builder.username(user).password(password);
    }
    builder
        .build()
        .map_err(|_| format!("cannot use proxy {proxy} for downloads"))
}

/// Exit 7 naming every artifact that has no file.
pub fn problems_error(problems: &[String]) -> CliError {
    CliError::new(
        ExitStatus::DownloadIncomplete,
        format!(
            "{} artifact(s) not saved: {}",
            problems.len(),
            problems.join("; ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::artifact_file_name;

    #[test]
    fn hostile_names_are_encoded() {
        assert_eq!(artifact_file_name("report.pdf"), "report.pdf");
        for hostile in [
            "",
            ".",
            "..",
            "../x",
            "/etc/passwd",
            "a/b",
            "a\\b",
            "x\u{1b}[31m",
            "nul\0",
        ] {
            let name = artifact_file_name(hostile);
            assert!(name.starts_with("x-"), "{hostile:?} -> {name}");
            assert!(name[2..].bytes().all(|b| b.is_ascii_hexdigit()));
        }
        // A plain name that looks like an encoding is encoded too, so the two cannot meet.
        assert_eq!(artifact_file_name(".."), "x-2e2e");
        assert_ne!(artifact_file_name("x-2e2e"), "x-2e2e");
        // Long names that share a prefix are not cut to the same name.
        let a = format!("{}a", "/".repeat(100));
        let b = format!("{}b", "/".repeat(100));
        assert_ne!(artifact_file_name(&a), artifact_file_name(&b));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Whatever the server calls an artifact, its file is one safe component of DIR.
        #[test]
        fn file_name_is_one_safe_component(name in proptest::prop_oneof![
            ".{0,300}",
            "[./\\\\x-]{0,12}",
            "\\PC{0,40}",
        ]) {
            let file = artifact_file_name(&name);
            proptest::prop_assert!(!file.is_empty() && file.len() <= 255, "{:?}", file);
            proptest::prop_assert!(file != "." && file != "..");
            proptest::prop_assert!(!file.contains('/') && !file.contains('\\') && !file.contains('\0'));
            proptest::prop_assert!(!file.chars().any(char::is_control), "{:?}", file);
            proptest::prop_assert!(!file.starts_with(super::super::atomic::TEMP_PREFIX));
            let base = std::path::Path::new("/save");
            let joined = base.join(&file);
            proptest::prop_assert_eq!(joined.parent(), Some(base));
            proptest::prop_assert_eq!(joined.components().count(), base.components().count() + 1);
        }

        /// Distinct names never share a file.
        #[test]
        fn distinct_names_distinct_files(a in ".{0,120}", b in ".{0,120}") {
            if a != b {
                proptest::prop_assert_ne!(artifact_file_name(&a), artifact_file_name(&b));
            }
        }
    }
}
