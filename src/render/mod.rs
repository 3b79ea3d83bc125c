//! Output formats: rows in, bytes out. Renderers know nothing about argv or transports;
//! they receive a statement's columns, then its rows one at a time, then its end.
//!
//! `csv`, `tsv`, `list`, `tabs`, `ascii`, `quote`, `html`, `tcl`, `line`, `json`, `jsonl` and
//! `insert` write every row as it arrives; `table`, `box`, `markdown`, `column` and `qbox` keep
//! one statement's rows in memory to size the columns.
//! None of them flushes the output: buffering (and flushing) is the caller's business.
//!
//! On ordinary data `csv` matches `sqlite3 -csv` (with `--header`: `sqlite3 -csv -header`),
//! `list` matches `sqlite3 -list`, `json` matches `sqlite3 -json`, `line` matches
//! `.mode line` and `insert` matches `.mode insert`, byte for byte; so do `tabs`, `ascii`,
//! `quote`, `html`, `tcl` and `column` (`columnar.rs`, with `.width` and `--wrap`), and
//! `qbox` follows sqlite3 3.47's definition. Deliberate differences
//! from the `sqlite3` shell:
//!
//! - Floating-point values are printed with the shortest digits that read back as exactly the
//!   same number (`0.1`, `1.0e+300`); sqlite3 prints 15 significant digits in csv/list/line
//!   and 20 in json/insert (`0.100000000000000005551`).
//! - Negative zero prints as `-0.0` (sqlite3 prints `0.0`).
//! - Blobs print as lowercase hex in csv, tsv, list, line, table and json (a JSON string);
//!   sqlite3 writes the raw bytes. `insert` writes `X'00ff'` literals, as sqlite3 does.
//! - A statement that returns columns but no rows still prints its header in csv, tsv,
//!   table, box and markdown, and prints `[]` in json; sqlite3 prints nothing at all (as
//!   `list`, `tabs`, `ascii`, `quote`, `html`, `tcl`, `column` and `qbox` do here).
//! - `tsv` quotes fields RFC 4180 style (only when they contain a tab, `"` or a line break);
//!   sqlite3's `.mode tabs` never quotes.
//! - `table`, `box` and `markdown` right-align numbers (sqlite3 left-aligns everything) and
//!   only approximate sqlite3's layout.
//! - `line` pads column names by characters, sqlite3 by bytes (same on ASCII names).
//!
//! `csv` ends lines with `\n`, like `sqlite3 -csv` (sqlite3's `.mode csv` switches to `\r\n`).

use std::io::Write;

mod columnar;
mod delimited;
mod format;
mod insert;
mod json;
mod line;
mod quoted;
mod table;

pub use format::{default_header, Format, Render, RenderOptions};
pub use insert::quote_identifier;

/// Build the renderer for `format`, writing to `out`.
pub fn renderer<'a>(
    format: Format,
    opts: &RenderOptions,
    out: Box<dyn Write + 'a>,
) -> Box<dyn Render + 'a> {
    let header = opts.header_or(default_header(format));
    match format {
        Format::Table => Box::new(table::TableRenderer::new(
            table::Style::Ascii,
            header,
            opts,
            out,
        )),
        Format::Box => Box::new(table::TableRenderer::new(
            table::Style::Box,
            header,
            opts,
            out,
        )),
        Format::Markdown => Box::new(table::TableRenderer::new(
            table::Style::Markdown,
            header,
            opts,
            out,
        )),
        Format::Csv => Box::new(delimited::Csv::new(header, opts, out)),
        Format::Tsv => Box::new(delimited::Tsv::new(header, opts, out)),
        Format::List => Box::new(delimited::List::new(header, opts, ("|", "\n"), out)),
        Format::Tabs => Box::new(delimited::List::new(header, opts, ("\t", "\n"), out)),
        Format::Ascii => Box::new(delimited::List::new(header, opts, ("\x1f", "\x1e"), out)),
        Format::Quote => Box::new(quoted::Quoted::new(quoted::Kind::Quote, header, opts, out)),
        Format::Html => Box::new(quoted::Quoted::new(quoted::Kind::Html, header, opts, out)),
        Format::Tcl => Box::new(quoted::Quoted::new(quoted::Kind::Tcl, header, opts, out)),
        Format::Column => Box::new(columnar::Columnar::new(
            columnar::Style::Column,
            header,
            opts,
            out,
        )),
        Format::Qbox => Box::new(columnar::Columnar::new(
            columnar::Style::Box,
            header,
            opts,
            out,
        )),
        Format::Json => Box::new(json::Json::new(json::Layout::Array, out)),
        Format::Jsonl => Box::new(json::Json::new(json::Layout::Lines, out)),
        Format::Line => Box::new(line::Line::new(opts, out)),
        Format::Insert => Box::new(insert::Insert::new(header, opts, out)),
    }
}

