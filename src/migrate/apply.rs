//! `up` and the plan it follows. The state was read once (one request) by the caller;
//! everything that can be checked is checked before anything is sent; then ALL pending
//! migrations go in one request (as few as fit: the session splits very large ones), each
//! still its own transaction with its tracking row, every step conditioned on the one
//! before so the first failure stops the rest while the migrations before it stay committed.
//! A lost race (another runner committed one of them first) or a lost connection is
//! followed by a fresh read of the state, and the run goes on with what is still pending.

use std::io::Write;
use std::time::Duration;

use anyhow::{anyhow, bail, Result};

use super::book::Book;
use super::files::Migration;
use super::runner::{self, Failure, Outcome};
use super::script::{self, Direction, Env, Step, Unit};
use super::status::{self, DbState, State};
use crate::connect::{self, ConnectSpec};
use crate::error::{usage, ConnectionFailed};
use crate::transport::{Transport, TransportError};

/// An open connection and where progress lines go.
pub struct Ctx<'a> {
    pub spec: &'a ConnectSpec,
    pub t: Box<dyn Transport>,
    pub out: &'a mut dyn Write,
}

#[derive(Debug, Clone, Default)]
pub struct UpOptions {
    pub to: Option<i64>,
    pub allow_out_of_order: bool,
    pub single_transaction: bool,
}

pub fn note(msg: &str) {
    crate::error::print_note(msg);
}

/// What a re-check read after a lost answer cannot rule out: the server it read may be a
/// replica that has not caught up with the lost COMMIT. A retry is safe either way (the
/// tracking row is checked in the retry's own transaction).
const LAG: &str = " (read from this server: a replica cut off from its primary may not have \
                   caught up; `migrate status` tells for certain once it has)";

/// The start of a checksum for a message (a recorded one may hold any text).
pub fn short(checksum: &str) -> &str {
    match checksum.char_indices().nth(12) {
        Some((cut, _)) => &checksum[..cut],
        None => checksum,
    }
}

/// A version as the user typed it (`--to`, `baseline`, `restamp`): a file's version as
/// written (leading zeros optional), its key, or its folder / tag name. It must name a
/// migration in the directory: a typo (`--to 0009` among 0001–0004, `baseline 9999`) would
/// otherwise apply, or mark as applied without running, every migration.
pub fn resolve_version(files: &[Migration], arg: &str) -> Result<i64> {
    let arg = arg.trim();
    let number = arg.parse::<i64>().ok();
    let found = files.iter().find(|m| {
        m.version_text == arg
            || m.key == arg
            || m.file_name == arg
            || m.file_name.split('/').next() == Some(arg)
            || (number.is_some() && m.version_text.parse::<i64>().ok() == number)
    });
    match found {
        Some(m) => Ok(m.version),
        None => Err(usage(format!(
            "'{arg}' is not the version of any migration in the directory"
        ))),
    }
}

/// What to do about a migration the tool recorded as failed half-way.
fn failed_hint(book: Book, m: &str) -> String {
    match book {
        Book::Prisma => format!(
            "Prisma recorded {m} as failed (a _prisma_migrations row without finished_at): repair \
             the database, then `prisma migrate resolve --applied` or `--rolled-back` it"
        ),
        Book::Sqlx => format!(
            "sqlx recorded {m} as failed (success = false in _sqlx_migrations): repair the \
             database, then delete that row"
        ),
        Book::GolangMigrate => format!(
            "golang-migrate's schema_migrations is dirty at {m} (it failed half-way): repair the \
             database, then `migrate force` the right version"
        ),
        b => format!("{} recorded {m} as failed", b.tool()),
    }
}

