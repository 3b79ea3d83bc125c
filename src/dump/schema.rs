//! The schema side of a dump: which objects `sqlite_schema` holds, in which order and form
//! sqlite3's `.dump` writes them, and the column and key layout used to page a table's rows.
//!
//! The rules mirror sqlite3 3.40's shell (`.dump`), checked against its output: tables first
//! (`sqlite_sequence` last among them), each CREATE followed by its rows; `sqlite_sequence` as
//! `DELETE FROM sqlite_sequence;` plus its rows; `sqlite_stat1`/`4` as `ANALYZE sqlite_schema;`
//! plus rows; other `sqlite_*` tables skipped; virtual tables written into `sqlite_schema`
//! under `PRAGMA writable_schema=ON` (their shadow tables are ordinary tables); then views,
//! triggers and indexes in `sqlite_schema` order.

use crate::sql;
use crate::value::Value;

/// One row of `sqlite_schema` with SQL text.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaObject {
    pub kind: String,
    pub name: String,
    pub tbl_name: String,
    pub sql: String,
    /// Chosen by the TABLE patterns (always true without patterns).
    pub selected: bool,
}

/// What a table of `sqlite_schema` turns into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableRole {
    /// CREATE statement, then rows.
    Plain,
    /// `DELETE FROM sqlite_sequence;`, then rows.
    Sequence,
    /// `ANALYZE sqlite_schema;` (creates the statistics tables), then rows.
    Stat,
    /// A row inserted into `sqlite_schema` under `writable_schema`; no rows of its own.
    Virtual,
    /// An SQLite-internal table sqlite3 leaves out: nothing at all.
    SqliteInternal,
    /// A libSQL-internal table: a comment saying it was skipped.
    LibsqlInternal,
}

/// Tables libSQL and its tooling create for themselves; restoring them elsewhere would
/// collide with the server's own copy.
const LIBSQL_INTERNAL: &[&str] = &[
    "libsql_wasm_func_table",
    "_litestream_seq",
    "_litestream_lock",
];

pub fn table_role(obj: &SchemaObject) -> TableRole {
    let name = obj.name.as_str();
    if name == "sqlite_sequence" {
        TableRole::Sequence
    } else if name.len() == 12 && name.starts_with("sqlite_stat") {
        TableRole::Stat
    } else if name.starts_with("sqlite_") {
        TableRole::SqliteInternal
    } else if LIBSQL_INTERNAL.contains(&name) {
        TableRole::LibsqlInternal
    } else if obj.sql.starts_with("CREATE VIRTUAL TABLE") {
        TableRole::Virtual
    } else {
        TableRole::Plain
    }
}

/// The table in which libSQL keeps the parameters of every vector index.
pub const VECTOR_INDEX_META: &str = "libsql_vector_meta_shadow";

/// Leave out the tables a libSQL vector index keeps its graph in (`libsql_vector_meta_shadow`
/// and `<index>_shadow` of each index on `libsql_vector_idx(…)`), and the indexes on them;
/// returns the names of the tables that were selected. For dumps that would load them next
/// to an index that rebuilds or maintains them itself (TABLE patterns, `--data-only`).
pub fn drop_vector_index_shadows(objects: &mut [SchemaObject]) -> Vec<String> {
    let shadows: Vec<String> = objects
        .iter()
        .filter(|o| o.kind == "index" && o.sql.to_ascii_lowercase().contains("libsql_vector_idx"))
        .map(|o| format!("{}_shadow", o.name))
        .chain([VECTOR_INDEX_META.to_string()])
        .collect();
    let is_shadow = |name: &str| shadows.iter().any(|s| s.eq_ignore_ascii_case(name));
    let mut dropped = Vec::new();
    for o in objects.iter_mut() {
        if o.selected && is_shadow(&o.tbl_name) {
            o.selected = false;
            if o.kind == "table" {
                dropped.push(o.name.clone());
            }
        }
    }
    dropped
}

