//! Routes a batch's step results to the session's [`Output`], each failure with its
//! statement's origin, hiding the session's own ROLLBACK steps.

use anyhow::Result;

use super::item::Item;
use super::output::{Origin, Output};
use crate::transport::{SqlError, StepRef, StepSink};
use crate::value::{Column, StmtSummary, Value};

/// Routes a batch's step results to the output, with each failure's origin; hides the
/// session's own ROLLBACK steps.
pub struct Route<'a> {
    pub out: &'a mut dyn Output,
    pub items: &'a [Item],
    pub step_item: &'a [Option<usize>],
    pub failures: usize,
}

impl Route<'_> {
    fn item(&self, at: StepRef) -> Option<&Item> {
        let step = at.step?;
        self.step_item
            .get(step)
            .copied()
            .flatten()
            .map(|k| &self.items[k])
    }
}

impl StepSink for Route<'_> {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> Result<()> {
        if self.item(at).is_some() {
            self.out.begin(cols)?;
        }
        Ok(())
    }

    fn row(&mut self, at: StepRef, row: &[Value]) -> Result<()> {
        if self.item(at).is_some() {
            self.out.row(row)?;
        }
        Ok(())
    }

    fn end(&mut self, at: StepRef, summary: &StmtSummary) -> Result<()> {
        if self.item(at).is_some() {
            self.out.end(summary)?;
        }
        Ok(())
    }

    fn error(&mut self, at: StepRef, err: &SqlError) -> Result<()> {
        if at.step.is_none() {
            // The whole batch request failed (e.g. a server-side batch error).
            self.failures += 1;
            let origin = self
                .items
                .first()
                .map(|i| i.origin.clone())
                .unwrap_or_else(|| Origin::synthetic("batch"));
            return self.out.error(&origin, "", err);
        }
        if let Some(item) = self.item(at) {
            let (origin, sql) = (item.origin.clone(), item.stmt.sql.clone());
            self.failures += 1;
            self.out.error(&origin, &sql, err)?;
        }
        Ok(())
    }
}
