//! The WebSocket side of the test server: the upgrade handshake (subprotocol chosen by the
//! server's preference `hrana3` > `hrana2` > `hrana1`; none offered means `hrana1`; nothing
//! acceptable means 400) and a Hrana session (JSON text frames) per connection: `hello`,
//! streams, `execute`, `batch`, `sequence`, `describe`, `store_sql`/`close_sql` (connection
//! scope), `get_autocommit` and cursors (see [`super::cursor`]), each gated by the
//! negotiated version. Each `execute`/`batch` answer is held to the response cap.
//!
//! Protocol violations close the socket as sqld does: 1007 for an undecodable message, 1003
//! for a binary frame, 1008 otherwise (request before `hello`, a version's missing request,
//! reused stream/cursor/SQL id, a write while read-only).

use std::collections::HashMap;
use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use libsql_shell::transport::hrana::{ClientMsg, WireError, WsRequest};
use libsql_shell::transport::local::LocalTransport;
use serde_json::{json, Value as Json};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, Role, WebSocket};
use tungstenite::Message;

use super::cursor::Worker;
use super::exec::{self, raw, tagged, Failure, Raw, SqlStore};
use super::http::HttpRequest;
use super::replica;
use super::{lock, Shared, WsFault};

type Ws = WebSocket<TcpStream>;

/// Answer the upgrade request, then run the session until the socket closes.
pub fn serve(shared: &Arc<Shared>, mut sock: TcpStream, req: &HttpRequest, leftover: Vec<u8>) {
    let Some(key) = req.header("sec-websocket-key") else {
        let _ = reject(&mut sock, "Missing Sec-WebSocket-Key");
        return;
    };
    // The handshake's headers choose the database for the whole connection, as on sqld.
    let db = match shared.database(&req.headers) {
        Ok(db) => db,
        Err((status, body)) => {
            let body = body.to_string();
            let out = format!(
                "HTTP/1.1 {status} Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(out.as_bytes());
            let _ = sock.shutdown(Shutdown::Both);
            return;
        }
    };
    let supported: Vec<&str> = ["hrana3", "hrana2", "hrana1"]
        .into_iter()
        .filter(|p| p[5..].parse::<u8>().unwrap() <= shared.cfg.versions.max())
        .collect();
    let offered: Vec<String> = req
        .headers
        .iter()
        .filter(|(n, _)| n == "sec-websocket-protocol")
        .flat_map(|(_, v)| v.split(',').map(|p| p.trim().to_string()))
        .filter(|p| !p.is_empty())
        .collect();
    let list = supported.join(", ");
    let chosen = if shared.cfg.ws_refuse_subprotocol {
        let _ = reject(
            &mut sock,
            &format!(
                "None of the offered subprotocols is supported ({})",
                offered.join(", ")
            ),
        );
        return;
    } else if offered.is_empty() {
        None
    } else {
        match supported.iter().find(|p| offered.iter().any(|o| o == *p)) {
            Some(p) => Some(*p),
            None => {
                let _ = reject(
                    &mut sock,
                    &format!("Only these WebSocket subprotocols are supported: {list}"),
                );
                return;
            }
        }
    };
    let chosen = if shared.cfg.ws_omit_subprotocol {
        None
    } else {
        chosen
    };
    let version = chosen.map_or(1, |p| p[5..].parse().unwrap());
    let accept = tungstenite::handshake::derive_accept_key(key.trim().as_bytes());
    let mut head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n"
    );
    if let Some(p) = chosen {
        head.push_str(&format!("Sec-WebSocket-Protocol: {p}\r\n"));
    }
    head.push_str("\r\n");
    if sock.write_all(head.as_bytes()).is_err() {
        return;
    }
    lock(&shared.ws_handshakes).push(chosen.map(str::to_string));
    let ws = WebSocket::from_partially_read(sock, leftover, Role::Server, None);
    let mut session = Session {
        shared,
        db,
        version,
        hello: false,
        sqls: SqlStore::default(),
        streams: HashMap::new(),
        cursors: HashMap::new(),
        lent: HashMap::new(),
    };
    session.run(ws);
}

