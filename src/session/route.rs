//! Routes a batch's step results to the session's [`Output`], each failure with its
//! statement's origin, hiding the session's own ROLLBACK steps. It keeps count of the rows
//! written for the statement in progress, so a result cut short says that the output is
//! incomplete, and it can hold back a batch refused as too large for one response, for the
//! session to stream it through a cursor instead.

use anyhow::Result;

use super::item::Item;
use super::output::{Origin, Output};
use crate::transport::{SqlError, StepRef, StepSink};
use crate::value::{Column, StmtSummary, Value};

/// The error code of a result too large for one response.
pub const TOO_LARGE: &str = "RESPONSE_TOO_LARGE";

/// Routes a batch's step results to the output, with each failure's origin; hides the
/// session's own ROLLBACK steps.
pub struct Route<'a> {
    pub out: &'a mut dyn Output,
    pub items: &'a [Item],
    pub step_item: &'a [Option<usize>],
    pub failures: usize,
    /// Hold back a whole batch's `RESPONSE_TOO_LARGE` (in `too_large`) instead of
    /// reporting it.
    hold_too_large: bool,
    pub too_large: Option<SqlError>,
    /// The statement whose result is being written (item index) and its rows so far.
    open: Option<(usize, u64)>,
}

impl<'a> Route<'a> {
    pub fn new(
        out: &'a mut dyn Output,
        items: &'a [Item],
        step_item: &'a [Option<usize>],
        hold_too_large: bool,
    ) -> Self {
        Route {
            out,
            items,
            step_item,
            failures: 0,
            hold_too_large,
            too_large: None,
            open: None,
        }
    }

    fn item_index(&self, at: StepRef) -> Option<usize> {
        let step = at.step?;
        self.step_item.get(step).copied().flatten()
    }

    fn item(&self, at: StepRef) -> Option<&Item> {
        self.item_index(at).map(|k| &self.items[k])
    }

    /// What an answer cut short leaves behind, for the error: the output is incomplete,
    /// and which statement's result stopped after how many rows.
    pub fn incomplete(&self) -> String {
        match self.open {
            Some((k, rows)) => format!(
                "the output is incomplete: the result of {} stopped after {rows} row(s)",
                self.items[k].origin.describe()
            ),
            None => "the output is incomplete: the answer was cut short".to_string(),
        }
    }
}

impl StepSink for Route<'_> {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> Result<()> {
        if let Some(k) = self.item_index(at) {
            self.open = Some((k, 0));
            self.out.begin(cols)?;
        }
        Ok(())
    }

    fn row(&mut self, at: StepRef, row: &[Value]) -> Result<()> {
        if self.item(at).is_some() {
            if let Some((_, n)) = &mut self.open {
                *n += 1;
            }
            self.out.row(row)?;
        }
        Ok(())
    }

    fn end(&mut self, at: StepRef, summary: &StmtSummary) -> Result<()> {
        if self.item(at).is_some() {
            self.open = None;
            self.out.end(summary)?;
        }
        Ok(())
    }

    fn error(&mut self, at: StepRef, err: &SqlError) -> Result<()> {
        if at.step.is_none() {
            // The whole batch request failed (e.g. a server-side batch error).
            if self.hold_too_large && err.code.as_deref() == Some(TOO_LARGE) {
                self.too_large = Some(err.clone());
                return Ok(());
            }
            self.failures += 1;
            let (origin, sql, err) = match self.open.take() {
                Some((k, rows)) if rows > 0 => {
                    let item = &self.items[k];
                    (item.origin.clone(), item.stmt.sql.clone(), cut(err, rows))
                }
                _ => {
                    let origin = self
                        .items
                        .first()
                        .map(|i| i.origin.clone())
                        .unwrap_or_else(|| Origin::synthetic("batch"));
                    (origin, String::new(), err.clone())
                }
            };
            return self.out.error(&origin, &sql, &err);
        }
        if let Some(k) = self.item_index(at) {
            let item = &self.items[k];
            let (origin, sql) = (item.origin.clone(), item.stmt.sql.clone());
            let err = match self.open.take() {
                Some((open, rows)) if open == k && rows > 0 => cut(err, rows),
                _ => err.clone(),
            };
            self.failures += 1;
            self.out.error(&origin, &sql, &err)?;
        }
        Ok(())
    }
}

/// A statement's error after some of its rows were written: say that they are not all.
fn cut(err: &SqlError, rows: u64) -> SqlError {
    SqlError {
        message: format!(
            "the output is incomplete: {rows} row(s) were written before this error: {}",
            err.message
        ),
        code: err.code.clone(),
    }
}
