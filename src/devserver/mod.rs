//! The dev server: a faithful local Scriptum simulator.
//!
//! It serves all eleven RPCs of `dodil.scriptum.v1.ScriptumService` over real gRPC, running
//! scripted threads (built-in `demo/*` scripts and user scenario files) on a deterministic,
//! time-scaled timeline, with switchable faults. `--endpoint embedded` starts one inside a
//! command ([`ServerConfig::from_env`]); `dodil scriptum dev-server` runs one standalone
//! ([`run_standalone`]).
//!
//! Modules: `scripts` (definitions and demos), `timeline` (the script engine), `store`
//! (persistence), `service` (the RPCs), `streams` (the streaming RPCs' tasks), `convert` (wire types), `faults`, `data` (payloads,
//! generated on demand), `artifacts` (the download server), `args` (the CLI flags), `embedded`
//! (`--endpoint embedded`'s server, on a runtime of its own), `gateway` (the HTTP gateway, on the
//! gRPC port).

mod args;
mod artifacts;
mod convert;
pub mod data;
mod embedded;
pub mod faults;
mod gateway;
mod mangle;
mod scripts;
mod service;
mod store;
mod streams;
mod timeline;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context as _};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_stream::StreamExt as _;
use tonic::codec::CompressionEncoding;

pub use args::{check_unavailable, run_standalone, DevServerArgs, Secret};
pub use embedded::Embedded;
pub use faults::Faults;
pub use scripts::{parse_def as parse_scenario, ScriptDef, StepDef};
pub use service::{
    CHUNK_DEFAULT, CHUNK_MAX, CHUNK_MIN, PAGE_DEFAULT, PAGE_MAX, RESULT_CAP, STEP_CAP, YIELD_CAP,
};

use crate::proto::scriptum_service_server::ScriptumServiceServer;

/// Everything that configures a dev server. `Default`: no token, speed 1.0 (0.0 means 1.0),
/// in-memory store, demos only, CancelThread/ListArtifacts UNIMPLEMENTED, no faults.
#[derive(Clone, Default)]
pub struct ServerConfig {
    /// When set, calls without `authorization: Bearer <token>` are UNAUTHENTICATED.
    pub token: Option<String>,
    /// None: an in-memory store; Some: threads persist in this directory.
    pub data_dir: Option<PathBuf>,
    /// Time scale (2.0 runs scripts twice as fast); 0.0 means 1.0.
    pub speed: f64,
    /// A directory of user scenario files (`*.yaml`).
    pub scripts_dir: Option<PathBuf>,
    /// CancelThread works instead of answering UNIMPLEMENTED.
    pub implement_cancel: bool,
    /// ListArtifacts lists this directory's files instead of answering UNIMPLEMENTED.
    pub artifacts_dir: Option<PathBuf>,
    /// Fault switches.
    pub faults: Faults,
    /// Serve TLS with this certificate and key (`https://`) instead of plaintext.
    pub tls: Option<tls::TlsIdentity>,
    /// Compress answers with this encoding (to a client that accepts it).
    pub compress: Option<crate::cli::Compression>,
}

impl std::fmt::Debug for ServerConfig {
    /// Like a derived Debug, with the token redacted.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("data_dir", &self.data_dir)
            .field("speed", &self.speed)
            .field("scripts_dir", &self.scripts_dir)
            .field("implement_cancel", &self.implement_cancel)
            .field("artifacts_dir", &self.artifacts_dir)
            .field("faults", &self.faults)
            .field("tls", &self.tls)
            .finish()
    }
}

/// The environment variables [`ServerConfig::from_env`] reads.
pub const ENV_KNOBS: [&str; 8] = [
    "DODIL_DATA_DIR",
    "DODIL_DEVSERVER_EPHEMERAL",
    "DODIL_DEVSERVER_SPEED",
    "DODIL_DEVSERVER_SCRIPTS",
    "DODIL_DEVSERVER_FAULTS",
    "DODIL_DEVSERVER_TOKEN",
    "DODIL_DEVSERVER_CANCEL",
    "DODIL_DEVSERVER_ARTIFACTS",
];

fn env_var(name: &str) -> anyhow::Result<Option<String>> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => bail!("{name} is not valid UTF-8"),
    }
}

