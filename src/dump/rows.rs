//! The data side of a dump: a table's rows read in pages, each page one request on the dump's
//! stream, written as `INSERT INTO t VALUES(...);` lines as they arrive.
//!
//! Pages follow the table's own order, so each is a range scan that starts where the last one
//! ended: `WHERE rowid > ?1 ORDER BY rowid LIMIT n` for rowid tables, the primary key (with its
//! collations and directions, from `PRAGMA index_xinfo`) for WITHOUT ROWID tables. A rowid
//! table whose `rowid`, `_rowid_` and `oid` are all shadowed by real columns has no usable key
//! and falls back to `LIMIT n OFFSET k` (correct inside the snapshot, slower).
//!
//! Each row arrives as one text value the server rendered (see [`super::render`]): the
//! rowid and a space first (rowid tables, for the next page), then the row's literals. A
//! table is probed once for the classes of values each column holds, which decides how the
//! server writes it; a column holding values only the client can write exactly gets a slot
//! after the text, holding the raw value where the text has `?`. The key columns of a
//! WITHOUT ROWID table follow, raw, for the next page. Locally (values cost nothing to hand
//! over) there is no probe: every column travels raw and the client writes it.
//!
//! Page size adapts to the data: it aims at [`TARGET_PAGE_BYTES`] of estimated Hrana JSON per
//! response, well under sqld's 10 MB response cap, and halves and retries a page the server
//! refuses with `RESPONSE_TOO_LARGE`. Memory holds a few pages at most (see `dump_rows`),
//! whatever the table size.
//!
//! JSON has no infinities: sqld writes a REAL `-Inf` as `null`, which reads back as `+Inf`.
//! The rendered text spells infinities itself; only a raw key value can be one, so a WITHOUT
//! ROWID table whose key holds a `-Inf` (the probe says) is read with one more column that
//! marks where the `-Inf`s are.

use anyhow::Result;

