//! `exec`: run SQL from arguments, files or stdin in autocommit mode and print the results.
//!
//! Statements are split with SQLite's own rules and sent in as few requests as possible:
//! one batch per request, each step conditioned on the previous one so nothing runs after
//! a failure (unless `--keep-going`).

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use crate::cli::{ConnArgs, OutputArgs};
use crate::connect;
use crate::error::{self, usage, StatementsFailed};
use crate::render::{self, Render, RenderOptions};
use crate::session::{ErrorMode, Origin, Output, Session};
use crate::sql::{self, Piece, Splitter, StmtKind};
use crate::transport::{SqlError, Stmt};
use crate::value::{Column, StmtSummary, Value};

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Database. May be omitted when LIBSQL_URL or TURSO_DATABASE_URL is set; then a first
    /// argument containing whitespace is taken as SQL.
    #[arg(value_name = "DB")]
    pub db: Option<String>,

    /// SQL text; each argument may hold several statements.
    #[arg(value_name = "SQL")]
    pub sql: Vec<String>,

    /// Read SQL from FILE (repeatable; `-` is stdin).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Continue after a failed statement (the exit status is still 1).
    #[arg(long)]
    pub keep_going: bool,

    #[command(flatten)]
    pub params: ParamArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Statement parameters.
#[derive(Debug, Clone, Args, Default)]
pub struct ParamArgs {
    /// Bind a named parameter, e.g. --param id=7 --param name="'O''Brien'" (see VALUE syntax).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub named: Vec<String>,

    /// Bind the next positional parameter (`?`), e.g. --arg 7 --arg NULL --arg "'007'".
    /// VALUE: NULL, an integer, a real (1.5, 1e3), 'quoted text', X'hex' blob; anything else is text.
    #[arg(long = "arg", value_name = "VALUE")]
    pub positional: Vec<String>,
}

/// Parse a parameter value: `NULL`, integers, reals, `'text'` (quotes doubled inside),
/// `X'00ff'` blobs; anything else is taken as text as it is.
pub fn parse_value(s: &str) -> Value {
    let t = s.trim();
    if t.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Value::Integer(i);
    }
    let numeric = t
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || "+-.".contains(c))
        && t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
    if numeric {
        if let Ok(f) = t.parse::<f64>() {
            return Value::Real(f);
        }
    }
    if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        return Value::Text(t[1..t.len() - 1].replace("''", "'"));
    }
    if t.len() >= 3 && (t.starts_with("X'") || t.starts_with("x'")) && t.ends_with('\'') {
        let hex = &t[2..t.len() - 1];
        if hex.len().is_multiple_of(2) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0))
                .collect();
            return Value::Blob(bytes);
        }
    }
    Value::Text(s.to_string())
}

/// Parameters resolved once, attached to each statement that mentions them.
#[derive(Debug, Clone, Default)]
pub struct Params {
    named: Vec<(String, Value)>,
    positional: Vec<Value>,
}

impl Params {
    /// Named parameters only (the shell's `.parameter set`).
    pub fn named(named: Vec<(String, Value)>) -> Self {
        Params {
            named,
            positional: Vec::new(),
        }
    }

    pub fn from_args(a: &ParamArgs) -> Result<Self> {
        let mut named = Vec::new();
        for p in &a.named {
            let (name, value) = p
                .split_once('=')
                .ok_or_else(|| usage(format!("--param needs NAME=VALUE, got '{p}'")))?;
            let name = name.trim();
            if name.is_empty() {
                return Err(usage(format!("--param needs a name before '=' in '{p}'")));
            }
            named.push((name.to_string(), parse_value(value)));
        }
        Ok(Params {
            named,
            positional: a.positional.iter().map(|s| parse_value(s)).collect(),
        })
    }

    /// Build the statement for `sql`, binding the parameters it mentions.
    pub fn stmt(&self, sql: &str) -> Stmt {
        let mut stmt = Stmt::new(sql);
        if self.named.is_empty() && self.positional.is_empty() {
            return stmt;
        }
        let (count, names) = sql::param_markers(sql);
        if count > 0 {
            stmt.args = self.positional.iter().take(count).cloned().collect();
        }
        for mentioned in names {
            let bare = &mentioned[1..];
            if let Some((_, v)) = self
                .named
                .iter()
                .find(|(n, _)| n.trim_start_matches([':', '@', '$']) == bare)
            {
                stmt.named_args.push((mentioned.clone(), v.clone()));
            }
        }
        if !stmt.named_args.is_empty() {
            // Hrana servers refuse a statement with both kinds; named parameters win.
            stmt.args.clear();
        }
        stmt
    }
}

/// A source of SQL text.
pub enum Source {
    Arg(usize, String),
    File(PathBuf, Box<dyn BufRead>),
    Stdin,
}

/// Renders results and reports failed statements as they arrive.
pub struct ResultOutput<'a> {
    render: Box<dyn Render + 'a>,
    active: bool,
}

