//! `migrate`: ordered SQL migrations from a directory, each applied atomically with its
//! tracking row in one request (see `crate::migrate`). `up` is the default subcommand.
//!
//! Exit status: 0 up to date or applied; 1 a migration failed, or was refused (changed,
//! missing or failed applied migration, out of order), or `check` / `status --exit-code`
//! found something to do; 2 usage, a directory of no known layout (or of two), bad file
//! names or duplicate versions, a tracking table of another shape, connection or auth
//! errors.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::connect::{self, ConnArgs};
use crate::dump::{self, DumpOptions};
use crate::error::usage;
use crate::migrate::apply::{self, Ctx, UpOptions};
use crate::migrate::book::Book;
use crate::migrate::files::{self, Migration};
use crate::migrate::layout::{self, Family};
use crate::migrate::status::{self, DbState, State};
use crate::migrate::{build, report, revert};

const SEMANTICS: &str = "\
Layouts (told from DIR; --format forces one):
  libsql (ours)   0001_init.sql, 0002_users.sql: <version>_<name>.sql in numeric order; optional
                  `-- migrate:up` / `-- migrate:down` sections; a first line
                  `-- libsql-shell: no-transaction` runs it outside a transaction.
                  Table _libsql_migrations(version, name, checksum, applied_at, execution_ms).
  prisma          migration_lock.toml (provider = \"sqlite\") and
                  20240101120000_init/migration.sql folders, in name order. Table
                  _prisma_migrations, rows as `prisma migrate deploy` writes them (checksum =
                  SHA-256 of migration.sql). No downs.
  drizzle         meta/_journal.json and 0000_init.sql (drizzle-kit): the journal gives the
                  order; statements split at `--> statement-breakpoint`. Table
                  __drizzle_migrations(id, hash, created_at) as drizzle-orm's migrator writes
                  it (hash = SHA-256 of the file, created_at = the journal's `when`). No downs.
  golang-migrate  1_init.up.sql + 1_init.down.sql. Table schema_migrations(version, dirty): one
                  row, the current version.
  sqlx            the same pairs, or 20240101_init.sql alone. Table _sqlx_migrations (checksum
                  = SHA-384 of the file); `-- no-transaction` first line.
  dbmate          20240101120000_init.sql with `-- migrate:up` / `-- migrate:down`
                  (`transaction:false`). Table schema_migrations(version).
  goose           00001_init.sql with `-- +goose Up` / `-- +goose Down`, StatementBegin/End,
                  `-- +goose NO TRANSACTION`. Table goose_db_version (version 0 first).
<version>_<name>.sql files are ours unless the database already has dbmate's or sqlx's
table (or --format says so); .up.sql/.down.sql pairs are golang-migrate's unless the
database has sqlx's table. A directory matching no layout, or mixing two, is an error.

Each migration is ONE transaction, and all pending migrations go in ONE request: BEGIN
IMMEDIATE; the tracking row first (so a second runner racing on the same migration
conflicts, rolls back entirely, and reports it as applied by another runner); the file's
statements; COMMIT, with ROLLBACK if any step fails. A failure stops the migrations after
it; the ones before it stay committed. A BEGIN/COMMIT around the whole file (as in Django's
sqlmigrate output) is replaced by this transaction.

Foreign keys: when the database enforces them (sqld does by default), `PRAGMA foreign_keys=OFF`
runs before BEGIN (it cannot change inside a transaction, so the same PRAGMA in a file is a
no-op), `PRAGMA foreign_key_check` runs before COMMIT and any violation fails the migration,
and enforcement is switched back on after COMMIT: SQLite's procedure for table rebuilds (as
Prisma's and Drizzle's RedefineTables scripts expect). ON DELETE actions do not fire inside a
migration.

From `turso db shell DB < migration.sql`: point `migrate up DB --dir` at the directory the
tool wrote (prisma/migrations, drizzle, db/migrations); applied migrations are recorded in
that tool's table, so the tool itself sees them. On a database already migrated by hand, mark
those as applied once with `migrate baseline VERSION`.

Checksums: ours = SHA-256 of the up section with line endings normalised (CRLF and LF files
are the same migration, and run the same SQL); an applied file whose checksum changed is
`changed` and stops `up` (`migrate restamp` accepts it).";

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = SEMANTICS)]
pub struct MigrateArgs {
    /// Directory holding the migrations (see the layouts below).
    #[arg(long, global = true, value_name = "DIR", default_value = "migrations")]
    pub dir: PathBuf,

