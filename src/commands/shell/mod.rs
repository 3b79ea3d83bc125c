//! `libsql-shell [DB] [SQL...]`: the shell. Arguments run in order (SQL or dot-commands) and
//! the shell exits; a piped script runs like `sqlite3 DB < script.sql`; on a terminal the
//! interactive REPL ([`repl`]) drives the same [`engine`] line by line. [`dot`] parses
//! dot-commands and [`dot_commands`] runs them.

mod dot;
mod dot_commands;
mod engine;
mod repl;

use std::io::{self, BufReader, IsTerminal};
use std::process::ExitCode;

use anyhow::Result;

use engine::Shell;

use crate::connect::ConnArgs;
use crate::error::StatementsFailed;
use crate::results::OutputArgs;
use crate::session::SourceName;

/// The top-level command: arguments, a piped script, or the interactive shell.
pub fn run(
    db: Option<String>,
    sql_args: Vec<String>,
    output: OutputArgs,
    conn: &ConnArgs,
    bail: bool,
) -> Result<ExitCode> {
    let interactive = sql_args.is_empty() && io::stdin().is_terminal();
    let mut shell = Shell::open(db.as_deref(), conn, &output, interactive, bail)?;
    if interactive {
        return repl::run(shell);
    }
    let result = if sql_args.is_empty() {
        {
            let stdin = BufReader::with_capacity(1 << 20, io::stdin());
            let name = SourceName::File("<stdin>".into());
            shell.run_script(stdin, &name, !stdin_is_a_file())
        }
    } else {
        let mut r = Ok(());
        for (i, a) in sql_args.iter().enumerate() {
            r = shell.run_arg(i + 1, a);
            if r.is_err() || shell.done() {
                break;
            }
        }
        r
    };
    let finished = shell.finish();
    result?;
    finished?;
    if let Some(code) = shell.quit {
        if code != 0 {
            return Ok(ExitCode::from(code.clamp(0, 255) as u8));
        }
    }
    if shell.failures() > 0 {
        return Err(anyhow::Error::new(StatementsFailed(shell.failures())));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether standard input is a regular file (`< script.sql`), which never waits for a
/// writer, as opposed to a pipe or a terminal.
fn stdin_is_a_file() -> bool {
    use std::os::fd::AsFd;
    io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .is_ok_and(|m| m.is_file())
}
