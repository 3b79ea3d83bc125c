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

/// How results are printed.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(short = 'm', long = "format", value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
    pub format: Format,

    /// Print column names (default: on for table, box, markdown, csv, tsv; off for list).
    #[arg(long, overrides_with = "no_header")]
    pub header: bool,

    /// Do not print column names.
    #[arg(long, overrides_with = "header")]
    pub no_header: bool,

    /// Text shown for NULL in text formats.
    #[arg(long = "null", value_name = "TEXT", default_value = "")]
    pub null_text: String,

    /// Column separator for the list format.
    #[arg(long, value_name = "SEP")]
    pub separator: Option<String>,

    /// Table name used by the insert format.
    #[arg(long, value_name = "TABLE")]
    pub insert_table: Option<String>,
}

impl OutputArgs {
    pub fn header(&self) -> Option<bool> {
        if self.header {
            Some(true)
        } else if self.no_header {
            Some(false)
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
        eprintln!("libsql-shell: note: {msg}");
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

/// Build render options from the output flags (table width from the terminal on a TTY).
pub fn render_options(o: &OutputArgs) -> RenderOptions {
    let max_width = if io::stdout().is_terminal() {
        terminal_size::terminal_size().map(|(w, _)| w.0)
    } else {
        None
    };
    RenderOptions {
        header: o.header(),
        null_text: o.null_text.clone(),
        separator: o.separator.clone(),
        insert_table: o.insert_table.clone(),
        max_width,
    }
}
