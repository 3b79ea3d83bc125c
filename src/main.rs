//! `libsql-shell`: argument parsing, dispatch, and the single place errors are printed.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, CommandFactory, FromArgMatches};
use libsql_shell::cli::{Cli, Command};
use libsql_shell::commands::generate::GenerateArgs;
use libsql_shell::{color, commands, error};

fn main() -> ExitCode {
    // A bug must still read as one line on stderr, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("libsql-shell: internal error (please report it): {info}");
    }));
    let cli = match Invocation::parse() {
        Invocation::Run(cli) => cli,
        Invocation::Generate(args) => return report(commands::generate::run(args)),
    };
    color::init(cli.color);
    let result = match cli.command {
        Some(Command::Exec(args)) => commands::exec::run(args, &cli.conn),
        Some(Command::Batch(args)) => commands::batch::run(args, &cli.conn),
        Some(Command::Migrate(args)) => commands::migrate::run(args, &cli.conn),
        Some(Command::Dump(args)) => commands::dump::run(args, &cli.conn),
        Some(Command::Import(args)) => commands::import::run(args, &cli.conn),
        Some(Command::Config(args)) => commands::config::run(args, &cli.conn),
        None => commands::shell::run(cli.db, cli.sql, cli.output, &cli.conn, cli.shell),
    };
    report(result)
}

/// The exit status of a command's result, printing its error (the one error sink).
fn report(result: Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) if error::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            error::print_error(&e);
            ExitCode::from(error::exit_code(&e))
        }
    }
}

/// What `main` runs: the user's command line, or the hidden `generate` subcommand. `generate`
/// is added to the parser here rather than to `cli::Command`, so the completions and man pages,
/// which are generated from `Cli::command()`, never offer it.
enum Invocation {
    Run(Box<Cli>),
    Generate(GenerateArgs),
}

impl Invocation {
    /// Parse `std::env::args`, exiting with clap's message (status 2) on a usage error.
    fn parse() -> Invocation {
        let generate = GenerateArgs::augment_args(clap::Command::new("generate"))
            .about("Write shell completions or man pages (output committed in the repository)")
            .hide(true);
        // `--version` and `-V` name the engine too (not in the generated man pages, which
        // are built from `Cli::command()` alone).
        let version: &'static str = Box::leak(
            format!(
                "{} ({})",
                env!("CARGO_PKG_VERSION"),
                libsql_shell::engine::describe()
            )
            .into_boxed_str(),
        );
        let mut cmd = Cli::command().version(version).subcommand(generate);
        let args = libsql_shell::cli::sqlite3_options(std::env::args_os(), &cmd);
        let mut matches = cmd
            .try_get_matches_from_mut(args)
            .unwrap_or_else(|e| e.exit());
        let parsed = if matches.subcommand_name() == Some("generate") {
            let (_, mut sub) = matches
                .remove_subcommand()
                .expect("the generate subcommand");
            GenerateArgs::from_arg_matches_mut(&mut sub).map(Invocation::Generate)
        } else {
            // sqlite3's -csv, -tabs, -ascii and -quote set the separator: a -separator
            // before them is replaced, as in sqlite3 (`-separator ';' -csv` writes `,`).
            let sep_at = matches.index_of("separator");
            let given =
                |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
            let reset = sep_at.is_some()
                && ["csv", "tabs", "ascii", "quote"]
                    .iter()
                    .any(|m| given(m) && matches.index_of(m) > sep_at);
            Cli::from_arg_matches_mut(&mut matches).and_then(|mut c| {
                if reset {
                    c.output.separator = None;
                }
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
