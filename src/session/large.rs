//! A result too large for one response (docs/ARCHITECTURE.md, "The session"): sqld (and
//! the test server) stop a batch at the row that crosses the response cap and refuse the
//! whole batch with `RESPONSE_TOO_LARGE`. The statements before the refused one have run,
//! those after it have not, and which statement it was is not said. The session then sends
//! the batch again through a cursor, which has no cap, from a point where that is exact:
//! everything before it ran and lasted, and anything from it on that may have run either
//! changed nothing (a query) or was rolled back. This module finds that point, or says why
//! there is none, and sends the batch again from it ([`Session::stream_large`]).

use anyhow::Result;

use super::batch;
use super::item::Item;
use super::output::Output;
use super::route::Route;
use super::{ErrorMode, Large, Session};
use crate::sql::{leading_words, StmtKind};
use crate::transport::{After, Batch, Discard, PipelineError, Request, RequestResult, SqlError};

/// Why the batch cannot be streamed again: statements that change the database may have
/// run after the first one that returns rows.
pub const MIXED: &str = "the statements sent with it change the database and may already \
    have run, so it is not sent again: run the large query on its own";

/// Why the batch cannot be streamed again: the transaction it ran in was lost.
pub const TX_LOST: &str = "the transaction it ran in was lost with the refused answer";

/// What to do when the server has no cursor.
pub const NO_CURSOR: &str = "this server cannot stream a result (cursors need Hrana 3): \
    read it in pages (ORDER BY a key with WHERE key > the last one seen and a LIMIT), or \
    copy whole tables with `libsql-shell dump`";

/// The first of `items` (a batch refused as too large, sent with `after`) to send again,
/// so that every statement runs once; `Err`: why there is no such statement. `stop`: each
/// statement ran only if the one before it succeeded (and, inside a transaction, only
/// while the transaction was open). `in_tx_after`: what the server said right after the
/// refusal (`get_autocommit`, before the pipeline's `close`), if it was asked.
pub fn restart_at(
    items: &[Item],
    stop: bool,
    after: After,
    in_tx_after: Option<bool>,
) -> Result<usize, &'static str> {
    let mut reads = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == StmtKind::Read)
        .map(|(k, _)| k);
    let Some(first) = reads.next() else {
        return Err(MIXED);
    };
    let last = reads.next_back().unwrap_or(first);
    // The refused statement is a read from `first` to `last`: everything before it ran.
    if after == After::KeepOpen || !items[first].in_tx {
        // What ran before `first` lasts: on the stream that is kept, or committed in
        // autocommit. From `first` on, what may have run must change nothing.
        return match items[first..last].iter().all(changes_nothing) {
            true => Ok(first),
            false => Err(MIXED),
        };
    }
    // The `close` that ended the pipeline rolled back the transaction open at `first`:
    // start again where it began, if it began in this batch and stayed open up to `last`
    // (whatever ran inside it is undone).
    let Some(begin) = items[..first]
        .iter()
        .rposition(|i| !i.in_tx && i.in_tx_after)
    else {
        return Err(TX_LOST);
    };
    let open_throughout = items[begin + 1..=last]
        .iter()
        .all(|i| i.in_tx && i.in_tx_after);
    // Without stop mode's guards a failed statement may end the transaction early, and
    // what follows it then runs (and lasts) in autocommit; unless the server said the
    // transaction was still open after the refusal.
    let guarded =
        stop || in_tx_after == Some(true) || items[begin + 1..last].iter().all(changes_nothing);
    if open_throughout && guarded {
        Ok(begin)
    } else {
        Err(MIXED)
    }
}

