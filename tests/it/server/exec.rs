//! Statement execution for the test server, shared by the HTTP and WebSocket front ends.
//!
//! Every stream is one [`LocalTransport`] on the server's database file, so batch conditions,
//! parameter binding and results follow the crate's own (Hrana-shaped) semantics. This module
//! converts wire requests into transport requests, runs them, and turns the outcome back into
//! the JSON that sqld would send: statement errors carry sqld's codes (`SQL_PARSE_ERROR`,
//! `SQLITE_UNKNOWN` for a plain `SQLITE_ERROR`, `SQLite error: ` message prefix), results carry
//! sqld's extra fields (`rows_read`, `replication_index`, ...) so clients prove they ignore
//! unknown fields. Cursors are in [`super::cursor`].

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use libsql_shell::transport::hrana::{
    WireBatch, WireCol, WireCond, WireError, WireStmt, WireValue, WireValueRef,
};
use libsql_shell::transport::local::{LocalOptions, LocalTransport};
use libsql_shell::transport::{
    After, Batch, BatchStep, Collect, PipelineError, Request, Response, SqlError, StepOutcome,
    StepRef, StepSink, Stmt, Transport,
};
use libsql_shell::value::{Column, StmtSummary, Value};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value as Json};

use super::{replica, Shared};

/// Limits of sqld: stored SQL texts per HTTP stream, per WebSocket connection, and size.
pub const MAX_SQL_HTTP: usize = 50;
pub const MAX_SQL_WS: usize = 150;
pub const MAX_SQL_SIZE: usize = 5 * 1024;

/// A JSON document serialized once. Results are built straight into their text: a tree of
/// `serde_json::Value`s per row cost the server ten times the client's work in a remote dump.
pub type Raw = Box<RawValue>;

/// Serialize once.
pub fn raw(v: &impl Serialize) -> Raw {
    serde_json::value::to_raw_value(v).expect("serializable")
}

/// `{"type": kind, key: inner}` around an already serialized document.
pub fn tagged(kind: &str, key: &str, inner: &RawValue) -> Raw {
    struct Tagged<'a>(&'a str, &'a str, &'a RawValue);
    impl Serialize for Tagged<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(Some(2))?;
            m.serialize_entry("type", self.0)?;
            m.serialize_entry(self.1, self.2)?;
            m.end()
        }
    }
    raw(&Tagged(kind, key, inner))
}

/// A failure that ends more than one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// A protocol violation: HTTP 400 `text/plain`, WebSocket close 1008 (policy).
    Protocol(String),
    /// A write while the server plays a read-only token: HTTP 403, WebSocket close 1008.
    Forbidden,
    /// The request failed as a whole inside the server (sqld's replica when its primary
    /// cannot be reached): HTTP 500 `{"error": …}`, WebSocket close 1011.
    Internal(String),
    /// A fault cut the connection: drop it without answering.
    Cut,
}

pub fn protocol(msg: impl Into<String>) -> Failure {
    Failure::Protocol(msg.into())
}

pub fn err(code: &str, message: impl Into<String>) -> WireError {
    WireError {
        message: message.into(),
        code: Some(code.to_string()),
    }
}

/// Open a new stream's connection the way the brief prescribes.
pub fn open_stream(db_path: &Path) -> Result<LocalTransport, WireError> {
    let opts = LocalOptions {
        // WAL with synchronous=NORMAL, as sqld runs its databases (no fsync per commit).
        init_command: Some("PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL".into()),
        ..Default::default()
    };
    LocalTransport::open(&db_path.to_string_lossy(), opts)
        .map_err(|e| err("SQLITE_CANTOPEN", format!("cannot open stream: {e}")))
}

/// Stored SQL texts (`store_sql`): per stream over HTTP, per connection over WebSocket.
#[derive(Debug, Default)]
pub struct SqlStore {
    texts: HashMap<i32, String>,
}

