//! CSV import: a CSV stream into a table, through the session.
//!
//! Two sets of rules. The `import` command's: the first row (after `--skip N` rows) names
//! the columns. The table is created if it is
//! missing (`CREATE TABLE IF NOT EXISTS t(a, b, ...)`, columns without a declared type, so
//! the values keep the type they are bound with); either way rows are appended by column
//! name (`INSERT INTO t(a, b) VALUES (?, ?)`), every field bound as TEXT, as sqlite3's
//! `.import` binds them, so a column's affinity decides what is stored (an empty field is
//! an empty string).
//!
//! The shell's `.import` follows sqlite3's (`sqlite3: true`): into a table that exists every
//! row is data, bound by position (`INSERT INTO "t" VALUES (?, ...)`, as many marks as
//! `SELECT *` has columns); a row with fewer fields is filled with NULL and one with more has
//! the extras dropped, each with sqlite3's warning on stderr. A missing table is created from
//! the first row as sqlite3 creates it (`"name" TEXT` columns).
//!
//! By default the whole import is one transaction: BEGIN, the CREATE, the INSERTs and COMMIT
//! are submitted to the session, which sends them in bounded requests on one stream, so the
//! import is all-or-nothing whatever its size. A malformed row (a CSV syntax error, a wrong
//! number of fields, invalid UTF-8, a quoted field never closed) or a failed INSERT stops it
//! with the line number, and nothing is committed. Without the transaction rows are committed request by request.
//! Memory holds one CSV record and one request's worth of statements.

use std::io::{self, Read};

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
    /// What ends a record; `None`: `\n`, `\r\n` or `\r`.
    pub terminator: Option<u8>,
    /// `"` quotes fields (off for sqlite3's ascii mode, which has no quoting).
    pub quoting: bool,
    /// All rows in one transaction (the default).
    pub transaction: bool,
    /// sqlite3's `.import` rules (see the module's documentation) instead of the header's.
    pub sqlite3: bool,
}

impl ImportOptions {
    /// The `import` command's options: header row, CSV with `delimiter`.
    pub fn with_header(table: String, skip: u64, delimiter: u8, transaction: bool) -> Self {
        ImportOptions {
            table,
            skip,
            delimiter,
            terminator: None,
            quoting: true,
            transaction,
            sqlite3: false,
        }
    }

    /// The shell's `.import`, as sqlite3 3.40 reads its input: `--csv` is `,` between
    /// fields and lines as records; without it the separators are the output mode's
    /// (`format`, and `.separator COL ROW` when given), `ascii` read without quoting. The
    /// error is sqlite3's message for separators it cannot import with.
    pub fn sqlite3(
        table: String,
        skip: u64,
        csv: bool,
        format: crate::render::Format,
        (separator, newline): (Option<&str>, Option<&str>),
    ) -> Result<Self, String> {
        use crate::render::Format;
        let mut opts = ImportOptions {
            sqlite3: true,
            ..ImportOptions::with_header(table, skip, b',', true)
        };
        if csv {
            return Ok(opts);
        }
        let ascii = format == Format::Ascii;
        let col = separator.unwrap_or(match format {
            Format::Csv | Format::Quote => ",",
            Format::Tabs | Format::Tsv => "\t",
            Format::Tcl => " ",
            Format::Ascii => "\x1f",
            _ => "|",
        });
        let row = newline.unwrap_or(if ascii { "\x1e" } else { "\n" });
        // sqlite3 reads `.mode csv`'s CR LF output separator as a line end.
        let row = if format == Format::Csv && row == "\r\n" {
            "\n"
        } else {
            row
        };
        opts.delimiter = match col.as_bytes() {
            [] => return Err("non-null column separator required for import".into()),
            [b] => *b,
            _ => return Err("multi-character column separators not allowed for import".into()),
        };
        opts.terminator = match row.as_bytes() {
            [] => return Err("non-null row separator required for import".into()),
            [b'\n'] => None,
            [b] => Some(*b),
            _ => return Err("multi-character row separators not allowed for import".into()),
        };
        opts.quoting = !ascii;
        Ok(opts)
    }
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

/// A quoted field still open at the end of the input. The csv reader accepts it, the rest
/// of the file becoming one field; [`QuoteCheck`] refuses it.
#[derive(Debug, thiserror::Error)]
#[error("unterminated quoted field: the quote that opens it on this line is never closed")]
struct UnterminatedQuote {
    /// The line of the opening quote.
    line: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field (and of the input, and of a record).
    FieldStart,
    /// In a field that did not start with a quote: quotes in it are literal.
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: it closes the field, or doubles a quote.
    QuoteInQuoted,
}

/// Follows RFC 4180 quoting over the raw bytes exactly as the csv reader parses them (the
/// import's delimiter, `"` quotes doubled inside a quoted field, `\r` or `\n` ending a
/// record, a leading UTF-8 BOM skipped), and fails with [`UnterminatedQuote`] at the end of
/// the input inside a quoted field, so the reader never sees that end.
struct QuoteCheck<R> {
    inner: R,
    delimiter: u8,
    /// Off: nothing is quoted, so nothing is checked.
    quoting: bool,
    state: Quoting,
    /// Current line, counted as the csv reader counts them (`\n`).
    line: u64,
    /// Line of the quote that opened the current quoted field.
    opened: u64,
    /// Bytes seen, up to 3, and whether they are (so far) a BOM.
    seen: usize,
    bom: bool,
}

const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

impl<R: Read> QuoteCheck<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        QuoteCheck {
            inner,
            delimiter,
            quoting: true,
            state: Quoting::FieldStart,
            line: 1,
            opened: 0,
            seen: 0,
            bom: true,
        }
    }

    fn step(&mut self, b: u8) {
        if !self.quoting {
            return;
        }
        if self.seen < BOM.len() {
            let k = self.seen;
            self.seen += 1;
            if self.bom && b == BOM[k] {
                return; // decided by the next bytes
            }
            if self.bom && k > 0 {
                self.state = Quoting::Unquoted; // a partial BOM is field text
            }
            self.bom = false;
        }
        let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
        self.state = match (self.state, b) {
            (Quoting::FieldStart, b'"') => {
                self.opened = self.line;
                Quoting::Quoted
            }
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (_, _) if ends_field => Quoting::FieldStart,
            (_, _) => Quoting::Unquoted,
        };
        if b == b'\n' {
            self.line += 1;
        }
    }
}

