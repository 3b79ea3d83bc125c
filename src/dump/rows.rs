//! The data side of a dump: a table's rows read in pages, each page one request on the dump's
//! stream, written as `INSERT INTO t VALUES(...);` lines as they arrive.
//!
//! Pages follow the table's own order, so each is a range scan that starts where the last one
//! ended: `WHERE rowid > ?1 ORDER BY rowid LIMIT n` for rowid tables, the primary key (with its
//! collations and directions, from `PRAGMA index_xinfo`) for WITHOUT ROWID tables. A rowid
//! table whose `rowid`, `_rowid_` and `oid` are all shadowed by real columns has no usable key
//! and falls back to `LIMIT n OFFSET k` (correct inside the snapshot, slower).
//!
//! Page size adapts to the data: it aims at [`TARGET_PAGE_BYTES`] of estimated Hrana JSON per
//! response, well under sqld's 10 MB response cap, and halves and retries a page the server
//! refuses with `RESPONSE_TOO_LARGE`. Memory holds a few pages at most (see `dump_rows`),
//! whatever the table size.
//!
//! JSON has no infinities: sqld writes a REAL `-Inf` as `null`, which reads back as `+Inf`.
//! A table that holds a `-Inf` (one probe per table, see [`neg_inf_probe`]) is read with one
//! more column that marks where the `-Inf`s are, so the dump is the same on every transport.

use anyhow::Result;

use super::schema::{has_text_affinity, ColumnInfo, KeyColumn};
use crate::render::quote_identifier;
use crate::transport::{StepRef, StepSink};
use crate::value::{write_insert_line, Column, StmtSummary, Value};

/// Estimated JSON bytes one page should stay under (sqld refuses responses over 10 MB).
pub const TARGET_PAGE_BYTES: usize = 4 << 20;
pub const FIRST_PAGE_ROWS: usize = 1_000;
pub const MAX_PAGE_ROWS: usize = 50_000;
pub const MIN_PAGE_ROWS: usize = 16;

/// How pages of a table are chained.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// A rowid table, through this name of its rowid.
    Rowid(&'static str),
    /// A WITHOUT ROWID table: its primary key columns (positions among the dumped columns).
    Pk(Vec<(usize, KeyColumn)>),
    /// No usable key: `LIMIT n OFFSET k`.
    Offset,
}

/// What is needed to read and write one table's rows.
#[derive(Debug, Clone)]
pub struct TableLayout {
    pub name: String,
    /// Columns written by the dump (hidden and generated columns are left out, as sqlite3 does).
    pub cols: Vec<ColumnInfo>,
    pub key: Key,
    /// The table holds at least one REAL `-Inf`.
    pub has_neg_inf: bool,
}

impl TableLayout {
    /// `xinfo` is `PRAGMA table_xinfo`, `pk` the key columns of `PRAGMA index_xinfo(table)`
    /// (non-empty exactly for WITHOUT ROWID tables).
    pub fn new(name: &str, xinfo: Vec<ColumnInfo>, pk: Vec<KeyColumn>) -> TableLayout {
        let all_names: Vec<String> = xinfo.iter().map(|c| c.name.to_ascii_lowercase()).collect();
        let cols: Vec<ColumnInfo> = xinfo.into_iter().filter(|c| c.hidden == 0).collect();
        let key = if !pk.is_empty() {
            let positions: Option<Vec<(usize, KeyColumn)>> = pk
                .into_iter()
                .map(|k| cols.iter().position(|c| c.name == k.name).map(|i| (i, k)))
                .collect();
            positions.map(Key::Pk).unwrap_or(Key::Offset)
        } else {
            ["rowid", "_rowid_", "oid"]
                .into_iter()
                .find(|r| !all_names.iter().any(|n| n == r))
                .map(Key::Rowid)
                .unwrap_or(Key::Offset)
        };
        TableLayout {
            name: name.to_string(),
            cols,
            key,
            has_neg_inf: false,
        }
    }

