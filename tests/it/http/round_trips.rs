//! Round trips, counted by the test server: an autocommit `exec` is one request however many
//! statements it has, a failing statement stops the rest inside that same request, and a large
//! input is cut into requests by statement count and by bytes.

use std::path::Path;

use libsql_shell::session::{MAX_REQUEST_BYTES, MAX_REQUEST_STMTS};

use crate::harness::{shell, Output};
use crate::server::TestServer;

use super::{count, exec, one_batch, query, run, server_with_t, SECRET};

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