/// The migrations `up` would apply, in order, after refusing changed, missing or failed
/// applied migrations and (unless allowed) pending ones older than the newest applied.
pub fn pending<'a>(
    files: &'a [Migration],
    db: &DbState,
    opts: &UpOptions,
) -> Result<Vec<&'a Migration>> {
    let entries = status::compute(files, db);
    let newest = entries
        .iter()
        .filter(|e| e.state == State::Applied)
        .max_by_key(|e| e.version)
        .map(|e| e.version_text());
    let mut out = Vec::new();
    for e in &entries {
        match (e.state, e.file, e.applied) {
            (State::Changed, Some(m), Some(a)) => bail!(
                "migration {} was changed after it was applied (recorded checksum {}, file now \
                 {}): restore the file, or accept the change with `migrate restamp {}`",
                m.file_name,
                short(a.checksum.as_deref().unwrap_or("")),
                short(&m.checksum),
                m.version_text
            ),
            (State::Missing, _, _) => bail!(
                "migration {} is applied but no file has its version: restore the file",
                match e.applied {
                    Some(a) if db.book == Book::Libsql => format!("{} ({})", a.version, a.name),
                    Some(a) => a.label.clone(),
                    None => e.version.to_string(),
                }
            ),
            (State::Failed, _, _) => bail!("{}", failed_hint(db.book, &e.label())),
            (State::Pending, Some(m), _) if opts.to.is_none_or(|to| m.version <= to) => {
                if e.out_of_order && !opts.allow_out_of_order {
                    bail!(
                        "migration {} is pending but older than the newest applied migration \
                         ({}): apply it anyway with --allow-out-of-order",
                        m.file_name,
                        newest.clone().unwrap_or_default()
                    );
                }
                out.extend(files.iter().find(|f| f.key == m.key));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Up units for `migrations`, refusing bad statements before anything is sent.
/// golang-migrate's one row moves from version to version along the way.
pub fn up_units<'a>(migrations: &[&'a Migration], db: &DbState) -> Result<Vec<Unit<'a>>> {
    let mut prev = db.current_version();
    migrations
        .iter()
        .map(|m| {
            let u = Unit {
                migration: m,
                stmts: m.up_statements().map_err(|e| anyhow!(e))?,
                direction: Direction::Up,
                prev,
            };
            prev = Some(m.version);
            Ok(u)
        })
        .collect()
}

pub fn env(db: &DbState) -> Env {
    Env {
        foreign_keys: db.foreign_keys,
        create_table: !db.table_exists,
        book: db.book,
    }
}

/// The script `up` runs for these units: one sequence of transactions, or one transaction
/// for all (`--single-transaction`). Empty when there is nothing to do.
pub fn up_script(units: &[Unit<'_>], db: &DbState, single: bool) -> Result<Vec<Step>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    if single {
        if let Some(u) = units.iter().find(|u| u.migration.no_transaction) {
            bail!(
                "{} runs outside a transaction (no-transaction) and cannot be part of \
                 --single-transaction",
                u.migration.file_name
            );
        }
        return Ok(script::transaction(units, env(db)));
    }
    Ok(script::sequence(units, env(db)))
}

