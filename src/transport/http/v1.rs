//! The legacy stateless HTTP API (`/v1/execute`, `/v1/batch`), for servers without a
//! pipeline endpoint: every request is its own HTTP request on a fresh connection, so no
//! stream (and no transaction) outlives a request. It carries what Hrana 1 does.

use super::client::Client;
use super::pipeline::{self, replay_result};
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::hrana::version::unsupported;
use crate::transport::hrana::{
    Replication, StreamResponse, StreamResult, Version, WireError, WireStmt,
};
use crate::transport::request::{Request, RequestResult, SqlError, StepRef};
use crate::transport::sink::StepSink;
use crate::transport::trace;

/// Run `reqs` one HTTP request each, against the database at `base_url`.
pub fn pipeline(
    client: &Client,
    base_url: &str,
    reqs: &[Request],
    sink: &mut dyn StepSink,
) -> Result<Vec<RequestResult>, PipelineError> {
    let mut out = Vec::with_capacity(reqs.len());
    for (i, r) in reqs.iter().enumerate() {
        let (path, body) = match r {
            Request::Execute(s) => (
                "/v1/execute",
                serde_json::json!({ "stmt": WireStmt::from(s) }),
            ),
            Request::Batch(b) => (
                "/v1/batch",
                serde_json::json!({ "batch": Version::V1.batch(b) }),
            ),
            Request::Sequence(_) | Request::GetAutocommit => {
                out.push(Err(Version::V1.refusal(r).unwrap_or_else(|| {
                    unsupported("the HTTP API v1 has no such request")
                })));
                continue;
            }
        };
        let url = format!("{base_url}{path}");
        let counts = (1, trace::statements(std::slice::from_ref(r)));
        let protocol = pipeline::protocol(Some(Version::V1));
        let (status, bytes) = client.post(&url, body.to_string().as_bytes(), protocol, counts)?;
        if !(200..300).contains(&status) {
            if let (400, Ok(e)) = (status, serde_json::from_slice::<WireError>(&bytes)) {
                let e = client.access().scrub_error(SqlError::from(e));
                sink.error(
                    StepRef {
                        request: i,
                        step: None,
                    },
                    &e,
                )
                .map_err(PipelineError::Sink)?;
                out.push(Err(e));
                continue;
            }
            return Err(client
                .status_error(status, &bytes, false)
                .unwrap_or(TransportError::Http {
                    status,
                    body: client.excerpt(&bytes),
                })
                .into());
        }
        let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| {
            TransportError::Protocol(format!("invalid JSON from /v1: {}", client.excerpt(&bytes)))
        })?;
        let result = v.get("result").cloned().unwrap_or_default();
        let resp = match r {
            Request::Execute(_) => StreamResponse::Execute {
                result: serde_json::from_value(result)
                    .map_err(|e| TransportError::Protocol(client.scrub(&e.to_string())))?,
            },
            _ => StreamResponse::Batch {
                result: serde_json::from_value(result)
                    .map_err(|e| TransportError::Protocol(client.scrub(&e.to_string())))?,
            },
        };
        out.push(replay_result(
            i,
            r,
            StreamResult::Ok { response: resp },
            // The stateless API carries no replication index: nothing to remember.
            &Replication::default(),
            client.access(),
            sink,
        )?);
    }
    Ok(out)
}
