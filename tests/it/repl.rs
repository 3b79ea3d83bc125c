//! The interactive shell on a pseudo-terminal: the real binary, driven key by key.

use std::path::Path;
use std::process::Command;

use rexpect::session::{spawn_command, PtySession};

use crate::harness::{Backend, Db};

const TIMEOUT_MS: u64 = 10_000;

pub fn spawn(dir: &Path, target: &str, history: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_libsql-shell"));
    cmd.arg(target)
        .current_dir(dir)
        .env("LIBSQL_SHELL_HISTORY", history)
        .env("TERM", "xterm");
    for k in [
        "LIBSQL_URL",
        "TURSO_DATABASE_URL",
        "LIBSQL_AUTH_TOKEN",
        "TURSO_AUTH_TOKEN",
    ] {
        cmd.env_remove(k);
    }
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("spawn on a pty");
    p.exp_string("Enter \".help\" for usage hints.").unwrap();
    p
}

fn local() -> (tempfile::TempDir, PtySession) {
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("history");
    let p = spawn(dir.path(), "t.db", &hist);
    (dir, p)
}

#[test]
fn multi_line_statement_with_continuation_prompt() {
    let (_d, mut p) = local();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".mode list").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line("SELECT 40").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line("  + 2;").unwrap();
    p.exp_string("42").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_cancels_input_and_interrupts_a_query() {
    let (_d, mut p) = local();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".mode list").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send("SELECT 'never'").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line("SELECT 'after ' || 'cancel';").unwrap();
    p.exp_string("after cancel").unwrap();
    p.exp_string("t.db> ").unwrap();
    // A query that would run for minutes; Ctrl-C interrupts it and the shell carries on.
    p.send_line(
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c;",
    )
    .unwrap();
    // The line editor has handed the line over (bracketed paste off); a Ctrl-C from here on
    // is a signal, and it stays pending until the statement sees it.
    p.exp_string("\x1b[?2004l").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line("SELECT 'still here';").unwrap();
    // The result line, not the echo of the query; then the prompt: keys typed before the
    // line editor is back in raw mode are discarded by the terminal.
    p.exp_string("still here\r\n").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn history_persists_across_runs_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("state").join("history");
    let mut p = spawn(dir.path(), "t.db", &hist);
    p.exp_string("t.db> ").unwrap();
    p.send_line("SELECT 'remembered' AS r;").unwrap();
    p.exp_string("remembered").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
    let text = std::fs::read_to_string(&hist).unwrap();
    assert!(text.contains("SELECT 'remembered' AS r;"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hist).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let mut p = spawn(dir.path(), "t.db", &hist);
    p.exp_string("t.db> ").unwrap();
    p.send_line(".mode list").unwrap();
    p.exp_string("t.db> ").unwrap();
    // Ctrl-P (previous history, no escape-sequence timing) three times: past `.mode list`
    // and the first run's `.quit` to its statement.
    p.send("\x10\x10\x10").unwrap();
    p.send_line("").unwrap();
    p.exp_string("remembered\r\n").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn corrupt_history_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("history-is-a-dir");
    std::fs::create_dir(&hist).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_libsql-shell"));
    cmd.arg("t.db")
        .current_dir(dir.path())
        .env("LIBSQL_SHELL_HISTORY", &hist)
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).unwrap();
    p.exp_string("Warning: cannot read history").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_string("Warning: cannot write history").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn completes_a_table_name() {
    let (dir, mut p) = local();
    p.exp_string("t.db> ").unwrap();
    p.send_line("CREATE TABLE customers(id, email_address);")
        .unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".mode list").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send("SELECT count(*) FROM custo\t").unwrap();
    p.flush().unwrap();
    p.exp_string("customers").unwrap();
    p.send_line(";").unwrap();
    p.exp_string("0").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send("SELECT email_ad\t").unwrap();
    p.flush().unwrap();
    p.exp_string("email_address").unwrap();
    p.send_line(" FROM customers;").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
    drop(dir);
}

