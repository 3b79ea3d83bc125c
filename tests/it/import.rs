//! `import`: CSV into a new or existing table on every transport; header row maps columns by
//! name; everything in one transaction, so a bad row (malformed CSV or a failed INSERT),
//! even after earlier chunks were sent, leaves nothing behind.

use std::path::PathBuf;

use crate::harness::{shell, Db, Output};

fn csv_file(dir: &tempfile::TempDir, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.path().join("data.csv");
    std::fs::write(&p, text).unwrap();
    p
}

fn import(db: &Db, file: &PathBuf, args: &[&str]) -> Output {
    shell()
        .arg("import")
        .arg(db.target())
        .arg(file)
        .args(args)
        .run()
}

fn one(db: &Db, sql: &str) -> String {
    db.query_strings(sql).join("\n")
}

fn creates_the_table_from_the_header(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let f = csv_file(
        &dir,
        "name,qty,\"the note\"\n\"O'Brien, Pat\",3,\"line1\nline2\"\né 中文,,\"say \"\"hi\"\"\"\n",
    );
    let out = import(db, &f, &["--table", "items"]);
    assert_eq!(out.ok(), "imported 2 rows into items\n");
    assert_eq!(
        one(db, "SELECT sql FROM sqlite_schema WHERE name = 'items'"),
        "Text(\"CREATE TABLE items(name, qty, \\\"the note\\\")\")"
    );
    assert_eq!(
        db.query_strings("SELECT quote(name) || ' ' || quote(qty) || ' ' || quote(\"the note\") FROM items ORDER BY rowid"),
        [
            "Text(\"'O''Brien, Pat' '3' 'line1\\nline2'\")",
            "Text(\"'é 中文' '' 'say \\\"hi\\\"'\")"
        ]
    );
}

fn appends_by_column_name_with_affinity(db: &Db) {
    db.sql(
        "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL);
            INSERT INTO people(name, score) VALUES ('first', 1.5);",
    );
    let dir = tempfile::tempdir().unwrap();
    let f = csv_file(&dir, "exported by;tool\nscore;name\n2.5;ann\n7;bob\n");
    let out = import(
        db,
        &f,
        &["--table", "people", "--delimiter", ";", "--skip", "1"],
    );
    assert_eq!(out.ok(), "imported 2 rows into people\n");
    assert_eq!(
        db.query_strings("SELECT id || ' ' || name || ' ' || score || ' ' || typeof(score) FROM people ORDER BY id"),
        ["Text(\"1 first 1.5 real\")", "Text(\"2 ann 2.5 real\")", "Text(\"3 bob 7.0 real\")"]
    );
}

fn a_failing_row_imports_nothing(db: &Db) {
    db.sql("CREATE TABLE u(k TEXT UNIQUE); INSERT INTO u VALUES ('old');");
    let dir = tempfile::tempdir().unwrap();
    let f = csv_file(&dir, "k\na\nb\na\nc\n");
    let out = import(db, &f, &["--table", "u"]);
    let err = out.fails(1, "data.csv:4: UNIQUE constraint failed: u.k");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(out.stdout, "");
    assert_eq!(one(db, "SELECT group_concat(k) FROM u"), "Text(\"old\")");
}

