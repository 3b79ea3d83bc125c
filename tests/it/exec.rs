//! `exec` behaviour, one list of scenarios run on every transport.

use crate::harness::{shell, Db};
use crate::on_every_transport;

fn multi_statement_text_splits_like_sqlite(db: &Db) {
    let script = "CREATE TABLE t(x TEXT); CREATE TABLE log(n);\n\
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('a;b'); INSERT INTO log VALUES (2); END;\n\
        INSERT INTO t VALUES ('semi;colon'); -- a comment; with semicolons\n\
        /* block; comment */ INSERT INTO t VALUES ('it''s; \"quoted\"');\n\
        SELECT x FROM t ORDER BY rowid; SELECT count(*) FROM log";
    let out = db.exec(["-m", "list", script]).run();
    assert_eq!(out.ok(), "semi;colon\nit's; \"quoted\"\n4\n");
}

fn csv_output_with_header(db: &Db) {
    db.sql("CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO p VALUES (1,'a,b'),(2,NULL);");
    let out = db.exec(["-m", "csv", "SELECT * FROM p ORDER BY id"]).run();
    assert_eq!(out.ok(), "id,name\n1,\"a,b\"\n2,\n");
}

fn named_and_positional_parameters(db: &Db) {
    let out = db
        .exec([
            "-m",
            "json",
            "--param",
            "name='O''Brien'",
            "--param",
            ":n=42",
            "--arg",
            "1.5",
            "--arg",
            "NULL",
            "SELECT :name AS name, :n AS n, typeof(:n) AS t; SELECT ? AS a, ? AS b",
        ])
        .run();
    assert_eq!(
        out.ok(),
        "[{\"name\":\"O'Brien\",\"n\":42,\"t\":\"integer\"}]\n[{\"a\":1.5,\"b\":null}]\n"
    );
}

fn stops_at_first_error_and_names_the_statement(db: &Db) {
    let out = db
        .exec(["CREATE TABLE t(x); INSERT INTO t VALUES (1); INSERT INTO nope VALUES (2); INSERT INTO t VALUES (3)"])
        .run();
    out.fails(1, "statement 3 (argument 1): no such table: nope");
    assert_eq!(out.stdout, "");
    assert_eq!(db.query_strings("SELECT x FROM t"), vec!["Integer(1)"]);
}

fn keep_going_runs_the_rest(db: &Db) {
    let out = db
        .exec([
            "--keep-going",
            "-m",
            "list",
            "CREATE TABLE t(x); SELEC 1; INSERT INTO t VALUES (3); SELECT x FROM t",
        ])
        .run();
    out.fails(1, "statement 2 (argument 1): ");
    out.fails(1, "near \"SELEC\": syntax error");
    assert_eq!(out.stdout, "3\n");
}

