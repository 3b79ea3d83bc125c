//! The exact statements a migration run sends, built once and used both to run it and to
//! print it (`migrate plan`), so the plan can never drift from what runs.
//!
//! A transactional migration is, on one stream and (through the session) in one request:
//!
//! ```text
//! PRAGMA foreign_keys = OFF          -- only when the database enforces foreign keys
//! BEGIN IMMEDIATE                    -- take the write lock up front
//! CREATE TABLE IF NOT EXISTS _libsql_migrations (...)   -- first migration of a fresh database
//! INSERT INTO _libsql_migrations ... -- FIRST: a second runner conflicts on the primary key
//! <the file's statements>
//! UPDATE _libsql_migrations SET execution_ms = ...      -- server-side time, same transaction
//! PRAGMA foreign_key_check           -- } only when the database enforces foreign keys:
//! INSERT ... WHERE EXISTS (violation) -- } fails (a constraint) when a violation is left
//! COMMIT                             -- (the session adds ROLLBACK-on-failure after it)
//! PRAGMA foreign_keys = ON           -- back as it was (the stream is closed anyway)
//! ```
//!
//! `PRAGMA foreign_keys` is a no-op inside a transaction, hence before BEGIN and after COMMIT;
//! `foreign_key_check` inside it, so a violation rolls the whole migration back. This is
//! SQLite's documented procedure for table rebuilds, and what Django's schema editor does.
//! With several migrations in one transaction (`--single-transaction`) the check follows each
//! migration's statements, so a violation is blamed on the migration that left it (and each
//! migration must leave the database consistent, as when it is applied on its own); the
//! checks travel in the same request, costing no round trip.
//!
//! The tracking statements are those of the tool that owns the directory (`book`): another
//! tool's table gets the rows that tool writes, and where its table has no key a second row
//! would break, a guard that fails when the row is already there comes first instead.
//! `up` sends all pending migrations as one [`sequence`]: each still its own transaction,
//! in one request, every step conditioned on the one before so a failure stops the rest.

use super::book::{Book, Rows};
use super::files::{Migration, Statements};

/// What a step is for, so a failure can be explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// PRAGMA foreign_keys=OFF, BEGIN IMMEDIATE, CREATE TABLE IF NOT EXISTS.
    Setup,
    /// Fails when another runner already recorded the migration (tools whose table has no
    /// key that a second row would break).
    TrackGuard,
    /// The tracking-row INSERT: a primary-key conflict means another runner won.
    Track,
    /// A statement of the file, at `Step::line`.
    User,
    /// Server-side execution time (and completion), recorded in the same transaction.
    Timing,
    /// `PRAGMA foreign_key_check`: its rows are the violations (the only step with rows).
    FkList,
    /// Fails when a foreign-key violation remains.
    FkGuard,
    /// Down: the tracking-row DELETE.
    Untrack,
    /// Down: fails when the DELETE found no row (another runner reverted it first).
    UntrackGuard,
    Commit,
    /// After COMMIT: the migration is committed whatever happens here.
    Restore,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub sql: String,
    pub role: Role,
    /// Which unit (migration) of the script the step belongs to.
    pub unit: usize,
    /// Line in the migration file (user statements), else 0.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// One migration to apply or revert, with the statements of the right section.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub migration: &'a Migration,
    pub stmts: Statements,
    pub direction: Direction,
    /// golang-migrate keeps one row, the current version: what it holds before this
    /// migration is applied (up), or after it is reverted (down).
    pub prev: Option<i64>,
}

/// How the database looks to the script.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    pub foreign_keys: bool,
    pub create_table: bool,
    pub book: Book,
}

impl Default for Env {
    fn default() -> Env {
        Env {
            foreign_keys: false,
            create_table: false,
            book: Book::Libsql,
        }
    }
}

struct Builder {
    steps: Vec<Step>,
    book: Book,
}

impl Builder {
    fn new(book: Book) -> Builder {
        Builder {
            steps: Vec::new(),
            book,
        }
    }

    fn push(&mut self, sql: impl Into<String>, role: Role, unit: usize, line: usize) {
        self.steps.push(Step {
            sql: sql.into(),
            role,
            unit,
            line,
        });
    }

    fn user(&mut self, unit: usize, u: &Unit<'_>) {
        for s in &u.stmts.stmts {
            self.push(s.sql.clone(), Role::User, unit, s.line);
        }
    }

