//! Real-world shapes: Django's `sqlmigrate` files on a database with rows, racing runners,
//! faults injected by the test server, and `migrate new`.

use std::path::Path;

use super::{migrate, strings, table_exists, versions, Dir};
use crate::harness::{shell, Backend, Db, Output};
use crate::on_every_transport;

/// Django's own `sqlmigrate` output (Django 5.1.4, generated from `tests/django` by its
/// `regenerate.sh`, which CI re-runs to prove the files are what Django writes): an initial
/// migration with a foreign key, a table rebuild of the referenced table, a Python-only
/// migration and a rebuild of the referencing table, applied to a database whose
/// referencing table already holds rows.
fn django_migrations_apply_on_a_database_with_rows(db: &Db) {
    let dir = Dir::new(&[("0001_initial.sql", DJANGO_0001)]);
    migrate(db, &dir, "up", &[]).ok();
    db.sql(
        "INSERT INTO library_author (id, name) VALUES (1, 'Ann'), (2, 'Bo'); \
            INSERT INTO library_book (title, author_id) VALUES ('x', 1), ('y', 2), ('z', 1);",
    );
    dir.write("0002_alter_author_name.sql", DJANGO_0002);
    dir.write("0003_populate.sql", DJANGO_0003);
    dir.write("0004_book_pages.sql", DJANGO_0004);
    // Without the runner's handling the rebuild fails on this database (foreign keys are
    // enforced, as on sqld): prove it with a plain atomic batch of the same file.
    let plain = shell()
        .args(["batch"])
        .arg(db.target())
        .arg(dir.path().join("0002_alter_author_name.sql"))
        .run();
    plain.fails(1, "FOREIGN KEY constraint failed");
    let out = migrate(db, &dir, "up", &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("0003_populate.sql has no statements"),
        "{}",
        out.stderr
    );
    assert_eq!(versions(db), ["1", "2", "3", "4"]);
    assert_eq!(strings(db, "SELECT count(*) FROM library_book JOIN library_author ON author_id = library_author.id"), ["3"]);
    assert_eq!(strings(db, "SELECT sum(pages) FROM library_book"), ["0"]);
    assert!(strings(
        db,
        "SELECT sql FROM sqlite_master WHERE name = 'library_author'"
    )[0]
    .contains("varchar(200)"));
    assert!(db.query_strings("PRAGMA foreign_key_check").is_empty());

    // A migration that would leave a dangling reference fails and leaves nothing.
    dir.write(
        "0005_drop_ann.sql",
        "BEGIN;\nCREATE TABLE marker(x);\nDELETE FROM library_author WHERE id = 1;\nCOMMIT;\n",
    );
    let out = migrate(db, &dir, "up", &[]);
    let err = out.fails(1, "migration failed: 0005_drop_ann.sql leaves foreign key violations: library_book row 1 references a missing row of library_author");
    assert!(
        err.contains("nothing of 0005_drop_ann.sql was applied"),
        "{err}"
    );
    assert_eq!(strings(db, "SELECT count(*) FROM library_author"), ["2"]);
    assert!(!table_exists(db, "marker"));
    assert_eq!(versions(db), ["1", "2", "3", "4"]);
}

const DJANGO_0001: &str = include_str!("../../django/sql/0001_initial.sql");
const DJANGO_0002: &str = include_str!("../../django/sql/0002_alter_author_name.sql");
const DJANGO_0003: &str = include_str!("../../django/sql/0003_populate.sql");
const DJANGO_0004: &str = include_str!("../../django/sql/0004_book_pages.sql");

