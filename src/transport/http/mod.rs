//! Hrana over HTTP: `/v3/pipeline` (JSON), falling back to `/v2/pipeline` and then to the
//! stateless `/v1/execute` + `/v1/batch` when the server has no pipeline endpoint. The
//! version is decided once per connection, on the first request.
//!
//! A stream is named by a single-use baton; its requests are strictly serial. Autocommit
//! work sends `close` inside its own pipeline, so it never leaves a stream open.
//!
//! - [`client`]: POSTs and their failures;
//! - [`pipeline`]: pipeline bodies for a version, decoded and replayed;
//! - [`ahead`]: answers read ahead (only the stream fields decoded at once);
//! - [`cursor`]: `/v3/cursor`, its body read and replayed line by line as it arrives;
//! - [`v1`]: the stateless `/v1` API;
//! - [`keepalive`]: renewing an idle stream between pipelines.

mod ahead;
mod client;
mod cursor;
mod keepalive;
mod pipeline;
mod v1;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ahead::{peek_head, Unread};
use client::Client;
use keepalive::KeepAlive;
use pipeline::Body;

use crate::transport::endpoint::Endpoint;
use crate::transport::hrana::replication::{self, carried_and_answered};
use crate::transport::hrana::{
    CursorRequest, PipelineRequest, PipelineResponse, Replication, Version, WireBatch,
};
use crate::transport::trace;
use crate::transport::{
    run_ahead, After, Batch, Capabilities, Pending, PipelineError, Request, RequestResult,
    StepSink, Transport, TransportError, TransportInfo,
};

pub struct HttpTransport {
    client: Client,
    base_url: String,
    version: Option<Version>,
    baton: Option<String>,
    /// Where this stream's requests go (the server's `base_url`), if it said.
    stream_url: Option<String>,
    /// Holds the baton between pipelines and renews it (started with the first kept stream).
    keepalive: Option<KeepAlive>,
    keepalive_every: Duration,
    /// Set by a [`Pending`] from `pipeline_ahead` whose response turned out to be bad after
    /// its baton had been kept: the stream is then not to be trusted (dropped on next use).
    ahead_failed: Arc<AtomicBool>,
    /// The replication indexes this connection has seen and sent (read-your-writes on a
    /// replica, see [`crate::transport::hrana::replication`]).
    replication: Replication,
}

impl HttpTransport {
    /// A transport for the database at `endpoint` (an `http(s)://` URL); nothing is sent
    /// until the first request, which also decides the protocol version.
    pub fn new(endpoint: &Endpoint) -> Self {
        HttpTransport {
            client: Client::new(endpoint),
            base_url: endpoint.url.trim_end_matches('/').to_string(),
            version: None,
            baton: None,
            stream_url: None,
            keepalive: None,
            keepalive_every: keepalive::INTERVAL,
            ahead_failed: Arc::new(AtomicBool::new(false)),
            replication: Replication::default(),
        }
    }

    /// How often an idle kept stream is renewed (default 4 s; sqld expires streams at 10 s).
    pub fn set_keepalive_interval(&mut self, every: Duration) {
        self.keepalive_every = every;
    }

    /// The protocol version, once the first request has decided it.
    pub fn version(&self) -> Option<Version> {
        self.version
    }

    fn drop_stream(&mut self) {
        self.baton = None;
        self.stream_url = None;
    }

    /// POST `reqs` (plus `close` when closing) to the v2/v3 pipeline endpoint and return the
    /// body of a 2xx answer. `None`: the server has no such endpoint (try an older version).
    /// The baton is spent; the caller reads the new one from the body.
    fn post_pipeline(
        &mut self,
        version: Version,
        reqs: &[Request],
        after: After,
    ) -> Result<Option<Body>, TransportError> {
        let requests = pipeline::requests(version, reqs, after, self.replication.current());
        let had_baton = self.baton.is_some();
        let body = serde_json::to_vec(&PipelineRequest {
            baton: self.baton.take(),
            requests,
        })
        .map_err(|e| TransportError::Protocol(e.to_string()))?;
        let base = self
            .stream_url
            .clone()
            .unwrap_or_else(|| self.base_url.clone());
        let url = format!("{base}{}", pipeline::path(version));
        let counts = (reqs.len(), trace::statements(reqs));
        let protocol = pipeline::protocol(self.version);
        let (status, bytes) = match self.client.post(&url, &body, protocol, counts) {
            Ok(x) => x,
            Err(e) => {
                self.drop_stream();
                return Err(e);
            }
        };
        if !(200..300).contains(&status) {
            self.drop_stream();
            return match self.client.status_error(status, &bytes, had_baton) {
                None if !had_baton => Ok(None),
                None => Err(TransportError::Http {
                    status,
                    body: self.client.excerpt(&bytes),
                }),
                Some(e) => Err(e),
            };
        }
        Ok(Some(Body { status, bytes }))
    }

    /// Keep the stream the server named in its answer (or forget it when it named none).
    fn keep_stream(&mut self, baton: Option<String>, base_url: Option<&str>) {
        self.baton = baton;
        if let Some(u) = base_url {
            self.stream_url = Some(u.trim_end_matches('/').to_string());
        }
        if self.baton.is_none() {
            self.stream_url = None;
        }
    }

