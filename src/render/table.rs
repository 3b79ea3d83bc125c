//! Bordered formats drawn with `comfy-table`: `table` (ASCII, like sqlite3's `.mode table`),
//! `box` (Unicode box drawing, like `.mode box`) and `markdown` (like `.mode markdown`).
//!
//! Unlike the other formats these cannot stream: the column widths depend on every row, so
//! one statement's rows are kept in memory until its `end()`, then the table is written.
//! Headers are centred as in sqlite3 (an odd leftover space goes left, where sqlite3 puts
//! it right); numbers are right-aligned, everything else left-aligned.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

use super::format::{Render, RenderOptions};
use crate::value::{Column, Value};

/// Which border set to draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Ascii,
    Box,
    Markdown,
}

impl Style {
    /// The comfy-table preset: 19 characters for left/right/top/bottom borders, header
    /// separator (left, line, middle, right), vertical lines, row separators (unused:
    /// blank) and the top/bottom intersections and corners.
    fn preset(self) -> &'static str {
        match self {
            // +---+---+ / | a | b | / +---+---+
            Style::Ascii => "||--+-++|    ++++++",
            // ┌───┬───┐ / │ a │ b │ / ├───┼───┤ / └───┴───┘
            Style::Box => "││──├─┼┤│    ┬┴┌┐└┘",
            // | a | b | / |---|---|
            Style::Markdown => comfy_table::presets::ASCII_MARKDOWN,
        }
    }
}

pub struct TableRenderer<'a> {
    out: Box<dyn Write + 'a>,
    style: Style,
    header: bool,
    null_text: String,
    max_width: Option<u16>,
    /// `--quote`: values as SQL literals.
    quote: bool,
    /// `--wrap N`: no column wider than N characters (0: no limit).
    wrap: usize,
    /// The statement being collected (`None` outside begin/end).
    table: Option<Table>,
    /// Rows in `table`.
    rows: usize,
}

impl<'a> TableRenderer<'a> {
    pub fn new(style: Style, header: bool, opts: &RenderOptions, out: Box<dyn Write + 'a>) -> Self {
        TableRenderer {
            out,
            style,
            header,
            null_text: opts.null_text.clone(),
            max_width: opts.max_width,
            quote: opts.quote,
            wrap: opts.wrap,
            table: None,
            rows: 0,
        }
    }

    fn cell(&self, v: &Value) -> Cell {
        let cell = if self.quote {
            Cell::new(super::columnar::quoted(v))
        } else {
            Cell::new(v.to_text(&self.null_text))
        };
        match v {
            Value::Integer(_) | Value::Real(_) => cell.set_alignment(CellAlignment::Right),
            _ => cell,
        }
    }
}

