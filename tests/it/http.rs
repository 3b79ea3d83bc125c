//! Hrana over HTTP, from the client's side (issues 3 and 5): round trips counted by the test
//! server, protocol fallbacks (v2, v1, `base_url`), every fault knob, transactions under
//! faults (checked on the server's database file), secrecy of the token, and `batch`.
//!
//! Every run of the binary here carries [`SECRET`] (or the environment's token) and every
//! output is checked for it, so each error path is also a token-leak test.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use libsql_shell::session::{
    ErrorMode, Origin, Output as SessionOutput, Session, SourceName, MAX_REQUEST_BYTES,
    MAX_REQUEST_STMTS,
};
use libsql_shell::token::AuthToken;
use libsql_shell::transport::hrana::Version;
use libsql_shell::transport::http::HttpTransport;
use libsql_shell::transport::{SqlError, Stmt, Transport};
use libsql_shell::value::{Column, StmtSummary, Value};

use crate::harness::{shell, Output, Shell};
use crate::server::{Fault, TestServer, Versions};

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
// 1. Round trips
// ---------------------------------------------------------------------------------------

#[test]
fn exec_of_one_statement_is_one_request() {
    let s = server_with_t();
    let out = exec(&s, &[], "SELECT 41 + 1");
    assert_eq!(out.ok(), "42\n");
    assert_eq!(s.requests(), 1);
    assert_eq!(s.pipeline_log(), one_batch());
    assert_eq!(s.open_streams(), 0, "autocommit leaves no stream open");
}

#[test]
fn exec_of_n_statements_in_autocommit_is_one_request() {
    let s = server_with_t();
    let mut sql = String::new();
    for i in 1..=50 {
        sql.push_str(&format!("INSERT INTO t VALUES ({i});"));
    }
    sql.push_str("SELECT count(*), sum(x) FROM t");
    let out = exec(&s, &[], &sql);
    assert_eq!(out.ok(), "50|1275\n");
    assert_eq!(s.requests(), 1);
    assert_eq!(s.pipeline_log(), one_batch());
    assert_eq!(s.open_streams(), 0);
    assert_eq!(count(&s, "t"), 50);
}