    fn pipeline_v2v3(
        &mut self,
        version: Version,
        reqs: &[Request],
        after: After,
    ) -> Result<Option<PipelineResponse>, TransportError> {
        let Some(body) = self.post_pipeline(version, reqs, after)? else {
            return Ok(None);
        };
        let resp = pipeline::decode(&body, version, reqs, after, self.client.access())
            .inspect_err(|_| self.drop_stream())?;
        if after == After::Close {
            self.drop_stream();
        } else {
            self.keep_stream(resp.baton.clone(), resp.base_url.as_deref());
        }
        Ok(Some(resp))
    }

    /// [`Transport::pipeline_ahead`] on a v2/v3 stream: the body is read whole, but only its
    /// leading `baton` and `base_url` are decoded before returning.
    fn pipeline_ahead_v2v3(
        &mut self,
        version: Version,
        reqs: &[Request],
    ) -> Result<Box<dyn Pending>, PipelineError> {
        let Some(body) = self.post_pipeline(version, reqs, After::KeepOpen)? else {
            return Err(TransportError::Http {
                status: 404,
                body: "the pipeline endpoint disappeared".into(),
            }
            .into());
        };
        let head = match peek_head(&body.bytes) {
            Some(h) => h,
            None => {
                // Not in the usual order: decode it all now.
                let resp =
                    pipeline::decode(&body, version, reqs, After::KeepOpen, self.client.access())
                        .inspect_err(|_| self.drop_stream())?;
                self.keep_stream(resp.baton.clone(), resp.base_url.as_deref());
                return Ok(Box::new(Unread {
                    decoded: Some(resp),
                    body: Body {
                        status: body.status,
                        bytes: Vec::new(),
                    },
                    version,
                    reqs: reqs.to_vec(),
                    baton: None,
                    access: self.client.access().clone(),
                    failed: self.ahead_failed.clone(),
                    seen: self.replication.clone(),
                }));
            }
        };
        self.keep_stream(Some(head.baton.clone()), head.base_url.as_deref());
        Ok(Box::new(Unread {
            decoded: None,
            body,
            version,
            reqs: reqs.to_vec(),
            baton: Some(head.baton),
            access: self.client.access().clone(),
            failed: self.ahead_failed.clone(),
            seen: self.replication.clone(),
        }))
    }
}

impl HttpTransport {
    /// Take a parked stream back from the keep-alive thread.
    fn unpark(&mut self) -> Result<(), TransportError> {
        let Some(k) = &self.keepalive else {
            return Ok(());
        };
        match k.unpark() {
            Ok(Some(p)) => {
                self.baton = Some(p.baton);
                self.stream_url = Some(p.url);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(_) => {
                self.drop_stream();
                Err(TransportError::StreamExpired)
            }
        }
    }

    /// Drop the stream if a response read ahead on it turned out to be bad.
    fn forget_failed_ahead(&mut self) {
        if self.ahead_failed.swap(false, Ordering::SeqCst) {
            let _ = self.unpark();
            self.drop_stream();
        }
    }

    /// Hand a kept stream to the keep-alive thread until the next pipeline.
    fn park(&mut self) {
        let (Some(baton), Some(version)) = (self.baton.take(), self.version) else {
            return;
        };
        if version == Version::V1 {
            return;
        }
        let url = self
            .stream_url
            .take()
            .unwrap_or_else(|| self.base_url.clone());
        let (agent, access, every) = (
            self.client.agent().clone(),
            self.client.access().clone(),
            self.keepalive_every,
        );
        self.keepalive
            .get_or_insert_with(|| KeepAlive::start(agent, access, every))
            .park(baton, url, pipeline::path(version));
    }

    fn pipeline_now(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        if reqs.is_empty() && after == After::Close && self.baton.is_none() {
            return Ok(Vec::new());
        }
        let candidates = match self.version {
            Some(v) => vec![v],
            None => vec![Version::V3, Version::V2, Version::V1],
        };
        for version in candidates {
            if version == Version::V1 {
                self.version = Some(Version::V1);
                return v1::pipeline(&self.client, &self.base_url, reqs, sink);
            }
            let carried = self.replication.current();
            let Some(resp) = self.pipeline_v2v3(version, reqs, after)? else {
                continue;
            };
            self.version = Some(version);
            let access = self.client.access();
            let results = pipeline::replay_all(reqs, resp.results, &self.replication, access, sink)
                .inspect_err(|_| self.drop_stream())?;
            if carried_and_answered(reqs, &results) {
                self.replication.confirm(carried);
            }
            return Ok(results);
        }
        Err(TransportError::Http {
            status: 404,
            body: "no Hrana endpoint (/v3, /v2 or /v1) found at this URL".into(),
        }
        .into())
    }
}

impl HttpTransport {
    /// [`Transport::cursor`] once the stream is back from the keep-alive thread.
    fn cursor_now(
        &mut self,
        batch: &Batch,
        sink: &mut dyn StepSink,
    ) -> Result<RequestResult, PipelineError> {
        let had_baton = self.baton.is_some();
        let carried = self.replication.current();
        let body = serde_json::to_vec(&CursorRequest {
            baton: self.baton.take(),
            batch: WireBatch {
                replication_index: carried,
                ..Version::V3.batch(batch)
            },
        })
        .map_err(|e| TransportError::Protocol(e.to_string()))?;
        let base = self
            .stream_url
            .clone()
            .unwrap_or_else(|| self.base_url.clone());
        let url = format!("{base}{}", cursor::PATH);
        let out = cursor::run(
            &self.client,
            &url,
            &body,
            batch.steps.len(),
            had_baton,
            &self.replication,
            sink,
        );
        match (out.head, &out.result) {
            // The stream goes on under the head's baton once the body was read to its end.
            (Some(head), Ok(_)) => self.keep_stream(head.baton, head.base_url.as_deref()),
            _ => self.drop_stream(),
        }
        if matches!(out.result, Ok(Ok(_))) {
            self.replication.confirm(carried);
        }
        out.result
    }
}

impl Transport for HttpTransport {
    fn pipeline(
        &mut self,
        reqs: &[Request],
        after: After,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        self.forget_failed_ahead();
        self.unpark()?;
        let result = self.pipeline_now(reqs, after, sink);
        self.park();
        result
    }

