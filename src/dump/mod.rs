//! `dump`: the database as SQL text that `sqlite3` and `libsql-shell batch` load back into an
//! identical database, in the layout of sqlite3's `.dump` (see [`schema`] for the order of
//! objects, [`rows`] for how rows are paged, and [`crate::value`] for how values are written).
//!
//! **Snapshot.** Everything is read on ONE stream inside one read transaction: the first
//! request is `BEGIN DEFERRED` plus the schema query, every later request (table layouts, the
//! `-Inf` probes, each page of rows) is sent with `After::KeepOpen` on the same stream, and the
//! stream is closed at the end (which ends the read transaction). The first read fixes the
//! snapshot (SQLite's deferred transactions), so the dump is consistent even while others
//! write. A server without streams (the stateless `/v1` HTTP API) cannot do this; the dump
//! then says so on stderr.
//!
//! **Completeness.** A failed read or a lost connection ends the output with
//! `ROLLBACK; -- dump incomplete: <reason>` (a loader rolls back instead of committing half a
//! database) and the error is returned, so the command exits non-zero.

pub mod render;
pub mod rows;
pub mod schema;

use std::io::Write;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::Scope;

use anyhow::{Context, Result};

use crate::transport::{After, Collect, Pending, PipelineError, Request, Stmt, Transport};
use crate::value::Value;
use rows::{next_page_rows, Key, PageRows, RowFormatter, TableLayout};
use schema::{SchemaObject, TableRole};

/// What to dump.
#[derive(Debug, Clone, Default)]
pub struct DumpOptions {
    /// LIKE patterns naming the tables (empty: everything).
    pub tables: Vec<String>,
    /// CREATE statements only: no rows, no `sqlite_sequence`, no statistics.
    pub schema_only: bool,
    /// Rows only (as sqlite3's `.dump --data-only`): no CREATE, no BEGIN/COMMIT.
    pub data_only: bool,
    /// A fixed number of rows per page instead of the adaptive size (for tests).
    pub page_rows: Option<usize>,
}

/// What a complete dump read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DumpStats {
    pub tables: usize,
    pub rows: u64,
    pub requests: usize,
}

/// Requests per pipeline for the per-table metadata reads.
const META_REQUESTS_PER_PIPELINE: usize = 400;

/// Write the dump to `out`. On failure the output already ends with the incomplete marker.
pub fn dump(t: &mut dyn Transport, opts: &DumpOptions, out: &mut dyn Write) -> Result<DumpStats> {
    let mut d = Dumper {
        t,
        opts,
        stats: DumpStats::default(),
        notices: Vec::new(),
    };
    let mut counted = Counted { out, bytes: 0 };
    let result = d.run(&mut counted);
    let (out, written) = (counted.out, counted.bytes);
    let notices = std::mem::take(&mut d.notices);
    for n in notices {
        crate::error::print_note(&n);
    }
    match result {
        Ok(()) => {
            // The read transaction only needs to end; a failure to say so changes nothing.
            let _ = d.t.close();
            Ok(d.stats)
        }
        Err(e) => {
            // Nothing written (the server was never reached): nothing to mark.
            if written > 0 {
                let reason = crate::error::one_line(&e).replace(['\n', '\r'], " ");
                let _ = writeln!(out, "ROLLBACK; -- dump incomplete: {reason}");
            }
            let _ = out.flush();
            let _ = d.t.close();
            Err(e)
        }
    }
}

/// The output, counting what was written to it.
struct Counted<'a> {
    out: &'a mut dyn Write,
    bytes: u64,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

struct Dumper<'t, 'o> {
    t: &'t mut dyn Transport,
    opts: &'o DumpOptions,
    stats: DumpStats,
    notices: Vec<String>,
}

