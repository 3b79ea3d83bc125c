//! `generate` (hidden): write the shell completions and man pages from the clap definition.
//! Their output is committed under `completions/` and `man/`; `tests/it/generated.rs`
//! regenerates both and fails when the committed files are stale.
//!
//! ```sh
//! cargo run -- generate completions --out completions
//! cargo run -- generate man --out man
//! ```

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, Subcommand};
use clap_complete::Shell;
use clap_mangen::roff::{bold, italic, roman, Inline, Roff};
use clap_mangen::Man;

use crate::cli::Cli;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub what: GenerateCommand,
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Shell completion scripts: bash, zsh, fish, PowerShell and elvish.
    Completions {
        /// Directory to write into (created if missing).
        #[arg(long, value_name = "DIR", default_value = "completions")]
        out: PathBuf,
    },
    /// Man pages: libsql-shell.1 and one page per subcommand.
    Man {
        /// Directory to write into (created if missing).
        #[arg(long, value_name = "DIR", default_value = "man")]
        out: PathBuf,
    },
}

pub fn run(args: GenerateArgs) -> Result<ExitCode> {
    let (out, files) = match args.what {
        GenerateCommand::Completions { out } => {
            let files = completions(&out)?;
            (out, files)
        }
        GenerateCommand::Man { out } => {
            let files = man_pages(&out)?;
            (out, files)
        }
    };
    let mut stdout = std::io::stdout().lock();
    for f in files {
        writeln!(stdout, "{}", out.join(f).display())?;
    }
    Ok(ExitCode::SUCCESS)
}

const BIN: &str = "libsql-shell";

/// The shells we ship completions for.
pub const SHELLS: &[Shell] = &[
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// Write one completion script per shell into `dir`; returns the file names.
pub fn completions(dir: &Path) -> Result<Vec<String>> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut names = Vec::new();
    for shell in SHELLS {
        let mut cmd = Cli::command();
        let path = clap_complete::generate_to(*shell, &mut cmd, BIN, dir)
            .with_context(|| format!("cannot write {shell} completions into {}", dir.display()))?;
        names.push(file_name(&path));
    }
    Ok(names)
}

/// Write `libsql-shell.1` and a page per (visible) subcommand into `dir`; returns the names.
pub fn man_pages(dir: &Path) -> Result<Vec<String>> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut names = Vec::new();
    let mut page = |cmd: &clap::Command, extra: &Roff| -> Result<()> {
        let man = Man::new(cmd.clone());
        let name = man.get_filename();
        let path = dir.join(&name);
        let mut buf = Vec::new();
        render(cmd, &man, extra, &mut buf)?;
        fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
        names.push(name);
        Ok(())
    };
    let subpages = visible_subcommands(&root);
    page(&root, &root_sections(&subpages))?;
    for sub in root.get_subcommands().filter(|c| !c.is_hide_set()) {
        sub_pages(sub, &mut page)?;
    }
    Ok(names)
}

/// A subcommand's page, then its own subcommands' pages.
fn sub_pages(
    cmd: &clap::Command,
    page: &mut dyn FnMut(&clap::Command, &Roff) -> Result<()>,
) -> Result<()> {
    let mut see_also = Roff::new();
    see_also.control("SH", ["SEE ALSO"]);
    see_also.text([
        bold(BIN),
        roman("(1) for the target forms, named connections, environment and exit status."),
    ]);
    page(cmd, &see_also)?;
    for sub in cmd.get_subcommands().filter(|c| !c.is_hide_set()) {
        sub_pages(sub, page)?;
    }
    Ok(())
}

/// The page names (`libsql-shell-exec`, ...) of every visible subcommand, depth first.
fn visible_subcommands(cmd: &clap::Command) -> Vec<String> {
    let mut out = Vec::new();
    for sub in cmd.get_subcommands().filter(|c| !c.is_hide_set()) {
        out.push(sub.get_display_name().unwrap_or(sub.get_name()).to_string());
        out.extend(visible_subcommands(sub));
    }
    out
}

/// clap_mangen's sections (each only when `cmd` has something for it, as `Man::render`
/// does), then ours, then the version.
fn render(cmd: &clap::Command, man: &Man, extra: &Roff, w: &mut dyn Write) -> std::io::Result<()> {
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(w)?;
    }
    if cmd.get_subcommands().any(|c| !c.is_hide_set()) {
        man.render_subcommands_section(w)?;
    }
    extra.to_writer(w)?;
    if cmd.get_version().is_some() {
        man.render_version_section(w)?;
    }
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A `.TP` list item: a bold tag and its description.
fn item(roff: &mut Roff, tag: impl Into<Vec<Inline>>, text: &str) {
    roff.control("TP", []);
    roff.text(tag);
    roff.text([roman(text)]);
}

fn para(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text([roman(text)]);
}

/// Example lines shown verbatim.
fn example(roff: &mut Roff, lines: &[&str]) {
    roff.control("PP", []);
    roff.control("nf", []);
    roff.control("RS", ["4"]);
    for l in lines {
        roff.text([roman(*l)]);
    }
    roff.control("RE", []);
    roff.control("fi", []);
}

