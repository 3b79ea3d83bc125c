//! The transport trait: the Hrana stream model that local, HTTP and WebSocket all implement.
//!
//! A transport owns at most one *stream* (one server-side SQLite connection). Callers send a
//! pipeline of requests on it and say whether the stream stays open afterwards; that maps to
//! one HTTP pipeline POST, one burst of WebSocket messages, or a few rusqlite calls. Rows are
//! delivered to a [`StepSink`] in order, so a local query streams straight to the renderer.
//!
//! This directory is the whole protocol: [`request`], [`sink`] and [`error`] are the
//! transport-neutral vocabulary, [`endpoint`] (with [`access`]) what a remote transport is
//! built from, [`hrana`] the wire format both remote transports speak,
//! [`http`], [`ws`] and [`local`] the three implementations, [`native`] what only an
//! in-process connection can do, [`trace`] the `--trace` lines and [`tls`] the TLS client
//! configuration.

pub mod access;
pub mod endpoint;
pub mod error;
pub mod hrana;
pub mod http;
pub mod local;
pub mod native;
pub mod request;
pub mod sink;
pub mod tls;
pub mod trace;
pub mod ws;

pub use error::{PipelineError, TransportError};
pub use request::{
    After, Batch, BatchStep, Cond, Request, RequestResult, Response, SqlError, StepOutcome,
    StepRef, Stmt,
};
pub use sink::{Collect, Discard, StepSink};

use sink::Recorded;

/// A pipeline that was sent, whose results have not been read yet
/// (see [`Transport::pipeline_ahead`]).
pub trait Pending: Send {
    /// Feed the results to `sink` in order, as [`Transport::pipeline`] would have.
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError>;
}

/// A pipeline already run to completion, its results held in memory.
struct Ran {
    recorded: Recorded,
    results: Vec<RequestResult>,
}

impl Pending for Ran {
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        self.recorded.replay(sink).map_err(PipelineError::Sink)?;
        Ok(self.results)
    }
}

/// [`Transport::pipeline_ahead`] for a transport that cannot leave results unread: run the
/// pipeline now and keep its results in memory.
pub fn run_ahead(
    t: &mut (impl Transport + ?Sized),
    reqs: &[Request],
) -> Result<Box<dyn Pending>, PipelineError> {
    let mut recorded = Recorded::default();
    let results = t.pipeline(reqs, After::KeepOpen, &mut recorded)?;
    Ok(Box::new(Ran { recorded, results }))
}

/// What a transport can express; the layers above choose their batch shapes from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// `get_autocommit` requests and `is_autocommit` conditions (Hrana 3).
    pub autocommit_queries: bool,
    /// Whether a stream survives between pipelines (false for the stateless `/v1` API).
    pub streams: bool,
    /// [`Transport::cursor`] streams a batch's results with no cap on their size (Hrana 3
    /// cursors); without it a result too large for one response cannot be read whole.
    pub cursors: bool,
    /// Results travel encoded (Hrana JSON, some 30 bytes around each value): fewer, larger
    /// values cost less (a dump asks for each row as one text). False for the local
    /// transport, whose values cost nothing to hand over.
    pub encoded_values: bool,
}

/// Which protocol and endpoint a transport uses (for `.transport` and `--trace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportInfo {
    pub kind: &'static str,
    pub protocol: String,
    /// The endpoint, never including credentials.
    pub endpoint: String,
}

/// One stream model, three implementations.
pub trait Transport {
    /// Send `reqs` on the current stream (opening one if needed), feed rows to `sink` in
    /// order, and keep or close the stream afterwards.
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError>;

    /// Send `reqs` on the stream (kept open) and return as soon as the stream can take the
    /// next pipeline, leaving the results to be read by [`Pending::finish`]: a caller can
    /// have the server work on its next request while it decodes this one's results. Only
    /// for reads: a transport may also run the pipeline to completion first (the default).
    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        run_ahead(self, reqs)
    }

    /// Run one batch through a cursor on the stream (opening one if none is open; it stays
    /// open): rows reach `sink` as they arrive, whatever their total size, reported as
    /// request 0. A cursor cut short (the connection lost, its last entry missing) is a
    /// transport error. Without cursors (see [`Capabilities::cursors`]) the batch is an
    /// ordinary pipeline (the default, which is what the local transport needs: its rows
    /// stream already).
    fn cursor(
        &mut self,
        batch: &Batch,
        sink: &mut dyn StepSink,
    ) -> Result<RequestResult, PipelineError> {
        let reqs = [Request::Batch(batch.clone())];
        let mut results = self.pipeline(&reqs, After::KeepOpen, sink)?;
        results.pop().ok_or_else(|| {
            TransportError::Protocol("the pipeline returned no result for the batch".into()).into()
        })
    }

    /// Whether a stream is currently open (and might hold a transaction).
    fn stream_open(&self) -> bool;

    fn capabilities(&self) -> Capabilities;

    fn info(&self) -> TransportInfo;

    /// If the stream was lost while idle (an HTTP stream that could not be kept alive), why;
    /// the stream is forgotten, so the next pipeline starts afresh.
    fn take_lost_stream(&mut self) -> Option<String> {
        None
    }

    /// Something that interrupts the running statement from another thread (Ctrl-C), if
    /// the transport can do that.
    fn interrupter(&self) -> Option<std::sync::Arc<dyn Fn() + Send + Sync>> {
        None
    }

    /// The in-process connection's own operations (limits, extensions, page-level backup),
    /// if the database is opened by this process; `None` for a remote database.
    fn native(&mut self) -> Option<&mut dyn native::Native> {
        None
    }

    /// Read-your-writes on a replica, across commands: when this connection's last answers
    /// carried a replication index that no answered request has carried since (a write
    /// forwarded by a replica, which may not have replicated it yet), send one cheap request
    /// carrying it, so the node has that frame before this returns and a following command
    /// against it sees the write. Nothing to do when the server sent no index (and for a
    /// local database, the default).
    fn settle(&mut self) -> Result<(), PipelineError> {
        Ok(())
    }

    /// Close the stream if one is open (an open transaction on it is rolled back).
    fn close(&mut self) -> Result<(), PipelineError> {
        if self.stream_open() {
            self.pipeline(&[], After::Close, &mut Discard)?;
        }
        Ok(())
    }
}

/// A borrowed transport is a transport (so a session can borrow or own one).
impl<T: Transport + ?Sized> Transport for &mut T {
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        (**self).pipeline(reqs, after, sink)
    }
    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        (**self).pipeline_ahead(reqs)
    }
    fn cursor(
        &mut self,
        batch: &Batch,
        sink: &mut dyn StepSink,
    ) -> Result<RequestResult, PipelineError> {
        (**self).cursor(batch, sink)
    }
    fn stream_open(&self) -> bool {
        (**self).stream_open()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn info(&self) -> TransportInfo {
        (**self).info()
    }
    fn close(&mut self) -> Result<(), PipelineError> {
        (**self).close()
    }
    fn settle(&mut self) -> Result<(), PipelineError> {
        (**self).settle()
    }
    fn interrupter(&self) -> Option<std::sync::Arc<dyn Fn() + Send + Sync>> {
        (**self).interrupter()
    }
    fn take_lost_stream(&mut self) -> Option<String> {
        (**self).take_lost_stream()
    }
    fn native(&mut self) -> Option<&mut dyn native::Native> {
        (**self).native()
    }
}
