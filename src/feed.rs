//! Feeding SQL into a session: the sources (arguments, `-f` files, stdin), split into
//! statements with SQLite's rules, numbered for error messages, with parameters bound.
//! `exec`, `batch` and the shell all feed through [`Feeder`].

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::error::usage;
use crate::params::Params;
use crate::session::{Origin, Output, Session, SourceName};
use crate::sql::{self, Piece, Splitter, StmtKind};
use crate::transport::SqlError;

/// SQLite's own limit on the length of one SQL statement (`SQLITE_MAX_SQL_LENGTH`): longer
/// input can never run, so reading stops there instead of growing without bound.
pub const MAX_STATEMENT_BYTES: usize = 1_000_000_000;

/// Read one line of SQL text (without its `\n` or `\r\n`) into `line`; `Ok(false)` at the
/// end of the input. Refuses text that cannot be SQL (a NUL byte, invalid UTF-8) and lines
/// longer than [`MAX_STATEMENT_BYTES`], naming the source and line.
pub fn read_line(
    reader: &mut dyn BufRead,
    line: &mut String,
    name: &SourceName,
    lineno: usize,
) -> Result<bool> {
    let mut bytes = Vec::new();
    loop {
        let chunk = reader
            .fill_buf()
            .with_context(|| format!("cannot read {name}"))?;
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if chunk[..take].contains(&0) {
            return Err(anyhow::anyhow!(
                "{name}:{lineno}: a NUL byte: this is not SQL text"
            ));
        }
        bytes.extend_from_slice(&chunk[..take]);
        reader.consume(take);
        if bytes.len() > MAX_STATEMENT_BYTES {
            return Err(anyhow::anyhow!(
                "{name}:{lineno}: a line longer than SQLite's statement limit ({MAX_STATEMENT_BYTES} bytes)"
            ));
        }
        if done {
            break;
        }
    }
    if bytes.is_empty() {
        return Ok(false);
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    *line = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{name}:{lineno}: invalid UTF-8: this is not SQL text"))?;
    Ok(true)
}

/// A source of SQL text.
pub enum Source {
    Arg(usize, String),
    File(PathBuf, Box<dyn BufRead>),
    Stdin,
}

/// Feeds statements into a session: numbers them (for error messages), binds parameters,
/// and in a wrapped input (`batch`) handles the input's own transaction control.
pub struct Feeder<'p> {
    pub params: Params,
    /// The input runs inside one transaction opened by the caller (`batch`): its own
    /// BEGIN/COMMIT are dropped (once noted), and a ROLLBACK aborts the whole input.
    pub wrapped: bool,
    noted_tx_control: bool,
    /// Called every 10,000 statements with the count read so far (a progress line).
    pub progress: Option<Box<dyn FnMut(usize) + 'p>>,
    next_index: usize,
}

impl<'p> Feeder<'p> {
    pub fn new(params: Params) -> Self {
        Feeder {
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

    /// Submit one statement read from `source`; `multiline`: the source has several lines
    /// (then an argument's line number is worth printing).
    pub fn add(
        &mut self,
        session: &mut Session<'_>,
        out: &mut dyn Output,
        piece: Piece,
        source: &SourceName,
        multiline: bool,
    ) -> Result<()> {
        let origin = Origin {
            index: self.next_index,
            source: source.clone(),
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
                        out.notice(&format!(
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
                    return session.fail(&origin, &piece.sql, &err, out);
                }
                _ => {}
            }
        }
        let stmt = self.params.stmt(&piece.sql);
        session.submit(stmt, origin, out)
    }

    /// Feed every source through the splitter.
    pub fn run_sources(
        &mut self,
        session: &mut Session<'_>,
        out: &mut dyn Output,
        sources: Vec<Source>,
    ) -> Result<()> {
        for source in sources {
            if session.stopped() {
                break;
            }
            match source {
                Source::Arg(n, text) => {
                    let name = SourceName::Argument(n);
                    let multiline = text.trim_end().contains('\n');
                    for piece in sql::split(&text) {
                        self.add(session, out, piece, &name, multiline)?;
                    }
                }
                Source::File(path, reader) => {
                    let name = SourceName::File(path.display().to_string());
                    self.feed_reader(session, out, reader, &name)?
                }
                Source::Stdin => {
                    let name = SourceName::File("<stdin>".into());
                    self.feed_reader(session, out, Box::new(io::stdin().lock()), &name)?
                }
            }
        }
        Ok(())
    }

    fn feed_reader(
        &mut self,
        session: &mut Session<'_>,
        out: &mut dyn Output,
        mut reader: Box<dyn BufRead + '_>,
        name: &SourceName,
    ) -> Result<()> {
        let mut splitter = Splitter::new();
        let mut line = String::new();
        let mut lineno = 0;
        loop {
            lineno += 1;
            if !read_line(reader.as_mut(), &mut line, name, lineno)? {
                break;
            }
            line.push('\n');
            for piece in splitter.push(&line) {
                self.add(session, out, piece, name, true)?;
            }
            if splitter.pending_len() > MAX_STATEMENT_BYTES {
                return Err(anyhow::anyhow!(
                    "{name}:{lineno}: a statement longer than SQLite's limit ({MAX_STATEMENT_BYTES} bytes)"
                ));
            }
            if session.stopped() {
                return Ok(());
            }
        }
        if let Some(piece) = splitter.finish() {
            self.add(session, out, piece, name, true)?;
        }
        Ok(())
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
        let file = File::open(f)
            .and_then(|file| match file.metadata()?.is_dir() {
                true => Err(std::io::Error::from(std::io::ErrorKind::IsADirectory)),
                false => Ok(file),
            })
            .map_err(|e| usage(format!("cannot open {}: {e}", f.display())))?;
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
