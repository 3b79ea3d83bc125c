//! Self-tests of the test server over WebSocket, with a plain tungstenite client.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{json, Value as Json};
use tungstenite::client::IntoClientRequest;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use super::{TestServer, Versions, WsFault};

type Client = WebSocket<MaybeTlsStream<TcpStream>>;

/// Connect offering `protocols` (none: no header): the socket and the echoed subprotocol.
/// tungstenite's client splits the offer on `,` without trimming, so offer without spaces.
fn connect(
    s: &TestServer,
    protocols: &str,
) -> Result<(Client, Option<String>), Box<tungstenite::Error>> {
    let mut req = s.ws_url().into_client_request().unwrap();
    if !protocols.is_empty() {
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", protocols.parse().unwrap());
    }
    let (ws, resp) = tungstenite::connect(req).map_err(Box::new)?;
    if let MaybeTlsStream::Plain(t) = ws.get_ref() {
        t.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
    }
    let proto = resp
        .headers()
        .get("Sec-WebSocket-Protocol")
        .map(|v| v.to_str().unwrap().to_string());
    Ok((ws, proto))
}

fn send(ws: &mut Client, msg: Json) {
    ws.send(Message::Text(msg.to_string())).unwrap();
}

/// The next JSON message, or the close code if the server closed instead.
fn recv(ws: &mut Client) -> Result<Json, Option<CloseCode>> {
    loop {
        match ws.read() {
            Ok(Message::Text(t)) => return Ok(serde_json::from_str(&t).unwrap()),
            Ok(Message::Close(f)) => return Err(f.map(|f| f.code)),
            Ok(_) => continue,
            Err(_) => return Err(None),
        }
    }
}

/// Send a request and return its response message.
fn request(ws: &mut Client, id: i32, req: Json) -> Json {
    send(
        ws,
        json!({"type": "request", "request_id": id, "request": req}),
    );
    let r = recv(ws).expect("a response");
    assert_eq!(r["request_id"], id, "{r}");
    r
}

fn hello(ws: &mut Client, jwt: Option<&str>) -> Json {
    send(ws, json!({"type": "hello", "jwt": jwt}));
    recv(ws).expect("hello answer")
}

#[test]
fn server_ws_subprotocol_negotiation() {
    let s = TestServer::start();
    assert_eq!(
        connect(&s, "hrana1,hrana3,hrana2").unwrap().1.as_deref(),
        Some("hrana3")
    );
    assert_eq!(
        connect(&s, "hrana2,hrana1").unwrap().1.as_deref(),
        Some("hrana2")
    );
    match connect(&s, "mqtt").map_err(|e| *e) {
        Err(tungstenite::Error::Http(r)) => assert_eq!(r.status(), 400),
        other => panic!("expected 400, got {:?}", other.map(|c| c.1)),
    }
    // No header: hrana1, where `sequence` does not exist.
    let (mut ws, proto) = connect(&s, "").unwrap();
    assert_eq!(proto, None);
    assert_eq!(hello(&mut ws, None)["type"], "hello_ok");
    request(&mut ws, 1, json!({"type": "open_stream", "stream_id": 1}));
    send(
        &mut ws,
        json!({"type": "request", "request_id": 2, "request": {"type": "sequence", "stream_id": 1, "sql": "SELECT 1"}}),
    );
    assert_eq!(recv(&mut ws), Err(Some(CloseCode::Policy)));

    // The server trims the offer (other clients put spaces after the commas).
    let mut raw = TcpStream::connect(("127.0.0.1", s.port())).unwrap();
    let head = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
                Sec-WebSocket-Protocol: hrana1, hrana2\r\n\r\n";
    raw.write_all(head.as_bytes()).unwrap();
    let mut buf = [0u8; 512];
    let n = raw.read(&mut buf).unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 101"), "{answer}");
    assert!(
        answer.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
        "{answer}"
    );
    assert!(
        answer.contains("Sec-WebSocket-Protocol: hrana2\r\n"),
        "{answer}"
    );

    let v2 = TestServer::builder().versions(Versions::V2Only).start();
    assert_eq!(
        connect(&v2, "hrana3,hrana2,hrana1").unwrap().1.as_deref(),
        Some("hrana2")
    );

    let refusing = TestServer::builder().ws_refuse_subprotocol(true).start();
    assert!(
        matches!(connect(&refusing, "hrana3,hrana2,hrana1").map_err(|e| *e), Err(tungstenite::Error::Http(r)) if r.status() == 400)
    );

    assert_eq!(
        s.ws_handshakes(),
        vec![
            Some("hrana3".to_string()),
            Some("hrana2".to_string()),
            None,
            Some("hrana2".to_string())
        ],
        "refused handshakes are not logged"
    );

    let silent = TestServer::builder().ws_omit_subprotocol(true).start();
    assert!(matches!(
        connect(&silent, "hrana3,hrana2,hrana1").map_err(|e| *e),
        Err(tungstenite::Error::Protocol(_))
    ));
    assert_eq!(connect(&silent, "").unwrap().1, None);
}

