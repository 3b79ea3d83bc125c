//! sqlite3's habits, compared byte for byte with the `sqlite3` CLI on the same database (the
//! test server's own file, for the remote transports): what a pipe gets by default, sqlite3's
//! one-dash options, every output mode, the dot-commands, `.timer`, and a script with an
//! error.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::{shell, Backend, Db};
use crate::on_every_transport;

/// Data on which our output and sqlite3's agree (integers, text, NULL; no reals or blobs,
/// whose differences README's "Differences from sqlite3" lists).
const FIXTURE: &str = "CREATE TABLE t(id INTEGER PRIMARY KEY, i INTEGER, s TEXT);
    INSERT INTO t(i, s) VALUES (1, 'x y'), (NULL, 'it''s \"q\"
nl'), (-3, '<&>'), (9223372036854775807, 'naïve ☃ 日本'), (0, 'tab	here'), (5, ''),
    (6, ' pad '), (7, 'a sentence long enough to be wrapped by the column modes at sixty characters'),
    (8, 'a' || char(1) || 'b'), (9, 'cr' || char(13) || char(10) || 'lf');
    CREATE TABLE p(id INTEGER PRIMARY KEY, a, b, UNIQUE(a, b));
    CREATE TABLE c(x, pid REFERENCES p, a, b, FOREIGN KEY(a, b) REFERENCES p(a, b));
    CREATE TABLE d(y REFERENCES p(id));
    CREATE INDEX d_y ON d(y);
    CREATE VIEW v AS SELECT i FROM t;";

/// sqlite3 on `db` with `args`, `stdin` piped in: (exit code, stdout).
pub(crate) fn sqlite3(db: &Path, args: &[&str], stdin: &str) -> (i32, String) {
    let (code, stdout, _) = sqlite3_with_stderr(db, args, stdin);
    (code, stdout)
}

/// sqlite3 on `db` with `args`, `stdin` piped in: (exit code, stdout, stderr).
fn sqlite3_with_stderr(db: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new("sqlite3")
        .args(["-init", "/dev/null"])
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sqlite3 CLI is required (.ci/run installs it)");
    let input = stdin.to_string();
    let mut w = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = w.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Ours: the shell on `db`'s target with `args` and `stdin`, no startup file.
fn ours(db: &Db, args: &[&str], stdin: &str) -> crate::harness::Output {
    shell()
        .arg("--no-init")
        .arg(db.target())
        .args(args)
        .stdin(stdin.to_string())
        .run()
}

fn fixture(backend: Backend) -> Db {
    let db = Db::new(backend);
    db.sql(FIXTURE);
    db
}

pub(crate) fn same_as_sqlite3(db: &Db, args: &[&str], stdin: &str) {
    let (code, want) = sqlite3(db.path(), args, stdin);
    assert_eq!(code, 0, "sqlite3 {args:?} failed on {stdin:?}");
    let got = ours(db, args, stdin);
    assert_eq!(
        (got.code, got.stdout.as_str()),
        (0, want.as_str()),
        "{:?} {args:?} {stdin:?}\nstderr: {}",
        db.backend,
        got.stderr
    );
}

fn default_piped_output_is_sqlite3s(db: &Db) {
    db.sql(FIXTURE);
    same_as_sqlite3(db, &["SELECT count(*) FROM t"], "");
    same_as_sqlite3(
        db,
        &[],
        "SELECT * FROM t ORDER BY id;\nSELECT 1, 'two', NULL;\n",
    );
    let (_, want) = sqlite3(db.path(), &["SELECT id, i, s FROM t ORDER BY id"], "");
    let got = db.exec(["SELECT id, i, s FROM t ORDER BY id"]).run();
    assert_eq!(got.ok(), want, "exec without -m into a pipe");
    // An explicit format always wins.
    let got = db.exec(["-m", "table", "SELECT 1 AS one"]).run();
    assert_eq!(got.ok(), "+-----+\n| one |\n+-----+\n|   1 |\n+-----+\n");
}

const QUERY: &str = "SELECT id, i, s FROM t WHERE id <= 9 ORDER BY id";

fn sqlite3_options_match_sqlite3(db: &Db) {
    db.sql(FIXTURE);
    let sets: &[&[&str]] = &[
        &["-csv"],
        &["-csv", "-header"],
        &["--csv", "-noheader"],
        &["-json"],
        &["-line"],
        &["-list", "-header"],
        &["-quote", "-header"],
        &["-html", "-header"],
        &["-tabs"],
        &["-ascii", "-header"],
        &["-column"],
        &["-column", "-header"],
        &["-separator", ";", "-newline", "~\n"],
        &["-nullvalue", "(null)"],
        &["-list", "-csv", "-json"],
        &["-cmd", ".mode quote"],
        &["-cmd", ".headers on", "-cmd", ".mode html"],
        &["-batch", "-bail"],
    ];
    for args in sets {
        let mut a: Vec<&str> = args.to_vec();
        a.push(QUERY);
        same_as_sqlite3(db, &a, "");
    }
    // The bordered formats agree with sqlite3 on text columns.
    for f in ["-box", "-table", "-markdown"] {
        same_as_sqlite3(
            db,
            &[f, "SELECT s, 'ab' AS bb FROM t WHERE id IN (1, 3, 6)"],
            "",
        );
    }
    // -echo prints each statement first.
    same_as_sqlite3(db, &["-echo"], "SELECT 1;\nSELECT 'two';\n");
    // -version: ours names itself.
    let out = shell().arg("-version").run();
    assert!(out.ok().starts_with("libsql-shell "), "{}", out.stdout);
}

fn every_mode_matches_sqlite3(db: &Db) {
    db.sql(FIXTURE);
    let modes = [
        "list",
        "csv",
        "tabs",
        "ascii",
        "quote",
        "html",
        "tcl",
        "line",
        "json",
        "insert t2",
        "column",
    ];
    for mode in modes {
        for headers in ["", ".headers on\n"] {
            let script = format!(
                ".nullvalue NULL\n{headers}.mode {mode}\n{QUERY};\nSELECT 1 AS a WHERE 0;\n"
            );
            if mode == "json" && headers.is_empty() {
                // json prints `[]` for a statement without rows (a listed difference).
                let script = format!(".mode json\n{QUERY};\n");
                same_as_sqlite3(db, &[], &script);
                continue;
            }
            if mode == "csv" && !headers.is_empty() {
                // csv prints its header for a statement without rows (a listed difference).
                let script = format!("{headers}.mode csv\n{QUERY};\n");
                same_as_sqlite3(db, &[], &script);
                continue;
            }
            if mode != "json" {
                same_as_sqlite3(db, &[], &script);
            }
        }
    }
    for opts in [
        "",
        " --wrap 10",
        " --wrap 12 --wordwrap on",
        " -ww --wrap 7",
        " --quote",
    ] {
        let script = format!(
            ".headers on\n.mode column{opts}\n{QUERY};\n.width 5 -3\nSELECT i, s FROM t WHERE id < 4;\n.width\n.mode tabs\n{QUERY};\n"
        );
        same_as_sqlite3(db, &[], &script);
    }
    same_as_sqlite3(
        db,
        &[],
        ".separator , ;\nSELECT 1, 2;\n.mode list\nSELECT 3, 4;\n",
    );
}

fn a_script_with_an_error_continues_and_exits_1(db: &Db) {
    db.sql(FIXTURE);
    let script = "SELECT 1;\nSELECT nope FROM t;\nSELECT count(*) FROM t;\n.mode csv\nSELECT s FROM t WHERE id = 1;\nINSERT INTO nowhere VALUES (1);\nSELECT 'end';\n";
    let (code, want) = sqlite3(db.path(), &[], script);
    assert_eq!(code, 1);
    let got = ours(db, &[], script);
    got.fails(1, "no such column: nope");
    assert_eq!(got.stdout, want);
    assert!(
        got.stderr.contains("no such table: nowhere"),
        "{}",
        got.stderr
    );
}

fn timer_prints_real_user_sys(db: &Db) {
    let script = ".timer on\nSELECT 1;\nSELECT 2;\n.timer off\nSELECT 3;\n";
    let (_, theirs) = sqlite3(db.path(), &[], script);
    let got = ours(db, &[], script);
    let shape = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| match l.strip_prefix("Run Time: ") {
                None => l.to_string(),
                Some(rest) => {
                    let p: Vec<&str> = rest.split(' ').collect();
                    assert_eq!(p.len(), 6, "{l}");
                    assert_eq!((p[0], p[2], p[4]), ("real", "user", "sys"), "{l}");
                    let decimals: Vec<usize> = [p[1], p[3], p[5]]
                        .iter()
                        .map(|n| n.split_once('.').expect("a decimal").1.len())
                        .collect();
                    assert_eq!(decimals, [3, 6, 6], "{l}");
                    "Run Time".to_string()
                }
            })
            .collect()
    };
    assert_eq!(shape(got.ok()), shape(&theirs));
    assert_eq!(shape(&theirs), ["1", "Run Time", "2", "Run Time", "3"]);
}

