//! `migrate`: ordered SQL migrations from a directory, each applied atomically with its
//! tracking row in one request (see `crate::migrate`). `up` is the default subcommand.
//!
//! Exit status: 0 up to date or applied; 1 a migration failed, or was refused (changed or
//! missing applied file, out of order), or `check` / `status --exit-code` found something
//! to do; 2 usage, bad file names or duplicate versions, connection or auth errors.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};

use crate::connect::{self, ConnArgs};
use crate::dump::{self, DumpOptions};
use crate::error::usage;
use crate::migrate::apply::{self, Ctx, UpOptions};
use crate::migrate::files::{self, Migration};
use crate::migrate::script;
use crate::migrate::status::{self, DbState, State};

const SEMANTICS: &str = "\
Files: DIR/<version>_<name>.sql, version = digits (0001 or 20261124093000), applied in numeric
order. Optional sections: a line `-- migrate:up` and a line `-- migrate:down`; without them the
whole file is the up section. A file whose first line is `-- libsql-shell: no-transaction` runs
outside a transaction (NOT atomic: recorded only after all its statements succeeded).

Each migration is ONE transaction in ONE request, on every transport: BEGIN IMMEDIATE; the
tracking row INSERT first (so a second runner racing on the same migration conflicts on the
primary key, rolls back entirely, and reports it as applied by another runner); the file's
statements; COMMIT, with ROLLBACK if any step fails. A BEGIN/COMMIT around the whole file (as
in Django's sqlmigrate output) is replaced by this transaction.

Foreign keys: when the database enforces them (sqld does by default), `PRAGMA foreign_keys=OFF`
runs before BEGIN (it cannot change inside a transaction), `PRAGMA foreign_key_check` runs
before COMMIT and any violation fails the migration, and enforcement is switched back on after
COMMIT: SQLite's procedure for table rebuilds, as Django's schema editor does. ON DELETE
actions do not fire inside a migration.

Tracking table _libsql_migrations(version, name, checksum, applied_at, execution_ms): checksum =
SHA-256 of the up section with line endings normalised (CRLF and LF files are the same
migration, and run the same SQL); applied_at and execution_ms come from the server's clock
inside the transaction (time spent executing, not network time).";

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = SEMANTICS)]
pub struct MigrateArgs {
    /// Directory holding the migration files (<version>_<name>.sql).
    #[arg(long, global = true, value_name = "DIR", default_value = "migrations")]
    pub dir: PathBuf,

    #[command(subcommand)]
    pub command: Option<MigrateCommand>,

