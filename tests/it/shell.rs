//! The shell driven by piped scripts and arguments (no terminal), on every transport.

use crate::harness::{shell, Backend, Db};
use crate::on_every_transport;

fn run_script(db: &Db, script: &str) -> crate::harness::Output {
    shell().arg(db.target()).stdin(script.to_string()).run()
}

fn dot_commands_in_a_piped_session(db: &Db) {
    let script = "\
CREATE TABLE t(x INTEGER, y TEXT);
CREATE INDEX t_y ON t(y);
CREATE VIEW v AS SELECT x FROM t;
INSERT INTO t VALUES (1, 'a'), (2, NULL);
.tables
.schema t
.indexes t
.mode csv
.headers on
SELECT * FROM t ORDER BY x;
.headers off
.nullvalue NULL
SELECT * FROM t ORDER BY x;
.mode list
.separator ;
SELECT x, y FROM t ORDER BY x;
.separator |
.mode json
.param set :n 2
SELECT x FROM t WHERE x = :n;
.param list
.param clear
.param list
.print done with params
.mode line
SELECT 1 AS one, 'two' AS two;
.help tables
";
    let out = run_script(db, script);
    assert_eq!(
        out.ok(),
        "t  v\n\
CREATE TABLE t(x INTEGER, y TEXT);\nCREATE INDEX t_y ON t(y);\n\
t_y\n\
x,y\r\n1,a\r\n2,\r\n\
1,a\r\n2,NULL\r\n\
1;a\n2;NULL\n\
[{\"x\":2}]\n\
:n 2\n\
done with params\n  one = 1\n  two = two\n\
.tables [PATTERN]            List tables and views (optionally those matching a LIKE pattern)\n"
    );
}

fn errors_continue_and_exit_1(db: &Db) {
    let out = run_script(db, "SELECT 1;\nSELECT nope;\nSELECT 3;\n");
    out.fails(1, "Error: near <stdin>:2: no such column: nope");
    assert_eq!(out.stdout, "1\n3\n");
    let out = shell()
        .args(["-m", "table"])
        .arg(db.target())
        .stdin("SELECT 1;\nSELECT nope;\nSELECT 3;\n")
        .run();
    out.fails(1, "no such column: nope");
    assert_eq!(
        out.stdout,
        "+---+\n| 1 |\n+---+\n| 1 |\n+---+\n+---+\n| 3 |\n+---+\n| 3 |\n+---+\n"
    );
}

fn bail_stops_at_the_first_error(db: &Db) {
    let out = shell()
        .args(["--bail", "-m", "list"])
        .arg(db.target())
        .stdin("SELECT 1;\nSELECT nope;\nSELECT 3;\n")
        .run();
    out.fails(1, "no such column: nope");
    assert_eq!(out.stdout, "1\n");
    let out = run_script(
        db,
        ".mode list\n.bail on\nSELECT 1;\nSELECT nope;\nSELECT 3;\n",
    );
    out.fails(1, "no such column: nope");
    assert_eq!(out.stdout, "1\n");
}

fn arguments_run_in_order(db: &Db) {
    let out = shell()
        .arg(db.target())
        .args([
            "CREATE TABLE t(x); INSERT INTO t VALUES (7)",
            ".mode csv",
            "SELECT x, 'a b' FROM t",
            ".mode list",
            "SELECT x FROM t",
        ])
        .run();
    // As sqlite3: no header line into a pipe, and `.mode csv` ends rows with CR LF.
    assert_eq!(out.ok(), "7,\"a b\"\r\n7\n");
}

fn transaction_in_a_script(db: &Db) {
    let out = run_script(
        db,
        ".mode list\nCREATE TABLE t(x);\nBEGIN;\nINSERT INTO t VALUES (1);\n.pending\nINSERT INTO t VALUES (2);\nCOMMIT;\n.pending\nSELECT count(*) FROM t;\n",
    );
    assert_eq!(out.ok(), "   1  CREATE TABLE t(x);\n   2  BEGIN;\n   3  INSERT INTO t VALUES (1);\nno statements pending\n2\n");
}

fn output_and_once_write_files(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    let script = format!(
        ".mode list\n.output {}\nSELECT 1;\nSELECT 2;\n.output\nSELECT 3;\n.once {}\nSELECT 4;\nSELECT 5;\n",
        a.display(),
        b.display()
    );
    let out = run_script(db, &script);
    assert_eq!(out.ok(), "3\n5\n");
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "1\n2\n");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "4\n");
}

