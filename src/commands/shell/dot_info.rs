//! Dot-commands that describe the database, each a query (or a few) through the session, so
//! they work the same on every transport: `.databases`, `.dbinfo`, `.fullschema`, `.lint
//! fkey-indexes`, `.version`, the `.eqp` query plan and `.parameter` (whose values are SQL
//! expressions); and `.limit` and `.vfsname`, which only an in-process connection has.

use anyhow::Result;

use super::dot::ParamAction;
use super::state::Shell;
use crate::error::usage;
use crate::render::quote_identifier;
use crate::session::ErrorMode;
use crate::sql;
use crate::transport::native::LIMITS;
use crate::value::{write_insert_line, Value};

/// The integer in a result cell (0 for anything else).
fn int(v: &Value) -> i64 {
    match v {
        Value::Integer(i) => *i,
        Value::Real(f) => *f as i64,
        Value::Text(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// A name as SQL text (`quote()`'s form, as sqlite3's `.lint` writes names).
fn quote_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// sqlite3's GLOB: `*`, `?` and `[...]` classes.
pub(super) fn glob(pattern: &[char], text: &[char]) -> bool {
    match pattern.first() {
        None => text.is_empty(),
        Some('*') => (0..=text.len()).any(|i| glob(&pattern[1..], &text[i..])),
        Some('?') => !text.is_empty() && glob(&pattern[1..], &text[1..]),
        Some('[') => {
            let Some(close) = pattern.iter().skip(2).position(|c| *c == ']') else {
                return text.first() == Some(&'[') && glob(&pattern[1..], &text[1..]);
            };
            let class = &pattern[1..close + 2];
            let (negate, class) = match class.first() {
                Some('^') => (true, &class[1..]),
                _ => (false, class),
            };
            let Some(&c) = text.first() else {
                return false;
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && glob(&pattern[close + 3..], &text[1..])
        }
        Some(p) => text.first() == Some(p) && glob(&pattern[1..], &text[1..]),
    }
}

impl Shell {
    /// `.parameter set|unset|list|clear|init`, as sqlite3 keeps its `temp.sqlite_parameters`
    /// table: `list` in the order of the names' bytes, each value as `quote()` writes it.
    pub(super) fn parameter(&mut self, action: ParamAction) -> Result<()> {
        match action {
            ParamAction::Set { name, value } => {
                let v = self.parameter_value(&value)?;
                self.feeder.params.set(name, v);
            }
            ParamAction::Unset { name } => self.feeder.params.unset(&name),
            ParamAction::Clear => self.feeder.params.clear(),
            ParamAction::Init => {}
            ParamAction::List => {
                let mut named = self.feeder.params.named().to_vec();
                if named.is_empty() {
                    return Ok(());
                }
                named.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                let quoted: Vec<String> =
                    (1..=named.len()).map(|i| format!("quote(?{i})")).collect();
                let args = named.iter().map(|(_, v)| v.clone()).collect();
                let row = self
                    .query(&format!("SELECT {}", quoted.join(", ")), args)?
                    .pop()
                    .unwrap_or_default();
                let width = named
                    .iter()
                    .map(|(n, _)| n.chars().count())
                    .max()
                    .unwrap_or(0);
                let mut text = String::new();
                for (i, (n, v)) in named.iter().enumerate() {
                    let q = row
                        .get(i)
                        .map_or_else(|| v.to_sql_literal(), |q| q.to_text(""));
                    text.push_str(&format!("{n:<width$} {q}\n"));
                }
                self.print(&text)?;
            }
        }
        Ok(())
    }

    /// A `.parameter set` value as sqlite3 stores it: the value of the SQL expression VALUE
    /// when `VALUES(k, VALUE)` prepares (only its first statement is read, as sqlite3 reads
    /// it), else VALUE as text. Evaluated through the session, so on every transport; a
    /// failure here never stops the shell under `.bail on`.
    fn parameter_value(&mut self, value: &str) -> Result<Value> {
        let text = Value::Text(value.to_string());
        let Some(first) = sql::split(&format!("VALUES(0,{value})")).into_iter().next() else {
            return Ok(text);
        };
        // The user's statements still held go first, under the user's error mode.
        if self.session.pending_count() > 0 {
            self.with_output(false, |s, out| s.send_all(out))?;
        }
        let mode = self.session.mode();
        self.session.set_mode(ErrorMode::KeepGoing);
        let rows = self.query(&first.sql, Vec::new());
        self.session.set_mode(mode);
        Ok(match rows {
            Ok(mut rows) if rows.len() == 1 && rows[0].len() == 2 => rows[0].pop().unwrap_or(text),
            _ => text,
        })
    }

    /// `.databases`: `PRAGMA database_list` as sqlite3 lays it out.
    pub(super) fn databases(&mut self) -> Result<()> {
        let rows = self.query("PRAGMA database_list", Vec::new())?;
        let mode = if self.conn.readonly { "r/o" } else { "r/w" };
        let mut text = String::new();
        for r in rows {
            let (Some(Value::Text(name)), Some(file)) = (r.get(1), r.get(2)) else {
                continue;
            };
            let file = match file {
                Value::Text(f) if !f.is_empty() => f.clone(),
                _ => "\"\"".to_string(),
            };
            text.push_str(&format!("{name}: {file} {mode}\n"));
        }
        self.print(&text)
    }

    /// `.version`: the database's SQLite (the server's, for a remote one), and ours.
    pub(super) fn version(&mut self) -> Result<()> {
        let rows = self.query("SELECT sqlite_version(), sqlite_source_id()", Vec::new())?;
        let (v, id) = rows
            .first()
            .map(|r| (r[0].to_text(""), r[1].to_text("")))
            .unwrap_or_default();
        let text = format!(
            "SQLite {v} {id}\nlibsql-shell {}\n",
            env!("CARGO_PKG_VERSION")
        );
        self.print(&text)
    }

    /// `.fullschema`: every CREATE statement (temp ones too), then the statistics tables
    /// as INSERTs between two `ANALYZE sqlite_schema;`, as sqlite3 writes them.
    pub(super) fn fullschema(&mut self) -> Result<()> {
        let mut text = self.fullschema_statements()?;
        let stats = self.query(
            "SELECT name FROM sqlite_schema WHERE name GLOB 'sqlite_stat[134]' ORDER BY name",
            Vec::new(),
        )?;
        if stats.is_empty() {
            text.push_str("/* No STAT tables available */\n");
        } else {
            text.push_str("ANALYZE sqlite_schema;\n");
            for table in ["sqlite_stat1", "sqlite_stat4"] {
                if !stats.iter().any(|r| r[0].to_text("") == table) {
                    continue;
                }
                let prefix = format!("INSERT INTO {} VALUES(", quote_identifier(table));
                for row in self.query(&format!("SELECT * FROM {table}"), Vec::new())? {
                    write_insert_line(&prefix, &row, &mut text);
                }
            }
            text.push_str("ANALYZE sqlite_schema;\n");
        }
        self.print(&text)
    }

    /// `.dbinfo`: the database header's fields and the schema's counts. The header is read
    /// from `sqlite_dbpage` where the engine has it (as sqlite3 does); otherwise its fields
    /// come from PRAGMAs, and the four only the header holds (reserved bytes, file change
    /// counter, schema format, software version) are left out.
    pub(super) fn dbinfo(&mut self, db: Option<&str>) -> Result<()> {
        let schema = db.unwrap_or("main");
        if schema != "main" {
            return Err(usage(".dbinfo: only the main database"));
        }
        let header = self
            .query(
                "SELECT data FROM sqlite_dbpage('main') WHERE pgno = 1",
                Vec::new(),
            )
            .ok()
            .and_then(|rows| match rows.into_iter().next()?.into_iter().next()? {
                Value::Blob(b) if b.len() >= 100 => Some(b),
                _ => None,
            });
        let mut lines: Vec<(&str, String)> = Vec::new();
        match header {
            Some(h) => {
                let u16_at = |o: usize| u32::from(u16::from_be_bytes([h[o], h[o + 1]]));
                let u32_at = |o: usize| u32::from_be_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
                let page = match u16_at(16) {
                    1 => 65536,
                    n => n,
                };
                lines.push(("database page size:", page.to_string()));
                lines.push(("write format:", h[18].to_string()));
                lines.push(("read format:", h[19].to_string()));
                lines.push(("reserved bytes:", h[20].to_string()));
                for (name, ofst) in [
                    ("file change counter:", 24),
                    ("database page count:", 28),
                    ("freelist page count:", 36),
                    ("schema cookie:", 40),
                    ("schema format:", 44),
                    ("default cache size:", 48),
                    ("autovacuum top root:", 52),
                    ("incremental vacuum:", 64),
                    ("text encoding:", 56),
                    ("user version:", 60),
                    ("application id:", 68),
                    ("software version:", 96),
                ] {
                    let v = u32_at(ofst);
                    let v = match (ofst, v) {
                        (56, 1) => "1 (utf8)".to_string(),
                        (56, 2) => "2 (utf16le)".to_string(),
                        (56, 3) => "3 (utf16be)".to_string(),
                        _ => v.to_string(),
                    };
                    lines.push((name, v));
                }
            }
            None => {
                let rows = self.query(
                    "SELECT p.page_size, j.journal_mode, c.page_count, f.freelist_count, \
                       s.schema_version, d.cache_size, a.auto_vacuum, e.encoding, \
                       u.user_version, i.application_id, \
                       (SELECT max(rootpage) FROM sqlite_schema) \
                     FROM pragma_page_size p, pragma_journal_mode j, pragma_page_count c, \
                       pragma_freelist_count f, pragma_schema_version s, \
                       pragma_default_cache_size d, pragma_auto_vacuum a, pragma_encoding e, \
                       pragma_user_version u, pragma_application_id i",
                    Vec::new(),
                )?;
                let r = rows.into_iter().next().unwrap_or_default();
                let get = |i: usize| r.get(i).cloned().unwrap_or(Value::Null);
                let format = if get(1).to_text("").eq_ignore_ascii_case("wal") {
                    "2"
                } else {
                    "1"
                };
                let auto_vacuum = int(&get(6));
                let encoding = match get(7).to_text("").to_ascii_lowercase().as_str() {
                    "utf-16le" => "2 (utf16le)",
                    "utf-16be" => "3 (utf16be)",
                    _ => "1 (utf8)",
                };
                lines.push(("database page size:", int(&get(0)).to_string()));
                lines.push(("write format:", format.into()));
                lines.push(("read format:", format.into()));
                lines.push(("database page count:", int(&get(2)).to_string()));
                lines.push(("freelist page count:", int(&get(3)).to_string()));
                lines.push(("schema cookie:", int(&get(4)).to_string()));
                lines.push(("default cache size:", int(&get(5)).to_string()));
                let top = if auto_vacuum == 0 { 0 } else { int(&get(10)) };
                lines.push(("autovacuum top root:", top.to_string()));
                lines.push((
                    "incremental vacuum:",
                    u8::from(auto_vacuum == 2).to_string(),
                ));
                lines.push(("text encoding:", encoding.into()));
                lines.push(("user version:", int(&get(8)).to_string()));
                lines.push(("application id:", int(&get(9)).to_string()));
            }
        }
        let counts = self.query(
            "SELECT (SELECT count(*) FROM sqlite_schema WHERE type='table'), \
               (SELECT count(*) FROM sqlite_schema WHERE type='index'), \
               (SELECT count(*) FROM sqlite_schema WHERE type='trigger'), \
               (SELECT count(*) FROM sqlite_schema WHERE type='view'), \
               (SELECT total(length(sql)) FROM sqlite_schema)",
            Vec::new(),
        )?;
        let c = counts.into_iter().next().unwrap_or_default();
        for (i, name) in [
            "number of tables:",
            "number of indexes:",
            "number of triggers:",
            "number of views:",
            "schema size:",
        ]
        .into_iter()
        .enumerate()
        {
            lines.push((name, int(c.get(i).unwrap_or(&Value::Null)).to_string()));
        }
        let text: String = lines
            .iter()
            .map(|(k, v)| format!("{k:<20} {v}\n"))
            .collect();
        self.print(&text)
    }

    /// `.lint fkey-indexes`: foreign keys whose child columns no index covers, with the
    /// CREATE INDEX that would, as sqlite3 reports them. Whether an index covers a key is
    /// asked of the query planner, as sqlite3 does.
    pub(super) fn lint_fkey_indexes(&mut self, verbose: bool, by_parent: bool) -> Result<()> {
        let order = if by_parent { "f.[table]" } else { "s.name" };
        let keys = self.query(
            &format!(
                "SELECT s.name, f.[table], group_concat(f.[from], char(31)), \
                   group_concat(COALESCE(f.[to], p.name), char(31)) \
                 FROM sqlite_schema AS s, pragma_foreign_key_list(s.name) AS f \
                 LEFT JOIN pragma_table_info AS p ON (p.pk - 1 = f.seq AND p.arg = f.[table]) \
                 GROUP BY s.name, f.id ORDER BY {order}, s.name, f.id"
            ),
            Vec::new(),
        )?;
        let mut text = String::new();
        let mut last_parent: Option<String> = None;
        for k in keys {
            let child = k[0].to_text("");
            let parent = k[1].to_text("");
            let from: Vec<String> = k[2].to_text("").split('\u{1f}').map(String::from).collect();
            let to: Vec<String> = k[3].to_text("").split('\u{1f}').map(String::from).collect();
            let cond: Vec<String> = from
                .iter()
                .map(|c| format!("{}.{}=?", quote_identifier(&child), quote_identifier(c)))
                .collect();
            let plan = self.query(
                &format!(
                    "EXPLAIN QUERY PLAN SELECT 1 FROM {} WHERE {}",
                    quote_identifier(&child),
                    cond.join(" AND ")
                ),
                Vec::new(),
            )?;
            let want: Vec<char> = format!(
                "SEARCH {child} USING COVERING INDEX*({})",
                vec!["*=?"; from.len()].join(" AND ")
            )
            .chars()
            .collect();
            let covered = plan.iter().any(|r| {
                let detail: Vec<char> = r
                    .last()
                    .map(|v| v.to_text(""))
                    .unwrap_or_default()
                    .chars()
                    .collect();
                glob(&want, &detail)
            });
            if by_parent && last_parent.as_deref() != Some(parent.as_str()) && (verbose || !covered)
            {
                text.push_str(&format!("-- Parent table {parent}\n"));
                last_parent = Some(parent.clone());
            }
            let indent = if by_parent { "    " } else { "" };
            if covered {
                if verbose {
                    text.push_str(&format!(
                        "{indent}/* no extra indexes required for {child}({}) -> {parent}({}) */\n",
                        from.join(", "),
                        to.join(",")
                    ));
                }
                continue;
            }
            let name = quote_text(&format!("{child}_{}", from.join("_")));
            let cols: Vec<String> = from.iter().map(|c| quote_text(c)).collect();
            text.push_str(&format!(
                "{indent}CREATE INDEX {name} ON {}({}); --> {parent}({})\n",
                quote_text(&child),
                cols.join(", "),
                to.join(",")
            ));
        }
        self.print(&text)
    }

    /// `.eqp on`: the statement's query plan as sqlite3 draws it, before the statement runs.
    pub(super) fn show_query_plan(&mut self, stmt: &str) -> Result<()> {
        if sql::leading_words(stmt, 1).first().map(String::as_str) == Some("EXPLAIN") {
            return Ok(());
        }
        self.sync()?;
        self.print_plan(&format!("EXPLAIN QUERY PLAN {stmt}"))?;
        Ok(())
    }

    /// Run `eqp` (an `EXPLAIN QUERY PLAN` statement) and print its rows as sqlite3 draws
    /// them, whatever the output mode: `QUERY PLAN` and a tree. `false` when it failed (the
    /// caller reports the statement as usual).
    pub(super) fn print_plan(&mut self, eqp: &str) -> Result<bool> {
        let Ok(rows) = self.query(eqp, Vec::new()) else {
            return Ok(false);
        };
        if rows.is_empty() {
            return Ok(true);
        }
        let nodes: Vec<(i64, i64, String)> = rows
            .iter()
            .map(|r| {
                (
                    int(&r[0]),
                    int(&r[1]),
                    r.get(3).map(|v| v.to_text("")).unwrap_or_default(),
                )
            })
            .collect();
        let mut text = String::from("QUERY PLAN\n");
        plan_level(&nodes, 0, &mut String::new(), &mut text);
        self.print(&text)?;
        Ok(true)
    }

    /// `.limit [NAME [VALUE]]`: SQLite's run-time limits of a local connection.
    pub(super) fn limit(&mut self, name: Option<&str>, value: Option<i64>) -> Result<()> {
        let native = self.native(".limit")?;
        let text = match name {
            None => LIMITS
                .iter()
                .map(|(n, id)| format!("{n:>20} {}\n", native.limit(*id, None)))
                .collect(),
            Some(want) => {
                let lower = want.to_ascii_lowercase();
                let found: Vec<_> = LIMITS
                    .iter()
                    .filter(|(n, _)| n.starts_with(&lower))
                    .collect();
                let (n, id) = match found.as_slice() {
                    [one] => **one,
                    [] => {
                        return Err(usage(format!(
                        "unknown limit: \"{want}\"\nenter \".limit\" with no arguments for a list."
                    )))
                    }
                    _ => return Err(usage(format!("ambiguous limit: \"{want}\""))),
                };
                let v = value.map(|v| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
                format!("{n:>20} {}\n", native.limit(id, v))
            }
        };
        self.print(&text)
    }

    /// `.vfsname`: the VFS of a local connection.
    pub(super) fn vfsname(&mut self) -> Result<()> {
        let name = self.native(".vfsname")?.vfs_name();
        match name {
            Some(n) => self.print(&format!("{n}\n")),
            None => Ok(()),
        }
    }
}

/// One level of the plan tree: `|--` before a node with a sibling after it, `` `-- `` before
/// the last, children indented under `|  ` or three spaces (sqlite3's `eqp_render_level`).
fn plan_level(nodes: &[(i64, i64, String)], parent: i64, prefix: &mut String, out: &mut String) {
    let children: Vec<&(i64, i64, String)> = nodes.iter().filter(|n| n.1 == parent).collect();
    for (i, (id, _, detail)) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        out.push_str(&format!(
            "{prefix}{}{detail}\n",
            if last { "`--" } else { "|--" }
        ));
        let len = prefix.len();
        prefix.push_str(if last { "   " } else { "|  " });
        plan_level(nodes, *id, prefix, out);
        prefix.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(p: &str, t: &str) -> bool {
        glob(
            &p.chars().collect::<Vec<_>>(),
            &t.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn glob_like_sqlite() {
        assert!(g(
            "SEARCH c USING COVERING INDEX*(*=?)",
            "SEARCH c USING COVERING INDEX ci (a=?)"
        ));
        assert!(!g("SEARCH c USING COVERING INDEX*(*=?)", "SCAN c"));
        assert!(g("a[0-9]?", "a5x"));
        assert!(!g("a[^0-9]", "a5"));
    }

    #[test]
    fn plan_tree_like_sqlite3() {
        let nodes = vec![
            (2, 0, "SCAN c".to_string()),
            (5, 0, "SEARCH p".to_string()),
            (7, 5, "LIST".to_string()),
        ];
        let mut out = String::new();
        plan_level(&nodes, 0, &mut String::new(), &mut out);
        assert_eq!(out, "|--SCAN c\n`--SEARCH p\n   `--LIST\n");
    }
}
