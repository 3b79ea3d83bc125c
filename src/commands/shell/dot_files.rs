//! Dot-commands that reach outside the database: copies into local files (`.save`,
//! `.backup`, `.clone`, `.restore`), extensions (`.load`), the system shell (`.shell`,
//! `.system`), viewers (`.excel`, `.www`), `.trace`, and `.testcase`/`.check`.
//!
//! A local database is copied page by page (SQLite's backup API, as sqlite3 does); a remote
//! one is read with `dump` (one consistent snapshot) into a new local file, which replaces
//! the target only once complete. What needs the connection inside this process (`.load`,
//! `.restore`, `.limit`, `.vfsname`) says so plainly on a remote database.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::dot_commands::TESTCASE_OUT;
use super::dot_info::glob;
use super::state::{Out, Shell, TraceTo};
use crate::error::usage;
use crate::feed::{Feeder, Source};
use crate::params::Params;
use crate::render::Format;
use crate::session::{ErrorMode, Session};
use crate::transport::local::{LocalOptions, LocalTransport};
use crate::transport::native::Native;
use crate::value::Value;

/// A path next to `target` for building it before it is renamed into place.
fn scratch_path(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    target.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Collects nothing; reports the first failed statement.
#[derive(Default)]
struct FirstError(Option<String>);

impl crate::session::Output for FirstError {
    fn begin(&mut self, _: &[crate::value::Column]) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, _: &[Value]) -> Result<()> {
        Ok(())
    }
    fn end(&mut self, _: &crate::value::StmtSummary) -> Result<()> {
        Ok(())
    }
    fn error(
        &mut self,
        origin: &crate::session::Origin,
        _: &str,
        err: &crate::transport::SqlError,
    ) -> Result<()> {
        self.0
            .get_or_insert_with(|| format!("{}: {err}", origin.describe()));
        Ok(())
    }
    fn notice(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
}

impl Shell {
    /// The in-process connection, for what only it can do.
    pub(super) fn native(&mut self, what: &str) -> Result<&mut dyn Native> {
        let name = self.name.clone();
        let t = self.session.transport_mut().ok_or_else(|| {
            usage(format!(
                "{what} needs no open transaction: COMMIT or ROLLBACK first"
            ))
        })?;
        t.native().ok_or_else(|| {
            usage(format!(
                "{what} is not possible on a remote database ({name}): it needs the SQLite \
                 connection inside this process"
            ))
        })
    }

    /// `.backup [DB] FILE` / `.save FILE`: the database copied into a local file.
    pub(super) fn backup(&mut self, db: Option<&str>, file: &str) -> Result<()> {
        if db.is_some_and(|d| d != "main") {
            return Err(usage("only the main database can be backed up here"));
        }
        let target = PathBuf::from(file);
        let is_remote = self
            .session
            .transport_mut()
            .ok_or_else(|| usage(".backup needs no open transaction: COMMIT or ROLLBACK first"))?
            .native()
            .is_none();
        if !is_remote {
            // Built beside the target and renamed over it: whatever FILE held is replaced
            // only by a complete copy.
            let scratch = scratch_path(&target, "db");
            let _ = fs::remove_file(&scratch);
            let copied = self
                .native(".backup")?
                .backup_to(&scratch)
                .map_err(|e| usage(format!("cannot back up into {file}: {e}")))
                .and_then(|_| Ok(fs::rename(&scratch, &target)?));
            if copied.is_err() {
                let _ = fs::remove_file(&scratch);
            }
            return copied;
        }
        self.copy_remote(&target).map(|_| ())
    }

    /// `.clone NEWDB`: the schema and content copied into a new file (which must not exist),
    /// one line per object copied, as sqlite3 prints them.
    pub(super) fn clone_into(&mut self, file: &str) -> Result<()> {
        let target = PathBuf::from(file);
        if target.exists() {
            return Err(usage(format!("File \"{file}\" already exists.")));
        }
        let names = self.copy_remote(&target)?;
        let text: String = names.iter().map(|n| format!("{n}... done\n")).collect();
        self.print(&text)
    }

    /// Read the database with `dump` (one snapshot) into a new local file at `target`
    /// (replaced only when complete); the names of the objects copied, tables first.
    fn copy_remote(&mut self, target: &Path) -> Result<Vec<String>> {
        let meta = self.query(
            "SELECT (SELECT user_version FROM pragma_user_version), \
               (SELECT application_id FROM pragma_application_id)",
            Vec::new(),
        )?;
        let names: Vec<String> = self
            .query(
                "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' \
                 ORDER BY type <> 'table', rowid",
                Vec::new(),
            )?
            .into_iter()
            .map(|r| r[0].to_text(""))
            .collect();
        let sql_path = scratch_path(target, "sql");
        let db_path = scratch_path(target, "db");
        let result = (|| -> Result<()> {
            {
                let t = self.session.transport_mut().ok_or_else(|| {
                    usage("a copy needs no open transaction: COMMIT or ROLLBACK first")
                })?;
                let mut w = BufWriter::new(File::create(&sql_path)?);
                crate::dump::dump(t, &crate::dump::DumpOptions::default(), &mut w)?;
                w.flush()?;
            }
            let _ = fs::remove_file(&db_path);
            let mut local =
                LocalTransport::open(&db_path.to_string_lossy(), LocalOptions::default())?;
            let mut session = Session::new(&mut local, ErrorMode::Stop);
            let mut out = FirstError::default();
            let reader = BufReader::new(File::open(&sql_path)?);
            let mut feeder = Feeder::new(Params::default());
            feeder.run_sources(
                &mut session,
                &mut out,
                vec![Source::File(sql_path.clone(), Box::new(reader))],
            )?;
            if let Some(m) = meta.first() {
                let set = format!(
                    "PRAGMA user_version = {}; PRAGMA application_id = {};",
                    m[0].to_text("0"),
                    m[1].to_text("0")
                );
                feeder.run_sources(&mut session, &mut out, vec![Source::Arg(1, set)])?;
            }
            session.finish(&mut out)?;
            if let Some(e) = out.0 {
                return Err(usage(format!("copy failed: {e}")));
            }
            drop(session);
            drop(local);
            fs::rename(&db_path, target)?;
            Ok(())
        })();
        let _ = fs::remove_file(&sql_path);
        if result.is_err() {
            let _ = fs::remove_file(&db_path);
        }
        result.map(|_| names)
    }

    /// `.restore [DB] FILE`: replace a local database's content with FILE's.
    pub(super) fn restore(&mut self, db: Option<&str>, file: &str) -> Result<()> {
        if db.is_some_and(|d| d != "main") {
            return Err(usage("only the main database can be restored here"));
        }
        self.native(".restore")?
            .restore_from(Path::new(file))
            .map_err(|e| usage(format!("cannot restore from {file}: {e}")))?;
        self.schema_dirty = true;
        Ok(())
    }

    /// `.load FILE [ENTRY]`: an extension into a local connection.
    pub(super) fn load(&mut self, file: &str, entry: Option<&str>) -> Result<()> {
        self.native(".load")?
            .load_extension(file, entry)
            .map_err(|e| usage(e.to_string()))
    }

    /// `.shell CMD ARGS...` / `.system`: run a command in `sh`, as sqlite3 runs it.
    pub(super) fn system(&mut self, cmd: &[String]) -> Result<()> {
        let line: Vec<String> = cmd
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("\"{a}\"")
                } else {
                    a.clone()
                }
            })
            .collect();
        self.flush_output()?;
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(line.join(" "))
            .status()
            .map_err(|e| usage(format!("cannot run sh: {e}")))?;
        if !status.success() {
            eprintln!("System command returns {}", status.code().unwrap_or(-1));
        }
        Ok(())
    }

    fn flush_output(&mut self) -> Result<()> {
        match &mut self.out {
            Out::Stdout => io::stdout().flush()?,
            Out::File(w, _) => w.flush()?,
        }
        Ok(())
    }

    /// `.trace FILE|stdout|stderr|off`.
    pub(super) fn set_trace(&mut self, target: Option<&str>) -> Result<()> {
        self.trace = match target {
            None | Some("off") => None,
            Some("stdout") | Some("-") => Some(TraceTo::Stdout),
            Some("stderr") => Some(TraceTo::Stderr),
            Some(f) => Some(TraceTo::File(BufWriter::new(
                File::create(f).map_err(|e| usage(format!("cannot write {f}: {e}")))?,
            ))),
        };
        Ok(())
    }

    /// Under `.trace`, write a statement before it is sent.
    pub(super) fn trace_statement(&mut self, sql: &str) -> Result<()> {
        let line = format!("{}\n", sql.trim());
        match &mut self.trace {
            None => {}
            Some(TraceTo::Stdout) => io::stdout().write_all(line.as_bytes())?,
            Some(TraceTo::Stderr) => io::stderr().write_all(line.as_bytes())?,
            Some(TraceTo::File(w)) => {
                w.write_all(line.as_bytes())?;
                w.flush()?;
            }
        }
        Ok(())
    }

    /// `.check GLOB`: compare what was written since `.testcase` with GLOB.
    pub(super) fn check(&mut self, pattern: &str) -> Result<()> {
        let Some(name) = self.testcase.clone() else {
            return Err(usage(".check needs a .testcase first"));
        };
        self.set_output(None, false)?;
        let got = fs::read_to_string(TESTCASE_OUT)
            .map_err(|e| usage(format!("cannot read {TESTCASE_OUT}: {e}")))?;
        let p: Vec<char> = pattern.chars().collect();
        let g: Vec<char> = got.chars().collect();
        if glob(&p, &g) {
            self.print(&format!("testcase-{name} ok\n"))
        } else {
            eprintln!("testcase-{name} FAILED\n Expected: [{pattern}]\n      Got: [{got}]");
            self.failures += 1;
            Ok(())
        }
    }

    /// `.excel` / `.www`: the next command's output, as CSV or HTML, goes to a temporary
    /// file that is then opened with the desktop's viewer (`xdg-open`, `open` on macOS).
    pub(super) fn view_next(&mut self, format: Format) -> Result<()> {
        let ext = if format == Format::Html {
            "html"
        } else {
            "csv"
        };
        let path = std::env::temp_dir().join(format!(
            "libsql-shell-{}-{}.{ext}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        self.set_output(Some(path.to_string_lossy().into_owned()), true)?;
        let saved = Box::new(self.settings.clone());
        self.settings.format = format;
        self.settings.header = true;
        self.settings.header_set = true;
        self.settings.separator = None;
        self.settings.newline = None;
        if format == Format::Html {
            self.print(
                "<!DOCTYPE html>\n<HTML>\n<BODY>\n<TABLE border=\"1\" cellspacing=\"0\">\n",
            )?;
        }
        self.viewer = Some((path, saved));
        Ok(())
    }

    /// After `.excel`/`.www`'s command: restore the settings and open the file.
    pub(super) fn open_viewer(&mut self) {
        let Some((path, saved)) = self.viewer.take() else {
            return;
        };
        let html = self.settings.format == Format::Html;
        self.settings = *saved;
        if html {
            let _ = fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(b"</TABLE>\n</BODY>\n</HTML>\n"));
        }
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        if let Err(e) = std::process::Command::new(opener).arg(&path).status() {
            eprintln!("Error: cannot run {opener} {}: {e}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_paths_sit_beside_the_target() {
        let p = scratch_path(Path::new("/tmp/x/copy.db"), "sql");
        assert_eq!(p.parent(), Some(Path::new("/tmp/x")));
        assert!(p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".copy.db.sql-"));
    }
}
