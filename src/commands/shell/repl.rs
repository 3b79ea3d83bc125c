//! The interactive shell on a terminal: rustyline line editing, persistent history,
//! completion of keywords, dot-commands, table/column names and file names, a prompt that
//! shows an open transaction, and Ctrl-C that cancels input or interrupts a local query.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use anyhow::Result;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Context, Editor, Helper, Highlighter, Hinter, Validator};

use super::state::Shell;
use crate::session::SourceName;
use crate::sql::Splitter;

/// Where history lives: `$LIBSQL_SHELL_HISTORY`, else `<data dir>/libsql-shell/history`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LIBSQL_SHELL_HISTORY") {
        return Some(PathBuf::from(p));
    }
    dirs::data_dir().map(|d| d.join("libsql-shell").join("history"))
}

fn dot_commands() -> Vec<String> {
    use clap::CommandFactory;
    super::dot::DotLine::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect()
}

#[derive(Helper, Hinter, Highlighter, Validator)]
struct ShellHelper {
    shell: Rc<RefCell<Shell>>,
    keywords: Vec<String>,
    dots: Vec<String>,
    names: RefCell<Vec<String>>,
    files: FilenameCompleter,
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let trimmed = before.trim_start();
        if trimmed.starts_with('.') {
            if let Some((cmd, _)) = trimmed.split_once(char::is_whitespace) {
                if matches!(
                    cmd,
                    ".read"
                        | ".output"
                        | ".once"
                        | ".open"
                        | ".save"
                        | ".backup"
                        | ".restore"
                        | ".clone"
                        | ".load"
                        | ".cd"
                        | ".trace"
                        | ".import"
                ) {
                    return self.files.complete(line, pos, ctx);
                }
                return Ok((pos, Vec::new()));
            }
            let start = pos - trimmed.len();
            let c = self
                .dots
                .iter()
                .filter(|d| d.starts_with(trimmed))
                .map(|d| pair(d))
                .collect();
            return Ok((start, c));
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(|i| i + 1)
            .unwrap_or(0);
        let word = &before[start..];
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        self.refresh_names();
        let upper = word.to_ascii_uppercase();
        let mut c: Vec<Pair> = self
            .names
            .borrow()
            .iter()
            .filter(|n| n.starts_with(word))
            .map(|n| pair(n))
            .collect();
        let lower_input = word.chars().all(|c| !c.is_ascii_uppercase());
        c.extend(
            self.keywords
                .iter()
                .filter(|k| k.starts_with(&upper))
                .map(|k| {
                    if lower_input {
                        pair(&k.to_ascii_lowercase())
                    } else {
                        pair(k)
                    }
                }),
        );
        Ok((start, c))
    }
}

impl ShellHelper {
    /// Read table and column names once per schema change, and never inside a transaction
    /// (that would flush buffered writes).
    fn refresh_names(&self) {
        let Ok(mut shell) = self.shell.try_borrow_mut() else {
            return;
        };
        if !shell.schema_dirty || shell.session().in_transaction() {
            return;
        }
        match shell.schema_names() {
            Ok(n) => *self.names.borrow_mut() = n,
            Err(_) => shell.schema_dirty = false,
        }
    }
}

fn pair(s: &str) -> Pair {
    Pair {
        display: s.to_string(),
        replacement: s.to_string(),
    }
}

/// Interrupt a running local query on Ctrl-C (the terminal is not in raw mode then).
fn install_interrupt(shell: &Shell) {
    let handle = shell.session().transport().interrupter();
    let slot = INTERRUPT.get_or_init(|| std::sync::Mutex::new(None));
    if let Ok(mut s) = slot.lock() {
        *s = handle;
    }
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if let Some(Ok(guard)) = INTERRUPT.get().map(|m| m.lock()) {
                if let Some(f) = guard.as_ref() {
                    f();
                }
            }
        });
    });
}

type Interrupter = std::sync::Arc<dyn Fn() + Send + Sync>;
static INTERRUPT: std::sync::OnceLock<std::sync::Mutex<Option<Interrupter>>> =
    std::sync::OnceLock::new();

pub fn run(shell: Shell) -> Result<ExitCode> {
    let shell = Rc::new(RefCell::new(shell));
    let mut editor: Editor<ShellHelper, DefaultHistory> = Editor::new()?;
    editor.set_helper(Some(ShellHelper {
        shell: shell.clone(),
        keywords: crate::engine::keywords(),
        dots: dot_commands(),
        names: RefCell::new(Vec::new()),
        files: FilenameCompleter::new(),
    }));
    let history = history_path();
    if let Some(h) = &history {
        if h.exists() {
            if let Err(e) = editor.load_history(h) {
                eprintln!("Warning: cannot read history {}: {e}", h.display());
            }
        }
    }
    install_interrupt(&shell.borrow());
    use std::io::Write as _;
    writeln!(
        std::io::stdout(),
        "libsql-shell {} connected to {} ({}). Enter \".help\" for usage hints.",
        env!("CARGO_PKG_VERSION"),
        shell.borrow().name(),
        shell.borrow().session().transport().info().protocol
    )?;
    let mut splitter = Splitter::new();
    let stdin = SourceName::File("<stdin>".into());
    let mut fatal = None;
    loop {
        if let Err(e) = shell.borrow_mut().check_stream() {
            eprintln!("Error: {}", crate::error::one_line(&e));
        }
        let prompt = shell.borrow().prompt(splitter.has_pending());
        match editor.readline(&prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    // Never keep a token (a refused `.connect libsql://…?authToken=…`, say).
                    let _ = editor.add_history_entry(crate::token::redact_secrets(&line));
                }
                let mut sh = shell.borrow_mut();
                let mut r = sh.feed_line(&mut splitter, &format!("{line}\n"), &stdin);
                if r.is_ok() && !splitter.has_pending() {
                    r = sh.sync();
                }
                if let Err(e) = r {
                    if crate::error::is_broken_pipe(&e) {
                        fatal = Some(e);
                        break;
                    }
                    eprintln!("Error: {}", crate::error::one_line(&e));
                }
                if sh.quit.is_some() {
                    break;
                }
                let interrupter = sh.session().transport().interrupter();
                drop(sh);
                if let Some(Ok(mut s)) = INTERRUPT.get().map(|m| m.lock()) {
                    *s = interrupter;
                }
            }
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C cancels the statement being typed.
                splitter.clear();
            }
            Err(ReadlineError::Eof) => {
                // As sqlite3 (and a piped script): the statement still being typed runs.
                if let Some(piece) = splitter.finish() {
                    let mut sh = shell.borrow_mut();
                    let r = sh.submit(piece, &stdin, true).and_then(|()| sh.sync());
                    if let Err(e) = r {
                        if crate::error::is_broken_pipe(&e) {
                            fatal = Some(e);
                        } else {
                            eprintln!("Error: {}", crate::error::one_line(&e));
                        }
                    }
                }
                break;
            }
            Err(e) => {
                fatal = Some(e.into());
                break;
            }
        }
    }
    if let Some(h) = &history {
        save_history(&mut editor, h);
    }
    let finished = shell.borrow_mut().finish();
    if let Some(e) = fatal {
        return Err(e);
    }
    finished?;
    let code = shell.borrow().quit_status();
    Ok(code.unwrap_or(ExitCode::SUCCESS))
}

/// Save history with mode 0600; failing to is a warning, never an error.
fn save_history(editor: &mut Editor<ShellHelper, DefaultHistory>, path: &std::path::Path) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = editor.save_history(path) {
        eprintln!("Warning: cannot write history {}: {e}", path.display());
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
}