impl SqlStore {
    /// Store a text. A reused id is a protocol error; the count and size limits are
    /// request errors (sqld only limits the size over HTTP).
    pub fn store(
        &mut self,
        id: i32,
        sql: String,
        limit: usize,
        check_size: bool,
    ) -> Result<Result<(), WireError>, Failure> {
        if self.texts.contains_key(&id) {
            return Err(protocol(format!("SQL text with id {id} already exists")));
        }
        if self.texts.len() >= limit {
            let n = self.texts.len();
            return Ok(Err(err(
                "SQL_STORE_TOO_MANY",
                format!("The server already stores {n} SQL texts, it cannot store more"),
            )));
        }
        if check_size && sql.len() > MAX_SQL_SIZE {
            let msg = format!(
                "The statement is too large to be stored: {} B/{MAX_SQL_SIZE} B",
                sql.len()
            );
            return Ok(Err(err("SQL_STORE_TOO_LARGE", msg)));
        }
        self.texts.insert(id, sql);
        Ok(Ok(()))
    }

    pub fn close(&mut self, id: i32) {
        self.texts.remove(&id);
    }

    /// Exactly one of `sql` / `sql_id` (v2+ for ids); anything else is a protocol error.
    pub fn resolve(
        &self,
        sql: Option<&str>,
        sql_id: Option<i32>,
        version: u8,
    ) -> Result<String, Failure> {
        match (sql, sql_id) {
            (Some(s), None) => Ok(s.to_string()),
            (None, Some(id)) if version < 2 => Err(protocol(format!(
                "Field `sql_id` (id {id}) is only supported in protocol version hrana2 and higher"
            ))),
            (None, Some(id)) => self
                .texts
                .get(&id)
                .cloned()
                .ok_or_else(|| protocol(format!("SQL text {id} not found"))),
            (Some(_), Some(_)) => Err(protocol("Received both SQL text and SQL id")),
            (None, None) => Err(protocol("Received neither SQL text nor SQL id")),
        }
    }
}

/// Convert a wire statement (resolving `sql_id`).
pub fn to_stmt(w: &WireStmt, sqls: &SqlStore, version: u8) -> Result<Stmt, Failure> {
    let sql = sqls.resolve(w.sql.as_deref(), w.sql_id, version)?;
    let value = |v: &WireValue| v.clone().into_value().map_err(protocol);
    Ok(Stmt {
        sql,
        args: w.args.iter().map(value).collect::<Result<_, _>>()?,
        named_args: w
            .named_args
            .iter()
            .map(|a| Ok((a.name.clone(), value(&a.value)?)))
            .collect::<Result<_, Failure>>()?,
        want_rows: w.want_rows.unwrap_or(true),
    })
}

/// Convert a wire batch: conditions may only name earlier steps, and `is_autocommit` is
/// Hrana 3 only (both are protocol errors on sqld).
pub fn to_batch(w: &WireBatch, sqls: &SqlStore, version: u8) -> Result<Batch, Failure> {
    fn check(c: &WireCond, step: u32, version: u8) -> Result<(), Failure> {
        match c {
            WireCond::Ok { step: s } | WireCond::Error { step: s } if *s >= step => {
                Err(protocol(format!("Batch step {step} refers to step {s}, which is not an earlier step")))
            }
            WireCond::Ok { .. } | WireCond::Error { .. } => Ok(()),
            WireCond::Not { cond } => check(cond, step, version),
            WireCond::And { conds } | WireCond::Or { conds } => {
                conds.iter().try_for_each(|c| check(c, step, version))
            }
            WireCond::IsAutocommit {} if version < 3 => Err(protocol(
                "The `is_autocommit` condition is only supported in protocol version hrana3 and higher",
            )),
            WireCond::IsAutocommit {} => Ok(()),
            WireCond::Unknown => Err(protocol("Unknown batch condition type")),
        }
    }
    let mut steps = Vec::with_capacity(w.steps.len());
    for (i, s) in w.steps.iter().enumerate() {
        let condition = match &s.condition {
            Some(c) => {
                check(c, i as u32, version)?;
                Some(c.to_cond().map_err(protocol)?)
            }
            None => None,
        };
        steps.push(BatchStep {
            condition,
            stmt: to_stmt(&s.stmt, sqls, version)?,
        });
    }
    Ok(Batch { steps })
}

