//! What the two Hrana transports (HTTP and WebSocket) share once a response has arrived:
//! feeding each request's result to the [`StepSink`] in order, converting it to a
//! [`RequestResult`], and quoting what a server sent in error messages without ever quoting
//! a secret (statements' errors included: [`Access::scrub_error`]).

use super::messages::WsResponse;
use super::replication::Replication;
use super::stmt::{batch_outcomes, row_values, WireBatchResult, WireError, WireStmtResult};
use super::stream::StreamResponse;
use crate::transport::access::Access;
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::request::{Request, RequestResult, Response, SqlError, StepOutcome, StepRef};
use crate::transport::sink::StepSink;
use crate::value::{Column, StmtSummary};

/// The part of a stream response a [`Request`] can get back, whichever transport carried it.
#[derive(Debug)]
pub enum Answer {
    Execute(WireStmtResult),
    Batch(WireBatchResult),
    Sequence,
    GetAutocommit(bool),
    /// Any other response type (named, for the error message).
    Other(&'static str),
}

impl From<StreamResponse> for Answer {
    fn from(r: StreamResponse) -> Self {
        match r {
            StreamResponse::Execute { result } => Answer::Execute(result),
            StreamResponse::Batch { result } => Answer::Batch(result),
            StreamResponse::Sequence {} => Answer::Sequence,
            StreamResponse::GetAutocommit { is_autocommit } => Answer::GetAutocommit(is_autocommit),
            StreamResponse::Close {} => Answer::Other("close"),
            StreamResponse::Describe { .. } => Answer::Other("describe"),
            StreamResponse::StoreSql {} => Answer::Other("store_sql"),
            StreamResponse::CloseSql {} => Answer::Other("close_sql"),
            StreamResponse::Unknown => Answer::Other("an unknown type"),
        }
    }
}

impl From<WsResponse> for Answer {
    fn from(r: WsResponse) -> Self {
        match r {
            WsResponse::Execute { result } => Answer::Execute(result),
            WsResponse::Batch { result } => Answer::Batch(result),
            WsResponse::Sequence {} => Answer::Sequence,
            WsResponse::GetAutocommit { is_autocommit } => Answer::GetAutocommit(is_autocommit),
            WsResponse::OpenStream {} => Answer::Other("open_stream"),
            WsResponse::CloseStream {} => Answer::Other("close_stream"),
            WsResponse::Describe { .. } => Answer::Other("describe"),
            WsResponse::StoreSql {} => Answer::Other("store_sql"),
            WsResponse::CloseSql {} => Answer::Other("close_sql"),
            WsResponse::OpenCursor {} => Answer::Other("open_cursor"),
            WsResponse::CloseCursor {} => Answer::Other("close_cursor"),
            WsResponse::FetchCursor { .. } => Answer::Other("fetch_cursor"),
            WsResponse::Unknown => Answer::Other("an unknown type"),
        }
    }
}

impl Answer {
    fn name(&self) -> &'static str {
        match self {
            Answer::Execute(_) => "execute",
            Answer::Batch(_) => "batch",
            Answer::Sequence => "sequence",
            Answer::GetAutocommit(_) => "get_autocommit",
            Answer::Other(name) => name,
        }
    }
}

/// The highest index an answer carries (a batch: its own and its steps').
fn answer_index(a: &Answer) -> Option<u64> {
    match a {
        Answer::Execute(r) => r.replication_index,
        Answer::Batch(r) => r
            .step_results
            .iter()
            .flatten()
            .map(|s| s.replication_index)
            .fold(r.replication_index, Option::max),
        _ => None,
    }
}

/// Feed request `i`'s result to the sink in order and convert it to a [`RequestResult`].
/// A failed `execute` or `batch` is also reported to the sink (as a request-level error).
/// A replication index the answer carries is noted in `seen`; errors are scrubbed of the
/// secrets of `access`.
pub fn replay(
    i: usize,
    req: &Request,
    res: Result<Answer, WireError>,
    seen: &Replication,
    access: &Access,
    sink: &mut dyn StepSink,
) -> Result<RequestResult, PipelineError> {
    let at = StepRef {
        request: i,
        step: None,
    };
    let answer = match res {
        Ok(a) => {
            seen.note(answer_index(&a));
            a
        }
        Err(error) => {
            let e = access.scrub_error(SqlError::from(error));
            if matches!(req, Request::Execute(_) | Request::Batch(_)) {
                sink.error(at, &e).map_err(PipelineError::Sink)?;
            }
            return Ok(Err(e));
        }
    };
    match (req, answer) {
        (Request::Execute(_), Answer::Execute(result)) => {
            Ok(Ok(Response::Execute(replay_stmt(at, result, sink)?)))
        }
        (Request::Batch(b), Answer::Batch(result)) => Ok(Ok(Response::Batch(replay_batch(
            i,
            b.steps.len(),
            result,
            access,
            sink,
        )?))),
        (Request::Sequence(_), Answer::Sequence) => Ok(Ok(Response::Sequence)),
        (Request::GetAutocommit, Answer::GetAutocommit(auto)) => {
            Ok(Ok(Response::GetAutocommit(auto)))
        }
        (_, other) => Err(TransportError::Protocol(format!(
            "response type does not match the request: got {}",
            other.name()
        ))
        .into()),
    }
}

