//! The flows that change the database: `up`, `down`, `baseline`, `restamp`, and the plan
//! `up` would follow. Each reads the state once (one request), checks everything it can
//! before sending anything, then sends one request per migration.

use std::collections::VecDeque;
use std::io::Write;

use anyhow::{anyhow, bail, Result};

use super::files::Migration;
use super::runner::{self, Failure, Outcome};
use super::script::{self, Direction, Env, Step, Unit};
use super::status::{self, DbState, State};
use crate::connect::{self, ConnectSpec};
use crate::error::ConnectionFailed;
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

fn note(msg: &str) {
    eprintln!("libsql-shell: note: {msg}");
}

fn short(checksum: &str) -> &str {
    &checksum[..checksum.len().min(12)]
}

/// The migrations `up` would apply, in order, after refusing changed or missing applied
/// migrations and (unless allowed) pending ones older than the newest applied.
pub fn pending<'a>(
    files: &'a [Migration],
    db: &DbState,
    opts: &UpOptions,
) -> Result<Vec<&'a Migration>> {
    let entries = status::compute(files, db);
    let newest = db.applied.iter().map(|a| a.version).max();
    let mut out = Vec::new();
    for e in &entries {
        match (e.state, e.file, e.applied) {
            (State::Changed, Some(m), Some(a)) => bail!(
                "migration {} was changed after it was applied (recorded checksum {}, file now \
                 {}): restore the file, or accept the change with `migrate restamp {}`",
                m.file_name,
                short(&a.checksum),
                short(&m.checksum),
                m.version_text
            ),
            (State::Missing, _, _) => bail!(
                "migration {} ({}) is applied but no file has its version: restore the file",
                e.version,
                e.name
            ),
            (State::Pending, Some(m), _) if opts.to.is_none_or(|to| m.version <= to) => {
                if e.out_of_order && !opts.allow_out_of_order {
                    bail!(
                        "migration {} is pending but older than the newest applied migration \
                         ({}): apply it anyway with --allow-out-of-order",
                        m.file_name,
                        newest.unwrap_or_default()
                    );
                }
                out.extend(files.iter().find(|f| f.version == m.version));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Up units for `migrations`, refusing bad statements before anything is sent.
pub fn up_units<'a>(migrations: &[&'a Migration]) -> Result<Vec<Unit<'a>>> {
    migrations
        .iter()
        .map(|m| {
            Ok(Unit {
                migration: m,
                stmts: m.up_statements().map_err(|e| anyhow!(e))?,
                direction: Direction::Up,
            })
        })
        .collect()
}

