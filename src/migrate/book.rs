//! Bookkeeping: which tool's table records the applied migrations, and the exact SQL that
//! creates it, reads it, and writes one migration's row, the way that tool writes it, so
//! the tool itself keeps working after `migrate up` (it sees its own rows and applies
//! nothing again).
//!
//! Each statement here runs inside the migration's own transaction (docs/ARCHITECTURE.md,
//! "Migrations"). Exactly once without a lock table: a second runner racing on the same
//! migration fails on a statement right after `BEGIN IMMEDIATE` — the row's primary key
//! where the table has one (ours, sqlx, dbmate), else a guard that fails when the row is
//! already there — and its whole transaction rolls back. A guard is an INSERT that
//! violates one of the table's own constraints (NOT NULL, or a UNIQUE key inserted twice)
//! exactly when its condition holds, so it needs no table of ours.
//!
//! The tables and statements follow each tool's source (read, not copied):
//! - Prisma: prisma/prisma-engines
//!   `schema-engine/connectors/sql-schema-connector/src/flavour/sqlite.rs` (table),
//!   `.../src/sql_migration_persistence.rs` (rows: a v4 UUID id, started_at at the start,
//!   applied_steps_count + 1 and finished_at at the end, logs NULL; `migrate resolve
//!   --applied` writes logs '' and started_at = finished_at),
//!   `quaint/src/connector/sqlite/native/conversion.rs` (a DateTime is written as integer
//!   milliseconds since the epoch).
//! - Drizzle: drizzle-team/drizzle-orm `drizzle-orm/src/libsql/migrator.ts` (table,
//!   `INSERT ... ("hash", "created_at") VALUES(hash, when)`), `drizzle-orm/src/migrator.ts`
//!   (hash = SHA-256 of the file, created_at = the journal's `when`).
//! - golang-migrate: golang-migrate/migrate `database/sqlite3/sqlite3.go` (table and unique
//!   index; `SetVersion` keeps ONE row: DELETE, then INSERT (version, dirty)).
//! - dbmate: amacneil/dbmate `pkg/driver/sqlite/sqlite.go` (one row per applied version,
//!   the version as text).
//! - goose: pressly/goose `internal/dialects/sqlite3.go` (table and statements),
//!   `provider_run.go` (a new table gets the version-0 row; down deletes the version's rows).
//! - sqlx: launchbadge/sqlx `sqlx-sqlite/src/migrate.rs` (table; the row is inserted with
//!   execution_time -1 and then set to the nanoseconds the migration took).

use super::files::Migration;
use super::TABLE;
use crate::value::sql_text_literal;

/// The tool whose table records what was applied (and whose file rules apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Book {
    Libsql,
    Prisma,
    Drizzle,
    GolangMigrate,
    Sqlx,
    Dbmate,
    Goose,
}

/// A migration's milliseconds since the epoch on the server's clock.
const NOW_MS: &str = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";

/// A random (version 4) UUID, made by the server, in the form Prisma writes.
const UUID_V4: &str = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || \
     substr(hex(randomblob(2)), 2) || '-' || substr('89AB', 1 + (abs(random()) % 4), 1) || \
     substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";

/// Statements that record (or unrecord) one migration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    /// Fails when another runner already did this: runs first, before `rows`.
    pub guard: Option<String>,
    pub rows: Vec<String>,
    /// Fails when `rows` found nothing to delete (another runner reverted it first).
    pub guard_after: Option<String>,
}

impl Book {
    pub const ALL: [Book; 7] = [
        Book::Libsql,
        Book::Prisma,
        Book::Drizzle,
        Book::GolangMigrate,
        Book::Sqlx,
        Book::Dbmate,
        Book::Goose,
    ];

