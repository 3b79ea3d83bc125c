//! Dot-commands (`.mode csv`, `.tables`, ...): sqlite3's names and behaviour where sqlite3 has
//! them, parsed by a clap multicall enum so each has help text and clear errors.

use clap::{Parser, Subcommand, ValueEnum};

use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    multicall = true,
    disable_help_subcommand = true,
    disable_help_flag = true
)]
pub struct DotLine {
    #[command(subcommand)]
    pub cmd: Dot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl OnOff {
    pub fn is_on(self) -> bool {
        self == OnOff::On
    }
}

#[derive(Debug, Subcommand)]
pub enum Dot {
    /// Show help for all dot-commands, or one.
    #[command(name = ".help")]
    Help { command: Option<String> },
    /// Exit the shell.
    #[command(name = ".quit")]
    Quit,
    /// Exit the shell with an optional status code.
    #[command(name = ".exit")]
    Exit { code: Option<i32> },
    /// List tables and views (optionally those matching a LIKE pattern).
    #[command(name = ".tables")]
    Tables { pattern: Option<String> },
    /// Show CREATE statements (optionally of objects matching a LIKE pattern).
    #[command(name = ".schema")]
    Schema { pattern: Option<String> },
    /// List indexes (optionally of one table).
    #[command(name = ".indexes", alias = ".indices")]
    Indexes { table: Option<String> },
    /// Write the database (or tables matching LIKE patterns) as SQL text.
    #[command(name = ".dump")]
    Dump { tables: Vec<String> },
    /// Load a CSV file into a table (created from the header row if missing), atomically.
    #[command(name = ".import")]
    Import {
        file: String,
        table: String,
        /// Skip N lines before the header row.
        #[arg(long, value_name = "N", default_value_t = 0)]
        skip: u64,
        /// Accepted for sqlite3 compatibility: the input is always CSV.
        #[arg(long)]
        csv: bool,
    },
    /// Run SQL and dot-commands from a file.
    #[command(name = ".read")]
    Read { file: String },
    /// Set the output format (and the table name for insert).
    #[command(name = ".mode")]
    Mode {
        mode: Option<Format>,
        table: Option<String>,
    },
    /// Show column names or not.
    #[command(name = ".headers", alias = ".header")]
    Headers { state: OnOff },
    /// Text shown for NULL.
    #[command(name = ".nullvalue")]
    Nullvalue { text: String },
    /// Column separator for list mode.
    #[command(name = ".separator")]
    Separator { sep: String },
    /// Print how long each statement took.
    #[command(name = ".timer")]
    Timer { state: OnOff },
    /// Print the number of rows changed by each statement.
    #[command(name = ".changes")]
    Changes { state: OnOff },
    /// Send output to FILE, or back to stdout without an argument.
    #[command(name = ".output")]
    Output { file: Option<String> },
    /// Send the output of the next command only to FILE.
    #[command(name = ".once")]
    Once { file: String },
    /// Stop at the first error.
    #[command(name = ".bail")]
    Bail { state: OnOff },
    /// Print each statement before running it.
    #[command(name = ".echo")]
    Echo { state: OnOff },
    /// Close this database and open another (a file; or any target, like .connect).
    #[command(name = ".open")]
    Open { target: Option<String> },
    /// Connect to another database: a file, libsql://, https://, wss://, ...
    #[command(name = ".connect")]
    Connect { target: String },
    /// Show the current settings.
    #[command(name = ".show")]
    Show,
    /// Print text.
    #[command(name = ".print")]
    Print { text: Vec<String> },
    /// Manage statement parameters: set NAME VALUE | unset NAME | list | clear.
    #[command(name = ".parameter", alias = ".param")]
    Parameter {
        #[command(subcommand)]
        action: ParamAction,
    },
    /// Show the protocol, version and endpoint in use.
    #[command(name = ".transport")]
    Transport,
    /// Show the statements buffered in the open transaction.
    #[command(name = ".pending")]
    Pending,
}

#[derive(Debug, Subcommand)]
pub enum ParamAction {
    /// Bind NAME (e.g. :id, @id, $id) to VALUE for the following statements.
    Set { name: String, value: String },
    /// Remove one parameter.
    Unset { name: String },
    /// List parameters.
    List,
    /// Remove all parameters.
    Clear,
}

/// Split a dot-command line into arguments the way sqlite3 does: whitespace separates,
/// `"..."` and `'...'` quote (a doubled quote inside `'...'` is one quote).
pub fn split_args(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut arg = String::new();
        if c == '"' || c == '\'' {
            chars.next();
            let mut closed = false;
            while let Some(ch) = chars.next() {
                if ch == c {
                    if c == '\'' && chars.peek() == Some(&'\'') {
                        chars.next();
                        arg.push('\'');
                        continue;
                    }
                    closed = true;
                    break;
                }
                if c == '"' && ch == '\\' {
                    match chars.next() {
                        Some('n') => arg.push('\n'),
                        Some('t') => arg.push('\t'),
                        Some(other) => arg.push(other),
                        None => break,
                    }
                    continue;
                }
                arg.push(ch);
            }
            if !closed {
                return Err(format!("unterminated {c}quoted{c} argument"));
            }
        } else {
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                arg.push(ch);
                chars.next();
            }
        }
        out.push(arg);
    }
    Ok(out)
}

