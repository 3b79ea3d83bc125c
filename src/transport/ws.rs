//! Hrana over WebSocket (JSON text frames): one socket, one thread, blocking.
//!
//! The handshake offers `hrana3,hrana2,hrana1` and the server's echo decides the version
//! (an old server that echoes nothing is retried without the offer and spoken to in hrana1).
//! `hello` carries the token and is written right after the handshake; its answer is read
//! with the first pipeline's responses, so authenticating costs no extra round trip.
//!
//! A pipeline is one burst of `request` messages (`open_stream` if no stream is open, the
//! requests, `close_stream` when the stream ends), all written before any response is read;
//! responses are matched by `request_id` and replayed to the sink in request order as soon as
//! every earlier one is in. The socket lives as long as the transport; after it is lost the
//! next pipeline connects again (on a new stream: whatever the old one held is gone).
//!
//! The burst is written whole before reading. That is safe for the session's pipelines (at
//! most four messages, one of them large): the server reads a message completely before it
//! answers, and the small messages after a large one fit in the socket buffers.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tungstenite::client::IntoClientRequest;
use tungstenite::error::{ProtocolError, SubProtocolError};
use tungstenite::handshake::HandshakeError;
use tungstenite::http::HeaderValue;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use super::replay::{replay, unsupported, v2_batch};
use super::{
    After, Capabilities, Pending, PipelineError, Request, RequestResult, SqlError, StepSink,
    Transport, TransportError, TransportInfo,
};
use crate::hrana::{ClientMsg, ServerMsg, WireBatch, WireError, WireStmt, WsRequest, WsResponse};
use crate::token::AuthToken;
use crate::trace;

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// Offered in the server's own order of preference. tungstenite compares the echo against
/// the offer split on `,` without trimming, so the list must have no spaces.
const SUBPROTOCOLS: &str = "hrana3,hrana2,hrana1";

pub struct WsTransport {
    url: String,
    host: String,
    port: u16,
    token: Option<AuthToken>,
    timeout: Duration,
    /// The negotiated Hrana version (1, 2 or 3).
    version: u8,
    /// `None` once the connection is lost (the next pipeline reconnects).
    conn: Option<Conn>,
    stream_id: Option<i32>,
    next_stream_id: i32,
    next_request_id: i32,
    /// Bytes of messages received, for `--trace`.
    received: std::cell::Cell<usize>,
    /// The TLS client configuration for `wss://` (tungstenite's default roots when `None`).
    tls: Option<Arc<rustls::ClientConfig>>,
}

struct Conn {
    ws: Socket,
    /// `hello` was sent and its answer not read yet.
    hello_pending: bool,
}

/// What a message of the burst is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Open,
    /// Request `i` of the pipeline.
    User(usize),
    Close,
}

impl WsTransport {
    /// Connect, negotiate the subprotocol and send `hello` (its answer is read later).
    pub fn connect(
        url: &str,
        host: &str,
        port: u16,
        token: Option<AuthToken>,
        timeout: Duration,
    ) -> Result<Self, TransportError> {
        Self::connect_with_tls(url, host, port, token, timeout, None)
    }

