//! The other flows that change the database: `down` (each reverted migration in its own
//! transaction with its tracking row, one request each), `baseline` (tracking rows only,
//! one transaction) and `restamp` (accept an edited file's checksum). Each works on the
//! state the caller read, in the table of the tool that owns the directory.

use anyhow::{anyhow, bail, Result};

use super::apply::{explain, recheck, short, Ctx};
use super::book::Book;
use super::files::Migration;
use super::runner::{self, Outcome};
use super::script::{self, Direction, Env, Unit};
use super::status::{self, DbState, State};

/// Revert the newest `steps` applied migrations, newest first, each in its own transaction.
pub fn down(ctx: &mut Ctx<'_>, files: &[Migration], db: DbState, steps: usize) -> Result<()> {
    let book = db.book;
    if !book.has_downs() {
        bail!(
            "{} migrations have no down migrations: nothing can be reverted",
            book.tool()
        );
    }
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
            (State::Failed, _) => bail!(
                "cannot revert {}: {} recorded it as failed half-way; repair it first",
                e.label(),
                book.tool()
            ),
            (_, Some(m)) => m,
            (_, None) => bail!("cannot revert {}: its file is missing", e.label()),
        };
        if m.down.is_none() {
            let what = match book {
                Book::GolangMigrate | Book::Sqlx => "no matching .down.sql file",
                Book::Goose => "no -- +goose Down section",
                _ => "no -- migrate:down section",
            };
            bail!("{} has {what}: it cannot be reverted", m.file_name);
        }
        let stmts = m.down_statements().map_err(|e| anyhow!(e))?;
        // golang-migrate's one row goes back to the migration before this one.
        let prev = files
            .iter()
            .filter(|f| f.version < m.version)
            .map(|f| f.version)
            .max();
        units.push(Unit {
            migration: m,
            stmts,
            direction: Direction::Down,
            prev,
        });
    }
    let env = Env {
        foreign_keys: db.foreign_keys,
        create_table: false,
        book,
    };
    let mut reverted = 0;
    for u in &units {
        let m = u.migration;
        let steps = if m.no_transaction {
            script::autocommit(u, env)
        } else {
            script::transaction(std::slice::from_ref(u), env)
        };
        // A reversible layout's down section is its own file: name the one that runs.
        let shown = match m.file_name.strip_suffix(".up.sql") {
            Some(stem) => format!("{stem}.down.sql"),
            None => m.file_name.clone(),
        };
        write!(ctx.out, "reverting {shown} ... ")?;
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
                return Err(explain(&f, std::slice::from_ref(u), true, reverted, 0));
            }
            Outcome::Lost(e) => {
                writeln!(ctx.out, "connection lost")?;
                recheck(
                    ctx,
                    files,
                    book,
                    std::slice::from_ref(u),
                    e,
                    Direction::Down,
                )?;
            }
        }
        reverted += 1;
    }
    writeln!(ctx.out, "{reverted} migration(s) reverted")?;
    Ok(())
}

/// Record every pending migration up to `version` as applied without running it.
pub fn baseline(ctx: &mut Ctx<'_>, files: &[Migration], db: DbState, version: i64) -> Result<()> {
    let targets: Vec<&Migration> = status::compute(files, &db)
        .iter()
        .filter(|e| e.state == State::Pending && e.version <= version)
        .filter_map(|e| e.file)
        .collect();
    let shown = files
        .iter()
        .find(|m| m.version == version)
        .map_or_else(|| version.to_string(), |m| m.version_text.clone());
    if targets.is_empty() {
        writeln!(
            ctx.out,
            "nothing to baseline: no pending migration at or below {shown}"
        )?;
        return Ok(());
    }
    let env = Env {
        foreign_keys: false,
        create_table: !db.table_exists,
        book: db.book,
    };
    let steps = script::baseline(&targets, env, db.current_version());
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
        "{} migration(s) baselined up to version {shown}",
        targets.len()
    )?;
    Ok(())
}

/// Accept the current checksum of an applied migration whose file was edited.
pub fn restamp(ctx: &mut Ctx<'_>, files: &[Migration], db: DbState, version: i64) -> Result<()> {
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
            "migration {} has no file to take a checksum from",
            e.label()
        ),
    };
    let Some(steps) = script::restamp(m, db.book) else {
        bail!(
            "{} records no checksums: nothing to restamp",
            db.book.tool()
        );
    };
    match runner::execute(ctx.t.as_mut(), &steps, &m.file_name)? {
        Outcome::Done(_) => {}
        Outcome::Failed(f) => bail!("restamp failed: {}", f.err),
        Outcome::Lost(e) => return Err(e.context("restamp: the connection was lost")),
    }
    writeln!(
        ctx.out,
        "restamped {}: checksum {} -> {}",
        m.file_name,
        short(a.checksum.as_deref().unwrap_or("")),
        short(&m.checksum)
    )?;
    Ok(())
}
