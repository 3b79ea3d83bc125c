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
//! A step the replica forwards to its primary ([`forwarded`]) that the primary refuses fails
//! with sqld's `PROXY_ERROR` ([`refused_by_primary`]). The primary can also become
//! unreachable ([`admit`]): then a request it would forward fails as a whole (HTTP 500, a
//! closed WebSocket) and nothing of it runs, while reads still run on the replica.

use std::sync::Mutex;

use libsql_shell::sql::{classify, leading_words, StmtKind};
use libsql_shell::transport::hrana::WireError;
use libsql_shell::transport::local::LocalTransport;
use libsql_shell::transport::{After, Collect, Request, Stmt, Transport};
use rusqlite::TransactionState;

use super::exec::{err, open_stream, Failure};
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
    // SQLite calls BEGIN and COMMIT read-only, but the snapshot already holds a transaction:
    // a request that controls one runs on its stream.
    let read_only = sqls.into_iter().all(|sql| {
        libsql_shell::sql::split(sql).iter().all(|p| {
            classify(&p.sql) == StmtKind::Read && conn.prepare(&p.sql).is_ok_and(|s| s.readonly())
        })
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

/// What sqld's replica answers when the primary refused a step it forwarded there (a
/// constraint, say): `PROXY_ERROR`, with the primary's message after sqld's prefix.
pub fn refused_by_primary(e: WireError) -> WireError {
    err(
        "PROXY_ERROR",
        format!("error executing a request on the primary: {}", e.message),
    )
}

/// With the primary unreachable (`TestServer::set_primary_unreachable`, or
/// `primary_unreachable_after` some forwarded steps), a request with a step the replica
/// must forward fails as a whole and runs nothing: sqld's write proxy gets no answer
/// (`RpcQueryExecutionError`), which is not a statement error, so HTTP answers 500 and a
/// WebSocket is closed. Reads still run. The steps of an admitted request count against
/// what the primary takes.
pub fn admit(shared: &Shared, conn: &rusqlite::Connection, sqls: &[&str]) -> Result<(), Failure> {
    let mut primary = super::lock(&shared.replica.primary);
    let Some(left) = primary.as_mut() else {
        return Ok(());
    };
    let n = forwarded(shared, conn, sqls).iter().filter(|f| **f).count();
    if n > *left {
        // Gone: no later request gets through either, however few steps it has.
        *left = 0;
        return Err(Failure::Internal(
            "Failed to execute query via RPC: transport error: tcp connect error: Connection \
             refused (os error 111)"
                .into(),
        ));
    }
    *left -= n;
    Ok(())
}

/// For each of `sqls` (the steps of one request, in order, on the connection `conn`),
/// whether a replica forwards it to its primary: a statement SQLite does not call
/// read-only (judged by its keywords when it does not prepare yet, as an INSERT into a
/// table an earlier step creates), `BEGIN IMMEDIATE` or `EXCLUSIVE`, and the COMMIT (or
/// END) of a transaction that wrote. All `false` when the server is not a replica.
pub fn forwarded(shared: &Shared, conn: &rusqlite::Connection, sqls: &[&str]) -> Vec<bool> {
    if !shared.replica.on {
        return vec![false; sqls.len()];
    }
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
            wrote |= forwarded && in_tx;
            forwarded
        })
        .collect()
}