    /// [`WsTransport::connect`] with this TLS client configuration (see [`super::tls`]).
    pub fn connect_with_tls(
        url: &str,
        host: &str,
        port: u16,
        token: Option<AuthToken>,
        timeout: Duration,
        tls: Option<Arc<rustls::ClientConfig>>,
    ) -> Result<Self, TransportError> {
        let mut t = WsTransport {
            url: url.to_string(),
            host: host.to_string(),
            port,
            token,
            timeout,
            version: 3,
            conn: None,
            stream_id: None,
            next_stream_id: 1,
            next_request_id: 1,
            received: std::cell::Cell::new(0),
            tls,
        };
        t.reconnect()?;
        Ok(t)
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.conn = None;
        self.stream_id = None;
        let (mut ws, version) = match self.handshake(true)? {
            Some(x) => x,
            None => self.handshake(false)?.expect("no offer, no refusal"),
        };
        let hello = ClientMsg::Hello {
            jwt: self.token.as_ref().map(|t| t.expose().to_string()),
        };
        let text = serde_json::to_string(&hello).expect("hello serializes");
        ws.send(Message::Text(text))
            .map_err(|e| self.socket_error(e, false))?;
        self.version = version;
        self.conn = Some(Conn {
            ws,
            hello_pending: true,
        });
        Ok(())
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
    fn handshake(&self, offer: bool) -> Result<Option<(Socket, u8)>, TransportError> {
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
            Some("hrana3") => 3,
            Some("hrana2") => 2,
            Some("hrana1") | None => 1,
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
                let body = self.excerpt(resp.body().as_deref().unwrap_or_default());
                match status {
                    401 => TransportError::Auth(body),
                    403 => TransportError::Forbidden(body),
                    400 => TransportError::Protocol(format!(
                        "the server refused the WebSocket subprotocols {offered} (HTTP 400: {body})"
                    )),
                    _ => TransportError::Http {
                        status,
                        body: format!("WebSocket handshake refused: {body}"),
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

    fn scrub(&self, s: &str) -> String {
        super::replay::scrub(self.token.as_ref(), s)
    }

    fn excerpt(&self, bytes: &[u8]) -> String {
        super::replay::excerpt(self.token.as_ref(), bytes)
    }

    /// A socket failure; `unanswered` says whether a request of ours may have run.
    fn socket_error(&self, e: tungstenite::Error, unanswered: bool) -> TransportError {
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

    /// Write the burst, then read and replay every response. `Ok(false)`: all answers that
    /// matter are in but the socket is gone. On a transport error the caller drops `conn`.
    fn run(
        &mut self,
        conn: &mut Conn,
        msgs: &[(i32, Slot)],
        texts: Vec<String>,
        reqs: &[Request],
        out: &mut [Option<RequestResult>],
        sink: &mut dyn StepSink,
    ) -> Result<bool, PipelineError> {
        let sent: usize = texts.iter().map(String::len).sum();
        self.traced(msgs.len(), reqs, sent, |t| {
            t.exchange(conn, msgs, texts, reqs, out, sink)
        })
    }

    /// Run one exchange of messages and report it to `--trace` (a sink's failure still
    /// counts as a completed round trip).
    fn traced<T>(
        &mut self,
        messages: usize,
        reqs: &[Request],
        sent: usize,
        exchange: impl FnOnce(&mut Self) -> Result<T, PipelineError>,
    ) -> Result<T, PipelineError> {
        let started = Instant::now();
        self.received.set(0);
        let result = exchange(self);
        let protocol = format!("hrana{}", self.version);
        match &result {
            Ok(_) | Err(PipelineError::Sink(_)) => trace::round_trip(trace::RoundTrip {
                endpoint: &self.url,
                protocol: &protocol,
                requests: messages,
                statements: trace::statements(reqs),
                sent,
                received: self.received.get(),
                status: None,
                elapsed: started.elapsed(),
            }),
            Err(e) => trace::failed(&self.url, &protocol, started.elapsed(), &e.to_string()),
        }
        result
    }

    /// Send a burst's messages (flushed as one write where the socket allows).
    fn write_burst(&self, conn: &mut Conn, texts: Vec<String>) -> Result<(), TransportError> {
        for text in texts {
            conn.ws
                .write(Message::Text(text))
                .map_err(|e| self.socket_error(e, true))?;
        }
        conn.ws.flush().map_err(|e| self.socket_error(e, true))
    }

    fn exchange(
        &mut self,
        conn: &mut Conn,
        msgs: &[(i32, Slot)],
        texts: Vec<String>,
        reqs: &[Request],
        out: &mut [Option<RequestResult>],
        sink: &mut dyn StepSink,
    ) -> Result<bool, PipelineError> {
        self.write_burst(conn, texts)?;

        let mut answers: Vec<Option<Result<WsResponse, WireError>>> = vec![None; msgs.len()];
        let mut next = 0;
        let mut open_error: Option<SqlError> = None;
        let mut sink_error: Option<anyhow::Error> = None;
        let mut alive = true;
        while next < msgs.len() {
            let msg = match self.read_message(conn) {
                Ok(m) => m,
                // Every answer that matters is in; only `close_stream` was pending, and the
                // stream is gone with the socket either way.
                Err(_) if msgs[next..].iter().all(|m| m.1 == Slot::Close) => {
                    alive = false;
                    break;
                }
                Err(e) => {
                    let unanswered = msgs[next..].iter().any(|m| matches!(m.1, Slot::User(_)));
                    let before_hello = if conn.hello_pending {
                        " before answering hello"
                    } else {
                        ""
                    };
                    return Err(match e {
                        Read::Socket(e) => self.socket_error(*e, unanswered),
                        Read::Closed(reason) => TransportError::ConnectionLost {
                            reason: format!("{reason}{before_hello}"),
                            outcome: outcome(unanswered),
                        },
                        Read::Fatal(te) => te,
                    }
                    .into());
                }
            };
            let (id, answer) = match msg {
                ServerMsg::HelloOk {} => {
                    conn.hello_pending = false;
                    continue;
                }
                ServerMsg::HelloError { error } => {
                    return Err(TransportError::Auth(self.scrub(&error.message)).into())
                }
                ServerMsg::ResponseOk {
                    request_id,
                    response,
                } => (request_id, Ok(response)),
                ServerMsg::ResponseError { request_id, error } => (request_id, Err(error)),
                ServerMsg::Unknown => continue,
            };
            let Some(pos) = msgs[next..].iter().position(|m| m.0 == id) else {
                continue; // not one of ours (or answered twice): ignore it
            };
            answers[next + pos] = Some(answer);
            while let Some(answer) = answers.get_mut(next).and_then(Option::take) {
                match (msgs[next].1, answer) {
                    (Slot::Open, Err(e)) => open_error = Some(e.into()),
                    (Slot::User(i), answer) if open_error.is_none() && sink_error.is_none() => {
                        match replay(i, &reqs[i], answer.map(Into::into), sink) {
                            Ok(r) => out[i] = Some(r),
                            // Keep reading, so the connection and the stream stay in step.
                            Err(PipelineError::Sink(e)) => sink_error = Some(e),
                            Err(e) => return Err(e),
                        }
                    }
                    _ => {}
                }
                next += 1;
            }
        }
        if let Some(e) = sink_error {
            return Err(PipelineError::Sink(e));
        }
        if let Some(e) = open_error {
            self.stream_id = None;
            return Err(TransportError::Protocol(format!(
                "the server could not open a stream: {}",
                self.scrub(&e.to_string())
            ))
            .into());
        }
        Ok(alive)
    }

    /// The next Hrana message's text. Pings are answered by tungstenite (its pong goes out
    /// with the next read or write). Each message must come within the timeout.
    fn read_text(&self, conn: &mut Conn) -> Result<String, Read> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Read::Fatal(TransportError::Timeout(self.timeout.as_secs())));
            }
            if let Some(tcp) = tcp_of(conn.ws.get_ref()) {
                let _ = tcp.set_read_timeout(Some(left));
            }
            let text = match conn.ws.read() {
                Ok(Message::Text(t)) => t,
                Ok(Message::Binary(_)) => {
                    return Err(Read::Fatal(TransportError::Protocol(
                        "the server sent a binary frame on a JSON connection".into(),
                    )))
                }
                Ok(Message::Close(frame)) => {
                    let detail = frame.map_or(String::new(), |f| match f.reason.as_ref() {
                        "" => format!(" (code {})", u16::from(f.code)),
                        r => format!(" (code {}: {})", u16::from(f.code), self.scrub(r)),
                    });
                    let reason = format!("the server closed the WebSocket{detail}");
                    return Err(Read::Closed(reason));
                }
                Ok(_) => continue,
                Err(e) => return Err(Read::Socket(Box::new(e))),
            };
            self.received.set(self.received.get() + text.len());
            return Ok(text);
        }
    }

    fn read_message(&self, conn: &mut Conn) -> Result<ServerMsg, Read> {
        let text = self.read_text(conn)?;
        parse_message(&text, self.token.as_ref()).map_err(Read::Fatal)
    }

    /// [`Transport::pipeline_ahead`] on an open stream: send the requests, read their answers
    /// as text (only the leading `request_id` of each is decoded) and leave the rest to
    /// [`Pending::finish`]. `None`: this pipeline cannot be read ahead (run it in full).
    fn send_ahead(&mut self, reqs: &[Request]) -> Option<Result<Box<dyn Pending>, PipelineError>> {
        let stream_id = self.stream_id?;
        let conn = self.conn.as_ref()?;
        if conn.hello_pending || idle_socket_closed(conn) {
            return None;
        }
        let requests: Vec<WsRequest> = reqs
            .iter()
            .map(|r| to_ws_request(r, stream_id, self.version).ok())
            .collect::<Option<_>>()?;
        let mut burst = Burst::default();
        for (i, req) in requests.into_iter().enumerate() {
            burst.push(&mut self.next_request_id, Slot::User(i), req);
        }
        let mut conn = self.conn.take().expect("checked above");
        let sent: usize = burst.texts.iter().map(String::len).sum();
        let result = self.traced(reqs.len(), reqs, sent, |t| t.read_ahead(&mut conn, burst));
        match result {
            Ok(_) => self.conn = Some(conn),
            Err(_) => self.stream_id = None,
        }
        Some(result.map(|texts| {
            Box::new(WsUnread {
                reqs: reqs.to_vec(),
                texts,
                token: self.token.clone(),
            }) as Box<dyn Pending>
        }))
    }

    /// Write the burst and read one answer per request, in request order, as text.
    fn read_ahead(&self, conn: &mut Conn, burst: Burst) -> Result<Vec<String>, PipelineError> {
        self.write_burst(conn, burst.texts)?;
        let mut answers: Vec<Option<String>> = vec![None; burst.slots.len()];
        while answers.iter().any(Option::is_none) {
            let text = self.read_text(conn).map_err(|e| match e {
                Read::Socket(e) => self.socket_error(*e, true),
                Read::Closed(reason) => TransportError::ConnectionLost {
                    reason,
                    outcome: TransportError::OUTCOME_UNKNOWN,
                },
                Read::Fatal(te) => te,
            })?;
            let id = match peek_request_id(&text) {
                Some(id) => id,
                None => match parse_message(&text, self.token.as_ref())? {
                    ServerMsg::ResponseOk { request_id, .. }
                    | ServerMsg::ResponseError { request_id, .. } => request_id,
                    ServerMsg::HelloError { error } => {
                        return Err(TransportError::Auth(self.scrub(&error.message)).into())
                    }
                    ServerMsg::HelloOk {} | ServerMsg::Unknown => continue,
                },
            };
            if let Some(k) = burst.slots.iter().position(|s| s.0 == id) {
                answers[k] = Some(text);
            }
        }
        Ok(answers.into_iter().flatten().collect())
    }
}

/// A message as [`ServerMsg`], or why it is not one.
fn parse_message(text: &str, token: Option<&AuthToken>) -> Result<ServerMsg, TransportError> {
    serde_json::from_str(text).map_err(|e| {
        TransportError::Protocol(format!(
            "the server sent a message that is not Hrana JSON ({e}): {}",
            super::replay::excerpt(token, text.as_bytes())
        ))
    })
}

/// The `request_id` of a response that starts `{"type":"response_ok","request_id":N,` (or
/// `response_error`), as sqld writes them; `None` for anything else (decode it in full).
fn peek_request_id(text: &str) -> Option<i32> {
    let rest = text
        .strip_prefix(r#"{"type":"response_ok","request_id":"#)
        .or_else(|| text.strip_prefix(r#"{"type":"response_error","request_id":"#))?;
    let end = rest.find(',')?;
    rest[..end].parse().ok()
}

/// Answers read ahead as text, decoded by [`Pending::finish`].
struct WsUnread {
    reqs: Vec<Request>,
    /// One per request, in order.
    texts: Vec<String>,
    token: Option<AuthToken>,
}

impl Pending for WsUnread {
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let mut out = Vec::with_capacity(self.reqs.len());
        for (i, (req, text)) in self.reqs.iter().zip(&self.texts).enumerate() {
            let answer = match parse_message(text, self.token.as_ref())? {
                ServerMsg::ResponseOk { response, .. } => Ok(response.into()),
                ServerMsg::ResponseError { error, .. } => Err(error),
                _ => {
                    return Err(TransportError::Protocol(
                        "a response read ahead is not a response".into(),
                    )
                    .into())
                }
            };
            out.push(replay(i, req, answer, sink)?);
        }
        Ok(out)
    }
}

/// The messages of one pipeline, serialized, with what each is for.
#[derive(Default)]
struct Burst {
    slots: Vec<(i32, Slot)>,
    texts: Vec<String>,
}

impl Burst {
    fn push(&mut self, next_id: &mut i32, slot: Slot, request: WsRequest) {
        let request_id = *next_id;
        *next_id = request_id.checked_add(1).unwrap_or(1);
        let msg = ClientMsg::Request {
            request_id,
            request,
        };
        self.texts
            .push(serde_json::to_string(&msg).expect("requests serialize"));
        self.slots.push((request_id, slot));
    }
}

/// Why reading the next message failed.
enum Read {
    Socket(Box<tungstenite::Error>),
    /// A close frame, with its description.
    Closed(String),
    Fatal(TransportError),
}

fn outcome(unanswered: bool) -> &'static str {
    if unanswered {
        TransportError::OUTCOME_UNKNOWN
    } else {
        TransportError::NOTHING_APPLIED
    }
}

fn is_timeout(e: &io::Error) -> bool {
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

/// Whether the server went away while the connection sat idle (EOF or reset, seen without
/// blocking), so that a burst is not sent into a dead socket. Unread data (a ping, a close
/// frame) counts as alive: the burst's reading deals with it.
fn idle_socket_closed(conn: &Conn) -> bool {
    let Some(tcp) = tcp_of(conn.ws.get_ref()) else {
        return false;
    };
    if tcp.set_nonblocking(true).is_err() {
        return false;
    }
    let closed = match tcp.peek(&mut [0u8; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    closed | tcp.set_nonblocking(false).is_err()
}

fn to_ws_request(r: &Request, stream_id: i32, version: u8) -> Result<WsRequest, SqlError> {
    Ok(match r {
        Request::Execute(s) => WsRequest::Execute {
            stream_id,
            stmt: WireStmt::from(s),
        },
        Request::Batch(b) if version >= 3 => WsRequest::Batch {
            stream_id,
            batch: WireBatch::from(b),
        },
        Request::Batch(b) => WsRequest::Batch {
            stream_id,
            batch: WireBatch::from(&v2_batch(b)),
        },
        Request::Sequence(_) if version < 2 => {
            return Err(unsupported("`sequence` needs hrana2 or later"))
        }
        Request::Sequence(sql) => WsRequest::Sequence {
            stream_id,
            sql: Some(sql.clone()),
            sql_id: None,
        },
        Request::GetAutocommit if version < 3 => {
            return Err(unsupported("`get_autocommit` needs hrana3"))
        }
        Request::GetAutocommit => WsRequest::GetAutocommit { stream_id },
    })
}

impl Transport for WsTransport {
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        if reqs.is_empty() && after == After::Close && self.stream_id.is_none() {
            return Ok(Vec::new());
        }
        if self.conn.as_ref().is_some_and(idle_socket_closed) {
            self.conn = None;
            if self.stream_id.take().is_some() {
                return Err(TransportError::ConnectionLost {
                    reason: "the server closed the connection while the stream was idle".into(),
                    outcome: TransportError::NOTHING_APPLIED,
                }
                .into());
            }
        }
        if self.conn.is_none() {
            self.reconnect()?;
        }
        let mut out: Vec<Option<RequestResult>> = vec![None; reqs.len()];
        let mut burst = Burst::default();
        let ids = &mut self.next_request_id;
        let stream_id = match self.stream_id {
            Some(s) => s,
            None => {
                let s = self.next_stream_id;
                self.next_stream_id = s.checked_add(1).unwrap_or(1);
                burst.push(ids, Slot::Open, WsRequest::OpenStream { stream_id: s });
                s
            }
        };
        for (i, r) in reqs.iter().enumerate() {
            match to_ws_request(r, stream_id, self.version) {
                Ok(req) => burst.push(ids, Slot::User(i), req),
                Err(e) => out[i] = Some(Err(e)),
            }
        }
        if after == After::Close {
            burst.push(ids, Slot::Close, WsRequest::CloseStream { stream_id });
        }
        self.stream_id = (after == After::KeepOpen).then_some(stream_id);
        let mut conn = self.conn.take().expect("connected");
        let Burst { slots, texts } = burst;
        match self.run(&mut conn, &slots, texts, reqs, &mut out, sink) {
            Ok(true) => self.conn = Some(conn),
            Ok(false) => self.stream_id = None,
            Err(e @ PipelineError::Sink(_)) => {
                self.conn = Some(conn);
                return Err(e);
            }
            Err(e) => {
                self.stream_id = None;
                return Err(e);
            }
        }
        // Every slot is filled: answered, or refused locally.
        Ok(out.into_iter().flatten().collect())
    }

    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        match self.send_ahead(reqs) {
            Some(result) => result,
            None => super::run_ahead(self, reqs),
        }
    }

    fn stream_open(&self) -> bool {
        self.stream_id.is_some()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            autocommit_queries: self.version >= 3,
            streams: true,
        }
    }

    fn info(&self) -> TransportInfo {
        TransportInfo {
            kind: "ws",
            protocol: format!("hrana{} over WebSocket (JSON)", self.version),
            endpoint: self.url.clone(),
        }
    }
}

impl Drop for WsTransport {
    /// Say goodbye with a close frame (best effort, without waiting for the answer); the
    /// server drops the stream, rolling back whatever it still held.
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = conn.ws.close(None);
            let _ = conn.ws.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_id_is_read_from_the_head_of_a_response() {
        assert_eq!(
            peek_request_id(r#"{"type":"response_ok","request_id":12,"response":{}}"#),
            Some(12)
        );
        assert_eq!(
            peek_request_id(r#"{"type":"response_error","request_id":3,"error":{}}"#),
            Some(3)
        );
        for other in [
            r#"{"request_id":12,"type":"response_ok","response":{}}"#,
            r#"{"type":"hello_ok"}"#,
            r#"{"type":"response_ok","request_id":"x","response":{}}"#,
            r#"{"type":"response_ok", "request_id":1,"response":{}}"#,
            "",
        ] {
            assert_eq!(peek_request_id(other), None, "{other}");
        }
    }
}
