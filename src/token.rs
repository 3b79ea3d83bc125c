//! Secrets — the auth token and a database's encryption key — as a newtype that cannot be
//! printed, from the moment they are parsed.

use std::borrow::Cow;
use std::fmt;

/// A secret. `Debug` and `Display` print `(redacted)`; only [`Secret::expose`] gives it,
/// and only the code that puts it on the wire calls it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// A bearer token (`Authorization: Bearer ...`, the WebSocket `hello`).
pub type AuthToken = Secret;

/// The encryption key of an encrypted Turso database (`x-turso-encryption-key`).
pub type EncryptionKey = Secret;

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
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

/// URL query keys whose values are tokens (compared ignoring case).
const TOKEN_KEYS: &[&str] = &["authtoken", "auth_token", "jwt", "token"];

/// A line the user typed, with every token in it replaced by `(redacted)`: the values of
/// `?authToken=`, `&auth_token=`, `jwt=` and `token=` query parameters, and the word after
/// `--auth-token` (or `--auth-token=`). For text that is kept, such as the shell's history.
pub fn redact_secrets(line: &str) -> Cow<'_, str> {
    let ends_value = |c: char| c.is_whitespace() || matches!(c, '&' | '#' | '\'' | '"' | '`');
    let end_from = |start: usize, stop: &dyn Fn(char) -> bool| {
        line[start..].find(stop).map_or(line.len(), |e| start + e)
    };
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (i, _) in line.match_indices(['?', '&']) {
        let rest = &line.as_bytes()[i + 1..];
        for k in TOKEN_KEYS {
            if rest.len() > k.len()
                && rest[..k.len()].eq_ignore_ascii_case(k.as_bytes())
                && rest[k.len()] == b'='
            {
                let start = i + 1 + k.len() + 1;
                spans.push((start, end_from(start, &ends_value)));
            }
        }
    }
    const FLAG: &str = "--auth-token";
    for (i, _) in line.match_indices(FLAG) {
        let at = i + FLAG.len();
        let rest = &line[at..];
        let start = if let Some(r) = rest.strip_prefix('=') {
            line.len() - r.len()
        } else if rest.starts_with(char::is_whitespace) {
            line.len() - rest.trim_start().len()
        } else {
            continue;
        };
        match line[start..].chars().next() {
            Some(q @ ('\'' | '"')) => spans.push((start + 1, end_from(start + 1, &|c| c == q))),
            _ => spans.push((start, end_from(start, &|c: char| c.is_whitespace()))),
        }
    }
    spans.retain(|(s, e)| s < e);
    if spans.is_empty() {
        return Cow::Borrowed(line);
    }
    spans.sort();
    let mut out = String::with_capacity(line.len());
    let mut done = 0;
    for (start, end) in spans {
        if start < done {
            done = done.max(end);
            continue;
        }
        out.push_str(&line[done..start]);
        out.push_str("(redacted)");
        done = end;
    }
    out.push_str(&line[done..]);
    Cow::Owned(out)
}

/// On the wire only: a secret serializes as its value (the WebSocket `hello`'s `jwt`), and
/// deserializes wrapped (the test server reads what a client sent).
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl fmt::Display for Secret {
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
    fn secrets_in_typed_lines_are_redacted() {
        let cases = [
            (
                ".connect libsql://db.example.com?authToken=SECRET",
                ".connect libsql://db.example.com?authToken=(redacted)",
            ),
            (
                ".connect https://h/?tls=1&AUTH_TOKEN=SECRET&x=1#f",
                ".connect https://h/?tls=1&AUTH_TOKEN=(redacted)&x=1#f",
            ),
            (
                ".open 'libsql://h?jwt=SECRET' and ?token=SECRET",
                ".open 'libsql://h?jwt=(redacted)' and ?token=(redacted)",
            ),
            (
                ".connect h --auth-token SECRET --other",
                ".connect h --auth-token (redacted) --other",
            ),
            (
                ".connect h --auth-token='SE CRET' x",
                ".connect h --auth-token='(redacted)' x",
            ),
            (
                ".connect h --auth-token=SECRET",
                ".connect h --auth-token=(redacted)",
            ),
            (
                ".connect --auth-token x?token=SECRET y",
                ".connect --auth-token (redacted) y",
            ),
        ];
        for (typed, kept) in cases {
            assert_eq!(redact_secrets(typed), kept);
        }
        for plain in [
            "SELECT token FROM t WHERE token='abc';",
            "SELECT * FROM t WHERE x = '?tok=1'",
            ".connect h --auth-token",
            "?token=",
            "é?token",
        ] {
            assert!(matches!(redact_secrets(plain), Cow::Borrowed(_)), "{plain}");
        }
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
