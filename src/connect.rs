//! From raw connection flags to an open transport: resolve the target and the token (pure,
//! in `target`), then open the right implementation. The only place that knows all three.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::Args;

use crate::config::{self, Config, ConfigError};
use crate::error::usage;
use crate::target::{self, Force, Target};
use crate::token::{AuthToken, EncryptionKey};
use crate::transport::access::Access;
use crate::transport::endpoint::Endpoint;
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

    /// The database on a multi-tenant sqld, sent as `x-namespace` on every request (else
    /// LIBSQL_NAMESPACE, else a named connection's `namespace`).
    #[arg(long, global = true, value_name = "NAME")]
    pub namespace: Option<String>,

    /// Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on
    /// every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a
    /// named connection's `encryption_key_env`).
    #[arg(long, global = true, value_name = "KEY", value_parser = parse_secret, alias = "remote-encryption-key")]
    pub encryption_key: Option<EncryptionKey>,

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

/// The longest `--timeout`: a request deadline must stay representable, and no request
/// needs more.
pub const MAX_TIMEOUT_SECS: u64 = 86_400;

/// The token is wrapped as it is parsed, so printing the parsed arguments can never show it.
fn parse_token(s: &str) -> Result<AuthToken, String> {
    Ok(AuthToken::new(s))
}

/// The encryption key, wrapped as it is parsed (as the token is).
fn parse_secret(s: &str) -> Result<EncryptionKey, String> {
    Ok(EncryptionKey::new(s))
}

/// Where a setting was given, for messages: a flag applies to the target the user named (a
/// mistake for a local file), a variable or a named connection's entry may be meant for
/// another database (ignored for a local file).
enum Given {
    Flag(&'static str),
    Env(&'static str),
    Entry(String),
}

impl std::fmt::Display for Given {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Given::Flag(name) | Given::Env(name) => f.write_str(name),
            Given::Entry(name) => write!(f, "@{name}"),
        }
    }
}

/// The longest namespace name accepted (sqld's own limit is only "not empty").
const MAX_NAMESPACE_BYTES: usize = 128;

/// What is wrong with a namespace name, if anything: it travels in an HTTP header, so it
/// must be visible ASCII; it names a database directory on the server, so no slashes.
fn invalid_namespace(ns: &str) -> Option<String> {
    if ns.is_empty() {
        return Some("it is empty".into());
    }
    if ns.len() > MAX_NAMESPACE_BYTES {
        return Some(format!("it is longer than {MAX_NAMESPACE_BYTES} bytes"));
    }
    let bad = ns
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, '/' | '\\'))?;
    Some(match bad {
        ' ' => "it contains a space".into(),
        '/' | '\\' => format!("it contains '{bad}'"),
        c if c.is_control() => format!("it contains a control character (U+{:04X})", c as u32),
        c => format!("it contains '{c}' (only visible ASCII is allowed)"),
    })
}

/// Everything needed to open a connection, resolved from flags and environment.
#[derive(Debug, Clone)]
pub struct ConnectSpec {
    pub target: Target,
    pub token: Option<AuthToken>,
    /// The database on a multi-tenant sqld (`x-namespace`).
    pub namespace: Option<String>,
    /// An encrypted Turso database's key (`x-turso-encryption-key`).
    pub encryption_key: Option<EncryptionKey>,
    pub timeout: Duration,
    pub local: LocalOptions,
}

/// The environment variable naming the namespace.
pub const NAMESPACE_ENV: &str = "LIBSQL_NAMESPACE";

/// The environment variables holding an encryption key, in order: ours, then the one
/// Turso's own CLI reads.
pub const KEY_ENV: [&str; 2] = ["LIBSQL_ENCRYPTION_KEY", "TURSO_DB_REMOTE_ENCRYPTION_KEY"];

