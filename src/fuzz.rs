//! Fuzzing of every parser of user input, on stable Rust, inside `cargo test`.
//!
//! Each target starts from seed inputs that look like real input (scripts, URLs, config files,
//! CSV, server responses) and runs a fixed number of deterministic mutations of them: bytes
//! flipped, deleted or duplicated, tokens that open or close quotes, comments and brackets
//! inserted, inputs cut short and spliced together. The property is always "no panic" (the
//! parser answers `Ok` or a clear error), plus any invariant the target states. A failing
//! input is printed in full, so it can become a named regression test.
//!
//! `LIBSQL_SHELL_FUZZ_CASES` scales the number of cases (default: [`DEFAULT_CASES`] per
//! target); the seed of every run is fixed, so a failure reproduces.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Cases per target when `LIBSQL_SHELL_FUZZ_CASES` is not set.
pub const DEFAULT_CASES: usize = 20_000;

/// The number of cases for a target whose one case costs about `weight` cheap ones.
pub fn cases(weight: usize) -> usize {
    let total = std::env::var("LIBSQL_SHELL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    (total / weight.max(1)).max(1)
}

/// splitmix64: small, fast, and the same sequence on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Tokens that change how a parser of SQL, URLs, TOML, CSV or JSON reads what follows.
const TOKENS: &[&str] = &[
    "'",
    "\"",
    "`",
    "[",
    "]",
    "x'",
    "X'0",
    ";",
    "--",
    "/*",
    "*/",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "?",
    "?1",
    ":a",
    "@b",
    "$c",
    "\\",
    "\0",
    "é",
    "\u{10ffff}",
    "\u{feff}",
    "BEGIN",
    "END",
    "CASE",
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN ",
    "{",
    "}",
    ",",
    "=",
    "\"\"",
    "''",
    "://",
    "@",
    "%",
    "%C3",
    ":",
    "::",
    "#",
    "[[",
    "]]",
    "-",
    "1e999",
    "-0",
    "9223372036854775808",
    "null",
    "{\"type\":",
    "\"row\"",
    "[]",
    "\n\n",
    ".",
    "..",
];

/// One mutation of `input`, possibly spliced with another seed.
pub fn mutate(rng: &mut Rng, input: &[u8], seeds: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let at = if out.is_empty() {
            0
        } else {
            rng.below(out.len() + 1)
        };
        match rng.below(8) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(out.len());
                out.drain(at.min(end)..end);
            }
            2 => {
                let t = rng.pick(TOKENS).as_bytes();
                out.splice(at..at, t.iter().copied());
            }
            3 => out.truncate(at),
            4 => {
                let other = rng.pick(seeds);
                let from = if other.is_empty() {
                    0
                } else {
                    rng.below(other.len())
                };
                out.splice(at..at, other[from..].iter().copied());
            }
            5 if !out.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                let copy: Vec<u8> = out[at.min(end)..end].to_vec();
                out.splice(at..at, copy);
            }
            6 => out.insert(at, rng.next_u64() as u8),
            _ => {
                let t = rng.pick(TOKENS).as_bytes();
                out.extend_from_slice(t);
            }
        }
    }
    out
}

/// Run `check` on every seed and on `cases` mutations of them. A panic is reported with the
/// input that caused it, then re-raised.
pub fn run(name: &str, seeds: &[&str], cases: usize, mut check: impl FnMut(&[u8])) {
    let seeds: Vec<&[u8]> = seeds.iter().map(|s| s.as_bytes()).collect();
    let mut rng = Rng::new(name.bytes().fold(0x5eed, |h: u64, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    }));
    for i in 0..seeds.len() + cases {
        let input = match seeds.get(i) {
            Some(s) => s.to_vec(),
            None => {
                let base = *rng.pick(&seeds);
                mutate(&mut rng, base, &seeds)
            }
        };
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&input))) {
            eprintln!(
                "fuzz target {name}: case {i} panicked on input {:?} (bytes {:02x?})",
                String::from_utf8_lossy(&input),
                input
            );
            std::panic::resume_unwind(panic);
        }
    }
}

