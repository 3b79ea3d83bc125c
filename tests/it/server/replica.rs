//! The test server's replica mode ([`Builder::replica`](super::Builder::replica)): a delayed
//! view, the way an sqld read replica that has not caught up answers.
//!
//! Writes go to the database as usual (a replica forwards them to its primary). A read-only
//! `execute` or `batch` in autocommit that carries no `replication_index`, or a smaller one
//! than the latest write's, is answered from a snapshot: a read transaction held open on its
//! own connection since the replica last caught up, so it sees none of the writes since. A
//! request carrying the latest index (or more) makes the replica catch up first (the
//! snapshot is taken again) and is answered fresh. Cursors and `sequence` are not modelled.

use std::sync::Mutex;

use libsql_shell::transport::local::LocalTransport;
use libsql_shell::transport::{After, Collect, Request, Stmt, Transport};

use super::exec::open_stream;
use super::Shared;

/// The snapshot of a replica that has not caught up (off unless the knob is on).
#[derive(Default)]
pub struct Replica {
    pub on: bool,
    view: Mutex<Option<LocalTransport>>,
}

impl Replica {
    pub fn new(on: bool) -> Self {
        Replica {
            on,
            view: Mutex::new(None),
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