#[test]
fn server_ws_session_runs_every_request_kind() {
    let s = TestServer::start();
    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    // Requests may follow hello without waiting for hello_ok.
    send(&mut ws, json!({"type": "hello", "jwt": null}));
    send(
        &mut ws,
        json!({"type": "request", "request_id": 1, "request": {"type": "open_stream", "stream_id": 7}}),
    );
    assert_eq!(recv(&mut ws).unwrap(), json!({"type": "hello_ok"}));
    assert_eq!(
        recv(&mut ws).unwrap(),
        json!({"type": "response_ok", "request_id": 1, "response": {"type": "open_stream"}})
    );
    assert_eq!(s.open_streams(), 1);

    let r = request(
        &mut ws,
        2,
        json!({"type": "execute", "stream_id": 7, "stmt": {"sql": "CREATE TABLE t(a INTEGER, b)"}}),
    );
    assert_eq!(r["type"], "response_ok");
    let steps = |third: &str| {
        json!({"type": "batch", "stream_id": 7, "batch": {"steps": [
        {"stmt": {"sql": "INSERT INTO t VALUES (?, ?)", "args": [{"type": "integer", "value": "-9223372036854775808"}, {"type": "float", "value": 0.1}]}},
        {"stmt": {"sql": "INSERT INTO t VALUES (2, x'00ff')"}, "condition": {"type": "ok", "step": 0}},
        {"stmt": {"sql": third}},
        {"stmt": {"sql": "SELECT 1"}, "condition": {"type": "not", "cond": {"type": "error", "step": 2}}}]}})
    };
    // As on sqld, every step is parsed before any runs: one that does not parse fails the
    // whole batch (a response_error), and nothing of it runs.
    let r = request(&mut ws, 30, steps("nonsense"));
    assert_eq!(r["type"], "response_error", "{r}");
    assert_eq!(r["error"]["code"], "SQL_PARSE_ERROR");
    let r = request(&mut ws, 3, steps("SELECT * FROM nope"));
    let result = &r["response"]["result"];
    assert_eq!(result["step_results"][1]["last_insert_rowid"], "2");
    assert_eq!(result["step_errors"][2]["code"], "SQLITE_UNKNOWN");
    assert_eq!(
        (&result["step_results"][3], &result["step_errors"][3]),
        (&Json::Null, &Json::Null)
    );

    let r = request(
        &mut ws,
        4,
        json!({"type": "execute", "stream_id": 7, "stmt": {"sql": "SELECT * FROM nope"}}),
    );
    assert_eq!(r["type"], "response_error");
    assert_eq!(r["error"]["code"], "SQLITE_UNKNOWN");

    assert_eq!(
        request(
            &mut ws,
            5,
            json!({"type": "store_sql", "sql_id": 3, "sql": "SELECT a, b FROM t ORDER BY a"})
        )["type"],
        "response_ok"
    );
    let r = request(
        &mut ws,
        6,
        json!({"type": "execute", "stream_id": 7, "stmt": {"sql_id": 3}}),
    );
    assert_eq!(
        r["response"]["result"]["rows"],
        json!([[{"type": "integer", "value": "-9223372036854775808"}, {"type": "float", "value": 0.1}],
               [{"type": "integer", "value": "2"}, {"type": "blob", "base64": "AP8"}]])
    );
    let r = request(
        &mut ws,
        7,
        json!({"type": "describe", "stream_id": 7, "sql_id": 3}),
    );
    assert_eq!(
        r["response"]["result"]["cols"][0],
        json!({"name": "a", "decltype": "INTEGER"})
    );
    request(
        &mut ws,
        8,
        json!({"type": "sequence", "stream_id": 7, "sql": "BEGIN; INSERT INTO t VALUES (3, 3);"}),
    );
    let r = request(
        &mut ws,
        9,
        json!({"type": "get_autocommit", "stream_id": 7}),
    );
    assert_eq!(
        r["response"],
        json!({"type": "get_autocommit", "is_autocommit": false})
    );

    // A cursor on the same stream sees the open transaction's row.
    let r = request(
        &mut ws,
        10,
        json!({"type": "open_cursor", "stream_id": 7, "cursor_id": 1, "batch": {"steps": [{"stmt": {"sql_id": 3}}]}}),
    );
    assert_eq!(r["response"], json!({"type": "open_cursor"}));
    let mut entries = Vec::new();
    let mut fetches = 0;
    loop {
        let r = request(
            &mut ws,
            11 + fetches,
            json!({"type": "fetch_cursor", "cursor_id": 1, "max_count": 2}),
        );
        fetches += 1;
        let got = r["response"]["entries"].as_array().unwrap().clone();
        assert!(got.len() <= 2);
        entries.extend(got);
        if r["response"]["done"] == true {
            break;
        }
    }
    let types: Vec<&str> = entries
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "step_begin",
            "row",
            "row",
            "row",
            "step_end",
            "replication_index"
        ]
    );
    // As on sqld, `done` comes once a fetch finds the end: the fourth, with no entries.
    assert_eq!(fetches, 4);
    assert_eq!(
        request(&mut ws, 20, json!({"type": "close_cursor", "cursor_id": 1}))["type"],
        "response_ok"
    );
    let r = request(
        &mut ws,
        21,
        json!({"type": "fetch_cursor", "cursor_id": 1, "max_count": 2}),
    );
    assert_eq!(r["error"]["code"], "CURSOR_NOT_OPEN");

    // Closing the stream rolls its transaction back.
    assert_eq!(
        request(&mut ws, 22, json!({"type": "close_stream", "stream_id": 7}))["type"],
        "response_ok"
    );
    assert_eq!(s.open_streams(), 0);
    let r = request(
        &mut ws,
        23,
        json!({"type": "execute", "stream_id": 7, "stmt": {"sql": "SELECT 1"}}),
    );
    assert_eq!(r["error"]["code"], "STREAM_NOT_OPEN");
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    assert_eq!(
        c.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        2
    );
    assert_eq!(
        s.requests(),
        // Eighteen, plus the batch refused for its parse error.
        19,
        "one per request message; hello does not count"
    );
    let log = s.ws_log();
    assert_eq!(log.len(), 19);
    assert_eq!(
        &log[..5],
        ["open_stream", "execute", "batch", "batch", "execute"]
    );
    assert_eq!(
        &log[log.len() - 3..],
        ["fetch_cursor", "close_stream", "execute"]
    );
    s.reset_counters();
    assert!(s.ws_log().is_empty());
    drop(ws);
}

