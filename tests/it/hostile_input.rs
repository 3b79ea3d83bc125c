//! Hostile input: malformed files, URLs, tokens and terminals are refused with one true line
//! (no panic, nothing half done, no secret echoed or stored).

use crate::harness::{shell, Backend, Db};

/// A CSV whose quoted field is never closed: the csv crate would swallow the rest of the file
/// into that field; the import names the line of the opening quote and imports nothing.
#[test]
fn csv_with_an_unterminated_quote_imports_nothing() {
    let db = Db::new(Backend::Local);
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("q.csv");
    std::fs::write(&q, "a,b\n1,2\n3,\"x\n4,5\n").unwrap();
    let out = shell()
        .args(["import", &db.target()])
        .arg(&q)
        .args(["--table", "t"])
        .run();
    let err = out.fails(1, "q.csv:3: unterminated quoted field");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        db.query_strings("SELECT count(*) FROM sqlite_schema WHERE name = 't'"),
        ["Integer(0)"]
    );

    // With another delimiter, from stdin, and through the shell's `.import`.
    let out = shell()
        .args([
            "import",
            &db.target(),
            "-",
            "--table",
            "t",
            "--delimiter",
            ";",
        ])
        .stdin("a;b\n\"1;2\";3\n\"4\n")
        .run();
    out.fails(1, "<stdin>:3: unterminated quoted field");
    let script = format!(".import --csv {} t\nSELECT 'after';\n", q.display());
    let out = shell().arg(db.target()).stdin(script).run();
    out.fails(1, "q.csv:3: unterminated quoted field");
    assert_eq!(
        db.query_strings("SELECT count(*) FROM sqlite_schema WHERE name = 't'"),
        ["Integer(0)"]
    );
}

/// A 100 KB host name is refused where it enters, and the message quotes only its start.
#[test]
fn a_huge_host_name_is_refused_without_echoing_it() {
    let huge = vec!["a".repeat(60); 1700].join(".");
    for db in [
        format!("libsql://{huge}"),
        format!("https://{huge}:8443"),
        huge,
    ] {
        let out = shell().args(["exec", &db, "SELECT 1"]).run();
        let err = out.fails(2, "is too long: a DNS name has at most 253 bytes");
        assert!(err.len() < 300, "{} bytes: {err}", err.len());
    }
}

/// A token with a control character in it is refused before anything is sent, whichever
/// way it came (flag, either variable, a named connection), without printing it.
#[test]
fn a_token_with_a_newline_is_malformed_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    for backend in crate::harness::REMOTE_BACKENDS {
        let db = Db::new(*backend);
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            format!(
                "[databases.x]\nurl = \"{}\"\nauth_token_env = \"X_TOKEN\"\n",
                db.target()
            ),
        )
        .unwrap();
        let runs = [
            (
                "--auth-token",
                db.exec(["--auth-token", "sekrit\n", "SELECT 1"]),
            ),
            (
                "LIBSQL_AUTH_TOKEN",
                db.exec(["SELECT 1"]).env("LIBSQL_AUTH_TOKEN", "sek\nrit"),
            ),
            (
                "TURSO_AUTH_TOKEN",
                db.exec(["SELECT 1"]).env("TURSO_AUTH_TOKEN", "sek\x01rit"),
            ),
            (
                "@x",
                shell()
                    .args(["exec", "@x", "SELECT 1", "--config"])
                    .arg(&config)
                    .env("X_TOKEN", "sekrit\r\n"),
            ),
        ];
        for (from, cmd) in runs {
            let out = cmd.run();
            let err = out.fails(
                2,
                &format!("malformed auth token (from {from}): it contains"),
            );
            assert!(err.contains("nothing was sent"), "{err}");
            assert!(!err.contains("sek"), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
        assert_eq!(db.server().requests(), 0);
        assert!(db.server().ws_handshakes().is_empty());
    }
}

/// A timeout no deadline can represent is a usage error that states the bound.
#[test]
fn an_overflowing_timeout_is_a_usage_error() {
    let db = Db::new(Backend::Http);
    for t in ["18446744073709551615", "86401"] {
        let out = db.exec(["--timeout", t, "SELECT 1"]).run();
        out.fails(2, "--timeout must be between 1 and 86400 seconds (one day)");
    }
    assert_eq!(db.server().requests(), 0);
    db.exec(["--timeout", "86400", "-m", "list", "SELECT 1"])
        .run()
        .ok();
}

