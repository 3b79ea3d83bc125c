//! Opening a connection: TCP (within the timeout), the WebSocket handshake offering the
//! Hrana subprotocols, and `hello` with the token, written at once; its answer is read with
//! the first pipeline's responses, so authenticating costs no extra round trip.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};

use tungstenite::client::IntoClientRequest;
use tungstenite::error::{ProtocolError, SubProtocolError};
use tungstenite::handshake::HandshakeError;
use tungstenite::http::HeaderValue;
use tungstenite::Message;

use super::socket::{is_timeout, Conn, Peer, Socket};
use crate::transport::error::TransportError;
use crate::transport::hrana::{ClientMsg, Version};

/// Offered in the server's own order of preference. tungstenite compares the echo against
/// the offer split on `,` without trimming, so the list must have no spaces.
const SUBPROTOCOLS: &str = "hrana3,hrana2,hrana1";

impl Peer {
    /// Connect, negotiate the subprotocol (an old server that echoes none is retried without
    /// the offer and spoken to in hrana1) and send `hello`.
    pub fn open(&self) -> Result<(Conn, Version), TransportError> {
        let (mut ws, version) = match self.handshake(true)? {
            Some(x) => x,
            None => self.handshake(false)?.ok_or_else(|| {
                TransportError::Protocol("the server refused a handshake without an offer".into())
            })?,
        };
        let hello = ClientMsg::Hello {
            jwt: self.token().cloned(),
        };
        let text =
            serde_json::to_string(&hello).map_err(|e| TransportError::Protocol(e.to_string()))?;
        ws.send(Message::Text(text))
            .map_err(|e| self.socket_error(e, false))?;
        let conn = Conn {
            ws,
            hello_pending: true,
            received: 0,
        };
        Ok((conn, version))
    }

    fn connect_error(&self, reason: String) -> TransportError {
        TransportError::Connect {
            host: self.host.clone(),
            port: self.port,
            reason,
        }
    }

    fn tcp(&self) -> Result<TcpStream, TransportError> {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<_> = (host, self.port)
            .to_socket_addrs()
            .map_err(|_| self.connect_error("DNS lookup failed".into()))?
            .collect();
        let mut last = None;
        for addr in &addrs {
            match TcpStream::connect_timeout(addr, self.timeout) {
                Ok(s) => {
                    let timeouts = s
                        .set_read_timeout(Some(self.timeout))
                        .and_then(|_| s.set_write_timeout(Some(self.timeout)));
                    timeouts.map_err(|e| self.connect_error(e.to_string()))?;
                    let _ = s.set_nodelay(true);
                    return Ok(s);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(self.connect_error(match last {
            None => "DNS lookup failed".into(),
            Some(e) if e.kind() == io::ErrorKind::ConnectionRefused => "connection refused".into(),
            Some(e) if is_timeout(&e) => {
                format!("no answer within {} s (--timeout)", self.timeout.as_secs())
            }
            Some(e) => e.to_string(),
        }))
    }

    /// One WebSocket handshake, offering the Hrana subprotocols or (for a server that
    /// ignores the offer) none; returns the socket and the Hrana version, or `None` when
    /// the offer was answered without a subprotocol.
    fn handshake(&self, offer: bool) -> Result<Option<(Socket, Version)>, TransportError> {
        use tungstenite::Error as E;
        let tcp = self.tcp()?;
        let mut req = self
            .url
            .as_str()
            .into_client_request()
            .map_err(|e| TransportError::Protocol(format!("invalid WebSocket URL: {e}")))?;
        let headers = req.headers_mut();
        if offer {
            headers.insert(
                "Sec-WebSocket-Protocol",
                HeaderValue::from_static(SUBPROTOCOLS),
            );
        }
        for (name, value) in self.access.headers(false) {
            let value = HeaderValue::from_str(&value).map_err(|_| {
                TransportError::Protocol(format!("{name} cannot be sent as an HTTP header"))
            })?;
            headers.insert(name, value);
        }
        headers.insert(
            "User-Agent",
            HeaderValue::from_static(concat!("libsql-shell/", env!("CARGO_PKG_VERSION"))),
        );
        let connector = self.tls.clone().map(tungstenite::Connector::Rustls);
        let (ws, resp) = match tungstenite::client_tls_with_config(req, tcp, None, connector) {
            Ok(x) => x,
            Err(HandshakeError::Interrupted(_)) => {
                return Err(TransportError::Timeout(self.timeout.as_secs()))
            }
            Err(HandshakeError::Failure(E::Protocol(
                ProtocolError::SecWebSocketSubProtocolError(SubProtocolError::NoSubProtocol),
            ))) if offer => return Ok(None),
            Err(HandshakeError::Failure(e)) => return Err(self.handshake_error(e)),
        };
        let echoed = resp
            .headers()
            .get("Sec-WebSocket-Protocol")
            .map(|v| v.to_str().unwrap_or("").trim().to_string());
        let version = match echoed.as_deref() {
            Some("hrana3") => Version::V3,
            Some("hrana2") => Version::V2,
            Some("hrana1") | None => Version::V1,
            Some(other) => {
                return Err(TransportError::Protocol(format!(
                    "the server chose the WebSocket subprotocol {other:?}, which was not offered"
                )))
            }
        };
        Ok(Some((ws, version)))
    }

    fn handshake_error(&self, e: tungstenite::Error) -> TransportError {
        use tungstenite::Error as E;
        let offered = SUBPROTOCOLS.replace(',', ", ");
        match e {
            E::Http(resp) => {
                let status = resp.status().as_u16();
                let raw = resp.body().as_deref().unwrap_or_default();
                let body = self.excerpt(raw);
                let message = self.access.refusal_message(raw);
                if let Some(e) = self.access.namespace_error(&message) {
                    return e;
                }
                match status {
                    401 => TransportError::Auth(message),
                    403 => TransportError::Forbidden(message),
                    400 => TransportError::Protocol(format!(
                        "the server refused the WebSocket subprotocols {offered} (HTTP 400: {body})"
                    )),
                    // Turso's AWS-hosted databases answer the upgrade with 505: they speak
                    // Hrana over HTTP only.
                    _ => TransportError::Http {
                        status,
                        body: format!(
                            "WebSocket handshake refused: {body}; the server may not offer \
                             WebSocket at all: use https:// or libsql:// (HTTP) instead"
                        ),
                    },
                }
            }
            E::Protocol(ProtocolError::SecWebSocketSubProtocolError(_)) => {
                TransportError::Protocol(format!(
                    "the server did not accept any of the WebSocket subprotocols {offered}"
                ))
            }
            E::Tls(e) => self.connect_error(format!("TLS handshake failed: {e}")),
            E::Io(e) if is_timeout(&e) => TransportError::Timeout(self.timeout.as_secs()),
            E::Io(e) if e.kind() == io::ErrorKind::InvalidData && self.url.starts_with("wss:") => {
                self.connect_error(format!("TLS handshake failed: {e}"))
            }
            E::Io(_) | E::ConnectionClosed | E::AlreadyClosed => self.connect_error(
                "the server closed the connection during the WebSocket handshake".into(),
            ),
            E::Url(e) => TransportError::Protocol(format!("invalid WebSocket URL: {e}")),
            other => TransportError::Protocol(format!(
                "WebSocket handshake failed: {}",
                self.scrub(&other.to_string())
            )),
        }
    }
}
