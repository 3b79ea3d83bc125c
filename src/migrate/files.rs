//! Migration files: names, versions, `-- migrate:up` / `-- migrate:down` sections, the
//! no-transaction directive, checksums, and the statements a section runs.
//!
//! Text is normalised once when a file is read (UTF-8 BOM dropped, CRLF and lone CR turned
//! into LF) and everything — the checksum and the SQL that is sent — comes from that
//! normalised text, so a checkout with CRLF line endings is the *same* migration as one with
//! LF, byte for byte, in the database as well as in the checksum.

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::sql::{self, Piece, StmtKind};
use crate::value::hex;

/// First line that makes a file run outside a transaction.
pub const NO_TRANSACTION: &str = "-- libsql-shell: no-transaction";

/// A problem with a migration file or the directory (exit 2: fix the files, then re-run).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FileError(pub String);

/// One section of a file: its text and the file line its first line is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub text: String,
    /// 1-based line in the file of the section's first line.
    pub first_line: usize,
    /// The statements as the tool that wrote the file splits them (goose's annotations),
    /// instead of splitting `text` with SQLite's own rules.
    pub pieces: Option<Vec<Statement>>,
}

impl Section {
    /// A section split with SQLite's rules.
    pub fn new(text: String, first_line: usize) -> Section {
        Section {
            text,
            first_line,
            pieces: None,
        }
    }
}

/// One statement of a section, with its line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub line: usize,
}

/// What a section runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statements {
    pub stmts: Vec<Statement>,
    /// The section was wrapped in its own `BEGIN; ... COMMIT;` (Django's `sqlmigrate` output),
    /// which was dropped: the runner's transaction takes its place.
    pub unwrapped: bool,
}

/// A migration file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Orders the migrations: the version number, or the position in the directory for the
    /// tools that order by name or by a journal (Prisma, Drizzle, dbmate).
    pub version: i64,
    /// The version as written in the file name (`0001`, `20261124093000`).
    pub version_text: String,
    pub name: String,
    pub file_name: String,
    pub path: PathBuf,
    pub up: Section,
    pub down: Option<Section>,
    /// The checksum recorded when it is applied: for our own files the hex SHA-256 of the
    /// (normalised) up section; for other tools what that tool records (empty when it
    /// records none).
    pub checksum: String,
    /// Recorded checksums taken as this file's (lower-case hex): `checksum`, and for tools
    /// that accept them, the same file with other line endings.
    pub accepted: Vec<String>,
    /// What identifies the migration in the tracking table: the version number as text,
    /// Prisma's folder name, Drizzle's journal `when`, dbmate's version as written.
    pub key: String,
    /// First line `-- libsql-shell: no-transaction` (or dbmate's `transaction:false`).
    pub no_transaction: bool,
}

impl fmt::Display for Migration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file_name)
    }
}

/// BOM dropped, CRLF and lone CR as LF.
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Hex SHA-256 of a section's text (already normalised).
pub fn checksum(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// `<digits>_<name>.sql` → (version, version text, name).
pub fn parse_file_name(file_name: &str) -> Result<(i64, String, String), String> {
    let stem = file_name
        .strip_suffix(".sql")
        .ok_or_else(|| "not a .sql file".to_string())?;
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err("the name must start with a version number: <version>_<name>.sql".into());
    }
    let (version_text, rest) = stem.split_at(digits);
    let name = rest.strip_prefix('_').ok_or_else(|| {
        "the version must be followed by '_' and a name: <version>_<name>.sql".to_string()
    })?;
    if name.trim().is_empty() {
        return Err("the name after the version is empty: <version>_<name>.sql".into());
    }
    let version = version_text
        .parse::<i64>()
        .map_err(|_| format!("version {version_text} is too large"))?;
    Ok((version, version_text.to_string(), name.to_string()))
}

/// Which marker a line is, if any: `-- migrate:up [options]` / `-- migrate:down`.
fn marker(line: &str) -> Option<(bool, &str)> {
    let rest = line.trim().strip_prefix("--")?.trim_start();
    for (kw, up) in [("migrate:up", true), ("migrate:down", false)] {
        if let Some(opts) = rest.strip_prefix(kw) {
            if opts.is_empty() || opts.starts_with(char::is_whitespace) {
                return Some((up, opts.trim()));
            }
        }
    }
    None
}

fn is_no_transaction_line(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("--") else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix("libsql-shell:") else {
        return false;
    };
    rest.trim() == "no-transaction"
}

/// Parse a file's (normalised) text into its sections.
pub fn parse_text(text: &str) -> Result<(Section, Option<Section>, bool), String> {
    let mut up_at: Option<(usize, usize)> = None; // (byte offset after the marker line, its line)
    let mut down_at: Option<(usize, usize, usize)> = None; // (marker start, after, line)
    let mut no_tx = text.lines().next().is_some_and(is_no_transaction_line);
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let lineno = i + 1;
        if let Some((up, opts)) = marker(line) {
            let which = if up { "up" } else { "down" };
            if up && up_at.is_some() || !up && down_at.is_some() {
                return Err(format!("line {lineno}: a second -- migrate:{which} marker"));
            }
            if up && down_at.is_some() {
                return Err(format!(
                    "line {lineno}: -- migrate:up must come before -- migrate:down"
                ));
            }
            for opt in opts.split_whitespace() {
                match opt {
                    "transaction:false" if up => no_tx = true,
                    "transaction:true" if up => {}
                    _ => {
                        return Err(format!(
                            "line {lineno}: unknown option '{opt}' on the -- migrate:{which} marker"
                        ))
                    }
                }
            }
            if up {
                up_at = Some((offset + line.len(), lineno + 1));
            } else {
                down_at = Some((offset, offset + line.len(), lineno + 1));
            }
        }
        offset += line.len();
    }
    let (up_start, up_line) = up_at.unwrap_or((0, 1));
    if up_at.is_some() && !sql::is_blank(&text[..up_start]) {
        return Err("SQL before the -- migrate:up marker (put it after the marker)".into());
    }
    let up_end = down_at.map_or(text.len(), |d| d.0);
    let up = Section::new(text[up_start..up_end].to_string(), up_line);
    let down = down_at.map(|(_, start, line)| Section::new(text[start..].to_string(), line));
    Ok((up, down, no_tx))
}

