//! Hrana over WebSocket (JSON text frames): one socket, one thread, blocking.
//!
//! The handshake offers `hrana3,hrana2,hrana1` and the server's echo decides the version;
//! `hello` goes out right after it ([`handshake`]). A pipeline is one burst of messages
//! ([`exchange`]); reads may be left for later ([`ahead`]); a result too large for one
//! response is fetched through a cursor ([`cursor`]). The socket lives as long as the
//! transport; after it is lost the next pipeline connects again (on a new stream: whatever
//! the old one held is gone). [`socket`] holds the connection itself.

mod ahead;
mod cursor;
mod exchange;
mod handshake;
mod socket;

use ahead::{read_ahead, WsUnread};
use cursor::CursorAt;
use exchange::{exchange, traced, Burst, Slot};
use socket::{idle_socket_closed, Conn, Peer};

use crate::transport::endpoint::Endpoint;
use crate::transport::hrana::replication::{self, carried_and_answered};
use crate::transport::hrana::{Replication, Version, WireBatch, WireStmt, WsRequest};
use crate::transport::{
    run_ahead, After, Batch, Capabilities, Pending, PipelineError, Request, RequestResult,
    SqlError, StepSink, Transport, TransportError, TransportInfo,
};

pub struct WsTransport {
    peer: Peer,
    /// The negotiated Hrana version.
    version: Version,
    /// `None` once the connection is lost (the next pipeline reconnects).
    conn: Option<Conn>,
    stream_id: Option<i32>,
    next_stream_id: i32,
    next_request_id: i32,
    next_cursor_id: i32,
    /// The replication indexes this connection has seen and sent (read-your-writes on a
    /// replica, see [`crate::transport::hrana::replication`]).
    replication: Replication,
}

impl WsTransport {
    /// Connect to `endpoint` (a `ws(s)://` URL), negotiate the subprotocol and send `hello`
    /// (its answer is read later). The token goes in `hello`; the namespace and the key go
    /// with the handshake.
    pub fn connect(endpoint: Endpoint) -> Result<Self, TransportError> {
        let mut t = WsTransport {
            peer: Peer(endpoint),
            version: Version::V3,
            conn: None,
            stream_id: None,
            next_stream_id: 1,
            next_request_id: 1,
            next_cursor_id: 1,
            replication: Replication::default(),
        };
        t.reconnect()?;
        Ok(t)
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.conn = None;
        self.stream_id = None;
        let (conn, version) = self.peer.open()?;
        self.version = version;
        self.conn = Some(conn);
        Ok(())
    }

    /// [`Transport::pipeline_ahead`] on an open stream: send the requests, read their answers
    /// as text and leave the rest to [`Pending::finish`]. `None`: this pipeline cannot be
    /// read ahead (run it in full).
    fn send_ahead(&mut self, reqs: &[Request]) -> Option<Result<Box<dyn Pending>, PipelineError>> {
        let stream_id = self.stream_id?;
        let conn = self.conn.as_mut()?;
        if conn.hello_pending || idle_socket_closed(conn) {
            return None;
        }
        let index = self.replication.current();
        let requests: Vec<WsRequest> = reqs
            .iter()
            .map(|r| to_ws_request(r, stream_id, self.version, index).ok())
            .collect::<Option<_>>()?;
        let mut burst = Burst::default();
        for (i, req) in requests.into_iter().enumerate() {
            burst.push(&mut self.next_request_id, Slot::User(i), req);
        }
        let mut conn = self.conn.take()?;
        let peer = &self.peer;
        let size = burst.size();
        let result = traced(peer, self.version, &mut conn, reqs, size, |conn| {
            read_ahead(peer, conn, burst)
        });
        match result {
            Ok(_) => self.conn = Some(conn),
            Err(_) => self.stream_id = None,
        }
        Some(result.map(|texts| {
            Box::new(WsUnread {
                reqs: reqs.to_vec(),
                texts,
                access: self.peer.access.clone(),
                seen: self.replication.clone(),
            }) as Box<dyn Pending>
        }))
    }
}

impl WsTransport {
    /// The connection for the next exchange: the open one, or a new one when there is none
    /// (a stream that was open on a connection lost while idle is gone, and said so).
    fn live_conn(&mut self) -> Result<socket::Conn, PipelineError> {
        if self.conn.as_mut().is_some_and(idle_socket_closed) {
            self.conn = None;
            if self.stream_id.take().is_some() {
                return Err(TransportError::ConnectionLost {
                    reason: "the server closed the connection while the stream was idle".into(),
                    outcome: TransportError::NOTHING_APPLIED,
                }
                .into());
            }
        }
        if self.conn.is_none() {
            self.reconnect()?;
        }
        self.conn
            .take()
            .ok_or_else(|| TransportError::Protocol("no connection after connecting".into()).into())
    }
}

