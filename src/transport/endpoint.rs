//! Where a remote database is and how to reach it: the one value both remote transports are
//! built from (`HttpTransport::new`, `WsTransport::connect`), so the URL, the credentials and
//! routing headers ([`Access`]), the timeout and the TLS configuration travel together.

use std::sync::Arc;
use std::time::Duration;

use crate::token::AuthToken;
use crate::transport::access::Access;

#[derive(Clone)]
pub struct Endpoint {
    /// The URL requests go to (`http(s)://…` or `ws(s)://…`).
    pub url: String,
    /// The host and port to connect to (the URL's, resolved by the caller).
    pub host: String,
    pub port: u16,
    /// The token, the namespace and the encryption key, sent with every request.
    pub access: Access,
    /// The longest wait for a connection or an answer.
    pub timeout: Duration,
    /// The TLS client configuration for `https://`/`wss://` (see [`crate::transport::tls`]);
    /// `None`: the client library's default roots.
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

impl Endpoint {
    pub fn new(url: &str, host: &str, port: u16, timeout: Duration) -> Endpoint {
        Endpoint {
            url: url.to_string(),
            host: host.to_string(),
            port,
            access: Access::token(None),
            timeout,
            tls: None,
        }
    }

    /// With this token (and no namespace or key).
    pub fn with_token(mut self, token: Option<AuthToken>) -> Endpoint {
        self.access = Access::token(token);
        self
    }

    /// With these credentials and routing headers.
    pub fn with_access(mut self, access: Access) -> Endpoint {
        self.access = access;
        self
    }

    /// With this TLS client configuration.
    pub fn with_tls(mut self, tls: Option<Arc<rustls::ClientConfig>>) -> Endpoint {
        self.tls = tls;
        self
    }
}
