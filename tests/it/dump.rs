//! `dump`: byte for byte what sqlite3's `.dump` writes (apart from the documented REAL
//! digits and -0.0), the same text on every transport, loads back into an identical
//! database with `sqlite3` and with `libsql-shell batch`, pages through big tables, and says
//! so (and fails) when the connection drops mid-dump.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{shell, Backend, Db, REMOTE_BACKENDS};
use crate::server::{Fault, TestServer, WsFault};

/// Every storage class and the literal forms sqlite3 has for them, AUTOINCREMENT, WITHOUT
/// ROWID with a mixed-direction key whose collation differs from its column's, quoted and
/// keyword identifiers, a table whose rowid names are all taken, a generated column, an
/// empty table, a view with a trailing comment, a trigger and indexes.
const FIXTURE: &str = r#"
CREATE TABLE t_types(id INTEGER PRIMARY KEY, v);
INSERT INTO t_types(v) VALUES (NULL), (0), (-9223372036854775808), (9223372036854775807),
  (1.0), (-2.5), (0.5), (1e15), (1e18), (100.0), (9e999), (-9e999),
  ('it''s'), ('line1' || char(10) || 'line2'), ('cr' || char(13) || 'lf' || char(10)),
  ('\n already' || char(10)), ('é ü 中文 🎉'), (''), (x'00ff00'), (x''), (char(9) || 'tab'),
  ('-- not a comment'), ('"double"');
CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
INSERT INTO seq(name) VALUES ('a'), ('b'), ('c');
DELETE FROM seq WHERE name = 'c';
CREATE TABLE w(x TEXT COLLATE NOCASE, y INTEGER, z, PRIMARY KEY (x COLLATE BINARY, y DESC)) WITHOUT ROWID;
INSERT INTO w VALUES ('A', 1, 'p'), ('a', 1, 'q'), ('a', 2, 'r'), ('B', 0, NULL), ('b', 5, x'01'), ('a', 3, 3);
CREATE TABLE "my tab"("co l" TEXT, "select" INT, "a""b" BLOB);
INSERT INTO "my tab" VALUES ('x', 1, x'02'), ('y', 2, NULL), ('z', '3', 4.5);
CREATE TABLE "order"(rowid, _rowid_, oid, n);
INSERT INTO "order" VALUES (3, 2, 1, 'first'), (1, 1, 1, 'second'), (2, 2, 2, 'third');
CREATE TABLE g(a INTEGER, b AS (a * 2), c TEXT);
INSERT INTO g(a, c) VALUES (1, 'one'), (2, 'two');
CREATE TABLE empty(x);
CREATE VIEW v_seq AS SELECT name FROM seq -- names only
;
CREATE TRIGGER tr_seq AFTER INSERT ON seq BEGIN INSERT INTO empty VALUES (new.name); END;
CREATE INDEX "idx my tab" ON "my tab"("co l");
CREATE UNIQUE INDEX idx_expr ON g(lower(c));
"#;

/// REALs whose digits differ from sqlite3 3.40's `%!.20g` (see `dump::literal`).
const REALS: &str = "CREATE TABLE r(x);
INSERT INTO r VALUES (0.1), (1e300), (-0.0), (123.456), (5e-324), (1.7976931348623157e308),
  (9223372036854775808.0), (1e-7), (0.30000000000000004), (-1.5e-300);";

/// The dump of [`REALS`]. 5e-324 and -1.5e-300 are below 1e-291, where stock SQLite before
/// 3.43 rounds a decimal literal twice and libSQL misreads many (it reads the fixture's own
/// `-1.5e-300` as -1.4999999999999998e-300), so they are written as exact expressions:
/// an integer times 1.0, divided by exact powers of two.
fn reals_dump() -> String {
    let by_2_62 = |n: usize| "/4611686018427387904".repeat(n);
    format!(
        "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE r(x);\n\
INSERT INTO r VALUES(0.10000000000000001);\nINSERT INTO r VALUES(1.0000000000000001e+300);\nINSERT INTO r VALUES(-0.0);\n\
INSERT INTO r VALUES(123.456);\nINSERT INTO r VALUES((1*1.0{}/1048576));\n\
INSERT INTO r VALUES(1.7976931348623157e+308);\nINSERT INTO r VALUES(9223372036854775800.0);\n\
INSERT INTO r VALUES(9.9999999999999995e-08);\nINSERT INTO r VALUES(0.30000000000000004);\n\
INSERT INTO r VALUES((-2262021451897665*1.0{}/36028797018963968));\nCOMMIT;\n",
        by_2_62(17),
        by_2_62(16)
    )
}

