//! `batch`: all statements of the input files (or stdin) as ONE atomic transaction.
//!
//! Small inputs cost one round trip (BEGIN, the statements, COMMIT, ROLLBACK-on-failure, each
//! conditioned on the previous step). Larger inputs are read and sent incrementally on one
//! stream inside the same transaction, so memory stays bounded and the result is still
//! all-or-nothing. `--no-transaction` runs the statements in autocommit instead (for loads
//! too big for one transaction) and says how far it got when it stops.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::connect::{self, ConnArgs};
use crate::error::{usage, StatementsFailed};
use crate::feed::{open_sources, Feeder};
use crate::params::Params;
use crate::render;
use crate::results::{render_options, OutputArgs, ResultOutput};
use crate::session::{ErrorMode, Origin, Session};
use crate::transport::Stmt;

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Database.
    #[arg(value_name = "DB")]
    pub db: String,

    /// SQL files, in order (`-` is stdin; none: stdin).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Run in autocommit instead of one transaction (statements are still grouped).
    #[arg(long)]
    pub no_transaction: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: BatchArgs, conn: &ConnArgs) -> Result<ExitCode> {
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(usage("stdin (-) can be given only once"));
    }
    let spec = connect::resolve(Some(&args.db), conn)?;
    let sources = open_sources(Vec::new(), &args.files)?;
    let mut transport = connect::open(&spec)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let opts = render_options(&args.output);
    // Rendered through a borrow, so the last flush's error is seen (see `exec`).
    let renderer = render::renderer(args.output.format(), &opts, Box::new(&mut out));
    let mut output = ResultOutput::new(renderer);
    let mut session = Session::new(transport.as_mut(), ErrorMode::Stop);
    let wrapped = !args.no_transaction;
    if wrapped {
        session.submit(
            Stmt::no_rows("BEGIN"),
            Origin::synthetic("batch BEGIN"),
            &mut output,
        )?;
    }
    let mut feeder = Feeder::new(Params::default());
    feeder.wrapped = wrapped;
    let tty = io::stderr().is_terminal();
    if tty {
        feeder.progress = Some(Box::new(|n| {
            eprint!("\rlibsql-shell: {n} statements sent...")
        }));
    }
    let fed = feeder.run_sources(&mut session, &mut output, sources);
    let submitted = feeder.submitted();
    drop(feeder);
    if tty && submitted >= 10_000 {
        eprint!("\r\x1b[K");
    }
    if fed.is_ok() && wrapped && !session.stopped() {
        session.submit(
            Stmt::no_rows("COMMIT"),
            Origin::synthetic("batch COMMIT"),
            &mut output,
        )?;
    }
    let finished = match (&fed, wrapped) {
        // Unreadable input: the transaction is rolled back, and the error says so itself.
        (Err(_), true) => session.abandon(),
        _ => session.finish(&mut output),
    };
    drop(output);
    out.flush()?;
    if wrapped {
        fed.map_err(|e| e.context("batch failed: nothing was committed"))?;
    } else {
        fed?;
    }
    finished?;
    let failures = session.failures();
    if failures > 0 {
        if wrapped {
            eprintln!("libsql-shell: batch failed: nothing was committed");
        } else {
            eprintln!(
                "libsql-shell: batch stopped: the statements before the failed one were applied \
                 ({submitted} statement(s) read)"
            );
        }
        return Err(anyhow::Error::new(StatementsFailed(failures)));
    }
    session.settle()?;
    Ok(ExitCode::SUCCESS)
}
