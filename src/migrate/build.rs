//! The migrations of a scanned directory as one tool reads them: versions and names from
//! the file names, sections and statements, the no-transaction switch, and the checksum the
//! tool records. Our own files keep their rules (`files`); the others follow their tool:
//!
//! - sqlx: launchbadge/sqlx `sqlx-core/src/migrate/source.rs` (`<version>_<description>`,
//!   description with `_` as spaces, `-- no-transaction` first line, checksum SHA-384 of the
//!   file as read) and `sqlx-core/src/migrate/migration.rs`.
//! - golang-migrate: golang-migrate/migrate `source/parse.go` (version and identifier); the
//!   whole file runs, in a transaction (`database/sqlite3/sqlite3.go`).
//! - dbmate: amacneil/dbmate `pkg/dbmate/migration.go` (`-- migrate:up` required,
//!   `transaction:false`) and `pkg/dbmate/db.go` (files `^(\d+).*\.sql$` in name order).
//! - goose: `goose` (this crate's parser of pressly/goose's format).
//! - Prisma: the checksum is SHA-256 of `migration.sql` as written, and a file whose line
//!   endings were converted (CRLF ⇄ LF) or an old unpadded hex checksum still matches:
//!   prisma/prisma-engines `schema-engine/connectors/schema-connector/src/checksum.rs`.
//! - Drizzle: the hash is SHA-256 of the file as written (drizzle-team/drizzle-orm
//!   `drizzle-orm/src/migrator.ts`); Drizzle never compares it, so a file whose line endings
//!   were converted is taken as the same, as Prisma does.
//!
//! The SQL of other tools' files is sent as written (only a UTF-8 byte-order mark dropped):
//! their tool sends it unchanged, line endings included.

use sha2::{Digest, Sha256, Sha384};

use super::book::Book;
use super::files::{self, FileError, Migration, Section};
use super::goose;
use super::layout::{reversible_name, Family, Scan, Source};
use crate::value::hex;

fn err(msg: impl Into<String>) -> FileError {
    FileError(msg.into())
}

fn strip_bom(raw: &str) -> &str {
    raw.strip_prefix('\u{feff}').unwrap_or(raw)
}

fn sha256(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes())).to_ascii_lowercase()
}

/// Prisma's accepted checksums of a script: as written, CRLF as LF, LF as CRLF, each also
/// in the old format without zero padding.
fn line_ending_variants(raw: &str, unpadded: bool) -> Vec<String> {
    let mut out = Vec::new();
    for text in [
        raw.to_string(),
        raw.replace("\r\n", "\n"),
        raw.replace('\n', "\r\n"),
    ] {
        let digest = Sha256::digest(text.as_bytes());
        out.push(hex(&digest).to_ascii_lowercase());
        if unpadded {
            out.push(digest.iter().map(|b| format!("{b:x}")).collect());
        }
    }
    out.dedup();
    out
}

/// `<digits>_<rest>` (or `<digits>` alone when `underscore` is optional).
fn version_prefix(stem: &str) -> Option<(i64, &str, &str)> {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (v, rest) = stem.split_at(digits);
    Some((v.parse().ok()?, v, rest))
}

/// A migration of another tool's files.
struct Parts<'a> {
    src: &'a Source,
    version: i64,
    version_text: String,
    name: String,
    key: String,
    up: Section,
    down: Option<Section>,
    checksum: String,
    accepted: Vec<String>,
    no_transaction: bool,
}

impl Parts<'_> {
    fn done(self) -> Migration {
        Migration {
            version: self.version,
            version_text: self.version_text,
            name: self.name,
            file_name: self.src.label.clone(),
            path: self.src.path.clone(),
            up: self.up,
            down: self.down,
            checksum: self.checksum,
            accepted: self.accepted,
            key: self.key,
            no_transaction: self.no_transaction,
        }
    }
}

fn whole(raw: &str) -> Section {
    Section::new(strip_bom(raw).to_string(), 1)
}