fn read_runs_a_file(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("inc.sql");
    std::fs::write(&f, ".mode list\nSELECT 'from file';\n").unwrap();
    let out = run_script(db, &format!(".read {}\nSELECT 'after';\n", f.display()));
    assert_eq!(out.ok(), "from file\nafter\n");
}

fn unknown_dot_command_is_an_error(db: &Db) {
    let out = run_script(db, ".frobnicate\n");
    out.fails(1, "unknown command: .frobnicate");
}

fn exit_with_code(db: &Db) {
    let out = run_script(db, ".mode list\nSELECT 1;\n.exit 3\nSELECT 2;\n");
    assert_eq!(out.code, 3);
    assert_eq!(out.stdout, "1\n");
}

fn multi_line_statements_and_timer_changes_echo(db: &Db) {
    let out = run_script(db, ".mode list\n.echo on\nSELECT\n  1\n  + 1;\n.echo off\n.changes on\nCREATE TABLE t(x);\nINSERT INTO t VALUES (1), (2);\n");
    assert_eq!(out.code, 0, "{out:?}");
    // As in sqlite3: dot-commands are echoed too, and `.changes` writes its line into the
    // output after each statement.
    assert_eq!(
        out.stdout,
        "SELECT\n  1\n  + 1;\n2\n.echo off\nchanges: 0   total_changes: 0\n\
         changes: 2   total_changes: 2\n"
    );
}

fn dump_and_import_dot_commands(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "name,age\nAda,36\n\"Lovelace, A\",37\n").unwrap();
    let script = format!(
        ".import --csv {} people\n.mode list\nSELECT name, age FROM people ORDER BY age;\n.dump people\n",
        csv.display()
    );
    let out = run_script(db, &script);
    assert_eq!(
        out.ok(),
        "Ada|36\nLovelace, A|37\n\
PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n\
CREATE TABLE IF NOT EXISTS \"people\"(\n\"name\" TEXT, \"age\" TEXT);\n\
INSERT INTO people VALUES('Ada','36');\nINSERT INTO people VALUES('Lovelace, A','37');\n\
COMMIT;\n"
    );
    let out = run_script(
        db,
        "BEGIN;\nINSERT INTO people VALUES ('x', 1);\n.dump\nROLLBACK;\n",
    );
    out.fails(1, ".dump needs no open transaction");
}

fn timer_connect_open_show(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE elsewhere(x)")
        .unwrap();
    let third = dir.path().join("third.db");
    let script = format!(
        ".show\n.mode list\n.timer on\nSELECT 1;\n.timer off\nCREATE TABLE here(x);\n.connect {}\n.tables\n\
         .open {}\nCREATE TABLE opened(x);\n.tables\n.quit\nSELECT 'not reached';\n",
        other.display(),
        third.display()
    );
    let out = run_script(db, &script);
    assert_eq!(out.code, 0, "{out:?}");
    let name = match db.backend {
        Backend::Local => db.target(),
        _ => "127.0.0.1".to_string(),
    };
    let show = format!("    database: {name}\n        echo: off\n");
    assert!(out.stdout.starts_with(&show), "{}", out.stdout);
    assert!(
        out.stdout.ends_with("\nelsewhere\nopened\n"),
        "{}",
        out.stdout
    );
    // sqlite3 prints the timer's line on standard output, after the statement's rows.
    assert_eq!(
        out.stdout.matches("\n1\nRun Time: real ").count(),
        1,
        "{}",
        out.stdout
    );
    assert_eq!(
        db.query_strings("SELECT count(*) FROM sqlite_schema WHERE name = 'here'"),
        vec!["Integer(1)"]
    );
}

/// Into a pipe the shell writes rows in blocks, yet with standard output and standard error
/// on one file (`2>&1`) each message still comes after the rows before it, as in sqlite3.
fn rows_and_messages_keep_their_order_on_one_file(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("both.txt");
    let file = std::fs::File::create(&path).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_libsql-shell"))
        .arg(db.target())
        .stdin(std::process::Stdio::piped())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap();
    let script = "SELECT 1;\nSELECT 2 UNION ALL SELECT 3;\nselec 4;\nSELECT 5;\n.changes on\nCREATE TABLE t(x);\nSELECT 6;\n";
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), script.as_bytes()).unwrap();
    drop(child.stdin.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    let both = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = both.lines().collect();
    assert_eq!(lines.len(), 8, "{both}");
    assert_eq!(&lines[..3], ["1", "2", "3"], "{both}");
    assert!(lines[3].starts_with("Error: near <stdin>:3: "), "{both}");
    let changes = "changes: 0   total_changes: 0";
    assert_eq!(&lines[4..], ["5", changes, "6", changes], "{both}");
}

