//! Results larger than one response: on a Hrana 3 server they stream through a cursor
//! (HTTP `/v3/cursor`, WebSocket `open_cursor`/`fetch_cursor`) after the server refused the
//! one-request batch as too large, with output byte-identical to `sqlite3 -csv`; small
//! queries still cost one request; a cursor cut short fails with the incomplete-output
//! message; a Hrana 2 server's refusal says what to do instead. The test servers here cap
//! responses at a few kilobytes, so a few thousand rows stand for millions.

use crate::dump::sqlite3;
use crate::harness::{shell, Backend, REMOTE_BACKENDS};
use crate::server::{CursorFault, TestServer, Versions};

/// Response cap of the test servers here (bytes of estimated JSON).
const CAP: usize = 20_000;
/// Rows of the big table: about 15 times the cap.
const ROWS: usize = 3_000;
const BIG: &str = "SELECT * FROM big";

fn big_server(versions: Versions) -> TestServer {
    let s = TestServer::builder()
        .versions(versions)
        .max_response_size(CAP)
        .start();
    rusqlite::Connection::open(s.db_path())
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE big(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER);
             CREATE TABLE log(x);
             WITH RECURSIVE c(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM c WHERE v < {ROWS})
             INSERT INTO big SELECT v, 'name-' || v || ', \"q\"', v * 0.25, v * 7 FROM c;"
        ))
        .unwrap();
    s
}

fn url(s: &TestServer, backend: Backend) -> String {
    match backend {
        Backend::Http => s.http_url(),
        _ => s.ws_url(),
    }
}

/// `sqlite3 -csv -header` of `sql` on the server's file.
fn reference(s: &TestServer, sql: &str) -> String {
    sqlite3(&s.db_path(), &["-csv", "-header", sql], None)
}

/// Equal texts, or a failure naming the first line that differs (the outputs are long).
#[track_caller]
fn assert_same(got: &str, want: &str) {
    if got == want {
        return;
    }
    let line = got
        .lines()
        .zip(want.lines())
        .position(|(g, w)| g != w)
        .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
    panic!(
        "outputs differ at line {} ({} vs {} bytes): got {:?}, want {:?}",
        line + 1,
        got.len(),
        want.len(),
        got.lines().nth(line),
        want.lines().nth(line)
    );
}

fn count(s: &TestServer, table: &str) -> i64 {
    rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_big_select_streams_byte_identical_to_sqlite3() {
    for &backend in REMOTE_BACKENDS {
        let s = big_server(Versions::V3);
        let want = reference(&s, BIG);
        assert!(want.len() > 5 * CAP, "the result must not fit one response");
        s.reset_counters();
        let out = shell()
            .args(["exec", "-m", "csv", &url(&s, backend), BIG])
            .run();
        assert_same(out.ok(), &want);
        match backend {
            // The refused pipeline, the cursor, then get_autocommit + close.
            Backend::Http => assert_eq!(s.requests(), 3, "{backend:?}"),
            _ => {
                let log = s.ws_log();
                assert_eq!(
                    &log[..6],
                    [
                        "open_stream",
                        "batch",
                        "get_autocommit",
                        "close_stream",
                        "open_stream",
                        "open_cursor"
                    ],
                    "{log:?}"
                );
                assert!(log.iter().filter(|m| *m == "fetch_cursor").count() > 1);
                assert_eq!(
                    &log[log.len() - 3..],
                    ["close_cursor", "get_autocommit", "close_stream"]
                );
            }
        }
        assert_eq!(s.open_streams(), 0, "{backend:?}");
    }
    // --trace shows the cursor as one round trip.
    let s = big_server(Versions::V3);
    let out = shell()
        .args(["exec", "--trace", "-m", "csv", &s.http_url(), BIG])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let cursor = out
        .stderr
        .lines()
        .find(|l| l.contains("/v3/cursor"))
        .unwrap();
    assert!(
        cursor.contains("(hrana3 cursor) 1 request(s), 1 statement(s)"),
        "{cursor}"
    );
}

#[test]
fn small_queries_still_cost_one_request() {
    for &backend in REMOTE_BACKENDS {
        let s = big_server(Versions::V3);
        s.reset_counters();
        let out = shell()
            .args(["exec", "-m", "csv", &url(&s, backend)])
            .args([
                "SELECT * FROM big LIMIT 3",
                "SELECT count(*) FROM big; INSERT INTO log VALUES (1)",
            ])
            .run();
        assert_same(
            out.ok(),
            &reference(&s, "SELECT * FROM big LIMIT 3; SELECT count(*) FROM big"),
        );
        match backend {
            Backend::Http => assert_eq!(s.requests(), 1),
            _ => assert_eq!(
                s.ws_log(),
                ["open_stream", "batch", "get_autocommit", "close_stream"]
            ),
        }
    }
}

#[test]
fn a_piped_shell_session_and_a_once_file_stream_too() {
    for &backend in REMOTE_BACKENDS {
        let s = big_server(Versions::V3);
        let want = reference(&s, BIG);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("once.csv");
        let script = format!(
            ".mode csv\n.headers on\n{BIG};\n.once {}\n{BIG};\nSELECT count(*) AS n FROM big;\n",
            file.display()
        );
        let out = shell().arg(url(&s, backend)).stdin(script).run();
        // The shell's `.mode csv` ends rows with CR LF, as sqlite3's does.
        let want = want.replace('\n', "\r\n");
        let mut both = want.clone();
        both.push_str("n\r\n3000\r\n");
        assert_same(out.ok(), &both);
        assert_same(&std::fs::read_to_string(&file).unwrap(), &want);
        assert_eq!(s.open_streams(), 0);
    }
}

#[test]
fn writes_before_the_big_query_run_once() {
    for &backend in REMOTE_BACKENDS {
        let s = big_server(Versions::V3);
        // Stop mode (exec) and keep-going mode (a piped script).
        let out = shell()
            .args(["exec", "-m", "csv", &url(&s, backend)])
            .arg(format!(
                "INSERT INTO log VALUES (1); {BIG}; INSERT INTO log VALUES (2)"
            ))
            .run();
        assert_same(out.ok(), &reference(&s, BIG));
        assert_eq!(count(&s, "log"), 2, "{backend:?}");
        let out = shell()
            .arg(url(&s, backend))
            .stdin(format!(".mode csv\nINSERT INTO log VALUES (3);\n{BIG};\n"))
            .run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stderr.contains("statements 1 to 1 ran"),
            "{}",
            out.stderr
        );
        assert_eq!(count(&s, "log"), 3, "{backend:?}");
    }
}

