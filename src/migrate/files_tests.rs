//! Unit tests of the migration files module: names, versions, sections, checksums.

use super::*;

fn mig(name: &str, text: &str) -> Migration {
    Migration::from_text(Path::new(name), text).unwrap()
}

#[test]
fn file_names() {
    assert_eq!(
        parse_file_name("0001_init.sql"),
        Ok((1, "0001".into(), "init".into()))
    );
    assert_eq!(
        parse_file_name("20261124093000_add_users.sql"),
        Ok((20261124093000, "20261124093000".into(), "add_users".into()))
    );
    assert!(parse_file_name("init.sql").is_err());
    assert!(parse_file_name("0001.sql").is_err());
    assert!(parse_file_name("0001_.sql").is_err());
    assert!(parse_file_name("0001-init.sql").is_err());
    assert!(parse_file_name("99999999999999999999_x.sql")
        .unwrap_err()
        .contains("too large"));
}

#[test]
fn whole_file_is_up_without_markers() {
    let m = mig(
        "0001_a.sql",
        "CREATE TABLE a(x);\nINSERT INTO a VALUES (1);\n",
    );
    assert_eq!(m.up.first_line, 1);
    assert!(m.down.is_none());
    assert!(!m.no_transaction);
    let s = m.up_statements().unwrap();
    assert_eq!(s.stmts.len(), 2);
    assert_eq!(s.stmts[1].line, 2);
}

#[test]
fn up_and_down_sections_with_file_lines() {
    let text = "-- a comment\n-- migrate:up\nCREATE TABLE a(x);\n\nCREATE INDEX i ON a(x);\n-- migrate:down\nDROP TABLE a;\n";
    let m = mig("0002_b.sql", text);
    assert_eq!(m.up.text, "CREATE TABLE a(x);\n\nCREATE INDEX i ON a(x);\n");
    assert_eq!(m.up.first_line, 3);
    let up = m.up_statements().unwrap();
    assert_eq!(
        up.stmts.iter().map(|s| s.line).collect::<Vec<_>>(),
        vec![3, 5]
    );
    let down = m.down_statements().unwrap();
    assert_eq!(down.stmts.len(), 1);
    assert_eq!(down.stmts[0].line, 7);
    assert_eq!(down.stmts[0].sql, "DROP TABLE a;");
}

#[test]
fn marker_errors() {
    let bad = [
        (
            "CREATE TABLE a(x);\n-- migrate:up\nSELECT 1;\n",
            "before the -- migrate:up",
        ),
        ("-- migrate:up\n-- migrate:up\n", "second -- migrate:up"),
        ("-- migrate:down\nx;\n-- migrate:up\n", "must come before"),
        ("-- migrate:up frobnicate\n", "unknown option"),
    ];
    for (text, want) in bad {
        let e = Migration::from_text(Path::new("0001_x.sql"), text).unwrap_err();
        assert!(e.0.contains(want), "{text:?}: {e}");
        assert!(e.0.contains("0001_x.sql"), "{e}");
    }
    // Not markers: other words after `migrate:`.
    let m = mig("0001_x.sql", "-- migrate:upgrade notes\nSELECT 1;\n");
    assert_eq!(m.up.first_line, 1);
}

#[test]
fn down_only_marker_splits_the_file() {
    let m = mig(
        "0001_x.sql",
        "CREATE TABLE a(x);\n-- migrate:down\nDROP TABLE a;\n",
    );
    assert_eq!(m.up.text, "CREATE TABLE a(x);\n");
    assert_eq!(m.down.unwrap().first_line, 3);
}

