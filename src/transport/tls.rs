//! The TLS client configuration of both remote transports (`https://`, `wss://`): Mozilla's
//! root certificates (the `webpki-roots` crate, so the shell behaves the same on every
//! machine), plus every certificate of the PEM bundle named by `SSL_CERT_FILE`, as curl, git
//! and Python honour it: a self-hosted sqld with a private CA, or a proxy that re-signs TLS.

use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use super::TransportError;

/// The environment variable naming extra trusted certificates (a PEM file).
pub const CERT_FILE_VAR: &str = "SSL_CERT_FILE";

/// The client configuration, with the extra roots of `SSL_CERT_FILE` when it is set.
pub fn client_config() -> Result<Arc<rustls::ClientConfig>, TransportError> {
    let extra = std::env::var_os(CERT_FILE_VAR).filter(|v| !v.is_empty());
    config_with(extra.as_deref().map(Path::new))
}

/// The client configuration trusting Mozilla's roots and the certificates in `extra`.
pub fn config_with(extra: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, TransportError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = extra {
        let bad = |why: String| {
            TransportError::Protocol(format!("{CERT_FILE_VAR}={}: {why}", path.display()))
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| bad(format!("cannot read it ({e})")))?
            .collect::<Result<_, _>>()
            .map_err(|e| bad(format!("not a PEM certificate bundle ({e})")))?;
        let (added, _ignored) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(bad("holds no usable certificate".into()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Protocol(format!("TLS setup failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_cert_file_is_an_error_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let e = config_with(Some(&missing)).unwrap_err().to_string();
        assert!(
            e.contains("SSL_CERT_FILE=") && e.contains("cannot read"),
            "{e}"
        );
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificates here\n").unwrap();
        let e = config_with(Some(&empty)).unwrap_err().to_string();
        assert!(e.contains("no usable certificate"), "{e}");
        assert!(config_with(None).is_ok());
    }
}