/// The migrations of `scan` as `book` reads them, in the order the tool applies them.
pub fn build(scan: &Scan, book: Book) -> Result<Vec<Migration>, FileError> {
    let mut out: Vec<Migration> = match book {
        Book::Libsql => scan
            .sources
            .iter()
            .map(|s| Migration::from_text(&s.path, &s.raw))
            .collect::<Result<_, _>>()?,
        Book::Dbmate => scan.sources.iter().map(dbmate).collect::<Result<_, _>>()?,
        Book::Goose => scan.sources.iter().map(goose).collect::<Result<_, _>>()?,
        Book::Sqlx if scan.family != Family::Reversible => scan
            .sources
            .iter()
            .map(|s| sqlx(s, None))
            .collect::<Result<_, _>>()?,
        Book::Sqlx | Book::GolangMigrate => reversible(scan, book)?,
        Book::Prisma => scan.sources.iter().map(prisma).collect(),
        Book::Drizzle => scan
            .sources
            .iter()
            .zip(&scan.journal)
            .map(|(s, e)| drizzle(s, e.when, &e.tag))
            .collect(),
    };
    if book.positional() {
        // Name order (Prisma, dbmate) or journal order (Drizzle): the order they apply.
        if book != Book::Drizzle {
            out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
        }
        for (i, m) in out.iter_mut().enumerate() {
            m.version = i as i64 + 1;
        }
    } else {
        out.sort_by(|a, b| (a.version, &a.file_name).cmp(&(b.version, &b.file_name)));
    }
    let mut keys: Vec<(&str, &str)> = out
        .iter()
        .map(|m| (m.key.as_str(), m.file_name.as_str()))
        .collect();
    keys.sort();
    for w in keys.windows(2) {
        if w[0].0 == w[1].0 {
            let what = if book == Book::Drizzle {
                "the same journal \"when\""
            } else {
                "the same version"
            };
            return Err(err(format!(
                "duplicate migration version {}: {} and {} have {what} (in {})",
                w[0].0,
                w[0].1,
                w[1].1,
                scan.dir.display()
            )));
        }
    }
    Ok(out)
}

fn dbmate(s: &Source) -> Result<Migration, FileError> {
    let stem = s.name.strip_suffix(".sql").unwrap_or(&s.name);
    let (version, digits, rest) = version_prefix(stem).ok_or_else(|| {
        err(format!(
            "{}: dbmate migration names start with a version number",
            s.label
        ))
    })?;
    let text = files::normalise(&s.raw);
    let has_up = text.lines().any(|l| {
        l.trim_start()
            .strip_prefix("--")
            .is_some_and(|r| r.trim_start().starts_with("migrate:up"))
    });
    if !has_up {
        return Err(err(format!(
            "{}: dbmate requires an up block with '-- migrate:up'",
            s.label
        )));
    }
    let (up, down, no_transaction) =
        files::parse_text(&text).map_err(|e| err(format!("{}: {e}", s.label)))?;
    Ok(Parts {
        src: s,
        version,
        version_text: digits.to_string(),
        name: rest.trim_start_matches('_').to_string(),
        key: digits.to_string(),
        up,
        down,
        checksum: String::new(),
        accepted: Vec::new(),
        no_transaction,
    }
    .done())
}

fn goose(s: &Source) -> Result<Migration, FileError> {
    let stem = s.name.strip_suffix(".sql").unwrap_or(&s.name);
    let (version, digits, rest) = version_prefix(stem)
        .filter(|(v, _, rest)| *v >= 1 && rest.starts_with('_'))
        .ok_or_else(|| {
            err(format!(
                "{}: goose migration names are <version>_<name>.sql, version 1 or more",
                s.label
            ))
        })?;
    let p = goose::parse(strip_bom(&s.raw)).map_err(|e| err(format!("{}: {e}", s.label)))?;
    let section = |stmts| Section {
        text: String::new(),
        first_line: 1,
        pieces: Some(stmts),
    };
    Ok(Parts {
        src: s,
        version,
        version_text: digits.to_string(),
        name: rest[1..].to_string(),
        key: version.to_string(),
        up: section(p.up),
        down: p.has_down.then(|| section(p.down)),
        checksum: String::new(),
        accepted: Vec::new(),
        no_transaction: p.no_transaction,
    }
    .done())
}

