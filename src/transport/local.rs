//! The local transport: one rusqlite connection is one stream. It evaluates batch conditions
//! itself, the way a Hrana server does, so every layer above sees the same behaviour as remote.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};

use super::native::{self, Native};
use super::{
    After, Batch, Capabilities, Cond, PipelineError, Request, RequestResult, Response, SqlError,
    StepOutcome, StepRef, StepSink, Stmt, Transport, TransportError, TransportInfo,
};
use crate::value::{Column, StmtSummary, Value};

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
            Value::RawText(b) => ValueRef::Text(b),
        }))
    }
}

/// Convert a value read from SQLite; text that is not valid UTF-8 keeps its bytes
/// ([`Value::RawText`]), never a panic.
pub fn value_from_ref(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Value::Text(s.to_string()),
            Err(_) => Value::RawText(t.to_vec()),
        },
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// Map a rusqlite error to the Hrana-shaped error the remote servers report.
pub fn sql_error(e: rusqlite::Error) -> SqlError {
    match e {
        rusqlite::Error::SqliteFailure(err, msg) => SqlError {
            message: msg.unwrap_or_else(|| err.to_string()),
            code: Some(primary_code_name(err.extended_code & 0xff).to_string()),
        },
        rusqlite::Error::SqlInputError { error, msg, .. } => SqlError {
            message: msg,
            code: Some(primary_code_name(error.extended_code & 0xff).to_string()),
        },
        rusqlite::Error::MultipleStatement => SqlError {
            message: "SQL text contains more than one statement".into(),
            code: Some("SQL_MANY_STATEMENTS".into()),
        },
        other => SqlError {
            message: other.to_string(),
            code: None,
        },
    }
}

/// `sqlite3_total_changes64` (libsql-rusqlite has no wrapper for it).
fn total_changes(conn: &Connection) -> i64 {
    // SAFETY: the handle is the open connection's, valid while `conn` is borrowed.
    unsafe { rusqlite::ffi::sqlite3_total_changes64(conn.handle()) }
}

fn primary_code_name(code: i32) -> &'static str {
    use rusqlite::ffi;
    match code {
        ffi::SQLITE_ERROR => "SQLITE_ERROR",
        ffi::SQLITE_INTERNAL => "SQLITE_INTERNAL",
        ffi::SQLITE_PERM => "SQLITE_PERM",
        ffi::SQLITE_ABORT => "SQLITE_ABORT",
        ffi::SQLITE_BUSY => "SQLITE_BUSY",
        ffi::SQLITE_LOCKED => "SQLITE_LOCKED",
        ffi::SQLITE_NOMEM => "SQLITE_NOMEM",
        ffi::SQLITE_READONLY => "SQLITE_READONLY",
        ffi::SQLITE_INTERRUPT => "SQLITE_INTERRUPT",
        ffi::SQLITE_IOERR => "SQLITE_IOERR",
        ffi::SQLITE_CORRUPT => "SQLITE_CORRUPT",
        ffi::SQLITE_FULL => "SQLITE_FULL",
        ffi::SQLITE_CANTOPEN => "SQLITE_CANTOPEN",
        ffi::SQLITE_CONSTRAINT => "SQLITE_CONSTRAINT",
        ffi::SQLITE_MISMATCH => "SQLITE_MISMATCH",
        ffi::SQLITE_TOOBIG => "SQLITE_TOOBIG",
        ffi::SQLITE_RANGE => "SQLITE_RANGE",
        ffi::SQLITE_NOTADB => "SQLITE_NOTADB",
        ffi::SQLITE_AUTH => "SQLITE_AUTH",
        _ => "SQLITE_UNKNOWN",
    }
}

/// How a plain `BEGIN` is issued locally (`--transaction-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum BeginMode {
    #[default]
    Deferred,
    Immediate,
    Exclusive,
}

#[derive(Debug, Clone, Default)]
pub struct LocalOptions {
    pub init_command: Option<String>,
    pub begin_mode: Option<BeginMode>,
    pub read_only: bool,
    /// Refuse to create a database file that does not exist (a dump of a typo'd name must
    /// fail, not dump an empty database it just created).
    pub must_exist: bool,
}

impl Native for LocalTransport {
    fn limit(&mut self, id: std::ffi::c_int, value: Option<std::ffi::c_int>) -> std::ffi::c_int {
        native::limit(&self.conn, id, value)
    }
    fn load_extension(&mut self, file: &str, entry: Option<&str>) -> Result<(), String> {
        native::load_extension(&self.conn, file, entry)
    }
    fn backup_to(&mut self, file: &Path) -> Result<(), String> {
        native::backup_to(&self.conn, file)
    }
    fn restore_from(&mut self, file: &Path) -> Result<(), String> {
        native::restore_from(&self.conn, file)
    }
    fn vfs_name(&mut self) -> Option<String> {
        native::vfs_name(&self.conn)
    }
    fn change_counts(&mut self) -> (i64, i64) {
        native::change_counts(&self.conn)
    }
}