fn env_bool(name: &str) -> anyhow::Result<bool> {
    match env_var(name)?.as_deref().map(str::trim) {
        None => Ok(false),
        Some(v) => parse_bool(v)
            .ok_or_else(|| anyhow!("{name}={v:?}: expected 1/0, true/false, yes/no or on/off")),
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The slowest and fastest time scales.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 0.001..=1_000_000.0;

/// HTTP/2 streams one connection may have open at once (watches of many threads among them).
const MAX_STREAMS_PER_CONNECTION: u32 = 10_000;
/// How often the data file is looked at for threads other processes created or changed.
const DATA_FILE_POLL: Duration = Duration::from_millis(250);

/// Validates a speed: from 0.001 to 1 000 000 (0.0 means the default, 1.0).
pub fn check_speed(speed: f64) -> anyhow::Result<f64> {
    if speed == 0.0 {
        Ok(1.0)
    } else if SPEED_RANGE.contains(&speed) {
        Ok(speed)
    } else {
        bail!("speed must be a number from 0.001 to 1000000 (got {speed})")
    }
}

/// The default data directory: `$DODIL_DATA_DIR`, else `<platform data dir>/dodil/devserver`.
pub fn default_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(d) = env_var("DODIL_DATA_DIR")? {
        return Ok(PathBuf::from(d));
    }
    dirs::data_dir()
        .map(|d| d.join("dodil").join("devserver"))
        .ok_or_else(|| anyhow!("cannot find the platform data directory; set DODIL_DATA_DIR"))
}

impl ServerConfig {
    /// The configuration for `--endpoint embedded`, from the environment:
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `DODIL_DATA_DIR` | where threads persist (default `<platform data dir>/dodil/devserver`) |
    /// | `DODIL_DEVSERVER_EPHEMERAL` | `1`: keep threads in memory only |
    /// | `DODIL_DEVSERVER_SPEED` | time scale, a positive number (default 1) |
    /// | `DODIL_DEVSERVER_SCRIPTS` | a directory of scenario files |
    /// | `DODIL_DEVSERVER_FAULTS` | fault switches, e.g. `watch-drop-after=3,latency-ms=200` |
    /// | `DODIL_DEVSERVER_TOKEN` | require this bearer token |
    /// | `DODIL_DEVSERVER_CANCEL` | `1`: CancelThread works |
    /// | `DODIL_DEVSERVER_ARTIFACTS` | a directory ListArtifacts lists |
    ///
    /// A bad value is an error naming the variable.
    pub fn from_env() -> anyhow::Result<ServerConfig> {
        let data_dir = if env_bool("DODIL_DEVSERVER_EPHEMERAL")? {
            None
        } else {
            Some(default_data_dir()?)
        };
        let speed = match env_var("DODIL_DEVSERVER_SPEED")? {
            None => 1.0,
            Some(v) => v
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|s| SPEED_RANGE.contains(s))
                .ok_or_else(|| {
                    anyhow!("DODIL_DEVSERVER_SPEED={v:?}: expected a number from 0.001 to 1000000")
                })?,
        };
        let faults = match env_var("DODIL_DEVSERVER_FAULTS")? {
            None => Faults::default(),
            Some(v) => Faults::parse(&v).context("DODIL_DEVSERVER_FAULTS")?,
        };
        Ok(ServerConfig {
            token: env_var("DODIL_DEVSERVER_TOKEN")?.map(|t| t.trim().to_string()),
            data_dir,
            speed,
            scripts_dir: env_var("DODIL_DEVSERVER_SCRIPTS")?.map(PathBuf::from),
            implement_cancel: env_bool("DODIL_DEVSERVER_CANCEL")?,
            artifacts_dir: env_var("DODIL_DEVSERVER_ARTIFACTS")?.map(PathBuf::from),
            faults,
            tls: None,
            compress: None,
        })
    }
}

/// A running server on a bound listener. Dropping it (or [`DevServer::shutdown`]) stops it.
pub struct DevServer {
    addr: SocketAddr,
    tls: bool,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    artifacts: Option<JoinHandle<()>>,
}

