//! Dot-commands (`.mode csv`, `.tables`, ...): sqlite3's names and behaviour where sqlite3 has
//! them, parsed by a clap multicall enum so each has help text and clear errors.

use clap::{Parser, Subcommand};

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

/// An on/off argument, read as sqlite3's `booleanValue` reads it: `on`/`yes` and `off`/`no` in
/// any case, or an integer (decimal, or hexadecimal after `0x`), true when its low 32 bits are
/// not all zero. Anything else is off, with sqlite3's warning ([`OnOff::warning`]) when the
/// command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnOff {
    on: bool,
    /// The argument, when it was no boolean.
    bad: Option<String>,
}

impl OnOff {
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// sqlite3's message for an argument that is no boolean (printed on standard error; the
    /// command still runs, with "no").
    pub fn warning(&self) -> Option<String> {
        self.bad
            .as_ref()
            .map(|b| format!("ERROR: Not a boolean value: \"{b}\". Assuming \"no\"."))
    }
}

/// [`OnOff`] from text; never fails (a bad value is kept for the warning).
pub fn on_off(arg: &str) -> Result<OnOff, String> {
    Ok(match boolean_value(arg) {
        Some(on) => OnOff { on, bad: None },
        None => OnOff {
            on: false,
            bad: Some(arg.to_string()),
        },
    })
}

