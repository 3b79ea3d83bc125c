//! The token never leaks. Every test of this module checks its outputs for
//! [`SECRET`](super::SECRET); this one adds the rest: success in every output format, the
//! token from the environment, `--trace`, a 401 that echoes the token, a piped script, `batch`.

use crate::harness::shell;
use crate::server::{Fault, TestServer};

use super::{count, exec, run, setup, SECRET};

#[test]
fn token_never_appears_on_success_or_in_any_format() {
    let s = TestServer::builder().token(SECRET).start();
    setup(&s, "CREATE TABLE t(x); INSERT INTO t VALUES ('a')");
    for format in ["json", "table", "csv", "line", "list"] {
        let out = exec(&s, &["-m", format], "SELECT x, 'tok' FROM t");
        assert!(out.ok().contains('a'), "{out:?}");
    }
    let out = run(shell()
        .env("LIBSQL_AUTH_TOKEN", SECRET)
        .args(["exec", "-m", "json"])
        .arg(s.http_url())
        .arg("SELECT x FROM t"));
    assert_eq!(out.ok(), "[{\"x\":\"a\"}]\n");
    // --trace prints every round trip, never the token.
    let out = exec(&s, &["--trace"], "SELECT x FROM t");
    assert_eq!(out.stdout, "a\n");
    assert!(out.stderr.contains("trace: POST "), "{}", out.stderr);
    s.fail_next(Fault::Status(
        401,
        format!("{{\"error\":\"bad token {SECRET}\"}}"),
    ));
    let out = exec(&s, &["--trace"], "SELECT x FROM t");
    out.fails(2, "authentication failed: bad token (redacted)");
    // A statement error, a piped script with dot-commands, batch.
    let out = exec(&s, &["-m", "json"], "SELECT * FROM nope");
    out.fails(1, "no such table: nope");
    let out = run(shell()
        .args(["--auth-token", SECRET])
        .arg(s.http_url())
        .stdin(".tables\nSELECT count(*) FROM t;\n.show\n"));
    assert!(out.stdout.contains('1'), "{out:?}");
    let out = run(shell()
        .args(["batch", "--auth-token", SECRET])
        .arg(s.http_url())
        .stdin("INSERT INTO t VALUES ('b');"));
    out.ok();
    assert_eq!(count(&s, "t"), 2);
}