fn dot_commands_match_sqlite3(db: &Db) {
    db.sql(FIXTURE);
    db.sql("INSERT INTO p VALUES (1, 2, 3); ANALYZE;");
    for script in [
        ".fullschema\n",
        ".lint fkey-indexes\n.lint fkey-indexes -verbose\n.lint fkey-indexes -groupbyparent -verbose\n",
        ".eqp on\nSELECT * FROM c JOIN p ON p.id = c.pid;\nSELECT 1;\n",
        ".trace stdout\nSELECT 1;\nSELECT 2;\n",
        ".mode column\n.width 4 -6\nSELECT id, i, s FROM t WHERE id < 3;\n",
        ".print -x 'a b'\n",
        ".shell echo hi\n.system echo 'two words'\n",
    ] {
        same_as_sqlite3(db, &[], script);
    }
    if db.backend == Backend::Local {
        same_as_sqlite3(db, &[], ".databases\n.vfsname\n");
    }
}

/// Every storage class for `.sha3sum`: integers (negative, the extremes), reals (0.1, -0.0,
/// 1e300), non-ASCII text, blobs, NULL; a WITHOUT ROWID table, an AUTOINCREMENT table, an
/// index, a view, the statistics tables, and a table whose name `sqlite_%` matches without
/// an escape (`sqliteXfoo`, which sqlite3 3.40 leaves out).
const HASHED: &str = "CREATE TABLE n(id INTEGER PRIMARY KEY, i INTEGER, r REAL, x);
    INSERT INTO n(i, r, x) VALUES (0, 0.1, -0.0), (-1, -0.0, 1e300),
      (9223372036854775807, 1e300, -9223372036854775808), (-9223372036854775808, 2.5, 'naïve ☃ 日本'),
      (NULL, NULL, x'00ff10'), (42, -1e-300, x''), (7, 0.30000000000000004, '');
    CREATE TABLE t_kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
    INSERT INTO t_kv VALUES ('b', 0.1), ('a', x'68656c6c6f'), ('é', NULL), ('it''s', -0.0);
    CREATE TABLE t_auto(id INTEGER PRIMARY KEY AUTOINCREMENT, s TEXT);
    INSERT INTO t_auto(s) VALUES ('x'), ('');
    CREATE TABLE \"T q\"\"\"(a);
    INSERT INTO \"T q\"\"\" VALUES (1);
    CREATE TABLE \"t;s\"(a);
    INSERT INTO \"t;s\" VALUES ('x;y');
    CREATE TABLE sqliteXfoo(a);
    INSERT INTO sqliteXfoo VALUES (1);
    CREATE INDEX n_i ON n(i);
    CREATE VIEW v AS SELECT i FROM n;
    ANALYZE;";