    /// The `--format` value.
    pub fn name(self) -> &'static str {
        match self {
            Book::Libsql => "libsql",
            Book::Prisma => "prisma",
            Book::Drizzle => "drizzle",
            Book::GolangMigrate => "golang-migrate",
            Book::Sqlx => "sqlx",
            Book::Dbmate => "dbmate",
            Book::Goose => "goose",
        }
    }

    pub fn parse(s: &str) -> Option<Book> {
        Book::ALL.into_iter().find(|b| b.name() == s)
    }

    /// The tool, as people call it.
    pub fn tool(self) -> &'static str {
        match self {
            Book::Libsql => "libsql-shell",
            Book::Prisma => "Prisma",
            Book::Drizzle => "Drizzle",
            Book::GolangMigrate => "golang-migrate",
            Book::Sqlx => "sqlx",
            Book::Dbmate => "dbmate",
            Book::Goose => "goose",
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            Book::Libsql => TABLE,
            Book::Prisma => "_prisma_migrations",
            Book::Drizzle => "__drizzle_migrations",
            Book::GolangMigrate | Book::Dbmate => "schema_migrations",
            Book::Sqlx => "_sqlx_migrations",
            Book::Goose => "goose_db_version",
        }
    }

    /// The columns the tool's table has (an existing table must have exactly these for
    /// `schema_migrations`, which two tools share, and at least these otherwise).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Book::Libsql => &["version", "name", "checksum", "applied_at", "execution_ms"],
            Book::Prisma => &[
                "id",
                "checksum",
                "finished_at",
                "migration_name",
                "logs",
                "rolled_back_at",
                "started_at",
                "applied_steps_count",
            ],
            Book::Drizzle => &["id", "hash", "created_at"],
            Book::GolangMigrate => &["version", "dirty"],
            Book::Dbmate => &["version"],
            Book::Sqlx => &[
                "version",
                "description",
                "installed_on",
                "success",
                "checksum",
                "execution_time",
            ],
            Book::Goose => &["id", "version_id", "is_applied", "tstamp"],
        }
    }

    /// Whether an existing table with these columns is this tool's.
    pub fn owns_columns(self, found: &[String]) -> bool {
        let want = self.columns();
        let has = |c: &&str| found.iter().any(|f| f.eq_ignore_ascii_case(c));
        match self {
            Book::GolangMigrate | Book::Dbmate => found.len() == want.len() && want.iter().all(has),
            _ => want.iter().all(has),
        }
    }

    /// Whether the tool writes down migrations at all.
    pub fn has_downs(self) -> bool {
        !matches!(self, Book::Prisma | Book::Drizzle)
    }

    /// Ordered by position in the directory (name or journal order), not by a number.
    pub fn positional(self) -> bool {
        matches!(self, Book::Prisma | Book::Drizzle | Book::Dbmate)
    }

    /// Statements creating the table (each idempotent: `IF NOT EXISTS`, so the schema text
    /// SQLite keeps is the tool's own), and goose's version-0 row.
    pub fn create(self) -> Vec<String> {
        match self {
            Book::Libsql => vec![format!(
                "CREATE TABLE IF NOT EXISTS {TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT \
                 NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL, execution_ms INTEGER)"
            )],
            Book::Prisma => vec![
                "CREATE TABLE IF NOT EXISTS \"_prisma_migrations\" (\n    \"id\"                    \
                 TEXT PRIMARY KEY NOT NULL,\n    \"checksum\"              TEXT NOT NULL,\n    \
                 \"finished_at\"           DATETIME,\n    \"migration_name\"        TEXT NOT \
                 NULL,\n    \"logs\"                  TEXT,\n    \"rolled_back_at\"        \
                 DATETIME,\n    \"started_at\"            DATETIME NOT NULL DEFAULT \
                 current_timestamp,\n    \"applied_steps_count\"   INTEGER UNSIGNED NOT NULL \
                 DEFAULT 0\n)"
                    .to_string(),
            ],
            Book::Drizzle => vec![
                "CREATE TABLE IF NOT EXISTS \"__drizzle_migrations\" (\n\t\t\tid SERIAL PRIMARY \
                 KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at numeric\n\t\t)"
                    .to_string(),
            ],
            Book::GolangMigrate => vec![
                "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool)".into(),
                "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)"
                    .into(),
            ],
            Book::Dbmate => vec![
                "create table if not exists \"schema_migrations\" (version varchar(128) primary \
                 key)"
                    .into(),
            ],
            Book::Goose => vec![
                "CREATE TABLE IF NOT EXISTS goose_db_version (\n\t\tid INTEGER PRIMARY KEY \
                 AUTOINCREMENT,\n\t\tversion_id INTEGER NOT NULL,\n\t\tis_applied INTEGER NOT \
                 NULL,\n\t\ttstamp TIMESTAMP DEFAULT (datetime('now'))\n\t)"
                    .into(),
                "INSERT INTO goose_db_version (version_id, is_applied) SELECT 0, 1 WHERE NOT \
                 EXISTS (SELECT 1 FROM goose_db_version)"
                    .into(),
            ],
            Book::Sqlx => vec![
                "CREATE TABLE IF NOT EXISTS _sqlx_migrations (\n    version BIGINT PRIMARY KEY,\n    \
                 description TEXT NOT NULL,\n    installed_on TIMESTAMP NOT NULL DEFAULT \
                 CURRENT_TIMESTAMP,\n    success BOOLEAN NOT NULL,\n    checksum BLOB NOT NULL,\n    \
                 execution_time BIGINT NOT NULL\n)"
                    .into(),
            ],
        }
    }

    /// The query reading what is recorded (its rows are interpreted by `records`).
    pub fn read_sql(self) -> String {
        match self {
            Book::Libsql => format!(
                "SELECT version, name, checksum, applied_at, execution_ms FROM {TABLE} ORDER BY \
                 version"
            ),
            Book::Prisma => {
                "SELECT \"migration_name\", \"checksum\", CASE typeof(\"finished_at\") \
                 WHEN 'integer' THEN strftime('%Y-%m-%dT%H:%M:%fZ', \"finished_at\" / 1000.0, \
                 'unixepoch') ELSE \"finished_at\" END, \"rolled_back_at\" IS NOT NULL, \
                 \"finished_at\" IS NULL FROM \"_prisma_migrations\" ORDER BY \"started_at\""
                    .into()
            }
            Book::Drizzle => {
                "SELECT \"hash\", \"created_at\" FROM \"__drizzle_migrations\" ORDER BY \
                 \"created_at\""
                    .into()
            }
            Book::GolangMigrate => "SELECT version, dirty FROM schema_migrations".into(),
            Book::Dbmate => "select version from \"schema_migrations\" order by version".into(),
            Book::Goose => {
                "SELECT version_id, is_applied, tstamp FROM goose_db_version ORDER BY id".into()
            }
            Book::Sqlx => "SELECT version, description, lower(hex(checksum)), installed_on, \
                 success, execution_time FROM _sqlx_migrations ORDER BY version"
                .into(),
        }
    }

    /// A statement that fails — on a constraint of the tool's own table — exactly when
    /// `cond` holds, and changes nothing otherwise.
    pub fn fail_when(self, cond: &str) -> String {
        match self {
            Book::Libsql => format!(
                "INSERT INTO {TABLE} (version, name, checksum, applied_at) SELECT NULL, NULL, '', \
                 '' WHERE {cond}"
            ),
            Book::Prisma => format!(
                "INSERT INTO \"_prisma_migrations\" (\"id\", \"checksum\", \"migration_name\") \
                 SELECT NULL, '', '' WHERE {cond}"
            ),
            Book::Drizzle => format!(
                "INSERT INTO \"__drizzle_migrations\" (\"hash\", \"created_at\") SELECT NULL, \
                 NULL WHERE {cond}"
            ),
            // No NOT NULL column: the same version twice breaks the unique key.
            Book::GolangMigrate => format!(
                "INSERT INTO schema_migrations (version, dirty) SELECT -1, 0 FROM (SELECT 1 UNION \
                 ALL SELECT 2) WHERE {cond}"
            ),
            Book::Dbmate => format!(
                "insert into \"schema_migrations\" (version) select '' from (select 1 union all \
                 select 2) where {cond}"
            ),
            Book::Goose => format!(
                "INSERT INTO goose_db_version (version_id, is_applied) SELECT NULL, NULL WHERE \
                 {cond}"
            ),
            Book::Sqlx => format!(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
                 execution_time) SELECT NULL, NULL, NULL, NULL, NULL WHERE {cond}"
            ),
        }
    }

    /// Record `m` as applied: first statements of its transaction. `prev` is the version
    /// golang-migrate's row holds before this migration (its one row is replaced).
    pub fn track(self, m: &Migration, prev: Option<i64>) -> Rows {
        let name = sql_text_literal(&m.name);
        let sum = sql_text_literal(&m.checksum);
        let key = sql_text_literal(&m.key);
        match self {
            Book::Libsql => Rows {
                rows: vec![format!(
                    "INSERT INTO {TABLE} (version, name, checksum, applied_at) VALUES ({}, {name}, \
                     {sum}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    m.version
                )],
                ..Rows::default()
            },
            Book::Prisma => Rows {
                guard: Some(self.fail_when(&prisma_live(&key))),
                rows: vec![format!(
                    "INSERT INTO \"_prisma_migrations\" (\"id\", \"checksum\", \"started_at\", \
                     \"migration_name\") VALUES ({UUID_V4}, {sum}, {NOW_MS}, {key})"
                )],
                ..Rows::default()
            },
            Book::Drizzle => Rows {
                guard: Some(self.fail_when(&format!(
                    "EXISTS (SELECT 1 FROM \"__drizzle_migrations\" WHERE \"created_at\" = {})",
                    m.key
                ))),
                rows: vec![format!(
                    "INSERT INTO \"__drizzle_migrations\" (\"hash\", \"created_at\") VALUES({sum}, \
                     {})",
                    m.key
                )],
                ..Rows::default()
            },
            Book::GolangMigrate => Rows {
                guard: Some(self.fail_when(&golang_not_at(prev))),
                rows: vec![
                    "DELETE FROM schema_migrations".into(),
                    format!(
                        "INSERT INTO schema_migrations (version, dirty) VALUES ({}, 0)",
                        m.key
                    ),
                ],
                ..Rows::default()
            },
            Book::Dbmate => Rows {
                rows: vec![format!(
                    "insert into \"schema_migrations\" (version) values ({key})"
                )],
                ..Rows::default()
            },
            Book::Goose => Rows {
                guard: Some(self.fail_when(&format!(
                    "coalesce((SELECT is_applied FROM goose_db_version WHERE version_id = {} \
                     ORDER BY id DESC LIMIT 1), 0)",
                    m.key
                ))),
                rows: vec![format!(
                    "INSERT INTO goose_db_version (version_id, is_applied) VALUES ({}, 1)",
                    m.key
                )],
                ..Rows::default()
            },
            Book::Sqlx => Rows {
                rows: vec![format!(
                    "INSERT INTO _sqlx_migrations ( version, description, success, checksum, \
                     execution_time ) VALUES ( {}, {name}, TRUE, X'{}', -{NOW_MS} * 1000000 )",
                    m.key, m.checksum
                )],
                ..Rows::default()
            },
        }
    }

    /// After the migration's statements, in the same transaction: what the tool records
    /// once a migration is done (time taken, completion).
    pub fn finish(self, m: &Migration) -> Option<String> {
        match self {
            Book::Libsql => Some(format!(
                "UPDATE {TABLE} SET execution_ms = CAST(round((julianday('now') - \
                 julianday(applied_at)) * 86400000) AS INTEGER) WHERE version = {}",
                m.version
            )),
            Book::Prisma => Some(format!(
                "UPDATE \"_prisma_migrations\" SET \"applied_steps_count\" = \
                 \"applied_steps_count\" + 1, \"finished_at\" = {NOW_MS} WHERE \"migration_name\" \
                 = {} AND \"finished_at\" IS NULL AND \"rolled_back_at\" IS NULL",
                sql_text_literal(&m.key)
            )),
            // Nanoseconds: the row was inserted with minus the start time.
            Book::Sqlx => Some(format!(
                "UPDATE _sqlx_migrations SET execution_time = {NOW_MS} * 1000000 + \
                 execution_time WHERE version = {}",
                m.key
            )),
            _ => None,
        }
    }

    /// Record `m` as applied without running it (`baseline`; Prisma's `migrate resolve
    /// --applied`).
    pub fn mark_applied(self, m: &Migration, prev: Option<i64>) -> Rows {
        match self {
            Book::Prisma => Rows {
                guard: Some(self.fail_when(&prisma_live(&sql_text_literal(&m.key)))),
                rows: vec![format!(
                    "INSERT INTO \"_prisma_migrations\" (\"id\", \"checksum\", \"logs\", \
                     \"started_at\", \"finished_at\", \"migration_name\") VALUES ({UUID_V4}, {}, \
                     '', {NOW_MS}, {NOW_MS}, {})",
                    sql_text_literal(&m.checksum),
                    sql_text_literal(&m.key)
                )],
                ..Rows::default()
            },
            Book::Sqlx => Rows {
                rows: vec![format!(
                    "INSERT INTO _sqlx_migrations ( version, description, success, checksum, \
                     execution_time ) VALUES ( {}, {}, TRUE, X'{}', -1 )",
                    m.key,
                    sql_text_literal(&m.name),
                    m.checksum
                )],
                ..Rows::default()
            },
            _ => self.track(m, prev),
        }
    }

    /// Unrecord `m` (`down`). `after` is the version golang-migrate's row holds afterwards
    /// (the previous migration's; none when it was the first).
    pub fn untrack(self, m: &Migration, after: Option<i64>) -> Rows {
        let changed = Some(self.fail_when("changes() = 0"));
        match self {
            Book::Libsql => Rows {
                rows: vec![format!("DELETE FROM {TABLE} WHERE version = {}", m.version)],
                guard_after: changed,
                ..Rows::default()
            },
            Book::GolangMigrate => Rows {
                guard: Some(self.fail_when(&golang_not_at(Some(m.version)))),
                rows: std::iter::once("DELETE FROM schema_migrations".to_string())
                    .chain(after.map(|v| {
                        format!("INSERT INTO schema_migrations (version, dirty) VALUES ({v}, 0)")
                    }))
                    .collect(),
                ..Rows::default()
            },
            Book::Dbmate => Rows {
                rows: vec![format!(
                    "delete from \"schema_migrations\" where version = {}",
                    sql_text_literal(&m.key)
                )],
                guard_after: changed,
                ..Rows::default()
            },
            Book::Goose => Rows {
                rows: vec![format!(
                    "DELETE FROM goose_db_version WHERE version_id={}",
                    m.key
                )],
                guard_after: changed,
                ..Rows::default()
            },
            Book::Sqlx => Rows {
                rows: vec![format!(
                    "DELETE FROM _sqlx_migrations WHERE version = {}",
                    m.key
                )],
                guard_after: changed,
                ..Rows::default()
            },
            // No down migrations: never asked.
            Book::Prisma | Book::Drizzle => Rows::default(),
        }
    }

    /// Accept the file's current checksum for an applied migration (`restamp`).
    pub fn restamp(self, m: &Migration) -> Option<String> {
        let sum = sql_text_literal(&m.checksum);
        match self {
            Book::Libsql => Some(format!(
                "UPDATE {TABLE} SET checksum = {sum}, name = {} WHERE version = {}",
                sql_text_literal(&m.name),
                m.version
            )),
            Book::Prisma => Some(format!(
                "UPDATE \"_prisma_migrations\" SET \"checksum\" = {sum} WHERE \"migration_name\" = \
                 {} AND \"rolled_back_at\" IS NULL",
                sql_text_literal(&m.key)
            )),
            Book::Drizzle => Some(format!(
                "UPDATE \"__drizzle_migrations\" SET \"hash\" = {sum} WHERE \"created_at\" = {}",
                m.key
            )),
            Book::Sqlx => Some(format!(
                "UPDATE _sqlx_migrations SET checksum = X'{}' WHERE version = {}",
                m.checksum, m.key
            )),
            _ => None,
        }
    }
}

