//! Running a script through the session: every step submitted in stop-at-first-error mode,
//! then one `sync`, so a transactional script is one conditioned batch (BEGIN ... COMMIT with
//! ROLLBACK-on-failure) in one request on every transport. The outcome says exactly which
//! step failed and why, in terms of the migration file.

use std::time::{Duration, Instant};

use anyhow::Result;

use super::script::{Role, Step};
use crate::session::{ErrorMode, Origin, Output, Session, SourceName};
use crate::transport::{SqlError, Stmt, Transport};
use crate::value::{Column, StmtSummary, Value};

/// A step that failed, with what it was for.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Index into the script; `None` when the request failed as a whole (the server refused
    /// or abandoned the batch: nothing of it stays).
    pub step: Option<usize>,
    pub role: Option<Role>,
    pub unit: usize,
    pub line: usize,
    pub sql: String,
    pub err: SqlError,
    /// Rows of `PRAGMA foreign_key_check`: (table, rowid, parent, fkid).
    pub fk_rows: Vec<Vec<Value>>,
}

impl Failure {
    /// A primary-key conflict on the tracking row, a guard that found the row already
    /// there, or a revert that found no row: another runner got there first, and this
    /// transaction rolled back entirely.
    pub fn lost_race(&self) -> bool {
        matches!(
            self.role,
            Some(Role::Track | Role::TrackGuard | Role::UntrackGuard)
        ) && self.constraint()
    }

    /// The step failed on a constraint: a guard's condition held (guards fail on a
    /// constraint of the tool's table and on nothing else), or a key conflicted. Any other
    /// error (a lock, say) says nothing of the data. A replica relays its primary's refusal as
    /// `PROXY_ERROR` with the primary's message, so the message is read too.
    pub fn constraint(&self) -> bool {
        self.err
            .code
            .as_deref()
            .is_some_and(|c| c.contains("CONSTRAINT"))
            || self.err.message.contains("constraint failed")
            || self.err.message.contains("PRIMARY KEY")
    }

    /// The step failed after COMMIT succeeded: the migration is applied.
    pub fn after_commit(&self) -> bool {
        self.role == Some(Role::Restore)
    }

    /// Lock timeouts and server-side transaction limits: retrying later can succeed.
    pub fn transient(&self) -> bool {
        let code = self.err.code.as_deref().unwrap_or("");
        let msg = &self.err.message;
        code.contains("TRANSACTION_TIMEOUT")
            || code.contains("BUSY")
            || code.contains("LOCKED")
            || msg.contains("database is locked")
            || msg.contains("TRANSACTION_TIMEOUT")
            || msg.to_ascii_lowercase().contains("timed out")
    }

    /// The violations found by `PRAGMA foreign_key_check`, readable.
    pub fn violations(&self) -> String {
        let cell = |r: &[Value], i: usize| r.get(i).map(|v| v.to_text("NULL")).unwrap_or_default();
        let mut parts: Vec<String> = self
            .fk_rows
            .iter()
            .take(5)
            .map(|r| {
                format!(
                    "{} row {} references a missing row of {}",
                    cell(r, 0),
                    cell(r, 1),
                    cell(r, 2)
                )
            })
            .collect();
        if self.fk_rows.len() > 5 {
            parts.push(format!("and {} more", self.fk_rows.len() - 5));
        }
        parts.join("; ")
    }
}

#[derive(Debug)]
pub enum Outcome {
    /// Committed (or, for autocommit scripts, every step ran). Client-side round-trip time.
    Done(Duration),
    /// A step failed; a transactional script left nothing behind.
    Failed(Failure),
    /// The connection failed: whether the script took effect is not known from here.
    Lost(anyhow::Error),
}

/// Receives the session's results: keeps the first failure and the foreign-key rows.
struct Collector<'a> {
    steps: &'a [Step],
    failure: Option<Failure>,
    fk_rows: Vec<Vec<Value>>,
    notices: Vec<String>,
}

impl Output for Collector<'_> {
    fn begin(&mut self, _cols: &[Column]) -> Result<()> {
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> Result<()> {
        // Only the FkList step asks for rows.
        self.fk_rows.push(row.to_vec());
        Ok(())
    }

    fn end(&mut self, _summary: &StmtSummary) -> Result<()> {
        Ok(())
    }

    fn error(&mut self, origin: &Origin, sql: &str, err: &SqlError) -> Result<()> {
        if self.failure.is_some() {
            return Ok(());
        }
        // The session names the whole request with an empty statement.
        let idx = origin.index.checked_sub(1).filter(|_| !sql.is_empty());
        let step = idx.and_then(|i| self.steps.get(i));
        self.failure = Some(Failure {
            step: idx,
            role: step.map(|s| s.role),
            unit: step.map_or(0, |s| s.unit),
            line: step.map_or(0, |s| s.line),
            sql: sql.to_string(),
            err: err.clone(),
            fk_rows: Vec::new(),
        });
        Ok(())
    }

    fn notice(&mut self, msg: &str) -> Result<()> {
        self.notices.push(msg.to_string());
        Ok(())
    }
}

/// Run a script through a fresh session on `t` (stop at the first error) and say what
/// happened. `source` names the file for the session's own messages.
pub fn execute(t: &mut dyn Transport, steps: &[Step], source: &str) -> Result<Outcome> {
    let mut out = Collector {
        steps,
        failure: None,
        fk_rows: Vec::new(),
        notices: Vec::new(),
    };
    let started = Instant::now();
    let mut session = Session::new(t, ErrorMode::Stop);
    let mut sent: Result<()> = Ok(());
    for (i, step) in steps.iter().enumerate() {
        let stmt = if step.role == Role::FkList {
            Stmt::new(step.sql.as_str())
        } else {
            Stmt::no_rows(step.sql.as_str())
        };
        let origin = Origin {
            index: i + 1,
            source: SourceName::File(source.to_string()),
            line: step.line,
            multiline: true,
        };
        sent = session.submit(stmt, origin, &mut out);
        if sent.is_err() || session.stopped() {
            break;
        }
    }
    if sent.is_ok() {
        sent = session.sync(&mut out);
    }
    let finished = session.finish(&mut out);
    let elapsed = started.elapsed();
    if let Err(e) = sent {
        return Ok(Outcome::Lost(e));
    }
    if let Some(mut f) = out.failure.take() {
        f.fk_rows = std::mem::take(&mut out.fk_rows);
        return Ok(Outcome::Failed(f));
    }
    if let Err(e) = finished {
        return Ok(Outcome::Lost(e));
    }
    for n in &out.notices {
        crate::error::print_note(n);
    }
    Ok(Outcome::Done(elapsed))
}
