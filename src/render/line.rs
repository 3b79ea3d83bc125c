//! `--format line`: one `name = value` line per column, as sqlite3's `.mode line`, written
//! row by row. Names are right-aligned to the widest column name (at least 5 wide, as in
//! sqlite3) and rows of one statement are separated by a blank line.

use std::io::{self, Write};

use super::format::{Render, RenderOptions};
use crate::value::{Column, Value};

pub struct Line<'a> {
    out: Box<dyn Write + 'a>,
    null_text: String,
    /// Each column's name, padded on the left and followed by ` = `.
    labels: Vec<String>,
    /// Rows written for the current statement.
    rows: u64,
}

impl<'a> Line<'a> {
    pub fn new(opts: &RenderOptions, out: Box<dyn Write + 'a>) -> Self {
        Line {
            out,
            null_text: opts.null_text.clone(),
            labels: Vec::new(),
            rows: 0,
        }
    }
}

impl Render for Line<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        self.rows = 0;
        // sqlite3 pads to at least 5; it counts bytes, we count characters so that
        // non-ASCII names line up too (identical on ASCII names).
        let width = cols
            .iter()
            .map(|c| c.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(5);
        self.labels = cols
            .iter()
            .map(|c| format!("{:>width$} = ", c.name))
            .collect();
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        if self.rows > 0 {
            self.out.write_all(b"\n")?;
        }
        self.rows += 1;
        for (label, v) in self.labels.iter().zip(row) {
            self.out.write_all(label.as_bytes())?;
            match v {
                Value::Text(s) => self.out.write_all(s.as_bytes())?,
                v => self.out.write_all(v.to_text(&self.null_text).as_bytes())?,
            }
            self.out.write_all(b"\n")?;
        }
        Ok(())
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

    #[test]
    fn line_tricky_values() {
        let (names, row) = tricky_row();
        let got = render(
            Format::Line,
            &RenderOptions::default(),
            &[(&names, vec![row])],
        );
        assert_eq!(
            got,
            "    n = \n  min = -9223372036854775808\n  max = 9223372036854775807\n\
             tenth = 0.1\n  big = 1.0e+300\n negz = -0.0\n text = a \"q\", b\nc é\n blob = 00ff\n"
        );
    }

    #[test]
    fn line_blank_line_between_rows_not_between_statements() {
        let opts = RenderOptions {
            null_text: "NULL".into(),
            header: Some(false),
            ..Default::default()
        };
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (
                &["a", "long_name"],
                vec![vec![Value::Integer(1), Value::Null]],
            ),
            (&["z"], vec![]),
            (
                &["é"],
                vec![vec![Value::Integer(2)], vec![Value::Integer(3)]],
            ),
        ];
        let got = render(Format::Line, &opts, &stmts);
        assert_eq!(
            got,
            "        a = 1\nlong_name = NULL\n    é = 2\n\n    é = 3\n"
        );
    }
}