/// Apply pending migrations. Exit status comes from the error: none is 0.
/// Returns how many migrations this run applied.
pub fn up(ctx: &mut Ctx<'_>, files: &[Migration], db: DbState, opts: &UpOptions) -> Result<usize> {
    let mut db = db;
    let first = pending(files, &db, opts)?;
    up_script(&up_units(&first, &db)?, &db, opts.single_transaction)?; // refuse bad combinations up front
    let mut queue: Vec<&Migration> = first.clone();
    let mut applied = 0usize;
    let mut retries = 0usize;
    let mut by_others = 0usize;
    let mut elapsed = Duration::ZERO;
    while !queue.is_empty() {
        let units = up_units(&queue, &db)?;
        let steps = up_script(&units, &db, opts.single_transaction)?;
        if opts.single_transaction {
            write!(
                ctx.out,
                "applying {} ... ",
                if units.len() == 1 {
                    units[0].migration.file_name.clone()
                } else {
                    format!("{} migrations in one transaction", units.len())
                }
            )?;
            ctx.out.flush()?;
        }
        let outcome = runner::execute(ctx.t.as_mut(), &steps, &units[0].migration.file_name)?;
        // Units before `committed` took effect.
        let committed = match &outcome {
            Outcome::Done(d) => {
                elapsed += *d;
                units.len()
            }
            Outcome::Failed(f) if opts.single_transaction => {
                usize::from(f.after_commit()) * units.len()
            }
            Outcome::Failed(f) => f.unit + usize::from(f.after_commit()),
            Outcome::Lost(_) => 0,
        };
        report_ok(ctx, &units[..committed], opts.single_transaction)?;
        applied += committed;
        queue.drain(..committed);
        db.table_exists |= committed > 0;
        match outcome {
            Outcome::Done(_) => {}
            Outcome::Failed(f) if f.after_commit() => {
                note(&format!("after COMMIT: {}", f.err));
                db = status::read(ctx.t.as_mut(), db.book, files)?;
            }
            Outcome::Failed(f) if f.lost_race() && retries < files.len() + 1 => {
                retries += 1;
                let m = units[f.unit.min(units.len() - 1)].migration;
                if !opts.single_transaction {
                    write!(ctx.out, "applying {} ... ", m.file_name)?;
                }
                writeln!(ctx.out, "already applied by another runner")?;
                ctx.out.flush()?;
                db = DbState {
                    // As first read: a local connection may still have it off from the
                    // rolled-back batch.
                    foreign_keys: db.foreign_keys,
                    ..status::read(ctx.t.as_mut(), db.book, files)?
                };
                if m.no_transaction {
                    note(&format!(
                        "{} runs outside a transaction: its statements ran here too before the \
                         conflict (no-transaction migrations are not protected against \
                         concurrent runners)",
                        m.file_name
                    ));
                }
                match db.get(&m.key) {
                    Some(a) if a.checksum.as_deref().is_none_or(|c| m.matches(c)) => {
                        note(&format!(
                            "migration {} already applied by another runner",
                            m.file_name
                        ))
                    }
                    Some(a) => bail!(
                        "migration {} was applied by another runner with a different checksum \
                         ({} instead of {})",
                        m.file_name,
                        short(a.checksum.as_deref().unwrap_or("")),
                        short(&m.checksum)
                    ),
                    None => bail!("migration {}: {}", m.file_name, f.err),
                }
                pending(
                    files,
                    &db,
                    &UpOptions {
                        allow_out_of_order: true,
                        ..opts.clone()
                    },
                )?;
                let before = queue.len();
                queue.retain(|m| db.get(&m.key).is_none());
                by_others += before - queue.len();
            }
            Outcome::Failed(f) => {
                let u = &units[f.unit.min(units.len() - 1)];
                if !opts.single_transaction {
                    write!(ctx.out, "applying {} ... ", u.migration.file_name)?;
                }
                writeln!(ctx.out, "failed")?;
                ctx.out.flush()?;
                let later = units.len() - committed - 1;
                return Err(explain(&f, &units, opts.single_transaction, applied, later));
            }
            Outcome::Lost(e) => {
                if opts.single_transaction {
                    writeln!(ctx.out, "connection lost")?;
                }
                ctx.out.flush()?;
                db = DbState {
                    foreign_keys: db.foreign_keys,
                    ..recheck(ctx, files, db.book, &units, e, Direction::Up)?
                };
                if !opts.single_transaction {
                    let now: Vec<Unit<'_>> = units
                        .iter()
                        .filter(|u| db.get(&u.migration.key).is_some())
                        .cloned()
                        .collect();
                    report_ok(ctx, &now, false)?;
                }
                let before = queue.len();
                queue.retain(|m| db.get(&m.key).is_none());
                applied += before - queue.len();
            }
        }
    }
    let done = |m: &&Migration| db.get(&m.key).is_some() || !queue.contains(m) && first.contains(m);
    let at = files
        .iter()
        .rev()
        .find(done)
        .map(|m| m.version_text.clone())
        .or_else(|| db.applied.last().map(|a| a.version_text.clone()));
    let at = at.map_or_else(
        || "no migrations applied".to_string(),
        |v| format!("version {v}"),
    );
    if applied == 0 && first.is_empty() {
        writeln!(ctx.out, "up to date ({at})")?;
    } else {
        let others = if by_others > 0 {
            format!(" ({by_others} more by another runner)")
        } else {
            String::new()
        };
        let table = if db.book == Book::Libsql {
            String::new()
        } else {
            format!(
                " (recorded in {}, as {} does)",
                db.book.table(),
                db.book.tool()
            )
        };
        writeln!(
            ctx.out,
            "{applied} migration(s) applied{others} in {} ms; database at {at}{table}",
            elapsed.as_millis()
        )?;
    }
    Ok(applied)
}

/// `applying X ... ok` for each unit that took effect.
fn report_ok(ctx: &mut Ctx<'_>, units: &[Unit<'_>], single: bool) -> Result<()> {
    if units.is_empty() {
        return Ok(());
    }
    if single {
        writeln!(ctx.out, "ok")?;
    }
    for u in units {
        if single {
            if units.len() > 1 {
                writeln!(ctx.out, "  {}", u.migration.file_name)?;
            }
        } else {
            writeln!(ctx.out, "applying {} ... ok", u.migration.file_name)?;
        }
        if u.stmts.stmts.is_empty() {
            note(&format!(
                "{} has no statements (comments only); recorded as applied",
                u.migration.file_name
            ));
        }
    }
    ctx.out.flush()?;
    Ok(())
}

