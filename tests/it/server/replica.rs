//! The test server's replica mode ([`Builder::replica`](super::Builder::replica)): a delayed
//! view, the way an sqld read replica that has not caught up answers.
//!
//! Writes go to the database as usual (a replica forwards them to its primary). A read-only
//! `execute` or `batch` in autocommit that carries no `replication_index`, or a smaller one
//! than the latest write's, is answered from a snapshot: a read transaction held open on its
//! own connection since the replica last caught up, so it sees none of the writes since. A
//! request carrying the latest index (or more) makes the replica catch up first (the
//! snapshot is taken again) and is answered fresh. Cursors and `sequence` are not modelled.
//!
//! The primary can become unreachable (`TestServer::set_primary_unreachable`, or
//! `primary_unreachable_after` some steps): then every step the replica would forward to it
//! ([`unforwarded`]) fails with sqld's `PROXY_ERROR` and applies nothing, while reads still
//! run on the replica.

use std::sync::Mutex;

use libsql_shell::sql::{classify, leading_words, StmtKind};
use libsql_shell::transport::hrana::WireError;
use libsql_shell::transport::local::LocalTransport;
use libsql_shell::transport::{After, Collect, Request, Stmt, Transport};
use rusqlite::TransactionState;

use super::exec::{err, open_stream};
use super::Shared;

/// The snapshot of a replica that has not caught up (off unless the knob is on).
#[derive(Default)]
pub struct Replica {
    pub on: bool,
    view: Mutex<Option<LocalTransport>>,
    /// How many more steps the primary takes before it cannot be reached; `None`: it can.
    pub primary: Mutex<Option<usize>>,
}

impl Replica {
    pub fn new(on: bool) -> Self {
        Replica {
            on,
            view: Mutex::new(None),
            primary: Mutex::new(None),
        }
    }

    /// Take the snapshot again: the replica has caught up with every write so far.
    pub fn catch_up(&self, shared: &Shared) {
        let mut t = open_stream(&shared.db_path).expect("replica view");
        let begin = [
            Request::Sequence("BEGIN".into()),
            Request::Execute(Stmt::new("SELECT count(*) FROM sqlite_schema")),
        ];
        t.pipeline(&begin, After::KeepOpen, &mut Collect::default())
            .expect("replica snapshot");
        *super::lock(&self.view) = Some(t);
    }
}

/// Run `f` on the stream `t`, or on the replica's stale snapshot when the request (its
/// statements `sqls`, carrying `index`) is a read that does not ask for the latest writes.
pub fn run<'a, R>(
    shared: &Shared,
    t: &mut LocalTransport,
    index: Option<u64>,
    sqls: impl IntoIterator<Item = &'a str>,
    f: impl FnOnce(&mut LocalTransport) -> R,
) -> R {
    super::lock(&shared.carried).push(index);
    let r = &shared.replica;
    if !r.on {
        return f(t);
    }
    let latest = shared.replication_index();
    if index.is_some_and(|i| i >= latest) {
        shared.note_waited();
        r.catch_up(shared);
        return f(t);
    }
    let conn = t.connection();
    let read_only = sqls.into_iter().all(|sql| {
        libsql_shell::sql::split(sql)
            .iter()
            .all(|p| conn.prepare(&p.sql).is_ok_and(|s| s.readonly()))
    });
    if !read_only || !conn.is_autocommit() {
        return f(t);
    }
    let mut view = super::lock(&r.view);
    if view.is_none() {
        drop(view);
        r.catch_up(shared);
        view = super::lock(&r.view);
    }
    f(view.as_mut().expect("taken above"))
}

/// sqld's error for a step its replica could not forward (`StmtError::Proxy`).
pub fn proxy_error() -> WireError {
    err(
        "PROXY_ERROR",
        "error executing a request on the primary: transport error: tcp connect error: \
         Connection refused (os error 111)",
    )
}

/// For each of `sqls` (the steps of one request, in order, on the connection `conn`),
/// whether it fails because the replica would forward it to a primary that cannot be
/// reached: a statement SQLite does not call read-only (judged by its keywords when it
/// does not prepare yet, as an INSERT into a table an earlier step creates), `BEGIN
/// IMMEDIATE` or `EXCLUSIVE`, and the COMMIT (or END) of a transaction that wrote. Each
/// step forwarded while the primary is still reachable counts against what it takes.
/// Decided before the request runs, as if every step ran.
pub fn unforwarded(shared: &Shared, conn: &rusqlite::Connection, sqls: &[&str]) -> Vec<bool> {
    let mut primary = super::lock(&shared.replica.primary);
    let Some(left) = primary.as_mut().filter(|_| shared.replica.on) else {
        return vec![false; sqls.len()];
    };
    let mut in_tx = !conn.is_autocommit();
    let mut wrote = in_tx && conn.transaction_state(None).ok() == Some(TransactionState::Write);
    sqls.iter()
        .map(|sql| {
            let words = leading_words(sql, 3);
            let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
            let forwarded = match word(0) {
                "BEGIN" => {
                    in_tx = true;
                    matches!(word(1), "IMMEDIATE" | "EXCLUSIVE")
                }
                "COMMIT" | "END" => {
                    in_tx = false;
                    std::mem::take(&mut wrote)
                }
                "ROLLBACK" => {
                    if !words.iter().any(|w| w == "TO") {
                        (in_tx, wrote) = (false, false);
                    }
                    false
                }
                _ => match conn.prepare(sql) {
                    Ok(stmt) => !stmt.readonly(),
                    Err(_) => classify(sql) == StmtKind::Write,
                },
            };
            if !forwarded {
                return false;
            }
            if *left == 0 {
                return true;
            }
            *left -= 1;
            wrote |= in_tx;
            false
        })
        .collect()
}
