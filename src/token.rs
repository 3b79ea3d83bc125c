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

    /// What makes the token unusable, never quoting it: a control character (a newline, say,
    /// from a file read with its line end) cannot be part of a bearer token, and would break
    /// the request header. `None` for a well-formed token.
    pub fn malformed(&self) -> Option<String> {
        let (i, c) = self.0.char_indices().find(|(_, c)| c.is_control())?;
        let what = match c {
            '\n' => "a newline".to_string(),
            '\r' => "a carriage return".to_string(),
            '\t' => "a tab".to_string(),
            c => format!("a control character (U+{:04X})", c as u32),
        };
        let at = if i + c.len_utf8() == self.0.len() {
            " at its end"
        } else {
            ""
        };
        Some(format!("it contains {what}{at}"))
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

    #[test]
    fn control_characters_make_it_malformed() {
        assert_eq!(AuthToken::new("eyJ.abc-_.x=").malformed(), None);
        assert_eq!(
            AuthToken::new("sekrit\n").malformed().unwrap(),
            "it contains a newline at its end"
        );
        let m = AuthToken::new("sek\x01rit").malformed().unwrap();
        assert_eq!(m, "it contains a control character (U+0001)");
        assert!(AuthToken::new("a\rb").malformed().is_some());
        assert!(AuthToken::new("a\u{7f}").malformed().is_some());
    }
}
