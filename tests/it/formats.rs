//! Output formats compared with the `sqlite3` CLI on the same data, and the same output on
//! every transport.

use std::process::Command;

use crate::harness::{shell, Backend, Db};

/// (our flags, sqlite3 flags)
const MODES: &[(&str, &[&str], &[&str])] = &[
    ("csv", &["-m", "csv", "--no-header"], &["-csv"]),
    (
        "csv-header",
        &["-m", "csv", "--header"],
        &["-csv", "-header"],
    ),
    ("list", &["-m", "list"], &["-list"]),
    ("json", &["-m", "json"], &["-json"]),
    (
        "insert",
        &["-m", "insert", "--insert-table", "t"],
        &["-cmd", ".mode insert t"],
    ),
    ("line", &["-m", "line"], &["-line"]),
];

/// Values whose output is identical to sqlite3's in every format above.
const SAME: &[&str] = &[
    "NULL",
    "9223372036854775807",
    "-9223372036854775808",
    "0",
    "'He said \"hi\", ok'",
    "'line1' || char(10) || 'line2'",
    "'naïve ☃ 日本'",
    "'it''s'",
    "''",
    "' padded '",
    "2.5",
    "1.0",
];

/// Values identical to sqlite3's output in some of the modes (the others are in DIFFERENT).
const SAME_IN: &[(&str, &[&str])] = &[
    ("0.1", &["csv", "csv-header", "list", "line"]),
    ("1e300", &["csv", "csv-header", "list", "line"]),
    ("-1.5e-07", &["csv", "list", "line"]),
    ("x'00ff10'", &["insert"]),
];

/// Documented differences (README, "Differences from sqlite3"): per mode, what we print.
/// Floats: we print the shortest text that reads back as the same double; sqlite3 prints 15
/// (csv, list, line) or 20 (json, insert) significant digits. -0.0 keeps its sign. Blobs are
/// hex in text formats; sqlite3 writes raw bytes (cut at the first zero byte).
const DIFFERENT: &[(&str, &str, &str)] = &[
    ("0.1", "json", "[{\"v\":0.1}]\n"),
    ("-1.5e-07", "json", "[{\"v\":-1.5e-07}]\n"),
    (
        "-1.5e-07",
        "insert",
        "INSERT INTO t VALUES(-1.4999999999999999e-07);\n",
    ),
    (
        "0.1",
        "insert",
        "INSERT INTO t VALUES(0.10000000000000001);\n",
    ),
    ("1e300", "json", "[{\"v\":1.0e+300}]\n"),
    (
        "1e300",
        "insert",
        "INSERT INTO t VALUES(1.0000000000000001e+300);\n",
    ),
    ("0.30000000000000004", "csv", "0.30000000000000004\n"),
    ("0.30000000000000004", "list", "0.30000000000000004\n"),
    ("-0.0", "csv", "-0.0\n"),
    ("-0.0", "list", "-0.0\n"),
    ("-0.0", "json", "[{\"v\":-0.0}]\n"),
    ("x'00ff10'", "csv", "00ff10\n"),
    ("x'00ff10'", "list", "00ff10\n"),
    ("x'00ff10'", "json", "[{\"v\":\"00ff10\"}]\n"),
    ("x'00ff10'", "line", "    v = 00ff10\n"),
    ("-0.0", "line", "    v = -0.0\n"),
    ("-0.0", "insert", "INSERT INTO t VALUES(-0.0);\n"),
];

fn sqlite3_available() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn sqlite3(db: &std::path::Path, flags: &[&str], sql: &str) -> String {
    let out = Command::new("sqlite3")
        .args(flags)
        .arg(db)
        .arg(sql)
        .output()
        .expect("run sqlite3");
    assert!(
        out.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ours(db: &std::path::Path, flags: &[&str], sql: &str) -> String {
    let out = shell().arg("exec").arg(db).args(flags).arg(sql).run();
    out.ok().to_string()
}

#[test]
fn single_values_match_sqlite3() {
    assert!(
        sqlite3_available(),
        "the sqlite3 CLI is required (.ci/run installs it)"
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    rusqlite::Connection::open(&db).unwrap();
    for v in SAME {
        let sql = format!("SELECT {v} AS v");
        for (name, our_flags, their_flags) in MODES {
            assert_eq!(
                ours(&db, our_flags, &sql),
                sqlite3(&db, their_flags, &sql),
                "{name} of {v}"
            );
        }
    }
    for (v, modes) in SAME_IN {
        let sql = format!("SELECT {v} AS v");
        for mode in *modes {
            let (_, our_flags, their_flags) = MODES.iter().find(|m| m.0 == *mode).unwrap();
            assert_eq!(
                ours(&db, our_flags, &sql),
                sqlite3(&db, their_flags, &sql),
                "{mode} of {v}"
            );
        }
    }
    for (v, mode, want) in DIFFERENT {
        let (_, our_flags, _) = MODES.iter().find(|m| m.0 == *mode).unwrap();
        assert_eq!(
            ours(&db, our_flags, &format!("SELECT {v} AS v")),
            *want,
            "{mode} of {v}"
        );
    }
}

const FIXTURE: &str = "CREATE TABLE fx(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB);
    INSERT INTO fx VALUES (1, NULL, NULL, NULL, NULL);
    INSERT INTO fx VALUES (2, 9223372036854775807, 0.1, 'quote \" and comma ,', x'00');
    INSERT INTO fx VALUES (3, -9223372036854775808, 1e300, 'new
line and tab	x', x'00ff00');
    INSERT INTO fx VALUES (4, 0, -0.0, 'naïve ☃', x'');
    INSERT INTO fx VALUES (5, 42, 2.5, 'it''s', x'deadbeef');";

#[test]
fn whole_table_matches_sqlite3_on_integer_and_text_columns() {
    assert!(
        sqlite3_available(),
        "the sqlite3 CLI is required (.ci/run installs it)"
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fx.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(FIXTURE)
        .unwrap();
    let sql = "SELECT id, i, t FROM fx ORDER BY id";
    for (name, our_flags, their_flags) in MODES {
        assert_eq!(
            ours(&db, our_flags, sql),
            sqlite3(&db, their_flags, sql),
            "{name}"
        );
    }
}

fn all_formats(db: &Db) -> Vec<(String, String)> {
    let formats = [
        "table", "box", "csv", "tsv", "json", "jsonl", "markdown", "line", "list", "insert",
    ];
    formats
        .iter()
        .map(|f| {
            let out = db
                .exec([
                    "-m",
                    f,
                    "SELECT * FROM fx ORDER BY id; SELECT 1 AS one WHERE 0",
                ])
                .run();
            (f.to_string(), out.ok().to_string())
        })
        .collect()
}

#[test]
fn every_format_is_byte_identical_on_every_transport() {
    let local = Db::new(Backend::Local);
    local.sql(FIXTURE);
    let want = all_formats(&local);
    for backend in crate::harness::REMOTE_BACKENDS {
        let remote = Db::new(*backend);
        remote.sql(FIXTURE);
        let got = all_formats(&remote);
        for ((f, w), (_, g)) in want.iter().zip(&got) {
            assert_eq!(g, w, "format {f} on {backend:?}");
        }
    }
}
