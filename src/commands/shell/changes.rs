//! `.changes on`: after each input chunk that ran without error (the statements a line, or an
//! argument, completes), sqlite3's `changes: N   total_changes: M` line, where sqlite3 prints
//! it: into the current output. A local database's own counters are read; a remote one's are
//! this shell's own statements' counts added up ([`super::outputs::ChangeCounts`]).

use anyhow::Result;

use super::state::Shell;
use crate::sql;

/// Statements that set sqlite3_changes, even to 0 (others leave it as it was).
fn sets_changes(stmt: &str) -> bool {
    matches!(
        sql::leading_words(stmt, 1).first().map(String::as_str),
        Some("INSERT" | "UPDATE" | "DELETE" | "REPLACE")
    )
}

impl Shell {
    /// The chunk's statements are sent (buffered writes too: their counts are reported now,
    /// as sqlite3 reports them); then, unless one failed, the line.
    pub(super) fn end_chunk(&mut self, failures_before: usize) -> Result<()> {
        if self.session.pending_count() > 0 {
            self.with_output(true, |s, out| s.send_all(out))?;
        }
        let stmts = std::mem::take(&mut self.counts.chunk_sql);
        let affected = std::mem::take(&mut self.counts.chunk_affected);
        if stmts.len() == affected.len() {
            // A write that changed no row sets the count to 0 (the answers' own counts set
            // it when it is not).
            let last = stmts
                .iter()
                .zip(&affected)
                .rev()
                .find(|(s, n)| **n > 0 || sets_changes(s));
            if let Some((_, 0)) = last {
                self.counts.last = 0;
            }
        }
        if self.failures == failures_before && !self.done() {
            let (last, total) = self
                .session
                .change_counts()
                .unwrap_or((self.counts.last, self.counts.total));
            self.print(&format!("changes: {last}   total_changes: {total}\n"))?;
        }
        self.end_once();
        Ok(())
    }
}
