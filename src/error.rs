//! Error kinds that decide the exit status, and the one place errors are printed.
//!
//! Exit status: 0 success; 1 an SQL statement or runtime failure; 2 usage, connection or
//! authentication failure. A closed stdout (`| head`) is not an error.

use std::io;

use crate::config::ConfigError;
use crate::target::TargetError;
use crate::transport::TransportError;

/// A mistake in how the command was invoked (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The connection failed, and the message says what that means for the data (exit 2, as
/// for every connection failure).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectionFailed(pub String);

/// Statement failures were already reported one by one; the command fails with exit 1.
#[derive(Debug, thiserror::Error)]
#[error("{0} statement(s) failed")]
pub struct StatementsFailed(pub usize);

pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// Map an error to the documented exit status.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.is::<UsageError>()
            || cause.is::<TargetError>()
            || cause.is::<TransportError>()
            || cause.is::<ConnectionFailed>()
            || cause.is::<ConfigError>()
        {
            return 2;
        }
        if cause.is::<clap::Error>() {
            return 2;
        }
    }
    1
}

/// Whether the error is just a closed output pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Print an error to stderr as one line: `libsql-shell: error: outer: inner: ...` (the
/// prefix in red under `--color`, see `crate::color`).
pub fn print_error(err: &anyhow::Error) {
    if err.chain().any(|c| c.is::<StatementsFailed>()) {
        // The individual statement errors have been printed already.
        return;
    }
    crate::color::eprint_error(&one_line(err));
}

/// An error and its causes on one line, without repeating a cause already in the message.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let s = cause.to_string();
        if out.contains(&s) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&s);
    }
    out
}

/// Print a non-fatal error (a failed statement under `--keep-going`, say).
pub fn print_message(msg: &str) {
    crate::color::eprint_error(msg);
}

/// Print a note on stderr: something the user should know that is not an error (a dump
/// that left the vector index to rebuild itself, an adopted migration table...).
pub fn print_note(msg: &str) {
    eprintln!("libsql-shell: note: {msg}");
}
