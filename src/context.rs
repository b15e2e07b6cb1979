//! The context every command receives: resolved settings, the output format, the printer, and a
//! client connected on first use (starting the embedded dev server if that is the endpoint).

use tokio::sync::OnceCell;

use crate::cli::{ColorWhen, GlobalArgs, OutputFormat};
use crate::client::Client;
use crate::config::{self, Endpoint, Settings};
use crate::devserver::{self, DevServer};
use crate::output::{ColorChoice, Printer, Verbosity};

pub struct Context {
    pub printer: Printer,
    pub output: OutputFormat,
    pub settings: Settings,
    client: OnceCell<Client>,
    embedded: std::sync::Mutex<Option<DevServer>>,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> anyhow::Result<Context> {
        let printer = printer_for(global);
        let settings = config::resolve(global, &printer)?;
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
                let settings = devserver::Settings::from_env()?;
                let server = DevServer::start(([127, 0, 0, 1], 0).into(), settings).await?;
                let url = server.url();
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
        Verbosity::Normal
    };
    let color = match global.color {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    };
    Printer::new(verbosity, color)
}
