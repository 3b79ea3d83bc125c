//! A transaction held open over HTTP outlives the server's idle-stream expiry (the stream is
//! kept alive), and if the stream is lost anyway the loss is announced, never hidden.

use std::time::{Duration, Instant};

use anyhow::Result;
use libsql_shell::session::{ErrorMode, Origin, Output, Session, SourceName};
use libsql_shell::transport::endpoint::Endpoint;
use libsql_shell::transport::http::HttpTransport;
use libsql_shell::transport::{SqlError, Stmt};
use libsql_shell::value::{Column, StmtSummary, Value};

use crate::server::TestServer;

#[derive(Default)]
struct Seen {
    rows: Vec<Vec<Value>>,
    errors: Vec<String>,
    notices: Vec<String>,
}

impl Output for Seen {
    fn begin(&mut self, _: &[Column]) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, row: &[Value]) -> Result<()> {
        self.rows.push(row.to_vec());
        Ok(())
    }
    fn end(&mut self, _: &StmtSummary) -> Result<()> {
        Ok(())
    }
    fn error(&mut self, _: &Origin, _: &str, err: &SqlError) -> Result<()> {
        self.errors.push(err.message.clone());
        Ok(())
    }
    fn notice(&mut self, msg: &str) -> Result<()> {
        self.notices.push(msg.to_string());
        Ok(())
    }
}

fn session(server: &TestServer, every: Duration) -> Session<'static> {
    let mut t = HttpTransport::new(&Endpoint::new(
        &server.http_url(),
        "127.0.0.1",
        server.port(),
        Duration::from_secs(5),
    ));
    t.set_keepalive_interval(every);
    Session::owned(Box::new(t), ErrorMode::KeepGoing)
}

fn submit(s: &mut Session<'_>, out: &mut Seen, sql: &str) {
    let origin = Origin {
        index: 1,
        source: SourceName::File("test".into()),
        line: 1,
        multiline: false,
    };
    s.submit(Stmt::new(sql), origin, out).unwrap();
    s.sync(out).unwrap();
}

fn rows(server: &TestServer) -> Vec<i64> {
    let c = rusqlite::Connection::open(server.db_path()).unwrap();
    let mut st = c.prepare("SELECT x FROM t ORDER BY x").unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_live_transaction_outlives_the_idle_expiry() {
    let server = TestServer::builder()
        .stream_expiry(Duration::from_millis(1000))
        .start();
    let mut s = session(&server, Duration::from_millis(100));
    let mut out = Seen::default();
    submit(&mut s, &mut out, "CREATE TABLE t(x)");
    submit(&mut s, &mut out, "BEGIN");
    submit(&mut s, &mut out, "INSERT INTO t VALUES (1)");
    submit(&mut s, &mut out, "SELECT count(*) FROM t");
    assert_eq!(out.rows, vec![vec![Value::Integer(1)]]);
    // The user thinks for longer than the server keeps an idle stream.
    std::thread::sleep(Duration::from_millis(2500));
    s.check_stream(&mut out).unwrap();
    submit(&mut s, &mut out, "INSERT INTO t VALUES (2)");
    submit(&mut s, &mut out, "COMMIT");
    s.finish(&mut out).unwrap();
    assert!(
        out.errors.is_empty() && out.notices.is_empty(),
        "{:?} {:?}",
        out.errors,
        out.notices
    );
    assert_eq!(rows(&server), vec![1, 2]);
}

#[test]
fn a_lost_stream_is_announced_before_the_next_statement() {
    let server = TestServer::start();
    let mut s = session(&server, Duration::from_millis(50));
    let mut out = Seen::default();
    submit(&mut s, &mut out, "CREATE TABLE t(x)");
    submit(&mut s, &mut out, "BEGIN");
    submit(&mut s, &mut out, "INSERT INTO t VALUES (1)");
    submit(&mut s, &mut out, "SELECT count(*) FROM t");
    assert!(s.in_transaction());
    server.expire_streams_now();
    // Poll (bounded) until the keep-alive thread has met the expired stream.
    let deadline = Instant::now() + Duration::from_secs(5);
    while out.notices.is_empty() && Instant::now() < deadline {
        s.check_stream(&mut out).unwrap();
        std::thread::yield_now();
    }
    assert_eq!(out.notices.len(), 1, "{:?}", out.notices);
    assert!(
        out.notices[0].starts_with("transaction lost: nothing was committed"),
        "{:?}",
        out.notices
    );
    assert!(!s.in_transaction());
    // The session is back in autocommit and works.
    submit(&mut s, &mut out, "COMMIT");
    assert_eq!(
        out.errors,
        vec!["cannot commit - no transaction is active".to_string()]
    );
    submit(&mut s, &mut out, "INSERT INTO t VALUES (5)");
    s.finish(&mut out).unwrap();
    assert_eq!(rows(&server), vec![5]);
}