impl Migration {
    /// Build a migration from a file name and its raw text.
    pub fn from_text(path: &Path, raw: &str) -> Result<Migration, FileError> {
        let file_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (version, version_text, name) = parse_file_name(&file_name)
            .map_err(|e| FileError(format!("{}: {e}", path.display())))?;
        let text = normalise(raw);
        let (up, down, no_transaction) =
            parse_text(&text).map_err(|e| FileError(format!("{}: {e}", path.display())))?;
        let sum = checksum(&up.text);
        Ok(Migration {
            version,
            key: version.to_string(),
            version_text,
            name,
            accepted: vec![sum.clone()],
            checksum: sum,
            file_name,
            path: path.to_path_buf(),
            up,
            down,
            no_transaction,
        })
    }

    /// Read and parse one file.
    pub fn load(path: &Path) -> Result<Migration, FileError> {
        let bytes = std::fs::read(path)
            .map_err(|e| FileError(format!("cannot read {}: {e}", path.display())))?;
        let raw = String::from_utf8(bytes)
            .map_err(|_| FileError(format!("{}: not valid UTF-8", path.display())))?;
        Migration::from_text(path, &raw)
    }

    /// Whether a recorded checksum is this file's.
    pub fn matches(&self, recorded: &str) -> bool {
        self.accepted
            .iter()
            .any(|c| c.eq_ignore_ascii_case(recorded.trim()))
    }

    /// The up section's statements (see [`Section::statements`]).
    pub fn up_statements(&self) -> Result<Statements, String> {
        self.up
            .statements(!self.no_transaction)
            .map_err(|e| format!("{}:{e}", self.file_name))
    }

    pub fn down_statements(&self) -> Result<Statements, String> {
        match &self.down {
            Some(d) => d
                .statements(!self.no_transaction)
                .map_err(|e| format!("{}:{e}", self.file_name)),
            None => Err(format!(
                "{} has no -- migrate:down section: it cannot be reverted",
                self.file_name
            )),
        }
    }
}

impl Section {
    /// Split into statements with their file lines. When `in_transaction`, a `BEGIN; ...
    /// COMMIT;` wrapper around the whole section is dropped, and any other transaction
    /// control is refused (it would end the runner's transaction early).
    pub fn statements(&self, in_transaction: bool) -> Result<Statements, String> {
        let mut pieces: Vec<Piece> = match &self.pieces {
            Some(given) => given
                .iter()
                .map(|s| Piece {
                    sql: s.sql.clone(),
                    line: s.line,
                })
                .collect(),
            None => {
                let mut pieces = sql::split(&self.text);
                for p in &mut pieces {
                    p.line += self.first_line - 1;
                }
                pieces
            }
        };
        let mut unwrapped = false;
        if in_transaction && pieces.len() >= 2 {
            let first = sql::classify(&pieces[0].sql);
            let last = sql::classify(&pieces[pieces.len() - 1].sql);
            if matches!(first, StmtKind::Begin(_)) && last == StmtKind::Commit {
                pieces.remove(0);
                pieces.pop();
                unwrapped = true;
            }
        }
        if in_transaction {
            for p in &pieces {
                let what = match sql::classify(&p.sql) {
                    StmtKind::Begin(_) => "BEGIN",
                    StmtKind::Commit => "COMMIT",
                    StmtKind::Rollback => "ROLLBACK",
                    _ => continue,
                };
                return Err(format!(
                    "{}: {what} inside a migration: each migration already runs in one \
                     transaction (a BEGIN ... COMMIT around the whole file is accepted); for SQL \
                     that must run outside a transaction start the file with `{NO_TRANSACTION}`",
                    p.line
                ));
            }
        }
        Ok(Statements {
            stmts: pieces
                .into_iter()
                .map(|p| Statement {
                    sql: p.sql,
                    line: p.line,
                })
                .collect(),
            unwrapped,
        })
    }
}

/// Versions this long or longer are taken as `YYYYMMDDHHMMSS` timestamps.
const TIMESTAMP_DIGITS: usize = 14;

/// The version for a new migration: a UTC timestamp when the existing files use timestamps
/// (or `timestamp` is asked for), else the next number, zero-padded like the existing ones.
/// Never equal to or below an existing version.
pub fn next_version(existing: &[Migration], now_unix: i64, timestamp: bool) -> String {
    let max = existing.iter().map(|m| m.version).max();
    let uses_timestamps = existing
        .iter()
        .any(|m| m.version_text.len() >= TIMESTAMP_DIGITS);
    if timestamp || uses_timestamps {
        let ts = utc_timestamp(now_unix);
        match (max, ts.parse::<i64>()) {
            (Some(m), Ok(t)) if t <= m => (m + 1).to_string(),
            _ => ts,
        }
    } else {
        let width = existing
            .iter()
            .map(|m| m.version_text.len())
            .max()
            .unwrap_or(4);
        format!("{:0width$}", max.map_or(1, |m| m + 1))
    }
}

/// `YYYYMMDDHHMMSS` in UTC for a UNIX time (proleptic Gregorian calendar).
pub fn utc_timestamp(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Days since 1970-01-01 to a civil date: shift to an era starting 0000-03-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A file-name-safe form of a migration name: letters, digits and `_`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