    /// `migrate DB` alone is `migrate up DB`.
    #[command(flatten)]
    pub up: UpArgs,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Apply pending migrations in version order, each in one transaction (the default).
    Up(UpArgs),
    /// Show every migration: applied, pending, changed (edited after applying) or missing.
    Status(StatusArgs),
    /// Exit 1 when any migration is pending, changed or missing (a CI gate); 0 otherwise.
    Check(DbArg),
    /// Create the next migration file (never overwrites).
    New(NewArgs),
    /// Revert the newest applied migrations with their -- migrate:down sections.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum StatusFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,

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

pub fn run(args: MigrateArgs, conn: &ConnArgs) -> Result<ExitCode> {
    let dir = args.dir;
    match args.command.unwrap_or(MigrateCommand::Up(args.up)) {
        MigrateCommand::Up(up) if up.dry_run => plan(&dir, &up, conn),
        MigrateCommand::Up(up) => {
            let opts = up_options(&up)?;
            with_db(&dir, &up.db, conn, |ctx, files| {
                apply::up(ctx, files, &opts)?;
                match &up.schema_file {
                    Some(path) => write_schema(ctx, path),
                    None => Ok(()),
                }
            })
        }
        MigrateCommand::Plan(p) => plan(&dir, &p.up, conn),
        MigrateCommand::Status(s) => status_cmd(&dir, &s, conn),
        MigrateCommand::Check(db) => check(&dir, &db, conn),
        MigrateCommand::New(n) => new(&dir, &n),
        MigrateCommand::Down(d) => {
            if d.steps == 0 {
                return Err(usage("--steps must be at least 1"));
            }
            with_db(&dir, &d.db, conn, |ctx, files| {
                apply::down(ctx, files, d.steps)
            })
        }
        MigrateCommand::Baseline(v) => {
            let version = parse_version(&v.version)?;
            with_db(&dir, &v.db, conn, |ctx, files| {
                apply::baseline(ctx, files, version)
            })
        }
        MigrateCommand::Restamp(v) => {
            let version = parse_version(&v.version)?;
            with_db(&dir, &v.db, conn, |ctx, files| {
                apply::restamp(ctx, files, version)
            })
        }
    }
}

fn parse_version(s: &str) -> Result<i64> {
    s.trim().parse::<i64>().map_err(|_| {
        usage(format!(
            "'{s}' is not a migration version (digits, as in the file name)"
        ))
    })
}

fn up_options(up: &UpArgs) -> Result<UpOptions> {
    Ok(UpOptions {
        to: up.to.as_deref().map(parse_version).transpose()?,
        allow_out_of_order: up.allow_out_of_order,
        single_transaction: up.single_transaction,
    })
}

/// The files, or exit 2 naming the bad one.
fn load(dir: &Path) -> Result<Vec<Migration>> {
    files::load_dir(dir).map_err(|e| usage(e.0))
}

fn open(db: &DbArg, conn: &ConnArgs) -> Result<connect::ConnectSpec> {
    if db.db.is_none() && connect::env_database().is_none() {
        return Err(usage(
            "migrate needs a database: libsql-shell migrate up DB (or set LIBSQL_URL)",
        ));
    }
    connect::resolve(db.db.as_deref(), conn)
}

/// Load the files, connect, run `f` with progress on stdout.
fn with_db(
    dir: &Path,
    db: &DbArg,
    conn: &ConnArgs,
    f: impl FnOnce(&mut Ctx<'_>, &[Migration]) -> Result<()>,
) -> Result<ExitCode> {
    let spec = open(db, conn)?;
    let files = load(dir)?;
    let t = connect::open(&spec)?;
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    let mut ctx = Ctx {
        spec: &spec,
        t,
        out: &mut lock,
    };
    let result = f(&mut ctx, &files);
    ctx.out.flush()?;
    result.map(|()| ExitCode::SUCCESS)
}

/// Files and the database state (one request).
fn read_state(dir: &Path, db: &DbArg, conn: &ConnArgs) -> Result<(Vec<Migration>, DbState)> {
    let spec = open(db, conn)?;
    let files = load(dir)?;
    let mut t = connect::open(&spec)?;
    let state = status::read(t.as_mut())?;
    Ok((files, state))
}

fn plan(dir: &Path, up: &UpArgs, conn: &ConnArgs) -> Result<ExitCode> {
    if up.schema_file.is_some() {
        return Err(usage(
            "--schema-file needs a real run: it does nothing with plan / --dry-run",
        ));
    }
    let opts = up_options(up)?;
    let (files, db) = read_state(dir, &up.db, conn)?;
    let pending = apply::pending(&files, &db, &opts)?;
    let units = apply::up_units(&pending)?;
    let scripts = apply::up_scripts(&units, &db, opts.single_transaction)?;
    let mut out = io::stdout().lock();
    if scripts.is_empty() {
        writeln!(out, "-- nothing to apply: up to date")?;
    }
    for (i, steps) in scripts.iter().enumerate() {
        let header = if opts.single_transaction {
            let names: Vec<&str> = units
                .iter()
                .map(|u| u.migration.file_name.as_str())
                .collect();
            format!("{} in one transaction", names.join(", "))
        } else {
            let m = units[i].migration;
            let mode = if m.no_transaction {
                ", no transaction: not atomic"
            } else {
                ""
            };
            format!("{} (version {}{mode})", m.file_name, m.version)
        };
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "-- {header}: one request")?;
        for u in &units {
            if u.stmts.unwrapped && (opts.single_transaction || u.migration == units[i].migration) {
                writeln!(
                    out,
                    "-- (the file's own BEGIN/COMMIT wrapper is replaced by this transaction)"
                )?;
            }
        }
        out.write_all(script::render(steps).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn status_cmd(dir: &Path, args: &StatusArgs, conn: &ConnArgs) -> Result<ExitCode> {
    let (files, db) = read_state(dir, &args.db, conn)?;
    let entries = status::compute(&files, &db);
    let mut out = io::stdout().lock();
    match args.format {
        StatusFormat::Json => {
            let list: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| {
                    let mut o = serde_json::Map::new();
                    o.insert("version".into(), e.version.into());
                    o.insert("name".into(), e.name.clone().into());
                    o.insert("state".into(), e.state.as_str().into());
                    if let Some(a) = e.applied {
                        o.insert("applied_at".into(), a.applied_at.clone().into());
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list).context("cannot write the status")?;
            writeln!(out)?;
        }
        StatusFormat::Text => {
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
                writeln!(out, "{}", line.trim_end())?;
            }
            writeln!(out, "{}", summary(&entries))?;
        }
    }
    out.flush()?;
    Ok(exit_for(&entries, args.exit_code))
}

/// `N migrations: a applied, p pending, ...` (only the non-zero states).
fn summary(entries: &[status::Entry<'_>]) -> String {
    let count = |s: State| entries.iter().filter(|e| e.state == s).count();
    let parts: Vec<String> = [
        State::Applied,
        State::Pending,
        State::Changed,
        State::Missing,
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

fn exit_for(entries: &[status::Entry<'_>], gate: bool) -> ExitCode {
    if gate && entries.iter().any(|e| e.state != State::Applied) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check(dir: &Path, db: &DbArg, conn: &ConnArgs) -> Result<ExitCode> {
    let (files, state) = read_state(dir, db, conn)?;
    let entries = status::compute(&files, &state);
    let mut out = io::stdout().lock();
    let todo: Vec<String> = entries
        .iter()
        .filter(|e| e.state != State::Applied)
        .map(|e| format!("{} ({})", e.label(), e.state))
        .collect();
    if todo.is_empty() {
        writeln!(out, "up to date: {}", summary(&entries))?;
    } else {
        writeln!(out, "not up to date: {}", summary(&entries))?;
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

fn new(dir: &Path, args: &NewArgs) -> Result<ExitCode> {
    let name = files::slug(&args.name);
    if name.is_empty() {
        return Err(usage(format!(
            "'{}' is not a usable migration name (letters, digits, _)",
            args.name
        )));
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the migrations directory {}", dir.display()))?;
    let existing = load(dir)?;
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