    fn create(&mut self) {
        for sql in self.book.create() {
            self.push(sql, Role::Setup, 0, 0);
        }
    }

    fn rows(&mut self, rows: Rows, guard: Role, role: Role, unit: usize) {
        if let Some(g) = rows.guard {
            self.push(g, guard, unit, 0);
        }
        for r in rows.rows {
            self.push(r, role, unit, 0);
        }
        if let Some(g) = rows.guard_after {
            self.push(g, Role::UntrackGuard, unit, 0);
        }
    }

    fn track(&mut self, unit: usize, u: &Unit<'_>) {
        let rows = match u.direction {
            Direction::Up => self.book.track(u.migration, u.prev),
            Direction::Down => self.book.untrack(u.migration, u.prev),
        };
        match u.direction {
            Direction::Up => self.rows(rows, Role::TrackGuard, Role::Track, unit),
            Direction::Down => self.rows(rows, Role::UntrackGuard, Role::Untrack, unit),
        }
    }

    fn finish(&mut self, unit: usize, u: &Unit<'_>) {
        if u.direction == Direction::Up {
            if let Some(sql) = self.book.finish(u.migration) {
                self.push(sql, Role::Timing, unit, 0);
            }
        }
    }
}

/// Units applied (or reverted) together in ONE transaction with their tracking rows.
pub fn transaction(units: &[Unit<'_>], env: Env) -> Vec<Step> {
    let mut b = Builder::new(env.book);
    if env.foreign_keys {
        b.push("PRAGMA foreign_keys = OFF", Role::Setup, 0, 0);
    }
    b.push("BEGIN IMMEDIATE", Role::Setup, 0, 0);
    if env.create_table {
        b.create();
    }
    for (i, u) in units.iter().enumerate() {
        b.track(i, u);
        b.user(i, u);
        b.finish(i, u);
        if env.foreign_keys {
            b.push("PRAGMA foreign_key_check", Role::FkList, i, 0);
            b.push(
                env.book
                    .fail_when("EXISTS (SELECT 1 FROM pragma_foreign_key_check)"),
                Role::FkGuard,
                i,
                0,
            );
        }
    }
    let last = units.len().saturating_sub(1);
    b.push("COMMIT", Role::Commit, last, 0);
    if env.foreign_keys {
        b.push("PRAGMA foreign_keys = ON", Role::Restore, last, 0);
    }
    b.steps
}

/// A no-transaction unit: its statements in autocommit, each run only if the previous one
/// succeeded, and the tracking row written (or deleted) last, only after all of them did.
/// Not atomic: a failure leaves the statements before it applied and nothing recorded.
pub fn autocommit(unit: &Unit<'_>, env: Env) -> Vec<Step> {
    let mut b = Builder::new(env.book);
    if env.create_table {
        b.create();
    }
    b.user(0, unit);
    b.track(0, unit);
    if env.book != Book::Libsql {
        b.finish(0, unit);
    }
    b.steps
}

/// Every unit in ONE request, each its own transaction (or autocommit run) with its
/// tracking row: a failure stops the rest (each step runs only if the one before it
/// succeeded), and the migrations before it stay committed.
pub fn sequence(units: &[Unit<'_>], env: Env) -> Vec<Step> {
    let mut out = Vec::new();
    let mut env = env;
    for (i, u) in units.iter().enumerate() {
        let one = if u.migration.no_transaction {
            autocommit(u, env)
        } else {
            transaction(std::slice::from_ref(u), env)
        };
        out.extend(one.into_iter().map(|s| Step { unit: i, ..s }));
        env.create_table = false;
    }
    out
}

/// Mark migrations applied without running them (`baseline`): tracking rows only. `prev`
/// is golang-migrate's version before the first.
pub fn baseline(migrations: &[&Migration], env: Env, prev: Option<i64>) -> Vec<Step> {
    let mut b = Builder::new(env.book);
    b.push("BEGIN IMMEDIATE", Role::Setup, 0, 0);
    if env.create_table {
        b.create();
    }
    let mut prev = prev;
    for (i, m) in migrations.iter().enumerate() {
        let rows = env.book.mark_applied(m, prev);
        b.rows(rows, Role::TrackGuard, Role::Track, i);
        prev = Some(m.version);
    }
    b.push(
        "COMMIT",
        Role::Commit,
        migrations.len().saturating_sub(1),
        0,
    );
    b.steps
}

/// Accept a changed file's checksum (`restamp`); none for tools that record no checksum.
pub fn restamp(m: &Migration, book: Book) -> Option<Vec<Step>> {
    book.restamp(m).map(|sql| {
        vec![Step {
            sql,
            role: Role::Track,
            unit: 0,
            line: 0,
        }]
    })
}

/// The steps as an SQL script, one statement per line (or block), each ending with `;`;
/// `header(unit)` is printed before each unit's first step.
pub fn render(steps: &[Step], header: &dyn Fn(usize) -> Option<String>) -> String {
    let mut out = String::new();
    let mut unit = None;
    for s in steps {
        if unit != Some(s.unit) {
            unit = Some(s.unit);
            if let Some(h) = header(s.unit) {
                out.push_str(&h);
            }
        }
        out.push_str(s.sql.trim_end());
        if !s.sql.trim_end().ends_with(';') {
            out.push(';');
        }
        out.push('\n');
        if s.role == Role::Commit {
            out.push_str("-- (if any step fails: ROLLBACK; nothing of the transaction stays)\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn unit(m: &Migration) -> Unit<'_> {
        Unit {
            migration: m,
            stmts: m.up_statements().unwrap(),
            direction: Direction::Up,
            prev: None,
        }
    }

    #[test]
    fn insert_comes_first_and_pragmas_wrap_the_transaction() {
        let m = Migration::from_text(Path::new("0007_it's.sql"), "CREATE TABLE a(x);\nSELECT 1;")
            .unwrap();
        let steps = transaction(
            &[unit(&m)],
            Env {
                foreign_keys: true,
                create_table: true,
                book: Book::Libsql,
            },
        );
        let roles: Vec<Role> = steps.iter().map(|s| s.role).collect();
        use Role::*;
        assert_eq!(
            roles,
            vec![Setup, Setup, Setup, Track, User, User, Timing, FkList, FkGuard, Commit, Restore]
        );
        assert_eq!(steps[0].sql, "PRAGMA foreign_keys = OFF");
        assert_eq!(steps[1].sql, "BEGIN IMMEDIATE");
        assert!(
            steps[3].sql.contains("VALUES (7, 'it''s', '"),
            "{}",
            steps[3].sql
        );
        assert_eq!(steps[5].line, 2);
        let text = render(&steps, &|_| None);
        assert!(
            text.contains("\nCOMMIT;\n-- (if any step fails: ROLLBACK"),
            "{text}"
        );

        let plain = transaction(&[unit(&m)], Env::default());
        assert_eq!(plain.first().unwrap().sql, "BEGIN IMMEDIATE");
        assert_eq!(plain.last().unwrap().role, Commit);
        assert_eq!(plain[1].role, Track);
    }

    #[test]
    fn one_transaction_checks_foreign_keys_after_each_migration() {
        let a = Migration::from_text(Path::new("0001_a.sql"), "CREATE TABLE a(x);").unwrap();
        let b = Migration::from_text(Path::new("0002_b.sql"), "DELETE FROM a;").unwrap();
        let steps = transaction(
            &[unit(&a), unit(&b)],
            Env {
                foreign_keys: true,
                create_table: false,
                book: Book::Libsql,
            },
        );
        let checks: Vec<(Role, usize)> = steps
            .iter()
            .filter(|s| matches!(s.role, Role::FkList | Role::FkGuard))
            .map(|s| (s.role, s.unit))
            .collect();
        use Role::*;
        assert_eq!(
            checks,
            [(FkList, 0), (FkGuard, 0), (FkList, 1), (FkGuard, 1)]
        );
        let roles: Vec<Role> = steps.iter().map(|s| s.role).collect();
        assert_eq!(
            roles,
            [
                Setup, Setup, Track, User, Timing, FkList, FkGuard, Track, User, Timing, FkList,
                FkGuard, Commit, Restore
            ]
        );
    }

    #[test]
    fn autocommit_records_last() {
        let m = Migration::from_text(
            Path::new("0002_v.sql"),
            "-- libsql-shell: no-transaction\nVACUUM;",
        )
        .unwrap();
        let steps = autocommit(&unit(&m), Env::default());
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].sql, "VACUUM;");
        assert_eq!(steps[1].role, Role::Track);
    }
}
