//! What `status` and `plan` print: the status table or JSON, the one-line summary, and
//! the plan's script with a header for each migration.

use std::path::Path;

use super::book::Book;
use super::script::{self, Step, Unit};
use super::status::{Entry, State};

/// A numbered tool's version is a number in JSON; Prisma's and Drizzle's are text.
fn json_version(e: &Entry<'_>, book: Book) -> serde_json::Value {
    let text = e.version_text();
    match text.parse::<i64>() {
        Ok(n) if !book.positional() || book == Book::Dbmate => n.into(),
        _ => text.into(),
    }
}

/// `migrate status --json`: one object per migration.
pub fn status_json(entries: &[Entry<'_>], book: Book) -> serde_json::Value {
    entries
        .iter()
        .map(|e| {
            let mut o = serde_json::Map::new();
            o.insert("version".into(), json_version(e, book));
            o.insert("name".into(), e.name.clone().into());
            o.insert("state".into(), e.state.as_str().into());
            if let Some(a) = e.applied.filter(|a| !a.applied_at.is_empty()) {
                o.insert("applied_at".into(), a.applied_at.clone().into());
            }
            serde_json::Value::Object(o)
        })
        .collect()
}

/// `migrate status`: a table, then the summary; another tool's directory says whose.
pub fn status_text(entries: &[Entry<'_>], book: Book, dir: &Path) -> String {
    let mut out = String::new();
    if book != Book::Libsql {
        out.push_str(&format!(
            "{} migrations in {} (recorded in {})\n",
            book.tool(),
            dir.display(),
            book.table()
        ));
    }
    let rows: Vec<[String; 4]> = entries
        .iter()
        .map(|e| {
            let mut state = e.state.to_string();
            if e.out_of_order {
                state.push_str(" (out of order)");
            }
            [
                e.version_text(),
                e.name.clone(),
                state,
                e.applied.map(|a| a.applied_at.clone()).unwrap_or_default(),
            ]
        })
        .collect();
    let header = ["VERSION", "NAME", "STATE", "APPLIED AT"].map(String::from);
    let mut widths = [0usize; 4];
    for r in std::iter::once(&header).chain(&rows) {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    for r in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&summary(entries));
    out.push('\n');
    out
}

/// `N migrations: a applied, p pending, ...` (only the non-zero states).
pub fn summary(entries: &[Entry<'_>]) -> String {
    let count = |s: State| entries.iter().filter(|e| e.state == s).count();
    let parts: Vec<String> = [
        State::Applied,
        State::Pending,
        State::Changed,
        State::Missing,
        State::Failed,
    ]
    .into_iter()
    .filter(|s| count(*s) > 0)
    .map(|s| format!("{} {s}", count(s)))
    .collect();
    if parts.is_empty() {
        "no migrations".to_string()
    } else {
        format!("{} migration(s): {}", entries.len(), parts.join(", "))
    }
}

/// `migrate plan`: the script `up` sends, with a header for each migration.
pub fn plan(units: &[Unit<'_>], steps: &[Step], book: Book, single: bool) -> String {
    let mut text = String::new();
    if book != Book::Libsql {
        text.push_str(&format!(
            "-- {} migrations, recorded in {} as {} does\n",
            book.tool(),
            book.table(),
            book.tool()
        ));
    }
    let unwrapped = |u: &Unit<'_>| {
        if u.stmts.unwrapped {
            "-- (the file's own BEGIN/COMMIT wrapper is replaced by this transaction)\n"
        } else {
            ""
        }
    };
    if single {
        let names: Vec<&str> = units
            .iter()
            .map(|u| u.migration.file_name.as_str())
            .collect();
        text.push_str(&format!(
            "-- {} in one transaction: one request\n",
            names.join(", ")
        ));
        for u in units {
            text.push_str(unwrapped(u));
        }
        text.push_str(&script::render(steps, &|_| None));
        return text;
    }
    if units.len() == 1 {
        text.push_str("-- one request\n");
    } else {
        text.push_str(&format!(
            "-- {} migrations in one request, each in its own transaction; a failure stops the \
             ones after it\n",
            units.len()
        ));
    }
    text.push_str(&script::render(steps, &|i| {
        let m = units[i].migration;
        let mode = if m.no_transaction {
            ", no transaction: not atomic"
        } else {
            ""
        };
        Some(format!(
            "-- {} (version {}{mode})\n{}",
            m.file_name,
            m.version_text,
            unwrapped(&units[i])
        ))
    }));
    text
}
