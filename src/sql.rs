//! SQL text handling: splitting a script into single statements with SQLite's own
//! `sqlite3_complete` (so strings, quoted identifiers, comments and trigger bodies never
//! split), remembering where each statement started; and a small classifier of statements
//! by their leading keywords, used to decide what a transaction needs to send.

use std::ffi::CString;

/// One statement cut from a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub sql: String,
    /// 1-based line where the statement's first token is.
    pub line: usize,
}

/// Does SQLite consider this text a complete statement (ends with `;` outside any string,
/// comment or trigger body)?
pub fn is_complete(sql: &str) -> bool {
    let c = match CString::new(sql) {
        Ok(c) => c,
        // Text with NUL bytes cannot be passed to SQLite; treat it as complete so the
        // statement is prepared and rejected with SQLite's own message.
        Err(_) => return true,
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 }
}

/// The error SQLite's parser reports for `sql`, if it cannot parse it (a syntax error, an
/// unrecognized token, incomplete input); `None` when it parses, whatever else may be wrong
/// with it (a missing table is not a parse error). Checked by preparing it on an empty
/// in-memory database of this thread.
///
/// Hrana servers parse every statement of a batch before running any, so one statement that
/// does not parse fails the whole batch; the session uses this to send only the statements
/// before it, as a local database would have run them.
pub fn syntax_error(sql: &str) -> Option<String> {
    let message = match prepared(sql, |_| ())? {
        Ok(()) => return None,
        Err(rusqlite::Error::SqlInputError { msg, .. }) => msg,
        Err(rusqlite::Error::SqliteFailure(_, Some(msg))) => msg,
        Err(_) => return None,
    };
    // SQLite's parser says `near "X": syntax error`, `unrecognized token: "X"` or
    // `incomplete input`; a message that merely contains those words (a table named so) is
    // not one of them.
    let parse = (message.starts_with("near \"") && message.ends_with("\": syntax error"))
        || message.starts_with("unrecognized token: ")
        || message == "incomplete input";
    parse.then_some(message)
}

/// How many columns `sql` returns, by SQLite's own reckoning on an empty in-memory
/// database; `None` when it cannot be prepared there (it names a table of the user's).
pub fn column_count(sql: &str) -> Option<usize> {
    prepared(sql, |st| st.column_count())?.ok()
}

