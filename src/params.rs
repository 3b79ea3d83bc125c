//! Statement parameters: `--param NAME=VALUE` and `--arg VALUE` (and the shell's
//! `.parameter set`), parsed once and bound to each statement that mentions them.

use anyhow::Result;
use clap::Args;

use crate::error::usage;
use crate::sql;
use crate::transport::Stmt;
use crate::value::Value;

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
    /// Set a named parameter (the shell's `.parameter set`), replacing one of that name.
    pub fn set(&mut self, name: String, value: Value) {
        self.unset(&name);
        self.named.push((name, value));
    }

    /// `.parameter unset NAME`.
    pub fn unset(&mut self, name: &str) {
        self.named.retain(|(n, _)| n != name);
    }

    /// `.parameter clear`.
    pub fn clear(&mut self) {
        self.named.clear();
        self.positional.clear();
    }

    /// The named parameters, in the order they were set.
    pub fn named(&self) -> &[(String, Value)] {
        &self.named
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
