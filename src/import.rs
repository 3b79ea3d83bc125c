//! CSV import: a CSV stream into a table, through the session.
//!
//! The first row (after `--skip N` rows) names the columns. The table is created if it is
//! missing (`CREATE TABLE IF NOT EXISTS t(a, b, ...)`, columns without a declared type, so
//! the values keep the type they are bound with); either way rows are appended by column
//! name (`INSERT INTO t(a, b) VALUES (?, ?)`), every field bound as TEXT, as sqlite3's
//! `.import` binds them, so a column's affinity decides what is stored (an empty field is
//! an empty string).
//!
//! By default the whole import is one transaction: BEGIN, the CREATE, the INSERTs and COMMIT
//! are submitted to the session, which sends them in bounded requests on one stream, so the
//! import is all-or-nothing whatever its size. A malformed row (a CSV syntax error, a wrong
//! number of fields, invalid UTF-8) or a failed INSERT stops it with the line number, and
//! nothing is committed. Without the transaction rows are committed request by request.
//! Memory holds one CSV record and one request's worth of statements.

use std::io::Read;

use anyhow::Result;

use crate::render::quote_identifier;
use crate::session::{Origin, Output, Session, SourceName};
use crate::transport::{SqlError, Stmt};
use crate::value::Value;

/// Arguments bytes after which buffered INSERTs are pushed out (the session bounds its
/// requests by statement count and SQL text; the bound values are counted here).
pub const FLUSH_ARG_BYTES: usize = 4 << 20;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub table: String,
    /// CSV rows to skip before the header row.
    pub skip: u64,
    pub delimiter: u8,
    /// All rows in one transaction (the default).
    pub transaction: bool,
}

/// Why an import stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The CSV itself is malformed at a line.
    #[error("{source_name}:{line}: {message}")]
    Malformed {
        source_name: String,
        line: u64,
        message: String,
    },
    /// A statement failed (already reported through the output).
    #[error("a statement failed")]
    Failed,
}

/// Parse `--delimiter`: one ASCII character, or `\t` / `tab`.
pub fn parse_delimiter(s: &str) -> Option<u8> {
    match s {
        "\\t" | "tab" | "TAB" => Some(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => {
            Some(s.as_bytes()[0])
        }
        _ => None,
    }
}

/// Reads CSV records and feeds statements to the session. `progress` is called with the
/// number of rows read so far every few thousand rows. Returns the number of rows submitted;
/// the caller's COMMIT and `finish` decide whether they were imported.
pub struct Importer<'a> {
    pub opts: &'a ImportOptions,
    /// A name for the input in messages (`data.csv`, `<stdin>`).
    pub source_name: String,
    pub rows: u64,
    statements: usize,
}

impl<'a> Importer<'a> {
    pub fn new(opts: &'a ImportOptions, source_name: &str) -> Self {
        Importer {
            opts,
            source_name: source_name.to_string(),
            rows: 0,
            statements: 0,
        }
    }

    fn origin(&mut self, line: u64) -> Origin {
        self.statements += 1;
        Origin {
            index: self.statements,
            source: SourceName::File(self.source_name.clone()),
            line: line as usize,
            multiline: true,
        }
    }

    fn malformed(&self, line: u64, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(ImportError::Malformed {
            source_name: self.source_name.clone(),
            line,
            message: message.into(),
        })
    }

    fn csv_error(&self, e: csv::Error, fallback_line: u64) -> anyhow::Error {
        let line = e.position().map(|p| p.line()).unwrap_or(fallback_line);
        let message = match e.kind() {
            csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
            csv::ErrorKind::Io(io) => {
                return anyhow::Error::msg(format!("cannot read {}: {io}", self.source_name))
            }
            _ => e.to_string(),
        };
        self.malformed(line, message)
    }

