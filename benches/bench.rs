//! The benchmark harness: each figure printed next to its reference, measured in the same run.
//! Run with `cargo bench --bench bench` (optionally a filter: `cargo bench --bench bench -- csv`).
//! Not a test: nothing here asserts a time; the README's Performance section records results.

#[allow(dead_code, unused_imports)]
#[path = "../tests/it/server/mod.rs"]
mod server;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_libsql-shell");

/// Wall time and peak resident memory (KiB) of one child process.
struct Run {
    wall: Duration,
    max_rss_kib: i64,
    /// CPU time (user + system) of the child itself.
    cpu: Duration,
}

/// Run a command under GNU time for its own peak RSS and CPU time. (The rusage of a child
/// of this process would count the pages it shares with the parent before `exec`, and the
/// parent here may hold a whole test server.)
fn run(cmd: &mut Command) -> Run {
    run_with_stdin(cmd, None)
}

/// [`run`], with standard input read from a file (a piped shell session).
fn run_with_stdin(cmd: &mut Command, stdin: Option<&Path>) -> Run {
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "%M %U %S", "-o"])
        .arg(report.path())
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => timed.env(k, v),
            None => timed.env_remove(k),
        };
    }
    if let Some(d) = cmd.get_current_dir() {
        timed.current_dir(d);
    }
    timed.stdout(Stdio::null()).stderr(Stdio::inherit());
    if let Some(path) = stdin {
        timed.stdin(std::fs::File::open(path).expect("open the piped script"));
    }
    let start = Instant::now();
    let status = timed.status().expect("run under /usr/bin/time");
    let wall = start.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    let text = std::fs::read_to_string(report.path()).unwrap();
    let fields: Vec<f64> = text
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    assert_eq!(fields.len(), 3, "unexpected /usr/bin/time output: {text}");
    Run {
        wall,
        max_rss_kib: fields[0] as i64,
        cpu: Duration::from_secs_f64(fields[1] + fields[2]),
    }
}

fn best_of(n: usize, mut f: impl FnMut() -> Run) -> Run {
    let mut best = f();
    for _ in 1..n {
        let r = f();
        if r.wall < best.wall {
            best.wall = r.wall;
        }
        best.max_rss_kib = best.max_rss_kib.max(r.max_rss_kib);
    }
    best
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, ours: &Run, reference: &str, theirs: Option<&Run>) {
    match theirs {
        Some(t) => println!(
            "{name:<44} ours {:>9.1} ms {:>8} KiB (cpu {:.0} ms) | {reference} {:>9.1} ms {:>8} KiB | ratio {:.2}x",
            ms(ours.wall),
            ours.max_rss_kib,
            ms(ours.cpu),
            ms(t.wall),
            t.max_rss_kib,
            ours.wall.as_secs_f64() / t.wall.as_secs_f64()
        ),
        None => println!(
            "{name:<44} ours {:>9.1} ms {:>8} KiB (client cpu {:.1} ms) | {reference}",
            ms(ours.wall),
            ours.max_rss_kib,
            ms(ours.cpu)
        ),
    }
}

fn make_rows_db(path: &Path, rows: usize) {
    let _ = std::fs::remove_file(path);
    let sql = format!(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER);
         INSERT INTO t SELECT value, 'name-' || value || ', \"q\"', value * 0.25, value * 7
         FROM generate_series(1, {rows});"
    );
    let c = rusqlite::Connection::open(path).unwrap();
    if c.execute_batch(&sql).is_err() {
        // Without the series extension: a recursive CTE.
        c.execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER);
             WITH RECURSIVE c(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM c WHERE v < {rows})
             INSERT INTO t SELECT v, 'name-' || v || ', \"q\"', v * 0.25, v * 7 FROM c;"
        ))
        .unwrap();
    }
}

fn csv_local(dir: &Path) {
    for rows in [100_000usize, 1_000_000] {
        let db = dir.join(format!("rows{rows}.db"));
        make_rows_db(&db, rows);
        let sql = "SELECT * FROM t";
        let ours = best_of(3, || {
            run(Command::new(BIN)
                .args(["exec", "-m", "csv", "--no-header"])
                .arg(&db)
                .arg(sql))
        });
        let theirs = best_of(3, || {
            run(Command::new("sqlite3").arg("-csv").arg(&db).arg(sql))
        });
        report(
            &format!("csv: {rows} rows x 4 cols, local file"),
            &ours,
            "sqlite3 -csv",
            Some(&theirs),
        );
    }
}

