//! `--trace`: one stderr line per remote round trip, never the token.

use crate::harness::{shell, Backend, Db};

#[test]
fn trace_shows_each_round_trip_without_the_token() {
    for backend in [Backend::Http, Backend::Ws] {
        let db = Db::new(backend);
        let out = shell()
            .args([
                "exec",
                "--trace",
                "--auth-token",
                "SECRET-TOKEN-777",
                "-m",
                "list",
            ])
            .arg(db.target())
            .arg("CREATE TABLE t(x); INSERT INTO t VALUES (1); SELECT x FROM t")
            .run();
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(out.stdout, "1\n");
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one round trip: {}", out.stderr);
        let line = lines[0];
        assert!(line.starts_with("libsql-shell: trace: "), "{line}");
        assert!(line.contains("3 statement(s)"), "{line}");
        assert!(line.contains(" ms"), "{line}");
        match backend {
            Backend::Http => {
                assert!(
                    line.contains(&format!("POST {}/v3/pipeline", db.target())),
                    "{line}"
                );
                assert!(line.contains("HTTP 200"), "{line}");
            }
            _ => assert!(
                line.contains(&format!("{} (hrana3)", db.target())),
                "{line}"
            ),
        }
        assert!(
            !out.stderr.contains("SECRET-TOKEN-777") && !out.stdout.contains("SECRET-TOKEN-777")
        );
    }
}

#[test]
fn trace_reports_a_failed_round_trip() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let out = shell()
        .args(["exec", "-v", "--auth-token", "SECRET-TOKEN-777"])
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("SELECT 1")
        .run();
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("libsql-shell: trace: POST http://127.0.0.1:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("failed after"), "{}", out.stderr);
    assert!(!out.stderr.contains("SECRET-TOKEN-777"));
}
