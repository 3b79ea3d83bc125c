//! The shell's dot-commands: what each one does once [`super::dot`] has parsed it.

use std::fs::File;
use std::io::{self, BufReader, Write};

use anyhow::Result;

use super::dot::{self, Dot, OnOff};
use super::outputs::Piped;
use super::state::{open_resolved, Out, Shell};
use crate::error::usage;
use crate::render::Format;
use crate::session::{ErrorMode, SourceName};
use crate::target::Target;

/// How deep `.read` files may read others (sqlite3's limit too).
const MAX_READ_NESTING: usize = 25;

/// Where `.testcase` sends output, as in sqlite3.
pub(super) const TESTCASE_OUT: &str = "testcase-out.txt";

impl Shell {
    pub(super) fn dot(&mut self, d: Dot) -> Result<()> {
        match d {
            Dot::Help { command } => {
                let h = dot::help(command.as_deref());
                self.print(&h)?;
            }
            Dot::Quit => self.quit = Some(0),
            Dot::Exit { code } => self.quit = Some(code.unwrap_or(0)),
            Dot::Tables { pattern } => self.list_objects(false, pattern.as_deref())?,
            Dot::Schema { pattern, nosys } => self.schema(pattern.as_deref(), nosys)?,
            Dot::Indexes { table } => self.list_objects(true, table.as_deref())?,
            Dot::Dump { tables, data_only } => {
                let opts = crate::dump::DumpOptions {
                    tables,
                    data_only,
                    ..Default::default()
                };
                let transport = self.session.transport_mut().ok_or_else(|| {
                    usage(".dump needs no open transaction: COMMIT or ROLLBACK first")
                })?;
                let mut writer: Box<dyn Write + '_> = match &mut self.out {
                    Out::Stdout => Box::new(io::stdout().lock()),
                    Out::File(w, _) => Box::new(w),
                };
                crate::dump::dump(transport, &opts, &mut writer)?;
                writer.flush()?;
            }
            Dot::Import {
                file,
                table,
                skip,
                csv,
            } => {
                let s = &self.settings;
                let seps = (s.separator.as_deref(), s.newline.as_deref());
                let opts = crate::import::ImportOptions::sqlite3(table, skip, csv, s.format, seps)
                    .map_err(usage)?;
                let f = File::open(&file).map_err(|e| usage(format!("cannot open {file}: {e}")))?;
                let transport = self.session.transport_mut().ok_or_else(|| {
                    usage(".import needs no open transaction: COMMIT or ROLLBACK first")
                })?;
                crate::commands::import::load(
                    transport,
                    &opts,
                    Box::new(BufReader::new(f)),
                    &file,
                )?;
                self.schema_dirty = true;
            }
            Dot::Read { file } => {
                if self.read_depth >= MAX_READ_NESTING {
                    return Err(usage(format!(
                        "input nesting limit ({MAX_READ_NESTING}) reached at .read {file}: \
                         a file that reads itself, directly or through others?"
                    )));
                }
                let f = File::open(&file).map_err(|e| usage(format!("cannot open {file}: {e}")))?;
                if f.metadata().is_ok_and(|m| m.is_dir()) {
                    return Err(usage(format!("cannot read {file}: it is a directory")));
                }
                let was = self.interactive;
                self.interactive = false;
                self.read_depth += 1;
                let name = SourceName::File(file.clone());
                let r = self.run_script(BufReader::new(f), &name, false);
                self.read_depth -= 1;
                self.interactive = was;
                r?;
            }
            Dot::Mode {
                mode,
                table,
                wrap,
                wordwrap,
                ww,
                quote,
                noquote: _,
            } => match mode {
                Some(m) => {
                    let wordwrap = ww || wordwrap.is_some_and(|w| flag(&w));
                    self.set_mode(m, table, (wrap, wordwrap, quote));
                }
                None => {
                    let text = format!("current output mode: {}\n", self.mode_description());
                    self.print(&text)?;
                }
            },
            Dot::Headers { state } => {
                self.settings.header = flag(&state);
                self.settings.header_set = true;
            }
            Dot::Nullvalue { text } => self.settings.null_text = text,
            Dot::Separator { sep, row } => {
                self.settings.separator = Some(sep);
                if row.is_some() {
                    self.settings.newline = row;
                }
            }
            Dot::Timer { state } => self.settings.timer = flag(&state),
            Dot::Changes { state } => self.settings.changes = flag(&state),
            Dot::Bail { state } => {
                self.settings.bail = flag(&state);
                self.session.set_mode(if state.is_on() {
                    ErrorMode::Stop
                } else {
                    ErrorMode::KeepGoing
                });
            }
            Dot::Echo { state } => self.settings.echo = flag(&state),
            Dot::Output { file, rest } => self.set_output(output_target(file, rest)?, false)?,
            Dot::Once { file, rest } => self.set_output(output_target(Some(file), rest)?, true)?,
            Dot::Open { target, new } => {
                self.connect(target.as_deref().unwrap_or(":memory:"), new)?
            }
            Dot::Connect { target } => self.connect(&target, false)?,
            Dot::Show => {
                let text = self.show_text();
                self.print(&text)?;
            }
            Dot::Print { text } => {
                let line = format!("{}\n", text.join(" "));
                self.print(&line)?;
            }
            Dot::Parameter { action } => self.parameter(action)?,
            Dot::Transport => {
                let info = self.session.transport().info();
                let text = format!(
                    "transport: {}\nprotocol: {}\nendpoint: {}\n",
                    info.kind, info.protocol, info.endpoint
                );
                self.print(&text)?;
            }
            Dot::Pending => {
                let text: String = self
                    .session
                    .pending()
                    .map(|(o, sql)| format!("{:>4}  {sql}\n", o.index))
                    .collect();
                let text = if text.is_empty() {
                    "no statements pending\n".to_string()
                } else {
                    text
                };
                self.print(&text)?;
            }
            Dot::Databases => self.databases()?,
            // sqlite3's `full` also shows the bytecode, and `trigger` the plans of triggers:
            // both are plain `on` here.
            Dot::Eqp { state } => {
                self.settings.eqp = matches!(state.as_str(), "full" | "trigger")
                    || flag(&dot::on_off(&state).map_err(usage)?)
            }
            Dot::Width { widths } => self.settings.widths = widths,
            Dot::Prompt { main, cont } => self.settings.prompts = Some((main, cont)),
            Dot::Shell { cmd } | Dot::System { cmd } => self.system(&cmd)?,
            Dot::Cd { directory } => std::env::set_current_dir(&directory)
                .map_err(|e| usage(format!("cannot change to {directory}: {e}")))?,
            Dot::Fullschema { indent: _ } => self.fullschema()?,
            Dot::Dbinfo { db } => self.dbinfo(db.as_deref())?,
            Dot::Sha3sum { options } => self.sha3sum(&options)?,
            Dot::Limit { limit, value } => self.limit(limit.as_deref(), value)?,
            Dot::Lint {
                check: _,
                verbose,
                groupbyparent,
            } => self.lint_fkey_indexes(verbose, groupbyparent)?,
            Dot::Load { file, entry } => self.load(&file, entry.as_deref())?,
            Dot::Save { file } => self.backup(None, &file)?,
            Dot::Backup { first, second } => match second {
                Some(file) => self.backup(Some(&first), &file)?,
                None => self.backup(None, &first)?,
            },
            Dot::Restore { first, second } => match second {
                Some(file) => self.restore(Some(&first), &file)?,
                None => self.restore(None, &first)?,
            },
            Dot::Clone { newdb } => self.clone_into(&newdb)?,
            Dot::Crlf { state } => match state {
                Some(s) => self.settings.crlf = flag(&s),
                None => {
                    let text = format!("crlf is {}\n", on_off(self.settings.crlf).to_uppercase());
                    self.print(&text)?;
                }
            },
            Dot::Trace { target } => self.set_trace(target.as_deref())?,
            Dot::Vfsname { aux: _ } => self.vfsname()?,
            Dot::Testcase { name } => {
                self.set_output(Some(TESTCASE_OUT.to_string()), false)?;
                self.testcase = Some(name);
            }
            Dot::Check { glob } => self.check(&glob)?,
            Dot::Excel => self.view_next(Format::Csv)?,
            Dot::Www => self.view_next(Format::Html)?,
            Dot::Version => self.version()?,
        }
        Ok(())
    }

    /// `.mode M`: sqlite3's rules for what else a mode sets: its separators, headers on for
    /// `column` (unless set explicitly), and the column formats' options (wrap at 60).
    fn set_mode(
        &mut self,
        m: Format,
        table: Option<String>,
        (wrap, wordwrap, quote): (Option<usize>, bool, bool),
    ) {
        let s = &mut self.settings;
        s.format = m;
        match m {
            Format::List | Format::Ascii | Format::Quote | Format::Tcl => {
                s.separator = None;
                s.newline = None;
            }
            Format::Tabs => s.separator = None,
            Format::Csv => {
                s.separator = None;
                s.newline = Some("\r\n".to_string());
            }
            Format::Line | Format::Column => s.newline = None,
            _ => {}
        }
        if m == Format::Column && !s.header_set {
            s.header = true;
        }
        if m.is_columnar() {
            s.wrap = wrap.unwrap_or(60);
            s.wordwrap = wordwrap;
            s.quote = quote || m == Format::Qbox;
        }
        if table.is_some() {
            s.insert_table = table;
        }
    }

    /// The mode as `.mode` and `.show` name it, with the column formats' options.
    fn mode_description(&self) -> String {
        let s = &self.settings;
        let name = s.format.name();
        if s.format.is_columnar() {
            format!(
                "{name} --wrap {} --wordwrap {} --{}",
                s.wrap,
                on_off(s.wordwrap),
                if s.quote { "quote" } else { "noquote" }
            )
        } else {
            name
        }
    }

    /// `.show`: sqlite3's settings, then this shell's own.
    fn show_text(&self) -> String {
        let s = &self.settings;
        let q = |t: &str| format!("\"{}\"", t.escape_default());
        let output = match &self.out {
            Out::Stdout => "stdout".to_string(),
            Out::File(_, name) => name.clone(),
        };
        let sep = match s.format {
            Format::Tabs => "\t",
            Format::Ascii => "\x1f",
            Format::Quote | Format::Csv => ",",
            Format::Tcl => " ",
            _ => "|",
        };
        let newline = match s.format {
            Format::Ascii => "\x1e",
            _ => "\n",
        };
        let widths: String = s.widths.iter().map(|w| format!("{w} ")).collect();
        let rows: [(&str, String); 14] = [
            ("database", self.name.clone()),
            ("echo", on_off(s.echo).into()),
            ("eqp", on_off(s.eqp).into()),
            ("headers", on_off(s.show_header()).into()),
            ("mode", self.mode_description()),
            ("nullvalue", q(&s.null_text)),
            ("output", output),
            ("colseparator", q(s.separator.as_deref().unwrap_or(sep))),
            ("rowseparator", q(s.newline.as_deref().unwrap_or(newline))),
            ("width", widths),
            ("timer", on_off(s.timer).into()),
            ("changes", on_off(s.changes).into()),
            ("bail", on_off(s.bail).into()),
            ("crlf", on_off(s.crlf).into()),
        ];
        rows.iter()
            .map(|(k, v)| format!("{k:>12}: {v}\n"))
            .collect()
    }

    pub(super) fn set_output(&mut self, file: Option<String>, once: bool) -> Result<()> {
        if let Out::File(w, _) = &mut self.out {
            w.flush()?;
        }
        self.out = match file {
            None => Out::Stdout,
            Some(f) if f == "stdout" || f == "-" => Out::Stdout,
            Some(f) if f.starts_with('|') => {
                let pipe = Piped::spawn(&f[1..])
                    .map_err(|e| usage(format!("cannot open pipe \"{}\": {e}", &f[1..])))?;
                Out::File(io::BufWriter::new(Box::new(pipe)), f)
            }
            Some(f) => {
                let file = File::create(&f).map_err(|e| usage(format!("cannot write {f}: {e}")))?;
                Out::File(io::BufWriter::new(Box::new(file)), f)
            }
        };
        self.once = once;
        Ok(())
    }

    /// `.open`/`.connect`: the current database is finished (an open transaction rolled
    /// back, as sqlite3 closes it), then `target` opened; `new`: a local file is deleted
    /// first, so it starts empty (sqlite3's `.open --new`).
    fn connect(&mut self, target: &str, new: bool) -> Result<()> {
        // Resolved as every target is (a named connection, a URL, a file).
        let spec = crate::connect::resolve(Some(target), &self.conn)?;
        let file = match &spec.target {
            Target::Local { path } if path != ":memory:" && !path.starts_with("file:") => {
                Some(path.clone())
            }
            _ => None,
        };
        if new && file.is_none() {
            return Err(usage(format!(
                "--new starts a local file empty; {} is not one",
                crate::target::excerpt(target)
            )));
        }
        self.with_output(false, |s, out| s.finish(out))?;
        if let Some(file) = file.filter(|_| new) {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let path = format!("{file}{suffix}");
                if std::path::Path::new(&path).is_file() {
                    std::fs::remove_file(&path)
                        .map_err(|e| usage(format!("cannot delete {path}: {e}")))?;
                }
            }
        }
        let (session, name) = open_resolved(&spec, self.session.mode())?;
        self.session = session;
        self.name = name;
        self.schema_dirty = true;
        Ok(())
    }
}

/// An on/off argument's value, after sqlite3's warning if it was no boolean.
fn flag(state: &OnOff) -> bool {
    if let Some(w) = state.warning() {
        eprintln!("{w}");
    }
    state.is_on()
}

/// `.output`/`.once` arguments as sqlite3 reads them: a FILE starting with `|` takes the rest
/// of the line (joined by spaces) as its command; anything else after FILE is an error.
fn output_target(file: Option<String>, rest: Vec<String>) -> Result<Option<String>> {
    match file {
        Some(f) if f.starts_with('|') => Ok(Some(
            std::iter::once(f).chain(rest).collect::<Vec<_>>().join(" "),
        )),
        _ if !rest.is_empty() => Err(usage(format!("extra parameter: \"{}\"", rest[0]))),
        f => Ok(f),
    }
}

pub(super) fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}