#[test]
fn a_failing_statement_stops_the_rest_in_the_same_request() {
    let s = server_with_t();
    let out = exec(
        &s,
        &[],
        "INSERT INTO t VALUES (1); INSERT INTO nope VALUES (2); INSERT INTO t VALUES (3); SELECT 'after'",
    );
    out.fails(
        1,
        "libsql-shell: error: statement 2 (argument 1): no such table: nope",
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(out.stdout, "", "nothing ran after the failure");
    assert_eq!(query(&s, "SELECT x FROM t"), ["1"]);
    assert_eq!(s.requests(), 1);
    assert_eq!(s.pipeline_log(), one_batch());
}

#[test]
fn keep_going_runs_the_rest_in_the_same_request() {
    let s = server_with_t();
    let out = exec(
        &s,
        &["--keep-going"],
        "INSERT INTO t VALUES (1); INSERT INTO nope VALUES (2); INSERT INTO t VALUES (3); SELECT count(*) FROM t",
    );
    out.fails(1, "statement 2 (argument 1): no such table: nope");
    assert_eq!(out.stdout, "2\n");
    assert_eq!(query(&s, "SELECT x FROM t ORDER BY x"), ["1", "3"]);
    assert_eq!(s.requests(), 1);
}

/// A file of `n` cheap statements (reads: on this machine a write in autocommit costs a sync
/// of the server's disk each), with `special(i)` replacing statement `i` when it says so.
fn cheap_statements(n: usize, special: impl Fn(usize) -> Option<String>) -> String {
    let mut text = String::new();
    for i in 1..=n {
        match special(i) {
            Some(sql) => text.push_str(&sql),
            None => text.push_str(&format!("SELECT {i} WHERE {i} % 2500 = 0;")),
        }
        text.push('\n');
    }
    text
}

/// What the cheap statements 1..=n print: the multiples of 2,500.
fn selected(n: usize) -> String {
    (1..=n / 2500).map(|k| format!("{}\n", k * 2500)).collect()
}

fn exec_file(s: &TestServer, f: &Path) -> Output {
    run(shell()
        .args(["exec", "-m", "list", "--auth-token", SECRET])
        .arg(s.http_url())
        .arg("-f")
        .arg(f))
}

/// One test for both (a request of MAX_REQUEST_STMTS statements is slow on the debug-built
/// server): the second request runs after the first, sees its writes, stops at a failure.
#[test]
fn a_large_exec_is_chunked_by_statement_count() {
    let s = server_with_t();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("many.sql");
    // One request's worth of statements, then a few more: writes at 1 (first request) and
    // m + 2 (second), a failure at m + 3, a write at m + 4 that must not run.
    let m = MAX_REQUEST_STMTS;
    let text = cheap_statements(m + 5, |i| {
        if i == 1 {
            Some("INSERT INTO t VALUES ('first');".into())
        } else if i == m + 2 {
            Some("INSERT INTO t SELECT 'second saw ' || count(*) FROM t;".into())
        } else if i == m + 3 {
            Some("INSERT INTO nope VALUES (0);".into())
        } else if i == m + 4 {
            Some("INSERT INTO t VALUES ('after the failure');".into())
        } else {
            None
        }
    });
    std::fs::write(&f, text).unwrap();
    let out = exec_file(&s, &f);
    out.fails(
        1,
        &format!(
            "statement {0} ({1}:{0}): no such table: nope",
            m + 3,
            f.display()
        ),
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(out.stdout, selected(m + 2), "every result, in order");
    assert_eq!(s.requests(), 2);
    assert_eq!(s.pipeline_log(), [one_batch(), one_batch()].concat());
    assert_eq!(s.open_streams(), 0);
    assert_eq!(
        query(&s, "SELECT x FROM t ORDER BY rowid"),
        ["first", "second saw 1"],
        "autocommit: the statements before the failure ran, none after it"
    );
}

#[test]
fn a_large_exec_is_chunked_by_bytes() {
    let s = server_with_t();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.sql");
    // Five statements of 1 MiB each: over the 4 MiB a request carries.
    assert_eq!(MAX_REQUEST_BYTES, 4 << 20, "the sizes below assume 4 MiB");
    let blob = "y".repeat(1 << 20);
    let mut text = String::new();
    for i in 1..=5 {
        text.push_str(&format!("INSERT INTO t VALUES ('{i}{blob}');\n"));
    }
    text.push_str("SELECT count(*), sum(length(x)) FROM t;\n");
    std::fs::write(&f, text).unwrap();
    let out = exec_file(&s, &f);
    assert_eq!(out.ok(), format!("5|{}\n", 5 * ((1 << 20) + 1)));
    assert_eq!(s.requests(), 2);
    assert_eq!(
        query(&s, "SELECT substr(x, 1, 1) FROM t ORDER BY rowid"),
        ["1", "2", "3", "4", "5"]
    );
}

// ---------------------------------------------------------------------------------------
// 2. Protocol fallbacks
// ---------------------------------------------------------------------------------------

#[test]
fn a_v2_server_is_spoken_to_in_hrana2() {
    let s = TestServer::builder().versions(Versions::V2Only).start();
    setup(&s, "CREATE TABLE t(x)");
    let out = exec(
        &s,
        &[],
        "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); SELECT sum(x) FROM t",
    );
    assert_eq!(out.ok(), "3\n");
    // A committed transaction, a failing statement, a flushed transaction with a read.
    let out = exec(
        &s,
        &[],
        "BEGIN; INSERT INTO t VALUES (10); INSERT INTO t VALUES (20); COMMIT",
    );
    out.ok();
    let out = exec(
        &s,
        &[],
        "BEGIN; INSERT INTO t VALUES (100); INSERT INTO nope VALUES (0); COMMIT",
    );
    out.fails(1, "statement 3 (argument 1): no such table: nope");
    let out = exec(&s, &[], "SELECT group_concat(x) FROM t");
    assert_eq!(
        out.ok(),
        "1,2,10,20\n",
        "the failed transaction left nothing"
    );
    assert_eq!(query(&s, "SELECT sum(x) FROM t"), ["33"]);
    // Nothing v3-only ever reached the v2 endpoint (it would have been a 400).
    for p in s.pipeline_log() {
        assert!(!p.iter().any(|t| t == "get_autocommit"), "{p:?}");
    }
    assert!(!s.pipeline_log().is_empty());
}

#[test]
fn a_v2_server_refuses_is_autocommit_and_the_client_never_sends_it() {
    // Through the transport: after the first pipeline, the version is v2 and the
    // capabilities say no autocommit queries.
    let s = TestServer::builder().versions(Versions::V2Only).start();
    setup(&s, "CREATE TABLE t(x)");
    let mut t = transport(&s, None);
    {
        let mut out = Record::default();
        let mut session = Session::new(&mut t, ErrorMode::Stop);
        submit(&mut session, &mut out, FLUSHED_TX);
        session.sync(&mut out).unwrap();
        assert_eq!(out.rows, [["1"]]);
        submit(&mut session, &mut out, &["COMMIT"]);
        session.finish(&mut out).unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
    }
    assert_eq!(t.version(), Some(Version::V2));
    assert!(!t.capabilities().autocommit_queries);
    assert_eq!(query(&s, "SELECT x FROM t"), ["1"]);
    for p in s.pipeline_log() {
        assert!(!p.iter().any(|t| t == "get_autocommit"), "{p:?}");
    }
}

#[test]
fn a_v1_server_is_used_through_execute_and_batch() {
    let s = TestServer::builder().versions(Versions::V1Only).start();
    setup(&s, "CREATE TABLE t(x)");
    let out = exec(
        &s,
        &[],
        "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); SELECT sum(x) FROM t",
    );
    assert_eq!(out.ok(), "3\n");
    assert_eq!(s.pipeline_log(), Vec::<Vec<String>>::new(), "no pipeline");
    assert_eq!(s.requests(), 1, "one /v1/batch");
    let out = exec(
        &s,
        &[],
        "INSERT INTO t VALUES (3); INSERT INTO nope VALUES (0); INSERT INTO t VALUES (4)",
    );
    out.fails(1, "statement 2 (argument 1): no such table: nope");
    assert_eq!(query(&s, "SELECT x FROM t ORDER BY x"), ["1", "2", "3"]);
    // A whole transaction is one stateless batch.
    let out = exec(
        &s,
        &[],
        "BEGIN; INSERT INTO t VALUES (5); INSERT INTO t VALUES (6); COMMIT",
    );
    out.ok();
    assert_eq!(count(&s, "t"), 5);
    // What the transport says it uses.
    let mut t = transport(&s, None);
    let mut out = Record::default();
    let mut session = Session::new(&mut t, ErrorMode::Stop);
    submit(&mut session, &mut out, &["SELECT 7"]);
    session.finish(&mut out).unwrap();
    drop(session);
    assert_eq!(out.rows, [["7"]]);
    assert_eq!(t.version(), Some(Version::V1));
    assert!(!t.capabilities().streams);
}

#[test]
fn the_second_request_of_a_stream_goes_to_base_url() {
    let s = TestServer::builder()
        .base_url_prefix(Some("/sticky"))
        .start();
    setup(&s, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    let mut t = transport(&s, Some(SECRET));
    let mut out = Record::default();
    {
        let mut session = Session::new(&mut t, ErrorMode::Stop);
        submit(
            &mut session,
            &mut out,
            &[
                "BEGIN",
                "INSERT INTO t VALUES (2)",
                "SELECT count(*) FROM t",
            ],
        );
        session.sync(&mut out).unwrap();
        assert_eq!((s.requests(), s.sticky_requests()), (1, 0));
        submit(&mut session, &mut out, &["COMMIT"]);
        session.finish(&mut out).unwrap();
    }
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.rows, [["2"]]);
    assert_eq!(
        (s.requests(), s.sticky_requests()),
        (2, 1),
        "the COMMIT went to the sticky URL"
    );
    assert_eq!(query(&s, "SELECT x FROM t ORDER BY x"), ["1", "2"]);
    // A new stream starts again from the configured URL.
    let out = exec(&s, &[], "SELECT count(*) FROM t");
    assert_eq!(out.ok(), "2\n");
    assert_eq!((s.requests(), s.sticky_requests()), (3, 1));
}

// ---------------------------------------------------------------------------------------
// 3. Every fault knob, through the binary
// ---------------------------------------------------------------------------------------

#[test]
fn dropped_before_execute() {
    let s = server_with_t();
    s.fail_next(Fault::DropBeforeExecute);
    let out = exec(&s, &[], "INSERT INTO t VALUES (1)");
    connection_failure(
        &out,
        &[
            "connection lost: the server closed the connection",
            "may or may not have been applied",
        ],
    );
    assert_eq!(count(&s, "t"), 0);
    exec(&s, &[], "INSERT INTO t VALUES (2)").ok();
    assert_eq!(query(&s, "SELECT x FROM t"), ["2"], "the next run works");
}

#[test]
fn dropped_after_execute() {
    let s = server_with_t();
    s.fail_next(Fault::DropAfterExecute);
    let out = exec(&s, &[], "INSERT INTO t VALUES (1)");
    connection_failure(
        &out,
        &[
            "connection lost: the server closed the connection",
            "may or may not have been applied",
        ],
    );
    assert_eq!(query(&s, "SELECT x FROM t"), ["1"], "it ran");
}

#[test]
fn status_500() {
    let s = server_with_t();
    s.fail_next(Fault::Status500);
    let out = exec(&s, &[], "INSERT INTO t VALUES (1)");
    connection_failure(
        &out,
        &["server answered HTTP 500: {\"error\":\"Internal error: injected fault\"}"],
    );
    assert_eq!(count(&s, "t"), 0);
}

#[test]
fn garbage_body() {
    let s = server_with_t();
    s.fail_next(Fault::Garbage);
    let out = exec(&s, &[], "SELECT 1");
    connection_failure(
        &out,
        &["HTTP 200", "not Hrana JSON", "<html><body>502 Bad Gateway"],
    );
}

#[test]
fn truncated_body() {
    let s = server_with_t();
    s.fail_next(Fault::Truncated);
    let start = Instant::now();
    let out = exec(&s, &["--timeout", "20"], "INSERT INTO t VALUES (1)");
    connection_failure(
        &out,
        &["connection lost", "may or may not have been applied"],
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "no wait for the timeout"
    );
    assert_eq!(
        count(&s, "t"),
        1,
        "the server executed it before cutting the answer"
    );
}

#[test]
fn status_429_and_503() {
    let s = server_with_t();
    s.fail_next(Fault::Status(
        429,
        "{\"error\":\"Too many concurrent requests\"}".into(),
    ));
    let out = exec(&s, &[], "INSERT INTO t VALUES (1)");
    connection_failure(
        &out,
        &["server answered HTTP 429: {\"error\":\"Too many concurrent requests\"}"],
    );
    s.fail_next(Fault::Status(
        503,
        "Service Unavailable: shutting down".into(),
    ));
    let out = exec(&s, &[], "INSERT INTO t VALUES (2)");
    connection_failure(
        &out,
        &["server answered HTTP 503: Service Unavailable: shutting down"],
    );
    // A long body is cut to its first bytes.
    s.fail_next(Fault::Status(502, "x".repeat(5000)));
    let out = exec(&s, &[], "SELECT 1");
    connection_failure(&out, &["server answered HTTP 502: xxxx", "..."]);
    assert!(out.stderr.len() < 600, "{}", out.stderr.len());
    assert_eq!(count(&s, "t"), 0);
}

#[test]
fn unauthorized_without_or_with_a_wrong_token() {
    let s = TestServer::builder().token("the-right-token").start();
    setup(&s, "CREATE TABLE t(x)");
    // No token at all.
    let out = run(shell()
        .arg("exec")
        .arg(s.http_url())
        .arg("INSERT INTO t VALUES (1)"));
    connection_failure(
        &out,
        &[
            "libsql-shell: error: authentication failed: ",
            "token missing, invalid or expired",
        ],
    );
    // A wrong one (SECRET), which must not be printed.
    let out = exec(&s, &[], "INSERT INTO t VALUES (1)");
    connection_failure(&out, &["authentication failed: Unauthorized"]);
    // The same through the environment.
    let out = run(shell()
        .env("LIBSQL_AUTH_TOKEN", SECRET)
        .arg("exec")
        .arg(s.http_url())
        .arg("INSERT INTO t VALUES (1)"));
    connection_failure(&out, &["authentication failed"]);
    assert_eq!(count(&s, "t"), 0);
    // The right one works.
    let out = shell()
        .args(["exec", "-m", "list", "--auth-token", "the-right-token"])
        .arg(s.http_url())
        .arg("INSERT INTO t VALUES (1); SELECT count(*) FROM t")
        .run();
    assert_eq!(out.ok(), "1\n");
}

#[test]
fn a_401_body_that_echoes_the_token_is_scrubbed() {
    let s = server_with_t();
    s.fail_next(Fault::Status(
        401,
        format!("{{\"error\":\"bad token {SECRET}\"}}"),
    ));
    let out = exec(&s, &[], "SELECT 1");
    connection_failure(&out, &["authentication failed: bad token (redacted)"]);
    // Every other status and the text/plain shape too.
    for (status, body) in [
        (
            403,
            format!("{{\"error\":\"token {SECRET} is read-only\"}}"),
        ),
        (500, format!("{{\"error\":\"{SECRET}\"}}")),
        (429, format!("slow down, {SECRET}")),
        (400, format!("Received an invalid baton {SECRET}")),
        (
            400,
            format!("{{\"message\":\"{SECRET}\",\"code\":\"STREAM_EXPIRED\"}}"),
        ),
    ] {
        s.fail_next(Fault::Status(status, body));
        let out = exec(&s, &["-m", "json"], "SELECT 1");
        connection_failure(&out, &["libsql-shell: error: "]);
    }
    // Through the environment.
    s.fail_next(Fault::Status(
        401,
        format!("{{\"error\":\"bad token {SECRET}\"}}"),
    ));
    let out = run(shell()
        .env("LIBSQL_AUTH_TOKEN", SECRET)
        .args(["exec", "-m", "json"])
        .arg(s.http_url())
        .arg("SELECT 1"));
    connection_failure(&out, &["authentication failed: bad token (redacted)"]);
}

#[test]
fn read_only_token_is_not_permitted() {
    let s = server_with_t();
    setup(&s, "INSERT INTO t VALUES (1)");
    s.set_read_only(true);
    let out = exec(&s, &[], "INSERT INTO t VALUES (2)");
    connection_failure(
        &out,
        &[
            "libsql-shell: error: not permitted: Authorization forbidden",
            "read-only",
        ],
    );
    assert_eq!(count(&s, "t"), 1);
    // Reads still work.
    assert_eq!(exec(&s, &[], "SELECT count(*) FROM t").ok(), "1\n");
    // A transaction refused at COMMIT: nothing was committed.
    let out = exec(
        &s,
        &[],
        "BEGIN; INSERT INTO t VALUES (3); INSERT INTO t VALUES (4); COMMIT",
    );
    connection_failure(&out, &["not permitted", "nothing was committed"]);
    assert_eq!(count(&s, "t"), 1);
}

#[test]
fn connection_refused_names_host_and_port() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let start = Instant::now();
    let out = run(exec_at(
        &format!("http://127.0.0.1:{port}"),
        &[],
        "SELECT 1",
    ));
    connection_failure(
        &out,
        &[&format!(
            "cannot connect to 127.0.0.1:{port}: connection refused"
        )],
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    // Inside a transaction, it also says that nothing was committed.
    let out = run(exec_at(
        &format!("http://127.0.0.1:{port}"),
        &["-m", "json"],
        "BEGIN; CREATE TABLE t(x); COMMIT",
    ));
    connection_failure(&out, &["connection refused", "nothing was committed"]);
}

#[test]
fn slow_server_times_out_within_the_timeout() {
    let s = server_with_t();
    s.set_latency(Duration::from_secs(3));
    let start = Instant::now();
    let out = exec(&s, &["--timeout", "1"], "SELECT 1");
    let took = start.elapsed();
    connection_failure(&out, &["timed out after 1 s (--timeout)"]);
    assert!(took < Duration::from_millis(2500), "{took:?}");
}

#[test]
fn stream_expired_while_a_flushed_transaction_waits() {
    let s = server_with_t();
    let mut t = transport(&s, Some(SECRET));
    let mut out = Record::default();
    let mut session = Session::new(&mut t, ErrorMode::Stop);
    submit(&mut session, &mut out, FLUSHED_TX);
    session.sync(&mut out).unwrap();
    assert_eq!(out.rows, [["1"]]);
    assert!(session.in_transaction());
    assert_eq!(s.open_streams(), 1);
    s.expire_streams_now();
    submit(
        &mut session,
        &mut out,
        &["INSERT INTO t VALUES (2)", "COMMIT"],
    );
    let err = session.sync(&mut out).unwrap_err();
    let msg = libsql_shell::error::one_line(&err);
    assert!(
        msg.contains("transaction lost: nothing was committed"),
        "{msg}"
    );
    assert!(msg.contains("stream expired"), "{msg}");
    assert!(!msg.contains(SECRET));
    assert_eq!(libsql_shell::error::exit_code(&err), 2);
    assert!(!session.in_transaction(), "back in autocommit");
    assert_eq!(count(&s, "t"), 0);
    drop(session);
    assert!(!t.stream_open());
}

#[test]
fn stream_expired_in_a_piped_script() {
    // Streams expire as soon as they are idle, so the second request of the transaction
    // (the COMMIT after a flushed read) always finds its stream expired.
    let s = TestServer::builder().stream_expiry(Duration::ZERO).start();
    setup(&s, "CREATE TABLE t(x)");
    let out = run(shell()
        .args(["--auth-token", SECRET])
        .arg(s.http_url())
        // A dot-command sends what is due first: the read flushes the transaction.
        .stdin("BEGIN;\nINSERT INTO t VALUES (1);\nSELECT count(*) FROM t;\n.print flushed\nINSERT INTO t VALUES (2);\nCOMMIT;\n"));
    out.fails(
        2,
        "libsql-shell: error: transaction lost: nothing was committed: stream expired",
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "+----------+\n| count(*) |\n+----------+\n|        1 |\n+----------+\nflushed\n"
    );
    assert_eq!(
        s.pipeline_log(),
        [
            strs(&["batch", "get_autocommit"]),
            strs(&["batch", "get_autocommit", "close"])
        ]
    );
    assert_eq!(count(&s, "t"), 0);
}

#[test]
fn a_lost_transaction_returns_an_interactive_session_to_autocommit() {
    let s = server_with_t();
    let mut t = transport(&s, Some(SECRET));
    let mut out = Record::default();
    let mut session = Session::new(&mut t, ErrorMode::KeepGoing);
    submit(&mut session, &mut out, FLUSHED_TX);
    session.sync(&mut out).unwrap();
    s.expire_streams_now();
    submit(&mut session, &mut out, &["COMMIT"]);
    let err = session.sync(&mut out).unwrap_err();
    assert!(
        libsql_shell::error::one_line(&err).contains("transaction lost: nothing was committed"),
        "{err:#}"
    );
    assert!(!session.in_transaction());
    // The user goes on typing: statements run, in autocommit.
    submit(
        &mut session,
        &mut out,
        &["INSERT INTO t VALUES (2)", "SELECT group_concat(x) FROM t"],
    );
    session.sync(&mut out).unwrap();
    session.finish(&mut out).unwrap();
    assert_eq!(out.rows, [["1"], ["2"]]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(query(&s, "SELECT x FROM t"), ["2"]);
}

#[test]
fn a_v1_server_cannot_hold_a_transaction_across_requests_and_says_so() {
    // The first request of the run finds out that the server is v1-only; its transaction
    // was rolled back when that request ended. Its second half must not run in autocommit.
    let s = TestServer::builder().versions(Versions::V1Only).start();
    setup(&s, "CREATE TABLE t(x)");
    let out = run(shell()
        .args(["--auth-token", SECRET, "-m", "list"])
        .arg(s.http_url())
        .stdin("BEGIN;\nINSERT INTO t VALUES (1);\nSELECT count(*) FROM t;\n.print flushed\nINSERT INTO t VALUES (2);\nCOMMIT;\n"));
    out.fails(
        2,
        "libsql-shell: error: transaction lost: nothing was committed: the server offers only the stateless HTTP API v1",
    );
    assert_eq!(out.stdout, "1\nflushed\n");
    assert_eq!(count(&s, "t"), 0, "none of it, never half");

    // Once the transport knows, nothing of such a transaction is sent at all.
    let mut t = transport(&s, None);
    let mut out = Record::default();
    let mut session = Session::new(&mut t, ErrorMode::Stop);
    submit(&mut session, &mut out, &["SELECT 1"]);
    session.sync(&mut out).unwrap();
    s.reset_counters();
    submit(
        &mut session,
        &mut out,
        &[
            "BEGIN",
            "INSERT INTO t VALUES (3)",
            "SELECT count(*) FROM t",
        ],
    );
    let err = session.sync(&mut out).unwrap_err();
    assert!(
        libsql_shell::error::one_line(&err).contains("transaction lost: nothing was committed"),
        "{err:#}"
    );
    assert_eq!(libsql_shell::error::exit_code(&err), 2);
    assert_eq!(s.requests(), 0);
    // A transaction that fits one request is one stateless batch, and works.
    drop(session);
    let out = exec(
        &s,
        &[],
        "BEGIN; INSERT INTO t VALUES (4); SELECT count(*) FROM t; COMMIT",
    );
    assert_eq!(out.ok(), "1\n");
    assert_eq!(query(&s, "SELECT x FROM t"), ["4"]);
}

// ---------------------------------------------------------------------------------------
// 4. Transactions under faults (issue 5)
// ---------------------------------------------------------------------------------------

const TX: &str = "BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); COMMIT";

#[test]
fn commit_dropped_before_it_executes_leaves_nothing() {
    let s = server_with_t();
    s.fail_next(Fault::DropBeforeExecute);
    let out = exec(&s, &[], TX);
    // The client cannot tell a drop before from a drop after: the outcome is unknown.
    connection_failure(
        &out,
        &["connection lost", "the outcome of COMMIT is unknown"],
    );
    assert_eq!(count(&s, "t"), 0, "none of it");
}

#[test]
fn commit_dropped_after_it_executed_is_all_there() {
    let s = server_with_t();
    s.fail_next(Fault::DropAfterExecute);
    let out = exec(&s, &[], TX);
    connection_failure(
        &out,
        &["connection lost", "the outcome of COMMIT is unknown"],
    );
    assert_eq!(
        query(&s, "SELECT x FROM t ORDER BY x"),
        ["1", "2"],
        "all of it"
    );
}

/// A flushed transaction (BEGIN, a write and a read sent), then a fault on the request that
/// carries the last write and the COMMIT. Returns the error message.
fn live_commit_under(s: &TestServer, fault: Fault) -> (String, u8) {
    let mut t = transport(s, Some(SECRET));
    let mut out = Record::default();
    let mut session = Session::new(&mut t, ErrorMode::Stop);
    submit(&mut session, &mut out, FLUSHED_TX);
    session.sync(&mut out).unwrap();
    assert_eq!(out.rows, [["1"]]);
    s.fail_next(fault);
    submit(
        &mut session,
        &mut out,
        &["INSERT INTO t VALUES (2)", "COMMIT"],
    );
    let err = session.sync(&mut out).unwrap_err();
    assert!(!session.in_transaction());
    let msg = libsql_shell::error::one_line(&err);
    assert!(!msg.contains(SECRET), "{msg}");
    (msg, libsql_shell::error::exit_code(&err))
}

#[test]
fn live_commit_under_every_fault_is_all_or_nothing_and_says_so() {
    const UNKNOWN: &str = "the outcome of COMMIT is unknown";
    const NOTHING: &str = "nothing was committed";
    // (fault, rows on the server afterwards, what the message must say)
    let cases: Vec<(Fault, i64, &str)> = vec![
        (Fault::DropBeforeExecute, 0, UNKNOWN),
        (Fault::DropAfterExecute, 2, UNKNOWN),
        (Fault::Truncated, 2, UNKNOWN),
        (Fault::Garbage, 2, UNKNOWN),
        (Fault::Status500, 0, UNKNOWN),
        (Fault::Status(503, "overloaded".into()), 0, UNKNOWN),
        (Fault::Status(429, "{\"error\":\"slow down\"}".into()), 0, NOTHING),
        (Fault::Status(401, "{\"error\":\"expired\"}".into()), 0, NOTHING),
        (Fault::Status(403, "{\"error\":\"read-only\"}".into()), 0, NOTHING),
        (
            Fault::Status(
                400,
                "{\"message\":\"The stream has expired due to inactivity\",\"code\":\"STREAM_EXPIRED\"}"
                    .into(),
            ),
            0,
            "transaction lost: nothing was committed",
        ),
    ];
    for (fault, rows, says) in cases {
        let s = server_with_t();
        let label = format!("{fault:?}");
        let (msg, code) = live_commit_under(&s, fault);
        assert!(msg.contains(says), "{label}: {msg}");
        assert_eq!(code, 2, "{label}: {msg}");
        assert_eq!(count(&s, "t"), rows, "{label}: {msg}");
    }
}

#[test]
fn unflushed_commit_under_http_errors_says_what_happened() {
    // The whole transaction is one request; a status that means "not executed" says that
    // nothing was committed, a 5xx (maybe from a proxy after the server ran it) says the
    // outcome is unknown.
    let s = server_with_t();
    s.fail_next(Fault::Status(429, "{\"error\":\"slow down\"}".into()));
    let out = exec(&s, &[], TX);
    connection_failure(&out, &["HTTP 429", "nothing was committed"]);
    s.fail_next(Fault::Status500);
    let out = exec(&s, &[], TX);
    connection_failure(&out, &["HTTP 500", "the outcome of COMMIT is unknown"]);
    s.fail_next(Fault::Garbage);
    let out = exec(&s, &[], "BEGIN; INSERT INTO t VALUES (7); COMMIT");
    connection_failure(
        &out,
        &["not Hrana JSON", "the outcome of COMMIT is unknown"],
    );
    assert_eq!(
        query(&s, "SELECT x FROM t"),
        ["7"],
        "the garbage came after the COMMIT ran"
    );
}

// ---------------------------------------------------------------------------------------
// 5. The token never leaks (every test above checks its outputs; these add the rest)
// ---------------------------------------------------------------------------------------

#[test]
fn token_never_appears_on_success_or_in_any_format() {
    let s = TestServer::builder().token(SECRET).start();
    setup(&s, "CREATE TABLE t(x); INSERT INTO t VALUES ('a')");
    for format in ["json", "table", "csv", "line", "list"] {
        let out = exec(&s, &["-m", format], "SELECT x, 'tok' FROM t");
        assert!(out.ok().contains('a'), "{out:?}");
    }
    let out = run(shell()
        .env("LIBSQL_AUTH_TOKEN", SECRET)
        .args(["exec", "-m", "json"])
        .arg(s.http_url())
        .arg("SELECT x FROM t"));
    assert_eq!(out.ok(), "[{\"x\":\"a\"}]\n");
    // --trace prints every round trip, never the token.
    let out = exec(&s, &["--trace"], "SELECT x FROM t");
    assert_eq!(out.stdout, "a\n");
    assert!(out.stderr.contains("trace: POST "), "{}", out.stderr);
    s.fail_next(Fault::Status(
        401,
        format!("{{\"error\":\"bad token {SECRET}\"}}"),
    ));
    let out = exec(&s, &["--trace"], "SELECT x FROM t");
    out.fails(2, "authentication failed: bad token (redacted)");
    // A statement error, a piped script with dot-commands, batch.
    let out = exec(&s, &["-m", "json"], "SELECT * FROM nope");
    out.fails(1, "no such table: nope");
    let out = run(shell()
        .args(["--auth-token", SECRET])
        .arg(s.http_url())
        .stdin(".tables\nSELECT count(*) FROM t;\n.show\n"));
    assert!(out.stdout.contains('1'), "{out:?}");
    let out = run(shell()
        .args(["batch", "--auth-token", SECRET])
        .arg(s.http_url())
        .stdin("INSERT INTO t VALUES ('b');"));
    out.ok();
    assert_eq!(count(&s, "t"), 2);
}

// ---------------------------------------------------------------------------------------
// 6. `batch` over HTTP
// ---------------------------------------------------------------------------------------

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
    assert_eq!(s.requests(), requests);
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

// ---------------------------------------------------------------------------------------
// The Rust API, for what one run of the binary cannot show
// ---------------------------------------------------------------------------------------

fn transport(s: &TestServer, token: Option<&str>) -> HttpTransport {
    HttpTransport::new(
        &s.http_url(),
        "127.0.0.1",
        s.port(),
        token.map(AuthToken::new),
        Duration::from_secs(30),
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