#[test]
fn a_transaction_streams_on_its_own_stream() {
    for &backend in REMOTE_BACKENDS {
        let s = big_server(Versions::V3);
        // Sent whole and rolled back by the refused pipeline's close: again from BEGIN.
        let out = shell()
            .args(["exec", "-m", "csv", &url(&s, backend)])
            .arg(format!(
                "BEGIN; INSERT INTO big(name) VALUES ('new'); {BIG}; COMMIT"
            ))
            .run();
        let want = reference(&s, BIG);
        assert!(want.ends_with(",new,,\n"), "the insert is in the result");
        assert_same(out.ok(), &want);
        assert_eq!(count(&s, "big"), ROWS as i64 + 1, "inserted once");

        // Flushed before a dot-command on the stream kept for the transaction: the cursor
        // runs on that stream and sees the uncommitted row.
        let script = format!(
            ".mode csv\nBEGIN;\nINSERT INTO big(name) VALUES ('newer');\n{BIG};\n.print done\nROLLBACK;\n"
        );
        let out = shell().arg(url(&s, backend)).stdin(script).run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        // Keep-going mode: what BEGIN and INSERT reported was in the refused answer.
        assert!(
            out.stderr.contains("statements 1 to 2 ran"),
            "{}",
            out.stderr
        );
        let got = &out.stdout;
        assert!(
            got.ends_with(",newer,,\r\ndone\n"),
            "{}",
            &got[got.len() - 60..]
        );
        assert_eq!(count(&s, "big"), ROWS as i64 + 1, "rolled back");
        assert_eq!(s.open_streams(), 0);
    }
}

#[test]
fn a_big_query_sent_with_writes_between_queries_is_refused_with_advice() {
    for &backend in REMOTE_BACKENDS {
        let s = big_server(Versions::V3);
        let out = shell()
            .args(["exec", "-m", "csv", &url(&s, backend)])
            .arg(format!("SELECT 1; INSERT INTO log VALUES (1); {BIG}"))
            .run();
        let err = out.fails(1, "RESPONSE_TOO_LARGE");
        assert!(err.contains("run the large query on its own"), "{err}");
    }
}

#[test]
fn a_hrana2_server_says_what_to_do_instead() {
    for &backend in REMOTE_BACKENDS {
        let s = big_server(Versions::V2Only);
        let out = shell()
            .args(["exec", "-m", "csv", &url(&s, backend), BIG])
            .run();
        let err = out.fails(1, "RESPONSE_TOO_LARGE");
        for hint in ["cursors need Hrana 3", "LIMIT", "libsql-shell dump"] {
            assert!(err.contains(hint), "{hint}: {err}");
        }
        assert!(out.stdout.is_empty());
    }
}

/// Run the big query with a cursor fault and return the result.
fn cut(backend: Backend, fault: CursorFault) -> crate::harness::Output {
    let s = big_server(Versions::V3);
    s.cursor_fault_next(fault);
    let out = shell()
        .args(["exec", "-m", "csv", &url(&s, backend), BIG])
        .run();
    assert!(!out.stdout.is_empty(), "rows before the cut were written");
    assert!(
        reference(&s, BIG).starts_with(&out.stdout),
        "a prefix of the result"
    );
    out
}

#[test]
fn a_connection_dropped_mid_cursor_is_incomplete_output() {
    for &backend in REMOTE_BACKENDS {
        let out = cut(backend, CursorFault::DropAfterRows(1_000));
        let err = out.fails(2, "the output is incomplete: the result of statement 1");
        assert!(
            err.contains("connection") || err.contains("closed"),
            "{err}"
        );
    }
}

#[test]
fn a_cursor_without_its_final_entry_is_incomplete_output() {
    for &backend in REMOTE_BACKENDS {
        let out = cut(backend, CursorFault::OmitFinal);
        let err = out.fails(2, "the output is incomplete");
        assert!(err.contains("cut short"), "{err}");
        // Every row arrived, but the cursor cannot be told complete.
        assert_eq!(out.stdout.lines().count(), ROWS + 1);
    }
}

#[test]
fn a_step_error_after_rows_is_incomplete_output() {
    for &backend in REMOTE_BACKENDS {
        let out = cut(backend, CursorFault::StepErrorAfterRows(500));
        let err = out.fails(
            1,
            "the output is incomplete: 500 row(s) were written before this error: disk I/O error",
        );
        assert!(err.contains("SQLITE_IOERR"), "{err}");
        assert_eq!(out.stdout.lines().count(), 501);
    }
}
