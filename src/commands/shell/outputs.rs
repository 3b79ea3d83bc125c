//! Where the shell's statements report: [`ShellOutput`] renders results and prints errors as
//! sqlite3 does, [`Rows`] keeps the rows of the shell's own queries, [`Crlf`] is `.crlf on`,
//! [`Shared`] lets the renderer and the messages share one buffered standard output, [`Piped`]
//! is `.output '|cmd'`, [`ChangeCounts`] counts what `.changes` reports.

use std::cell::RefCell;
use std::io::{self, BufWriter, StdoutLock, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

use anyhow::Result;

use crate::results::ResultOutput;
use crate::session::{Origin, Output, SourceName};
use crate::transport::SqlError;
use crate::value::{Column, StmtSummary, Value};

/// `.crlf on`: every `\n` written becomes `\r\n`.
pub(super) struct Crlf<W: Write>(pub(super) W);

impl<W: Write> Write for Crlf<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for (i, part) in buf.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.0.write_all(b"\r\n")?;
            }
            self.0.write_all(part)?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// `.output '|cmd'` / `.once '|cmd'`: the standard input of `sh -c cmd` (sqlite3's popen),
/// whose standard output is ours; closing it waits for the command, as pclose does.
pub(super) struct Piped {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Piped {
    pub(super) fn spawn(cmd: &str) -> io::Result<Piped> {
        io::stdout().flush()?;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .stdin(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        Ok(Piped { child, stdin })
    }
}

impl Write for Piped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.stdin {
            Some(w) => w.write(buf),
            None => Ok(buf.len()),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.stdin {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Piped {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// A writer held by reference: the renderer writes rows through it while [`ShellOutput`]
/// can still flush it before a message goes to standard error.
pub(super) struct Shared<'a, W: Write>(pub(super) &'a RefCell<W>);

impl<W: Write> Write for Shared<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// Standard output buffered for a pipe or a file.
pub(super) type PipedStdout = RefCell<BufWriter<StdoutLock<'static>>>;

/// What `.changes on` reports where the connection's own counters are out of reach (a remote
/// database): sqlite3_changes and sqlite3_total_changes as this shell's statements' answers
/// add up; and the statements of the input chunk being run, with their answers' counts.
#[derive(Debug, Default)]
pub(super) struct ChangeCounts {
    pub(super) last: i64,
    pub(super) total: i64,
    /// Under `.changes on`: the chunk's statements, and each answer's count, in order.
    pub(super) chunk_sql: Vec<String>,
    pub(super) chunk_affected: Vec<u64>,
}

/// Results and errors of the shell's statements: exec's rendering, the shell's messages.
pub(super) struct ShellOutput<'a> {
    pub(super) results: ResultOutput<'a>,
    pub(super) changes: bool,
    pub(super) interactive: bool,
    pub(super) failed: usize,
    /// Buffered standard output, flushed before each message so rows and messages keep
    /// their order (as sqlite3's do).
    pub(super) piped: Option<&'a PipedStdout>,
    pub(super) counts: &'a mut ChangeCounts,
}

impl ShellOutput<'_> {
    fn flush_rows(&mut self) -> Result<()> {
        if let Some(w) = self.piped {
            w.borrow_mut().flush()?;
        }
        Ok(())
    }
}

impl Output for ShellOutput<'_> {
    fn begin(&mut self, cols: &[Column]) -> Result<()> {
        self.results.begin(cols)
    }

    fn row(&mut self, row: &[Value]) -> Result<()> {
        self.results.row(row)
    }

    fn end(&mut self, summary: &StmtSummary) -> Result<()> {
        self.results.close_statement()?;
        let n = summary.affected_row_count;
        if n > 0 {
            self.counts.last = n as i64;
            self.counts.total = self.counts.total.saturating_add(n as i64);
        }
        if self.changes {
            self.counts.chunk_affected.push(n);
        }
        Ok(())
    }

    fn error(&mut self, origin: &Origin, _sql: &str, err: &SqlError) -> Result<()> {
        self.results.close_statement()?;
        self.flush_rows()?;
        self.failed += 1;
        if self.interactive {
            eprintln!("Error: {err}");
        } else if let SourceName::Argument(_) = origin.source {
            eprintln!("Error: in {}: {err}", origin.source);
        } else {
            eprintln!("Error: near {}:{}: {err}", origin.source, origin.line);
        }
        Ok(())
    }

    fn notice(&mut self, msg: &str) -> Result<()> {
        self.flush_rows()?;
        eprintln!("Note: {msg}");
        Ok(())
    }
}

/// Collects rows of the shell's own queries (`.tables`, completion names).
#[derive(Default)]
pub(super) struct Rows {
    pub(super) rows: Vec<Vec<Value>>,
    pub(super) error: Option<SqlError>,
    /// The fewest columns a result had.
    pub(super) columns: Option<usize>,
}

impl Output for Rows {
    fn begin(&mut self, cols: &[Column]) -> Result<()> {
        self.columns = Some(self.columns.map_or(cols.len(), |n| n.min(cols.len())));
        Ok(())
    }
    fn row(&mut self, row: &[Value]) -> Result<()> {
        self.rows.push(row.to_vec());
        Ok(())
    }
    fn end(&mut self, _: &StmtSummary) -> Result<()> {
        Ok(())
    }
    fn error(&mut self, _: &Origin, _: &str, err: &SqlError) -> Result<()> {
        self.error.get_or_insert_with(|| err.clone());
        Ok(())
    }
    fn notice(&mut self, msg: &str) -> Result<()> {
        eprintln!("Note: {msg}");
        Ok(())
    }
}