/// A dot-command that reads the database inside a transaction with buffered writes sees
/// them, and its own query's answer is not mixed with theirs (it failed with "the server
/// answered 0 column(s)"); a buffered write's error is reported as the statement's.
fn dot_commands_inside_a_transaction_with_buffered_writes(db: &Db) {
    let out = run_script(
        db,
        "CREATE TABLE t(x UNIQUE);\nBEGIN;\nINSERT INTO t VALUES (1);\n.tables\n\
         INSERT INTO t VALUES (1);\n.sha3sum --sha3-256\nSELECT count(*) FROM t;\nCOMMIT;\n",
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert_eq!(lines[0], "t");
    assert_eq!(lines[2], "1");
    assert!(
        out.stderr
            .starts_with("Error: near <stdin>:5: UNIQUE constraint failed: t.x"),
        "{}",
        out.stderr
    );
    assert_eq!(
        db.query_strings("SELECT count(*) FROM t"),
        vec!["Integer(1)"]
    );
}

/// As sqlite3: the first statement that fails ends the command-line arguments, the rest
/// of its own argument included; exit 1.
fn arguments_stop_at_the_first_failure(db: &Db) {
    let out = shell()
        .arg(db.target())
        .args([
            "CREATE TABLE IF NOT EXISTS s(x)",
            "SELECT 1; SELECT * FROM nope; SELECT 3",
            "SELECT 5",
        ])
        .run();
    let stderr = out.fails(1, "no such table: nope");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(out.stdout, "1\n");
    let out = shell()
        .arg(db.target())
        .args([".print x", ".bogus", "SELECT 5"])
        .run();
    out.fails(1, ".bogus");
    assert_eq!(out.stdout, "x\n");
}

/// sqlite3 draws an EXPLAIN QUERY PLAN's rows as a tree in every output mode; so does the
/// shell (it printed the raw rows), `.once` included.
fn explain_query_plan_is_drawn_as_sqlite3_draws_it(db: &Db) {
    db.sql("CREATE TABLE t(a, b); CREATE INDEX tb ON t(b);");
    crate::sqlite3::same_as_sqlite3(
        db,
        &[],
        "EXPLAIN QUERY PLAN SELECT * FROM t WHERE b = 1;\n.mode csv\n\
         explain query plan select * from t where a = 1 union select * from t where b = 2;\n\
         .mode json\nEXPLAIN QUERY PLAN SELECT a FROM t;\nSELECT 7;\n",
    );
}

/// `.schema` and `.fullschema` as sqlite3 writes them: creation order, SQLite's own tables
/// (unless `--nosys`), `CREATE TABLE IF NOT EXISTS` for a quoted name, a view's or virtual
/// table's columns in a comment, patterns matched against the table (case-insensitively).
fn schema_matches_sqlite3(db: &Db) {
    db.sql(
        "CREATE TABLE zb(x, y); CREATE TABLE \"w n\"(x); CREATE INDEX zb_i ON zb(y);
         CREATE VIEW av AS SELECT x, y AS why FROM zb;
         CREATE TABLE aa(id INTEGER PRIMARY KEY AUTOINCREMENT);
         CREATE TRIGGER tr AFTER INSERT ON aa BEGIN SELECT 1; END;
         CREATE VIEW \"v x\" AS SELECT x AS \"the id\" FROM zb;
         CREATE VIRTUAL TABLE f USING fts5(body); CREATE VIEW éé AS SELECT 1 AS x; ANALYZE;",
    );
    crate::sqlite3::same_as_sqlite3(
        db,
        &[],
        ".schema\n.print ---\n.schema --nosys\n.print ---\n.schema A%\n.print ---\n\
         .schema main.zb*\n.print ---\n.fullschema\n",
    );
}

/// `.dump --data-only` writes the rows only, as sqlite3's does.
fn dump_data_only_matches_sqlite3(db: &Db) {
    db.sql(
        "CREATE TABLE t(a, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL);
         CREATE TABLE u(id INTEGER PRIMARY KEY AUTOINCREMENT, v); INSERT INTO u(v) VALUES (3.5);",
    );
    crate::sqlite3::same_as_sqlite3(db, &[], ".dump --data-only\n.dump --data-only t\n");
}

/// `.tables` and `.indexes` as sqlite3 lists them: sorted, padded to the longest name,
/// filled down columns that fit in 80 characters; patterns by LIKE.
fn tables_and_indexes_match_sqlite3(db: &Db) {
    let mut sql = String::new();
    for (i, name) in [
        "a",
        "bb",
        "customers",
        "d_long_table_name",
        "e",
        "orders",
        "x1",
        "zz",
    ]
    .iter()
    .enumerate()
    {
        sql.push_str(&format!(
            "CREATE TABLE {name}(c{i}); CREATE INDEX {name}_i ON {name}(c{i});"
        ));
    }
    sql.push_str(
        "CREATE VIEW v AS SELECT 1; CREATE TABLE u(k UNIQUE); \
         CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID; CREATE VIRTUAL TABLE f USING fts5(b);",
    );
    db.sql(&sql);
    crate::sqlite3::same_as_sqlite3(
        db,
        &[],
        ".tables\n.tables %o%\n.indexes\n.indexes orders\n.tables none\n",
    );
}

/// Review findings, each against sqlite3: a `.read` given as an argument runs its whole
/// script (only SQL arguments stop at their first failure); a `.parameter` argument does not
/// change that; `.changes on` says nothing for arguments; `-separator X -quote` is quote's.
fn arguments_keep_sqlite3s_rules(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("r.sql");
    std::fs::write(&script, "SELECT 1;\nSELECT nosuch;\nSELECT 3;\n").unwrap();
    let read = format!(".read {}", script.display());
    let out = shell().arg(db.target()).args([&read, "SELECT 4"]).run();
    out.fails(1, "nosuch");
    assert_eq!(out.stdout, "1\n3\n");
    let out = shell()
        .arg(db.target())
        .args([
            ".param set :a 1",
            "CREATE TABLE IF NOT EXISTS pa(x); INSERT INTO nosuch VALUES (1); INSERT INTO pa VALUES (3)",
        ])
        .run();
    out.fails(1, "nosuch");
    assert_eq!(
        db.query_strings("SELECT count(*) FROM pa"),
        vec!["Integer(0)"]
    );
    let out = shell()
        .arg(db.target())
        .args([
            ".changes on",
            "CREATE TABLE IF NOT EXISTS ch(x)",
            "SELECT 1",
        ])
        .run();
    assert_eq!(out.ok(), "1\n");
    let out = shell()
        .arg(db.target())
        .args([".timer on", "SELECT 1"])
        .run();
    assert_eq!(out.ok(), "1\n");
    crate::sqlite3::same_as_sqlite3(db, &["-separator", ";", "-quote"], "SELECT 1, 'a';\n");
}

/// `-echo` writes the input as sqlite3 does: each line as read (comments and blank lines
/// too), a statement's lines together once it is complete; arguments are not echoed.
fn echo_matches_sqlite3(db: &Db) {
    crate::sqlite3::same_as_sqlite3(
        db,
        &["-echo"],
        "-- a comment\nselect 1; select 2;\n\nselect\n  3;\n.print hi\n   \n\
         select 4; -- trailing\nselect 5 -- c\n;\n",
    );
    crate::sqlite3::same_as_sqlite3(db, &["-echo", "select 1; select 2", ".print x"], "");
    // Into the current output, as sqlite3 writes it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("echoed.txt");
    let out = shell()
        .args(["-echo", &db.target()])
        .stdin(format!(
            ".output {}\nselect 2;\n-- c\n.output stdout\n",
            file.display()
        ))
        .run();
    assert_eq!(out.ok(), format!(".output {}\n", file.display()));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "select 2;\n2\n-- c\n.output stdout\n"
    );
}

