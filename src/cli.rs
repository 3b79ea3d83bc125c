//! The clap definition of the command line. Raw flags only: no I/O happens here; turning
//! them into a target, credentials and options is `connect`'s job.

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::color::ColorWhen;
use crate::commands::generate::GenerateArgs;

use crate::render::Format;
use crate::token::AuthToken;
use crate::transport::local::BeginMode;

const AFTER_HELP: &str = "\
Targets: a local file (dev.db, ./data, /abs/path, file:x.db?mode=ro, :memory:), or a remote
database: libsql://HOST (HTTPS), libsql://HOST:PORT?tls=0 (plain HTTP), https://, http://,
wss://, ws://, or a bare host name such as my-db-org.turso.io, or @NAME from the config file
(`libsql-shell config list`). Without DB, LIBSQL_URL then TURSO_DATABASE_URL are used.

Environment: LIBSQL_URL, TURSO_DATABASE_URL (database), LIBSQL_AUTH_TOKEN, TURSO_AUTH_TOKEN
(token; --auth-token wins; @NAME's own token comes last), LIBSQL_SHELL_CONFIG (config file),
LIBSQL_SHELL_HISTORY (history file), NO_COLOR, SSL_CERT_FILE (extra trusted TLS certificates,
PEM).

Exit status: 0 success, 1 SQL or runtime failure, 2 usage, connection or authentication failure.";

#[derive(Debug, Parser)]
#[command(
    name = "libsql-shell",
    version,
    about = "A SQL shell for libSQL and Turso: local SQLite files, Hrana over HTTP and WebSocket",
    after_help = AFTER_HELP,
    override_usage = "libsql-shell [OPTIONS] [DB] [SQL]...\n       libsql-shell [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnArgs,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Database to open (see Targets below); an in-memory database when omitted.
    pub db: Option<String>,

    /// SQL statements and dot-commands to run instead of the interactive shell.
    pub sql: Vec<String>,

    /// Stop at the first error in a script or argument list (sqlite3's -bail).
    #[arg(long)]
    pub bail: bool,

    #[command(flatten)]
    pub output: OutputArgs,

    /// When to colour error messages (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run SQL from arguments, files (-f) or stdin, and print the results.
    Exec(crate::commands::exec::ExecArgs),
    /// Run SQL files (or stdin) as ONE atomic transaction, in as few round trips as possible.
    Batch(crate::commands::batch::BatchArgs),
    /// Apply ordered SQL migrations: each atomic with its tracking row, in one request.
    Migrate(crate::commands::migrate::MigrateArgs),
    /// Write the database as SQL (sqlite3 .dump layout), read from one consistent snapshot.
    Dump(crate::commands::dump::DumpArgs),
    /// Load a CSV file into a table (header row = column names), in one transaction.
    Import(crate::commands::import::ImportArgs),
    /// Named connections (@NAME): list them with tokens redacted, or print the file's path.
    Config(crate::commands::config::ConfigArgs),
}

/// What `main` runs: the user's command line, or the hidden `generate` subcommand. `generate`
/// is added to the parser here rather than to [`Command`], so the completions and man pages,
/// which are generated from `Cli::command()`, never offer it.
pub enum Invocation {
    Run(Box<Cli>),
    Generate(GenerateArgs),
}

impl Invocation {
    /// Parse `std::env::args`, exiting with clap's message (status 2) on a usage error.
    pub fn parse() -> Invocation {
        let generate = GenerateArgs::augment_args(clap::Command::new("generate"))
            .about("Write shell completions or man pages (output committed in the repository)")
            .hide(true);
        // `--version` and `-V` name the engine too (not in the generated man pages, which
        // are built from `Cli::command()` alone).
        let version: &'static str = Box::leak(
            format!(
                "{} ({})",
                env!("CARGO_PKG_VERSION"),
                crate::engine::describe()
            )
            .into_boxed_str(),
        );
        let mut cmd = Cli::command().version(version).subcommand(generate);
        let mut matches = cmd.get_matches_mut();
        let parsed = if matches.subcommand_name() == Some("generate") {
            let (_, mut sub) = matches
                .remove_subcommand()
                .expect("the generate subcommand");
            GenerateArgs::from_arg_matches_mut(&mut sub).map(Invocation::Generate)
        } else {
            Cli::from_arg_matches_mut(&mut matches).and_then(|c| {
                // Global flags may precede a subcommand (`--config F exec @prod ...`), so
                // clap lets a subcommand follow DB; a DB there would be ignored: refuse it.
                if c.command.is_some() && (c.db.is_some() || !c.sql.is_empty()) {
                    return Err(cmd.error(
                        clap::error::ErrorKind::ArgumentConflict,
                        "a subcommand takes its database after its name: libsql-shell exec DB \"SQL\"",
                    ));
                }
                Ok(Invocation::Run(Box::new(c)))
            })
        };
        parsed.unwrap_or_else(|e| e.format(&mut cmd).exit())
    }
}

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

/// How results are printed.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(short = 'm', long = "format", value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
    pub format: Format,

    /// Print column names (default: on for table, box, markdown, csv, tsv; off for list).
    #[arg(long, overrides_with = "no_header")]
    pub header: bool,

    /// Do not print column names.
    #[arg(long, overrides_with = "header")]
    pub no_header: bool,

    /// Text shown for NULL in text formats.
    #[arg(long = "null", value_name = "TEXT", default_value = "")]
    pub null_text: String,

    /// Column separator for the list format.
    #[arg(long, value_name = "SEP")]
    pub separator: Option<String>,

    /// Table name used by the insert format.
    #[arg(long, value_name = "TABLE")]
    pub insert_table: Option<String>,
}

impl OutputArgs {
    pub fn header(&self) -> Option<bool> {
        if self.header {
            Some(true)
        } else if self.no_header {
            Some(false)
        } else {
            None
        }
    }
}

/// The token is wrapped as it is parsed, so printing the parsed arguments can never show it.
fn parse_token(s: &str) -> Result<AuthToken, String> {
    Ok(AuthToken::new(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn parsed_arguments_never_show_the_token() {
        let cli = Cli::parse_from([
            "libsql-shell",
            "--auth-token",
            "SECRET-TOKEN-9",
            "exec",
            "x.db",
            "select 1",
        ]);
        assert_eq!(
            cli.conn.auth_token.as_ref().map(AuthToken::expose),
            Some("SECRET-TOKEN-9")
        );
        assert!(!format!("{cli:?}").contains("SECRET-TOKEN-9"));
    }
}
