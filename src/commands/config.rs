//! `config`: show the named-connection file (`config path`) and its entries with every
//! token redacted (`config list`). Entries are used as `libsql-shell @NAME` (see
//! `crate::config`).

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::config::{self, Config, TokenSource};
use crate::connect::{self, ConnArgs};

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// List the named connections (@NAME); tokens are never shown.
    List,
    /// Print the path of the config file (which need not exist yet).
    Path,
}

pub fn run(args: ConfigArgs, conn: &ConnArgs) -> Result<ExitCode> {
    let path = connect::config_path(conn)?;
    let mut out = io::stdout().lock();
    match args.command {
        ConfigCommand::Path => writeln!(out, "{}", path.display())?,
        ConfigCommand::List => {
            let cfg = config::load(&path)?;
            if !cfg.exists {
                eprintln!("Note: there is no config file at {}", path.display());
            }
            list(&cfg, &|k| std::env::var(k).ok(), &mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The entries, one block each. Says where a token comes from, never what it is.
pub fn list(
    cfg: &Config,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (name, entry) in &cfg.databases {
        writeln!(out, "@{name}")?;
        writeln!(out, "  url: {}", entry.url)?;
        match &entry.token {
            TokenSource::None => {}
            TokenSource::Env(var) => {
                let set = env(var).is_some_and(|v| !v.is_empty());
                let state = if set { "set" } else { "unset" };
                writeln!(out, "  auth_token_env: {var} ({state})")?;
            }
            TokenSource::Inline(_) if cfg.private => {
                writeln!(out, "  auth_token: (inline, redacted)")?;
            }
            TokenSource::Inline(_) => writeln!(
                out,
                "  auth_token: (inline, redacted; refused: the file is readable by group or others, run `chmod 600 {}`)",
                cfg.path.display()
            )?,
        }
        if let Some(ns) = &entry.namespace {
            writeln!(out, "  namespace: {ns}")?;
        }
        if let Some(var) = &entry.encryption_key_env {
            let set = env(var).is_some_and(|v| !v.is_empty());
            let state = if set { "set" } else { "unset" };
            writeln!(out, "  encryption_key_env: {var} ({state})")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_redacts() {
        let text = r#"
[databases.prod]
url = "libsql://prod-org.turso.io"
auth_token_env = "PROD_TOKEN"
[databases.dev]
url = "http://127.0.0.1:8080"
auth_token = "inline-sekrit"
[databases.stage]
url = "libsql://stage-org.turso.io"
auth_token_env = "STAGE_TOKEN"
"#;
        let env = |k: &str| (k == "PROD_TOKEN").then(|| "env-sekrit".to_string());
        let render = |private| {
            let cfg = Config::parse("/c.toml".into(), text, private).unwrap();
            let mut out = Vec::new();
            list(&cfg, &env, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            render(true),
            "@dev\n  url: http://127.0.0.1:8080\n  auth_token: (inline, redacted)\n\
             @prod\n  url: libsql://prod-org.turso.io\n  auth_token_env: PROD_TOKEN (set)\n\
             @stage\n  url: libsql://stage-org.turso.io\n  auth_token_env: STAGE_TOKEN (unset)\n"
        );
        let open = render(false);
        assert!(open.contains("refused"), "{open}");
        assert!(open.contains("chmod 600 /c.toml"), "{open}");
        assert!(!open.contains("sekrit"));
    }
}
