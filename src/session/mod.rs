//! The session: the transaction state machine between the commands and the transport,
//! written once for every transport (docs/ARCHITECTURE.md, "The session").
//!
//! Statements are *submitted*; the session decides when they go out. In autocommit they are
//! grouped into one batch per request. After `BEGIN` writes are buffered, not sent: a COMMIT
//! with nothing flushed costs one round trip (BEGIN, the writes, COMMIT and a ROLLBACK-on-
//! failure step, each conditioned on the previous one), a ROLLBACK with nothing flushed costs
//! none. A statement whose result is needed flushes the buffer on a kept stream, and from
//! then on the transaction lives on that stream, so ROLLBACK really rolls back.

//!
//! [`batch`] builds the request a group of statements is sent as, [`route`] feeds its
//! results to the [`Output`], [`loss`] explains a lost connection (and a replica's lost
//! primary), [`large`] says from where a batch refused as too large for one response can
//! be streamed again through a cursor, and streams it.

mod batch;
mod item;
mod large;
mod loss;
mod output;
mod route;

pub use output::{Origin, Output, SourceName};

use anyhow::Result;

use item::Item;
use loss::{explain_loss, Stake};
use route::Route;

use crate::sql::{classify, StmtKind};
use crate::transport::{
    After, Batch, PipelineError, Request, Response, SqlError, Stmt, Transport, TransportError,
};

/// What happens after a failed statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorMode {
    /// Nothing runs after a failure (exec, batch, migrate, `-bail`).
    Stop,
    /// Later statements still run, as in an interactive sqlite3 session.
    KeepGoing,
}

/// Upper bounds for one request; larger work is split into several requests.
pub const MAX_REQUEST_BYTES: usize = 4 << 20;
pub const MAX_REQUEST_STMTS: usize = 10_000;

#[derive(Debug)]
struct Savepoint {
    name: String,
    /// Position in `pending` while unsent.
    pending_at: Option<usize>,
    started_tx: bool,
}

/// A batch refused whole as too large for one response, and what the pipeline that sent
/// it says.
struct Large {
    err: SqlError,
    after: After,
    was_live: bool,
    /// The server's `get_autocommit` answer after the batch, negated.
    in_tx_after: Option<bool>,
}

pub struct Session<'t> {
    t: Box<dyn Transport + 't>,
    mode: ErrorMode,
    pending: Vec<Item>,
    pending_bytes: usize,
    /// Inside a transaction as of the end of `pending`.
    in_tx: bool,
    /// Position in `pending` of the unsent statement that began the transaction.
    tx_start: Option<usize>,
    savepoints: Vec<Savepoint>,
    /// The server stream holds an open transaction.
    live: bool,
    failures: usize,
    stopped: bool,
    /// The statements submitted next run only if the one before them succeeded
    /// ([`Session::chain_next`]).
    chain_next: bool,
}

impl<'t> Session<'t> {
    pub fn new(t: &'t mut dyn Transport, mode: ErrorMode) -> Self {
        Self::owned(Box::new(t), mode)
    }

    /// A session that owns its transport (the interactive shell, which may reconnect).
    pub fn owned(t: Box<dyn Transport + 't>, mode: ErrorMode) -> Self {
        Session {
            t,
            mode,
            pending: Vec::new(),
            pending_bytes: 0,
            in_tx: false,
            tx_start: None,
            savepoints: Vec::new(),
            live: false,
            failures: 0,
            stopped: false,
            chain_next: false,
        }
    }

    pub fn transport(&self) -> &dyn Transport {
        self.t.as_ref()
    }

    /// The transport itself, for work that runs its own requests (`.dump`, `.import`); only
    /// while nothing is pending and no transaction is open.
    pub fn transport_mut(&mut self) -> Option<&mut (dyn Transport + 't)> {
        if self.pending.is_empty() && !self.in_tx && !self.live {
            Some(self.t.as_mut())
        } else {
            None
        }
    }

    /// The in-process connection's sqlite3_changes and sqlite3_total_changes (counters, so
    /// readable inside a transaction too); `None` for a remote database.
    pub fn change_counts(&mut self) -> Option<(i64, i64)> {
        self.t.native().map(|n| n.change_counts())
    }

    pub fn set_mode(&mut self, mode: ErrorMode) {
        self.mode = mode;
    }

    pub fn mode(&self) -> ErrorMode {
        self.mode
    }

    /// Whether the statements submitted from now on run only if the statement submitted
    /// before each succeeded (where both go in one request), as sqlite3 runs the statements
    /// of one input line; in stop mode every statement already does.
    pub fn chain_next(&mut self, on: bool) {
        self.chain_next = on;
    }