impl Render for TableRenderer<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        let mut table = Table::new();
        table.force_no_tty().load_preset(self.style.preset());
        match self.max_width {
            Some(w) => {
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(w);
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        if self.header {
            table.set_header(
                cols.iter()
                    .map(|c| Cell::new(&c.name).set_alignment(CellAlignment::Center)),
            );
        }
        self.table = Some(table);
        self.rows = 0;
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        let cells: Vec<Cell> = row.iter().map(|v| self.cell(v)).collect();
        if let Some(table) = self.table.as_mut() {
            table.add_row(cells);
            self.rows += 1;
        }
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        let Some(mut table) = self.table.take() else {
            return Ok(());
        };
        // Nothing to draw: no header and no rows, or no columns at all.
        if (self.rows == 0 && !self.header) || table.column_count() == 0 {
            return Ok(());
        }
        if self.wrap > 0 {
            let w = u16::try_from(self.wrap).unwrap_or(u16::MAX);
            for c in table.column_iter_mut() {
                c.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(w)));
            }
        }
        let mut lines: Vec<String> = table.lines().collect();
        if self.rows == 0 && self.style != Style::Markdown && lines.len() >= 4 {
            // Header only: drop the header/body separator, which would sit right on top of
            // the bottom border. (Markdown keeps it: a table needs its `|---|` line.)
            lines.remove(lines.len() - 2);
        }
        for line in lines {
            self.out.write_all(line.as_bytes())?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Format, RenderOptions};
    use crate::value::Value;

    fn sample() -> Vec<Vec<Value>> {
        vec![
            vec![
                Value::Integer(1),
                Value::Text("hello".into()),
                Value::Null,
                Value::Real(12.5),
            ],
            vec![
                Value::Integer(1000),
                Value::Text("x".into()),
                Value::Text("y".into()),
                Value::Real(1.0),
            ],
        ]
    }

    const NAMES: &[&str] = &["a", "bbbbbbb", "c", "d"];

    #[test]
    fn table_like_sqlite3() {
        let got = render(
            Format::Table,
            &RenderOptions::default(),
            &[(NAMES, sample())],
        );
        assert_eq!(
            got,
            "+------+---------+---+------+\n\
             |   a  | bbbbbbb | c |   d  |\n\
             +------+---------+---+------+\n\
             |    1 | hello   |   | 12.5 |\n\
             | 1000 | x       | y |  1.0 |\n\
             +------+---------+---+------+\n"
        );
    }

    #[test]
    fn box_like_sqlite3() {
        let got = render(Format::Box, &RenderOptions::default(), &[(NAMES, sample())]);
        assert_eq!(
            got,
            "┌──────┬─────────┬───┬──────┐\n\
             │   a  │ bbbbbbb │ c │   d  │\n\
             ├──────┼─────────┼───┼──────┤\n\
             │    1 │ hello   │   │ 12.5 │\n\
             │ 1000 │ x       │ y │  1.0 │\n\
             └──────┴─────────┴───┴──────┘\n"
        );
    }

    #[test]
    fn markdown_like_sqlite3() {
        let got = render(
            Format::Markdown,
            &RenderOptions::default(),
            &[(NAMES, sample())],
        );
        assert_eq!(
            got,
            "|   a  | bbbbbbb | c |   d  |\n\
             |------|---------|---|------|\n\
             |    1 | hello   |   | 12.5 |\n\
             | 1000 | x       | y |  1.0 |\n"
        );
    }

    #[test]
    fn table_tricky_values() {
        let (names, row) = tricky_row();
        let opts = RenderOptions {
            null_text: "NULL".into(),
            ..Default::default()
        };
        let got = render(
            Format::Table,
            &opts,
            &[(&names[..4], vec![row[..4].to_vec()])],
        );
        assert_eq!(
            got,
            "+------+----------------------+---------------------+-------+\n\
             |   n  |          min         |         max         | tenth |\n\
             +------+----------------------+---------------------+-------+\n\
             | NULL | -9223372036854775808 | 9223372036854775807 |   0.1 |\n\
             +------+----------------------+---------------------+-------+\n"
        );
        let got = render(
            Format::Box,
            &RenderOptions::default(),
            &[(&names[4..], vec![row[4..].to_vec()])],
        );
        assert_eq!(
            got,
            "┌──────────┬──────┬──────────┬──────┐\n\
             │    big   │ negz │   text   │ blob │\n\
             ├──────────┼──────┼──────────┼──────┤\n\
             │ 1.0e+300 │ -0.0 │ a \"q\", b │ 00ff │\n\
             │          │      │ c é      │      │\n\
             └──────────┴──────┴──────────┴──────┘\n"
        );
    }

    #[test]
    fn header_off_zero_rows_and_two_statements() {
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (&["a"], vec![vec![Value::Integer(1)]]),
            (&["empty"], vec![]),
            (&["b"], vec![vec![Value::Text("x".into())]]),
        ];
        let got = render(Format::Table, &RenderOptions::default(), &stmts);
        assert_eq!(
            got,
            "+---+\n| a |\n+---+\n| 1 |\n+---+\n\
             +-------+\n| empty |\n+-------+\n\
             +---+\n| b |\n+---+\n| x |\n+---+\n"
        );
        let opts = RenderOptions {
            header: Some(false),
            ..Default::default()
        };
        let got = render(Format::Markdown, &opts, &stmts);
        assert_eq!(got, "| 1 |\n| x |\n");
    }

    #[test]
    fn max_width_wraps_content() {
        let long = "word ".repeat(20);
        let opts = RenderOptions {
            max_width: Some(30),
            ..Default::default()
        };
        let got = render(
            Format::Table,
            &opts,
            &[(
                &["id", "t"],
                vec![vec![Value::Integer(7), Value::Text(long.clone())]],
            )],
        );
        assert!(got.lines().count() > 5, "{got}");
        for line in got.lines() {
            assert!(line.chars().count() <= 30, "{line:?} is wider than 30");
        }
        let got = render(
            Format::Table,
            &RenderOptions::default(),
            &[(&["t"], vec![vec![Value::Text(long.clone())]])],
        );
        assert_eq!(
            got.lines().count(),
            5,
            "no wrapping without max_width: {got}"
        );
    }
}
