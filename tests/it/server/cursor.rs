//! Cursors, as sqld runs them: the batch runs while its entries are handed out — over HTTP
//! written straight into a chunked `/v3/cursor` body, over WebSocket produced by a worker
//! thread whose entries each `fetch_cursor` takes (at most an eighth of the response cap per
//! answer, as sqld). A cursor has no cap on its total size. Entries come in sqld's shape and
//! order (`step_begin`, `row`s, `step_end` or `step_error`; `error` when the batch fails as a
//! whole), and a cursor that ran to its end closes with `{"type":"replication_index",
//! "replication_index":N}` (a number, as sqld), also after a `step_error`. `step_end` writes
//! `last_insert_rowid` as a JSON number, as sqld does (the spec says string; the official
//! Rust client only accepts a number there).
//!
//! [`CursorFault`]s (see [`super::TestServer::cursor_fault_next`]) cut a cursor the ways a
//! client must notice.

use std::collections::HashMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use libsql_shell::transport::hrana::{WireCol, WireError};
use libsql_shell::transport::local::LocalTransport;
use libsql_shell::transport::After;
use libsql_shell::transport::{
    Batch, PipelineError, Request, SqlError, StepRef, StepSink, Transport,
};
use libsql_shell::value::{Column, StmtSummary, Value};
use serde::Serialize;

use super::exec::{self, raw, tagged, Raw, RowOut};
use super::{guarded, LiveHandler, Shared};

/// A way to cut the next cursor the server opens (over HTTP or WebSocket).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorFault {
    /// After this many rows, drop the connection: the HTTP body stops without its end (no
    /// last chunk), the WebSocket closes without answering the `fetch_cursor` that would
    /// have carried the next entry.
    DropAfterRows(usize),
    /// Run to the end, but leave out the final `replication_index` entry (the HTTP body
    /// ends properly; WebSocket says `done`).
    OmitFinal,
    /// After this many rows of a step, fail it with a `step_error` (`SQLITE_IOERR`) and stop
    /// the batch there; the final entry follows, as on sqld.
    StepErrorAfterRows(usize),
}

/// The entries but `row` (written straight from the row), fields in sqld's order: `type`
/// first, then as its protocol types declare them.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Entry {
    StepBegin {
        step: usize,
        cols: Vec<WireCol>,
    },
    StepEnd {
        affected_row_count: u64,
        last_insert_rowid: Option<i64>,
    },
    StepError {
        step: usize,
        error: WireError,
    },
    Error {
        error: WireError,
    },
    ReplicationIndex {
        replication_index: u64,
    },
}

/// The head line of a `/v3/cursor` body, in sqld's order.
#[derive(Serialize)]
pub struct Head {
    pub baton: String,
    pub base_url: Option<String>,
}

/// How a cursor ended.
#[derive(Debug)]
pub enum End {
    /// All entries were handed out (or their receiver went away) but the final one, which
    /// the caller sends once the stream can take its next request.
    Complete { last: Option<Raw> },
    /// [`CursorFault::DropAfterRows`]: the connection must be dropped now.
    Cut,
}

/// Why the batch stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The receiver of the entries is gone.
    Gone,
    Cut,
    /// The injected step error was sent.
    Failed,
}

#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cursor stopped")
    }
}

impl std::error::Error for Stopped {}

/// Turns a running batch into entries, each handed to `emit` at once.
struct EntrySink<'a> {
    emit: &'a mut dyn FnMut(Raw) -> bool,
    bad: &'a HashMap<usize, WireError>,
    fault: Option<CursorFault>,
    rows: usize,
    step_rows: usize,
    stop: Option<Stop>,
}

impl EntrySink<'_> {
    fn send(&mut self, entry: Raw) -> anyhow::Result<()> {
        if (self.emit)(entry) {
            Ok(())
        } else {
            self.stop = Some(Stop::Gone);
            Err(Stopped.into())
        }
    }
}

impl StepSink for EntrySink<'_> {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()> {
        let step = at.step.unwrap_or(0);
        self.step_rows = 0;
        if self.bad.contains_key(&step) {
            return Ok(());
        }
        let cols: Vec<WireCol> = cols.iter().map(WireCol::from).collect();
        self.send(raw(&Entry::StepBegin { step, cols }))
    }

    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()> {
        match self.fault {
            Some(CursorFault::DropAfterRows(n)) if self.rows == n => {
                self.stop = Some(Stop::Cut);
                return Err(Stopped.into());
            }
            Some(CursorFault::StepErrorAfterRows(n)) if self.step_rows == n => {
                let error = exec::err("SQLITE_IOERR", "SQLite error: disk I/O error (injected)");
                let step = at.step.unwrap_or(0);
                self.send(raw(&Entry::StepError { step, error }))?;
                self.stop = Some(Stop::Failed);
                return Err(Stopped.into());
            }
            _ => {}
        }
        self.rows += 1;
        self.step_rows += 1;
        self.send(tagged("row", "row", &raw(&RowOut(row))))
    }

    fn end(&mut self, _: StepRef, s: &StmtSummary) -> anyhow::Result<()> {
        // sqld writes this rowid as a number (the one place it does); do the same.
        self.send(raw(&Entry::StepEnd {
            affected_row_count: s.affected_row_count,
            last_insert_rowid: s.last_insert_rowid,
        }))
    }

    fn error(&mut self, at: StepRef, e: &SqlError) -> anyhow::Result<()> {
        let step = at.step.unwrap_or(0);
        let error = self
            .bad
            .get(&step)
            .cloned()
            .unwrap_or_else(|| exec::wire_error(e.clone()));
        self.send(raw(&Entry::StepError { step, error }))
    }
}

