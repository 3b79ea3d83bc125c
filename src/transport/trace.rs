//! `--trace`: one line on stderr per remote round trip — endpoint, protocol version, number
//! of requests and statements, bytes each way and round-trip time — so a user can see where
//! the time goes. Credentials never appear: only URLs (which hold no token) are printed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::request::Request;

static ENABLED: AtomicBool = AtomicBool::new(false);

pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// How many SQL statements a pipeline carries.
pub fn statements(reqs: &[Request]) -> usize {
    reqs.iter()
        .map(|r| match r {
            Request::Execute(_) | Request::Sequence(_) => 1,
            Request::Batch(b) => b.steps.len(),
            Request::GetAutocommit => 0,
        })
        .sum()
}

/// One round trip, as measured by a transport.
pub struct RoundTrip<'a> {
    /// `POST http://host/v3/pipeline`, `ws://host`.
    pub endpoint: &'a str,
    pub protocol: &'a str,
    pub requests: usize,
    pub statements: usize,
    pub sent: usize,
    pub received: usize,
    /// HTTP status, when there is one.
    pub status: Option<u16>,
    pub elapsed: Duration,
}

pub fn round_trip(rt: RoundTrip<'_>) {
    if !enabled() {
        return;
    }
    let status = rt.status.map(|s| format!(", HTTP {s}")).unwrap_or_default();
    eprintln!(
        "libsql-shell: trace: {} ({}) {} request(s), {} statement(s), sent {} B, received {} B{status}, {:.1} ms",
        rt.endpoint,
        rt.protocol,
        rt.requests,
        rt.statements,
        rt.sent,
        rt.received,
        rt.elapsed.as_secs_f64() * 1000.0
    );
}

/// A failed round trip.
pub fn failed(endpoint: &str, protocol: &str, elapsed: Duration, what: &str) {
    if enabled() {
        eprintln!(
            "libsql-shell: trace: {endpoint} ({protocol}) failed after {:.1} ms: {what}",
            elapsed.as_secs_f64() * 1000.0
        );
    }
}
