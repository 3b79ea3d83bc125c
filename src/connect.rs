//! From raw connection flags to an open transport: resolve the target and the token (pure,
//! in `target`), then open the right implementation. The only place that knows all three.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::Args;

use crate::config::{self, Config, ConfigError};
use crate::error::usage;
use crate::target::{self, Force, Target};
use crate::token::AuthToken;
use crate::transport::http::HttpTransport;
use crate::transport::local::{BeginMode, LocalOptions, LocalTransport};
use crate::transport::tls;
use crate::transport::ws::WsTransport;
use crate::transport::Transport;

/// How to reach the database; accepted by every subcommand.
#[derive(Debug, Clone, Args, Default)]
pub struct ConnArgs {
    /// Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN).
    #[arg(long, global = true, value_name = "TOKEN", value_parser = parse_token)]
    pub auth_token: Option<AuthToken>,

    /// Remote request timeout in seconds.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,

    /// Local: SQL to run right after opening the database.
    #[arg(long, global = true, value_name = "SQL")]
    pub init_command: Option<String>,

    /// Local: how a plain BEGIN is issued.
    #[arg(long, global = true, value_enum, value_name = "MODE")]
    pub transaction_mode: Option<BeginMode>,

    /// Open a local database read-only (sqlite3's -readonly). A remote database is read-only
    /// with a read-only token.
    #[arg(long, global = true)]
    pub readonly: bool,

    /// Treat DB as a local file name even if it looks like a host name.
    #[arg(long, global = true, conflicts_with = "remote")]
    pub local: bool,

    /// Treat a bare DB name as a remote host (HTTPS).
    #[arg(long, global = true)]
    pub remote: bool,

    /// Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time.
    #[arg(short = 'v', long, global = true)]
    pub trace: bool,

    /// Config file of named connections (else LIBSQL_SHELL_CONFIG, else
    /// <config dir>/libsql-shell/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// The token is wrapped as it is parsed, so printing the parsed arguments can never show it.
fn parse_token(s: &str) -> Result<AuthToken, String> {
    Ok(AuthToken::new(s))
}

/// Everything needed to open a connection, resolved from flags and environment.
#[derive(Debug, Clone)]
pub struct ConnectSpec {
    pub target: Target,
    pub token: Option<AuthToken>,
    pub timeout: Duration,
    pub local: LocalOptions,
}

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok()
}

/// Is a database named by the environment (LIBSQL_URL / TURSO_DATABASE_URL)?
pub fn env_database() -> Option<String> {
    target::database_arg(None, &env)
}

/// What resolution reads from outside: the environment, the file system and the
/// named-connection config (loaded only for an `@name`). Injected, so the rules are
/// unit-tested without touching the process.
pub struct World<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub exists: &'a dyn Fn(&str) -> bool,
    pub config: &'a dyn Fn() -> Result<Config, ConfigError>,
}

/// The config file this invocation uses: `--config`, else `LIBSQL_SHELL_CONFIG`, else the
/// platform config dir.
pub fn config_path(args: &ConnArgs) -> Result<std::path::PathBuf, ConfigError> {
    config::default_path(args.config.as_deref(), &env)
        .ok_or_else(|| ConfigError("no config directory on this system; pass --config PATH".into()))
}

/// Resolve a database argument (or the environment, or `:memory:`) and the flags.
pub fn resolve(db: Option<&str>, args: &ConnArgs) -> Result<ConnectSpec> {
    if args.trace {
        crate::transport::trace::enable();
    }
    let load = || config::load(&config_path(args)?);
    let world = World {
        env: &env,
        exists: &|p| std::path::Path::new(p).exists(),
        config: &load,
    };
    resolve_in(db, args, &world)
}

/// [`resolve`] against an injected world. Precedence: the database is the argument, else
/// `LIBSQL_URL`, else `TURSO_DATABASE_URL`; an `@name` among them is replaced by the
/// config entry's url. The token is `--auth-token`, else `LIBSQL_AUTH_TOKEN`, else
/// `TURSO_AUTH_TOKEN`, else (for an `@name`) the entry's own token.
pub fn resolve_in(db: Option<&str>, args: &ConnArgs, world: &World) -> Result<ConnectSpec> {
    let name = target::database_arg(db, world.env).unwrap_or_else(|| ":memory:".to_string());
    let (name, named) = match config::reference(&name) {
        Some(n) => {
            let cfg = (world.config)()?;
            let url = cfg.get(n)?.url.clone();
            (url, Some((cfg, n.to_string())))
        }
        None => (name, None),
    };
    let force = if args.local {
        Force::Local
    } else if args.remote {
        Force::Remote
    } else {
        Force::Auto
    };
    let target = target::resolve(&name, force, world.exists)?;
    if args.timeout == 0 {
        return Err(usage("--timeout must be at least 1 second"));
    }
    let token = match (
        target::auth_token(args.auth_token.as_ref().map(AuthToken::expose), world.env),
        named,
    ) {
        (Some(t), _) => Some(t),
        (None, Some((cfg, n))) => cfg.entry_token(&n, world.env)?,
        (None, None) => None,
    };
    Ok(ConnectSpec {
        target,
        token,
        timeout: Duration::from_secs(args.timeout),
        local: LocalOptions {
            init_command: args.init_command.clone(),
            begin_mode: args.transaction_mode,
            read_only: args.readonly,
            must_exist: false,
        },
    })
}

