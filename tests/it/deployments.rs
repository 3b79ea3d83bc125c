//! The deployments users grow into: a multi-tenant sqld (namespaces), encrypted Turso
//! databases (a key on every request), and servers that refuse WebSocket. The test server
//! serves namespaces as sqld does with `--enable-namespaces` and logs every request's
//! headers, so what goes on the wire is asserted, not assumed.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;

use crate::harness::{shell, Backend, Output, REMOTE_BACKENDS};
use crate::server::TestServer;

const KEY: &str = "SECRET-KEY-b64+/=";

fn tenants() -> TestServer {
    TestServer::builder()
        .namespaces(&["alpha", "beta"])
        .disable_default_namespace(true)
        .start()
}

fn url(s: &TestServer, backend: Backend) -> String {
    match backend {
        Backend::Ws => s.ws_url(),
        _ => s.http_url(),
    }
}

/// One column of a query on a namespace's file.
fn rows(s: &TestServer, ns: &str, sql: &str) -> Vec<String> {
    let c = rusqlite::Connection::open(s.namespace_path(ns)).unwrap();
    let mut st = c.prepare(sql).unwrap();
    let r = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
    r.map(Result::unwrap).collect()
}

#[track_caller]
fn no_key(out: &Output) {
    assert!(
        !out.stdout.contains(KEY) && !out.stderr.contains(KEY),
        "the key leaked: {out:?}"
    );
}

#[test]
fn two_namespaces_are_isolated_and_each_way_of_naming_one_reaches_it() {
    for &backend in REMOTE_BACKENDS {
        let s = tenants();
        let u = url(&s, backend);
        shell()
            .args(["exec", "--namespace", "alpha", &u])
            .arg("create table t(x); insert into t values ('from alpha')")
            .run()
            .ok();
        shell()
            .args([
                "exec",
                &u,
                "create table t(x); insert into t values ('from beta')",
            ])
            .env("LIBSQL_NAMESPACE", "beta")
            .run()
            .ok();
        assert_eq!(rows(&s, "alpha", "select x from t"), ["from alpha"]);
        assert_eq!(rows(&s, "beta", "select x from t"), ["from beta"]);

        // A named connection's namespace; the flag wins over the variable.
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.toml");
        fs::write(
            &cfg,
            format!("[databases.tenant]\nurl = \"{u}\"\nnamespace = \"alpha\"\n"),
        )
        .unwrap();
        let out = shell()
            .args(["exec", "--config", cfg.to_str().unwrap(), "@tenant"])
            .args(["-m", "list", "select x from t"])
            .run();
        assert_eq!(out.ok(), "from alpha\n");
        let out = shell()
            .args([
                "exec",
                "--namespace",
                "beta",
                &u,
                "-m",
                "list",
                "select x from t",
            ])
            .env("LIBSQL_NAMESPACE", "alpha")
            .run();
        assert_eq!(out.ok(), "from beta\n");

        // Every request carried the header (the handshake, over WebSocket).
        let log = s.header_log();
        assert!(!log.is_empty());
        for headers in &log {
            assert!(
                headers.iter().any(|(k, _)| k == "x-namespace"),
                "{backend:?}: {headers:?}"
            );
        }
    }
}

#[test]
fn an_unknown_or_missing_namespace_is_one_clear_line() {
    for &backend in REMOTE_BACKENDS {
        let s = tenants();
        let u = url(&s, backend);
        let out = shell()
            .args(["exec", "--namespace", "gamma", &u, "select 1"])
            .run();
        out.fails(2, "there is no database (namespace) 'gamma' on this server");
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        // Named by nothing (the test server is reached by IP, so the Host has no label that
        // names one; a real sqld reads `127` as the name).
        let out = shell().args(["exec", &u, "select 1"]).run();
        out.fails(2, "--namespace");
    }
    let out = shell()
        .args([
            "exec",
            "--namespace",
            "a b",
            "libsql://h.example.com",
            "select 1",
        ])
        .run();
    out.fails(
        2,
        "invalid namespace a b (from --namespace): it contains a space",
    );
    let out = shell()
        .args(["exec", "--namespace", "alpha", ":memory:", "select 1"])
        .run();
    out.fails(2, "is a local file");
}