/// [`run`] for parsers of text: each input is made valid UTF-8 (invalid bytes replaced).
pub fn run_text(name: &str, seeds: &[&str], cases: usize, mut check: impl FnMut(&str)) {
    run(name, seeds, cases, |bytes| {
        check(&String::from_utf8_lossy(bytes))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_target_is_reported_and_fails() {
        let r = catch_unwind(|| {
            run("self-test", &["abc"], 200, |b| {
                assert!(!b.contains(&b'\''), "a quote");
            })
        });
        assert!(
            r.is_err(),
            "mutations insert quotes, so the check must fail"
        );
    }

    #[test]
    fn the_same_name_gives_the_same_inputs() {
        let collect = || {
            let mut seen = Vec::new();
            run("repeat", &["select 1;"], 50, |b| seen.push(b.to_vec()));
            seen
        };
        assert_eq!(collect(), collect());
    }

    // The parsers of user input. Each target's case count is in its `cases(weight)`.

    use crate::session::{ErrorMode, Origin, Output, Session};
    use crate::transport::access::Access;
    use crate::transport::hrana::replay::replay;
    use crate::transport::hrana::Replication;
    use crate::transport::hrana::{CursorEntry, PipelineResponse, ServerMsg, StreamResult};
    use crate::transport::{Batch, BatchStep, Collect, Request, SqlError, Stmt};
    use crate::value::{Column, StmtSummary, Value};

    const SQL_SEEDS: &[&str] = &[
        "select 1;\nselect 'a;b', \"c;d\", [e;f], `g;h` -- ;\n/* ; */ select x'00ff';\n",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  insert into u values (1);\nEND;\nselect 3",
        "begin immediate; insert into t values (?, :a, @b, $c, ?7); commit;",
        "savepoint s1; release s1; rollback to savepoint s2; end transaction;",
        "with x as (select 1) insert into t select * from x returning *;",
        "select 'unterminated",
        "select \"é\" ; select 'é';\r\nvalues (1), (2);",
    ];

    #[test]
    fn fuzz_sql_splitting_and_classification() {
        run_text("sql", SQL_SEEDS, cases(1), |text| {
            let whole = crate::sql::split(text);
            // Fed line by line, the splitter cuts the same statements.
            let mut s = crate::sql::Splitter::new();
            let mut pieces = Vec::new();
            for line in text.split_inclusive('\n') {
                pieces.extend(s.push(line));
            }
            pieces.extend(s.finish());
            assert_eq!(pieces, whole);
            for p in &whole {
                crate::sql::classify(&p.sql);
                crate::sql::leading_words(&p.sql, 3);
                crate::sql::param_markers(&p.sql);
                crate::sql::is_blank(&p.sql);
                crate::sql::is_complete(&p.sql);
            }
            crate::sql::classify(text);
            crate::sql::param_markers(text);
        });
    }

    #[test]
    fn fuzz_parameter_values() {
        let seeds = &[
            "NULL",
            "-9223372036854775808",
            "1.5e3",
            "'it''s'",
            "X'00ff'",
            "x'0",
            "é",
        ];
        run_text("params", seeds, cases(1), |text| {
            crate::params::parse_value(text);
            let args = crate::params::ParamArgs {
                named: vec![format!("{text}={text}"), text.to_string()],
                positional: vec![text.to_string()],
            };
            if let Ok(p) = crate::params::Params::from_args(&args) {
                p.stmt(&format!("select ?, :{text}, {text}"));
            }
        });
    }

    #[test]
    fn fuzz_targets_and_urls() {
        let seeds = &[
            "libsql://db-org.turso.io",
            "libsql://127.0.0.1:8080?tls=0&authToken=x",
            "https://[::1]:9/path/",
            "wss://host:65535",
            "ws://h:99999",
            "file:x.db?mode=ro",
            "my-db-org.turso.io",
            "./data.db",
            "libsql://dätenbänk.example.jp",
            "http://user:pw@h/",
        ];
        use crate::target::{resolve, Force};
        run_text("target", seeds, cases(2), |text| {
            for force in [Force::Auto, Force::Remote, Force::Local] {
                let _ = resolve(text, force, &|_| false);
            }
            let _ = resolve(text, Force::Auto, &|_| true);
        });
    }

    #[test]
    fn fuzz_named_connection_files() {
        let seeds = &[
            "[databases.prod]\nurl = \"libsql://prod-org.turso.io\"\nauth_token_env = \"T\"\n",
            "[databases.dev]\nurl = \"libsql://127.0.0.1:8080?tls=0\"\nauth_token = \"x\"\n",
            "[databases.\"a b\"]\nurl = '@other'\n[databases.x]\nurl = 3\n",
        ];
        run_text("config", seeds, cases(2), |text| {
            if let Ok(cfg) = crate::config::Config::parse("/c/config.toml".into(), text, true) {
                for name in ["prod", "dev", "x"] {
                    if cfg.get(name).is_ok() {
                        let _ = cfg.entry_token(name, &|_| None);
                    }
                }
            }
        });
    }

    #[test]
    fn fuzz_migration_files() {
        let seeds = &[
            "0001_create_users.sql",
            "20240101120000_add_index.up.sql",
            "-- migrate:up\ncreate table t(x);\n-- migrate:down\ndrop table t;\n",
            "-- libsql-shell: no-transaction\nvacuum;\n",
            "create table a(x);\n-- down\ndrop table a;",
        ];
        run_text("migrate", seeds, cases(2), |text| {
            let _ = crate::migrate::files::parse_file_name(text);
            if let Ok((up, down, _)) = crate::migrate::files::parse_text(text) {
                for section in std::iter::once(up).chain(down) {
                    let _ = section.statements(true);
                    let _ = section.statements(false);
                }
            }
            let name = std::path::Path::new("0001_x.sql");
            if let Ok(m) = crate::migrate::files::Migration::from_text(name, text) {
                let _ = m.up_statements();
                let _ = m.down_statements();
            }
            crate::migrate::files::slug(text);
        });
    }

    /// An output that keeps nothing (statement errors are expected from mutated input).
    struct Quiet;

    impl Output for Quiet {
        fn begin(&mut self, _: &[Column]) -> anyhow::Result<()> {
            Ok(())
        }
        fn row(&mut self, _: &[Value]) -> anyhow::Result<()> {
            Ok(())
        }
        fn end(&mut self, _: &StmtSummary) -> anyhow::Result<()> {
            Ok(())
        }
        fn error(&mut self, _: &Origin, _: &str, _: &SqlError) -> anyhow::Result<()> {
            Ok(())
        }
        fn notice(&mut self, _: &str) -> anyhow::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn fuzz_csv_import() {
        let seeds = &[
            "a,b\n1,\"x\"\n2,\"y, \"\"z\"\"\"\n",
            "id;name\n1;é\n2;\"multi\nline\"\n",
            "a,b\n1,\"x\n2,3\n",
            "\u{feff}h1,h2,h3\n1,2\n1,2,3,4\n",
        ];
        run("csv", seeds, cases(20), |bytes| {
            // The `import` command's rules, then `.import`'s into a missing table and into
            // one of two columns (short and long rows are fitted, not refused).
            let header = crate::import::ImportOptions::with_header("t".into(), 0, b',', true);
            let sqlite3 = crate::import::ImportOptions {
                sqlite3: true,
                ..header.clone()
            };
            for (opts, columns) in [(&header, None), (&sqlite3, None), (&sqlite3, Some(2))] {
                let mut t =
                    crate::transport::local::LocalTransport::open(":memory:", Default::default())
                        .expect("an in-memory database");
                let mut session = Session::new(&mut t, ErrorMode::Stop);
                if columns.is_some() {
                    let _ = session.submit(
                        crate::transport::Stmt::no_rows("CREATE TABLE t(a, b)"),
                        crate::session::Origin::synthetic("fuzz"),
                        &mut Quiet,
                    );
                }
                let mut importer = crate::import::Importer::new(opts, "fuzz.csv");
                let _ = importer.run(bytes, columns, &mut session, &mut Quiet, &mut |_| {});
                let _ = session.finish(&mut Quiet);
            }
        });
    }

    #[test]
    fn fuzz_hrana_responses_from_a_lying_server() {
        let seeds = &[
            r#"{"baton":"b","base_url":null,"results":[{"type":"ok","response":{"type":"batch","result":{"step_results":[{"cols":[{"name":"a","decltype":null}],"rows":[[{"type":"integer","value":"1"},{"type":"blob","base64":"AAE"}]],"affected_row_count":0,"last_insert_rowid":null},null],"step_errors":[null,{"message":"m","code":"X"}]}}},{"type":"ok","response":{"type":"get_autocommit","is_autocommit":true}}]}"#,
            r#"{"type":"response_ok","request_id":3,"response":{"type":"execute","result":{"cols":[],"rows":[[{"type":"float","value":1e308},{"type":"text","value":"x"}]],"affected_row_count":1,"last_insert_rowid":"7"}}}"#,
            r#"{"type":"step_end","affected_row_count":1,"last_insert_rowid":5}"#,
            r#"{"type":"row","row":[{"type":"null"},{"type":"integer","value":"-9223372036854775808"}]}"#,
            r#"{"type":"hello_error","error":{"message":"bad jwt","code":"AUTH_JWT_INVALID"}}"#,
        ];
        let step = |sql: &str| BatchStep {
            condition: None,
            stmt: Stmt::new(sql),
        };
        let reqs = [
            Request::Batch(Batch {
                steps: vec![step("select 1"), step("select 2")],
            }),
            Request::GetAutocommit,
            Request::Execute(Stmt::new("select 3")),
        ];
        run("hrana", seeds, cases(1), |bytes| {
            if let Ok(resp) = serde_json::from_slice::<PipelineResponse>(bytes) {
                for (i, res) in resp.results.into_iter().enumerate() {
                    let answer = match res {
                        StreamResult::Ok { response } => Ok(response.into()),
                        StreamResult::Error { error } => Err(error),
                        StreamResult::Unknown => continue,
                    };
                    let _ = replay(
                        i,
                        &reqs[i % reqs.len()],
                        answer,
                        &Replication::default(),
                        &Access::default(),
                        &mut Collect::default(),
                    );
                }
            }
            if let Ok(ServerMsg::ResponseOk { response, .. }) =
                serde_json::from_slice::<ServerMsg>(bytes)
            {
                for (i, req) in reqs.iter().enumerate() {
                    let _ = replay(
                        i,
                        req,
                        Ok(response.clone().into()),
                        &Replication::default(),
                        &Access::default(),
                        &mut Collect::default(),
                    );
                }
            }
            let _ = serde_json::from_slice::<CursorEntry>(bytes);
            let _ = serde_json::from_slice::<Vec<StreamResult>>(bytes);
        });
    }
}
