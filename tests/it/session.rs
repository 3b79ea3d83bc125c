//! Transaction semantics through the session, one table of scenarios run on every
//! transport: identical visible results, plus request counts on the remote ones.

use crate::harness::{Backend, Db};

struct Scenario {
    name: &'static str,
    args: &'static [&'static str],
    script: &'static str,
    stdout: &'static str,
    code: i32,
    /// Text stderr must contain ("" = stderr must be empty).
    stderr: &'static str,
    /// `x` values of table `t` afterwards, comma-separated in order.
    t: &'static str,
    /// Round trips the whole run costs (None: not asserted): HTTP pipeline POSTs, or
    /// WebSocket bursts (each carries exactly one `batch` request).
    requests: Option<usize>,
}

const SETUP: &str = "CREATE TABLE t(x UNIQUE); CREATE TABLE log(m); \
    CREATE TABLE parent(id INTEGER PRIMARY KEY); \
    CREATE TABLE child(pid REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);";

const fn s(
    name: &'static str,
    script: &'static str,
    stdout: &'static str,
    code: i32,
    stderr: &'static str,
    t: &'static str,
    requests: Option<usize>,
) -> Scenario {
    Scenario {
        name,
        args: &[],
        script,
        stdout,
        code,
        stderr,
        t,
        requests,
    }
}

const fn kg(sc: Scenario) -> Scenario {
    Scenario {
        args: &["--keep-going"],
        ..sc
    }
}

const SCENARIOS: &[Scenario] = &[
    s("commit without reads is one request", "BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); COMMIT", "", 0, "", "1,2", Some(1)),
    s("rollback without reads is zero requests", "BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); ROLLBACK", "", 0, "", "", Some(0)),
    s("begin insert select rollback", "BEGIN; INSERT INTO t VALUES (1); SELECT count(*) FROM t; ROLLBACK; SELECT count(*) FROM t", "1\n0\n", 0, "", "", Some(1)),
    s("read then write then commit", "BEGIN; INSERT INTO t VALUES (1); SELECT count(*) FROM t; INSERT INTO t VALUES (2); COMMIT; SELECT count(*) FROM t", "1\n2\n", 0, "", "1,2", Some(1)),
    s("error in the middle rolls everything back", "BEGIN; INSERT INTO t VALUES (1); INSERT INTO nope VALUES (2); INSERT INTO t VALUES (3); COMMIT", "", 1, "statement 3 (argument 1): no such table: nope", "", Some(1)),
    kg(s("keep-going: later statements of the transaction still run", "BEGIN; INSERT INTO t VALUES (1); INSERT INTO nope VALUES (2); INSERT INTO t VALUES (3); COMMIT", "", 1, "statement 3 (argument 1): no such table: nope", "1,3", Some(1))),
    s("constraint error inside a transaction", "BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); COMMIT", "", 1, "UNIQUE constraint failed: t.x", "", Some(1)),
    s("ddl in a rolled back transaction", "BEGIN; CREATE TABLE u(y); INSERT INTO u VALUES (1); SELECT count(*) FROM u; ROLLBACK; SELECT count(*) FROM sqlite_schema WHERE name = 'u'", "1\n0\n", 0, "", "", Some(1)),
    s("ddl in a committed transaction", "BEGIN; CREATE TABLE u(y); INSERT INTO u VALUES (7); COMMIT; SELECT y FROM u", "7\n", 0, "", "", Some(1)),
    s("empty commit", "BEGIN; COMMIT", "", 0, "", "", Some(1)),
    s("begin inside a buffered transaction", "BEGIN; INSERT INTO t VALUES (1); BEGIN", "", 1, "statement 3 (argument 1): cannot start a transaction within a transaction", "", Some(0)),
    s("begin inside a live transaction", "BEGIN; SELECT 1; BEGIN; COMMIT", "1\n", 1, "cannot start a transaction within a transaction", "", None),
    s("commit without a transaction", "COMMIT", "", 1, "cannot commit - no transaction is active", "", Some(1)),
    s("rollback without a transaction", "ROLLBACK", "", 1, "cannot rollback - no transaction is active", "", Some(1)),
    s("returning inside a transaction", "BEGIN; INSERT INTO t VALUES (5) RETURNING x; COMMIT", "5\n", 0, "", "5", Some(1)),
    s("last_insert_rowid after buffered inserts", "BEGIN; INSERT INTO t VALUES (10); INSERT INTO t VALUES (11); SELECT last_insert_rowid(); COMMIT", "2\n", 0, "", "10,11", Some(1)),
    s("changes after a buffered update", "INSERT INTO t VALUES (1), (2), (3); BEGIN; UPDATE t SET x = x + 10; SELECT changes(); COMMIT", "3\n", 0, "", "11,12,13", Some(1)),
    s("nested savepoints on the buffer", "BEGIN; INSERT INTO t VALUES (1); SAVEPOINT a; INSERT INTO t VALUES (2); SAVEPOINT b; INSERT INTO t VALUES (3); ROLLBACK TO b; RELEASE a; COMMIT; SELECT group_concat(x) FROM t", "1,2\n", 0, "", "1,2", Some(1)),
    s("savepoint in autocommit starts a transaction", "SAVEPOINT s; INSERT INTO t VALUES (1); ROLLBACK TO s; INSERT INTO t VALUES (2); RELEASE s; SELECT group_concat(x) FROM t", "2\n", 0, "", "2", Some(1)),
    s("rollback to a savepoint after a read", "BEGIN; INSERT INTO t VALUES (1); SAVEPOINT a; INSERT INTO t VALUES (2); SELECT count(*) FROM t; ROLLBACK TO a; COMMIT; SELECT count(*) FROM t", "2\n1\n", 0, "", "1", Some(1)),
    s("release of the outer savepoint commits", "SAVEPOINT a; INSERT INTO t VALUES (1); SAVEPOINT b; INSERT INTO t VALUES (2); RELEASE a", "", 0, "", "1,2", Some(1)),
    s("unfinished transaction is rolled back at the end", "BEGIN; INSERT INTO t VALUES (1)", "", 0, "rolled back", "", Some(0)),
    s("unfinished live transaction is rolled back at the end", "BEGIN; INSERT INTO t VALUES (1); SELECT count(*) FROM t", "1\n", 0, "rolled back", "", None),
    s("deferred foreign key failing at commit", "PRAGMA foreign_keys = ON; BEGIN; INSERT INTO child VALUES (99); INSERT INTO t VALUES (1); COMMIT", "", 1, "FOREIGN KEY constraint failed", "", None),
    s("autocommit stops at the first error", "INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)", "", 1, "statement 2 (argument 1): UNIQUE constraint failed: t.x", "1", Some(1)),
    kg(s("keep-going in autocommit", "INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)", "", 1, "statement 2 (argument 1): UNIQUE constraint failed: t.x", "1,2", Some(1))),
    s("END TRANSACTION commits", "BEGIN TRANSACTION; INSERT INTO t VALUES (1); END TRANSACTION", "", 0, "", "1", Some(1)),
    s("BEGIN IMMEDIATE", "BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT", "", 0, "", "1", Some(1)),
    s("two transactions in one request", "BEGIN; INSERT INTO t VALUES (1); COMMIT; BEGIN; INSERT INTO t VALUES (2); COMMIT", "", 0, "", "1,2", Some(1)),
    s("rollback then commit", "BEGIN; INSERT INTO t VALUES (1); ROLLBACK; BEGIN; INSERT INTO t VALUES (2); COMMIT", "", 0, "", "2", Some(1)),
    s("error after a commit keeps the commit", "BEGIN; INSERT INTO t VALUES (1); COMMIT; INSERT INTO nope VALUES (1)", "", 1, "statement 4 (argument 1): no such table: nope", "1", Some(1)),
    s("trigger created and fired in a transaction", "BEGIN; CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('x;' || new.x); END; INSERT INTO t VALUES (4); COMMIT; SELECT m FROM log", "x;4\n", 0, "", "4", Some(1)),
    s("reads in autocommit between transactions", "SELECT 1; BEGIN; INSERT INTO t VALUES (1); COMMIT; SELECT count(*) FROM t", "1\n1\n", 0, "", "1", Some(1)),
    s("a read inside the transaction sees buffered writes and nothing leaks", "BEGIN; INSERT INTO t VALUES (1); SELECT x FROM t; INSERT INTO t VALUES (1); COMMIT", "1\n", 1, "UNIQUE constraint failed: t.x", "", Some(1)),
];

