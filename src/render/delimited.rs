//! Delimiter-separated formats, written row by row: `csv` (quoted the way `sqlite3 -csv`
//! quotes), `tsv` (the `csv` crate with a tab delimiter) and `list` (sqlite3's unquoted
//! `|`-separated mode, also `tabs` and `ascii` with their own separators).

use std::io::{self, Write};

use super::format::{Render, RenderOptions};
use crate::value::{Column, Value};

/// `--format csv`: byte-for-byte what `sqlite3 -csv` prints for text and numbers.
///
/// sqlite3 quotes a field when it is empty or contains a control character, a space, `"`,
/// `'`, DEL, any non-ASCII byte or the column separator (`,` unless `.separator` /
/// `--separator` says otherwise), which is more than RFC 4180 requires (so the `csv` crate's
/// quoting rules cannot reproduce it); the result is still valid RFC 4180 CSV.
/// Lines end in `\n`, as with `sqlite3 -csv`.
pub struct Csv<'a> {
    out: Box<dyn Write + 'a>,
    header: bool,
    separator: String,
    null_text: String,
    newline: String,
}

impl<'a> Csv<'a> {
    pub fn new(header: bool, opts: &RenderOptions, out: Box<dyn Write + 'a>) -> Self {
        Csv {
            out,
            header,
            separator: opts.separator.clone().unwrap_or_else(|| ",".to_string()),
            null_text: opts.null_text.clone(),
            newline: opts.newline.clone().unwrap_or_else(|| "\n".to_string()),
        }
    }

    fn write_record<'s>(&mut self, fields: impl Iterator<Item = Field<'s>>) -> io::Result<()> {
        for (i, field) in fields.enumerate() {
            if i > 0 {
                self.out.write_all(self.separator.as_bytes())?;
            }
            match field {
                Field::Null => {
                    // sqlite3 writes the NULL text unquoted; quote it only if it would
                    // otherwise break the record.
                    let null = self.null_text.as_str();
                    if null.contains(['"', '\n', '\r']) || null.contains(&self.separator) {
                        write_quoted(&mut self.out, null)?;
                    } else {
                        self.out.write_all(null.as_bytes())?;
                    }
                }
                Field::Text(s) if needs_sqlite_quote(&s, &self.separator) => {
                    write_quoted(&mut self.out, &s)?
                }
                Field::Text(s) => self.out.write_all(s.as_bytes())?,
            }
        }
        self.out.write_all(self.newline.as_bytes())
    }
}

/// One CSV field: NULL is kept apart because sqlite3 never quotes the NULL text.
enum Field<'s> {
    Null,
    Text(std::borrow::Cow<'s, str>),
}

impl<'s> Field<'s> {
    fn of(v: &'s Value) -> Self {
        match v {
            Value::Null => Field::Null,
            Value::Text(s) => Field::Text(s.as_str().into()),
            v => Field::Text(v.to_text("").into()),
        }
    }
}

/// sqlite3's rule for `.mode csv`: quote empty fields and any with bytes <= 0x20, `"`, `'`,
/// 0x7f or >= 0x80, or the column separator (`,` is only quoted as the separator).
fn needs_sqlite_quote(s: &str, separator: &str) -> bool {
    s.is_empty()
        || s.bytes()
            .any(|b| b <= b' ' || b == b'"' || b == b'\'' || b >= 0x7f)
        || s.contains(separator)
}

/// `"` + the text with `"` doubled + `"`.
fn write_quoted(out: &mut dyn Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    for (i, part) in s.split('"').enumerate() {
        if i > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(part.as_bytes())?;
    }
    out.write_all(b"\"")
}

impl Render for Csv<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        if self.header {
            self.write_record(cols.iter().map(|c| Field::Text(c.name.as_str().into())))?;
        }
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        self.write_record(row.iter().map(Field::of))
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Passes writes through but ignores `flush`, so the `csv` crate can hand over each record
/// without forcing the caller's buffered writer to flush.
struct NoFlush<W>(W);

impl<W: Write> Write for NoFlush<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `--format tsv`: tab-separated, quoted only where needed (a tab, `"` or line break in
/// the field), lines ending in `\n`.
pub struct Tsv<'a> {
    wtr: csv::Writer<NoFlush<Box<dyn Write + 'a>>>,
    header: bool,
    null_text: String,
}

impl<'a> Tsv<'a> {
    pub fn new(header: bool, opts: &RenderOptions, out: Box<dyn Write + 'a>) -> Self {
        let wtr = csv::WriterBuilder::new()
            .delimiter(b'\t')
            .quote_style(csv::QuoteStyle::Necessary)
            .terminator(csv::Terminator::Any(b'\n'))
            // Statements with different column counts share one writer.
            .flexible(true)
            .from_writer(NoFlush(out));
        Tsv {
            wtr,
            header,
            null_text: opts.null_text.clone(),
        }
    }
}