impl<R: Read> Read for QuoteCheck<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() && self.state == Quoting::Quoted {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                UnterminatedQuote { line: self.opened },
            ));
        }
        for &b in &buf[..n] {
            self.step(b);
        }
        Ok(n)
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
    /// The header row's field count (the `import` command's rules).
    header_fields: usize,
}

impl<'a> Importer<'a> {
    pub fn new(opts: &'a ImportOptions, source_name: &str) -> Self {
        Importer {
            opts,
            source_name: source_name.to_string(),
            rows: 0,
            statements: 0,
            header_fields: 0,
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
                if let Some(u) = io
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<UnterminatedQuote>())
                {
                    return self.malformed(u.line, u.to_string());
                }
                return anyhow::Error::msg(format!("cannot read {}: {io}", self.source_name));
            }
            _ => e.to_string(),
        };
        self.malformed(line, message)
    }

    /// Submit everything: BEGIN (if in a transaction), the CREATE TABLE if one is needed, one
    /// INSERT per record. `columns` is the table's column count under sqlite3's rules (`None`:
    /// the table does not exist). Stops at the first malformed record or when the session
    /// stops.
    pub fn run(
        &mut self,
        input: impl Read,
        columns: Option<usize>,
        session: &mut Session<'_>,
        out: &mut dyn Output,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let mut check = QuoteCheck::new(input, self.opts.delimiter);
        check.quoting = self.opts.quoting;
        let mut builder = csv::ReaderBuilder::new();
        builder
            .has_headers(false)
            .flexible(true)
            .quoting(self.opts.quoting)
            .delimiter(self.opts.delimiter);
        if let Some(t) = self.opts.terminator {
            builder.terminator(csv::Terminator::Any(t));
        }
        let mut reader = builder.from_reader(check);
        // Fields are read as bytes: the shell's `.import` into a local database keeps text
        // that is not UTF-8 (a Latin-1 file) as it is, as sqlite3 does; a remote database
        // takes text as UTF-8 only, and the `import` command refuses it everywhere alike.
        let raw_text_ok = self.opts.sqlite3 && !session.transport().capabilities().encoded_values;
        let mut record = csv::ByteRecord::new();
        let mut last_line = 1;
        for _ in 0..self.opts.skip {
            if !reader
                .read_byte_record(&mut record)
                .map_err(|e| self.csv_error(e, last_line))?
            {
                break;
            }
        }
        let (insert, width) = match (self.opts.sqlite3, columns) {
            (true, Some(n)) => {
                if self.opts.transaction {
                    let o = self.origin(1);
                    session.submit(Stmt::no_rows("BEGIN"), o, out)?;
                }
                let marks = vec!["?"; n].join(", ");
                let table = double_quoted(&self.opts.table);
                (format!("INSERT INTO {table} VALUES ({marks})"), Some(n))
            }
            _ => {
                if !reader
                    .read_byte_record(&mut record)
                    .map_err(|e| self.csv_error(e, last_line))?
                {
                    if self.opts.sqlite3 {
                        return Err(anyhow::anyhow!("{}: empty file", self.source_name));
                    }
                    return Err(self.malformed(last_line, "no header row: the input is empty"));
                }
                let line = record.position().map(|p| p.line()).unwrap_or(1);
                let owned: Vec<String> = record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                let names: Vec<&str> = owned
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        if i == 0 {
                            f.trim_start_matches('\u{feff}')
                        } else {
                            f.as_str()
                        }
                    })
                    .collect();
                if self.opts.transaction {
                    let o = self.origin(line);
                    session.submit(Stmt::no_rows("BEGIN"), o, out)?;
                }
                let (create, insert) = self.table_for(&names);
                let n = names.len();
                let o = self.origin(line);
                session.submit(Stmt::no_rows(create), o, out)?;
                (insert, self.opts.sqlite3.then_some(n))
            }
        };
        let mut arg_bytes = 0usize;
        loop {
            if session.stopped() {
                return Err(anyhow::Error::new(ImportError::Failed));
            }
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.csv_error(e, last_line)),
            }
            let line = record.position().map(|p| p.line()).unwrap_or(last_line + 1);
            last_line = line;
            let mut args: Vec<Value> = Vec::with_capacity(record.len());
            for field in record.iter() {
                args.push(match std::str::from_utf8(field) {
                    Ok(s) => Value::Text(s.to_string()),
                    Err(_) if raw_text_ok => Value::RawText(field.to_vec()),
                    Err(_) => return Err(self.malformed(line, "invalid UTF-8")),
                });
            }
            match width {
                Some(n) => self.fit(&mut args, n, line),
                None if args.len() != self.header_fields => {
                    return Err(self.malformed(
                        line,
                        format!(
                            "expected {} fields (the header's), found {}",
                            self.header_fields,
                            args.len()
                        ),
                    ));
                }
                None => {}
            }
            let mut stmt = Stmt::no_rows(insert.clone());
            stmt.args = args;
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

    /// The CREATE TABLE and the INSERT for a table whose columns `names` (a header row)
    /// gives: sqlite3's `"name" TEXT` columns and positional INSERT under its rules, else
    /// untyped columns and an INSERT by name.
    fn table_for(&mut self, names: &[&str]) -> (String, String) {
        let marks = vec!["?"; names.len()].join(", ");
        if self.opts.sqlite3 {
            let table = double_quoted(&self.opts.table);
            let cols: Vec<String> = names
                .iter()
                .map(|n| format!("{} TEXT", double_quoted(n)))
                .collect();
            (
                format!("CREATE TABLE IF NOT EXISTS {table}(\n{})", cols.join(", ")),
                format!("INSERT INTO {table} VALUES ({marks})"),
            )
        } else {
            let table = quote_identifier(&self.opts.table);
            let cols: Vec<String> = names.iter().map(|n| quote_identifier(n)).collect();
            let cols = cols.join(", ");
            self.header_fields = names.len();
            (
                format!("CREATE TABLE IF NOT EXISTS {table}({cols})"),
                format!("INSERT INTO {table}({cols}) VALUES ({marks})"),
            )
        }
    }

    /// sqlite3's rule for a record of the wrong width: NULLs for missing fields, extra ones
    /// dropped, each said on stderr in sqlite3's words.
    fn fit(&self, args: &mut Vec<Value>, n: usize, line: u64) {
        let found = args.len();
        if found == n {
            return;
        }
        let what = if found < n {
            "filling the rest with NULL"
        } else {
            "extras ignored"
        };
        eprintln!(
            "{}:{line}: expected {n} columns but found {found} - {what}",
            self.source_name
        );
        args.resize(n, Value::Null);
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

/// `"name"`, as sqlite3's `.import` quotes names (`%w`: `"` doubled).
fn double_quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
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

    /// Everything read through the check, or the line of the quote left open.
    fn check(text: &[u8], delimiter: u8) -> Result<(), u64> {
        let mut out = Vec::new();
        match QuoteCheck::new(text, delimiter).read_to_end(&mut out) {
            Ok(_) => {
                assert_eq!(out, text);
                Ok(())
            }
            Err(e) => Err(e
                .get_ref()
                .and_then(|e| e.downcast_ref::<UnterminatedQuote>())
                .expect("an unterminated quote")
                .line),
        }
    }

    #[test]
    fn quotes_left_open_are_found_on_their_line() {
        assert_eq!(check(b"a,b\n1,\"x\n2,3\n", b','), Err(2));
        assert_eq!(check(b"a,b\r\n1,2\r\n\"x\"\"y", b','), Err(3));
        assert_eq!(check(b"a;b\n1;\"x", b';'), Err(2));
        assert_eq!(check(b"\xEF\xBB\xBF\"a", b','), Err(1));
        // Closed, doubled, or literal (not at the start of a field, or after a closing one).
        assert_eq!(check(b"a,b\n\"x\ny\",\"say \"\"hi\"\"\"\n", b','), Ok(()));
        assert_eq!(check(b"a,b\n1,x\"y\n", b','), Ok(()));
        assert_eq!(check(b"a,b\n\"q\"r\"s,1\n", b','), Ok(()));
        assert_eq!(check(b"a;b\n1,\"x;2\n", b';'), Ok(()));
        assert_eq!(check(b"\xEF\xBB\"a", b','), Ok(()));
        assert_eq!(check(b"", b','), Ok(()));
    }
}