/// The query listing the schema; `patterns` are bound as `?1..?n` (LIKE patterns, `\`
/// escapes, as sqlite3's `.dump` arguments). A pattern selects the tables it matches (and
/// the shadow tables of a virtual table it matches), the views, indexes and triggers whose
/// name it matches, and, unlike sqlite3, also the indexes and triggers of a selected table.
pub fn schema_query(patterns: usize) -> String {
    let selected = if patterns == 0 {
        "1".to_string()
    } else {
        let terms: Vec<String> = (1..=patterns)
            .map(|i| {
                format!(
                    "name LIKE ?{i} ESCAPE '\\' \
                     OR (type IN ('index','trigger') AND tbl_name LIKE ?{i} ESCAPE '\\') \
                     OR (type = 'table' AND EXISTS (SELECT 1 FROM sqlite_schema \
                     WHERE name LIKE ?{i} ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%' \
                     AND substr(o.name, 1, length(name) + 1) == (name || '_')))"
                )
            })
            .collect();
        format!("({})", terms.join(" OR "))
    };
    format!(
        "SELECT type, name, tbl_name, sql, {selected} FROM sqlite_schema AS o \
         WHERE sql NOT NULL ORDER BY rowid"
    )
}

/// Parse one row of [`schema_query`].
pub fn schema_object(row: &[Value]) -> Option<SchemaObject> {
    let text = |v: Option<&Value>| v.and_then(Value::text_lossy);
    Some(SchemaObject {
        kind: text(row.first())?,
        name: text(row.get(1))?,
        tbl_name: text(row.get(2)).unwrap_or_default(),
        sql: text(row.get(3))?,
        selected: matches!(row.get(4), Some(Value::Integer(n)) if *n != 0),
    })
}

/// Tables in dump order: `sqlite_schema` order with `sqlite_sequence` moved last (as sqlite3's
/// `ORDER BY tbl_name='sqlite_sequence', rowid`).
pub fn dump_order_tables(objects: &[SchemaObject]) -> Vec<&SchemaObject> {
    let mut tables: Vec<&SchemaObject> = objects
        .iter()
        .filter(|o| o.kind == "table" && o.selected)
        .collect();
    tables.sort_by_key(|o| o.tbl_name == "sqlite_sequence");
    tables
}

/// Views, triggers and indexes, in `sqlite_schema` order.
pub fn other_objects(objects: &[SchemaObject]) -> Vec<&SchemaObject> {
    objects
        .iter()
        .filter(|o| o.selected && matches!(o.kind.as_str(), "index" | "trigger" | "view"))
        .collect()
}

/// A CREATE TABLE statement as sqlite3 writes it: a comment left open at the end is closed
/// (`*/` or a newline) so the `;` is not swallowed, and a quoted table name gets
/// `IF NOT EXISTS` (sqlite3 does so because shadow tables of virtual tables are created by
/// the virtual table itself).
pub fn create_table_line(sql: &str) -> String {
    let mut z = sql.to_string();
    if z.contains("/*") || z.contains("--") {
        for term in ["", "*/", "\n"] {
            if sql::is_complete(&format!("{sql}{term};")) {
                z = format!("{sql}{term}");
                break;
            }
        }
    }
    if z.starts_with("CREATE TABLE '") || z.starts_with("CREATE TABLE \"") {
        z = format!("CREATE TABLE IF NOT EXISTS {}", &z[13..]);
    }
    z.push_str(";\n");
    z
}

/// A view, trigger or index as sqlite3 writes it: `;` on its own line when the text holds
/// `--` anywhere (a trailing comment would swallow it).
pub fn other_object_line(sql: &str) -> String {
    if sql.contains("--") {
        format!("{sql}\n;\n")
    } else {
        format!("{sql};\n")
    }
}

/// How sqlite3 records a virtual table in a dump (`%q` doubles single quotes).
pub fn virtual_table_line(name: &str, sql: &str) -> String {
    let q = |s: &str| s.replace('\'', "''");
    format!(
        "INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','{}','{}',0,'{}');\n",
        q(name),
        q(name),
        q(sql)
    )
}

/// A text as a single-quoted SQL string (for PRAGMA arguments).
pub fn string_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One column of `PRAGMA table_xinfo`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    pub decltype: String,
    /// 0 ordinary; 1 hidden (virtual tables); 2, 3 generated.
    pub hidden: i64,
}

/// One key column of a WITHOUT ROWID table's primary key (`PRAGMA index_xinfo`).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyColumn {
    pub name: String,
    pub desc: bool,
    pub coll: String,
}

pub fn column_info(row: &[Value]) -> Option<ColumnInfo> {
    // cid, name, type, notnull, dflt_value, pk, hidden
    let name = row.get(1).and_then(Value::text_lossy)?;
    let decltype = row.get(2).and_then(Value::text_lossy).unwrap_or_default();
    let hidden = match row.get(6) {
        Some(Value::Integer(h)) => *h,
        _ => 0,
    };
    Some(ColumnInfo {
        name,
        decltype,
        hidden,
    })
}

