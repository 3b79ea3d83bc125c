//! Which tool wrote a migrations directory, told from the directory itself (or forced with
//! `--format`): the files of each migration, read once, and the tools whose table may
//! record them. A directory whose entries fit no layout, or fit two, is an error naming
//! what was found — never "no migrations".
//!
//! - ours, dbmate, sqlx (simple), goose: `<version>_<name>.sql` files; goose's carry a
//!   `-- +goose Up` annotation.
//! - golang-migrate, sqlx (reversible): `<version>_<name>.up.sql` and `.down.sql`, the
//!   pattern of golang-migrate/migrate `source/parse.go`.
//! - Prisma: `<timestamp>_<name>/migration.sql` folders and `migration_lock.toml`, read as
//!   prisma/prisma `packages/migrate/src/utils/listMigrations.ts` does (folders in name
//!   order) with the provider line read as prisma/prisma-engines
//!   `schema-engine/connectors/schema-connector/src/migrations_directory.rs` does.
//! - Drizzle: `meta/_journal.json` lists the migrations in order, each `<tag>.sql`
//!   (drizzle-team/drizzle-orm `drizzle-orm/src/migrator.ts`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::book::Book;
use super::files::FileError;

/// How the directory is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `<version>_<name>.sql`: ours, dbmate's, sqlx's simple migrations.
    Plain,
    /// `-- +goose Up` files.
    Goose,
    /// `<version>_<name>.up.sql` / `.down.sql`.
    Reversible,
    Prisma,
    Drizzle,
}

impl Family {
    pub fn describe(self) -> &'static str {
        match self {
            Family::Plain => "<version>_<name>.sql files",
            Family::Goose => "goose files (-- +goose Up)",
            Family::Reversible => "<version>_<name>.up.sql / .down.sql files",
            Family::Prisma => "Prisma migration folders",
            Family::Drizzle => "a Drizzle folder (meta/_journal.json)",
        }
    }

    /// The tools whose table may record this family's migrations, the default first.
    pub fn books(self) -> &'static [Book] {
        match self {
            Family::Plain => &[Book::Libsql, Book::Dbmate, Book::Sqlx],
            Family::Goose => &[Book::Goose],
            Family::Reversible => &[Book::GolangMigrate, Book::Sqlx],
            Family::Prisma => &[Book::Prisma],
            Family::Drizzle => &[Book::Drizzle],
        }
    }
}

/// One migration file, as read.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name (Prisma: the folder's name).
    pub name: String,
    /// What messages call it: the file name, `<folder>/migration.sql`.
    pub label: String,
    pub path: PathBuf,
    /// The text exactly as in the file (valid UTF-8).
    pub raw: String,
}

/// A Drizzle journal entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub tag: String,
    pub when: i64,
}

/// The directory, read.
#[derive(Debug, Clone)]
pub struct Scan {
    pub dir: PathBuf,
    pub family: Family,
    /// `--format`.
    pub forced: Option<Book>,
    /// The migration files: name order (Prisma, Plain, Goose, Reversible), or journal order.
    pub sources: Vec<Source>,
    pub journal: Vec<JournalEntry>,
}

impl Scan {
    /// The tools whose table may record these migrations (one when forced).
    pub fn candidates(&self) -> Vec<Book> {
        match self.forced {
            Some(b) => vec![b],
            None => self.family.books().to_vec(),
        }
    }

    /// The tool whose table records these migrations: the forced one; else the one whose
    /// table the database already has (of that tool's shape); else the family's default.
    /// `tables` maps the tracking tables that exist to their columns.
    pub fn choose(&self, tables: &BTreeMap<String, Vec<String>>) -> Result<Book, FileError> {
        if let Some(b) = self.forced {
            return Ok(b);
        }
        let books = self.family.books();
        let present: Vec<Book> = books
            .iter()
            .copied()
            .filter(|b| tables.get(b.table()).is_some_and(|c| b.owns_columns(c)))
            .collect();
        match present.as_slice() {
            [] => Ok(books[0]),
            [one] => Ok(*one),
            // Ours wins: it is what this tool wrote before.
            many if many.contains(&Book::Libsql) => Ok(Book::Libsql),
            many => Err(err(format!(
                "the database has the tables of {}: say which records these migrations with \
                 --format {}",
                many.iter()
                    .map(|b| format!("{} ({})", b.tool(), b.table()))
                    .collect::<Vec<_>>()
                    .join(" and "),
                many.iter()
                    .map(|b| b.name())
                    .collect::<Vec<_>>()
                    .join(" or --format ")
            ))),
        }
    }
}

