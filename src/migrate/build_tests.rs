//! Unit tests of reading each tool's files: versions, names, sections, checksums.

use std::collections::BTreeMap;

use super::*;
use crate::migrate::layout::scan;

fn dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = d.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    d
}

fn built(files: &[(&str, &str)], book: Book) -> Result<Vec<Migration>, FileError> {
    let d = dir(files);
    let s = scan(d.path(), Some(book))?;
    build(&s, book)
}

fn up_sql(m: &Migration) -> Vec<String> {
    m.up_statements()
        .unwrap()
        .stmts
        .into_iter()
        .map(|s| s.sql)
        .collect()
}

#[test]
fn prisma_checksum_is_sha256_of_the_file_and_accepts_other_line_endings() {
    let ms = built(
        &[
            ("migration_lock.toml", "provider = \"sqlite\"\n"),
            ("20240101000000_init/migration.sql", "hello"),
            (
                "20240102000000_more/migration.sql",
                "CREATE TABLE a(x);\r\nCREATE TABLE b(x);\r\n",
            ),
        ],
        Book::Prisma,
    )
    .unwrap();
    assert_eq!(
        ms[0].checksum,
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(ms[0].key, "20240101000000_init");
    assert_eq!(ms[0].version_text, "20240101000000");
    assert_eq!(ms[0].name, "init");
    assert_eq!(ms[0].file_name, "20240101000000_init/migration.sql");
    assert_eq!((ms[0].version, ms[1].version), (1, 2));
    // The LF form of a CRLF file matches, as Prisma's `script_matches_checksum` accepts.
    let lf = "CREATE TABLE a(x);\nCREATE TABLE b(x);\n";
    assert!(ms[1].matches(&sha256(lf)));
    assert!(!ms[1].matches(&sha256("CREATE TABLE a(y);\n")));
    // The SQL is sent as written.
    assert_eq!(up_sql(&ms[1]), ["CREATE TABLE a(x);", "CREATE TABLE b(x);"]);
    assert!(ms[1].down.is_none());
}

#[test]
fn drizzle_follows_the_journal() {
    let journal = r#"{"dialect":"sqlite","entries":[{"idx":0,"when":1700000000000,"tag":"0000_first_table"},{"idx":1,"when":1700000005000,"tag":"0001_second"}]}"#;
    let text =
        "CREATE TABLE `a` (`x` integer);\n--> statement-breakpoint\nCREATE INDEX `i` ON `a` (`x`);";
    let ms = built(
        &[
            ("meta/_journal.json", journal),
            ("0000_first_table.sql", text),
            ("0001_second.sql", "PRAGMA foreign_keys=OFF;--> statement-breakpoint\nDROP TABLE `a`;--> statement-breakpoint\nPRAGMA foreign_keys=ON;"),
        ],
        Book::Drizzle,
    )
    .unwrap();
    assert_eq!(ms[0].key, "1700000000000");
    assert_eq!(ms[0].version_text, "0000");
    assert_eq!(ms[0].name, "first_table");
    assert_eq!(ms[0].checksum, sha256(text));
    assert_eq!(
        up_sql(&ms[0]),
        [
            "CREATE TABLE `a` (`x` integer);",
            "CREATE INDEX `i` ON `a` (`x`);"
        ]
    );
    assert_eq!(up_sql(&ms[1]).len(), 3);
}

#[test]
fn sqlx_descriptions_and_sha384_checksums() {
    let ms = built(
        &[
            ("20240101_create_users.sql", ""),
            ("20240102_add_email.sql", "-- no-transaction\nVACUUM;\n"),
        ],
        Book::Sqlx,
    )
    .unwrap();
    assert_eq!(ms[0].name, "create users");
    assert_eq!(ms[0].key, "20240101");
    assert_eq!(
        ms[0].checksum,
        "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
    );
    assert!(!ms[0].no_transaction && ms[1].no_transaction);

    let ms = built(
        &[
            ("1_init.up.sql", "CREATE TABLE a(x);"),
            ("1_init.down.sql", "DROP TABLE a;"),
            ("2_more.up.sql", "CREATE TABLE b(x);"),
        ],
        Book::Sqlx,
    )
    .unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0].name, "init");
    assert_eq!(
        ms[0].down_statements().unwrap().stmts[0].sql,
        "DROP TABLE a;"
    );
    assert!(ms[1].down.is_none());
}