/// Whether the server takes the request at all. With the read-only knob on, any statement
/// SQLite does not call read-only is refused (what a read-only token gets from sqld: the
/// whole request fails with 403); a replica whose primary cannot be reached fails a request
/// it would forward there ([`replica::admit`]).
pub fn admit<'a>(
    shared: &Shared,
    t: &LocalTransport,
    sqls: impl IntoIterator<Item = &'a str>,
) -> Result<(), Failure> {
    let sqls: Vec<&str> = sqls.into_iter().collect();
    replica::admit(shared, t.connection(), &sqls)?;
    if !shared.read_only.load(std::sync::atomic::Ordering::SeqCst) {
        return Ok(());
    }
    for sql in sqls {
        for piece in libsql_shell::sql::split(sql) {
            // A statement that does not prepare is left to fail when it runs.
            if let Ok(p) = t.connection().prepare(&piece.sql) {
                if !p.readonly() {
                    return Err(Failure::Forbidden);
                }
            }
        }
    }
    Ok(())
}

/// Map the local transport's error to what sqld reports.
pub fn wire_error(e: SqlError) -> WireError {
    let SqlError { message, code } = e;
    match code.as_deref() {
        Some("SQLITE_ERROR") => {
            let parse = ["syntax error", "incomplete input", "unrecognized token"];
            if parse.iter().any(|p| message.contains(p)) {
                err(
                    "SQL_PARSE_ERROR",
                    format!("SQL string could not be parsed: {message}"),
                )
            } else {
                err("SQLITE_UNKNOWN", format!("SQLite error: {message}"))
            }
        }
        Some(c) if c.starts_with("SQLITE_") => err(c, format!("SQLite error: {message}")),
        Some(c) => err(c, message),
        None => err("SQLITE_UNKNOWN", message),
    }
}

fn no_statement() -> WireError {
    err(
        "SQL_NO_STATEMENT",
        "SQL text does not contain any statement",
    )
}

/// sqld wants exactly one statement per text (a trailing `;` or comment is fine).
fn shape_error(sql: &str) -> Option<WireError> {
    let n = libsql_shell::sql::split(sql)
        .iter()
        .filter(|p| !libsql_shell::sql::is_blank(&p.sql))
        .count();
    match n {
        0 => Some(no_statement()),
        1 => None,
        _ => Some(err(
            "SQL_MANY_STATEMENTS",
            "SQL text contains more than one statement",
        )),
    }
}

pub fn internal(e: PipelineError) -> WireError {
    err("INTERNAL", format!("internal test-server error: {e}"))
}

/// The error of a result over the response cap.
pub fn too_large(size: usize, max: usize) -> WireError {
    err(
        "RESPONSE_TOO_LARGE",
        format!("Response is too large: {size} > {max} bytes"),
    )
}

/// Estimated JSON size of a value in a response, as sqld counts it towards its cap.
pub fn value_size(v: &Value) -> usize {
    match v {
        Value::Null => 15,
        Value::Integer(i) => 30 + itoa::Buffer::new().format(*i).len(),
        Value::Real(_) => 50,
        Value::Text(t) => 27 + t.len(),
        Value::RawText(t) => 27 + t.len(),
        Value::Blob(b) => 30 + b.len() * 4 / 3,
    }
}

/// Collects rows while counting their estimated size against the response cap: like
/// sqld, the statement (and the batch) stops at the row that crosses it.
struct Budgeted {
    rows: Collect,
    used: usize,
    max: usize,
}

#[derive(Debug)]
struct OverBudget(usize);

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "response of {} bytes over the cap", self.0)
    }
}

impl std::error::Error for OverBudget {}

impl StepSink for Budgeted {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()> {
        self.used += cols.iter().map(|c| 30 + c.name.len()).sum::<usize>();
        self.rows.begin(at, cols)
    }
    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()> {
        self.used += row.iter().map(value_size).sum::<usize>();
        if self.used > self.max {
            return Err(OverBudget(self.used).into());
        }
        self.rows.row(at, row)
    }
    fn end(&mut self, at: StepRef, s: &StmtSummary) -> anyhow::Result<()> {
        self.rows.end(at, s)
    }
}

