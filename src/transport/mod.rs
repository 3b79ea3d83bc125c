//! The transport trait: the Hrana stream model that local, HTTP and WebSocket all implement.
//!
//! A transport owns at most one *stream* (one server-side SQLite connection). Callers send a
//! pipeline of requests on it and say whether the stream stays open afterwards; that maps to
//! one HTTP pipeline POST, one burst of WebSocket messages, or a few rusqlite calls. Rows are
//! delivered to a [`StepSink`] in order, so a local query streams straight to the renderer.

pub mod http;
mod keepalive;
pub mod local;
mod replay;
pub mod tls;
pub mod ws;

use std::fmt;

use crate::value::{Column, StmtSummary, Value};

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

/// Receives statement results in order as they are produced. Errors returned by a sink (a
/// closed stdout, say) abort the pipeline and are passed back to the caller as they are.
pub trait StepSink {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()>;
    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()>;
    /// A row its producer no longer needs: a sink that keeps rows takes it without a copy.
    fn row_owned(&mut self, at: StepRef, row: Vec<Value>) -> anyhow::Result<()> {
        self.row(at, &row)
    }
    fn end(&mut self, at: StepRef, summary: &StmtSummary) -> anyhow::Result<()>;
    fn error(&mut self, _at: StepRef, _err: &SqlError) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A sink that drops everything (for requests whose rows nobody reads).
pub struct Discard;

impl StepSink for Discard {
    fn begin(&mut self, _: StepRef, _: &[Column]) -> anyhow::Result<()> {
        Ok(())
    }
    fn row(&mut self, _: StepRef, _: &[Value]) -> anyhow::Result<()> {
        Ok(())
    }
    fn end(&mut self, _: StepRef, _: &StmtSummary) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A sink that keeps every row, for callers that need results in memory (small reads only).
#[derive(Default, Debug)]
pub struct Collect {
    pub results: Vec<(StepRef, Vec<Column>, Vec<Vec<Value>>)>,
}

impl StepSink for Collect {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()> {
        self.results.push((at, cols.to_vec(), Vec::new()));
        Ok(())
    }
    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()> {
        self.row_owned(at, row.to_vec())
    }
    fn row_owned(&mut self, _: StepRef, row: Vec<Value>) -> anyhow::Result<()> {
        if let Some(last) = self.results.last_mut() {
            last.2.push(row);
        }
        Ok(())
    }
    fn end(&mut self, _: StepRef, _: &StmtSummary) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Everything a pipeline fed its sink, in order, to be fed to another sink later.
#[derive(Default, Debug)]
struct Recorded {
    events: Vec<Event>,
}

#[derive(Debug)]
enum Event {
    Begin(StepRef, Vec<Column>),
    Row(StepRef, Vec<Value>),
    End(StepRef, StmtSummary),
    Error(StepRef, SqlError),
}

impl Recorded {
    fn replay(self, sink: &mut dyn StepSink) -> anyhow::Result<()> {
        for e in self.events {
            match e {
                Event::Begin(at, cols) => sink.begin(at, &cols)?,
                Event::Row(at, row) => sink.row_owned(at, row)?,
                Event::End(at, s) => sink.end(at, &s)?,
                Event::Error(at, e) => sink.error(at, &e)?,
            }
        }
        Ok(())
    }
}

impl StepSink for Recorded {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()> {
        self.events.push(Event::Begin(at, cols.to_vec()));
        Ok(())
    }
    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()> {
        self.row_owned(at, row.to_vec())
    }
    fn row_owned(&mut self, at: StepRef, row: Vec<Value>) -> anyhow::Result<()> {
        self.events.push(Event::Row(at, row));
        Ok(())
    }
    fn end(&mut self, at: StepRef, summary: &StmtSummary) -> anyhow::Result<()> {
        self.events.push(Event::End(at, summary.clone()));
        Ok(())
    }
    fn error(&mut self, at: StepRef, err: &SqlError) -> anyhow::Result<()> {
        self.events.push(Event::Error(at, err.clone()));
        Ok(())
    }
}

/// A pipeline that was sent, whose results have not been read yet
/// (see [`Transport::pipeline_ahead`]).
pub trait Pending: Send {
    /// Feed the results to `sink` in order, as [`Transport::pipeline`] would have.
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError>;
}

/// A pipeline already run to completion, its results held in memory.
struct Ran {
    recorded: Recorded,
    results: Vec<RequestResult>,
}

impl Pending for Ran {
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        self.recorded.replay(sink).map_err(PipelineError::Sink)?;
        Ok(self.results)
    }
}

/// [`Transport::pipeline_ahead`] for a transport that cannot leave results unread: run the
/// pipeline now and keep its results in memory.
pub fn run_ahead(
    t: &mut (impl Transport + ?Sized),
    reqs: &[Request],
) -> Result<Box<dyn Pending>, PipelineError> {
    let mut recorded = Recorded::default();
    let results = t.pipeline(reqs, After::KeepOpen, &mut recorded)?;
    Ok(Box::new(Ran { recorded, results }))
}

/// What a transport can express; the layers above choose their batch shapes from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// `get_autocommit` requests and `is_autocommit` conditions (Hrana 3).
    pub autocommit_queries: bool,
    /// Whether a stream survives between pipelines (false for the stateless `/v1` API).
    pub streams: bool,
}

/// Which protocol and endpoint a transport uses (for `.transport` and `--trace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportInfo {
    pub kind: &'static str,
    pub protocol: String,
    /// The endpoint, never including credentials.
    pub endpoint: String,
}