/// gRPC server reflection in both versions clients ask for: `v1` (grpcurl 1.8.8 and later)
/// and `v1alpha` (grpcui, Postman, older grpcurl), so they work without the `.proto`.
fn reflection() -> anyhow::Result<(
    tonic_reflection::server::v1::ServerReflectionServer<
        impl tonic_reflection::server::v1::ServerReflection,
    >,
    tonic_reflection::server::v1alpha::ServerReflectionServer<
        impl tonic_reflection::server::v1alpha::ServerReflection,
    >,
)> {
    let builder = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let v1 = builder()
        .build_v1()
        .context("cannot set up gRPC reflection (v1)")?;
    let v1alpha = builder()
        .build_v1alpha()
        .context("cannot set up gRPC reflection (v1alpha)")?;
    Ok((v1, v1alpha))
}

/// Serves `router` on `incoming`'s connections (plaintext or TLS) until `signal`.
async fn serve<IO>(
    router: tonic::transport::server::Router,
    incoming: impl tokio_stream::Stream<Item = std::io::Result<IO>>,
    signal: impl std::future::Future<Output = ()>,
) where
    IO: tokio::io::AsyncRead
        + tokio::io::AsyncWrite
        + tonic::transport::server::Connected
        + Unpin
        + Send
        + 'static,
{
    if let Err(e) = router.serve_with_incoming_shutdown(incoming, signal).await {
        eprintln!("dev-server: {e}");
    }
}

impl DevServer {
    /// Binds `listen` (port 0 picks a free port), starts serving, and returns at once.
    pub async fn start(listen: SocketAddr, config: ServerConfig) -> anyhow::Result<DevServer> {
        Self::start_with(listen, config, false).await
    }