impl Dumper<'_, '_> {
    fn run(&mut self, out: &mut dyn Write) -> Result<()> {
        let opts = self.opts;
        let mut objects = self.read_schema()?;
        // A whole-database dump keeps a vector index's shadow tables with their rows, and the
        // CREATE INDEX after them keeps them as they are (README: vector indexes). A dump of
        // some tables, or of rows only, leaves them to the index to rebuild or maintain.
        let vector_shadows_left_out = if !opts.tables.is_empty() || opts.data_only {
            schema::drop_vector_index_shadows(&mut objects)
        } else {
            Vec::new()
        };
        let tables = schema::dump_order_tables(&objects);
        let wants_rows = |o: &SchemaObject| match schema::table_role(o) {
            TableRole::Plain | TableRole::Sequence | TableRole::Stat => !opts.schema_only,
            TableRole::Virtual => opts.data_only,
            TableRole::SqliteInternal | TableRole::LibsqlInternal => false,
        };
        let with_rows: Vec<&SchemaObject> =
            tables.iter().copied().filter(|o| wants_rows(o)).collect();
        let layouts = self.read_layouts(&with_rows)?;

        if !opts.data_only {
            out.write_all(b"PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")?;
        }
        for name in &vector_shadows_left_out {
            writeln!(
                out,
                "-- skipped {name}: a vector index's shadow table, rebuilt by its index"
            )?;
        }
        let mut writable_schema = false;
        let mut layouts = layouts.into_iter();
        for obj in &tables {
            let role = schema::table_role(obj);
            match role {
                TableRole::SqliteInternal => continue,
                TableRole::LibsqlInternal => {
                    writeln!(out, "-- skipped {}: a libSQL internal table", obj.name)?;
                    continue;
                }
                TableRole::Sequence if !opts.data_only && !opts.schema_only => {
                    out.write_all(b"DELETE FROM sqlite_sequence;\n")?
                }
                TableRole::Stat if !opts.data_only && !opts.schema_only => {
                    out.write_all(b"ANALYZE sqlite_schema;\n")?
                }
                TableRole::Virtual if !opts.data_only => {
                    if !writable_schema {
                        out.write_all(b"PRAGMA writable_schema=ON;\n")?;
                        writable_schema = true;
                    }
                    out.write_all(schema::virtual_table_line(&obj.name, &obj.sql).as_bytes())?;
                }
                TableRole::Plain if !opts.data_only => {
                    out.write_all(schema::create_table_line(&obj.sql).as_bytes())?
                }
                _ => {}
            }
            if wants_rows(obj) {
                let layout = layouts.next().expect("one layout per table with rows");
                self.dump_rows(&layout, out)
                    .with_context(|| format!("reading table {}", obj.name))?;
                self.stats.tables += 1;
            }
        }
        if !opts.data_only {
            for obj in schema::other_objects(&objects) {
                out.write_all(schema::other_object_line(&obj.sql).as_bytes())?;
            }
        }
        if writable_schema {
            out.write_all(b"PRAGMA writable_schema=OFF;\n")?;
        }
        if !opts.data_only {
            out.write_all(b"COMMIT;\n")?;
        }
        out.flush()?;
        Ok(())
    }

    /// Send `reqs` on the dump's stream and keep it open; rows per request.
    fn read(
        &mut self,
        reqs: &[Request],
        what: &dyn Fn(usize) -> String,
    ) -> Result<Vec<Vec<Vec<Value>>>> {
        self.check_stream()?;
        let mut sink = Collect::default();
        self.stats.requests += 1;
        let results = self
            .t
            .pipeline(reqs, After::KeepOpen, &mut sink)
            .map_err(PipelineError::into_anyhow)
            .with_context(|| what(0))?;
        let mut rows: Vec<Vec<Vec<Value>>> = vec![Vec::new(); reqs.len()];
        for (i, r) in results.into_iter().enumerate() {
            if let Err(e) = r {
                return Err(anyhow::Error::new(e).context(what(i)));
            }
        }
        for (at, _, r) in sink.results {
            if let Some(slot) = rows.get_mut(at.request) {
                *slot = r;
            }
        }
        Ok(rows)
    }

    fn read_schema(&mut self) -> Result<Vec<SchemaObject>> {
        let mut query = Stmt::new(schema::schema_query(self.opts.tables.len()));
        query.args = self
            .opts
            .tables
            .iter()
            .map(|p| Value::Text(p.clone()))
            .collect();
        let reqs = [
            Request::Execute(Stmt::no_rows("BEGIN DEFERRED")),
            Request::Execute(query),
        ];
        let rows = self.read(&reqs, &|i| {
            if i == 0 {
                "starting the read transaction"
            } else {
                "reading the schema"
            }
            .to_string()
        })?;
        if !self.t.capabilities().streams {
            self.notices.push(
                "the server offers no streams (HTTP /v1 API): the dump is not read from one snapshot"
                    .into(),
            );
        }
        Ok(rows[1]
            .iter()
            .filter_map(|r| schema::schema_object(r))
            .collect())
    }

