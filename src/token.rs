//! The auth token: a newtype that cannot be printed, from the moment it is parsed.

use std::fmt;

/// A bearer token. `Debug` and `Display` print `(redacted)`; only [`AuthToken::expose`]
/// gives the secret, and only the code that puts it on the wire calls it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthToken(String);

impl AuthToken {
    pub fn new(s: impl Into<String>) -> Self {
        AuthToken(s.into())
    }

    /// The secret itself. Call only where it goes into a request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Remove every occurrence of the token from a message (for text that came from
    /// elsewhere, such as a server's error body, which might echo it).
    pub fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.0, "(redacted)")
        }
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken(redacted)")
    }
}

impl fmt::Display for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let t = AuthToken::new("sekrit-123");
        assert!(!format!("{t:?} {t}").contains("sekrit"));
        assert_eq!(t.scrub("bad token sekrit-123!"), "bad token (redacted)!");
    }
}