fn err(msg: impl Into<String>) -> FileError {
    FileError(msg.into())
}

fn read_text(path: &Path) -> Result<String, FileError> {
    let bytes =
        std::fs::read(path).map_err(|e| err(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|_| err(format!("{}: not valid UTF-8", path.display())))
}

/// `<digits>_<rest>.up.sql` / `.down.sql`: (is up, stem before `.up.sql`).
pub fn reversible_name(name: &str) -> Option<(bool, &str)> {
    if let Some(stem) = name.strip_suffix(".up.sql") {
        return Some((true, stem));
    }
    name.strip_suffix(".down.sql").map(|stem| (false, stem))
}

/// A line that is a goose annotation starting the up section.
fn has_goose_up(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        t.starts_with("--") && {
            let rest = t.trim_start_matches('-').trim_start();
            rest.strip_prefix("+goose")
                .is_some_and(|a| a.trim().eq_ignore_ascii_case("up"))
        }
    })
}

/// A short list of names for messages.
fn some(names: &[String]) -> String {
    let mut out: Vec<String> = names.iter().take(3).cloned().collect();
    if names.len() > 3 {
        out.push(format!("and {} more", names.len() - 3));
    }
    out.join(", ")
}

/// Read the directory and tell its layout.
pub fn scan(dir: &Path, forced: Option<Book>) -> Result<Scan, FileError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        err(format!(
            "cannot read the migrations directory {}: {e}",
            dir.display()
        ))
    })?;
    let mut plain: Vec<String> = Vec::new();
    let mut reversible: Vec<String> = Vec::new();
    let mut prisma_dirs: Vec<String> = Vec::new();
    let mut other_dirs: Vec<String> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    let mut lock = false;
    let mut journal = false;
    for entry in entries {
        let entry = entry.map_err(|e| err(format!("cannot read {}: {e}", dir.display())))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            if name == "meta" && path.join("_journal.json").is_file() {
                journal = true;
            } else if path.join("migration.sql").is_file() {
                prisma_dirs.push(name);
            } else {
                other_dirs.push(name);
            }
        } else if name == "migration_lock.toml" {
            lock = true;
        } else if reversible_name(&name).is_some() {
            reversible.push(name);
        } else if name.ends_with(".sql") {
            plain.push(name);
        } else {
            others.push(name);
        }
    }
    for v in [
        &mut plain,
        &mut reversible,
        &mut prisma_dirs,
        &mut other_dirs,
        &mut others,
    ] {
        v.sort();
    }
    let shown = |v: &[String], suffix: &str| -> Vec<String> {
        v.iter().map(|n| format!("{n}{suffix}")).collect()
    };
    // What each layout's evidence is, for messages.
    let mut found: Vec<(Family, Vec<String>)> = Vec::new();
    if journal {
        found.push((Family::Drizzle, vec!["meta/_journal.json".into()]));
    }
    if lock || !prisma_dirs.is_empty() {
        let mut names = shown(&prisma_dirs, "/");
        if lock {
            names.insert(0, "migration_lock.toml".into());
        }
        found.push((Family::Prisma, names));
    }
    if !reversible.is_empty() {
        found.push((Family::Reversible, reversible.clone()));
    }
    // A Drizzle folder's SQL files are its migrations, not another layout.
    if !plain.is_empty() && !journal {
        found.push((Family::Plain, plain.clone()));
    }
    let family = match found.as_slice() {
        [] => {
            let mut all = shown(&other_dirs, "/");
            all.extend(others.iter().cloned());
            return Err(err(if all.is_empty() {
                format!(
                    "the migrations directory {} is empty: no migration files to apply",
                    dir.display()
                )
            } else {
                format!(
                    "{} holds no migrations of a known layout (found {}): expected \
                     <version>_<name>.sql files, .up.sql/.down.sql pairs, Prisma's \
                     <timestamp>_<name>/migration.sql folders or Drizzle's meta/_journal.json",
                    dir.display(),
                    some(&all)
                )
            }));
        }
        [(f, _)] => *f,
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|(f, names)| format!("{} ({})", f.describe(), some(names)))
                .collect();
            return Err(err(format!(
                "{} mixes migration layouts: {}; keep one tool's migrations per directory",
                dir.display(),
                parts.join(" and ")
            )));
        }
    };
    let mut scan = Scan {
        dir: dir.to_path_buf(),
        family,
        forced,
        sources: Vec::new(),
        journal: Vec::new(),
    };
    match family {
        Family::Prisma => {
            if !other_dirs.is_empty() {
                return Err(err(format!(
                    "{}: Prisma migration folder {} has no migration.sql",
                    dir.display(),
                    some(&other_dirs)
                )));
            }
            if lock {
                check_prisma_lock(&dir.join("migration_lock.toml"))?;
            }
            if prisma_dirs.is_empty() {
                return Err(err(format!(
                    "{} has a migration_lock.toml but no migration folders \
                     (<timestamp>_<name>/migration.sql)",
                    dir.display()
                )));
            }
            for d in &prisma_dirs {
                let path = dir.join(d).join("migration.sql");
                scan.sources.push(Source {
                    name: d.clone(),
                    label: format!("{d}/migration.sql"),
                    raw: read_text(&path)?,
                    path,
                });
            }
        }
        Family::Drizzle => {
            scan.journal = read_journal(&dir.join("meta/_journal.json"))?;
            for e in &scan.journal {
                let file = format!("{}.sql", e.tag);
                let path = dir.join(&file);
                if !path.is_file() {
                    return Err(err(format!(
                        "{}: meta/_journal.json lists {}, but {file} is missing",
                        dir.display(),
                        e.tag
                    )));
                }
                scan.sources.push(Source {
                    name: file.clone(),
                    label: file,
                    raw: read_text(&path)?,
                    path,
                });
            }
            let stray: Vec<String> = plain
                .iter()
                .filter(|n| !scan.sources.iter().any(|s| &s.name == *n))
                .cloned()
                .collect();
            if !stray.is_empty() {
                return Err(err(format!(
                    "{}: {} not listed in meta/_journal.json (Drizzle would never apply it): add \
                     it with drizzle-kit or move it out",
                    dir.display(),
                    some(&stray)
                )));
            }
        }
        Family::Reversible => {
            for n in &reversible {
                let path = dir.join(n);
                scan.sources.push(Source {
                    name: n.clone(),
                    label: n.clone(),
                    raw: read_text(&path)?,
                    path,
                });
            }
        }
        Family::Plain | Family::Goose => {
            for n in &plain {
                let path = dir.join(n);
                scan.sources.push(Source {
                    name: n.clone(),
                    label: n.clone(),
                    raw: read_text(&path)?,
                    path,
                });
            }
            let goose: Vec<bool> = scan.sources.iter().map(|s| has_goose_up(&s.raw)).collect();
            if goose.iter().any(|g| *g) {
                let without: Vec<String> = scan
                    .sources
                    .iter()
                    .zip(&goose)
                    .filter(|(_, g)| !**g)
                    .map(|(s, _)| s.name.clone())
                    .collect();
                if !without.is_empty() && forced.is_none_or(|f| f == Book::Goose) {
                    let with: Vec<String> = scan
                        .sources
                        .iter()
                        .zip(&goose)
                        .filter(|(_, g)| **g)
                        .map(|(s, _)| s.name.clone())
                        .collect();
                    return Err(err(format!(
                        "{} mixes goose files ({}) and files without a -- +goose Up annotation \
                         ({}); goose needs the annotation in every file",
                        dir.display(),
                        some(&with),
                        some(&without)
                    )));
                }
                scan.family = Family::Goose;
                let go: Vec<String> = others
                    .iter()
                    .filter(|n| n.ends_with(".go") && n.starts_with(|c: char| c.is_ascii_digit()))
                    .cloned()
                    .collect();
                if !go.is_empty() {
                    return Err(err(format!(
                        "{}: goose migrations written in Go ({}) cannot be run here: only SQL \
                         migrations can",
                        dir.display(),
                        some(&go)
                    )));
                }
            }
        }
    }
    if let Some(f) = forced {
        scan.family = fit(scan.family, f, dir)?;
    }
    Ok(scan)
}