    /// Where the dumped values sit in a page's rows: after how many leading columns (the
    /// rowid), and how many.
    fn value_columns(&self) -> (usize, usize) {
        (
            usize::from(matches!(self.key, Key::Rowid(_))),
            self.cols.len(),
        )
    }

    /// Whether dumped column `i` of a page row holds a REAL `-Inf` (the JSON carried `+Inf`);
    /// the marks column says so (see [`TableLayout::page_sql`]).
    fn is_neg_inf(&self, row: &[Value], i: usize) -> bool {
        let (skip, n) = self.value_columns();
        self.has_neg_inf
            && matches!(row.get(skip + n), Some(Value::Text(marks)) if marks.as_bytes().get(i) == Some(&b'x'))
    }

    /// `INSERT INTO <table> VALUES(` as sqlite3 writes it.
    pub fn insert_prefix(&self) -> String {
        format!("INSERT INTO {} VALUES(", quote_identifier(&self.name))
    }

    /// Columns that may hold a REAL (all but TEXT affinity).
    fn real_capable(&self) -> impl Iterator<Item = &ColumnInfo> {
        self.cols.iter().filter(|c| !has_text_affinity(&c.decltype))
    }

    /// The SQL of one page. `after` says whether a previous page's key is bound as `?1..`;
    /// `offset` rows are skipped after it (for a table with no usable key, from the start).
    pub fn page_sql(&self, after: bool, limit: usize, offset: u64) -> String {
        let table = quote_identifier(&self.name);
        let mut select: Vec<String> = Vec::with_capacity(self.cols.len() + 2);
        if let Key::Rowid(r) = &self.key {
            select.push((*r).to_string());
        }
        select.extend(self.cols.iter().map(|c| quote_identifier(&c.name)));
        if self.has_neg_inf {
            select.push(self.neg_inf_marks());
        }
        let select = select.join(", ");
        let skip = if offset > 0 {
            format!(" OFFSET {offset}")
        } else {
            String::new()
        };
        match &self.key {
            Key::Rowid(r) => {
                let cond = if after {
                    format!(" WHERE {r} > ?1")
                } else {
                    String::new()
                };
                format!("SELECT {select} FROM {table}{cond} ORDER BY {r} LIMIT {limit}{skip}")
            }
            Key::Pk(keys) => {
                let term = |(_, k): &(usize, KeyColumn)| {
                    format!(
                        "{} COLLATE {}",
                        quote_identifier(&k.name),
                        quote_identifier(&k.coll)
                    )
                };
                let order: Vec<String> = keys
                    .iter()
                    .map(|k| format!("{}{}", term(k), if k.1.desc { " DESC" } else { "" }))
                    .collect();
                let cond = if after {
                    format!(" WHERE {}", key_condition(keys, &term))
                } else {
                    String::new()
                };
                format!(
                    "SELECT {select} FROM {table}{cond} ORDER BY {} LIMIT {limit}{skip}",
                    order.join(", ")
                )
            }
            Key::Offset => format!("SELECT {select} FROM {table} LIMIT {limit} OFFSET {offset}"),
        }
    }

    /// One text column: `x` where the column holds `-Inf`, `-` elsewhere.
    fn neg_inf_marks(&self) -> String {
        let parts: Vec<String> = self
            .cols
            .iter()
            .map(|c| {
                if has_text_affinity(&c.decltype) {
                    "'-'".to_string()
                } else {
                    format!(
                        "(CASE WHEN +{} IS -1e999 THEN 'x' ELSE '-' END)",
                        quote_identifier(&c.name)
                    )
                }
            })
            .collect();
        parts.join(" || ")
    }
}

