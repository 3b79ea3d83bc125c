//! Hrana over WebSocket: round trips, versions, faults and secrecy, through the binary and
//! through the transport itself (for what the binary cannot show deterministically).

use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use libsql_shell::token::AuthToken;
use libsql_shell::transport::endpoint::Endpoint;
use libsql_shell::transport::ws::WsTransport;
use libsql_shell::transport::{
    After, Batch, BatchStep, Collect, Cond, PipelineError, Request, RequestResult, Response, Stmt,
    Transport, TransportError,
};
use serde_json::{json, Value as Json};
use tungstenite::Message;

use crate::harness::{shell, Output};
use crate::server::{TestServer, Versions, WsFault};

const SECRET: &str = "SECRET-TOKEN-123";

/// `exec` against the server's WebSocket URL with the secret token.
fn exec(s: &TestServer, extra: &[&str], sql: &str) -> Output {
    let out = shell()
        .args(["exec", "-m", "list", "--auth-token", SECRET])
        .args(extra)
        .arg(s.ws_url())
        .arg(sql)
        .run();
    assert!(
        !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
        "the token leaked: {out:?}"
    );
    out
}

fn connect(s: &TestServer) -> WsTransport {
    WsTransport::connect(Endpoint::new(
        &s.ws_url(),
        "127.0.0.1",
        s.port(),
        Duration::from_secs(10),
    ))
    .expect("connect")
}

fn execute(sql: &str) -> Request {
    Request::Execute(Stmt::new(sql))
}

/// The rows a collecting sink received, as text.
fn rows(c: &Collect) -> Vec<Vec<String>> {
    c.results
        .iter()
        .flat_map(|(_, _, rows)| rows.iter())
        .map(|r| r.iter().map(|v| v.to_text("NULL")).collect())
        .collect()
}

fn err_message(r: &RequestResult) -> String {
    match r {
        Err(e) => e.message.clone(),
        Ok(r) => panic!("expected an error, got {r:?}"),
    }
}

#[test]
fn exec_of_n_statements_is_one_batch_request() {
    let s = TestServer::start();
    for n in [1, 2, 40] {
        s.reset_counters();
        let mut sql = String::from("CREATE TABLE IF NOT EXISTS t(x);");
        for i in 1..n {
            sql.push_str(&format!("INSERT INTO t VALUES ({i});"));
        }
        let out = exec(&s, &[], &sql);
        out.ok();
        assert_eq!(
            s.ws_log(),
            ["open_stream", "batch", "get_autocommit", "close_stream"],
            "{n} statements"
        );
        assert_eq!(s.requests(), 4);
        assert_eq!(s.ws_handshakes(), [Some("hrana3".to_string())]);
    }
    let out = exec(&s, &[], "SELECT count(*) FROM t");
    assert_eq!(out.ok(), format!("{}\n", 1 + 39));
}

#[test]
fn a_committed_transaction_is_one_batch() {
    let s = TestServer::start();
    exec(&s, &[], "CREATE TABLE t(x)").ok();
    s.reset_counters();
    exec(
        &s,
        &[],
        "BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); COMMIT",
    )
    .ok();
    assert_eq!(
        s.ws_log(),
        ["open_stream", "batch", "get_autocommit", "close_stream"]
    );
    s.reset_counters();
    let out = exec(
        &s,
        &[],
        "BEGIN; INSERT INTO t VALUES (3); SELECT count(*) FROM t; COMMIT",
    );
    assert_eq!(out.ok(), "3\n");
    assert_eq!(
        s.ws_log(),
        ["open_stream", "batch", "get_autocommit", "close_stream"],
        "a read inside a whole-input transaction rides in the same batch"
    );
    assert_eq!(s.open_streams(), 0);
}

