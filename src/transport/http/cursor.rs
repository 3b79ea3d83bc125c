//! `/v3/cursor` over HTTP: one POST whose answer is newline-delimited JSON — a head line
//! naming the stream (`baton`, `base_url`), then one cursor entry per line — read through a
//! buffered reader as it arrives, each entry handed to the sink at once. Nothing holds more
//! than one line, whatever the result's size. A body that stops before the cursor's last
//! entry (the connection dropped, or the server ended the body early) is an error.

use std::io::{BufRead, BufReader, Read};
use std::time::Instant;

use super::client::{BodyReader, Client};
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::hrana::{CursorEntry, CursorReplay, CursorResponseHead, Replication};
use crate::transport::request::RequestResult;
use crate::transport::sink::StepSink;
use crate::transport::trace;

/// The endpoint, after the stream's URL.
pub const PATH: &str = "/v3/cursor";

/// Counts the bytes read, for `--trace`.
struct Counted {
    inner: BodyReader,
    bytes: usize,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n;
        Ok(n)
    }
}

/// What a cursor POST came to: the stream its head line named (`None`: no head arrived,
/// the stream is gone) and the batch's result.
pub struct Outcome {
    pub head: Option<CursorResponseHead>,
    pub result: Result<RequestResult, PipelineError>,
}

/// POST `body` (a cursor request for a batch of `steps` steps) to `url` and feed the
/// entries to `sink` as they arrive. `had_baton`: the request named a stream (a 400 about
/// its baton then means the stream expired).
pub fn run(
    client: &Client,
    url: &str,
    body: &[u8],
    steps: usize,
    had_baton: bool,
    seen: &Replication,
    sink: &mut dyn StepSink,
) -> Outcome {
    let started = Instant::now();
    let endpoint = format!("POST {url}");
    let protocol = "hrana3 cursor";
    let fail = |e: TransportError| {
        trace::failed(&endpoint, protocol, started.elapsed(), &e.to_string());
        Outcome {
            head: None,
            result: Err(e.into()),
        }
    };
    let reader = match client.post_reader(url, body) {
        Err(e) => return fail(e),
        Ok(Err((404, _))) => {
            return fail(TransportError::Unsupported(
                "the server has no /v3/cursor endpoint".into(),
            ))
        }
        Ok(Err((status, bytes))) => {
            let e = client
                .status_error(status, &bytes, had_baton)
                .unwrap_or_else(|| TransportError::Http {
                    status,
                    body: client.excerpt(&bytes),
                });
            return fail(e);
        }
        Ok(Ok(r)) => r,
    };
    let mut lines = Lines {
        reader: BufReader::with_capacity(
            1 << 16,
            Counted {
                inner: reader,
                bytes: 0,
            },
        ),
        line: Vec::new(),
        client,
    };
    let head = match lines.next() {
        Ok(Some(line)) => match serde_json::from_slice::<CursorResponseHead>(line) {
            Ok(h) => h,
            Err(_) => {
                return fail(TransportError::Protocol(format!(
                    "the cursor's answer does not start with a Hrana head line: {}",
                    client.excerpt(line)
                )))
            }
        },
        Ok(None) => {
            return fail(TransportError::ConnectionLost {
                reason: "the cursor's response ended before its first line".into(),
                outcome: TransportError::OUTCOME_UNKNOWN,
            })
        }
        Err(e) => return fail(e),
    };
    let result = replay(&mut lines, steps, seen, sink);
    let received = lines.reader.get_ref().bytes;
    match &result {
        Ok(_) | Err(PipelineError::Sink(_)) => trace::round_trip(trace::RoundTrip {
            endpoint: &endpoint,
            protocol,
            requests: 1,
            statements: steps,
            sent: body.len(),
            received,
            status: Some(200),
            elapsed: started.elapsed(),
        }),
        Err(e) => trace::failed(&endpoint, protocol, started.elapsed(), &e.to_string()),
    }
    Outcome {
        head: Some(head),
        result,
    }
}

/// Read the entries after the head line, each to the sink as it arrives.
fn replay(
    lines: &mut Lines<'_>,
    steps: usize,
    seen: &Replication,
    sink: &mut dyn StepSink,
) -> Result<RequestResult, PipelineError> {
    let client = lines.client;
    let mut replay = CursorReplay::new(0, steps, client.access());
    while let Some(line) = lines.next()? {
        let entry: CursorEntry = serde_json::from_slice(line).map_err(|e| {
            TransportError::Protocol(format!(
                "the cursor sent a line that is not a Hrana entry ({}): {}",
                client.scrub(&e.to_string()),
                client.excerpt(line)
            ))
        })?;
        replay.feed(entry, sink)?;
    }
    seen.note(replay.replication_index());
    Ok(replay.finish()?)
}

/// The non-blank lines of a body, one at a time.
struct Lines<'c> {
    reader: BufReader<Counted>,
    line: Vec<u8>,
    client: &'c Client,
}

impl Lines<'_> {
    fn next(&mut self) -> Result<Option<&[u8]>, TransportError> {
        loop {
            self.line.clear();
            let n = self
                .reader
                .read_until(b'\n', &mut self.line)
                .map_err(|e| self.client.io_error(&e))?;
            if n == 0 {
                return Ok(None);
            }
            if !self.line.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some(&self.line));
            }
        }
    }
}
