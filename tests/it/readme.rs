//! The README's examples for its three jobs (daily shell, CI migration step, ad-hoc
//! querying), extracted from README.md and run as written with `sh -c`, so they cannot rot.
//!
//! Substitutions, the only changes made to the text: `127.0.0.1:8080` becomes a test server
//! without a token ("sqld"); `libsql://db-org.turso.io` becomes a second test server that
//! requires a token ("Turso", over plain HTTP); `$(turso db tokens create db)` becomes that
//! token; the GitHub Actions job's `${{ secrets.X }}` become the same URL and token. Where
//! `jq` is not installed, the ad-hoc block's `| jq ...` becomes `| python3 -m json.tool`.
//! Each block runs in a fresh directory with `HOME`, the config file and the history file
//! inside it, and the built binary first on `PATH`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::Output;
use crate::server::TestServer;

const TOKEN: &str = "readme-turso-token-9c1e";

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced blocks (language, body) under the heading `### {title}`, up to the next heading.
fn blocks(title: &str) -> Vec<(String, String)> {
    let text = readme();
    let mut out = Vec::new();
    let mut inside = false;
    let mut fence: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some((lang, body)) = fence.as_mut() {
            if line.starts_with("```") {
                out.push((lang.clone(), std::mem::take(body)));
                fence = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        if line.starts_with('#') {
            inside = line == format!("### {title}");
            continue;
        }
        if inside {
            if let Some(lang) = line.strip_prefix("```") {
                fence = Some((lang.trim().to_string(), String::new()));
            }
        }
    }
    assert!(!out.is_empty(), "README.md has no code under '### {title}'");
    out
}

/// A scratch world: a "sqld" and a "Turso" server, and a working directory.
struct World {
    sqld: TestServer,
    turso: TestServer,
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let w = World {
            sqld: TestServer::start(),
            turso: TestServer::builder().token(TOKEN).start(),
            dir: tempfile::tempdir().unwrap(),
        };
        sql(&w.sqld.db_path(), "CREATE TABLE sqld_notes(body TEXT);");
        sql(
            &w.turso.db_path(),
            "CREATE TABLE django_migrations(id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT);
             INSERT INTO django_migrations(app, name) VALUES
               ('contenttypes', '0001_initial'), ('auth', '0001_initial'),
               ('auth', '0002_alter_permission_name_max_length'), ('shop', '0001_initial');
             CREATE TABLE orders(id INTEGER PRIMARY KEY, created_at TEXT, total REAL);
             INSERT INTO orders(created_at, total) VALUES
               ('2023-12-31', 10.5), ('2024-01-01', 20.0), ('2024-03-15', 7.25), ('2025-06-01', 1.0);",
        );
        w
    }

    fn turso_url(&self) -> String {
        format!("libsql://127.0.0.1:{}?tls=0", self.turso.port())
    }

    fn substitute(&self, text: &str) -> String {
        text.replace("127.0.0.1:8080", &format!("127.0.0.1:{}", self.sqld.port()))
            .replace("libsql://db-org.turso.io", &self.turso_url())
            .replace("$(turso db tokens create db)", TOKEN)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `sh -c 'set -e; SCRIPT'` in the scratch directory, with `env` on top.
    fn sh(&self, script: &str, env: &[(&str, String)]) -> Output {
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_libsql-shell"));
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("set -e\n{script}"))
            .current_dir(self.path())
            .env("PATH", path)
            .env("HOME", self.path())
            .env(
                "LIBSQL_SHELL_CONFIG",
                self.path().join("cfg/libsql-shell/config.toml"),
            )
            .env("LIBSQL_SHELL_HISTORY", self.path().join("history"))
            .stdin(Stdio::null());
        for k in [
            "LIBSQL_URL",
            "TURSO_DATABASE_URL",
            "LIBSQL_AUTH_TOKEN",
            "TURSO_AUTH_TOKEN",
            "NO_COLOR",
            "PROD_TOKEN",
        ] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run sh");
        let out = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN),
            "the token leaked: {out:?}"
        );
        out
    }
}

fn sql(db: &Path, sql: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

fn query(db: &Path, sql: &str) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c.prepare(sql).unwrap();
    let rows = st
        .query_map([], |r| r.get::<_, rusqlite::types::Value>(0))
        .unwrap();
    rows.map(|v| format!("{:?}", v.unwrap())).collect()
}

fn sh_blocks(title: &str) -> Vec<String> {
    blocks(title)
        .into_iter()
        .filter(|(lang, _)| lang == "sh")
        .map(|(_, body)| body)
        .collect()
}

