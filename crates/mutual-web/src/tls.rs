//! Serving beyond this computer (a phone on the same network): only over
//! TLS, with a self-signed certificate made on first use and kept beside
//! the database, whose fingerprint the phone can be checked against.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, pem::PemObject as _};
use sha2::Digest as _;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// A TLS certificate and key for one address, and the certificate's
/// SHA-256 fingerprint in the colon-separated hex browsers show.
#[derive(Debug)]
pub struct Certificate {
    pub cert: PathBuf,
    pub fingerprint: String,
    config: Arc<rustls::ServerConfig>,
}

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("could not make or read the certificate at {}: {source}", path.display())]
    File { path: PathBuf, source: std::io::Error },
    #[error("could not make a certificate: {0}")]
    Make(#[from] rcgen::Error),
    #[error("the certificate at {} cannot be used ({reason}); remove it and start again for a new one", path.display())]
    Unusable { path: PathBuf, reason: String },
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// The certificate for `ip` kept in `dir` (`mutual-serve-<ip>.crt` and
/// `.key`), made on first use, naming `ip`, `localhost` and `127.0.0.1`.
pub fn certificate(dir: &Path, ip: IpAddr) -> Result<Certificate, TlsError> {
    let stem = format!("mutual-serve-{}", ip.to_string().replace(':', "-"));
    let (cert_path, key_path) = (dir.join(format!("{stem}.crt")), dir.join(format!("{stem}.key")));
    let file_error = |path: &Path| {
        let path = path.to_owned();
        move |source| TlsError::File { path, source }
    };
    if !cert_path.exists() || !key_path.exists() {
        let names = vec![ip.to_string(), "localhost".to_owned(), "127.0.0.1".to_owned()];
        let made = rcgen::generate_simple_self_signed(names)?;
        write_private(&key_path, made.signing_key.serialize_pem().as_bytes())
            .map_err(file_error(&key_path))?;
        write_private(&cert_path, made.cert.pem().as_bytes()).map_err(file_error(&cert_path))?;
    }
    let unusable = |path: &Path, reason: String| TlsError::Unusable {
        path: path.to_owned(),
        reason,
    };
    let cert = CertificateDer::from_pem_file(&cert_path).map_err(|e| unusable(&cert_path, e.to_string()))?;
    let key = PrivatePkcs8KeyDer::from_pem_file(&key_path).map_err(|e| unusable(&key_path, e.to_string()))?;
    let fingerprint = sha2::Sha256::digest(cert.as_ref())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| unusable(&cert_path, e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], PrivateKeyDer::Pkcs8(key))
        .map_err(|e| unusable(&cert_path, e.to_string()))?;
    Ok(Certificate {
        cert: cert_path,
        fingerprint,
        config: Arc::new(config),
    })
}

/// A listener that speaks TLS: each connection's handshake must finish
/// within 10 seconds, else it is dropped and the next one taken.
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl std::fmt::Debug for TlsListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsListener")
            .field("tcp", &self.tcp)
            .finish_non_exhaustive()
    }
}

impl TlsListener {
    pub fn new(tcp: TcpListener, certificate: &Certificate) -> TlsListener {
        TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(Arc::clone(&certificate.config)),
        }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (tcp, addr) = axum::serve::Listener::accept(&mut self.tcp).await;
            let handshake = tokio::time::timeout(Duration::from_secs(10), self.acceptor.accept(tcp)).await;
            if let Ok(Ok(tls)) = handshake {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_certificate_is_made_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let ip: IpAddr = "192.168.1.20".parse().unwrap();
        let first = certificate(dir.path(), ip).unwrap();
        assert_eq!(first.fingerprint.len(), 32 * 3 - 1);
        let again = certificate(dir.path(), ip).unwrap();
        assert_eq!(first.fingerprint, again.fingerprint, "kept, not made again");
        let other = certificate(dir.path(), "10.0.0.2".parse().unwrap()).unwrap();
        assert_ne!(first.fingerprint, other.fingerprint);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join("mutual-serve-192.168.1.20.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&first.cert, "not a certificate").unwrap();
        assert!(matches!(
            certificate(dir.path(), ip),
            Err(TlsError::Unusable { .. })
        ));
    }
}
