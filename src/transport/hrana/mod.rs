//! Hrana, the protocol both remote transports speak: its JSON wire types and what the HTTP
//! and WebSocket transports share once a response has arrived.
//!
//! - [`value`]: values (integers as strings, blobs as base64);
//! - [`stmt`]: statements, batches, conditions, results and errors;
//! - [`stream`]: the HTTP pipeline and cursor bodies;
//! - [`cursor`]: cursor entries and their replay, with the check that a cursor was not cut;
//! - [`messages`]: the WebSocket messages;
//! - [`version`]: what each protocol version may carry;
//! - [`replay`]: feeding a decoded response to a [`crate::transport::StepSink`];
//! - [`replication`]: the replication index a connection remembers and sends (replicas).
//!
//! Never deny unknown fields: servers add fields and entry types. Every tagged enum has a
//! catch-all variant so a newer server's additions are ignored, not fatal.

pub mod cursor;
pub mod messages;
pub mod replay;
pub mod replication;
pub mod stmt;
pub mod stream;
pub mod value;
pub mod version;

pub use cursor::{CursorEntry, CursorReplay};
pub use messages::{ClientMsg, ServerMsg, WsRequest, WsResponse};
pub use replication::Replication;
pub use stmt::{
    batch_outcomes, row_values, NamedArg, WireBatch, WireBatchResult, WireBatchStep, WireCol,
    WireCond, WireError, WireStmt, WireStmtResult,
};
pub use stream::{
    CursorRequest, CursorResponseHead, PipelineRequest, PipelineResponse, StreamRequest,
    StreamResponse, StreamResult,
};
pub use value::{WireValue, WireValueRef};
pub use version::Version;
