//! The context every command receives: resolved settings, the output format, the printer, and a
//! client connected on first use (starting the embedded dev server if that is the endpoint).

use tokio::sync::OnceCell;

use crate::cli::{ColorWhen, GlobalArgs, OutputFormat};
use crate::client::Client;
use crate::config::{self, Endpoint, Settings, TokenLookup};
use crate::devserver::{self, Embedded};
use crate::output::{ColorChoice, Printer, Verbosity};

pub struct Context {
    pub printer: Printer,
    pub output: OutputFormat,
    pub settings: Settings,
    client: OnceCell<Client>,
    embedded: std::sync::Mutex<Option<Embedded>>,
}

impl Context {
    pub fn new(
        global: &GlobalArgs,
        printer: Printer,
        lookup: TokenLookup,
    ) -> anyhow::Result<Context> {
        let settings = config::resolve(global, &printer, lookup)?;
        Ok(Context {
            printer,
            output: global.output,
            settings,
            client: OnceCell::new(),
            embedded: std::sync::Mutex::new(None),
        })
    }

    /// The client, connected on first use.
    pub async fn client(&self) -> anyhow::Result<&Client> {
        self.client.get_or_try_init(|| self.connect()).await
    }

    async fn connect(&self) -> anyhow::Result<Client> {
        let (url, tls) = match &self.settings.endpoint {
            Endpoint::Remote { url, tls } => (url.clone(), *tls),
            Endpoint::Embedded => {
                // The same gRPC path as a remote server: a real listener on loopback.
                let settings = devserver::ServerConfig::from_env()?;
                let server = Embedded::start(settings)?;
                let url = server.url().to_string();
                self.printer
                    .verbose(&format!("embedded dev server listening on {url}"));
                *self.embedded.lock().expect("embedded server lock") = Some(server);
                (url, false)
            }
        };
        Client::new(&url, tls, &self.settings, self.printer.clone())
    }

    /// Stops the embedded dev server, if one was started.
    pub async fn shutdown(self) {
        let server = self.embedded.lock().expect("embedded server lock").take();
        if let Some(server) = server {
            server.shutdown().await;
        }
    }
}

pub fn printer_for(global: &GlobalArgs) -> Printer {
    let verbosity = if global.quiet {
        Verbosity::Quiet
    } else if global.verbose {
        Verbosity::Verbose
    } else {
        verbosity_from_rust_log(std::env::var("RUST_LOG").ok().as_deref())
    };
    let color = match global.color {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    };
    Printer::new(verbosity, color)
}

/// `RUST_LOG` (as cli-contract.md names it) when neither `-q` nor `-v` is given: `debug`/`trace`
/// (or `info`) turn on the `-v` detail, `error`/`off` quieten as `-q` does. Filters such as
/// `dodil=debug` count by their most verbose level.
fn verbosity_from_rust_log(value: Option<&str>) -> Verbosity {
    let Some(value) = value else {
        return Verbosity::Normal;
    };
    let levels: Vec<String> = value
        .split(',')
        .map(|part| {
            part.rsplit('=')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    if levels
        .iter()
        .any(|l| matches!(l.as_str(), "trace" | "debug" | "info"))
    {
        Verbosity::Verbose
    } else if !levels.is_empty() && levels.iter().all(|l| matches!(l.as_str(), "error" | "off")) {
        Verbosity::Quiet
    } else {
        Verbosity::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_maps_to_verbosity() {
        assert_eq!(verbosity_from_rust_log(None), Verbosity::Normal);
        assert_eq!(verbosity_from_rust_log(Some("debug")), Verbosity::Verbose);
        assert_eq!(
            verbosity_from_rust_log(Some("warn,dodil=trace")),
            Verbosity::Verbose
        );
        assert_eq!(verbosity_from_rust_log(Some("error")), Verbosity::Quiet);
        assert_eq!(verbosity_from_rust_log(Some("warn")), Verbosity::Normal);
    }
}