    fn pipeline_ahead(&mut self, reqs: &[Request]) -> Result<Box<dyn Pending>, PipelineError> {
        let version = match self.version {
            Some(v @ (Version::V3 | Version::V2)) => v,
            _ => return run_ahead(self, reqs),
        };
        self.forget_failed_ahead();
        self.unpark()?;
        let result = self.pipeline_ahead_v2v3(version, reqs);
        self.park();
        result
    }

    fn cursor(
        &mut self,
        batch: &Batch,
        sink: &mut dyn StepSink,
    ) -> Result<RequestResult, PipelineError> {
        if self.version.is_some_and(|v| v != Version::V3) {
            return Err(TransportError::Unsupported(
                "the server speaks no Hrana 3, so it has no cursors".into(),
            )
            .into());
        }
        self.forget_failed_ahead();
        self.unpark()?;
        let result = self.cursor_now(batch, sink);
        self.park();
        result
    }

    fn settle(&mut self) -> Result<(), PipelineError> {
        if self.version == Some(Version::V1) {
            return Ok(()); // the stateless API carries no index
        }
        let unconfirmed = self.replication.unconfirmed();
        replication::settle(self, unconfirmed)
    }

    fn stream_open(&self) -> bool {
        !self.ahead_failed.load(Ordering::SeqCst)
            && (self.baton.is_some() || self.keepalive.as_ref().is_some_and(KeepAlive::is_parked))
    }

    fn take_lost_stream(&mut self) -> Option<String> {
        let reason = self.keepalive.as_ref()?.lost()?;
        let _ = self.unpark();
        Some(reason)
    }

    fn capabilities(&self) -> Capabilities {
        // Until the first request decides, assume the newest (what a real sqld speaks).
        let version = self.version.unwrap_or(Version::V3);
        Capabilities {
            autocommit_queries: version.autocommit_queries(),
            streams: version != Version::V1,
            cursors: version == Version::V3,
            encoded_values: true,
        }
    }

    fn info(&self) -> TransportInfo {
        let protocol = match self.version {
            Some(Version::V3) => "Hrana 3 over HTTP (JSON)",
            Some(Version::V2) => "Hrana 2 over HTTP (JSON)",
            Some(Version::V1) => "HTTP API v1 (stateless)",
            None => "Hrana over HTTP (not negotiated yet)",
        };
        let endpoint = match self.version {
            Some(v) => format!("{}{}", self.base_url, pipeline::path(v)),
            None => self.base_url.clone(),
        };
        TransportInfo {
            kind: "http",
            protocol: protocol.into(),
            endpoint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_response_read_ahead_leaves_no_trusted_stream() {
        let mut t = HttpTransport::new(&Endpoint::new(
            "http://127.0.0.1:9",
            "127.0.0.1",
            9,
            Duration::from_secs(1),
        ));
        t.version = Some(Version::V3);
        t.baton = Some("b".into());
        let cut = br#"{"baton":"b","base_url":null,"results":[{"type":"ok","respo"#;
        let pending: Box<dyn Pending> = Box::new(Unread {
            decoded: None,
            body: Body {
                status: 200,
                bytes: cut.to_vec(),
            },
            version: Version::V3,
            reqs: vec![Request::Execute(crate::transport::Stmt::new("SELECT 1"))],
            baton: Some("b".into()),
            access: crate::transport::access::Access::default(),
            failed: t.ahead_failed.clone(),
            seen: Replication::default(),
        });
        assert!(t.stream_open());
        assert!(pending.finish(&mut crate::transport::Discard).is_err());
        assert!(!t.stream_open(), "the stream must not be trusted any more");
        t.forget_failed_ahead();
        assert!(t.baton.is_none());
        assert!(!t.stream_open());
    }
}
