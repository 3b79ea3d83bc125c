//! How input becomes statements, as sqlite3 reads it: a line at a time (a dot-command at
//! the start of a statement, else SQL completed by the splitter), `.echo` of the raw input,
//! the rest of a line skipped after a failure (its statements chained, or sent one at a time
//! when the line opens or ends a transaction), and whole scripts read from a file or a pipe
//! without waiting for more input than a complete statement needs.

use std::io::{BufReader, Read};

use anyhow::Result;

use super::state::Shell;
use crate::feed;
use crate::session::{ErrorMode, SourceName};
use crate::sql::{self, Splitter};

impl Shell {
    /// Feed one line of input (interactive or script). Dot-commands are recognised at the
    /// start of a statement, as in sqlite3.
    pub fn feed_line(
        &mut self,
        splitter: &mut Splitter,
        line: &str,
        source: &SourceName,
    ) -> Result<()> {
        if !splitter.has_pending() && line.trim_start().starts_with('.') {
            splitter.push("\n");
            splitter.clear();
            self.sync()?;
            if self.settings.echo {
                // sqlite3 echoes dot-commands too.
                self.print(&format!("{}\n", line.trim_end_matches(['\n', '\r'])))?;
            }
            return self.dot_line(line.trim());
        }
        let (failures, mut chunk) = (self.failures, false);
        let pieces = splitter.push(line);
        if self.settings.echo {
            // sqlite3 echoes its input as read, comments and blank lines included: the lines
            // of a statement together, once the statement is complete.
            self.echo_lines.push_str(line);
            if !splitter.has_pending() {
                let text = std::mem::take(&mut self.echo_lines);
                self.print(&format!("{}\n", text.trim_end_matches(['\n', '\r'])))?;
            }
        }
        // sqlite3 runs the statements a line completes one by one and skips the rest of
        // the line after one fails. In keep-going mode each of them is chained to the one
        // before (it runs only if that succeeded, in the same request); a line that opens or
        // ends a transaction sends them one at a time instead, so that a skipped COMMIT
        // leaves the transaction open as sqlite3's does.
        let keep_going = pieces.len() > 1 && self.session.mode() == ErrorMode::KeepGoing;
        let one_by_one = keep_going
            && pieces.iter().any(|p| {
                !matches!(
                    sql::classify(&p.sql),
                    sql::StmtKind::Read | sql::StmtKind::Write
                )
            });
        if keep_going && self.session.pending_count() > 0 {
            // Earlier lines' statements first, so a failure seen below is this line's.
            self.with_output(true, |s, out| s.send_all(out))?;
        }
        let mut failed = false;
        for (k, piece) in pieces.into_iter().enumerate() {
            if failed {
                continue;
            }
            chunk = true;
            let failures_before = self.failures;
            self.session.chain_next(keep_going && !one_by_one && k > 0);
            let submitted = self.submit(piece, source, true);
            self.session.chain_next(false);
            submitted?;
            let once = self.once && !self.settings.changes;
            if one_by_one {
                if self.session.pending_count() > 0 {
                    self.with_output(true, |s, out| s.send_all(out))?;
                }
                if once {
                    self.end_once();
                }
            } else if once || self.settings.timer || self.settings.echo || self.trace.is_some() {
                // `.once` captures exactly the next statement's output (with `.changes`, the
                // chunk's, and its line); `.timer` times each statement on its own, and
                // `.echo` and `.trace` lines precede each one's results, as in sqlite3.
                self.sync()?;
            }
            failed = keep_going && self.failures > failures_before;
        }
        if chunk && self.settings.changes {
            self.end_chunk(failures)?;
        }
        Ok(())
    }

    /// Run a whole script (`< file`, `.read`): continue after errors unless `.bail on`.
    /// `from_pipe`: the input may wait for its writer (a pipe, a coprocess), so what was read
    /// is sent before waiting for more: complete statements never wait for later input, and
    /// what arrives together is still sent together.
    pub fn run_script<R: Read>(
        &mut self,
        mut reader: BufReader<R>,
        source: &SourceName,
        from_pipe: bool,
    ) -> Result<()> {
        let mut splitter = Splitter::new();
        let mut line = String::new();
        let mut lineno = 0;
        loop {
            if from_pipe && reader.buffer().is_empty() {
                self.sync()?;
            }
            lineno += 1;
            if !feed::read_line(&mut reader, &mut line, source, lineno)? {
                break;
            }
            line.push('\n');
            self.feed_line(&mut splitter, &line, source)?;
            if splitter.pending_len() > feed::MAX_STATEMENT_BYTES {
                return Err(anyhow::anyhow!(
                    "{source}:{lineno}: a statement longer than SQLite's limit ({} bytes)",
                    feed::MAX_STATEMENT_BYTES
                ));
            }
            if self.done() {
                return Ok(());
            }
        }
        if let Some(piece) = splitter.finish() {
            let failures = self.failures;
            self.submit(piece, source, true)?;
            if self.settings.changes {
                self.end_chunk(failures)?;
            }
        }
        self.sync()
    }
}