/// After a failing statement sqlite3 skips the rest of that line (the other statements it
/// completes) and goes on with the next line; inside a transaction that leaves the COMMIT
/// unrun, so the rows are not committed until a later line commits them.
fn the_rest_of_a_line_is_skipped_after_an_error(db: &Db) {
    let script = "CREATE TABLE IF NOT EXISTS sk(x UNIQUE);\n\
                  SELECT 1; SELECT * FROM nope; SELECT 3;\nSELECT 4;\n\
                  BEGIN; INSERT INTO sk VALUES (1); INSERT INTO sk VALUES (1); INSERT INTO sk VALUES (2); COMMIT;\n\
                  SELECT count(*) FROM sk;\nCOMMIT;\nSELECT count(*) FROM sk;\n\
                  SELECT 5; SELEC 6; SELECT 7;\n\
                  SELECT 8; INSERT INTO sk VALUES (9); SELECT * FROM nope; INSERT INTO sk VALUES (10);\n\
                  SELECT count(*) FROM sk;\n";
    let (code, want) = crate::sqlite3::sqlite3(db.path(), &[], script);
    // sqlite3 ran it on the file: start again from an empty table for ours.
    db.sql("DELETE FROM sk");
    assert_eq!(code, 1);
    let out = run_script(db, script);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (1, want.as_str()),
        "{}",
        out.stderr
    );
    assert_eq!(want, "1\n4\n1\n1\n5\n8\n2\n");
}