/// The error for a failed migration: file, line, statement, SQLite's message, and what it
/// means for the database.
pub fn explain(
    f: &Failure,
    units: &[Unit<'_>],
    one_transaction: bool,
    earlier: usize,
    later: usize,
) -> anyhow::Error {
    let u = &units[f.unit.min(units.len() - 1)];
    let m = u.migration;
    let verb = if u.direction == Direction::Up {
        "applied"
    } else {
        "reverted"
    };
    let consequence = if m.no_transaction {
        format!(
            "{} runs outside a transaction: the statements before the failing one were applied \
             and it is not recorded as {verb}; repair by hand, then re-run",
            m.file_name
        )
    } else if one_transaction && units.len() > 1 {
        format!(
            "the transaction was rolled back: none of its {} migrations was {verb}",
            units.len()
        )
    } else {
        format!(
            "nothing of {} was {verb} (its transaction was rolled back)",
            m.file_name
        )
    };
    let retry = if f.transient() { "; safe to retry" } else { "" };
    let earlier = if earlier > 0 {
        format!("; the {earlier} migration(s) before it in this run stay {verb}")
    } else {
        String::new()
    };
    let later = if later > 0 && !one_transaction {
        format!("; the {later} after it were not run")
    } else {
        String::new()
    };
    let what = match f.role {
        Some(script::Role::User) => {
            let sql = f.sql.trim_end().trim_end_matches(';');
            let mut stmt: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            if stmt.chars().count() > 100 {
                stmt = stmt.chars().take(100).collect::<String>() + "...";
            }
            format!("{}:{}: {} (statement: {stmt})", m.file_name, f.line, f.err)
        }
        Some(script::Role::FkGuard) if f.constraint() => format!(
            "{} leaves foreign key violations: {}",
            m.file_name,
            if f.fk_rows.is_empty() {
                "see PRAGMA foreign_key_check".into()
            } else {
                f.violations()
            }
        ),
        Some(script::Role::Commit) => format!("{}: COMMIT failed: {}", m.file_name, f.err),
        None => format!("{}: the server refused the request: {}", m.file_name, f.err),
        Some(_) => format!("{}: {} (in: {})", m.file_name, f.err, f.sql),
    };
    anyhow!("migration failed: {what}; {consequence}{retry}{earlier}{later}")
}

/// After a lost connection: reconnect, read the state again, and say for certain which of
/// the units took effect (their tracking rows are in the same transaction as their
/// statements). Carries on (Ok) only when all of them did.
pub fn recheck(
    ctx: &mut Ctx<'_>,
    files: &[Migration],
    book: Book,
    units: &[Unit<'_>],
    e: anyhow::Error,
    dir: Direction,
) -> Result<DbState> {
    let reason = match e.downcast_ref::<TransportError>() {
        Some(TransportError::ConnectionLost { reason, .. }) => reason.clone(),
        _ => crate::error::one_line(&e),
    };
    let names = |us: &[&Unit<'_>]| {
        us.iter()
            .map(|u| u.migration.file_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<&Unit<'_>> = units.iter().collect();
    let db = connect::open(ctx.spec).and_then(|mut t| {
        let db = status::read(t.as_mut(), book, files)?;
        ctx.t = t;
        Ok(db)
    });
    let db = match db {
        Ok(db) => db,
        Err(e2) => {
            return Err(anyhow::Error::new(ConnectionFailed(format!(
                "connection lost while running {} ({reason}); checking again failed too \
                 ({}): whether it took effect is unknown, run `migrate status`",
                names(&all),
                crate::error::one_line(&e2)
            ))))
        }
    };
    let in_effect = |u: &Unit<'_>| match dir {
        Direction::Up => db.get(&u.migration.key).is_some(),
        Direction::Down => db.get(&u.migration.key).is_none(),
    };
    let verb = if dir == Direction::Up {
        "applied"
    } else {
        "reverted"
    };
    let (done, not): (Vec<&Unit<'_>>, Vec<&Unit<'_>>) = all.iter().partition(|u| in_effect(u));
    if not.is_empty() {
        note(&format!(
            "the connection was lost ({reason}), but {} was {verb} (checked again)",
            names(&done)
        ));
        return Ok(db);
    }
    let partial = not.iter().any(|u| u.migration.no_transaction);
    let msg = if partial {
        format!(
            "connection lost while running {} ({reason}); it is not recorded as {verb}, \
             and as a no-transaction migration it may be partly done: check, then re-run",
            names(&not)
        )
    } else if done.is_empty() {
        format!(
            "connection lost while running {} ({reason}); checked again: it is not recorded \
             as {verb}, safe to retry{LAG}",
            names(&not)
        )
    } else {
        format!(
            "connection lost while running {} ({reason}); checked again: {} {} {verb}, {} \
             not recorded: safe to retry{LAG}",
            names(&all),
            names(&done),
            if done.len() == 1 { "was" } else { "were" },
            names(&not)
        )
    };
    Err(anyhow::Error::new(ConnectionFailed(msg)))
}
