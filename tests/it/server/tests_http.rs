//! Self-tests of the test server over HTTP: raw JSON through `ureq`, raw TCP where the HTTP
//! framing itself is under test.

use std::time::Duration;

use libsql_shell::transport::hrana::CursorEntry;
use serde_json::{json, Value as Json};

use super::{TestServer, Versions};

/// Status, content type and body of a POST (any status).
pub(super) fn post(url: &str, body: &Json, token: Option<&str>) -> (u16, String, String) {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(20))
        .build();
    let mut req = agent.post(url).set("Content-Type", "application/json");
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    match req.send_string(&body.to_string()) {
        Ok(r) | Err(ureq::Error::Status(_, r)) => {
            let status = r.status();
            let ctype = r.content_type().to_string();
            (status, ctype, r.into_string().expect("body"))
        }
        Err(e) => panic!("transport error: {e}"),
    }
}

pub(super) fn get(url: &str) -> (u16, String) {
    match ureq::get(url).call() {
        Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.into_string().unwrap()),
        Err(e) => panic!("transport error: {e}"),
    }
}

/// A pipeline POST that must succeed: the parsed response.
pub(super) fn pipeline(s: &TestServer, baton: Option<&str>, requests: Json) -> Json {
    let (status, _, body) = post(
        &format!("{}/v3/pipeline", s.http_url()),
        &json!({"baton": baton, "requests": requests}),
        None,
    );
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

pub(super) fn exec(sql: &str) -> Json {
    json!({"type": "execute", "stmt": {"sql": sql}})
}

pub(super) fn count(s: &TestServer, table: &str) -> i64 {
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn server_pipeline_executes_with_exact_values() {
    let s = TestServer::start();
    let r = pipeline(
        &s,
        None,
        json!([
            exec("CREATE TABLE t(i INTEGER, r REAL, x TEXT, b BLOB, n)"),
            {"type": "execute", "stmt": {"sql": "INSERT INTO t VALUES (?, ?, ?, ?, ?)", "args": [
                {"type": "integer", "value": i64::MAX.to_string()}, {"type": "float", "value": 2.5},
                {"type": "text", "value": "héllo"}, {"type": "blob", "base64": "AAEC/w"}, {"type": "null"}]}},
            {"type": "execute", "stmt": {"sql": "SELECT * FROM t WHERE x = :x", "named_args": [
                {"name": ":x", "value": {"type": "text", "value": "héllo"}}]}},
            {"type": "close"}
        ]),
    );
    assert_eq!(r["baton"], Json::Null, "closed stream has no baton");
    assert_eq!(r["base_url"], Json::Null);
    let res = &r["results"];
    assert_eq!(res.as_array().unwrap().len(), 4);
    let ins = &res[1]["response"]["result"];
    assert_eq!(ins["affected_row_count"], 1);
    assert_eq!(ins["last_insert_rowid"], "1");
    let sel = &res[2]["response"]["result"];
    assert_eq!(sel["cols"][0], json!({"name": "i", "decltype": "INTEGER"}));
    assert_eq!(sel["cols"][4], json!({"name": "n", "decltype": null}));
    assert_eq!(
        sel["rows"][0],
        json!([{"type": "integer", "value": "9223372036854775807"}, {"type": "float", "value": 2.5},
               {"type": "text", "value": "héllo"}, {"type": "blob", "base64": "AAEC/w"}, {"type": "null"}])
    );
    assert_eq!(sel["last_insert_rowid"], Json::Null);
    assert!(
        sel["rows_read"].is_number() && sel["replication_index"].is_string(),
        "sqld extras: {sel}"
    );
    assert_eq!(res[3], json!({"type": "ok", "response": {"type": "close"}}));
    assert_eq!(count(&s, "t"), 1);
    assert_eq!(s.requests(), 1);
    assert_eq!(
        s.pipeline_log(),
        vec![vec!["execute", "execute", "execute", "close"]]
    );
    assert_eq!(s.open_streams(), 0);
}

#[test]
fn server_batons_are_single_use() {
    let s = TestServer::start();
    let r1 = pipeline(&s, None, json!([exec("SELECT 1")]));
    let b1 = r1["baton"].as_str().unwrap().to_string();
    assert!(b1.len() >= 32, "unguessable baton: {b1}");
    assert_eq!(s.open_streams(), 1);
    let r2 = pipeline(&s, Some(&b1), json!([]));
    let b2 = r2["baton"].as_str().unwrap().to_string();
    assert_ne!(b1, b2);
    let url = format!("{}/v3/pipeline", s.http_url());
    for bad in [b1.as_str(), "not-a-baton"] {
        let (status, ctype, body) = post(&url, &json!({"baton": bad, "requests": []}), None);
        assert_eq!((status, body.as_str()), (400, "Received an invalid baton"));
        assert!(ctype.starts_with("text/plain"), "{ctype}");
    }
    let r3 = pipeline(&s, Some(&b2), json!([{"type": "close"}]));
    assert_eq!(r3["baton"], Json::Null);
    let (status, _, _) = post(&url, &json!({"baton": b2, "requests": []}), None);
    assert_eq!(status, 400);
}

#[test]
fn server_expired_streams_answer_stream_expired_and_roll_back() {
    let s = TestServer::start();
    pipeline(
        &s,
        None,
        json!([exec("CREATE TABLE t(x)"), {"type": "close"}]),
    );
    let r = pipeline(
        &s,
        None,
        json!([exec("BEGIN"), exec("INSERT INTO t VALUES (1)")]),
    );
    let baton = r["baton"].as_str().unwrap().to_string();
    assert_eq!(s.open_streams(), 1);
    s.expire_streams_now();
    assert_eq!(s.open_streams(), 0);
    let (status, ctype, body) = post(
        &format!("{}/v3/pipeline", s.http_url()),
        &json!({"baton": baton, "requests": [exec("COMMIT")]}),
        None,
    );
    assert_eq!(status, 400);
    assert_eq!(ctype, "application/json");
    let e: Json = serde_json::from_str(&body).unwrap();
    assert_eq!(
        e,
        json!({"message": "The stream has expired due to inactivity", "code": "STREAM_EXPIRED"})
    );
    assert_eq!(
        count(&s, "t"),
        0,
        "the expired stream's transaction is gone"
    );
}

#[test]
fn server_idle_streams_expire_on_their_own() {
    // A zero expiry makes every stream stale by its next request: no sleeping needed.
    let s = TestServer::builder().stream_expiry(Duration::ZERO).start();
    let r = pipeline(&s, None, json!([exec("SELECT 1")]));
    let baton = r["baton"].as_str().unwrap();
    let (status, _, body) = post(
        &format!("{}/v2/pipeline", s.http_url()),
        &json!({"baton": baton, "requests": []}),
        None,
    );
    assert_eq!(status, 400);
    assert!(body.contains("STREAM_EXPIRED"), "{body}");
}

#[test]
fn server_auth_answers_like_sqld() {
    let s = TestServer::builder().token("secret").start();
    let url = format!("{}/v3/pipeline", s.http_url());
    let body = json!({"baton": null, "requests": [exec("SELECT 1"), {"type": "close"}]});
    let (status, ctype, text) = post(&url, &body, None);
    assert_eq!((status, ctype.as_str()), (401, "application/json"));
    assert_eq!(
        text,
        r#"{"error":"Unauthorized: Expected authorization header but none given"}"#
    );
    let (status, _, text) = post(&url, &body, Some("wrong"));
    assert_eq!(status, 401);
    assert_eq!(text, r#"{"error":"Unauthorized: `The JWT is invalid`"}"#);
    assert_eq!(post(&url, &body, Some("secret")).0, 200);
    // The scheme is matched case-insensitively.
    let r = ureq::post(&url)
        .set("Authorization", "bearer secret")
        .send_string(&body.to_string())
        .unwrap();
    assert_eq!(r.status(), 200);
    // Probes need no token.
    assert_eq!(
        get(&format!("{}/health", s.http_url())),
        (200, String::new())
    );
    assert_eq!(get(&format!("{}/v3", s.http_url())).0, 200);
    assert_eq!(s.requests(), 4, "every Hrana POST counts, refused or not");
}

#[test]
fn server_v2_refuses_hrana3_requests() {
    let s = TestServer::start();
    let url = format!("{}/v2/pipeline", s.http_url());
    let (status, ctype, body) = post(
        &url,
        &json!({"baton": null, "requests": [{"type": "get_autocommit"}]}),
        None,
    );
    assert_eq!(status, 400);
    assert!(
        ctype.starts_with("text/plain") && body.contains("hrana3"),
        "{body}"
    );
    let cond = json!({"baton": null, "requests": [{"type": "batch", "batch": {"steps": [
        {"stmt": {"sql": "SELECT 1"}, "condition": {"type": "is_autocommit"}}]}}]});
    assert_eq!(post(&url, &cond, None).0, 400);
    let r: Json =
        serde_json::from_str(&post(&format!("{}/v3/pipeline", s.http_url()), &cond, None).2)
            .unwrap();
    assert_eq!(
        r["results"][0]["response"]["result"]["step_errors"],
        json!([null])
    );
    let r = pipeline(
        &s,
        None,
        json!([exec("BEGIN"), {"type": "get_autocommit"}, exec("ROLLBACK"), {"type": "get_autocommit"}]),
    );
    assert_eq!(
        r["results"][1]["response"],
        json!({"type": "get_autocommit", "is_autocommit": false})
    );
    assert_eq!(r["results"][3]["response"]["is_autocommit"], true);
}

#[test]
fn server_v1_endpoints_are_stateless() {
    let s = TestServer::start();
    let url = |p: &str| format!("{}/v1/{p}", s.http_url());
    let (status, _, body) = post(
        &url("execute"),
        &json!({"stmt": {"sql": "CREATE TABLE t(x)", "want_rows": false}}),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let steps = |third: &str| {
        json!({"batch": {"steps": [
        {"stmt": {"sql": "INSERT INTO t VALUES (7)"}},
        {"stmt": {"sql": "SELECT x FROM t"}, "condition": {"type": "ok", "step": 0}},
        {"stmt": {"sql": third}},
        {"stmt": {"sql": "SELECT 'skipped'"}, "condition": {"type": "ok", "step": 2}}]}})
    };
    // As on sqld, every step is parsed before any runs: one that does not parse fails the
    // whole batch, and nothing of it runs.
    let (status, _, body) = post(&url("batch"), &steps("SELEC"), None);
    assert_eq!(status, 400, "{body}");
    let r: Json = serde_json::from_str(&body).unwrap();
    assert_eq!(r["code"], "SQL_PARSE_ERROR", "{body}");
    assert_eq!(count(&s, "t"), 0, "nothing of the batch ran");
    let (status, _, body) = post(&url("batch"), &steps("SELECT * FROM missing"), None);
    assert_eq!(status, 200, "{body}");
    let r: Json = serde_json::from_str(&body).unwrap();
    let res = &r["result"];
    assert_eq!(
        res["step_results"][1]["rows"],
        json!([[{"type": "integer", "value": "7"}]])
    );
    assert_eq!(res["step_errors"][2]["code"], "SQLITE_UNKNOWN");
    assert_eq!(
        (&res["step_results"][3], &res["step_errors"][3]),
        (&Json::Null, &Json::Null)
    );
    let (status, _, body) = post(
        &url("execute"),
        &json!({"stmt": {"sql": "SELECT * FROM missing"}}),
        None,
    );
    assert_eq!(status, 500);
    let e: Json = serde_json::from_str(&body).unwrap();
    assert_eq!(e["code"], "SQLITE_UNKNOWN");
    assert_eq!(e["message"], "SQLite error: no such table: missing");
    assert_eq!(
        post(&url("execute"), &json!({"stmt": {"sql": "SELEC 1"}}), None).0,
        400
    );
    // A transaction does not survive the request.
    post(&url("execute"), &json!({"stmt": {"sql": "BEGIN"}}), None);
    assert_eq!(
        post(
            &url("execute"),
            &json!({"stmt": {"sql": "INSERT INTO t VALUES (8)"}}),
            None
        )
        .0,
        200
    );
    assert_eq!(count(&s, "t"), 2);
    // Six, plus the batch refused for its parse error.
    assert_eq!(s.requests(), 7);
}

#[test]
fn server_cursor_streams_entries_and_the_final_entry() {
    let s = TestServer::start();
    let body = json!({"baton": null, "batch": {"steps": [
        {"stmt": {"sql": "CREATE TABLE t(x INTEGER)"}},
        {"stmt": {"sql": "INSERT INTO t VALUES (1), (2)"}},
        {"stmt": {"sql": "SELECT x FROM t ORDER BY x"}},
        {"stmt": {"sql": "SELECT * FROM nope"}},
        {"stmt": {"sql": "SELECT 1"}, "condition": {"type": "ok", "step": 3}}]}});
    let (status, ctype, text) = post(&format!("{}/v3/cursor", s.http_url()), &body, None);
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/plain"));
    // sqld's order: the head's baton first, every entry's type first.
    assert!(text.starts_with(r#"{"baton":""#), "{text}");
    assert!(
        text.lines().skip(1).all(|l| l.starts_with(r#"{"type":""#)),
        "{text}"
    );
    assert!(
        text.contains(r#"{"type":"step_begin","step":0,"cols":[]}"#),
        "{text}"
    );
    let lines: Vec<Json> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let baton = lines[0]["baton"]
        .as_str()
        .expect("head carries the baton")
        .to_string();
    assert_eq!(lines[0]["base_url"], Json::Null);
    let types: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "step_begin",
            "step_end",
            "step_begin",
            "step_end",
            "step_begin",
            "row",
            "row",
            "step_end",
            "step_error",
            "replication_index"
        ]
    );
    assert_eq!(
        lines[4],
        json!({"type": "step_end", "affected_row_count": 2, "last_insert_rowid": 2}),
        "a number, as sqld"
    );
    assert_eq!(
        lines[5],
        json!({"type": "step_begin", "step": 2, "cols": [{"name": "x", "decltype": "INTEGER"}]})
    );
    assert_eq!(lines[9]["step"], 3);
    assert_eq!(lines[9]["error"]["code"], "SQLITE_UNKNOWN");
    // The crate's own decoder reads every line, sqld's extra last one included.
    for l in &lines[1..] {
        let _: CursorEntry = serde_json::from_value(l.clone()).unwrap();
    }
    assert!(lines[10]["replication_index"].is_u64(), "a number, as sqld");
    assert!(matches!(
        serde_json::from_value::<CursorEntry>(lines[10].clone()).unwrap(),
        CursorEntry::ReplicationIndex {
            replication_index: Some(_)
        }
    ));
    // The stream lives on: close it with its baton.
    let r = pipeline(
        &s,
        Some(&baton),
        json!([exec("SELECT count(*) FROM t"), {"type": "close"}]),
    );
    assert_eq!(
        r["results"][0]["response"]["result"]["rows"][0][0]["value"],
        "2"
    );
    assert_eq!(s.requests(), 2);
    assert_eq!(s.pipeline_log().len(), 1, "the cursor is not a pipeline");
}

#[test]
fn server_probes_routes_and_versions() {
    let s = TestServer::start();
    let u = s.http_url();
    assert_eq!(get(&format!("{u}/health")), (200, String::new()));
    assert_eq!(get(&format!("{u}/version")).0, 200);
    assert_eq!(get(&format!("{u}/v2")).0, 200);
    assert_eq!(get(&format!("{u}/v3")).0, 200);
    assert_eq!(get(&format!("{u}/v3-protobuf")).0, 404, "no protobuf here");
    assert_eq!(get(&format!("{u}/nope")).0, 404);
    assert_eq!(get(&format!("{u}/v3/pipeline")).0, 405);

    let v2 = TestServer::builder().versions(Versions::V2Only).start();
    let u = v2.http_url();
    assert_eq!(get(&format!("{u}/v3")).0, 404);
    assert_eq!(
        post(
            &format!("{u}/v3/pipeline"),
            &json!({"baton": null, "requests": []}),
            None
        )
        .0,
        404
    );
    assert_eq!(
        post(
            &format!("{u}/v3/cursor"),
            &json!({"baton": null, "batch": {"steps": []}}),
            None
        )
        .0,
        404
    );
    assert_eq!(
        post(
            &format!("{u}/v2/pipeline"),
            &json!({"baton": null, "requests": []}),
            None
        )
        .0,
        200
    );
    assert_eq!(v2.requests(), 1, "404s do not count");

    let v1 = TestServer::builder().versions(Versions::V1Only).start();
    let u = v1.http_url();
    assert_eq!(get(&format!("{u}/v2")).0, 404);
    assert_eq!(
        post(
            &format!("{u}/v2/pipeline"),
            &json!({"baton": null, "requests": []}),
            None
        )
        .0,
        404
    );
    assert_eq!(
        post(
            &format!("{u}/v1/execute"),
            &json!({"stmt": {"sql": "SELECT 1"}}),
            None
        )
        .0,
        200
    );
}

#[test]
fn server_base_url_makes_streams_sticky() {
    let s = TestServer::builder()
        .base_url_prefix(Some("/sticky"))
        .start();
    let expected = format!("{}/sticky", s.http_url());
    assert_eq!(s.base_url().as_deref(), Some(expected.as_str()));
    let r = pipeline(&s, None, json!([exec("SELECT 1")]));
    assert_eq!(r["base_url"], expected.as_str());
    let baton = r["baton"].as_str().unwrap();
    let (status, _, body) = post(
        &format!("{expected}/v3/pipeline"),
        &json!({"baton": baton, "requests": [{"type": "close"}]}),
        None,
    );
    assert_eq!(status, 200);
    let r: Json = serde_json::from_str(&body).unwrap();
    assert_eq!(r["baton"], Json::Null);
    assert_eq!(r["base_url"], expected.as_str());
    assert_eq!((s.requests(), s.sticky_requests()), (2, 1));
    s.reset_counters();
    assert_eq!(
        (s.requests(), s.sticky_requests(), s.pipeline_log().len()),
        (0, 0, 0)
    );
}

#[test]
fn server_stored_sql_describe_and_sequence() {
    let s = TestServer::start();
    let r = pipeline(
        &s,
        None,
        json!([
            {"type": "sequence", "sql": "CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x');"},
            {"type": "store_sql", "sql_id": 1, "sql": "SELECT a, b FROM t WHERE a = ?"},
            {"type": "batch", "batch": {"steps": [{"stmt": {"sql_id": 1, "args": [{"type": "integer", "value": "1"}]}}]}},
            {"type": "describe", "sql_id": 1},
            {"type": "describe", "sql": "EXPLAIN SELECT :p"},
            {"type": "close_sql", "sql_id": 1},
            {"type": "sequence", "sql": "INSERT INTO t VALUES (2, 'y'); SELEC; INSERT INTO t VALUES (3, 'z');"},
            exec("  -- only a comment\n"),
        ]),
    );
    let res = &r["results"];
    assert_eq!(res[0]["response"], json!({"type": "sequence"}));
    assert_eq!(
        res[2]["response"]["result"]["step_results"][0]["rows"][0][1]["value"],
        "x"
    );
    assert_eq!(
        res[3]["response"]["result"],
        json!({"params": [{"name": null}], "cols": [{"name": "a", "decltype": "INTEGER"}, {"name": "b", "decltype": "TEXT"}],
               "is_explain": false, "is_readonly": true})
    );
    assert_eq!(res[4]["response"]["result"]["is_explain"], true);
    assert_eq!(
        res[4]["response"]["result"]["params"],
        json!([{"name": ":p"}])
    );
    assert_eq!(
        res[6]["type"], "error",
        "a sequence stops at its first error"
    );
    assert_eq!(res[7]["error"]["code"], "SQL_NO_STATEMENT");
    assert_eq!(count(&s, "t"), 2);
    let baton = r["baton"].as_str().unwrap();
    // A closed id is unknown (protocol error: 400, the stream is gone).
    let url = format!("{}/v3/pipeline", s.http_url());
    let (status, _, body) = post(
        &url,
        &json!({"baton": baton, "requests": [{"type": "execute", "stmt": {"sql_id": 1}}]}),
        None,
    );
    assert_eq!(status, 400, "{body}");
    // The 51st stored text is refused.
    let stores: Vec<Json> = (0..51)
        .map(|i| json!({"type": "store_sql", "sql_id": i, "sql": "SELECT 1"}))
        .collect();
    let r = pipeline(&s, None, Json::Array(stores));
    assert_eq!(r["results"][49]["type"], "ok");
    assert_eq!(r["results"][50]["error"]["code"], "SQL_STORE_TOO_MANY");
}

#[test]
fn server_statement_errors_have_sqld_codes() {
    let s = TestServer::builder().max_response_size(2_000).start();
    let r = pipeline(
        &s,
        None,
        json!([
            exec("CREATE TABLE t(x UNIQUE)"),
            exec("INSERT INTO t VALUES (1)"),
            exec("INSERT INTO t VALUES (1)"),
            exec("SELEC 1"),
            exec("SELECT * FROM missing"),
            exec("SELECT 1; SELECT 2"),
            {"type": "execute", "stmt": {"sql": "SELECT ?", "args": [{"type": "null"}], "named_args": [{"name": "a", "value": {"type": "null"}}]}},
            exec("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c LIMIT 500) SELECT n FROM c"),
        ]),
    );
    let code = |i: usize| {
        r["results"][i]["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{}", r["results"][i]))
            .to_string()
    };
    assert_eq!(code(2), "SQLITE_CONSTRAINT");
    assert_eq!(
        r["results"][2]["error"]["message"],
        "SQLite error: UNIQUE constraint failed: t.x"
    );
    assert_eq!(code(3), "SQL_PARSE_ERROR");
    assert_eq!(code(4), "SQLITE_UNKNOWN");
    assert_eq!(code(5), "SQL_MANY_STATEMENTS");
    assert_eq!(code(6), "ARGS_BOTH_POSITIONAL_AND_NAMED");
    assert_eq!(code(7), "RESPONSE_TOO_LARGE");
    // Integers must be strings: a bare number fails the whole request.
    let bad = json!({"baton": null, "requests": [{"type": "execute", "stmt": {"sql": "SELECT ?", "args": [{"type": "integer", "value": 1}]}}]});
    let (status, ctype, _) = post(&format!("{}/v3/pipeline", s.http_url()), &bad, None);
    assert_eq!(status, 400);
    assert!(ctype.starts_with("text/plain"));
}
