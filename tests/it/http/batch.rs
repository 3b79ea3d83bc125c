//! `batch` over HTTP: a large input is one transaction in few requests, nothing is committed
//! when a statement fails or the COMMIT's request is dropped, and `--no-transaction` reports
//! how far it got.

use std::time::{Duration, Instant};

use libsql_shell::session::{ErrorMode, Session, MAX_REQUEST_BYTES, MAX_REQUEST_STMTS};
use libsql_shell::transport::Stmt;

use crate::harness::shell;
use crate::server::Fault;

use super::{count, origin, query, run, server_with_t, setup, transport, Record, SECRET};

fn inserts(n: usize, last: &str) -> String {
    let mut text = String::new();
    for i in 1..n {
        text.push_str(&format!("INSERT INTO t VALUES ({i});\n"));
    }
    text.push_str(last);
    text
}

#[test]
fn a_batch_of_10000_statements_is_atomic_and_costs_few_requests() {
    let s = server_with_t();
    setup(&s, "INSERT INTO t VALUES (-1)");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("load.sql");

    // A failing last statement leaves the table as it was.
    std::fs::write(&f, inserts(10_000, "INSERT INTO nope VALUES (0);\n")).unwrap();
    let out = run(shell()
        .args(["batch", "--auth-token", SECRET])
        .arg(s.http_url())
        .arg(&f));
    out.fails(
        1,
        &format!(
            "statement 10000 ({}:10000): no such table: nope",
            f.display()
        ),
    );
    out.fails(1, "batch failed: nothing was committed");
    assert_eq!(query(&s, "SELECT x FROM t"), ["-1"]);
    // BEGIN, 10,000 statements, COMMIT: one request per MAX_REQUEST_STMTS steps (2).
    let requests = 10_002usize.div_ceil(MAX_REQUEST_STMTS);
    assert_eq!(s.requests(), requests);
    assert_eq!(s.open_streams(), 0);

    // The same file without the failure loads completely, in as few requests.
    s.reset_counters();
    std::fs::write(&f, inserts(10_000, "INSERT INTO t VALUES (10000);\n")).unwrap();
    s.set_latency(Duration::from_millis(20));
    let start = Instant::now();
    let out = run(shell()
        .args(["batch", "--auth-token", SECRET])
        .arg(s.http_url())
        .arg(&f));
    let took = start.elapsed();
    out.ok();
    assert_eq!(count(&s, "t"), 10_001);
    assert_eq!(query(&s, "SELECT sum(x) FROM t"), ["50004999"]);
    // And one carrying the commit's replication index (not after the failed batch above).
    assert_eq!(s.requests(), requests + 1);
    assert_eq!(s.open_streams(), 0);
    eprintln!("batch of 10,000 statements with 20 ms latency: {took:?}");
}

#[test]
fn a_transaction_larger_than_one_request_dropped_at_commit_leaves_nothing() {
    // What `batch` does with a large input: BEGIN and the first statements go out as soon
    // as a request is full (4 MiB), on a kept stream; the rest and the COMMIT follow. The
    // second request is dropped before it runs.
    assert_eq!(MAX_REQUEST_BYTES, 4 << 20, "the sizes below assume 4 MiB");
    let s = server_with_t();
    let mut t = transport(&s, Some(SECRET));
    let mut out = Record::default();
    let mut session = Session::new(&mut t, ErrorMode::Stop);
    session
        .submit(Stmt::no_rows("BEGIN"), origin("BEGIN"), &mut out)
        .unwrap();
    let blob = "z".repeat(1 << 20);
    for i in 1..=5 {
        let sql = format!("INSERT INTO t VALUES ('{i}{blob}')");
        session
            .submit(Stmt::new(sql.as_str()), origin("INSERT"), &mut out)
            .unwrap();
    }
    assert_eq!(s.requests(), 1, "the first full request went out");
    assert_eq!(s.open_streams(), 1, "on a kept stream");
    assert_eq!(count(&s, "t"), 0, "uncommitted");
    s.fail_next(Fault::DropBeforeExecute);
    session
        .submit(Stmt::no_rows("COMMIT"), origin("COMMIT"), &mut out)
        .unwrap();
    let err = session.finish(&mut out).unwrap_err();
    let msg = libsql_shell::error::one_line(&err);
    assert!(msg.contains("the outcome of COMMIT is unknown"), "{msg}");
    assert_eq!(libsql_shell::error::exit_code(&err), 2);
    drop(session);
    assert_eq!(s.requests(), 2);
    // The server still holds the transaction until the stream expires; it never commits.
    assert_eq!(count(&s, "t"), 0);
}

#[test]
fn batch_no_transaction_reports_how_far_it_got() {
    let s = server_with_t();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("load.sql");
    std::fs::write(
        &f,
        "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nINSERT INTO nope VALUES (3);\nINSERT INTO t VALUES (4);\n",
    )
    .unwrap();
    let out = run(shell()
        .args(["batch", "--no-transaction", "--auth-token", SECRET])
        .arg(s.http_url())
        .arg(&f));
    out.fails(
        1,
        &format!("statement 3 ({}:3): no such table: nope", f.display()),
    );
    out.fails(
        1,
        "batch stopped: the statements before the failed one were applied",
    );
    assert_eq!(query(&s, "SELECT x FROM t ORDER BY x"), ["1", "2"]);
    assert_eq!(s.requests(), 1);
}