    /// Columns and keys of each table (two PRAGMAs each), then one probe each (which values
    /// the server cannot render, see [`rows::TableLayout::probe_sql`]).
    fn read_layouts(&mut self, tables: &[&SchemaObject]) -> Result<Vec<TableLayout>> {
        let mut layouts = Vec::with_capacity(tables.len());
        for chunk in tables.chunks(META_REQUESTS_PER_PIPELINE / 2) {
            let mut reqs = Vec::with_capacity(chunk.len() * 2);
            for obj in chunk {
                let name = schema::string_literal(&obj.name);
                reqs.push(Request::Execute(Stmt::new(format!(
                    "PRAGMA table_xinfo({name})"
                ))));
                reqs.push(Request::Execute(Stmt::new(format!(
                    "PRAGMA index_xinfo({name})"
                ))));
            }
            let rows = self.read(&reqs, &|i| {
                format!("reading the columns of table {}", chunk[i / 2].name)
            })?;
            for (k, obj) in chunk.iter().enumerate() {
                let cols = rows[2 * k]
                    .iter()
                    .filter_map(|r| schema::column_info(r))
                    .collect();
                let keys = rows[2 * k + 1]
                    .iter()
                    .filter_map(|r| schema::key_column(r))
                    .collect();
                layouts.push(TableLayout::new(&obj.name, cols, keys));
            }
        }
        if !self.t.capabilities().encoded_values {
            // Values cost nothing to hand over: the client writes them all, no probe.
            layouts.iter_mut().for_each(TableLayout::all_raw);
            return Ok(layouts);
        }
        let probes: Vec<(usize, String)> = layouts
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.probe_sql().map(|sql| (i, sql)))
            .collect();
        for chunk in probes.chunks(META_REQUESTS_PER_PIPELINE) {
            let reqs: Vec<Request> = chunk
                .iter()
                .map(|(_, sql)| Request::Execute(Stmt::new(sql.clone())))
                .collect();
            let names: Vec<String> = chunk
                .iter()
                .map(|(i, _)| layouts[*i].name.clone())
                .collect();
            let rows = self.read(&reqs, &|i| format!("reading table {}", names[i]))?;
            for ((i, _), r) in chunk.iter().zip(rows) {
                layouts[*i].apply_probe(r.first().map_or(&[], Vec::as_slice));
            }
        }
        Ok(layouts)
    }

    /// Page through one table, writing each page as it arrives.
    ///
    /// From the second page on, pages overlap: as soon as page N's response has arrived,
    /// the request for page N+1 goes out (it starts one page further on from where page N
    /// started, so it does not wait for page N's last key), and while the server reads it a
    /// worker thread decodes page N and turns it into INSERT text. The requests wasted are
    /// the one after the last page of a table and one per page refused as too large; a
    /// table of one page is read inline. At most about three pages are in memory: the one
    /// being written, the one being decoded and the response being received.
    fn dump_rows(&mut self, layout: &TableLayout, out: &mut dyn Write) -> Result<()> {
        let prefix = layout.insert_prefix();
        std::thread::scope(|scope| {
            let mut worker: Option<PageWorker> = None;
            let fixed = self.opts.page_rows;
            let mut at = PageAt {
                key: None,
                skip: 0,
                limit: fixed.unwrap_or(rows::FIRST_PAGE_ROWS).max(1),
            };
            let mut next_limit = at.limit;
            let mut pending = self.send_page(layout, &at)?;
            let mut overlap = false;
            loop {
                let (page, ahead) = if overlap {
                    let w = match &mut worker {
                        Some(w) => w,
                        None => worker.insert(PageWorker::start(scope, layout, &prefix)?),
                    };
                    w.submit(pending)?;
                    let next = PageAt {
                        key: at.key.clone(),
                        skip: at.skip + at.limit as u64,
                        limit: next_limit,
                    };
                    let sent = self.send_page(layout, &next);
                    (w.receive()?, Some((sent, next.limit)))
                } else {
                    let mut fmt = RowFormatter::new(layout, &prefix);
                    (read_page(pending, layout, &mut fmt), None)
                };
                let page = match page {
                    Err(PageError::TooLarge(_)) if at.limit > 1 => {
                        // A page read ahead assumed this one's size: drop it (unless its
                        // request failed: then the stream is gone) and ask again.
                        if let Some((Err(e), _)) = ahead {
                            return Err(e);
                        }
                        at.limit /= 2;
                        next_limit = at.limit;
                        pending = self.send_page(layout, &at)?;
                        overlap = false;
                        continue;
                    }
                    Err(PageError::TooLarge(e) | PageError::Failed(e)) => return Err(e),
                    Ok(p) => p,
                };
                out.write_all(page.text.as_bytes())?;
                self.stats.rows += page.rows as u64;
                if page.rows < at.limit {
                    // The table is complete; a page read ahead is not needed, but a failed
                    // request for it means the stream (and the snapshot) is gone.
                    return match ahead {
                        Some((Err(e), _)) => Err(e),
                        _ => Ok(()),
                    };
                }
                let this_limit = at.limit;
                at = match layout.key {
                    Key::Offset => PageAt {
                        key: None,
                        skip: at.skip + page.rows as u64,
                        limit: next_limit,
                    },
                    _ => PageAt {
                        key: Some(page.last_key),
                        skip: 0,
                        limit: next_limit,
                    },
                };
                // A fixed page size stays halved once the server refused it as too large.
                next_limit = match fixed {
                    Some(_) => this_limit,
                    None => next_page_rows(page.rows, page.est_bytes),
                };
                pending = match ahead {
                    Some((sent, limit)) => {
                        at.limit = limit;
                        sent?
                    }
                    None => {
                        at.limit = next_limit;
                        self.send_page(layout, &at)?
                    }
                };
                overlap = true;
            }
        })
    }

    /// After the first read, every read must go to the dump's own stream: if the transport
    /// has lost it, a new request would open another stream and read outside the snapshot.
    fn check_stream(&self) -> Result<()> {
        if self.stats.requests > 0 && self.t.capabilities().streams && !self.t.stream_open() {
            anyhow::bail!(
                "the dump's stream was lost, so the rest cannot be read from the same snapshot"
            );
        }
        Ok(())
    }

    /// Request one page, leaving its rows to be read later.
    fn send_page(&mut self, layout: &TableLayout, at: &PageAt) -> Result<Box<dyn Pending>> {
        self.check_stream()?;
        let mut stmt = Stmt::new(layout.page_sql(at.key.is_some(), at.limit, at.skip));
        stmt.args = at.key.clone().unwrap_or_default();
        self.stats.requests += 1;
        self.t
            .pipeline_ahead(&[Request::Execute(stmt)])
            .map_err(PipelineError::into_anyhow)
    }
}

