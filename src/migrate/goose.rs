//! goose's SQL files: `-- +goose Up` / `-- +goose Down` sections, statements split where a
//! line ends with `;` (outside `-- +goose StatementBegin` ... `StatementEnd` blocks, which
//! are one statement each), and `-- +goose NO TRANSACTION`. The rules (annotation syntax,
//! what a statement keeps, the errors) follow pressly/goose
//! `internal/sqlparser/parser.go`; `ENVSUB` (environment substitution) is refused rather
//! than half-done.

use super::files::Statement;

/// A goose file, split.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub up: Vec<Statement>,
    pub down: Vec<Statement>,
    /// A `-- +goose Down` annotation was present.
    pub has_down: bool,
    pub no_transaction: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Up,
    UpBlock,
    Down,
    DownBlock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Annotation {
    Up,
    Down,
    Begin,
    End,
    NoTransaction,
    Envsub,
}

/// `-- +goose X` on a line: which annotation (goose's `extractAnnotation`).
fn annotation(line: &str) -> Option<Result<Annotation, String>> {
    if !(line.trim().starts_with("--") && line.contains("+goose")) {
        return None;
    }
    if line.starts_with([' ', '\t']) {
        return Some(Err(format!(
            "annotation {line:?} has leading whitespace (goose refuses it)"
        )));
    }
    let cmd = line.replace("--", "").replacen("+goose", "", 1);
    if cmd.contains("+goose") {
        return Some(Err(format!("{line:?} holds two +goose annotations")));
    }
    let cmd = cmd.trim();
    let known = [
        ("Up", Annotation::Up),
        ("Down", Annotation::Down),
        ("StatementBegin", Annotation::Begin),
        ("StatementEnd", Annotation::End),
        ("NO TRANSACTION", Annotation::NoTransaction),
        ("ENVSUB ON", Annotation::Envsub),
        ("ENVSUB OFF", Annotation::Envsub),
    ];
    Some(
        known
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(cmd))
            .map(|(_, a)| *a)
            .ok_or_else(|| format!("unknown goose annotation {cmd:?}")),
    )
}

/// The last word of the line before a `--` comment ends with `;` (goose's
/// `endsWithSemicolon`).
fn ends_with_semicolon(line: &str) -> bool {
    let mut prev = "";
    for word in line.split_whitespace() {
        if word.starts_with("--") {
            break;
        }
        prev = word;
    }
    prev.ends_with(';')
}

