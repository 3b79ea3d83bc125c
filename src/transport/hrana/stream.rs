//! The HTTP stream protocol: pipeline requests and responses (`/v2/pipeline`,
//! `/v3/pipeline`) and the `/v3/cursor` request and head line (its entries are in
//! [`super::cursor`]), plus [`ResponseParts`], the one-pass reader of
//! a response object that the WebSocket messages share.
//!
//! Responses are decoded by hand: serde's derive for internally tagged enums buffers the
//! whole object before decoding it, so a multi-megabyte result would be parsed twice.

use serde::{Deserialize, Deserializer, Serialize};

use super::cursor::CursorEntry;
use super::stmt::{WireBatch, WireBatchResult, WireError, WireStmt, WireStmtResult};

/// Requests on an HTTP stream (`/v2/pipeline`, `/v3/pipeline`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamRequest {
    Close {},
    Execute {
        stmt: WireStmt,
    },
    Batch {
        batch: WireBatch,
    },
    Sequence {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sql: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sql_id: Option<i32>,
    },
    Describe {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sql: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sql_id: Option<i32>,
    },
    StoreSql {
        sql_id: i32,
        sql: String,
    },
    CloseSql {
        sql_id: i32,
    },
    GetAutocommit {},
    #[serde(other)]
    Unknown,
}

/// Decoded by hand (below), like [`StreamResult`], so a multi-megabyte result is parsed once,
/// not buffered whole and parsed again as serde's derive does for internally tagged enums.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamResponse {
    Close {},
    Execute {
        result: WireStmtResult,
    },
    Batch {
        result: WireBatchResult,
    },
    Sequence {},
    Describe {
        result: serde_json::Value,
    },
    StoreSql {},
    CloseSql {},
    GetAutocommit {
        is_autocommit: bool,
    },
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamResult {
    Ok {
        response: StreamResponse,
    },
    Error {
        error: WireError,
    },
    #[serde(other)]
    Unknown,
}

/// The fields of a Hrana response object (`{"type": ..., "result": ...}`), read in one pass
/// whatever their order; shared by [`StreamResponse`] and the WebSocket responses.
pub(super) struct ResponseParts {
    pub(super) kind: String,
    /// `result`, decoded when `type` came first, else kept as text until it is known.
    result: Option<ResultField>,
    is_autocommit: Option<bool>,
    /// `entries` of a `fetch_cursor` response, decoded when `type` came first, else kept
    /// as text until it is known.
    entries: Option<EntriesField>,
    pub(super) done: Option<bool>,
}

enum EntriesField {
    Decoded(Vec<CursorEntry>),
    Raw(Box<serde_json::value::RawValue>),
}

enum ResultField {
    Execute(WireStmtResult),
    Batch(WireBatchResult),
    Raw(Box<serde_json::value::RawValue>),
}

impl ResponseParts {
    pub(super) fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        use serde::de::{Error, IgnoredAny};
        let mut kind: Option<String> = None;
        let mut result = None;
        let mut is_autocommit = None;
        let mut entries = None;
        let mut done = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match (key.as_ref(), kind.as_deref()) {
                ("type", _) => kind = Some(map.next_value()?),
                ("result", Some("execute")) => {
                    result = Some(ResultField::Execute(map.next_value()?))
                }
                ("result", Some("batch")) => result = Some(ResultField::Batch(map.next_value()?)),
                ("result", _) => result = Some(ResultField::Raw(map.next_value()?)),
                ("is_autocommit", _) => is_autocommit = Some(map.next_value()?),
                ("entries", Some("fetch_cursor")) => {
                    entries = Some(EntriesField::Decoded(map.next_value()?))
                }
                ("entries", _) => entries = Some(EntriesField::Raw(map.next_value()?)),
                ("done", _) => done = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(ResponseParts {
            kind: kind.ok_or_else(|| A::Error::missing_field("type"))?,
            result,
            is_autocommit,
            entries,
            done,
        })
    }

    pub(super) fn execute<E: serde::de::Error>(&mut self) -> Result<WireStmtResult, E> {
        match self.result.take() {
            Some(ResultField::Execute(r)) => Ok(r),
            other => parse_raw(other, "result"),
        }
    }

    pub(super) fn batch<E: serde::de::Error>(&mut self) -> Result<WireBatchResult, E> {
        match self.result.take() {
            Some(ResultField::Batch(r)) => Ok(r),
            other => parse_raw(other, "result"),
        }
    }

    pub(super) fn describe<E: serde::de::Error>(&mut self) -> Result<serde_json::Value, E> {
        parse_raw(self.result.take(), "result")
    }

    /// The entries of a `fetch_cursor` response.
    pub(super) fn entries<E: serde::de::Error>(&mut self) -> Result<Vec<CursorEntry>, E> {
        match self.entries.take() {
            Some(EntriesField::Decoded(e)) => Ok(e),
            Some(EntriesField::Raw(raw)) => serde_json::from_str(raw.get()).map_err(E::custom),
            None => Err(E::missing_field("entries")),
        }
    }

    pub(super) fn is_autocommit<E: serde::de::Error>(&self) -> Result<bool, E> {
        self.is_autocommit
            .ok_or_else(|| E::missing_field("is_autocommit"))
    }
}

/// A field that arrived before the `type` that says what it is: parse its text now.
fn parse_raw<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    field: Option<ResultField>,
    name: &'static str,
) -> Result<T, E> {
    match field {
        Some(ResultField::Raw(raw)) => serde_json::from_str(raw.get()).map_err(E::custom),
        Some(_) => Err(E::custom(format!(
            "`{name}` does not match the response type"
        ))),
        None => Err(E::missing_field(name)),
    }
}