    /// Whose migrations DIR holds, instead of telling it from the directory (and from the
    /// tracking table already in the database): libsql, prisma, drizzle, golang-migrate,
    /// sqlx, dbmate, goose.
    #[arg(id = "layout", long = "format", global = true, value_name = "LAYOUT", value_parser = parse_layout)]
    pub format: Option<Book>,

    #[command(subcommand)]
    pub command: Option<MigrateCommand>,

    /// `migrate DB` alone is `migrate up DB`.
    #[command(flatten)]
    pub up: UpArgs,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Apply pending migrations in order, each in its own transaction, all in one request
    /// (the default).
    Up(UpArgs),
    /// Show every migration: applied, pending, changed (edited after applying), missing, or
    /// failed (recorded as failed half-way by its tool).
    Status(StatusArgs),
    /// Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0
    /// otherwise.
    Check(DbArg),
    /// Create the next migration file (never overwrites).
    New(NewArgs),
    /// Revert the newest applied migrations with their down sections (or .down.sql files).
    Down(DownArgs),
    /// Print the exact SQL `up` would send, per migration (same as `up --dry-run`).
    Plan(PlanArgs),
    /// Record migrations up to VERSION as applied without running them.
    Baseline(VersionArgs),
    /// Accept the new checksum of an applied migration whose file was edited.
    Restamp(VersionArgs),
}

#[derive(Debug, Clone, Args, Default)]
pub struct DbArg {
    /// Database (else LIBSQL_URL or TURSO_DATABASE_URL).
    #[arg(value_name = "DB")]
    pub db: Option<String>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct UpArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// Apply pending migrations up to and including this version only.
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,

    /// Print the SQL that would run instead of running it.
    #[arg(long)]
    pub dry_run: bool,

    /// Apply every pending migration in ONE transaction (all or nothing).
    #[arg(long)]
    pub single_transaction: bool,

    /// Apply pending migrations older than the newest applied one instead of refusing.
    #[arg(long)]
    pub allow_out_of_order: bool,

    /// After a successful run, write the database's schema (as `dump --schema-only`) here.
    #[arg(long, value_name = "FILE")]
    pub schema_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub up: UpArgs,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// Print the status as JSON (one object per migration).
    #[arg(long)]
    pub json: bool,

    /// Exit 1 when anything is pending, changed or missing.
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// What the migration does, e.g. add_users (becomes part of the file name).
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Use a UTC timestamp (YYYYMMDDHHMMSS) as the version even if the files are numbered.
    #[arg(long)]
    pub timestamp: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DownArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// How many migrations to revert, newest first.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub steps: usize,
}

#[derive(Debug, Clone, Args)]
pub struct VersionArgs {
    /// The migration version (as in the file name; leading zeros optional).
    #[arg(value_name = "VERSION")]
    pub version: String,

    #[command(flatten)]
    pub db: DbArg,
}

/// `--format`: a layout name; the old `status --format json` is pointed to `--json`.
fn parse_layout(s: &str) -> std::result::Result<Book, String> {
    if let Some(b) = Book::parse(s) {
        return Ok(b);
    }
    let names: Vec<&str> = Book::ALL.iter().map(|b| b.name()).collect();
    let hint = if matches!(s, "json" | "text") {
        " (--format names the migrations' layout; for JSON status use `migrate status --json`)"
    } else {
        ""
    };
    Err(format!("one of {}{hint}", names.join(", ")))
}

/// Where the migrations are and whose they are.
struct Where<'a> {
    dir: &'a Path,
    format: Option<Book>,
}

