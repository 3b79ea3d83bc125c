//! Self-tests of the test server's knobs (faults, latency, read-only, a replica's unreachable
//! primary) and of its HTTP framing (keep-alive, chunked bodies, shutdown on drop), and the
//! panic check of its drop.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};

use super::tests_http::{count, exec, pipeline, post};
use super::{Fault, TestServer};

#[test]
fn server_faults_do_what_they_say() {
    let s = TestServer::start();
    pipeline(
        &s,
        None,
        json!([exec("CREATE TABLE t(x)"), {"type": "close"}]),
    );
    let url = format!("{}/v3/pipeline", s.http_url());
    let ins = |v: i64| json!({"baton": null, "requests": [exec(&format!("INSERT INTO t VALUES ({v})")), {"type": "close"}]});
    let send = |body: &Json| {
        ureq::post(&url)
            .send_string(&body.to_string())
            .map_err(Box::new)
    };
    let inserted = |v: i64| {
        let c = rusqlite::Connection::open(s.db_path()).unwrap();
        c.query_row("SELECT count(*) FROM t WHERE x = ?", [v], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap()
            == 1
    };

    s.fail_next(Fault::DropBeforeExecute);
    assert!(matches!(
        send(&ins(1)).map_err(|e| *e),
        Err(ureq::Error::Transport(_))
    ));
    assert!(!inserted(1));

    s.fail_next(Fault::DropAfterExecute);
    assert!(matches!(
        send(&ins(2)).map_err(|e| *e),
        Err(ureq::Error::Transport(_))
    ));
    assert!(inserted(2));

    s.fail_next(Fault::Status500);
    let (status, _, body) = post(&url, &ins(3), None);
    assert_eq!(
        (status, body.as_str()),
        (500, r#"{"error":"Internal error: injected fault"}"#)
    );
    assert!(!inserted(3));

    s.fail_next(Fault::Garbage);
    let (status, ctype, body) = post(&url, &ins(4), None);
    assert_eq!((status, ctype.as_str()), (200, "application/json"));
    assert!(serde_json::from_str::<Json>(&body).is_err(), "{body}");

    s.fail_next(Fault::Truncated);
    let r = send(&ins(5)).expect("the head arrives");
    assert_eq!(r.status(), 200);
    let mut buf = Vec::new();
    assert!(
        r.into_reader().read_to_end(&mut buf).is_err(),
        "the body is cut short"
    );

    s.fail_next(Fault::Status(
        429,
        r#"{"error":"Too many requests"}"#.into(),
    ));
    s.fail_next(Fault::Status(503, "down for maintenance".into()));
    let (status, ctype, body) = post(&url, &ins(6), None);
    assert_eq!(
        (status, ctype.as_str(), body.as_str()),
        (429, "application/json", r#"{"error":"Too many requests"}"#)
    );
    let (status, ctype, _) = post(&url, &ins(6), None);
    assert_eq!(status, 503);
    assert!(ctype.starts_with("text/plain"));
    assert!(!inserted(6));

    // Queue drained: back to normal.
    assert_eq!(post(&url, &ins(7), None).0, 200);
    assert!(inserted(7));

    // A fault on a stream's request ends that stream.
    let r = pipeline(&s, None, json!([exec("SELECT 1")]));
    let baton = r["baton"].as_str().unwrap();
    s.fail_next(Fault::Status500);
    assert_eq!(
        post(&url, &json!({"baton": baton, "requests": []}), None).0,
        500
    );
    assert_eq!(s.open_streams(), 0);
}

#[test]
fn server_latency_and_read_only_knobs() {
    let s = TestServer::start();
    pipeline(
        &s,
        None,
        json!([exec("CREATE TABLE t(x)"), {"type": "close"}]),
    );
    s.set_latency(Duration::from_millis(150));
    let t0 = Instant::now();
    pipeline(&s, None, json!([exec("SELECT 1"), {"type": "close"}]));
    assert!(t0.elapsed() >= Duration::from_millis(150));
    s.set_latency(Duration::ZERO);

    s.set_read_only(true);
    let r = pipeline(
        &s,
        None,
        json!([exec("SELECT count(*) FROM t"), exec("BEGIN"), exec("ROLLBACK"), {"type": "close"}]),
    );
    assert_eq!(r["results"][0]["type"], "ok");
    let url = format!("{}/v3/pipeline", s.http_url());
    for write in [
        exec("INSERT INTO t VALUES (1)"),
        json!({"type": "sequence", "sql": "SELECT 1; DELETE FROM t;"}),
    ] {
        let (status, ctype, body) = post(&url, &json!({"baton": null, "requests": [write]}), None);
        assert_eq!((status, ctype.as_str()), (403, "application/json"));
        assert!(
            body.starts_with(r#"{"error":"Authorization forbidden"#),
            "{body}"
        );
    }
    s.set_read_only(false);
    pipeline(
        &s,
        None,
        json!([exec("INSERT INTO t VALUES (1)"), {"type": "close"}]),
    );
    assert_eq!(count(&s, "t"), 1);
}

#[test]
fn server_replica_primary_knobs() {
    let s = TestServer::builder().replica(true).start();
    pipeline(
        &s,
        None,
        json!([exec("CREATE TABLE t(x PRIMARY KEY)"), {"type": "close"}]),
    );
    let step = |sql: &str| json!({"stmt": {"sql": sql}});
    let url = format!("{}/v3/pipeline", s.http_url());
    let body = |requests: Json| json!({"baton": null, "requests": requests});

    // The primary refuses a forwarded write: PROXY_ERROR with its message; reads unaffected.
    pipeline(
        &s,
        None,
        json!([exec("INSERT INTO t VALUES (1)"), {"type": "close"}]),
    );
    let r = pipeline(
        &s,
        None,
        json!([exec("INSERT INTO t VALUES (1)"), exec("SELECT 42"), {"type": "close"}]),
    );
    assert_eq!(r["results"][0]["error"]["code"], "PROXY_ERROR", "{r}");
    let message = r["results"][0]["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("error executing a request on the primary: ")
            && message.contains("UNIQUE constraint failed"),
        "{message}"
    );
    assert_eq!(r["results"][1]["type"], "ok", "{r}");

    // Unreachable: a request with a step to forward fails whole (500), nothing of it runs;
    // a request of reads still runs.
    s.set_primary_unreachable(true);
    let (status, _, text) = post(
        &url,
        &body(json!([
            {"type": "batch", "batch": {"steps": [
                step("SELECT 1"), step("DELETE FROM t"),
            ]}},
            {"type": "close"},
        ])),
        None,
    );
    assert_eq!(status, 500, "{text}");
    assert!(text.contains("\"error\""), "{text}");
    assert_eq!(count(&s, "t"), 1);
    let r = pipeline(
        &s,
        None,
        json!([
            exec("SELECT 42"),
            {"type": "batch", "batch": {"steps": [step("SELECT 1"), step("SELECT 2")]}},
            {"type": "close"},
        ]),
    );
    assert_eq!(r["results"][0]["type"], "ok", "{r}");
    assert!(
        r["results"][1]["response"]["result"]["step_errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(Json::is_null),
        "{r}"
    );

    // The primary takes one forwarded step, then goes: a request needing two fails whole.
    s.primary_unreachable_after(1);
    let (status, _, _) = post(
        &url,
        &body(json!([
            {"type": "batch", "batch": {"steps": [
                step("BEGIN"), step("INSERT INTO t VALUES (2)"), step("COMMIT"),
            ]}},
            {"type": "close"},
        ])),
        None,
    );
    assert_eq!(status, 500);
    assert_eq!(count(&s, "t"), 1);
    // Gone for good: a request of one forwarded step is refused too.
    let (status, _, _) = post(
        &url,
        &body(json!([exec("INSERT INTO t VALUES (2)"), {"type": "close"}])),
        None,
    );
    assert_eq!(status, 500);
    assert_eq!(count(&s, "t"), 1);

    s.set_primary_unreachable(false);
    pipeline(
        &s,
        None,
        json!([exec("INSERT INTO t VALUES (3)"), {"type": "close"}]),
    );
    assert_eq!(count(&s, "t"), 2);
}

/// Raw HTTP/1.1 over one socket: keep-alive, a chunked request body, `Connection: close`.
#[test]
fn server_http_framing_keep_alive_and_chunked() {
    let s = TestServer::start();
    let mut sock = TcpStream::connect(("127.0.0.1", s.port())).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let body = r#"{"baton":null,"requests":[{"type":"execute","stmt":{"sql":"SELECT 42"}},{"type":"close"}]}"#;
    let (a, b) = body.split_at(20);
    let req = format!(
        "POST /v3/pipeline HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\n\r\n\
         GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        a.len(),
        b.len()
    );
    sock.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    sock.read_to_string(&mut out).unwrap();
    let first = out.find("HTTP/1.1 200 OK").unwrap();
    let second = out.rfind("HTTP/1.1 200 OK").unwrap();
    assert!(first < second, "two responses on one connection: {out}");
    assert!(out[..second].contains(r#""value":"42""#), "{out}");
    assert!(out[..second].contains("Connection: keep-alive"));
    assert!(out[second..].contains("Connection: close"));
}

#[test]
fn server_drop_closes_the_port() {
    let s = TestServer::start();
    let port = s.port();
    let kept = TcpStream::connect(("127.0.0.1", port)).unwrap();
    drop(s);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    kept.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 1];
    assert_eq!(
        (&kept).read(&mut buf).unwrap_or(0),
        0,
        "open connections are shut down"
    );
}

#[test]
fn a_panic_in_a_handler_fails_the_drop_of_the_server() {
    // The injected faults above close connections and the server drops quietly; a real
    // panic in a handler thread must not pass for one of them.
    let s = TestServer::start();
    let url = format!("{}/v3/pipeline", s.http_url());
    let body = json!({"baton": null, "requests": [exec("SELECT 1"), {"type": "close"}]});
    s.fail_next(Fault::Panic);
    assert!(matches!(
        ureq::post(&url).send_string(&body.to_string()),
        Err(ureq::Error::Transport(_))
    ));
    // The other connections are still served.
    let (status, _, _) = post(&url, &body, None);
    assert_eq!(status, 200);
    let payload = panic::catch_unwind(AssertUnwindSafe(move || drop(s)))
        .expect_err("dropping the server panics");
    let msg = payload
        .downcast_ref::<String>()
        .expect("a formatted message");
    assert!(msg.contains("the test server's threads panicked"), "{msg}");
    assert!(
        msg.contains("hrana-test-conn-") && msg.contains(": injected panic (Fault::Panic)"),
        "{msg}"
    );
    assert_eq!(msg.lines().count(), 2, "one panic: {msg}");
}