fn startup() {
    let n = 50;
    let mut ours = Duration::ZERO;
    let mut theirs = Duration::ZERO;
    let mut rss = 0;
    for _ in 0..n {
        let r = run(Command::new(BIN).args(["exec", ":memory:", "select 1"]));
        ours += r.wall;
        rss = rss.max(r.max_rss_kib);
        theirs += run(Command::new("sqlite3").args([":memory:", "select 1"])).wall;
    }
    let ours = Run {
        wall: ours / n,
        max_rss_kib: rss,
        cpu: Duration::ZERO,
    };
    let theirs = Run {
        wall: theirs / n,
        max_rss_kib: 0,
        cpu: Duration::ZERO,
    };
    report(
        "startup: exec :memory: \"select 1\" (mean of 50)",
        &ours,
        "sqlite3 :memory:",
        Some(&theirs),
    );
}

/// Time from spawning the interactive shell on a pseudo-terminal to its first prompt.
/// (A plain openpty + read loop: expect-style crates poll with sleeps that dwarf the figure.)
fn repl_startup(dir: &Path) {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let db = dir.join("repl.db");
    make_rows_db(&db, 1000);
    let n = 20u32;
    let mut total = Duration::ZERO;
    for _ in 0..n {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty fills two new file descriptors we then own.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: each descriptor is owned exactly once from here on.
        let (mut master, slave) = unsafe {
            (
                std::fs::File::from_raw_fd(master),
                std::fs::File::from_raw_fd(slave),
            )
        };
        let mut cmd = Command::new(BIN);
        cmd.arg(&db)
            .env("LIBSQL_SHELL_HISTORY", dir.join("history"))
            .env("TERM", "xterm")
            .stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave);
        let start = Instant::now();
        let mut child = cmd.spawn().unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&seen).contains("repl.db> ") {
            let k = master.read(&mut buf).unwrap();
            assert!(k > 0, "shell exited before its prompt");
            seen.extend_from_slice(&buf[..k]);
        }
        total += start.elapsed();
        std::io::Write::write_all(&mut master, b".quit\r").unwrap();
        child.wait().unwrap();
    }
    println!(
        "{:<44} ours {:>9.1} ms (mean of {n}, spawn on a pty to first prompt) | target < 20 ms",
        "repl: startup to first prompt, local file",
        ms(total / n)
    );
}

fn statements_file(dir: &Path, name: &str, n: usize) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        f,
        "CREATE TABLE IF NOT EXISTS k(id INTEGER PRIMARY KEY, v TEXT);"
    )
    .unwrap();
    for i in 0..n {
        writeln!(
            f,
            "INSERT INTO k(v) VALUES ('value {i}; with a semicolon');"
        )
        .unwrap();
    }
    f.flush().unwrap();
    path
}

