//! Proves the in-repo Hrana test server against independent, official clients, so the
//! shell's own tests rest on a server that real clients agree with:
//!
//! - the Rust `libsql` crate (`remote` feature): Hrana 3 over HTTP, `/v3/pipeline` for
//!   writes and transactions, `/v3/cursor` for every query, following `base_url`;
//! - `@libsql/client` for Node (`tests/node/check.mjs`): Hrana 2 over HTTP (`/v2/pipeline`,
//!   `store_sql` + `sql_id` in batches) and over WebSocket (`hrana2`). It runs when `node` is
//!   on the PATH and `tests/node/node_modules` is installed (`npm ci` in `tests/node`), and
//!   is skipped with a message otherwise.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use libsql::Value;
use serde_json::{json, Value as Json};

use crate::server::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn connect(url: &str, token: &str) -> (libsql::Database, libsql::Connection) {
    let db = libsql::Builder::new_remote(url.to_string(), token.to_string())
        .connector(hyper::client::HttpConnector::new())
        .build()
        .await
        .expect("remote database");
    let conn = db.connect().expect("connection");
    (db, conn)
}

async fn all_rows(conn: &libsql::Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut rows = conn
        .query(sql, ())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.unwrap() {
        out.push(
            (0..row.column_count())
                .map(|i| row.get_value(i).unwrap())
                .collect(),
        );
    }
    out
}

fn count(server: &TestServer, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(server.db_path()).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn official_rust_client_agrees_with_the_server() {
    let server = TestServer::builder()
        .token("secret")
        .base_url_prefix(Some("/sticky"))
        .start();
    runtime().block_on(async {
        let (_db, conn) = connect(&server.http_url(), "secret").await;

        conn.execute("CREATE TABLE t(i INTEGER, r REAL, x TEXT, b BLOB, n)", ()).await.unwrap();
        let n = conn
            .execute(
                "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)",
                libsql::params![i64::MAX, 2.5f64, "héllo", vec![0u8, 1, 255], Value::Null],
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(conn.last_insert_rowid(), 1);
        let rows = all_rows(&conn, "SELECT i, r, x, b, n FROM t").await;
        assert_eq!(
            rows,
            vec![vec![
                Value::Integer(i64::MAX),
                Value::Real(2.5),
                Value::Text("héllo".into()),
                Value::Blob(vec![0, 1, 255]),
                Value::Null
            ]]
        );
        let mut named = conn.query("SELECT :a || '!', typeof(:a)", libsql::named_params! {":a": "x"}).await.unwrap();
        let row = named.next().await.unwrap().unwrap();
        assert_eq!((row.get::<String>(0).unwrap(), row.get::<String>(1).unwrap()), ("x!".into(), "text".into()));
        drop(named);

        // execute_batch: one `batch` request of the statements.
        conn.execute_batch("CREATE TABLE u(x); INSERT INTO u VALUES (1); INSERT INTO u VALUES (2);").await.unwrap();
        assert_eq!(count(&server, "SELECT count(*) FROM u"), 2);
        // A transactional batch that fails is rolled back whole.
        let err = conn
            .execute_transactional_batch("INSERT INTO u VALUES (3); INSERT INTO missing VALUES (4);")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no such table: missing"), "{err}");
        assert_eq!(count(&server, "SELECT count(*) FROM u"), 2);

        // Interactive transactions: BEGIN on its own stream, then ROLLBACK/COMMIT + close.
        let tx = conn.transaction().await.unwrap();
        tx.execute("INSERT INTO u VALUES (10)", ()).await.unwrap();
        assert_eq!(all_rows(&tx, "SELECT count(*) FROM u").await, vec![vec![Value::Integer(3)]]);
        assert_eq!(count(&server, "SELECT count(*) FROM u"), 2, "not visible outside before commit");
        tx.rollback().await.unwrap();
        assert_eq!(count(&server, "SELECT count(*) FROM u"), 2);
        let tx = conn.transaction().await.unwrap();
        tx.execute("INSERT INTO u VALUES (11)", ()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&server, "SELECT count(*) FROM u WHERE x = 11"), 1);

        // A large result, streamed through /v3/cursor.
        conn.execute(
            "CREATE TABLE big AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000) \
             SELECT n, 'row ' || n AS label FROM c",
            (),
        )
        .await
        .unwrap();
        let (before, log_before) = (server.requests(), server.pipeline_log().len());
        let big = all_rows(&conn, "SELECT n, label FROM big ORDER BY n").await;
        let pipelines = &server.pipeline_log()[log_before..];
        // The crate prepares with `describe`, then streams the rows through one cursor.
        assert_eq!(pipelines, [vec!["describe".to_string()]]);
        assert_eq!(server.requests() - before, 2, "one describe pipeline + one cursor for 20,000 rows");
        assert_eq!(big.len(), 20_000);
        assert_eq!(big[19_999], vec![Value::Integer(20_000), Value::Text("row 20000".into())]);
        let sum: i64 = big.iter().map(|r| if let Value::Integer(i) = r[0] { i } else { 0 }).sum();
        assert_eq!(sum, 20_000 * 20_001 / 2);

        let Err(err) = conn.query("SELECT * FROM nope", ()).await else { panic!("no error") };
        assert!(err.to_string().contains("no such table: nope"), "{err}");
    });
    // The client followed base_url after each stream's first response.
    assert!(server.sticky_requests() > 0 && server.sticky_requests() < server.requests());
    assert!(server
        .pipeline_log()
        .iter()
        .any(|p| p.contains(&"get_autocommit".to_string())));

    // A wrong token is refused.
    runtime().block_on(async {
        let (_db, conn) = connect(&server.http_url(), "wrong").await;
        let err = conn.execute("SELECT 1", ()).await.unwrap_err();
        assert!(
            err.to_string().contains("401") || err.to_string().contains("JWT"),
            "{err}"
        );
    });
}

/// Where the Node check lives, and whether it can run here.
fn node_check() -> Result<PathBuf, String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    crate::harness::node_available()?;
    if !dir.join("node_modules/@libsql/client").is_dir() {
        return Err(format!(
            "{} has no node_modules (run `npm ci` there)",
            dir.display()
        ));
    }
    Ok(dir.join("check.mjs"))
}