#[test]
fn server_ws_hello_errors() {
    let s = TestServer::builder().token("secret").start();
    for jwt in [Some("wrong"), None] {
        let (mut ws, _) = connect(&s, "hrana2").unwrap();
        let r = hello(&mut ws, jwt);
        assert_eq!(r["type"], "hello_error");
        assert_eq!(r["error"]["code"], "AUTH_JWT_INVALID");
        assert_eq!(recv(&mut ws), Err(Some(CloseCode::Normal)));
    }
    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    assert_eq!(hello(&mut ws, Some("secret"))["type"], "hello_ok");
    // Re-authentication is allowed from hrana2 on.
    assert_eq!(hello(&mut ws, Some("secret"))["type"], "hello_ok");
    s.ws_hello_error(true);
    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    assert_eq!(hello(&mut ws, Some("secret"))["type"], "hello_error");
    s.ws_hello_error(false);
    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    assert_eq!(hello(&mut ws, Some("secret"))["type"], "hello_ok");
}

#[test]
fn server_ws_protocol_violations_close_the_socket() {
    let s = TestServer::start();
    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    send(
        &mut ws,
        json!({"type": "request", "request_id": 1, "request": {"type": "open_stream", "stream_id": 1}}),
    );
    assert_eq!(
        recv(&mut ws),
        Err(Some(CloseCode::Policy)),
        "request before hello"
    );

    let (mut ws, _) = connect(&s, "hrana2").unwrap();
    hello(&mut ws, None);
    request(&mut ws, 1, json!({"type": "open_stream", "stream_id": 1}));
    send(
        &mut ws,
        json!({"type": "request", "request_id": 2, "request": {"type": "get_autocommit", "stream_id": 1}}),
    );
    assert_eq!(
        recv(&mut ws),
        Err(Some(CloseCode::Policy)),
        "get_autocommit under hrana2"
    );
    assert_eq!(
        s.open_streams(),
        0,
        "a closed connection's streams are gone"
    );

    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    hello(&mut ws, None);
    ws.send(Message::Text(r#"{"type":"request","request_id":1,"request":{"type":"execute","stream_id":1,"stmt":{"sql":"SELECT ?","args":[{"type":"integer","value":5}]}}}"#.into())).unwrap();
    assert_eq!(
        recv(&mut ws),
        Err(Some(CloseCode::Invalid)),
        "integers must be strings"
    );

    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    hello(&mut ws, None);
    request(&mut ws, 1, json!({"type": "open_stream", "stream_id": 1}));
    s.set_read_only(true);
    let r = request(
        &mut ws,
        2,
        json!({"type": "execute", "stream_id": 1, "stmt": {"sql": "SELECT 1"}}),
    );
    assert_eq!(r["type"], "response_ok");
    send(
        &mut ws,
        json!({"type": "request", "request_id": 3, "request": {"type": "execute", "stream_id": 1, "stmt": {"sql": "CREATE TABLE x(y)"}}}),
    );
    assert_eq!(
        recv(&mut ws),
        Err(Some(CloseCode::Policy)),
        "a write under a read-only token"
    );
}

#[test]
fn server_ws_faults_cut_the_connection() {
    let s = TestServer::start();
    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    hello(&mut ws, None);
    request(&mut ws, 1, json!({"type": "open_stream", "stream_id": 1}));
    request(
        &mut ws,
        2,
        json!({"type": "execute", "stream_id": 1, "stmt": {"sql": "CREATE TABLE t(x)"}}),
    );
    s.ws_fault_next(WsFault::CloseMidRequest);
    send(
        &mut ws,
        json!({"type": "request", "request_id": 3, "request": {"type": "execute", "stream_id": 1, "stmt": {"sql": "INSERT INTO t VALUES (1)"}}}),
    );
    assert_eq!(recv(&mut ws), Err(None), "no answer, no close frame");

    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    hello(&mut ws, None);
    request(&mut ws, 1, json!({"type": "open_stream", "stream_id": 1}));
    s.ws_fault_next(WsFault::CloseAfterExecute);
    send(
        &mut ws,
        json!({"type": "request", "request_id": 2, "request": {"type": "execute", "stream_id": 1, "stmt": {"sql": "INSERT INTO t VALUES (2)"}}}),
    );
    assert_eq!(recv(&mut ws), Err(None));
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    let xs: Vec<i64> = c
        .prepare("SELECT x FROM t")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        xs,
        vec![2],
        "only the request executed before the cut was applied"
    );
}

#[test]
fn server_ws_cursor_answers_are_capped_and_its_stream_is_reserved() {
    let s = TestServer::builder().max_response_size(8_000).start();
    rusqlite::Connection::open(s.db_path())
        .unwrap()
        .execute_batch(
            "CREATE TABLE t(x);
             WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300)
             INSERT INTO t SELECT printf('%.20c', 'x') FROM c;",
        )
        .unwrap();
    let (mut ws, _) = connect(&s, "hrana3").unwrap();
    hello(&mut ws, None);
    request(&mut ws, 1, json!({"type": "open_stream", "stream_id": 1}));
    // A plain request over the cap fails; the cursor does not.
    let r = request(
        &mut ws,
        2,
        json!({"type": "execute", "stream_id": 1, "stmt": {"sql": "SELECT x FROM t"}}),
    );
    assert_eq!(r["error"]["code"], "RESPONSE_TOO_LARGE");
    let r = request(
        &mut ws,
        3,
        json!({"type": "open_cursor", "stream_id": 1, "cursor_id": 1, "batch": {"steps": [{"stmt": {"sql": "SELECT x FROM t"}}]}}),
    );
    assert_eq!(r["type"], "response_ok");
    let (mut rows, mut id) = (0, 4);
    loop {
        let r = request(
            &mut ws,
            id,
            json!({"type": "fetch_cursor", "cursor_id": 1, "max_count": 100_000}),
        );
        id += 1;
        let entries = r["response"]["entries"].as_array().unwrap();
        let size: usize = entries.iter().map(|e| e.to_string().len()).sum();
        assert!(
            size < 1_000 + 200,
            "an eighth of the cap and one entry: {size}"
        );
        rows += entries.iter().filter(|e| e["type"] == "row").count();
        if r["response"]["done"] == true {
            break;
        }
    }
    assert_eq!(rows, 300);
    assert!(id > 20, "{id} fetches");
    // While a cursor is open nothing else may be sent on its stream.
    request(&mut ws, 99, json!({"type": "close_cursor", "cursor_id": 1}));
    let r = request(
        &mut ws,
        98,
        json!({"type": "execute", "stream_id": 1, "stmt": {"sql": "SELECT count(*) FROM t"}}),
    );
    assert_eq!(r["response"]["result"]["rows"][0][0]["value"], "300");
    request(
        &mut ws,
        100,
        json!({"type": "open_cursor", "stream_id": 1, "cursor_id": 2, "batch": {"steps": [{"stmt": {"sql": "SELECT 1"}}]}}),
    );
    send(
        &mut ws,
        json!({"type": "request", "request_id": 101, "request": {"type": "execute", "stream_id": 1, "stmt": {"sql": "SELECT 1"}}}),
    );
    assert_eq!(recv(&mut ws).unwrap_err(), Some(CloseCode::Policy));
    assert_eq!(s.open_streams(), 0);
}