/// "After the key bound as ?1..?n" in the key's order. One row value comparison when every
/// key column runs the same way (a range scan of the primary key); otherwise the expanded
/// form `a > ?1 OR (a = ?1 AND b < ?2) ...`.
fn key_condition(
    keys: &[(usize, KeyColumn)],
    term: &dyn Fn(&(usize, KeyColumn)) -> String,
) -> String {
    let op = |desc: bool| if desc { "<" } else { ">" };
    let first_desc = keys[0].1.desc;
    if keys.iter().all(|k| k.1.desc == first_desc) {
        let lhs: Vec<String> = keys.iter().map(term).collect();
        let rhs: Vec<String> = (1..=keys.len()).map(|i| format!("?{i}")).collect();
        return format!(
            "({}) {} ({})",
            lhs.join(", "),
            op(first_desc),
            rhs.join(", ")
        );
    }
    let mut ors = Vec::with_capacity(keys.len());
    for i in 0..keys.len() {
        let mut ands: Vec<String> = (0..i)
            .map(|j| format!("{} = ?{}", term(&keys[j]), j + 1))
            .collect();
        ands.push(format!(
            "{} {} ?{}",
            term(&keys[i]),
            op(keys[i].1.desc),
            i + 1
        ));
        ors.push(format!("({})", ands.join(" AND ")));
    }
    ors.join(" OR ")
}

/// `SELECT EXISTS (...)`: does the table hold a REAL `-Inf` in a column that can hold one?
/// `None` when no column can. (`+c` has no affinity, so only a REAL `-Inf` compares equal.)
pub fn neg_inf_probe(layout: &TableLayout) -> Option<String> {
    let conds: Vec<String> = layout
        .real_capable()
        .map(|c| format!("+{} IS -1e999", quote_identifier(&c.name)))
        .collect();
    if conds.is_empty() {
        return None;
    }
    Some(format!(
        "SELECT EXISTS (SELECT 1 FROM {} WHERE {})",
        quote_identifier(&layout.name),
        conds.join(" OR ")
    ))
}

/// Estimated size of a value in a Hrana JSON response.
fn json_size(v: &Value) -> usize {
    const OVERHEAD: usize = 32;
    OVERHEAD
        + match v {
            Value::Null => 0,
            Value::Integer(_) | Value::Real(_) => 20,
            Value::Text(s) => s.len() + s.len() / 8,
            Value::Blob(b) => b.len() * 4 / 3 + 4,
        }
}

/// Collects one page of rows (as the server sent them, key column and `-Inf` marks included)
/// and remembers where the page ended.
pub struct PageRows<'a> {
    layout: &'a TableLayout,
    pub rows: Vec<Vec<Value>>,
    pub est_bytes: usize,
    /// The key of the last row (bound as `?1..` for the next page).
    pub last_key: Vec<Value>,
}

impl<'a> PageRows<'a> {
    pub fn new(layout: &'a TableLayout) -> Self {
        PageRows {
            layout,
            rows: Vec::new(),
            est_bytes: 0,
            last_key: Vec::new(),
        }
    }
}

impl StepSink for PageRows<'_> {
    fn begin(&mut self, _: StepRef, _: &[Column]) -> Result<()> {
        Ok(())
    }

    fn row(&mut self, at: StepRef, row: &[Value]) -> Result<()> {
        self.row_owned(at, row.to_vec())
    }

    fn row_owned(&mut self, _: StepRef, row: Vec<Value>) -> Result<()> {
        let (skip, n) = self.layout.value_columns();
        if row.len() < skip + n {
            anyhow::bail!(
                "the server returned {} columns for {} expected",
                row.len(),
                skip + n
            );
        }
        self.est_bytes += row.iter().map(json_size).sum::<usize>();
        self.last_key.clear();
        match &self.layout.key {
            Key::Rowid(_) => self.last_key.push(row[0].clone()),
            Key::Pk(keys) => {
                for (i, _) in keys {
                    self.last_key.push(match &row[skip + i] {
                        Value::Real(_) if self.layout.is_neg_inf(&row, *i) => {
                            Value::Real(f64::NEG_INFINITY)
                        }
                        v => v.clone(),
                    });
                }
            }
            Key::Offset => {}
        }
        self.rows.push(row);
        Ok(())
    }

    fn end(&mut self, _: StepRef, _: &StmtSummary) -> Result<()> {
        Ok(())
    }
}