/// Prisma: a row for this migration that was not rolled back.
fn prisma_live(key: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM \"_prisma_migrations\" WHERE \"migration_name\" = {key} AND \
         \"rolled_back_at\" IS NULL)"
    )
}

/// golang-migrate: its one row is not (`version`, clean) — or there is a row when none is
/// expected.
fn golang_not_at(version: Option<i64>) -> String {
    match version {
        Some(v) => format!(
            "(SELECT count(*) FROM schema_migrations) <> 1 OR NOT EXISTS (SELECT 1 FROM \
             schema_migrations WHERE version = {v} AND NOT dirty)"
        ),
        None => "EXISTS (SELECT 1 FROM schema_migrations)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for b in Book::ALL {
            assert_eq!(Book::parse(b.name()), Some(b));
        }
        assert_eq!(Book::parse("json"), None);
    }

    #[test]
    fn schema_migrations_is_told_apart_by_its_columns() {
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(Book::Dbmate.owns_columns(&cols(&["version"])));
        assert!(!Book::GolangMigrate.owns_columns(&cols(&["version"])));
        assert!(Book::GolangMigrate.owns_columns(&cols(&["version", "dirty"])));
        assert!(!Book::Dbmate.owns_columns(&cols(&["version", "dirty"])));
        assert!(!Book::Dbmate.owns_columns(&cols(&["id"])));
        assert!(!Book::Prisma.owns_columns(&cols(&["id", "checksum"])));
    }
}
