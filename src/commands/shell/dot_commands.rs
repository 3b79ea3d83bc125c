//! The shell's dot-commands: what each one does once [`super::dot`] has parsed it.

use std::fs::File;
use std::io::{self, BufReader, Write};

use anyhow::Result;

use super::dot::{self, Dot, ParamAction};
use super::engine::{open_session, Out, Shell};
use crate::error::usage;
use crate::params::parse_value;
use crate::session::{ErrorMode, SourceName};
use crate::value::Value;

/// How deep `.read` files may read others (sqlite3's limit too).
const MAX_READ_NESTING: usize = 25;

impl Shell {
    pub(super) fn dot(&mut self, d: Dot) -> Result<()> {
        match d {
            Dot::Help { command } => {
                let h = dot::help(command.as_deref());
                self.print(&h)?;
            }
            Dot::Quit => self.quit = Some(0),
            Dot::Exit { code } => self.quit = Some(code.unwrap_or(0)),
            Dot::Tables { pattern } => {
                let (filter, args) = like_filter("name", pattern);
                let rows = self.query(
                    &format!(
                        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') \
                         AND name NOT LIKE 'sqlite_%'{filter} ORDER BY 1"
                    ),
                    args,
                )?;
                let names: Vec<String> = rows.into_iter().map(|r| r[0].to_text("")).collect();
                let text = columns(&names, 80);
                self.print(&text)?;
            }
            Dot::Schema { pattern } => {
                let (filter, args) = match pattern {
                    Some(p) => (
                        " AND (name LIKE ?1 OR tbl_name LIKE ?1)".to_string(),
                        vec![Value::Text(p)],
                    ),
                    None => (String::new(), Vec::new()),
                };
                let rows = self.query(
                    &format!(
                        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'{filter} \
                         ORDER BY tbl_name = name DESC, rowid"
                    ),
                    args,
                )?;
                let mut text = String::new();
                for r in rows {
                    text.push_str(&r[0].to_text(""));
                    text.push_str(";\n");
                }
                self.print(&text)?;
            }
            Dot::Indexes { table } => {
                let (filter, args) = like_filter("tbl_name", table);
                let rows = self.query(
                    &format!(
                        "SELECT name FROM sqlite_schema WHERE type = 'index'{filter} ORDER BY 1"
                    ),
                    args,
                )?;
                let text: String = rows
                    .into_iter()
                    .map(|r| format!("{}\n", r[0].to_text("")))
                    .collect();
                self.print(&text)?;
            }
            Dot::Dump { tables } => {
                let opts = crate::dump::DumpOptions {
                    tables,
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
                csv: _,
            } => {
                let f = File::open(&file).map_err(|e| usage(format!("cannot open {file}: {e}")))?;
                let opts = crate::import::ImportOptions {
                    table,
                    skip,
                    delimiter: b',',
                    transaction: true,
                };
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
            Dot::Mode { mode, table } => match mode {
                Some(m) => {
                    self.settings.format = m;
                    if table.is_some() {
                        self.settings.insert_table = table;
                    }
                }
                None => {
                    let name = format!("{:?}", self.settings.format).to_ascii_lowercase();
                    self.print(&format!("current output mode: {name}\n"))?;
                }
            },
            Dot::Headers { state } => self.settings.header = Some(state.is_on()),
            Dot::Nullvalue { text } => self.settings.null_text = text,
            Dot::Separator { sep } => self.settings.separator = Some(sep),
            Dot::Timer { state } => self.settings.timer = state.is_on(),
            Dot::Changes { state } => self.settings.changes = state.is_on(),
            Dot::Bail { state } => {
                self.settings.bail = state.is_on();
                self.session.set_mode(if state.is_on() {
                    ErrorMode::Stop
                } else {
                    ErrorMode::KeepGoing
                });
            }
            Dot::Echo { state } => self.settings.echo = state.is_on(),
            Dot::Output { file } => self.set_output(file, false)?,
            Dot::Once { file } => self.set_output(Some(file), true)?,
            Dot::Open { target } => self.connect(target.as_deref().unwrap_or(":memory:"))?,
            Dot::Connect { target } => self.connect(&target)?,
            Dot::Show => {
                let s = &self.settings;
                let q = |t: &str| format!("\"{}\"", t.escape_default());
                let output = match &self.out {
                    Out::Stdout => "stdout".to_string(),
                    Out::File(_, name) => name.clone(),
                };
                let text = format!(
                    "{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n{:>12}: {}\n",
                    "database", self.name,
                    "echo", on_off(s.echo),
                    "headers", match s.header { Some(h) => on_off(h).to_string(), None => "default".into() },
                    "mode", format!("{:?}", s.format).to_ascii_lowercase(),
                    "nullvalue", q(&s.null_text),
                    "output", output,
                    "separator", q(s.separator.as_deref().unwrap_or("|")),
                    "timer", on_off(s.timer),
                    "changes", on_off(s.changes),
                    "bail", on_off(s.bail),
                );
                self.print(&text)?;
            }
            Dot::Print { text } => {
                let line = format!("{}\n", text.join(" "));
                self.print(&line)?;
            }
            Dot::Parameter { action } => match action {
                ParamAction::Set { name, value } => {
                    let v = parse_value(&value);
                    self.params.retain(|(n, _)| n != &name);
                    self.params.push((name, v));
                }
                ParamAction::Unset { name } => self.params.retain(|(n, _)| n != &name),
                ParamAction::Clear => self.params.clear(),
                ParamAction::List => {
                    let text: String = self
                        .params
                        .iter()
                        .map(|(n, v)| format!("{n} {}\n", v.to_sql_literal()))
                        .collect();
                    self.print(&text)?;
                }
            },
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
        }
        Ok(())
    }

    fn set_output(&mut self, file: Option<String>, once: bool) -> Result<()> {
        if let Out::File(w, _) = &mut self.out {
            w.flush()?;
        }
        self.out = match file {
            None => Out::Stdout,
            Some(f) if f == "stdout" || f == "-" => Out::Stdout,
            Some(f) => {
                let file = File::create(&f).map_err(|e| usage(format!("cannot write {f}: {e}")))?;
                Out::File(io::BufWriter::new(file), f)
            }
        };
        self.once = once;
        Ok(())
    }

    fn connect(&mut self, target: &str) -> Result<()> {
        self.with_output(false, |s, out| s.finish(out))?;
        let mode = if self.settings.bail {
            ErrorMode::Stop
        } else {
            ErrorMode::KeepGoing
        };
        let (session, name) = open_session(Some(target), &self.conn, mode)?;
        self.session = session;
        self.name = name;
        self.schema_dirty = true;
        Ok(())
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn like_filter(column: &str, pattern: Option<String>) -> (String, Vec<Value>) {
    match pattern {
        Some(p) => (format!(" AND {column} LIKE ?1"), vec![Value::Text(p)]),
        None => (String::new(), Vec::new()),
    }
}

/// Names laid out in columns, as sqlite3's `.tables` does.
fn columns(names: &[String], width: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let w = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 2;
    let per_line = (width / w).max(1);
    let rows = names.len().div_ceil(per_line);
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for c in 0..per_line {
            if let Some(n) = names.get(c * rows + r) {
                line.push_str(&format!("{n:<w$}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
