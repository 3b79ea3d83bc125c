//! `libsql-shell`: argument parsing, dispatch, and the single place errors are printed.

use std::process::ExitCode;

use clap::Parser;
use libsql_shell::cli::{Cli, Command};
use libsql_shell::{commands, error};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Exec(args)) => commands::exec::run(args, &cli.conn),
        Some(Command::Batch(args)) => commands::batch::run(args, &cli.conn),
        Some(Command::Migrate(args)) => commands::migrate::run(args, &cli.conn),
        Some(Command::Dump(args)) => commands::dump::run(args, &cli.conn),
        Some(Command::Import(args)) => commands::import::run(args, &cli.conn),
        None => commands::shell::run(cli.db, cli.sql, cli.output, &cli.conn, cli.bail),
    };
    match result {
        Ok(code) => code,
        Err(e) if error::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            error::print_error(&e);
            ExitCode::from(error::exit_code(&e))
        }
    }
}