impl ConnectSpec {
    /// What every request carries: the token, the namespace, the encryption key.
    pub fn access(&self) -> Access {
        Access {
            token: self.token.clone(),
            namespace: self.namespace.clone(),
            encryption_key: self.encryption_key.clone(),
        }
    }
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

impl World<'_> {
    /// A variable of the environment, unset when empty.
    fn env(&self, k: &str) -> Option<String> {
        (self.env)(k).filter(|v| !v.is_empty())
    }
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
    if args.timeout == 0 || args.timeout > MAX_TIMEOUT_SECS {
        return Err(usage(format!(
            "--timeout must be between 1 and {MAX_TIMEOUT_SECS} seconds (one day), got {}",
            args.timeout
        )));
    }
    let token = match (
        target::auth_token(args.auth_token.as_ref().map(AuthToken::expose), world.env),
        &named,
    ) {
        (Some((t, from)), _) => Some((t, from.to_string())),
        (None, Some((cfg, n))) => cfg.entry_token(n, world.env)?.map(|t| (t, format!("@{n}"))),
        (None, None) => None,
    };
    if let (Some((t, from)), false) = (&token, matches!(target, Target::Local { .. })) {
        if let Some(why) = t.malformed() {
            return Err(usage(format!(
                "malformed auth token (from {from}): {why}; nothing was sent"
            )));
        }
    }
    let token = token.map(|(t, _)| t);
    let local = matches!(target, Target::Local { .. });
    let entry = named.as_ref().map(|(cfg, n)| (cfg, n.as_str()));

    let namespace = match (&args.namespace, world.env(NAMESPACE_ENV)) {
        (Some(ns), _) => Some((ns.clone(), Given::Flag("--namespace"))),
        (None, Some(ns)) => Some((ns, Given::Env(NAMESPACE_ENV))),
        (None, None) => entry.and_then(|(cfg, n)| {
            cfg.get(n)
                .ok()?
                .namespace
                .clone()
                .map(|ns| (ns, Given::Entry(n.to_string())))
        }),
    };
    let namespace = match namespace {
        Some((_, Given::Flag(_))) if local => {
            return Err(usage(format!(
                "--namespace names a database of a multi-tenant sqld; {} is a local file",
                target.display_name()
            )))
        }
        Some(_) if local => None,
        Some((ns, from)) => match invalid_namespace(&ns) {
            Some(why) => {
                return Err(usage(format!(
                    "invalid namespace {} (from {from}): {why}",
                    target::excerpt(&ns)
                )))
            }
            None => Some(ns),
        },
        None => None,
    };