fn a_malformed_row_imports_nothing(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let f = csv_file(&dir, "a,b\n1,2\n3\n4,5\n");
    let out = import(db, &f, &["--table", "m"]);
    let err = out.fails(1, "data.csv:3: expected 2 fields (the header's), found 1");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(
        one(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'm'"),
        "Integer(0)"
    );

    let f = csv_file(&dir, b"a,b\n1,2\n\xff,3\n");
    import(db, &f, &["--table", "m"]).fails(1, "data.csv:3: invalid UTF-8");
    let f = csv_file(&dir, "");
    import(db, &f, &["--table", "m"]).fails(1, "no header row");
    assert_eq!(
        one(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'm'"),
        "Integer(0)"
    );
}

/// Larger than one request: the session sends it in chunks inside one transaction, so a
/// failure on the very last line still undoes everything.
fn big_import_is_chunked_and_atomic(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("n,label\n");
    for i in 1..=25_000 {
        text.push_str(&format!("{i},\"row {i}, quoted\"\n"));
    }
    db.sql("CREATE TABLE big(n INTEGER PRIMARY KEY, label TEXT)");
    let f = csv_file(&dir, format!("{text}25000,duplicate\n"));
    if let Some(s) = &db.server {
        s.reset_counters();
    }
    let out = import(db, &f, &["--table", "big"]);
    out.fails(1, "data.csv:25002: UNIQUE constraint failed: big.n");
    if let Some(s) = &db.server {
        assert!(s.requests() >= 3, "{} requests", s.requests());
    }
    assert_eq!(one(db, "SELECT count(*) FROM big"), "Integer(0)");

    let f = csv_file(&dir, &text);
    let out = import(db, &f, &["--table", "big"]);
    assert_eq!(out.ok(), "imported 25000 rows into big\n");
    assert_eq!(
        one(
            db,
            "SELECT count(*) || ' ' || sum(n) || ' ' || max(label) FROM big"
        ),
        "Text(\"25000 312512500 row 9999, quoted\")"
    );
}

fn without_transaction_earlier_rows_stay(db: &Db) {
    db.sql("CREATE TABLE u(k TEXT UNIQUE)");
    let dir = tempfile::tempdir().unwrap();
    let f = csv_file(&dir, "k\na\nb\na\nc\n");
    let out = import(db, &f, &["--table", "u", "--no-transaction"]);
    let err = out.fails(1, "data.csv:4: UNIQUE constraint failed: u.k");
    assert!(err.contains("the rows before it were imported"), "{err}");
    assert_eq!(one(db, "SELECT group_concat(k) FROM u"), "Text(\"a,b\")");
}

/// A table exported with `exec -m csv` and imported into a table of the same shape is
/// identical (quotes, separators, newlines, non-ASCII; types by column affinity); stdin works.
fn csv_round_trip(db: &Db) {
    db.sql(
        "CREATE TABLE src(id INTEGER, name TEXT, score REAL);
         INSERT INTO src VALUES (1, 'plain', 1.5), (2, 'comma, and \"quote\"', -2.0),
           (3, 'multi' || char(10) || 'line', 0.1), (4, 'é ü 中文 🎉', 1e300), (5, '', 0.0);
         CREATE TABLE dst(id INTEGER, name TEXT, score REAL);",
    );
    let csv = db
        .exec(["-m", "csv", "SELECT * FROM src ORDER BY id"])
        .run()
        .ok()
        .to_string();
    let out = shell()
        .args(["import", &db.target(), "-", "--table", "dst"])
        .stdin(csv)
        .run();
    assert_eq!(out.ok(), "imported 5 rows into dst\n");
    let diff = "SELECT count(*) FROM (SELECT id, typeof(id), name, score, typeof(score) FROM src \
                EXCEPT SELECT id, typeof(id), name, score, typeof(score) FROM dst)";
    assert_eq!(one(db, diff), "Integer(0)");
    assert_eq!(one(db, "SELECT count(*) FROM dst"), "Integer(5)");
}

crate::on_every_transport!(
    creates_the_table_from_the_header,
    appends_by_column_name_with_affinity,
    a_failing_row_imports_nothing,
    a_malformed_row_imports_nothing,
    big_import_is_chunked_and_atomic,
    without_transaction_earlier_rows_stay,
    csv_round_trip,
);

#[test]
fn bad_arguments_are_usage_errors() {
    let db = Db::new(crate::harness::Backend::Local);
    let dir = tempfile::tempdir().unwrap();
    let f = csv_file(&dir, "a\n1\n");
    import(&db, &f, &["--table", "t", "--delimiter", "ab"]).fails(2, "--delimiter");
    import(&db, &dir.path().join("missing.csv"), &["--table", "t"]).fails(2, "cannot open");
}
