//! The clap definition of the command line. Raw flags only: no I/O happens here; turning
//! them into a target, credentials and options is `connect`'s job.

use clap::{Parser, Subcommand};

use crate::color::ColorWhen;
use crate::connect::ConnArgs;
use crate::results::OutputArgs;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::AuthToken;

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
