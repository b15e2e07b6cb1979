//! TEMPORARY interface stub until the dev-server branch lands.
use std::net::SocketAddr;
use std::path::PathBuf;
#[derive(Clone, Debug, Default)]
pub struct Faults {}
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub token: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub speed: f64,
    pub scripts_dir: Option<PathBuf>,
    pub implement_cancel: bool,
    pub artifacts_dir: Option<PathBuf>,
    pub faults: Faults,
}
impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        Ok(Settings::default())
    }
}
pub struct DevServer {
    addr: SocketAddr,
}
impl DevServer {
    pub async fn start(listen: SocketAddr, _settings: Settings) -> anyhow::Result<DevServer> {
        anyhow::bail!("dev server not built yet on {listen}")
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub async fn shutdown(self) {}
}
