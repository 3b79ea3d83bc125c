//! What a lost connection means for the user's data, said in the error: nothing was
//! committed, or the outcome of COMMIT is unknown. (sqld's replica that loses its primary
//! answers HTTP 500 or drops the WebSocket: the same reasoning applies.)

use super::item::Item;
use crate::sql::StmtKind;
use crate::transport::TransportError;

/// A COMMIT whose answer was lost.
const COMMIT_UNKNOWN: &str =
    "the outcome of COMMIT is unknown: the transaction may or may not have been committed";

/// What a failed request put at stake.
#[derive(Debug, Clone, Copy)]
pub struct Stake {
    /// It carried a COMMIT (or the RELEASE that ends a transaction).
    pub commit: bool,
    /// It worked inside a transaction (or the stream held one).
    pub tx_work: bool,
    /// It carried a statement that may change the database.
    pub writes: bool,
}

impl Stake {
    /// The stake of sending `items`; `was_live`: the stream held a transaction before.
    pub fn of(items: &[Item], was_live: bool) -> Stake {
        Stake {
            commit: items.iter().any(|i| i.in_tx && !i.in_tx_after),
            tx_work: was_live || items.iter().any(|i| i.in_tx || i.in_tx_after),
            writes: items.iter().any(|i| i.kind != StmtKind::Read),
        }
    }
}

/// Say what a lost connection means for the user's data.
pub fn explain_loss(te: TransportError, stake: Stake, was_live: bool) -> anyhow::Error {
    let outcome: Option<&'static str> = match &te {
        TransportError::StreamExpired if was_live || stake.tx_work => {
            Some("transaction lost: nothing was committed")
        }
        te if te.ran_nothing() && stake.tx_work => Some("nothing was committed"),
        // No readable answer: the request may have run (a 5xx may come from a proxy after
        // the server committed, garbage may replace a good answer). A transaction without
        // its COMMIT in this request is gone either way: the stream was dropped.
        TransportError::ConnectionLost { .. }
        | TransportError::Timeout(_)
        | TransportError::Http { .. }
        | TransportError::Protocol(_) => unanswered(stake),
        _ => None,
    };
    // An error status on an autocommit write says nothing of the write itself (a lost
    // WebSocket or HTTP connection already says the outcome is unknown).
    let outcome = match &te {
        TransportError::Http { .. } if outcome.is_none() && stake.writes && !te.ran_nothing() => {
            Some("the outcome is unknown: the statement may or may not have been applied")
        }
        _ => outcome,
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