#[test]
fn checksum_ignores_line_endings_and_bom() {
    let lf = mig(
        "0001_x.sql",
        "-- migrate:up\nCREATE TABLE a(x);\n-- migrate:down\nDROP TABLE a;\n",
    );
    let crlf = mig(
        "0001_x.sql",
        "\u{feff}-- migrate:up\r\nCREATE TABLE a(x);\r\n-- migrate:down\r\nDROP TABLE a;\r\n",
    );
    let cr = mig(
        "0001_x.sql",
        "-- migrate:up\rCREATE TABLE a(x);\r-- migrate:down\rDROP TABLE a;\r",
    );
    assert_eq!(lf.checksum, crlf.checksum);
    assert_eq!(lf.checksum, cr.checksum);
    assert_eq!(lf.up, crlf.up);
    assert_eq!(lf.checksum.len(), 64);
    // The down section is not part of the checksum; the up section is.
    let other_down = mig(
        "0001_x.sql",
        "-- migrate:up\nCREATE TABLE a(x);\n-- migrate:down\n",
    );
    assert_eq!(lf.checksum, other_down.checksum);
    let other_up = mig("0001_x.sql", "-- migrate:up\nCREATE TABLE a(y);\n");
    assert_ne!(lf.checksum, other_up.checksum);
    assert_eq!(
        checksum(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn no_transaction_directive() {
    assert!(mig("0001_x.sql", "-- libsql-shell: no-transaction\nVACUUM;\n").no_transaction);
    assert!(
        mig(
            "0001_x.sql",
            "--libsql-shell:  no-transaction  \r\nVACUUM;\n"
        )
        .no_transaction
    );
    assert!(mig("0001_x.sql", "-- migrate:up transaction:false\nVACUUM;\n").no_transaction);
    assert!(!mig("0001_x.sql", "SELECT 1;\n-- libsql-shell: no-transaction\n").no_transaction);
}

#[test]
fn django_wrapper_is_dropped_and_other_transaction_control_refused() {
    let django = "BEGIN;\n--\n-- Create model Author\n--\nCREATE TABLE \"app_author\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT);\nCOMMIT;\n";
    let s = mig("0001_initial.sql", django).up_statements().unwrap();
    assert!(s.unwrapped);
    assert_eq!(s.stmts.len(), 1);
    assert_eq!(s.stmts[0].line, 5);

    let comments_only = "BEGIN;\n--\n-- Raw Python operation\n--\n-- THIS OPERATION CANNOT BE WRITTEN AS SQL\nCOMMIT;\n";
    assert!(mig("0002_py.sql", comments_only)
        .up_statements()
        .unwrap()
        .stmts
        .is_empty());
    assert!(mig("0002_c.sql", "-- nothing\n")
        .up_statements()
        .unwrap()
        .stmts
        .is_empty());

    let e = mig(
        "0003_x.sql",
        "CREATE TABLE a(x);\nCOMMIT;\nCREATE TABLE b(x);\n",
    )
    .up_statements()
    .unwrap_err();
    assert!(
        e.starts_with("0003_x.sql:2: COMMIT inside a migration"),
        "{e}"
    );
    // Savepoints are fine inside the runner's transaction.
    let s = mig(
        "0004_x.sql",
        "SAVEPOINT a;\nCREATE TABLE a(x);\nRELEASE a;\n",
    )
    .up_statements()
    .unwrap();
    assert_eq!(s.stmts.len(), 3);
    // Outside a transaction the file's own BEGIN/COMMIT are kept as written.
    let s = mig(
        "0005_x.sql",
        "-- libsql-shell: no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;\n",
    )
    .up_statements()
    .unwrap();
    assert_eq!(s.stmts.len(), 3);
    assert!(!s.unwrapped);
}

#[test]
fn down_needs_a_section() {
    let e = mig("0001_x.sql", "CREATE TABLE a(x);")
        .down_statements()
        .unwrap_err();
    assert!(
        e.contains("0001_x.sql has no -- migrate:down section"),
        "{e}"
    );
}

#[test]
fn timestamps() {
    assert_eq!(utc_timestamp(0), "19700101000000");
    assert_eq!(utc_timestamp(951_782_400), "20000229000000");
    assert_eq!(utc_timestamp(1_795_512_600), "20261124093000");
    assert_eq!(utc_timestamp(4_107_542_399), "21000228235959");
}

#[test]
fn next_versions() {
    let m = |v: &str| mig(&format!("{v}_x.sql"), "");
    let now = 1_795_512_600;
    assert_eq!(next_version(&[], now, false), "0001");
    assert_eq!(next_version(&[m("0001"), m("0007")], now, false), "0008");
    assert_eq!(next_version(&[m("1"), m("2")], now, false), "3");
    assert_eq!(next_version(&[m("0009")], now, true), "20261124093000");
    assert_eq!(
        next_version(&[m("20261124093000")], now + 60, false),
        "20261124093100"
    );
    // A clock behind the newest file never produces an older or equal version.
    assert_eq!(
        next_version(&[m("20301124093000")], now, false),
        "20301124093001"
    );
}

#[test]
fn slugs() {
    assert_eq!(slug("add users table"), "add_users_table");
    assert_eq!(slug("  add-email!! "), "add_email");
    assert_eq!(slug("---"), "");
}
