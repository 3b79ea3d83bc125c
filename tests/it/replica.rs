//! Read-your-writes on a read replica (the test server's replica mode, a delayed view):
//! without the index a new connection reads the replica's old copy; `batch` ends with a
//! request carrying its commit's replication index, so the next command sees the write. A
//! write the primary refuses (`PROXY_ERROR`) is an ordinary statement failure; a primary the
//! replica cannot reach fails the whole request: one line, exit 2, nothing applied.

use crate::harness::shell;
use crate::server::TestServer;

fn scenario(url: impl Fn(&TestServer) -> String) {
    let s = TestServer::builder().replica(true).start();
    let url = url(&s);
    let exec = |sql: &str| shell().args(["exec", &url, sql]).run();
    // `exec` forwards the write and ends: the replica has not caught up.
    exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)").ok();
    exec("SELECT count(*) FROM t").fails(1, "no such table: t");
    assert_eq!(s.replica_waits(), 0);

    // `batch` ends with one request carrying its commit's index: the replica catches up.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("load.sql");
    std::fs::write(&f, "INSERT INTO t VALUES (2);\n").unwrap();
    let before = s.carried_indexes().len();
    shell().arg("batch").arg(&url).arg(&f).run().ok();
    let carried = s.carried_indexes()[before..].to_vec();
    let latest = s.latest_replication_index();
    assert_eq!(carried.len(), 2, "the batch, then the probe: {carried:?}");
    assert_eq!(
        carried[1],
        Some(latest),
        "the probe echoes the commit's index"
    );
    assert!(
        carried[0].is_none(),
        "a new connection has seen no index yet"
    );
    assert_eq!(s.replica_waits(), 1);
    assert_eq!(exec("SELECT count(*) FROM t").ok(), "2\n");

    // Within one session every later request carries the highest index seen.
    let before = s.carried_indexes().len();
    shell()
        .arg(&url)
        .stdin("INSERT INTO t VALUES (3);\n.print -\nSELECT count(*) FROM t;\n")
        .run()
        .ok();
    let carried = s.carried_indexes()[before..].to_vec();
    assert!(
        carried.len() >= 2 && carried.last() == Some(&Some(s.latest_replication_index())),
        "{carried:?}"
    );
}

#[test]
fn http_read_your_writes_on_a_replica() {
    scenario(TestServer::http_url);
}

#[test]
fn ws_read_your_writes_on_a_replica() {
    scenario(TestServer::ws_url);
}

/// Rows of `table` in the server's database file (`None`: no such table).
fn rows(s: &TestServer, table: &str) -> Option<i64> {
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .ok()
}

/// A replica relays its primary's refusal of a forwarded statement as sqld's `PROXY_ERROR`
/// (the primary's message after "error executing a request on the primary: "): an ordinary
/// statement failure, exit 1, one line, and the usual outcome (a transaction with a failed
/// statement commits nothing); reads run on the replica.
fn primary_refuses(url: impl Fn(&TestServer) -> String) {
    let s = TestServer::builder().replica(true).start();
    let url = url(&s);
    let dir = tempfile::tempdir().unwrap();
    let setup = dir.path().join("setup.sql");
    std::fs::write(
        &setup,
        "CREATE TABLE t(x PRIMARY KEY);\nINSERT INTO t VALUES (1);\n",
    )
    .unwrap();
    shell().arg("batch").arg(&url).arg(&setup).run().ok();

    let out = shell()
        .args(["exec", &url, "INSERT INTO t VALUES (1)"])
        .run();
    let stderr = out.fails(1, "error executing a request on the primary: ");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("UNIQUE constraint failed: t.x") && stderr.contains("(PROXY_ERROR)"),
        "{stderr}"
    );
    assert_eq!(rows(&s, "t"), Some(1));

    let load = dir.path().join("load.sql");
    std::fs::write(
        &load,
        "SELECT count(*) FROM t;\nINSERT INTO t VALUES (2);\nINSERT INTO t VALUES (1);\n",
    )
    .unwrap();
    let out = shell().arg("batch").arg(&url).arg(&load).run();
    let stderr = out.fails(1, "load.sql:3");
    assert!(stderr.contains("(PROXY_ERROR)"), "{stderr}");
    assert!(
        stderr.ends_with("batch failed: nothing was committed\n"),
        "{stderr}"
    );
    assert_eq!(rows(&s, "t"), Some(1));
}