fn sha3sum_matches_sqlite3(db: &Db) {
    db.sql(HASHED);
    for script in [
        ".sha3sum\n",
        ".sha3sum --schema\n",
        ".sha3sum --sha3-256\n",
        ".sha3sum t%\n",
        ".sha3sum -sha3-512 --schema %\n",
        ".sha3sum --debug --schema\n.sha3sum --debug t%\n",
        ".headers on\n.mode column\n.sha3sum --sha3-384 T%\n.mode quote\n.sha3sum sqlite_stat%\n",
        ".sha3sum nothing%\n",
    ] {
        same_as_sqlite3(db, &[], script);
    }
    let script = ".sha3sum --bogus\n.sha3sum a b\nSELECT 1;\n";
    let (code, want) = sqlite3(db.path(), &[], script);
    assert_eq!(code, 1);
    let got = ours(db, &[], script);
    got.fails(1, "");
    assert_eq!(got.stdout, want);
    assert!(want.starts_with(".sha3sum ...  "), "{want}");
    assert_eq!(
        got.stderr,
        "Unknown option \"--bogus\" on \"sha3sum\"\nUsage: .sha3sum ?OPTIONS? ?LIKE-PATTERN?\n"
    );
    // A table that cannot be read: the tables before it are printed, as sqlite3 prints them,
    // and the failure is reported (sqlite3 says nothing and exits 0).
    db.sql(
        "CREATE TABLE u_g(a, b AS (abs(a))); INSERT INTO u_g(a) VALUES (1);
         PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE TABLE u_g(a, b AS (nosuch(a)))' WHERE name = 'u_g';",
    );
    for pattern in ["%", ""] {
        let script = format!(".sha3sum {pattern}\n");
        let (code, want) = sqlite3(db.path(), &[], &script);
        assert_eq!(code, 0);
        // Per table: every table but the broken one, which sorts last.
        let tables = db.query_strings(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
        );
        assert_eq!(want.lines().count(), (tables.len() - 1) * pattern.len());
        let got = ours(db, &[], &script);
        got.fails(1, "nosuch");
        assert_eq!(got.stdout, want, "{script}");
    }
}

