//! What the database says was applied, compared with the files: applied / pending / changed
//! / missing, read in one request.

use std::fmt;

use anyhow::{anyhow, Result};

use super::files::Migration;
use super::TABLE;
use crate::transport::{
    After, Batch, BatchStep, Collect, PipelineError, Request, Response, StepOutcome, Stmt,
    Transport, TransportError,
};
use crate::value::Value;

/// One row of the tracking table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub version: i64,
    pub name: String,
    pub checksum: String,
    pub applied_at: String,
    pub execution_ms: Option<i64>,
}

/// The database's side, read once per run (and again after losing a race).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DbState {
    pub table_exists: bool,
    /// Ordered by version.
    pub applied: Vec<Applied>,
    /// `PRAGMA foreign_keys` on a fresh stream: whether the database enforces foreign keys.
    pub foreign_keys: bool,
}

impl DbState {
    pub fn get(&self, version: i64) -> Option<&Applied> {
        self.applied.iter().find(|a| a.version == version)
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
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Changed => "changed",
            State::Missing => "missing",
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
    /// The version as the file writes it (zero padding kept), else the number.
    pub fn version_text(&self) -> String {
        self.file
            .map_or_else(|| self.version.to_string(), |m| m.version_text.clone())
    }

    /// `0003_name.sql`, or the name recorded for a missing file.
    pub fn label(&self) -> String {
        match self.file {
            Some(m) => m.file_name.clone(),
            None => format!("{}_{} (file missing)", self.version, self.name),
        }
    }
}

/// Merge files and tracking rows, ordered by version.
pub fn compute<'a>(files: &'a [Migration], db: &'a DbState) -> Vec<Entry<'a>> {
    let newest_applied = db.applied.iter().map(|a| a.version).max();
    let mut out: Vec<Entry<'a>> = Vec::new();
    for m in files {
        let applied = db.get(m.version);
        let state = match applied {
            None => State::Pending,
            Some(a) if a.checksum != m.checksum => State::Changed,
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
        if !files.iter().any(|m| m.version == a.version) {
            out.push(Entry {
                version: a.version,
                name: a.name.clone(),
                state: State::Missing,
                file: None,
                applied: Some(a),
                out_of_order: false,
            });
        }
    }
    out.sort_by_key(|e| e.version);
    out
}

const STEP_EXISTS: usize = 0;
const STEP_FK: usize = 1;
const STEP_ROWS: usize = 2;

/// Read the tracking table (absent is fine: nothing applied) and the foreign-key setting, in
/// one request that writes nothing (so it works with a read-only token).
pub fn read(t: &mut dyn Transport) -> Result<DbState> {
    let steps = [
        format!("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"),
        "PRAGMA foreign_keys".to_string(),
        format!(
            "SELECT version, name, checksum, applied_at, execution_ms FROM {TABLE} ORDER BY version"
        ),
    ];
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
    let rows_of = |step: usize| -> Option<&Vec<Vec<Value>>> {
        sink.results
            .iter()
            .find(|(at, _, _)| at.step == Some(step))
            .map(|(_, _, rows)| rows)
    };
    let check = |step: usize| -> Result<()> {
        match outcomes.get(step) {
            Some(StepOutcome::Ok(_)) => Ok(()),
            Some(StepOutcome::Err(e)) => Err(anyhow!("cannot read the migration status: {e}")),
            _ => Err(anyhow!(
                "cannot read the migration status: a step did not run"
            )),
        }
    };
    check(STEP_EXISTS)?;
    let first_int = |step: usize| -> i64 {
        match rows_of(step)
            .and_then(|r| r.first())
            .and_then(|r| r.first())
        {
            Some(Value::Integer(i)) => *i,
            _ => 0,
        }
    };
    let table_exists = first_int(STEP_EXISTS) > 0;
    // A server that refuses PRAGMA (or answers nothing) is taken as not enforcing.
    let foreign_keys =
        matches!(outcomes.get(STEP_FK), Some(StepOutcome::Ok(_))) && first_int(STEP_FK) == 1;
    let mut applied = Vec::new();
    if table_exists {
        check(STEP_ROWS)?;
        for row in rows_of(STEP_ROWS).into_iter().flatten() {
            applied.push(applied_from_row(row)?);
        }
    }
    Ok(DbState {
        table_exists,
        applied,
        foreign_keys,
    })
}

fn applied_from_row(row: &[Value]) -> Result<Applied> {
    let text = |i: usize| match row.get(i) {
        Some(Value::Text(s)) => s.clone(),
        Some(v) => v.to_text(""),
        None => String::new(),
    };
    let version = match row.first() {
        Some(Value::Integer(i)) => *i,
        other => {
            return Err(anyhow!(
                "{TABLE} holds a row whose version is not an integer: {other:?}"
            ))
        }
    };
    Ok(Applied {
        version,
        name: text(1),
        checksum: text(2),
        applied_at: text(3),
        execution_ms: match row.get(4) {
            Some(Value::Integer(i)) => Some(*i),
            _ => None,
        },
    })
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
            version,
            name: format!("n{version}"),
            checksum: m.map_or("x".into(), |m| m.checksum.clone()),
            applied_at: "2026-01-01T00:00:00.000Z".into(),
            execution_ms: Some(1),
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
            foreign_keys: false,
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
