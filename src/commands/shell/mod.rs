//! `libsql-shell [DB] [SQL...]`: the shell. Arguments run in order (SQL or dot-commands) and
//! the shell exits; a piped script runs like `sqlite3 DB < script.sql`; on a terminal the
//! interactive REPL ([`repl`]) drives the same [`engine`] line by line. [`dot`] parses
//! dot-commands and [`dot_commands`] runs them.

mod dot;
mod dot_commands;
mod engine;
mod repl;

use std::io::{self, IsTerminal};
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
        shell.run_script(io::stdin().lock(), &SourceName::File("<stdin>".into()))
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