/// Shared test helpers: run statements through a renderer and collect the bytes.
#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use crate::value::{Column, Value};
    use std::cell::RefCell;
    use std::io;
    use std::rc::Rc;

    /// A writer whose bytes stay readable after the renderer that owns it is gone.
    #[derive(Clone, Default)]
    pub struct Shared(pub Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Columns named `names`, without declared types.
    pub fn cols(names: &[&str]) -> Vec<Column> {
        names
            .iter()
            .map(|n| Column {
                name: n.to_string(),
                decltype: None,
            })
            .collect()
    }

    /// Render `stmts` (columns, rows) with `format` and `opts`; the output as a String.
    pub fn render(
        format: Format,
        opts: &RenderOptions,
        stmts: &[(&[&str], Vec<Vec<Value>>)],
    ) -> String {
        let sink = Shared::default();
        {
            let mut r = renderer(format, opts, Box::new(sink.clone()));
            for (names, rows) in stmts {
                r.begin(&cols(names)).unwrap();
                for row in rows {
                    r.row(row).unwrap();
                }
                r.end().unwrap();
            }
        }
        let bytes = sink.0.borrow().clone();
        String::from_utf8(bytes).unwrap()
    }

    /// A writer that always fails, like a closed pipe.
    pub struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "broken pipe"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "broken pipe"))
        }
    }

    /// The awkward values every format is tested with, in one row.
    pub fn tricky_row() -> (Vec<&'static str>, Vec<Value>) {
        (
            vec!["n", "min", "max", "tenth", "big", "negz", "text", "blob"],
            vec![
                Value::Null,
                Value::Integer(i64::MIN),
                Value::Integer(i64::MAX),
                Value::Real(0.1),
                Value::Real(1e300),
                Value::Real(-0.0),
                Value::Text("a \"q\", b\nc é".into()),
                Value::Blob(vec![0, 255]),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::value::Value;
    use std::io;

    const ALL: [Format; 17] = [
        Format::Table,
        Format::Box,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Jsonl,
        Format::Markdown,
        Format::Line,
        Format::List,
        Format::Insert,
        Format::Quote,
        Format::Html,
        Format::Tcl,
        Format::Ascii,
        Format::Tabs,
        Format::Column,
        Format::Qbox,
    ];

    #[test]
    fn write_errors_are_returned_not_panics() {
        for format in ALL {
            let mut r = renderer(format, &RenderOptions::default(), Box::new(Broken));
            let res = r
                .begin(&cols(&["a"]))
                .and_then(|_| r.row(&[Value::Integer(1)]))
                .and_then(|_| r.end());
            let err = res.expect_err(&format!("{format:?} must report the write error"));
            assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{format:?}");
        }
    }

    #[test]
    fn header_defaults() {
        assert!(default_header(Format::Csv));
        assert!(default_header(Format::Tsv));
        assert!(default_header(Format::Table));
        assert!(!default_header(Format::List));
        assert!(!default_header(Format::Insert));
        let opts = RenderOptions {
            header: Some(false),
            ..Default::default()
        };
        assert_eq!(
            render(
                Format::Csv,
                &opts,
                &[(&["a"], vec![vec![Value::Integer(1)]])]
            ),
            "1\n"
        );
        let opts = RenderOptions {
            header: Some(true),
            ..Default::default()
        };
        assert_eq!(
            render(
                Format::List,
                &opts,
                &[(&["a"], vec![vec![Value::Integer(1)]])]
            ),
            "a\n1\n"
        );
    }
}