pub fn key_column(row: &[Value]) -> Option<KeyColumn> {
    // seqno, cid, name, desc, coll, key
    let is_key = matches!(row.get(5), Some(Value::Integer(1)));
    let name = row.get(2).and_then(Value::text_lossy)?;
    if !is_key {
        return None;
    }
    Some(KeyColumn {
        name,
        desc: matches!(row.get(3), Some(Value::Integer(1))),
        coll: row
            .get(4)
            .and_then(Value::text_lossy)
            .unwrap_or_else(|| "BINARY".into()),
    })
}

/// Whether a declared type gives TEXT affinity (SQLite's rules, in order): such a column
/// can never hold a REAL.
pub fn has_text_affinity(decltype: &str) -> bool {
    let t = decltype.to_ascii_uppercase();
    !t.contains("INT") && (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: &str, name: &str, sql: &str) -> SchemaObject {
        SchemaObject {
            kind: kind.into(),
            name: name.into(),
            tbl_name: name.into(),
            sql: sql.into(),
            selected: true,
        }
    }

    #[test]
    fn create_table_lines_like_sqlite3() {
        assert_eq!(
            create_table_line("CREATE TABLE t(a)"),
            "CREATE TABLE t(a);\n"
        );
        assert_eq!(
            create_table_line("CREATE TABLE \"my tab\"(a)"),
            "CREATE TABLE IF NOT EXISTS \"my tab\"(a);\n"
        );
        assert_eq!(
            create_table_line("CREATE TABLE 'x'(a)"),
            "CREATE TABLE IF NOT EXISTS 'x'(a);\n"
        );
        assert_eq!(
            create_table_line("CREATE TABLE [x](a)"),
            "CREATE TABLE [x](a);\n"
        );
        assert_eq!(
            create_table_line("CREATE TABLE t(a -- note\n)"),
            "CREATE TABLE t(a -- note\n);\n"
        );
        assert_eq!(
            create_table_line("CREATE TABLE t(a) -- trailing"),
            "CREATE TABLE t(a) -- trailing\n;\n"
        );
        assert_eq!(
            create_table_line("CREATE TABLE t(a) /* open"),
            "CREATE TABLE t(a) /* open*/;\n"
        );
        assert_eq!(
            other_object_line("CREATE VIEW v AS SELECT 1 -- c"),
            "CREATE VIEW v AS SELECT 1 -- c\n;\n"
        );
        assert_eq!(
            other_object_line("CREATE INDEX i ON t(a)"),
            "CREATE INDEX i ON t(a);\n"
        );
    }

    #[test]
    fn roles_and_order() {
        let objs = vec![
            obj(
                "table",
                "sqlite_sequence",
                "CREATE TABLE sqlite_sequence(name,seq)",
            ),
            obj("table", "a", "CREATE TABLE a(x)"),
            obj(
                "table",
                "sqlite_stat1",
                "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
            ),
            obj("table", "ft", "CREATE VIRTUAL TABLE ft USING fts5(b)"),
            obj("index", "i", "CREATE INDEX i ON a(x)"),
            obj(
                "table",
                "libsql_wasm_func_table",
                "CREATE TABLE libsql_wasm_func_table(name, body)",
            ),
            obj("table", "b", "CREATE TABLE b(x)"),
        ];
        let names: Vec<&str> = dump_order_tables(&objs)
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "a",
                "sqlite_stat1",
                "ft",
                "libsql_wasm_func_table",
                "b",
                "sqlite_sequence"
            ]
        );
        let roles: Vec<TableRole> = objs.iter().map(table_role).collect();
        assert_eq!(
            roles,
            [
                TableRole::Sequence,
                TableRole::Plain,
                TableRole::Stat,
                TableRole::Virtual,
                TableRole::Plain,
                TableRole::LibsqlInternal,
                TableRole::Plain
            ]
        );
        assert_eq!(other_objects(&objs).len(), 1);
        assert_eq!(
            virtual_table_line("f't", "CREATE VIRTUAL TABLE \"f't\" USING fts5(b)"),
            "INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','f''t','f''t',0,'CREATE VIRTUAL TABLE \"f''t\" USING fts5(b)');\n"
        );
    }

    #[test]
    fn text_affinity() {
        assert!(has_text_affinity("TEXT"));
        assert!(has_text_affinity("varchar(10)"));
        assert!(!has_text_affinity("CHARINT"));
        assert!(!has_text_affinity(""));
        assert!(!has_text_affinity("REAL"));
        assert!(!has_text_affinity("BLOB"));
    }
}
