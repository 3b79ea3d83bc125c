//! From raw connection flags to an open transport: resolve the target and the token (pure,
//! in `target`), then open the right implementation. The only place that knows all three.

use std::time::Duration;

use anyhow::Result;

use crate::cli::ConnArgs;
use crate::error::usage;
use crate::target::{self, Force, Target};
use crate::token::AuthToken;
use crate::transport::http::HttpTransport;
use crate::transport::local::{LocalOptions, LocalTransport};
use crate::transport::ws::WsTransport;
use crate::transport::Transport;

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

/// Resolve a database argument (or the environment, or `:memory:`) and the flags.
pub fn resolve(db: Option<&str>, args: &ConnArgs) -> Result<ConnectSpec> {
    let name = target::database_arg(db, &env).unwrap_or_else(|| ":memory:".to_string());
    let force = if args.local {
        Force::Local
    } else if args.remote {
        Force::Remote
    } else {
        Force::Auto
    };
    let target = target::resolve(&name, force, &|p| std::path::Path::new(p).exists())?;
    if args.timeout == 0 {
        return Err(usage("--timeout must be at least 1 second"));
    }
    Ok(ConnectSpec {
        target,
        token: target::auth_token(args.auth_token.as_deref(), &env),
        timeout: Duration::from_secs(args.timeout),
        local: LocalOptions {
            init_command: args.init_command.clone(),
            begin_mode: args.transaction_mode,
            read_only: false,
        },
    })
}

/// Open the transport for a resolved spec.
pub fn open(spec: &ConnectSpec) -> Result<Box<dyn Transport>> {
    match &spec.target {
        Target::Local { path } => Ok(Box::new(LocalTransport::open(path, spec.local.clone())?)),
        Target::Http { url, host, port } => Ok(Box::new(HttpTransport::new(
            url,
            host,
            *port,
            spec.token.clone(),
            spec.timeout,
        ))),
        Target::Ws { url, host, port } => Ok(Box::new(WsTransport::connect(
            url,
            host,
            *port,
            spec.token.clone(),
            spec.timeout,
        )?)),
    }
}
