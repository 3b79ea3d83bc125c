//! Reading a pipeline's answer ahead: the body is read whole, but only its leading
//! `baton` and `base_url` are decoded before the stream is free for the next request; the
//! rest is decoded by [`Pending::finish`], possibly on another thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::pipeline::{self, Body};
use crate::transport::access::Access;
use crate::transport::error::{PipelineError, TransportError};
use crate::transport::hrana::{PipelineResponse, Replication, Version};
use crate::transport::request::{After, Request, RequestResult};
use crate::transport::sink::StepSink;
use crate::transport::Pending;

/// The stream fields at the start of a pipeline response.
pub struct Head {
    pub baton: String,
    pub base_url: Option<String>,
}

/// Read `{"baton":"…","base_url":…` from the start of a body without decoding the rest
/// (sqld writes these two fields first). `None` when the body does not start that way, or
/// names no baton (the stream ended); the caller then decodes the whole body.
pub fn peek_head(bytes: &[u8]) -> Option<Head> {
    fn field<'a>(rest: &'a [u8], name: &str) -> Option<&'a [u8]> {
        let rest = rest.strip_prefix(b"\"")?.strip_prefix(name.as_bytes())?;
        rest.strip_prefix(b"\":")
    }
    /// `null` or a string without escapes (anything else: give up).
    fn value(rest: &[u8]) -> Option<(Option<String>, &[u8])> {
        if let Some(rest) = rest.strip_prefix(b"null") {
            return Some((None, rest));
        }
        let rest = rest.strip_prefix(b"\"")?;
        let end = rest.iter().position(|b| *b == b'"' || *b == b'\\')?;
        if rest[end] != b'"' {
            return None;
        }
        let text = std::str::from_utf8(&rest[..end]).ok()?;
        Some((Some(text.to_string()), &rest[end + 1..]))
    }
    let rest = field(bytes.strip_prefix(b"{")?, "baton")?;
    let (baton, rest) = value(rest)?;
    let rest = field(rest.strip_prefix(b",")?, "base_url")?;
    let (base_url, _) = value(rest)?;
    Some(Head {
        baton: baton?,
        base_url,
    })
}

/// A v2/v3 pipeline whose body was read but not (all) decoded.
pub struct Unread {
    /// Already decoded (the body did not start with the stream fields).
    pub decoded: Option<PipelineResponse>,
    pub body: Body,
    pub version: Version,
    pub reqs: Vec<Request>,
    /// The baton read ahead, which the full decoding must agree with.
    pub baton: Option<String>,
    pub access: Access,
    /// Set when the answer turns out to be bad: the stream it named is not to be trusted.
    pub failed: Arc<AtomicBool>,
    /// The transport's replication indexes, noted as the answers are decoded.
    pub seen: Replication,
}

impl Pending for Unread {
    fn finish(
        self: Box<Self>,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let failed = self.failed.clone();
        let result = self.decode_and_replay(sink);
        if matches!(result, Err(PipelineError::Transport(_))) {
            failed.store(true, Ordering::SeqCst);
        }
        result
    }
}

impl Unread {
    fn decode_and_replay(
        self,
        sink: &mut dyn StepSink,
    ) -> Result<Vec<RequestResult>, PipelineError> {
        let resp = match self.decoded {
            Some(r) => r,
            None => pipeline::decode(
                &self.body,
                self.version,
                &self.reqs,
                After::KeepOpen,
                &self.access,
            )?,
        };
        if self.baton.is_some() && resp.baton != self.baton {
            return Err(TransportError::Protocol(
                "the server's response names two different batons".into(),
            )
            .into());
        }
        pipeline::replay_all(&self.reqs, resp.results, &self.seen, &self.access, sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_fields_are_read_from_the_head_of_a_body() {
        let h = peek_head(br#"{"baton":"b1","base_url":null,"results":[{"type":"ok"}]}"#).unwrap();
        assert_eq!(h.baton, "b1");
        assert_eq!(h.base_url, None);
        let h = peek_head(br#"{"baton":"b2","base_url":"http://h:1/x","results":[]}"#).unwrap();
        assert_eq!(
            (h.baton.as_str(), h.base_url.as_deref()),
            ("b2", Some("http://h:1/x"))
        );
    }

    #[test]
    fn any_other_head_is_left_to_the_full_decoder() {
        for body in [
            &br#"{"base_url":null,"baton":"b","results":[]}"#[..],
            br#"{"results":[],"baton":"b","base_url":null}"#,
            br#"{"baton":null,"base_url":null,"results":[]}"#,
            br#"{"baton":"a\"b","base_url":null,"results":[]}"#,
            br#"{ "baton":"b","base_url":null,"results":[]}"#,
            br#"{"baton":"b""#,
            b"",
        ] {
            assert!(
                peek_head(body).is_none(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn fuzz_the_head_of_a_response() {
        let seeds = &[
            r#"{"baton":"b1","base_url":null,"results":[]}"#,
            r#"{"baton":"b2","base_url":"http://h:1/x","results":[{"type":"ok"}]}"#,
        ];
        crate::fuzz::run("http-head", seeds, crate::fuzz::cases(1), |bytes| {
            if let Some(h) = peek_head(bytes) {
                assert!(!h.baton.contains('"'));
            }
        });
    }
}