/// The database file behind a test database (the server's file for remote ones).
pub fn file_of(db: &Db) -> PathBuf {
    match db.backend {
        Backend::Local => PathBuf::from(db.target()),
        _ => db.server().db_path(),
    }
}

/// `sqlite3 FILE ARGS...` (the 3.40 CLI): its stdout.
pub fn sqlite3(file: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new("sqlite3")
        .arg(file)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sqlite3 CLI is required");
    let input = stdin.unwrap_or("").to_string();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = pipe.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "sqlite3 {args:?}: {stderr}"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Equal texts, or a failure that shows the first line that differs (dumps are long).
#[track_caller]
fn assert_same(got: &str, want: &str) {
    if got == want {
        return;
    }
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    let i = (0..g.len().max(w.len()))
        .find(|&i| g.get(i) != w.get(i))
        .unwrap_or(0);
    panic!(
        "texts differ at line {} ({} vs {} lines):\n got: {:?}\nwant: {:?}",
        i + 1,
        g.len(),
        w.len(),
        g.get(i),
        w.get(i)
    );
}

fn dump(db: &Db, args: &[&str]) -> String {
    shell()
        .arg("dump")
        .arg(db.target())
        .args(args)
        .run()
        .ok()
        .to_string()
}

/// Every schema entry and every row with its exact type and bits (f64 via `{:?}`, which
/// round-trips and keeps -0.0).
pub fn snapshot(file: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(file).unwrap();
    let mut out = Vec::new();
    let mut st = c
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    let objects: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (kind, name, sql) in objects {
        out.push(format!("{kind} {name}: {sql}"));
        if kind != "table" {
            continue;
        }
        let mut rows = c
            .prepare(&format!("SELECT * FROM \"{}\"", name.replace('"', "\"\"")))
            .unwrap();
        let n = rows.column_count();
        let mut q = rows.query([]).unwrap();
        while let Some(row) = q.next().unwrap() {
            let vals: Vec<String> = (0..n)
                .map(|i| format!("{:?}", row.get::<_, rusqlite::types::Value>(i).unwrap()))
                .collect();
            out.push(format!("  {name}: {}", vals.join(", ")));
        }
    }
    out
}

fn dump_is_byte_identical_to_sqlite3(db: &Db) {
    db.sql(FIXTURE);
    let ours = dump(db, &[]);
    assert_same(&ours, &sqlite3(&file_of(db), &[".dump"], None));
    // A page size that splits every table (and the offset fallback) changes nothing.
    assert_same(&dump(db, &["--page-rows", "1"]), &ours);
    assert_same(&dump(db, &["--page-rows", "2"]), &ours);
    assert!(ours.contains(
        "INSERT INTO t_types VALUES(11,1e999);\nINSERT INTO t_types VALUES(12,-1e999);\n"
    ));
}

fn reals_keep_every_bit(db: &Db) {
    db.sql(REALS);
    let ours = dump(db, &[]);
    assert_eq!(ours, reals_dump());
    let dir = tempfile::tempdir().unwrap();
    let restored = dir.path().join("restored.db");
    sqlite3(&restored, &[], Some(&ours));
    assert_eq!(snapshot(&restored), snapshot(&file_of(db)));
}

/// dump → sqlite3 and dump → `libsql-shell batch` (on the same transport) both rebuild the
/// database exactly, and dumping the copy gives the same text.
fn round_trip_through_sqlite3_and_batch(db: &Db) {
    db.sql(FIXTURE);
    db.sql(REALS);
    let text = dump(db, &[]);
    let dir = tempfile::tempdir().unwrap();
    let via_sqlite3 = dir.path().join("via_sqlite3.db");
    sqlite3(&via_sqlite3, &[], Some(&text));
    assert_eq!(snapshot(&via_sqlite3), snapshot(&file_of(db)));

    let copy = Db::new(db.backend);
    let script = dir.path().join("dump.sql");
    std::fs::write(&script, &text).unwrap();
    let out = shell().arg("batch").arg(copy.target()).arg(&script).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(snapshot(&file_of(&copy)), snapshot(&file_of(db)));
    assert_eq!(dump(&copy, &[]), text);
}

fn big_table_arrives_complete_in_pages(db: &Db) {
    db.sql(
        "CREATE TABLE big(n INTEGER PRIMARY KEY, s TEXT, f REAL);
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000)
         INSERT INTO big SELECT n, 'row ' || n, n * 1.0 FROM c;
         CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
         INSERT INTO kv SELECT 'key' || n, n FROM big WHERE n % 3 = 0;",
    );
    let reference = sqlite3(&file_of(db), &[".dump"], None);
    if let Some(s) = &db.server {
        s.reset_counters();
    }
    let paged = dump(db, &["--page-rows", "100"]);
    assert_same(&paged, &reference);
    assert_eq!(paged.matches("INSERT INTO big VALUES(").count(), 3000);
    if let Some(s) = &db.server {
        // 30 pages of big + 10 of kv (each a request; WebSocket adds stream messages).
        assert!(s.requests() >= 40, "{} requests", s.requests());
    }
    assert_same(&dump(db, &[]), &reference);
}

