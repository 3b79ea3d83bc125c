//! `--color auto|always|never`: whether stderr's `libsql-shell: error:` prefix is coloured.
//!
//! `auto` colours only when stderr is a terminal and `NO_COLOR` is unset or empty
//! (<https://no-color.org>); `always` and `never` are the user's explicit word and win over
//! both. The choice is made once in `main` ([`init`]) and read by `crate::error`'s printers.
//! With colour off the text is exactly the plain text, byte for byte.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;

/// The `--color` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    /// Colour when stderr is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Colour even when stderr is not a terminal (NO_COLOR is ignored).
    Always,
    /// Never colour.
    Never,
}

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Decide: pure, so every rule is unit-tested.
pub fn enabled(when: ColorWhen, no_color: Option<&str>, stderr_is_tty: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => stderr_is_tty && no_color.is_none_or(str::is_empty),
    }
}

/// Make the process-wide choice from the flag, `NO_COLOR` and stderr.
pub fn init(when: ColorWhen) {
    let no_color = std::env::var("NO_COLOR").ok();
    let on = enabled(when, no_color.as_deref(), std::io::stderr().is_terminal());
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether stderr is coloured.
pub fn is_enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

const ERROR: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)))
    .bold();

/// Print `libsql-shell: error: MESSAGE` to stderr, the prefix in red when colour is on.
pub fn eprint_error(message: &str) {
    if is_enabled() {
        // anstream turns the ANSI codes into console calls where a terminal needs that.
        let mut err = anstream::AutoStream::always(std::io::stderr().lock());
        let _ = writeln!(err, "{ERROR}libsql-shell: error:{ERROR:#} {message}");
    } else {
        eprintln!("libsql-shell: error: {message}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice() {
        use ColorWhen::*;
        assert!(enabled(Auto, None, true));
        assert!(enabled(Auto, Some(""), true));
        assert!(!enabled(Auto, Some("1"), true));
        assert!(!enabled(Auto, None, false));
        assert!(enabled(Always, Some("1"), false));
        assert!(!enabled(Never, None, true));
    }
}
