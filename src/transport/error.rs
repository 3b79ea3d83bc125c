//! Failures of the connection itself ([`TransportError`]), as opposed to a statement's
//! [`SqlError`], and a pipeline's failure ([`PipelineError`]): the transport's, or the
//! sink's that consumed the rows.

/// Failures of the connection itself, as opposed to a statement's
/// [`SqlError`](super::request::SqlError).
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
    /// The server serves several databases and the one named (or none) is not among them.
    #[error("{0}")]
    Namespace(String),
    /// A local database could not be opened (or its `--init-command` failed).
    #[error("{0}")]
    Open(String),
    /// The server cannot do what was asked (a capability it lacks, not a failure).
    #[error("{0}")]
    Unsupported(String),
}

impl TransportError {
    /// The phrase used when a request may or may not have run before the connection died.
    pub const OUTCOME_UNKNOWN: &'static str =
        "the outcome of the last request is unknown: it may or may not have been applied";
    pub const NOTHING_APPLIED: &'static str = "the request was not applied";

    /// Whether the request was refused before anything of it ran: no connection, a refused
    /// token, a connection found dead before sending, or an HTTP status that refuses the
    /// request itself (sqld answers 429 at the door, before reading the pipeline; 405, 413,
    /// 414, 431, 501 and 505 say the request was not taken).
    pub fn ran_nothing(&self) -> bool {
        match self {
            TransportError::Connect { .. }
            | TransportError::Auth(_)
            | TransportError::Forbidden(_) => true,
            TransportError::ConnectionLost { outcome, .. } => {
                *outcome == TransportError::NOTHING_APPLIED
            }
            TransportError::Http { status, .. } => {
                matches!(status, 405 | 413 | 414 | 429 | 431 | 501 | 505)
            }
            _ => false,
        }
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
