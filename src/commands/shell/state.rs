//! The shell's state: a session, the output settings dot-commands change, and where output
//! goes. Lines (typed, piped or from `.read`) and arguments are fed to it; statements go
//! through the same [`Feeder`] as `exec` and `batch`, dot-commands to `dot_commands`.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use anyhow::Result;

use super::dot::{self, Dot};
use super::outputs::{ChangeCounts, Crlf, Rows, Shared, ShellOutput};
use super::timer;
use crate::connect::{self, ConnArgs};
use crate::error::usage;
use crate::feed::Feeder;
use crate::params::Params;
use crate::render::{self, Format, RenderOptions};
use crate::results::{self, OutputArgs, ResultOutput};
use crate::session::{ErrorMode, Origin, Output, Session, SourceName};
use crate::sql::{self, Piece};
use crate::transport::Stmt;
use crate::value::Value;

/// Output settings changed by dot-commands.
#[derive(Debug, Clone)]
pub struct Settings {
    pub format: Format,
    /// Whether column names are shown, and whether that was said explicitly (`.headers`,
    /// `--header`): as in sqlite3, `.mode column` turns them on unless it was.
    pub header: bool,
    pub header_set: bool,
    pub null_text: String,
    /// Column and row separators; `None`: the format's own (sqlite3's `.mode` resets them).
    pub separator: Option<String>,
    pub newline: Option<String>,
    pub insert_table: Option<String>,
    /// `.width`, and `.mode`'s `--wrap`, `--wordwrap`, `--quote`.
    pub widths: Vec<i32>,
    pub wrap: usize,
    pub wordwrap: bool,
    pub quote: bool,
    pub timer: bool,
    pub changes: bool,
    pub echo: bool,
    pub bail: bool,
    /// `.eqp on`: show each statement's query plan before its results.
    pub eqp: bool,
    /// `.crlf on`: end output lines with CR LF.
    pub crlf: bool,
    /// `.prompt MAIN CONTINUE`.
    pub prompts: Option<(String, Option<String>)>,
}

impl Settings {
    fn new(output: &OutputArgs, bail: bool, echo: bool) -> Settings {
        let format = output.format();
        Settings {
            format,
            header: output
                .header()
                .unwrap_or_else(|| render::default_header(format)),
            header_set: output.header || output.no_header,
            null_text: output.null_text.clone(),
            separator: output.separator.clone(),
            newline: output.newline.clone(),
            insert_table: output.insert_table.clone(),
            widths: Vec::new(),
            wrap: 0,
            wordwrap: false,
            quote: false,
            timer: false,
            changes: false,
            echo,
            bail,
            eqp: false,
            crlf: false,
            prompts: None,
        }
    }

    /// Whether a header line is printed: the bordered formats always name their columns
    /// unless told not to explicitly (sqlite3 always does), the others follow the setting.
    pub fn show_header(&self) -> bool {
        match self.format {
            Format::Table | Format::Box | Format::Markdown | Format::Qbox if !self.header_set => {
                true
            }
            _ => self.header,
        }
    }
}

pub(super) enum Out {
    Stdout,
    /// A file, or a command's standard input (`|cmd`, [`super::outputs::Piped`]), and its
    /// name as given.
    File(io::BufWriter<Box<dyn Write>>, String),
}

/// Where `.trace` writes each statement.
pub(super) enum TraceTo {
    Stdout,
    Stderr,
    File(io::BufWriter<File>),
}

pub struct Shell {
    pub(super) session: Session<'static>,
    pub(super) name: String,
    pub(super) conn: ConnArgs,
    pub settings: Settings,
    pub(super) out: Out,
    /// `.once`: back to stdout after the next command.
    pub(super) once: bool,
    pub(super) interactive: bool,
    /// How many `.read` files are being read inside each other.
    pub(super) read_depth: usize,
    /// Numbers statements and binds the `.parameter` values.
    pub(super) feeder: Feeder<'static>,
    pub(super) failures: usize,
    /// `.quit` / `.exit N`.
    pub quit: Option<i32>,
    /// `.excel` / `.www`: the file the next command writes, to be opened afterwards, and
    /// the settings to go back to.
    pub(super) viewer: Option<(std::path::PathBuf, Box<Settings>)>,
    /// `.trace`: where each statement is written before it is sent.
    pub(super) trace: Option<TraceTo>,
    /// `.testcase NAME`: the test `.check` reports on.
    pub(super) testcase: Option<String>,
    /// The schema may have changed since the completion names were read.
    pub schema_dirty: bool,
    /// `.changes`: the counts of a remote database, and the input chunk's statements.
    pub(super) counts: ChangeCounts,
    /// `.echo on`: the input lines read since the last complete chunk, echoed as sqlite3
    /// echoes them (the raw text, once what was read is complete).
    pub(super) echo_lines: String,
}