use super::render::{self, Spec};
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
    /// Per column: how the server writes its values (see [`super::render`]).
    pub specs: Vec<Spec>,
    /// A key column of a WITHOUT ROWID table holds a REAL `-Inf`.
    pub has_neg_inf: bool,
    /// Page rows are the rowid (rowid tables) and the column values as they are; the
    /// client writes them all.
    pub raw: bool,
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
        // Until the probe says: any value, none left to the client.
        let specs = vec![Spec::Any { slotted: false }; cols.len()];
        TableLayout {
            name: name.to_string(),
            cols,
            key,
            specs,
            has_neg_inf: false,
            raw: false,
        }
    }

    /// How many slots a page row has (after its text).
    fn slots(&self) -> usize {
        self.specs.iter().filter(|s| s.slotted()).count()
    }

    /// Key columns of a WITHOUT ROWID table that may hold a REAL (all but TEXT affinity).
    fn real_capable_keys(&self) -> Vec<&KeyColumn> {
        match &self.key {
            Key::Pk(keys) => keys
                .iter()
                .filter(|(i, _)| !has_text_affinity(&self.cols[*i].decltype))
                .map(|(_, k)| k)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `SELECT ... FROM t`: for each column which classes of values it holds (see
    /// [`render::probe`]), then (if a key column can hold a REAL) whether a key holds
    /// `-Inf`. One scan, inside the dump's snapshot. `None`: nothing to ask.
    pub fn probe_sql(&self) -> Option<String> {
        let mut terms: Vec<String> = self
            .cols
            .iter()
            .map(|c| render::probe(&quote_identifier(&c.name)))
            .collect();
        let keys = self.real_capable_keys();
        if !keys.is_empty() {
            let conds: Vec<String> = keys
                .iter()
                .map(|k| format!("+{} IS -1e999", quote_identifier(&k.name)))
                .collect();
            terms.push(format!("max({})", conds.join(" OR ")));
        }
        if terms.is_empty() {
            return None;
        }
        Some(format!(
            "SELECT {} FROM {}",
            terms.join(", "),
            quote_identifier(&self.name)
        ))
    }

    /// Rows as plain values, written by the client (no probe needed): for a transport whose
    /// values cost nothing to hand over (see `Capabilities::encoded_values`).
    pub fn all_raw(&mut self) {
        self.raw = true;
    }

    /// Take the probe's answer (see [`TableLayout::probe_sql`]).
    pub fn apply_probe(&mut self, row: &[Value]) {
        let yes = |v: Option<&Value>| matches!(v, Some(Value::Integer(1)));
        for (i, s) in self.specs.iter_mut().enumerate() {
            *s = Spec::from_bits(match row.get(i) {
                Some(Value::Integer(b)) => Some(*b),
                _ => None,
            });
        }
        self.has_neg_inf = !self.real_capable_keys().is_empty() && yes(row.get(self.cols.len()));
    }

    /// `INSERT INTO <table> VALUES(` as sqlite3 writes it.
    pub fn insert_prefix(&self) -> String {
        format!("INSERT INTO {} VALUES(", quote_identifier(&self.name))
    }

    /// The SQL of one page. `after` says whether a previous page's key is bound as `?1..`;
    /// `offset` rows are skipped after it (for a table with no usable key, from the start).
    pub fn page_sql(&self, after: bool, limit: usize, offset: u64) -> String {
        let table = quote_identifier(&self.name);
        let cols: Vec<(String, Spec)> = self
            .cols
            .iter()
            .zip(&self.specs)
            .map(|(c, s)| (quote_identifier(&c.name), *s))
            .collect();
        let key = match &self.key {
            Key::Rowid(r) => Some(*r),
            _ => None,
        };
        let mut select: Vec<String> = Vec::with_capacity(self.slots() + 4);
        if self.raw {
            select.extend(key.map(str::to_string));
            select.extend(cols.into_iter().map(|(c, _)| c));
        } else {
            select.push(render::line(key, &cols));
            select.extend(
                cols.iter()
                    .filter(|c| c.1.slotted())
                    .map(|(c, _)| render::slot(c)),
            );
        }
        if let (Key::Pk(keys), false) = (&self.key, self.raw) {
            select.extend(keys.iter().map(|(_, k)| quote_identifier(&k.name)));
            if self.has_neg_inf {
                select.push(neg_inf_marks(keys));
            }
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
}

/// One text column: `x` where the key column holds `-Inf`, `-` elsewhere.
fn neg_inf_marks(keys: &[(usize, KeyColumn)]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|(_, k)| {
            format!(
                "(CASE WHEN +{} IS -1e999 THEN 'x' ELSE '-' END)",
                quote_identifier(&k.name)
            )
        })
        .collect();
    parts.join(" || ")
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

/// Estimated size of a value in a Hrana JSON response.
fn json_size(v: &Value) -> usize {
    const OVERHEAD: usize = 32;
    OVERHEAD
        + match v {
            Value::Null => 0,
            Value::Integer(_) | Value::Real(_) => 20,
            Value::Text(s) => s.len() + s.len() / 8,
            Value::Blob(b) => b.len() * 4 / 3 + 4,
            Value::RawText(b) => b.len() * 3,
        }
}

/// Collects one page of rows (as the server sent them: text, slots, key columns, `-Inf`
/// marks) and remembers where the page ended.
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

impl PageRows<'_> {
    /// A row of a raw page: the rowid (rowid tables), then the values.
    fn raw_row(&mut self, row: Vec<Value>) -> Result<()> {
        let layout = self.layout;
        let skip = usize::from(matches!(layout.key, Key::Rowid(_)));
        if row.len() != skip + layout.cols.len() {
            anyhow::bail!(
                "the database returned {} columns for {} expected",
                row.len(),
                skip + layout.cols.len()
            );
        }
        self.est_bytes += row.iter().map(json_size).sum::<usize>();
        self.last_key.clear();
        match &layout.key {
            Key::Rowid(_) => self.last_key.push(row[0].clone()),
            Key::Pk(keys) => self
                .last_key
                .extend(keys.iter().map(|(i, _)| row[*i].clone())),
            Key::Offset => {}
        }
        self.rows.push(row);
        Ok(())
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
        if self.layout.raw {
            return self.raw_row(row);
        }
        let slots = self.layout.slots();
        let keys = match &self.layout.key {
            Key::Pk(keys) => keys.len() + usize::from(self.layout.has_neg_inf),
            _ => 0,
        };
        if row.len() != 1 + slots + keys {
            anyhow::bail!(
                "the server returned {} columns for {} expected",
                row.len(),
                1 + slots + keys
            );
        }
        let Value::Text(line) = &row[0] else {
            anyhow::bail!("the server did not render a row as text (the table changed?)");
        };
        self.est_bytes += json_size(&row[0]) + row[1..].iter().map(json_size).sum::<usize>();
        self.last_key.clear();
        match &self.layout.key {
            Key::Rowid(_) => {
                let rowid = line
                    .split_once(' ')
                    .and_then(|(k, _)| k.parse::<i64>().ok())
                    .ok_or_else(|| anyhow::anyhow!("a rendered row without its rowid"))?;
                self.last_key.push(Value::Integer(rowid));
            }
            Key::Pk(keys) => {
                let start = 1 + slots;
                let marks = match row.last() {
                    Some(Value::Text(m)) if self.layout.has_neg_inf => m.as_bytes(),
                    _ => &[],
                };
                for (k, _) in keys.iter().enumerate() {
                    self.last_key.push(match &row[start + k] {
                        Value::Real(_) if marks.get(k) == Some(&b'x') => {
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
}

impl<'a> RowFormatter<'a> {
    pub fn new(layout: &'a TableLayout, prefix: &'a str) -> Self {
        RowFormatter { layout, prefix }
    }

    /// Append the INSERT lines of `rows` to `text`.
    pub fn format(&mut self, rows: &[Vec<Value>], text: &mut String) -> Result<()> {
        if self.layout.raw {
            let skip = usize::from(matches!(self.layout.key, Key::Rowid(_)));
            for row in rows {
                write_insert_line(self.prefix, &row[skip..], text);
            }
            return Ok(());
        }
        let slots = self.layout.slots();
        for row in rows {
            let Some(Value::Text(line)) = row.first() else {
                anyhow::bail!("the server did not render a row as text");
            };
            let line = match self.layout.key {
                Key::Rowid(_) => line.split_once(' ').map_or("", |(_, l)| l),
                _ => line,
            };
            text.push_str(self.prefix);
            render::finish_line(line, &row[1..1 + slots], text).map_err(anyhow::Error::msg)?;
            text.push_str(");\n");
        }
        Ok(())
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

    /// Run a page (or probe) query on `conn`, rows as the transports convert them.
    fn query(conn: &rusqlite::Connection, sql: &str, args: &[Value]) -> Vec<Vec<Value>> {
        let mut st = conn.prepare(sql).unwrap();
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(args)).unwrap();
        let mut out = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            out.push(
                (0..n)
                    .map(|i| crate::transport::local::value_from_ref(r.get_ref(i).unwrap()))
                    .collect(),
            );
        }
        out
    }

    const AT: StepRef = StepRef {
        request: 0,
        step: None,
    };

    /// Probe, then read the whole table in pages of `limit` rows as the dump does; the
    /// INSERT lines, and the lines the client writes from the raw values.
    fn dump_table(
        conn: &rusqlite::Connection,
        l: &mut TableLayout,
        limit: usize,
    ) -> (String, String) {
        match l.probe_sql() {
            Some(sql) if !l.raw => l.apply_probe(&query(conn, &sql, &[])[0]),
            _ => {}
        }
        let prefix = l.insert_prefix();
        let (mut text, mut key) = (String::new(), None::<Vec<Value>>);
        loop {
            let sql = l.page_sql(key.is_some(), limit, 0);
            let mut sink = PageRows::new(l);
            for row in query(conn, &sql, key.as_deref().unwrap_or_default()) {
                sink.row(AT, &row).unwrap();
            }
            RowFormatter::new(l, &prefix)
                .format(&sink.rows, &mut text)
                .unwrap();
            if sink.rows.len() < limit {
                break;
            }
            key = Some(sink.last_key);
        }
        let mut want = String::new();
        let cols: Vec<String> = l.cols.iter().map(|c| quote_identifier(&c.name)).collect();
        let order = match &l.key {
            Key::Pk(keys) => keys
                .iter()
                .map(|(_, k)| quote_identifier(&k.name))
                .collect::<Vec<_>>()
                .join(", "),
            _ => "rowid".into(),
        };
        let all = format!(
            "SELECT {} FROM {} ORDER BY {order}",
            cols.join(", "),
            quote_identifier(&l.name)
        );
        for row in query(conn, &all, &[]) {
            crate::value::write_insert_line(&prefix, &row, &mut want);
        }
        (text, want)
    }

    #[test]
    fn rowid_pages() {
        let l = TableLayout::new(
            "t",
            vec![col("a", "", 0), col("g", "", 2), col("b c", "TEXT", 0)],
            vec![],
        );
        assert_eq!(l.key, Key::Rowid("rowid"));
        assert!(l
            .page_sql(false, 10, 0)
            .starts_with("SELECT printf('%d %s,%s', rowid, "));
        assert!(l
            .page_sql(false, 10, 0)
            .ends_with(" FROM t ORDER BY rowid LIMIT 10"));
        assert!(l
            .page_sql(true, 10, 0)
            .ends_with(" FROM t WHERE rowid > ?1 ORDER BY rowid LIMIT 10"));
        assert!(l.probe_sql().unwrap().ends_with(" FROM t"));
        let l = TableLayout::new("t", vec![col("rowid", "", 0), col("OID", "", 0)], vec![]);
        assert_eq!(l.key, Key::Rowid("_rowid_"));
        let l = TableLayout::new(
            "select",
            vec![
                col("rowid", "", 0),
                col("_rowid_", "", 0),
                col("oid", "", 2),
            ],
            vec![],
        );
        assert_eq!(l.key, Key::Offset);
        assert!(l
            .page_sql(false, 5, 10)
            .ends_with(" FROM \"select\" LIMIT 5 OFFSET 10"));
    }

    #[test]
    fn primary_key_pages() {
        let cols = vec![col("x", "text", 0), col("y", "", 0), col("z", "", 0)];
        let l = TableLayout::new(
            "w",
            cols.clone(),
            vec![key("x", false, "nocase"), key("y", false, "BINARY")],
        );
        assert!(l.page_sql(true, 7, 0).ends_with(
            ", x, y FROM w WHERE (x COLLATE nocase, y COLLATE BINARY) > (?1, ?2) \
             ORDER BY x COLLATE nocase, y COLLATE BINARY LIMIT 7"
        ));
        let l = TableLayout::new("w", cols.clone(), vec![key("x", true, "BINARY")]);
        assert!(l.page_sql(true, 7, 0).ends_with(
            ", x FROM w WHERE (x COLLATE BINARY) < (?1) ORDER BY x COLLATE BINARY DESC LIMIT 7"
        ));
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
        assert!(l.page_sql(true, 7, 0).ends_with(
            ", x, z FROM w WHERE (x COLLATE BINARY < ?1) OR (x COLLATE BINARY = ?1 AND \
             z COLLATE BINARY > ?2) ORDER BY x COLLATE BINARY DESC, z COLLATE BINARY LIMIT 7"
        ));
        assert_eq!(
            l.probe_sql().unwrap().matches("IS -1e999").count(),
            1,
            "z only"
        );
    }

    #[test]
    fn rendered_pages_are_what_the_client_writes() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t(a, \"b c\" TEXT, r REAL);
             INSERT INTO t VALUES (1, 'x', 0.25), (NULL, 'it''s ?', -1e999), (x'00ff', 'two\nlines', 0.1),
               (2.5, 'nul'||char(0), -0.0), ('a?b', '', 1e999), (-7, 'cr'||char(13), 125000.0);",
        )
        .unwrap();
        let cols = vec![col("a", "", 0), col("b c", "TEXT", 0), col("r", "REAL", 0)];
        for limit in [1, 2, 100] {
            let mut l = TableLayout::new("t", cols.clone(), vec![]);
            let (got, want) = dump_table(&conn, &mut l, limit);
            assert_eq!(got, want);
            let any = Spec::Any { slotted: true };
            assert_eq!(l.specs, [Spec::Any { slotted: false }, any, any]);
            // The local transport's way: every value raw, written by the client.
            let mut raw = TableLayout::new("t", cols.clone(), vec![]);
            raw.all_raw();
            let (got, want) = dump_table(&conn, &mut raw, limit);
            assert_eq!(got, want);
        }
        // Nothing to leave to the client: no slots.
        conn.execute_batch("DELETE FROM t WHERE rowid IN (3, 4, 6)")
            .unwrap();
        let mut l = TableLayout::new("t", cols, vec![]);
        let (got, want) = dump_table(&conn, &mut l, 2);
        assert_eq!(got, want);
        // Infinities are written by SQL, but the probe does not tell them from REALs only
        // the client can write: the column keeps a slot (unused here).
        assert_eq!(
            l.specs,
            [
                Spec::Any { slotted: false },
                Spec::Text,
                Spec::Any { slotted: true }
            ]
        );
        assert!(l
            .page_sql(false, 1, 0)
            .starts_with("SELECT printf('%d %s,%Q,%s', rowid, "));
    }

    #[test]
    fn without_rowid_tables_page_by_their_key() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE w(k REAL, s TEXT COLLATE NOCASE, v, PRIMARY KEY (k DESC, s)) WITHOUT ROWID;
             INSERT INTO w VALUES (-1e999, 'a', 1), (0.1, 'B', 2), (0.1, 'a', 3), (1e999, 'x', 0.5), (2, 'y\n', x'01');",
        )
        .unwrap();
        let cols = vec![col("k", "REAL", 0), col("s", "TEXT", 0), col("v", "", 0)];
        let keys = vec![key("k", true, "BINARY"), key("s", false, "NOCASE")];
        let mut l = TableLayout::new("w", cols, keys);
        let (got, _) = dump_table(&conn, &mut l, 2);
        assert!(l.has_neg_inf);
        let want = "INSERT INTO w VALUES(1e999,'x',0.5);\nINSERT INTO w VALUES(2.0,replace('y\\n','\\n',char(10)),X'01');\n\
                    INSERT INTO w VALUES(0.10000000000000001,'a',3);\nINSERT INTO w VALUES(0.10000000000000001,'B',2);\n\
                    INSERT INTO w VALUES(-1e999,'a',1);\n";
        assert_eq!(got, want);
        let mut raw = TableLayout::new(
            "w",
            l.cols.clone(),
            vec![key("k", true, "BINARY"), key("s", false, "NOCASE")],
        );
        raw.all_raw();
        assert_eq!(dump_table(&conn, &mut raw, 2).0, want);
    }

    #[test]
    fn a_without_rowid_key_keeps_its_neg_inf() {
        // As JSON brings it: -Inf arrives as +Inf, the marks column says which it was.
        let cols = vec![col("k", "REAL", 0), col("v", "", 0)];
        let mut l = TableLayout::new("w", cols, vec![key("k", false, "BINARY")]);
        l.has_neg_inf = true;
        let mut sink = PageRows::new(&l);
        let row = [
            Value::Text("-1e999,1".into()),
            Value::Real(f64::INFINITY),
            Value::Text("x".into()),
        ];
        sink.row(AT, &row).unwrap();
        assert_eq!(sink.last_key, vec![Value::Real(f64::NEG_INFINITY)]);
        assert!(sink.row(AT, &row[..2]).is_err(), "a short row is refused");
        let mut bad = row.clone();
        bad[0] = Value::Null;
        assert!(
            sink.row(AT, &bad).is_err(),
            "a row the server did not render"
        );
    }

    #[test]
    fn pages_further_on_skip_rows_after_the_key() {
        let l = TableLayout::new("t", vec![col("a", "", 0)], vec![]);
        assert!(l
            .page_sql(true, 10, 25)
            .ends_with(" FROM t WHERE rowid > ?1 ORDER BY rowid LIMIT 10 OFFSET 25"));
    }

    #[test]
    fn page_rows_adapt() {
        assert_eq!(next_page_rows(0, 0), FIRST_PAGE_ROWS);
        assert_eq!(next_page_rows(1000, 10_000), MAX_PAGE_ROWS);
        assert_eq!(next_page_rows(10, 10 << 20), MIN_PAGE_ROWS);
        assert_eq!(next_page_rows(1000, 1000 * 1024), 4096);
    }
}