/// Text that is not UTF-8 keeps its bytes locally: `.sha3sum` equals sqlite3's, `.dump`,
/// `.mode quote` and `.mode insert` write it so that it reads back byte for byte (as
/// `CAST(X'…' AS TEXT)`), and the text modes show it with U+FFFD.
#[test]
fn text_that_is_not_utf8_keeps_its_bytes() {
    let raw = Db::new(Backend::Local);
    raw.sql("CREATE TABLE t(s); INSERT INTO t VALUES (CAST(x'61ff27' AS TEXT));");
    let (_, of_raw) = sqlite3(raw.path(), &[".sha3sum"], "");
    assert_eq!(ours(&raw, &[".sha3sum"], "").ok(), of_raw);
    let shown = ours(&raw, &["SELECT s FROM t"], "");
    assert_eq!(shown.ok(), "a\u{FFFD}'\n");
    for mode in [".mode quote", ".mode insert t"] {
        let out = ours(&raw, &[mode, "SELECT s FROM t"], "");
        assert!(
            out.ok().contains("CAST(X'61ff27' AS TEXT)"),
            "{mode}: {}",
            out.stdout
        );
    }
    // Schema text that is not UTF-8 (a Latin-1 DEFAULT) is never a reason to leave a table
    // out of a dump (it was dropped silently).
    let latin1: String = b"CREATE TABLE u(x DEFAULT '\xe9', y)"
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    raw.sql(&format!(
        "CREATE TABLE u(x DEFAULT 'e', y); INSERT INTO u(y) VALUES (1);
         PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = CAST(X'{latin1}' AS TEXT) WHERE name = 'u';
         PRAGMA writable_schema = OFF;"
    ));
    let dumped = ours(&raw, &[".dump"], "");
    assert!(
        dumped.stdout.contains("CREATE TABLE u("),
        "{}",
        dumped.stdout
    );
    let back = Db::new(Backend::Local);
    let (status, _) = sqlite3(back.path(), &[], dumped.ok());
    assert_eq!(status, 0, "{}", dumped.stdout);
    assert_eq!(
        back.query_strings("SELECT hex(s) || ' ' || typeof(s) FROM t"),
        vec!["Text(\"61FF27 text\")"]
    );
}