#[test]
fn mode_switch_and_transaction_marker_in_the_prompt() {
    let (_d, mut p) = local();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".mode csv").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line("SELECT 1 AS a, 'x y' AS b;").unwrap();
    p.exp_string("a,b").unwrap();
    p.exp_string("1,\"x y\"").unwrap();
    // Always wait for the next prompt before typing: input typed while a statement runs is
    // discarded when the line editor takes the terminal back.
    p.exp_string("t.db> ").unwrap();
    p.send_line("CREATE TABLE t(x);").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line("BEGIN;").unwrap();
    p.exp_string("t.db [tx]> ").unwrap();
    p.send_line("INSERT INTO t VALUES (1);").unwrap();
    p.exp_string("t.db [tx, 1 pending]> ").unwrap();
    p.send_line("SELECT count(*) AS n FROM t;").unwrap();
    p.exp_string("t.db [tx]> ").unwrap();
    p.send_line("ROLLBACK;").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn remote_prompt_costs_one_request_per_transaction_and_per_schema_change() {
    let db = Db::new(Backend::Http);
    db.sql("CREATE TABLE accounts(id, balance)");
    let server = db.server();
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), &db.target(), &dir.path().join("h"));
    p.exp_string("127.0.0.1> ").unwrap();
    server.reset_counters();
    p.send_line("BEGIN;").unwrap();
    p.exp_string("127.0.0.1 [tx]> ").unwrap();
    p.send_line("INSERT INTO accounts VALUES (1, 10);").unwrap();
    p.exp_string("[tx, 1 pending]> ").unwrap();
    p.send_line("INSERT INTO accounts VALUES (2, 20);").unwrap();
    p.exp_string("[tx, 2 pending]> ").unwrap();
    p.send_line("COMMIT;").unwrap();
    p.exp_string("127.0.0.1> ").unwrap();
    assert_eq!(server.requests(), 1, "BEGIN / INSERT / INSERT / COMMIT");
    server.reset_counters();
    p.send("SELECT * FROM acc\t").unwrap();
    p.flush().unwrap();
    p.exp_string("accounts").unwrap();
    p.send("\x15").unwrap(); // Ctrl-U: clear the line
    p.send("SELECT bala\t").unwrap();
    p.flush().unwrap();
    p.exp_string("balance").unwrap();
    p.send("\x15").unwrap();
    p.send("SELECT * FROM acc\t").unwrap();
    p.flush().unwrap();
    p.exp_string("accounts").unwrap();
    p.send("\x15").unwrap();
    p.send_line("").unwrap();
    // The new prompt, not Ctrl-U's redraw of the old one: keys typed before the line editor
    // is back in raw mode (where it turns bracketed paste on) are dropped by the terminal, so
    // `.quit` waits for that.
    p.exp_string("\x1b[?2004h").unwrap();
    p.exp_string("127.0.0.1> ").unwrap();
    assert_eq!(
        server.requests(),
        1,
        "names are read once per schema change"
    );
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn batch_shows_progress_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.sql");
    let mut text = String::from("CREATE TABLE t(x);\n");
    for i in 0..20_000 {
        text.push_str(&format!("INSERT INTO t VALUES ({i});\n"));
    }
    std::fs::write(&file, text).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_libsql-shell"));
    cmd.arg("batch")
        .arg("t.db")
        .arg(&file)
        .current_dir(dir.path())
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).unwrap();
    p.exp_string("libsql-shell: 20000 statements sent...")
        .unwrap();
    p.exp_eof().unwrap();
    let c = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 20_000);
}

#[test]
fn banner_names_the_engine_and_completion_offers_libsql_words() {
    let dir = tempfile::tempdir().unwrap();
    let hist = dir.path().join("history");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_libsql-shell"));
    cmd.arg("t.db")
        .current_dir(dir.path())
        .env("LIBSQL_SHELL_HISTORY", &hist)
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).unwrap();
    p.exp_string("connected to t.db (libSQL 0.").unwrap();
    p.exp_string(", SQLite 3.").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send("CREATE TABLE v(e F32_BL\t").unwrap();
    p.flush().unwrap();
    p.exp_string("F32_BLOB").unwrap();
    p.send_line("(2));").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".mode list").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send("SELECT vector_distance_c\t").unwrap();
    p.flush().unwrap();
    p.exp_string("vector_distance_cos").unwrap();
    p.send_line("(vector32('[1,0]'), vector32('[1,0]'));")
        .unwrap();
    p.exp_string("0.0\r\n").unwrap();
    p.exp_string("t.db> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}