fn remote_latency(dir: &Path) {
    let latency_ms: u64 = std::env::var("BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let latency = Duration::from_millis(latency_ms);
    for (label, command, n) in [
        (
            "exec -f: 1,000 statements, HTTP +20 ms/request",
            "exec",
            1_000usize,
        ),
        (
            "batch: 10,000 statements, HTTP +20 ms/request",
            "batch",
            10_000,
        ),
    ] {
        let server = server::TestServer::start();
        server.set_latency(latency);
        let file = statements_file(dir, &format!("stmts{n}.sql"), n);
        server.reset_counters();
        let mut cmd = Command::new(BIN);
        cmd.arg(command).arg(server.http_url());
        if command == "exec" {
            cmd.arg("-f");
        }
        cmd.arg(&file);
        let r = run(&mut cmd);
        let reqs = server.requests();
        let floor = latency * (n as u32 + 1);
        report(
            label,
            &r,
            &format!(
                "{reqs} request(s); one request per statement would cost >= {:.0} ms",
                ms(floor)
            ),
            None,
        );
    }
}

fn big_load(dir: &Path) {
    let path = dir.join("big.sql");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(f, "CREATE TABLE big(id INTEGER PRIMARY KEY, payload TEXT);").unwrap();
        let payload = "x".repeat(180);
        let mut i = 0u64;
        let mut written = 0usize;
        while written < 200 << 20 {
            let line = format!("INSERT INTO big(payload) VALUES ('{i} {payload}');\n");
            written += line.len();
            f.write_all(line.as_bytes()).unwrap();
            i += 1;
        }
        f.flush().unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len();
    let server = server::TestServer::start();
    let r = run(Command::new(BIN)
        .arg("batch")
        .arg("--no-transaction")
        .arg(server.http_url())
        .arg(&path));
    report(
        &format!("batch --no-transaction: {} MB file over HTTP", size >> 20),
        &r,
        &format!("{} requests", server.requests()),
        None,
    );
}

/// `dump` of a 1,000,000-row table over HTTP and from the local file, against
/// `sqlite3 .dump` of the same file (peak RSS must stay flat: rows are paged); then `import`
/// of the dumped rows as CSV over HTTP with 20 ms added per request.
fn dump_and_import(dir: &Path, want: &dyn Fn(&str) -> bool) {
    let rows = 1_000_000usize;
    let server = server::TestServer::start();
    let db = server.db_path();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER);
             WITH RECURSIVE c(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM c WHERE v < {rows})
             INSERT INTO t SELECT v, 'name-' || v || ', \"q\"', v * 0.25, v * 7 FROM c;"
        ))
        .unwrap();
    if want("dump") {
        let theirs = best_of(3, || run(Command::new("sqlite3").arg(&db).arg(".dump")));
        let local = best_of(3, || run(Command::new(BIN).arg("dump").arg(&db)));
        report(
            &format!("dump: {rows} rows x 4 cols, local file"),
            &local,
            "sqlite3 .dump",
            Some(&theirs),
        );
        server.reset_counters();
        let http = best_of(3, || {
            run(Command::new(BIN).arg("dump").arg(server.http_url()))
        });
        let pages = server.requests() / 3;
        report(
            &format!("dump: {rows} rows x 4 cols, HTTP ({pages} requests)"),
            &http,
            "sqlite3 .dump (local)",
            Some(&theirs),
        );
        let ws = best_of(3, || {
            run(Command::new(BIN).arg("dump").arg(server.ws_url()))
        });
        report(
            &format!("dump: {rows} rows x 4 cols, WebSocket"),
            &ws,
            "sqlite3 .dump (local)",
            Some(&theirs),
        );
        for url in [server.http_url(), server.ws_url()] {
            let (json, out) = dump_bytes(&url);
            println!(
                "{:<44} {:.2} bytes of JSON received per byte of dump ({} MB / {} MB) | target <= 1.6",
                format!("dump: JSON per byte, {}", &url[..url.find(':').unwrap()]),
                json as f64 / out as f64,
                json >> 20,
                out >> 20
            );
        }
    }
    if !want("import") {
        return;
    }
    let csv = dir.join("import.csv");
    let out = std::fs::File::create(&csv).unwrap();
    let status = Command::new(BIN)
        .args(["exec", "-m", "csv"])
        .arg(&db)
        .arg("SELECT id, name, score, n FROM t")
        .stdout(out)
        .status()
        .unwrap();
    assert!(status.success());
    let target = server::TestServer::start();
    target.set_latency(Duration::from_millis(20));
    let r = run(Command::new(BIN)
        .arg("import")
        .arg(target.http_url())
        .arg(&csv)
        .args(["--table", "t"]));
    report(
        &format!("import: {rows}-row CSV, HTTP +20 ms/request"),
        &r,
        &format!(
            "{:.0} rows/s, {} requests",
            rows as f64 / r.wall.as_secs_f64(),
            target.requests()
        ),
        None,
    );
}

/// A test server holding `rows` rows of the usual four-column table `t`.
fn server_with_rows(rows: usize) -> server::TestServer {
    let server = server::TestServer::start();
    rusqlite::Connection::open(server.db_path())
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER);
             WITH RECURSIVE c(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM c WHERE v < {rows})
             INSERT INTO t SELECT v, 'name-' || v || ', \"q\"', v * 0.25, v * 7 FROM c;"
        ))
        .unwrap();
    server
}

