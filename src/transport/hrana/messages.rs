//! Hrana over WebSocket: the messages each way (`hello`, `request`, `response_ok`, ...) and
//! the requests and responses they carry. Server messages are decoded by hand, in one pass
//! (see [`super::stream`]).

use serde::{Deserialize, Deserializer, Serialize};

use super::cursor::CursorEntry;
use super::stmt::{WireBatch, WireBatchResult, WireError, WireStmt, WireStmtResult};
use super::stream::ResponseParts;
use crate::token::AuthToken;

/// WebSocket messages from client to server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    Hello {
        /// Held as a secret, so printing the message never shows the token.
        jwt: Option<AuthToken>,
    },
    Request {
        request_id: i32,
        request: WsRequest,
    },
    #[serde(other)]
    Unknown,
}

/// WebSocket messages from server to client. Decoded by hand (below), like
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

/// Decoded by hand (below).
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
                        entries: p.entries()?,
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::hrana::value::WireValue;

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
    fn hello_sends_the_token_but_never_prints_it() {
        let hello = ClientMsg::Hello {
            jwt: Some(AuthToken::new("SECRET-JWT-1")),
        };
        assert!(!format!("{hello:?}").contains("SECRET-JWT-1"));
        assert_eq!(
            serde_json::to_string(&hello).unwrap(),
            r#"{"type":"hello","jwt":"SECRET-JWT-1"}"#
        );
    }
}
