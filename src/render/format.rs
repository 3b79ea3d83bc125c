//! The vocabulary every renderer shares: the formats, the options, and the [`Render`]
//! trait a renderer implements.

use std::io;

use crate::value::{Column, Value};

/// `--format` / `-m` / `.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Box,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Markdown,
    Line,
    List,
    Insert,
    /// sqlite3's `quote`: values as SQL literals, separated by `,`.
    Quote,
    /// sqlite3's `html`: `<TR><TD>` rows.
    Html,
    /// sqlite3's `tcl`: values as C/Tcl strings, separated by a space.
    Tcl,
    /// sqlite3's `ascii`: US (0x1F) between fields, RS (0x1E) after each row.
    Ascii,
    /// sqlite3's `tabs`: `list` with a tab between fields, never quoted.
    Tabs,
    /// sqlite3's `column`: aligned columns under a line of dashes.
    Column,
    /// sqlite3 3.47's `qbox`: `box` with values quoted as SQL literals and `--wrap 60`.
    Qbox,
}

impl Format {
    /// The name `.mode` and `--format` use.
    pub fn name(self) -> String {
        use clap::ValueEnum;
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    /// The modes sqlite3 lays out in aligned columns (`.width`, `--wrap`, `--quote`).
    pub fn is_columnar(self) -> bool {
        matches!(
            self,
            Format::Table | Format::Box | Format::Markdown | Format::Column | Format::Qbox
        )
    }
}

/// All defaults: format-default header, NULL as empty text, `|`, `"table"`, no width limit.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// `--header` / `--no-header`; `None` means the format's default.
    pub header: Option<bool>,
    /// How NULL is shown in text formats (`--null`, default empty as in sqlite3).
    pub null_text: String,
    /// Column separator for `list` (default `|`).
    pub separator: Option<String>,
    /// Table name for `insert` (sqlite3's default is `"table"`).
    pub insert_table: Option<String>,
    /// Width to fit table/box output into (the terminal width on a TTY).
    pub max_width: Option<u16>,
    /// What ends a row in `list`, `tabs`, `ascii`, `quote`, `tcl` and `csv` (`--newline`,
    /// `.separator COL ROW`); `None` means the format's own (`\n`, RS for `ascii`).
    pub newline: Option<String>,
    /// `.width`: per-column minimum widths for `column` and `qbox`; negative right-aligns,
    /// and a non-zero width is also where that column's text wraps.
    pub widths: Vec<i32>,
    /// `.mode ... --wrap N`: wrap text wider than N characters in columnar modes (0: never).
    pub wrap: usize,
    /// `.mode ... --wordwrap on`: wrap at word boundaries where possible.
    pub wordwrap: bool,
    /// `.mode ... --quote`: show values as SQL literals in columnar modes.
    pub quote: bool,
}

impl RenderOptions {
    /// Whether to print a header: `--header`/`--no-header` if given, else the format's default.
    pub(super) fn header_or(&self, default: bool) -> bool {
        self.header.unwrap_or(default)
    }
}

/// A renderer for one output stream; called for every statement that has result columns.
pub trait Render {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()>;
    fn row(&mut self, row: &[Value]) -> io::Result<()>;
    fn end(&mut self) -> io::Result<()>;
}

/// Whether `format` prints a header line when `--header`/`--no-header` is not given:
/// on for csv, tsv, table, box, markdown, column and qbox; off for list, tabs, ascii, quote,
/// html, tcl and insert (as in sqlite3); json, jsonl and line always name their columns and
/// ignore the setting.
pub fn default_header(format: Format) -> bool {
    match format {
        Format::Table
        | Format::Box
        | Format::Markdown
        | Format::Csv
        | Format::Tsv
        | Format::Column
        | Format::Qbox => true,
        Format::List
        | Format::Insert
        | Format::Json
        | Format::Jsonl
        | Format::Line
        | Format::Quote
        | Format::Html
        | Format::Tcl
        | Format::Ascii
        | Format::Tabs => false,
    }
}
