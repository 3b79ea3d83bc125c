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

Output: a table on a terminal; into a pipe or a file, sqlite3's list format (fields joined by |,
no header line), so a script gets what sqlite3 prints. -m/--format, sqlite3's -csv, -json, ...
and .mode choose explicitly. sqlite3's options are accepted with one dash too (-csv, -header,
-cmd, -bail, -readonly, -version, ...). The shell first reads ~/.libsql-shellrc (SQL and
dot-commands), unless --init FILE or --no-init.

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

    #[command(flatten)]
    pub shell: crate::commands::shell::ShellArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// When to colour error messages (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, help_heading = "Options")]
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

/// sqlite3's options, spelled with one dash (`-csv`, `-header`, `-cmd`, `-version`, ...),
/// which clap would read as bundles of short flags (`-c -s -v`).
const SQLITE3_WORDS: &[&str] = &[
    "ascii",
    "bail",
    "batch",
    "box",
    "cmd",
    "column",
    "csv",
    "echo",
    "header",
    "help",
    "html",
    "init",
    "interactive",
    "json",
    "line",
    "list",
    "markdown",
    "newline",
    "noheader",
    "noinit",
    "nullvalue",
    "quote",
    "readonly",
    "separator",
    "table",
    "tabs",
    "version",
];

/// Rewrite sqlite3's one-dash options into their long forms (`-csv` → `--csv`) before clap
/// parses the command line, so help, errors and completions stay clap's. The value of an
/// option that takes one (`-separator -x`) is left alone, and so is everything after `--`.
pub fn sqlite3_options(
    args: impl IntoIterator<Item = std::ffi::OsString>,
    cmd: &clap::Command,
) -> Vec<std::ffi::OsString> {
    let mut takes_value: Vec<String> = Vec::new();
    let mut collect = |c: &clap::Command| {
        for a in c.get_arguments() {
            if a.get_action().takes_values() && !a.is_positional() {
                takes_value.extend(a.get_long().map(|l| format!("--{l}")));
                takes_value.extend(a.get_short().map(|s| format!("-{s}")));
            }
        }
    };
    collect(cmd);
    for sub in cmd.get_subcommands() {
        collect(sub);
    }
    let mut out = Vec::new();
    let mut value_next = false;
    let mut rest = false;
    for (i, arg) in args.into_iter().enumerate() {
        let text = arg.to_string_lossy().into_owned();
        if i == 0 || rest || value_next {
            value_next = false;
            out.push(arg);
            continue;
        }
        if text == "--" {
            rest = true;
            out.push(arg);
            continue;
        }
        let word = text.strip_prefix('-').filter(|w| !w.starts_with('-'));
        let arg = match word {
            Some(w) if SQLITE3_WORDS.contains(&w) => std::ffi::OsString::from(format!("-{text}")),
            _ => arg,
        };
        value_next = takes_value.contains(&arg.to_string_lossy().into_owned());
        out.push(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::AuthToken;

    fn rewrite(args: &[&str]) -> Vec<String> {
        use clap::CommandFactory;
        sqlite3_options(args.iter().map(Into::into), &Cli::command())
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    /// The list is sqlite3's vocabulary, kept by hand; each word must be a long option the
    /// shell's command line has, or the rewrite would turn it into an unknown option.
    #[test]
    fn every_sqlite3_word_is_a_long_option() {
        use clap::CommandFactory;
        let cmd = Cli::command();
        let longs: Vec<&str> = cmd
            .get_arguments()
            .flat_map(|a| {
                a.get_long()
                    .into_iter()
                    .chain(a.get_all_aliases().unwrap_or_default())
            })
            .collect();
        for w in SQLITE3_WORDS {
            assert!(
                longs.contains(w) || *w == "help" || *w == "version",
                "-{w} has no --{w}"
            );
        }
    }

    #[test]
    fn sqlite3_one_dash_options_become_long_options() {
        assert_eq!(
            rewrite(&[
                "x",
                "-csv",
                "-header",
                "db",
                "-separator",
                "-csv",
                "select 1"
            ]),
            [
                "x",
                "--csv",
                "--header",
                "db",
                "--separator",
                "-csv",
                "select 1"
            ]
        );
        assert_eq!(
            rewrite(&["x", "-m", "-json", "--", "-html"]),
            ["x", "-m", "-json", "--", "-html"]
        );
        assert_eq!(rewrite(&["x", "-v", "-version"]), ["x", "-v", "--version"]);
        let cli = Cli::parse_from(sqlite3_options(
            [
                "libsql-shell",
                "-csv",
                "-noheader",
                "-cmd",
                ".print x",
                "-bail",
                "db",
            ]
            .map(Into::into),
            &<Cli as clap::CommandFactory>::command(),
        ));
        assert_eq!(cli.output.format(), crate::render::Format::Csv);
        assert_eq!(cli.output.header(), Some(false));
        assert_eq!(cli.shell.cmd, [".print x"]);
        assert!(cli.shell.bail);
        let cli = Cli::parse_from(["libsql-shell", "--csv", "-m", "json", "--html"]);
        assert_eq!(cli.output.format(), crate::render::Format::Html);
        let cli = Cli::parse_from(["libsql-shell", "--csv", "-m", "json"]);
        assert_eq!(cli.output.format(), crate::render::Format::Json);
    }

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
