//! Read-your-writes on replicas: the `replication_index` of Hrana results and requests.
//!
//! sqld puts a replication index (the frame its database has reached) on its statement and
//! batch results and in the last entry of a cursor. A `Stmt` or `Batch` that carries one
//! makes a replica answer only once it has replicated that far. [`Replication`] is what one
//! connection (HTTP or WebSocket) remembers: the highest index any answer carried, which
//! goes on every later `execute`, `batch` and cursor, and the highest one a request carried
//! and had answered, so [`Transport::settle`](crate::transport::Transport::settle) knows
//! whether the node is known to have the last answer's frame.
//!
//! sqld writes the index as a string in results and as a number in the cursor's last entry;
//! both are read, as for other integers. Requests carry a number, which every sqld reads
//! (older ones read only numbers).

use std::sync::{Arc, Mutex};

use serde::{Deserializer, Serializer};

use crate::transport::error::{PipelineError, TransportError};
use crate::transport::request::{After, Request, RequestResult, Stmt};
use crate::transport::sink::Discard;
use crate::transport::Transport;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Marks {
    /// The highest index an answer carried.
    seen: Option<u64>,
    /// The highest index a request carried and had answered.
    confirmed: Option<u64>,
}

/// What one connection knows about replication indexes; clones share it (an answer read
/// ahead is decoded later, possibly on another thread).
#[derive(Debug, Default, Clone)]
pub struct Replication(Arc<Mutex<Marks>>);

impl Replication {
    fn marks(&self) -> std::sync::MutexGuard<'_, Marks> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An answer carried `index`.
    pub fn note(&self, index: Option<u64>) {
        if let Some(i) = index {
            let mut m = self.marks();
            m.seen = m.seen.max(Some(i));
        }
    }

    /// The index the next request carries: the highest seen.
    pub fn current(&self) -> Option<u64> {
        self.marks().seen
    }

    /// A request that carried `index` was answered: the node had that frame.
    pub fn confirm(&self, index: Option<u64>) {
        let mut m = self.marks();
        m.confirmed = m.confirmed.max(index);
    }

    /// The highest index seen, when no answered request has carried it yet.
    pub fn unconfirmed(&self) -> Option<u64> {
        let m = *self.marks();
        m.seen.filter(|&s| m.confirmed.is_none_or(|c| s > c))
    }
}

/// Whether a pipeline's `execute` or `batch` (the requests that carry the index) was
/// answered: the node had the index they carried.
pub fn carried_and_answered(reqs: &[Request], results: &[RequestResult]) -> bool {
    reqs.iter()
        .zip(results)
        .any(|(req, res)| matches!(req, Request::Execute(_) | Request::Batch(_)) && res.is_ok())
}

/// [`Transport::settle`] for a Hrana transport: when a write's index has not been carried by
/// an answered request yet, one cheap read carrying it (on the open stream, if there is
/// one), so the node answers only once it has that frame.
pub fn settle(
    t: &mut (impl Transport + ?Sized),
    unconfirmed: Option<u64>,
) -> Result<(), PipelineError> {
    let Some(index) = unconfirmed else {
        return Ok(());
    };
    let after = if t.stream_open() {
        After::KeepOpen
    } else {
        After::Close
    };
    let probe = [Request::Execute(Stmt::no_rows("SELECT 1"))];
    let results = t.pipeline(&probe, after, &mut Discard)?;
    probed(index, results)
}

/// The probe's answer: a failed probe means the node did not confirm it has the frame.
fn probed(index: u64, results: Vec<RequestResult>) -> Result<(), PipelineError> {
    match results.into_iter().next() {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(TransportError::Protocol(format!(
            "the server did not confirm it has replicated this session's last write \
             (replication index {index}): {e}"
        ))
        .into()),
        None => Err(TransportError::Protocol("no answer to the replication probe".into()).into()),
    }
}

/// A replication index: a number, a string of digits, or null.
pub fn de_opt_index<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a replication index (an integer, as a number or a string), or null")
        }
        fn visit_unit<E>(self) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
            d.deserialize_any(V)
        }
        fn visit_u64<E>(self, v: u64) -> Result<Option<u64>, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<u64>, E> {
            u64::try_from(v).map(Some).map_err(E::custom)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<u64>, E> {
            v.parse().map(Some).map_err(E::custom)
        }
    }
    d.deserialize_option(V)
}

/// Serialize an index as a JSON number (what every sqld reads in requests).
pub fn ser_opt_index<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(i) => s.serialize_u64(*i),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_are_read_as_numbers_or_strings() {
        #[derive(serde::Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "de_opt_index")]
            i: Option<u64>,
        }
        let read = |j: &str| serde_json::from_str::<T>(j).map(|t| t.i);
        assert_eq!(read(r#"{"i":7}"#).unwrap(), Some(7));
        assert_eq!(
            read(r#"{"i":"18446744073709551615"}"#).unwrap(),
            Some(u64::MAX)
        );
        assert_eq!(read(r#"{"i":null}"#).unwrap(), None);
        assert_eq!(read("{}").unwrap(), None);
        assert!(read(r#"{"i":"x"}"#).is_err());
        assert!(read(r#"{"i":-1}"#).is_err());
    }

    #[test]
    fn the_highest_seen_is_carried_until_an_answered_request_carried_it() {
        let r = Replication::default();
        assert_eq!((r.current(), r.unconfirmed()), (None, None));
        r.note(Some(0));
        assert_eq!(r.unconfirmed(), Some(0), "frame 0 is an index too");
        r.note(Some(5));
        r.note(Some(3));
        r.note(None);
        assert_eq!(r.current(), Some(5));
        r.confirm(Some(3));
        assert_eq!(r.unconfirmed(), Some(5));
        r.clone().confirm(Some(5));
        assert_eq!(r.unconfirmed(), None, "clones share what they know");
        r.note(Some(6));
        assert_eq!(r.unconfirmed(), Some(6));
    }
}
