//! The Hrana 3 cursor, shared by HTTP (`/v3/cursor`, one entry per line) and WebSocket
//! (`fetch_cursor`): its entries, decoded by hand in one pass, and [`CursorReplay`], which
//! feeds them to a sink as they arrive and knows whether the cursor ended or was cut.
//!
//! A cursor runs one batch. Its entries are, per step that ran, `step_begin`, its `row`s and
//! `step_end` (or a `step_error`); a batch that fails as a whole ends with an `error` entry.
//! sqld ends every cursor that ran to its end with a `replication_index` entry (not in the
//! Hrana spec, but always sent, also after a `step_error`): a cursor without it was cut short,
//! and its output is incomplete.

use serde::{Deserialize, Deserializer, Serialize};

use super::replication::{de_opt_index, ser_opt_index};
use super::stmt::{row_values, WireCol, WireError};
use super::value::{de_opt_i64_lenient, ser_opt_i64_str, WireValue};
use crate::transport::access::Access;
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::request::{RequestResult, Response, SqlError, StepOutcome, StepRef};
use crate::transport::sink::StepSink;
use crate::value::{Column, StmtSummary};

/// One entry of a cursor. Decoded by hand (below): the derive for internally tagged enums
/// buffers every entry before decoding it, and a big result is a million rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CursorEntry {
    StepBegin {
        step: u32,
        cols: Vec<WireCol>,
    },
    StepEnd {
        affected_row_count: u64,
        #[serde(serialize_with = "ser_opt_i64_str")]
        last_insert_rowid: Option<i64>,
    },
    StepError {
        step: u32,
        error: WireError,
    },
    Row {
        row: Vec<WireValue>,
    },
    Error {
        error: WireError,
    },
    /// sqld's last entry of a cursor that ran to its end (the index: a number, as sqld
    /// sends it here; a string is read too).
    ReplicationIndex {
        #[serde(serialize_with = "ser_opt_index")]
        replication_index: Option<u64>,
    },
    #[serde(other)]
    Unknown,
}

/// `last_insert_rowid`: a string (the spec) or a number (what sqld sends in `step_end`).
struct LenientRowid(Option<i64>);

impl<'de> Deserialize<'de> for LenientRowid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_opt_i64_lenient(d).map(LenientRowid)
    }
}

/// `replication_index`: a number (what sqld sends here) or a string.
struct Index(Option<u64>);

impl<'de> Deserialize<'de> for Index {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_opt_index(d).map(Index)
    }
}

