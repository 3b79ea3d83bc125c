//! What a tool's table says was applied, read into one shape whatever the tool: one
//! [`Applied`] per migration the tool considers applied (or failed half-way), matched to
//! the files by key. The meaning of each table's rows follows the tool's own reading:
//!
//! - Prisma: a row counts unless rolled back; one with neither `finished_at` nor
//!   `rolled_back_at` is a failed migration, which Prisma refuses to go past
//!   (prisma/prisma-engines `schema-engine/core/src/commands/apply_migrations.rs`).
//! - Drizzle: one row per migration, `created_at` = the journal's `when`.
//! - golang-migrate: ONE row, the current version; every migration up to it is applied,
//!   and `dirty` means the current one failed half-way (golang-migrate/migrate
//!   `database/sqlite3/sqlite3.go`).
//! - dbmate: one row per applied version.
//! - goose: the newest row of a version decides; version 0 is the table's own marker
//!   (pressly/goose `internal/dialects/sqlite3.go`, `provider.go`).
//! - sqlx: one row per version; `success = false` is a migration that failed half-way
//!   (launchbadge/sqlx `sqlx-sqlite/src/migrate.rs`).

use anyhow::{anyhow, Result};

use super::book::Book;
use super::files::Migration;
use crate::value::Value;

/// One migration the database records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Matches `Migration::key`.
    pub key: String,
    /// Orders it among the files (the file's, when there is one).
    pub version: i64,
    pub version_text: String,
    pub name: String,
    /// What to call it when no file has its key.
    pub label: String,
    /// The recorded checksum (lower-case hex), for tools that record one.
    pub checksum: Option<String>,
    pub applied_at: String,
    pub execution_ms: Option<i64>,
    /// Recorded as failed half-way: the tool refuses to go on until it is repaired.
    pub failed: bool,
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::Null) | None => String::new(),
        Some(Value::Text(s)) => s.clone(),
        Some(v) => v.to_text(""),
    }
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Integer(i) => Some(*i),
        Value::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e18 => Some(*r as i64),
        Value::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn truthy(v: Option<&Value>) -> bool {
    int(v).is_some_and(|i| i != 0)
}

/// The shape of an entry: from its file when there is one, else from what is recorded.
struct Shaper<'a> {
    files: &'a [Migration],
    book: Book,
    missing: i64,
}

impl Shaper<'_> {
    fn applied(&mut self, key: String, recorded: (i64, String, String, String)) -> Applied {
        let (number, version_text, name, label) = recorded;
        let (version, version_text, name) = match self.files.iter().find(|m| m.key == key) {
            Some(m) => (m.version, m.version_text.clone(), m.name.clone()),
            None if self.book.positional() => {
                // After every file, in the order recorded.
                self.missing += 1;
                (i64::MAX / 2 + self.missing, version_text, name)
            }
            None => (number, version_text, name),
        };
        Applied {
            key,
            version,
            version_text,
            name,
            label,
            checksum: None,
            applied_at: String::new(),
            execution_ms: None,
            failed: false,
        }
    }
}

/// `<digits>_<name>` → (digits, name).
fn split(s: &str) -> (String, String) {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    match s[digits..].strip_prefix('_') {
        Some(rest) if digits > 0 => (s[..digits].to_string(), rest.to_string()),
        _ => (s.to_string(), s.to_string()),
    }
}