/// The scripts `up` runs for these units: one per migration, or one for all.
pub fn up_scripts(units: &[Unit<'_>], db: &DbState, single: bool) -> Result<Vec<Vec<Step>>> {
    let mut env = Env {
        foreign_keys: db.foreign_keys,
        create_table: !db.table_exists,
    };
    if single {
        if let Some(u) = units.iter().find(|u| u.migration.no_transaction) {
            bail!(
                "{} runs outside a transaction (no-transaction) and cannot be part of \
                 --single-transaction",
                u.migration.file_name
            );
        }
        return Ok(if units.is_empty() {
            Vec::new()
        } else {
            vec![script::transaction(units, env)]
        });
    }
    let mut out = Vec::new();
    for u in units {
        out.push(if u.migration.no_transaction {
            script::autocommit(u, env)
        } else {
            script::transaction(std::slice::from_ref(u), env)
        });
        env.create_table = false;
    }
    Ok(out)
}

/// Apply pending migrations. Exit status comes from the error: none is 0.
pub fn up(ctx: &mut Ctx<'_>, files: &[Migration], opts: &UpOptions) -> Result<()> {
    let mut db = status::read(ctx.t.as_mut())?;
    let first = pending(files, &db, opts)?;
    let units = up_units(&first)?;
    up_scripts(&units, &db, opts.single_transaction)?; // refuse bad combinations up front
    let mut queue: VecDeque<Unit<'_>> = units.into();
    let mut applied = 0usize;
    let mut retries = 0usize;
    let mut done_now: Vec<i64> = Vec::new();
    let mut by_others = 0usize;
    while !queue.is_empty() {
        let batch: Vec<Unit<'_>> = if opts.single_transaction {
            queue.iter().cloned().collect()
        } else {
            vec![queue[0].clone()]
        };
        let steps = up_scripts(&batch, &db, opts.single_transaction)?.remove(0);
        let label = if batch.len() == 1 {
            batch[0].migration.file_name.clone()
        } else {
            format!("{} migrations in one transaction", batch.len())
        };
        write!(ctx.out, "applying {label} ... ")?;
        ctx.out.flush()?;
        match runner::execute(ctx.t.as_mut(), &steps, &batch[0].migration.file_name)? {
            Outcome::Done(d) => done(ctx, &batch, d.as_millis())?,
            Outcome::Failed(f) if f.after_commit() => {
                done(ctx, &batch, 0)?;
                note(&format!("after COMMIT: {}", f.err));
            }
            Outcome::Failed(f) if f.lost_race() && retries < files.len() + 1 => {
                retries += 1;
                writeln!(ctx.out, "already applied by another runner")?;
                ctx.out.flush()?;
                let m = batch[f.unit].migration;
                db = DbState {
                    // As first read: a local connection may still have it off from the
                    // rolled-back batch.
                    foreign_keys: db.foreign_keys,
                    ..status::read(ctx.t.as_mut())?
                };
                if m.no_transaction {
                    note(&format!(
                        "{} runs outside a transaction: its statements ran here too before the                          conflict (no-transaction migrations are not protected against                          concurrent runners)",
                        m.file_name
                    ));
                }
                match db.get(m.version) {
                    Some(a) if a.checksum == m.checksum => note(&format!(
                        "migration {} already applied by another runner",
                        m.file_name
                    )),
                    Some(a) => bail!(
                        "migration {} was applied by another runner with a different checksum \
                         ({} instead of {})",
                        m.file_name,
                        short(&a.checksum),
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
                queue.retain(|u| db.get(u.migration.version).is_none());
                by_others += before - queue.len();
                continue;
            }
            Outcome::Failed(f) => {
                writeln!(ctx.out, "failed")?;
                ctx.out.flush()?;
                return Err(explain(&f, &batch, applied));
            }
            Outcome::Lost(e) => {
                writeln!(ctx.out, "connection lost")?;
                ctx.out.flush()?;
                db = DbState {
                    foreign_keys: db.foreign_keys,
                    ..recheck(ctx, &batch, e, Direction::Up)?
                };
                let before = queue.len();
                queue.retain(|u| db.get(u.migration.version).is_none());
                applied += before - queue.len();
                continue;
            }
        }
        applied += batch.len();
        for u in queue.drain(..batch.len()) {
            done_now.push(u.migration.version);
        }
        db.table_exists = true;
    }
    let is_applied = |m: &&Migration| db.get(m.version).is_some() || done_now.contains(&m.version);
    let at = files
        .iter()
        .rev()
        .find(is_applied)
        .map(|m| m.version_text.clone())
        .or_else(|| db.applied.last().map(|a| a.version.to_string()));
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
        writeln!(
            ctx.out,
            "{applied} migration(s) applied{others}; database at {at}"
        )?;
    }
    Ok(())
}

fn done(ctx: &mut Ctx<'_>, batch: &[Unit<'_>], ms: u128) -> Result<()> {
    writeln!(ctx.out, "ok ({ms} ms)")?;
    ctx.out.flush()?;
    for u in batch {
        if batch.len() > 1 {
            writeln!(ctx.out, "  {}", u.migration.file_name)?;
        }
        if u.stmts.stmts.is_empty() {
            note(&format!(
                "{} has no statements (comments only); recorded as applied",
                u.migration.file_name
            ));
        }
    }
    Ok(())
}

