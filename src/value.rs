//! The one value model shared by every transport, renderer, dump and migration:
//! SQLite's five storage classes, result columns and statement summaries.

use std::fmt;

/// One SQLite value. Text that was not valid UTF-8 in the database is converted lossily
/// (U+FFFD) at the transport edge, so nothing above the transports ever panics on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// SQLite's name for the storage class (what `typeof()` returns).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Integer(_) => "integer",
            Value::Real(_) => "real",
            Value::Text(_) => "text",
            Value::Blob(_) => "blob",
        }
    }

    /// The value as plain text, the way the text output formats show it
    /// (NULL becomes `null_text`, blobs become lowercase hex).
    pub fn to_text(&self, null_text: &str) -> String {
        match self {
            Value::Null => null_text.to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => format_real(*f),
            Value::Text(s) => s.clone(),
            Value::Blob(b) => hex(b),
        }
    }

    /// The value as an SQL literal that SQLite reads back as the identical value
    /// (used by `--format insert` and `dump`).
    pub fn to_sql_literal(&self) -> String {
        match self {
            Value::Null => "NULL".to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) if f.is_infinite() => {
                if *f > 0.0 { "1e999" } else { "-1e999" }.to_string()
            }
            Value::Real(f) if f.is_nan() => "NULL".to_string(),
            Value::Real(f) => format_real(*f),
            Value::Text(s) => sql_text_literal(s),
            Value::Blob(b) => format!("X'{}'", hex(b)),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text(""))
    }
}

/// Lowercase hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Format a REAL the way the `sqlite3` shell lays it out (`%!.15g`: a `.0` on integral values,
/// exponent form `1.0e+300` outside 1e-4..1e15, `Inf`/`-Inf`), but with the shortest digits that
/// parse back to exactly the same f64 instead of sqlite3's 15 significant digits.
pub fn format_real(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    // Rust's `{:e}` prints the shortest round-tripping digits: "1.2345e-5", "1e300".
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::with_capacity(digits.len() + 8);
    if neg {
        out.push('-');
    }
    if !(-4..15).contains(&exp) {
        out.push_str(&digits[..1]);
        out.push('.');
        if digits.len() > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// A text value as an SQL string literal, written the way sqlite3's `.dump` and
/// `.mode insert` write it: quotes doubled, and newlines / carriage returns spelled with
/// `replace(..., '\n', char(10))` so the statement stays on one line.
pub fn sql_text_literal(s: &str) -> String {
    let has_nl = s.contains('\n');
    let has_cr = s.contains('\r');
    let mut body = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\'' => body.push_str("''"),
            '\n' => body.push_str("\\n"),
            '\r' => body.push_str("\\r"),
            c => body.push(c),
        }
    }
    if !has_nl && !has_cr {
        return format!("'{body}'");
    }
    // Backslashes already in the text must not be confused with our \n / \r markers; sqlite3
    // avoids the clash the same way, by choosing a marker that does not occur in the text.
    if s.contains("\\n") || s.contains("\\r") {
        return sql_text_literal_with_char_calls(s);
    }
    let mut out = format!("'{body}'");
    if has_nl {
        out = format!("replace({out},'\\n',char(10))");
    }
    if has_cr {
        out = format!("replace({out},'\\r',char(13))");
    }
    out
}

/// Fallback spelling: pieces joined with `||char(10)||`, always unambiguous.
fn sql_text_literal_with_char_calls(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\n' => out.push_str("'||char(10)||'"),
            '\r' => out.push_str("'||char(13)||'"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A result column: its name and declared type (None for expressions).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Column {
    pub name: String,
    pub decltype: Option<String>,
}

/// What a statement did, apart from its rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StmtSummary {
    pub cols: Vec<Column>,
    pub rows_returned: u64,
    pub affected_row_count: u64,
    pub last_insert_rowid: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_round_trip_in_sqlite3_layout() {
        let cases = [
            (0.1, "0.1"),
            (1e300, "1.0e+300"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1.0, "1.0"),
            (2.5, "2.5"),
            (1e15, "1.0e+15"),
            (123456789012345.0, "123456789012345.0"),
            (1e-5, "1.0e-05"),
            (0.0001, "0.0001"),
            (0.30000000000000004, "0.30000000000000004"),
            (-1.5e-7, "-1.5e-07"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5.0e-324"),
            (f64::INFINITY, "Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (100.0, "100.0"),
            (12.25, "12.25"),
        ];
        for (f, want) in cases {
            let got = format_real(f);
            assert_eq!(got, want, "format_real({f:e})");
            if f.is_finite() {
                let back: f64 = got.parse().unwrap();
                assert_eq!(back.to_bits(), f.to_bits(), "{got} must parse back");
            }
        }
    }

    #[test]
    fn sql_literals() {
        assert_eq!(Value::Text("it's".into()).to_sql_literal(), "'it''s'");
        assert_eq!(
            Value::Text("l\nn".into()).to_sql_literal(),
            "replace('l\\nn','\\n',char(10))"
        );
        assert_eq!(
            Value::Text("a\r\nb".into()).to_sql_literal(),
            "replace(replace('a\\r\\nb','\\n',char(10)),'\\r',char(13))"
        );
        assert_eq!(
            Value::Text("x\\ny\nz".into()).to_sql_literal(),
            "'x\\ny'||char(10)||'z'"
        );
        assert_eq!(Value::Blob(vec![0, 255]).to_sql_literal(), "X'00ff'");
        assert_eq!(Value::Real(f64::INFINITY).to_sql_literal(), "1e999");
        assert_eq!(Value::Real(f64::NEG_INFINITY).to_sql_literal(), "-1e999");
        assert_eq!(
            Value::Integer(i64::MIN).to_sql_literal(),
            "-9223372036854775808"
        );
    }
}
