//! `migrate` on every transport: the real binary against a local file, the HTTP test server
//! and the WebSocket test server, checked against the database file itself.

use std::path::PathBuf;

use crate::harness::{shell, Backend, Db, Output};
use crate::on_every_transport;

mod real_world;
mod tools;

/// A migrations directory.
struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    fn new(files: &[(&str, &str)]) -> Dir {
        let d = Dir {
            tmp: tempfile::tempdir().unwrap(),
        };
        for (name, text) in files {
            d.write(name, text);
        }
        d
    }

    fn path(&self) -> PathBuf {
        self.tmp.path().join("migrations")
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::create_dir_all(self.path()).unwrap();
        std::fs::write(self.path().join(name), text).unwrap();
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(name)).unwrap();
    }
}

/// `libsql-shell migrate SUB TARGET --dir DIR EXTRA...`
fn migrate(db: &Db, dir: &Dir, sub: &str, extra: &[&str]) -> Output {
    shell()
        .args(["migrate", sub])
        .arg(db.target())
        .arg("--dir")
        .arg(dir.path())
        .args(extra)
        .run()
}

/// `libsql-shell migrate SUB VERSION TARGET --dir DIR` (baseline, restamp).
fn migrate_v(db: &Db, dir: &Dir, sub: &str, version: &str) -> Output {
    shell()
        .args(["migrate", sub, version])
        .arg(db.target())
        .arg("--dir")
        .arg(dir.path())
        .run()
}

fn strings(db: &Db, sql: &str) -> Vec<String> {
    db.query_strings(sql)
        .into_iter()
        .map(|s| {
            s.trim_start_matches("Text(\"")
                .trim_start_matches("Integer(")
                .trim_end_matches("\")")
                .trim_end_matches(')')
                .to_string()
        })
        .collect()
}

fn versions(db: &Db) -> Vec<String> {
    if strings(
        db,
        "SELECT count(*) FROM sqlite_master WHERE name = '_libsql_migrations'",
    ) == ["0"]
    {
        return Vec::new();
    }
    strings(
        db,
        "SELECT version FROM _libsql_migrations ORDER BY version",
    )
}

fn table_exists(db: &Db, name: &str) -> bool {
    strings(
        db,
        &format!("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'"),
    ) == ["1"]
}

/// Round trips to the server while running `f`: HTTP POSTs, or WebSocket bursts (each
/// pipeline opens a stream); `None` on a local file.
fn round_trips(db: &Db, f: impl FnOnce() -> Output) -> (Output, Option<usize>) {
    if let Some(s) = &db.server {
        s.reset_counters();
    }
    let out = f();
    let n = match db.backend {
        Backend::Http => Some(db.server().requests()),
        Backend::Ws => Some(
            db.server()
                .ws_log()
                .iter()
                .filter(|m| *m == "open_stream")
                .count(),
        ),
        Backend::Local => None,
    };
    (out, n)
}

const ORDERED: &[(&str, &str)] = &[
    ("10_c.sql", "INSERT INTO log VALUES ('c');\n"),
    ("1_a.sql", "-- migrate:up\nCREATE TABLE log(m TEXT);\nINSERT INTO log VALUES ('a');\n-- migrate:down\nDROP TABLE log;\n"),
    ("2_b.sql", "INSERT INTO log VALUES ('b');\n"),
];