fn copies_into_local_files(db: &Db) {
    db.sql(FIXTURE);
    db.sql("PRAGMA user_version = 7");
    let dir = tempfile::tempdir().unwrap();
    let (saved, backup, cloned) = (
        dir.path().join("saved.db"),
        dir.path().join("backup.db"),
        dir.path().join("cloned.db"),
    );
    std::fs::write(&backup, "to be replaced").unwrap();
    let script = format!(
        ".save {}\n.backup main {}\n.clone {}\n.clone {}\n",
        saved.display(),
        backup.display(),
        cloned.display(),
        cloned.display()
    );
    let out = ours(db, &[], &script);
    out.fails(1, "already exists");
    assert!(
        out.stdout.starts_with("t... done\np... done\n"),
        "{}",
        out.stdout
    );
    let (_, want) = sqlite3(db.path(), &[".dump", "PRAGMA user_version"], "");
    for copy in [&saved, &backup, &cloned] {
        let (code, got) = sqlite3(copy, &[".dump", "PRAGMA user_version"], "");
        assert_eq!(
            (code, got.as_str()),
            (0, want.as_str()),
            "{}",
            copy.display()
        );
    }
    let out = ours(db, &[], ".restore x.db\n.load x.so\n.limit\n");
    if db.backend == Backend::Local {
        out.fails(1, "cannot restore from x.db");
    } else {
        for what in [".restore", ".load", ".limit"] {
            assert!(
                out.stderr
                    .contains(&format!("{what} is not possible on a remote database")),
                "{}",
                out.stderr
            );
        }
    }
}

/// `.import` as sqlite3 does it: into an existing table every row is data (`--skip N`
/// drops a header), a missing table takes its `TEXT` columns from the first row, a short row
/// is filled with NULL and a long one cut, with sqlite3's warnings; the separator is `,`
/// with `--csv`, else the output mode's (`|` for list, `.separator`, `,` for csv).
fn import_matches_sqlite3(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let nohdr = file("nohdr.csv", "5,eve,z\n");
    let hdr = file("hdr.csv", "id,name,note\n1,al,x\n2,\"b,o\",\"y\n2\"\n");
    let ragged = file("ragged.csv", "1,a\n2,b,c,d\n3,c,x\n");
    let pipe = file("pipe.csv", "a|b\n1|\"x|y\"\n");
    let semi = file("semi.csv", "a;b\n1;\"x;y\"\n2;z\n");
    let script = format!(
        "CREATE TABLE ex(id, name, note);
.import --csv {nohdr} ex
.import --csv --skip 1 {hdr} ex
.import --csv {ragged} ex
.import --csv {hdr} newt
.import --csv {ragged} newt
.import {pipe} pip
.separator ;
.import {semi} semi
.import --csv {hdr} semi2
.mode csv
.import {hdr} com
.mode list
.separator |
SELECT *, typeof(note) FROM ex;
SELECT * FROM newt;
SELECT * FROM pip;
SELECT * FROM semi;
SELECT * FROM semi2;
SELECT * FROM com;
SELECT name, sql FROM sqlite_schema ORDER BY name;
"
    );
    let reference = dir.path().join("reference.db");
    let (code, want, want_err) = sqlite3_with_stderr(&reference, &[], &script);
    assert_eq!(code, 0, "{want_err}");
    assert!(want.starts_with("5|eve|z|text\n1|al|x|text\n"), "{want}");
    assert!(want_err.contains("found 2 - filling the rest with NULL"));
    let got = ours(db, &[], &script);
    assert_eq!(
        (got.code, got.stdout.as_str(), got.stderr.as_str()),
        (0, want.as_str(), want_err.as_str()),
        "{:?}",
        db.backend
    );
}

