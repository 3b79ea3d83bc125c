//! One WebSocket connection to a Hrana server: the [`Peer`] (where it is and how to talk to
//! it), the open [`Conn`], reading one message within the timeout, writing a burst, and
//! what each socket failure means for the request in flight.

use std::io;
use std::net::TcpStream;
use std::time::Instant;

use tungstenite::error::ProtocolError;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::token::AuthToken;
use crate::transport::access::Access;
use crate::transport::endpoint::Endpoint;
use crate::transport::error::TransportError;
use crate::transport::hrana::ServerMsg;

pub type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// Where the server is and how to speak to it, fixed for the transport's life: its
/// [`Endpoint`] (the token is sent in `hello`, the namespace and the key with the handshake;
/// `tls: None` means tungstenite's default roots).
pub struct Peer(pub Endpoint);

impl std::ops::Deref for Peer {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.0
    }
}

pub struct Conn {
    pub ws: Socket,
    /// `hello` was sent and its answer not read yet.
    pub hello_pending: bool,
    /// Bytes of messages received since the counter was last reset, for `--trace`.
    pub received: usize,
}

/// Why reading the next message failed.
pub enum ReadError {
    Socket(Box<tungstenite::Error>),
    /// A close frame, with its description.
    Closed(String),
    Fatal(TransportError),
}

impl Peer {
    pub fn token(&self) -> Option<&AuthToken> {
        self.access.token.as_ref()
    }

    pub fn scrub(&self, s: &str) -> String {
        self.access.scrub(s)
    }

    /// The start of a message for an error, every secret removed before it is cut.
    pub fn excerpt(&self, bytes: &[u8]) -> String {
        self.access.excerpt(bytes)
    }

    /// A socket failure; `unanswered` says whether a request of ours may have run.
    pub fn socket_error(&self, e: tungstenite::Error, unanswered: bool) -> TransportError {
        use tungstenite::Error as E;
        let reason = match e {
            E::Io(e) if is_timeout(&e) => return TransportError::Timeout(self.timeout.as_secs()),
            E::Io(e) => format!("the server closed the connection ({e})"),
            E::ConnectionClosed
            | E::AlreadyClosed
            | E::Protocol(ProtocolError::ResetWithoutClosingHandshake) => {
                "the server closed the connection".into()
            }
            other => format!("WebSocket error: {}", self.scrub(&other.to_string())),
        };
        TransportError::ConnectionLost {
            reason,
            outcome: outcome(unanswered),
        }
    }

    /// Send a burst's messages (flushed as one write where the socket allows).
    pub fn write_burst(&self, conn: &mut Conn, texts: Vec<String>) -> Result<(), TransportError> {
        for text in texts {
            conn.ws
                .write(Message::Text(text))
                .map_err(|e| self.socket_error(e, true))?;
        }
        conn.ws.flush().map_err(|e| self.socket_error(e, true))
    }

    /// The next Hrana message's text. Pings are answered by tungstenite (its pong goes out
    /// with the next read or write). Each message must come within the timeout.
    pub fn read_text(&self, conn: &mut Conn) -> Result<String, ReadError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(ReadError::Fatal(TransportError::Timeout(
                    self.timeout.as_secs(),
                )));
            }
            if let Some(tcp) = tcp_of(conn.ws.get_ref()) {
                let _ = tcp.set_read_timeout(Some(left));
            }
            let text = match conn.ws.read() {
                Ok(Message::Text(t)) => t,
                Ok(Message::Binary(_)) => {
                    return Err(ReadError::Fatal(TransportError::Protocol(
                        "the server sent a binary frame on a JSON connection".into(),
                    )))
                }
                Ok(Message::Close(frame)) => {
                    let detail = frame.map_or(String::new(), |f| match f.reason.as_ref() {
                        "" => format!(" (code {})", u16::from(f.code)),
                        r => format!(" (code {}: {})", u16::from(f.code), self.scrub(r)),
                    });
                    let reason = format!("the server closed the WebSocket{detail}");
                    return Err(ReadError::Closed(reason));
                }
                Ok(_) => continue,
                Err(e) => return Err(ReadError::Socket(Box::new(e))),
            };
            conn.received += text.len();
            return Ok(text);
        }
    }

    pub fn read_message(&self, conn: &mut Conn) -> Result<ServerMsg, ReadError> {
        let text = self.read_text(conn)?;
        parse_message(&text, &self.access).map_err(ReadError::Fatal)
    }
}

/// A message as [`ServerMsg`], or why it is not one.
pub fn parse_message(text: &str, access: &Access) -> Result<ServerMsg, TransportError> {
    serde_json::from_str(text).map_err(|e| {
        TransportError::Protocol(format!(
            "the server sent a message that is not Hrana JSON ({}): {}",
            access.scrub(&e.to_string()),
            access.excerpt(text.as_bytes())
        ))
    })
}

pub fn outcome(unanswered: bool) -> &'static str {
    if unanswered {
        TransportError::OUTCOME_UNKNOWN
    } else {
        TransportError::NOTHING_APPLIED
    }
}

pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The TCP socket under a (possibly TLS) stream, for its timeouts.
fn tcp_of(s: &MaybeTlsStream<TcpStream>) -> Option<&TcpStream> {
    match s {
        MaybeTlsStream::Plain(t) => Some(t),
        MaybeTlsStream::Rustls(t) => Some(&t.sock),
        _ => None,
    }
}

/// Whether the server went away while the connection sat idle (EOF, a reset, or a close
/// frame it sent meanwhile), so that a burst is not sent into a dead socket. Messages that
/// arrived while idle are read without blocking: pings are answered, a close frame means
/// the connection is gone, anything else is dropped (no request of ours is waiting).
pub fn idle_socket_closed(conn: &mut Conn) -> bool {
    let set_blocking = |conn: &Conn, nonblocking: bool| {
        tcp_of(conn.ws.get_ref()).is_some_and(|t| t.set_nonblocking(nonblocking).is_ok())
    };
    if !set_blocking(conn, true) {
        return false;
    }
    // Read until the socket would block: frames may already sit in tungstenite's buffer
    // (read with the last answers), so the socket alone cannot tell.
    let closed = loop {
        match conn.ws.read() {
            Ok(Message::Close(_)) => break true,
            // The answer to `hello` may come while idle: an accepted hello is no longer
            // awaited; a refused one means the server is closing the connection.
            Ok(Message::Text(text)) => match serde_json::from_str::<ServerMsg>(&text) {
                Ok(ServerMsg::HelloOk {}) => conn.hello_pending = false,
                Ok(ServerMsg::HelloError { .. }) => break true,
                _ => continue,
            },
            Ok(_) => continue,
            Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => break false,
            Err(_) => break true,
        }
    };
    closed | !set_blocking(conn, false)
}