/// `exec -m csv` of a 1,000,000-row `select *` from the test server (10 MB response cap, as
/// sqld: the result streams through a cursor) over HTTP and WebSocket, against `sqlite3 -csv`
/// of the same file; the outputs are compared byte for byte first.
fn csv_remote() {
    let rows = 1_000_000usize;
    let server = server_with_rows(rows);
    let db = server.db_path();
    let sql = "SELECT * FROM t";
    let want = Command::new("sqlite3")
        .arg("-csv")
        .arg(&db)
        .arg(sql)
        .output()
        .unwrap()
        .stdout;
    for url in [server.http_url(), server.ws_url()] {
        let got = Command::new(BIN)
            .args(["exec", "-m", "csv", "--no-header", &url, sql])
            .output()
            .unwrap();
        assert!(
            got.status.success(),
            "{}",
            String::from_utf8_lossy(&got.stderr)
        );
        assert!(
            got.stdout == want,
            "the output differs from sqlite3 -csv ({url})"
        );
    }
    let theirs = best_of(3, || {
        run(Command::new("sqlite3").arg("-csv").arg(&db).arg(sql))
    });
    for (label, url) in [("HTTP", server.http_url()), ("WebSocket", server.ws_url())] {
        server.reset_counters();
        let ours = best_of(3, || {
            run(Command::new(BIN).args(["exec", "-m", "csv", "--no-header", &url, sql]))
        });
        report(
            &format!("csv: {rows} rows x 4 cols, {label} (cursor)"),
            &ours,
            &format!(
                "sqlite3 -csv, local file ({} requests/run)",
                server.requests() / 3
            ),
            Some(&theirs),
        );
    }
    shell_remote(&server, &want);
}

/// The same 1,000,000 rows read by the shell: a piped script (`libsql-shell -csv URL <
/// script.sql`) and a `.once FILE` given as arguments, over HTTP and WebSocket, each against
/// `sqlite3` run the same way on the file; outputs are compared byte for byte before timing.
fn shell_remote(server: &server::TestServer, want: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.sql");
    std::fs::write(&script, "SELECT * FROM t;\n").unwrap();
    let once = dir.path().join("once.csv");
    let once_arg = format!(".once {}", once.display());
    let sql = "SELECT * FROM t";
    let db = server.db_path();
    let sqlite3_piped = Command::new("sqlite3")
        .arg("-csv")
        .arg(&db)
        .stdin(std::fs::File::open(&script).unwrap())
        .output()
        .unwrap();
    assert!(
        sqlite3_piped.stdout == want,
        "sqlite3's piped output is not its -csv output"
    );
    let piped_ref = best_of(3, || {
        run_with_stdin(Command::new("sqlite3").arg("-csv").arg(&db), Some(&script))
    });
    let once_ref = best_of(3, || {
        run(Command::new("sqlite3")
            .arg("-csv")
            .arg(&db)
            .args([&once_arg, sql]))
    });
    assert!(
        std::fs::read(&once).unwrap() == want,
        "sqlite3's .once file differs"
    );
    for (label, url) in [("HTTP", server.http_url()), ("WebSocket", server.ws_url())] {
        let piped = Command::new(BIN)
            .args(["-csv", &url])
            .stdin(std::fs::File::open(&script).unwrap())
            .output()
            .unwrap();
        assert!(
            piped.status.success(),
            "{}",
            String::from_utf8_lossy(&piped.stderr)
        );
        assert!(
            piped.stdout == want,
            "the piped shell's output differs ({url})"
        );
        let ours = best_of(3, || {
            run_with_stdin(Command::new(BIN).args(["-csv", &url]), Some(&script))
        });
        report(
            &format!("csv: piped shell script, {label} (cursor)"),
            &ours,
            "sqlite3 -csv DB < script.sql, local file",
            Some(&piped_ref),
        );
        let _ = std::fs::remove_file(&once);
        let status = Command::new(BIN)
            .args(["-csv", &url, &once_arg, sql])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(
            std::fs::read(&once).unwrap() == want,
            "the .once file differs ({url})"
        );
        let ours = best_of(3, || {
            run(Command::new(BIN).args(["-csv", &url, &once_arg, sql]))
        });
        report(
            &format!("csv: shell .once FILE, {label} (cursor)"),
            &ours,
            "sqlite3 -csv DB '.once FILE' QUERY, local file",
            Some(&once_ref),
        );
    }
}

