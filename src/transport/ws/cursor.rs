//! A cursor over WebSocket (Hrana 3): `open_stream` (when no stream is open), `open_cursor`
//! and the first `fetch_cursor` go out as one burst; each further `fetch_cursor` is sent as
//! soon as the previous answer arrives, before its entries are replayed, so the server
//! reads on while the client renders; `close_cursor` ends it. Nothing else is sent on the
//! stream while the cursor is open. The entries go to the sink as each answer arrives.

use super::socket::{Conn, Peer, ReadError};
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::hrana::{
    ClientMsg, CursorReplay, Replication, ServerMsg, WireBatch, WireError, WsRequest, WsResponse,
};
use crate::transport::request::{RequestResult, SqlError};
use crate::transport::sink::StepSink;

/// Entries asked for per `fetch_cursor` (sqld also stops at an eighth of its response cap).
pub const MAX_COUNT: u32 = 10_000;

/// Which cursor to open, on which stream, and where request ids come from.
pub struct CursorAt<'a> {
    /// A stream to open first (none is open yet).
    pub open_stream: Option<i32>,
    pub stream_id: i32,
    pub cursor_id: i32,
    pub next_request_id: &'a mut i32,
}

impl CursorAt<'_> {
    fn message(&mut self, request: WsRequest) -> (i32, String) {
        let request_id = *self.next_request_id;
        *self.next_request_id = request_id.checked_add(1).unwrap_or(1);
        let msg = ClientMsg::Request {
            request_id,
            request,
        };
        let text = serde_json::to_string(&msg).expect("requests serialize");
        (request_id, text)
    }

    fn fetch(&mut self) -> (i32, String) {
        self.message(WsRequest::FetchCursor {
            cursor_id: self.cursor_id,
            max_count: MAX_COUNT,
        })
    }
}

/// Run `batch` (of `steps` steps) through a cursor and feed its entries to `sink`. On an
/// error the caller drops the connection: messages may still be on their way.
pub fn run(
    peer: &Peer,
    conn: &mut Conn,
    mut at: CursorAt<'_>,
    batch: WireBatch,
    steps: usize,
    seen: &Replication,
    sink: &mut dyn StepSink,
) -> Result<RequestResult, PipelineError> {
    let mut texts = Vec::with_capacity(3);
    let open_id = at.open_stream.map(|stream_id| {
        let (id, text) = at.message(WsRequest::OpenStream { stream_id });
        texts.push(text);
        id
    });
    let (cursor_id, text) = at.message(WsRequest::OpenCursor {
        stream_id: at.stream_id,
        cursor_id: at.cursor_id,
        batch,
    });
    texts.push(text);
    let (fetch_id, text) = at.fetch();
    texts.push(text);
    peer.write_burst(conn, texts)?;

    let opened_stream = match open_id {
        Some(id) => answer(peer, conn, id)?,
        None => Ok(WsResponse::OpenStream {}),
    };
    let opened = answer(peer, conn, cursor_id)?;
    let mut fetched = answer(peer, conn, fetch_id)?;
    if let Err(e) = opened_stream {
        return Err(TransportError::Protocol(format!(
            "the server could not open a stream: {}",
            peer.scrub(&e.message)
        ))
        .into());
    }
    if let Err(e) = opened {
        return Ok(Err(peer.access.scrub_error(SqlError::from(e))));
    }
    let mut replay = CursorReplay::new(0, steps, &peer.access);
    loop {
        let (entries, done) = match fetched {
            Ok(WsResponse::FetchCursor { entries, done }) => (entries, done),
            Ok(_) => {
                return Err(TransportError::Protocol(
                    "the answer to fetch_cursor is not a fetch_cursor response".into(),
                )
                .into())
            }
            Err(e) => {
                return Err(TransportError::Protocol(format!(
                    "fetch_cursor failed: {}",
                    peer.scrub(&SqlError::from(e).to_string())
                ))
                .into())
            }
        };
        let next = if done {
            None
        } else {
            let (id, text) = at.fetch();
            peer.write_burst(conn, vec![text])?;
            Some(id)
        };
        for entry in entries {
            replay.feed(entry, sink)?;
        }
        match next {
            Some(id) => fetched = answer(peer, conn, id)?,
            None => break,
        }
    }
    let (close_id, text) = at.message(WsRequest::CloseCursor {
        cursor_id: at.cursor_id,
    });
    peer.write_burst(conn, vec![text])?;
    // The stream is free again once the server has closed the cursor; its answer says
    // nothing else.
    let _ = answer(peer, conn, close_id)?;
    seen.note(replay.replication_index());
    Ok(replay.finish()?)
}

/// Read messages until the answer to request `id` arrives.
fn answer(
    peer: &Peer,
    conn: &mut Conn,
    id: i32,
) -> Result<Result<WsResponse, WireError>, TransportError> {
    loop {
        let msg = peer.read_message(conn).map_err(|e| match e {
            ReadError::Socket(e) => peer.socket_error(*e, true),
            ReadError::Closed(reason) => TransportError::ConnectionLost {
                reason,
                outcome: TransportError::OUTCOME_UNKNOWN,
            },
            ReadError::Fatal(te) => te,
        })?;
        match msg {
            ServerMsg::HelloOk {} => conn.hello_pending = false,
            ServerMsg::HelloError { error } => {
                return Err(TransportError::Auth(peer.scrub(&error.message)))
            }
            ServerMsg::ResponseOk {
                request_id,
                response,
            } if request_id == id => return Ok(Ok(response)),
            ServerMsg::ResponseError { request_id, error } if request_id == id => {
                return Ok(Err(error))
            }
            _ => {}
        }
    }
}
