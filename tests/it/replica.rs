//! Read-your-writes on a read replica (the test server's replica mode, a delayed view):
//! without the index a new connection reads the replica's old copy; `batch` ends with a
//! request carrying its commit's replication index, so the next command sees the write.

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
