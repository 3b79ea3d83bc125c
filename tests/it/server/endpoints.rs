//! The Hrana endpoints behind the HTTP router: `/v2/pipeline` and `/v3/pipeline` (streams
//! named by single-use batons, kept in [`Shared::streams`] between requests; each answer
//! within the response cap), `/v3/cursor` (newline-delimited entries streamed in a chunked
//! body, no cap) and the stateless legacy `/v1/execute` and `/v1/batch`.

use std::net::TcpStream;
use std::time::Instant;

use libsql_shell::transport::hrana::{
    CursorRequest, PipelineRequest, StreamRequest, WireBatch, WireError, WireStmt,
};
use libsql_shell::transport::Batch;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value as Json};
use std::path::Path;

use super::cursor::{self, CursorFault, End};
use super::exec::{self, raw, tagged, Failure, Raw, SqlStore};
use super::http::{json_reply, raw_reply, text, Chunked, Reply};
use super::replica;
use super::{lock, HttpStream, Shared, Slot};

fn failure_reply(f: Failure) -> Reply {
    match f {
        Failure::Protocol(msg) => text(400, &msg),
        Failure::Forbidden => json_reply(
            403,
            &json!({"error": "Authorization forbidden: the token is read-only (test server)"}),
        ),
        Failure::Internal(msg) => json_reply(500, &json!({ "error": msg })),
        Failure::Cut => Reply::Drop,
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
fn take_stream(shared: &Shared, db: &Path, baton: Option<&str>) -> Result<HttpStream, Reply> {
    shared.sweep();
    let Some(b) = baton else {
        return exec::open_stream(db)
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
    put_stream_as(shared, baton.clone(), stream);
    baton
}

/// Put a stream back under `baton`.
fn put_stream_as(shared: &Shared, baton: String, stream: HttpStream) {
    lock(&shared.streams).insert(
        baton.clone(),
        Slot::Open {
            stream: Box::new(stream),
            last_used: Instant::now(),
        },
    );
}

pub fn pipeline(shared: &Shared, db: &Path, body: &[u8], version: u8) -> Reply {
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
    let mut stream = match take_stream(shared, db, req.baton.as_deref()) {
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
    #[derive(serde::Serialize)]
    struct PipelineOut {
        baton: Option<String>,
        base_url: Option<String>,
        results: Vec<Raw>,
    }
    let out = PipelineOut {
        baton,
        base_url: shared.base_url(),
        results,
    };
    if shared.cfg.sorted_keys {
        // A tree of `serde_json::Value`s keeps its object keys sorted.
        return json_reply(200, &serde_json::to_value(&out).expect("json"));
    }
    raw_reply(200, &out)
}

/// The cap left for the next result, and the result counted against it.
fn within_budget(r: Raw, used: &mut usize) -> Raw {
    *used += r.get().len();
    r
}

fn stream_request(
    shared: &Shared,
    s: &mut HttpStream,
    r: &StreamRequest,
    version: u8,
    used: &mut usize,
    closed: &mut bool,
) -> Result<Raw, Failure> {
    let max = shared.cfg.max_response_size.saturating_sub(*used);
    let res: Result<Raw, WireError> = match r {
        StreamRequest::Close {} => {
            *closed = true;
            Ok(raw(&json!({"type": "close"})))
        }
        StreamRequest::Execute { stmt } => {
            let index = stmt.replication_index;
            let stmt = exec::to_stmt(stmt, &s.sqls, version)?;
            exec::admit(shared, &s.t, [stmt.sql.as_str()])?;
            replica::run(shared, &mut s.t, index, [stmt.sql.as_str()], |t| {
                exec::execute(shared, t, &stmt, max)
            })
            .map(|r| within_budget(r, used))
            .map(|result| tagged("execute", "result", &result))
        }
        StreamRequest::Batch { batch } => {
            let b = exec::to_batch(batch, &s.sqls, version)?;
            exec::admit(shared, &s.t, exec::batch_sqls(&b))?;
            let index = batch.replication_index;
            replica::run(shared, &mut s.t, index, exec::batch_sqls(&b), |t| {
                exec::batch(shared, t, &b, max)
            })
            .map(|r| within_budget(r, used))
            .map(|result| tagged("batch", "result", &result))
        }
        StreamRequest::Sequence { sql, sql_id } => {
            let sql = s.sqls.resolve(sql.as_deref(), *sql_id, version)?;
            exec::admit(shared, &s.t, [sql.as_str()])?;
            exec::sequence(&mut s.t, &sql).map(|_| raw(&json!({"type": "sequence"})))
        }
        StreamRequest::Describe { sql, sql_id } => {
            let sql = s.sqls.resolve(sql.as_deref(), *sql_id, version)?;
            exec::describe(&s.t, &sql)
                .map(|result| raw(&json!({"type": "describe", "result": result})))
        }
        StreamRequest::StoreSql { sql_id, sql } => s
            .sqls
            .store(*sql_id, sql.clone(), exec::MAX_SQL_HTTP, true)?
            .map(|_| raw(&json!({"type": "store_sql"}))),
        StreamRequest::CloseSql { sql_id } => {
            s.sqls.close(*sql_id);
            Ok(raw(&json!({"type": "close_sql"})))
        }
        StreamRequest::GetAutocommit {} if version < 3 => return Err(exec::protocol(
            "The `get_autocommit` request is only supported in protocol version hrana3 and higher",
        )),
        StreamRequest::GetAutocommit {} => Ok(raw(
            &json!({"type": "get_autocommit", "is_autocommit": s.t.connection().is_autocommit()}),
        )),
        StreamRequest::Unknown => {
            return Err(exec::protocol("Received an unknown stream request type"))
        }
    };
    Ok(match res {
        Ok(response) => tagged("ok", "response", &response),
        Err(error) => raw(&json!({"type": "error", "error": error})),
    })
}

/// `/v3/cursor`: the batch is checked now; it runs while its answer is written (see
/// [`stream_cursor`]), under a baton chosen now for the head line.
pub fn cursor(shared: &Shared, db: &Path, body: &[u8]) -> Reply {
    let (_, req): (Json, CursorRequest) = match parse_body(body) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let stream = match take_stream(shared, db, req.baton.as_deref()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let checked = exec::to_batch(&req.batch, &stream.sqls, 3)
        .and_then(|b| exec::admit(shared, &stream.t, exec::batch_sqls(&b)).map(|_| b));
    let batch = match checked {
        Ok(b) => b,
        Err(f) => return failure_reply(f),
    };
    let baton = shared.new_baton();
    let head = serde_json::to_vec(&cursor::Head {
        baton: baton.clone(),
        base_url: shared.base_url(),
    })
    .expect("json");
    Reply::Cursor(Box::new(CursorJob {
        stream,
        batch,
        baton,
        head,
        fault: lock(&shared.cursor_faults).pop_front(),
    }))
}

/// A cursor to run while its answer is written.
pub struct CursorJob {
    stream: HttpStream,
    batch: Batch,
    baton: String,
    head: Vec<u8>,
    fault: Option<CursorFault>,
}

/// Write a cursor's answer as its batch runs: the head line, then one entry per line, in
/// a chunked body. The stream is kept under the head's baton once the body is complete.
/// Returns whether the connection may serve another request.
pub fn stream_cursor(shared: &Shared, job: CursorJob, sock: &mut TcpStream, keep: bool) -> bool {
    let CursorJob {
        mut stream,
        batch,
        baton,
        head,
        fault,
    } = job;
    let Ok(mut body) = Chunked::start(sock, "text/plain", keep) else {
        return false;
    };
    if body.line(&head).is_err() {
        return false;
    }
    let mut failed = false;
    let mut emit = |e: Raw| {
        failed = failed || body.line(e.get().as_bytes()).is_err();
        !failed
    };
    let end = cursor::run(shared, &mut stream.t, &batch, fault, &mut emit);
    let last = match end {
        End::Cut => {
            // What was written so far goes out; the body never ends.
            let _ = body.flush_chunk();
            return false;
        }
        End::Complete { last } => last,
    };
    if failed {
        return false;
    }
    // The stream takes requests under the head's baton before the client can have read
    // the end of the body.
    put_stream_as(shared, baton, stream);
    let last = last.map_or(Ok(()), |e| body.line(e.get().as_bytes()));
    last.and_then(|_| body.finish()).is_ok() && keep
}

/// Run a cursor whose answer is never sent (a fault drops it); the stream is gone.
pub fn run_cursor_unread(shared: &Shared, mut job: CursorJob) {
    cursor::run(shared, &mut job.stream.t, &job.batch, None, &mut |_| true);
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
pub fn v1(shared: &Shared, db: &Path, body: &[u8], is_batch: bool) -> Reply {
    let mut t = match exec::open_stream(db) {
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
            .and_then(|b| exec::admit(shared, &t, exec::batch_sqls(&b)).map(|_| b));
        match b {
            Ok(b) => exec::batch(shared, &mut t, &b, shared.cfg.max_response_size),
            Err(f) => return failure_reply(f),
        }
    } else {
        let req: V1Execute = match parse_body(body) {
            Ok((_, r)) => r,
            Err(r) => return r,
        };
        let stmt = exec::to_stmt(&req.stmt, &sqls, 1)
            .and_then(|s| exec::admit(shared, &t, [s.sql.as_str()]).map(|_| s));
        match stmt {
            Ok(s) => exec::execute(shared, &mut t, &s, shared.cfg.max_response_size),
            Err(f) => return failure_reply(f),
        }
    };
    match result {
        Ok(r) => {
            #[derive(serde::Serialize)]
            struct V1Out {
                result: Raw,
            }
            raw_reply(200, &V1Out { result: r })
        }
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