/// The WebSocket request for `r` (`execute` and `batch` carrying `index`), or why this
/// version cannot carry it.
fn to_ws_request(
    r: &Request,
    stream_id: i32,
    version: Version,
    index: Option<u64>,
) -> Result<WsRequest, SqlError> {
    if let Some(refused) = version.refusal(r) {
        return Err(refused);
    }
    Ok(match r {
        Request::Execute(s) => WsRequest::Execute {
            stream_id,
            stmt: WireStmt {
                replication_index: index,
                ..WireStmt::from(s)
            },
        },
        Request::Batch(b) => WsRequest::Batch {
            stream_id,
            batch: WireBatch {
                replication_index: index,
                ..version.batch(b)
            },
        },
        Request::Sequence(sql) => WsRequest::Sequence {
            stream_id,
            sql: Some(sql.clone()),
            sql_id: None,
        },
        Request::GetAutocommit => WsRequest::GetAutocommit { stream_id },
    })
}

impl Transport for WsTransport {
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        if reqs.is_empty() && after == After::Close && self.stream_id.is_none() {
            return Ok(Vec::new());
        }
        let mut conn = self.live_conn()?;
        let mut out: Vec<Option<RequestResult>> = vec![None; reqs.len()];
        let mut burst = Burst::default();
        let ids = &mut self.next_request_id;
        let stream_id = match self.stream_id {
            Some(s) => s,
            None => {
                let s = self.next_stream_id;
                self.next_stream_id = s.checked_add(1).unwrap_or(1);
                burst.push(ids, Slot::Open, WsRequest::OpenStream { stream_id: s });
                s
            }
        };
        let carried = self.replication.current();
        for (i, r) in reqs.iter().enumerate() {
            match to_ws_request(r, stream_id, self.version, carried) {
                Ok(req) => burst.push(ids, Slot::User(i), req),
                Err(e) => out[i] = Some(Err(e)),
            }
        }
        if after == After::Close {
            burst.push(ids, Slot::Close, WsRequest::CloseStream { stream_id });
        }
        self.stream_id = (after == After::KeepOpen).then_some(stream_id);
        let peer = &self.peer;
        let size = burst.size();
        let result = traced(peer, self.version, &mut conn, reqs, size, |conn| {
            exchange(peer, conn, burst, reqs, &mut out, &self.replication, sink)
        });
        match result {
            Ok(true) => self.conn = Some(conn),
            Ok(false) => self.stream_id = None,
            Err(e @ PipelineError::Sink(_)) => {
                self.conn = Some(conn);
                return Err(e);
            }
            Err(e) => {
                self.stream_id = None;
                return Err(e);
            }
        }
        // Every slot is filled: answered, or refused locally.
        let results: Vec<RequestResult> = out.into_iter().flatten().collect();
        if carried_and_answered(reqs, &results) {
            self.replication.confirm(carried);
        }
        Ok(results)
    }

    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        match self.send_ahead(reqs) {
            Some(result) => result,
            None => run_ahead(self, reqs),
        }
    }

    fn cursor(
        &mut self,
        batch: &Batch,
        sink: &mut dyn StepSink,
    ) -> Result<RequestResult, PipelineError> {
        if self.version < Version::V3 {
            return Err(TransportError::Unsupported(format!(
                "the server speaks {}, which has no cursors",
                self.version.name()
            ))
            .into());
        }
        let mut conn = self.live_conn()?;
        let (open_stream, stream_id) = match self.stream_id {
            Some(s) => (None, s),
            None => {
                let s = self.next_stream_id;
                self.next_stream_id = s.checked_add(1).unwrap_or(1);
                (Some(s), s)
            }
        };
        let cursor_id = self.next_cursor_id;
        self.next_cursor_id = cursor_id.checked_add(1).unwrap_or(1);
        let reqs = [Request::Batch(batch.clone())];
        let carried = self.replication.current();
        let wire = WireBatch {
            replication_index: carried,
            ..self.version.batch(batch)
        };
        let at = CursorAt {
            open_stream,
            stream_id,
            cursor_id,
            next_request_id: &mut self.next_request_id,
        };
        let peer = &self.peer;
        let messages = 2 + usize::from(open_stream.is_some());
        let result = traced(
            peer,
            self.version,
            &mut conn,
            &reqs,
            (messages, 0),
            |conn| {
                let steps = batch.steps.len();
                cursor::run(peer, conn, at, wire, steps, &self.replication, sink)
            },
        );
        if matches!(result, Ok(Ok(_))) {
            self.replication.confirm(carried);
        }
        match &result {
            Ok(_) => {
                self.conn = Some(conn);
                self.stream_id = Some(stream_id);
            }
            // Answers may still be on their way: the connection is out of step.
            Err(_) => self.stream_id = None,
        }
        result
    }

    fn settle(&mut self) -> Result<(), PipelineError> {
        let unconfirmed = self.replication.unconfirmed();
        replication::settle(self, unconfirmed)
    }

    fn stream_open(&self) -> bool {
        self.stream_id.is_some()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            autocommit_queries: self.version.autocommit_queries(),
            streams: true,
            cursors: self.version >= Version::V3,
            encoded_values: true,
        }
    }

    fn info(&self) -> TransportInfo {
        TransportInfo {
            kind: "ws",
            protocol: format!("{} over WebSocket (JSON)", self.version.name()),
            endpoint: self.peer.url.clone(),
        }
    }
}

impl Drop for WsTransport {
    /// Say goodbye with a close frame (best effort, without waiting for the answer); the
    /// server drops the stream, rolling back whatever it still held.
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = conn.ws.close(None);
            let _ = conn.ws.flush();
        }
    }
}
