//! `libsql-shell`: argument parsing, dispatch, and the single place errors are printed.

use std::process::ExitCode;

use anyhow::Result;
use libsql_shell::cli::{Command, Invocation};
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
        None => commands::shell::run(cli.db, cli.sql, cli.output, &cli.conn, cli.bail),
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