/// Writes rows of a page (as [`PageRows`] holds them) as `INSERT INTO t VALUES(...);` lines.
pub struct RowFormatter<'a> {
    layout: &'a TableLayout,
    prefix: &'a str,
    scratch: Vec<Value>,
}

impl<'a> RowFormatter<'a> {
    pub fn new(layout: &'a TableLayout, prefix: &'a str) -> Self {
        RowFormatter {
            layout,
            prefix,
            scratch: Vec::new(),
        }
    }

    /// Append the INSERT lines of `rows` to `text`.
    pub fn format(&mut self, rows: &[Vec<Value>], text: &mut String) {
        let (skip, n) = self.layout.value_columns();
        for row in rows {
            let mut vals = &row[skip..skip + n];
            if self.layout.has_neg_inf {
                self.scratch.clear();
                self.scratch.extend_from_slice(vals);
                for (i, v) in self.scratch.iter_mut().enumerate() {
                    if matches!(v, Value::Real(_)) && self.layout.is_neg_inf(row, i) {
                        *v = Value::Real(f64::NEG_INFINITY);
                    }
                }
                vals = &self.scratch;
            }
            write_insert_line(self.prefix, vals, text);
        }
    }
}

/// The next page size: aim at [`TARGET_PAGE_BYTES`] given what the last page weighed.
pub fn next_page_rows(rows: usize, est_bytes: usize) -> usize {
    if rows == 0 || est_bytes == 0 {
        return FIRST_PAGE_ROWS;
    }
    let per_row = est_bytes.div_ceil(rows).max(1);
    (TARGET_PAGE_BYTES / per_row).clamp(MIN_PAGE_ROWS, MAX_PAGE_ROWS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, decltype: &str, hidden: i64) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            decltype: decltype.into(),
            hidden,
        }
    }

    fn key(name: &str, desc: bool, coll: &str) -> KeyColumn {
        KeyColumn {
            name: name.into(),
            desc,
            coll: coll.into(),
        }
    }

    #[test]
    fn rowid_pages() {
        let l = TableLayout::new(
            "t",
            vec![col("a", "", 0), col("g", "", 2), col("b c", "TEXT", 0)],
            vec![],
        );
        assert_eq!(l.key, Key::Rowid("rowid"));
        assert_eq!(
            l.page_sql(false, 10, 0),
            "SELECT rowid, a, \"b c\" FROM t ORDER BY rowid LIMIT 10"
        );
        assert_eq!(
            l.page_sql(true, 10, 0),
            "SELECT rowid, a, \"b c\" FROM t WHERE rowid > ?1 ORDER BY rowid LIMIT 10"
        );
        assert_eq!(
            neg_inf_probe(&l).unwrap(),
            "SELECT EXISTS (SELECT 1 FROM t WHERE +a IS -1e999)"
        );
        let l = TableLayout::new("t", vec![col("rowid", "", 0), col("OID", "", 0)], vec![]);
        assert_eq!(l.key, Key::Rowid("_rowid_"));
        let mut l = TableLayout::new(
            "select",
            vec![
                col("rowid", "", 0),
                col("_rowid_", "", 0),
                col("oid", "", 2),
            ],
            vec![],
        );
        assert_eq!(l.key, Key::Offset);
        l.has_neg_inf = true;
        assert_eq!(
            l.page_sql(false, 5, 10),
            "SELECT rowid, _rowid_, (CASE WHEN +rowid IS -1e999 THEN 'x' ELSE '-' END) || \
             (CASE WHEN +_rowid_ IS -1e999 THEN 'x' ELSE '-' END) FROM \"select\" LIMIT 5 OFFSET 10"
        );
        let only_text = TableLayout::new("t", vec![col("a", "varchar", 0)], vec![]);
        assert_eq!(neg_inf_probe(&only_text), None);
    }

    #[test]
    fn primary_key_pages() {
        let cols = vec![col("x", "text", 0), col("y", "", 0), col("z", "", 0)];
        let l = TableLayout::new(
            "w",
            cols.clone(),
            vec![key("x", false, "nocase"), key("y", false, "BINARY")],
        );
        assert_eq!(
            l.page_sql(true, 7, 0),
            "SELECT x, y, z FROM w WHERE (x COLLATE nocase, y COLLATE BINARY) > (?1, ?2) \
             ORDER BY x COLLATE nocase, y COLLATE BINARY LIMIT 7"
        );
        let l = TableLayout::new("w", cols.clone(), vec![key("x", true, "BINARY")]);
        assert_eq!(
            l.page_sql(true, 7, 0),
            "SELECT x, y, z FROM w WHERE (x COLLATE BINARY) < (?1) ORDER BY x COLLATE BINARY DESC LIMIT 7"
        );
        let l = TableLayout::new(
            "w",
            cols,
            vec![key("x", true, "BINARY"), key("z", false, "BINARY")],
        );
        assert_eq!(
            l.key,
            Key::Pk(vec![
                (0, key("x", true, "BINARY")),
                (2, key("z", false, "BINARY"))
            ])
        );
        assert_eq!(
            l.page_sql(true, 7, 0),
            "SELECT x, y, z FROM w WHERE (x COLLATE BINARY < ?1) OR (x COLLATE BINARY = ?1 AND \
             z COLLATE BINARY > ?2) ORDER BY x COLLATE BINARY DESC, z COLLATE BINARY LIMIT 7"
        );
    }

    #[test]
    fn pages_are_written_as_inserts_with_neg_inf_fixed() {
        let mut l = TableLayout::new("t", vec![col("a", "", 0), col("b", "", 0)], vec![]);
        l.has_neg_inf = true;
        let prefix = l.insert_prefix();
        let mut sink = PageRows::new(&l);
        let at = StepRef {
            request: 0,
            step: None,
        };
        let row = [
            Value::Integer(7),
            Value::Real(f64::INFINITY),
            Value::Real(f64::INFINITY),
            Value::Text("-x".into()),
        ];
        sink.row(at, &row).unwrap();
        assert_eq!(sink.last_key, vec![Value::Integer(7)]);
        assert_eq!(sink.rows.len(), 1);
        assert!(sink.row(at, &row[..2]).is_err(), "a short row is refused");
        let mut text = String::new();
        RowFormatter::new(&l, &prefix).format(&sink.rows, &mut text);
        assert_eq!(text, "INSERT INTO t VALUES(1e999,-1e999);\n");
    }

    #[test]
    fn a_without_rowid_key_keeps_its_neg_inf() {
        let cols = vec![col("k", "REAL", 0), col("v", "", 0)];
        let mut l = TableLayout::new("w", cols, vec![key("k", false, "BINARY")]);
        l.has_neg_inf = true;
        let mut sink = PageRows::new(&l);
        let at = StepRef {
            request: 0,
            step: None,
        };
        let row = [
            Value::Real(f64::INFINITY),
            Value::Integer(1),
            Value::Text("x-".into()),
        ];
        sink.row(at, &row).unwrap();
        assert_eq!(sink.last_key, vec![Value::Real(f64::NEG_INFINITY)]);
    }

    #[test]
    fn pages_further_on_skip_rows_after_the_key() {
        let l = TableLayout::new("t", vec![col("a", "", 0)], vec![]);
        assert_eq!(
            l.page_sql(true, 10, 25),
            "SELECT rowid, a FROM t WHERE rowid > ?1 ORDER BY rowid LIMIT 10 OFFSET 25"
        );
    }

    #[test]
    fn page_rows_adapt() {
        assert_eq!(next_page_rows(0, 0), FIRST_PAGE_ROWS);
        assert_eq!(next_page_rows(1000, 10_000), MAX_PAGE_ROWS);
        assert_eq!(next_page_rows(10, 10 << 20), MIN_PAGE_ROWS);
        assert_eq!(next_page_rows(1000, 1000 * 1024), 4096);
    }
}