#[test]
fn http_a_primary_refusing_a_forwarded_write_is_an_ordinary_failure() {
    primary_refuses(TestServer::http_url);
}

#[test]
fn ws_a_primary_refusing_a_forwarded_write_is_an_ordinary_failure() {
    primary_refuses(TestServer::ws_url);
}

/// A replica whose primary cannot be reached fails a request it would forward as a whole
/// (sqld: HTTP 500, or the WebSocket closed) and runs nothing of it. The shell says so in
/// one line, with what that means for the data as for any lost answer: a request that
/// carried a COMMIT may or may not have committed, work in a transaction without its
/// COMMIT was not; nothing is applied; reads still work.
fn unreachable_primary(url: impl Fn(&TestServer) -> String) {
    let s = TestServer::builder().replica(true).start();
    let url = url(&s);
    let dir = tempfile::tempdir().unwrap();
    let setup = dir.path().join("setup.sql");
    std::fs::write(&setup, "CREATE TABLE t(x);\nINSERT INTO t VALUES (1);\n").unwrap();
    // `batch` ends with a request carrying its commit's index: the replica has caught up.
    shell().arg("batch").arg(&url).arg(&setup).run().ok();
    s.set_primary_unreachable(true);

    let out = shell()
        .args(["exec", &url, "INSERT INTO t VALUES (2)"])
        .run();
    let stderr = out.fails(2, "Failed to execute query via RPC");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("may or may not have been applied"),
        "{stderr}"
    );
    assert!(
        stderr.contains("HTTP 500") || stderr.contains("a replica that cannot reach its primary"),
        "{stderr}"
    );
    assert_eq!(rows(&s, "t"), Some(1));

    // A read still works, and so does a transaction of reads.
    let out = shell().args(["exec", &url, "SELECT count(*) FROM t"]).run();
    assert_eq!(out.ok(), "1\n");
    let reads = dir.path().join("reads.sql");
    std::fs::write(&reads, "SELECT count(*) FROM t;\n").unwrap();
    let out = shell().arg("batch").arg(&url).arg(&reads).run();
    assert_eq!(out.ok(), "1\n");

    let load = dir.path().join("load.sql");
    std::fs::write(
        &load,
        "SELECT count(*) FROM t;\nINSERT INTO t VALUES (3);\nINSERT INTO t VALUES (4);\n",
    )
    .unwrap();
    let out = shell().arg("batch").arg(&url).arg(&load).run();
    // The request carried the COMMIT: whether it committed cannot be known from here.
    let stderr = out.fails(2, "the outcome of COMMIT is unknown");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("nothing was committed"), "{stderr}");
    assert_eq!(rows(&s, "t"), Some(1));

    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    std::fs::write(
        migrations.join("0001_m.sql"),
        "CREATE TABLE m(x);\nINSERT INTO m VALUES (5);\n",
    )
    .unwrap();
    let out = shell()
        .args(["migrate", "up", &url, "--dir"])
        .arg(&migrations)
        .run();
    // migrate reads the state again after a lost answer, from this replica: not recorded,
    // safe to retry, and why that read may lag.
    let stderr = out.fails(2, "connection lost while running 0001_m.sql");
    assert!(
        stderr.contains("checked again: it is not recorded as applied, safe to retry")
            && stderr.contains("a replica cut off from its primary may not have caught up"),
        "{stderr}"
    );
    assert_eq!(rows(&s, "m"), None);
    assert_eq!(rows(&s, "_libsql_migrations").unwrap_or(0), 0);

    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "a,b\n1,2\n3,4\n").unwrap();
    let out = shell()
        .args(["import", &url])
        .arg(&csv)
        .args(["--table", "c"])
        .run();
    out.fails(2, "the outcome of COMMIT is unknown");
    assert_eq!(rows(&s, "c"), None);

    s.set_primary_unreachable(false);
    shell()
        .args(["exec", &url, "INSERT INTO t VALUES (7)"])
        .run()
        .ok();
    assert_eq!(rows(&s, "t"), Some(2));
}

#[test]
fn http_an_unreachable_primary_is_one_line_and_applies_nothing() {
    unreachable_primary(TestServer::http_url);
}

#[test]
fn ws_an_unreachable_primary_is_one_line_and_applies_nothing() {
    unreachable_primary(TestServer::ws_url);
}
