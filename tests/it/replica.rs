//! Read-your-writes on a read replica (the test server's replica mode, a delayed view):
//! without the index a new connection reads the replica's old copy; `batch` ends with a
//! request carrying its commit's replication index, so the next command sees the write. And
//! a replica whose primary cannot be reached (`PROXY_ERROR`): one clear line, exit 1,
//! nothing applied.

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

/// A replica whose primary cannot be reached when a write is forwarded (sqld's
/// `PROXY_ERROR`): one line that says so and what became of the data (`batch` and `import`
/// add their summary, `migrate` its failure), exit 1, nothing applied; reads still work.
/// The primary going just before a COMMIT leaves the COMMIT's outcome unknown, and every
/// command says so rather than "nothing was committed".
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
    let stderr = out.fails(1, "the replica could not forward the write to its primary");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("(PROXY_ERROR)"), "{stderr}");
    assert!(
        stderr.contains("whether the primary applied it is unknown"),
        "{stderr}"
    );
    assert_eq!(rows(&s, "t"), Some(1));

    // A read still works.
    let out = shell().args(["exec", &url, "SELECT count(*) FROM t"]).run();
    assert_eq!(out.ok(), "1\n");

    // `batch`: reads, then a write, in one transaction: nothing was committed.
    let load = dir.path().join("load.sql");
    std::fs::write(
        &load,
        "SELECT count(*) FROM t;\nSELECT x FROM t;\nINSERT INTO t VALUES (3);\nINSERT INTO t VALUES (4);\n",
    )
    .unwrap();
    let out = shell().arg("batch").arg(&url).arg(&load).run();
    let stderr = out.fails(1, "the replica could not forward the write to its primary");
    assert!(
        stderr.contains("load.sql:3") && stderr.contains("(PROXY_ERROR)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("; nothing was committed: error executing a request on the primary"),
        "{stderr}"
    );
    assert_eq!(out.stdout, "1\n1\n");
    assert_eq!(rows(&s, "t"), Some(1));

    // `migrate up`: the migration fails as a whole, without its tracking row.
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
    let stderr = out.fails(1, "migration failed: 0001_m.sql");
    assert!(
        stderr.contains("the replica could not forward the write to its primary")
            && stderr.contains("(PROXY_ERROR)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing of 0001_m.sql was applied"),
        "{stderr}"
    );
    assert_eq!(rows(&s, "m"), None);
    assert_eq!(rows(&s, "_libsql_migrations"), None);
    assert_eq!(rows(&s, "t"), Some(1));

    // The primary takes the write, then goes before the COMMIT: its outcome is unknown (this
    // server rolled it back).
    s.primary_unreachable_after(1);
    let one = dir.path().join("one.sql");
    std::fs::write(&one, "INSERT INTO t VALUES (6);\n").unwrap();
    let out = shell().arg("batch").arg(&url).arg(&one).run();
    let stderr = out.fails(1, "the outcome of COMMIT is unknown");
    assert!(
        stderr.contains("the replica could not forward the COMMIT to its primary"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("batch failed: whether it was committed is unknown\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("nothing was committed"), "{stderr}");
    assert_eq!(rows(&s, "t"), Some(1));

    // Wherever the primary goes during an `import`, nothing is imported; just before the
    // COMMIT, the error says whether it took effect is unknown.
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "a,b\n1,2\n3,4\n").unwrap();
    let mut last = String::new();
    for steps in 0.. {
        assert!(steps < 20, "the primary takes every step: {last}");
        s.primary_unreachable_after(steps);
        let out = shell()
            .args(["import", &url])
            .arg(&csv)
            .args(["--table", "c"])
            .run();
        if out.code == 0 {
            break;
        }
        last = out.fails(1, "(PROXY_ERROR)").to_string();
        assert_eq!(rows(&s, "c"), None, "{last}");
    }
    assert!(
        last.contains("the outcome of COMMIT is unknown")
            && last.ends_with("import failed: whether the rows were imported is unknown\n"),
        "{last}"
    );
    assert_eq!(rows(&s, "c"), Some(2));

    // Wherever the primary goes during `migrate up`, nothing is applied; just before the
    // COMMIT, the error says whether it took effect is unknown.
    let mut last = String::new();
    for steps in 0.. {
        assert!(steps < 20, "the primary takes every step: {last}");
        s.primary_unreachable_after(steps);
        let out = shell()
            .args(["migrate", "up", &url, "--dir"])
            .arg(&migrations)
            .run();
        if out.code == 0 {
            break;
        }
        last = out.fails(1, "(PROXY_ERROR)").to_string();
        assert_eq!(rows(&s, "m"), None, "{last}");
        assert_eq!(rows(&s, "_libsql_migrations").unwrap_or(0), 0, "{last}");
    }
    assert!(
        last.contains("0001_m.sql: COMMIT failed: the replica could not forward the COMMIT")
            && last.contains(
                "whether 0001_m.sql was applied is unknown (the COMMIT may have reached the \
                 primary)"
            )
            && !last.contains("nothing of"),
        "{last}"
    );
    assert_eq!(rows(&s, "m"), Some(1));

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
