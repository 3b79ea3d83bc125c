//! `libsql-shell [DB] [SQL...]`: the shell. The startup file and `--cmd` commands run first;
//! then arguments run in order (SQL or dot-commands) and the shell exits; a piped script runs
//! like `sqlite3 DB < script.sql`; on a terminal the interactive REPL ([`repl`]) drives the
//! same shell [`state`] line by line. [`dot`] parses dot-commands and [`dot_commands`] runs them,
//! with [`dot_info`], [`dot_hash`] and [`dot_files`]; [`timer`] is `.timer`'s clock and
//! [`changes`] is `.changes`' line.

mod changes;
mod dot;
mod dot_commands;
mod dot_files;
mod dot_hash;
mod dot_info;
mod dot_schema;
mod input;
mod outputs;
mod repl;
mod state;
mod timer;

use std::fs::File;
use std::io::{self, BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use state::Shell;

use crate::connect::ConnArgs;
use crate::error::{usage, StatementsFailed};
use crate::results::OutputArgs;
use crate::session::{ErrorMode, SourceName};

/// The startup file read before anything else, unless `--init` or `--no-init` (sqlite3 reads
/// `~/.sqliterc`; this is ours).
pub const STARTUP_FILE: &str = ".libsql-shellrc";

/// The shell's own options, with sqlite3's names (also with one dash: `-cmd`, `-bail`, ...).
#[derive(Debug, Clone, Default, Args)]
pub struct ShellArgs {
    /// Stop at the first error in a script or argument list (sqlite3's -bail).
    #[arg(long)]
    pub bail: bool,

    /// Run COMMAND (SQL or a dot-command) before reading input; repeatable (sqlite3's -cmd).
    #[arg(long = "cmd", value_name = "COMMAND")]
    pub cmd: Vec<String>,

    /// Read FILE at startup instead of ~/.libsql-shellrc (sqlite3's -init).
    #[arg(long, value_name = "FILE")]
    pub init: Option<PathBuf>,

    /// Do not read ~/.libsql-shellrc at startup.
    #[arg(long, alias = "noinit", conflicts_with = "init")]
    pub no_init: bool,

    /// Print each statement before running it (sqlite3's -echo).
    #[arg(long)]
    pub echo: bool,

    /// Never run the interactive shell, even on a terminal (sqlite3's -batch).
    #[arg(long, conflicts_with = "interactive")]
    pub batch: bool,

    /// Run the interactive shell even when standard input is not a terminal (sqlite3's
    /// -interactive).
    #[arg(long)]
    pub interactive: bool,
}

/// The startup file to read, if any: `--init FILE` (which must exist), else
/// `~/.libsql-shellrc` when it exists.
fn startup_file(args: &ShellArgs) -> Result<Option<PathBuf>> {
    if args.no_init {
        return Ok(None);
    }
    if let Some(f) = &args.init {
        return Ok(Some(f.clone()));
    }
    Ok(dirs::home_dir()
        .map(|h| h.join(STARTUP_FILE))
        .filter(|p| p.is_file()))
}

/// The top-level command: arguments, a piped script, or the interactive shell.
pub fn run(
    db: Option<String>,
    sql_args: Vec<String>,
    output: OutputArgs,
    conn: &ConnArgs,
    args: ShellArgs,
) -> Result<ExitCode> {
    let interactive =
        args.interactive || (!args.batch && sql_args.is_empty() && io::stdin().is_terminal());
    let mut shell = Shell::open(
        db.as_deref(),
        conn,
        &output,
        interactive,
        (args.bail, args.echo),
    )?;
    if let Some(f) = startup_file(&args)? {
        let file =
            File::open(&f).map_err(|e| usage(format!("cannot read {}: {e}", f.display())))?;
        if interactive {
            eprintln!("-- Loading resources from {}", f.display());
        }
        let name = SourceName::File(f.display().to_string());
        shell.run_script(BufReader::new(file), &name, false)?;
    }
    let failures = shell.failures();
    for (i, c) in args.cmd.iter().enumerate() {
        if shell.done() {
            break;
        }
        shell.run_arg(i + 1, c)?;
    }
    if !shell.settings.bail {
        // As in sqlite3, a failed -cmd is reported but does not make the exit status;
        // under -bail it ends the shell (status 1).
        shell.failures = failures;
    }
    if interactive && !shell.done() {
        return repl::run(shell);
    }
    let result = if shell.done() {
        Ok(())
    } else if sql_args.is_empty() {
        {
            let stdin = BufReader::with_capacity(1 << 20, io::stdin());
            let name = SourceName::File("<stdin>".into());
            shell.run_script(stdin, &name, !stdin_is_a_file())
        }
    } else {
        // As sqlite3: the first statement that fails ends the arguments (the rest of its
        // own argument included), and the shell exits 1. A dot-command argument (`.read
        // FILE`) runs under the shell's own mode: a script it reads goes on after errors.
        let mut r = Ok(());
        for (i, a) in sql_args.iter().enumerate() {
            let failed_before = shell.failures();
            let mode = shell.session.mode();
            if !a.trim_start().starts_with('.') {
                shell.session.set_mode(ErrorMode::Stop);
            }
            r = shell.run_arg(i + 1, a);
            shell.session.set_mode(mode);
            if r.is_err() || shell.done() || shell.failures() > failed_before {
                break;
            }
        }
        r
    };
    let finished = shell.finish();
    result?;
    finished?;
    if let Some(code) = shell.quit_status() {
        return Ok(code);
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