/// A query that changes nothing when it runs again: SELECT, VALUES, EXPLAIN, a WITH
/// without a data-changing statement, a PRAGMA that sets nothing.
fn changes_nothing(item: &Item) -> bool {
    if item.kind != StmtKind::Read {
        return false;
    }
    let words = leading_words(&item.stmt.sql, usize::MAX);
    match words.first().map(String::as_str) {
        Some("SELECT" | "VALUES" | "EXPLAIN") => true,
        Some("WITH") => !words
            .iter()
            .any(|w| matches!(w.as_str(), "INSERT" | "UPDATE" | "DELETE" | "REPLACE")),
        Some("PRAGMA") => !item.stmt.sql.contains('='),
        _ => false,
    }
}

impl Session<'_> {
    /// `items` were refused whole as too large for one response (`err`): send them again
    /// through a cursor from where that is exact ([`restart_at`]), on the stream the
    /// pipeline left (or a new one), then read the server's transaction state and close the
    /// stream when `after` says so. Without a cursor, or without such a point, the refusal
    /// is reported with what to do instead. Returns the failures reported and, when the
    /// batch was streamed, results whose second is the `get_autocommit` answer, as
    /// [`Session::send`] reads them.
    pub(super) fn stream_large(
        &mut self,
        items: &[Item],
        large: Large,
        out: &mut dyn Output,
    ) -> Result<(usize, Option<Vec<RequestResult>>)> {
        let Large {
            err,
            after,
            was_live,
            in_tx_after,
        } = large;
        let caps = self.t.capabilities();
        let stop = self.mode == ErrorMode::Stop;
        let start = match restart_at(items, stop, after, in_tx_after) {
            Ok(start) if caps.cursors => start,
            refused => {
                let why = refused.err().unwrap_or(NO_CURSOR);
                let item = items
                    .iter()
                    .find(|i| i.kind == StmtKind::Read)
                    .or(items.first());
                if let Some(item) = item {
                    let err = SqlError {
                        message: format!("{}; {why}", err.message),
                        code: err.code,
                    };
                    out.error(&item.origin, &item.stmt.sql, &err)?;
                }
                return Ok((1, None));
            }
        };
        if start > 0 && !stop {
            out.notice(&format!(
                "statements {} to {} ran, but what they reported was lost with the answer \
                 the server refused as too large",
                items[0].origin.index,
                items[start - 1].origin.index
            ))?;
        }
        let tail = &items[start..];
        let (steps, step_item) = batch::build(tail, stop, caps.autocommit_queries);
        let mut sink = Route::new(out, tail, &step_item, false);
        let streamed = self.t.cursor(&Batch { steps }, &mut sink);
        let (failures, incomplete) = (sink.failures, sink.incomplete());
        let streamed = match streamed {
            Ok(r) => r,
            Err(PipelineError::Sink(e)) => return Err(e),
            Err(PipelineError::Transport(te)) => {
                return Err(self.lost(te, items, was_live).context(incomplete))
            }
        };
        // The transaction state, as a pipeline would have read it, and the stream closed
        // when the batch ended the transaction (or ran in autocommit).
        let follow: Vec<Request> = if caps.autocommit_queries {
            vec![Request::GetAutocommit]
        } else {
            Vec::new()
        };
        let mut results = vec![streamed];
        if !follow.is_empty() || after == After::Close {
            match self.t.pipeline(&follow, after, &mut Discard) {
                Ok(r) => results.extend(r),
                Err(PipelineError::Sink(e)) => return Err(e),
                Err(PipelineError::Transport(te)) => return Err(self.lost(te, items, was_live)),
            }
        }
        Ok((failures, Some(results)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::output::Origin;
    use crate::sql::classify;
    use crate::transport::Stmt;

    /// Items as the session would hold them, the transaction state tracked from BEGIN,
    /// COMMIT and ROLLBACK.
    fn items(sqls: &[&str], in_tx_at_start: bool) -> Vec<Item> {
        let mut in_tx = in_tx_at_start;
        sqls.iter()
            .map(|sql| {
                let kind = classify(sql);
                let before = in_tx;
                match kind {
                    StmtKind::Begin(_) => in_tx = true,
                    StmtKind::Commit | StmtKind::Rollback => in_tx = false,
                    _ => {}
                }
                Item {
                    stmt: Stmt::new(*sql),
                    origin: Origin::synthetic("test"),
                    kind,
                    in_tx: before,
                    in_tx_after: in_tx,
                    chained: false,
                }
            })
            .collect()
    }

    #[test]
    fn queries_alone_start_again_from_the_first() {
        let i = items(&["SELECT 1", "SELECT * FROM big", "VALUES (1)"], false);
        assert_eq!(restart_at(&i, true, After::Close, None), Ok(0));
        let i = items(
            &[
                "PRAGMA table_info(t)",
                "WITH x AS (SELECT 1) SELECT * FROM x",
            ],
            false,
        );
        assert_eq!(restart_at(&i, false, After::Close, None), Ok(0));
    }

    #[test]
    fn writes_before_the_only_query_are_not_repeated() {
        let i = items(
            &[
                "CREATE TABLE t(x)",
                "INSERT INTO t VALUES (1)",
                "SELECT * FROM big",
                "INSERT INTO t VALUES (2)",
            ],
            false,
        );
        assert_eq!(restart_at(&i, true, After::Close, None), Ok(2));
        assert_eq!(restart_at(&i, false, After::Close, None), Ok(2));
    }

    #[test]
    fn a_write_between_two_queries_is_ambiguous() {
        let i = items(
            &["SELECT 1", "INSERT INTO t VALUES (1)", "SELECT * FROM big"],
            false,
        );
        assert_eq!(restart_at(&i, true, After::Close, None), Err(MIXED));
        let i = items(&["SELECT 1", "PRAGMA foreign_keys=ON", "SELECT 2"], false);
        assert_eq!(restart_at(&i, true, After::Close, None), Err(MIXED));
        let i = items(
            &[
                "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a RETURNING *",
                "SELECT 2",
            ],
            false,
        );
        assert_eq!(restart_at(&i, true, After::Close, None), Err(MIXED));
    }

    #[test]
    fn a_kept_stream_keeps_what_ran_before() {
        // Buffered writes flushed with the query on a stream kept for the transaction.
        let i = items(
            &["BEGIN", "INSERT INTO t VALUES (1)", "SELECT * FROM big"],
            false,
        );
        assert_eq!(restart_at(&i, true, After::KeepOpen, None), Ok(2));
        let i = items(&["INSERT INTO t VALUES (1)", "SELECT * FROM big"], true);
        assert_eq!(restart_at(&i, false, After::KeepOpen, None), Ok(1));
    }

    #[test]
    fn a_transaction_rolled_back_by_the_close_starts_again_at_its_begin() {
        let i = items(
            &[
                "INSERT INTO t VALUES (0)",
                "BEGIN",
                "INSERT INTO t VALUES (1)",
                "SELECT * FROM big",
                "COMMIT",
            ],
            false,
        );
        assert_eq!(restart_at(&i, true, After::Close, None), Ok(1));
        // Keep-going: a failed write might have ended the transaction early, unless the
        // server said it was still open.
        assert_eq!(restart_at(&i, false, After::Close, None), Err(MIXED));
        assert_eq!(restart_at(&i, false, After::Close, Some(false)), Err(MIXED));
        assert_eq!(restart_at(&i, false, After::Close, Some(true)), Ok(1));
        let q = items(&["BEGIN", "SELECT * FROM big", "COMMIT"], false);
        assert_eq!(restart_at(&q, false, After::Close, None), Ok(0));
        // A COMMIT between the queries: part of the work lasted.
        let i = items(&["BEGIN", "SELECT 1", "COMMIT", "SELECT * FROM big"], false);
        assert_eq!(restart_at(&i, true, After::Close, None), Err(MIXED));
        // A transaction that began before this batch is gone with its stream.
        let i = items(&["SELECT * FROM big", "COMMIT"], true);
        assert_eq!(restart_at(&i, true, After::Close, None), Err(TX_LOST));
    }
}
