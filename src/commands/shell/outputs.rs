//! Where the shell's statements report: [`ShellOutput`] renders results and prints errors as
//! sqlite3 does, [`Rows`] keeps the rows of the shell's own queries, [`Crlf`] is `.crlf on`.

use std::io::{self, Write};

use anyhow::Result;

use crate::results::ResultOutput;
use crate::session::{Origin, Output, SourceName};
use crate::transport::SqlError;
use crate::value::{Column, StmtSummary, Value};

/// `.crlf on`: every `\n` written becomes `\r\n`.
pub(super) struct Crlf<W: Write>(pub(super) W);

impl<W: Write> Write for Crlf<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for (i, part) in buf.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.0.write_all(b"\r\n")?;
            }
            self.0.write_all(part)?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Results and errors of the shell's statements: exec's rendering, the shell's messages.
pub(super) struct ShellOutput<'a> {
    pub(super) results: ResultOutput<'a>,
    pub(super) changes: bool,
    pub(super) interactive: bool,
    pub(super) failed: usize,
}

impl Output for ShellOutput<'_> {
    fn begin(&mut self, cols: &[Column]) -> Result<()> {
        self.results.begin(cols)
    }

    fn row(&mut self, row: &[Value]) -> Result<()> {
        self.results.row(row)
    }

    fn end(&mut self, summary: &StmtSummary) -> Result<()> {
        if !self.results.close_statement()? && self.changes {
            eprintln!("changes: {}", summary.affected_row_count);
        }
        Ok(())
    }

    fn error(&mut self, origin: &Origin, _sql: &str, err: &SqlError) -> Result<()> {
        self.results.close_statement()?;
        self.failed += 1;
        if self.interactive {
            eprintln!("Error: {err}");
        } else if let SourceName::Argument(_) = origin.source {
            eprintln!("Error: in {}: {err}", origin.source);
        } else {
            eprintln!("Error: near {}:{}: {err}", origin.source, origin.line);
        }
        Ok(())
    }

    fn notice(&mut self, msg: &str) -> Result<()> {
        eprintln!("Note: {msg}");
        Ok(())
    }
}

/// Collects rows of the shell's own queries (`.tables`, completion names).
#[derive(Default)]
pub(super) struct Rows {
    pub(super) rows: Vec<Vec<Value>>,
    pub(super) error: Option<SqlError>,
    /// The fewest columns a result had.
    pub(super) columns: Option<usize>,
}

impl Output for Rows {
    fn begin(&mut self, cols: &[Column]) -> Result<()> {
        self.columns = Some(self.columns.map_or(cols.len(), |n| n.min(cols.len())));
        Ok(())
    }
    fn row(&mut self, row: &[Value]) -> Result<()> {
        self.rows.push(row.to_vec());
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
        eprintln!("Note: {msg}");
        Ok(())
    }
}