/// Run `reqs` collecting their rows within `max` bytes of response.
fn run_budgeted(
    t: &mut LocalTransport,
    reqs: &[Request],
    max: usize,
) -> Result<(Vec<libsql_shell::transport::RequestResult>, Collect), WireError> {
    let mut sink = Budgeted {
        rows: Collect::default(),
        used: 0,
        max,
    };
    match t.pipeline(reqs, After::KeepOpen, &mut sink) {
        Ok(r) => Ok((r, sink.rows)),
        Err(PipelineError::Sink(e)) if e.is::<OverBudget>() => Err(too_large(sink.used, max)),
        Err(e) => Err(internal(e)),
    }
}

/// Rows serialized as arrays of wire values, borrowed.
struct RowsOut<'a>(&'a [Vec<Value>]);

impl Serialize for RowsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|r| RowOut(r)))
    }
}

pub struct RowOut<'a>(pub &'a [Value]);

impl Serialize for RowOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(WireValueRef))
    }
}

/// A `StmtResult` in sqld's JSON shape, extras included.
pub fn stmt_result(
    summary: &StmtSummary,
    rows: &[Vec<Value>],
    started: Instant,
    shared: &Shared,
) -> Raw {
    #[derive(Serialize)]
    struct StmtResultOut<'a> {
        cols: Vec<WireCol>,
        rows: RowsOut<'a>,
        affected_row_count: u64,
        last_insert_rowid: Option<String>,
        rows_read: usize,
        rows_written: u64,
        query_duration_ms: f64,
        replication_index: String,
    }
    let written = summary.affected_row_count;
    let idx = shared.note_writes(written);
    raw(&StmtResultOut {
        cols: summary.cols.iter().map(WireCol::from).collect(),
        rows: RowsOut(rows),
        affected_row_count: written,
        last_insert_rowid: summary.last_insert_rowid.map(|i| i.to_string()),
        rows_read: rows.len(),
        rows_written: written,
        query_duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        replication_index: idx.to_string(),
    })
}

/// Run one statement: the `StmtResult` JSON, or the statement's error. Rows over `max`
/// bytes of response stop it with `RESPONSE_TOO_LARGE`.
pub fn execute(
    shared: &Shared,
    t: &mut LocalTransport,
    stmt: &Stmt,
    max: usize,
) -> Result<Raw, WireError> {
    if let Some(e) = shape_error(&stmt.sql) {
        return Err(e);
    }
    let forwarded = replica::forwarded(shared, t.connection(), &[stmt.sql.as_str()]);
    let started = Instant::now();
    let (r, mut sink) = run_budgeted(t, &[Request::Execute(stmt.clone())], max)?;
    match r.into_iter().next() {
        Some(Ok(Response::Execute(summary))) => {
            let rows = sink
                .results
                .pop()
                .map(|(_, _, rows)| rows)
                .unwrap_or_default();
            Ok(stmt_result(&summary, &rows, started, shared))
        }
        Some(Err(e)) if forwarded[0] => Err(replica::refused_by_primary(wire_error(e))),
        Some(Err(e)) => Err(wire_error(e)),
        other => Err(err(
            "INTERNAL",
            format!("unexpected local response {other:?}"),
        )),
    }
}