#[test]
fn readme_daily_shell() {
    let w = World::new();
    let scripts = sh_blocks("Daily shell");
    assert_eq!(
        scripts.len(),
        3,
        "local/sqld/Turso, Django, named connection"
    );

    let out = w.sh(&w.substitute(&scripts[0]), &[]);
    let stdout = out.ok();
    assert_eq!(
        query(&w.path().join("dev.db"), "SELECT body FROM notes"),
        ["Text(\"hello\")"]
    );
    // `.tables` on the sqld, then on Turso.
    assert!(stdout.starts_with("sqld_notes\n"), "{stdout}");
    assert!(stdout.contains("django_migrations"), "{stdout}");
    assert!(stdout.contains("orders"), "{stdout}");
    assert!(w.sqld.requests() > 0 && w.turso.requests() > 0);

    // Django: NAME and AUTH_TOKEN, by flag and by environment.
    let out = w.sh(&w.substitute(&scripts[1]), &[]);
    let stdout = out.ok();
    for name in ["0001_initial", "0002_alter_permission_name_max_length"] {
        assert!(stdout.contains(name), "{stdout}");
    }
    assert!(stdout.contains("shop"), "{stdout}");
    assert!(!stdout.contains("contenttypes"), "LIMIT 3 of 4: {stdout}");
    assert!(stdout.trim_end().ends_with("orders"), "{stdout}");

    // A named connection, written into the config file the README creates.
    let out = w.sh(&w.substitute(&scripts[2]), &[]);
    let stdout = out.ok();
    assert!(
        stdout.starts_with(&format!(
            "@prod\n  url: {}\n  auth_token_env: PROD_TOKEN (unset)\n",
            w.turso_url()
        )),
        "{stdout}"
    );
    // Into a pipe, just the value (sqlite3's list output).
    assert!(stdout.ends_with("\n4\n"), "{stdout}");
}

/// The GitHub Actions job: its `env:` secrets and its `run:` steps.
fn ci_job() -> (Vec<(String, String)>, Vec<String>) {
    let yaml = blocks("CI migration step")
        .into_iter()
        .find(|(lang, _)| lang == "yaml")
        .expect("a yaml block")
        .1;
    let mut env = Vec::new();
    let mut runs = Vec::new();
    for line in yaml.lines() {
        let t = line.trim_start().trim_start_matches("- ");
        if let Some(cmd) = t.strip_prefix("run: ") {
            runs.push(cmd.to_string());
        } else if let Some((k, v)) = t.split_once(": ${{ secrets.") {
            let secret = v.strip_suffix(" }}").expect("${{ secrets.NAME }}");
            env.push((k.to_string(), secret.to_string()));
        }
    }
    (env, runs)
}

#[test]
fn readme_ci_migration_step() {
    let w = World::new();
    let (secrets, runs) = ci_job();
    let env: Vec<(&str, String)> = secrets
        .iter()
        .map(|(k, secret)| {
            let v = match secret.as_str() {
                "LIBSQL_URL" => w.turso_url(),
                "LIBSQL_AUTH_TOKEN" => TOKEN.to_string(),
                other => panic!("the test has no value for secrets.{other}"),
            };
            (k.as_str(), v)
        })
        .collect();
    assert_eq!(env.len(), 2, "{secrets:?}");
    // The install step is not run: the suite tests the binary it just built.
    let steps: Vec<&String> = runs
        .iter()
        .filter(|r| !r.starts_with("cargo install"))
        .collect();
    assert!(runs.len() == steps.len() + 1, "{runs:?}");
    assert!(steps.iter().any(|s| s.contains("migrate up")));
    assert!(steps.iter().any(|s| s.contains("migrate check")));

    let migrations = w.path().join("db/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::write(
        migrations.join("001_create_customers.sql"),
        "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n",
    )
    .unwrap();
    std::fs::write(
        migrations.join("002_add_email.sql"),
        "ALTER TABLE customers ADD COLUMN email TEXT;\nCREATE UNIQUE INDEX customers_email ON customers(email);\n",
    )
    .unwrap();
    let db = w.turso.db_path();
    for round in 0..2 {
        for step in &steps {
            let out = w.sh(step, &env);
            assert_eq!(out.code, 0, "round {round}, `{step}`: {out:?}");
        }
        assert_eq!(
            query(&db, "SELECT name FROM pragma_table_info('customers')"),
            ["Text(\"id\")", "Text(\"name\")", "Text(\"email\")"]
        );
    }
    // The check step is a real gate: a new migration makes it fail until `up` runs.
    std::fs::write(migrations.join("003_t.sql"), "CREATE TABLE t(x);\n").unwrap();
    let check = steps.iter().find(|s| s.contains("migrate check")).unwrap();
    assert_eq!(w.sh(check, &env).code, 1);
}

#[test]
fn readme_ad_hoc_querying() {
    let w = World::new();
    let scripts = sh_blocks("Ad-hoc querying");
    assert_eq!(scripts.len(), 1);
    let script = w.substitute(&scripts[0]);
    assert!(script.contains("| jq "), "the example pipes into jq");
    let have_jq = Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let csv = "id,created_at,total\n1,2023-12-31,10.5\n2,2024-01-01,20.0\n3,2024-03-15,7.25\n4,2025-06-01,1.0\n";
    if have_jq {
        let out = w.sh(&script, &[]);
        assert_eq!(out.ok(), "django_migrations\norders\n3\n");
    } else {
        eprintln!("jq not installed: the README's jq pipes run as `| python3 -m json.tool`");
        let script: String = script
            .lines()
            .map(|l| match l.find("| jq ") {
                Some(i) => format!("{}| python3 -m json.tool\n", &l[..i]),
                None => format!("{l}\n"),
            })
            .collect();
        let out = w.sh(&script, &[]);
        let stdout = out.ok();
        assert!(stdout.contains("\"name\": \"orders\""), "{stdout}");
        assert!(stdout.contains("\"n\": 3"), "{stdout}");
    }
    assert_eq!(
        std::fs::read_to_string(w.path().join("orders.csv")).unwrap(),
        csv
    );
}
