//! TEMPORARY interface stub until the dev-server branch lands.
use std::net::SocketAddr;
#[derive(Clone, Debug, Default)]
pub struct Settings {}
impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        Ok(Settings {})
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
