//! Named connections end to end: `@NAME` in every subcommand and in `LIBSQL_URL`, the
//! precedence of flag > environment > config (for the token, and for the config file's
//! path), refusal of an inline token in a file others can read, `config list` / `config
//! path`, and `--color` on error lines. Every output is checked for the tokens.

use std::path::{Path, PathBuf};

use rexpect::session::spawn_command;

use crate::harness::{shell, Output, Shell};
use crate::server::TestServer;

const RIGHT: &str = "right-tok-5f2c91";
const WRONG: &str = "wrong-tok-77ab03";

/// Neither token appears anywhere in the output.
#[track_caller]
fn no_tokens(out: &Output) {
    for t in [RIGHT, WRONG] {
        assert!(
            !out.stdout.contains(t) && !out.stderr.contains(t),
            "a token leaked: {out:?}"
        );
    }
}

/// A config file in a temp dir, written with `mode`.
fn write_config(dir: &Path, text: &str, mode: u32) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    set_mode(&path, mode);
    path
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

fn with_config(cfg: &Path) -> Shell {
    shell().arg("--config").arg(cfg)
}

/// `exec -m list @NAME "select 42"` with extra flags and environment.
fn select(cfg: &Path, name: &str, flags: &[&str], env: &[(&str, &str)]) -> Output {
    let mut sh = with_config(cfg).args(["exec", "-m", "list"]).args(flags);
    for (k, v) in env {
        sh = sh.env(k, v);
    }
    let out = sh.args([name, "select 42"]).run();
    no_tokens(&out);
    out
}

#[test]
fn named_connection_in_every_subcommand() {
    let s = TestServer::builder().token(RIGHT).start();
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.db");
    let cfg = write_config(
        dir.path(),
        &format!(
            "[databases.remote]\nurl = \"{}\"\nauth_token_env = \"REMOTE_TOKEN\"\n\n\
             [databases.ws]\nurl = \"{}\"\nauth_token_env = \"REMOTE_TOKEN\"\n\n\
             [databases.local]\nurl = \"{}\"\n",
            s.http_url(),
            s.ws_url(),
            local.display()
        ),
        0o600,
    );
    let d = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let out = with_config(&cfg)
            .env("REMOTE_TOKEN", RIGHT)
            .args(args)
            .run();
        no_tokens(&out);
        out
    };
    run(&["@remote", "CREATE TABLE t(x)"]).ok();
    run(&["exec", "@remote", "INSERT INTO t VALUES (1)"]).ok();
    std::fs::write(dir.path().join("b.sql"), "INSERT INTO t VALUES (2);").unwrap();
    run(&["batch", "@ws", &format!("{d}/b.sql")]).ok();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    std::fs::write(
        dir.path().join("migrations/001_u.sql"),
        "CREATE TABLE u(y);",
    )
    .unwrap();
    let migrations = format!("{d}/migrations");
    run(&["migrate", "up", "@remote", "--dir", &migrations]).ok();
    run(&["migrate", "check", "@remote", "--dir", &migrations]).ok();
    std::fs::write(dir.path().join("c.csv"), "a,b\n1,2\n").unwrap();
    run(&["import", "@remote", &format!("{d}/c.csv"), "--table", "c"]).ok();
    let dump = run(&["dump", "@remote"]);
    let sql = dump.ok();
    assert!(sql.contains("CREATE TABLE t(x)"), "{sql}");
    assert!(sql.contains("CREATE TABLE u(y)"), "{sql}");
    assert!(sql.contains("INSERT INTO c VALUES"), "{sql}");
    let out = with_config(&cfg)
        .env("REMOTE_TOKEN", RIGHT)
        .env("LIBSQL_URL", "@ws")
        .args(["exec", "-m", "list", "select count(*) from t"])
        .run();
    no_tokens(&out);
    assert_eq!(out.ok(), "2\n");
    // A local entry needs no token.
    run(&["exec", "@local", "CREATE TABLE l(z)"]).ok();
    assert!(local.exists());
}

