//! Which Hrana version a connection speaks, and what each version lets a client send: the
//! one place that decides whether `sequence`, `get_autocommit` and the `is_autocommit`
//! condition may go on the wire, for HTTP and WebSocket alike.
//!
//! Over HTTP the version is the pipeline endpoint the server has (`/v3/pipeline`,
//! `/v2/pipeline`, or only the stateless `/v1/execute` and `/v1/batch`, which carry what
//! Hrana 1 does); over WebSocket it is the negotiated subprotocol.

use super::stmt::WireBatch;
use crate::transport::request::{Batch, Cond, Request, SqlError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V1,
    V2,
    V3,
}

impl Version {
    /// `hrana1`, `hrana2`, `hrana3` (the WebSocket subprotocol names).
    pub fn name(self) -> &'static str {
        match self {
            Version::V1 => "hrana1",
            Version::V2 => "hrana2",
            Version::V3 => "hrana3",
        }
    }

    /// `get_autocommit` requests and `is_autocommit` conditions exist (Hrana 3).
    pub fn autocommit_queries(self) -> bool {
        self >= Version::V3
    }

    /// Why `req` cannot be sent at this version; the transport answers it in its slot with
    /// this error instead of sending it (a Hrana 2 server would refuse the whole pipeline,
    /// after running the requests before it).
    pub fn refusal(self, req: &Request) -> Option<SqlError> {
        match req {
            Request::Sequence(_) if self < Version::V2 => {
                Some(unsupported("`sequence` needs hrana2 or later"))
            }
            Request::GetAutocommit if !self.autocommit_queries() => {
                Some(unsupported("`get_autocommit` needs hrana3"))
            }
            _ => None,
        }
    }

    /// The batch as this version carries it. Before Hrana 3 there is no `is_autocommit`
    /// condition: it is replaced by false, which makes the usual `not(is_autocommit)` guard
    /// a no-op, exactly the Hrana 2 shape of a transactional batch.
    pub fn batch(self, b: &Batch) -> WireBatch {
        if self.autocommit_queries() {
            return WireBatch::from(b);
        }
        let mut b = b.clone();
        for s in &mut b.steps {
            if let Some(c) = &s.condition {
                s.condition = Some(without_autocommit(c));
            }
        }
        WireBatch::from(&b)
    }
}

fn without_autocommit(c: &Cond) -> Cond {
    match c {
        Cond::IsAutocommit => Cond::Or(vec![]),
        Cond::Not(c) => !(without_autocommit(c)),
        Cond::And(cs) => Cond::And(cs.iter().map(without_autocommit).collect()),
        Cond::Or(cs) => Cond::Or(cs.iter().map(without_autocommit).collect()),
        other => other.clone(),
    }
}

/// A request the server cannot take, answered locally in its slot.
pub fn unsupported(msg: &str) -> SqlError {
    SqlError {
        message: msg.into(),
        code: Some("NOT_SUPPORTED".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::request::{BatchStep, Stmt};

    #[test]
    fn older_versions_lose_only_the_autocommit_condition() {
        let step = |c: Option<Cond>| BatchStep {
            condition: c,
            stmt: Stmt::new("SELECT 1"),
        };
        let b = Batch {
            steps: vec![
                step(None),
                step(Some(Cond::And(vec![Cond::Ok(0), !Cond::IsAutocommit]))),
            ],
        };
        assert_eq!(Version::V3.batch(&b), WireBatch::from(&b));
        let v2 = Version::V2.batch(&b);
        let down = Batch {
            steps: vec![
                step(None),
                step(Some(Cond::And(vec![Cond::Ok(0), !Cond::Or(vec![])]))),
            ],
        };
        assert_eq!(v2, WireBatch::from(&down));
        assert!(Version::V2.refusal(&Request::GetAutocommit).is_some());
        assert!(Version::V2
            .refusal(&Request::Sequence("x".into()))
            .is_none());
        assert!(Version::V1
            .refusal(&Request::Sequence("x".into()))
            .is_some());
        assert!(Version::V3.refusal(&Request::GetAutocommit).is_none());
    }
}
