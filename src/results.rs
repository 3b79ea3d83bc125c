//! Printing a command's results: the output flags ([`OutputArgs`]), the render options they
//! give, and [`ResultOutput`], the session output that renders rows and reports failed
//! statements as they arrive.

use std::io::{self, IsTerminal};

use anyhow::Result;
use clap::Args;

use crate::error;
use crate::render::{Format, Render, RenderOptions};
use crate::session::{Origin, Output};
use crate::transport::SqlError;
use crate::value::{Column, StmtSummary, Value};

/// The ids of every argument that chooses the format: the last one given wins.
const FORMAT_ARGS: &[&str] = &[
    "format", "csv", "json", "line", "list", "box", "markdown", "table", "quote", "html", "tabs",
    "ascii", "column",
];

/// How results are printed.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format [default: table on a terminal, list (sqlite3's) when output is piped].
    #[arg(short = 'm', long = "format", value_enum, value_name = "FORMAT", overrides_with_all = FORMAT_ARGS)]
    pub format: Option<Format>,

    /// Print column names (default: on for table, box, markdown, column, csv, tsv; off for list).
    #[arg(long, overrides_with = "no_header")]
    pub header: bool,

    /// Do not print column names.
    #[arg(long, alias = "noheader", overrides_with = "header")]
    pub no_header: bool,

    /// Text shown for NULL in text formats.
    #[arg(
        long = "null",
        alias = "nullvalue",
        value_name = "TEXT",
        default_value = ""
    )]
    pub null_text: String,

    /// Column separator for the list, csv, tabs, ascii, quote and tcl formats.
    #[arg(long, value_name = "SEP")]
    pub separator: Option<String>,

    /// Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3's -newline).
    #[arg(long, value_name = "SEP")]
    pub newline: Option<String>,

    /// Table name used by the insert format.
    #[arg(long, value_name = "TABLE")]
    pub insert_table: Option<String>,

    #[command(flatten)]
    pub modes: ModeFlags,
}

/// sqlite3's mode options (`-csv`, `--csv`, ...): a format with sqlite3's header default, off
/// unless `-header` (box, table and markdown always name their columns).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "sqlite3's output options (also with one dash: -csv, -header, ...)")]
pub struct ModeFlags {
    /// Same as -m csv, without a header line unless --header.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub csv: bool,
    /// Same as -m json.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub json: bool,
    /// Same as -m line.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub line: bool,
    /// Same as -m list.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub list: bool,
    /// Same as -m box.
    #[arg(long = "box", overrides_with_all = FORMAT_ARGS)]
    pub r#box: bool,
    /// Same as -m markdown.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub markdown: bool,
    /// Same as -m table.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub table: bool,
    /// Same as -m quote.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub quote: bool,
    /// Same as -m html.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub html: bool,
    /// Same as -m tabs.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub tabs: bool,
    /// Same as -m ascii.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub ascii: bool,
    /// Same as -m column, without a header line unless --header.
    #[arg(long, overrides_with_all = FORMAT_ARGS)]
    pub column: bool,
}

impl ModeFlags {
    /// The format a sqlite3 mode option chose, if one was given.
    pub fn format(&self) -> Option<Format> {
        [
            (self.csv, Format::Csv),
            (self.json, Format::Json),
            (self.line, Format::Line),
            (self.list, Format::List),
            (self.r#box, Format::Box),
            (self.markdown, Format::Markdown),
            (self.table, Format::Table),
            (self.quote, Format::Quote),
            (self.html, Format::Html),
            (self.tabs, Format::Tabs),
            (self.ascii, Format::Ascii),
            (self.column, Format::Column),
        ]
        .into_iter()
        .find_map(|(on, f)| on.then_some(f))
    }
}

/// The format when none is asked for: tables for a person at a terminal, sqlite3's `list` for
/// scripts and pipes, so `n=$(libsql-shell db "select count(*) from t")` is just the number.
pub fn default_format() -> Format {
    if io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::List
    }
}

impl OutputArgs {
    /// `-m`, else a sqlite3 mode option, else [`default_format`].
    pub fn format(&self) -> Format {
        self.format
            .or_else(|| self.modes.format())
            .unwrap_or_else(default_format)
    }

    /// `--header`/`--no-header`; else, after a sqlite3 mode option, sqlite3's default (off,
    /// except the bordered formats); else `None`: the format's own default.
    pub fn header(&self) -> Option<bool> {
        if self.header {
            Some(true)
        } else if self.no_header {
            Some(false)
        } else if self.format.is_none() {
            self.modes
                .format()
                .map(|f| matches!(f, Format::Box | Format::Table | Format::Markdown))
        } else {
            None
        }
    }
}

/// Renders results and reports failed statements as they arrive.
pub struct ResultOutput<'a> {
    render: Box<dyn Render + 'a>,
    active: bool,
}

impl<'a> ResultOutput<'a> {
    pub fn new(render: Box<dyn Render + 'a>) -> Self {
        ResultOutput {
            render,
            active: false,
        }
    }

    /// Close the current statement's output, if one is open; says whether one was.
    pub fn close_statement(&mut self) -> Result<bool> {
        let was = self.active;
        if was {
            self.render.end()?;
            self.active = false;
        }
        Ok(was)
    }
}

impl Output for ResultOutput<'_> {
    fn begin(&mut self, cols: &[Column]) -> Result<()> {
        if !cols.is_empty() {
            self.render.begin(cols)?;
            self.active = true;
        }
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> Result<()> {
        if self.active {
            self.render.row(row)?;
        }
        Ok(())
    }

    fn end(&mut self, _summary: &StmtSummary) -> Result<()> {
        self.close_statement()?;
        Ok(())
    }

    fn error(&mut self, origin: &Origin, sql: &str, err: &SqlError) -> Result<()> {
        self.close_statement()?;
        let what = sql_excerpt(sql);
        let in_sql = if what.is_empty() {
            String::new()
        } else {
            format!(" in: {what}")
        };
        error::print_message(&format!("{}: {err}{in_sql}", origin.describe()));
        Ok(())
    }

    fn notice(&mut self, msg: &str) -> Result<()> {
        error::print_note(msg);
        Ok(())
    }
}

/// A statement on one line, cut to a readable length, for error messages.
pub fn sql_excerpt(sql: &str) -> String {
    const MAX: usize = 80;
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}

/// The width tables may take: the terminal's, when standard output is one.
pub fn terminal_width() -> Option<u16> {
    if io::stdout().is_terminal() {
        terminal_size::terminal_size().map(|(w, _)| w.0)
    } else {
        None
    }
}

/// Build render options from the output flags (table width from the terminal on a TTY).
pub fn render_options(o: &OutputArgs) -> RenderOptions {
    let max_width = terminal_width();
    RenderOptions {
        header: o.header(),
        null_text: o.null_text.clone(),
        separator: o.separator.clone(),
        insert_table: o.insert_table.clone(),
        max_width,
        newline: o.newline.clone(),
        ..Default::default()
    }
}
