//! Keeps an idle HTTP stream alive. sqld drops a stream (and rolls back its transaction)
//! after 10 s without a request; a shell user thinking inside `BEGIN` takes longer than
//! that. While the transport is idle its baton is *parked* here, and a background thread
//! renews it with an empty pipeline every few seconds. The next pipeline takes it back. If a
//! renewal fails the stream is marked lost, and the shell announces it at the next prompt.

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::transport::access::Access;
use crate::transport::hrana::{PipelineRequest, PipelineResponse};

/// How often an idle stream is renewed (sqld expires streams after 10 s idle).
pub const INTERVAL: Duration = Duration::from_secs(4);

/// A stream handed over while the transport is idle.
#[derive(Debug, Clone)]
pub struct Parked {
    pub baton: String,
    /// The stream's base URL (the server's `base_url`, else the database URL).
    pub url: String,
    /// `/v3/pipeline` or `/v2/pipeline`.
    pub path: &'static str,
    renewed: Instant,
}

#[derive(Default)]
struct Slot {
    parked: Option<Parked>,
    lost: Option<String>,
    shutdown: bool,
}

pub struct KeepAlive {
    shared: Arc<(Mutex<Slot>, Condvar)>,
}

impl KeepAlive {
    pub fn start(agent: ureq::Agent, access: Access, every: Duration) -> Self {
        let shared = Arc::new((Mutex::new(Slot::default()), Condvar::new()));
        let worker = shared.clone();
        // Without the thread a parked stream is simply not renewed (and may expire, which the
        // session reports); that is no reason to fail the command.
        let _ = thread::Builder::new()
            .name("libsql-keepalive".into())
            .spawn(move || run(worker, agent, access, every));
        KeepAlive { shared }
    }

    /// Hand an idle stream over.
    pub fn park(&self, baton: String, url: String, path: &'static str) {
        let (lock, cv) = &*self.shared;
        if let Ok(mut slot) = lock.lock() {
            slot.parked = Some(Parked {
                baton,
                url,
                path,
                renewed: Instant::now(),
            });
            slot.lost = None;
            cv.notify_all();
        }
    }

    /// Take the stream back: `Ok(None)` if none was parked, `Err` if it was lost meanwhile.
    pub fn unpark(&self) -> Result<Option<Parked>, String> {
        let (lock, _) = &*self.shared;
        let mut slot = lock
            .lock()
            .map_err(|_| "keep-alive state poisoned".to_string())?;
        if let Some(reason) = slot.lost.take() {
            return Err(reason);
        }
        Ok(slot.parked.take())
    }

    pub fn is_parked(&self) -> bool {
        let (lock, _) = &*self.shared;
        lock.lock()
            .map(|s| s.parked.is_some() || s.lost.is_some())
            .unwrap_or(false)
    }

    /// Whether the parked stream was lost (without taking anything back).
    pub fn lost(&self) -> Option<String> {
        let (lock, _) = &*self.shared;
        lock.lock().ok().and_then(|s| s.lost.clone())
    }
}

impl Drop for KeepAlive {
    fn drop(&mut self) {
        let (lock, cv) = &*self.shared;
        if let Ok(mut slot) = lock.lock() {
            slot.shutdown = true;
            cv.notify_all();
        }
    }
}

fn run(shared: Arc<(Mutex<Slot>, Condvar)>, agent: ureq::Agent, access: Access, every: Duration) {
    let (lock, cv) = &*shared;
    let Ok(mut slot) = lock.lock() else { return };
    loop {
        if slot.shutdown {
            return;
        }
        let wait = match &slot.parked {
            Some(p) => every.saturating_sub(p.renewed.elapsed()),
            None => Duration::from_secs(3600),
        };
        if !wait.is_zero() {
            slot = match cv.wait_timeout(slot, wait) {
                Ok((s, _)) => s,
                Err(_) => return,
            };
            continue;
        }
        let Some(p) = slot.parked.take() else {
            continue;
        };
        // The lock is held during the renewal, so the transport cannot take the baton back
        // while it is in flight (it waits for the new one instead).
        match renew(&agent, &access, &p) {
            Ok((baton, base_url)) => {
                slot.parked = Some(Parked {
                    baton,
                    url: base_url.unwrap_or(p.url),
                    path: p.path,
                    renewed: Instant::now(),
                });
            }
            Err(reason) => slot.lost = Some(reason),
        }
    }
}

/// An empty pipeline on the stream: renews the baton without running anything.
fn renew(
    agent: &ureq::Agent,
    access: &Access,
    p: &Parked,
) -> Result<(String, Option<String>), String> {
    let body = serde_json::to_vec(&PipelineRequest {
        baton: Some(p.baton.clone()),
        requests: Vec::new(),
    })
    .map_err(|e| e.to_string())?;
    let mut req = agent
        .post(&format!("{}{}", p.url, p.path))
        .set("Content-Type", "application/json");
    for (name, value) in access.headers(true) {
        req = req.set(name, &value);
    }
    let started = Instant::now();
    let resp = match req.send_bytes(&body) {
        Ok(r) => r,
        Err(ureq::Error::Status(code, _)) => {
            return Err(format!(
                "the server refused to keep the stream (HTTP {code})"
            ))
        }
        Err(ureq::Error::Transport(t)) => {
            return Err(format!("the stream could not be kept alive ({})", t.kind()))
        }
    };
    let parsed: PipelineResponse = serde_json::from_reader(resp.into_reader())
        .map_err(|_| "invalid keep-alive response".to_string())?;
    crate::transport::trace::round_trip(crate::transport::trace::RoundTrip {
        endpoint: &format!("POST {}{} (keep-alive)", p.url, p.path),
        protocol: if p.path.starts_with("/v3") {
            "hrana3"
        } else {
            "hrana2"
        },
        requests: 0,
        statements: 0,
        sent: body.len(),
        received: 0,
        status: Some(200),
        elapsed: started.elapsed(),
    });
    match parsed.baton {
        Some(b) => Ok((
            b,
            parsed.base_url.map(|u| u.trim_end_matches('/').to_string()),
        )),
        None => Err("the server closed the stream".into()),
    }
}
