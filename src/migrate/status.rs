//! What the database says was applied, compared with the files: applied / pending / changed
//! / missing / failed, read in one request that writes nothing: which tracking tables exist
//! (with their columns, so a table of the right name but another shape is refused before
//! anything is written), whether foreign keys are enforced, and the rows of the tables of
//! every tool the directory's files could belong to.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{anyhow, Result};

use super::book::Book;
use super::files::Migration;
use super::layout::Scan;
use super::records;
pub use super::records::Applied;
use crate::error::usage;
use crate::transport::{
    After, Batch, BatchStep, Collect, PipelineError, Request, Response, StepOutcome, Stmt,
    Transport, TransportError,
};
use crate::value::Value;

/// The database's side, read once per run (and again after losing a race).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbState {
    /// The tool whose table records the migrations.
    pub book: Book,
    pub table_exists: bool,
    /// Ordered by version.
    pub applied: Vec<Applied>,
    /// `PRAGMA foreign_keys` on a fresh stream: whether the database enforces foreign keys.
    pub foreign_keys: bool,
}

impl DbState {
    /// Nothing recorded yet, in our own table.
    pub fn empty(book: Book) -> DbState {
        DbState {
            book,
            table_exists: false,
            applied: Vec::new(),
            foreign_keys: false,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Applied> {
        self.applied.iter().find(|a| a.key == key)
    }

    /// golang-migrate's current version (its one row), as read.
    pub fn current_version(&self) -> Option<i64> {
        self.applied.iter().map(|a| a.version).max()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Applied,
    Pending,
    /// Applied, but the file's up section has changed since.
    Changed,
    /// Applied, but no file has its version.
    Missing,
    /// The tool recorded it as failed half-way (Prisma, sqlx, golang-migrate's `dirty`).
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Changed => "changed",
            State::Missing => "missing",
            State::Failed => "failed",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of `migrate status`.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub version: i64,
    pub name: String,
    pub state: State,
    pub file: Option<&'a Migration>,
    pub applied: Option<&'a Applied>,
    /// Pending, but older than the newest applied migration.
    pub out_of_order: bool,
}

impl Entry<'_> {
    /// The version as the file writes it (zero padding kept), else as recorded.
    pub fn version_text(&self) -> String {
        match (self.file, self.applied) {
            (Some(m), _) => m.version_text.clone(),
            (None, Some(a)) => a.version_text.clone(),
            _ => self.version.to_string(),
        }
    }

    /// `0003_name.sql`, or what is recorded for a missing file.
    pub fn label(&self) -> String {
        match (self.file, self.applied) {
            (Some(m), _) => m.file_name.clone(),
            (None, Some(a)) => format!("{} (file missing)", a.label),
            _ => self.version.to_string(),
        }
    }
}

/// Merge files and tracking rows, ordered by version.
pub fn compute<'a>(files: &'a [Migration], db: &'a DbState) -> Vec<Entry<'a>> {
    let newest_applied = db
        .applied
        .iter()
        .filter(|a| !a.failed)
        .map(|a| a.version)
        .max();
    let mut out: Vec<Entry<'a>> = Vec::new();
    for m in files {
        let applied = db.get(&m.key);
        let state = match applied {
            None => State::Pending,
            Some(a) if a.failed => State::Failed,
            Some(Applied {
                checksum: Some(c), ..
            }) if !m.matches(c) => State::Changed,
            Some(_) => State::Applied,
        };
        out.push(Entry {
            version: m.version,
            name: m.name.clone(),
            state,
            file: Some(m),
            applied,
            out_of_order: state == State::Pending && newest_applied.is_some_and(|n| n > m.version),
        });
    }
    for a in &db.applied {
        if !files.iter().any(|m| m.key == a.key) {
            out.push(Entry {
                version: a.version,
                name: a.name.clone(),
                state: if a.failed {
                    State::Failed
                } else {
                    State::Missing
                },
                file: None,
                applied: Some(a),
                out_of_order: false,
            });
        }
    }
    out.sort_by_key(|e| e.version);
    out
}

/// A table's rows, or why they could not be read (absent, another shape).
pub type Rows = std::result::Result<Vec<Vec<Value>>, String>;

/// What one read found, before the tool is chosen.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    /// Tracking tables that exist, with their columns.
    pub tables: BTreeMap<String, Vec<String>>,
    pub foreign_keys: bool,
    /// Each candidate tool's rows (an error when its table is absent or of another shape).
    pub rows: Vec<(Book, Rows)>,
}

const STEP_TABLES: usize = 0;
const STEP_FK: usize = 1;

/// Read the tracking tables that exist, the foreign-key setting and the rows of every
/// candidate tool's table, in one request that writes nothing (so it works with a
/// read-only token).
pub fn read_raw(t: &mut dyn Transport, books: &[Book]) -> Result<Raw> {
    let names: Vec<String> = Book::ALL
        .iter()
        .map(|b| format!("'{}'", b.table()))
        .collect();
    let mut steps = vec![
        format!(
            "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p \
             WHERE m.type = 'table' AND m.name IN ({}) ORDER BY m.name, p.cid",
            names.join(", ")
        ),
        "PRAGMA foreign_keys".to_string(),
    ];
    steps.extend(books.iter().map(|b| b.read_sql()));
    let batch = Batch {
        steps: steps
            .iter()
            .map(|sql| BatchStep {
                condition: None,
                stmt: Stmt::new(sql.as_str()),
            })
            .collect(),
    };
    let mut sink = Collect::default();
    let results = t
        .pipeline(&[Request::Batch(batch)], After::Close, &mut sink)
        .map_err(|e| match e {
            // Only a read: its outcome is not in doubt, whatever the transport says.
            PipelineError::Transport(TransportError::ConnectionLost { reason, .. }) => {
                anyhow::Error::new(TransportError::ConnectionLost {
                    reason,
                    outcome: "nothing was changed (reading the migration state)",
                })
            }
            e => e.into_anyhow().context("cannot read the migration state"),
        })?;
    let outcomes = match results.into_iter().next() {
        Some(Ok(Response::Batch(o))) => o,
        Some(Err(e)) => return Err(anyhow!("cannot read the migration status: {e}")),
        _ => {
            return Err(anyhow!(
                "cannot read the migration status: unexpected response"
            ))
        }
    };
    let rows_of = |step: usize| -> Vec<Vec<Value>> {
        sink.results
            .iter()
            .find(|(at, _, _)| at.step == Some(step))
            .map(|(_, _, rows)| rows.clone())
            .unwrap_or_default()
    };
    let outcome = |step: usize| -> std::result::Result<(), String> {
        match outcomes.get(step) {
            Some(StepOutcome::Ok(_)) => Ok(()),
            Some(StepOutcome::Err(e)) => Err(e.to_string()),
            _ => Err("a step did not run".into()),
        }
    };
    outcome(STEP_TABLES).map_err(|e| anyhow!("cannot read the migration status: {e}"))?;
    let mut raw = Raw::default();
    for row in rows_of(STEP_TABLES) {
        if let (Some(Value::Text(table)), Some(Value::Text(col))) = (row.first(), row.get(1)) {
            raw.tables
                .entry(table.clone())
                .or_default()
                .push(col.clone());
        }
    }
    // A server that refuses PRAGMA (or answers nothing) is taken as not enforcing.
    raw.foreign_keys = outcome(STEP_FK).is_ok()
        && matches!(
            rows_of(STEP_FK).first().and_then(|r| r.first()),
            Some(Value::Integer(1))
        );
    for (i, b) in books.iter().enumerate() {
        let step = STEP_FK + 1 + i;
        raw.rows.push((*b, outcome(step).map(|()| rows_of(step))));
    }
    Ok(raw)
}

impl DbState {
    /// The state as `book` records it, checking that its table, if there, is its own.
    pub fn from_raw(raw: &Raw, book: Book, files: &[Migration]) -> Result<DbState> {
        let table = book.table();
        let Some(cols) = raw.tables.get(table) else {
            return Ok(DbState {
                foreign_keys: raw.foreign_keys,
                ..DbState::empty(book)
            });
        };
        if !book.owns_columns(cols) {
            return Err(usage(format!(
                "table {table} exists but is not {}'s: its columns are ({}), {} writes ({}); \
                 refusing to write to it (nothing was applied)",
                book.tool(),
                cols.join(", "),
                book.tool(),
                book.columns().join(", ")
            )));
        }
        let rows = match raw.rows.iter().find(|(b, _)| *b == book) {
            Some((_, Ok(rows))) => rows,
            Some((_, Err(e))) => return Err(anyhow!("cannot read {table}: {e}")),
            None => return Err(anyhow!("cannot read {table}: it was not read")),
        };
        Ok(DbState {
            book,
            table_exists: true,
            applied: records::interpret(book, rows, files)?,
            foreign_keys: raw.foreign_keys,
        })
    }
}

/// Read the state of `book`'s table again (after a lost race or connection).
pub fn read(t: &mut dyn Transport, book: Book, files: &[Migration]) -> Result<DbState> {
    let raw = read_raw(t, &[book])?;
    DbState::from_raw(&raw, book, files)
}

/// Read the state for a scanned directory: which tool records it (`Scan::choose`), its
/// migrations as that tool reads them, and what is applied.
pub fn read_scan(t: &mut dyn Transport, scan: &Scan) -> Result<(Vec<Migration>, DbState)> {
    let raw = read_raw(t, &scan.candidates())?;
    let book = scan.choose(&raw.tables).map_err(|e| usage(e.0))?;
    let files = super::build::build(scan, book).map_err(|e| usage(e.0))?;
    let db = DbState::from_raw(&raw, book, &files)?;
    Ok((files, db))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn m(file: &str, text: &str) -> Migration {
        Migration::from_text(Path::new(file), text).unwrap()
    }

    fn row(version: i64, m: Option<&Migration>) -> Applied {
        Applied {
            key: version.to_string(),
            version,
            version_text: version.to_string(),
            name: format!("n{version}"),
            label: format!("{version}_n{version}"),
            checksum: Some(m.map_or("x".into(), |m| m.checksum.clone())),
            applied_at: "2026-01-01T00:00:00.000Z".into(),
            execution_ms: Some(1),
            failed: false,
        }
    }

    #[test]
    fn states() {
        let files = vec![
            m("0001_a.sql", "SELECT 1;"),
            m("0002_b.sql", "SELECT 2;"),
            m("0003_c.sql", "SELECT 3;"),
            m("0005_e.sql", "SELECT 5;"),
        ];
        let db = DbState {
            table_exists: true,
            applied: vec![
                row(1, Some(&files[0])),
                row(2, None),
                row(4, None),
                row(5, Some(&files[3])),
            ],
            ..DbState::empty(Book::Libsql)
        };
        let got: Vec<(i64, State, bool)> = compute(&files, &db)
            .iter()
            .map(|e| (e.version, e.state, e.out_of_order))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, State::Applied, false),
                (2, State::Changed, false),
                (3, State::Pending, true),
                (4, State::Missing, false),
                (5, State::Applied, false),
            ]
        );
        let e = compute(&files, &db);
        assert_eq!(e[3].label(), "4_n4 (file missing)");
        assert_eq!(e[0].version_text(), "0001");
    }
}