/// Write one record and hand it straight to the output (the csv writer's own buffer
/// never holds more than the current record).
fn write_tsv_record<W, I, T>(wtr: &mut csv::Writer<W>, fields: I) -> io::Result<()>
where
    W: Write,
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    wtr.write_record(fields)?;
    wtr.flush()
}

impl Render for Tsv<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        if self.header {
            write_tsv_record(&mut self.wtr, cols.iter().map(|c| c.name.as_str()))?;
        }
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        let null = self.null_text.as_str();
        write_tsv_record(&mut self.wtr, row.iter().map(|v| v.to_text(null)))
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `--format list`: fields joined by the separator (default `|`), never quoted, as
/// `sqlite3 -list`; `tabs` (a tab) and `ascii` (US between fields, RS after rows) are the
/// same with other separators, as in sqlite3.
pub struct List<'a> {
    out: Box<dyn Write + 'a>,
    header: bool,
    separator: String,
    newline: String,
    null_text: String,
    /// The statement's column names, written before its first row (as sqlite3 does: a
    /// statement without rows prints nothing).
    names: Option<Vec<String>>,
}

impl<'a> List<'a> {
    /// `sep` and `newline` are the format's own, used unless the options name others.
    pub fn new(
        header: bool,
        opts: &RenderOptions,
        (sep, newline): (&str, &str),
        out: Box<dyn Write + 'a>,
    ) -> Self {
        List {
            out,
            header,
            separator: opts.separator.clone().unwrap_or_else(|| sep.to_string()),
            newline: opts.newline.clone().unwrap_or_else(|| newline.to_string()),
            null_text: opts.null_text.clone(),
            names: None,
        }
    }
}

/// The fields joined by `sep`, then `newline`; nothing is quoted.
fn write_joined<S: AsRef<str>>(
    out: &mut dyn Write,
    (sep, newline): (&str, &str),
    fields: impl Iterator<Item = S>,
) -> io::Result<()> {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.write_all(sep.as_bytes())?;
        }
        out.write_all(field.as_ref().as_bytes())?;
    }
    out.write_all(newline.as_bytes())
}

