//! `dump`: the database as SQL text that `sqlite3` and `libsql-shell batch` load back into an
//! identical database, in the layout of sqlite3's `.dump` (see [`schema`] for the order of
//! objects, [`rows`] for how rows are paged, and [`literal`] for how values are written).
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

pub mod rows;
pub mod schema;

use std::io::Write;

use anyhow::{Context, Result};

use crate::transport::{After, Collect, PipelineError, Request, Stmt, Transport};
use crate::value::Value;
use rows::{neg_inf_probe, next_page_rows, Key, PageSink, TableLayout};
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
    let result = d.run(out);
    let notices = std::mem::take(&mut d.notices);
    for n in notices {
        eprintln!("libsql-shell: note: {n}");
    }
    match result {
        Ok(()) => {
            // The read transaction only needs to end; a failure to say so changes nothing.
            let _ = d.t.close();
            Ok(d.stats)
        }
        Err(e) => {
            let reason = crate::error::one_line(&e).replace(['\n', '\r'], " ");
            let _ = writeln!(out, "ROLLBACK; -- dump incomplete: {reason}");
            let _ = out.flush();
            let _ = d.t.close();
            Err(e)
        }
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
        let objects = self.read_schema()?;
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

    /// Columns and keys of each table (two PRAGMAs each), then one `-Inf` probe each.
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
        let probes: Vec<(usize, String)> = layouts
            .iter()
            .enumerate()
            .filter_map(|(i, l)| neg_inf_probe(l).map(|sql| (i, sql)))
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
                layouts[*i].has_neg_inf = matches!(
                    r.first().and_then(|row| row.first()),
                    Some(Value::Integer(1))
                );
            }
        }
        Ok(layouts)
    }

    /// Page through one table, writing each page as it arrives.
    fn dump_rows(&mut self, layout: &TableLayout, out: &mut dyn Write) -> Result<()> {
        let prefix = layout.insert_prefix();
        let mut limit = self.opts.page_rows.unwrap_or(rows::FIRST_PAGE_ROWS).max(1);
        let mut key: Option<Vec<Value>> = None;
        let mut offset: u64 = 0;
        loop {
            let mut stmt = Stmt::new(layout.page_sql(key.is_some(), limit, offset));
            stmt.args = key.clone().unwrap_or_default();
            let mut sink = PageSink::new(out, layout, &prefix);
            self.stats.requests += 1;
            let results = self
                .t
                .pipeline(&[Request::Execute(stmt)], After::KeepOpen, &mut sink)
                .map_err(PipelineError::into_anyhow)?;
            let (got, est_bytes) = (sink.rows, sink.est_bytes);
            let last_key = std::mem::take(&mut sink.last_key);
            match results.into_iter().next() {
                Some(Ok(_)) => {}
                Some(Err(e))
                    if got == 0 && limit > 1 && e.code.as_deref() == Some("RESPONSE_TOO_LARGE") =>
                {
                    limit /= 2;
                    continue;
                }
                Some(Err(e)) => return Err(anyhow::Error::new(e)),
                None => anyhow::bail!("the server sent no result for a page of rows"),
            }
            self.stats.rows += got as u64;
            if got < limit {
                return Ok(());
            }
            match layout.key {
                Key::Offset => offset += got as u64,
                _ => key = Some(last_key),
            }
            if self.opts.page_rows.is_none() {
                limit = next_page_rows(got, est_bytes);
            }
        }
    }
}
