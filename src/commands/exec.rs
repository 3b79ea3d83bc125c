//! `exec`: run SQL from arguments, files or stdin in autocommit mode and print the results.
//!
//! Statements are split with SQLite's own rules and sent in as few requests as possible:
//! one batch per request, each step conditioned on the previous one so nothing runs after
//! a failure (unless `--keep-going`).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::connect::{self, ConnArgs};
use crate::error::{usage, StatementsFailed};
use crate::feed::{open_sources, Feeder, Source};
use crate::params::{ParamArgs, Params};
use crate::render;
use crate::results::{render_options, OutputArgs, ResultOutput};
use crate::session::{ErrorMode, Session};

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Database. May be omitted when LIBSQL_URL or TURSO_DATABASE_URL is set; then a first
    /// argument containing whitespace is taken as SQL.
    #[arg(value_name = "DB")]
    pub db: Option<String>,

    /// SQL text; each argument may hold several statements.
    #[arg(value_name = "SQL")]
    pub sql: Vec<String>,

    /// Read SQL from FILE (repeatable; `-` is stdin).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Continue after a failed statement (the exit status is still 1).
    #[arg(long)]
    pub keep_going: bool,

    #[command(flatten)]
    pub params: ParamArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Run sources against a database with the given output settings.
pub fn execute(
    spec: &connect::ConnectSpec,
    sources: Vec<Source>,
    output: &OutputArgs,
    mode: ErrorMode,
    params: Params,
) -> Result<ExitCode> {
    let mut transport = connect::open(spec)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let opts = render_options(output);
    // The renderer writes through a borrow, so the last flush's error is seen below (a full
    // disk must not exit 0); dropping a BufWriter would swallow it.
    let mut output =
        ResultOutput::new(render::renderer(output.format(), &opts, Box::new(&mut out)));
    let mut session = Session::new(transport.as_mut(), mode);
    let fed = Feeder::new(params).run_sources(&mut session, &mut output, sources);
    let finished = session.finish(&mut output);
    fed?;
    finished?;
    drop(output);
    out.flush()?;
    if session.failures() > 0 {
        return Err(anyhow::Error::new(StatementsFailed(session.failures())));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(mut args: ExecArgs, conn: &ConnArgs) -> Result<ExitCode> {
    // With the database named by the environment, a first argument that looks like SQL is SQL.
    if connect::env_database().is_some() {
        if let Some(first) = &args.db {
            if first.chars().any(char::is_whitespace) {
                let sql = args
                    .db
                    .take()
                    .into_iter()
                    .chain(args.sql.drain(..))
                    .collect();
                args.sql = sql;
            }
        }
    } else if args.db.is_none() {
        return Err(usage(
            "exec needs a database: libsql-shell exec DB \"SQL\" (or set LIBSQL_URL)",
        ));
    }
    let spec = connect::resolve(args.db.as_deref(), conn)?;
    let params = Params::from_args(&args.params)?;
    let sources = open_sources(args.sql, &args.files)?;
    let mode = if args.keep_going {
        ErrorMode::KeepGoing
    } else {
        ErrorMode::Stop
    };
    execute(&spec, sources, &args.output, mode, params)
}
