//! What a lost connection means for the user's data, said in the error: nothing was
//! committed, or the outcome of COMMIT is unknown. A replica that could not forward a
//! statement to its primary (sqld's `PROXY_ERROR`) lost its own connection: the same
//! reasoning says what that statement's failure means.

use super::item::Item;
use crate::sql::StmtKind;
use crate::transport::{SqlError, TransportError};

/// The error code of a statement a replica could not forward to its primary.
pub const PROXY_ERROR: &str = "PROXY_ERROR";

/// A COMMIT whose answer was lost.
const COMMIT_UNKNOWN: &str =
    "the outcome of COMMIT is unknown: the transaction may or may not have been committed";

/// Work inside a transaction that did not reach its COMMIT.
const NOTHING_COMMITTED: &str = "nothing was committed";

/// What a failed request put at stake.
#[derive(Debug, Clone, Copy)]
pub struct Stake {
    /// It carried a COMMIT (or the RELEASE that ends a transaction).
    pub commit: bool,
    /// It worked inside a transaction (or the stream held one).
    pub tx_work: bool,
}

impl Stake {
    /// The stake of sending `items`; `was_live`: the stream held a transaction before.
    pub fn of(items: &[Item], was_live: bool) -> Stake {
        Stake {
            commit: items.iter().any(|i| i.in_tx && !i.in_tx_after),
            tx_work: was_live || items.iter().any(|i| i.in_tx || i.in_tx_after),
        }
    }
}

/// Say what a lost connection means for the user's data.
pub fn explain_loss(te: TransportError, stake: Stake, was_live: bool) -> anyhow::Error {
    let outcome: Option<&'static str> = match &te {
        TransportError::StreamExpired if was_live || stake.tx_work => {
            Some("transaction lost: nothing was committed")
        }
        te if te.ran_nothing() && stake.tx_work => Some(NOTHING_COMMITTED),
        // No readable answer: the request may have run (a 5xx may come from a proxy after
        // the server committed, garbage may replace a good answer). A transaction without
        // its COMMIT in this request is gone either way: the stream was dropped.
        TransportError::ConnectionLost { .. }
        | TransportError::Timeout(_)
        | TransportError::Http { .. }
        | TransportError::Protocol(_) => unanswered(stake),
        _ => None,
    };
    match (te, outcome) {
        (TransportError::ConnectionLost { reason, .. }, Some(outcome)) => {
            anyhow::Error::new(TransportError::ConnectionLost { reason, outcome })
        }
        (te, Some(outcome)) => anyhow::Error::new(te).context(outcome),
        (te, None) => anyhow::Error::new(te),
    }
}

/// What a request whose answer was lost leaves: an unknown COMMIT, or a transaction gone
/// without one; `None` in autocommit (the transport's error says what it knows).
fn unanswered(stake: Stake) -> Option<&'static str> {
    if stake.commit {
        Some(COMMIT_UNKNOWN)
    } else if stake.tx_work {
        Some("the transaction is gone: nothing was committed")
    } else {
        None
    }
}

/// A statement of `items` (one step, or the whole request) that failed with `PROXY_ERROR`:
/// the replica answering it could not forward it to its primary, or lost the primary's
/// answer. Its error says so first, then what it means for the data, as for a lost
/// connection: a COMMIT's outcome is unknown, work inside a transaction was not committed
/// (the transaction does not reach its COMMIT in stop mode, and the COMMIT is what
/// publishes it), and an autocommit statement may or may not have been applied. Returns
/// the error and whether a COMMIT's outcome is unknown.
pub fn proxy_error(err: &SqlError, items: &[Item]) -> (SqlError, bool) {
    let stake = Stake::of(items, false);
    let outcome = if stake.commit {
        COMMIT_UNKNOWN
    } else if stake.tx_work {
        NOTHING_COMMITTED
    } else {
        "whether the primary applied it is unknown"
    };
    let what = match items {
        [one] if one.kind == StmtKind::Commit => "the COMMIT",
        [one] if one.kind == StmtKind::Read => "the statement",
        _ => "the write",
    };
    let message = format!(
        "the replica could not forward {what} to its primary (is the primary unreachable?); \
         {outcome}: {}",
        err.message
    );
    let code = err.code.clone();
    (SqlError { message, code }, stake.commit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Origin;
    use crate::sql::classify;
    use crate::transport::Stmt;

    fn item(sql: &str, in_tx: bool, in_tx_after: bool) -> Item {
        Item {
            stmt: Stmt::new(sql),
            origin: Origin::synthetic("test"),
            kind: classify(sql),
            in_tx,
            in_tx_after,
        }
    }

    fn said(items: &[Item]) -> (String, bool) {
        let err = SqlError {
            message: "error executing a request on the primary: down".into(),
            code: Some(PROXY_ERROR.into()),
        };
        let (e, unknown) = proxy_error(&err, items);
        assert_eq!(e.code.as_deref(), Some(PROXY_ERROR));
        assert!(
            e.message
                .ends_with(": error executing a request on the primary: down"),
            "{e}"
        );
        (e.message, unknown)
    }

    #[test]
    fn a_proxy_error_says_what_became_of_the_data() {
        let (m, unknown) = said(&[item("INSERT INTO t VALUES (1)", false, false)]);
        assert!(
            m.starts_with(
                "the replica could not forward the write to its primary (is the primary \
                 unreachable?); whether the primary applied it is unknown: "
            ),
            "{m}"
        );
        assert!(!unknown);
        let (m, unknown) = said(&[item("INSERT INTO t VALUES (1)", true, true)]);
        assert!(m.contains("; nothing was committed: "), "{m}");
        assert!(!unknown);
        let (m, unknown) = said(&[item("BEGIN IMMEDIATE", false, true)]);
        assert!(m.contains("; nothing was committed: "), "{m}");
        assert!(!unknown);
        let (m, unknown) = said(&[item("COMMIT", true, false)]);
        assert!(
            m.starts_with("the replica could not forward the COMMIT to its primary"),
            "{m}"
        );
        assert!(m.contains(&format!("; {COMMIT_UNKNOWN}: ")), "{m}");
        assert!(unknown);
        let (m, _) = said(&[item("SELECT 1", false, false)]);
        assert!(
            m.starts_with("the replica could not forward the statement"),
            "{m}"
        );
        // A whole request refused: what it carried decides.
        let request = [
            item("BEGIN", false, true),
            item("INSERT INTO t VALUES (1)", true, true),
            item("COMMIT", true, false),
        ];
        let (m, unknown) = said(&request);
        assert!(m.contains(COMMIT_UNKNOWN), "{m}");
        assert!(unknown);
    }
}
