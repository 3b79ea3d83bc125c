//! The HTTP side of the test server: a keep-alive HTTP/1.1 loop per connection (parsed with
//! `httparse`; `Content-Length` or chunked request bodies; cursor answers streamed as a
//! chunked body), routing (with the optional `base_url` prefix), auth, latency and faults. The Hrana endpoints themselves are in
//! [`super::endpoints`]; a GET carrying `Upgrade: websocket` is handed to [`super::ws`].

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use serde_json::{json, Value as Json};

use super::{endpoints, lock, Fault, Shared};

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
    /// A cursor: its body is written as the batch runs (see [`endpoints::stream_cursor`]).
    Cursor(Box<endpoints::CursorJob>),
}

pub fn text(status: u16, body: &str) -> Reply {
    Reply::Full {
        status,
        ctype: "text/plain; charset=utf-8",
        body: body.as_bytes().to_vec(),
    }
}

pub fn json_reply(status: u16, body: &Json) -> Reply {
    raw_reply(status, body)
}

/// A JSON reply from anything serializable (typed results serialize without a tree).
pub fn raw_reply(status: u16, body: &impl serde::Serialize) -> Reply {
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
        Reply::Drop | Reply::Cursor(_) => return Ok(()),
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
        if let Reply::Cursor(job) = reply {
            let keep = req.keep_alive();
            if !endpoints::stream_cursor(shared, *job, &mut conn.sock, keep) || !keep {
                let _ = conn.sock.shutdown(std::net::Shutdown::Both);
                return;
            }
            continue;
        }
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
    let db = match shared.database(&req.headers) {
        Ok(db) => db,
        Err((status, body)) => return json_reply(status, &body),
    };
    let fault = lock(&shared.faults).pop_front();
    match &fault {
        Some(Fault::DropBeforeExecute) => return Reply::Drop,
        Some(Fault::Panic) => panic!("injected panic (Fault::Panic)"),
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
        Endpoint::Pipeline(v) => endpoints::pipeline(shared, &db, &req.body, v),
        Endpoint::Cursor => endpoints::cursor(shared, &db, &req.body),
        Endpoint::V1Execute | Endpoint::V1Batch => {
            endpoints::v1(shared, &db, &req.body, endpoint == Endpoint::V1Batch)
        }
    };
    let reply = match (&fault, reply) {
        (Some(Fault::DropAfterExecute | Fault::Garbage), Reply::Cursor(job)) => {
            // Execute the cursor (its entries go nowhere) before the fault's answer.
            endpoints::run_cursor_unread(shared, *job);
            Reply::Drop
        }
        (_, reply) => reply,
    };
    match (fault, reply) {
        (Some(Fault::DropAfterExecute), _) => Reply::Drop,
        (Some(Fault::Garbage), _) => garbage(),
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

/// A 200 answer whose body is not JSON (an HTML page, as a confused proxy would send).
fn garbage() -> Reply {
    Reply::Full {
        status: 200,
        ctype: "application/json",
        body: b"<html><body>502 Bad Gateway (garbage, not JSON)</body></html>".to_vec(),
    }
}

/// A chunked response body (`Transfer-Encoding: chunked`), written as lines accumulate.
pub struct Chunked<'a> {
    sock: &'a mut TcpStream,
    buf: Vec<u8>,
}

impl<'a> Chunked<'a> {
    /// Write a 200 head announcing a chunked body of `ctype`.
    pub fn start(sock: &'a mut TcpStream, ctype: &str, keep_alive: bool) -> io::Result<Self> {
        let conn = if keep_alive { "keep-alive" } else { "close" };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nTransfer-Encoding: chunked\r\nConnection: {conn}\r\n\r\n"
        );
        sock.write_all(head.as_bytes())?;
        Ok(Chunked {
            sock,
            buf: Vec::with_capacity(CHUNK + 4096),
        })
    }

    /// Append a line (a newline is added); a chunk goes out once enough has accumulated.
    pub fn line(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        self.buf.push(b'\n');
        if self.buf.len() >= CHUNK {
            self.flush_chunk()?;
        }
        Ok(())
    }

    /// Send what has accumulated as one chunk.
    pub fn flush_chunk(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let mut out = format!("{:x}\r\n", self.buf.len()).into_bytes();
        out.append(&mut self.buf);
        out.extend_from_slice(b"\r\n");
        self.sock.write_all(&out)?;
        self.sock.flush()
    }

    /// Send the rest and the last (empty) chunk.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush_chunk()?;
        self.sock.write_all(b"0\r\n\r\n")?;
        self.sock.flush()
    }
}

/// Bytes per chunk of a streamed body.
const CHUNK: usize = 64 * 1024;

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
