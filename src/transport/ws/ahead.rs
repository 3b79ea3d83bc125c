//! Reading answers ahead over WebSocket: send the requests, read one answer per request
//! as text (only its leading `request_id` decoded) and leave the decoding to
//! [`Pending::finish`], possibly on another thread.

use super::exchange::Burst;
use super::socket::{parse_message, Conn, Peer, ReadError};
use crate::transport::access::Access;
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::hrana::replay::replay;
use crate::transport::hrana::{Replication, ServerMsg};
use crate::transport::request::{Request, RequestResult};
use crate::transport::sink::StepSink;
use crate::transport::Pending;

/// Write the burst and read one answer per request, in request order, as text.
pub fn read_ahead(
    peer: &Peer,
    conn: &mut Conn,
    burst: Burst,
) -> Result<Vec<String>, PipelineError> {
    peer.write_burst(conn, burst.texts)?;
    let mut answers: Vec<Option<String>> = vec![None; burst.slots.len()];
    while answers.iter().any(Option::is_none) {
        let text = peer.read_text(conn).map_err(|e| match e {
            ReadError::Socket(e) => peer.socket_error(*e, true),
            ReadError::Closed(reason) => TransportError::ConnectionLost {
                reason,
                outcome: TransportError::OUTCOME_UNKNOWN,
            },
            ReadError::Fatal(te) => te,
        })?;
        let id = match peek_request_id(&text) {
            Some(id) => id,
            None => match parse_message(&text, &peer.access)? {
                ServerMsg::ResponseOk { request_id, .. }
                | ServerMsg::ResponseError { request_id, .. } => request_id,
                ServerMsg::HelloError { error } => {
                    return Err(TransportError::Auth(peer.scrub(&error.message)).into())
                }
                ServerMsg::HelloOk {} | ServerMsg::Unknown => continue,
            },
        };
        if let Some(k) = burst.slots.iter().position(|s| s.0 == id) {
            answers[k] = Some(text);
        }
    }
    Ok(answers.into_iter().flatten().collect())
}

/// The `request_id` of a response that starts `{"type":"response_ok","request_id":N,` (or
/// `response_error`), as sqld writes them; `None` for anything else (decode it in full).
pub fn peek_request_id(text: &str) -> Option<i32> {
    let rest = text
        .strip_prefix(r#"{"type":"response_ok","request_id":"#)
        .or_else(|| text.strip_prefix(r#"{"type":"response_error","request_id":"#))?;
    let end = rest.find(',')?;
    rest[..end].parse().ok()
}

/// Answers read ahead as text, decoded by [`Pending::finish`].
pub struct WsUnread {
    pub reqs: Vec<Request>,
    /// One per request, in order.
    pub texts: Vec<String>,
    pub access: Access,
    /// The transport's replication indexes, noted as the answers are decoded.
    pub seen: Replication,
}

impl Pending for WsUnread {
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let mut out = Vec::with_capacity(self.reqs.len());
        for (i, (req, text)) in self.reqs.iter().zip(&self.texts).enumerate() {
            let answer = match parse_message(text, &self.access)? {
                ServerMsg::ResponseOk { response, .. } => Ok(response.into()),
                ServerMsg::ResponseError { error, .. } => Err(error),
                _ => {
                    return Err(TransportError::Protocol(
                        "a response read ahead is not a response".into(),
                    )
                    .into())
                }
            };
            out.push(replay(i, req, answer, &self.seen, &self.access, sink)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_id_is_read_from_the_head_of_a_response() {
        assert_eq!(
            peek_request_id(r#"{"type":"response_ok","request_id":12,"response":{}}"#),
            Some(12)
        );
        assert_eq!(
            peek_request_id(r#"{"type":"response_error","request_id":3,"error":{}}"#),
            Some(3)
        );
        for other in [
            r#"{"request_id":12,"type":"response_ok","response":{}}"#,
            r#"{"type":"hello_ok"}"#,
            r#"{"type":"response_ok","request_id":"x","response":{}}"#,
            r#"{"type":"response_ok", "request_id":1,"response":{}}"#,
            "",
        ] {
            assert_eq!(peek_request_id(other), None, "{other}");
        }
    }

    #[test]
    fn fuzz_websocket_messages() {
        let seeds = &[
            r#"{"type":"response_ok","request_id":12,"response":{"type":"close_stream"}}"#,
            r#"{"type":"response_error","request_id":3,"error":{"message":"m"}}"#,
            r#"{"type":"hello_ok"}"#,
        ];
        crate::fuzz::run_text("ws-message", seeds, crate::fuzz::cases(1), |text| {
            peek_request_id(text);
            let _ = parse_message(text, &Access::default());
        });
    }
}