#[test]
fn golang_migrate_pairs() {
    let ms = built(
        &[
            ("000002_b.up.sql", "CREATE TABLE b(x);"),
            ("000001_a.up.sql", "CREATE TABLE a(x);"),
            ("000001_a.down.sql", "DROP TABLE a;"),
        ],
        Book::GolangMigrate,
    )
    .unwrap();
    assert_eq!(
        ms.iter()
            .map(|m| (m.version, m.name.as_str()))
            .collect::<Vec<_>>(),
        [(1, "a"), (2, "b")]
    );
    assert_eq!(ms[0].file_name, "000001_a.up.sql");
    assert!(ms[0].checksum.is_empty());
    let e = built(
        &[("1_a.up.sql", "x"), ("2_b.down.sql", "x")],
        Book::GolangMigrate,
    )
    .unwrap_err();
    assert!(e.0.contains("2_b.down.sql has no matching .up.sql"), "{e}");
    let e = built(
        &[("1_a.up.sql", "x"), ("01_b.up.sql", "x")],
        Book::GolangMigrate,
    )
    .unwrap_err();
    assert!(e.0.contains("duplicate migration version 1"), "{e}");
}

#[test]
fn dbmate_needs_its_up_marker() {
    let ms = built(
        &[(
            "20240101120000_init.sql",
            "-- migrate:up transaction:false\nCREATE TABLE a(x);\n-- migrate:down\nDROP TABLE a;\n",
        )],
        Book::Dbmate,
    )
    .unwrap();
    assert_eq!(ms[0].key, "20240101120000");
    assert!(ms[0].no_transaction);
    assert_eq!(
        ms[0].down_statements().unwrap().stmts[0].sql,
        "DROP TABLE a;"
    );
    let e = built(&[("1_a.sql", "CREATE TABLE a(x);\n")], Book::Dbmate).unwrap_err();
    assert!(e.0.contains("requires an up block"), "{e}");
}

#[test]
fn goose_statements_and_names() {
    let ms = built(
        &[(
            "00001_init.sql",
            "-- +goose Up\nCREATE TABLE a(x);\n-- +goose Down\nDROP TABLE a;\n",
        )],
        Book::Goose,
    )
    .unwrap();
    assert_eq!((ms[0].version, ms[0].name.as_str()), (1, "init"));
    assert_eq!(up_sql(&ms[0]), ["CREATE TABLE a(x);"]);
    assert_eq!(ms[0].down_statements().unwrap().stmts[0].line, 4);
    let e = built(&[("0_zero.sql", "-- +goose Up\nSELECT 1;\n")], Book::Goose).unwrap_err();
    assert!(e.0.contains("version 1 or more"), "{e}");
}

#[test]
fn candidates_have_no_tables_yet() {
    let d = dir(&[("0001_a.sql", "SELECT 1;")]);
    let s = scan(d.path(), None).unwrap();
    assert_eq!(s.choose(&BTreeMap::new()).unwrap(), Book::Libsql);
    let ms = build(&s, Book::Libsql).unwrap();
    assert_eq!(ms[0].key, "1");
    assert!(ms[0].matches(&ms[0].checksum.to_uppercase()));
}

/// Our own files, as `migrate up` reads a plain directory.
fn ours(dir: &std::path::Path) -> Result<Vec<Migration>, FileError> {
    build(&scan(dir, None)?, Book::Libsql)
}

#[test]
fn directory_loading() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("10_c.sql", "SELECT 3;");
    w("2_b.sql", "SELECT 2;");
    w("0001_a.sql", "SELECT 1;");
    w("README.md", "not a migration");
    w(".hidden.sql", "ignored");
    let all = ours(dir.path()).unwrap();
    assert_eq!(
        all.iter().map(|m| m.version).collect::<Vec<_>>(),
        vec![1, 2, 10]
    );
    w("seed.sql", "SELECT 0;");
    let e = ours(dir.path()).unwrap_err();
    assert!(
        e.0.contains("seed.sql") && e.0.contains("version number"),
        "{e}"
    );
    std::fs::remove_file(dir.path().join("seed.sql")).unwrap();
    w("02_dup.sql", "SELECT 2;");
    let e = ours(dir.path()).unwrap_err();
    assert!(
        e.0.contains("duplicate migration version 2: 02_dup.sql and 2_b.sql"),
        "{e}"
    );
    let e = ours(&dir.path().join("nope")).unwrap_err();
    assert!(e.0.contains("cannot read the migrations directory"), "{e}");
}