    let key = match &args.encryption_key {
        Some(k) => Some((k.clone(), Given::Flag("--encryption-key"))),
        None => match KEY_ENV.iter().find_map(|var| {
            world
                .env(var)
                .map(|v| (EncryptionKey::new(v), Given::Env(var)))
        }) {
            Some(k) => Some(k),
            None => match entry {
                Some((cfg, n)) => cfg
                    .entry_encryption_key(n, world.env)?
                    .map(|k| (k, Given::Entry(n.to_string()))),
                None => None,
            },
        },
    };
    let encryption_key = match key {
        Some((_, Given::Flag(_))) if local => {
            return Err(usage(format!(
                "--encryption-key is for encrypted Turso databases; {} is a local file, opened as it is",
                target.display_name()
            )))
        }
        Some(_) if local => None,
        Some((k, from)) if k.expose().is_empty() => {
            return Err(usage(format!("empty encryption key (from {from})")))
        }
        Some((k, from)) => match k.malformed() {
            Some(why) => {
                return Err(usage(format!(
                    "malformed encryption key (from {from}): {why}; nothing was sent"
                )))
            }
            None => Some(k),
        },
        None => None,
    };
    Ok(ConnectSpec {
        target,
        token,
        namespace,
        encryption_key,
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
    // Where a remote database is, with the credentials and TLS (for https:// and wss://).
    let endpoint = |url: &str, host: &str, port: u16| -> Result<Endpoint> {
        let secure = url.starts_with("https:") || url.starts_with("wss:");
        let tls = if secure {
            Some(tls::client_config()?)
        } else {
            None
        };
        Ok(Endpoint::new(url, host, port, spec.timeout)
            .with_access(spec.access())
            .with_tls(tls))
    };
    match &spec.target {
        Target::Local { path } => Ok(Box::new(LocalTransport::open(path, spec.local.clone())?)),
        Target::Http { url, host, port } => {
            Ok(Box::new(HttpTransport::new(&endpoint(url, host, *port)?)))
        }
        Target::Ws { url, host, port } => {
            Ok(Box::new(WsTransport::connect(endpoint(url, host, *port)?)?))
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

[databases.tenant]
url = "libsql://tenants.example.com"
namespace = "alpha"
encryption_key_env = "TENANT_KEY"
"#;

    fn config(private: bool) -> Result<Config, ConfigError> {
        Config::parse("/c/config.toml".into(), CONFIG, private)
    }

    /// Resolve with these arguments and this environment (key=value pairs), and a private
    /// config file.
    fn resolve_with(
        db: Option<&str>,
        args: ConnArgs,
        vars: &[(&str, &str)],
    ) -> Result<ConnectSpec> {
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
        resolve_in(
            db,
            &ConnArgs {
                timeout: 30,
                ..args
            },
            &world,
        )
    }

    /// Resolve with this `--auth-token` (if any) and environment.
    fn spec(db: Option<&str>, flag: Option<&str>, vars: &[(&str, &str)]) -> Result<ConnectSpec> {
        let args = ConnArgs {
            auth_token: flag.map(AuthToken::new),
            ..ConnArgs::default()
        };
        resolve_with(db, args, vars)
    }

    /// Resolve with these flags (namespace, encryption key) and environment.
    fn spec_with(
        db: &str,
        namespace: Option<&str>,
        key: Option<&str>,
        vars: &[(&str, &str)],
    ) -> Result<ConnectSpec> {
        let args = ConnArgs {
            namespace: namespace.map(str::to_string),
            encryption_key: key.map(EncryptionKey::new),
            ..ConnArgs::default()
        };
        resolve_with(Some(db), args, vars)
    }

    #[test]
    fn namespace_precedence_flag_env_config() {
        let ns = |s: Result<ConnectSpec>| s.unwrap().namespace;
        let env = [("LIBSQL_NAMESPACE", "beta")];
        let url = "libsql://h.example.com";
        assert_eq!(
            ns(spec_with(url, Some("gamma"), None, &env)).as_deref(),
            Some("gamma")
        );
        assert_eq!(
            ns(spec_with(url, None, None, &env)).as_deref(),
            Some("beta")
        );
        assert_eq!(ns(spec_with(url, None, None, &[])), None);
        let tenant = &[("TENANT_KEY", "k")];
        assert_eq!(
            ns(spec_with("@tenant", None, None, tenant)).as_deref(),
            Some("alpha")
        );
        assert_eq!(
            ns(spec_with(
                "@tenant",
                None,
                None,
                &[("TENANT_KEY", "k"), env[0]]
            ))
            .as_deref(),
            Some("beta")
        );
        // For a local file the variable does not apply; the flag is a mistake.
        assert_eq!(ns(spec_with("x.db", None, None, &env)), None);
        let e = spec_with("x.db", Some("a"), None, &[]).unwrap_err();
        assert!(e.to_string().contains("is a local file"), "{e}");
        assert_eq!(crate::error::exit_code(&e), 2);
        for (bad, why) in [
            ("", "it is empty"),
            ("a b", "a space"),
            ("a/b", "'/'"),
            ("ä", "only visible ASCII"),
            ("a\nb", "control character"),
        ] {
            let e = spec_with(url, Some(bad), None, &[]).unwrap_err();
            assert!(e.to_string().contains(why), "{bad:?}: {e}");
            assert_eq!(crate::error::exit_code(&e), 2);
        }
    }

    #[test]
    fn encryption_key_precedence_and_secrecy() {
        let key =
            |s: Result<ConnectSpec>| s.unwrap().encryption_key.map(|k| k.expose().to_string());
        let url = "libsql://h.example.com";
        let both = [
            ("LIBSQL_ENCRYPTION_KEY", "ours"),
            ("TURSO_DB_REMOTE_ENCRYPTION_KEY", "turso"),
        ];
        assert_eq!(
            key(spec_with(url, None, Some("flag"), &both)).as_deref(),
            Some("flag")
        );
        assert_eq!(
            key(spec_with(url, None, None, &both)).as_deref(),
            Some("ours")
        );
        assert_eq!(
            key(spec_with(url, None, None, &both[1..])).as_deref(),
            Some("turso")
        );
        assert_eq!(
            key(spec_with("@tenant", None, None, &[("TENANT_KEY", "entry")])).as_deref(),
            Some("entry")
        );
        let e = spec_with("@tenant", None, None, &[]).unwrap_err();
        assert!(
            e.to_string().contains("$TENANT_KEY, which is not set"),
            "{e}"
        );
        let e = spec_with(url, None, Some(""), &[]).unwrap_err();
        assert!(e.to_string().contains("empty encryption key"), "{e}");
        let e = spec_with(url, None, Some("SECRET-KEY\n"), &[]).unwrap_err();
        assert!(e.to_string().contains("malformed encryption key"), "{e}");
        assert!(!format!("{e:?}").contains("SECRET-KEY"));
        let e = spec_with("x.db", None, Some("k"), &[]).unwrap_err();
        assert!(e.to_string().contains("local file"), "{e}");
        assert_eq!(crate::error::exit_code(&e), 2);
        assert_eq!(key(spec_with("x.db", None, None, &both)), None);
        let s = spec_with(url, None, Some("SECRET-KEY-9"), &[]).unwrap();
        assert!(!format!("{s:?}").contains("SECRET-KEY-9"));
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
    fn malformed_tokens_and_timeouts_are_usage_errors() {
        for (flag, vars, from) in [
            (Some("abc\n"), &[][..], "--auth-token"),
            (
                None,
                &[("LIBSQL_AUTH_TOKEN", "a\nb")][..],
                "LIBSQL_AUTH_TOKEN",
            ),
            (
                None,
                &[("TURSO_AUTH_TOKEN", "a\x1bb")][..],
                "TURSO_AUTH_TOKEN",
            ),
            (None, &[("PROD_TOKEN", "sekrit\r\n")][..], "@prod"),
        ] {
            let e = spec(Some("@prod"), flag, vars).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.starts_with(&format!("malformed auth token (from {from}): it contains")),
                "{msg}"
            );
            assert!(!msg.contains("sekrit") && !msg.contains("abc"), "{msg}");
            assert_eq!(crate::error::exit_code(&e), 2);
        }
        // A local database sends no token: a stray variable does not stop it.
        assert!(spec(Some("@plain"), None, &[("LIBSQL_AUTH_TOKEN", "a\nb")]).is_ok());

        let world = World {
            env: &|_| None,
            exists: &|_| false,
            config: &|| config(true),
        };
        for timeout in [0, MAX_TIMEOUT_SECS + 1, u64::MAX] {
            let args = ConnArgs {
                timeout,
                ..ConnArgs::default()
            };
            let e = resolve_in(Some("libsql://a.b.c"), &args, &world).unwrap_err();
            assert!(
                e.to_string()
                    .contains("--timeout must be between 1 and 86400 seconds"),
                "{e}"
            );
            assert_eq!(crate::error::exit_code(&e), 2);
        }
    }

    #[test]
    fn unknown_name_lists_known_ones() {
        let e = spec(Some("@nope"), None, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown database '@nope' in /c/config.toml; known: @dev, @plain, @prod, @tenant"
        );
        assert_eq!(crate::error::exit_code(&e), 2);
    }
}