impl<'a> ResultOutput<'a> {
    pub fn new(render: Box<dyn Render + 'a>) -> Self {
        ResultOutput {
            render,
            active: false,
        }
    }

    /// Close the current statement's output, if one is open; says whether one was.
    pub fn close_statement(&mut self) -> Result<bool> {
        let was = self.active;
        if was {
            self.render.end()?;
            self.active = false;
        }
        Ok(was)
    }
}

impl Output for ResultOutput<'_> {
    fn begin(&mut self, cols: &[Column]) -> Result<()> {
        if !cols.is_empty() {
            self.render.begin(cols)?;
            self.active = true;
        }
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> Result<()> {
        if self.active {
            self.render.row(row)?;
        }
        Ok(())
    }

    fn end(&mut self, _summary: &StmtSummary) -> Result<()> {
        self.close_statement()?;
        Ok(())
    }

    fn error(&mut self, origin: &Origin, sql: &str, err: &SqlError) -> Result<()> {
        self.close_statement()?;
        let what = sql_excerpt(sql);
        let in_sql = if what.is_empty() {
            String::new()
        } else {
            format!(" in: {what}")
        };
        error::print_message(&format!("{}: {err}{in_sql}", origin.describe()));
        Ok(())
    }

    fn notice(&mut self, msg: &str) -> Result<()> {
        eprintln!("libsql-shell: note: {msg}");
        Ok(())
    }
}

/// A statement on one line, cut to a readable length, for error messages.
pub fn sql_excerpt(sql: &str) -> String {
    const MAX: usize = 80;
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}

/// Feeds statements from sources into a session, numbering them and binding parameters.
pub struct Feeder<'s, 't, 'o> {
    pub session: &'s mut Session<'t>,
    pub out: &'o mut dyn Output,
    pub params: Params,
    /// The input runs inside one transaction opened by the caller (`batch`): its own
    /// BEGIN/COMMIT are dropped (once noted), and a ROLLBACK aborts the whole input.
    pub wrapped: bool,
    noted_tx_control: bool,
    /// Called every 10,000 statements with the count read so far (a progress line).
    pub progress: Option<Box<dyn FnMut(usize) + 'o>>,
    next_index: usize,
}

impl<'s, 't, 'o> Feeder<'s, 't, 'o> {
    pub fn new(session: &'s mut Session<'t>, out: &'o mut dyn Output, params: Params) -> Self {
        Feeder {
            session,
            out,
            params,
            wrapped: false,
            noted_tx_control: false,
            progress: None,
            next_index: 1,
        }
    }

    /// How many statements were read so far.
    pub fn submitted(&self) -> usize {
        self.next_index - 1
    }

    pub fn add(&mut self, piece: Piece, source: &str, multiline: bool) -> Result<()> {
        let origin = Origin {
            index: self.next_index,
            source: source.to_string(),
            line: piece.line,
            multiline,
        };
        self.next_index += 1;
        if let Some(progress) = &mut self.progress {
            if origin.index.is_multiple_of(10_000) {
                progress(origin.index);
            }
        }
        if self.wrapped {
            match sql::classify(&piece.sql) {
                StmtKind::Begin(_) | StmtKind::Commit => {
                    if !self.noted_tx_control {
                        self.noted_tx_control = true;
                        self.out.notice(&format!(
                            "{}: BEGIN/COMMIT in the input are ignored: the whole input is one transaction",
                            origin.describe()
                        ))?;
                    }
                    return Ok(());
                }
                StmtKind::Rollback => {
                    let err = SqlError {
                        message: "ROLLBACK inside the input aborts the whole batch".into(),
                        code: None,
                    };
                    return self.session.fail(&origin, &piece.sql, &err, self.out);
                }
                _ => {}
            }
        }
        let stmt = self.params.stmt(&piece.sql);
        self.session.submit(stmt, origin, self.out)
    }

    /// Feed every source through the splitter.
    pub fn run_sources(&mut self, sources: Vec<Source>) -> Result<()> {
        for source in sources {
            if self.session.stopped() {
                break;
            }
            match source {
                Source::Arg(n, text) => {
                    let label = format!("argument {n}");
                    let multiline = text.trim_end().contains('\n');
                    for piece in sql::split(&text) {
                        self.add(piece, &label, multiline)?;
                    }
                }
                Source::File(path, reader) => {
                    self.feed_reader(reader, &path.display().to_string())?
                }
                Source::Stdin => self.feed_reader(Box::new(io::stdin().lock()), "<stdin>")?,
            }
        }
        Ok(())
    }

