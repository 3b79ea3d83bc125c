//! Every fault knob of the test server, mostly through the binary: connections dropped before
//! or after execution, HTTP errors (500, 429, 503, 401, 403), garbage and truncated bodies, a
//! refused connection, a timeout, expired streams and a v1-only server under a transaction.
//! Each ends in one clear error line, with the database file as the message says.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use libsql_shell::session::{ErrorMode, Session};
use libsql_shell::transport::Transport;

use crate::harness::shell;
use crate::server::{Fault, TestServer, Versions};

use super::{
    connection_failure, count, exec, exec_at, query, run, server_with_t, setup, strs, submit,
    transport, Record, FLUSHED_TX, SECRET,
};

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
        .args(["--auth-token", SECRET, "-m", "table"])
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