/// Run the check script against `url`, with a deadline: its JSON summary.
fn run_node(script: &PathBuf, url: &str, token: &str) -> Json {
    let mut child = Command::new("node")
        .arg(script)
        .arg(url)
        .arg(token)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn node");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("node check against {url} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node check failed against {url}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("bad summary {stdout}: {e}"))
}

#[test]
fn official_node_client_agrees_with_the_server() {
    let script = match node_check() {
        Ok(s) => s,
        Err(why) => {
            eprintln!("skipping official_node_client_agrees_with_the_server: {why}");
            return;
        }
    };
    let server = TestServer::builder().token("secret").start();
    for (url, table, protocol) in [
        (server.http_url(), "node_http", "http"),
        (server.ws_url(), "node_ws", "ws"),
    ] {
        let s = run_node(&script, &url, "secret");
        assert_eq!(s["protocol"], protocol, "{s}");
        assert_eq!(
            s["insert"],
            json!({"rowsAffected": 1, "lastInsertRowid": "1"}),
            "{s}"
        );
        assert_eq!(s["select"]["columns"], json!(["i", "r", "t", "b", "n"]));
        assert_eq!(
            s["select"]["row"],
            json!([{"integer": "9223372036854775807"}, 2.5, "héllo", {"blob": [0, 1, 255]}, null]),
            "{s}"
        );
        assert_eq!(
            s["batch"],
            json!({"results": 3, "countInBatch": "3"}),
            "{s}"
        );
        assert_eq!(
            s["failedBatch"]["countAfter"], "3",
            "a failed batch is rolled back: {s}"
        );
        assert_eq!(s["rollback"], json!({"inside": "4", "after": "3"}), "{s}");
        assert_eq!(s["commit"], json!({"after": "4"}), "{s}");
        assert_eq!(s["error"]["code"], "SQLITE_UNKNOWN", "{s}");
        assert_eq!(count(&server, &format!("SELECT count(*) FROM {table}")), 4);
    }
    // Over HTTP the batch went out as store_sql… + batch in one pipeline; over WebSocket the
    // client negotiated hrana2.
    let log = server.pipeline_log();
    assert!(
        log.iter()
            .any(|p| p.first().map(String::as_str) == Some("store_sql")
                && p.contains(&"batch".to_string())),
        "{log:?}"
    );
    assert!(
        log.iter().flatten().all(|t| t != "get_autocommit"),
        "Hrana 2 only: {log:?}"
    );
    assert_eq!(server.ws_handshakes(), vec![Some("hrana2".to_string())]);
}

/// A token the server refuses makes the Node client fail, over HTTP and WebSocket alike.
#[test]
fn official_node_client_sees_auth_failures() {
    let Ok(script) = node_check() else {
        eprintln!("skipping official_node_client_sees_auth_failures: node or node_modules missing");
        return;
    };
    let server = TestServer::builder().token("secret").start();
    for url in [server.http_url(), server.ws_url()] {
        let out = Command::new("node")
            .arg(&script)
            .arg(&url)
            .arg("wrong")
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "{url}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("401") || err.contains("JWT") || err.contains("uthenticat"),
            "{url}: {err}"
        );
    }
}