/// The family a forced tool reads the files as, or an error when they are not its files.
fn fit(family: Family, forced: Book, dir: &Path) -> Result<Family, FileError> {
    let fits = match forced {
        Book::Prisma => family == Family::Prisma,
        Book::Drizzle => family == Family::Drizzle,
        Book::GolangMigrate => family == Family::Reversible,
        Book::Sqlx => matches!(family, Family::Reversible | Family::Plain | Family::Goose),
        Book::Libsql | Book::Dbmate => matches!(family, Family::Plain | Family::Goose),
        Book::Goose => matches!(family, Family::Plain | Family::Goose),
    };
    if !fits {
        return Err(err(format!(
            "--format {}: {} holds {}, not {} migrations",
            forced.name(),
            dir.display(),
            family.describe(),
            forced.tool()
        )));
    }
    Ok(match (forced, family) {
        (Book::Goose, _) => Family::Goose,
        (Book::Libsql | Book::Dbmate, _) | (Book::Sqlx, Family::Goose) => Family::Plain,
        (_, f) => f,
    })
}

/// `migration_lock.toml`'s provider must be SQLite's (libSQL and Turso use it).
fn check_prisma_lock(path: &Path) -> Result<(), FileError> {
    let text = read_text(path)?;
    let provider = text.lines().find(|l| l.starts_with("provider")).map(|l| {
        l.trim_start_matches("provider = ")
            .trim_matches('"')
            .to_string()
    });
    match provider.as_deref() {
        Some("sqlite") => Ok(()),
        Some(p) => Err(err(format!(
            "{}: provider = \"{p}\": these Prisma migrations were written for {p}, not for \
             SQLite/libSQL",
            path.display()
        ))),
        None => Err(err(format!(
            "{}: no provider line (Prisma writes provider = \"sqlite\")",
            path.display()
        ))),
    }
}