pub fn run(args: MigrateArgs, conn: &ConnArgs) -> Result<ExitCode> {
    let at = Where {
        dir: &args.dir,
        format: args.format,
    };
    match args.command.unwrap_or(MigrateCommand::Up(args.up)) {
        MigrateCommand::Up(up) if up.dry_run => plan(&at, &up, conn),
        MigrateCommand::Up(up) => {
            check_up_args(&up)?;
            with_db(&at, &up.db, conn, |ctx, files, db| {
                let opts = up_options(&up, files)?;
                if apply::up(ctx, files, db, &opts)? > 0 {
                    // A following command against the same node (a replica) sees them.
                    ctx.t
                        .settle()
                        .map_err(crate::transport::PipelineError::into_anyhow)?;
                }
                match &up.schema_file {
                    Some(path) => write_schema(ctx, path),
                    None => Ok(()),
                }
            })
        }
        MigrateCommand::Plan(p) => plan(&at, &p.up, conn),
        MigrateCommand::Status(s) => status_cmd(&at, &s, conn),
        MigrateCommand::Check(db) => check(&at, &db, conn),
        MigrateCommand::New(n) => new(&at, &n),
        MigrateCommand::Down(d) => {
            if d.steps == 0 {
                return Err(usage("--steps must be at least 1"));
            }
            with_db(&at, &d.db, conn, |ctx, files, db| {
                revert::down(ctx, files, db, d.steps)
            })
        }
        MigrateCommand::Baseline(v) => {
            check_version_arg(&v.version)?;
            with_db(&at, &v.db, conn, |ctx, files, db| {
                let version = apply::resolve_version(files, &v.version)?;
                revert::baseline(ctx, files, db, version)
            })
        }
        MigrateCommand::Restamp(v) => {
            check_version_arg(&v.version)?;
            with_db(&at, &v.db, conn, |ctx, files, db| {
                let version = apply::resolve_version(files, &v.version)?;
                revert::restamp(ctx, files, db, version)
            })
        }
    }
}

fn check_version_arg(s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(usage("a migration version is needed (as in the file name)"));
    }
    Ok(())
}

fn check_up_args(up: &UpArgs) -> Result<()> {
    if let Some(to) = &up.to {
        check_version_arg(to)?;
    }
    Ok(())
}

fn up_options(up: &UpArgs, files: &[Migration]) -> Result<UpOptions> {
    Ok(UpOptions {
        to: up
            .to
            .as_deref()
            .map(|v| apply::resolve_version(files, v))
            .transpose()?,
        allow_out_of_order: up.allow_out_of_order,
        single_transaction: up.single_transaction,
    })
}

fn open(db: &DbArg, conn: &ConnArgs) -> Result<connect::ConnectSpec> {
    if db.db.is_none() && connect::env_database().is_none() {
        return Err(usage(
            "migrate needs a database: libsql-shell migrate up DB (or set LIBSQL_URL)",
        ));
    }
    connect::resolve(db.db.as_deref(), conn)
}

/// The directory's layout, or exit 2 naming what is wrong. Where only one tool can own
/// the files, they are also read as that tool reads them, so bad files are reported before
/// connecting.
fn scan(at: &Where<'_>) -> Result<layout::Scan> {
    let scan = layout::scan(at.dir, at.format).map_err(|e| usage(e.0))?;
    if let [only] = scan.candidates().as_slice() {
        build::build(&scan, *only).map_err(|e| usage(e.0))?;
    }
    Ok(scan)
}