    /// Submit everything: BEGIN (if in a transaction), CREATE TABLE IF NOT EXISTS, one INSERT
    /// per record. Stops at the first malformed record or when the session stops.
    pub fn run(
        &mut self,
        input: impl Read,
        session: &mut Session<'_>,
        out: &mut dyn Output,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.opts.delimiter)
            .from_reader(input);
        let mut record = csv::StringRecord::new();
        let mut last_line = 1;
        for _ in 0..self.opts.skip {
            if !reader
                .read_record(&mut record)
                .map_err(|e| self.csv_error(e, last_line))?
            {
                break;
            }
        }
        if !reader
            .read_record(&mut record)
            .map_err(|e| self.csv_error(e, last_line))?
        {
            return Err(self.malformed(last_line, "no header row: the input is empty"));
        }
        let header_line = record.position().map(|p| p.line()).unwrap_or(1);
        let names: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if i == 0 {
                    f.trim_start_matches('\u{feff}')
                } else {
                    f
                }
                .to_string()
            })
            .collect();
        let table = quote_identifier(&self.opts.table);
        let cols: Vec<String> = names.iter().map(|n| quote_identifier(n)).collect();
        let cols = cols.join(", ");
        let marks = vec!["?"; names.len()].join(", ");
        if self.opts.transaction {
            let o = self.origin(header_line);
            session.submit(Stmt::no_rows("BEGIN"), o, out)?;
        }
        let o = self.origin(header_line);
        session.submit(
            Stmt::no_rows(format!("CREATE TABLE IF NOT EXISTS {table}({cols})")),
            o,
            out,
        )?;
        let insert = format!("INSERT INTO {table}({cols}) VALUES ({marks})");
        let mut arg_bytes = 0usize;
        loop {
            if session.stopped() {
                return Err(anyhow::Error::new(ImportError::Failed));
            }
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.csv_error(e, last_line)),
            }
            let line = record.position().map(|p| p.line()).unwrap_or(last_line + 1);
            last_line = line;
            if record.len() != names.len() {
                return Err(self.malformed(
                    line,
                    format!(
                        "expected {} fields (the header's), found {}",
                        names.len(),
                        record.len()
                    ),
                ));
            }
            let mut stmt = Stmt::no_rows(insert.clone());
            stmt.args = record.iter().map(|f| Value::Text(f.to_string())).collect();
            arg_bytes += record.as_slice().len() + 16 * record.len();
            let o = self.origin(line);
            session.submit(stmt, o, out)?;
            self.rows += 1;
            if arg_bytes >= FLUSH_ARG_BYTES {
                arg_bytes = 0;
                self.push_out(session, out)?;
            }
            if self.rows.is_multiple_of(10_000) {
                progress(self.rows);
            }
        }
        if session.stopped() {
            return Err(anyhow::Error::new(ImportError::Failed));
        }
        Ok(())
    }

    /// Send the buffered INSERTs now. Inside a transaction the session sends buffered writes
    /// only with a statement whose result is needed, so a no-op read goes with them.
    fn push_out(&mut self, session: &mut Session<'_>, out: &mut dyn Output) -> Result<()> {
        if session.in_transaction() {
            let o = self.origin(0);
            session.submit(Stmt::new("SELECT 1"), o, out)?;
        }
        session.sync(out)
    }
}

/// The message for a statement that failed during an import: the CSV line it came from.
pub fn describe_failure(origin: &Origin, err: &SqlError) -> String {
    if origin.line == 0 {
        format!("{}: {err}", origin.source)
    } else {
        format!("{}:{}: {err}", origin.source, origin.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter(","), Some(b','));
        assert_eq!(parse_delimiter(";"), Some(b';'));
        assert_eq!(parse_delimiter("\\t"), Some(b'\t'));
        assert_eq!(parse_delimiter("tab"), Some(b'\t'));
        assert_eq!(parse_delimiter("|"), Some(b'|'));
        assert_eq!(parse_delimiter("ab"), None);
        assert_eq!(parse_delimiter("\""), None);
        assert_eq!(parse_delimiter("é"), None);
    }
}