impl<'de> Deserialize<'de> for StreamResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StreamResponse;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Hrana stream response")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StreamResponse, A::Error> {
                let mut p = ResponseParts::read(map)?;
                Ok(match p.kind.as_str() {
                    "execute" => StreamResponse::Execute {
                        result: p.execute()?,
                    },
                    "batch" => StreamResponse::Batch { result: p.batch()? },
                    "describe" => StreamResponse::Describe {
                        result: p.describe()?,
                    },
                    "get_autocommit" => StreamResponse::GetAutocommit {
                        is_autocommit: p.is_autocommit()?,
                    },
                    "close" => StreamResponse::Close {},
                    "sequence" => StreamResponse::Sequence {},
                    "store_sql" => StreamResponse::StoreSql {},
                    "close_sql" => StreamResponse::CloseSql {},
                    _ => StreamResponse::Unknown,
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for StreamResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StreamResult;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Hrana stream result")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StreamResult, A::Error> {
                let mut kind: Option<std::borrow::Cow<'de, str>> = None;
                let mut response: Option<StreamResponse> = None;
                let mut error: Option<WireError> = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => kind = Some(map.next_value()?),
                        "response" => response = Some(map.next_value()?),
                        "error" => error = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
                Ok(match kind.as_ref() {
                    "ok" => StreamResult::Ok {
                        response: response.ok_or_else(|| A::Error::missing_field("response"))?,
                    },
                    "error" => StreamResult::Error {
                        error: error.ok_or_else(|| A::Error::missing_field("error"))?,
                    },
                    _ => StreamResult::Unknown,
                })
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineRequest {
    pub baton: Option<String>,
    pub requests: Vec<StreamRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineResponse {
    #[serde(default)]
    pub baton: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub results: Vec<StreamResult>,
}

/// `/v3/cursor` request body; the response is a JSON line with `baton`/`base_url`, then
/// one [`CursorEntry`](super::cursor::CursorEntry) per line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorRequest {
    pub baton: Option<String>,
    pub batch: WireBatch,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorResponseHead {
    #[serde(default)]
    pub baton: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::hrana::value::WireValue;
    use crate::value::Value;

    #[test]
    fn lenient_decoding() {
        let padded: WireValue =
            serde_json::from_str(r#"{"type":"blob","base64":"AAEC/w=="}"#).unwrap();
        let unpadded: WireValue =
            serde_json::from_str(r#"{"type":"blob","base64":"AAEC/w"}"#).unwrap();
        assert_eq!(
            padded.into_value().unwrap(),
            Value::Blob(vec![0, 1, 2, 255])
        );
        assert_eq!(
            unpadded.into_value().unwrap(),
            Value::Blob(vec![0, 1, 2, 255])
        );
        let inf: WireValue = serde_json::from_str(r#"{"type":"float","value":null}"#).unwrap();
        assert_eq!(inf.into_value().unwrap(), Value::Real(f64::INFINITY));
        let r: PipelineResponse = serde_json::from_str(
            r#"{"baton":"b","base_url":null,"extra":1,"results":[{"type":"ok","response":{"type":"execute","result":{"cols":[{"name":"a","decltype":null}],"rows":[],"affected_row_count":0,"last_insert_rowid":null,"rows_read":1,"replication_index":"3"}}},{"type":"ok","response":{"type":"new_thing"}},{"type":"error","error":{"message":"m"}}]}"#,
        )
        .unwrap();
        assert_eq!(r.results.len(), 3);
        assert!(matches!(
            &r.results[1],
            StreamResult::Ok {
                response: StreamResponse::Unknown
            }
        ));
        assert!(matches!(&r.results[2], StreamResult::Error { error } if error.code.is_none()));
    }

    #[test]
    fn responses_decode_in_any_key_order() {
        let r: Vec<StreamResult> = serde_json::from_str(
            r#"[{"response":{"result":{"cols":[],"rows":[[{"value":"7","type":"integer"}]],"affected_row_count":0},"type":"execute"},"type":"ok"},
                {"type":"ok","response":{"type":"batch","result":{"step_results":[null],"step_errors":[{"message":"m","code":"X"}]}}},
                {"type":"ok","response":{"is_autocommit":false,"type":"get_autocommit"}},
                {"type":"ok","response":{"type":"close"}},
                {"type":"error","error":{"message":"e"}},
                {"type":"surprise"}]"#,
        )
        .unwrap();
        match &r[0] {
            StreamResult::Ok {
                response: StreamResponse::Execute { result },
            } => {
                assert_eq!(result.rows[0][0], WireValue::Integer { value: 7 })
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&r[1], StreamResult::Ok { response: StreamResponse::Batch { result } }
            if result.step_errors[0].as_ref().is_some_and(|e| e.code.as_deref() == Some("X")))
        );
        assert!(matches!(
            &r[2],
            StreamResult::Ok {
                response: StreamResponse::GetAutocommit {
                    is_autocommit: false
                }
            }
        ));
        assert!(matches!(
            &r[3],
            StreamResult::Ok {
                response: StreamResponse::Close {}
            }
        ));
        assert!(matches!(&r[4], StreamResult::Error { error } if error.message == "e"));
        assert!(matches!(&r[5], StreamResult::Unknown));
        let bad: Result<WireValue, _> = serde_json::from_str(r#"{"type":"integer","value":1.5}"#);
        assert!(bad.is_err());
    }
}