fn schema_only_data_only_and_tables(db: &Db) {
    db.sql(FIXTURE);
    let schema = dump(db, &["--schema-only"]);
    assert!(!schema.contains(" VALUES("), "{schema}");
    assert!(!schema.contains("sqlite_sequence"), "{schema}");
    assert!(
        schema.starts_with("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t_types")
    );
    assert!(
        schema.ends_with("CREATE UNIQUE INDEX idx_expr ON g(lower(c));\nCOMMIT;\n"),
        "{schema}"
    );

    let data = dump(db, &["--data-only"]);
    assert_eq!(data, sqlite3(&file_of(db), &[".dump --data-only"], None));

    let some = dump(db, &["seq", "my%"]);
    assert_eq!(
        some,
        "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n\
         CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);\n\
         INSERT INTO seq VALUES(1,'a');\nINSERT INTO seq VALUES(2,'b');\n\
         CREATE TABLE IF NOT EXISTS \"my tab\"(\"co l\" TEXT, \"select\" INT, \"a\"\"b\" BLOB);\n\
         INSERT INTO \"my tab\" VALUES('x',1,X'02');\nINSERT INTO \"my tab\" VALUES('y',2,NULL);\n\
         INSERT INTO \"my tab\" VALUES('z',3,4.5);\n\
         CREATE TRIGGER tr_seq AFTER INSERT ON seq BEGIN INSERT INTO empty VALUES (new.name); END;\n\
         CREATE INDEX \"idx my tab\" ON \"my tab\"(\"co l\");\nCOMMIT;\n"
    );
}