/// Where a page starts: `skip` rows after the row with key `key` (none: the table's first
/// row), and how many rows it holds at most.
struct PageAt {
    key: Option<Vec<Value>>,
    skip: u64,
    limit: usize,
}

/// One page, decoded and written as text.
struct Page {
    text: String,
    rows: usize,
    est_bytes: usize,
    last_key: Vec<Value>,
}

enum PageError {
    /// The server refused the page as too large (a smaller page may pass).
    TooLarge(anyhow::Error),
    Failed(anyhow::Error),
}

/// Decode a page's response and format its rows.
fn read_page(
    pending: Box<dyn Pending>,
    layout: &TableLayout,
    fmt: &mut RowFormatter,
) -> Result<Page, PageError> {
    let mut sink = PageRows::new(layout);
    let results = pending
        .finish(&mut sink)
        .map_err(|e| PageError::Failed(e.into_anyhow()))?;
    match results.into_iter().next() {
        Some(Ok(_)) => {}
        Some(Err(e)) if sink.rows.is_empty() && e.code.as_deref() == Some("RESPONSE_TOO_LARGE") => {
            return Err(PageError::TooLarge(anyhow::Error::new(e)))
        }
        Some(Err(e)) => return Err(PageError::Failed(anyhow::Error::new(e))),
        None => {
            return Err(PageError::Failed(anyhow::anyhow!(
                "the server sent no result for a page of rows"
            )))
        }
    }
    let mut text = String::with_capacity(sink.est_bytes);
    fmt.format(&sink.rows, &mut text)
        .map_err(PageError::Failed)?;
    Ok(Page {
        text,
        rows: sink.rows.len(),
        est_bytes: sink.est_bytes,
        last_key: sink.last_key,
    })
}

/// A thread that decodes and formats pages while the dump's thread waits for the next one.
struct PageWorker {
    pages: SyncSender<Box<dyn Pending>>,
    done: Receiver<Result<Page, PageError>>,
}

impl PageWorker {
    fn start<'scope, 'env: 'scope>(
        scope: &'scope Scope<'scope, 'env>,
        layout: &'env TableLayout,
        prefix: &'env str,
    ) -> Result<Self> {
        let (pages_tx, pages_rx) = sync_channel::<Box<dyn Pending>>(1);
        let (done_tx, done_rx) = sync_channel(1);
        std::thread::Builder::new()
            .name("libsql-dump-page".into())
            .spawn_scoped(scope, move || {
                let mut fmt = RowFormatter::new(layout, prefix);
                for pending in pages_rx {
                    if done_tx.send(read_page(pending, layout, &mut fmt)).is_err() {
                        return;
                    }
                }
            })
            .context("cannot start the dump's page thread")?;
        Ok(PageWorker {
            pages: pages_tx,
            done: done_rx,
        })
    }

    fn submit(&self, pending: Box<dyn Pending>) -> Result<()> {
        self.pages
            .send(pending)
            .map_err(|_| anyhow::anyhow!("the dump's page thread stopped"))
    }

    fn receive(&self) -> Result<Result<Page, PageError>> {
        self.done
            .recv()
            .map_err(|_| anyhow::anyhow!("the dump's page thread stopped"))
    }
}