/// `f` of `sql` prepared on this thread's empty in-memory database (`None` for text with a
/// NUL byte, or if there is no such database).
fn prepared<T>(
    sql: &str,
    f: impl FnOnce(&rusqlite::Statement<'_>) -> T,
) -> Option<Result<T, rusqlite::Error>> {
    thread_local! {
        static PARSER: Option<rusqlite::Connection> = rusqlite::Connection::open_in_memory().ok();
    }
    if sql.contains('\0') {
        return None;
    }
    PARSER.with(|c| Some(c.as_ref()?.prepare(sql).map(|st| f(&st))))
}

/// Incremental splitter: feed text (whole scripts or line by line) and take out complete
/// statements as soon as they end, so a script of any size is split in bounded memory.
#[derive(Debug, Default)]
pub struct Splitter {
    buf: String,
    /// Line number of the first character of `buf`.
    buf_line: usize,
    /// Bytes of `buf` already known not to end a statement (scan resumes after them).
    scanned: usize,
}

impl Splitter {
    pub fn new() -> Self {
        Splitter {
            buf: String::new(),
            buf_line: 1,
            scanned: 0,
        }
    }

    /// Add text and return every statement it completes.
    pub fn push(&mut self, text: &str) -> Vec<Piece> {
        self.buf.push_str(text);
        let mut out = Vec::new();
        let mut start = 0;
        while let Some(rel) = self.buf[self.scanned..].find(';') {
            let end = self.scanned + rel + 1;
            if is_complete(&self.buf[start..end]) {
                let stmt = &self.buf[start..end];
                if let Some(p) = self.make_piece(stmt) {
                    out.push(p);
                }
                self.buf_line += stmt.matches('\n').count();
                start = end;
            }
            self.scanned = end;
        }
        self.buf.drain(..start);
        self.scanned = self.buf.len();
        out
    }

    /// Whether text is waiting for a statement to complete (for a continuation prompt).
    pub fn has_pending(&self) -> bool {
        !is_blank(&self.buf)
    }

    /// Bytes of text waiting for a statement to complete.
    pub fn pending_len(&self) -> usize {
        self.buf.len()
    }

    /// Discard the pending text (Ctrl-C in the REPL).
    pub fn clear(&mut self) {
        self.buf_line += self.buf.matches('\n').count();
        self.buf.clear();
        self.scanned = 0;
    }

    /// End of input: whatever remains is the last statement (as `sqlite3` does, a final
    /// statement without `;` still runs), unless it is only whitespace and comments.
    pub fn finish(&mut self) -> Option<Piece> {
        let rest = std::mem::take(&mut self.buf);
        let p = self.make_piece(&rest);
        self.clear();
        p
    }

    fn make_piece(&self, stmt: &str) -> Option<Piece> {
        if is_blank(stmt) {
            return None;
        }
        let lead = leading_trivia_len(stmt);
        let line = self.buf_line + stmt[..lead].matches('\n').count();
        Some(Piece {
            sql: stmt[lead..].trim_end().to_string(),
            line,
        })
    }
}

/// Split a whole script into statements.
pub fn split(text: &str) -> Vec<Piece> {
    let mut s = Splitter::new();
    let mut out = s.push(text);
    out.extend(s.finish());
    out
}

/// Length of the whitespace and comments at the start of `sql`.
fn leading_trivia_len(sql: &str) -> usize {
    let b = sql.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i..].starts_with(b"--") {
            match sql[i..].find('\n') {
                Some(n) => i += n + 1,
                None => return b.len(),
            }
        } else if b[i..].starts_with(b"/*") {
            match sql[i + 2..].find("*/") {
                Some(n) => i += n + 4,
                None => return b.len(),
            }
        } else {
            return i;
        }
    }
}

/// Only whitespace, comments and semicolons: nothing to run.
pub fn is_blank(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        let n = leading_trivia_len(rest);
        rest = &rest[n..];
        match rest.strip_prefix(';') {
            Some(r) => rest = r,
            None => return rest.is_empty(),
        }
    }
}

/// The first `n` keywords/identifiers of a statement, upper-cased, skipping comments.
/// Strings and quoted identifiers count as one opaque token (`"`).
pub fn leading_words(sql: &str, n: usize) -> Vec<String> {
    words(sql).take(n).collect()
}

/// Iterate over the bare words of a statement (upper-cased); quoted tokens yield `"`.
fn words(sql: &str) -> impl Iterator<Item = String> + '_ {
    let b = sql.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || loop {
        i += leading_trivia_len(&sql[i..]);
        if i >= b.len() {
            return None;
        }
        let c = b[i];
        if c == b'\'' || c == b'"' || c == b'`' || c == b'[' {
            let close = if c == b'[' { b']' } else { c };
            i += 1;
            while i < b.len() {
                if b[i] == close {
                    if i + 1 < b.len() && b[i + 1] == close && close != b']' {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            // Past the closing quote; an unterminated quote ends the text.
            i = (i + 1).min(b.len());
            return Some("\"".to_string());
        }
        if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            return Some(sql[start..i].to_ascii_uppercase());
        }
        i += 1;
        // Punctuation is skipped; keep looking for the next word.
    })
}

/// What a statement does, as far as transactions and buffering care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StmtKind {
    /// `BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION]`; the mode word if any.
    Begin(Option<String>),
    Commit,
    Rollback,
    Savepoint(String),
    Release(String),
    RollbackTo(String),
    /// Returns rows or reads connection state: its result is needed now.
    Read,
    /// Changes the database and returns nothing the user needs immediately.
    Write,
}