#[test]
fn token_precedence_flag_then_env_then_config() {
    let s = TestServer::builder().token(RIGHT).start();
    let dir = tempfile::tempdir().unwrap();
    let url = s.http_url();
    let cfg = write_config(
        dir.path(),
        &format!(
            "[databases.byenv]\nurl = \"{url}\"\nauth_token_env = \"CFG_TOKEN\"\n\n\
             [databases.inline]\nurl = \"{url}\"\nauth_token = \"{RIGHT}\"\n\n\
             [databases.inline_wrong]\nurl = \"{url}\"\nauth_token = \"{WRONG}\"\n"
        ),
        0o600,
    );
    // The config's own token, from its variable or inline.
    assert_eq!(
        select(&cfg, "@byenv", &[], &[("CFG_TOKEN", RIGHT)]).ok(),
        "42\n"
    );
    assert_eq!(select(&cfg, "@inline", &[], &[]).ok(), "42\n");
    // The environment beats the config...
    select(
        &cfg,
        "@byenv",
        &[],
        &[("CFG_TOKEN", RIGHT), ("LIBSQL_AUTH_TOKEN", WRONG)],
    )
    .fails(2, "authentication failed");
    select(&cfg, "@inline", &[], &[("TURSO_AUTH_TOKEN", WRONG)]).fails(2, "authentication");
    assert_eq!(
        select(&cfg, "@inline_wrong", &[], &[("TURSO_AUTH_TOKEN", RIGHT)]).ok(),
        "42\n"
    );
    // ... and the flag beats both.
    assert_eq!(
        select(
            &cfg,
            "@inline_wrong",
            &["--auth-token", RIGHT],
            &[("LIBSQL_AUTH_TOKEN", WRONG)]
        )
        .ok(),
        "42\n"
    );
    select(&cfg, "@inline", &["--auth-token", WRONG], &[]).fails(2, "authentication");
    // An auth_token_env naming an unset variable is an error only when it is needed.
    let out = select(&cfg, "@byenv", &[], &[]);
    out.fails(
        2,
        "@byenv takes its token from $CFG_TOKEN, which is not set",
    );
    assert_eq!(
        select(&cfg, "@byenv", &["--auth-token", RIGHT], &[]).ok(),
        "42\n"
    );
}

#[cfg(unix)]
#[test]
fn inline_token_in_a_file_others_can_read_is_refused() {
    let s = TestServer::builder().token(RIGHT).start();
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[databases.dev]\nurl = \"{}\"\nauth_token = \"{RIGHT}\"\n\n[databases.plain]\nurl = \"{}\"\n",
        s.http_url(),
        dir.path().join("p.db").display()
    );
    for mode in [0o644, 0o640, 0o604] {
        let cfg = write_config(dir.path(), &text, mode);
        let err = select(&cfg, "@dev", &[], &[])
            .fails(2, "chmod 600")
            .to_string();
        assert_eq!(
            err,
            format!(
                "libsql-shell: error: refusing the inline auth_token of @dev: {p} is readable by group or others; run `chmod 600 {p}` (or use auth_token_env)\n",
                p = cfg.display()
            )
        );
        // Other entries of the same file still work.
        select(&cfg, "@plain", &[], &[]).ok();
        let list = with_config(&cfg).args(["config", "list"]).run();
        no_tokens(&list);
        assert!(list.ok().contains("refused"), "{}", list.stdout);
    }
    assert_eq!(s.requests(), 0, "nothing was sent with a refused token");
    let cfg = write_config(dir.path(), &text, 0o600);
    assert_eq!(select(&cfg, "@dev", &[], &[]).ok(), "42\n");
}

#[test]
fn unknown_name_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        "[databases.prod]\nurl = \"libsql://prod-org.turso.io\"\n[databases.dev]\nurl = \"dev.db\"\n",
        0o600,
    );
    let out = select(&cfg, "@stage", &[], &[]);
    assert_eq!(
        out.fails(2, "unknown database"),
        format!(
            "libsql-shell: error: unknown database '@stage' in {}; known: @dev, @prod\n",
            cfg.display()
        )
    );
    let missing = dir.path().join("none.toml");
    select(&missing, "@prod", &[], &[]).fails(
        2,
        &format!("there is no config file at {}", missing.display()),
    );
    assert!(!dir.path().join("dev.db").exists());
}

#[test]
fn bad_config_is_exit_2_naming_the_line_but_not_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &format!("[databases.dev]\nurl = \"dev.db\"\nauth_token = {RIGHT}\n"),
        0o600,
    );
    let out = select(&cfg, "@dev", &[], &[]);
    out.fails(2, &format!("invalid config file {}, line 3", cfg.display()));
    let list = with_config(&cfg).args(["config", "list"]).run();
    no_tokens(&list);
    list.fails(2, "line 3");
}

#[test]
fn config_list_never_shows_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &format!(
            "[databases.prod]\nurl = \"libsql://prod-org.turso.io\"\nauth_token_env = \"PROD_TOKEN\"\n\n\
             [databases.dev]\nurl = \"libsql://127.0.0.1:8080?tls=0\"\nauth_token = \"{RIGHT}\"\n\n\
             [databases.stage]\nurl = \"libsql://stage-org.turso.io\"\nauth_token_env = \"STAGE_TOKEN\"\n"
        ),
        0o600,
    );
    let out = with_config(&cfg)
        .env("PROD_TOKEN", WRONG)
        .args(["config", "list"])
        .run();
    no_tokens(&out);
    assert_eq!(
        out.ok(),
        "@dev\n  url: libsql://127.0.0.1:8080?tls=0\n  auth_token: (inline, redacted)\n\
         @prod\n  url: libsql://prod-org.turso.io\n  auth_token_env: PROD_TOKEN (set)\n\
         @stage\n  url: libsql://stage-org.turso.io\n  auth_token_env: STAGE_TOKEN (unset)\n"
    );
    let none = shell()
        .arg("--config")
        .arg(dir.path().join("absent.toml"))
        .args(["config", "list"])
        .run();
    assert_eq!(none.code, 0);
    assert_eq!(none.stdout, "");
    assert!(none.stderr.contains("there is no config file at"));
}