impl<'de> Deserialize<'de> for CursorEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CursorEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Hrana cursor entry")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CursorEntry, A::Error> {
                let mut kind: Option<std::borrow::Cow<'de, str>> = None;
                let mut step: Option<u32> = None;
                let mut cols: Option<Vec<WireCol>> = None;
                let mut row: Option<Vec<WireValue>> = None;
                let mut error: Option<WireError> = None;
                let mut affected: Option<u64> = None;
                let mut rowid: Option<LenientRowid> = None;
                let mut index: Option<Index> = None;
                // Each field name has one meaning whatever the entry's type, so the fields
                // are decoded as they come, `type` first or not.
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => kind = Some(map.next_value()?),
                        "step" => step = Some(map.next_value()?),
                        "cols" => cols = Some(map.next_value()?),
                        "row" => row = Some(map.next_value()?),
                        "error" => error = Some(map.next_value()?),
                        "affected_row_count" => affected = Some(map.next_value()?),
                        "last_insert_rowid" => rowid = Some(map.next_value()?),
                        "replication_index" => index = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
                let step = || step.ok_or_else(|| A::Error::missing_field("step"));
                let error = || error.ok_or_else(|| A::Error::missing_field("error"));
                Ok(match kind.as_ref() {
                    "step_begin" => CursorEntry::StepBegin {
                        step: step()?,
                        cols: cols.unwrap_or_default(),
                    },
                    "row" => CursorEntry::Row {
                        row: row.ok_or_else(|| A::Error::missing_field("row"))?,
                    },
                    "step_end" => CursorEntry::StepEnd {
                        affected_row_count: affected.unwrap_or(0),
                        last_insert_rowid: rowid.and_then(|r| r.0),
                    },
                    "step_error" => CursorEntry::StepError {
                        step: step()?,
                        error: error()?,
                    },
                    "error" => CursorEntry::Error { error: error()? },
                    "replication_index" => CursorEntry::ReplicationIndex {
                        replication_index: index.and_then(|i| i.0),
                    },
                    _ => CursorEntry::Unknown,
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// The step whose rows are arriving.
struct OpenStep {
    step: usize,
    cols: Vec<Column>,
    rows: u64,
}

/// Feeds a cursor's entries to a sink, in order, as they arrive, and says at the end
/// whether the cursor ran to its end. Rows are reported as request `request`, step `i`.
pub struct CursorReplay {
    request: usize,
    outcomes: Vec<StepOutcome>,
    open: Option<OpenStep>,
    /// The last step that began or failed (steps come in order).
    last_step: Option<usize>,
    batch_error: Option<SqlError>,
    ended: bool,
    /// What the last entry said.
    replication_index: Option<u64>,
    /// The connection's secrets, removed from the errors the server sends.
    access: Access,
}

fn protocol(msg: impl Into<String>) -> PipelineError {
    TransportError::Protocol(msg.into()).into()
}

impl CursorReplay {
    /// A replay for a batch of `steps` steps on a connection with `access`.
    pub fn new(request: usize, steps: usize, access: &Access) -> Self {
        CursorReplay {
            request,
            outcomes: vec![StepOutcome::Skipped; steps],
            open: None,
            last_step: None,
            batch_error: None,
            ended: false,
            replication_index: None,
            access: access.clone(),
        }
    }

    /// The replication index of the cursor's last entry, once it has arrived.
    pub fn replication_index(&self) -> Option<u64> {
        self.replication_index
    }

    fn at(&self, step: usize) -> StepRef {
        StepRef {
            request: self.request,
            step: Some(step),
        }
    }

    /// A step that may begin or fail now: in the batch, and after every step seen so far.
    fn next_step(&mut self, step: u32) -> Result<usize, PipelineError> {
        let step = step as usize;
        if step >= self.outcomes.len() || self.last_step.is_some_and(|l| step <= l) {
            return Err(protocol(format!(
                "the cursor reported step {step} out of order (a batch of {} steps)",
                self.outcomes.len()
            )));
        }
        self.last_step = Some(step);
        Ok(step)
    }

    /// Take one entry: rows and step ends go to `sink` at once.
    pub fn feed(
        &mut self,
        entry: CursorEntry,
        sink: &mut dyn StepSink,
    ) -> Result<(), PipelineError> {
        if self.ended {
            return match entry {
                CursorEntry::Unknown => Ok(()),
                _ => Err(protocol("the cursor sent an entry after its last one")),
            };
        }
        match entry {
            CursorEntry::StepBegin { step, cols } => {
                if self.open.is_some() {
                    return Err(protocol(
                        "the cursor began a step before the last one ended",
                    ));
                }
                let step = self.next_step(step)?;
                let cols: Vec<Column> = cols.into_iter().map(Column::from).collect();
                sink.begin(self.at(step), &cols)
                    .map_err(PipelineError::Sink)?;
                self.open = Some(OpenStep {
                    step,
                    cols,
                    rows: 0,
                });
            }
            CursorEntry::Row { row } => {
                let Some(open) = &mut self.open else {
                    return Err(protocol("the cursor sent a row outside a step"));
                };
                open.rows += 1;
                let at = StepRef {
                    request: self.request,
                    step: Some(open.step),
                };
                let values = row_values(row, open.cols.len()).map_err(TransportError::Protocol)?;
                sink.row_owned(at, values).map_err(PipelineError::Sink)?;
            }
            CursorEntry::StepEnd {
                affected_row_count,
                last_insert_rowid,
            } => {
                let Some(open) = self.open.take() else {
                    return Err(protocol("the cursor ended a step that had not begun"));
                };
                let summary = StmtSummary {
                    cols: open.cols,
                    rows_returned: open.rows,
                    affected_row_count,
                    last_insert_rowid,
                };
                sink.end(self.at(open.step), &summary)
                    .map_err(PipelineError::Sink)?;
                self.outcomes[open.step] = StepOutcome::Ok(summary);
            }
            CursorEntry::StepError { step, error } => {
                let step = match self.open.take() {
                    Some(open) if open.step == step as usize => open.step,
                    Some(_) => {
                        return Err(protocol("the cursor failed a step that was not running"))
                    }
                    None => self.next_step(step)?,
                };
                let e = self.access.scrub_error(SqlError::from(error));
                sink.error(self.at(step), &e).map_err(PipelineError::Sink)?;
                self.outcomes[step] = StepOutcome::Err(e);
            }
            CursorEntry::Error { error } => {
                let e = self.access.scrub_error(SqlError::from(error));
                let at = StepRef {
                    request: self.request,
                    step: None,
                };
                sink.error(at, &e).map_err(PipelineError::Sink)?;
                self.open = None;
                self.batch_error = Some(e);
                self.ended = true;
            }
            CursorEntry::ReplicationIndex { replication_index } => {
                if self.open.is_some() {
                    return Err(protocol("the cursor ended in the middle of a step"));
                }
                self.replication_index = replication_index;
                self.ended = true;
            }
            CursorEntry::Unknown => {}
        }
        Ok(())
    }

    /// The batch's result once the entries stopped coming: its step outcomes, or the error
    /// that failed it as a whole; a cursor that stopped before its last entry was cut.
    pub fn finish(self) -> Result<RequestResult, TransportError> {
        if let Some(e) = self.batch_error {
            return Ok(Err(e));
        }
        if !self.ended {
            return Err(TransportError::ConnectionLost {
                reason: "the cursor's response ended before its last entry (it was cut short)"
                    .into(),
                outcome: TransportError::OUTCOME_UNKNOWN,
            });
        }
        Ok(Ok(Response::Batch(self.outcomes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::sink::Collect;
    use crate::value::Value;

    fn entries(lines: &str) -> Vec<CursorEntry> {
        lines
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn entries_decode_in_any_key_order_and_unknowns_pass() {
        let e = entries(
            r#"{"type":"step_end","affected_row_count":1,"last_insert_rowid":5}
{"last_insert_rowid":"6","affected_row_count":2,"type":"step_end"}
{"type":"replication_index","replication_index":9}
{"replication_index":null,"type":"replication_index"}
{"row":[{"type":"integer","value":"7"},{"type":"null"}],"type":"row"}
{"type":"step_begin","step":0,"cols":[{"name":"a","decltype":null}],"extra":[1,{"x":2}]}
{"type":"step_error","step":1,"error":{"message":"m","code":"C"}}
{"type":"error","error":{"message":"whole"}}
{"type":"something_new","row":[]}"#,
        );
        assert_eq!(
            e[0],
            CursorEntry::StepEnd {
                affected_row_count: 1,
                last_insert_rowid: Some(5)
            }
        );
        assert_eq!(
            e[1],
            CursorEntry::StepEnd {
                affected_row_count: 2,
                last_insert_rowid: Some(6)
            }
        );
        assert_eq!(
            e[2],
            CursorEntry::ReplicationIndex {
                replication_index: Some(9)
            }
        );
        assert_eq!(
            e[3],
            CursorEntry::ReplicationIndex {
                replication_index: None
            }
        );
        assert_eq!(
            e[4],
            CursorEntry::Row {
                row: vec![WireValue::Integer { value: 7 }, WireValue::Null]
            }
        );
        assert!(matches!(&e[5], CursorEntry::StepBegin { step: 0, cols } if cols.len() == 1));
        assert!(matches!(&e[6], CursorEntry::StepError { step: 1, error } if error.message == "m"));
        assert!(matches!(&e[7], CursorEntry::Error { error } if error.code.is_none()));
        assert_eq!(e[8], CursorEntry::Unknown);
        assert!(serde_json::from_str::<CursorEntry>(r#"{"type":"row"}"#).is_err());
        assert!(serde_json::from_str::<CursorEntry>(r#"{"step":1}"#).is_err());
    }

    fn replay(lines: &str, steps: usize) -> (Collect, Result<RequestResult, PipelineError>) {
        let mut sink = Collect::default();
        let mut r = CursorReplay::new(0, steps, &Access::default());
        for e in entries(lines) {
            if let Err(e) = r.feed(e, &mut sink) {
                return (sink, Err(e));
            }
        }
        let out = r.finish().map_err(PipelineError::from);
        (sink, out)
    }

    const RAN: &str = r#"{"type":"step_begin","step":0,"cols":[{"name":"x"}]}
{"type":"row","row":[{"type":"integer","value":"1"}]}
{"type":"row","row":[{"type":"text","value":"two"}]}
{"type":"step_end","affected_row_count":0,"last_insert_rowid":null}
{"type":"step_error","step":2,"error":{"message":"SQLite error: no such table: t","code":"SQLITE_UNKNOWN"}}"#;

    #[test]
    fn a_complete_cursor_replays_its_steps() {
        let (sink, r) = replay(
            &format!("{RAN}\n{{\"type\":\"replication_index\",\"replication_index\":3}}"),
            3,
        );
        let Ok(Ok(Response::Batch(outcomes))) = r else {
            panic!("{r:?}")
        };
        assert!(matches!(&outcomes[0], StepOutcome::Ok(s) if s.rows_returned == 2));
        assert_eq!(outcomes[1], StepOutcome::Skipped);
        assert!(
            matches!(&outcomes[2], StepOutcome::Err(e) if e.message == "no such table: t" && e.code.as_deref() == Some("SQLITE_ERROR"))
        );
        assert_eq!(
            sink.results[0].2,
            vec![vec![Value::Integer(1)], vec![Value::Text("two".into())]]
        );
    }

    #[test]
    fn a_cursor_without_its_last_entry_was_cut() {
        let (sink, r) = replay(RAN, 3);
        assert_eq!(
            sink.results[0].2.len(),
            2,
            "rows are delivered as they come"
        );
        let err = r.unwrap_err().to_string();
        assert!(err.contains("cut short"), "{err}");
        // Cut in the middle of a step.
        let (_, r) = replay(
            r#"{"type":"step_begin","step":0,"cols":[]}
{"type":"row","row":[]}"#,
            1,
        );
        assert!(matches!(
            r,
            Err(PipelineError::Transport(
                TransportError::ConnectionLost { .. }
            ))
        ));
    }

    #[test]
    fn a_batch_error_ends_the_cursor() {
        let (_, r) = replay(
            r#"{"type":"step_begin","step":0,"cols":[]}
{"type":"row","row":[]}
{"type":"error","error":{"message":"too big","code":"RESPONSE_TOO_LARGE"}}"#,
            1,
        );
        assert!(matches!(r, Ok(Err(e)) if e.code.as_deref() == Some("RESPONSE_TOO_LARGE")));
    }

    #[test]
    fn entries_out_of_order_are_protocol_errors() {
        for bad in [
            r#"{"type":"row","row":[]}"#,
            r#"{"type":"step_end","affected_row_count":0}"#,
            "{\"type\":\"step_begin\",\"step\":0,\"cols\":[]}\n{\"type\":\"step_begin\",\"step\":1,\"cols\":[]}",
            "{\"type\":\"step_error\",\"step\":1,\"error\":{\"message\":\"m\"}}\n{\"type\":\"step_begin\",\"step\":0,\"cols\":[]}",
            r#"{"type":"step_begin","step":5,"cols":[]}"#,
            "{\"type\":\"step_begin\",\"step\":0,\"cols\":[]}\n{\"type\":\"replication_index\"}",
            "{\"type\":\"replication_index\"}\n{\"type\":\"row\",\"row\":[]}",
        ] {
            let (_, r) = replay(bad, 2);
            assert!(
                matches!(r, Err(PipelineError::Transport(TransportError::Protocol(_)))),
                "{bad}: {r:?}"
            );
        }
    }
}
