//! One HTTP client for a database: POST a JSON body, read the whole answer (or hand its
//! body over to be read as it arrives, for a cursor), and turn what
//! can go wrong (DNS, a refused connection, TLS, timeouts, error statuses) into a
//! [`TransportError`] that never quotes the token. Every round trip is reported to
//! `--trace`.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use crate::transport::access::Access;
use crate::transport::endpoint::Endpoint;
use crate::transport::error::TransportError;
use crate::transport::trace;

/// The body of an answer, read as it arrives.
pub type BodyReader = Box<dyn Read + Send + Sync + 'static>;

pub struct Client {
    agent: ureq::Agent,
    /// For bodies read as they arrive (cursors): each read must come within the timeout,
    /// not the whole body.
    stream_agent: ureq::Agent,
    host: String,
    port: u16,
    access: Access,
    timeout: Duration,
}

impl Client {
    /// A client for `endpoint`'s host, sending its access headers with every request.
    pub fn new(endpoint: &Endpoint) -> Self {
        let Endpoint {
            host,
            port,
            access,
            timeout,
            tls,
            ..
        } = endpoint;
        Client {
            agent: agent(*timeout, tls.clone()),
            stream_agent: stream_agent(*timeout, tls.clone()),
            host: host.clone(),
            port: *port,
            access: access.clone(),
            timeout: *timeout,
        }
    }