#[test]
fn config_path_flag_then_env_then_platform_dir() {
    let home = tempfile::tempdir().unwrap();
    let xdg = home.path().join("xdg");
    let base = || {
        shell()
            .env("HOME", home.path().to_str().unwrap())
            .env("XDG_CONFIG_HOME", xdg.to_str().unwrap())
            .args(["config", "path"])
    };
    if cfg!(target_os = "linux") {
        assert_eq!(
            base().run().ok(),
            format!("{}\n", xdg.join("libsql-shell/config.toml").display())
        );
    }
    assert_eq!(
        base()
            .env("LIBSQL_SHELL_CONFIG", "/from/env.toml")
            .run()
            .ok(),
        "/from/env.toml\n"
    );
    assert_eq!(
        base()
            .env("LIBSQL_SHELL_CONFIG", "/from/env.toml")
            .args(["--config", "/from/flag.toml"])
            .run()
            .ok(),
        "/from/flag.toml\n"
    );
    // The same order decides which file an @NAME comes from.
    let dir = tempfile::tempdir().unwrap();
    let entry = |db: &str| {
        format!(
            "[databases.x]\nurl = \"{}\"\n",
            dir.path().join(db).display()
        )
    };
    let env_cfg = dir.path().join("env.toml");
    let flag_cfg = dir.path().join("flag.toml");
    std::fs::write(&env_cfg, entry("env.db")).unwrap();
    std::fs::write(&flag_cfg, entry("flag.db")).unwrap();
    if cfg!(target_os = "linux") {
        std::fs::create_dir_all(xdg.join("libsql-shell")).unwrap();
        std::fs::write(xdg.join("libsql-shell/config.toml"), entry("default.db")).unwrap();
        let out = shell()
            .env("HOME", home.path().to_str().unwrap())
            .env("XDG_CONFIG_HOME", xdg.to_str().unwrap())
            .args(["exec", "@x", "CREATE TABLE a(b)"])
            .run();
        out.ok();
        assert!(dir.path().join("default.db").exists());
    }
    let out = shell()
        .env("LIBSQL_SHELL_CONFIG", env_cfg.to_str().unwrap())
        .args(["exec", "@x", "CREATE TABLE a(b)"])
        .run();
    out.ok();
    assert!(dir.path().join("env.db").exists());
    let out = shell()
        .env("LIBSQL_SHELL_CONFIG", env_cfg.to_str().unwrap())
        .arg("--config")
        .arg(&flag_cfg)
        .args(["exec", "@x", "CREATE TABLE a(b)"])
        .run();
    out.ok();
    assert!(dir.path().join("flag.db").exists());
}

const RED_PREFIX: &str = "\u{1b}[1m\u{1b}[31mlibsql-shell: error:\u{1b}[0m ";

#[test]
fn color_flag_and_no_color() {
    let failing = |flags: &[&str], env: &[(&str, &str)]| {
        let mut sh = shell().args(flags);
        for (k, v) in env {
            sh = sh.env(k, v);
        }
        sh.args(["exec", ":memory:", "SELECT * FROM nope"]).run()
    };
    let plain =
        "libsql-shell: error: statement 1 (argument 1): no such table: nope (SQLITE_ERROR) in: SELECT * FROM nope\n";
    // Not a terminal: no colour unless asked for.
    assert_eq!(failing(&[], &[]).stderr, plain);
    assert_eq!(failing(&["--color", "auto"], &[]).stderr, plain);
    assert_eq!(failing(&["--color", "never"], &[]).stderr, plain);
    let coloured = failing(&["--color", "always"], &[]);
    assert_eq!(coloured.code, 1);
    assert_eq!(
        coloured.stderr,
        plain.replace("libsql-shell: error: ", RED_PREFIX)
    );
    // An explicit --color always is the user's word; NO_COLOR only changes `auto`.
    assert_eq!(
        failing(&["--color", "always"], &[("NO_COLOR", "1")]).stderr,
        coloured.stderr
    );
    // After the subcommand, too (the flag is global).
    let out = shell()
        .args([
            "exec",
            "--color",
            "always",
            ":memory:",
            "SELECT * FROM nope",
        ])
        .run();
    assert_eq!(out.stderr, coloured.stderr);
    shell()
        .args(["--color", "sometimes"])
        .run()
        .fails(2, "invalid value 'sometimes'");
}

#[test]
fn color_auto_on_a_terminal_unless_no_color() {
    let run = |no_color: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_libsql-shell"));
        cmd.args(["exec", ":memory:", "SELECT * FROM nope"])
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let mut p = spawn_command(cmd, Some(10_000)).unwrap();
        let text = p.exp_eof().unwrap();
        text.replace("\r\n", "\n")
    };
    assert!(run(None).starts_with(RED_PREFIX), "{:?}", run(None));
    assert!(run(Some("")).starts_with(RED_PREFIX));
    assert_eq!(
        run(Some("1")),
        "libsql-shell: error: statement 1 (argument 1): no such table: nope (SQLITE_ERROR) in: SELECT * FROM nope\n"
    );
}