fn reject(sock: &mut TcpStream, msg: &str) -> std::io::Result<()> {
    let out = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{msg}",
        msg.len()
    );
    sock.write_all(out.as_bytes())?;
    sock.shutdown(Shutdown::Both)
}

/// Send a close frame and wait (briefly) for the client's answer.
fn close(ws: &mut Ws, code: CloseCode, reason: &str) {
    let mut end = reason.len().min(120);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let frame = CloseFrame {
        code,
        reason: reason[..end].to_string().into(),
    };
    let _ = ws.close(Some(frame));
    let _ = ws.get_ref().set_read_timeout(Some(Duration::from_secs(2)));
    while ws.read().is_ok() {}
}

fn send(ws: &mut Ws, msg: &impl serde::Serialize) -> bool {
    let text = serde_json::to_string(msg).expect("json");
    ws.send(Message::Text(text)).is_ok()
}

/// An open cursor: its stream and its worker; `None` when opening it failed.
type CursorSlot = Option<(i32, Worker)>;

struct Session<'a> {
    shared: &'a Arc<Shared>,
    /// The database this connection's handshake named.
    db: std::path::PathBuf,
    version: u8,
    hello: bool,
    /// Connection-scoped stored SQL.
    sqls: SqlStore,
    /// `None`: the stream id is taken but opening it failed.
    streams: HashMap<i32, Option<LocalTransport>>,
    cursors: HashMap<i32, CursorSlot>,
    /// Streams whose connection is lent to their open cursor's worker, by stream id: the
    /// cursor's id. Nothing else may be sent on such a stream until the cursor closes.
    lent: HashMap<i32, i32>,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let open = self.streams.values().filter(|s| s.is_some()).count() + self.lent.len();
        self.shared
            .ws_open_streams
            .fetch_sub(open, Ordering::SeqCst);
    }
}

/// The stream a request names, if any.
fn stream_of(r: &WsRequest) -> Option<i32> {
    match r {
        WsRequest::OpenStream { stream_id }
        | WsRequest::CloseStream { stream_id }
        | WsRequest::Execute { stream_id, .. }
        | WsRequest::Batch { stream_id, .. }
        | WsRequest::Sequence { stream_id, .. }
        | WsRequest::Describe { stream_id, .. }
        | WsRequest::GetAutocommit { stream_id }
        | WsRequest::OpenCursor { stream_id, .. } => Some(*stream_id),
        _ => None,
    }
}

fn stream_mut(
    streams: &mut HashMap<i32, Option<LocalTransport>>,
    id: i32,
) -> Result<&mut LocalTransport, WireError> {
    match streams.get_mut(&id) {
        Some(Some(t)) => Ok(t),
        Some(None) => Err(exec::err(
            "STREAM_NOT_OPEN",
            format!("Stream {id} failed to open"),
        )),
        None => Err(exec::err(
            "STREAM_NOT_OPEN",
            format!("Stream {id} is not open"),
        )),
    }
}