pub struct LocalTransport {
    conn: Connection,
    name: String,
    options: LocalOptions,
    stream_open: bool,
    /// Set by Ctrl-C; the running (or next) statement stops with "interrupted". Sticky until
    /// delivered, so a Ctrl-C that lands just before a statement starts is not lost.
    interrupt: Arc<AtomicBool>,
}

impl LocalTransport {
    /// Open (or create) a database file, a `file:` URI or `:memory:`.
    pub fn open(path: &str, options: LocalOptions) -> Result<Self, TransportError> {
        let plain_path = path != ":memory:" && !path.starts_with("file:");
        if options.must_exist && plain_path && !Path::new(path).exists() {
            return Err(TransportError::Open(format!(
                "cannot open {path}: no such database file"
            )));
        }
        let mut flags = OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if options.read_only {
            flags |= OpenFlags::SQLITE_OPEN_READ_ONLY;
        } else {
            flags |= OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(Path::new(path), flags).map_err(|e| {
            TransportError::Open(format!("cannot open {path}: {}", sql_error(e).message))
        })?;
        // Touch the schema so that "not a database" and unreadable files fail here, at open.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|e| {
                TransportError::Open(format!("cannot open {path}: {}", sql_error(e).message))
            })?;
        if let Some(init) = &options.init_command {
            conn.execute_batch(init).map_err(|e| {
                TransportError::Open(format!("--init-command failed: {}", sql_error(e).message))
            })?;
        }
        let interrupt = Arc::new(AtomicBool::new(false));
        let flag = interrupt.clone();
        conn.progress_handler(1000, Some(move || flag.swap(false, Ordering::Relaxed)));
        Ok(LocalTransport {
            conn,
            name: path.to_string(),
            options,
            stream_open: false,
            interrupt,
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn rewrite_begin<'a>(&self, sql: &'a str) -> std::borrow::Cow<'a, str> {
        if let Some(mode) = self.options.begin_mode {
            if crate::sql::is_plain_begin(sql) {
                let kw = match mode {
                    BeginMode::Deferred => "BEGIN DEFERRED",
                    BeginMode::Immediate => "BEGIN IMMEDIATE",
                    BeginMode::Exclusive => "BEGIN EXCLUSIVE",
                };
                return kw.into();
            }
        }
        sql.into()
    }

