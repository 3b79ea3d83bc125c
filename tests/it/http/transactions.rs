//! Transactions under faults: whatever happens to the request that carries the COMMIT, the
//! server's database file holds all of the transaction or none of it, and the message says
//! which (nothing was committed, or the outcome of COMMIT is unknown).

use libsql_shell::session::{ErrorMode, Session};

use crate::server::{Fault, TestServer};

use super::{
    connection_failure, count, exec, query, server_with_t, submit, transport, Record, FLUSHED_TX,
    SECRET,
};

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