#[test]
fn every_command_honours_the_namespace() {
    for &backend in REMOTE_BACKENDS {
        let s = tenants();
        let u = url(&s, backend);
        let dir = tempfile::tempdir().unwrap();
        let sql = dir.path().join("b.sql");
        fs::write(&sql, "create table b(x);\ninsert into b values (1);\n").unwrap();
        shell()
            .args(["batch", "--namespace", "beta", &u])
            .arg(&sql)
            .run()
            .ok();
        let migrations = dir.path().join("migrations");
        fs::create_dir(&migrations).unwrap();
        fs::write(migrations.join("0001_m.sql"), "create table m(x);\n").unwrap();
        let out = shell()
            .args(["migrate", "up", "--namespace", "beta", &u, "--dir"])
            .arg(&migrations)
            .run();
        assert_eq!(out.code, 0, "{out:?}");
        let csv = dir.path().join("c.csv");
        fs::write(&csv, "a,b\n1,2\n").unwrap();
        let out = shell()
            .args(["import", "--namespace", "beta", &u])
            .arg(&csv)
            .args(["--table", "c"])
            .run();
        assert_eq!(out.code, 0, "{out:?}");
        let out = shell().args(["dump", "--namespace", "beta", &u]).run();
        let dump = out.ok();
        for table in ["CREATE TABLE b", "CREATE TABLE m", "CREATE TABLE c"] {
            assert!(dump.contains(table), "{dump}");
        }
        let out = shell()
            .args(["--namespace", "beta", &u, "-m", "list"])
            .arg("select count(*) from b")
            .run();
        assert_eq!(out.ok(), "1\n");
        assert!(rows(&s, "alpha", "select name from sqlite_schema").is_empty());
    }
}

#[test]
fn the_encryption_key_goes_on_every_request_and_nowhere_else() {
    for &backend in REMOTE_BACKENDS {
        let s = TestServer::start();
        let u = url(&s, backend);
        let out = shell()
            .args(["--trace", "--encryption-key", KEY, &u, "-m", "list"])
            .args([
                "create table t(x)",
                "insert into t values (1)",
                "select x from nope",
            ])
            .run();
        no_key(&out);
        assert_eq!(out.code, 1, "{out:?}");
        assert!(out.stderr.contains("trace:"), "{}", out.stderr);
        let out = shell()
            .args(["exec", &u, "select 1"])
            .env("TURSO_DB_REMOTE_ENCRYPTION_KEY", KEY)
            .run();
        no_key(&out);
        out.ok();
        let log = s.header_log();
        assert!(log.len() >= 2, "{log:?}");
        for headers in &log {
            assert!(
                headers
                    .iter()
                    .any(|(k, v)| k == "x-turso-encryption-key" && v == KEY),
                "{backend:?}: {headers:?}"
            );
        }
    }
    let out = shell()
        .args(["exec", "--encryption-key", KEY, ":memory:", "select 1"])
        .run();
    no_key(&out);
    out.fails(2, "local file");
    let out = shell()
        .args([
            "exec",
            "--encryption-key",
            "",
            "libsql://h.example.com",
            "select 1",
        ])
        .run();
    out.fails(2, "empty encryption key");
    let out = shell()
        .args(["config", "list"])
        .env("LIBSQL_ENCRYPTION_KEY", KEY)
        .run();
    no_key(&out);
}

/// Turso's AWS-hosted databases answer the WebSocket upgrade with 505: the error names the
/// status and says to use HTTP.
#[test]
fn a_refused_websocket_upgrade_suggests_http() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        for _ in 0..2 {
            let Ok((mut sock, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf);
            let body = "HTTP version not supported";
            let _ = write!(
                sock,
                "HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let out = shell()
        .args(["exec", &format!("ws://127.0.0.1:{port}"), "select 1"])
        .run();
    let stderr = out.fails(2, "505");
    assert!(stderr.contains("use https:// or libsql://"), "{stderr}");
    drop(server);
}
