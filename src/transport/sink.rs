//! Where a pipeline's results go: a [`StepSink`] receives each statement's columns, rows
//! and end (or error) in order, as they are produced or decoded, so rows stream straight to
//! a renderer. [`Discard`] and [`Collect`] are the trivial sinks; [`Recorded`] keeps every
//! event to feed another sink later.

use super::request::{SqlError, StepRef};
use crate::value::{Column, StmtSummary, Value};

/// Receives statement results in order as they are produced. Errors returned by a sink (a
/// closed stdout, say) abort the pipeline and are passed back to the caller as they are.
pub trait StepSink {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()>;
    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()>;
    /// A row its producer no longer needs: a sink that keeps rows takes it without a copy.
    fn row_owned(&mut self, at: StepRef, row: Vec<Value>) -> anyhow::Result<()> {
        self.row(at, &row)
    }
    fn end(&mut self, at: StepRef, summary: &StmtSummary) -> anyhow::Result<()>;
    fn error(&mut self, _at: StepRef, _err: &SqlError) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A sink that drops everything (for requests whose rows nobody reads).
pub struct Discard;

impl StepSink for Discard {
    fn begin(&mut self, _: StepRef, _: &[Column]) -> anyhow::Result<()> {
        Ok(())
    }
    fn row(&mut self, _: StepRef, _: &[Value]) -> anyhow::Result<()> {
        Ok(())
    }
    fn end(&mut self, _: StepRef, _: &StmtSummary) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A sink that keeps every row, for callers that need results in memory (small reads only).
#[derive(Default, Debug)]
pub struct Collect {
    pub results: Vec<(StepRef, Vec<Column>, Vec<Vec<Value>>)>,
}

impl StepSink for Collect {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()> {
        self.results.push((at, cols.to_vec(), Vec::new()));
        Ok(())
    }
    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()> {
        self.row_owned(at, row.to_vec())
    }
    fn row_owned(&mut self, _: StepRef, row: Vec<Value>) -> anyhow::Result<()> {
        if let Some(last) = self.results.last_mut() {
            last.2.push(row);
        }
        Ok(())
    }
    fn end(&mut self, _: StepRef, _: &StmtSummary) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Everything a pipeline fed its sink, in order, to be fed to another sink later.
#[derive(Default, Debug)]
pub(super) struct Recorded {
    events: Vec<Event>,
}

#[derive(Debug)]
enum Event {
    Begin(StepRef, Vec<Column>),
    Row(StepRef, Vec<Value>),
    End(StepRef, StmtSummary),
    Error(StepRef, SqlError),
}

impl Recorded {
    pub(super) fn replay(self, sink: &mut dyn StepSink) -> anyhow::Result<()> {
        for e in self.events {
            match e {
                Event::Begin(at, cols) => sink.begin(at, &cols)?,
                Event::Row(at, row) => sink.row_owned(at, row)?,
                Event::End(at, s) => sink.end(at, &s)?,
                Event::Error(at, e) => sink.error(at, &e)?,
            }
        }
        Ok(())
    }
}

impl StepSink for Recorded {
    fn begin(&mut self, at: StepRef, cols: &[Column]) -> anyhow::Result<()> {
        self.events.push(Event::Begin(at, cols.to_vec()));
        Ok(())
    }
    fn row(&mut self, at: StepRef, row: &[Value]) -> anyhow::Result<()> {
        self.row_owned(at, row.to_vec())
    }
    fn row_owned(&mut self, at: StepRef, row: Vec<Value>) -> anyhow::Result<()> {
        self.events.push(Event::Row(at, row));
        Ok(())
    }
    fn end(&mut self, at: StepRef, summary: &StmtSummary) -> anyhow::Result<()> {
        self.events.push(Event::End(at, summary.clone()));
        Ok(())
    }
    fn error(&mut self, at: StepRef, err: &SqlError) -> anyhow::Result<()> {
        self.events.push(Event::Error(at, err.clone()));
        Ok(())
    }
}