    /// [`DevServer::start`], optionally logging each call to stderr.
    pub(crate) async fn start_with(
        listen: SocketAddr,
        config: ServerConfig,
        log: bool,
    ) -> anyhow::Result<DevServer> {
        let speed = check_speed(config.speed)?;
        let registry = Arc::new(scripts::Registry::load(config.scripts_dir.as_deref())?);
        let store = store::Store::open(
            config.data_dir.as_deref(),
            registry.clone(),
            config.faults.hostile_names,
        )?;
        let mut artifacts_task = None;
        let artifacts = match &config.artifacts_dir {
            Some(dir) => {
                if !dir.is_dir() {
                    bail!("artifacts directory {} does not exist", dir.display());
                }
                let ip = if listen.ip().is_unspecified() {
                    std::net::Ipv4Addr::LOCALHOST.into()
                } else {
                    listen.ip()
                };
                let l = TcpListener::bind((ip, 0))
                    .await
                    .context("cannot bind the artifact download server")?;
                let base = format!("http://{}", l.local_addr()?);
                artifacts_task = Some(tokio::spawn(artifacts::serve(l, dir.clone())));
                Some((dir.clone(), base))
            }
            None => None,
        };
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        let (stop, stop_rx) = watch::channel(false);
        let shared = service::Shared::new(
            store,
            registry,
            config.token.clone().filter(|t| !t.is_empty()),
            speed,
            config.faults.clone(),
            config.implement_cancel,
            artifacts,
            log,
            stop_rx.clone(),
        );
        let shared = Arc::new(shared);
        if shared.store.has_file() {
            // One task looks at the data file for other processes' threads, for every stream
            // (a change wakes the watches that wait), rather than each watch on its own.
            let (refreshed, mut stopped) = (shared.clone(), stop_rx.clone());
            tokio::spawn(async move {
                let mut every = tokio::time::interval(DATA_FILE_POLL);
                loop {
                    tokio::select! {
                        _ = every.tick() => {
                            if let Err(e) = refreshed.store.refresh() {
                                eprintln!("dev-server: {e:#}");
                            }
                        }
                        _ = stopped.changed() => break,
                    }
                }
            });
        }
        let service = service::Service(shared);
        let mut svc = ScriptumServiceServer::new(service.clone())
            .max_decoding_message_size(16 * 1024 * 1024)
            .max_encoding_message_size(usize::MAX)
            .accept_compressed(CompressionEncoding::Gzip)
            .accept_compressed(CompressionEncoding::Zstd);
        if let Some(compress) = config.compress {
            svc = svc.send_compressed(match compress {
                crate::cli::Compression::Gzip => CompressionEncoding::Gzip,
                crate::cli::Compression::Zstd => CompressionEncoding::Zstd,
            });
        }
        // `bad-utf8` and `undecodable` break the bytes of (uncompressed) answers on their way out.
        let svc = mangle::Mangle::new(svc, &config.faults);
        let (health, health_service) = tonic_health::server::health_reporter();
        health
            .set_serving::<ScriptumServiceServer<service::Service>>()
            .await;
        let (reflection_v1, reflection_v1alpha) = reflection()?;
        let grpc = tonic::service::Routes::new(svc)
            .add_service(health_service)
            .add_service(reflection_v1)
            .add_service(reflection_v1alpha)
            .into_axum_router();
        // The HTTP gateway shares the port (and the service): HTTP/1.1 too, for curl and friends.
        let both = gateway::ByContentType {
            grpc,
            gateway: gateway::router(service),
        };
        let routes = tonic::service::Routes::from(axum::Router::new().fallback_service(both));
        // TLS is ours rather than tonic's, whose ALPN is h2 only.
        let acceptor = config
            .tls
            .as_ref()
            .map(tls::acceptor)
            .transpose()
            .context("cannot serve TLS with this certificate and key")?;
        // Room for the many watch streams of `thread watch ID...` on one connection (h2's
        // default of 200 would queue the rest).
        let router = tonic::transport::Server::builder()
            .max_concurrent_streams(Some(MAX_STREAMS_PER_CONNECTION))
            .accept_http1(true)
            .add_routes(routes);
        let mut rx = stop_rx;
        let signal = async move {
            while !*rx.borrow() {
                if rx.changed().await.is_err() {
                    break;
                }
            }
            // Load balancers and probes see the drain coming before the listener closes.
            health
                .set_service_status("", tonic_health::ServingStatus::NotServing)
                .await;
            health
                .set_not_serving::<ScriptumServiceServer<service::Service>>()
                .await;
        };
        let server = match acceptor {
            Some(acceptor) => {
                tokio::spawn(serve(router, tls::incoming(listener, acceptor), signal))
            }
            None => {
                let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener).map(|s| {
                    s.inspect(|s| {
                        let _ = s.set_nodelay(true);
                    })
                });
                tokio::spawn(serve(router, incoming, signal))
            }
        };
        Ok(DevServer {
            addr,
            tls: config.tls.is_some(),
            stop,
            server: Some(server),
            artifacts: artifacts_task,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` (`https://ADDR` with TLS), for a client to connect to.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Stops serving: open streams end, then the listener closes.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(a) = self.artifacts.take() {
            a.abort();
        }
        if let Some(s) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), s).await;
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(a) = self.artifacts.take() {
            a.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The only test that touches these variables (tests share one process environment).
    #[test]
    fn settings_from_env() {
        let vars = [
            ("DODIL_DATA_DIR", "/tmp/dodil-test-data"),
            ("DODIL_DEVSERVER_SPEED", "25"),
            ("DODIL_DEVSERVER_FAULTS", "latency-ms=5,bad-enums"),
            ("DODIL_DEVSERVER_TOKEN", "t0k"),
            ("DODIL_DEVSERVER_CANCEL", "yes"),
        ];
        for (k, v) in vars {
            std::env::set_var(k, v);
        }
        let s = ServerConfig::from_env().unwrap();
        assert_eq!(s.data_dir, Some(PathBuf::from("/tmp/dodil-test-data")));
        assert_eq!(s.speed, 25.0);
        assert!(s.faults.bad_enums && s.faults.latency_ms == 5);
        assert_eq!(s.token.as_deref(), Some("t0k"));
        assert!(s.implement_cancel);
        for (k, bad) in [
            ("DODIL_DEVSERVER_SPEED", "fast"),
            ("DODIL_DEVSERVER_SPEED", "-1"),
            ("DODIL_DEVSERVER_FAULTS", "nope"),
            ("DODIL_DEVSERVER_CANCEL", "maybe"),
            ("DODIL_DEVSERVER_EPHEMERAL", "2"),
        ] {
            let old = std::env::var(k).ok();
            std::env::set_var(k, bad);
            let e = format!("{:#}", ServerConfig::from_env().unwrap_err());
            assert!(e.contains(k), "{k}={bad}: {e}");
            match old {
                Some(v) => std::env::set_var(k, v),
                None => std::env::remove_var(k),
            }
        }
        std::env::set_var("DODIL_DEVSERVER_EPHEMERAL", "1");
        assert_eq!(ServerConfig::from_env().unwrap().data_dir, None);
        for (k, _) in vars {
            std::env::remove_var(k);
        }
        std::env::remove_var("DODIL_DEVSERVER_EPHEMERAL");
    }
}