/// Drizzle's journal: the entries, in order; its dialect must be SQLite's or Turso's.
fn read_journal(path: &Path) -> Result<Vec<JournalEntry>, FileError> {
    let text = read_text(path)?;
    let bad = |why: String| err(format!("{}: {why}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
    match json.get("dialect").and_then(|d| d.as_str()) {
        Some("sqlite" | "turso") | None => {}
        Some(d) => {
            return Err(bad(format!(
                "dialect \"{d}\": these Drizzle migrations were written for {d}, not for \
                 SQLite/libSQL"
            )))
        }
    }
    let entries = json
        .get("entries")
        .and_then(|e| e.as_array())
        .ok_or_else(|| bad("no \"entries\" list".into()))?;
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let tag = e.get("tag").and_then(|t| t.as_str());
        let when = e.get("when").and_then(|w| w.as_i64());
        match (tag, when) {
            (Some(tag), Some(when)) if !tag.is_empty() && !tag.contains(['/', '\\']) => {
                out.push(JournalEntry {
                    tag: tag.to_string(),
                    when,
                })
            }
            _ => {
                return Err(bad(format!(
                    "entry {i} needs a \"tag\" (file name without .sql) and a \"when\" (integer)"
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(bad("the journal lists no migrations".into()));
    }
    Ok(out)
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