    fn feed_reader(&mut self, mut reader: Box<dyn BufRead + '_>, label: &str) -> Result<()> {
        let mut splitter = Splitter::new();
        let mut line = String::new();
        loop {
            line.clear();
            let n = reader
                .read_line(&mut line)
                .with_context(|| format!("cannot read {label}"))?;
            if n == 0 {
                break;
            }
            for piece in splitter.push(&line) {
                self.add(piece, label, true)?;
            }
            if self.session.stopped() {
                return Ok(());
            }
        }
        if let Some(piece) = splitter.finish() {
            self.add(piece, label, true)?;
        }
        Ok(())
    }
}

/// Build render options from the output flags (table width from the terminal on a TTY).
pub fn render_options(o: &OutputArgs) -> RenderOptions {
    let max_width = if io::stdout().is_terminal() {
        terminal_size::terminal_size().map(|(w, _)| w.0)
    } else {
        None
    };
    RenderOptions {
        header: o.header(),
        null_text: o.null_text.clone(),
        separator: o.separator.clone(),
        insert_table: o.insert_table.clone(),
        max_width,
    }
}

/// Open `-f` files up front so a missing file fails before anything runs.
pub fn open_sources(sql: Vec<String>, files: &[PathBuf]) -> Result<Vec<Source>> {
    let mut sources: Vec<Source> = sql
        .into_iter()
        .enumerate()
        .map(|(i, s)| Source::Arg(i + 1, s))
        .collect();
    for f in files {
        if f.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let file = File::open(f).map_err(|e| usage(format!("cannot open {}: {e}", f.display())))?;
        sources.push(Source::File(
            f.clone(),
            Box::new(BufReader::with_capacity(1 << 16, file)),
        ));
    }
    if sources.is_empty() {
        sources.push(Source::Stdin);
    }
    Ok(sources)
}

/// Run sources against a database with the given output settings.
pub fn execute(
    spec: &connect::ConnectSpec,
    sources: Vec<Source>,
    output: &OutputArgs,
    mode: ErrorMode,
    params: Params,
) -> Result<ExitCode> {
    let mut transport = connect::open(spec)?;
    let stdout = io::stdout();
    let out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let opts = render_options(output);
    let mut output = ResultOutput::new(render::renderer(output.format, &opts, Box::new(out)));
    let mut session = Session::new(transport.as_mut(), mode);
    let fed = Feeder::new(&mut session, &mut output, params).run_sources(sources);
    let finished = session.finish(&mut output);
    fed?;
    finished?;
    drop(output);
    io::stdout().flush()?;
    if session.failures() > 0 {
        return Err(anyhow::Error::new(StatementsFailed(session.failures())));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(mut args: ExecArgs, conn: &ConnArgs) -> Result<ExitCode> {
    // With the database named by the environment, a first argument that looks like SQL is SQL.
    if connect::env_database().is_some() {
        if let Some(first) = &args.db {
            if first.chars().any(char::is_whitespace) {
                let sql = args
                    .db
                    .take()
                    .into_iter()
                    .chain(args.sql.drain(..))
                    .collect();
                args.sql = sql;
            }
        }
    } else if args.db.is_none() {
        return Err(usage(
            "exec needs a database: libsql-shell exec DB \"SQL\" (or set LIBSQL_URL)",
        ));
    }
    let spec = connect::resolve(args.db.as_deref(), conn)?;
    let params = Params::from_args(&args.params)?;
    let sources = open_sources(args.sql, &args.files)?;
    let mode = if args.keep_going {
        ErrorMode::KeepGoing
    } else {
        ErrorMode::Stop
    };
    execute(&spec, sources, &args.output, mode, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values() {
        assert_eq!(parse_value("NULL"), Value::Null);
        assert_eq!(
            parse_value("-9223372036854775808"),
            Value::Integer(i64::MIN)
        );
        assert_eq!(parse_value("1.5"), Value::Real(1.5));
        assert_eq!(parse_value("1e3"), Value::Real(1000.0));
        assert_eq!(parse_value("'007'"), Value::Text("007".into()));
        assert_eq!(parse_value("'it''s'"), Value::Text("it's".into()));
        assert_eq!(parse_value("X'00ff'"), Value::Blob(vec![0, 255]));
        assert_eq!(parse_value("hello"), Value::Text("hello".into()));
        assert_eq!(parse_value("inf"), Value::Text("inf".into()));
    }

    #[test]
    fn binds_only_mentioned_params() {
        let p = Params::from_args(&ParamArgs {
            named: vec!["id=7".into(), ":name='x'".into()],
            positional: vec!["1".into(), "2".into()],
        })
        .unwrap();
        let s = p.stmt("select :id, $name, ?");
        assert_eq!(
            s.named_args,
            vec![
                (":id".into(), Value::Integer(7)),
                ("$name".into(), Value::Text("x".into()))
            ]
        );
        assert_eq!(s.args, vec![]); // mixing is refused by servers; named wins when both appear
        let s = p.stmt("select ?, ?");
        assert_eq!(s.args, vec![Value::Integer(1), Value::Integer(2)]);
        assert!(p.stmt("select 1").named_args.is_empty());
    }
}
