//! `dodil scriptum dev-server`: its flags (declared in `cli.rs` with every other clap type)
//! turned into [`ServerConfig`], and the standalone run loop.

use std::io::Write as _;

use anyhow::Context as _;

use super::faults::{parse_unavailable, Faults};
use super::{default_data_dir, DevServer, ServerConfig};
pub use crate::cli::DevServerArgs;

/// A token given on the command line: `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// clap value parser for `--fault-unavailable METHOD:N`.
pub fn check_unavailable(v: &str) -> Result<String, String> {
    parse_unavailable(v)
        .map(|_| v.to_string())
        .map_err(|e| e.to_string())
}

impl DevServerArgs {
    /// The config these flags describe (token file read, fault switches merged).
    pub fn into_config(self) -> anyhow::Result<ServerConfig> {
        let token = match (&self.token_file, self.token) {
            (Some(path), _) => {
                let t = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read token file {}", path.display()))?;
                let t = t.trim().to_string();
                if t.is_empty() {
                    anyhow::bail!("token file {} is empty", path.display());
                }
                Some(t)
            }
            (None, Some(t)) => Some(t.0),
            (None, None) => std::env::var("DODIL_DEVSERVER_TOKEN")
                .ok()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
        };
        let data_dir = match (self.ephemeral, self.data_dir) {
            (true, _) => None,
            (false, Some(d)) => Some(d),
            (false, None) => Some(default_data_dir()?),
        };
        let speed = super::check_speed(self.speed).context("--speed")?;
        let mut faults = Faults {
            watch_drop_after: self.fault_watch_drop_after,
            watch_no_terminal: self.fault_watch_no_terminal,
            watch_unimplemented: self.fault_watch_unimplemented,
            unavailable: self
                .fault_unavailable
                .iter()
                .map(|v| parse_unavailable(v))
                .collect::<anyhow::Result<_>>()?,
            latency_ms: self.fault_latency_ms.unwrap_or(0),
            page_repeat: self.fault_page_repeat,
            chunk_skip: self.fault_chunk_skip,
            chunk_repeat: self.fault_chunk_repeat,
            chunk_reorder: self.fault_chunk_reorder,
            chunk_short: self.fault_chunk_short,
            chunk_no_final: self.fault_chunk_no_final,
            chunk_extra: self.fault_chunk_extra,
            meta_total_mismatch: self.fault_meta_total_mismatch,
            result_total_mismatch: self.fault_result_total_mismatch,
            bad_enums: self.fault_bad_enums,
            hostile_names: self.fault_hostile_names,
            huge_message: self.fault_huge_message,
            // Reached through --faults artifact-size-mismatch / artifact-size-smaller /
            // compress-bomb.
            compress_bomb: false,
            artifact_size_mismatch: false,
            artifact_size_smaller: false,
            // Reached through --faults output-break=K[:N] / only-org=NAME.
            output_break: None,
            only_org: None,
            ..Faults::default()
        };
        if let Some(spec) = &self.faults {
            faults.merge(Faults::parse(spec).context("--faults")?);
        }
        // Given files; a generated certificate (`--tls` alone) is made by `run_standalone`,
        // which also writes its CA.
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(super::tls::load(cert, key)?),
            _ => None,
        };
        Ok(ServerConfig {
            token,
            data_dir,
            speed,
            scripts_dir: self.scripts,
            implement_cancel: self.implement_cancel,
            artifacts_dir: self.artifacts,
            faults,
            tls,
            compress: self.compress,
        })
    }
}