/// The csv mode writes the column separator and quotes a field holding it (`,` only when it
/// is the separator), through `.separator`, `-separator` (before or after `-csv`, which sets
/// `,` as in sqlite3) and `exec --separator`.
fn csv_separator_matches_sqlite3(db: &Db) {
    db.sql(FIXTURE);
    let select = "SELECT 1 AS \"x;y\", 'a;b', 'a,b', '', NULL, s FROM t WHERE id < 4 ORDER BY id";
    same_as_sqlite3(
        db,
        &[],
        &format!(".mode csv\n.headers on\n.separator ;\n{select};\n.separator \", \"\n{select};\n"),
    );
    for args in [
        &["-csv", "-separator", ";"][..],
        &["-separator", ";", "-csv"],
        &["-separator", ";", "-tabs"],
        &["-header", "-csv", "-separator", "|"],
    ] {
        let mut a = args.to_vec();
        a.push(select);
        same_as_sqlite3(db, &a, "");
    }
    let (_, want) = sqlite3(db.path(), &["-csv", "-separator", ";", select], "");
    let got = db
        .exec(["-m", "csv", "--no-header", "--separator", ";", select])
        .run();
    assert_eq!(got.ok(), want);
}

/// On/off arguments as sqlite3's booleanValue reads them (`YES`, `0x0`, `2`; anything else is
/// "no", with sqlite3's warning); `.eqp trigger` and `.eqp full` are accepted.
fn on_off_arguments_match_sqlite3(db: &Db) {
    db.sql(FIXTURE);
    let script = ".headers YES\nSELECT 1 AS a;\n.headers 0x0\nSELECT 2 AS b;\n.headers maybe\n\
                  SELECT 3 AS c;\n.headers 2\nSELECT 4 AS d;\n.headers -1\nSELECT 5 AS e;\n\
                  .echo 1\nSELECT 6 AS f;\n.echo No\n.timer OFF\n.bail no\n.changes 0x\n\
                  .headers 4294967296\nSELECT 7 AS g;\n.eqp trigger\nSELECT * FROM c JOIN p ON p.id = c.pid;\n\
                  .eqp off\nSELECT 8;\n";
    same_as_sqlite3(db, &[], script);
    let out = ours(db, &[], script);
    assert_eq!(
        out.stderr,
        "ERROR: Not a boolean value: \"maybe\". Assuming \"no\".\n\
         ERROR: Not a boolean value: \"-1\". Assuming \"no\".\n"
    );
    // `full` shows the plan (sqlite3 adds the bytecode, a listed difference).
    let out = ours(db, &[], ".eqp full\nSELECT 1;\n");
    assert_eq!(out.ok(), "QUERY PLAN\n`--SCAN CONSTANT ROW\n1\n");
}

/// C escapes in unquoted and double-quoted dot-command arguments, not in single-quoted ones;
/// quotes as sqlite3 splits them (no doubling; an open quote runs to the end of the line).
fn dot_arguments_are_split_and_unescaped_as_sqlite3_does(db: &Db) {
    db.sql(FIXTURE);
    for script in [
        ".separator \\t\nSELECT 1, 2;\n.separator , \"\\r\\n\"\nSELECT 3, 4;\nSELECT 5, 6;\n",
        ".print a\\tb \"c\\td\" 'e\\tf' 'it''s' \\101\\102\\7 \\q \\\\ end\\\n",
        ".print \"q\\\"q\" \"a b\"c a\"b c\"\n.print \"unterminated\n.print 'open\\t\n",
        ".nullvalue \\x\\N\nSELECT NULL;\n.mode tabs\n.separator ;\\\\\nSELECT 1, 2;\n",
    ] {
        same_as_sqlite3(db, &[], script);
    }
}

/// `.parameter set` evaluates VALUE as sqlite3 does (an SQL expression when it prepares, else
/// text; a value may start with `-`); `list` is sorted by name, `init` is accepted.
fn parameters_match_sqlite3(db: &Db) {
    db.sql(FIXTURE);
    let script = ".parameter set :g -5\n.parameter set :h 0x10\n.parameter set :a 1+1\n\
                  .parameter set $b abc\n.parameter set @c \"'txt'\"\n.parameter set :d 1.5\n\
                  .parameter set :e NULL\n.parameter set :f x'00ff'\n\
                  .parameter set :y \"1); SELECT 5; --\"\n.parameter set :long_name_here 2\n\
                  .parameter set :n \"(SELECT count(*) FROM t)\"\n.parameter init\n.parameter list\n\
                  SELECT :g, :h, :a, $b, @c, :d, :e, typeof(:f), :y, :n;\n\
                  .parameter unset :a\n.parameter set :g 'x y'\n.param list\n.parameter clear\n.parameter list\n";
    same_as_sqlite3(db, &[], script);
}