    /// Statements failed so far.
    pub fn failures(&self) -> usize {
        self.failures
    }

    /// In stop mode, a statement failed: accept no more input.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    pub fn in_transaction(&self) -> bool {
        self.in_tx
    }

    /// Statements accepted but not yet sent.
    pub fn pending(&self) -> impl Iterator<Item = (&Origin, &str)> {
        self.pending
            .iter()
            .map(|i| (&i.origin, i.stmt.sql.as_str()))
    }

    /// Buffered writes (what the prompt shows; transaction control is not counted).
    pub fn pending_writes(&self) -> usize {
        self.pending
            .iter()
            .filter(|i| i.kind == StmtKind::Write)
            .count()
    }

    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    /// Accept one statement. It may be sent now (a full request), later, or never (a
    /// ROLLBACK of a transaction nothing of which was sent).
    pub fn submit(&mut self, stmt: Stmt, origin: Origin, out: &mut dyn Output) -> Result<()> {
        if self.stopped {
            return Ok(());
        }
        let kind = classify(&stmt.sql);
        let was_in_tx = self.in_tx;
        match &kind {
            StmtKind::Begin(_) if self.in_tx && self.tx_start.is_some() => {
                // Exactly what SQLite says; decided here because the first BEGIN is unsent.
                let err = SqlError {
                    message: "cannot start a transaction within a transaction".into(),
                    code: Some("SQLITE_ERROR".into()),
                };
                return self.fail(&origin, &stmt.sql, &err, out);
            }
            StmtKind::Begin(_) => {
                if !self.in_tx {
                    self.tx_start = Some(self.pending.len());
                }
                self.in_tx = true;
            }
            StmtKind::Commit => {
                self.in_tx = false;
                self.tx_start = None;
                self.savepoints.clear();
            }
            StmtKind::Rollback => {
                if let Some(start) = self.tx_start.filter(|s| self.in_tx && !self.reads_from(*s)) {
                    // Nothing of this transaction reached the server: drop it, 0 requests.
                    self.truncate(start);
                    self.in_tx = false;
                    self.tx_start = None;
                    self.savepoints.clear();
                    return Ok(());
                }
                self.in_tx = false;
                self.tx_start = None;
                self.savepoints.clear();
            }
            StmtKind::Savepoint(name) => {
                let started_tx = !self.in_tx;
                if started_tx {
                    self.tx_start = Some(self.pending.len());
                }
                self.savepoints.push(Savepoint {
                    name: name.clone(),
                    pending_at: Some(self.pending.len()),
                    started_tx,
                });
                self.in_tx = true;
            }
            StmtKind::Release(name) => {
                if let Some(pos) = self.savepoints.iter().rposition(|s| &s.name == name) {
                    let sp = self.savepoints.split_off(pos);
                    if sp[0].started_tx {
                        self.in_tx = false;
                        self.tx_start = None;
                    }
                }
            }
            StmtKind::RollbackTo(name) => {
                if let Some(pos) = self.savepoints.iter().rposition(|s| &s.name == name) {
                    self.savepoints.truncate(pos + 1);
                    if let Some(at) = self.savepoints[pos]
                        .pending_at
                        .filter(|a| !self.reads_from(*a))
                    {
                        // The savepoint is unsent: forget what came after it, 0 requests.
                        self.truncate(at + 1);
                        return Ok(());
                    }
                }
            }
            StmtKind::Read | StmtKind::Write => {}
        }
        self.pending_bytes += stmt.sql.len();
        self.pending.push(Item {
            stmt,
            origin,
            kind,
            in_tx: was_in_tx,
            in_tx_after: self.in_tx,
            chained: self.chain_next,
        });
        if self.pending_bytes >= MAX_REQUEST_BYTES || self.pending.len() >= MAX_REQUEST_STMTS {
            let n = self.pending.len();
            self.send(n, out)?;
        }
        Ok(())
    }

    /// Send what must be sent now: everything in autocommit; inside a transaction, everything
    /// up to the last statement whose result is needed (writes after it stay buffered).
    pub fn sync(&mut self, out: &mut dyn Output) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let n = if self.in_tx {
            match self.pending.iter().rposition(|i| i.kind == StmtKind::Read) {
                Some(r) => r + 1,
                None => return Ok(()),
            }
        } else {
            self.pending.len()
        };
        self.send(n, out)
    }

    /// Send every statement held, the buffered writes of an open transaction included: the
    /// shell does before its own queries (`.tables` after `BEGIN; INSERT …`), so that their
    /// answers are not mixed with the user's statements'.
    pub fn send_all(&mut self, out: &mut dyn Output) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.send(self.pending.len(), out)
    }

    /// Before a prompt: a transaction whose stream was lost while the user was idle is
    /// announced now, not discovered at the next statement.
    pub fn check_stream(&mut self, out: &mut dyn Output) -> Result<()> {
        let Some(reason) = self.t.take_lost_stream() else {
            return Ok(());
        };
        if self.live {
            self.forget_transaction();
            out.notice(&format!(
                "transaction lost: nothing was committed ({reason})"
            ))?;
        }
        Ok(())
    }

    /// End of input: send what is due; a transaction still open is rolled back, and said so.
    pub fn finish(&mut self, out: &mut dyn Output) -> Result<()> {
        if !self.stopped {
            self.sync(out)?;
        }
        if self.in_tx && !self.stopped {
            let n = self.pending.len();
            out.notice(&format!(
                "the transaction left open at the end of input was rolled back{}",
                if n > 0 {
                    format!(" ({n} buffered statement(s) not sent)")
                } else {
                    String::new()
                }
            ))?;
        }
        self.forget_transaction();
        if self.t.stream_open() {
            self.t.close().map_err(PipelineError::into_anyhow)?;
        }
        Ok(())
    }

    /// After [`finish`](Self::finish), for the commands whose writes a following command
    /// must see (`batch`, `import`, `migrate up`): have the node confirm it has this
    /// session's last write ([`Transport::settle`]: one more request only when the server
    /// sent a replication index no request has carried yet).
    pub fn settle(&mut self) -> Result<()> {
        self.t.settle().map_err(PipelineError::into_anyhow)
    }

    /// The input failed (unreadable, not SQL text): drop what is pending and roll back what
    /// is open, without a notice: the caller reports the failure itself.
    pub fn abandon(&mut self) -> Result<()> {
        self.forget_transaction();
        self.stopped = true;
        if self.t.stream_open() {
            self.t.close().map_err(PipelineError::into_anyhow)?;
        }
        Ok(())
    }

    /// Whether a statement whose result is wanted waits in `pending[from..]`.
    fn reads_from(&self, from: usize) -> bool {
        self.pending[from..]
            .iter()
            .any(|i| i.kind == StmtKind::Read)
    }

    fn truncate(&mut self, len: usize) {
        for item in self.pending.drain(len..) {
            self.pending_bytes -= item.stmt.sql.len();
        }
        for sp in &mut self.savepoints {
            if sp.pending_at.is_some_and(|p| p >= len) {
                sp.pending_at = None;
            }
        }
    }

    /// Report a statement refused before it was sent (by the session itself, or by a caller
    /// such as `batch` refusing a ROLLBACK); what was submitted before it runs first.
    pub fn fail(
        &mut self,
        origin: &Origin,
        sql: &str,
        err: &SqlError,
        out: &mut dyn Output,
    ) -> Result<()> {
        // What was submitted before this statement runs (and reports) first.
        self.sync(out)?;
        self.failures += 1;
        out.error(origin, sql, err)?;
        if self.mode == ErrorMode::Stop {
            self.stopped = true;
        }
        Ok(())
    }

    /// Send the first `n` pending statements as one batch request.
    fn send(&mut self, n: usize, out: &mut dyn Output) -> Result<()> {
        let items: Vec<Item> = self.pending.drain(..n).collect();
        self.pending_bytes = self.pending.iter().map(|i| i.stmt.sql.len()).sum();
        self.tx_start = self
            .tx_start
            .and_then(|s| s.checked_sub(n))
            .filter(|_| self.in_tx);
        for sp in &mut self.savepoints {
            sp.pending_at = sp.pending_at.and_then(|p| p.checked_sub(n));
        }
        // A statement SQLite cannot parse would fail the whole batch on a Hrana server
        // (which parses every step before running any), while a local database runs the
        // statements before it. So: send those, report it, go on with the rest as the mode
        // says. Same outcome on every transport; an extra request only when it happens.
        let mut rest = items;
        loop {
            let bad = rest.iter().enumerate().find_map(|(k, item)| {
                crate::sql::syntax_error(&item.stmt.sql).map(|message| (k, message))
            });
            let Some((k, message)) = bad else {
                return self.send_items(rest, out);
            };
            let mut tail = rest.split_off(k);
            let failures_before = self.failures;
            if !rest.is_empty() {
                self.send_items(rest, out)?;
            }
            if self.stopped {
                return Ok(());
            }
            let item = tail.remove(0);
            // A statement chained to one that just failed does not run, nor do the ones
            // chained after it (the rest of an input line, as sqlite3 skips it).
            if !(item.chained && self.failures > failures_before) {
                let err = SqlError {
                    message,
                    code: Some("SQLITE_ERROR".into()),
                };
                self.failures += 1;
                out.error(&item.origin, &item.stmt.sql, &err)?;
            }
            if self.mode == ErrorMode::Stop {
                self.stopped = true;
                return Ok(());
            }
            while tail.first().is_some_and(|i| i.chained) {
                tail.remove(0);
            }
            if tail.is_empty() {
                return Ok(());
            }
            rest = tail;
        }
    }

    /// Send these statements as one batch request (plus `get_autocommit` where the server
    /// has it), feed their results to `out`, and learn the transaction state from the answer.
    fn send_items(&mut self, items: Vec<Item>, out: &mut dyn Output) -> Result<()> {
        let caps = self.t.capabilities();
        let in_tx_after = items.last().map(|i| i.in_tx_after).unwrap_or(self.live);
        let after = if in_tx_after {
            After::KeepOpen
        } else {
            After::Close
        };
        let was_live = self.live;
        if !caps.streams && (after == After::KeepOpen || was_live) {
            // A stateless server (HTTP API v1) runs every request on a fresh connection: a
            // transaction cannot outlive the request that began it. Sending the rest would
            // run it in autocommit after the first part was rolled back, so refuse.
            self.reset_after_loss();
            return Err(anyhow::Error::new(TransportError::Unsupported(
                "the server offers only the stateless HTTP API v1 (no /v2 or /v3 pipeline), \
                 where a transaction cannot stay open between requests"
                    .into(),
            ))
            .context("transaction lost: nothing was committed"));
        }

        let (steps, step_item) = batch::build(
            &items,
            self.mode == ErrorMode::Stop,
            caps.autocommit_queries,
        );
        let mut reqs = vec![Request::Batch(Batch { steps })];
        if caps.autocommit_queries {
            reqs.push(Request::GetAutocommit);
        }
        let mut sink = Route::new(out, &items, &step_item, true);
        let result = self.t.pipeline(&reqs, after, &mut sink);
        let (mut failures, too_large) = (sink.failures, sink.too_large.take());
        let mut results = match result {
            Ok(r) => r,
            Err(PipelineError::Sink(e)) => return Err(e),
            Err(PipelineError::Transport(te)) => return Err(self.lost(te, &items, was_live)),
        };
        if let Some(err) = too_large {
            let in_tx_after = match results.get(1) {
                Some(Ok(Response::GetAutocommit(auto))) => Some(!auto),
                _ => None,
            };
            let large = Large {
                err,
                after,
                was_live,
                in_tx_after,
            };
            let (f, r) = self.stream_large(&items, large, out)?;
            failures += f;
            if let Some(r) = r {
                results = r;
            }
        }
        self.failures += failures;
        if failures > 0 && self.mode == ErrorMode::Stop {
            self.stopped = true;
        }
        let server_in_tx = match results.get(1) {
            Some(Ok(Response::GetAutocommit(auto))) => Some(!auto),
            _ => None,
        };
        match (after, server_in_tx) {
            (After::KeepOpen, Some(false)) if in_tx_after => {
                // The server ended the transaction (a failed statement rolled it back).
                self.live = false;
                self.in_tx = false;
                self.tx_start = None;
                self.savepoints.clear();
                out.notice(
                    "the transaction was rolled back by the database; continuing in autocommit",
                )?;
            }
            (After::Close, Some(true)) => {
                self.live = false;
                out.notice("the transaction was still open and has been rolled back")?;
            }
            _ => self.live = after == After::KeepOpen,
        }
        Ok(())
    }

    /// A lost connection while `items` were sent: the session is back in autocommit, and
    /// the error says what that means for the data.
    fn lost(&mut self, te: TransportError, items: &[Item], was_live: bool) -> anyhow::Error {
        self.reset_after_loss();
        explain_loss(te, Stake::of(items, was_live), was_live)
    }

    /// Back to autocommit with nothing buffered and no transaction on the stream.
    fn forget_transaction(&mut self) {
        self.pending.clear();
        self.pending_bytes = 0;
        self.in_tx = false;
        self.tx_start = None;
        self.savepoints.clear();
        self.live = false;
    }

    fn reset_after_loss(&mut self) {
        self.forget_transaction();
        // Back in autocommit: an interactive session goes on, a script stops.
        self.stopped = self.mode == ErrorMode::Stop;
    }
}
