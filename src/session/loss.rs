//! What a lost connection means for the user's data, said in the error: nothing was
//! committed, or the outcome of COMMIT is unknown.

use crate::transport::TransportError;

/// Say what a lost connection means for the user's data.
pub fn explain_loss(
    te: TransportError,
    had_commit: bool,
    tx_work: bool,
    was_live: bool,
) -> anyhow::Error {
    let outcome: Option<&'static str> = match &te {
        TransportError::StreamExpired if was_live || tx_work => {
            Some("transaction lost: nothing was committed")
        }
        te if te.ran_nothing() && tx_work => Some("nothing was committed"),
        // No readable answer: the request may have run (a 5xx may come from a proxy after
        // the server committed, garbage may replace a good answer). A transaction without
        // its COMMIT in this request is gone either way: the stream was dropped.
        TransportError::ConnectionLost { .. }
        | TransportError::Timeout(_)
        | TransportError::Http { .. }
        | TransportError::Protocol(_)
            if had_commit =>
        {
            Some(
                "the outcome of COMMIT is unknown: the transaction may or may not have been committed",
            )
        }
        TransportError::ConnectionLost { .. }
        | TransportError::Timeout(_)
        | TransportError::Http { .. }
        | TransportError::Protocol(_)
            if tx_work =>
        {
            Some("the transaction is gone: nothing was committed")
        }
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
