//! The HTTP side of the test server: a keep-alive HTTP/1.1 loop per connection (parsed with
//! `httparse`; `Content-Length` or chunked request bodies), routing, auth, faults, and the
//! Hrana endpoints `/v2/pipeline`, `/v3/pipeline`, `/v3/cursor`, `/v1/execute`, `/v1/batch`.
//! A GET carrying `Upgrade: websocket` is handed to [`super::ws`].

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Instant;

use libsql_shell::hrana::{
    CursorRequest, PipelineRequest, StreamRequest, WireBatch, WireError, WireStmt,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::exec::{self, Failure, SqlStore};
use super::{lock, Fault, HttpStream, Shared, Slot};

const MAX_HEAD: usize = 64 * 1024;

/// A parsed request. Header names are lower-cased.
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    pub minor_version: u8,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn keep_alive(&self) -> bool {
        let conn = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.minor_version == 0 {
            conn.contains("keep-alive")
        } else {
            !conn.contains("close")
        }
    }
}

/// What to do with a request.
pub enum Reply {
    Full {
        status: u16,
        ctype: &'static str,
        body: Vec<u8>,
    },
    /// Send the head of `Full` with a `Content-Length` larger than the body, then close.
    Truncated {
        status: u16,
        ctype: &'static str,
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Drop,
}

pub fn text(status: u16, body: &str) -> Reply {
    Reply::Full {
        status,
        ctype: "text/plain; charset=utf-8",
        body: body.as_bytes().to_vec(),
    }
}

pub fn json_reply(status: u16, body: &Json) -> Reply {
    Reply::Full {
        status,
        ctype: "application/json",
        body: serde_json::to_vec(body).expect("json"),
    }
}

/// A buffered reader over the socket: leftover bytes stay in `buf` between requests.
struct Conn {
    sock: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    fn read_more(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.sock.read(&mut chunk)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    fn fill(&mut self, n: usize) -> io::Result<()> {
        while self.buf.len() < n {
            if self.read_more()? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(())
    }

    fn take(&mut self, n: usize) -> io::Result<Vec<u8>> {
        self.fill(n)?;
        Ok(self.buf.drain(..n).collect())
    }

    fn line(&mut self) -> io::Result<String> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let l = self.take(i + 2)?;
                return Ok(String::from_utf8_lossy(&l[..i]).into_owned());
            }
            if self.buf.len() > MAX_HEAD || self.read_more()? == 0 {
                return Err(io::ErrorKind::InvalidData.into());
            }
        }
    }

    /// The next request, or `None` on a clean close between requests.
    fn request(&mut self) -> io::Result<Option<HttpRequest>> {
        let (head_len, method, path, minor_version, headers) = loop {
            let mut hs = [httparse::EMPTY_HEADER; 64];
            let mut req = httparse::Request::new(&mut hs);
            match req.parse(&self.buf) {
                Ok(httparse::Status::Complete(n)) => {
                    let headers = req
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_ascii_lowercase(),
                                String::from_utf8_lossy(h.value).into_owned(),
                            )
                        })
                        .collect::<Vec<_>>();
                    let path = req.path.unwrap_or("/");
                    let path = path.split('?').next().unwrap_or("/").to_string();
                    break (
                        n,
                        req.method.unwrap_or("").to_string(),
                        path,
                        req.version.unwrap_or(1),
                        headers,
                    );
                }
                Ok(httparse::Status::Partial) => {
                    if self.buf.len() > MAX_HEAD {
                        return Err(io::ErrorKind::InvalidData.into());
                    }
                    if self.read_more()? == 0 {
                        return match self.buf.is_empty() {
                            true => Ok(None),
                            false => Err(io::ErrorKind::UnexpectedEof.into()),
                        };
                    }
                }
                Err(_) => return Err(io::ErrorKind::InvalidData.into()),
            }
        };
        self.buf.drain(..head_len);
        let mut req = HttpRequest {
            method,
            path,
            minor_version,
            headers,
            body: Vec::new(),
        };
        let chunked = req
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if chunked {
            loop {
                let line = self.line()?;
                let size = line.split(';').next().unwrap_or("").trim();
                let size = usize::from_str_radix(size, 16)
                    .map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
                if size == 0 {
                    while !self.line()?.is_empty() {}
                    break;
                }
                let data = self.take(size + 2)?;
                req.body.extend_from_slice(&data[..size]);
            }
        } else if let Some(len) = req.header("content-length") {
            let len: usize = len
                .trim()
                .parse()
                .map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
            req.body = self.take(len)?;
        }
        Ok(Some(req))
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn write_reply(sock: &mut TcpStream, reply: &Reply, keep_alive: bool) -> io::Result<()> {
    let (status, ctype, body, claimed) = match reply {
        Reply::Full {
            status,
            ctype,
            body,
        } => (*status, *ctype, &body[..], body.len()),
        Reply::Truncated {
            status,
            ctype,
            body,
        } => (*status, *ctype, &body[..body.len() / 2], body.len() + 100),
        Reply::Drop => return Ok(()),
    };
    let conn = if keep_alive { "keep-alive" } else { "close" };
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {ctype}\r\nContent-Length: {claimed}\r\nConnection: {conn}\r\n\r\n",
        reason(status)
    )
    .into_bytes();
    out.extend_from_slice(body);
    sock.write_all(&out)?;
    sock.flush()
}