    /// Run one statement, streaming its rows to `sink`. The outer error is the sink's; the
    /// inner one is the statement's.
    fn exec_stmt(
        &mut self,
        stmt: &Stmt,
        at: StepRef,
        sink: &mut dyn StepSink,
    ) -> Result<Result<StmtSummary, SqlError>, PipelineError> {
        // One statement per request, as a Hrana server requires (rusqlite's prepare would
        // silently ignore the rest).
        match crate::sql::split(&stmt.sql).len() {
            0 => {
                return Ok(Err(SqlError {
                    message: "SQL text contains no statement".into(),
                    code: Some("SQL_NO_STATEMENT".into()),
                }))
            }
            1 => {}
            _ => {
                return Ok(Err(SqlError {
                    message: "SQL text contains more than one statement".into(),
                    code: Some("SQL_MANY_STATEMENTS".into()),
                }))
            }
        }
        let sql = self.rewrite_begin(&stmt.sql);
        let mut prepared = match self.conn.prepare(&sql) {
            Ok(p) => p,
            Err(e) => return Ok(Err(sql_error(e))),
        };
        if let Err(e) = bind(&mut prepared, stmt) {
            return Ok(Err(e));
        }
        let cols: Vec<Column> = prepared
            .columns()
            .iter()
            .map(|c| Column {
                name: c.name().to_string(),
                decltype: c.decl_type().map(str::to_string),
            })
            .collect();
        let readonly = prepared.readonly();
        let changes_before = total_changes(&self.conn);
        let rowid_before = self.conn.last_insert_rowid();
        sink.begin(at, &cols).map_err(PipelineError::Sink)?;
        let mut rows_returned = 0u64;
        {
            let mut rows = prepared.raw_query();
            let mut buf: Vec<Value> = Vec::with_capacity(cols.len());
            loop {
                match rows.next() {
                    Ok(Some(row)) => {
                        if stmt.want_rows {
                            buf.clear();
                            for i in 0..cols.len() {
                                let v = row.get_ref(i).map(value_from_ref).unwrap_or(Value::Null);
                                buf.push(v);
                            }
                            sink.row(at, &buf).map_err(PipelineError::Sink)?;
                            rows_returned += 1;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => return Ok(Err(sql_error(e))),
                }
            }
        }
        drop(prepared);
        let changed = total_changes(&self.conn) != changes_before;
        let affected_row_count = if !readonly && changed {
            self.conn.changes()
        } else {
            0
        };
        let rowid = self.conn.last_insert_rowid();
        // An INSERT that inserted reports its rowid even when it equals the previous one.
        let inserted = affected_row_count > 0
            && matches!(
                crate::sql::leading_words(&stmt.sql, 1)
                    .first()
                    .map(String::as_str),
                Some("INSERT" | "REPLACE")
            );
        let last_insert_rowid = (rowid != rowid_before || inserted).then_some(rowid);
        let summary = StmtSummary {
            cols,
            rows_returned,
            affected_row_count,
            last_insert_rowid,
        };
        sink.end(at, &summary).map_err(PipelineError::Sink)?;
        Ok(Ok(summary))
    }

    fn run_batch(
        &mut self,
        batch: &Batch,
        request: usize,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<StepOutcome>, PipelineError> {
        let mut outcomes: Vec<StepOutcome> = Vec::with_capacity(batch.steps.len());
        for (i, step) in batch.steps.iter().enumerate() {
            let run = match &step.condition {
                None => true,
                Some(c) => eval_cond(c, &outcomes, self.conn.is_autocommit()),
            };
            if !run {
                outcomes.push(StepOutcome::Skipped);
                continue;
            }
            let at = StepRef {
                request,
                step: Some(i),
            };
            match self.exec_stmt(&step.stmt, at, sink)? {
                Ok(s) => outcomes.push(StepOutcome::Ok(s)),
                Err(e) => {
                    sink.error(at, &e).map_err(PipelineError::Sink)?;
                    outcomes.push(StepOutcome::Err(e));
                }
            }
        }
        Ok(outcomes)
    }
}

fn bind(prepared: &mut rusqlite::Statement<'_>, stmt: &Stmt) -> Result<(), SqlError> {
    let invalid = |message: String| SqlError {
        message,
        code: Some("ARGS_INVALID".into()),
    };
    if !stmt.args.is_empty() && !stmt.named_args.is_empty() {
        return Err(SqlError {
            message: "statement has both positional and named arguments".into(),
            code: Some("ARGS_BOTH_POSITIONAL_AND_NAMED".into()),
        });
    }
    let count = prepared.parameter_count();
    if stmt.args.len() > count {
        return Err(invalid(format!(
            "statement takes {count} parameter(s) but {} were given",
            stmt.args.len()
        )));
    }
    for (i, v) in stmt.args.iter().enumerate() {
        prepared.raw_bind_parameter(i + 1, v).map_err(sql_error)?;
    }
    for (name, v) in &stmt.named_args {
        let idx = find_param(prepared, name)
            .ok_or_else(|| invalid(format!("statement has no parameter named {name}")))?;
        prepared.raw_bind_parameter(idx, v).map_err(sql_error)?;
    }
    Ok(())
}

/// Find a named parameter, accepting the name with or without its prefix.
fn find_param(prepared: &rusqlite::Statement<'_>, name: &str) -> Option<usize> {
    if name.starts_with([':', '@', '$']) {
        if let Ok(Some(i)) = prepared.parameter_index(name) {
            return Some(i);
        }
    }
    let bare = name.trim_start_matches([':', '@', '$']);
    for prefix in [":", "@", "$"] {
        if let Ok(Some(i)) = prepared.parameter_index(&format!("{prefix}{bare}")) {
            return Some(i);
        }
    }
    None
}

/// Evaluate a Hrana batch condition against the outcomes of the steps that came before.
/// A reference to a step that has not run yet (or does not exist) is false.
pub fn eval_cond(cond: &Cond, outcomes: &[StepOutcome], is_autocommit: bool) -> bool {
    match cond {
        Cond::Ok(i) => matches!(outcomes.get(*i), Some(StepOutcome::Ok(_))),
        Cond::Error(i) => matches!(outcomes.get(*i), Some(StepOutcome::Err(_))),
        Cond::Not(c) => !eval_cond(c, outcomes, is_autocommit),
        Cond::And(cs) => cs.iter().all(|c| eval_cond(c, outcomes, is_autocommit)),
        Cond::Or(cs) => cs.iter().any(|c| eval_cond(c, outcomes, is_autocommit)),
        Cond::IsAutocommit => is_autocommit,
    }
}

impl Transport for LocalTransport {
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let mut results = Vec::with_capacity(reqs.len());
        for (i, req) in reqs.iter().enumerate() {
            let at = StepRef {
                request: i,
                step: None,
            };
            let r = match req {
                Request::Execute(stmt) => match self.exec_stmt(stmt, at, sink)? {
                    Ok(s) => Ok(Response::Execute(s)),
                    Err(e) => {
                        sink.error(at, &e).map_err(PipelineError::Sink)?;
                        Err(e)
                    }
                },
                Request::Batch(b) => Ok(Response::Batch(self.run_batch(b, i, sink)?)),
                Request::Sequence(sql) => self
                    .conn
                    .execute_batch(sql)
                    .map(|_| Response::Sequence)
                    .map_err(sql_error),
                Request::GetAutocommit => Ok(Response::GetAutocommit(self.conn.is_autocommit())),
            };
            results.push(r);
        }
        match after {
            After::KeepOpen => self.stream_open = true,
            After::Close => {
                // Closing a stream ends its connection on a server, which rolls back an open
                // transaction; the local connection outlives it, so roll back explicitly.
                if !self.conn.is_autocommit() {
                    let _ = self.conn.execute_batch("ROLLBACK");
                }
                self.stream_open = false;
            }
        }
        Ok(results)
    }

    fn stream_open(&self) -> bool {
        self.stream_open
    }

    fn interrupter(&self) -> Option<std::sync::Arc<dyn Fn() + Send + Sync>> {
        let flag = self.interrupt.clone();
        Some(Arc::new(move || flag.store(true, Ordering::Relaxed)))
    }

    fn native(&mut self) -> Option<&mut dyn Native> {
        Some(self)
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            autocommit_queries: true,
            streams: true,
            // Local rows stream as they are produced: nothing to cap.
            cursors: false,
            encoded_values: false,
        }
    }

    fn info(&self) -> TransportInfo {
        TransportInfo {
            kind: "local",
            protocol: crate::engine::describe(),
            endpoint: self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{BatchStep, Collect, Discard};

    fn mem() -> LocalTransport {
        LocalTransport::open(":memory:", LocalOptions::default()).unwrap()
    }

    fn step(sql: &str, condition: Option<Cond>) -> BatchStep {
        BatchStep {
            condition,
            stmt: Stmt::new(sql),
        }
    }

    fn run(t: &mut LocalTransport, steps: Vec<BatchStep>) -> Vec<StepOutcome> {
        let r = t
            .pipeline(
                &[Request::Batch(Batch { steps })],
                After::KeepOpen,
                &mut Discard,
            )
            .unwrap();
        match r.into_iter().next().unwrap().unwrap() {
            Response::Batch(o) => o,
            other => panic!("{other:?}"),
        }
    }

    fn kinds(o: &[StepOutcome]) -> String {
        o.iter()
            .map(|s| match s {
                StepOutcome::Skipped => 's',
                StepOutcome::Ok(_) => 'o',
                StepOutcome::Err(_) => 'e',
            })
            .collect()
    }

    #[test]
    fn cond_ok_and_error() {
        let mut t = mem();
        let o = run(
            &mut t,
            vec![
                step("SELECT 1", None),
                step("SELEC 2", Some(Cond::Ok(0))),
                step("SELECT 3", Some(Cond::Ok(1))),
                step("SELECT 4", Some(Cond::Error(1))),
                step("SELECT 5", Some(Cond::Error(0))),
            ],
        );
        assert_eq!(kinds(&o), "oesos");
    }

    #[test]
    fn cond_not_and_or() {
        let mut t = mem();
        let o = run(
            &mut t,
            vec![
                step("SELECT 1", None),
                step("bogus", None),
                step("SELECT 'not'", Some(!(Cond::Ok(1)))),
                step(
                    "SELECT 'and'",
                    Some(Cond::And(vec![Cond::Ok(0), Cond::Error(1)])),
                ),
                step(
                    "SELECT 'and-false'",
                    Some(Cond::And(vec![Cond::Ok(0), Cond::Ok(1)])),
                ),
                step(
                    "SELECT 'or'",
                    Some(Cond::Or(vec![Cond::Ok(1), Cond::Ok(0)])),
                ),
                step(
                    "SELECT 'or-false'",
                    Some(Cond::Or(vec![Cond::Ok(1), Cond::Error(0)])),
                ),
                step("SELECT 'empty-and'", Some(Cond::And(vec![]))),
                step("SELECT 'empty-or'", Some(Cond::Or(vec![]))),
                step("SELECT 'forward'", Some(Cond::Ok(20))),
            ],
        );
        assert_eq!(kinds(&o), "oeoosososs");
    }

    #[test]
    fn cond_is_autocommit() {
        let mut t = mem();
        let o = run(
            &mut t,
            vec![
                step("SELECT 'outside'", Some(Cond::IsAutocommit)),
                step("BEGIN", None),
                step("SELECT 'inside'", Some(Cond::IsAutocommit)),
                step("SELECT 'inside-not'", Some(!(Cond::IsAutocommit))),
                step("ROLLBACK", None),
            ],
        );
        assert_eq!(kinds(&o), "oosoo");
    }

    #[test]
    fn transactional_batch_rolls_back_on_failure() {
        let mut t = mem();
        run(&mut t, vec![step("CREATE TABLE t(x PRIMARY KEY)", None)]);
        let o = run(
            &mut t,
            vec![
                step("BEGIN", None),
                step("INSERT INTO t VALUES (1)", Some(Cond::Ok(0))),
                step("INSERT INTO t VALUES (1)", Some(Cond::Ok(1))),
                step("COMMIT", Some(Cond::Ok(2))),
                step("ROLLBACK", Some(!(Cond::Ok(3)))),
            ],
        );
        assert_eq!(kinds(&o), "ooeso");
        let mut c = Collect::default();
        t.pipeline(
            &[Request::Execute(Stmt::new("SELECT count(*) FROM t"))],
            After::Close,
            &mut c,
        )
        .unwrap();
        assert_eq!(c.results[0].2, vec![vec![Value::Integer(0)]]);
    }

    #[test]
    fn summaries_and_params() {
        let mut t = mem();
        let mut stmt = Stmt::new("CREATE TABLE t(a, b)");
        stmt.want_rows = false;
        let mut ins = Stmt::new("INSERT INTO t VALUES (?, ?), (?, ?)");
        ins.args = vec![
            Value::Integer(i64::MAX),
            Value::Null,
            Value::Real(0.1),
            Value::Blob(vec![0]),
        ];
        let mut named = Stmt::new("SELECT :x, @y");
        named.named_args = vec![
            ("x".into(), Value::Text("é".into())),
            ("@y".into(), Value::Integer(2)),
        ];
        let mut c = Collect::default();
        let r = t
            .pipeline(
                &[
                    Request::Execute(stmt),
                    Request::Execute(ins),
                    Request::Execute(named),
                    Request::GetAutocommit,
                ],
                After::Close,
                &mut c,
            )
            .unwrap();
        match &r[1] {
            Ok(Response::Execute(s)) => {
                assert_eq!(s.affected_row_count, 2);
                assert_eq!(s.last_insert_rowid, Some(2));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            c.results[2].2,
            vec![vec![Value::Text("é".into()), Value::Integer(2)]]
        );
        assert_eq!(r[3], Ok(Response::GetAutocommit(true)));
    }

    #[test]
    fn one_statement_per_request_and_rowids_of_equal_value() {
        let mut t = mem();
        let r = t
            .pipeline(
                &[
                    Request::Execute(Stmt::new("SELECT 1; SELECT 2")),
                    Request::Execute(Stmt::new("-- only a comment")),
                    Request::Sequence("CREATE TABLE a(x); CREATE TABLE b(x);".into()),
                    Request::Execute(Stmt::new("INSERT INTO a VALUES (1)")),
                    Request::Execute(Stmt::new("INSERT INTO b VALUES (1)")),
                ],
                After::Close,
                &mut Discard,
            )
            .unwrap();
        assert!(matches!(&r[0], Err(e) if e.code.as_deref() == Some("SQL_MANY_STATEMENTS")));
        assert!(matches!(&r[1], Err(e) if e.code.as_deref() == Some("SQL_NO_STATEMENT")));
        for i in [3, 4] {
            match &r[i] {
                Ok(Response::Execute(s)) => assert_eq!(s.last_insert_rowid, Some(1)),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn close_rolls_back_open_transaction() {
        let mut t = mem();
        t.pipeline(
            &[Request::Sequence(
                "CREATE TABLE t(x); BEGIN; INSERT INTO t VALUES(1);".into(),
            )],
            After::Close,
            &mut Discard,
        )
        .unwrap();
        let mut c = Collect::default();
        t.pipeline(
            &[Request::Execute(Stmt::new("SELECT count(*) FROM t"))],
            After::Close,
            &mut c,
        )
        .unwrap();
        assert_eq!(c.results[0].2, vec![vec![Value::Integer(0)]]);
    }
}