fn run_all(backend: Backend) {
    let mut failures = Vec::new();
    for sc in SCENARIOS {
        let db = Db::new(backend);
        db.sql(SETUP);
        if let Some(s) = &db.server {
            s.reset_counters();
        }
        let out = db.exec(["-m", "list"]).args(sc.args).arg(sc.script).run();
        let t = db.query_strings(
            "SELECT coalesce(group_concat(x, ','), '') FROM (SELECT x FROM t ORDER BY x)",
        );
        let t = t[0]
            .trim_start_matches("Text(\"")
            .trim_end_matches("\")")
            .to_string();
        let mut problems = Vec::new();
        if out.stdout != sc.stdout {
            problems.push(format!("stdout {:?} != {:?}", out.stdout, sc.stdout));
        }
        if out.code != sc.code {
            problems.push(format!("exit {} != {}", out.code, sc.code));
        }
        if sc.stderr.is_empty() && !out.stderr.is_empty() || !out.stderr.contains(sc.stderr) {
            problems.push(format!("stderr {:?} lacks {:?}", out.stderr, sc.stderr));
        }
        if t != sc.t {
            problems.push(format!("table t = {t:?}, want {:?}", sc.t));
        }
        if let (Some(want), Some(server)) = (sc.requests, &db.server) {
            let got = match backend {
                Backend::Ws => server.ws_log().iter().filter(|k| *k == "batch").count(),
                _ => server.requests(),
            };
            if got != want {
                problems.push(format!("{got} requests, want {want}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", sc.name, problems.join("; ")));
        }
    }
    assert!(SCENARIOS.len() >= 30);
    assert!(
        failures.is_empty(),
        "{} scenario(s) failed on {backend:?}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn scenarios_local() {
    run_all(Backend::Local);
}

#[test]
fn scenarios_http() {
    run_all(Backend::Http);
}

#[test]
fn scenarios_ws() {
    run_all(Backend::Ws);
}
