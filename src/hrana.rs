//! Hrana wire types (JSON), shared by the HTTP and WebSocket transports (and the in-repo
//! test server), and their conversions to and from the crate's own types.
//!
//! Never deny unknown fields: servers add fields and entry types. Every tagged enum has a
//! catch-all variant so a newer server's additions are ignored, not fatal.

use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::transport::{self, Cond, SqlError, StepOutcome};
use crate::value::{Column, StmtSummary, Value};

const B64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// A value on the wire: integers as decimal strings, blobs as base64. Decoding is written
/// by hand (below): serde's derive for internally tagged enums buffers every value before
/// decoding it, which was half of the client's CPU time in a remote dump.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum WireValue {
    Null,
    Integer {
        #[serde(serialize_with = "ser_i64_str")]
        value: i64,
    },
    Float {
        /// JSON has no infinities; sqld writes them as `null`.
        value: Option<f64>,
    },
    Text {
        value: String,
    },
    Blob {
        base64: String,
    },
}

/// The `value` field of a wire value, whatever JSON type it arrived as.
enum Scalar {
    Null,
    Int(i64),
    Float(f64),
    Str(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON scalar")
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                i64::try_from(v)
                    .map(Scalar::Int)
                    .or(Ok(Scalar::Float(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Str(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Hrana value object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireValue, A::Error> {
                let mut kind: Option<std::borrow::Cow<'de, str>> = None;
                let mut value = None;
                let mut base64 = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => kind = Some(map.next_value()?),
                        "value" => value = Some(map.next_value::<Scalar>()?),
                        "base64" => base64 = Some(map.next_value::<String>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
                let missing = || A::Error::missing_field("value");
                Ok(match (kind.as_ref(), value) {
                    ("null", _) => WireValue::Null,
                    ("integer", Some(Scalar::Int(i))) => WireValue::Integer { value: i },
                    ("integer", Some(Scalar::Str(s))) => WireValue::Integer {
                        value: s.parse().map_err(A::Error::custom)?,
                    },
                    ("integer", _) => {
                        return Err(A::Error::custom("integer value must be a decimal string"))
                    }
                    ("float", Some(Scalar::Float(f))) => WireValue::Float { value: Some(f) },
                    ("float", Some(Scalar::Int(i))) => WireValue::Float {
                        value: Some(i as f64),
                    },
                    ("float", Some(Scalar::Null) | None) => WireValue::Float { value: None },
                    ("float", Some(Scalar::Str(_))) => {
                        return Err(A::Error::custom("float value must be a number"))
                    }
                    ("text", Some(Scalar::Str(s))) => WireValue::Text { value: s },
                    ("text", _) => return Err(missing()),
                    ("blob", _) => WireValue::Blob {
                        base64: base64.ok_or_else(|| A::Error::missing_field("base64"))?,
                    },
                    (other, _) => {
                        return Err(A::Error::unknown_variant(
                            other,
                            &["null", "integer", "float", "text", "blob"],
                        ))
                    }
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl From<&Value> for WireValue {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => WireValue::Null,
            Value::Integer(i) => WireValue::Integer { value: *i },
            Value::Real(f) => WireValue::Float {
                value: f.is_finite().then_some(*f),
            },
            Value::Text(s) => WireValue::Text { value: s.clone() },
            Value::Blob(b) => WireValue::Blob {
                base64: B64.encode(b),
            },
        }
    }
}

/// A crate value serialized in its wire form without first being copied into a
/// [`WireValue`] (no clone of the text, no intermediate allocation for an integer).
pub struct WireValueRef<'a>(pub &'a Value);

impl Serialize for WireValueRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let entries = if matches!(self.0, Value::Null) { 1 } else { 2 };
        let mut m = s.serialize_map(Some(entries))?;
        match self.0 {
            Value::Null => m.serialize_entry("type", "null")?,
            Value::Integer(i) => {
                m.serialize_entry("type", "integer")?;
                m.serialize_entry("value", itoa::Buffer::new().format(*i))?;
            }
            Value::Real(f) => {
                m.serialize_entry("type", "float")?;
                m.serialize_entry("value", &f.is_finite().then_some(*f))?;
            }
            Value::Text(t) => {
                m.serialize_entry("type", "text")?;
                m.serialize_entry("value", t)?;
            }
            Value::Blob(b) => {
                m.serialize_entry("type", "blob")?;
                m.serialize_entry("base64", &B64.encode(b))?;
            }
        }
        m.end()
    }
}

impl WireValue {
    pub fn into_value(self) -> Result<Value, String> {
        Ok(match self {
            WireValue::Null => Value::Null,
            WireValue::Integer { value } => Value::Integer(value),
            // The sign of an infinity is lost by the server's JSON encoder.
            WireValue::Float { value } => Value::Real(value.unwrap_or(f64::INFINITY)),
            WireValue::Text { value } => Value::Text(value),
            WireValue::Blob { base64 } => Value::Blob(
                B64.decode(base64.as_bytes())
                    .map_err(|e| format!("invalid base64 blob: {e}"))?,
            ),
        })
    }
}

fn ser_i64_str<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

fn de_opt_i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IntOrStr {
        Int(i64),
        Str(String),
    }
    match Option::<IntOrStr>::deserialize(d)? {
        None => Ok(None),
        Some(IntOrStr::Int(i)) => Ok(Some(i)),
        Some(IntOrStr::Str(s)) => s.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

fn ser_opt_i64_str<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(i) => s.serialize_str(&i.to_string()),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedArg {
    pub name: String,
    pub value: WireValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireStmt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_id: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<WireValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_args: Vec<NamedArg>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub want_rows: Option<bool>,
}

impl From<&transport::Stmt> for WireStmt {
    fn from(s: &transport::Stmt) -> Self {
        WireStmt {
            sql: Some(s.sql.clone()),
            sql_id: None,
            args: s.args.iter().map(WireValue::from).collect(),
            named_args: s
                .named_args
                .iter()
                .map(|(n, v)| NamedArg {
                    name: n.clone(),
                    value: v.into(),
                })
                .collect(),
            want_rows: Some(s.want_rows),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WireCond {
    Ok {
        step: u32,
    },
    Error {
        step: u32,
    },
    Not {
        cond: Box<WireCond>,
    },
    And {
        conds: Vec<WireCond>,
    },
    Or {
        conds: Vec<WireCond>,
    },
    IsAutocommit {},
    #[serde(other)]
    Unknown,
}

impl From<&Cond> for WireCond {
    fn from(c: &Cond) -> Self {
        match c {
            Cond::Ok(i) => WireCond::Ok { step: *i as u32 },
            Cond::Error(i) => WireCond::Error { step: *i as u32 },
            Cond::Not(c) => WireCond::Not {
                cond: Box::new(c.as_ref().into()),
            },
            Cond::And(cs) => WireCond::And {
                conds: cs.iter().map(Into::into).collect(),
            },
            Cond::Or(cs) => WireCond::Or {
                conds: cs.iter().map(Into::into).collect(),
            },
            Cond::IsAutocommit => WireCond::IsAutocommit {},
        }
    }
}

impl WireCond {
    pub fn to_cond(&self) -> Result<Cond, String> {
        Ok(match self {
            WireCond::Ok { step } => Cond::Ok(*step as usize),
            WireCond::Error { step } => Cond::Error(*step as usize),
            WireCond::Not { cond } => !(cond.to_cond()?),
            WireCond::And { conds } => Cond::And(
                conds
                    .iter()
                    .map(|c| c.to_cond())
                    .collect::<Result<_, _>>()?,
            ),
            WireCond::Or { conds } => Cond::Or(
                conds
                    .iter()
                    .map(|c| c.to_cond())
                    .collect::<Result<_, _>>()?,
            ),
            WireCond::IsAutocommit {} => Cond::IsAutocommit,
            WireCond::Unknown => return Err("unknown batch condition type".into()),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireBatchStep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<WireCond>,
    pub stmt: WireStmt,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireBatch {
    pub steps: Vec<WireBatchStep>,
}

impl From<&transport::Batch> for WireBatch {
    fn from(b: &transport::Batch) -> Self {
        WireBatch {
            steps: b
                .steps
                .iter()
                .map(|s| WireBatchStep {
                    condition: s.condition.as_ref().map(Into::into),
                    stmt: (&s.stmt).into(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireCol {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub decltype: Option<String>,
}

impl From<&Column> for WireCol {
    fn from(c: &Column) -> Self {
        WireCol {
            name: Some(c.name.clone()),
            decltype: c.decltype.clone(),
        }
    }
}

impl From<WireCol> for Column {
    fn from(c: WireCol) -> Self {
        Column {
            name: c.name.unwrap_or_default(),
            decltype: c.decltype,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireStmtResult {
    #[serde(default)]
    pub cols: Vec<WireCol>,
    #[serde(default)]
    pub rows: Vec<Vec<WireValue>>,
    #[serde(default)]
    pub affected_row_count: u64,
    #[serde(
        default,
        serialize_with = "ser_opt_i64_str",
        deserialize_with = "de_opt_i64_lenient"
    )]
    pub last_insert_rowid: Option<i64>,
}

impl WireStmtResult {
    /// The summary part of a result (rows are converted separately, as they stream).
    pub fn summary(&self) -> StmtSummary {
        StmtSummary {
            cols: self.cols.iter().cloned().map(Column::from).collect(),
            rows_returned: self.rows.len() as u64,
            affected_row_count: self.affected_row_count,
            last_insert_rowid: self.last_insert_rowid,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    pub message: String,
    #[serde(default)]
    pub code: Option<String>,
}

/// Server errors are brought to the form a local SQLite reports, so the same failure reads
/// the same on every transport: sqld prefixes SQLite's message with "SQLite error: " and
/// reports plain `SQLITE_ERROR` as `SQLITE_UNKNOWN`.
impl From<WireError> for SqlError {
    fn from(e: WireError) -> Self {
        let message = match e.message.strip_prefix("SQLite error: ") {
            Some(m) => m.to_string(),
            None => e.message,
        };
        let code = match e.code.as_deref() {
            Some("SQLITE_UNKNOWN") => Some("SQLITE_ERROR".to_string()),
            _ => e.code,
        };
        SqlError { message, code }
    }
}

impl From<&SqlError> for WireError {
    fn from(e: &SqlError) -> Self {
        WireError {
            message: e.message.clone(),
            code: e.code.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WireBatchResult {
    #[serde(default)]
    pub step_results: Vec<Option<WireStmtResult>>,
    #[serde(default)]
    pub step_errors: Vec<Option<WireError>>,
}

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
/// whatever their order; shared by [`StreamResponse`] and [`WsResponse`].
struct ResponseParts {
    kind: String,
    /// `result`, decoded when `type` came first, else kept as text until it is known.
    result: Option<ResultField>,
    is_autocommit: Option<bool>,
    entries: Option<Box<serde_json::value::RawValue>>,
    done: Option<bool>,
}

enum ResultField {
    Execute(WireStmtResult),
    Batch(WireBatchResult),
    Raw(Box<serde_json::value::RawValue>),
}

impl ResponseParts {
    fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
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
                ("entries", _) => entries = Some(map.next_value()?),
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

    fn execute<E: serde::de::Error>(&mut self) -> Result<WireStmtResult, E> {
        match self.result.take() {
            Some(ResultField::Execute(r)) => Ok(r),
            other => parse_raw(other, "result"),
        }
    }

    fn batch<E: serde::de::Error>(&mut self) -> Result<WireBatchResult, E> {
        match self.result.take() {
            Some(ResultField::Batch(r)) => Ok(r),
            other => parse_raw(other, "result"),
        }
    }

    fn describe<E: serde::de::Error>(&mut self) -> Result<serde_json::Value, E> {
        parse_raw(self.result.take(), "result")
    }

    fn is_autocommit<E: serde::de::Error>(&self) -> Result<bool, E> {
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

impl<'de> Deserialize<'de> for WsResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WsResponse;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Hrana WebSocket response")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<WsResponse, A::Error> {
                let mut p = ResponseParts::read(map)?;
                Ok(match p.kind.as_str() {
                    "execute" => WsResponse::Execute {
                        result: p.execute()?,
                    },
                    "batch" => WsResponse::Batch { result: p.batch()? },
                    "describe" => WsResponse::Describe {
                        result: p.describe()?,
                    },
                    "get_autocommit" => WsResponse::GetAutocommit {
                        is_autocommit: p.is_autocommit()?,
                    },
                    "fetch_cursor" => WsResponse::FetchCursor {
                        entries: match &p.entries {
                            Some(raw) => {
                                serde_json::from_str(raw.get()).map_err(A::Error::custom)?
                            }
                            None => return Err(A::Error::missing_field("entries")),
                        },
                        done: p.done.ok_or_else(|| A::Error::missing_field("done"))?,
                    },
                    "open_stream" => WsResponse::OpenStream {},
                    "close_stream" => WsResponse::CloseStream {},
                    "sequence" => WsResponse::Sequence {},
                    "store_sql" => WsResponse::StoreSql {},
                    "close_sql" => WsResponse::CloseSql {},
                    "open_cursor" => WsResponse::OpenCursor {},
                    "close_cursor" => WsResponse::CloseCursor {},
                    _ => WsResponse::Unknown,
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for ServerMsg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ServerMsg;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Hrana WebSocket message")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ServerMsg, A::Error> {
                let mut kind: Option<std::borrow::Cow<'de, str>> = None;
                let mut request_id: Option<i32> = None;
                let mut response: Option<WsResponse> = None;
                let mut error: Option<WireError> = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => kind = Some(map.next_value()?),
                        "request_id" => request_id = Some(map.next_value()?),
                        "response" => response = Some(map.next_value()?),
                        "error" => error = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
                let id = || request_id.ok_or_else(|| A::Error::missing_field("request_id"));
                let error = || error.ok_or_else(|| A::Error::missing_field("error"));
                Ok(match kind.as_ref() {
                    "hello_ok" => ServerMsg::HelloOk {},
                    "hello_error" => ServerMsg::HelloError { error: error()? },
                    "response_ok" => ServerMsg::ResponseOk {
                        request_id: id()?,
                        response: response.ok_or_else(|| A::Error::missing_field("response"))?,
                    },
                    "response_error" => ServerMsg::ResponseError {
                        request_id: id()?,
                        error: error()?,
                    },
                    _ => ServerMsg::Unknown,
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
/// one [`CursorEntry`] per line.
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CursorEntry {
    StepBegin {
        step: u32,
        #[serde(default)]
        cols: Vec<WireCol>,
    },
    StepEnd {
        #[serde(default)]
        affected_row_count: u64,
        #[serde(
            default,
            serialize_with = "ser_opt_i64_str",
            deserialize_with = "de_opt_i64_lenient"
        )]
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
    #[serde(other)]
    Unknown,
}

/// Convert a batch result into per-step outcomes.
pub fn batch_outcomes(r: &WireBatchResult, steps: usize) -> Vec<StepOutcome> {
    (0..steps)
        .map(|i| {
            if let Some(Some(e)) = r.step_errors.get(i) {
                StepOutcome::Err(e.clone().into())
            } else if let Some(Some(res)) = r.step_results.get(i) {
                StepOutcome::Ok(res.summary())
            } else {
                StepOutcome::Skipped
            }
        })
        .collect()
}

/// Convert a row of wire values.
pub fn row_values(row: Vec<WireValue>) -> Result<Vec<Value>, String> {
    row.into_iter().map(WireValue::into_value).collect()
}

/// WebSocket messages from client to server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    Hello {
        jwt: Option<String>,
    },
    Request {
        request_id: i32,
        request: WsRequest,
    },
    #[serde(other)]
    Unknown,
}

/// WebSocket messages from server to client. Decoded by hand (above), like
/// [`StreamResponse`], so a response is parsed once instead of buffered and parsed again.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    HelloOk {},
    HelloError {
        error: WireError,
    },
    ResponseOk {
        request_id: i32,
        response: WsResponse,
    },
    ResponseError {
        request_id: i32,
        error: WireError,
    },
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WsRequest {
    OpenStream {
        stream_id: i32,
    },
    CloseStream {
        stream_id: i32,
    },
    Execute {
        stream_id: i32,
        stmt: WireStmt,
    },
    Batch {
        stream_id: i32,
        batch: WireBatch,
    },
    Sequence {
        stream_id: i32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sql: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sql_id: Option<i32>,
    },
    Describe {
        stream_id: i32,
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
    GetAutocommit {
        stream_id: i32,
    },
    OpenCursor {
        stream_id: i32,
        cursor_id: i32,
        batch: WireBatch,
    },
    CloseCursor {
        cursor_id: i32,
    },
    FetchCursor {
        cursor_id: i32,
        max_count: u32,
    },
    #[serde(other)]
    Unknown,
}

/// Decoded by hand (above).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WsResponse {
    OpenStream {},
    CloseStream {},
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
    OpenCursor {},
    CloseCursor {},
    FetchCursor {
        entries: Vec<CursorEntry>,
        done: bool,
    },
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_exactly() {
        for v in crate::render::testutil::tricky_row().1 {
            let json = serde_json::to_string(&WireValue::from(&v)).unwrap();
            let back: WireValue = serde_json::from_str(&json).unwrap();
            let back = back.into_value().unwrap();
            match (&v, &back) {
                (Value::Real(a), Value::Real(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{json}"),
                _ => assert_eq!(v, back, "{json}"),
            }
        }
        let j = serde_json::to_string(&WireValue::from(&Value::Integer(9007199254740993))).unwrap();
        assert_eq!(j, r#"{"type":"integer","value":"9007199254740993"}"#);
    }

    #[test]
    fn borrowed_serialization_matches_owned() {
        let mut vals = crate::render::testutil::tricky_row().1;
        vals.extend([
            Value::Real(f64::NEG_INFINITY),
            Value::Text("nul \u{0} inside".into()),
            Value::Blob(vec![]),
        ]);
        for v in vals {
            let owned = serde_json::to_string(&WireValue::from(&v)).unwrap();
            assert_eq!(serde_json::to_string(&WireValueRef(&v)).unwrap(), owned);
        }
        let j = serde_json::to_string(&WireValueRef(&Value::Integer(9007199254740993))).unwrap();
        assert_eq!(j, r#"{"type":"integer","value":"9007199254740993"}"#);
    }

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
        let e: CursorEntry = serde_json::from_str(
            r#"{"type":"step_end","affected_row_count":1,"last_insert_rowid":5}"#,
        )
        .unwrap();
        assert_eq!(
            e,
            CursorEntry::StepEnd {
                affected_row_count: 1,
                last_insert_rowid: Some(5)
            }
        );
        let e: CursorEntry =
            serde_json::from_str(r#"{"type":"replication_index","replication_index":"9"}"#)
                .unwrap();
        assert_eq!(e, CursorEntry::Unknown);
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

    #[test]
    fn websocket_messages_decode_in_any_key_order() {
        let msgs: Vec<ServerMsg> = serde_json::from_str(
            r#"[{"type":"hello_ok"},
                {"error":{"message":"bad jwt","code":"AUTH_JWT_INVALID"},"type":"hello_error"},
                {"response":{"result":{"cols":[],"rows":[[{"type":"text","value":"x"}]]},"type":"execute"},"request_id":3,"type":"response_ok"},
                {"type":"response_ok","request_id":4,"response":{"type":"fetch_cursor","done":true,"entries":[{"type":"row","row":[]},{"type":"mystery"}]}},
                {"type":"response_ok","request_id":5,"response":{"entries":[],"done":false,"type":"fetch_cursor"}},
                {"type":"response_ok","request_id":6,"response":{"type":"batch","result":{"step_results":[],"step_errors":[]}}},
                {"request_id":7,"type":"response_error","error":{"message":"e"}},
                {"type":"response_ok","request_id":8,"response":{"type":"what_is_this"}},
                {"type":"later_addition","x":1}]"#,
        )
        .unwrap();
        assert!(matches!(&msgs[0], ServerMsg::HelloOk {}));
        assert!(matches!(&msgs[1], ServerMsg::HelloError { error } if error.message == "bad jwt"));
        match &msgs[2] {
            ServerMsg::ResponseOk {
                request_id: 3,
                response: WsResponse::Execute { result },
            } => assert_eq!(result.rows[0][0], WireValue::Text { value: "x".into() }),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&msgs[3], ServerMsg::ResponseOk { request_id: 4, response: WsResponse::FetchCursor { entries, done: true } }
            if matches!(entries[..], [CursorEntry::Row { .. }, CursorEntry::Unknown]))
        );
        assert!(
            matches!(&msgs[4], ServerMsg::ResponseOk { request_id: 5, response: WsResponse::FetchCursor { entries, done: false } } if entries.is_empty())
        );
        assert!(matches!(
            &msgs[5],
            ServerMsg::ResponseOk {
                request_id: 6,
                response: WsResponse::Batch { .. }
            }
        ));
        assert!(
            matches!(&msgs[6], ServerMsg::ResponseError { request_id: 7, error } if error.message == "e")
        );
        assert!(matches!(
            &msgs[7],
            ServerMsg::ResponseOk {
                request_id: 8,
                response: WsResponse::Unknown
            }
        ));
        assert!(matches!(&msgs[8], ServerMsg::Unknown));
        let missing: Result<ServerMsg, _> =
            serde_json::from_str(r#"{"type":"response_ok","response":{"type":"close_stream"}}"#);
        assert!(missing.is_err(), "a response without its request id");
    }

    #[test]
    fn conditions_serialize_as_hrana() {
        let c = Cond::And(vec![Cond::Ok(1), !(Cond::IsAutocommit)]);
        let j = serde_json::to_string(&WireCond::from(&c)).unwrap();
        assert_eq!(
            j,
            r#"{"type":"and","conds":[{"type":"ok","step":1},{"type":"not","cond":{"type":"is_autocommit"}}]}"#
        );
        let back: WireCond = serde_json::from_str(&j).unwrap();
        assert_eq!(back.to_cond().unwrap(), c);
    }
}