/// Classify a single statement by its keywords.
pub fn classify(sql: &str) -> StmtKind {
    let w: Vec<String> = words(sql).take(6).collect();
    let first = w.first().map(String::as_str).unwrap_or("");
    let second = w.get(1).map(String::as_str);
    match first {
        "BEGIN" => {
            let mode = second.filter(|m| matches!(*m, "DEFERRED" | "IMMEDIATE" | "EXCLUSIVE"));
            StmtKind::Begin(mode.map(str::to_string))
        }
        "COMMIT" | "END" => StmtKind::Commit,
        "ROLLBACK" => {
            // ROLLBACK [TRANSACTION] [TO [SAVEPOINT] name]
            let rest: Vec<&str> = w
                .iter()
                .skip(1)
                .map(String::as_str)
                .filter(|s| *s != "TRANSACTION")
                .collect();
            if rest.first() == Some(&"TO") {
                let name = rest
                    .iter()
                    .skip(1)
                    .find(|s| **s != "SAVEPOINT")
                    .copied()
                    .unwrap_or("");
                StmtKind::RollbackTo(name.to_string())
            } else {
                StmtKind::Rollback
            }
        }
        "SAVEPOINT" => StmtKind::Savepoint(second.unwrap_or("").to_string()),
        "RELEASE" => {
            let name = w
                .iter()
                .skip(1)
                .find(|s| *s != "SAVEPOINT")
                .cloned()
                .unwrap_or_default();
            StmtKind::Release(name)
        }
        "SELECT" | "VALUES" | "PRAGMA" | "EXPLAIN" => StmtKind::Read,
        "WITH" | "INSERT" | "UPDATE" | "DELETE" | "REPLACE" => {
            let mut all = words(sql);
            if all.any(|x| x == "RETURNING") || (first == "WITH" && !has_dml(sql)) {
                StmtKind::Read
            } else {
                StmtKind::Write
            }
        }
        _ => StmtKind::Write,
    }
}

fn has_dml(sql: &str) -> bool {
    words(sql).any(|x| matches!(x.as_str(), "INSERT" | "UPDATE" | "DELETE" | "REPLACE"))
}

