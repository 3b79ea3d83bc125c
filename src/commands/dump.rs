//! `dump`: write the database as SQL (see `crate::dump`) to stdout or to a file.
//!
//! With `--output FILE` the dump goes to a temporary file in FILE's directory, which is
//! synced and renamed over FILE only once the dump is complete; an incomplete dump never
//! replaces FILE (the temporary file is removed).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use crate::connect::{self, ConnArgs};
use crate::dump::{self, DumpOptions};
use crate::error::usage;

#[derive(Debug, Args)]
pub struct DumpArgs {
    /// Database.
    #[arg(value_name = "DB")]
    pub db: String,

    /// Only these tables (LIKE patterns, as sqlite3's `.dump`), with their indexes and triggers.
    #[arg(value_name = "TABLE")]
    pub tables: Vec<String>,

    /// Only the schema: CREATE statements, no rows.
    #[arg(long, conflicts_with = "data_only")]
    pub schema_only: bool,

    /// Only the rows: INSERT statements, no CREATE, no BEGIN/COMMIT.
    #[arg(long)]
    pub data_only: bool,

    /// Write to FILE (replaced only when the dump is complete) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Rows per request instead of the adaptive page size (testing aid).
    #[arg(long, hide = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub page_rows: Option<u64>,
}

pub fn run(args: DumpArgs, conn: &ConnArgs) -> Result<ExitCode> {
    let mut spec = connect::resolve(Some(&args.db), conn)?;
    spec.local.must_exist = true;
    let opts = DumpOptions {
        tables: args.tables,
        schema_only: args.schema_only,
        data_only: args.data_only,
        page_rows: args.page_rows.map(|n| n as usize),
    };
    let mut transport = connect::open(&spec)?;
    match args.output.filter(|p| p.as_os_str() != "-") {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
            let result = dump::dump(transport.as_mut(), &opts, &mut out);
            let flushed = out.flush();
            result.context("dump incomplete")?;
            flushed?;
        }
        Some(path) => {
            to_file(&path, |out| dump::dump(transport.as_mut(), &opts, out))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Run `write` into a temporary file next to `path`, then sync it and rename it to `path`;
/// on any failure remove the temporary file and leave `path` as it was.
fn to_file<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let name = path
        .file_name()
        .ok_or_else(|| usage(format!("--output {}: not a file name", path.display())))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| usage(format!("cannot create {}: {e}", tmp.display())))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let result = write(&mut out).context("dump incomplete");
    let finished = result.and_then(|v| {
        let file: File = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename the dump to {}", path.display()))?;
        Ok(v)
    });
    if finished.is_err() {
        let _ = fs::remove_file(&tmp);
        return finished.with_context(|| format!("{} was not written", path.display()));
    }
    finished
}