/// Runs the dev server until Ctrl-C or SIGTERM. The first stdout line is
/// `listening on http://ADDR` (`https://` with TLS); with a generated certificate the second is
/// `ca certificate: PATH`, its CA's PEM (in the data directory, or a temp dir that goes with an
/// ephemeral server). Each call is logged briefly to stderr.
pub async fn run_standalone(args: DevServerArgs) -> anyhow::Result<()> {
    let listen = args.listen;
    let generate = args.tls && args.tls_cert.is_none();
    let mut config = args.into_config()?;
    let mut ca_dir: Option<tempfile::TempDir> = None;
    let mut ca_path = None;
    if generate {
        let generated = super::tls::generate(&[])?;
        let dir = match &config.data_dir {
            Some(dir) => dir.clone(),
            None => {
                let temp = tempfile::Builder::new()
                    .prefix("dodil-dev-server-")
                    .tempdir()
                    .context("cannot make a temp dir for the CA certificate")?;
                let path = temp.path().to_path_buf();
                ca_dir = Some(temp);
                path
            }
        };
        ca_path = Some(super::tls::write_ca(&dir, &generated.ca_pem)?);
        config.tls = Some(generated.identity);
    }
    let summary = summary_of(&config);
    let server = DevServer::start_with(listen, config, true).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", server.url())?;
        if let Some(path) = &ca_path {
            writeln!(out, "ca certificate: {}", path.display())?;
        }
        out.flush()?;
    }
    eprintln!("dev-server: {summary}");
    wait_for_signal().await;
    eprintln!("dev-server: shutting down");
    server.shutdown().await;
    drop(ca_dir);
    Ok(())
}

fn summary_of(s: &ServerConfig) -> String {
    let mut parts = vec![format!(
        "speed {}",
        if s.speed == 0.0 { 1.0 } else { s.speed }
    )];
    parts.push(match &s.data_dir {
        Some(d) => format!("data in {}", d.display()),
        None => "data in memory".to_string(),
    });
    if s.token.is_some() {
        parts.push("token required".into());
    }
    if s.tls.is_some() {
        parts.push("TLS".into());
    }
    if let Some(d) = &s.scripts_dir {
        parts.push(format!("scenarios from {}", d.display()));
    }
    if s.implement_cancel {
        parts.push("CancelThread on".into());
    }
    if let Some(d) = &s.artifacts_dir {
        parts.push(format!("artifacts from {}", d.display()));
    }
    let faults = s.faults.to_string();
    if !faults.is_empty() {
        parts.push(format!("faults {faults}"));
    }
    parts.join(", ")
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::path::PathBuf;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: DevServerArgs,
    }

    fn parse(argv: &[&str]) -> Result<DevServerArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("dev-server").chain(argv.iter().copied()))
            .map(|c| c.args)
    }

    #[test]
    fn flags_become_settings() {
        let dir = std::env::temp_dir().join(format!("dodil-args-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let token = dir.join("token");
        std::fs::write(&token, "s3cret\n").unwrap();
        let a = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--token-file",
            token.to_str().unwrap(),
            "--ephemeral",
            "--speed",
            "20",
            "--implement-cancel",
            "--fault-unavailable",
            "GetThread:2",
            "--fault-chunk-skip",
            "1",
            "--faults",
            "latency-ms=5,bad-enums",
        ])
        .unwrap();
        assert!(!format!("{a:?}").contains("s3cret"));
        let s = a.into_config().unwrap();
        assert_eq!(s.token.as_deref(), Some("s3cret"));
        assert_eq!(
            (s.data_dir.clone(), s.speed, s.implement_cancel),
            (None, 20.0, true)
        );
        assert_eq!(s.faults.unavailable_calls("GetThread"), 2);
        assert_eq!(s.faults.chunk_skip, Some(1));
        assert!(s.faults.bad_enums && s.faults.latency_ms == 5);
        assert!(!format!("{s:?}").contains("s3cret"));

        let s = parse(&["--token", "t", "--data-dir", "/x"])
            .unwrap()
            .into_config()
            .unwrap();
        assert_eq!(s.token.as_deref(), Some("t"));
        assert_eq!(s.data_dir, Some(PathBuf::from("/x")));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for argv in [
            &["--fault-unavailable", "Nope:1"][..],
            &["--fault-unavailable", "GetThread"],
            &["--token", "a", "--token-file", "b"],
            &["--ephemeral", "--data-dir", "x"],
            &["--listen", "nowhere"],
            &["--speed", "0"],
            &["--speed", "-1"],
        ] {
            assert!(parse(argv).is_err(), "{argv:?}");
        }
        let e = parse(&["--faults", "nope", "--ephemeral"])
            .unwrap()
            .into_config()
            .unwrap_err();
        assert!(format!("{e:#}").contains("--faults"), "{e:#}");
    }
}