/// `.changes on`: sqlite3's line after each chunk of input that ran without error, SELECT
/// included, into the current output; writes buffered in a transaction are counted when
/// their chunk ends.
fn changes_match_sqlite3(db: &Db) {
    let script = "DROP TABLE IF EXISTS ct;\nDROP TABLE IF EXISTS cu;\nCREATE TABLE ct(a);\n.changes on\nINSERT INTO ct VALUES (1), (2);\nSELECT 1;\n\
                  INSERT INTO ct VALUES (3); INSERT INTO ct VALUES (4), (5), (6);\nDELETE FROM ct;\n\
                  .changes yes\nUPDATE ct SET a = 1;\nSELECT 2;\nBEGIN;\nINSERT INTO ct VALUES (1);\n\
                  UPDATE ct SET a = 5 WHERE 0;\nCREATE TABLE cu(x);\nCOMMIT;\nINSERT INTO ct\n VALUES (7);\n\
                  .once '|tr a-z A-Z'\nSELECT 'piped';\n.changes off\nINSERT INTO ct VALUES (8);\n";
    same_as_sqlite3(db, &[], script);
}

/// `.once '|cmd'` and `.output |cmd args`: the output goes into `sh -c cmd`.
fn output_into_a_command_matches_sqlite3(db: &Db) {
    let script =
        ".once |tr a-z A-Z\nSELECT 'abc';\nSELECT 'def';\n.once '|sed s/x/Y/'\nSELECT 'xx';\n\
                  .output | cat -n\nSELECT 'one';\nSELECT 'two';\n.output\nSELECT 'back';\n\
                  .once \"|cat\" -\nSELECT 'dash';\n";
    same_as_sqlite3(db, &[], script);
}

/// A failing -cmd is reported and the shell goes on, exiting 0 (1 under -bail), as sqlite3.
fn failing_cmd_exits_as_sqlite3_does(db: &Db) {
    same_as_sqlite3(db, &["-cmd", "SELECT * FROM nope", "SELECT 1"], "");
    same_as_sqlite3(db, &["-cmd", ".headers"], "SELECT 2;\n");
    let args = ["-bail", "-cmd", "SELECT * FROM nope", "SELECT 1"];
    let (code, want) = sqlite3(db.path(), &args, "");
    assert_eq!(code, 1);
    let got = ours(db, &args, "");
    got.fails(1, "no such table: nope");
    assert_eq!(got.stdout, want);
}

on_every_transport!(
    import_matches_sqlite3,
    csv_separator_matches_sqlite3,
    default_piped_output_is_sqlite3s,
    sqlite3_options_match_sqlite3,
    every_mode_matches_sqlite3,
    a_script_with_an_error_continues_and_exits_1,
    timer_prints_real_user_sys,
    dot_commands_match_sqlite3,
    sha3sum_matches_sqlite3,
    copies_into_local_files,
    on_off_arguments_match_sqlite3,
    dot_arguments_are_split_and_unescaped_as_sqlite3_does,
    parameters_match_sqlite3,
    changes_match_sqlite3,
    output_into_a_command_matches_sqlite3,
    failing_cmd_exits_as_sqlite3_does,
);

#[test]
fn local_only_commands_work_locally() {
    let db = fixture(Backend::Local);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    rusqlite::Connection::open(&copy)
        .unwrap()
        .execute_batch("CREATE TABLE restored(x); INSERT INTO restored VALUES (42);")
        .unwrap();
    let script = format!(
        ".limit column 100\n.limit col\n.restore {}\nSELECT x FROM restored;\n.tables\n",
        copy.display()
    );
    let out = ours(&db, &[], &script);
    assert_eq!(
        out.ok(),
        "              column 100\n              column 100\n42\nrestored\n"
    );
    let out = ours(&db, &[], ".load /no/such/extension\n");
    out.fails(1, "Error");
}

