//! Hrana over HTTP, from the client's side: round trips counted by the test server, protocol
//! fallbacks (v2, v1, `base_url`), every fault knob, transactions under faults (checked on the
//! server's database file), secrecy of the token, and `batch`. One file per subject; this one
//! holds what several of them share.
//!
//! Every run of the binary here carries [`SECRET`] (or the environment's token) and every
//! output is checked for it, so each error path is also a token-leak test.

mod batch;
mod fallbacks;
mod faults;
mod round_trips;
mod secrecy;
mod transactions;

use std::path::Path;
use std::time::Duration;

use libsql_shell::session::{Origin, Output as SessionOutput, Session, SourceName};
use libsql_shell::token::AuthToken;
use libsql_shell::transport::endpoint::Endpoint;
use libsql_shell::transport::http::HttpTransport;
use libsql_shell::transport::{SqlError, Stmt};
use libsql_shell::value::{Column, StmtSummary, Value};

use crate::harness::{shell, Output, Shell};
use crate::server::TestServer;

const SECRET: &str = "SECRET-TOKEN-4242";

/// Panic if the secret appears anywhere in what the binary printed.
#[track_caller]
fn assert_no_leak(out: &Output) {
    assert!(
        !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
        "the token leaked: {out:?}"
    );
}

/// Run, check that the token did not leak, return the output.
#[track_caller]
fn run(sh: Shell) -> Output {
    let out = sh.run();
    assert_no_leak(&out);
    out
}

/// `libsql-shell exec --auth-token SECRET EXTRA... URL SQL`, in list format unless EXTRA
/// names another.
fn exec_at(url: &str, extra: &[&str], sql: &str) -> Shell {
    let list: &[&str] = if extra.contains(&"-m") {
        &[]
    } else {
        &["-m", "list"]
    };
    shell()
        .args(["exec", "--auth-token", SECRET])
        .args(list)
        .args(extra)
        .arg(url)
        .arg(sql)
}

#[track_caller]
fn exec(s: &TestServer, extra: &[&str], sql: &str) -> Output {
    run(exec_at(&s.http_url(), extra, sql))
}

/// A failure of the connection: exit 2, one line on stderr starting with
/// `libsql-shell: error:` and containing each needle, nothing on stdout.
#[track_caller]
fn connection_failure(out: &Output, needles: &[&str]) {
    for n in needles {
        out.fails(2, n);
    }
    assert!(
        out.stderr.starts_with("libsql-shell: error: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

/// One column of a query, as text, straight from the server's database file.
fn query(s: &TestServer, sql: &str) -> Vec<String> {
    query_file(&s.db_path(), sql)
}

fn query_file(path: &Path, sql: &str) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c.prepare(sql).unwrap();
    let rows = st
        .query_map([], |r| {
            let v: rusqlite::types::Value = r.get(0)?;
            Ok(match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn setup(s: &TestServer, sql: &str) {
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    c.execute_batch(sql).unwrap();
}

fn count(s: &TestServer, table: &str) -> i64 {
    query(s, &format!("SELECT count(*) FROM {table}"))[0]
        .parse()
        .unwrap()
}

/// A server with an empty table `t(x)`.
fn server_with_t() -> TestServer {
    let s = TestServer::start();
    setup(&s, "CREATE TABLE t(x)");
    s
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The pipeline an autocommit `exec` sends: one batch, the autocommit check, close.
fn one_batch() -> Vec<Vec<String>> {
    vec![strs(&["batch", "get_autocommit", "close"])]
}

// ---------------------------------------------------------------------------------------
// The Rust API, for what one run of the binary cannot show
// ---------------------------------------------------------------------------------------

fn transport(s: &TestServer, token: Option<&str>) -> HttpTransport {
    HttpTransport::new(
        &Endpoint::new(
            &s.http_url(),
            "127.0.0.1",
            s.port(),
            Duration::from_secs(30),
        )
        .with_token(token.map(AuthToken::new)),
    )
}

/// A transaction with a write, then a read that flushes it onto a kept stream.
const FLUSHED_TX: &[&str] = &[
    "BEGIN",
    "INSERT INTO t VALUES (1)",
    "SELECT count(*) FROM t",
];

/// Submit each statement to the session (a failure is the session's to report, not a panic).
fn submit(session: &mut Session<'_>, out: &mut Record, sqls: &[&str]) {
    for sql in sqls {
        session.submit(Stmt::new(*sql), origin(sql), out).unwrap();
    }
}

fn origin(sql: &str) -> Origin {
    Origin {
        index: 1,
        source: SourceName::File(format!("test: {sql}")),
        line: 1,
        multiline: false,
    }
}

/// Keeps what the session outputs, as text.
#[derive(Default, Debug)]
struct Record {
    rows: Vec<Vec<String>>,
    errors: Vec<String>,
    notices: Vec<String>,
}

impl SessionOutput for Record {
    fn begin(&mut self, _cols: &[Column]) -> anyhow::Result<()> {
        Ok(())
    }
    fn row(&mut self, row: &[Value]) -> anyhow::Result<()> {
        self.rows
            .push(row.iter().map(|v| v.to_text("NULL")).collect());
        Ok(())
    }
    fn end(&mut self, _summary: &StmtSummary) -> anyhow::Result<()> {
        Ok(())
    }
    fn error(&mut self, origin: &Origin, _sql: &str, err: &SqlError) -> anyhow::Result<()> {
        self.errors.push(format!("{}: {err}", origin.describe()));
        Ok(())
    }
    fn notice(&mut self, msg: &str) -> anyhow::Result<()> {
        self.notices.push(msg.to_string());
        Ok(())
    }
}
