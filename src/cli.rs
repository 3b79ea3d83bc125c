//! The clap definition of the command line. Raw flags only: no I/O happens here; turning
//! them into a target, credentials and options is `connect`'s job.

use clap::{Args, Parser, Subcommand};

use crate::render::Format;
use crate::transport::local::BeginMode;

const AFTER_HELP: &str = "\
Targets: a local file (dev.db, ./data, /abs/path, file:x.db?mode=ro, :memory:), or a remote
database: libsql://HOST (HTTPS), libsql://HOST:PORT?tls=0 (plain HTTP), https://, http://,
wss://, ws://, or a bare host name such as my-db-org.turso.io. Without DB, LIBSQL_URL then
TURSO_DATABASE_URL are used.

Environment: LIBSQL_URL, TURSO_DATABASE_URL (database), LIBSQL_AUTH_TOKEN, TURSO_AUTH_TOKEN
(token; --auth-token wins).

Exit status: 0 success, 1 SQL or runtime failure, 2 usage, connection or authentication failure.";

#[derive(Debug, Parser)]
#[command(
    name = "libsql-shell",
    version,
    about = "A SQL shell for libSQL and Turso: local SQLite files, Hrana over HTTP and WebSocket",
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
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
}

/// How to reach the database; accepted by every subcommand.
#[derive(Debug, Clone, Args, Default)]
pub struct ConnArgs {
    /// Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN).
    #[arg(long, global = true, value_name = "TOKEN", hide_env_values = true)]
    pub auth_token: Option<String>,

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
