//! JSON output, written row by row: `json` (one array per statement, laid out exactly as
//! `sqlite3 -json` lays it out) and `jsonl` (one object per line).
//!
//! Objects are written by hand, so duplicate column names stay as repeated keys in column
//! order, as in sqlite3; `serde_json` only escapes the strings.

use std::io::{self, Write};

use super::format::Render;
use crate::value::{format_real, hex, Column, Value};

/// How rows are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `[{...},\n{...}]\n` per statement; `[]\n` for a statement without rows.
    Array,
    /// `{...}\n` per row.
    Lines,
}

pub struct Json<'a> {
    out: Box<dyn Write + 'a>,
    layout: Layout,
    /// Each column's key, already escaped and followed by `:`.
    keys: Vec<Vec<u8>>,
    /// Rows written for the current statement.
    rows: u64,
}

impl<'a> Json<'a> {
    pub fn new(layout: Layout, out: Box<dyn Write + 'a>) -> Self {
        Json {
            out,
            layout,
            keys: Vec::new(),
            rows: 0,
        }
    }
}

/// `s` as a JSON string (quoted and escaped).
fn write_json_str(out: &mut dyn Write, s: &str) -> io::Result<()> {
    serde_json::to_writer(out, s).map_err(io::Error::from)
}

/// One value as JSON: integers and finite reals as numbers, infinities as `1e999` /
/// `-1e999` (as sqlite3 writes them), NaN and NULL as `null`, text as a string and blobs as
/// a string of lowercase hex.
fn write_json_value(out: &mut dyn Write, v: &Value) -> io::Result<()> {
    match v {
        Value::Null => out.write_all(b"null"),
        Value::Integer(i) => write!(out, "{i}"),
        Value::Real(f) if f.is_nan() => out.write_all(b"null"),
        Value::Real(f) if f.is_infinite() => {
            out.write_all(if *f > 0.0 { b"1e999" } else { b"-1e999" })
        }
        // `format_real`'s layouts (`0.1`, `-0.0`, `1.0e+300`, `1.0e-05`) are all JSON numbers.
        Value::Real(f) => out.write_all(format_real(*f).as_bytes()),
        Value::Text(s) => write_json_str(out, s),
        Value::RawText(b) => write_json_str(out, &String::from_utf8_lossy(b)),
        Value::Blob(b) => {
            out.write_all(b"\"")?;
            out.write_all(hex(b).as_bytes())?;
            out.write_all(b"\"")
        }
    }
}

impl Render for Json<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        self.rows = 0;
        self.keys.clear();
        for c in cols {
            let mut key = Vec::with_capacity(c.name.len() + 3);
            write_json_str(&mut key, &c.name)?;
            key.push(b':');
            self.keys.push(key);
        }
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        if self.layout == Layout::Array {
            self.out
                .write_all(if self.rows == 0 { b"[" } else { b",\n" })?;
        }
        self.rows += 1;
        self.out.write_all(b"{")?;
        for (i, (key, v)) in self.keys.iter().zip(row).enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            self.out.write_all(key)?;
            write_json_value(&mut self.out, v)?;
        }
        self.out.write_all(b"}")?;
        if self.layout == Layout::Lines {
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if self.layout == Layout::Array {
            self.out
                .write_all(if self.rows == 0 { b"[]\n" } else { b"]\n" })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Format, RenderOptions};
    use crate::value::Value;

    fn rows2() -> Vec<Vec<Value>> {
        vec![
            vec![Value::Integer(1), Value::Text("x".into())],
            vec![Value::Integer(2), Value::Text("y".into())],
        ]
    }

    #[test]
    fn json_layout_matches_sqlite3() {
        let got = render(
            Format::Json,
            &RenderOptions::default(),
            &[(&["a", "b"], rows2())],
        );
        assert_eq!(got, "[{\"a\":1,\"b\":\"x\"},\n{\"a\":2,\"b\":\"y\"}]\n");
    }

    #[test]
    fn json_tricky_values() {
        let (names, row) = tricky_row();
        // --null and --header do not affect JSON.
        let opts = RenderOptions {
            null_text: "NULL".into(),
            header: Some(true),
            ..Default::default()
        };
        let got = render(Format::Json, &opts, &[(&names, vec![row])]);
        assert_eq!(
            got,
            "[{\"n\":null,\"min\":-9223372036854775808,\"max\":9223372036854775807,\
             \"tenth\":0.1,\"big\":1.0e+300,\"negz\":-0.0,\
             \"text\":\"a \\\"q\\\", b\\nc é\",\"blob\":\"00ff\"}]\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(parsed[0]["big"].as_f64(), Some(1e300));
        assert_eq!(parsed[0]["min"].as_i64(), Some(i64::MIN));
        assert_eq!(parsed[0]["text"].as_str(), Some("a \"q\", b\nc é"));
    }

    #[test]
    fn json_special_reals_and_escapes() {
        let row = vec![
            Value::Real(f64::INFINITY),
            Value::Real(f64::NEG_INFINITY),
            Value::Real(f64::NAN),
            Value::Real(1e-5),
            Value::Text("\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}\"\\/".into()),
        ];
        let got = render(
            Format::Jsonl,
            &RenderOptions::default(),
            &[(&["i", "ni", "nan", "s", "t"], vec![row])],
        );
        assert_eq!(
            got,
            "{\"i\":1e999,\"ni\":-1e999,\"nan\":null,\"s\":1.0e-05,\
             \"t\":\"\\u0001\\b\\t\\n\\f\\r\\u001f\u{7f}\\\"\\\\/\"}\n"
        );
    }

    #[test]
    fn json_duplicate_and_escaped_keys() {
        let got = render(
            Format::Json,
            &RenderOptions::default(),
            &[(
                &["a", "a", "k\"é"],
                vec![vec![Value::Integer(2), Value::Integer(3), Value::Null]],
            )],
        );
        assert_eq!(got, "[{\"a\":2,\"a\":3,\"k\\\"é\":null}]\n");
    }

    #[test]
    fn json_two_statements_and_zero_rows() {
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (&["a", "b"], rows2()),
            (&["c"], vec![]),
            (&["d"], vec![vec![Value::Blob(vec![0, 255])]]),
        ];
        let got = render(Format::Json, &RenderOptions::default(), &stmts);
        assert_eq!(
            got,
            "[{\"a\":1,\"b\":\"x\"},\n{\"a\":2,\"b\":\"y\"}]\n[]\n[{\"d\":\"00ff\"}]\n"
        );
    }

    #[test]
    fn jsonl_rows_and_statements() {
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (&["a", "b"], rows2()),
            (&["c"], vec![]),
            (&["d"], vec![vec![Value::Null]]),
        ];
        let got = render(Format::Jsonl, &RenderOptions::default(), &stmts);
        assert_eq!(
            got,
            "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":\"y\"}\n{\"d\":null}\n"
        );
        let (names, row) = tricky_row();
        let got = render(
            Format::Jsonl,
            &RenderOptions::default(),
            &[(&names, vec![row])],
        );
        let line = got.strip_suffix('\n').unwrap();
        assert!(!line.contains('\n'));
        let parsed: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(parsed["max"].as_i64(), Some(i64::MAX));
        assert_eq!(parsed["blob"].as_str(), Some("00ff"));
        assert!(parsed["n"].is_null());
    }
}