/// Failures of the connection itself, as opposed to a statement's [`SqlError`].
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("authentication failed: {0} (token missing, invalid or expired; see --auth-token)")]
    Auth(String),
    #[error("not permitted: {0} (the token may be read-only or lack access to this database)")]
    Forbidden(String),
    #[error("cannot connect to {host}:{port}: {reason}")]
    Connect {
        host: String,
        port: u16,
        reason: String,
    },
    #[error("request timed out after {0} s (--timeout)")]
    Timeout(u64),
    #[error("server answered HTTP {status}: {body}")]
    Http { status: u16, body: String },
    #[error("stream expired on the server: the stream and any open transaction are gone; nothing of that transaction was committed")]
    StreamExpired,
    #[error("connection lost: {reason}; {outcome}")]
    ConnectionLost {
        reason: String,
        outcome: &'static str,
    },
    #[error("protocol error: {0}")]
    Protocol(String),
    #[error("{0}")]
    Local(String),
}

impl TransportError {
    /// The phrase used when a request may or may not have run before the connection died.
    pub const OUTCOME_UNKNOWN: &'static str =
        "the outcome of the last request is unknown: it may or may not have been applied";
    pub const NOTHING_APPLIED: &'static str = "the request was not applied";
}

/// One stream model, three implementations.
pub trait Transport {
    /// Send `reqs` on the current stream (opening one if needed), feed rows to `sink` in
    /// order, and keep or close the stream afterwards.
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError>;

    /// Send `reqs` on the stream (kept open) and return as soon as the stream can take the
    /// next pipeline, leaving the results to be read by [`Pending::finish`]: a caller can
    /// have the server work on its next request while it decodes this one's results. Only
    /// for reads: a transport may also run the pipeline to completion first (the default).
    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        run_ahead(self, reqs)
    }

    /// Whether a stream is currently open (and might hold a transaction).
    fn stream_open(&self) -> bool;

    fn capabilities(&self) -> Capabilities;

    fn info(&self) -> TransportInfo;

    /// If the stream was lost while idle (an HTTP stream that could not be kept alive), why;
    /// the stream is forgotten, so the next pipeline starts afresh.
    fn take_lost_stream(&mut self) -> Option<String> {
        None
    }

    /// Something that interrupts the running statement from another thread (Ctrl-C), if
    /// the transport can do that.
    fn interrupter(&self) -> Option<std::sync::Arc<dyn Fn() + Send + Sync>> {
        None
    }

    /// Close the stream if one is open (an open transaction on it is rolled back).
    fn close(&mut self) -> Result<(), TransportError> {
        if self.stream_open() {
            self.pipeline(&[], After::Close, &mut Discard)
                .map_err(|e| match e {
                    PipelineError::Transport(t) => t,
                    PipelineError::Sink(s) => TransportError::Local(s.to_string()),
                })?;
        }
        Ok(())
    }
}

/// A borrowed transport is a transport (so a session can borrow or own one).
impl<T: Transport + ?Sized> Transport for &mut T {
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        (**self).pipeline(reqs, after, sink)
    }
    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        (**self).pipeline_ahead(reqs)
    }
    fn stream_open(&self) -> bool {
        (**self).stream_open()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn info(&self) -> TransportInfo {
        (**self).info()
    }
    fn close(&mut self) -> Result<(), TransportError> {
        (**self).close()
    }
    fn interrupter(&self) -> Option<std::sync::Arc<dyn Fn() + Send + Sync>> {
        (**self).interrupter()
    }
    fn take_lost_stream(&mut self) -> Option<String> {
        (**self).take_lost_stream()
    }
}

/// A pipeline fails either in the transport or in the sink that consumed its rows.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Sink(anyhow::Error),
}

impl PipelineError {
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            PipelineError::Transport(t) => anyhow::Error::new(t),
            PipelineError::Sink(s) => s,
        }
    }
}
