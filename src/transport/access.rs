//! What every request to a database carries besides its SQL: the token, the namespace (which
//! database of a multi-tenant sqld) and an encrypted Turso database's key. One place puts
//! them on the wire, for HTTP requests and the WebSocket handshake alike, and one place
//! removes them from anything a server sends back.

use crate::token::{AuthToken, EncryptionKey};
use crate::transport::error::TransportError;
use crate::transport::request::SqlError;

/// The credentials and routing of a connection. `Debug` never shows a secret.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub token: Option<AuthToken>,
    /// The database on a multi-tenant sqld.
    pub namespace: Option<String>,
    pub encryption_key: Option<EncryptionKey>,
}

/// The header that names the namespace. sqld 0.24 reads `x-namespace`; its newer versions
/// read `x-namespace-bin` (their replication metadata key); both are sent, with the same
/// value, so either picks the same database.
pub const NAMESPACE_HEADERS: [&str; 2] = ["x-namespace", "x-namespace-bin"];

/// How much of an unexpected body is quoted in an error message.
const EXCERPT: usize = 200;

/// The header that carries an encrypted Turso database's key.
pub const ENCRYPTION_KEY_HEADER: &str = "x-turso-encryption-key";

impl Access {
    /// Only a token (the namespace and key unset).
    pub fn token(token: Option<AuthToken>) -> Access {
        Access {
            token,
            ..Access::default()
        }
    }

    /// The headers every request carries, secrets exposed: only the code that writes a
    /// request calls this. `bearer`: include `Authorization` (HTTP; over WebSocket the
    /// token goes in `hello` instead).
    pub fn headers(&self, bearer: bool) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let (true, Some(t)) = (bearer, &self.token) {
            out.push(("Authorization", format!("Bearer {}", t.expose())));
        }
        if let Some(ns) = &self.namespace {
            out.extend(NAMESPACE_HEADERS.iter().map(|h| (*h, ns.clone())));
        }
        if let Some(k) = &self.encryption_key {
            out.push((ENCRYPTION_KEY_HEADER, k.expose().to_string()));
        }
        out
    }

    /// The error for a server's refusal that is about the namespace, if it is one: sqld
    /// answers `Namespace `x` doesn't exist` for an unknown one, and `missing host header`,
    /// `missing x-namespace header` or a complaint about the `<namespace>.<...>` host format
    /// when it serves several databases and none was named.
    pub fn namespace_error(&self, message: &str) -> Option<TransportError> {
        let lower = message.to_ascii_lowercase();
        if lower.contains("namespace") && lower.contains("doesn't exist") {
            let named = message.split('`').nth(1).unwrap_or_default();
            return Some(TransportError::Namespace(match (&self.namespace, named) {
                (None, "default" | "") => "this server has no default database: name one \
                    with --namespace NAME (or LIBSQL_NAMESPACE)"
                    .into(),
                // None was named: the server read one from the host name.
                (None, name) => format!(
                    "this server hosts several databases and took '{}' from the host name, \
                     but has none by that name: name one with --namespace NAME",
                    crate::target::excerpt(name)
                ),
                (Some(_), name) => format!(
                    "there is no database (namespace) '{}' on this server (--namespace)",
                    crate::target::excerpt(name)
                ),
            }));
        }
        let unnamed = lower.contains("missing host header")
            || lower.contains("missing x-namespace header")
            || lower.contains("format <namespace>");
        unnamed.then(|| {
            TransportError::Namespace(
                "this server hosts several databases (namespaces) and needs one named: pass \
                 --namespace NAME (or set LIBSQL_NAMESPACE)"
                    .into(),
            )
        })
    }

    /// What a refusal's body says (`{"error": "..."}`, a Hrana `Error`, else the start of the
    /// body), every secret removed.
    pub fn refusal_message(&self, body: &[u8]) -> String {
        match error_message(body) {
            Some(m) => self.scrub(&m),
            None => self.excerpt(body),
        }
    }

    /// The start of an unexpected body for a message, on one line, every secret removed
    /// before it is cut (so no part of a secret survives at the cut).
    pub fn excerpt(&self, body: &[u8]) -> String {
        let text = self.scrub(&String::from_utf8_lossy(body));
        let text = text.trim();
        let mut s: String = match text.char_indices().nth(EXCERPT) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text.to_string(),
        };
        s = s.replace(['\n', '\r'], " ");
        if s.is_empty() {
            s = "(empty body)".into();
        }
        s
    }

    /// A statement's error as the server worded it (which might echo a secret, or relay
    /// another server's words), every secret removed.
    pub fn scrub_error(&self, e: SqlError) -> SqlError {
        SqlError {
            message: self.scrub(&e.message),
            code: e.code,
        }
    }

    /// Text that came from the server (which might echo a secret), every secret removed.
    pub fn scrub(&self, text: &str) -> String {
        let mut s = text.to_string();
        for secret in [&self.token, &self.encryption_key].into_iter().flatten() {
            s = secret.scrub(&s);
        }
        s
    }
}

/// The message inside an error body, whatever its shape (`{"error": ...}`, a Hrana `Error`).
fn error_message(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    if let Some(s) = v.get("error").and_then(|e| e.as_str()) {
        return Some(s.to_string());
    }
    if let Some(s) = v
        .get("error")
        .and_then(|e| e.get("message"))
        .and_then(|m| m.as_str())
    {
        return Some(s.to_string());
    }
    v.get("message")
        .and_then(|m| m.as_str())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_scrubbing() {
        let a = Access {
            token: Some(AuthToken::new("TOK")),
            namespace: Some("alpha".into()),
            encryption_key: Some(EncryptionKey::new("KEY=")),
        };
        assert_eq!(
            a.headers(true),
            [
                ("Authorization", "Bearer TOK".to_string()),
                ("x-namespace", "alpha".into()),
                ("x-namespace-bin", "alpha".into()),
                ("x-turso-encryption-key", "KEY=".into()),
            ]
        );
        assert_eq!(a.headers(false).len(), 3);
        assert_eq!(
            a.scrub("bad TOK and KEY= here"),
            "bad (redacted) and (redacted) here"
        );
        assert!(!format!("{a:?}").contains("TOK") && !format!("{a:?}").contains("KEY="));
        assert!(Access::default().headers(true).is_empty());
    }

    /// A secret that straddles the cut is removed whole, not cut in two with its start
    /// quoted; the encryption key is scrubbed as the token is.
    #[test]
    fn excerpts_never_quote_part_of_a_secret() {
        let access = Access {
            token: Some(AuthToken::new("TOKEN-ABCDEFGH")),
            encryption_key: Some(EncryptionKey::new("KEY-12345678")),
            ..Access::default()
        };
        let body = format!("{}TOKEN-ABCDEFGH and KEY-12345678", "x".repeat(195));
        let e = access.excerpt(body.as_bytes());
        assert!(!e.contains("TOKEN") && !e.contains("KEY-"), "{e}");
        assert!(e.ends_with("..."), "{e}");
    }
}