impl Session<'_> {
    /// Drop every stream (rolling back their transactions), then close the socket; the
    /// client sees the close frame only once `open_streams` no longer counts them.
    fn close(&mut self, ws: &mut Ws, code: CloseCode, reason: &str) {
        self.cursors.clear();
        let open =
            self.streams.drain().filter(|(_, s)| s.is_some()).count() + self.lent.drain().count();
        self.shared
            .ws_open_streams
            .fetch_sub(open, Ordering::SeqCst);
        close(ws, code, reason);
    }

    fn run(&mut self, mut ws: Ws) {
        loop {
            let text = match ws.read() {
                Ok(Message::Text(t)) => t,
                Ok(Message::Binary(_)) => {
                    return self.close(
                        &mut ws,
                        CloseCode::Unsupported,
                        "Binary frames are not supported with JSON",
                    );
                }
                Ok(_) => continue,
                Err(_) => return,
            };
            let parsed = serde_json::from_str::<Json>(&text)
                .map_err(|e| e.to_string())
                .and_then(|raw| {
                    super::endpoints::check_integers(&raw)?;
                    serde_json::from_value::<ClientMsg>(raw).map_err(|e| e.to_string())
                });
            let msg = match parsed {
                Ok(m) => m,
                Err(e) => {
                    return self.close(
                        &mut ws,
                        CloseCode::Invalid,
                        &format!("Could not decode message: {e}"),
                    )
                }
            };
            match msg {
                ClientMsg::Hello { jwt } => {
                    if self.hello && self.version < 2 {
                        return self.close(
                            &mut ws,
                            CloseCode::Policy,
                            "hello may be sent only once in hrana1",
                        );
                    }
                    let bad_jwt = self
                        .shared
                        .cfg
                        .token
                        .as_ref()
                        .is_some_and(|t| jwt.as_ref().map(|j| j.expose()) != Some(t.as_str()));
                    if bad_jwt || self.shared.ws_hello_error.load(Ordering::SeqCst) {
                        let error = exec::err(
                            "AUTH_JWT_INVALID",
                            "Authentication failed: The JWT is invalid",
                        );
                        send(&mut ws, &json!({"type": "hello_error", "error": error}));
                        return self.close(&mut ws, CloseCode::Normal, "");
                    }
                    self.hello = true;
                    if !send(&mut ws, &json!({"type": "hello_ok"})) {
                        return;
                    }
                }
                ClientMsg::Request {
                    request_id,
                    request,
                } => {
                    if !self.hello {
                        return self.close(
                            &mut ws,
                            CloseCode::Policy,
                            "Received a request before hello",
                        );
                    }
                    self.shared.count_request(false);
                    let kind = serde_json::to_value(&request)
                        .ok()
                        .and_then(|v| v.get("type").and_then(Json::as_str).map(str::to_string));
                    lock(&self.shared.ws_log).push(kind.unwrap_or_default());
                    self.shared.sleep_latency();
                    let fault = lock(&self.shared.ws_faults).pop_front();
                    if fault == Some(WsFault::CloseMidRequest) {
                        let _ = ws.get_ref().shutdown(Shutdown::Both);
                        return;
                    }
                    let out = self.handle(&request);
                    if fault == Some(WsFault::CloseAfterExecute) {
                        let _ = ws.get_ref().shutdown(Shutdown::Both);
                        return;
                    }
                    #[derive(serde::Serialize)]
                    #[serde(tag = "type", rename_all = "snake_case")]
                    enum Reply {
                        ResponseOk { request_id: i32, response: Raw },
                        ResponseError { request_id: i32, error: WireError },
                    }
                    let reply = match out {
                        Ok(Ok(response)) => Reply::ResponseOk {
                            request_id,
                            response,
                        },
                        Ok(Err(error)) => Reply::ResponseError { request_id, error },
                        Err(Failure::Protocol(m)) => {
                            return self.close(&mut ws, CloseCode::Policy, &m)
                        }
                        Err(Failure::Cut) => {
                            let _ = ws.get_ref().shutdown(Shutdown::Both);
                            return;
                        }
                        Err(Failure::Internal(m)) => {
                            return self.close(&mut ws, CloseCode::Error, &m)
                        }
                        Err(Failure::Forbidden) => {
                            return self.close(
                                &mut ws,
                                CloseCode::Policy,
                                "Authorization forbidden: read-only (test server)",
                            )
                        }
                    };
                    if !send(&mut ws, &reply) {
                        return;
                    }
                }
                ClientMsg::Unknown => {
                    return self.close(&mut ws, CloseCode::Policy, "Unknown message type")
                }
            }
        }
    }

    fn need(&self, min: u8, what: &str) -> Result<(), Failure> {
        if self.version < min {
            return Err(exec::protocol(format!(
                "{what} is only supported in protocol version hrana{min} and higher"
            )));
        }
        Ok(())
    }

    /// Close a cursor: its worker stops and the stream gets its connection back.
    fn close_cursor(&mut self, cursor_id: i32) {
        if let Some(Some((stream_id, worker))) = self.cursors.remove(&cursor_id) {
            self.lent.remove(&stream_id);
            match worker.close() {
                Some(t) => {
                    self.streams.insert(stream_id, Some(t));
                }
                // The stream died with its cursor (a cut, or a panic reported on drop).
                None => {
                    self.shared.ws_open_streams.fetch_sub(1, Ordering::SeqCst);
                }
            }
        }
    }

    fn handle(&mut self, r: &WsRequest) -> Result<Result<Raw, WireError>, Failure> {
        let (shared, v) = (self.shared, self.version);
        let max = shared.cfg.max_response_size;
        let ok = |t: &str| Ok(Ok(raw(&json!({ "type": t }))));
        if let Some(stream_id) = stream_of(r) {
            if self.lent.contains_key(&stream_id) && !matches!(r, WsRequest::CloseStream { .. }) {
                return Err(exec::protocol(format!(
                    "Received a request on stream {stream_id} while its cursor is open"
                )));
            }
        }
        match r {
            WsRequest::OpenStream { stream_id } => {
                if self.streams.contains_key(stream_id) {
                    return Err(exec::protocol(format!("Stream {stream_id} already exists")));
                }
                match exec::open_stream(&self.db) {
                    Ok(t) => {
                        self.streams.insert(*stream_id, Some(t));
                        shared.ws_open_streams.fetch_add(1, Ordering::SeqCst);
                        ok("open_stream")
                    }
                    Err(e) => {
                        self.streams.insert(*stream_id, None);
                        Ok(Err(e))
                    }
                }
            }
            WsRequest::CloseStream { stream_id } => {
                if let Some(cursor_id) = self.lent.get(stream_id).copied() {
                    self.close_cursor(cursor_id);
                }
                if let Some(Some(_)) = self.streams.remove(stream_id) {
                    shared.ws_open_streams.fetch_sub(1, Ordering::SeqCst);
                }
                self.cursors
                    .retain(|_, c| !matches!(c, Some((s, _)) if s == stream_id));
                ok("close_stream")
            }
            WsRequest::Execute { stream_id, stmt } => {
                let wire_stmt = stmt;
                let stmt = exec::to_stmt(stmt, &self.sqls, v)?;
                let t = match stream_mut(&mut self.streams, *stream_id) {
                    Ok(t) => t,
                    Err(e) => return Ok(Err(e)),
                };
                exec::admit(shared, t, [stmt.sql.as_str()])?;
                let index = wire_stmt.replication_index;
                let r = replica::run(shared, t, index, [stmt.sql.as_str()], |t| {
                    exec::execute(shared, t, &stmt, max)
                });
                Ok(r.map(|result| tagged("execute", "result", &result)))
            }
            WsRequest::Batch { stream_id, batch } => {
                let b = exec::to_batch(batch, &self.sqls, v)?;
                let t = match stream_mut(&mut self.streams, *stream_id) {
                    Ok(t) => t,
                    Err(e) => return Ok(Err(e)),
                };
                exec::admit(shared, t, exec::batch_sqls(&b))?;
                let index = batch.replication_index;
                let r = replica::run(shared, t, index, exec::batch_sqls(&b), |t| {
                    exec::batch(shared, t, &b, max)
                });
                Ok(r.map(|result| tagged("batch", "result", &result)))
            }
            WsRequest::Sequence {
                stream_id,
                sql,
                sql_id,
            } => {
                self.need(2, "The `sequence` request")?;
                let sql = self.sqls.resolve(sql.as_deref(), *sql_id, v)?;
                let t = match stream_mut(&mut self.streams, *stream_id) {
                    Ok(t) => t,
                    Err(e) => return Ok(Err(e)),
                };
                exec::admit(shared, t, [sql.as_str()])?;
                Ok(exec::sequence(t, &sql).map(|_| raw(&json!({"type": "sequence"}))))
            }
            WsRequest::Describe {
                stream_id,
                sql,
                sql_id,
            } => {
                self.need(2, "The `describe` request")?;
                let sql = self.sqls.resolve(sql.as_deref(), *sql_id, v)?;
                Ok(stream_mut(&mut self.streams, *stream_id)
                    .and_then(|t| exec::describe(t, &sql))
                    .map(|result| raw(&json!({"type": "describe", "result": result}))))
            }
            WsRequest::StoreSql { sql_id, sql } => {
                self.need(2, "The `store_sql` request")?;
                Ok(self
                    .sqls
                    .store(*sql_id, sql.clone(), exec::MAX_SQL_WS, false)?
                    .map(|_| raw(&json!({"type": "store_sql"}))))
            }
            WsRequest::CloseSql { sql_id } => {
                self.need(2, "The `close_sql` request")?;
                self.sqls.close(*sql_id);
                ok("close_sql")
            }
            WsRequest::GetAutocommit { stream_id } => {
                self.need(3, "The `get_autocommit` request")?;
                Ok(stream_mut(&mut self.streams, *stream_id)
                    .map(|t| raw(&json!({"type": "get_autocommit", "is_autocommit": t.connection().is_autocommit()}))))
            }
            WsRequest::OpenCursor {
                stream_id,
                cursor_id,
                batch,
            } => {
                self.need(3, "The `open_cursor` request")?;
                if self.cursors.contains_key(cursor_id) {
                    return Err(exec::protocol(format!("Cursor {cursor_id} already exists")));
                }
                let b = exec::to_batch(batch, &self.sqls, v)?;
                let t = match stream_mut(&mut self.streams, *stream_id) {
                    Ok(t) => t,
                    Err(e) => {
                        self.cursors.insert(*cursor_id, None);
                        return Ok(Err(e));
                    }
                };
                exec::admit(shared, t, exec::batch_sqls(&b))?;
                let t = self
                    .streams
                    .remove(stream_id)
                    .flatten()
                    .expect("the stream was just found open");
                let fault = lock(&shared.cursor_faults).pop_front();
                let worker = Worker::spawn(shared, t, b, fault);
                self.lent.insert(*stream_id, *cursor_id);
                self.cursors.insert(*cursor_id, Some((*stream_id, worker)));
                ok("open_cursor")
            }
            WsRequest::FetchCursor {
                cursor_id,
                max_count,
            } => {
                self.need(3, "The `fetch_cursor` request")?;
                match self.cursors.get_mut(cursor_id) {
                    Some(Some((_, worker))) => {
                        let got = worker.fetch(*max_count as usize, max / 8);
                        if got.cut {
                            return Err(Failure::Cut);
                        }
                        #[derive(serde::Serialize)]
                        struct Fetched {
                            #[serde(rename = "type")]
                            kind: &'static str,
                            entries: Vec<Raw>,
                            done: bool,
                        }
                        Ok(Ok(raw(&Fetched {
                            kind: "fetch_cursor",
                            entries: got.entries,
                            done: got.done,
                        })))
                    }
                    _ => Ok(Err(exec::err(
                        "CURSOR_NOT_OPEN",
                        format!("Cursor {cursor_id} is not open"),
                    ))),
                }
            }
            WsRequest::CloseCursor { cursor_id } => {
                self.need(3, "The `close_cursor` request")?;
                self.close_cursor(*cursor_id);
                self.cursors.remove(cursor_id);
                ok("close_cursor")
            }
            WsRequest::Unknown => Err(exec::protocol("Received an unknown request type")),
        }
    }
}