/// sqlx: `down` is the matching `.down.sql` of a reversible migration.
fn sqlx(s: &Source, down: Option<&Source>) -> Result<Migration, FileError> {
    let (v, rest) = s.name.split_once('_').ok_or_else(|| {
        err(format!(
            "{}: sqlx migration names are <version>_<description>.sql",
            s.label
        ))
    })?;
    let version: i64 = v.parse().map_err(|_| {
        err(format!(
            "{}: expected an integer version prefix (e.g. 01_foo.sql)",
            s.label
        ))
    })?;
    let description = rest
        .strip_suffix(".up.sql")
        .or_else(|| rest.strip_suffix(".sql"))
        .unwrap_or(rest)
        .replace('_', " ");
    let sum = hex(&Sha384::digest(s.raw.as_bytes())).to_ascii_lowercase();
    Ok(Parts {
        src: s,
        version,
        version_text: v.to_string(),
        name: description,
        key: version.to_string(),
        up: whole(&s.raw),
        down: down.map(|d| whole(&d.raw)),
        accepted: vec![sum.clone()],
        checksum: sum,
        no_transaction: s.raw.starts_with("-- no-transaction"),
    }
    .done())
}

/// `.up.sql` / `.down.sql` pairs, for golang-migrate or sqlx.
fn reversible(scan: &Scan, book: Book) -> Result<Vec<Migration>, FileError> {
    let mut ups: Vec<(i64, &Source)> = Vec::new();
    let mut downs: Vec<(i64, &Source)> = Vec::new();
    for s in &scan.sources {
        let (is_up, stem) = reversible_name(&s.name).unwrap_or((true, &s.name));
        let (version, _, _) = version_prefix(stem)
            .filter(|(_, _, rest)| rest.starts_with('_'))
            .ok_or_else(|| {
                err(format!(
                    "{}: the name must be <version>_<name>.up.sql or .down.sql",
                    s.label
                ))
            })?;
        let list = if is_up { &mut ups } else { &mut downs };
        if let Some((_, other)) = list.iter().find(|(v, _)| *v == version) {
            return Err(err(format!(
                "duplicate migration version {version}: {} and {}",
                other.label, s.label
            )));
        }
        list.push((version, s));
    }
    for (v, d) in &downs {
        if !ups.iter().any(|(u, _)| u == v) {
            return Err(err(format!(
                "{} has no matching .up.sql (version {v}): a down migration needs its up \
                 migration",
                d.label
            )));
        }
    }
    ups.into_iter()
        .map(|(v, up)| {
            let down = downs.iter().find(|(d, _)| *d == v).map(|(_, s)| *s);
            match book {
                Book::Sqlx => sqlx(up, down),
                _ => {
                    let stem = reversible_name(&up.name).map_or(up.name.as_str(), |r| r.1);
                    let (_, digits, rest) = version_prefix(stem).unwrap_or((v, "", ""));
                    Ok(Parts {
                        src: up,
                        version: v,
                        version_text: digits.to_string(),
                        name: rest.trim_start_matches('_').to_string(),
                        key: v.to_string(),
                        up: whole(&up.raw),
                        down: down.map(|d| whole(&d.raw)),
                        checksum: String::new(),
                        accepted: Vec::new(),
                        no_transaction: false,
                    }
                    .done())
                }
            }
        })
        .collect()
}

/// `<digits>_<name>`: (digits, name); else the whole as both.
fn split_name(stem: &str) -> (String, String) {
    match version_prefix(stem) {
        Some((_, digits, rest)) if rest.starts_with('_') => {
            (digits.to_string(), rest[1..].to_string())
        }
        _ => (stem.to_string(), stem.to_string()),
    }
}

fn prisma(s: &Source) -> Migration {
    let (version_text, name) = split_name(&s.name);
    let accepted = line_ending_variants(&s.raw, true);
    Parts {
        src: s,
        version: 0,
        version_text,
        name,
        key: s.name.clone(),
        up: whole(&s.raw),
        down: None,
        checksum: sha256(&s.raw),
        accepted,
        no_transaction: false,
    }
    .done()
}

fn drizzle(s: &Source, when: i64, tag: &str) -> Migration {
    let (version_text, name) = split_name(tag);
    Parts {
        src: s,
        version: 0,
        version_text,
        name,
        key: when.to_string(),
        up: whole(&s.raw),
        down: None,
        checksum: sha256(&s.raw),
        accepted: line_ending_variants(&s.raw, false),
        no_transaction: false,
    }
    .done()
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;
