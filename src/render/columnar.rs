//! sqlite3's own column layout, byte for byte: `column` (columns two spaces apart, a line of
//! dashes under the names) and `qbox` (Unicode box, values quoted as SQL literals, wrapped at
//! 60 characters, as sqlite3 3.47 defines it). `.width`, `--wrap`, `--wordwrap` and `--quote`
//! work as in sqlite3: text wider than a column's width (or the wrap width) continues on the
//! next line, a line break or control character in a value starts a new line, and a tab moves
//! to the next multiple of 8.
//!
//! One statement's rows are kept until its end, as sqlite3 does, to size the columns.
//! Widths are counted in characters (not display cells), as sqlite3 3.40 counts them.

use std::io::{self, Write};

use super::format::{Render, RenderOptions};
use crate::value::{format_real, hex, Column, Value};

/// Which layout to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Column,
    Box,
}

pub struct Columnar<'a> {
    out: Box<dyn Write + 'a>,
    style: Style,
    header: bool,
    null_text: String,
    widths: Vec<i32>,
    wrap: usize,
    wordwrap: bool,
    quote: bool,
    names: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

impl<'a> Columnar<'a> {
    pub fn new(style: Style, header: bool, opts: &RenderOptions, out: Box<dyn Write + 'a>) -> Self {
        let (wrap, quote) = match style {
            // qbox is "box --wrap 60 --quote": it always quotes, and wraps at 60 unless
            // `--wrap` says otherwise.
            Style::Box if opts.wrap == 0 => (60, true),
            Style::Box => (opts.wrap, true),
            Style::Column => (opts.wrap, opts.quote),
        };
        Columnar {
            out,
            style,
            header,
            null_text: opts.null_text.clone(),
            widths: opts.widths.clone(),
            wrap,
            wordwrap: opts.wordwrap,
            quote,
            names: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// A value's text before wrapping: quoted (`--quote`) or plain; `None` is NULL shown as the
    /// null text.
    fn text(&self, v: &Value) -> Option<String> {
        if self.quote {
            return Some(quoted(v));
        }
        match v {
            Value::Null => None,
            v => Some(v.to_text("")),
        }
    }

    /// The width a column wraps at: its `.width`, else `--wrap` (0: never).
    fn wrap_at(&self, col: usize) -> usize {
        match self.widths.get(col).copied().unwrap_or(0) {
            0 => self.wrap,
            w => w.unsigned_abs() as usize,
        }
    }
}

/// A value as sqlite3's `--quote` shows it: NULL, numbers as they are, text in single quotes
/// (inner quotes doubled), blobs as `x'hex'`.
pub fn quoted(v: &Value) -> String {
    match v {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => format_real(*f),
        Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Blob(b) => format!("x'{}'", hex(b)),
        Value::RawText(_) => v.to_sql_literal(),
    }
}

/// Cut `z` for display: the part that fits in `max` characters (0: no limit), with tabs
/// expanded to the next multiple of 8, up to the first line break or control character; and
/// the rest (`None` when nothing is left). With `wordwrap`, a line that is full backs up to a
/// space or a word boundary in its second half. sqlite3's `translateForDisplayAndDup`.
pub fn cut_line(z: &str, max: usize, wordwrap: bool) -> (String, Option<&str>) {
    let b = z.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let max = if max == 0 { 1_000_000 } else { max };
    let (mut i, mut n) = (0usize, 0usize);
    while n < max {
        let c = at(i);
        if c >= b' ' {
            n += 1;
            i += 1;
            while at(i) & 0xc0 == 0x80 {
                i += 1;
            }
            continue;
        }
        if c == b'\t' {
            loop {
                n += 1;
                if n.is_multiple_of(8) || n >= max {
                    break;
                }
            }
            i += 1;
            continue;
        }
        break;
    }
    let k;
    if n >= max && wordwrap {
        let mut kk = i;
        while kk > i / 2 && !at(kk - 1).is_ascii_whitespace() {
            kk -= 1;
        }
        if kk <= i / 2 {
            kk = i;
            while kk > i / 2 {
                let before = at(kk - 1).is_ascii_alphanumeric();
                let here = at(kk).is_ascii_alphanumeric();
                if before != here && at(kk) & 0xc0 != 0x80 {
                    break;
                }
                kk -= 1;
            }
        }
        if kk <= i / 2 {
            k = i;
        } else {
            k = kk;
            i = kk;
            while at(i) == b' ' {
                i += 1;
            }
        }
    } else {
        k = i;
    }
    let tail = if n >= max && at(i) >= b' ' {
        Some(i)
    } else if at(i) == b'\r' && at(i + 1) == b'\n' {
        (at(i + 2) != 0).then_some(i + 2)
    } else if at(i) == 0 || at(i + 1) == 0 {
        None
    } else {
        Some(i + 1)
    };
    let mut line = String::with_capacity(k);
    let mut n = 0usize;
    for ch in z[..k].chars() {
        if ch == '\t' {
            loop {
                n += 1;
                line.push(' ');
                if n.is_multiple_of(8) || n >= max {
                    break;
                }
            }
        } else if ch >= ' ' {
            n += 1;
            line.push(ch);
        } else {
            break;
        }
    }
    (line, tail.map(|t| &z[t..]))
}

/// Characters in `s` (sqlite3's `strlenChar`).
fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `s` padded with spaces to `w` characters: left-aligned, or right-aligned if `right`.
fn pad(out: &mut dyn Write, s: &str, w: usize, right: bool) -> io::Result<()> {
    let fill = w.saturating_sub(chars(s));
    if right {
        write!(out, "{:fill$}{s}", "")
    } else {
        write!(out, "{s}{:fill$}", "")
    }
}

const H: &str = "─";

impl Columnar<'_> {
    fn rule(&mut self, widths: &[usize], left: &str, mid: &str, right: &str) -> io::Result<()> {
        self.out.write_all(left.as_bytes())?;
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                self.out.write_all(mid.as_bytes())?;
            }
            self.out.write_all(H.repeat(w + 2).as_bytes())?;
        }
        self.out.write_all(right.as_bytes())?;
        self.out.write_all(b"\n")
    }

    fn draw(&mut self) -> io::Result<()> {
        let ncol = self.names.len();
        if ncol == 0 || self.rows.is_empty() {
            return Ok(());
        }
        // Lines of cells; `divide[r]`: a logical row ends after line r.
        let mut cells: Vec<String> = Vec::new();
        for (i, name) in self.names.iter().enumerate() {
            cells.push(cut_line(name, self.wrap_at(i), self.wordwrap).0);
        }
        let mut divide: Vec<bool> = Vec::new();
        let rows = std::mem::take(&mut self.rows);
        for row in &rows {
            let mut rest: Vec<Option<&str>> = row
                .iter()
                .map(|v| Some(v.as_deref().unwrap_or(&self.null_text)))
                .collect();
            loop {
                let mut more = false;
                for (i, r) in rest.iter_mut().enumerate() {
                    let (line, tail) = match r {
                        Some(z) => cut_line(z, self.wrap_at(i), self.wordwrap),
                        None => (String::new(), None),
                    };
                    more |= tail.is_some();
                    *r = tail;
                    cells.push(line);
                }
                divide.push(!more);
                if !more {
                    break;
                }
            }
        }
        let multiline = divide.iter().any(|d| !d);
        let mut widths: Vec<usize> = (0..ncol)
            .map(|i| self.widths.get(i).map_or(0, |w| w.unsigned_abs() as usize))
            .collect();
        for (i, c) in cells.iter().enumerate() {
            let j = i % ncol;
            widths[j] = widths[j].max(chars(c));
        }
        let right: Vec<bool> = (0..ncol)
            .map(|i| self.widths.get(i).is_some_and(|w| *w < 0))
            .collect();
        let (col_sep, row_end, row_start) = match self.style {
            Style::Column => ("  ", "\n", ""),
            Style::Box => (" │ ", " │\n", "│ "),
        };
        match self.style {
            Style::Column => {
                if self.header {
                    for i in 0..ncol {
                        pad(&mut self.out, &cells[i], widths[i], right[i])?;
                        self.out
                            .write_all(if i == ncol - 1 { b"\n" } else { b"  " })?;
                    }
                    for (i, w) in widths.iter().enumerate() {
                        self.out.write_all("-".repeat(*w).as_bytes())?;
                        self.out
                            .write_all(if i == ncol - 1 { b"\n" } else { b"  " })?;
                    }
                }
            }
            Style::Box => {
                self.rule(&widths, "┌", "┬", "┐")?;
                if self.header {
                    self.out.write_all("│ ".as_bytes())?;
                    for (i, w) in widths.iter().enumerate() {
                        let n = chars(&cells[i]);
                        let left = w.saturating_sub(n) / 2;
                        let right = (w + 1).saturating_sub(n) / 2;
                        write!(self.out, "{:left$}{}{:right$}", "", cells[i], "")?;
                        self.out.write_all(if i == ncol - 1 {
                            " │\n".as_bytes()
                        } else {
                            " │ ".as_bytes()
                        })?;
                    }
                    self.rule(&widths, "├", "┼", "┤")?;
                }
            }
        }
        let lines = cells.len() / ncol - 1;
        for r in 0..lines {
            self.out.write_all(row_start.as_bytes())?;
            for j in 0..ncol {
                pad(
                    &mut self.out,
                    &cells[(r + 1) * ncol + j],
                    widths[j],
                    right[j],
                )?;
                self.out
                    .write_all(if j == ncol - 1 { row_end } else { col_sep }.as_bytes())?;
            }
            if multiline && divide[r] && r + 1 < lines {
                match self.style {
                    Style::Column => self.out.write_all(b"\n")?,
                    Style::Box => self.rule(&widths, "├", "┼", "┤")?,
                }
            }
        }
        if self.style == Style::Box {
            self.rule(&widths, "└", "┴", "┘")?;
        }
        Ok(())
    }
}