fn replay_stmt(
    at: StepRef,
    result: WireStmtResult,
    sink: &mut dyn StepSink,
) -> Result<StmtSummary, PipelineError> {
    let summary = result.summary();
    let cols: Vec<Column> = summary.cols.clone();
    sink.begin(at, &cols).map_err(PipelineError::Sink)?;
    for row in result.rows {
        let values = row_values(row, cols.len()).map_err(TransportError::Protocol)?;
        sink.row_owned(at, values).map_err(PipelineError::Sink)?;
    }
    sink.end(at, &summary).map_err(PipelineError::Sink)?;
    Ok(summary)
}

fn replay_batch(
    request: usize,
    steps: usize,
    mut result: WireBatchResult,
    access: &Access,
    sink: &mut dyn StepSink,
) -> Result<Vec<StepOutcome>, PipelineError> {
    let outcomes: Vec<StepOutcome> = batch_outcomes(&result, steps)
        .into_iter()
        .map(|o| match o {
            StepOutcome::Err(e) => StepOutcome::Err(access.scrub_error(e)),
            o => o,
        })
        .collect();
    for (j, o) in outcomes.iter().enumerate() {
        let at = StepRef {
            request,
            step: Some(j),
        };
        match o {
            StepOutcome::Skipped => {}
            StepOutcome::Err(e) => sink.error(at, e).map_err(PipelineError::Sink)?,
            StepOutcome::Ok(_) => {
                if let Some(Some(r)) = result.step_results.get_mut(j).map(Option::take) {
                    replay_stmt(at, r, sink)?;
                }
            }
        }
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Secret;
    use crate::transport::request::Stmt;
    use crate::transport::sink::Collect;

    /// A lying server's row with fewer values than columns is a protocol error, not a row
    /// that code indexing by column would panic on.
    #[test]
    fn rows_must_have_one_value_per_column() {
        let result: WireStmtResult = serde_json::from_str(
            r#"{"cols":[{"name":"a"},{"name":"b"}],"rows":[[{"type":"integer","value":"1"}]]}"#,
        )
        .unwrap();
        let req = Request::Execute(Stmt::new("select 1, 2"));
        let r = replay(
            0,
            &req,
            Ok(Answer::Execute(result)),
            &Replication::default(),
            &Access::default(),
            &mut Collect::default(),
        );
        match r {
            Err(PipelineError::Transport(TransportError::Protocol(m))) => {
                assert!(m.contains("1 value(s) for 2 column(s)"), "{m}")
            }
            other => panic!("{other:?}"),
        }
    }

    /// A statement's error quotes what the server sent, and that may be a secret (a server
    /// echoing the key, a replica relaying its primary's words): it never reaches the user.
    #[test]
    fn statement_errors_are_scrubbed_of_secrets() {
        let access = Access {
            token: Some(Secret::new("TOKEN-1")),
            encryption_key: Some(Secret::new("KEY-2")),
            ..Access::default()
        };
        let quoting = |code: &str| WireError {
            message: "error executing a request on the primary: bad TOKEN-1 with KEY-2".into(),
            code: Some(code.into()),
        };
        let said = "error executing a request on the primary: bad (redacted) with (redacted)";
        let batch = Request::Batch(crate::transport::Batch {
            steps: vec![crate::transport::BatchStep {
                condition: None,
                stmt: Stmt::new("insert into t values (1)"),
            }],
        });
        let result = WireBatchResult {
            step_results: vec![None],
            step_errors: vec![Some(quoting("PROXY_ERROR"))],
            replication_index: None,
        };
        struct Told(Vec<String>);
        impl StepSink for Told {
            fn begin(&mut self, _: StepRef, _: &[Column]) -> anyhow::Result<()> {
                Ok(())
            }
            fn row(&mut self, _: StepRef, _: &[crate::value::Value]) -> anyhow::Result<()> {
                Ok(())
            }
            fn end(&mut self, _: StepRef, _: &StmtSummary) -> anyhow::Result<()> {
                Ok(())
            }
            fn error(&mut self, _: StepRef, e: &SqlError) -> anyhow::Result<()> {
                self.0.push(e.message.clone());
                Ok(())
            }
        }
        let mut sink = Told(Vec::new());
        let seen = Replication::default();
        let r = replay(
            0,
            &batch,
            Ok(Answer::Batch(result)),
            &seen,
            &access,
            &mut sink,
        );
        let Ok(Ok(Response::Batch(outcomes))) = r else {
            panic!("{r:?}")
        };
        assert!(matches!(&outcomes[0], StepOutcome::Err(e) if e.message == said));
        let r = replay(0, &batch, Err(quoting("X")), &seen, &access, &mut sink);
        assert!(matches!(&r, Ok(Err(e)) if e.message == said), "{r:?}");
        assert_eq!(sink.0, [said, said]);
    }
}