/// Read the rows of `book`'s table (from `Book::read_sql`).
pub fn interpret(book: Book, rows: &[Vec<Value>], files: &[Migration]) -> Result<Vec<Applied>> {
    let mut s = Shaper {
        files,
        book,
        missing: 0,
    };
    let mut out: Vec<Applied> = Vec::new();
    match book {
        Book::Libsql => {
            for row in rows {
                let version = int(row.first()).ok_or_else(|| {
                    anyhow!(
                        "{} holds a row whose version is not an integer: {:?}",
                        book.table(),
                        row.first()
                    )
                })?;
                let name = text(row.get(1));
                let mut a = s.applied(
                    version.to_string(),
                    (
                        version,
                        version.to_string(),
                        name.clone(),
                        format!("{version}_{name}"),
                    ),
                );
                a.name = name;
                a.checksum = Some(text(row.get(2)));
                a.applied_at = text(row.get(3));
                a.execution_ms = int(row.get(4));
                out.push(a);
            }
        }
        Book::Prisma => {
            for row in rows {
                if truthy(row.get(3)) {
                    continue; // rolled back: as if never applied
                }
                let key = text(row.first());
                let unfinished = truthy(row.get(4));
                if let Some(prev) = out.iter_mut().find(|a| a.key == key) {
                    prev.failed |= unfinished;
                    continue;
                }
                let (v, n) = split(&key);
                let mut a = s.applied(key.clone(), (0, v, n, format!("{key}/")));
                a.checksum = Some(text(row.get(1)).to_ascii_lowercase());
                a.applied_at = text(row.get(2));
                a.failed = unfinished;
                out.push(a);
            }
        }
        Book::Drizzle => {
            for row in rows {
                let Some(when) = int(row.get(1)) else {
                    return Err(anyhow!(
                        "__drizzle_migrations holds a row whose created_at is not a number: {:?}",
                        row.get(1)
                    ));
                };
                let mut a = s.applied(
                    when.to_string(),
                    (
                        when,
                        when.to_string(),
                        String::new(),
                        format!("the migration of {when}"),
                    ),
                );
                a.checksum = Some(text(row.first()).to_ascii_lowercase());
                out.push(a);
            }
        }
        Book::GolangMigrate => {
            if rows.len() > 1 {
                return Err(anyhow!(
                    "schema_migrations holds {} rows; golang-migrate keeps exactly one",
                    rows.len()
                ));
            }
            if let Some(row) = rows.first() {
                let current = int(row.first()).ok_or_else(|| {
                    anyhow!(
                        "schema_migrations' version is not an integer: {:?}",
                        row.first()
                    )
                })?;
                let dirty = truthy(row.get(1));
                for m in files.iter().filter(|m| m.version <= current) {
                    let mut a = s.applied(m.key.clone(), Default::default());
                    a.failed = dirty && m.version == current;
                    out.push(a);
                }
                if !files.iter().any(|m| m.version == current) {
                    let mut a = s.applied(
                        current.to_string(),
                        (
                            current,
                            current.to_string(),
                            String::new(),
                            format!("version {current}"),
                        ),
                    );
                    a.failed = dirty;
                    out.push(a);
                }
            }
        }
        Book::Dbmate => {
            for row in rows {
                let key = text(row.first());
                let number = int(row.first()).unwrap_or(0);
                out.push(s.applied(
                    key.clone(),
                    (number, key.clone(), String::new(), format!("version {key}")),
                ));
            }
        }
        Book::Goose => {
            // The newest row of each version decides (rows come oldest first).
            let mut latest: Vec<(i64, bool, String)> = Vec::new();
            for row in rows {
                let Some(v) = int(row.first()) else { continue };
                let state = (v, truthy(row.get(1)), text(row.get(2)));
                match latest.iter_mut().find(|(lv, _, _)| *lv == v) {
                    Some(l) => *l = state,
                    None => latest.push(state),
                }
            }
            for (v, applied, at) in latest {
                if v == 0 || !applied {
                    continue;
                }
                let mut a = s.applied(
                    v.to_string(),
                    (v, v.to_string(), String::new(), format!("version {v}")),
                );
                a.applied_at = at;
                out.push(a);
            }
        }
        Book::Sqlx => {
            for row in rows {
                let v = int(row.first()).ok_or_else(|| {
                    anyhow!("_sqlx_migrations holds a row whose version is not an integer")
                })?;
                let description = text(row.get(1));
                let mut a = s.applied(
                    v.to_string(),
                    (
                        v,
                        v.to_string(),
                        description.clone(),
                        format!("{v} ({description})"),
                    ),
                );
                a.checksum = Some(text(row.get(2)).to_ascii_lowercase());
                a.applied_at = text(row.get(3));
                a.failed = !truthy(row.get(4));
                a.execution_ms = int(row.get(5)).filter(|n| *n >= 0).map(|n| n / 1_000_000);
                out.push(a);
            }
        }
    }
    out.sort_by_key(|a| a.version);
    Ok(out)
}