impl Render for Columnar<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        self.names = cols.iter().map(|c| c.name.clone()).collect();
        self.rows.clear();
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        let cells = row.iter().map(|v| self.text(v)).collect();
        self.rows.push(cells);
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        self.draw()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Format, RenderOptions};
    use super::cut_line;
    use crate::value::Value;

    #[test]
    fn cut_line_like_sqlite3() {
        assert_eq!(
            cut_line("hello world foo", 5, false),
            ("hello".into(), Some(" world foo"))
        );
        assert_eq!(cut_line("a\tb", 0, false), ("a       b".into(), None));
        assert_eq!(cut_line("x\u{1}y", 0, false), ("x".into(), Some("y")));
        assert_eq!(cut_line("p\r\nq", 0, false), ("p".into(), Some("q")));
        assert_eq!(cut_line("end\n", 0, false), ("end".into(), None));
        assert_eq!(cut_line("éab", 2, false), ("éa".into(), Some("b")));
        assert_eq!(
            cut_line("hello world foo bar", 6, true),
            ("hello ".into(), Some("world foo bar"))
        );
    }

    #[test]
    fn column_with_header_widths_and_wrapping() {
        let opts = RenderOptions {
            widths: vec![3, -4],
            ..Default::default()
        };
        let got = render(
            Format::Column,
            &opts,
            &[(
                &["a", "b", "c"],
                vec![vec![
                    Value::Text("abcdefg".into()),
                    Value::Integer(12),
                    Value::Text("x".into()),
                ]],
            )],
        );
        assert_eq!(
            got,
            "a       b  c\n---  ----  -\nabc    12  x\ndef         \ng           \n"
        );
    }

    #[test]
    fn qbox_quotes_and_wraps() {
        let got = render(
            Format::Qbox,
            &RenderOptions::default(),
            &[(
                &["n", "s"],
                vec![vec![Value::Null, Value::Text("it's".into())]],
            )],
        );
        assert_eq!(
            got,
            "┌──────┬─────────┐\n│  n   │    s    │\n├──────┼─────────┤\n│ NULL │ 'it''s' │\n└──────┴─────────┘\n"
        );
        assert_eq!(
            render(Format::Qbox, &RenderOptions::default(), &[(&["n"], vec![])]),
            ""
        );
    }
}
