//! Protocol fallbacks: a v2-only server is spoken to in Hrana 2 (and never sent
//! `get_autocommit`), a v1-only server through `/v1/execute` and `/v1/batch`, and the requests
//! after the first of a stream go to the `base_url` the server answered with.

use libsql_shell::session::{ErrorMode, Session};
use libsql_shell::transport::hrana::Version;
use libsql_shell::transport::Transport;

use crate::server::{TestServer, Versions};

use super::{count, exec, query, setup, submit, transport, Record, FLUSHED_TX, SECRET};

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