/// Split a goose file's text. Errors name the 1-based line.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut state = State::Start;
    let mut buf = String::new();
    let mut buf_line = 0usize;
    for (i, raw_line) in text.split('\n').enumerate() {
        let lineno = i + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if state == State::Start && line.trim().is_empty() {
            continue;
        }
        let mut ended_block = false;
        if let Some(a) = annotation(line) {
            let a = a.map_err(|e| format!("line {lineno}: {e}"))?;
            match a {
                Annotation::Up => {
                    if state != State::Start {
                        return Err(format!("line {lineno}: a second -- +goose Up annotation"));
                    }
                    state = State::Up;
                    continue;
                }
                Annotation::Down => {
                    if !matches!(state, State::Up) {
                        return Err(format!(
                            "line {lineno}: -- +goose Down must follow -- +goose Up (and not be \
                             inside a StatementBegin block)"
                        ));
                    }
                    if !buf.trim().is_empty() {
                        return Err(format!(
                            "line {buf_line}: unfinished statement before -- +goose Down \
                             (missing semicolon?)"
                        ));
                    }
                    buf.clear();
                    state = State::Down;
                    out.has_down = true;
                    continue;
                }
                Annotation::Begin => {
                    state = match state {
                        State::Up => State::UpBlock,
                        State::Down => State::DownBlock,
                        _ => {
                            return Err(format!(
                                "line {lineno}: -- +goose StatementBegin must come after -- \
                                 +goose Up or Down (and not inside another block)"
                            ))
                        }
                    };
                    continue;
                }
                Annotation::End => {
                    if !matches!(state, State::UpBlock | State::DownBlock) {
                        return Err(format!(
                            "line {lineno}: -- +goose StatementEnd without StatementBegin"
                        ));
                    }
                    ended_block = true;
                }
                Annotation::NoTransaction => {
                    out.no_transaction = true;
                    continue;
                }
                Annotation::Envsub => {
                    return Err(format!(
                        "line {lineno}: -- +goose ENVSUB (environment substitution) is not \
                         supported: expand the variables in the file"
                    ))
                }
            }
        }
        // Leading comments and empty lines before a statement are dropped.
        if buf.is_empty() && !ended_block && (line.trim().starts_with("--") || line.is_empty()) {
            continue;
        }
        if state == State::Start {
            return Err(format!(
                "line {lineno}: SQL before the -- +goose Up annotation"
            ));
        }
        if !ended_block {
            if buf.is_empty() {
                buf_line = lineno;
            }
            buf.push_str(line);
            buf.push('\n');
        }
        let target = match state {
            State::Up | State::UpBlock => &mut out.up,
            _ => &mut out.down,
        };
        let done = match state {
            State::Up | State::Down => ends_with_semicolon(line),
            _ => ended_block,
        };
        if done {
            let sql = buf.trim().to_string();
            if !sql.is_empty() {
                target.push(Statement {
                    sql,
                    line: buf_line,
                });
            }
            buf.clear();
            if ended_block {
                state = if state == State::UpBlock {
                    State::Up
                } else {
                    State::Down
                };
            }
        }
    }
    match state {
        State::Start => return Err("no -- +goose Up annotation".into()),
        State::UpBlock | State::DownBlock => {
            return Err("a -- +goose StatementBegin block is never ended (StatementEnd)".into())
        }
        _ => {}
    }
    if !buf.trim().is_empty() {
        return Err(format!(
            "line {buf_line}: unfinished statement at the end of the file (missing semicolon?)"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqls(v: &[Statement]) -> Vec<(&str, usize)> {
        v.iter().map(|s| (s.sql.as_str(), s.line)).collect()
    }

    #[test]
    fn sections_statements_and_blocks() {
        let text = "-- +goose Up\n-- a comment\nCREATE TABLE a(x);\nINSERT INTO a\n  VALUES (1); -- one\n\n-- +goose StatementBegin\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\nEND;\n-- +goose StatementEnd\n\n-- +goose Down\nDROP TABLE a;\n";
        let p = parse(text).unwrap();
        assert_eq!(
            sqls(&p.up),
            [
                ("CREATE TABLE a(x);", 3),
                ("INSERT INTO a\n  VALUES (1); -- one", 4),
                (
                    "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\nEND;",
                    8
                ),
            ]
        );
        assert_eq!(sqls(&p.down), [("DROP TABLE a;", 14)]);
        assert!(p.has_down && !p.no_transaction);
        let crlf = parse(&text.replace('\n', "\r\n")).unwrap();
        assert_eq!(crlf, p);
    }

    #[test]
    fn no_transaction_and_errors() {
        let p = parse("-- +goose NO TRANSACTION\n-- +goose Up\nVACUUM;\n").unwrap();
        assert!(p.no_transaction && !p.has_down);
        assert_eq!(sqls(&p.up), [("VACUUM;", 3)]);
        for (text, want) in [
            ("CREATE TABLE a(x);\n", "before the -- +goose Up"),
            ("-- nothing\n", "no -- +goose Up"),
            ("-- +goose Up\nSELECT 1\n", "missing semicolon"),
            (
                "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n",
                "never ended",
            ),
            ("-- +goose Up\n-- +goose Up\n", "second"),
            ("-- +goose Up\n  -- +goose Down\n", "leading whitespace"),
            (
                "-- +goose Up\n-- +goose Sideways\n",
                "unknown goose annotation",
            ),
            ("-- +goose ENVSUB ON\n-- +goose Up\n", "not supported"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }
}
