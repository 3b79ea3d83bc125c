//! A Hrana pipeline over HTTP as bytes: the request body for a version (requests the
//! version cannot carry are answered locally, in their slots), the decoding of a 2xx answer
//! lined up with the requests, and its replay to the sink.

use crate::transport::access::Access;
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::hrana::replay::replay;
use crate::transport::hrana::{
    PipelineResponse, Replication, StreamRequest, StreamResult, Version, WireBatch, WireError,
    WireStmt,
};
use crate::transport::request::{After, Request, RequestResult};
use crate::transport::sink::StepSink;

/// The endpoint of a version (`/v1` is the stateless API's prefix).
pub fn path(version: Version) -> &'static str {
    match version {
        Version::V3 => "/v3/pipeline",
        Version::V2 => "/v2/pipeline",
        Version::V1 => "/v1",
    }
}

/// The protocol's name in `--trace` lines.
pub fn protocol(version: Option<Version>) -> &'static str {
    match version {
        Some(Version::V1) => "http v1",
        Some(v) => v.name(),
        None => "negotiating",
    }
}

/// A 2xx answer.
pub struct Body {
    pub status: u16,
    pub bytes: Vec<u8>,
}

/// The requests of a v2/v3 pipeline body: those the version can carry, plus `close` when
/// the stream ends with it.
/// `index` goes on every `execute` and `batch` (see [`crate::transport::hrana::replication`]).
pub fn requests(
    version: Version,
    reqs: &[Request],
    after: After,
    index: Option<u64>,
) -> Vec<StreamRequest> {
    reqs.iter()
        .filter(|r| version.refusal(r).is_none())
        .map(|r| to_stream_request(r, version, index))
        .chain((after == After::Close).then_some(StreamRequest::Close {}))
        .collect()
}

fn to_stream_request(r: &Request, version: Version, index: Option<u64>) -> StreamRequest {
    match r {
        Request::Execute(s) => StreamRequest::Execute {
            stmt: WireStmt {
                replication_index: index,
                ..WireStmt::from(s)
            },
        },
        Request::Batch(b) => StreamRequest::Batch {
            batch: WireBatch {
                replication_index: index,
                ..version.batch(b)
            },
        },
        Request::Sequence(sql) => StreamRequest::Sequence {
            sql: Some(sql.clone()),
            sql_id: None,
        },
        Request::GetAutocommit => StreamRequest::GetAutocommit {},
    }
}

/// Decode a 2xx pipeline body and line its results up with `reqs`.
pub fn decode(
    body: &Body,
    version: Version,
    reqs: &[Request],
    after: After,
    access: &Access,
) -> Result<PipelineResponse, TransportError> {
    let mut resp: PipelineResponse = serde_json::from_slice(&body.bytes).map_err(|e| {
        if e.is_eof() {
            TransportError::ConnectionLost {
                reason: "the response was cut short".into(),
                outcome: TransportError::OUTCOME_UNKNOWN,
            }
        } else {
            TransportError::Protocol(format!(
                "server answered HTTP {} with a body that is not Hrana JSON: {}",
                body.status,
                access.excerpt(&body.bytes)
            ))
        }
    })?;
    let sent = reqs.iter().filter(|r| version.refusal(r).is_none()).count();
    let expected = sent + usize::from(after == After::Close);
    if resp.results.len() != expected {
        return Err(TransportError::Protocol(format!(
            "server returned {} results for {expected} requests",
            resp.results.len()
        )));
    }
    if sent < reqs.len() {
        let mut answered = std::mem::take(&mut resp.results).into_iter();
        for r in reqs {
            resp.results.push(match version.refusal(r) {
                Some(refused) => StreamResult::Error {
                    error: WireError::from(&refused),
                },
                None => answered.next().expect("counted above"),
            });
        }
        resp.results.extend(answered);
    }
    Ok(resp)
}

/// Feed every request's result to the sink, in order (errors scrubbed of `access`'s
/// secrets).
pub fn replay_all(
    reqs: &[Request],
    results: Vec<StreamResult>,
    seen: &Replication,
    access: &Access,
    sink: &mut dyn StepSink,
) -> Result<Vec<RequestResult>, PipelineError> {
    reqs.iter()
        .zip(results)
        .enumerate()
        .map(|(i, (req, res))| replay_result(i, req, res, seen, access, sink))
        .collect()
}

pub fn replay_result(
    i: usize,
    req: &Request,
    res: StreamResult,
    seen: &Replication,
    access: &Access,
    sink: &mut dyn StepSink,
) -> Result<RequestResult, PipelineError> {
    match res {
        StreamResult::Ok { response } => replay(i, req, Ok(response.into()), seen, access, sink),
        StreamResult::Error { error } => replay(i, req, Err(error), seen, access, sink),
        StreamResult::Unknown => {
            Err(TransportError::Protocol("unknown result type from server".into()).into())
        }
    }
}