/// Run a batch: the `BatchResult` JSON (`step_results`/`step_errors`, null for skipped).
/// Like sqld, a batch whose rows cross `max` bytes of response stops at that row and fails
/// as a whole with `RESPONSE_TOO_LARGE` (the steps before it have run).
pub fn batch(
    shared: &Shared,
    t: &mut LocalTransport,
    b: &Batch,
    max: usize,
) -> Result<Raw, WireError> {
    let started = Instant::now();
    if let Some(e) = parse_error(b) {
        return Err(e);
    }
    let (b, bad) = bad_steps(b);
    let sqls: Vec<&str> = batch_sqls(&b).collect();
    let forwarded = replica::forwarded(shared, t.connection(), &sqls);
    let (r, sink) = run_budgeted(t, &[Request::Batch(b)], max)?;
    let outcomes = match r.into_iter().next() {
        Some(Ok(Response::Batch(o))) => o,
        other => {
            return Err(err(
                "INTERNAL",
                format!("unexpected local response {other:?}"),
            ))
        }
    };
    let mut rows: HashMap<usize, Vec<Vec<Value>>> = HashMap::new();
    for (at, _, r) in sink.results {
        rows.insert(at.step.unwrap_or(0), r);
    }
    let mut results: Vec<Option<Raw>> = Vec::with_capacity(outcomes.len());
    let mut errors: Vec<Option<WireError>> = Vec::with_capacity(outcomes.len());
    for (i, o) in outcomes.into_iter().enumerate() {
        match o {
            StepOutcome::Err(_) if bad.contains_key(&i) => {
                results.push(None);
                errors.push(Some(bad[&i].clone()));
            }
            StepOutcome::Ok(s) => {
                let r = rows.remove(&i).unwrap_or_default();
                results.push(Some(stmt_result(&s, &r, started, shared)));
                errors.push(None);
            }
            StepOutcome::Err(e) if forwarded[i] => {
                results.push(None);
                errors.push(Some(replica::refused_by_primary(wire_error(e))));
            }
            StepOutcome::Err(e) => {
                results.push(None);
                errors.push(Some(wire_error(e)));
            }
            StepOutcome::Skipped => {
                results.push(None);
                errors.push(None);
            }
        }
    }
    #[derive(Serialize)]
    struct BatchOut {
        step_results: Vec<Option<Raw>>,
        step_errors: Vec<Option<WireError>>,
        /// sqld's too (a string, as in its statement results).
        replication_index: String,
    }
    Ok(raw(&BatchOut {
        step_results: results,
        step_errors: errors,
        replication_index: shared.replication_index().to_string(),
    }))
}

/// sqld parses every step of a batch before running any: one that does not parse fails the
/// whole batch (a request-level error), and nothing of it runs.
pub fn parse_error(b: &Batch) -> Option<WireError> {
    let message = b
        .steps
        .iter()
        .find_map(|s| libsql_shell::sql::syntax_error(&s.stmt.sql))?;
    Some(err(
        "SQL_PARSE_ERROR",
        format!("SQL string could not be parsed: {message}"),
    ))
}

/// Steps with no statement or several fail as on sqld. They run as a statement that fails
/// (so later conditions see an error), and their error is replaced afterwards.
pub fn bad_steps(b: &Batch) -> (Batch, HashMap<usize, WireError>) {
    let mut bad = HashMap::new();
    let mut b = b.clone();
    for (i, s) in b.steps.iter_mut().enumerate() {
        if let Some(e) = shape_error(&s.stmt.sql) {
            bad.insert(i, e);
            s.stmt = Stmt::new("SELECT raise(ABORT, 'bad statement')");
        }
    }
    (b, bad)
}

/// Run a `;`-separated script (no rows; stops at the first error).
pub fn sequence(t: &mut LocalTransport, sql: &str) -> Result<(), WireError> {
    let r = t
        .pipeline(
            &[Request::Sequence(sql.to_string())],
            After::KeepOpen,
            &mut Collect::default(),
        )
        .map_err(internal)?;
    match r.into_iter().next() {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(wire_error(e)),
        None => Err(err("INTERNAL", "no local response")),
    }
}

/// `describe`: parameters, columns and flags of one statement, from SQLite's prepare.
pub fn describe(t: &LocalTransport, sql: &str) -> Result<Json, WireError> {
    if let Some(e) = shape_error(sql) {
        return Err(e);
    }
    let p = t
        .connection()
        .prepare(sql)
        .map_err(|e| wire_error(libsql_shell::transport::local::sql_error(e)))?;
    let params: Vec<Json> = (1..=p.parameter_count())
        .map(|i| json!({ "name": p.parameter_name(i) }))
        .collect();
    let cols: Vec<Json> = p
        .columns()
        .iter()
        .map(|c| json!({ "name": c.name(), "decltype": c.decl_type() }))
        .collect();
    let words = libsql_shell::sql::leading_words(sql, 1);
    Ok(json!({
        "params": params,
        "cols": cols,
        "is_explain": words.first().is_some_and(|w| w == "EXPLAIN"),
        "is_readonly": p.readonly(),
    }))
}

/// The SQL texts of a request's statements, for the read-only check.
pub fn batch_sqls(b: &Batch) -> impl Iterator<Item = &str> {
    b.steps.iter().map(|s| s.stmt.sql.as_str())
}