/// `exec -f DIR` is a usage error (exit 2), as a missing file is, and nothing runs.
#[test]
fn exec_file_that_is_a_directory_is_a_usage_error() {
    let db = Db::new(Backend::Local);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let out = db.exec(["CREATE TABLE ran(x)", "-f", &d]).run();
    out.fails(2, &format!("cannot open {d}: is a directory"));
    db.exec(["-f", "missing.sql"])
        .run()
        .fails(2, "cannot open missing.sql");
    assert_eq!(
        db.query_strings("SELECT count(*) FROM sqlite_schema"),
        ["Integer(0)"]
    );
}

/// `migrate up --single-transaction` blames a foreign-key violation on the migration that
/// left it, not on the last one, and still sends the whole run in one request.
fn single_transaction_blames_the_migration_that_broke_a_foreign_key(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "0001_schema.sql",
            "CREATE TABLE author(id INTEGER PRIMARY KEY);\n\
             CREATE TABLE book(id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id));\n\
             INSERT INTO author VALUES (1);\nINSERT INTO book VALUES (7, 1);\n",
        ),
        ("0002_orphan.sql", "DELETE FROM author;\n"),
        ("0003_later.sql", "CREATE TABLE later(x);\n"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    if let Some(s) = &db.server {
        s.reset_counters();
    }
    let out = shell()
        .args([
            "migrate",
            "up",
            &db.target(),
            "--single-transaction",
            "--dir",
        ])
        .arg(dir.path())
        .run();
    let err = out.fails(
        1,
        "migration failed: 0002_orphan.sql leaves foreign key violations: book row 7 references \
         a missing row of author",
    );
    assert!(
        err.contains("none of its 3 migrations was applied"),
        "{err}"
    );
    assert!(!err.contains("0003_later"), "{err}");
    match db.backend {
        // The state read, then the one transaction.
        Backend::Http => assert_eq!(db.server().requests(), 2),
        Backend::Ws => {
            let log = db.server().ws_log();
            assert_eq!(log.iter().filter(|m| *m == "open_stream").count(), 2);
        }
        Backend::Local => {}
    }
    assert_eq!(
        db.query_strings("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"),
        ["Integer(0)"]
    );
}

crate::on_every_transport!(single_transaction_blames_the_migration_that_broke_a_foreign_key);

/// A token typed in the shell never reaches the history file: a refused
/// `.connect libsql://…?authToken=…` is kept with the value redacted.
#[test]
fn typed_tokens_never_reach_the_history_file() {
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("history");
    let mut p = crate::repl::spawn(dir.path(), "t.db", &hist);
    p.exp_string("t.db> ").unwrap();
    p.send_line(".connect libsql://db.example.com?authToken=SECRET-ONE")
        .unwrap();
    p.exp_string("unsupported URL parameter 'authToken'")
        .unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".connect libsql://db.example.com --auth-token SECRET-TWO")
        .unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line("SELECT 'kept';").unwrap();
    p.exp_string("kept").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
    let text = std::fs::read_to_string(&hist).unwrap();
    assert!(!text.contains("SECRET"), "{text}");
    assert!(
        text.contains(".connect libsql://db.example.com?authToken=(redacted)"),
        "{text}"
    );
    assert!(
        text.contains(".connect libsql://db.example.com --auth-token (redacted)"),
        "{text}"
    );
    assert!(text.contains("SELECT 'kept';"), "{text}");
}

/// Ctrl-D on a terminal runs the statement still being typed, as sqlite3 does and as a piped
/// script does (`printf 'select 1' | sqlite3` prints 1; so does sqlite3 on a terminal).
#[test]
fn ctrl_d_runs_the_unterminated_statement_as_a_pipe_does() {
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("history");
    let mut p = crate::repl::spawn(dir.path(), "t.db", &hist);
    p.exp_string("t.db> ").unwrap();
    p.send_line(".mode list").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line("CREATE TABLE ran(x); INSERT INTO ran VALUES (1)")
        .unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line("  , (2)").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let db = dir.path().join("t.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM ran", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);

    // The pipe, for comparison: the same rule.
    let out = shell()
        .arg(db.display().to_string())
        .stdin("INSERT INTO ran VALUES (3)")
        .run();
    out.ok();
    let n: i64 = c
        .query_row("SELECT count(*) FROM ran", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
}