fn up_applies_in_numeric_order_and_records_rows(db: &Db) {
    let dir = Dir::new(ORDERED);
    let (out, requests) = round_trips(db, || migrate(db, &dir, "up", &[]));
    let stdout = out.ok();
    assert!(
        stdout.starts_with(
            "applying 1_a.sql ... ok\napplying 2_b.sql ... ok\napplying 10_c.sql ... ok\n3 \
             migration(s) applied in "
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(" ms; database at version 10\n"),
        "{stdout}"
    );
    assert_eq!(strings(db, "SELECT group_concat(m) FROM log"), ["a,b,c"]);
    assert_eq!(versions(db), ["1", "2", "10"]);
    assert_eq!(
        strings(db, "SELECT group_concat(name) FROM _libsql_migrations"),
        ["a,b,c"]
    );
    let rows = strings(
        db,
        "SELECT length(checksum) = 64 AND applied_at GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z' \
         AND execution_ms >= 0 FROM _libsql_migrations",
    );
    assert_eq!(rows, ["1", "1", "1"]);
    // One request to read the state, then ONE for all three migrations, then one carrying
    // the commit's replication index (the node has them: a replica would wait for them).
    if let Some(n) = requests {
        assert_eq!(n, 1 + 1 + 1, "{:?}", db.server().pipeline_log());
    }
}

fn rerun_applies_nothing_and_writes_nothing(db: &Db) {
    let dir = Dir::new(ORDERED);
    migrate(db, &dir, "up", &[]).ok();
    let before = strings(
        db,
        "SELECT group_concat(applied_at) FROM _libsql_migrations",
    );
    let (out, requests) = round_trips(db, || migrate(db, &dir, "up", &[]));
    assert_eq!(out.ok(), "up to date (version 10)\n");
    assert_eq!(requests.unwrap_or(1), 1);
    assert_eq!(
        strings(
            db,
            "SELECT group_concat(applied_at) FROM _libsql_migrations"
        ),
        before
    );
    assert_eq!(strings(db, "SELECT group_concat(m) FROM log"), ["a,b,c"]);
}

fn five(third: &str) -> Dir {
    Dir::new(&[
        ("0001_one.sql", "CREATE TABLE one(x);\n"),
        ("0002_two.sql", "CREATE TABLE two(x);\n"),
        ("0003_three.sql", third),
        ("0004_four.sql", "CREATE TABLE four(x);\n"),
        ("0005_five.sql", "CREATE TABLE five(x);\n"),
    ])
}

fn failing_migration_leaves_no_trace_and_earlier_ones_stay(db: &Db) {
    let dir = five("CREATE TABLE three(x);\nINSERT INTO three VALUES (1);\n\nINSERT INTO nope VALUES (1);\nCREATE TABLE three_b(x);\n");
    let (out, requests) = round_trips(db, || migrate(db, &dir, "up", &[]));
    let err = out.fails(1, "migration failed: 0003_three.sql:4: no such table: nope");
    assert!(
        err.contains("statement: INSERT INTO nope VALUES (1)"),
        "{err}"
    );
    assert!(
        err.contains("nothing of 0003_three.sql was applied"),
        "{err}"
    );
    assert!(
        err.contains("the 2 migration(s) before it in this run stay applied"),
        "{err}"
    );
    assert!(err.contains("the 2 after it were not run"), "{err}");
    assert!(
        out.stdout.contains("applying 0003_three.sql ... failed\n"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("0004"), "{}", out.stdout);
    assert_eq!(versions(db), ["1", "2"]);
    assert!(table_exists(db, "one") && table_exists(db, "two"));
    assert!(!table_exists(db, "three") && !table_exists(db, "three_b"));
    assert!(!table_exists(db, "four"));
    if let Some(n) = requests {
        assert_eq!(n, 1 + 1);
    }
    // Fixed, it applies the rest.
    dir.write("0003_three.sql", "CREATE TABLE three(x);\n");
    migrate(db, &dir, "up", &[]).ok();
    assert_eq!(versions(db), ["1", "2", "3", "4", "5"]);
}

fn status_json_and_check_exit_codes(db: &Db) {
    let dir = five("CREATE TABLE three(x);\n");
    let (out, requests) = round_trips(db, || migrate(db, &dir, "status", &["--json"]));
    let json: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 5);
    assert_eq!(
        json[0],
        serde_json::json!({"version": 1, "name": "one", "state": "pending"})
    );
    assert_eq!(requests.unwrap_or(1), 1);
    migrate(db, &dir, "check", &[]).fails(1, "");
    migrate(db, &dir, "status", &["--exit-code"]).fails(1, "");
    migrate(db, &dir, "up", &["--to", "0002"]).ok();
    let out = migrate(db, &dir, "status", &[]);
    let text = out.ok();
    assert!(
        text.starts_with("VERSION  NAME   STATE    APPLIED AT\n0001     one    applied  20"),
        "{text}"
    );
    assert!(text.contains("\n0003     three  pending\n"), "{text}");
    assert!(
        text.ends_with("5 migration(s): 2 applied, 3 pending\n"),
        "{text}"
    );
    let check = migrate(db, &dir, "check", &[]);
    check.fails(1, "");
    assert!(
        check.stdout.contains("  0003_three.sql (pending)"),
        "{}",
        check.stdout
    );
    migrate(db, &dir, "up", &[]).ok();
    assert!(migrate(db, &dir, "check", &[])
        .ok()
        .starts_with("up to date: 5 migration(s): 5 applied"));
    migrate(db, &dir, "status", &["--exit-code"]).ok();

    let json: serde_json::Value =
        serde_json::from_str(migrate(db, &dir, "status", &["--json"]).ok()).unwrap();
    assert_eq!(json[4]["state"], "applied");
    assert!(json[4]["applied_at"].as_str().unwrap().ends_with('Z'));

    // An edited applied file is "changed": up refuses, restamp accepts it.
    dir.write("0002_two.sql", "CREATE TABLE two(x, y);\n");
    let json: serde_json::Value =
        serde_json::from_str(migrate(db, &dir, "status", &["--json"]).ok()).unwrap();
    assert_eq!(json[1]["state"], "changed");
    migrate(db, &dir, "check", &[]).fails(1, "");
    migrate(db, &dir, "up", &[])
        .fails(1, "migration 0002_two.sql was changed after it was applied");
    let out = migrate_v(db, &dir, "restamp", "2");
    assert!(
        out.ok().starts_with("restamped 0002_two.sql: checksum "),
        "{}",
        out.stdout
    );
    assert_eq!(
        migrate(db, &dir, "up", &[]).ok(),
        "up to date (version 0005)\n"
    );
    assert!(!strings(db, "SELECT sql FROM sqlite_master WHERE name = 'two'")[0].contains('y'));
    assert!(migrate_v(db, &dir, "restamp", "2")
        .ok()
        .contains("already matches"));

    // A deleted applied file is "missing".
    dir.remove("0005_five.sql");
    let json: serde_json::Value =
        serde_json::from_str(migrate(db, &dir, "status", &["--json"]).ok()).unwrap();
    assert_eq!(json[4]["state"], "missing");
    assert_eq!(json[4]["name"], "five");
    let check = migrate(db, &dir, "check", &[]);
    check.fails(1, "");
    assert!(
        check.stdout.contains("(file missing)\n"),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains("(missing)"), "{}", check.stdout);
    migrate(db, &dir, "up", &[]).fails(
        1,
        "migration 5 (five) is applied but no file has its version",
    );
}

fn crlf_file_has_the_same_checksum_as_lf(db: &Db) {
    let lf = "-- migrate:up\nCREATE TABLE t(x);\nINSERT INTO t VALUES ('a\nb');\n-- migrate:down\nDROP TABLE t;\n";
    let crlf = lf.replace('\n', "\r\n");
    let dir = Dir::new(&[("0001_t.sql", &crlf)]);
    migrate(db, &dir, "up", &[]).ok();
    // The value written is the same as from the LF file: the text is normalised.
    assert_eq!(strings(db, "SELECT hex(x) FROM t"), [hex("a\nb")]);
    dir.write("0001_t.sql", lf);
    migrate(db, &dir, "check", &[]).ok();
    assert!(migrate(db, &dir, "status", &[]).ok().contains("applied"));
    dir.write("0001_t.sql", &lf.replace("(x)", "(x, y)"));
    migrate(db, &dir, "check", &[]).fails(1, "");
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

fn down_reverts_and_needs_a_down_section(db: &Db) {
    let dir = Dir::new(&[
        (
            "0001_a.sql",
            "-- migrate:up\nCREATE TABLE a(x);\n-- migrate:down\nDROP TABLE a;\n",
        ),
        (
            "0002_b.sql",
            "-- migrate:up\nCREATE TABLE b(x);\n-- migrate:down\nDROP TABLE b;\n",
        ),
        ("0003_c.sql", "CREATE TABLE c(x);\n"),
    ]);
    migrate(db, &dir, "up", &[]).ok();
    migrate(db, &dir, "down", &[]).fails(1, "0003_c.sql has no -- migrate:down section");
    assert_eq!(versions(db), ["1", "2", "3"]);
    dir.remove("0003_c.sql");
    dir.write(
        "0003_c.sql",
        "-- migrate:up\nCREATE TABLE c(x);\n-- migrate:down\nDROP TABLE c;\n",
    );
    migrate_v(db, &dir, "restamp", "3").ok();
    let (out, requests) = round_trips(db, || migrate(db, &dir, "down", &["--steps", "2"]));
    assert_eq!(
        out.stdout
            .lines()
            .map(|l| l.split(" ... ").next().unwrap())
            .collect::<Vec<_>>(),
        [
            "reverting 0003_c.sql",
            "reverting 0002_b.sql",
            "2 migration(s) reverted"
        ]
    );
    out.ok();
    if let Some(n) = requests {
        assert_eq!(n, 1 + 2);
    }
    assert_eq!(versions(db), ["1"]);
    assert!(table_exists(db, "a") && !table_exists(db, "b") && !table_exists(db, "c"));
    migrate(db, &dir, "up", &[]).ok();
    assert_eq!(versions(db), ["1", "2", "3"]);
}

fn baseline_marks_without_running(db: &Db) {
    db.sql("CREATE TABLE legacy(x); CREATE TABLE legacy2(x);");
    let dir = Dir::new(&[
        ("0001_legacy.sql", "CREATE TABLE legacy(x);\n"),
        ("0002_legacy2.sql", "CREATE TABLE legacy2(x);\n"),
        ("0003_new.sql", "CREATE TABLE fresh(x);\n"),
    ]);
    // A version no file has is a typo, not "everything": refused, nothing recorded, and
    // `up --to` the same.
    migrate_v(db, &dir, "baseline", "9999").fails(2, "'9999' is not the version of any migration");
    migrate(db, &dir, "up", &["--to", "0009"]).fails(2, "'0009' is not the version");
    assert!(!table_exists(db, "fresh"));
    let (out, requests) = round_trips(db, || migrate_v(db, &dir, "baseline", "2"));
    assert_eq!(
        out.ok(),
        "marked applied (not run): 0001_legacy.sql\nmarked applied (not run): 0002_legacy2.sql\n\
         2 migration(s) baselined up to version 0002\n"
    );
    if let Some(n) = requests {
        assert_eq!(n, 2);
    }
    assert_eq!(versions(db), ["1", "2"]);
    assert!(!table_exists(db, "fresh"));
    let out = migrate(db, &dir, "up", &[]);
    assert!(
        out.ok().starts_with("applying 0003_new.sql ... ok"),
        "{}",
        out.stdout
    );
    assert!(table_exists(db, "fresh"));
    assert!(migrate_v(db, &dir, "baseline", "3")
        .ok()
        .starts_with("nothing to baseline"));
}

fn plan_prints_the_exact_sql_and_changes_nothing(db: &Db) {
    let dir = Dir::new(&[
        ("0001_a.sql", "-- migrate:up\nCREATE TABLE a(x);\n\nINSERT INTO a VALUES (1)\n-- migrate:down\nDROP TABLE a;\n"),
        ("0002_b.sql", "BEGIN;\nCREATE TABLE b(x);\nCOMMIT;\n"),
    ]);
    let (out, requests) = round_trips(db, || migrate(db, &dir, "plan", &[]));
    let plan = out.ok().to_string();
    if let Some(n) = requests {
        assert_eq!(n, 1);
    }
    assert!(!table_exists(db, "a") && !table_exists(db, "_libsql_migrations"));
    let dry = migrate(db, &dir, "up", &["--dry-run"]);
    assert_eq!(dry.ok(), plan);
    let lines: Vec<&str> = plan.lines().collect();
    assert_eq!(
        lines[0],
        "-- 2 migrations in one request, each in its own transaction; a failure stops the \
         ones after it"
    );
    assert_eq!(lines[1], "-- 0001_a.sql (version 0001)");
    let begin = lines.iter().position(|l| *l == "BEGIN IMMEDIATE;").unwrap();
    assert!(lines[begin + 1].starts_with("CREATE TABLE IF NOT EXISTS _libsql_migrations ("));
    assert!(lines[begin + 2].starts_with(
        "INSERT INTO _libsql_migrations (version, name, checksum, applied_at) VALUES (1, 'a', '"
    ));
    assert_eq!(lines[begin + 3], "CREATE TABLE a(x);");
    assert_eq!(lines[begin + 4], "INSERT INTO a VALUES (1);");
    assert!(plan.contains("\nCOMMIT;\n"), "{plan}");
    assert!(plan.contains("\n-- 0002_b.sql (version 0002)\n-- (the file's own BEGIN/COMMIT wrapper is replaced by this transaction)\n"), "{plan}");
    // Exactly what runs: the checksum in the plan is the one recorded.
    migrate(db, &dir, "up", &[]).ok();
    let sum = &strings(
        db,
        "SELECT checksum FROM _libsql_migrations WHERE version = 1",
    )[0];
    assert!(
        plan.contains(&format!("VALUES (1, 'a', '{sum}', strftime(")),
        "{plan}"
    );
    assert_eq!(
        migrate(db, &dir, "plan", &[]).ok(),
        "-- nothing to apply: up to date\n"
    );
}

fn comment_only_and_no_transaction_files(db: &Db) {
    let dir = Dir::new(&[
        ("0001_a.sql", "CREATE TABLE a(x);\n"),
        ("0002_python.sql", "--\n-- Raw Python operation\n--\n"),
        (
            "0003_vacuum.sql",
            "-- libsql-shell: no-transaction\nVACUUM;\n",
        ),
    ]);
    let out = migrate(db, &dir, "up", &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains(
            "note: 0002_python.sql has no statements (comments only); recorded as applied"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(versions(db), ["1", "2", "3"]);
    // The same VACUUM inside a transaction fails (and leaves nothing).
    dir.write("0004_vacuum_tx.sql", "VACUUM;\n");
    migrate(db, &dir, "up", &[]).fails(1, "0004_vacuum_tx.sql:1:");
    assert_eq!(versions(db), ["1", "2", "3"]);
    // A failing no-transaction file: what ran before the failure stays, nothing is recorded.
    dir.remove("0004_vacuum_tx.sql");
    dir.write(
        "0004_nt.sql",
        "-- libsql-shell: no-transaction\nCREATE TABLE nt(x);\nSELECT * FROM nope;\n",
    );
    let err = migrate(db, &dir, "up", &[]);
    let err = err.fails(1, "0004_nt.sql:3: no such table: nope");
    assert!(err.contains("runs outside a transaction: the statements before the failing one were applied and it is not recorded"), "{err}");
    assert!(table_exists(db, "nt"));
    assert_eq!(versions(db), ["1", "2", "3"]);
}

fn out_of_order_is_refused_unless_allowed(db: &Db) {
    let dir = Dir::new(&[
        ("0001_a.sql", "CREATE TABLE a(x);\n"),
        ("0003_c.sql", "CREATE TABLE c(x);\n"),
    ]);
    migrate(db, &dir, "up", &[]).ok();
    dir.write("0002_b.sql", "CREATE TABLE b(x);\n");
    let json: serde_json::Value =
        serde_json::from_str(migrate(db, &dir, "status", &["--json"]).ok()).unwrap();
    assert_eq!(json[1]["state"], "pending");
    migrate(db, &dir, "up", &[]).fails(
        1,
        "0002_b.sql is pending but older than the newest applied migration (0003)",
    );
    assert!(!table_exists(db, "b"));
    migrate(db, &dir, "up", &["--allow-out-of-order"]).ok();
    assert_eq!(versions(db), ["1", "2", "3"]);
}

fn single_transaction_is_all_or_nothing(db: &Db) {
    let dir = five("CREATE TABLE three(x);\nSELECT * FROM nope;\n");
    let out = migrate(db, &dir, "up", &["--single-transaction"]);
    out.fails(1, "0003_three.sql:2: no such table: nope");
    assert!(
        out.stderr.contains("none of its 5 migrations was applied"),
        "{}",
        out.stderr
    );
    assert_eq!(versions(db), Vec::<String>::new());
    assert!(!table_exists(db, "one"));
    dir.write("0003_three.sql", "CREATE TABLE three(x);\n");
    let (out, requests) = round_trips(db, || migrate(db, &dir, "up", &["--single-transaction"]));
    assert!(out
        .ok()
        .starts_with("applying 5 migrations in one transaction ... ok"));
    if let Some(n) = requests {
        assert_eq!(n, 2 + 1, "and one carrying the replication index");
    }
    assert_eq!(versions(db), ["1", "2", "3", "4", "5"]);
}

fn schema_file_is_written_after_up(db: &Db) {
    let dir = Dir::new(&[
        (
            "0001_a.sql",
            "CREATE TABLE a(x);\nINSERT INTO a VALUES (1);\n",
        ),
        ("0002_b.sql", "CREATE INDEX a_x ON a(x);\n"),
    ]);
    let schema = dir.tmp.path().join("schema.sql");
    let arg = schema.display().to_string();
    let out = migrate(db, &dir, "up", &["--schema-file", &arg]);
    assert!(
        out.ok().ends_with(&format!("schema written to {arg}\n")),
        "{}",
        out.stdout
    );
    let text = std::fs::read_to_string(&schema).unwrap();
    assert!(text.contains("CREATE TABLE a(x);"), "{text}");
    assert!(text.contains("CREATE INDEX a_x ON a(x);"), "{text}");
    assert!(!text.contains("INSERT INTO"), "{text}");
    // A failed run leaves the file as it was.
    dir.write("0003_c.sql", "CREATE TABLE c(x);\nSELECT * FROM nope;\n");
    migrate(db, &dir, "up", &["--schema-file", &arg]).fails(1, "no such table: nope");
    assert_eq!(std::fs::read_to_string(&schema).unwrap(), text);
}

fn bad_directories_are_usage_errors(db: &Db) {
    let dir = Dir::new(&[("0001_a.sql", "SELECT 1;"), ("01_b.sql", "SELECT 1;")]);
    migrate(db, &dir, "up", &[]).fails(2, "duplicate migration version 1: 0001_a.sql and 01_b.sql");
    migrate(db, &dir, "status", &[]).fails(2, "duplicate migration version 1");
    let dir = Dir::new(&[("0001_a.sql", "SELECT 1;"), ("seed.sql", "SELECT 1;")]);
    migrate(db, &dir, "up", &[]).fails(2, "seed.sql: the name must start with a version number");
    let empty = Dir::new(&[]);
    migrate(db, &empty, "up", &[]).fails(2, "cannot read the migrations directory");
    assert!(!table_exists(db, "_libsql_migrations"));
}

on_every_transport!(
    up_applies_in_numeric_order_and_records_rows,
    rerun_applies_nothing_and_writes_nothing,
    failing_migration_leaves_no_trace_and_earlier_ones_stay,
    status_json_and_check_exit_codes,
    crlf_file_has_the_same_checksum_as_lf,
    down_reverts_and_needs_a_down_section,
    baseline_marks_without_running,
    plan_prints_the_exact_sql_and_changes_nothing,
    comment_only_and_no_transaction_files,
    out_of_order_is_refused_unless_allowed,
    single_transaction_is_all_or_nothing,
    bad_directories_are_usage_errors,
    schema_file_is_written_after_up,
);
