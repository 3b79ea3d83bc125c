//! Hrana over HTTP: `/v3/pipeline` (JSON), falling back to `/v2/pipeline` and then to the
//! stateless `/v1/execute` + `/v1/batch` when the server has no pipeline endpoint. The
//! version is decided once per connection, on the first request.
//!
//! A stream is named by a single-use baton; its requests are strictly serial. Autocommit
//! work sends `close` inside its own pipeline, so it never leaves a stream open.

use std::io::Read;
use std::time::Duration;

use super::keepalive::KeepAlive;
use super::replay::{replay, unsupported, v2_batch};
use super::{
    After, Capabilities, PipelineError, Request, RequestResult, SqlError, StepRef, StepSink,
    Transport, TransportError, TransportInfo,
};
use crate::hrana::{
    PipelineRequest, PipelineResponse, StreamRequest, StreamResponse, StreamResult, WireBatch,
    WireError, WireStmt,
};
use crate::token::AuthToken;
use crate::trace;

/// Which HTTP API the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpVersion {
    V3,
    V2,
    V1,
}

impl HttpVersion {
    fn name(self) -> &'static str {
        match self {
            HttpVersion::V3 => "hrana3",
            HttpVersion::V2 => "hrana2",
            HttpVersion::V1 => "http v1",
        }
    }

    fn pipeline_path(self) -> &'static str {
        match self {
            HttpVersion::V3 => "/v3/pipeline",
            HttpVersion::V2 => "/v2/pipeline",
            HttpVersion::V1 => "/v1",
        }
    }
}

pub struct HttpTransport {
    agent: ureq::Agent,
    base_url: String,
    host: String,
    port: u16,
    token: Option<AuthToken>,
    timeout: Duration,
    version: Option<HttpVersion>,
    baton: Option<String>,
    /// Where this stream's requests go (the server's `base_url`), if it said.
    stream_url: Option<String>,
    /// Holds the baton between pipelines and renews it (started with the first kept stream).
    keepalive: Option<KeepAlive>,
    keepalive_every: Duration,
}