/// Read the directory, connect, read the state (one request), run `f` with progress on
/// stdout.
fn with_db(
    at: &Where<'_>,
    db: &DbArg,
    conn: &ConnArgs,
    f: impl FnOnce(&mut Ctx<'_>, &[Migration], DbState) -> Result<()>,
) -> Result<ExitCode> {
    let spec = open(db, conn)?;
    let scan = scan(at)?;
    let mut t = connect::open(&spec)?;
    let (files, state) = status::read_scan(t.as_mut(), &scan)?;
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    let mut ctx = Ctx {
        spec: &spec,
        t,
        out: &mut lock,
    };
    let result = f(&mut ctx, &files, state);
    ctx.out.flush()?;
    result.map(|()| ExitCode::SUCCESS)
}

/// Files and the database state (one request).
fn read_state(at: &Where<'_>, db: &DbArg, conn: &ConnArgs) -> Result<(Vec<Migration>, DbState)> {
    let spec = open(db, conn)?;
    let scan = scan(at)?;
    let mut t = connect::open(&spec)?;
    status::read_scan(t.as_mut(), &scan)
}

fn plan(at: &Where<'_>, up: &UpArgs, conn: &ConnArgs) -> Result<ExitCode> {
    if up.schema_file.is_some() {
        return Err(usage(
            "--schema-file needs a real run: it does nothing with plan / --dry-run",
        ));
    }
    check_up_args(up)?;
    let (files, db) = read_state(at, &up.db, conn)?;
    let opts = up_options(up, &files)?;
    let pending = apply::pending(&files, &db, &opts)?;
    let units = apply::up_units(&pending, &db)?;
    let steps = apply::up_script(&units, &db, opts.single_transaction)?;
    let mut out = io::stdout().lock();
    if steps.is_empty() {
        writeln!(out, "-- nothing to apply: up to date")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = report::plan(&units, &steps, db.book, opts.single_transaction);
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn status_cmd(at: &Where<'_>, args: &StatusArgs, conn: &ConnArgs) -> Result<ExitCode> {
    let (files, db) = read_state(at, &args.db, conn)?;
    let entries = status::compute(&files, &db);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report::status_json(&entries, db.book))
            .context("cannot write the status")?;
        writeln!(out)?;
    } else {
        out.write_all(report::status_text(&entries, db.book, at.dir).as_bytes())?;
    }
    out.flush()?;
    Ok(exit_for(&entries, args.exit_code))
}

fn exit_for(entries: &[status::Entry<'_>], gate: bool) -> ExitCode {
    if gate && entries.iter().any(|e| e.state != State::Applied) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check(at: &Where<'_>, db: &DbArg, conn: &ConnArgs) -> Result<ExitCode> {
    let (files, state) = read_state(at, db, conn)?;
    let entries = status::compute(&files, &state);
    let mut out = io::stdout().lock();
    let todo: Vec<String> = entries
        .iter()
        .filter(|e| e.state != State::Applied)
        .map(|e| match e.state {
            // The label already says "(file missing)".
            State::Missing => e.label(),
            state => format!("{} ({state})", e.label()),
        })
        .collect();
    if todo.is_empty() {
        writeln!(out, "up to date: {}", report::summary(&entries))?;
    } else {
        writeln!(out, "not up to date: {}", report::summary(&entries))?;
        for t in &todo {
            writeln!(out, "  {t}")?;
        }
    }
    out.flush()?;
    Ok(exit_for(&entries, true))
}

/// The schema, written to a temporary file renamed into place only when complete.
fn write_schema(ctx: &mut Ctx<'_>, path: &Path) -> Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| usage(format!("--schema-file {}: not a file name", path.display())))?;
    let tmp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let opts = DumpOptions {
        schema_only: true,
        ..Default::default()
    };
    let written = std::fs::File::create(&tmp)
        .map_err(|e| usage(format!("cannot create {}: {e}", tmp.display())))
        .and_then(|f| {
            let mut out = io::BufWriter::new(f);
            dump::dump(ctx.t.as_mut(), &opts, &mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&tmp, path)?;
            Ok(())
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("the schema file {} was not written", path.display()))?;
    writeln!(ctx.out, "schema written to {}", path.display())?;
    Ok(())
}

const TEMPLATE: &str = "-- migrate:up\n\n\n-- migrate:down\n\n";

/// The files `new` numbers after: ours; a directory of another tool's is refused (its own
/// tool makes its migrations).
fn existing_for_new(at: &Where<'_>) -> Result<Vec<Migration>> {
    let empty = std::fs::read_dir(at.dir)
        .map(|mut d| {
            d.all(|e| {
                e.map(|e| e.file_name().to_string_lossy().starts_with('.'))
                    .unwrap_or(false)
            })
        })
        .unwrap_or(true);
    if empty {
        return Ok(Vec::new());
    }
    let scan = layout::scan(at.dir, at.format).map_err(|e| usage(e.0))?;
    let book = at.format.unwrap_or(Book::Libsql);
    if scan.family != Family::Plain || book != Book::Libsql {
        return Err(usage(format!(
            "migrate new writes libsql-shell's own files; {} holds {}: make its migrations with \
             {}",
            at.dir.display(),
            scan.family.describe(),
            at.format.map_or("that tool", |b| b.tool())
        )));
    }
    build::build(&scan, Book::Libsql).map_err(|e| usage(e.0))
}

fn new(at: &Where<'_>, args: &NewArgs) -> Result<ExitCode> {
    let dir = at.dir;
    let name = files::slug(&args.name);
    if name.is_empty() {
        return Err(usage(format!(
            "'{}' is not a usable migration name (letters, digits, _)",
            args.name
        )));
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the migrations directory {}", dir.display()))?;
    let existing = existing_for_new(at)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let version = files::next_version(&existing, now, args.timestamp);
    let path = dir.join(format!("{version}_{name}.sql"));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| usage(format!("cannot create {}: {e}", path.display())))?;
    f.write_all(TEMPLATE.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(io::stdout(), "{}", path.display())?;
    Ok(ExitCode::SUCCESS)
}
