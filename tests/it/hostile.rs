//! Hostile and broken input, and servers that refuse: no panic, no crash, no output lost
//! silently, and one true line about what happened. Each test reproduces a failure that was
//! seen against the release binary and a real sqld.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::harness::{shell, Backend, Db};
use crate::on_every_transport;
use crate::server::{Fault, TestServer};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_libsql-shell"));
    c.env_remove("LIBSQL_URL").env_remove("LIBSQL_AUTH_TOKEN");
    c
}

const UNTERMINATED: &[&str] = &[
    "select 'x",
    "select \"x",
    "select [x",
    "select `x",
    "select x'0",
];

fn an_unterminated_quote_is_an_sql_error(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    for sql in UNTERMINATED {
        db.exec([sql]).run().fails(1, "unrecognized token");
        let out = shell().arg(db.target()).arg(sql).run();
        out.fails(1, "unrecognized token");
        let f = dir.path().join("u.sql");
        fs::write(&f, format!("select 1;\n{sql}")).unwrap();
        let out = shell().arg("batch").arg(db.target()).arg(&f).run();
        out.fails(1, "statement 2");
    }
}

/// Statements before one that does not parse run, the error names it and its line, and
/// what follows runs or not as the mode says: the same on every transport (a Hrana server
/// would refuse the whole batch, so the client sends only the statements before it).
fn a_statement_that_does_not_parse_fails_the_same_way_everywhere(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.sql");
    fs::write(
        &f,
        "create table t(x);\ninsert into t values (1);\nselec 3;\ninsert into t values (2);\n",
    )
    .unwrap();
    let name = f.display().to_string();
    let out = db.exec(["-f", name.as_str()]).run();
    out.fails(
        1,
        &format!("statement 3 ({name}:3): near \"selec\": syntax error"),
    );
    assert_eq!(db.query_strings("select x from t"), ["Integer(1)"]);

    db.sql("drop table t");
    let out = db.exec(["--keep-going", "-f", name.as_str()]).run();
    out.fails(1, &format!("statement 3 ({name}:3)"));
    assert_eq!(
        db.query_strings("select x from t order by x"),
        ["Integer(1)", "Integer(2)"]
    );

    db.sql("drop table t");
    let out = shell().arg("batch").arg(db.target()).arg(&f).run();
    out.fails(1, &format!("statement 3 ({name}:3)"));
    assert!(
        out.stderr.contains("nothing was committed"),
        "{}",
        out.stderr
    );
    assert!(db
        .query_strings("select name from sqlite_schema")
        .is_empty());

    // A piped script goes on after an error, as sqlite3 does.
    let script = fs::read_to_string(&f).unwrap();
    let out = shell().arg(db.target()).stdin(script).run();
    out.fails(1, "near <stdin>:3: near \"selec\": syntax error");
    assert_eq!(
        db.query_strings("select x from t order by x"),
        ["Integer(1)", "Integer(2)"]
    );
}

/// A piped shell can be driven as a coprocess: each complete statement runs (and its rows
/// are written) before the shell waits for more input.
fn a_piped_shell_answers_before_its_input_ends(db: &Db) {
    let mut child = bin()
        .args([db.target().as_str(), "-m", "list"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let wait = Duration::from_secs(30);
    stdin.write_all(b"select 1;\n").unwrap();
    stdin.flush().unwrap();
    assert_eq!(lines.recv_timeout(wait).as_deref(), Ok("1"));
    stdin.write_all(b"select 2;\nselect 3;\n").unwrap();
    drop(stdin);
    assert_eq!(lines.recv_timeout(wait).as_deref(), Ok("2"));
    assert_eq!(lines.recv_timeout(wait).as_deref(), Ok("3"));
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}

on_every_transport!(
    an_unterminated_quote_is_an_sql_error,
    a_statement_that_does_not_parse_fails_the_same_way_everywhere,
    a_piped_shell_answers_before_its_input_ends,
);

#[test]
fn a_read_that_reads_itself_stops_at_the_nesting_limit() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("self.sql");
    fs::write(&f, format!("select 1;\n.read {}\n", f.display())).unwrap();
    let out = shell()
        .args([":memory:", "-m", "list", &format!(".read {}", f.display())])
        .run();
    out.fails(1, "input nesting limit (25) reached");
    assert_eq!(out.stdout.lines().count(), 25, "{}", out.stdout);
}

#[test]
fn input_that_is_not_text_is_refused_at_once() {
    let out = shell().args([":memory:", ".read /dev/zero"]).run();
    out.fails(1, "/dev/zero:1: a NUL byte: this is not SQL text");
    let out = shell().args(["exec", ":memory:", "-f", "/dev/zero"]).run();
    out.fails(1, "/dev/zero:1: a NUL byte");
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not on this system
    };
    let out = bin()
        .args(["exec", ":memory:", "select 1"])
        .stdout(full.try_clone().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("q.sql");
    fs::write(&f, "select 1;").unwrap();
    let out = bin()
        .args(["batch", ":memory:"])
        .arg(&f)
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn unreadable_batch_input_says_nothing_was_committed_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.sql");
    fs::write(
        &f,
        b"create table t(x);\ninsert into t values (1);\n\xff\xfe;\n",
    )
    .unwrap();
    let db = Db::new(Backend::Local);
    let out = shell().arg("batch").arg(db.target()).arg(&f).run();
    let stderr = out.fails(
        1,
        &format!(
            "batch failed: nothing was committed: {}:3: invalid UTF-8",
            f.display()
        ),
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_request_refused_at_the_door_committed_nothing() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.sql");
    fs::write(&f, "create table t(x);\ninsert into t values (1);\n").unwrap();
    s.fail_next(Fault::Status(501, "Not Implemented".into()));
    let out = shell().arg("batch").arg(s.http_url()).arg(&f).run();
    let stderr = out.fails(2, "nothing was committed");
    assert!(!stderr.contains("unknown"), "{stderr}");
}

#[test]
fn a_socket_closed_on_a_write_suggests_a_read_only_token() {
    let s = TestServer::start();
    s.set_read_only(true);
    let out = shell()
        .args(["exec", &s.ws_url(), "create table t(x)"])
        .run();
    out.fails(2, "read-only token");
}

/// `.exit N` ends with N's low byte, as sqlite3's `exit(N)` does: `.exit -1` is a failure
/// (255), never success.
#[test]
fn exit_statuses_are_the_low_byte_of_the_code() {
    for (arg, code) in [
        (".exit -1", 255),
        (".exit 300", 44),
        (".exit 3", 3),
        (".exit", 0),
    ] {
        let out = shell().args([":memory:", arg]).run();
        assert_eq!(out.code, code, "{arg}: {out:?}");
    }
}