/// What the choice of when to use the cursor costs: a small query as one pipeline (the
/// batch, `get_autocommit` and `close` in one request) against a cursor (the batch) plus
/// the pipeline that reads the transaction state and closes the stream; and a 1,000,000-row
/// query through the cursor at once against a pipeline refused at the 10 MB cap first.
fn cursor_choice() {
    use libsql_shell::transport::endpoint::Endpoint;
    use libsql_shell::transport::http::HttpTransport;
    use libsql_shell::transport::ws::WsTransport;
    use libsql_shell::transport::{After, Batch, BatchStep, Discard, Request, Stmt, Transport};
    let server = server_with_rows(1_000_000);
    let timeout = Duration::from_secs(120);
    let port = server.port();
    let connect = |ws: bool| -> Box<dyn Transport> {
        if ws {
            Box::new(
                WsTransport::connect(Endpoint::new(&server.ws_url(), "127.0.0.1", port, timeout))
                    .unwrap(),
            )
        } else {
            Box::new(HttpTransport::new(&Endpoint::new(
                &server.http_url(),
                "127.0.0.1",
                port,
                timeout,
            )))
        }
    };
    let batch = |sql: &str| Batch {
        steps: vec![BatchStep {
            condition: None,
            stmt: Stmt::new(sql),
        }],
    };
    let small = batch("SELECT * FROM t WHERE id = 42");
    let big = batch("SELECT * FROM t");
    let pipeline = |t: &mut dyn Transport, b: &Batch| {
        let reqs = [Request::Batch(b.clone()), Request::GetAutocommit];
        t.pipeline(&reqs, After::Close, &mut Discard).unwrap()
    };
    let cursor = |t: &mut dyn Transport, b: &Batch| {
        let r = t.cursor(b, &mut Discard).unwrap();
        assert!(r.is_ok(), "{r:?}");
        t.pipeline(&[Request::GetAutocommit], After::Close, &mut Discard)
            .unwrap();
    };
    for latency_ms in [0u64, 20] {
        server.set_latency(Duration::from_millis(latency_ms));
        let n: u32 = if latency_ms == 0 { 300 } else { 25 };
        for ws in [false, true] {
            let mut t = connect(ws);
            pipeline(t.as_mut(), &small);
            let start = Instant::now();
            for _ in 0..n {
                pipeline(t.as_mut(), &small);
            }
            let via_pipeline = start.elapsed() / n;
            let start = Instant::now();
            for _ in 0..n {
                cursor(t.as_mut(), &small);
            }
            let via_cursor = start.elapsed() / n;
            println!(
                "{:<44} pipeline {:>7.2} ms | cursor + close {:>7.2} ms (mean of {n})",
                format!(
                    "choice: 1-row query, {}, +{latency_ms} ms/request",
                    if ws { "WebSocket" } else { "HTTP" }
                ),
                ms(via_pipeline),
                ms(via_cursor)
            );
        }
    }
    server.set_latency(Duration::ZERO);
    for ws in [false, true] {
        let mut t = connect(ws);
        let start = Instant::now();
        cursor(t.as_mut(), &big);
        let direct = start.elapsed();
        let start = Instant::now();
        let refused = pipeline(t.as_mut(), &big);
        assert!(matches!(&refused[0], Err(e) if e.code.as_deref() == Some("RESPONSE_TOO_LARGE")));
        cursor(t.as_mut(), &big);
        let retried = start.elapsed();
        println!(
            "{:<44} cursor {:>9.1} ms | refused pipeline + cursor {:>9.1} ms",
            format!(
                "choice: 1,000,000 rows, {}",
                if ws { "WebSocket" } else { "HTTP" }
            ),
            ms(direct),
            ms(retried)
        );
    }
}

/// Bytes of responses a remote `dump` received (its `--trace` lines) and bytes it wrote.
fn dump_bytes(url: &str) -> (u64, u64) {
    let out = Command::new(BIN)
        .args(["dump", "--trace", url])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let received = stderr
        .lines()
        .filter_map(|l| l.split("received ").nth(1))
        .filter_map(|rest| rest.split(' ').next()?.parse::<u64>().ok())
        .sum();
    (received, out.stdout.len() as u64)
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let want = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let dir = tempfile::tempdir().unwrap();
    println!("libsql-shell benchmarks (release build: {BIN})");
    if want("startup") {
        startup();
    }
    if want("repl") {
        repl_startup(dir.path());
    }
    if want("csv") {
        csv_local(dir.path());
    }
    if want("remote") {
        remote_latency(dir.path());
    }
    if want("big") {
        big_load(dir.path());
    }
    if want("cursor") {
        csv_remote();
    }
    if want("choice") {
        cursor_choice();
    }
    if want("dump") || want("import") {
        dump_and_import(dir.path(), &want);
    }
}
