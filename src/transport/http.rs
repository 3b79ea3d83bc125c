//! Hrana over HTTP: `/v3/pipeline` (JSON), falling back to `/v2/pipeline` and then to the
//! stateless `/v1/execute` + `/v1/batch` when the server has no pipeline endpoint. The
//! version is decided once per connection, on the first request.
//!
//! A stream is named by a single-use baton; its requests are strictly serial. Autocommit
//! work sends `close` inside its own pipeline, so it never leaves a stream open.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::keepalive::KeepAlive;
use super::replay::{replay, unsupported, v2_batch};
use super::{
    After, Capabilities, Pending, PipelineError, Request, RequestResult, SqlError, StepRef,
    StepSink, Transport, TransportError, TransportInfo,
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
    /// Set by a [`Pending`] from `pipeline_ahead` whose response turned out to be bad after
    /// its baton had been kept: the stream is then not to be trusted (dropped on next use).
    ahead_failed: Arc<AtomicBool>,
}

impl HttpTransport {
    pub fn new(
        base_url: &str,
        host: &str,
        port: u16,
        token: Option<AuthToken>,
        timeout: Duration,
    ) -> Self {
        HttpTransport {
            agent: agent(timeout, None),
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
            ahead_failed: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Use this TLS client configuration (see [`super::tls`]) for `https://`.
    pub fn with_tls(mut self, tls: Arc<rustls::ClientConfig>) -> Self {
        self.agent = agent(self.timeout, Some(tls));
        self
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

    /// POST `reqs` (plus `close` when closing) to the v2/v3 pipeline endpoint and return the
    /// body of a 2xx answer. `None`: the server has no such endpoint (try an older version).
    /// The baton is spent; the caller reads the new one from the body.
    fn post_pipeline(
        &mut self,
        version: HttpVersion,
        reqs: &[Request],
        after: After,
    ) -> Result<Option<Body>, TransportError> {
        let requests: Vec<StreamRequest> = reqs
            .iter()
            .filter(|r| !answered_locally(version, r))
            .map(|r| to_stream_request(r, version))
            .chain((after == After::Close).then_some(StreamRequest::Close {}))
            .collect();
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
        Ok(Some(Body { status, bytes }))
    }

    /// Keep the stream the server named in its answer (or forget it when it named none).
    fn keep_stream(&mut self, baton: Option<String>, base_url: Option<&str>) {
        self.baton = baton;
        if let Some(u) = base_url {
            self.stream_url = Some(u.trim_end_matches('/').to_string());
        }
        if self.baton.is_none() {
            self.stream_url = None;
        }
    }

    fn pipeline_v2v3(
        &mut self,
        version: HttpVersion,
        reqs: &[Request],
        after: After,
    ) -> Result<Option<PipelineResponse>, TransportError> {
        let Some(body) = self.post_pipeline(version, reqs, after)? else {
            return Ok(None);
        };
        let resp = decode_pipeline(&body, version, reqs, after, self.token.as_ref())
            .inspect_err(|_| self.drop_stream())?;
        if after == After::Close {
            self.drop_stream();
        } else {
            self.keep_stream(resp.baton.clone(), resp.base_url.as_deref());
        }
        Ok(Some(resp))
    }

    /// [`Transport::pipeline_ahead`] on a v2/v3 stream: the body is read whole, but only its
    /// leading `baton` and `base_url` are decoded before returning.
    fn pipeline_ahead_v2v3(
        &mut self,
        version: HttpVersion,
        reqs: &[Request],
    ) -> Result<Box<dyn Pending>, PipelineError> {
        let Some(body) = self.post_pipeline(version, reqs, After::KeepOpen)? else {
            return Err(TransportError::Http {
                status: 404,
                body: "the pipeline endpoint disappeared".into(),
            }
            .into());
        };
        let head = match peek_head(&body.bytes) {
            Some(h) => h,
            None => {
                // Not in the usual order: decode it all now.
                let resp =
                    decode_pipeline(&body, version, reqs, After::KeepOpen, self.token.as_ref())
                        .inspect_err(|_| self.drop_stream())?;
                self.keep_stream(resp.baton.clone(), resp.base_url.as_deref());
                return Ok(Box::new(Unread {
                    decoded: Some(resp),
                    body: Body {
                        status: body.status,
                        bytes: Vec::new(),
                    },
                    version,
                    reqs: reqs.to_vec(),
                    baton: None,
                    token: self.token.clone(),
                    failed: self.ahead_failed.clone(),
                }));
            }
        };
        self.keep_stream(Some(head.baton.clone()), head.base_url.as_deref());
        Ok(Box::new(Unread {
            decoded: None,
            body,
            version,
            reqs: reqs.to_vec(),
            baton: Some(head.baton),
            token: self.token.clone(),
            failed: self.ahead_failed.clone(),
        }))
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

fn agent(timeout: Duration, tls: Option<Arc<rustls::ClientConfig>>) -> ureq::Agent {
    let mut b = ureq::AgentBuilder::new()
        .timeout(timeout)
        .user_agent(concat!("libsql-shell/", env!("CARGO_PKG_VERSION")));
    if let Some(tls) = tls {
        b = b.tls_config(tls);
    }
    b.build()
}

/// `get_autocommit` is Hrana 3 only: a v2 server refuses the whole pipeline with a 400 after
/// running the requests before it. The caller may have built the pipeline before the version
/// was known, so such requests are answered here, not sent.
fn answered_locally(version: HttpVersion, r: &Request) -> bool {
    version == HttpVersion::V2 && matches!(r, Request::GetAutocommit)
}

/// Decode a 2xx pipeline body and line its results up with `reqs`.
fn decode_pipeline(
    body: &Body,
    version: HttpVersion,
    reqs: &[Request],
    after: After,
    token: Option<&AuthToken>,
) -> Result<PipelineResponse, TransportError> {
    let mut resp: PipelineResponse = serde_json::from_slice(&body.bytes).map_err(|e| {
        if e.is_eof() {
            TransportError::ConnectionLost {
                reason: "the response was cut short".into(),
                outcome: TransportError::OUTCOME_UNKNOWN,
            }
        } else {
            TransportError::Protocol(format!(
                "server answered HTTP {} with a body that is not Hrana JSON: {}",
                body.status,
                super::replay::excerpt(token, &body.bytes)
            ))
        }
    })?;
    let sent = reqs
        .iter()
        .filter(|r| !answered_locally(version, r))
        .count();
    let expected = sent + usize::from(after == After::Close);
    if resp.results.len() != expected {
        return Err(TransportError::Protocol(format!(
            "server returned {} results for {expected} requests",
            resp.results.len()
        )));
    }
    if sent < reqs.len() {
        let mut answered = std::mem::take(&mut resp.results).into_iter();
        for r in reqs {
            resp.results.push(match answered_locally(version, r) {
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
    Ok(resp)
}

/// A 2xx answer.
struct Body {
    status: u16,
    bytes: Vec<u8>,
}

/// The stream fields at the start of a pipeline response.
struct Head {
    baton: String,
    base_url: Option<String>,
}

/// Read `{"baton":"…","base_url":…` from the start of a body without decoding the rest
/// (sqld writes these two fields first). `None` when the body does not start that way, or
/// names no baton (the stream ended); the caller then decodes the whole body.
fn peek_head(bytes: &[u8]) -> Option<Head> {
    fn field<'a>(rest: &'a [u8], name: &str) -> Option<&'a [u8]> {
        let rest = rest.strip_prefix(b"\"")?.strip_prefix(name.as_bytes())?;
        rest.strip_prefix(b"\":")
    }
    /// `null` or a string without escapes (anything else: give up).
    fn value(rest: &[u8]) -> Option<(Option<String>, &[u8])> {
        if let Some(rest) = rest.strip_prefix(b"null") {
            return Some((None, rest));
        }
        let rest = rest.strip_prefix(b"\"")?;
        let end = rest.iter().position(|b| *b == b'"' || *b == b'\\')?;
        if rest[end] != b'"' {
            return None;
        }
        let text = std::str::from_utf8(&rest[..end]).ok()?;
        Some((Some(text.to_string()), &rest[end + 1..]))
    }
    let rest = field(bytes.strip_prefix(b"{")?, "baton")?;
    let (baton, rest) = value(rest)?;
    let rest = field(rest.strip_prefix(b",")?, "base_url")?;
    let (base_url, _) = value(rest)?;
    Some(Head {
        baton: baton?,
        base_url,
    })
}

/// A v2/v3 pipeline whose body was read but not (all) decoded.
struct Unread {
    /// Already decoded (the body did not start with the stream fields).
    decoded: Option<PipelineResponse>,
    body: Body,
    version: HttpVersion,
    reqs: Vec<Request>,
    /// The baton read ahead, which the full decoding must agree with.
    baton: Option<String>,
    token: Option<AuthToken>,
    failed: Arc<AtomicBool>,
}

impl Pending for Unread {
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let failed = self.failed.clone();
        let result = self.decode_and_replay(sink);
        if matches!(result, Err(PipelineError::Transport(_))) {
            failed.store(true, Ordering::SeqCst);
        }
        result
    }
}

impl Unread {
    fn decode_and_replay(
        self,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let resp = match self.decoded {
            Some(r) => r,
            None => decode_pipeline(
                &self.body,
                self.version,
                &self.reqs,
                After::KeepOpen,
                self.token.as_ref(),
            )?,
        };
        if self.baton.is_some() && resp.baton != self.baton {
            return Err(TransportError::Protocol(
                "the server's response names two different batons".into(),
            )
            .into());
        }
        replay_all(&self.reqs, resp.results, sink)
    }
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
/// Feed every request's result to the sink, in order.
fn replay_all(
    reqs: &[Request],
    results: Vec<StreamResult>,
    sink: &mut dyn StepSink,
) -> Result<Vec<RequestResult>, PipelineError> {
    reqs.iter()
        .zip(results)
        .enumerate()
        .map(|(i, (req, res))| replay_result(i, req, res, sink))
        .collect()
}

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

    /// Drop the stream if a response read ahead on it turned out to be bad.
    fn forget_failed_ahead(&mut self) {
        if self.ahead_failed.swap(false, Ordering::SeqCst) {
            let _ = self.unpark();
            self.drop_stream();
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
            return replay_all(reqs, resp.results, sink).inspect_err(|_| self.drop_stream());
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
        self.forget_failed_ahead();
        self.unpark()?;
        let result = self.pipeline_now(reqs, after, sink);
        self.park();
        result
    }

    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        let version = match self.version {
            Some(v @ (HttpVersion::V3 | HttpVersion::V2)) => v,
            _ => return super::run_ahead(self, reqs),
        };
        self.forget_failed_ahead();
        self.unpark()?;
        let result = self.pipeline_ahead_v2v3(version, reqs);
        self.park();
        result
    }

    fn stream_open(&self) -> bool {
        !self.ahead_failed.load(Ordering::SeqCst)
            && (self.baton.is_some() || self.keepalive.as_ref().is_some_and(KeepAlive::is_parked))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_fields_are_read_from_the_head_of_a_body() {
        let h = peek_head(br#"{"baton":"b1","base_url":null,"results":[{"type":"ok"}]}"#).unwrap();
        assert_eq!(h.baton, "b1");
        assert_eq!(h.base_url, None);
        let h = peek_head(br#"{"baton":"b2","base_url":"http://h:1/x","results":[]}"#).unwrap();
        assert_eq!(
            (h.baton.as_str(), h.base_url.as_deref()),
            ("b2", Some("http://h:1/x"))
        );
    }

    #[test]
    fn a_bad_response_read_ahead_leaves_no_trusted_stream() {
        let mut t = HttpTransport::new(
            "http://127.0.0.1:9",
            "127.0.0.1",
            9,
            None,
            Duration::from_secs(1),
        );
        t.version = Some(HttpVersion::V3);
        t.baton = Some("b".into());
        let cut = br#"{"baton":"b","base_url":null,"results":[{"type":"ok","respo"#;
        let pending: Box<dyn Pending> = Box::new(Unread {
            decoded: None,
            body: Body {
                status: 200,
                bytes: cut.to_vec(),
            },
            version: HttpVersion::V3,
            reqs: vec![Request::Execute(crate::transport::Stmt::new("SELECT 1"))],
            baton: Some("b".into()),
            token: None,
            failed: t.ahead_failed.clone(),
        });
        assert!(t.stream_open());
        assert!(pending.finish(&mut crate::transport::Discard).is_err());
        assert!(!t.stream_open(), "the stream must not be trusted any more");
        t.forget_failed_ahead();
        assert!(t.baton.is_none());
        assert!(!t.stream_open());
    }

    #[test]
    fn any_other_head_is_left_to_the_full_decoder() {
        for body in [
            &br#"{"base_url":null,"baton":"b","results":[]}"#[..],
            br#"{"results":[],"baton":"b","base_url":null}"#,
            br#"{"baton":null,"base_url":null,"results":[]}"#,
            br#"{"baton":"a\"b","base_url":null,"results":[]}"#,
            br#"{ "baton":"b","base_url":null,"results":[]}"#,
            br#"{"baton":"b""#,
            b"",
        ] {
            assert!(
                peek_head(body).is_none(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