/// `BEGIN` or `BEGIN TRANSACTION` with no explicit mode.
pub fn is_plain_begin(sql: &str) -> bool {
    matches!(classify(sql), StmtKind::Begin(None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqls(text: &str) -> Vec<(String, usize)> {
        split(text).into_iter().map(|p| (p.sql, p.line)).collect()
    }

    #[test]
    fn splits_on_semicolons_only_outside_strings_comments_and_triggers() {
        let text = "select 'a;b';\n-- c; d\nselect \"x;y\" /* ; */ ;\n\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  insert into u values (1);\n  delete from u;\nEND;\nselect 3";
        let got = sqls(text);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], ("select 'a;b';".to_string(), 1));
        assert_eq!(got[1], ("select \"x;y\" /* ; */ ;".to_string(), 3));
        assert!(got[2].0.starts_with("CREATE TRIGGER") && got[2].0.ends_with("END;"));
        assert_eq!(got[2].1, 5);
        assert_eq!(got[3], ("select 3".to_string(), 9));
    }

    #[test]
    fn blank_pieces_are_dropped() {
        assert_eq!(sqls(";;  -- only a comment\n;"), vec![]);
        assert_eq!(
            sqls("select 1; -- trailing"),
            vec![("select 1;".to_string(), 1)]
        );
        assert_eq!(
            sqls("select 1; select 2;"),
            vec![("select 1;".into(), 1), ("select 2;".into(), 1)]
        );
    }

    #[test]
    fn incremental_lines_give_the_same_pieces() {
        let text = "select 1;\ninsert into t values ('x\n;y');\nselect\n2;";
        let mut s = Splitter::new();
        let mut got = Vec::new();
        for line in text.split_inclusive('\n') {
            got.extend(s.push(line));
        }
        got.extend(s.finish());
        assert_eq!(got, split(text));
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].line, 4);
    }

    #[test]
    fn classifies() {
        assert_eq!(classify("begin"), StmtKind::Begin(None));
        assert_eq!(
            classify("BEGIN IMMEDIATE TRANSACTION;"),
            StmtKind::Begin(Some("IMMEDIATE".into()))
        );
        assert_eq!(classify("end transaction"), StmtKind::Commit);
        assert_eq!(classify("rollback"), StmtKind::Rollback);
        assert_eq!(
            classify("ROLLBACK TRANSACTION TO SAVEPOINT sp1"),
            StmtKind::RollbackTo("SP1".into())
        );
        assert_eq!(classify("savepoint a"), StmtKind::Savepoint("A".into()));
        assert_eq!(
            classify("release savepoint a"),
            StmtKind::Release("A".into())
        );
        assert_eq!(classify("/* c */ select 1"), StmtKind::Read);
        assert_eq!(
            classify("insert into t values(1) returning id"),
            StmtKind::Read
        );
        assert_eq!(
            classify("insert into t values('returning')"),
            StmtKind::Write
        );
        assert_eq!(
            classify("with x as (select 1) insert into t select * from x"),
            StmtKind::Write
        );
        assert_eq!(
            classify("with x as (select 1) select * from x"),
            StmtKind::Read
        );
        assert_eq!(classify("create table t(x)"), StmtKind::Write);
        assert!(is_plain_begin("BEGIN TRANSACTION"));
        assert!(!is_plain_begin("BEGIN EXCLUSIVE"));
    }

    #[test]
    fn parse_errors_are_told_from_other_errors() {
        assert_eq!(
            syntax_error("selec 3;").as_deref(),
            Some("near \"selec\": syntax error")
        );
        assert!(syntax_error("select 'x").is_some());
        assert!(syntax_error("select (1").is_some());
        assert_eq!(syntax_error("select * from no_such_table;"), None);
        assert_eq!(syntax_error("insert into t values (1, 'a;b');"), None);
        assert_eq!(syntax_error("select nosuchfunction(1)"), None);
        assert_eq!(syntax_error("select * from \"syntax error\""), None);
        assert_eq!(column_count("select 1, 2 from sqlite_schema"), Some(2));
        assert_eq!(column_count("select * from users_table"), None);
    }
}

/// The parameters a statement mentions: how many positional (`?`, `?NNN`) and which names
/// (`:name`, `@name`, `$name`, with their prefix). Strings, quoted identifiers and comments
/// are skipped, so text that merely looks like a parameter is not counted.
pub fn param_markers(sql: &str) -> (usize, Vec<String>) {
    let b = sql.as_bytes();
    let mut positional = 0usize;
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let n = leading_trivia_len(&sql[i..]);
        if n > 0 {
            i += n;
            continue;
        }
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() && b[i] != close {
                    i += 1;
                }
                i += 1;
            }
            b'?' => {
                i += 1;
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let num = sql[start..i].parse::<usize>().unwrap_or(positional + 1);
                positional = positional.max(num);
            }
            b':' | b'@' | b'$' => {
                let start = i;
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80)
                {
                    i += 1;
                }
                if i > start + 1 {
                    let name = sql[start..i].to_string();
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            // Whole characters, so the next slice starts on a character boundary.
            _ => i += sql[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    (positional, names)
}

#[cfg(test)]
mod param_tests {
    use super::param_markers;

    #[test]
    fn finds_markers_outside_strings() {
        assert_eq!(param_markers("select ?, ?"), (2, vec![]));
        assert_eq!(param_markers("select ?3"), (3, vec![]));
        assert_eq!(
            param_markers("select ':x', \"@y\", :z -- $w\n, @v"),
            (0, vec![":z".to_string(), "@v".to_string()])
        );
        assert_eq!(param_markers("select '?' /* ? */"), (0, vec![]));
    }
}