#[test]
fn dbinfo_version_crlf_testcase() {
    let db = fixture(Backend::Local);
    let dir = tempfile::tempdir().unwrap();
    let out = shell()
        .arg("--no-init")
        .arg(db.path())
        .current_dir(dir.path())
        .stdin(
            ".dbinfo\n.version\n.crlf on\nSELECT 1;\n.crlf off\n.testcase one\nSELECT 2;\n.check 2*\n\
             .testcase two\nSELECT 3;\n.check 4\n",
        )
        .run();
    out.fails(1, "testcase-two FAILED\n Expected: [4]\n      Got: [3\n]");
    let text = &out.stdout;
    assert!(text.starts_with("database page size:  4096\n"), "{text}");
    assert!(text.contains("number of tables:    4\n"), "{text}");
    assert!(text.contains("number of views:     1\n"), "{text}");
    assert!(text.contains("\nSQLite 3."), "{text}");
    assert!(text.contains("\nlibsql-shell "), "{text}");
    assert!(text.contains("\n1\r\ntestcase-one ok\n"), "{text}");
}

#[test]
fn excel_and_www_open_the_next_output() {
    let db = fixture(Backend::Local);
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen");
    let opener = dir.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\ncat \"$1\" >> {}\n", seen.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let out = shell()
        .arg("--no-init")
        .arg(db.path())
        .env("PATH", &path)
        .env("TMPDIR", &dir.path().display().to_string())
        .stdin(
            ".excel\nSELECT id, s FROM t WHERE id < 3;\nSELECT 'back';\n.www\nSELECT 1 AS one;\n",
        )
        .run();
    assert_eq!(out.ok(), "back\n");
    let seen = std::fs::read_to_string(&seen).unwrap();
    assert!(
        seen.starts_with("id,s\n1,\"x y\"\n2,\"it's \"\"q\"\"\nnl\"\n<!DOCTYPE html>"),
        "{seen}"
    );
    assert!(
        seen.contains("<TR><TH>one</TH>\n</TR>\n<TR><TD>1</TD>\n</TR>\n</TABLE>"),
        "{seen}"
    );
}

#[test]
fn startup_file_and_its_options() {
    let db = fixture(Backend::Local);
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".libsql-shellrc"),
        ".mode csv\n.headers on\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        shell()
            .env("HOME", &home.path().to_string_lossy())
            .args(args)
            .arg(db.path())
            .arg("SELECT 1 AS a")
            .run()
    };
    assert_eq!(run(&[]).ok(), "a\r\n1\r\n");
    assert_eq!(run(&["-noinit"]).ok(), "1\n");
    let other = home.path().join("other");
    std::fs::write(&other, ".mode line\n").unwrap();
    assert_eq!(
        run(&["-init", &other.to_string_lossy()]).ok(),
        "    a = 1\n"
    );
    let out = run(&["-init", "/no/such/file"]);
    out.fails(2, "cannot read /no/such/file");
}

#[test]
fn readonly_opens_local_files_read_only_and_refuses_remote() {
    let db = fixture(Backend::Local);
    let out = shell()
        .args(["-readonly", "--no-init"])
        .arg(db.path())
        .args([".databases", "INSERT INTO t(i) VALUES (1)", ".databases"])
        .run();
    out.fails(1, "readonly");
    // sqlite3 stops at the argument that failed: one `.databases` line.
    assert!(out.stdout.ends_with(" r/o\n"), "{}", out.stdout);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    let remote = Db::new(Backend::Http);
    let out = shell()
        .args(["-readonly", &remote.target(), "SELECT 1"])
        .run();
    out.fails(2, "read-only token");
}

#[test]
fn sqlite3_flags_reach_exec_too() {
    let db = fixture(Backend::Local);
    let (_, want) = sqlite3(db.path(), &["-csv", "-header", QUERY], "");
    assert_eq!(db.exec(["-csv", "-header", QUERY]).run().ok(), want);
    let (_, want) = sqlite3(db.path(), &["-quote", QUERY], "");
    assert_eq!(db.exec(["-quote", QUERY]).run().ok(), want);
}
