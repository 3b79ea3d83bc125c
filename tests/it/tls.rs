//! `https://` and `wss://` end to end: the test server behind a TLS front whose certificate
//! comes from a private CA, trusted through `SSL_CERT_FILE` (as for a self-hosted sqld).

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection};

use crate::harness::shell;
use crate::server::TestServer;

/// A TLS listener on 127.0.0.1 that forwards every connection, decrypted, to `backend`.
struct TlsFront {
    port: u16,
    ca_file: PathBuf,
}

impl TlsFront {
    fn start(backend: SocketAddr, dir: &Path) -> TlsFront {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = ca.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap()
            .signed_by(&key, &ca, &ca_key)
            .unwrap();
        let ca_file = dir.join("private-ca.pem");
        std::fs::write(&ca_file, ca.pem()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(cert.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let config = config.clone();
                thread::spawn(move || relay(client, backend, config));
            }
        });
        TlsFront { port, ca_file }
    }
}

/// Relay one connection: client bytes are decrypted and sent on, backend bytes encrypted
/// and sent back. The TLS state is shared by the two directions and locked only between
/// blocking reads.
fn relay(client: TcpStream, backend: SocketAddr, config: Arc<ServerConfig>) {
    let Ok(server) = TcpStream::connect(backend) else {
        return;
    };
    let tls = Arc::new(Mutex::new(ServerConnection::new(config).unwrap()));
    let (mut client_in, mut server_out) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    let (tls2, mut client_out, mut server_in) = (tls.clone(), client, server);
    let up = thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match client_in.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut plain = Vec::new();
            {
                let mut t = tls2.lock().unwrap();
                if t.read_tls(&mut &buf[..n]).is_err() || t.process_new_packets().is_err() {
                    break;
                }
                let _ = t.reader().read_to_end(&mut plain);
                while t.wants_write() {
                    if t.write_tls(&mut client_in).is_err() {
                        return;
                    }
                }
            }
            if !plain.is_empty() && server_out.write_all(&plain).is_err() {
                break;
            }
        }
        let _ = server_out.shutdown(Shutdown::Write);
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match server_in.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut t = tls.lock().unwrap();
        if t.writer().write_all(&buf[..n]).is_err() {
            break;
        }
        while t.wants_write() {
            if t.write_tls(&mut client_out).is_err() {
                return;
            }
        }
    }
    if let Ok(mut t) = tls.lock() {
        t.send_close_notify();
        while t.wants_write() && t.write_tls(&mut client_out).is_ok() {}
    }
    let _ = client_out.shutdown(Shutdown::Both);
    let _ = up.join();
}

fn front() -> (TestServer, TlsFront, tempfile::TempDir) {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let backend: SocketAddr = format!("127.0.0.1:{}", server.port()).parse().unwrap();
    let front = TlsFront::start(backend, dir.path());
    (server, front, dir)
}

#[test]
fn https_and_wss_trust_a_private_ca_named_by_ssl_cert_file() {
    let (_server, front, _dir) = front();
    let ca = front.ca_file.to_str().unwrap();
    for scheme in ["https", "wss"] {
        let url = format!("{scheme}://127.0.0.1:{}", front.port);
        let out = shell()
            .env("SSL_CERT_FILE", ca)
            .args(["exec", "-m", "list", &url])
            .arg("CREATE TABLE IF NOT EXISTS t(x); INSERT INTO t VALUES (1); SELECT count(*) > 0 FROM t;")
            .run();
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, "1\n"),
            "{scheme}: {}",
            out.stderr
        );

        // Without the CA the certificate is refused, and the message says why.
        let out = shell().args(["exec", &url, "SELECT 1"]).run();
        assert_eq!(out.code, 2, "{scheme}: {out:?}");
        assert!(
            out.stderr.to_lowercase().contains("certificate"),
            "{scheme}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_dump_over_https_matches_the_plain_one() {
    let (server, front, _dir) = front();
    rusqlite::Connection::open(server.db_path())
        .unwrap()
        .execute_batch(
            "CREATE TABLE t(n INTEGER PRIMARY KEY, s TEXT);
             WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 500)
             INSERT INTO t SELECT n, 'row ' || n FROM c;",
        )
        .unwrap();
    let ca = front.ca_file.to_str().unwrap();
    let plain = shell()
        .args(["dump", &server.http_url(), "--page-rows", "50"])
        .run();
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    for scheme in ["https", "wss"] {
        let url = format!("{scheme}://127.0.0.1:{}", front.port);
        let out = shell()
            .env("SSL_CERT_FILE", ca)
            .args(["dump", &url, "--page-rows", "50"])
            .run();
        assert_eq!(out.code, 0, "{scheme}: {}", out.stderr);
        assert_eq!(out.stdout, plain.stdout, "{scheme}");
    }
}

#[test]
fn an_unreadable_ssl_cert_file_is_reported() {
    let out = shell()
        .env("SSL_CERT_FILE", "/nonexistent/ca.pem")
        .args(["exec", "https://127.0.0.1:9", "SELECT 1"])
        .run();
    out.fails(2, "SSL_CERT_FILE=/nonexistent/ca.pem: cannot read it");
}
