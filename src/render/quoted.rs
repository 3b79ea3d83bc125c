//! sqlite3's `quote`, `html` and `tcl` modes, written row by row, byte for byte as sqlite3
//! 3.40 writes them. As in sqlite3, the header line (with `--header`) comes with a
//! statement's first row, so a statement without rows prints nothing.

use std::io::{self, Write};

use super::format::{Render, RenderOptions};
use crate::value::{hex, sql_real_literal, Column, Value};

/// Which of the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SQL literals separated by `,` (`.separator` changes it); names as `'text'`.
    Quote,
    /// `<TR><TD>value</TD>\n...</TR>\n`, names in `<TH>`.
    Html,
    /// C/Tcl strings separated by a space.
    Tcl,
}

pub struct Quoted<'a> {
    out: Box<dyn Write + 'a>,
    kind: Kind,
    header: bool,
    separator: String,
    newline: String,
    null_text: String,
    names: Vec<String>,
    rows: u64,
}

impl<'a> Quoted<'a> {
    pub fn new(kind: Kind, header: bool, opts: &RenderOptions, out: Box<dyn Write + 'a>) -> Self {
        let sep = match kind {
            Kind::Quote => ",",
            Kind::Tcl => " ",
            Kind::Html => "",
        };
        Quoted {
            out,
            kind,
            header,
            separator: opts.separator.clone().unwrap_or_else(|| sep.to_string()),
            newline: opts.newline.clone().unwrap_or_else(|| "\n".to_string()),
            null_text: opts.null_text.clone(),
            names: Vec::new(),
            rows: 0,
        }
    }

    /// One line of fields (the names, or a row's values), as the mode writes it.
    fn line(&mut self, fields: &[Field<'_>]) -> io::Result<()> {
        let mut buf = Vec::with_capacity(64);
        if self.kind == Kind::Html {
            buf.extend_from_slice(b"<TR>");
        }
        for (i, f) in fields.iter().enumerate() {
            match self.kind {
                Kind::Html => {
                    let tag = if f.is_name() { "TH" } else { "TD" };
                    write!(buf, "<{tag}>")?;
                    html_escape(&mut buf, &f.text(&self.null_text));
                    writeln!(buf, "</{tag}>")?;
                }
                Kind::Tcl => {
                    if i > 0 {
                        buf.extend_from_slice(self.separator.as_bytes());
                    }
                    c_string(&mut buf, &f.text(&self.null_text));
                }
                Kind::Quote => {
                    if i > 0 {
                        buf.extend_from_slice(self.separator.as_bytes());
                    }
                    match f {
                        Field::Name(s) => sql_quote(&mut buf, s),
                        Field::Value(Value::Text(s)) => sql_quote(&mut buf, s),
                        Field::Value(Value::Null) => buf.extend_from_slice(b"NULL"),
                        Field::Value(Value::Integer(n)) => write!(buf, "{n}")?,
                        Field::Value(Value::Real(r)) => {
                            buf.extend_from_slice(sql_real_literal(*r).as_bytes())
                        }
                        Field::Value(Value::Blob(b)) => write!(buf, "X'{}'", hex(b))?,
                        Field::Value(v @ Value::RawText(_)) => {
                            buf.extend_from_slice(v.to_sql_literal().as_bytes())
                        }
                    }
                }
            }
        }
        match self.kind {
            Kind::Html => buf.extend_from_slice(b"</TR>\n"),
            _ => buf.extend_from_slice(self.newline.as_bytes()),
        }
        self.out.write_all(&buf)
    }
}

enum Field<'v> {
    Name(&'v str),
    Value(&'v Value),
}

impl Field<'_> {
    fn is_name(&self) -> bool {
        matches!(self, Field::Name(_))
    }

    fn text(&self, null_text: &str) -> String {
        match self {
            Field::Name(s) => s.to_string(),
            Field::Value(v) => v.to_text(null_text),
        }
    }
}

/// `'text'` with inner quotes doubled; line breaks stay as they are (sqlite3's
/// `output_quoted_string`).
fn sql_quote(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'\'');
    buf.extend_from_slice(s.replace('\'', "''").as_bytes());
    buf.push(b'\'');
}

/// `<`, `&`, `>`, `"` and `'` as HTML entities.
fn html_escape(buf: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        match c {
            '<' => buf.extend_from_slice(b"&lt;"),
            '&' => buf.extend_from_slice(b"&amp;"),
            '>' => buf.extend_from_slice(b"&gt;"),
            '"' => buf.extend_from_slice(b"&quot;"),
            '\'' => buf.extend_from_slice(b"&#39;"),
            c => {
                let mut tmp = [0u8; 4];
                buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            }
        }
    }
}

/// A C string literal: `\\`, `\"`, `\t`, `\n`, `\r`, and every other byte that is not
/// printable ASCII as a three-digit octal escape (sqlite3's `output_c_string`).
fn c_string(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            0x20..=0x7e => buf.push(b),
            b => buf.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    buf.push(b'"');
}

impl Render for Quoted<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        self.names = cols.iter().map(|c| c.name.clone()).collect();
        self.rows = 0;
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        if self.rows == 0 && self.header {
            let names = std::mem::take(&mut self.names);
            let fields: Vec<Field> = names.iter().map(|n| Field::Name(n)).collect();
            self.line(&fields)?;
            self.names = names;
        }
        self.rows += 1;
        let fields: Vec<Field> = row.iter().map(Field::Value).collect();
        self.line(&fields)
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Format, RenderOptions};
    use crate::value::Value;

    fn with_header() -> RenderOptions {
        RenderOptions {
            header: Some(true),
            null_text: "NUL".into(),
            ..Default::default()
        }
    }

    #[test]
    fn quote_like_sqlite3() {
        let got = render(
            Format::Quote,
            &with_header(),
            &[(
                &["a'b", "n", "e", "r", "bl", "nl"],
                vec![vec![
                    Value::Integer(1),
                    Value::Null,
                    Value::Text("é".into()),
                    Value::Real(1.5),
                    Value::Blob(vec![0, 255]),
                    Value::Text("a\nb".into()),
                ]],
            )],
        );
        assert_eq!(
            got,
            "'a''b','n','e','r','bl','nl'\n1,NULL,'é',1.5,X'00ff','a\nb'\n"
        );
        assert_eq!(
            render(Format::Quote, &with_header(), &[(&["a"], vec![])]),
            ""
        );
    }

    #[test]
    fn html_like_sqlite3() {
        let got = render(
            Format::Html,
            &with_header(),
            &[(
                &["a<b", "n"],
                vec![vec![Value::Text("it's \"q\" & <x>".into()), Value::Null]],
            )],
        );
        assert_eq!(
            got,
            "<TR><TH>a&lt;b</TH>\n<TH>n</TH>\n</TR>\n\
             <TR><TD>it&#39;s &quot;q&quot; &amp; &lt;x&gt;</TD>\n<TD>NUL</TD>\n</TR>\n"
        );
    }

    #[test]
    fn tcl_like_sqlite3() {
        let got = render(
            Format::Tcl,
            &with_header(),
            &[(
                &["a\"b", "n", "e", "c"],
                vec![vec![
                    Value::Integer(1),
                    Value::Null,
                    Value::Text("é\tx\\".into()),
                    Value::Text("\u{1}".into()),
                ]],
            )],
        );
        assert_eq!(
            got,
            "\"a\\\"b\" \"n\" \"e\" \"c\"\n\"1\" \"NUL\" \"\\303\\251\\tx\\\\\" \"\\001\"\n"
        );
    }
}
