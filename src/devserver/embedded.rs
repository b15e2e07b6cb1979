//! `--endpoint embedded`: a dev server inside the command, on a runtime and threads of its own.
//!
//! Sharing the command's runtime, a server busy generating gigabytes would compete with the
//! client for the same workers (and a client task that never yields could starve it). Apart,
//! the client keeps its lean single-threaded runtime, and Ctrl-C is seen at once however busy
//! the server is.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{anyhow, Context as _};
use tokio::sync::oneshot;

use super::{DevServer, ServerConfig};

/// How long [`Embedded::shutdown`] waits for the server to drain.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

/// A dev server running on a thread of its own; stopped by [`Embedded::shutdown`] or on drop.
pub struct Embedded {
    url: String,
    stop: Option<oneshot::Sender<()>>,
    stopped: Option<mpsc::Receiver<()>>,
}

impl Embedded {
    /// Starts a server on loopback (port 0) and returns once it listens.
    pub fn start(config: ServerConfig) -> anyhow::Result<Embedded> {
        let (ready_tx, ready) = mpsc::channel::<anyhow::Result<String>>();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let (stopped_tx, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("embedded-server".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .thread_name("embedded-server")
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        let _ =
                            ready_tx.send(Err(anyhow!(err).context("cannot start its runtime")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listen: SocketAddr = ([127, 0, 0, 1], 0).into();
                    let server = match DevServer::start(listen, config).await {
                        Ok(server) => server,
                        Err(err) => {
                            let _ = ready_tx.send(Err(err));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(server.url()));
                    // Until told to stop, or until the command is gone (the sender dropped).
                    let _ = stop_rx.await;
                    server.shutdown().await;
                });
                // Open streams and their tasks end with the runtime.
                runtime.shutdown_timeout(Duration::from_millis(100));
                let _ = stopped_tx.send(());
            })
            .context("cannot start the embedded dev server's thread")?;
        let url = ready
            .recv()
            .map_err(|_| anyhow!("the embedded dev server stopped while starting"))??;
        Ok(Embedded {
            url,
            stop: Some(stop),
            stopped: Some(stopped),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops serving and waits (a bounded while) for the server to drain.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(stopped) = self.stopped.take() {
            let wait = tokio::task::spawn_blocking(move || stopped.recv_timeout(SHUTDOWN_WAIT));
            let _ = wait.await;
        }
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