/// The error for a failed migration: file, line, statement, SQLite's message, and what it
/// means for the database.
pub fn explain(f: &Failure, batch: &[Unit<'_>], earlier: usize) -> anyhow::Error {
    let u = &batch[f.unit.min(batch.len() - 1)];
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
    } else if batch.len() > 1 {
        format!(
            "the transaction was rolled back: none of its {} migrations was {verb}",
            batch.len()
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
    let what = match f.role {
        Some(script::Role::User) => {
            let sql = f.sql.trim_end().trim_end_matches(';');
            let mut stmt: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            if stmt.chars().count() > 100 {
                stmt = stmt.chars().take(100).collect::<String>() + "...";
            }
            format!("{}:{}: {} (statement: {stmt})", m.file_name, f.line, f.err)
        }
        Some(script::Role::FkGuard) => format!(
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
    anyhow!("migration failed: {what}; {consequence}{retry}{earlier}")
}

/// After a lost connection: reconnect, read the state again, and say for certain whether the
/// batch took effect (its tracking rows are in the same transaction as its statements).
fn recheck(
    ctx: &mut Ctx<'_>,
    batch: &[Unit<'_>],
    e: anyhow::Error,
    dir: Direction,
) -> Result<DbState> {
    let reason = match e.downcast_ref::<TransportError>() {
        Some(TransportError::ConnectionLost { reason, .. }) => reason.clone(),
        _ => crate::error::one_line(&e),
    };
    let names: Vec<&str> = batch
        .iter()
        .map(|u| u.migration.file_name.as_str())
        .collect();
    let names = names.join(", ");
    let db = connect::open(ctx.spec).and_then(|mut t| {
        let db = status::read(t.as_mut())?;
        ctx.t = t;
        Ok(db)
    });
    let db = match db {
        Ok(db) => db,
        Err(e2) => {
            return Err(anyhow::Error::new(ConnectionFailed(format!(
                "connection lost while running {names} ({reason}); checking again failed too \
                 ({}): whether it took effect is unknown, run `migrate status`",
                crate::error::one_line(&e2)
            ))))
        }
    };
    let in_effect = |u: &Unit<'_>| match dir {
        Direction::Up => db.get(u.migration.version).is_some(),
        Direction::Down => db.get(u.migration.version).is_none(),
    };
    let verb = if dir == Direction::Up {
        "applied"
    } else {
        "reverted"
    };
    if batch.iter().all(in_effect) {
        note(&format!(
            "the connection was lost ({reason}), but {names} was {verb} (checked again)"
        ));
        return Ok(db);
    }
    let partial = batch.iter().any(|u| u.migration.no_transaction);
    let msg = if partial {
        format!(
            "connection lost while running {names} ({reason}); it is not recorded as {verb}, \
             and as a no-transaction migration it may be partly done: check, then re-run"
        )
    } else {
        format!(
            "connection lost while running {names} ({reason}); checked again: it was not \
             {verb}, safe to retry"
        )
    };
    Err(anyhow::Error::new(ConnectionFailed(msg)))
}

/// Revert the newest `steps` applied migrations, newest first, each in its own transaction.
pub fn down(ctx: &mut Ctx<'_>, files: &[Migration], steps: usize) -> Result<()> {
    let db = status::read(ctx.t.as_mut())?;
    let entries = status::compute(files, &db);
    let targets: Vec<_> = entries
        .iter()
        .rev()
        .filter(|e| e.applied.is_some())
        .take(steps)
        .collect();
    if targets.is_empty() {
        writeln!(ctx.out, "nothing to revert (no migrations applied)")?;
        return Ok(());
    }
    let mut units = Vec::new();
    for e in &targets {
        let m = match (e.state, e.file) {
            (State::Changed, Some(m)) => bail!(
                "cannot revert {}: it was changed after it was applied (accept the change with \
                 `migrate restamp {}` first)",
                m.file_name,
                m.version_text
            ),
            (_, Some(m)) => m,
            (_, None) => bail!(
                "cannot revert migration {} ({}): its file is missing",
                e.version,
                e.name
            ),
        };
        let stmts = m.down_statements().map_err(|e| anyhow!(e))?;
        units.push(Unit {
            migration: m,
            stmts,
            direction: Direction::Down,
        });
    }
    let env = Env {
        foreign_keys: db.foreign_keys,
        create_table: false,
    };
    let mut reverted = 0;
    for u in &units {
        let m = u.migration;
        let steps = if m.no_transaction {
            script::autocommit(u, env)
        } else {
            script::transaction(std::slice::from_ref(u), env)
        };
        write!(ctx.out, "reverting {} ... ", m.file_name)?;
        ctx.out.flush()?;
        match runner::execute(ctx.t.as_mut(), &steps, &m.file_name)? {
            Outcome::Done(d) => writeln!(ctx.out, "ok ({} ms)", d.as_millis())?,
            Outcome::Failed(f) if f.after_commit() => writeln!(ctx.out, "ok")?,
            Outcome::Failed(f) if f.lost_race() => {
                writeln!(ctx.out, "already reverted by another runner")?;
                continue;
            }
            Outcome::Failed(f) => {
                writeln!(ctx.out, "failed")?;
                return Err(explain(&f, std::slice::from_ref(u), reverted));
            }
            Outcome::Lost(e) => {
                writeln!(ctx.out, "connection lost")?;
                recheck(ctx, std::slice::from_ref(u), e, Direction::Down)?;
            }
        }
        reverted += 1;
    }
    writeln!(ctx.out, "{reverted} migration(s) reverted")?;
    Ok(())
}

/// Record every pending migration up to `version` as applied without running it.
pub fn baseline(ctx: &mut Ctx<'_>, files: &[Migration], version: i64) -> Result<()> {
    let db = status::read(ctx.t.as_mut())?;
    let targets: Vec<&Migration> = status::compute(files, &db)
        .iter()
        .filter(|e| e.state == State::Pending && e.version <= version)
        .filter_map(|e| e.file)
        .collect();
    if targets.is_empty() {
        writeln!(
            ctx.out,
            "nothing to baseline: no pending migration at or below {version}"
        )?;
        return Ok(());
    }
    let env = Env {
        foreign_keys: false,
        create_table: !db.table_exists,
    };
    let steps = script::baseline(&targets, env);
    match runner::execute(ctx.t.as_mut(), &steps, "baseline")? {
        Outcome::Done(_) => {}
        Outcome::Failed(f) => bail!("baseline failed: {}; nothing was recorded", f.err),
        Outcome::Lost(e) => return Err(e.context("baseline: the connection was lost")),
    }
    for m in &targets {
        writeln!(ctx.out, "marked applied (not run): {}", m.file_name)?;
    }
    writeln!(
        ctx.out,
        "{} migration(s) baselined up to version {version}",
        targets.len()
    )?;
    Ok(())
}

/// Accept the current checksum of an applied migration whose file was edited.
pub fn restamp(ctx: &mut Ctx<'_>, files: &[Migration], version: i64) -> Result<()> {
    let db = status::read(ctx.t.as_mut())?;
    let entries = status::compute(files, &db);
    let Some(e) = entries.iter().find(|e| e.version == version) else {
        bail!("no migration with version {version}");
    };
    let (m, a) = match (e.state, e.file, e.applied) {
        (State::Changed, Some(m), Some(a)) => (m, a),
        (State::Applied, Some(m), _) => {
            writeln!(
                ctx.out,
                "{}: checksum already matches; nothing to do",
                m.file_name
            )?;
            return Ok(());
        }
        (State::Pending, Some(m), _) => bail!("{} is not applied: nothing to restamp", m.file_name),
        _ => bail!(
            "migration {version} ({}) has no file to take a checksum from",
            e.name
        ),
    };
    match runner::execute(ctx.t.as_mut(), &script::restamp(m), &m.file_name)? {
        Outcome::Done(_) => {}
        Outcome::Failed(f) => bail!("restamp failed: {}", f.err),
        Outcome::Lost(e) => return Err(e.context("restamp: the connection was lost")),
    }
    writeln!(
        ctx.out,
        "restamped {}: checksum {} -> {}",
        m.file_name,
        short(&a.checksum),
        short(&m.checksum)
    )?;
    Ok(())
}
