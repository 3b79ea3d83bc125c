//! What a pipeline carries: statements, batches with Hrana's step conditions, the requests
//! and responses of a stream, and a statement's error. Transport-neutral: the Hrana wire
//! forms of these types are in [`super::hrana`].

use std::fmt;

use crate::value::{StmtSummary, Value};

/// One SQL statement with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub sql: String,
    pub args: Vec<Value>,
    /// Named parameters, names including their prefix (`:`, `@` or `$`).
    pub named_args: Vec<(String, Value)>,
    pub want_rows: bool,
}

impl Stmt {
    pub fn new(sql: impl Into<String>) -> Self {
        Stmt {
            sql: sql.into(),
            args: Vec::new(),
            named_args: Vec::new(),
            want_rows: true,
        }
    }

    /// A statement whose rows nobody wants (BEGIN, COMMIT, DDL...).
    pub fn no_rows(sql: impl Into<String>) -> Self {
        Stmt {
            want_rows: false,
            ..Stmt::new(sql)
        }
    }
}

/// A batch step condition, evaluated by the server (or by the local transport) exactly as
/// Hrana defines it: `Ok(i)` / `Error(i)` are true when step `i` ran and succeeded / failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Ok(usize),
    Error(usize),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    /// True when the connection is in autocommit mode (Hrana 3 only).
    IsAutocommit,
}

impl std::ops::Not for Cond {
    type Output = Cond;
    fn not(self) -> Cond {
        Cond::Not(Box::new(self))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BatchStep {
    pub condition: Option<Cond>,
    pub stmt: Stmt,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Batch {
    pub steps: Vec<BatchStep>,
}

/// An error reported by the database for one statement or request (Hrana's `Error`).
#[derive(Debug, Clone, PartialEq)]
pub struct SqlError {
    pub message: String,
    pub code: Option<String>,
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for SqlError {}

/// What happened to one batch step.
#[derive(Debug, Clone, PartialEq)]
pub enum StepOutcome {
    /// Its condition was false: it did not run.
    Skipped,
    Ok(StmtSummary),
    Err(SqlError),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Execute(Stmt),
    Batch(Batch),
    /// Run a `;`-separated script; no rows, stops at its first error.
    Sequence(String),
    /// Is the stream's connection in autocommit mode? (Hrana 3; see [`Capabilities`].)
    GetAutocommit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    Execute(StmtSummary),
    Batch(Vec<StepOutcome>),
    Sequence,
    GetAutocommit(bool),
}

/// Each request of a pipeline answers on its own: a failed request does not stop the others.
pub type RequestResult = Result<Response, SqlError>;

/// Whether the stream stays open after a pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    KeepOpen,
    Close,
}

/// Where a row or a statement error belongs: request index in the pipeline, and the step
/// index when the request is a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRef {
    pub request: usize,
    pub step: Option<usize>,
}
