//! `dev-server --tls`: a certificate made at start (a throwaway CA, and a server certificate it
//! signs for `localhost`, `127.0.0.1` and `::1`), or the PEM files of `--tls-cert` / `--tls-key`.
//! The CA's PEM is what a client passes to `--ca-cert`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// A server certificate (chain) and its private key, both PEM. `Debug` never shows the key.
#[derive(Clone)]
pub struct TlsIdentity {
    pub cert_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsIdentity(<certificate>, <redacted key>)")
    }
}

/// A generated identity and the CA that signed it.
pub struct Generated {
    pub identity: TlsIdentity,
    /// The CA certificate, PEM: trust it with `--ca-cert`.
    pub ca_pem: String,
}

/// The names the generated certificate is good for.
pub const GENERATED_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// A fresh CA and a server certificate it signs for [`GENERATED_NAMES`] (or `names`, when given).
pub fn generate(names: &[&str]) -> anyhow::Result<Generated> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let names: Vec<String> = if names.is_empty() {
        GENERATED_NAMES.iter().map(|n| n.to_string()).collect()
    } else {
        names.iter().map(|n| n.to_string()).collect()
    };

    let ca_key = KeyPair::generate().context("cannot make a key for the dev server's CA")?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(DnType::CommonName, "dodil dev-server CA (throwaway)");
    let ca_cert = ca
        .self_signed(&ca_key)
        .context("cannot make the dev server's CA")?;
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate().context("cannot make the dev server's key")?;
    let mut params = CertificateParams::new(names).context("bad certificate names")?;
    params
        .distinguished_name
        .push(DnType::CommonName, "dodil dev-server");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params
        .signed_by(&key, &issuer)
        .context("cannot sign the dev server's certificate")?;
    Ok(Generated {
        identity: TlsIdentity {
            cert_pem: cert.pem().into_bytes(),
            key_pem: key.serialize_pem().into_bytes(),
        },
        ca_pem: ca_cert.pem(),
    })
}

/// A TLS acceptor for `identity` that agrees to ALPN `h2` (gRPC, and HTTP/2 clients of the
/// gateway) and `http/1.1` (the gateway's HTTP/1.1 clients).
pub fn acceptor(identity: &TlsIdentity) -> anyhow::Result<tokio_rustls::TlsAcceptor> {
    use tokio_rustls::rustls::pki_types::pem::PemObject as _;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls::{crypto::ring, ServerConfig};
    let certs = CertificateDer::pem_slice_iter(&identity.cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .context("the certificate is not PEM")?;
    if certs.is_empty() {
        anyhow::bail!("the certificate file holds no certificate");
    }
    let key =
        PrivateKeyDer::from_pem_slice(&identity.key_pem).context("the private key is not PEM")?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// How long a client may take over its handshake before it is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// `listener`'s connections, each once its TLS handshake is done. Handshakes run side by side, so
/// a stalled one holds up nobody; a failed one is dropped. Ends when the receiver goes away.
pub fn incoming(
    listener: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
) -> ReceiverStream<std::io::Result<tokio_rustls::server::TlsStream<TcpStream>>> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = tx.closed() => return,
            };
            let tcp = match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    if tx.send(Err(e)).await.is_err() {
                        return;
                    }
                    continue;
                }
            };
            let _ = tcp.set_nodelay(true);
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                if let Ok(Ok(tls)) =
                    tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await
                {
                    let _ = tx.send(Ok(tls)).await;
                }
            });
        }
    });
    ReceiverStream::new(rx)
}

/// Reads `--tls-cert` and `--tls-key`.
pub fn load(cert: &Path, key: &Path) -> anyhow::Result<TlsIdentity> {
    let read = |path: &Path, what: &str| {
        std::fs::read(path).with_context(|| format!("cannot read {what} {}", path.display()))
    };
    let identity = TlsIdentity {
        cert_pem: read(cert, "--tls-cert")?,
        key_pem: read(key, "--tls-key")?,
    };
    if !String::from_utf8_lossy(&identity.cert_pem).contains("-----BEGIN CERTIFICATE-----") {
        anyhow::bail!("--tls-cert {} holds no PEM certificate", cert.display());
    }
    if !String::from_utf8_lossy(&identity.key_pem).contains("PRIVATE KEY-----") {
        anyhow::bail!("--tls-key {} holds no PEM private key", key.display());
    }
    Ok(identity)
}

/// Writes the CA's PEM as `ca.pem` in `dir` (created if missing), whole or not at all.
pub fn write_ca(dir: &Path, ca_pem: &str) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("ca.pem");
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    std::io::Write::write_all(&mut file, ca_pem.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_identity_is_pem_and_never_shown() {
        let g = generate(&[]).unwrap();
        assert!(g.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        let key = String::from_utf8(g.identity.key_pem.clone()).unwrap();
        assert!(key.contains("PRIVATE KEY"));
        assert!(!format!("{:?}", g.identity).contains("PRIVATE"));
        // A certificate file without a certificate is refused, naming the flag.
        let dir = tempfile::tempdir().unwrap();
        let (cert, key_file) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
        std::fs::write(&cert, "nope").unwrap();
        std::fs::write(&key_file, &g.identity.key_pem).unwrap();
        let err = load(&cert, &key_file).unwrap_err().to_string();
        assert!(err.contains("--tls-cert"), "{err}");
        let path = write_ca(dir.path(), &g.ca_pem).unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap(), g.ca_pem);
    }
}