impl HttpTransport {
    pub fn new(
        base_url: &str,
        host: &str,
        port: u16,
        token: Option<AuthToken>,
        timeout: Duration,
    ) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout(timeout)
            .user_agent(concat!("libsql-shell/", env!("CARGO_PKG_VERSION")))
            .build();
        HttpTransport {
            agent,
            base_url: base_url.trim_end_matches('/').to_string(),
            host: host.to_string(),
            port,
            token,
            timeout,
            version: None,
            baton: None,
            stream_url: None,
            keepalive: None,
            keepalive_every: super::keepalive::INTERVAL,
        }
    }

    /// How often an idle kept stream is renewed (default 4 s; sqld expires streams at 10 s).
    pub fn set_keepalive_interval(&mut self, every: Duration) {
        self.keepalive_every = every;
    }

    pub fn version(&self) -> Option<HttpVersion> {
        self.version
    }

    fn drop_stream(&mut self) {
        self.baton = None;
        self.stream_url = None;
    }

    /// POST a JSON body; returns the status and the whole body (read from the reader, with
    /// no size cap), or a transport error. 4xx/5xx are returned as statuses, not errors.
    /// `counts` (requests, statements) is only for `--trace`.
    fn post(
        &self,
        url: &str,
        body: &[u8],
        counts: (usize, usize),
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let started = std::time::Instant::now();
        let endpoint = format!("POST {url}");
        let protocol = self.version.map(HttpVersion::name).unwrap_or("negotiating");
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
        let mut req = self.agent.post(url).set("Content-Type", "application/json");
        if let Some(t) = &self.token {
            req = req.set("Authorization", &format!("Bearer {}", t.expose()));
        }
        let resp = match req.send_bytes(body) {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => return Err(self.transport_error(&t)),
        };
        let status = resp.status();
        let mut buf = Vec::new();
        resp.into_reader()
            .read_to_end(&mut buf)
            .map_err(|e| self.io_error(&e))?;
        Ok((status, buf))
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

    fn io_error(&self, e: &std::io::Error) -> TransportError {
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
    fn status_error(&self, status: u16, body: &[u8], had_baton: bool) -> Option<TransportError> {
        let text = self.excerpt(body);
        let message = error_message(body)
            .map(|m| self.scrub(&m))
            .unwrap_or_else(|| text.clone());
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

    fn scrub(&self, s: &str) -> String {
        super::replay::scrub(self.token.as_ref(), s)
    }

    fn excerpt(&self, body: &[u8]) -> String {
        super::replay::excerpt(self.token.as_ref(), body)
    }

    fn pipeline_v2v3(
        &mut self,
        version: HttpVersion,
        reqs: &[Request],
        after: After,
    ) -> Result<Option<PipelineResponse>, TransportError> {
        // `get_autocommit` is Hrana 3 only: a v2 server refuses the whole pipeline with a 400
        // after running the requests before it. The caller may have built this pipeline
        // before the version was known, so such requests are answered here, not sent.
        let local = |r: &Request| version == HttpVersion::V2 && matches!(r, Request::GetAutocommit);
        let mut requests: Vec<StreamRequest> = reqs
            .iter()
            .filter(|r| !local(r))
            .map(|r| to_stream_request(r, version))
            .collect();
        let sent = requests.len();
        let closing = after == After::Close;
        if closing {
            requests.push(StreamRequest::Close {});
        }
        let had_baton = self.baton.is_some();
        let body = serde_json::to_vec(&PipelineRequest {
            baton: self.baton.take(),
            requests,
        })
        .map_err(|e| TransportError::Protocol(e.to_string()))?;
        let base = self
            .stream_url
            .clone()
            .unwrap_or_else(|| self.base_url.clone());
        let url = format!("{base}{}", version.pipeline_path());
        let counts = (reqs.len(), trace::statements(reqs));
        let (status, bytes) = match self.post(&url, &body, counts) {
            Ok(x) => x,
            Err(e) => {
                self.drop_stream();
                return Err(e);
            }
        };
        if !(200..300).contains(&status) {
            self.drop_stream();
            return match self.status_error(status, &bytes, had_baton) {
                None if !had_baton => Ok(None),
                None => Err(TransportError::Http {
                    status,
                    body: self.excerpt(&bytes),
                }),
                Some(e) => Err(e),
            };
        }
        let mut resp: PipelineResponse = serde_json::from_slice(&bytes).map_err(|e| {
            self.drop_stream();
            if e.is_eof() {
                TransportError::ConnectionLost {
                    reason: "the response was cut short".into(),
                    outcome: TransportError::OUTCOME_UNKNOWN,
                }
            } else {
                TransportError::Protocol(format!(
                    "server answered HTTP {status} with a body that is not Hrana JSON: {}",
                    self.excerpt(&bytes)
                ))
            }
        })?;
        let expected = sent + usize::from(closing);
        if resp.results.len() != expected {
            self.drop_stream();
            return Err(TransportError::Protocol(format!(
                "server returned {} results for {expected} requests",
                resp.results.len()
            )));
        }
        if sent < reqs.len() {
            let mut answered = std::mem::take(&mut resp.results).into_iter();
            for r in reqs {
                resp.results.push(match local(r) {
                    true => StreamResult::Error {
                        error: WireError::from(&unsupported(
                            "get_autocommit needs Hrana 3; this server speaks Hrana 2",
                        )),
                    },
                    false => answered.next().expect("counted above"),
                });
            }
            resp.results.extend(answered);
        }
        if closing {
            self.drop_stream();
        } else {
            self.baton = resp.baton.clone();
            if let Some(u) = &resp.base_url {
                self.stream_url = Some(u.trim_end_matches('/').to_string());
            }
            if self.baton.is_none() {
                self.stream_url = None;
            }
        }
        Ok(Some(resp))
    }

    /// Legacy `/v1`: every request is its own HTTP request on a fresh connection.
    fn pipeline_v1(
        &mut self,
        reqs: &[Request],
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let mut out = Vec::with_capacity(reqs.len());
        for (i, r) in reqs.iter().enumerate() {
            let (path, body) = match r {
                Request::Execute(s) => (
                    "/v1/execute",
                    serde_json::json!({ "stmt": WireStmt::from(s) }),
                ),
                Request::Batch(b) => (
                    "/v1/batch",
                    serde_json::json!({ "batch": WireBatch::from(&v2_batch(b)) }),
                ),
                Request::Sequence(_) | Request::GetAutocommit => {
                    out.push(Err(unsupported(
                        "this request needs a Hrana pipeline server (/v2 or /v3)",
                    )));
                    continue;
                }
            };
            let url = format!("{}{path}", self.base_url);
            let counts = (1, trace::statements(std::slice::from_ref(r)));
            let (status, bytes) = self.post(&url, body.to_string().as_bytes(), counts)?;
            if !(200..300).contains(&status) {
                if let (400, Ok(e)) = (status, serde_json::from_slice::<WireError>(&bytes)) {
                    let e = SqlError::from(e);
                    sink.error(
                        StepRef {
                            request: i,
                            step: None,
                        },
                        &e,
                    )
                    .map_err(PipelineError::Sink)?;
                    out.push(Err(e));
                    continue;
                }
                return Err(self
                    .status_error(status, &bytes, false)
                    .unwrap_or(TransportError::Http {
                        status,
                        body: self.excerpt(&bytes),
                    })
                    .into());
            }
            let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| {
                TransportError::Protocol(format!("invalid JSON from /v1: {}", self.excerpt(&bytes)))
            })?;
            let result = v.get("result").cloned().unwrap_or_default();
            let resp = match r {
                Request::Execute(_) => StreamResponse::Execute {
                    result: serde_json::from_value(result)
                        .map_err(|e| TransportError::Protocol(e.to_string()))?,
                },
                _ => StreamResponse::Batch {
                    result: serde_json::from_value(result)
                        .map_err(|e| TransportError::Protocol(e.to_string()))?,
                },
            };
            out.push(replay_result(
                i,
                r,
                StreamResult::Ok { response: resp },
                sink,
            )?);
        }
        Ok(out)
    }
}

/// The message inside an error body, whatever its shape (`{"error": ...}`, a Hrana `Error`).
fn error_message(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    if let Some(s) = v.get("error").and_then(|e| e.as_str()) {
        return Some(s.to_string());
    }
    if let Some(s) = v
        .get("error")
        .and_then(|e| e.get("message"))
        .and_then(|m| m.as_str())
    {
        return Some(s.to_string());
    }
    v.get("message")
        .and_then(|m| m.as_str())
        .map(str::to_string)
}

fn to_stream_request(r: &Request, version: HttpVersion) -> StreamRequest {
    match r {
        Request::Execute(s) => StreamRequest::Execute {
            stmt: WireStmt::from(s),
        },
        Request::Batch(b) if version == HttpVersion::V3 => StreamRequest::Batch {
            batch: WireBatch::from(b),
        },
        Request::Batch(b) => StreamRequest::Batch {
            batch: WireBatch::from(&v2_batch(b)),
        },
        Request::Sequence(sql) => StreamRequest::Sequence {
            sql: Some(sql.clone()),
            sql_id: None,
        },
        Request::GetAutocommit => StreamRequest::GetAutocommit {},
    }
}

/// Replay an HTTP pipeline result through the shared [`replay`].
fn replay_result(
    i: usize,
    req: &Request,
    res: StreamResult,
    sink: &mut dyn StepSink,
) -> Result<RequestResult, PipelineError> {
    match res {
        StreamResult::Ok { response } => replay(i, req, Ok(response.into()), sink),
        StreamResult::Error { error } => replay(i, req, Err(error), sink),
        StreamResult::Unknown => {
            Err(TransportError::Protocol("unknown result type from server".into()).into())
        }
    }
}

impl HttpTransport {
    /// Take a parked stream back from the keep-alive thread.
    fn unpark(&mut self) -> Result<(), TransportError> {
        let Some(k) = &self.keepalive else {
            return Ok(());
        };
        match k.unpark() {
            Ok(Some(p)) => {
                self.baton = Some(p.baton);
                self.stream_url = Some(p.url);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(_) => {
                self.drop_stream();
                Err(TransportError::StreamExpired)
            }
        }
    }

    /// Hand a kept stream to the keep-alive thread until the next pipeline.
    fn park(&mut self) {
        let (Some(baton), Some(version)) = (self.baton.take(), self.version) else {
            return;
        };
        if version == HttpVersion::V1 {
            return;
        }
        let url = self
            .stream_url
            .take()
            .unwrap_or_else(|| self.base_url.clone());
        let (agent, token, every) = (self.agent.clone(), self.token.clone(), self.keepalive_every);
        self.keepalive
            .get_or_insert_with(|| KeepAlive::start(agent, token, every))
            .park(baton, url, version.pipeline_path());
    }

    fn pipeline_now(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        if reqs.is_empty() && after == After::Close && self.baton.is_none() {
            return Ok(Vec::new());
        }
        let candidates = match self.version {
            Some(v) => vec![v],
            None => vec![HttpVersion::V3, HttpVersion::V2, HttpVersion::V1],
        };
        for version in candidates {
            if version == HttpVersion::V1 {
                self.version = Some(HttpVersion::V1);
                return self.pipeline_v1(reqs, sink);
            }
            let Some(resp) = self.pipeline_v2v3(version, reqs, after)? else {
                continue;
            };
            self.version = Some(version);
            let mut out = Vec::with_capacity(reqs.len());
            for (i, (req, res)) in reqs.iter().zip(resp.results).enumerate() {
                let r = replay_result(i, req, res, sink);
                if r.is_err() {
                    self.drop_stream();
                }
                out.push(r?);
            }
            return Ok(out);
        }
        Err(TransportError::Http {
            status: 404,
            body: "no Hrana endpoint (/v3, /v2 or /v1) found at this URL".into(),
        }
        .into())
    }
}

impl Transport for HttpTransport {
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        self.unpark()?;
        let result = self.pipeline_now(reqs, after, sink);
        self.park();
        result
    }

    fn stream_open(&self) -> bool {
        self.baton.is_some() || self.keepalive.as_ref().is_some_and(KeepAlive::is_parked)
    }

    fn take_lost_stream(&mut self) -> Option<String> {
        let reason = self.keepalive.as_ref()?.lost()?;
        let _ = self.unpark();
        Some(reason)
    }

    fn capabilities(&self) -> Capabilities {
        match self.version {
            Some(HttpVersion::V2) => Capabilities {
                autocommit_queries: false,
                streams: true,
            },
            Some(HttpVersion::V1) => Capabilities {
                autocommit_queries: false,
                streams: false,
            },
            _ => Capabilities {
                autocommit_queries: true,
                streams: true,
            },
        }
    }

    fn info(&self) -> TransportInfo {
        let protocol = match self.version {
            Some(HttpVersion::V3) => "Hrana 3 over HTTP (JSON)",
            Some(HttpVersion::V2) => "Hrana 2 over HTTP (JSON)",
            Some(HttpVersion::V1) => "HTTP API v1 (stateless)",
            None => "Hrana over HTTP (not negotiated yet)",
        };
        let endpoint = match self.version {
            Some(v) => format!("{}{}", self.base_url, v.pipeline_path()),
            None => self.base_url.clone(),
        };
        TransportInfo {
            kind: "http",
            protocol: protocol.into(),
            endpoint,
        }
    }
}
