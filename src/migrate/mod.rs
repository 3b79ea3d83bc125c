//! Migrations: ordered SQL files applied exactly once, each atomically with its tracking row,
//! all pending ones in one request, on every transport (docs/ARCHITECTURE.md, "Migrations").
//! The files may be ours or another tool's (Prisma, Drizzle, golang-migrate, sqlx, dbmate,
//! goose): the directory says which, and that tool's own table records what was applied.
//!
//! - [`layout`]: which tool wrote the directory; the files, read once.
//! - [`files`]: our own files: names and versions, up/down sections, checksums.
//! - [`goose`]: goose's annotations and statement splitting.
//! - [`build`]: the migrations as one tool reads them (versions, sections, checksums).
//! - [`book`]: each tool's table, and the SQL that writes its rows.
//! - [`records`]: each tool's rows, read back as what is applied.
//! - [`status`]: the state read in one request, compared with the files.
//! - [`script`]: the exact statements a run sends (also what `migrate plan` prints).
//! - [`report`]: what `status` and `plan` print.
//! - [`runner`]: a script through the session, and what its outcome means.
//! - [`apply`]: `up`; [`revert`]: `down`, `baseline`, `restamp`.
//!
//! Exactly once without a lock table: the tracking row (or a guard that fails when the row is
//! already there) is the first statement after `BEGIN IMMEDIATE`, so of two runners racing on
//! one migration the second fails, its whole transaction rolls back, and it reads the state
//! again and carries on.

pub mod apply;
pub mod book;
pub mod build;
pub mod files;
pub mod goose;
pub mod layout;
pub mod records;
pub mod report;
pub mod revert;
pub mod runner;
pub mod script;
pub mod status;

/// Our tracking table.
pub const TABLE: &str = "_libsql_migrations";