/// Open the transport for a resolved spec.
pub fn open(spec: &ConnectSpec) -> Result<Box<dyn Transport>> {
    if spec.local.read_only && !matches!(spec.target, Target::Local { .. }) {
        return Err(usage(
            "--readonly opens a local database read-only; a remote database is read-only \
             through a read-only token",
        ));
    }
    match &spec.target {
        Target::Local { path } => Ok(Box::new(LocalTransport::open(path, spec.local.clone())?)),
        Target::Http { url, host, port } => {
            let t = HttpTransport::new(url, host, *port, spec.token.clone(), spec.timeout);
            Ok(Box::new(match url.starts_with("https:") {
                true => t.with_tls(tls::client_config()?),
                false => t,
            }))
        }
        Target::Ws { url, host, port } => {
            let tls = match url.starts_with("wss:") {
                true => Some(tls::client_config()?),
                false => None,
            };
            Ok(Box::new(WsTransport::connect_with_tls(
                url,
                host,
                *port,
                spec.token.clone(),
                spec.timeout,
                tls,
            )?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
[databases.prod]
url = "libsql://prod-org.turso.io"
auth_token_env = "PROD_TOKEN"

[databases.dev]
url = "libsql://127.0.0.1:8080?tls=0"
auth_token = "config-inline"

[databases.plain]
url = "/data/plain.db"
"#;

    fn config(private: bool) -> Result<Config, ConfigError> {
        Config::parse("/c/config.toml".into(), CONFIG, private)
    }

    /// Resolve with this environment (key=value pairs) and a private config file.
    fn spec(db: Option<&str>, flag: Option<&str>, vars: &[(&str, &str)]) -> Result<ConnectSpec> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let env = move |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let load = || config(true);
        let world = World {
            env: &env,
            exists: &|_| false,
            config: &load,
        };
        let args = ConnArgs {
            auth_token: flag.map(AuthToken::new),
            timeout: 30,
            ..ConnArgs::default()
        };
        resolve_in(db, &args, &world)
    }

    fn token(s: &ConnectSpec) -> Option<&str> {
        s.token.as_ref().map(|t| t.expose())
    }

    #[test]
    fn named_url_comes_from_the_config() {
        let s = spec(Some("@prod"), None, &[("PROD_TOKEN", "p")]).unwrap();
        assert_eq!(s.target.display_name(), "prod-org.turso.io");
        // LIBSQL_URL may name an entry too; an explicit argument still wins over it.
        let s = spec(None, None, &[("LIBSQL_URL", "@dev")]).unwrap();
        assert_eq!(s.target.display_name(), "127.0.0.1");
        let s = spec(Some("@plain"), None, &[("LIBSQL_URL", "@dev")]).unwrap();
        assert_eq!(s.target.display_name(), "/data/plain.db");
    }

    #[test]
    fn token_precedence_flag_env_config() {
        let all = [
            ("PROD_TOKEN", "config-env"),
            ("LIBSQL_AUTH_TOKEN", "libsql-env"),
            ("TURSO_AUTH_TOKEN", "turso-env"),
        ];
        let s = spec(Some("@prod"), Some("flag"), &all).unwrap();
        assert_eq!(token(&s), Some("flag"));
        let s = spec(Some("@prod"), None, &all).unwrap();
        assert_eq!(token(&s), Some("libsql-env"));
        let s = spec(Some("@prod"), None, &all[..1]).unwrap();
        assert_eq!(token(&s), Some("config-env"));
        let s = spec(Some("@prod"), None, &[all[0], all[2]]).unwrap();
        assert_eq!(token(&s), Some("turso-env"));
        let s = spec(Some("@dev"), None, &[]).unwrap();
        assert_eq!(token(&s), Some("config-inline"));
        let s = spec(Some("@dev"), Some("flag"), &[]).unwrap();
        assert_eq!(token(&s), Some("flag"));
        let s = spec(Some("@plain"), None, &[]).unwrap();
        assert_eq!(token(&s), None);
        // Without @name the config is never consulted.
        let s = spec(Some("libsql://a.b.c"), None, &all[..1]).unwrap();
        assert_eq!(token(&s), None);
    }

    #[test]
    fn config_token_problems_only_when_the_token_is_needed() {
        let e = spec(Some("@prod"), None, &[]).unwrap_err();
        assert!(
            e.to_string().contains("$PROD_TOKEN, which is not set"),
            "{e}"
        );
        assert_eq!(crate::error::exit_code(&e), 2);
        assert!(spec(Some("@prod"), Some("flag"), &[]).is_ok());
    }

    #[test]
    fn world_readable_inline_token_is_refused() {
        let load = || config(false);
        let world = World {
            env: &|_| None,
            exists: &|_| false,
            config: &load,
        };
        let args = ConnArgs {
            timeout: 30,
            ..ConnArgs::default()
        };
        let e = resolve_in(Some("@dev"), &args, &world).unwrap_err();
        assert!(e.to_string().contains("chmod 600 /c/config.toml"), "{e}");
        assert!(!format!("{e:?}").contains("config-inline"));
        assert_eq!(crate::error::exit_code(&e), 2);
        assert!(resolve_in(Some("@plain"), &args, &world).is_ok());
    }

    #[test]
    fn unknown_name_lists_known_ones() {
        let e = spec(Some("@nope"), None, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown database '@nope' in /c/config.toml; known: @dev, @plain, @prod"
        );
        assert_eq!(crate::error::exit_code(&e), 2);
    }
}