/// Several runners at once against one database: every migration applied exactly once, and
/// every runner exits 0 (a loser says the migration was applied by another runner).
fn racing_runners_apply_each_migration_exactly_once(db: &Db) {
    let mut files = vec![(
        "0001_runs.sql".to_string(),
        "CREATE TABLE runs(m INTEGER);\nINSERT INTO runs VALUES (1);\n".to_string(),
    )];
    for v in 2..=8 {
        files.push((
            format!("{v:04}_m{v}.sql"),
            format!("CREATE TABLE t{v}(x);\nINSERT INTO t{v} VALUES (1), (2), (3);\nINSERT INTO runs VALUES ({v});\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = Dir::new(&refs);
    let outs: Vec<Output> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| migrate(db, &dir, "up", &[])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in &outs {
        assert_eq!(out.code, 0, "{out:?}");
        for line in out.stderr.lines() {
            assert!(
                line.contains("already applied by another runner"),
                "{out:?}"
            );
        }
    }
    assert_eq!(
        strings(
            db,
            "SELECT group_concat(m) FROM (SELECT m FROM runs ORDER BY m)"
        ),
        ["1,2,3,4,5,6,7,8"]
    );
    assert_eq!(versions(db), ["1", "2", "3", "4", "5", "6", "7", "8"]);
    migrate(db, &dir, "check", &[]).ok();
}

on_every_transport!(
    django_migrations_apply_on_a_database_with_rows,
    racing_runners_apply_each_migration_exactly_once,
);

#[test]
fn new_numbers_files_and_never_overwrites() {
    let dir = Dir::new(&[]);
    let new = |name: &str, extra: &[&str]| {
        shell()
            .args(["migrate", "new", name, "--dir"])
            .arg(dir.path())
            .args(extra)
            .run()
    };
    let p1 = new("create users", &[]).ok().trim().to_string();
    assert!(p1.ends_with("0001_create_users.sql"), "{p1}");
    assert_eq!(
        std::fs::read_to_string(&p1).unwrap(),
        "-- migrate:up\n\n\n-- migrate:down\n\n"
    );
    let p2 = new("add-email", &[]).ok().trim().to_string();
    assert!(p2.ends_with("0002_add_email.sql"), "{p2}");
    new("!!", &[]).fails(2, "not a usable migration name");
    shell()
        .args(["migrate", "status", "--dir"])
        .arg(dir.path())
        .run()
        .fails(2, "migrate needs a database");
    // Timestamps once the files use them.
    let p3 = new("ts", &["--timestamp"]).ok().trim().to_string();
    let name = Path::new(&p3)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert_eq!(name.len(), "YYYYMMDDHHMMSS_ts.sql".len(), "{name}");
    assert!(name.starts_with("20"), "{name}");
    let p4 = new("next", &[]).ok().trim().to_string();
    let v3: u64 = name[..14].parse().unwrap();
    let v4: u64 = Path::new(&p4).file_name().unwrap().to_string_lossy()[..14]
        .parse()
        .unwrap();
    assert!(v4 > v3);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
    // The new files are valid, empty migrations.
    let db = Db::new(Backend::Local);
    let out = migrate(&db, &dir, "up", &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stderr
            .matches("has no statements (comments only)")
            .count(),
        4
    );
}

/// The test server drops or garbles a request at a random point of a run (50 runs over
/// HTTP, 20 over WebSocket); the database is never left with a migration without its row or
/// a row without its migration, and running again converges. All four migrations travel in
/// one request, each its own transaction: a lost request leaves all of them or none.
#[test]
fn faults_never_leave_a_partial_migration() {
    use crate::server::{Fault, WsFault};
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rand = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let files: Vec<(String, String)> = (1..=4)
        .map(|v| {
            (
                format!("{v:04}_m{v}.sql"),
                format!("CREATE TABLE t{v}(x);\nINSERT INTO t{v} VALUES ({v});\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    // How many requests a whole run makes: over HTTP one reads the state and ONE applies
    // all four migrations, one carries its replication index; over WebSocket each of the
    // three pipelines is a few messages.
    let total = |backend: Backend| {
        let db = Db::new(backend);
        let dir = Dir::new(&refs);
        db.server().reset_counters();
        migrate(&db, &dir, "up", &[]).ok();
        db.server().requests()
    };
    let (http_total, ws_total) = (total(Backend::Http), total(Backend::Ws));
    assert_eq!(http_total, 3);
    let (mut lost_applied, mut lost_not_applied) = (0, 0);
    for run in 0..70 {
        let backend = if run < 50 { Backend::Http } else { Backend::Ws };
        let db = Db::new(backend);
        let dir = Dir::new(&refs);
        let server = db.server();
        server.set_latency(std::time::Duration::from_millis(30));
        // The k-th request; over HTTP mostly the one applying the migrations.
        let k = match backend {
            Backend::Http if rand(5) == 0 => 1,
            // The one before the last, which only carries the replication index.
            Backend::Http => http_total - 1,
            _ => 1 + rand(ws_total as u64) as usize,
        };
        let pick = rand(5);
        let fault = format!("{pick}");
        let out = std::thread::scope(|s| {
            let h = s.spawn(|| migrate(&db, &dir, "up", &[]));
            while server.requests() < k && !h.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            // Queued while request k sleeps in the server's latency: it applies to request k.
            match backend {
                Backend::Http => server.fail_next(match pick {
                    0 => Fault::DropBeforeExecute,
                    1 => Fault::DropAfterExecute,
                    2 => Fault::Status500,
                    3 => Fault::Garbage,
                    _ => Fault::Truncated,
                }),
                _ => server.ws_fault_next(if pick % 2 == 0 {
                    WsFault::CloseMidRequest
                } else {
                    WsFault::CloseAfterExecute
                }),
            }
            h.join().unwrap()
        });
        let ctx = format!("run {run} on {backend:?}, fault {fault} on request {k}: {out:?}");
        assert!(matches!(out.code, 0 | 2), "{ctx}");
        assert!(!out.stderr.contains("panicked"), "{ctx}");
        lost_applied += out.stderr.contains("was applied (checked again)") as usize;
        lost_not_applied +=
            out.stderr
                .contains("checked again: it is not recorded as applied") as usize;
        assert!(
            !out.stderr.contains(" not recorded: safe to retry"),
            "{ctx}"
        );
        let tracked = strings(
            &db,
            "SELECT count(*) FROM sqlite_master WHERE name = '_libsql_migrations'",
        ) == ["1"];
        for v in 1..=4 {
            let recorded = tracked
                && strings(
                    &db,
                    &format!("SELECT count(*) FROM _libsql_migrations WHERE version = {v}"),
                ) == ["1"];
            assert_eq!(table_exists(&db, &format!("t{v}")), recorded, "t{v}: {ctx}");
        }
        server.set_latency(std::time::Duration::ZERO);
        let again = migrate(&db, &dir, "up", &[]);
        assert_eq!(again.code, 0, "{ctx}\nagain: {again:?}");
        assert_eq!(versions(&db), ["1", "2", "3", "4"], "{ctx}");
        assert_eq!(strings(&db, "SELECT x FROM t3"), ["3"], "{ctx}");
    }
    // Both outcomes of a lost migration request were exercised and told apart.
    assert!(
        lost_applied >= 5 && lost_not_applied >= 5,
        "{lost_applied} {lost_not_applied}"
    );
}

/// The README's figures: 100 pending migrations against the HTTP test server with 20 ms added
/// to every request. `cargo test --test it migrate_benchmark -- --ignored --nocapture`
#[test]
#[ignore = "a benchmark: run by hand"]
fn migrate_benchmark() {
    let files: Vec<(String, String)> = (1..=100)
        .map(|v| {
            (
                format!("{v:04}_m{v}.sql"),
                format!("CREATE TABLE t{v}(x);\nINSERT INTO t{v} VALUES ({v});\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = Dir::new(&refs);
    for (label, extra) in [
        ("one request, one transaction per migration", &[][..]),
        ("--single-transaction", &["--single-transaction"][..]),
    ] {
        let db = Db::new(Backend::Http);
        db.server()
            .set_latency(std::time::Duration::from_millis(20));
        db.server().reset_counters();
        let started = std::time::Instant::now();
        migrate(&db, &dir, "up", extra).ok();
        let elapsed = started.elapsed();
        let requests = db.server().requests();
        db.server().reset_counters();
        let started = std::time::Instant::now();
        migrate(&db, &dir, "up", &[]).ok();
        let noop = started.elapsed();
        eprintln!(
            "100 pending, 20 ms latency, {label}: {} ms, {requests} requests; no-op re-run: {} ms, {} request(s)",
            elapsed.as_millis(),
            noop.as_millis(),
            db.server().requests()
        );
        assert_eq!(versions(&db).len(), 100);
    }
}

/// Another writer holds the database longer than the busy timeout: the migration is not
/// applied, and the message says it is safe to retry.
#[test]
fn a_locked_database_is_not_applied_and_safe_to_retry() {
    let db = Db::new(Backend::Local);
    let dir = Dir::new(&[("0001_a.sql", "CREATE TABLE a(x);\n")]);
    db.sql("CREATE TABLE other(x);");
    let path = db.target();
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO other VALUES (1);")
        .unwrap();
    let out = migrate(
        &db,
        &dir,
        "up",
        &["--init-command", "PRAGMA busy_timeout = 100"],
    );
    let err = out.fails(1, "migration failed: 0001_a.sql: database is locked");
    assert!(err.contains("nothing of 0001_a.sql was applied"), "{err}");
    assert!(err.contains("safe to retry"), "{err}");
    holder.execute_batch("COMMIT").unwrap();
    assert!(!table_exists(&db, "a"));
    migrate(&db, &dir, "up", &[]).ok();
    assert_eq!(versions(&db), ["1"]);
}
