//! Where a session's results go ([`Output`]) and where each statement came from
//! ([`Origin`]), for error messages.

use std::fmt;

use anyhow::Result;

use crate::transport::SqlError;
use crate::value::{Column, StmtSummary, Value};

/// The input a statement was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceName {
    /// The n-th command-line argument (1-based).
    Argument(usize),
    /// A file name, or `<stdin>`.
    File(String),
    /// A statement the program adds itself (`batch`'s BEGIN, the shell's own queries).
    Synthetic(String),
}

impl fmt::Display for SourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceName::Argument(n) => write!(f, "argument {n}"),
            SourceName::File(name) | SourceName::Synthetic(name) => f.write_str(name),
        }
    }
}

/// Where a statement came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// 1-based position in the whole input.
    pub index: usize,
    pub source: SourceName,
    pub line: usize,
    /// Whether `source` has several lines (then the line is worth printing for arguments).
    pub multiline: bool,
}

impl Origin {
    /// A statement the program adds itself (`batch`'s BEGIN, the shell's own queries).
    pub fn synthetic(label: &str) -> Origin {
        Origin {
            index: 0,
            source: SourceName::Synthetic(label.into()),
            line: 0,
            multiline: false,
        }
    }

    pub fn describe(&self) -> String {
        let argument = matches!(self.source, SourceName::Argument(_));
        if argument && !self.multiline {
            format!("statement {} ({})", self.index, self.source)
        } else if argument {
            format!(
                "statement {} ({}, line {})",
                self.index, self.source, self.line
            )
        } else {
            format!("statement {} ({}:{})", self.index, self.source, self.line)
        }
    }
}

/// Where results, statement errors and notices go.
pub trait Output {
    fn begin(&mut self, cols: &[Column]) -> Result<()>;
    fn row(&mut self, row: &[Value]) -> Result<()>;
    fn end(&mut self, summary: &StmtSummary) -> Result<()>;
    fn error(&mut self, origin: &Origin, sql: &str, err: &SqlError) -> Result<()>;
    fn notice(&mut self, msg: &str) -> Result<()>;
}