/// TARGETS, NAMED CONNECTIONS, ENVIRONMENT, FILES, EXIT STATUS and SEE ALSO of the main page.
fn root_sections(subpages: &[String]) -> Roff {
    let mut r = Roff::new();
    r.control("SH", ["TARGETS"]);
    para(
        &mut r,
        "DB is a local SQLite file, a remote libSQL database, or @NAME (a named connection). \
         Without DB, $LIBSQL_URL, then $TURSO_DATABASE_URL are used; without any of them the \
         shell opens an in-memory database.",
    );
    let forms: &[(&str, &str)] = &[
        ("libsql://HOST", "Hrana over HTTPS (Turso: libsql://my-db-org.turso.io)."),
        (
            "libsql://HOST:PORT?tls=0",
            "Hrana over plain HTTP; the port is required (a local sqld: libsql://127.0.0.1:8080?tls=0).",
        ),
        ("https://HOST[:PORT], http://HOST[:PORT]", "Hrana over HTTP."),
        ("wss://HOST, ws://HOST:PORT", "Hrana over WebSocket."),
        ("my-db-org.turso.io", "A bare host name: Hrana over HTTPS."),
        (
            "dev.db, ./data, /abs/path.sqlite, file:x.db?mode=ro, :memory:",
            "A local SQLite file (created if missing).",
        ),
        ("@NAME", "The url (and token) of [databases.NAME] in the config file."),
    ];
    for (tag, text) in forms {
        item(&mut r, [bold(*tag)], text);
    }
    para(
        &mut r,
        "Between a bare host name and a relative file name: :memory:, file: URIs and anything \
         given with --local are local; scheme://... is remote (libsql, https, http, wss, ws; \
         other schemes are errors); a name that exists on disk is local; a bare name is remote \
         only if it has no path separator and is a DNS name with at least three labels, or is \
         localhost, or ends in :PORT, or --remote is given; names ending in .db, .sqlite, \
         .sqlite3, .db3, .s3db or .sl3 are always local; everything else is a local file. \
         A file whose name starts with @ is written ./@name.",
    );

    r.control("SH", ["NAMED CONNECTIONS"]);
    para(
        &mut r,
        "The config file (see FILES) names databases, so that neither URL nor token has to be \
         typed (or kept in shell history):",
    );
    example(
        &mut r,
        &[
            "[databases.prod]",
            "url = \"libsql://prod-org.turso.io\"",
            "auth_token_env = \"PROD_TOKEN\"",
            "",
            "[databases.dev]",
            "url = \"libsql://127.0.0.1:8080?tls=0\"",
            "auth_token = \"...\"",
        ],
    );
    para(
        &mut r,
        "libsql-shell @prod, and every subcommand's DB argument (exec @prod, migrate up @prod, \
         ...), use the entry. An inline auth_token is accepted only when the file is not \
         readable by group or others (chmod 600); otherwise the command is refused. \
         libsql-shell config list shows the entries with tokens redacted; libsql-shell config \
         path prints the file's path.",
    );
    para(
        &mut r,
        "Precedence: the database is the DB argument, else $LIBSQL_URL, else \
         $TURSO_DATABASE_URL (any of which may be @NAME). The token is --auth-token, else \
         $LIBSQL_AUTH_TOKEN, else $TURSO_AUTH_TOKEN, else the entry's auth_token_env or \
         auth_token. The config file is --config, else $LIBSQL_SHELL_CONFIG, else the default \
         path.",
    );

    r.control("SH", ["ENVIRONMENT"]);
    let vars: &[(&str, &str)] = &[
        ("LIBSQL_URL", "The database when DB is not given."),
        (
            "TURSO_DATABASE_URL",
            "The database when neither DB nor LIBSQL_URL is given.",
        ),
        (
            "LIBSQL_AUTH_TOKEN",
            "The auth token when --auth-token is not given.",
        ),
        (
            "TURSO_AUTH_TOKEN",
            "The auth token when neither --auth-token nor LIBSQL_AUTH_TOKEN is given.",
        ),
        (
            "LIBSQL_SHELL_CONFIG",
            "The config file of named connections (--config wins).",
        ),
        (
            "LIBSQL_SHELL_HISTORY",
            "The interactive shell's history file.",
        ),
        (
            "NO_COLOR",
            "When set and not empty, no colour under --color auto.",
        ),
        (
            "SSL_CERT_FILE",
            "A PEM file of certificates trusted for TLS (https://, wss://) besides Mozilla's roots.",
        ),
    ];
    for (var, text) in vars {
        item(&mut r, [bold(*var)], text);
    }

    r.control("SH", ["FILES"]);
    item(
        &mut r,
        [italic("<config dir>"), roman("/libsql-shell/config.toml")],
        "Named connections (~/.config on Linux, ~/Library/Application Support on macOS, \
         %APPDATA% on Windows).",
    );
    item(
        &mut r,
        [italic("<data dir>"), roman("/libsql-shell/history")],
        "The interactive shell's history (mode 0600).",
    );

    r.control("SH", ["EXIT STATUS"]);
    let codes: &[(&str, &str)] = &[
        (
            "0",
            "Success (a closed output pipe, as in | head, is not an error).",
        ),
        ("1", "An SQL statement failed, or another runtime failure."),
        (
            "2",
            "A usage error, a connection or authentication failure, a file that cannot be \
             opened, or a bad config file or unknown @NAME.",
        ),
    ];
    for (code, text) in codes {
        item(&mut r, [bold(*code)], text);
    }
    para(
        &mut r,
        "Errors go to stderr as one line: libsql-shell: error: ...",
    );

    r.control("SH", ["SEE ALSO"]);
    let mut refs = Vec::new();
    for (i, name) in subpages.iter().enumerate() {
        if i > 0 {
            refs.push(roman(", "));
        }
        refs.push(bold(name.as_str()));
        refs.push(roman("(1)"));
    }
    r.text(refs);
    r
}