fn output_file_is_written_whole(db: &Db) {
    db.sql(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.sql");
    std::fs::write(&file, "old contents").unwrap();
    let out = shell()
        .arg("dump")
        .arg(db.target())
        .arg("--output")
        .arg(&file)
        .run();
    assert_eq!(out.ok(), "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), dump(db, &[]));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

crate::on_every_transport!(
    dump_is_byte_identical_to_sqlite3,
    reals_keep_every_bit,
    round_trip_through_sqlite3_and_batch,
    big_table_arrives_complete_in_pages,
    schema_only_data_only_and_tables,
    output_file_is_written_whole,
);

#[test]
fn same_text_on_every_transport() {
    let local = Db::new(Backend::Local);
    local.sql(FIXTURE);
    local.sql(REALS);
    let text = dump(&local, &[]);
    for b in REMOTE_BACKENDS {
        let remote = Db::new(*b);
        remote.sql(FIXTURE);
        remote.sql(REALS);
        assert_eq!(dump(&remote, &[]), text, "{b:?}");
    }
}

/// Start a slow dump of 20 pages, cut the connection once it is under way, and return what
/// the command printed.
fn dump_cut_mid_way(backend: Backend, extra: &[&str]) -> crate::harness::Output {
    let db = Db::new(backend);
    db.sql(
        "CREATE TABLE big(n INTEGER PRIMARY KEY, s TEXT);
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 200)
         INSERT INTO big SELECT n, 'row ' || n FROM c;",
    );
    let server = db.server();
    server.set_latency(Duration::from_millis(60));
    let cmd = shell()
        .arg("dump")
        .arg(db.target())
        .args(["--page-rows", "10"])
        .args(extra);
    let run = std::thread::spawn(move || cmd.run());
    // The request counter is incremented before the latency sleep and the fault is taken
    // after it, so a fault queued now hits a request that is already under way.
    let started = Instant::now();
    // HTTP: 3 requests before the first page; WebSocket: 6 messages (stream and metadata).
    let under_way = if backend == Backend::Ws { 9 } else { 6 };
    while server.requests() < under_way {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the dump never got going"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    match backend {
        Backend::Ws => server.ws_fault_next(WsFault::CloseMidRequest),
        _ => server.fail_next(Fault::DropBeforeExecute),
    }
    let out = run.join().unwrap();
    server.set_latency(Duration::ZERO);
    out
}

#[test]
fn dropped_connection_mid_dump_is_reported_and_marked() {
    for b in REMOTE_BACKENDS {
        let out = dump_cut_mid_way(*b, &[]);
        out.fails(2, "dump incomplete");
        assert!(
            out.stdout
                .starts_with("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE big"),
            "{b:?}"
        );
        assert!(
            out.stdout
                .contains("INSERT INTO big VALUES(10,'row 10');\n"),
            "{b:?}: {}",
            out.stdout
        );
        let last = out.stdout.lines().last().unwrap();
        assert!(
            last.starts_with("ROLLBACK; -- dump incomplete: "),
            "{b:?}: {last}"
        );
        assert!(!out.stdout.contains("COMMIT;"), "{b:?}");

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.sql");
        let out = dump_cut_mid_way(*b, &["--output", file.to_str().unwrap()]);
        out.fails(2, "was not written");
        assert_eq!(out.stdout, "");
        assert!(
            !file.exists(),
            "{b:?}: an incomplete dump was renamed into place"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no temporary file left"
        );
    }
}

/// `server` with `sql` run on its database file.
fn serving(server: TestServer, sql: &str) -> TestServer {
    rusqlite::Connection::open(server.db_path())
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    server
}

/// From the second page on, the next page is requested while the last one is decoded (it
/// starts a page further on). The dump is the same whichever order the server writes the
/// keys of its responses in (the stream fields are read ahead only when they come first,
/// as sqld writes them), and each paged table costs one request more than its pages.
#[test]
fn pages_are_read_ahead_whatever_the_key_order() {
    for sorted in [false, true] {
        let server = serving(
            TestServer::builder().sorted_keys(sorted).start(),
            "CREATE TABLE big(n INTEGER PRIMARY KEY, s TEXT);
             WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1050)
             INSERT INTO big SELECT n, 'row ' || n FROM c;
             CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
             INSERT INTO kv SELECT 'key' || n, n FROM big WHERE n <= 300;
             CREATE TABLE o(rowid, _rowid_, oid, n);
             INSERT INTO o SELECT n, n, n, n FROM big WHERE n <= 250;",
        );
        let reference = sqlite3(&server.db_path(), &[".dump"], None);
        server.reset_counters();
        let out = shell()
            .arg("dump")
            .arg(server.http_url())
            .args(["--page-rows", "100"])
            .run();
        assert_eq!(out.code, 0, "sorted keys: {sorted}: {}", out.stderr);
        assert_same(&out.stdout, &reference);
        // Pages of 100: big 11 (+1 read ahead), kv 3 + an empty one (+1), o 3 (+1).
        let pages = server
            .pipeline_log()
            .iter()
            .filter(|p| p.len() == 1 && p[0] == "execute")
            .count();
        assert_eq!(pages, 12 + 5 + 4, "sorted keys: {sorted}");
    }
}

/// The request for the page after a table's last page is wasted, but if it fails the
/// stream (and with it the snapshot) is gone: the dump must not carry on as if complete.
#[test]
fn a_failed_read_ahead_after_the_last_page_fails_the_dump() {
    for backend in REMOTE_BACKENDS {
        let server = serving(
            TestServer::start(),
            "CREATE TABLE t(n INTEGER PRIMARY KEY, s TEXT);
             WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 25)
             INSERT INTO t SELECT n, 'row ' || n FROM c;
             CREATE TABLE later(x TEXT);
             INSERT INTO later VALUES ('after');",
        );
        let url = match backend {
            Backend::Ws => server.ws_url(),
            _ => server.http_url(),
        };
        let dump = || {
            shell()
                .arg("dump")
                .arg(&url)
                .args(["--page-rows", "10"])
                .run()
        };
        // A clean run. Its last requests are t's third (short) page, the wasted read ahead,
        // later's page and the close; over HTTP the close travels alone.
        server.reset_counters();
        assert_eq!(dump().code, 0);
        let wasted = match backend {
            Backend::Ws => {
                let log = server.ws_log();
                assert_eq!(log[log.len() - 3..], ["execute", "execute", "close_stream"]);
                log.len() - 3
            }
            _ => {
                let log = server.pipeline_log();
                assert_eq!(log[log.len() - 3..], [["execute"], ["execute"], ["close"]]);
                log.len() - 3
            }
        };
        for _ in 0..wasted {
            match backend {
                Backend::Ws => server.ws_fault_next(WsFault::Pass),
                _ => server.fail_next(Fault::Pass),
            }
        }
        match backend {
            Backend::Ws => server.ws_fault_next(WsFault::CloseMidRequest),
            _ => server.fail_next(Fault::DropBeforeExecute),
        }
        let out = dump();
        out.fails(2, "dump incomplete");
        assert!(
            out.stdout.contains("INSERT INTO t VALUES(25,'row 25');\n"),
            "{backend:?}"
        );
        assert!(
            !out.stdout.contains("'after'"),
            "{backend:?}: read outside the snapshot"
        );
        assert!(
            out.stdout
                .lines()
                .last()
                .unwrap()
                .starts_with("ROLLBACK; -- dump incomplete: "),
            "{backend:?}: {}",
            out.stdout
        );
    }
}