pub(super) fn open_session(
    db: Option<&str>,
    conn: &ConnArgs,
    mode: ErrorMode,
) -> Result<(Session<'static>, String)> {
    open_resolved(&connect::resolve(db, conn)?, mode)
}

/// [`open_session`] for a target already resolved.
pub(super) fn open_resolved(
    spec: &connect::ConnectSpec,
    mode: ErrorMode,
) -> Result<(Session<'static>, String)> {
    let name = spec.target.display_name().to_string();
    let transport = connect::open(spec)?;
    Ok((Session::owned(transport, mode), name))
}

impl Shell {
    pub fn open(
        db: Option<&str>,
        conn: &ConnArgs,
        output: &OutputArgs,
        interactive: bool,
        (bail, echo): (bool, bool),
    ) -> Result<Shell> {
        let mode = if bail {
            ErrorMode::Stop
        } else {
            ErrorMode::KeepGoing
        };
        let (session, name) = open_session(db, conn, mode)?;
        Ok(Shell {
            session,
            name,
            conn: conn.clone(),
            settings: Settings::new(output, bail, echo),
            out: Out::Stdout,
            once: false,
            interactive,
            read_depth: 0,
            feeder: Feeder::new(Params::default()),
            failures: 0,
            quit: None,
            schema_dirty: true,
            viewer: None,
            trace: None,
            testcase: None,
            counts: ChangeCounts::default(),
            echo_lines: String::new(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn session(&self) -> &Session<'static> {
        &self.session
    }

    pub fn failures(&self) -> usize {
        self.failures
    }

    /// The exit status `.exit N` asked for, unless it is 0: N's low byte, as the status of
    /// sqlite3's `exit(N)` is (`.exit -1` is 255, never success).
    pub fn quit_status(&self) -> Option<std::process::ExitCode> {
        let code = self.quit.filter(|c| *c != 0)?;
        Some(std::process::ExitCode::from((code & 0xff) as u8))
    }

    /// Stop reading input: `.quit`, or a failure with `.bail on`.
    pub fn done(&self) -> bool {
        self.quit.is_some() || (self.settings.bail && self.failures > 0)
    }

    /// The prompt: the database, and whether a transaction is open with writes buffered;
    /// or what `.prompt` set.
    pub fn prompt(&self, continuation: bool) -> String {
        if let Some((main, cont)) = &self.settings.prompts {
            return match (continuation, cont) {
                (false, _) => main.clone(),
                (true, Some(c)) => c.clone(),
                (true, None) => "   ...> ".to_string(),
            };
        }
        if continuation {
            return format!(
                "{:>width$}> ",
                "...",
                width = self.name.chars().count().max(3)
            );
        }
        let pending = self.session.pending_writes();
        match (self.session.in_transaction(), pending) {
            (false, _) => format!("{}> ", self.name),
            (true, 0) => format!("{} [tx]> ", self.name),
            (true, n) => format!("{} [tx, {n} pending]> ", self.name),
        }
    }

    pub(super) fn render_options(&self) -> RenderOptions {
        let max_width = match self.out {
            Out::Stdout => results::terminal_width(),
            Out::File(..) => None,
        };
        let s = &self.settings;
        RenderOptions {
            header: Some(s.show_header()),
            null_text: s.null_text.clone(),
            separator: s.separator.clone(),
            insert_table: s.insert_table.clone(),
            max_width,
            newline: s.newline.clone(),
            widths: s.widths.clone(),
            wrap: s.wrap,
            wordwrap: s.wordwrap,
            quote: s.quote,
        }
    }

    /// Run `f` with the session and an output rendering into the current destination;
    /// `timed`: print the time it took under `.timer on` (where statements are sent).
    pub(super) fn with_output(
        &mut self,
        timed: bool,
        f: impl FnOnce(&mut Session<'static>, &mut dyn Output) -> Result<()>,
    ) -> Result<()> {
        let opts = self.render_options();
        let start = Instant::now();
        let cpu = timer::cpu_times();
        let crlf = self.settings.crlf;
        // Into a pipe or a file, rows are written in blocks (as sqlite3's stdio does) and
        // flushed before any message and when the statements end; a terminal sees each line
        // as it comes.
        let piped = (matches!(self.out, Out::Stdout) && !io::stdout().is_terminal())
            .then(|| RefCell::new(io::BufWriter::with_capacity(1 << 16, io::stdout().lock())));
        let writer: Box<dyn Write + '_> = match (&mut self.out, piped.as_ref()) {
            (Out::Stdout, Some(w)) if crlf => Box::new(Crlf(Shared(w))),
            (Out::Stdout, Some(w)) => Box::new(Shared(w)),
            (Out::Stdout, None) if crlf => Box::new(Crlf(io::stdout().lock())),
            (Out::Stdout, None) => Box::new(io::stdout().lock()),
            (Out::File(w, _), _) if crlf => Box::new(Crlf(w)),
            (Out::File(w, _), _) => Box::new(w),
        };
        let mut out = ShellOutput {
            results: ResultOutput::new(render::renderer(self.settings.format, &opts, writer)),
            changes: self.settings.changes,
            interactive: self.interactive,
            failed: 0,
            piped: piped.as_ref(),
            counts: &mut self.counts,
        };
        let r = f(&mut self.session, &mut out);
        self.failures += out.failed;
        drop(out);
        if let Some(w) = piped {
            // Flushed here, not on drop, so a write error (a full disk) is reported; the
            // statements' own error (a COMMIT whose outcome is unknown, say) comes first.
            let flushed = w.into_inner().flush();
            if r.is_ok() {
                flushed?;
            }
        }
        if timed && self.settings.timer {
            // sqlite3 prints it on standard output, whatever `.output` says.
            let line = timer::run_time(start.elapsed(), cpu);
            io::stdout().write_all(line.as_bytes())?;
        }
        match &mut self.out {
            Out::Stdout => io::stdout().flush()?,
            Out::File(w, _) => w.flush()?,
        }
        r
    }

    /// Submit one complete statement (sent when the session decides).
    pub fn submit(&mut self, piece: Piece, source: &SourceName, multiline: bool) -> Result<()> {
        if self.done() {
            return Ok(());
        }
        if self.settings.changes {
            self.counts.chunk_sql.push(piece.sql.clone());
        }
        self.trace_statement(&piece.sql)?;
        if self.settings.eqp {
            self.show_query_plan(&piece.sql)?;
        }
        // sqlite3 draws an EXPLAIN QUERY PLAN's rows as a tree in every mode.
        if sql::leading_words(&piece.sql, 3) == ["EXPLAIN", "QUERY", "PLAN"]
            && self.print_plan(&piece.sql)?
        {
            self.end_once();
            return Ok(());
        }
        if matches!(
            sql::leading_words(&piece.sql, 1)
                .first()
                .map(String::as_str),
            Some("CREATE" | "DROP" | "ALTER")
        ) {
            self.schema_dirty = true;
        }
        // The feeder is taken out while the output borrows the shell.
        let mut feeder = std::mem::replace(&mut self.feeder, Feeder::new(Params::default()));
        let r = self.with_output(false, |s, out| feeder.add(s, out, piece, source, multiline));
        self.feeder = feeder;
        r
    }

    /// Send what the session holds that must run now (before a prompt or a dot-command).
    pub fn sync(&mut self) -> Result<()> {
        if self.session.pending_count() == 0 {
            return Ok(());
        }
        self.with_output(true, |s, out| s.sync(out))?;
        self.end_once();
        Ok(())
    }

    pub(super) fn end_once(&mut self) {
        if self.once {
            self.once = false;
            if let Out::File(w, _) = &mut self.out {
                let _ = w.flush();
            }
            self.out = Out::Stdout;
            self.open_viewer();
        }
    }

    /// Run one command-line argument: a dot-command or SQL text.
    pub fn run_arg(&mut self, n: usize, text: &str) -> Result<()> {
        if text.trim_start().starts_with('.') {
            self.sync()?;
            return self.dot_line(text.trim());
        }
        let name = SourceName::Argument(n);
        let multiline = text.trim_end().contains('\n');
        // sqlite3 prints `.changes` and `.timer` lines for input it reads line by line, not
        // for command-line arguments.
        for piece in sql::split(text) {
            self.submit(piece, &name, multiline)?;
        }
        if self.session.pending_count() > 0 {
            self.with_output(false, |s, out| s.sync(out))?;
        }
        self.end_once();
        Ok(())
    }

    /// Announce a transaction whose stream was lost while idle (before each prompt).
    pub fn check_stream(&mut self) -> Result<()> {
        self.session.check_stream(&mut Rows::default())
    }

    /// End of the session: roll back what is still open, close the connection.
    pub fn finish(&mut self) -> Result<()> {
        self.with_output(false, |s, out| s.finish(out))
    }

    /// Run a query of the shell's own and return its rows.
    pub(super) fn query(&mut self, sql: &str, args: Vec<Value>) -> Result<Vec<Vec<Value>>> {
        // The user's statements still held (writes buffered in a transaction) go first,
        // reported as theirs: only this query's answer belongs to the caller.
        if self.session.pending_count() > 0 {
            self.with_output(false, |s, out| s.send_all(out))?;
            if self.session.stopped() {
                // `.bail on` and one of them failed: the shell stops, as sqlite3 does, before
                // the dot-command runs.
                return Ok(Vec::new());
            }
        }
        let mut rows = Rows::default();
        let mut stmt = Stmt::new(sql);
        stmt.args = args;
        self.session
            .submit(stmt, Origin::synthetic("shell"), &mut rows)?;
        self.session.sync(&mut rows)?;
        if let Some(e) = rows.error {
            return Err(anyhow::Error::new(e));
        }
        // The callers read rows by column: a server that answers with fewer columns than
        // the query has is not believed.
        if let (Some(want), Some(got)) = (crate::sql::column_count(sql), rows.columns) {
            if got < want {
                return Err(anyhow::Error::new(
                    crate::transport::TransportError::Protocol(format!(
                        "the server answered {got} column(s) for a query of {want}"
                    )),
                ));
            }
        }
        Ok(rows.rows)
    }

    /// Table and column names for completion, read once per schema change (1 request).
    pub fn schema_names(&mut self) -> Result<Vec<String>> {
        let rows = self.query(
            "SELECT m.name, p.name FROM sqlite_schema AS m LEFT JOIN pragma_table_info(m.name) AS p \
             WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%'",
            Vec::new(),
        )?;
        let mut names: Vec<String> = Vec::new();
        for row in rows {
            for v in row {
                if let Value::Text(s) = v {
                    if !names.contains(&s) {
                        names.push(s);
                    }
                }
            }
        }
        self.schema_dirty = false;
        Ok(names)
    }

    pub(super) fn print(&mut self, text: &str) -> Result<()> {
        match &mut self.out {
            Out::Stdout => {
                let mut o = io::stdout().lock();
                o.write_all(text.as_bytes())?;
                o.flush()?;
            }
            Out::File(w, _) => w.write_all(text.as_bytes())?,
        }
        Ok(())
    }

    /// Parse and run one dot-command; its errors are reported, not fatal.
    pub fn dot_line(&mut self, line: &str) -> Result<()> {
        let r = match dot::parse(line) {
            Ok(d) => self.dot(d),
            Err(msg) => Err(usage(msg)),
        };
        if let Err(e) = r {
            if crate::error::is_broken_pipe(&e) {
                return Err(e);
            }
            if e.chain()
                .any(|c| c.is::<crate::transport::TransportError>())
                && !self.interactive
            {
                return Err(e);
            }
            self.failures += 1;
            // Statement failures were reported one by one already.
            if !e.chain().any(|c| c.is::<crate::error::StatementsFailed>()) {
                eprintln!("Error: {}", crate::error::one_line(&e));
            }
        }
        if !matches!(
            dot::parse(line),
            Ok(Dot::Once { .. } | Dot::Excel | Dot::Www)
        ) {
            self.end_once();
        }
        Ok(())
    }
}