#[test]
fn connection_dropped_mid_request_is_a_clear_error() {
    let s = TestServer::start();
    exec(&s, &[], "CREATE TABLE t(x)").ok();
    s.ws_fault_next(WsFault::CloseMidRequest);
    let start = Instant::now();
    let out = exec(
        &s,
        &["--timeout", "20"],
        "BEGIN; INSERT INTO t VALUES (1); COMMIT",
    );
    out.fails(2, "connection lost: the server closed the connection");
    out.fails(2, "the outcome of COMMIT is unknown");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "no waiting for a timeout"
    );
    s.ws_fault_next(WsFault::CloseMidRequest);
    let out = exec(&s, &[], "SELECT 1");
    out.fails(2, "connection lost: the server closed the connection");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn a_close_frame_is_reported_with_its_code_and_reason() {
    let s = TestServer::start();
    s.set_read_only(true);
    let out = exec(&s, &[], "CREATE TABLE t(x)");
    out.fails(
        2,
        "connection lost: the server closed the WebSocket (code 1008: Authorization forbidden",
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn hello_error_is_an_authentication_failure() {
    let s = TestServer::builder().token("the-right-token").start();
    let out = exec(&s, &[], "SELECT 1");
    out.fails(
        2,
        "authentication failed: Authentication failed: The JWT is invalid",
    );
    let out = shell().arg("exec").arg(s.ws_url()).arg("SELECT 1").run();
    out.fails(2, "authentication failed");
    let out = shell()
        .args(["exec", "-m", "list", "--auth-token", "the-right-token"])
        .arg(s.ws_url())
        .arg("SELECT 1")
        .run();
    assert_eq!(out.ok(), "1\n");

    let open = TestServer::start();
    open.ws_hello_error(true);
    exec(&open, &[], "SELECT 1").fails(2, "authentication failed");
}

#[test]
fn refused_subprotocols_exit_2() {
    let s = TestServer::builder().ws_refuse_subprotocol(true).start();
    let out = exec(&s, &[], "SELECT 1");
    out.fails(
        2,
        "the server refused the WebSocket subprotocols hrana3, hrana2, hrana1 (HTTP 400: None of the offered",
    );
    assert_eq!(s.requests(), 0);
}

#[test]
fn slow_server_times_out() {
    let s = TestServer::start();
    s.set_latency(Duration::from_secs(3));
    let start = Instant::now();
    let out = exec(&s, &["--timeout", "1"], "SELECT 1");
    out.fails(2, "request timed out after 1 s (--timeout)");
    assert!(
        start.elapsed() < Duration::from_millis(2900),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn one_connection_serves_many_pipelines_and_keeps_a_stream() {
    let s = TestServer::start();
    let mut t = connect(&s);
    let info = t.info();
    assert_eq!(
        (info.kind, info.protocol.as_str(), info.endpoint.as_str()),
        ("ws", "hrana3 over WebSocket (JSON)", s.ws_url().as_str())
    );
    assert!(t.capabilities().autocommit_queries && t.capabilities().streams);
    let mut sink = Collect::default();
    t.pipeline(&[execute("CREATE TABLE t(x)")], After::Close, &mut sink)
        .unwrap();
    assert!(!t.stream_open());
    let r = t
        .pipeline(
            &[
                execute("BEGIN"),
                execute("INSERT INTO t VALUES (1)"),
                Request::GetAutocommit,
            ],
            After::KeepOpen,
            &mut sink,
        )
        .unwrap();
    assert_eq!(r[2], Ok(Response::GetAutocommit(false)));
    assert!(t.stream_open());
    assert_eq!(s.open_streams(), 1);
    let mut sink = Collect::default();
    t.pipeline(
        &[execute("SELECT count(*) FROM t")],
        After::KeepOpen,
        &mut sink,
    )
    .unwrap();
    assert_eq!(rows(&sink), [["1"]]);
    t.close().unwrap();
    assert!(!t.stream_open());
    assert_eq!(s.open_streams(), 0);
    let mut sink = Collect::default();
    t.pipeline(
        &[execute("SELECT count(*) FROM t")],
        After::Close,
        &mut sink,
    )
    .unwrap();
    assert_eq!(rows(&sink), [["0"]], "close rolled the transaction back");
    assert_eq!(s.ws_handshakes().len(), 1, "one socket for everything");
    assert_eq!(
        s.ws_log(),
        [
            "open_stream",
            "execute",
            "close_stream",
            "open_stream",
            "execute",
            "execute",
            "get_autocommit",
            "execute",
            "close_stream",
            "open_stream",
            "execute",
            "close_stream",
        ]
    );
}

#[test]
fn a_failed_request_answers_in_its_own_slot() {
    let s = TestServer::start();
    let mut t = connect(&s);
    let r = t
        .pipeline(
            &[execute("SELECT * FROM nope"), execute("SELECT 2")],
            After::Close,
            &mut Collect::default(),
        )
        .unwrap();
    assert_eq!(err_message(&r[0]), "no such table: nope");
    assert!(matches!(r[1], Ok(Response::Execute(_))), "{r:?}");
}

#[test]
fn lost_commit_is_outcome_unknown_and_the_next_pipeline_reconnects() {
    let s = TestServer::start();
    let mut t = connect(&s);
    let sink = &mut Collect::default();
    t.pipeline(&[execute("CREATE TABLE t(x)")], After::Close, sink)
        .unwrap();
    t.pipeline(
        &[execute("BEGIN"), execute("INSERT INTO t VALUES (1)")],
        After::KeepOpen,
        sink,
    )
    .unwrap();
    s.ws_fault_next(WsFault::CloseAfterExecute);
    let e = t
        .pipeline(&[execute("COMMIT")], After::Close, sink)
        .unwrap_err();
    match e {
        PipelineError::Transport(TransportError::ConnectionLost { outcome, .. }) => {
            assert_eq!(outcome, TransportError::OUTCOME_UNKNOWN)
        }
        other => panic!("{other:?}"),
    }
    assert!(!t.stream_open());
    let mut sink = Collect::default();
    t.pipeline(
        &[execute("SELECT count(*) FROM t")],
        After::Close,
        &mut sink,
    )
    .unwrap();
    assert_eq!(rows(&sink), [["1"]], "the COMMIT did run");
    assert_eq!(s.ws_handshakes().len(), 2, "reconnected");
}

/// BEGIN, an insert guarded by `not(is_autocommit)`, COMMIT, ROLLBACK-on-failure.
fn guarded_insert() -> Request {
    let step = |cond: Option<Cond>, sql: &str| BatchStep {
        condition: cond,
        stmt: Stmt::no_rows(sql),
    };
    Request::Batch(Batch {
        steps: vec![
            step(None, "BEGIN"),
            step(
                Some(Cond::And(vec![Cond::Ok(0), !Cond::IsAutocommit])),
                "INSERT INTO t VALUES (1)",
            ),
            step(Some(Cond::Ok(1)), "COMMIT"),
            step(Some(!Cond::Ok(2)), "ROLLBACK"),
        ],
    })
}

#[test]
fn older_servers_get_older_versions() {
    for (versions, v) in [(Versions::V2Only, 2), (Versions::V1Only, 1)] {
        let s = TestServer::builder().versions(versions).start();
        let mut t = connect(&s);
        assert_eq!(t.info().protocol, format!("hrana{v} over WebSocket (JSON)"));
        assert!(!t.capabilities().autocommit_queries);
        let r = t
            .pipeline(
                &[
                    execute("CREATE TABLE t(x)"),
                    guarded_insert(),
                    Request::GetAutocommit,
                    Request::Sequence("INSERT INTO t VALUES (2)".into()),
                ],
                After::Close,
                &mut Collect::default(),
            )
            .unwrap();
        assert!(
            matches!(&r[1], Ok(Response::Batch(steps)) if steps.len() == 4),
            "{r:?}"
        );
        assert_eq!(err_message(&r[2]), "`get_autocommit` needs hrana3");
        let mut sink = Collect::default();
        t.pipeline(
            &[execute("SELECT group_concat(x) FROM t")],
            After::Close,
            &mut sink,
        )
        .unwrap();
        let want = if v == 2 { "1,2" } else { "1" };
        assert_eq!(rows(&sink), [[want]], "hrana{v}");
        assert!(!s.ws_log().iter().any(|k| k == "get_autocommit"));
    }
}

#[test]
fn a_server_that_echoes_no_subprotocol_is_spoken_to_in_hrana1() {
    let s = TestServer::builder().ws_omit_subprotocol(true).start();
    let mut t = connect(&s);
    assert_eq!(t.info().protocol, "hrana1 over WebSocket (JSON)");
    let mut sink = Collect::default();
    t.pipeline(&[execute("SELECT 7")], After::Close, &mut sink)
        .unwrap();
    assert_eq!(rows(&sink), [["7"]]);
    assert_eq!(
        s.ws_handshakes(),
        [None, None],
        "offer refused, then no offer"
    );
}

// A hand-rolled hrana3 server, for what the test server does not do.

type ServerWs = tungstenite::WebSocket<TcpStream>;

#[allow(clippy::result_large_err)] // the handshake callback's signature is tungstenite's
fn accept_hrana3(listener: &TcpListener) -> ServerWs {
    let (sock, _) = listener.accept().unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let echo = |_: &_, mut resp: tungstenite::handshake::server::Response| {
        resp.headers_mut()
            .insert("Sec-WebSocket-Protocol", "hrana3".parse().unwrap());
        Ok(resp)
    };
    tungstenite::accept_hdr(sock, echo).unwrap()
}

/// The next `n` JSON messages.
fn read_json(ws: &mut ServerWs, n: usize) -> Vec<Json> {
    (0..n)
        .map(|_| loop {
            if let Message::Text(t) = ws.read().unwrap() {
                break serde_json::from_str(&t).unwrap();
            }
        })
        .collect()
}

/// A `response_ok` for a request; an `execute` of the text `N` returns one row `N`.
fn answer(req: &Json) -> Json {
    let response = match req["request"]["type"].as_str().unwrap() {
        "execute" => json!({"type": "execute", "result": {
            "cols": [{"name": "n"}],
            "rows": [[{"type": "integer", "value": req["request"]["stmt"]["sql"]}]],
            "affected_row_count": 0, "last_insert_rowid": null}}),
        other => json!({"type": other}),
    };
    json!({"type": "response_ok", "request_id": req["request_id"], "response": response})
}

fn send_all(ws: &mut ServerWs, msgs: impl IntoIterator<Item = Json>) {
    for m in msgs {
        ws.send(Message::Text(m.to_string())).unwrap();
    }
}

fn connect_port(port: u16) -> WsTransport {
    let url = format!("ws://127.0.0.1:{port}");
    let token = Some(AuthToken::new("tok"));
    let endpoint = Endpoint::new(&url, "127.0.0.1", port, Duration::from_secs(10));
    WsTransport::connect(endpoint.with_token(token)).unwrap()
}

/// Pings before answering, answers out of order, and sends a message type nobody knows.
#[test]
fn pings_are_answered_and_responses_are_matched_by_id() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let mut ws = accept_hrana3(&listener);
        let mut msgs = read_json(&mut ws, 5);
        let hello = msgs.remove(0);
        ws.send(Message::Ping(b"are you there".to_vec())).unwrap();
        let pong = loop {
            if let Message::Pong(p) = ws.read().unwrap() {
                break p;
            }
        };
        let first = [
            json!({"type": "hello_ok"}),
            json!({"type": "surprise", "x": 1}),
        ];
        send_all(
            &mut ws,
            first.into_iter().chain(msgs.iter().rev().map(answer)),
        );
        (hello, msgs, pong)
    });
    let mut t = connect_port(port);
    let mut sink = Collect::default();
    let r = t
        .pipeline(&[execute("1"), execute("2")], After::Close, &mut sink)
        .unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(rows(&sink), [["1"], ["2"]], "replayed in request order");
    let (hello, reqs, pong) = server.join().unwrap();
    assert_eq!(hello, json!({"type": "hello", "jwt": "tok"}));
    let kinds: Vec<&str> = reqs
        .iter()
        .map(|r| r["request"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["open_stream", "execute", "execute", "close_stream"]);
    assert_eq!(pong, b"are you there");
}

/// A server that hangs up between pipelines: with no stream open the next pipeline just
/// reconnects (nothing was sent into the dead socket); with one open, its loss is reported
/// as nothing applied.
#[test]
fn a_connection_closed_while_idle_is_noticed_before_sending() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (hung_up, wait) = mpsc::channel();
    let server = thread::spawn(move || {
        let mut ws = accept_hrana3(&listener);
        let msgs = read_json(&mut ws, 4);
        send_all(&mut ws, [json!({"type": "hello_ok"})]);
        send_all(&mut ws, msgs[1..].iter().map(answer));
        drop(ws);
        hung_up.send(()).unwrap();
        let mut ws = accept_hrana3(&listener);
        let msgs = read_json(&mut ws, 4);
        send_all(&mut ws, [json!({"type": "hello_ok"})]);
        send_all(&mut ws, msgs[1..].iter().map(answer));
        let msgs = read_json(&mut ws, 2);
        send_all(&mut ws, msgs.iter().map(answer));
        drop(ws);
        hung_up.send(()).unwrap();
    });
    let mut t = connect_port(port);
    let mut sink = Collect::default();
    t.pipeline(&[execute("1")], After::Close, &mut sink)
        .unwrap();
    wait.recv().unwrap();
    t.pipeline(&[execute("2")], After::Close, &mut sink)
        .unwrap();
    t.pipeline(&[execute("3")], After::KeepOpen, &mut sink)
        .unwrap();
    assert_eq!(rows(&sink), [["1"], ["2"], ["3"]]);
    wait.recv().unwrap();
    match t.pipeline(&[execute("4")], After::Close, &mut sink) {
        Err(PipelineError::Transport(TransportError::ConnectionLost { reason, outcome })) => {
            assert_eq!(outcome, TransportError::NOTHING_APPLIED);
            assert!(reason.contains("while the stream was idle"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!t.stream_open());
    server.join().unwrap();
}

/// A server that says goodbye with a close frame while the client sits inside a
/// transaction: the COMMIT that follows is not sent into the dead socket, and the loss is
/// reported as nothing applied (not as an unknown outcome).
#[test]
fn a_close_frame_received_while_idle_means_nothing_was_applied() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (closed, wait) = mpsc::channel();
    let (done, finish) = mpsc::channel::<()>();
    let server = thread::spawn(move || {
        let mut ws = accept_hrana3(&listener);
        let msgs = read_json(&mut ws, 3);
        send_all(&mut ws, [json!({"type": "hello_ok"})]);
        send_all(&mut ws, msgs[1..].iter().map(answer));
        ws.send(Message::Close(None)).unwrap();
        closed.send(()).unwrap();
        // Keep the TCP connection open until the client is done.
        let _ = finish.recv();
    });
    let mut t = connect_port(port);
    let mut sink = Collect::default();
    t.pipeline(&[execute("1")], After::KeepOpen, &mut sink)
        .unwrap();
    wait.recv().unwrap();
    let commit = Request::Execute(libsql_shell::transport::Stmt::no_rows("COMMIT"));
    match t.pipeline(&[commit], After::Close, &mut sink) {
        Err(PipelineError::Transport(e @ TransportError::ConnectionLost { .. })) => {
            assert!(e.ran_nothing(), "{e}");
            assert!(e.to_string().contains("not applied"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    done.send(()).unwrap();
    server.join().unwrap();
}

#[test]
fn connection_failures_exit_2_with_the_reason() {
    let s = TestServer::start();
    let not_tls = s.ws_url().replace("ws://", "wss://");
    let out = shell().args(["exec", &not_tls, "SELECT 1"]).run();
    out.fails(
        2,
        &format!(
            "cannot connect to 127.0.0.1:{}: TLS handshake failed",
            s.port()
        ),
    );
    let out = shell()
        .args(["exec", "wss://no-such-host.invalid", "SELECT 1"])
        .run();
    out.fails(
        2,
        "cannot connect to no-such-host.invalid:443: DNS lookup failed",
    );
    // Accepted by the kernel, never answered.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://127.0.0.1:{}", silent.local_addr().unwrap().port());
    let out = shell()
        .args(["exec", "--timeout", "1", &url, "SELECT 1"])
        .run();
    out.fails(2, "request timed out after 1 s (--timeout)");
}