#[test]
fn expired_stream_mid_dump_is_incomplete() {
    let db = Db::new(Backend::Http);
    db.sql("CREATE TABLE t(n); INSERT INTO t VALUES (1), (2), (3), (4), (5), (6);");
    let server = db.server();
    server.set_latency(Duration::from_millis(60));
    let cmd = shell()
        .arg("dump")
        .arg(db.target())
        .args(["--page-rows", "1"]);
    let run = std::thread::spawn(move || cmd.run());
    while server.requests() < 4 {
        std::thread::sleep(Duration::from_millis(2));
    }
    server.expire_streams_now();
    let out = run.join().unwrap();
    out.fails(2, "stream expired");
    assert!(
        out.stdout.ends_with("\n")
            && out
                .stdout
                .lines()
                .last()
                .unwrap()
                .starts_with("ROLLBACK; -- dump incomplete: ")
    );
}

#[test]
fn oversized_pages_are_split_and_an_oversized_row_fails() {
    let server = TestServer::builder().max_response_size(6_000).start();
    let c = rusqlite::Connection::open(server.db_path()).unwrap();
    c.execute_batch(
        "CREATE TABLE t(n INTEGER PRIMARY KEY, s TEXT);
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50)
         INSERT INTO t SELECT n, printf('%.200c', 'x') FROM c;",
    )
    .unwrap();
    let reference = sqlite3(&server.db_path(), &[".dump"], None);
    let out = shell().arg("dump").arg(server.http_url()).run();
    assert_eq!(out.ok(), reference);

    c.execute("INSERT INTO t VALUES (51, printf('%.9000c', 'y'))", [])
        .unwrap();
    let out = shell().arg("dump").arg(server.http_url()).run();
    out.fails(1, "RESPONSE_TOO_LARGE");
    assert!(out
        .stdout
        .lines()
        .last()
        .unwrap()
        .starts_with("ROLLBACK; -- dump incomplete: reading table t"));
}

#[test]
fn virtual_tables_as_sqlite3_writes_them() {
    let db = Db::new(Backend::Local);
    db.sql("CREATE VIRTUAL TABLE docs USING fts5(body); INSERT INTO docs VALUES ('hello world');");
    assert_eq!(dump(&db, &[]), sqlite3(&file_of(&db), &[".dump"], None));
}

#[test]
fn missing_database_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.db");
    shell()
        .arg("dump")
        .arg(&missing)
        .run()
        .fails(2, "no such database file");
    assert!(!missing.exists());
}

/// A server that cannot be reached at all: nothing on standard output (no incomplete marker
/// for a dump that never started), one line, exit 2 — the same over HTTP and WebSocket.
#[test]
fn an_unreachable_server_writes_nothing() {
    for url in ["http://127.0.0.1:1", "ws://127.0.0.1:1"] {
        let out = shell().args(["dump", url]).run();
        let stderr = out.fails(2, "cannot connect to 127.0.0.1:1");
        assert_eq!(stderr.lines().count(), 1, "{url}: {stderr}");
        assert_eq!(out.stdout, "", "{url}");
    }
}