/// Parse one dot-command line.
pub fn parse(line: &str) -> Result<Dot, String> {
    let args = split_args(line)?;
    match DotLine::try_parse_from(&args) {
        Ok(d) => Ok(d.cmd),
        Err(e) if e.kind() == clap::error::ErrorKind::InvalidSubcommand => Err(format!(
            "unknown command: {} (.help lists them)",
            args.first().map(String::as_str).unwrap_or("")
        )),
        Err(e) => Err(e.render().to_string().trim_end().to_string()),
    }
}

/// Help text for every dot-command, or one.
pub fn help(command: Option<&str>) -> String {
    use clap::CommandFactory;
    let cmd = DotLine::command();
    let mut out = String::new();
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        if let Some(want) = command {
            let want = if want.starts_with('.') {
                want.to_string()
            } else {
                format!(".{want}")
            };
            if name != want {
                continue;
            }
        }
        let args: Vec<String> = sub
            .get_arguments()
            .filter(|a| a.is_positional())
            .map(|a| {
                let n = a.get_id().as_str().to_ascii_uppercase();
                if a.is_required_set() {
                    n
                } else {
                    format!("[{n}]")
                }
            })
            .collect();
        let subs: Vec<&str> = sub.get_subcommands().map(|s| s.get_name()).collect();
        let usage = if subs.is_empty() {
            args.join(" ")
        } else {
            subs.join("|")
        };
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "{:<28} {about}\n",
            format!("{name} {usage}").trim_end()
        ));
    }
    if out.is_empty() {
        out = format!("no such command: {}\n", command.unwrap_or(""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_sqlite3() {
        assert_eq!(split_args(".mode csv").unwrap(), vec![".mode", "csv"]);
        assert_eq!(
            split_args(".print 'it''s' \"a\\tb\" x").unwrap(),
            vec![".print", "it's", "a\tb", "x"]
        );
        assert!(split_args(".print 'open").is_err());
    }

    #[test]
    fn parses_commands() {
        assert!(matches!(
            parse(".mode csv").unwrap(),
            Dot::Mode {
                mode: Some(Format::Csv),
                table: None
            }
        ));
        assert!(matches!(
            parse(".headers on").unwrap(),
            Dot::Headers { state: OnOff::On }
        ));
        assert!(matches!(
            parse(".param set :x 5").unwrap(),
            Dot::Parameter {
                action: ParamAction::Set { .. }
            }
        ));
        assert!(parse(".nosuch")
            .unwrap_err()
            .contains("unknown command: .nosuch"));
        assert!(parse(".mode yaml").unwrap_err().contains("yaml"));
        assert!(help(None).contains(".tables [PATTERN]"));
        assert!(help(Some("mode")).starts_with(".mode [MODE] [TABLE]"));
    }

    #[test]
    fn fuzz_dot_command_lines() {
        let seeds = &[
            ".mode csv --table t",
            ".import 'my file.csv' t --skip 1",
            ".parameter set :x \"it's\"",
            ".once -e",
            ".output \"unterminated",
            ".timer on",
            ".read x.sql",
            ".dump t1 t2",
        ];
        crate::fuzz::run_text("dot", seeds, crate::fuzz::cases(4), |line| {
            let _ = parse(line);
            let _ = split_args(line);
        });
    }
}