on_every_transport!(
    the_rest_of_a_line_is_skipped_after_an_error,
    echo_matches_sqlite3,
    arguments_keep_sqlite3s_rules,
    tables_and_indexes_match_sqlite3,
    dump_data_only_matches_sqlite3,
    schema_matches_sqlite3,
    explain_query_plan_is_drawn_as_sqlite3_draws_it,
    arguments_stop_at_the_first_failure,
    dot_commands_inside_a_transaction_with_buffered_writes,
    rows_and_messages_keep_their_order_on_one_file,
    timer_connect_open_show,
    dump_and_import_dot_commands,
    dot_commands_in_a_piped_session,
    errors_continue_and_exit_1,
    bail_stops_at_the_first_error,
    arguments_run_in_order,
    transaction_in_a_script,
    output_and_once_write_files,
    read_runs_a_file,
    unknown_dot_command_is_an_error,
    exit_with_code,
    multi_line_statements_and_timer_changes_echo,
);

#[test]
fn show_and_transport_name_the_connection() {
    let out = shell().args([":memory:", ".show", ".transport"]).run();
    let text = out.ok();
    assert!(text.contains("    database: :memory:\n"), "{text}");
    assert!(text.contains("transport: local\n"), "{text}");
    for backend in crate::harness::REMOTE_BACKENDS {
        let db = Db::new(*backend);
        let out = shell().arg(db.target()).arg(".transport").run();
        let text = out.ok().to_string();
        let kind = if *backend == Backend::Http {
            "transport: http\n"
        } else {
            "transport: ws\n"
        };
        assert!(text.starts_with(kind), "{text}");
        assert!(text.contains("endpoint: "), "{text}");
    }
}

#[test]
fn open_switches_database() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    let script = format!(
        ".mode list\nCREATE TABLE only_a(x);\n.open {}\nCREATE TABLE only_b(x);\n.tables\n.open {}\n.tables\n",
        b.display(),
        a.display()
    );
    let out = shell().arg(&a).stdin(script).run();
    assert_eq!(out.ok(), "only_b\nonly_a\n");
}

#[test]
fn remote_prompt_transaction_costs_one_request() {
    let db = Db::new(Backend::Http);
    db.sql("CREATE TABLE t(x)");
    let server = db.server();
    server.reset_counters();
    let out = shell()
        .arg(db.target())
        .stdin("BEGIN;\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nCOMMIT;\n")
        .run();
    out.ok();
    assert_eq!(server.requests(), 1);
    server.reset_counters();
    let out = shell().arg(db.target()).stdin(".tables\n").run();
    assert_eq!(out.ok(), "t\n");
    assert_eq!(server.requests(), 1);
    // A line of several statements goes as one request, each chained to the one before
    // (sqlite3 skips the rest of a line after a failure).
    server.reset_counters();
    let out = shell()
        .arg(db.target())
        .stdin("INSERT INTO t VALUES (3); SELECT count(*) FROM t; SELECT 9;\n")
        .run();
    assert_eq!(out.ok(), "3\n9\n");
    assert_eq!(server.requests(), 1);
}

/// `.open --new FILE` starts FILE empty, as sqlite3's does; a remote target is refused.
#[test]
fn open_new_starts_a_file_empty() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.db");
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch("CREATE TABLE old(x);")
        .unwrap();
    let out = shell()
        .arg(":memory:")
        .stdin(format!(
            ".open --new {}\n.tables\nCREATE TABLE fresh(y);\n.tables\n",
            file.display()
        ))
        .run();
    assert_eq!(out.ok(), "fresh\n");
    let out = shell()
        .arg(":memory:")
        .stdin(".open --new http://127.0.0.1:1\n")
        .run();
    out.fails(1, "--new starts a local file empty");
}

/// The shell's `.import` of a Latin-1 file into a local database keeps its bytes, as
/// sqlite3's does (the `import` command refuses text that is not UTF-8 on every transport).
#[test]
fn dot_import_keeps_latin1_bytes_locally() {
    let db = Db::new(Backend::Local);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("lat.csv");
    std::fs::write(&csv, b"a,b\n1,caf\xe9\n2,ok\n").unwrap();
    let script = format!(
        ".import --csv {} t\nSELECT a, hex(b), typeof(b) FROM t;\n",
        csv.display()
    );
    let (code, want) = crate::sqlite3::sqlite3(db.path(), &[], &script);
    assert_eq!((code, want.as_str()), (0, "1|636166E9|text\n2|6F6B|text\n"));
    db.sql("DROP TABLE t");
    assert_eq!(run_script(&db, &script).ok(), want);
}