impl Render for List<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        self.names = self
            .header
            .then(|| cols.iter().map(|c| c.name.clone()).collect());
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        if let Some(names) = self.names.take() {
            write_joined(
                &mut self.out,
                (&self.separator, &self.newline),
                names.iter(),
            )?;
        }
        let null = self.null_text.as_str();
        write_joined(
            &mut self.out,
            (&self.separator, &self.newline),
            row.iter().map(|v| v.to_text(null)),
        )
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

    fn opts() -> RenderOptions {
        RenderOptions::default()
    }

    #[test]
    fn csv_tricky_values() {
        let (names, row) = tricky_row();
        let got = render(Format::Csv, &opts(), &[(&names, vec![row])]);
        assert_eq!(
            got,
            "n,min,max,tenth,big,negz,text,blob\n\
             ,-9223372036854775808,9223372036854775807,0.1,1.0e+300,-0.0,\
             \"a \"\"q\"\", b\nc é\",00ff\n"
        );
    }

    #[test]
    fn csv_quotes_like_sqlite3() {
        let row = vec![
            Value::Text("plain".into()),
            Value::Text("a b".into()),
            Value::Text(String::new()),
            Value::Text("it's".into()),
            Value::Text("tab\tx".into()),
            Value::Text("é".into()),
            Value::Text("x\u{7f}".into()),
            Value::Text("a,b".into()),
            Value::Null,
        ];
        let o = RenderOptions {
            header: Some(false),
            ..opts()
        };
        let got = render(
            Format::Csv,
            &o,
            &[(&["a", "b", "c", "d", "e", "f", "g", "h", "i"], vec![row])],
        );
        assert_eq!(
            got,
            "plain,\"a b\",\"\",\"it's\",\"tab\tx\",\"é\",\"x\u{7f}\",\"a,b\",\n"
        );
    }

    /// sqlite3 quotes a field holding the separator, whatever it is, and `,` only when it
    /// is the separator; the NULL text is quoted only if it would break the record.
    #[test]
    fn csv_custom_separator() {
        let row = vec![
            Value::Integer(1),
            Value::Text("a;b".into()),
            Value::Text("a,b".into()),
            Value::Null,
        ];
        let o = RenderOptions {
            header: Some(true),
            separator: Some(";".into()),
            null_text: "n,v".into(),
            ..opts()
        };
        let got = render(
            Format::Csv,
            &o,
            &[(&["x;y", "b", "c", "d"], vec![row.clone()])],
        );
        assert_eq!(got, "\"x;y\";b;c;d\n1;\"a;b\";a,b;n,v\n");
        let o = RenderOptions {
            header: Some(false),
            separator: Some(", ".into()),
            ..opts()
        };
        let row = vec![Value::Text("a,b".into()), Value::Text("a, b".into())];
        let got = render(Format::Csv, &o, &[(&["a", "b"], vec![row])]);
        assert_eq!(got, "a,b, \"a, b\"\n");
    }

    #[test]
    fn csv_header_names_are_quoted_too() {
        let got = render(
            Format::Csv,
            &opts(),
            &[(
                &["x y", "z"],
                vec![vec![Value::Integer(1), Value::Integer(2)]],
            )],
        );
        assert_eq!(got, "\"x y\",z\n1,2\n");
    }

    #[test]
    fn csv_null_text() {
        let o = RenderOptions {
            null_text: "NULL".into(),
            header: Some(false),
            ..opts()
        };
        let got = render(
            Format::Csv,
            &o,
            &[(&["a", "b"], vec![vec![Value::Null, Value::Integer(1)]])],
        );
        assert_eq!(got, "NULL,1\n");
        let o = RenderOptions {
            null_text: "a,b".into(),
            header: Some(false),
            ..opts()
        };
        let got = render(Format::Csv, &o, &[(&["a"], vec![vec![Value::Null]])]);
        assert_eq!(got, "\"a,b\"\n");
    }

    #[test]
    fn csv_header_off_two_statements_and_zero_rows() {
        let o = RenderOptions {
            header: Some(false),
            ..opts()
        };
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (
                &["a"],
                vec![vec![Value::Integer(1)], vec![Value::Integer(2)]],
            ),
            (&["b", "c"], vec![]),
            (
                &["d", "e"],
                vec![vec![Value::Text("x".into()), Value::Real(2.5)]],
            ),
        ];
        assert_eq!(render(Format::Csv, &o, &stmts), "1\n2\nx,2.5\n");
        assert_eq!(
            render(Format::Csv, &opts(), &stmts),
            "a\n1\n2\nb,c\nd,e\nx,2.5\n"
        );
    }

    #[test]
    fn tsv_tricky_values() {
        let (names, row) = tricky_row();
        let got = render(Format::Tsv, &opts(), &[(&names, vec![row])]);
        assert_eq!(
            got,
            "n\tmin\tmax\ttenth\tbig\tnegz\ttext\tblob\n\
             \t-9223372036854775808\t9223372036854775807\t0.1\t1.0e+300\t-0.0\t\
             \"a \"\"q\"\", b\nc é\"\t00ff\n"
        );
    }

    #[test]
    fn tsv_quotes_only_when_needed() {
        let row = vec![
            Value::Text("a b,c'd".into()),
            Value::Text("t\tx".into()),
            Value::Text(String::new()),
        ];
        let o = RenderOptions {
            header: Some(false),
            ..opts()
        };
        assert_eq!(
            render(Format::Tsv, &o, &[(&["a", "b", "c"], vec![row])]),
            "a b,c'd\t\"t\tx\"\t\n"
        );
    }

    #[test]
    fn tsv_two_statements_zero_rows_header_off() {
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (&["a"], vec![vec![Value::Integer(1)]]),
            (&["b", "c"], vec![]),
            (&["d", "e"], vec![vec![Value::Null, Value::Integer(2)]]),
        ];
        assert_eq!(
            render(Format::Tsv, &opts(), &stmts),
            "a\n1\nb\tc\nd\te\n\t2\n"
        );
        let o = RenderOptions {
            header: Some(false),
            null_text: "-".into(),
            ..opts()
        };
        assert_eq!(render(Format::Tsv, &o, &stmts), "1\n-\t2\n");
    }

    #[test]
    fn list_tricky_values() {
        let (names, row) = tricky_row();
        let got = render(Format::List, &opts(), &[(&names, vec![row])]);
        assert_eq!(
            got,
            "|-9223372036854775808|9223372036854775807|0.1|1.0e+300|-0.0|a \"q\", b\nc é|00ff\n"
        );
    }

    #[test]
    fn list_header_separator_null_two_statements() {
        let o = RenderOptions {
            header: Some(true),
            separator: Some(", ".into()),
            null_text: "(null)".into(),
            ..opts()
        };
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (&["a", "b"], vec![vec![Value::Integer(1), Value::Null]]),
            (&["c"], vec![]),
            (
                &["d"],
                vec![vec![Value::Text("x".into())], vec![Value::Text("y".into())]],
            ),
        ];
        assert_eq!(
            render(Format::List, &o, &stmts),
            "a, b\n1, (null)\nd\nx\ny\n"
        );
        assert_eq!(render(Format::List, &opts(), &stmts), "1|\nx\ny\n");
    }
}
