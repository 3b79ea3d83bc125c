//! Running the real binary, and databases to run it against on every transport.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::server::TestServer;

/// Environment variables that would change which database or token the binary uses.
const SCRUBBED_ENV: &[&str] = &[
    "LIBSQL_URL",
    "TURSO_DATABASE_URL",
    "LIBSQL_AUTH_TOKEN",
    "TURSO_AUTH_TOKEN",
    "NO_COLOR",
    "LIBSQL_SHELL_CONFIG",
    "SSL_CERT_FILE",
];

/// A command line for the binary under test, with a clean environment.
pub struct Shell {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

/// Whether `node` runs here (the tests that drive the official Node clients need it).
pub fn node_available() -> Result<(), String> {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match node {
        Ok(s) if s.success() => Ok(()),
        _ => Err("`node` is not on the PATH".into()),
    }
}

pub fn shell() -> Shell {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_libsql-shell"));
    for k in SCRUBBED_ENV {
        cmd.env_remove(k);
    }
    Shell { cmd, stdin: None }
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Shell {
    pub fn arg(mut self, a: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.arg(a);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn stdin(mut self, s: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(s.into());
        self
    }

    pub fn run(mut self) -> Output {
        self.cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawn libsql-shell");
        let input = self.stdin.take().unwrap_or_default();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().expect("wait for libsql-shell");
        writer.join().unwrap();
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Output {
    /// Exit 0 with nothing on stderr; returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            (self.code, self.stderr.as_str()),
            (0, ""),
            "stdout:\n{}",
            self.stdout
        );
        &self.stdout
    }

    /// Exit `code`; stderr must contain `needle`; returns stderr.
    #[track_caller]
    pub fn fails(&self, code: i32, needle: &str) -> &str {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "stderr should contain {needle:?}:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.stderr.contains("RUST_BACKTRACE"), "{}", self.stderr);
        &self.stderr
    }
}

/// Which transport a scenario runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Local,
    Http,
    /// Hrana over WebSocket (the test server negotiates hrana3).
    Ws,
}

/// The remote transports every cross-transport comparison covers.
pub const REMOTE_BACKENDS: &[Backend] = &[Backend::Http, Backend::Ws];

/// A database reachable through one transport, whose file the test can also open directly.
pub struct Db {
    pub backend: Backend,
    pub server: Option<TestServer>,
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Db {
    pub fn new(backend: Backend) -> Db {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::Local => {
                let path = dir.path().join("test.db");
                Db {
                    backend,
                    server: None,
                    _dir: dir,
                    path,
                }
            }
            Backend::Http | Backend::Ws => {
                let server = TestServer::start();
                let path = server.db_path();
                Db {
                    backend,
                    server: Some(server),
                    _dir: dir,
                    path,
                }
            }
        }
    }

    /// What to pass as DB on the command line.
    pub fn target(&self) -> String {
        match &self.server {
            None => self.path.display().to_string(),
            Some(s) => match self.backend {
                Backend::Http => s.http_url(),
                Backend::Ws => s.ws_url(),
                Backend::Local => unreachable!(),
            },
        }
    }

    /// The database file (the server's file for a remote backend), for `sqlite3` to read.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    pub fn server(&self) -> &TestServer {
        self.server.as_ref().expect("a remote backend")
    }

    /// Run SQL directly on the database file (setup and checks, bypassing the shell).
    pub fn sql(&self, sql: &str) {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        c.execute_batch(sql).unwrap();
    }

    /// One column of one query, as text, straight from the file.
    pub fn query_strings(&self, sql: &str) -> Vec<String> {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        let mut st = c.prepare(sql).unwrap();
        let rows = st
            .query_map([], |r| {
                let v: rusqlite::types::Value = r.get(0)?;
                Ok(format!("{v:?}"))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// `libsql-shell exec <target> ARGS...`
    pub fn exec<I, S>(&self, args: I) -> Shell
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        shell().arg("exec").arg(self.target()).args(args)
    }
}

/// Generate one test per transport for each scenario function `fn(&Db)`.
#[macro_export]
macro_rules! on_every_transport {
    ($($name:ident),* $(,)?) => {
        mod local {
            $( #[test] fn $name() { super::$name(&$crate::harness::Db::new($crate::harness::Backend::Local)) } )*
        }
        mod http {
            $( #[test] fn $name() { super::$name(&$crate::harness::Db::new($crate::harness::Backend::Http)) } )*
        }
        mod ws {
            $( #[test] fn $name() { super::$name(&$crate::harness::Db::new($crate::harness::Backend::Ws)) } )*
        }
    };
}
