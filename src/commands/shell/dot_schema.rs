//! `.schema` and `.fullschema` as sqlite3 3.40 writes them: every stored CREATE statement of
//! every attached database (main first, then `temp` and the others, each in creation
//! order), a quoted table name written `CREATE TABLE IF NOT EXISTS` and a comment left open
//! closed (`dump::schema::create_table_line`, sqlite3's printSchemaLine). `.schema` also
//! names a non-main database in the statement (`CREATE TABLE temp.t(…)`) and follows a view
//! or virtual table with its columns in a comment (`/* v(a,b) */`), as sqlite3's
//! `shell_add_schema` does; `.fullschema` writes the statements as stored.

use anyhow::Result;

use super::state::Shell;
use crate::dump::schema::create_table_line;
use crate::render::quote_identifier;
use crate::value::Value;

/// The statements that name an object, whose name a database is put before.
const PREFIXES: [&str; 6] = [
    "CREATE TABLE ",
    "CREATE INDEX ",
    "CREATE UNIQUE INDEX ",
    "CREATE VIEW ",
    "CREATE TRIGGER ",
    "CREATE VIRTUAL TABLE ",
];

impl Shell {
    /// `.schema [--nosys] [PATTERN]`: PATTERN is matched (LIKE, or GLOB when it holds
    /// `*?[`) against the table an object belongs to, `db.table` when it holds a dot.
    pub(super) fn schema(&mut self, pattern: Option<&str>, nosys: bool) -> Result<()> {
        let dbs: Vec<String> = self
            .query("SELECT name FROM pragma_database_list", Vec::new())?
            .iter()
            .map(|r| r[0].to_text(""))
            .collect();
        let mut union = Vec::new();
        for (i, db) in dbs.iter().enumerate() {
            union.push(format!(
                "SELECT sql, type, tbl_name, name, rowid AS x, {n} AS snum, {lit} AS sname \
                 FROM {id}.sqlite_schema",
                n = i + 1,
                lit = Value::Text(db.clone()).to_sql_literal(),
                id = quote_identifier(db),
            ));
        }
        let mut cond = String::from("sql IS NOT NULL");
        if nosys {
            cond.push_str(" AND name NOT LIKE 'sqlite_%'");
        }
        let mut args = Vec::new();
        if let Some(p) = pattern {
            let column = if p.contains('.') {
                "lower(printf('%s.%s', sname, tbl_name))"
            } else {
                "lower(tbl_name)"
            };
            if p.contains(['*', '?', '[']) {
                cond.push_str(&format!(" AND {column} GLOB ?1"));
            } else {
                cond.push_str(&format!(" AND {column} LIKE ?1 ESCAPE '\\'"));
            }
            args.push(Value::Text(p.to_string()));
        }
        let rows = self.query(
            &format!(
                "SELECT sql, type, name, sname FROM ({}) WHERE {cond} ORDER BY snum, x",
                union.join(" UNION ALL ")
            ),
            args,
        )?;
        let mut text = String::new();
        for r in rows {
            let (sql, name, db) = (r[0].to_text(""), r[2].to_text(""), r[3].to_text(""));
            let sql = self.add_schema(&sql, &db, &name)?;
            text.push_str(&create_table_line(&sql));
        }
        self.print(&text)
    }

    /// sqlite3's `shell_add_schema`: the database before the object's name when it is not
    /// `main`, and after a view or virtual table a comment with its columns.
    fn add_schema(&mut self, sql: &str, db: &str, name: &str) -> Result<String> {
        let Some(prefix) = PREFIXES.iter().find(|p| {
            sql.as_bytes()
                .get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p.as_bytes()))
        }) else {
            return Ok(sql.to_string());
        };
        let mut out = sql.to_string();
        let mut shown_name = quote_identifier(name);
        if db != "main" {
            let qualifier = if db.eq_ignore_ascii_case("temp") {
                db.to_string()
            } else {
                quote_identifier(db)
            };
            out = format!(
                "{}{qualifier}.{}",
                &sql[..prefix.len()],
                &sql[prefix.len()..]
            );
            shown_name = format!("{qualifier}.{shown_name}");
        }
        if matches!(*prefix, "CREATE VIEW " | "CREATE VIRTUAL TABLE ") {
            let cols = self.query(
                "SELECT name FROM pragma_table_info(?1, ?2)",
                vec![Value::Text(name.to_string()), Value::Text(db.to_string())],
            );
            if let Ok(cols) = cols {
                let list: Vec<String> = cols
                    .iter()
                    .map(|c| quote_identifier(&c[0].to_text("")))
                    .collect();
                out.push_str(&format!("\n/* {shown_name}({}) */", list.join(",")));
            }
        }
        Ok(out)
    }

    /// `.tables [PATTERN]` (`indexes`: `.indexes [TABLE]`), as sqlite3 lists them: the
    /// tables and views (indexes, SQLite's own included) of every database, those not in
    /// `main` named `db.name`, sorted, matched by LIKE against the name (the index's table),
    /// laid out in columns. One query, whatever the databases (`pragma_table_list`; a
    /// WITHOUT ROWID table's primary key is the table, not an index in the schema).
    pub(super) fn list_objects(&mut self, indexes: bool, pattern: Option<&str>) -> Result<()> {
        let shown = "CASE WHEN t.schema = 'main' THEN {n} ELSE t.schema || '.' || {n} END";
        let sql = if indexes {
            format!(
                "SELECT {} FROM pragma_table_list AS t, pragma_index_list(t.name, t.schema) AS i \
                 WHERE t.name LIKE ?1 AND NOT (i.origin = 'pk' AND t.wr) ORDER BY 1",
                shown.replace("{n}", "i.name")
            )
        } else {
            format!(
                "SELECT {} FROM pragma_table_list AS t \
                 WHERE t.name NOT LIKE 'sqlite_%' AND t.name LIKE ?1 ORDER BY 1",
                shown.replace("{n}", "t.name")
            )
        };
        let rows = self.query(&sql, vec![Value::Text(pattern.unwrap_or("%").to_string())])?;
        let names: Vec<String> = rows.iter().map(|r| r[0].to_text("")).collect();
        self.print(&in_columns(&names))
    }

    /// The statements of `.fullschema`: every database's, in creation order, as stored.
    pub(super) fn fullschema_statements(&mut self) -> Result<String> {
        let rows = self.query(
            "SELECT sql FROM \
               (SELECT sql sql, type type, tbl_name tbl_name, name name, rowid x \
                  FROM sqlite_schema UNION ALL \
                SELECT sql, type, tbl_name, name, rowid FROM sqlite_temp_schema) \
             WHERE type!='meta' AND sql NOTNULL AND name NOT LIKE 'sqlite_%' ORDER BY x",
            Vec::new(),
        )?;
        Ok(rows
            .iter()
            .map(|r| create_table_line(&r[0].to_text("")))
            .collect())
    }
}

/// Names in columns as sqlite3 lays out `.tables`: each padded to the longest, two spaces
/// apart, as many as fit in 80 characters, filled down each column first.
fn in_columns(names: &[String]) -> String {
    let Some(longest) = names.iter().map(|n| n.chars().count()).max() else {
        return String::new();
    };
    let per_line = (80 / (longest + 2)).max(1);
    let rows = names.len().div_ceil(per_line);
    let mut out = String::new();
    for i in 0..rows {
        for (k, name) in names.iter().enumerate().skip(i).step_by(rows) {
            let gap = if k < rows { "" } else { "  " };
            out.push_str(&format!("{gap}{name:<longest$}"));
        }
        out.push('\n');
    }
    out
}