    pub fn access(&self) -> &Access {
        &self.access
    }

    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }

    /// POST a JSON body; returns the status and the whole body (read from the reader, with
    /// no size cap), or a transport error. 4xx/5xx are returned as statuses, not errors.
    /// `protocol` and `counts` (requests, statements) are only for `--trace`.
    pub fn post(
        &self,
        url: &str,
        body: &[u8],
        protocol: &str,
        counts: (usize, usize),
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let started = std::time::Instant::now();
        let endpoint = format!("POST {url}");
        let result = self.post_inner(url, body);
        match &result {
            Ok((status, bytes)) => trace::round_trip(trace::RoundTrip {
                endpoint: &endpoint,
                protocol,
                requests: counts.0,
                statements: counts.1,
                sent: body.len(),
                received: bytes.len(),
                status: Some(*status),
                elapsed: started.elapsed(),
            }),
            Err(e) => trace::failed(&endpoint, protocol, started.elapsed(), &e.to_string()),
        }
        result
    }

    fn post_inner(&self, url: &str, body: &[u8]) -> Result<(u16, Vec<u8>), TransportError> {
        let resp = self.send(&self.agent, url, body)?;
        let status = resp.status();
        let mut buf = Vec::new();
        resp.into_reader()
            .read_to_end(&mut buf)
            .map_err(|e| self.io_error(&e))?;
        Ok((status, buf))
    }

    /// POST a JSON body; the answer's headers have arrived, its body is unread.
    fn send(
        &self,
        agent: &ureq::Agent,
        url: &str,
        body: &[u8],
    ) -> Result<ureq::Response, TransportError> {
        // Every header the database needs: token, namespace, encryption key.
        let mut req = agent.post(url).set("Content-Type", "application/json");
        for (name, value) in self.access.headers(true) {
            req = req.set(name, &value);
        }
        match req.send_bytes(body) {
            Ok(r) => Ok(r),
            Err(ureq::Error::Status(_, r)) => Ok(r),
            Err(ureq::Error::Transport(t)) => Err(self.transport_error(&t)),
        }
    }

    /// POST a JSON body whose answer is read as it arrives (a cursor): the reader of a 2xx
    /// body, or the status and whole body of any other answer. Each read must come within
    /// the timeout (the whole body may take longer). Not traced here: the caller knows when
    /// the body ends.
    pub fn post_reader(
        &self,
        url: &str,
        body: &[u8],
    ) -> Result<Result<BodyReader, (u16, Vec<u8>)>, TransportError> {
        let resp = self.send(&self.stream_agent, url, body)?;
        let status = resp.status();
        if (200..300).contains(&status) {
            return Ok(Ok(resp.into_reader()));
        }
        let mut buf = Vec::new();
        resp.into_reader()
            .read_to_end(&mut buf)
            .map_err(|e| self.io_error(&e))?;
        Ok(Err((status, buf)))
    }

    fn transport_error(&self, t: &ureq::Transport) -> TransportError {
        use std::error::Error as _;
        let host = self.host.clone();
        let port = self.port;
        match t.kind() {
            ureq::ErrorKind::Dns => TransportError::Connect {
                host,
                port,
                reason: "DNS lookup failed".into(),
            },
            ureq::ErrorKind::ConnectionFailed => {
                let detail = t
                    .source()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "connection failed".into());
                let reason = if detail.to_ascii_lowercase().contains("refused") {
                    "connection refused".to_string()
                } else if detail.to_ascii_lowercase().contains("certificate")
                    || detail.contains("tls")
                    || detail.contains("TLS")
                {
                    format!("TLS handshake failed: {detail}")
                } else {
                    detail
                };
                TransportError::Connect { host, port, reason }
            }
            ureq::ErrorKind::Io => {
                match t.source().and_then(|s| s.downcast_ref::<std::io::Error>()) {
                    Some(io) => self.io_error(io),
                    None => TransportError::ConnectionLost {
                        reason: t.to_string(),
                        outcome: TransportError::OUTCOME_UNKNOWN,
                    },
                }
            }
            ureq::ErrorKind::BadStatus | ureq::ErrorKind::BadHeader => {
                TransportError::ConnectionLost {
                    reason: format!("invalid HTTP response ({})", t.kind()),
                    outcome: TransportError::OUTCOME_UNKNOWN,
                }
            }
            _ => TransportError::Protocol(t.to_string()),
        }
    }

    /// What a failed read of an answer means (a timeout, or the connection lost).
    pub fn io_error(&self, e: &std::io::Error) -> TransportError {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::TimedOut | K::WouldBlock => TransportError::Timeout(self.timeout.as_secs()),
            K::ConnectionRefused => TransportError::Connect {
                host: self.host.clone(),
                port: self.port,
                reason: "connection refused".into(),
            },
            _ => TransportError::ConnectionLost {
                reason: format!("the server closed the connection ({e})"),
                outcome: TransportError::OUTCOME_UNKNOWN,
            },
        }
    }

    /// Map a non-2xx status to an error; `None` means "this endpoint does not exist".
    pub fn status_error(
        &self,
        status: u16,
        body: &[u8],
        had_baton: bool,
    ) -> Option<TransportError> {
        let text = self.excerpt(body);
        let message = self.access.refusal_message(body);
        if let Some(e) = self.access.namespace_error(&message) {
            return Some(e);
        }
        Some(match status {
            401 => TransportError::Auth(message),
            403 => TransportError::Forbidden(message),
            404 => return None,
            400 if text.contains("STREAM_EXPIRED")
                || (had_baton && text.to_ascii_lowercase().contains("baton")) =>
            {
                TransportError::StreamExpired
            }
            _ => TransportError::Http { status, body: text },
        })
    }

    pub fn scrub(&self, s: &str) -> String {
        self.access.scrub(s)
    }

    /// The start of a body for a message, every secret removed before it is cut.
    pub fn excerpt(&self, body: &[u8]) -> String {
        self.access.excerpt(body)
    }
}

fn agent(timeout: Duration, tls: Option<Arc<rustls::ClientConfig>>) -> ureq::Agent {
    build(ureq::AgentBuilder::new().timeout(timeout), tls)
}

/// An agent whose timeout applies to each step (connecting, each write, each read), for
/// bodies that may take longer than the timeout in all.
fn stream_agent(timeout: Duration, tls: Option<Arc<rustls::ClientConfig>>) -> ureq::Agent {
    let b = ureq::AgentBuilder::new()
        .timeout_connect(timeout)
        .timeout_read(timeout)
        .timeout_write(timeout);
    build(b, tls)
}

fn build(b: ureq::AgentBuilder, tls: Option<Arc<rustls::ClientConfig>>) -> ureq::Agent {
    let mut b = b.user_agent(concat!("libsql-shell/", env!("CARGO_PKG_VERSION")));
    if let Some(tls) = tls {
        b = b.tls_config(tls);
    }
    b.build()
}
