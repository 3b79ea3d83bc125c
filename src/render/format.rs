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
/// on for csv, tsv, table, box and markdown; off for list and insert (as in sqlite3);
/// json, jsonl and line always name their columns and ignore the setting.
pub fn default_header(format: Format) -> bool {
    match format {
        Format::Table | Format::Box | Format::Markdown | Format::Csv | Format::Tsv => true,
        Format::List | Format::Insert | Format::Json | Format::Jsonl | Format::Line => false,
    }
}