/// Serve one TCP connection until it closes (or becomes a WebSocket).
pub fn serve_connection(shared: &Arc<Shared>, sock: TcpStream) {
    let mut conn = Conn {
        sock,
        buf: Vec::new(),
    };
    loop {
        let req = match conn.request() {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(e) => {
                if e.kind() == io::ErrorKind::InvalidData {
                    let _ =
                        write_reply(&mut conn.sock, &text(400, "Malformed HTTP request"), false);
                }
                return;
            }
        };
        let upgrade = req
            .header("upgrade")
            .is_some_and(|u| u.to_ascii_lowercase().contains("websocket"));
        if req.method == "GET" && upgrade {
            let leftover = std::mem::take(&mut conn.buf);
            super::ws::serve(shared, conn.sock, &req, leftover);
            return;
        }
        let reply = route(shared, &req);
        let keep = req.keep_alive() && !matches!(reply, Reply::Drop | Reply::Truncated { .. });
        if write_reply(&mut conn.sock, &reply, keep).is_err() || !keep {
            let _ = conn.sock.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Pipeline(u8),
    Cursor,
    V1Execute,
    V1Batch,
}

fn route(shared: &Shared, req: &HttpRequest) -> Reply {
    let max = shared.cfg.versions.max();
    let (path, sticky) = match &shared.cfg.base_url_prefix {
        Some(p) if req.path.starts_with(&format!("{p}/")) => (&req.path[p.len()..], true),
        _ => (req.path.as_str(), false),
    };
    let endpoint = match path {
        "/v2/pipeline" if max >= 2 => Endpoint::Pipeline(2),
        "/v3/pipeline" if max >= 3 => Endpoint::Pipeline(3),
        "/v3/cursor" if max >= 3 => Endpoint::Cursor,
        "/v1/execute" => Endpoint::V1Execute,
        "/v1/batch" => Endpoint::V1Batch,
        _ => {
            let get = req.method == "GET";
            return match path {
                "/health" if get => text(200, ""),
                "/version" if get => text(200, "libsql-shell hrana test server 0.1"),
                "/v2" if get && max >= 2 => {
                    text(200, "Hello, this is HTTP API v2 (Hrana over HTTP)")
                }
                "/v3" if get && max >= 3 => {
                    text(200, "Hello, this is HTTP API v3 (Hrana over HTTP)")
                }
                _ => text(404, "Not Found"),
            };
        }
    };
    if req.method != "POST" {
        return text(405, "Method Not Allowed");
    }
    shared.count_request(sticky);
    shared.sleep_latency();
    if let Err(r) = check_auth(shared, req) {
        return r;
    }
    let fault = lock(&shared.faults).pop_front();
    match &fault {
        Some(Fault::DropBeforeExecute) => return Reply::Drop,
        Some(Fault::Status500) => {
            forget_baton(shared, &req.body);
            return json_reply(500, &json!({"error": "Internal error: injected fault"}));
        }
        Some(Fault::Status(status, body)) => {
            forget_baton(shared, &req.body);
            let ctype = if body.starts_with('{') {
                "application/json"
            } else {
                "text/plain; charset=utf-8"
            };
            return Reply::Full {
                status: *status,
                ctype,
                body: body.clone().into_bytes(),
            };
        }
        _ => {}
    }
    let reply = match endpoint {
        Endpoint::Pipeline(v) => pipeline(shared, &req.body, v),
        Endpoint::Cursor => cursor(shared, &req.body),
        Endpoint::V1Execute | Endpoint::V1Batch => {
            v1(shared, &req.body, endpoint == Endpoint::V1Batch)
        }
    };
    match (fault, reply) {
        (Some(Fault::DropAfterExecute), _) => Reply::Drop,
        (Some(Fault::Garbage), _) => text(
            200,
            "<html><body>502 Bad Gateway (garbage, not JSON)</body></html>",
        ),
        (
            Some(Fault::Truncated),
            Reply::Full {
                status,
                ctype,
                body,
            },
        ) => Reply::Truncated {
            status,
            ctype,
            body,
        },
        (_, reply) => reply,
    }
}

fn check_auth(shared: &Shared, req: &HttpRequest) -> Result<(), Reply> {
    let Some(token) = &shared.cfg.token else {
        return Ok(());
    };
    let Some(value) = req.header("authorization") else {
        return Err(json_reply(
            401,
            &json!({"error": "Unauthorized: Expected authorization header but none given"}),
        ));
    };
    match value.trim().split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") && t.trim() == token => Ok(()),
        _ => Err(json_reply(
            401,
            &json!({"error": "Unauthorized: `The JWT is invalid`"}),
        )),
    }
}

/// A failed HTTP request ends the stream it named.
fn forget_baton(shared: &Shared, body: &[u8]) {
    let baton = serde_json::from_slice::<Json>(body)
        .ok()
        .and_then(|j| j.get("baton")?.as_str().map(str::to_string));
    if let Some(b) = baton {
        lock(&shared.streams).remove(&b);
    }
}

fn failure_reply(f: Failure) -> Reply {
    match f {
        Failure::Protocol(msg) => text(400, &msg),
        Failure::Forbidden => json_reply(
            403,
            &json!({"error": "Authorization forbidden: the token is read-only (test server)"}),
        ),
    }
}

/// Refuse a bare JSON number where Hrana wants an integer string (sqld fails to decode).
pub fn check_integers(j: &Json) -> Result<(), String> {
    match j {
        Json::Object(m) => {
            if m.get("type").and_then(Json::as_str) == Some("integer")
                && m.get("value").is_some_and(Json::is_number)
            {
                return Err("integer values must be JSON strings, not numbers".into());
            }
            m.values().try_for_each(check_integers)
        }
        Json::Array(a) => a.iter().try_for_each(check_integers),
        _ => Ok(()),
    }
}

fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<(Json, T), Reply> {
    let bad = |e: String| text(400, &format!("Could not parse request body: {e}"));
    let raw: Json = serde_json::from_slice(body).map_err(|e| bad(e.to_string()))?;
    check_integers(&raw).map_err(bad)?;
    let typed = serde_json::from_value(raw.clone()).map_err(|e| bad(e.to_string()))?;
    Ok((raw, typed))
}

/// Take the stream a baton names out of the table (batons are single use), or open a new
/// one for a null baton.
fn take_stream(shared: &Shared, baton: Option<&str>) -> Result<HttpStream, Reply> {
    shared.sweep();
    let Some(b) = baton else {
        return exec::open_stream(&shared.db_path)
            .map(|t| HttpStream {
                t,
                sqls: SqlStore::default(),
            })
            .map_err(|e| json_reply(500, &json!({"error": e.message})));
    };
    let mut streams = lock(&shared.streams);
    match streams.remove(b) {
        Some(Slot::Open { stream, .. }) => Ok(*stream),
        Some(Slot::Expired) => {
            streams.insert(b.to_string(), Slot::Expired);
            let e = exec::err("STREAM_EXPIRED", "The stream has expired due to inactivity");
            Err(json_reply(400, &serde_json::to_value(e).expect("json")))
        }
        None => Err(text(400, "Received an invalid baton")),
    }
}

/// Put a stream back under a fresh baton.
fn put_stream(shared: &Shared, stream: HttpStream) -> String {
    let baton = shared.new_baton();
    lock(&shared.streams).insert(
        baton.clone(),
        Slot::Open {
            stream: Box::new(stream),
            last_used: Instant::now(),
        },
    );
    baton
}

fn pipeline(shared: &Shared, body: &[u8], version: u8) -> Reply {
    let (raw, req): (Json, PipelineRequest) = match parse_body(body) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let types = raw["requests"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["type"].as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default();
    lock(&shared.pipeline_log).push(types);
    let mut stream = match take_stream(shared, req.baton.as_deref()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut results = Vec::with_capacity(req.requests.len());
    let mut closed = false;
    let mut used = 0usize;
    for r in &req.requests {
        if closed {
            return text(
                400,
                "Received a request on a stream that was closed earlier in this pipeline",
            );
        }
        match stream_request(shared, &mut stream, r, version, &mut used, &mut closed) {
            Ok(res) => results.push(res),
            Err(f) => return failure_reply(f),
        }
    }
    let baton = (!closed).then(|| put_stream(shared, stream));
    json_reply(
        200,
        &json!({"baton": baton, "base_url": shared.base_url(), "results": results}),
    )
}

/// Count a result against the response-size cap.
fn within_budget(r: Json, used: &mut usize, max: usize) -> Result<Json, WireError> {
    let size = serde_json::to_vec(&r).map(|v| v.len()).unwrap_or(0);
    if *used + size > max {
        return Err(exec::err(
            "RESPONSE_TOO_LARGE",
            format!("Response is too large: {} > {max} bytes", *used + size),
        ));
    }
    *used += size;
    Ok(r)
}

fn stream_request(
    shared: &Shared,
    s: &mut HttpStream,
    r: &StreamRequest,
    version: u8,
    used: &mut usize,
    closed: &mut bool,
) -> Result<Json, Failure> {
    let max = shared.cfg.max_response_size;
    let res: Result<Json, WireError> = match r {
        StreamRequest::Close {} => {
            *closed = true;
            Ok(json!({"type": "close"}))
        }
        StreamRequest::Execute { stmt } => {
            let stmt = exec::to_stmt(stmt, &s.sqls, version)?;
            exec::check_writable(shared, &s.t, [stmt.sql.as_str()])?;
            exec::execute(shared, &mut s.t, &stmt)
                .and_then(|r| within_budget(r, used, max))
                .map(|result| json!({"type": "execute", "result": result}))
        }
        StreamRequest::Batch { batch } => {
            let b = exec::to_batch(batch, &s.sqls, version)?;
            exec::check_writable(shared, &s.t, exec::batch_sqls(&b))?;
            exec::batch(shared, &mut s.t, &b)
                .and_then(|r| within_budget(r, used, max))
                .map(|result| json!({"type": "batch", "result": result}))
        }
        StreamRequest::Sequence { sql, sql_id } => {
            let sql = s.sqls.resolve(sql.as_deref(), *sql_id, version)?;
            exec::check_writable(shared, &s.t, [sql.as_str()])?;
            exec::sequence(&mut s.t, &sql).map(|_| json!({"type": "sequence"}))
        }
        StreamRequest::Describe { sql, sql_id } => {
            let sql = s.sqls.resolve(sql.as_deref(), *sql_id, version)?;
            exec::describe(&s.t, &sql).map(|result| json!({"type": "describe", "result": result}))
        }
        StreamRequest::StoreSql { sql_id, sql } => s
            .sqls
            .store(*sql_id, sql.clone(), exec::MAX_SQL_HTTP, true)?
            .map(|_| json!({"type": "store_sql"})),
        StreamRequest::CloseSql { sql_id } => {
            s.sqls.close(*sql_id);
            Ok(json!({"type": "close_sql"}))
        }
        StreamRequest::GetAutocommit {} if version < 3 => return Err(exec::protocol(
            "The `get_autocommit` request is only supported in protocol version hrana3 and higher",
        )),
        StreamRequest::GetAutocommit {} => {
            Ok(json!({"type": "get_autocommit", "is_autocommit": s.t.connection().is_autocommit()}))
        }
        StreamRequest::Unknown => {
            return Err(exec::protocol("Received an unknown stream request type"))
        }
    };
    Ok(match res {
        Ok(response) => json!({"type": "ok", "response": response}),
        Err(error) => json!({"type": "error", "error": error}),
    })
}

fn cursor(shared: &Shared, body: &[u8]) -> Reply {
    let (_, req): (Json, CursorRequest) = match parse_body(body) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut stream = match take_stream(shared, req.baton.as_deref()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let checked = exec::to_batch(&req.batch, &stream.sqls, 3)
        .and_then(|b| exec::check_writable(shared, &stream.t, exec::batch_sqls(&b)).map(|_| b));
    let batch = match checked {
        Ok(b) => b,
        Err(f) => return failure_reply(f),
    };
    let entries = exec::cursor(shared, &mut stream.t, &batch);
    let baton = put_stream(shared, stream);
    let mut out =
        serde_json::to_vec(&json!({"baton": baton, "base_url": shared.base_url()})).expect("json");
    for e in entries {
        out.push(b'\n');
        serde_json::to_writer(&mut out, &e).expect("json");
    }
    out.push(b'\n');
    Reply::Full {
        status: 200,
        ctype: "text/plain",
        body: out,
    }
}

#[derive(Deserialize)]
struct V1Execute {
    stmt: WireStmt,
}

#[derive(Deserialize)]
struct V1Batch {
    batch: WireBatch,
}

/// Legacy `/v1/execute` and `/v1/batch`: a fresh connection per request, Hrana 1 rules.
fn v1(shared: &Shared, body: &[u8], is_batch: bool) -> Reply {
    let mut t = match exec::open_stream(&shared.db_path) {
        Ok(t) => t,
        Err(e) => return json_reply(500, &serde_json::to_value(e).expect("json")),
    };
    let sqls = SqlStore::default();
    let result = if is_batch {
        let req: V1Batch = match parse_body(body) {
            Ok((_, r)) => r,
            Err(r) => return r,
        };
        let b = exec::to_batch(&req.batch, &sqls, 1)
            .and_then(|b| exec::check_writable(shared, &t, exec::batch_sqls(&b)).map(|_| b));
        match b {
            Ok(b) => exec::batch(shared, &mut t, &b),
            Err(f) => return failure_reply(f),
        }
    } else {
        let req: V1Execute = match parse_body(body) {
            Ok((_, r)) => r,
            Err(r) => return r,
        };
        let stmt = exec::to_stmt(&req.stmt, &sqls, 1)
            .and_then(|s| exec::check_writable(shared, &t, [s.sql.as_str()]).map(|_| s));
        match stmt {
            Ok(s) => exec::execute(shared, &mut t, &s),
            Err(f) => return failure_reply(f),
        }
    };
    match result {
        Ok(r) => json_reply(200, &json!({"result": r})),
        Err(e) => {
            let code = e.code.as_deref().unwrap_or("");
            let client = code.starts_with("SQL_") || code.starts_with("ARGS_");
            json_reply(
                if client { 400 } else { 500 },
                &serde_json::to_value(e).expect("json"),
            )
        }
    }
}