/// Run batch `b` as a cursor on `t`, handing each entry to `emit` as it is produced
/// (`emit` says `false` once nobody takes entries any more), all but the final entry,
/// which is returned.
pub fn run(
    shared: &Shared,
    t: &mut LocalTransport,
    b: &Batch,
    fault: Option<CursorFault>,
    emit: &mut dyn FnMut(Raw) -> bool,
) -> End {
    // As sqld: a step that does not parse fails the whole batch before any runs, and the
    // `error` entry is the last.
    if let Some(error) = exec::parse_error(b) {
        emit(raw(&Entry::Error { error }));
        return End::Complete { last: None };
    }
    let (b, bad) = exec::bad_steps(b);
    let mut sink = EntrySink {
        emit,
        bad: &bad,
        fault,
        rows: 0,
        step_rows: 0,
        stop: None,
    };
    let r = t.pipeline(&[Request::Batch(b)], After::KeepOpen, &mut sink);
    let finished = match (r, sink.stop) {
        (_, Some(Stop::Cut)) => return End::Cut,
        (_, Some(Stop::Gone)) => return End::Complete { last: None },
        (Ok(_), _) | (Err(PipelineError::Sink(_)), Some(Stop::Failed)) => true,
        (Err(e), _) => {
            let error = exec::internal(e);
            sink.send(raw(&Entry::Error { error })).ok();
            false
        }
    };
    let last = (finished && fault != Some(CursorFault::OmitFinal)).then(|| {
        let idx = shared.note_writes(0);
        raw(&Entry::ReplicationIndex {
            replication_index: idx,
        })
    });
    End::Complete { last }
}

/// What a WebSocket cursor's worker hands over.
pub enum Item {
    Entry(Raw),
    /// The connection is to be dropped now.
    Cut,
}

/// A WebSocket cursor: its batch runs on a thread (which owns the stream's connection until
/// the cursor closes), entries wait in a bounded queue until fetched.
pub struct Worker {
    entries: Receiver<Item>,
    handle: Option<JoinHandle<Option<LocalTransport>>>,
}

/// The answer to one `fetch_cursor`.
pub struct Fetched {
    pub entries: Vec<Raw>,
    pub done: bool,
    pub cut: bool,
}

impl Worker {
    pub fn spawn(
        shared: &Arc<Shared>,
        mut t: LocalTransport,
        b: Batch,
        fault: Option<CursorFault>,
    ) -> Worker {
        // Room for a few answers' worth of entries: the batch runs on while one is sent.
        let (tx, rx) = sync_channel::<Item>(16 * 1024);
        let s = shared.clone();
        let live = LiveHandler::new(shared);
        let handle = thread::Builder::new()
            .name("hrana-test-cursor".into())
            .spawn(move || {
                let mut out = None;
                guarded(&s, || {
                    let mut emit = |e: Raw| tx.send(Item::Entry(e)).is_ok();
                    let end = run(&s, &mut t, &b, fault, &mut emit);
                    out = Some(t);
                    let _ = match end {
                        End::Cut => tx.send(Item::Cut),
                        End::Complete { last: Some(e) } => tx.send(Item::Entry(e)),
                        End::Complete { last: None } => Ok(()),
                    };
                });
                drop(live);
                out
            })
            .expect("spawn a cursor thread");
        Worker {
            entries: rx,
            handle: Some(handle),
        }
    }

    /// Take entries until `max_count` or `max_size` bytes (sqld stops at the entry that
    /// reaches the size, so an answer holds at least one entry); `done` once the batch has
    /// ended and every entry was taken.
    pub fn fetch(&mut self, max_count: usize, max_size: usize) -> Fetched {
        let mut out = Fetched {
            entries: Vec::new(),
            done: false,
            cut: false,
        };
        let mut size = 0;
        while out.entries.len() < max_count && size < max_size {
            match self.entries.recv() {
                Ok(Item::Entry(e)) => {
                    size += e.get().len();
                    out.entries.push(e);
                }
                Ok(Item::Cut) => {
                    out.cut = true;
                    break;
                }
                Err(_) => {
                    out.done = true;
                    break;
                }
            }
        }
        out
    }

    /// Stop the cursor (its thread stops at its next entry) and take the stream's
    /// connection back.
    pub fn close(mut self) -> Option<LocalTransport> {
        let Worker { entries, handle } = &mut self;
        drop(std::mem::replace(entries, sync_channel(0).1));
        handle.take().and_then(|h| h.join().ok().flatten())
    }
}