fn malformed_sql_exits_1(db: &Db) {
    let out = db.exec(["SELECT FROM WHERE"]).run();
    out.fails(1, "statement 1 (argument 1):");
    assert!(
        out.stderr.starts_with("libsql-shell: error: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

fn file_errors_carry_file_and_line(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("script.sql");
    std::fs::write(&f, "CREATE TABLE t(x);\n\n-- comment\nINSERT INTO t\n  VALUES (1);\nINSERT INTO missing VALUES (1);\n").unwrap();
    let out = db.exec(["-f"]).arg(&f).run();
    out.fails(
        1,
        &format!("statement 3 ({}:6): no such table: missing", f.display()),
    );
    assert_eq!(db.query_strings("SELECT x FROM t"), vec!["Integer(1)"]);
}

fn sql_from_stdin(db: &Db) {
    let out = db
        .exec(["-m", "list"])
        .stdin("SELECT 1;\nSELECT 'two'\n")
        .run();
    assert_eq!(out.ok(), "1\ntwo\n");
}

fn values_round_trip_exactly(db: &Db) {
    let out = db
        .exec([
            "-m",
            "list",
            "SELECT 9223372036854775807, -9223372036854775808, 0.1, 1e300, 0.30000000000000004, x'00ff', NULL, 'é'",
        ])
        .run();
    assert_eq!(
        out.ok(),
        "9223372036854775807|-9223372036854775808|0.1|1.0e+300|0.30000000000000004|00ff||é\n"
    );
}

fn statements_without_rows_print_nothing(db: &Db) {
    let out = db
        .exec(["CREATE TABLE t(x); INSERT INTO t VALUES (1); UPDATE t SET x = 2"])
        .run();
    assert_eq!(out.ok(), "");
    assert_eq!(db.query_strings("SELECT x FROM t"), vec!["Integer(2)"]);
}

fn many_statements_from_a_file(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("many.sql");
    let mut text = String::from("CREATE TABLE t(x);\n");
    for i in 0..500 {
        text.push_str(&format!("INSERT INTO t VALUES ({i});\n"));
    }
    text.push_str("SELECT count(*), sum(x) FROM t;\n");
    std::fs::write(&f, text).unwrap();
    let out = db.exec(["-m", "list", "-f"]).arg(&f).run();
    assert_eq!(out.ok(), "500|124750\n");
}

on_every_transport!(
    multi_statement_text_splits_like_sqlite,
    csv_output_with_header,
    named_and_positional_parameters,
    stops_at_first_error_and_names_the_statement,
    keep_going_runs_the_rest,
    malformed_sql_exits_1,
    file_errors_carry_file_and_line,
    sql_from_stdin,
    values_round_trip_exactly,
    statements_without_rows_print_nothing,
    many_statements_from_a_file,
);

// Errors that only exist for local files, and usage errors.

#[test]
fn missing_file_for_f_exits_2() {
    let out = shell()
        .args(["exec", ":memory:", "-f", "/nonexistent/x.sql"])
        .run();
    out.fails(2, "cannot open /nonexistent/x.sql");
}

#[test]
fn unreadable_path_exits_2() {
    let out = shell()
        .args(["exec", "/nonexistent-dir/sub/x.db", "SELECT 1"])
        .run();
    out.fails(2, "cannot open /nonexistent-dir/sub/x.db");
}

#[test]
fn not_a_database_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("notes.db");
    std::fs::write(
        &f,
        "this is not a database, just some text that is long enough to fill a header....",
    )
    .unwrap();
    let out = shell().arg("exec").arg(&f).arg("SELECT 1").run();
    out.fails(2, "file is not a database");
}

#[test]
fn unknown_format_exits_2() {
    let out = shell()
        .args(["exec", ":memory:", "-m", "yaml", "SELECT 1"])
        .run();
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("invalid value 'yaml'"),
        "{}",
        out.stderr
    );
}

#[test]
fn read_only_database_write_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ro.db");
    let c = rusqlite::Connection::open(&f).unwrap();
    c.execute_batch("CREATE TABLE t(x)").unwrap();
    drop(c);
    let uri = format!("file:{}?mode=ro", f.display());
    let out = shell()
        .args(["exec", &uri, "INSERT INTO t VALUES (1)"])
        .run();
    out.fails(1, "attempt to write a readonly database");
}

#[test]
fn websocket_connection_refused_exits_2() {
    let out = shell().args(["exec", "ws://127.0.0.1:1", "SELECT 1"]).run();
    out.fails(2, "cannot connect to 127.0.0.1:1: connection refused");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn exec_without_database_is_a_usage_error() {
    let out = shell().args(["exec"]).run();
    out.fails(2, "exec needs a database");
}

#[test]
fn database_from_environment() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("env.db");
    let out = shell()
        .args([
            "exec",
            "-m",
            "list",
            "CREATE TABLE t(x); INSERT INTO t VALUES (5); SELECT x FROM t",
        ])
        .env("LIBSQL_URL", f.to_str().unwrap())
        .run();
    assert_eq!(out.ok(), "5\n");
}

#[test]
fn broken_pipe_is_quiet() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_libsql-shell"))
        .args(["exec", ":memory:", "-m", "list", "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 2000000) SELECT n FROM c"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn help_and_version() {
    let out = shell().arg("--help").run();
    assert!(out
        .ok()
        .contains("Exit status: 0 success, 1 SQL or runtime failure, 2 usage"));
    let out = shell().arg("--version").run();
    let v = out.ok();
    let want = format!("libsql-shell {} (libSQL 0.", env!("CARGO_PKG_VERSION"));
    assert!(v.starts_with(&want), "{v}");
    assert!(v.ends_with(")\n") && v.contains(", SQLite 3."), "{v}");
}
