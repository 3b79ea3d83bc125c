//! One pipeline over the socket: a burst of `request` messages (`open_stream` if no stream
//! is open, the requests, `close_stream` when the stream ends), all written before any
//! response is read; responses are matched by `request_id` and replayed to the sink in
//! request order as soon as every earlier one is in.
//!
//! The burst is written whole before reading. That is safe for the session's pipelines (at
//! most four messages, one of them large): the server reads a message completely before it
//! answers, and the small messages after a large one fit in the socket buffers.

use std::time::Instant;

use super::socket::{outcome, Conn, Peer, ReadError};
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::hrana::replay::replay;
use crate::transport::hrana::{
    ClientMsg, Replication, ServerMsg, Version, WireError, WsRequest, WsResponse,
};
use crate::transport::request::{Request, RequestResult, SqlError};
use crate::transport::sink::StepSink;
use crate::transport::trace;

/// What a message of the burst is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Open,
    /// Request `i` of the pipeline.
    User(usize),
    Close,
}

/// The messages of one pipeline, serialized, with what each is for.
#[derive(Default)]
pub struct Burst {
    pub slots: Vec<(i32, Slot)>,
    pub texts: Vec<String>,
}

impl Burst {
    /// How many messages, and how many bytes they are (for `--trace`).
    pub fn size(&self) -> (usize, usize) {
        (self.slots.len(), self.texts.iter().map(String::len).sum())
    }

    pub fn push(&mut self, next_id: &mut i32, slot: Slot, request: WsRequest) {
        let request_id = *next_id;
        *next_id = request_id.checked_add(1).unwrap_or(1);
        let msg = ClientMsg::Request {
            request_id,
            request,
        };
        self.texts
            .push(serde_json::to_string(&msg).expect("requests serialize"));
        self.slots.push((request_id, slot));
    }
}

/// Run one exchange of messages and report it to `--trace` (a sink's failure still counts
/// as a completed round trip).
pub fn traced<T>(
    peer: &Peer,
    version: Version,
    conn: &mut Conn,
    reqs: &[Request],
    (messages, sent): (usize, usize),
    exchange: impl FnOnce(&mut Conn) -> Result<T, PipelineError>,
) -> Result<T, PipelineError> {
    let started = Instant::now();
    conn.received = 0;
    let result = exchange(conn);
    let protocol = version.name();
    match &result {
        Ok(_) | Err(PipelineError::Sink(_)) => trace::round_trip(trace::RoundTrip {
            endpoint: &peer.url,
            protocol,
            requests: messages,
            statements: trace::statements(reqs),
            sent,
            received: conn.received,
            status: None,
            elapsed: started.elapsed(),
        }),
        Err(e) => trace::failed(&peer.url, protocol, started.elapsed(), &e.to_string()),
    }
    result
}

/// sqld answers a request that fails inside the server, rather than as a statement, by
/// closing the socket: a write with a read-only token, or a replica that cannot reach its
/// primary. Say so, since the close itself does not.
fn refusal_hint(unanswered: bool) -> &'static str {
    if unanswered {
        " (sqld closes the connection this way when a request fails inside the server, e.g. a \
         read-only token writing, or a replica that cannot reach its primary)"
    } else {
        ""
    }
}

/// Write the burst, then read and replay every response into `out` (slots refused locally
/// are already filled). `Ok(false)`: all answers that matter are in but the socket is gone.
/// On a transport error the caller drops the connection and the stream.
pub fn exchange(
    peer: &Peer,
    conn: &mut Conn,
    burst: Burst,
    reqs: &[Request],
    out: &mut [Option<RequestResult>],
    seen: &Replication,
    sink: &mut dyn StepSink,
) -> Result<bool, PipelineError> {
    let Burst { slots: msgs, texts } = burst;
    peer.write_burst(conn, texts)?;

    let mut answers: Vec<Option<Result<WsResponse, WireError>>> = vec![None; msgs.len()];
    let mut next = 0;
    let mut open_error: Option<SqlError> = None;
    let mut sink_error: Option<anyhow::Error> = None;
    let mut alive = true;
    while next < msgs.len() {
        let msg = match peer.read_message(conn) {
            Ok(m) => m,
            // Every answer that matters is in; only `close_stream` was pending, and the
            // stream is gone with the socket either way.
            Err(_) if msgs[next..].iter().all(|m| m.1 == Slot::Close) => {
                alive = false;
                break;
            }
            Err(e) => {
                let unanswered = msgs[next..].iter().any(|m| matches!(m.1, Slot::User(_)));
                let before_hello = if conn.hello_pending {
                    " before answering hello"
                } else {
                    ""
                };
                return Err(match e {
                    ReadError::Socket(e) => peer.socket_error(*e, unanswered),
                    ReadError::Closed(reason) => TransportError::ConnectionLost {
                        reason: format!("{reason}{before_hello}{}", refusal_hint(unanswered)),
                        outcome: outcome(unanswered),
                    },
                    ReadError::Fatal(te) => te,
                }
                .into());
            }
        };
        let (id, answer) = match msg {
            ServerMsg::HelloOk {} => {
                conn.hello_pending = false;
                continue;
            }
            ServerMsg::HelloError { error } => {
                return Err(TransportError::Auth(peer.scrub(&error.message)).into())
            }
            ServerMsg::ResponseOk {
                request_id,
                response,
            } => (request_id, Ok(response)),
            ServerMsg::ResponseError { request_id, error } => (request_id, Err(error)),
            ServerMsg::Unknown => continue,
        };
        let Some(pos) = msgs[next..].iter().position(|m| m.0 == id) else {
            continue; // not one of ours (or answered twice): ignore it
        };
        answers[next + pos] = Some(answer);
        while let Some(answer) = answers.get_mut(next).and_then(Option::take) {
            match (msgs[next].1, answer) {
                (Slot::Open, Err(e)) => open_error = Some(e.into()),
                (Slot::User(i), answer) if open_error.is_none() && sink_error.is_none() => {
                    match replay(
                        i,
                        &reqs[i],
                        answer.map(Into::into),
                        seen,
                        &peer.access,
                        sink,
                    ) {
                        Ok(r) => out[i] = Some(r),
                        // Keep reading, so the connection and the stream stay in step.
                        Err(PipelineError::Sink(e)) => sink_error = Some(e),
                        Err(e) => return Err(e),
                    }
                }
                _ => {}
            }
            next += 1;
        }
    }
    if let Some(e) = sink_error {
        return Err(PipelineError::Sink(e));
    }
    if let Some(e) = open_error {
        return Err(TransportError::Protocol(format!(
            "the server could not open a stream: {}",
            peer.scrub(&e.to_string())
        ))
        .into());
    }
    Ok(alive)
}
