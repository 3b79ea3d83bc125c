//! `import`: load a CSV file into a table (see `crate::import`), atomically by default, and
//! report how many rows were imported.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::connect::{self, ConnArgs};
use crate::error::{usage, StatementsFailed};
use crate::import::{describe_failure, parse_delimiter, ImportError, ImportOptions, Importer};
use crate::session::{ErrorMode, Origin, Output, Session};
use crate::transport::{SqlError, Stmt, Transport};
use crate::value::{Column, StmtSummary, Value};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Database.
    #[arg(value_name = "DB")]
    pub db: String,

    /// CSV file (`-` is stdin). Its first row names the columns.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Table to load into; created (columns named by the header row) if missing.
    #[arg(long, value_name = "TABLE")]
    pub table: String,

    /// Skip N rows before the header row.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub skip: u64,

    /// Field separator: one character, or `\t` / `tab`.
    #[arg(long, value_name = "C", default_value = ",")]
    pub delimiter: String,

    /// Commit as the rows go instead of in one transaction (a failure keeps earlier rows).
    #[arg(long)]
    pub no_transaction: bool,
}

/// Says which CSV line a failed statement came from; rows of the no-op reads are dropped.
struct ImportOutput;

impl Output for ImportOutput {
    fn begin(&mut self, _: &[Column]) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, _: &[Value]) -> Result<()> {
        Ok(())
    }
    fn end(&mut self, _: &StmtSummary) -> Result<()> {
        Ok(())
    }
    fn error(&mut self, origin: &Origin, _sql: &str, err: &SqlError) -> Result<()> {
        crate::error::print_message(&describe_failure(origin, err));
        Ok(())
    }
    fn notice(&mut self, msg: &str) -> Result<()> {
        crate::error::print_note(msg);
        Ok(())
    }
}

pub fn run(args: ImportArgs, conn: &ConnArgs) -> Result<ExitCode> {
    let delimiter = parse_delimiter(&args.delimiter).ok_or_else(|| {
        usage(format!(
            "--delimiter must be one character (or \\t), got '{}'",
            args.delimiter
        ))
    })?;
    let opts = ImportOptions::with_header(
        args.table.clone(),
        args.skip,
        delimiter,
        !args.no_transaction,
    );
    let spec = connect::resolve(Some(&args.db), conn)?;
    let (input, name): (Box<dyn Read>, String) = if args.file.as_os_str() == "-" {
        (Box::new(io::stdin().lock()), "<stdin>".into())
    } else {
        let f = File::open(&args.file)
            .map_err(|e| usage(format!("cannot open {}: {e}", args.file.display())))?;
        (
            Box::new(BufReader::with_capacity(1 << 16, f)),
            args.file.display().to_string(),
        )
    };
    let mut transport = connect::open(&spec)?;
    let rows = load(transport.as_mut(), &opts, input, &name)?;
    writeln!(
        io::stdout(),
        "imported {rows} row{} into {}",
        if rows == 1 { "" } else { "s" },
        args.table
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The columns of `table` (what `SELECT *` gives, as sqlite3's `.import` counts them), or
/// `None` if there is no such table.
fn column_count(transport: &mut dyn Transport, table: &str) -> Result<Option<usize>> {
    #[derive(Default)]
    struct Probe {
        columns: Option<usize>,
        error: Option<SqlError>,
    }
    impl Output for Probe {
        fn begin(&mut self, cols: &[Column]) -> Result<()> {
            self.columns = Some(cols.len());
            Ok(())
        }
        fn row(&mut self, _: &[Value]) -> Result<()> {
            Ok(())
        }
        fn end(&mut self, _: &StmtSummary) -> Result<()> {
            Ok(())
        }
        fn error(&mut self, _: &Origin, _: &str, err: &SqlError) -> Result<()> {
            self.error.get_or_insert_with(|| err.clone());
            Ok(())
        }
        fn notice(&mut self, msg: &str) -> Result<()> {
            crate::error::print_note(msg);
            Ok(())
        }
    }
    let mut session = Session::new(transport, ErrorMode::KeepGoing);
    let mut probe = Probe::default();
    let sql = format!("SELECT * FROM \"{}\" LIMIT 0", table.replace('"', "\"\""));
    session.submit(Stmt::new(sql), Origin::synthetic(".import"), &mut probe)?;
    session.finish(&mut probe)?;
    match probe.error {
        Some(e) if e.message.contains("no such table") => Ok(None),
        Some(e) => Err(anyhow::anyhow!("{}", e.message)),
        None => Ok(probe.columns),
    }
}

/// Load CSV from `input` into `opts.table` over `transport` (also used by the shell's
/// `.import`): a session of its own in stop-at-first-error mode, so the load is atomic
/// unless `opts.transaction` is off. Returns the number of rows imported.
pub fn load(
    transport: &mut dyn Transport,
    opts: &ImportOptions,
    input: Box<dyn Read + '_>,
    name: &str,
) -> Result<u64> {
    let columns = if opts.sqlite3 {
        column_count(transport, &opts.table)?
    } else {
        None
    };
    let mut session = Session::new(transport, ErrorMode::Stop);
    let mut out = ImportOutput;
    let tty = io::stderr().is_terminal();
    let mut progress = |n: u64| {
        if tty {
            eprint!("\rlibsql-shell: {n} rows read...");
        }
    };
    let mut importer = Importer::new(opts, name);
    let fed = importer.run(input, columns, &mut session, &mut out, &mut progress);
    if tty && importer.rows >= 10_000 {
        eprint!("\r\x1b[K");
    }
    let ended = match &fed {
        Ok(()) if opts.transaction => session.submit(
            Stmt::no_rows("COMMIT"),
            Origin::synthetic("COMMIT"),
            &mut out,
        ),
        Err(e) if session.in_transaction() && !session.stopped() && e.is::<ImportError>() => {
            session.submit(
                Stmt::no_rows("ROLLBACK"),
                Origin::synthetic("ROLLBACK"),
                &mut out,
            )
        }
        _ => Ok(()),
    };
    let finished = session.finish(&mut out);
    let failures = session.failures();
    let rows = importer.rows;
    let outcome = if opts.transaction {
        "nothing was imported".to_string()
    } else {
        "the rows before it were imported".to_string()
    };
    match fed {
        Err(e) if e.is::<ImportError>() && failures == 0 => {
            return Err(anyhow::anyhow!("{e} (import stopped: {outcome})"));
        }
        Err(e) if !e.is::<ImportError>() => return Err(e),
        _ => {}
    }
    ended?;
    finished?;
    if failures > 0 {
        eprintln!("libsql-shell: import failed: {outcome}");
        return Err(anyhow::Error::new(StatementsFailed(failures)));
    }
    session.settle()?;
    Ok(rows)
}