/// sqlite3's `booleanValue`, `None` for an argument it warns about.
pub fn boolean_value(arg: &str) -> Option<bool> {
    let (digits, radix) = match arg.strip_prefix("0x") {
        Some(hex) => (hex, 16),
        None if !arg.is_empty() => (arg, 10),
        None => ("x", 10),
    };
    if digits.chars().all(|c| c.is_digit(radix)) {
        // sqlite3's integerValue: wrapping arithmetic, then the low 32 bits.
        let v = digits.chars().fold(0i64, |v, c| {
            v.wrapping_mul(radix as i64)
                .wrapping_add(i64::from(c.to_digit(radix).unwrap_or(0)))
        });
        return Some(v & 0xffff_ffff != 0);
    }
    if arg.eq_ignore_ascii_case("on") || arg.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if arg.eq_ignore_ascii_case("off") || arg.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
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
    Exit {
        #[arg(allow_negative_numbers = true)]
        code: Option<i32>,
    },
    /// List tables and views (optionally those matching a LIKE pattern).
    #[command(name = ".tables")]
    Tables { pattern: Option<String> },
    /// Show CREATE statements (optionally of the tables matching a LIKE pattern and their
    /// indexes, triggers and views).
    #[command(name = ".schema")]
    Schema {
        pattern: Option<String>,
        /// Leave out SQLite's own tables (sqlite_sequence, sqlite_stat1, ...).
        #[arg(long)]
        nosys: bool,
    },
    /// List indexes (optionally of one table).
    #[command(name = ".indexes", alias = ".indices")]
    Indexes { table: Option<String> },
    /// Write the database (or tables matching LIKE patterns) as SQL text.
    #[command(name = ".dump")]
    Dump {
        tables: Vec<String>,
        /// Rows only: no CREATE statements, no BEGIN/COMMIT.
        #[arg(long)]
        data_only: bool,
    },
    /// Load a file into a table, atomically: every row is data if the table exists, else the
    /// first row names the columns of the new table.
    #[command(name = ".import")]
    Import {
        file: String,
        table: String,
        /// Skip the first N rows of input.
        #[arg(long, value_name = "N", default_value_t = 0)]
        skip: u64,
        /// Use , and \n as column and row separators (else the output mode's).
        #[arg(long)]
        csv: bool,
    },
    /// Run SQL and dot-commands from a file.
    #[command(name = ".read")]
    Read { file: String },
    /// Set the output format (and the table name for insert); --wrap N, --wordwrap on|off
    /// (-ww), --quote and --noquote for the column formats.
    #[command(name = ".mode")]
    Mode {
        mode: Option<Format>,
        table: Option<String>,
        /// Wrap text wider than N characters (column formats; 0: never).
        #[arg(long, value_name = "N")]
        wrap: Option<usize>,
        /// Wrap at word boundaries.
        #[arg(long, value_name = "on|off", value_parser = on_off, allow_hyphen_values = true)]
        wordwrap: Option<OnOff>,
        /// Same as --wordwrap on.
        #[arg(long = "ww")]
        ww: bool,
        /// Show values as SQL literals (column formats).
        #[arg(long, overrides_with = "noquote")]
        quote: bool,
        /// Show values as they are (the default).
        #[arg(long, overrides_with = "quote")]
        noquote: bool,
    },
    /// Show column names or not.
    #[command(name = ".headers", alias = ".header")]
    Headers {
        #[arg(value_parser = on_off, allow_hyphen_values = true)]
        state: OnOff,
    },
    /// Text shown for NULL.
    #[command(name = ".nullvalue")]
    Nullvalue { text: String },
    /// Column separator (and row separator) for list, tabs, ascii, quote, tcl (and csv).
    #[command(name = ".separator")]
    Separator { sep: String, row: Option<String> },
    /// Print how long each statement took.
    #[command(name = ".timer")]
    Timer {
        #[arg(value_parser = on_off, allow_hyphen_values = true)]
        state: OnOff,
    },
    /// Print the number of rows changed by each statement.
    #[command(name = ".changes")]
    Changes {
        #[arg(value_parser = on_off, allow_hyphen_values = true)]
        state: OnOff,
    },
    /// Send output to FILE ('|COMMAND': into a command), or back to stdout without an
    /// argument.
    #[command(name = ".output")]
    Output {
        file: Option<String>,
        /// The rest of a '|COMMAND'.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
    /// Send the output of the next command only to FILE ('|COMMAND': into a command).
    #[command(name = ".once")]
    Once {
        file: String,
        /// The rest of a '|COMMAND'.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
    /// Stop at the first error.
    #[command(name = ".bail")]
    Bail {
        #[arg(value_parser = on_off, allow_hyphen_values = true)]
        state: OnOff,
    },
    /// Print each statement before running it.
    #[command(name = ".echo")]
    Echo {
        #[arg(value_parser = on_off, allow_hyphen_values = true)]
        state: OnOff,
    },
    /// Close this database and open another (a file; or any target, like .connect).
    #[command(name = ".open")]
    Open {
        target: Option<String>,
        /// Start FILE as an empty database (an existing file is deleted first).
        #[arg(long)]
        new: bool,
    },
    /// Connect to another database: a file, libsql://, https://, wss://, ...
    #[command(name = ".connect")]
    Connect { target: String },
    /// Show the current settings.
    #[command(name = ".show")]
    Show,
    /// Print text.
    #[command(name = ".print")]
    Print {
        #[arg(allow_hyphen_values = true)]
        text: Vec<String>,
    },
    /// Manage statement parameters: set NAME VALUE | unset NAME | list | clear | init.
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
    /// List names and files of attached databases.
    #[command(name = ".databases")]
    Databases,
    /// Show each statement's query plan before its results: on|off (full and trigger: on).
    #[command(name = ".eqp")]
    Eqp {
        #[arg(value_name = "on|off|full|trigger", allow_hyphen_values = true)]
        state: String,
    },
    /// Set minimum column widths for column and qbox output (negative: right-aligned).
    #[command(name = ".width")]
    Width {
        #[arg(allow_negative_numbers = true)]
        widths: Vec<i32>,
    },
    /// Replace the standard prompts.
    #[command(name = ".prompt")]
    Prompt {
        main: String,
        #[arg(value_name = "CONTINUE")]
        cont: Option<String>,
    },
    /// Run CMD ARGS... in a system shell.
    #[command(name = ".shell")]
    Shell {
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        cmd: Vec<String>,
    },
    /// Run CMD ARGS... in a system shell.
    #[command(name = ".system")]
    System {
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        cmd: Vec<String>,
    },
    /// Change the working directory to DIRECTORY.
    #[command(name = ".cd")]
    Cd { directory: String },
    /// Show the schema and the content of the sqlite_stat tables.
    #[command(name = ".fullschema")]
    Fullschema {
        /// Accepted for sqlite3 compatibility: statements are shown as stored.
        #[arg(long)]
        indent: bool,
    },
    /// Show status information about the database.
    #[command(name = ".dbinfo")]
    Dbinfo { db: Option<String> },
    /// Compute a SHA3 hash of database content: --schema, --sha3-224 (the default),
    /// --sha3-256, --sha3-384, --sha3-512, --debug; a LIKE pattern hashes each table apart.
    #[command(name = ".sha3sum")]
    Sha3sum {
        #[arg(allow_hyphen_values = true, trailing_var_arg = true)]
        options: Vec<String>,
    },
    /// Display or change the value of an SQLITE_LIMIT (local databases).
    #[command(name = ".limit")]
    Limit {
        limit: Option<String>,
        value: Option<i64>,
    },
    /// Report potential schema issues: fkey-indexes (foreign keys without an index).
    #[command(name = ".lint")]
    Lint {
        #[arg(value_parser = ["fkey-indexes"])]
        check: String,
        /// Also say which foreign keys are covered.
        #[arg(long)]
        verbose: bool,
        /// Group by parent table.
        #[arg(long)]
        groupbyparent: bool,
    },
    /// Load an extension library (local databases).
    #[command(name = ".load")]
    Load { file: String, entry: Option<String> },
    /// Write the database to FILE (an alias for .backup).
    #[command(name = ".save")]
    Save { file: String },
    /// Back up DB (default "main") to FILE; a remote database is copied into a local file.
    #[command(name = ".backup")]
    Backup {
        #[arg(value_name = "DB")]
        first: String,
        #[arg(value_name = "FILE")]
        second: Option<String>,
    },
    /// Restore the content of DB (default "main") from FILE (local databases).
    #[command(name = ".restore")]
    Restore {
        #[arg(value_name = "DB")]
        first: String,
        #[arg(value_name = "FILE")]
        second: Option<String>,
    },
    /// Clone the schema and data into a new database file NEWDB.
    #[command(name = ".clone")]
    Clone { newdb: String },
    /// End output lines with CR LF, or not.
    #[command(name = ".crlf")]
    Crlf {
        #[arg(value_parser = on_off, allow_hyphen_values = true)]
        state: Option<OnOff>,
    },
    /// Write each statement before it runs to FILE, stdout or stderr; off stops.
    #[command(name = ".trace")]
    Trace { target: Option<String> },
    /// Print the name of the VFS stack (local databases).
    #[command(name = ".vfsname")]
    Vfsname { aux: Option<String> },
    /// Begin redirecting output to 'testcase-out.txt'.
    #[command(name = ".testcase")]
    Testcase { name: String },
    /// Fail if the output since .testcase does not match GLOB.
    #[command(name = ".check")]
    Check { glob: String },
    /// Show the output of the next command in a spreadsheet (CSV, opened with xdg-open).
    #[command(name = ".excel")]
    Excel,
    /// Show the output of the next command in a web browser (HTML, opened with xdg-open).
    #[command(name = ".www")]
    Www,
    /// Show the SQLite version of the database and the version of libsql-shell.
    #[command(name = ".version")]
    Version,
}

#[derive(Debug, Subcommand)]
pub enum ParamAction {
    /// Bind NAME (e.g. :id, @id, $id) to VALUE (an SQL expression, else text) for the
    /// following statements.
    Set {
        #[arg(allow_hyphen_values = true)]
        name: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Remove one parameter.
    Unset { name: String },
    /// List parameters.
    List,
    /// Remove all parameters.
    Clear,
    /// Accepted for sqlite3 compatibility (there is no table of parameters to create).
    Init,
}

/// Split a dot-command line into arguments the way sqlite3 3.40 does: whitespace separates;
/// `"..."` and `'...'` quote (no doubling: `'it''s'` is two arguments); a quote left open
/// runs to the end of the line; inside `"..."` a backslash keeps the next character from
/// closing it. C escapes ([`resolve_backslashes`]) are resolved in unquoted and `"..."`
/// arguments, never in `'...'` ones.
pub fn split_args(line: &str) -> Vec<String> {
    let b = line.trim().as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() || b[i] == 0x0b {
            i += 1;
            continue;
        }
        let delim = b[i];
        if delim == b'"' || delim == b'\'' {
            i += 1;
            let start = i;
            while i < b.len() && b[i] != delim {
                if b[i] == b'\\' && delim == b'"' && i + 1 < b.len() {
                    i += 1;
                }
                i += 1;
            }
            let arg = &b[start..i.min(b.len())];
            i += 1;
            out.push(if delim == b'"' {
                resolve_backslashes(arg)
            } else {
                String::from_utf8_lossy(arg).into_owned()
            });
        } else {
            let start = i;
            while i < b.len() && !(b[i].is_ascii_whitespace() || b[i] == 0x0b) {
                i += 1;
            }
            out.push(resolve_backslashes(&b[start..i]));
        }
    }
    out
}

/// sqlite3's `resolve_backslashes`: `\a \b \t \n \v \f \r \" \' \\` and up to three octal
/// digits become the byte they name, a backslash before any other character is dropped, one
/// at the very end is kept; a NUL byte ends the argument (it is a C string). Bytes that are
/// not UTF-8 become U+FFFD.
pub fn resolve_backslashes(arg: &[u8]) -> String {
    let mut out = Vec::with_capacity(arg.len());
    let mut i = 0;
    while i < arg.len() {
        let mut c = arg[i];
        if c == b'\\' && i + 1 < arg.len() {
            i += 1;
            c = match arg[i] {
                b'a' => 0x07,
                b'b' => 0x08,
                b't' => b'\t',
                b'n' => b'\n',
                b'v' => 0x0b,
                b'f' => 0x0c,
                b'r' => b'\r',
                d @ b'0'..=b'7' => {
                    let mut v = d - b'0';
                    for _ in 0..2 {
                        match arg.get(i + 1) {
                            Some(n @ b'0'..=b'7') => {
                                v = (v << 3).wrapping_add(n - b'0');
                                i += 1;
                            }
                            _ => break,
                        }
                    }
                    v
                }
                other => other,
            };
        }
        if c == 0 {
            break;
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Commands whose options sqlite3 also spells with one dash (`-ww`, `-verbose`).
const ONE_DASH_OPTIONS: &[&str] = &[".mode", ".lint", ".fullschema"];

/// Parse one dot-command line.
pub fn parse(line: &str) -> Result<Dot, String> {
    let mut args = split_args(line);
    if args.first().is_some_and(|c| c == ".sha3sum") {
        // Its arguments are read as sqlite3 reads them ("--" and "--help" included).
        return Ok(Dot::Sha3sum {
            options: args.split_off(1),
        });
    }
    if args
        .first()
        .is_some_and(|c| ONE_DASH_OPTIONS.contains(&c.as_str()))
    {
        for a in args.iter_mut().skip(1) {
            if a.len() > 2 && a.starts_with('-') && !a.starts_with("--") {
                a.insert(0, '-');
            }
        }
    }
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
        assert_eq!(split_args(".mode csv"), vec![".mode", "csv"]);
        assert_eq!(
            split_args(".print 'it''s' \"a\\tb\" x 'c\\td' e\\tf"),
            vec![".print", "it", "s", "a\tb", "x", "c\\td", "e\tf"]
        );
        assert_eq!(split_args(".print 'open"), vec![".print", "open"]);
        assert_eq!(
            split_args(r#".print "a\"b" "a b"c a"b c""#),
            vec![".print", "a\"b", "a b", "c", "a\"b", "c\""]
        );
        assert_eq!(
            split_args(r".print \101\7x \x41 \q \\ end\ a\0b"),
            vec![".print", "A\x07x", "x41", "q", "\\", "end\\", "a"]
        );
    }

    #[test]
    fn booleans_as_sqlite3_reads_them() {
        for (arg, want) in [
            ("on", Some(true)),
            ("YES", Some(true)),
            ("Off", Some(false)),
            ("no", Some(false)),
            ("2", Some(true)),
            ("00", Some(false)),
            ("0x10", Some(true)),
            ("0x", Some(false)),
            ("4294967296", Some(false)),
            ("true", None),
            ("-1", None),
            ("0X1", None),
            ("1abc", None),
            ("", None),
        ] {
            assert_eq!(boolean_value(arg), want, "{arg}");
        }
        assert!(matches!(
            parse(".headers maybe").unwrap(),
            Dot::Headers { state } if !state.is_on() && state.warning().is_some()
        ));
        assert!(matches!(
            parse(".param set :g -5").unwrap(),
            Dot::Parameter { action: ParamAction::Set { value, .. } } if value == "-5"
        ));
    }

    #[test]
    fn parses_commands() {
        assert!(matches!(
            parse(".mode csv").unwrap(),
            Dot::Mode {
                mode: Some(Format::Csv),
                table: None,
                ..
            }
        ));
        assert!(matches!(
            parse(".headers on").unwrap(),
            Dot::Headers { state } if state.is_on()
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
        assert!(matches!(
            parse(".mode column -ww --wrap 10 --quote").unwrap(),
            Dot::Mode {
                mode: Some(Format::Column),
                wrap: Some(10),
                ww: true,
                quote: true,
                ..
            }
        ));
        assert!(matches!(
            parse(".width 5 -3 0").unwrap(),
            Dot::Width { widths } if widths == [5, -3, 0]
        ));
        assert!(matches!(
            parse(".shell ls -la").unwrap(),
            Dot::Shell { cmd } if cmd == ["ls", "-la"]
        ));
        assert!(matches!(
            parse(".sha3sum -- --help x").unwrap(),
            Dot::Sha3sum { options } if options == ["--", "--help", "x"]
        ));
        assert!(matches!(
            parse(".lint fkey-indexes -groupbyparent").unwrap(),
            Dot::Lint {
                groupbyparent: true,
                ..
            }
        ));
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
            let _ = resolve_backslashes(line.as_bytes());
        });
    }
}
