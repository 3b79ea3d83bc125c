//! The committed fixtures (tests/prisma: Prisma's layout, hand-written in its renderer's
//! shape; tests/drizzle: drizzle-kit's own output) on a database with rows, the rows each tool
//! reads back, adopting a table the tool already wrote, tables of another shape, bad
//! directories, reverting, failed migrations the tools recorded, and racing runners.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::super::{strings, table_exists};
use super::{drizzle_node, run, sha256, Dir, DRIZZLE, GOLANG_MIGRATE, PRISMA};
use crate::harness::{shell, Backend, Db, Output};
use crate::on_every_transport;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn prisma_dir() -> PathBuf {
    fixture("tests/prisma/migrations")
}

fn drizzle_dir() -> PathBuf {
    fixture("tests/drizzle/migrations")
}

/// A copy of a fixture directory, to edit.
fn copy(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    fn walk(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.path().is_dir() {
                walk(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    walk(from, &to.path().join("m"));
    to
}

/// Text as `strings` shows it (escaped as in Rust's debug form).
fn escaped(s: &str) -> String {
    let d = format!("{s:?}");
    d[1..d.len() - 1].to_string()
}

fn count(db: &Db, table: &str) -> String {
    strings(db, &format!("SELECT count(*) FROM \"{table}\""))[0].clone()
}

/// Prisma's RedefineTables rebuild of "User", which "Post" references with ON DELETE
/// CASCADE, keeps the posts inserted between two runs; the rows are Prisma's.
fn prisma_fixture_keeps_rows_through_a_rebuild(db: &Db) {
    let dir = prisma_dir();
    run(db, &dir, None, "up", &["--to", "20250102120000"]).ok();
    db.sql(
        "INSERT INTO \"User\" (id, name, email) VALUES (1, 'Ann', 'ann@x'), (2, 'Bo', NULL); \
         INSERT INTO \"Post\" (title, userId) VALUES ('a', 1), ('b', 1), ('c', 2);",
    );
    let out = run(db, &dir, None, "up", &[]);
    assert!(
        out.ok()
            .starts_with("applying 20250103120000_email_required/migration.sql ... ok\n"),
        "{}",
        out.stdout
    );
    assert_eq!(count(db, "Post"), "3");
    assert_eq!(
        strings(db, "SELECT group_concat(email, '|') FROM \"User\""),
        ["ann@x|"]
    );
    assert!(db.query_strings("PRAGMA foreign_key_check").is_empty());

    // The rows, as prisma migrate deploy writes them.
    let table = &strings(
        db,
        "SELECT sql FROM sqlite_master WHERE name = '_prisma_migrations'",
    )[0];
    assert!(
        table.starts_with(&escaped(
            "CREATE TABLE \"_prisma_migrations\" (\n    \"id\"                    TEXT PRIMARY KEY NOT NULL,"
        )),
        "{table}"
    );
    for name in [
        "20250101120000_init",
        "20250102120000_add_email",
        "20250103120000_email_required",
    ] {
        let file = std::fs::read_to_string(dir.join(name).join("migration.sql")).unwrap();
        let row = strings(
            db,
            &format!(
                "SELECT checksum || '|' || length(id) || '|' || substr(id, 15, 1) || '|' || \
                 typeof(started_at) || '|' || (finished_at >= started_at) || '|' || \
                 applied_steps_count || '|' || (logs IS NULL) || '|' || (rolled_back_at IS NULL) \
                 FROM _prisma_migrations WHERE migration_name = '{name}'"
            ),
        );
        assert_eq!(
            row,
            [format!("{}|36|4|integer|1|1|1|1", sha256(&file))],
            "{name}"
        );
    }
    let status = run(db, &dir, None, "status", &[]);
    assert!(
        status.ok().starts_with("Prisma migrations in ")
            && status
                .stdout
                .contains("20250103120000  email_required  applied"),
        "{}",
        status.stdout
    );
    run(db, &dir, None, "check", &[]).ok();

    // Line endings converted (a Windows checkout): still the same migrations, as Prisma says.
    let crlf = copy(&dir);
    let m = crlf.path().join("m");
    let f = m.join("20250101120000_init/migration.sql");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replace('\n', "\r\n")).unwrap();
    run(db, &m, None, "check", &[]).ok();
    // An edit is a change: up refuses, restamp accepts.
    std::fs::write(&f, text.replace("\"name\" TEXT", "\"name\"  TEXT")).unwrap();
    run(db, &m, None, "check", &[]).fails(1, "");
    run(db, &m, None, "up", &[]).fails(1, "20250101120000_init/migration.sql was changed");
    shell()
        .args(["migrate", "restamp", "20250101120000"])
        .arg(db.target())
        .arg("--dir")
        .arg(&m)
        .run()
        .ok();
    run(db, &m, None, "check", &[]).ok();
    run(db, &m, None, "down", &[]).fails(1, "Prisma migrations have no down migrations");
}

/// drizzle-kit's own migrations: the rebuild of `users`, which `posts` reference with ON
/// DELETE CASCADE, keeps the posts (sent as one plain transaction with foreign keys on, as
/// a naive runner does, it deletes them all without an error); drizzle-orm's migrator, run
/// afterwards, applies nothing.
fn drizzle_fixture_keeps_rows_and_drizzle_agrees(db: &Db) {
    let dir = drizzle_dir();
    let insert = "INSERT INTO users (id, name, email) VALUES (1, 'Ann', 'ann@x'), (2, 'Bo', \
                  'bo@x'); INSERT INTO posts (user_id, title) VALUES (1, 'a'), (1, 'b'), (2, 'c');";
    run(db, &dir, None, "up", &["--to", "0001"]).ok();
    db.sql(insert);

    // The naive way, on another database in the same state: every post is gone.
    let naive = Db::new(db.backend);
    run(&naive, &dir, None, "up", &["--to", "0001"]).ok();
    naive.sql(insert);
    shell()
        .arg("batch")
        .arg(naive.target())
        .arg(dir.join("0002_email_not_null.sql"))
        .run()
        .ok();
    assert_eq!(count(&naive, "posts"), "0");

    let out = run(db, &dir, None, "up", &[]);
    assert!(
        out.ok()
            .starts_with("applying 0002_email_not_null.sql ... ok\n"),
        "{}",
        out.stdout
    );
    assert_eq!(count(db, "posts"), "3");
    assert!(db.query_strings("PRAGMA foreign_key_check").is_empty());
    let journal: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta/_journal.json")).unwrap())
            .unwrap();
    let entries = journal["entries"].as_array().unwrap();
    let mut want = Vec::new();
    for e in entries {
        let file = std::fs::read_to_string(dir.join(format!("{}.sql", e["tag"].as_str().unwrap())))
            .unwrap();
        want.push(format!("{}|{}", sha256(&file), e["when"]));
    }
    assert_eq!(
        strings(
            db,
            "SELECT hash || '|' || created_at FROM __drizzle_migrations ORDER BY created_at"
        ),
        want
    );
    assert!(strings(
        db,
        "SELECT sql FROM sqlite_master WHERE name = '__drizzle_migrations'"
    )[0]
    .starts_with(&escaped(
        "CREATE TABLE \"__drizzle_migrations\" (\n\t\t\tid SERIAL PRIMARY KEY,"
    )));
    run(db, &dir, None, "check", &[]).ok();
    drizzle_migrator_applies_nothing(db, &dir, entries.len());
}

/// drizzle-orm's own libSQL migrator against the database: nothing to apply, no error.
fn drizzle_migrator_applies_nothing(db: &Db, dir: &Path, n: usize) {
    let work = match drizzle_node() {
        Ok(w) => w,
        Err(why) => {
            eprintln!("skipping drizzle-orm's migrator: {why}");
            return;
        }
    };
    let url = match db.backend {
        Backend::Local => format!("file:{}", db.target()),
        _ => db.target(),
    };
    // Run from the folder holding node_modules, so the imports resolve.
    let script = work.join(format!(
        "libsql-shell-migrator-{}-{:?}.mjs",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::copy(fixture("tests/drizzle/migrator.mjs"), &script).unwrap();
    let out = Command::new("node")
        .arg(&script)
        .arg(&url)
        .arg(dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&script);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(s["error"], serde_json::Value::Null, "{s}");
    assert_eq!(s["before"], s["after"], "{s}");
    assert_eq!(s["after"].as_array().unwrap().len(), n, "{s}");
}

/// Several runners at once on a tool whose table has no key a second row would break
/// (Prisma's): each migration applied exactly once, every runner exits 0.
fn racing_runners_on_prisma_apply_each_migration_once(db: &Db) {
    let sql = |i: usize| {
        format!("CREATE TABLE t{i}(x);\nINSERT INTO t{i} VALUES ({i});\nCREATE TABLE IF NOT EXISTS runs(m);\nINSERT INTO runs VALUES ({i});\n")
    };
    let dir = Dir::new(&(PRISMA.files)(6, &sql));
    let p = dir.path();
    let outs: Vec<Output> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| s.spawn(|| run(db, &p, None, "up", &[])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in &outs {
        assert_eq!(out.code, 0, "{out:?}");
    }
    assert_eq!(
        strings(
            db,
            "SELECT group_concat(m) FROM (SELECT m FROM runs ORDER BY m)"
        ),
        ["1,2,3,4,5,6"]
    );
    assert_eq!(count(db, "_prisma_migrations"), "6");
    run(db, &p, None, "check", &[]).ok();
}

on_every_transport!(
    prisma_fixture_keeps_rows_through_a_rebuild,
    drizzle_fixture_keeps_rows_and_drizzle_agrees,
    racing_runners_on_prisma_apply_each_migration_once,
);

/// A table the tool already wrote is adopted: what it records is applied, the rest runs.
#[test]
fn existing_tables_are_adopted() {
    let db = Db::new(Backend::Local);
    // drizzle-orm applied the first two migrations (its rows and its effects).
    let dir = drizzle_dir();
    db.sql(
        &std::fs::read_to_string(dir.join("0000_init.sql"))
            .unwrap()
            .replace("--> statement-breakpoint", ""),
    );
    db.sql(&std::fs::read_to_string(dir.join("0001_add_email.sql")).unwrap());
    db.sql("CREATE TABLE \"__drizzle_migrations\" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)");
    let journal: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta/_journal.json")).unwrap())
            .unwrap();
    for e in &journal["entries"].as_array().unwrap()[..2] {
        let file = std::fs::read_to_string(dir.join(format!("{}.sql", e["tag"].as_str().unwrap())))
            .unwrap();
        db.sql(&format!(
            "INSERT INTO \"__drizzle_migrations\" (hash, created_at) VALUES ('{}', {})",
            sha256(&file),
            e["when"]
        ));
    }
    let out = run(&db, &dir, None, "up", &[]);
    assert!(
        out.ok()
            .starts_with("applying 0002_email_not_null.sql ... ok\n1 migration(s) applied"),
        "{}",
        out.stdout
    );
    assert_eq!(count(&db, "__drizzle_migrations"), "3");

    // dbmate's table decides plain files are dbmate's.
    let db = Db::new(Backend::Local);
    db.sql("create table \"schema_migrations\" (version varchar(128) primary key); insert into schema_migrations values ('20250101120001'); CREATE TABLE t1(x);");
    let dir = Dir::new(&(super::DBMATE.files)(2, &super::good));
    let out = run(&db, &dir.path(), None, "up", &[]);
    assert!(
        out.ok()
            .starts_with("applying 20250101120002_m2.sql ... ok\n"),
        "{}",
        out.stdout
    );
    assert_eq!(
        strings(&db, "SELECT group_concat(version) FROM schema_migrations"),
        ["20250101120001,20250101120002"]
    );
    assert!(!table_exists(&db, "_libsql_migrations"));

    // sqlx's table decides .up.sql/.down.sql pairs are sqlx's; a changed file is refused.
    let db = Db::new(Backend::Local);
    let dir = Dir::new(&(GOLANG_MIGRATE.files)(2, &super::good));
    run(&db, &dir.path(), Some("sqlx"), "up", &[]).ok();
    let out = run(&db, &dir.path(), None, "status", &["--json"]);
    let json: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(json[1]["state"], "applied");
    std::fs::write(dir.path().join("000002_m2.up.sql"), "CREATE TABLE t2(y);\n").unwrap();
    run(&db, &dir.path(), None, "check", &[]).fails(1, "");
    run(&db, &dir.path(), None, "up", &[])
        .fails(1, "000002_m2.up.sql was changed after it was applied");
    assert!(!table_exists(&db, "schema_migrations"));
}

/// A table of the right name but another shape is refused before anything is written.
#[test]
fn tables_of_another_shape_are_refused() {
    let db = Db::new(Backend::Local);
    db.sql("CREATE TABLE _prisma_migrations(id TEXT PRIMARY KEY, name TEXT)");
    let out = run(&db, &prisma_dir(), None, "up", &[]);
    out.fails(2, "table _prisma_migrations exists but is not Prisma's");
    assert!(
        out.stderr.contains("its columns are (id, name)"),
        "{}",
        out.stderr
    );
    assert!(!table_exists(&db, "User"));

    let db = Db::new(Backend::Local);
    db.sql("CREATE TABLE schema_migrations(id VARCHAR(255) NOT NULL PRIMARY KEY)");
    let dir = Dir::new(&(GOLANG_MIGRATE.files)(1, &super::good));
    run(&db, &dir.path(), None, "up", &[]).fails(
        2,
        "table schema_migrations exists but is not golang-migrate's",
    );
    run(&db, &dir.path(), None, "status", &[]).fails(2, "is not golang-migrate's");
    assert!(!table_exists(&db, "t1"));
}

/// Directories that are no tool's, or two tools', or broken: exit 2, nothing applied.
#[test]
fn bad_directories_exit_2_and_apply_nothing() {
    let s = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<(String, String)>, &str)> = vec![
        (
            s(&[("notes.txt", "x")]),
            "holds no migrations of a known layout (found notes.txt)",
        ),
        (
            s(&[
                ("1_a.up.sql", "CREATE TABLE t(x);"),
                ("2_b.sql", "CREATE TABLE u(x);"),
            ]),
            "mixes migration layouts",
        ),
        (
            s(&[
                ("20250101120000_a/migration.sql", "CREATE TABLE t(x);"),
                ("0001_b.sql", "CREATE TABLE u(x);"),
            ]),
            "mixes migration layouts",
        ),
        (
            s(&[(
                "meta/_journal.json",
                r#"{"dialect":"sqlite","entries":[{"tag":"0000_a","when":1}]}"#,
            )]),
            "lists 0000_a, but 0000_a.sql is missing",
        ),
        (
            s(&[
                ("20250101120000_a/notes.md", "x"),
                ("20250102120000_b/migration.sql", "CREATE TABLE t(x);"),
            ]),
            "has no migration.sql",
        ),
        (
            s(&[
                ("migration_lock.toml", "provider = \"postgresql\"\n"),
                ("20250101120000_a/migration.sql", "CREATE TABLE t(x);"),
            ]),
            "provider = \"postgresql\"",
        ),
        (
            s(&[
                ("1_a.up.sql", "CREATE TABLE t(x);"),
                ("2_b.down.sql", "DROP TABLE u;"),
            ]),
            "2_b.down.sql has no matching .up.sql",
        ),
    ];
    for (files, want) in cases {
        let db = Db::new(Backend::Local);
        let dir = Dir::new(&files);
        for sub in ["up", "status", "check", "plan"] {
            run(&db, &dir.path(), None, sub, &[]).fails(2, want);
        }
        let tables = strings(&db, "SELECT count(*) FROM sqlite_master");
        assert_eq!(tables, ["0"], "{want}");
    }
    // --format that does not fit the directory.
    let db = Db::new(Backend::Local);
    let dir = Dir::new(&(DRIZZLE.files)(1, &super::good));
    run(&db, &dir.path(), Some("prisma"), "up", &[]).fails(2, "--format prisma:");
    run(&db, &dir.path(), Some("json"), "status", &[])
        .fails(2, "for JSON status use `migrate status --json`");
    // `new` writes our files only.
    shell()
        .args(["migrate", "new", "x", "--dir"])
        .arg(prisma_dir())
        .run()
        .fails(2, "migrate new writes libsql-shell's own files");
}

/// `down` in the tools that have downs, in their own tables.
#[test]
fn down_in_each_tool_with_downs() {
    let sql = super::good;
    for (tool, format, rows) in [
        (&GOLANG_MIGRATE, None, ["2:0", "1:0", ""]),
        (&super::GOOSE, None, ["0,1,2", "0,1", "0"]),
        (
            &super::DBMATE,
            Some("dbmate"),
            ["20250101120001,20250101120002", "20250101120001", ""],
        ),
    ] {
        let db = Db::new(Backend::Local);
        let dir = Dir::new(&(tool.files)(2, &sql));
        let p = dir.path();
        // The recorded rows, comma-separated.
        let query = format!(
            "SELECT coalesce(group_concat(v), '') FROM ({}) AS q",
            tool.recorded.replacen(" FROM", " AS v FROM", 1)
        );
        let list = |db: &Db| strings(db, &query);
        run(&db, &p, format, "up", &[]).ok();
        assert_eq!(list(&db), [rows[0]]);
        let out = run(&db, &p, format, "down", &[]);
        // The file that runs is named: a reversible layout's `.down.sql`.
        let reverting = out.ok().lines().next().unwrap_or_default().to_string();
        assert!(reverting.starts_with("reverting "), "{reverting}");
        assert!(!reverting.contains(".up.sql"), "{reverting}");
        assert_eq!(list(&db), [rows[1]]);
        assert!(table_exists(&db, "t1") && !table_exists(&db, "t2"));
        run(&db, &p, format, "down", &[]).ok();
        assert_eq!(list(&db), [rows[2]]);
        assert!(!table_exists(&db, "t1"));
        run(&db, &p, format, "up", &[]).ok();
        assert_eq!(list(&db), [rows[0]]);
    }
}

/// What a tool recorded as failed half-way stops `up`, as the tool itself would.
#[test]
fn migrations_a_tool_recorded_as_failed_stop_up() {
    let db = Db::new(Backend::Local);
    let dir = Dir::new(&(GOLANG_MIGRATE.files)(2, &super::good));
    db.sql("CREATE TABLE schema_migrations (version uint64,dirty bool); INSERT INTO schema_migrations VALUES (1, 1);");
    run(&db, &dir.path(), None, "up", &[])
        .fails(1, "schema_migrations is dirty at 000001_m1.up.sql");
    let out = run(&db, &dir.path(), None, "status", &["--json"]);
    let json: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(json[0]["state"], "failed");
    assert_eq!(json[1]["state"], "pending");
    run(&db, &dir.path(), None, "check", &[]).fails(1, "");

    let db = Db::new(Backend::Local);
    run(&db, &prisma_dir(), None, "up", &["--to", "20250101120000"]).ok();
    db.sql("UPDATE _prisma_migrations SET finished_at = NULL");
    run(&db, &prisma_dir(), None, "up", &[]).fails(
        1,
        "Prisma recorded 20250101120000_init/migration.sql as failed",
    );
    db.sql("UPDATE _prisma_migrations SET rolled_back_at = 1");
    // Rolled back: as if never applied (its table exists, so it fails, and nothing is kept).
    run(&db, &prisma_dir(), None, "up", &[]).fails(1, "table \"User\" already exists");
}
