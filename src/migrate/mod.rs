//! Migrations: ordered SQL files applied exactly once, each atomically with its tracking row,
//! in one request, on every transport (docs/ARCHITECTURE.md, "Migrations").
//!
//! - [`files`]: the directory, names and versions, up/down sections, checksums.
//! - [`status`]: what the database recorded, compared with the files.
//! - [`script`]: the exact statements a run sends (also what `migrate plan` prints).
//! - [`runner`]: a script through the session, and what its outcome means.
//! - [`apply`]: `up`, `down`, `baseline`, `restamp`.
//!
//! Exactly once without a lock table: the tracking row is the first statement after
//! `BEGIN IMMEDIATE`, so of two runners racing on one migration the second conflicts on the
//! primary key, its whole transaction rolls back, and it reads the state again and carries on.

pub mod apply;
pub mod files;
pub mod runner;
pub mod script;
pub mod status;

/// The tracking table.
pub const TABLE: &str = "_libsql_migrations";
