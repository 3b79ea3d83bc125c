//! `--format insert`: one `INSERT INTO "table" VALUES(...);` per row, as sqlite3's
//! `.mode insert`, written row by row. With `--header` the column names are listed too:
//! `INSERT INTO "table"(a,b) VALUES(...);`.

use std::io::{self, Write};

use super::format::{Render, RenderOptions};
use crate::value::{write_insert_line, Column, Value};

/// The table name sqlite3 uses when `.mode insert` is given none.
pub const DEFAULT_TABLE: &str = "table";

pub struct Insert<'a> {
    out: Box<dyn Write + 'a>,
    table: String,
    header: bool,
    /// `INSERT INTO t(cols) VALUES(` for the current statement.
    prefix: String,
    line: String,
}

impl<'a> Insert<'a> {
    pub fn new(header: bool, opts: &RenderOptions, out: Box<dyn Write + 'a>) -> Self {
        let table = quote_identifier(opts.insert_table.as_deref().unwrap_or(DEFAULT_TABLE));
        Insert {
            out,
            table,
            header,
            prefix: String::new(),
            line: String::new(),
        }
    }
}

/// `name` as an SQL identifier, quoted the way the sqlite3 shell quotes it: left bare when
/// it is a letter or `_` followed by letters, digits and `_`, and not an SQL keyword of
/// stock SQLite (`engine::is_keyword`);
/// otherwise in double quotes with inner `"` doubled (`"table"`, `"b c"`, `"1"`).
pub fn quote_identifier(name: &str) -> String {
    let mut bytes = name.bytes();
    let plain = matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !crate::engine::is_keyword(name);
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

impl Render for Insert<'_> {
    fn begin(&mut self, cols: &[Column]) -> io::Result<()> {
        self.prefix = format!("INSERT INTO {}", self.table);
        if self.header {
            let names: Vec<String> = cols.iter().map(|c| quote_identifier(&c.name)).collect();
            self.prefix.push('(');
            self.prefix.push_str(&names.join(","));
            self.prefix.push(')');
        }
        self.prefix.push_str(" VALUES(");
        Ok(())
    }

    fn row(&mut self, row: &[Value]) -> io::Result<()> {
        self.line.clear();
        write_insert_line(&self.prefix, row, &mut self.line);
        self.out.write_all(self.line.as_bytes())
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Format, RenderOptions};
    use super::quote_identifier;
    use crate::value::Value;

    #[test]
    fn identifiers_quoted_like_sqlite3() {
        assert_eq!(quote_identifier("t"), "t");
        assert_eq!(quote_identifier("my_tab2"), "my_tab2");
        assert_eq!(quote_identifier("_x"), "_x");
        assert_eq!(quote_identifier("table"), "\"table\"");
        assert_eq!(quote_identifier("SELECT"), "\"SELECT\"");
        // libSQL's own keywords are left bare, as stock sqlite3 leaves them.
        assert_eq!(quote_identifier("random"), "random");
        assert_eq!(quote_identifier("b c"), "\"b c\"");
        assert_eq!(quote_identifier("1"), "\"1\"");
        assert_eq!(quote_identifier("é"), "\"é\"");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_identifier(""), "\"\"");
    }

    #[test]
    fn insert_tricky_values_default_table() {
        let (names, row) = tricky_row();
        let got = render(
            Format::Insert,
            &RenderOptions::default(),
            &[(&names, vec![row])],
        );
        assert_eq!(
            got,
            "INSERT INTO \"table\" VALUES(NULL,-9223372036854775808,9223372036854775807,0.10000000000000001,\
             1.0000000000000001e+300,-0.0,replace('a \"q\", b\\nc é','\\n',char(10)),X'00ff');\n"
        );
    }

    #[test]
    fn insert_matches_sqlite3_mode_insert() {
        // sqlite3: .mode insert / select 1 as a, 'x' as "b c", null as n, x'00ff' as bl, 0.5 as r;
        let row = vec![
            Value::Integer(1),
            Value::Text("x".into()),
            Value::Null,
            Value::Blob(vec![0, 255]),
            Value::Real(0.5),
        ];
        let names: &[&str] = &["a", "b c", "n", "bl", "r"];
        let got = render(
            Format::Insert,
            &RenderOptions::default(),
            &[(names, vec![row.clone()])],
        );
        assert_eq!(
            got,
            "INSERT INTO \"table\" VALUES(1,'x',NULL,X'00ff',0.5);\n"
        );
        // ... and with .headers on.
        let opts = RenderOptions {
            header: Some(true),
            ..Default::default()
        };
        let got = render(Format::Insert, &opts, &[(names, vec![row])]);
        assert_eq!(
            got,
            "INSERT INTO \"table\"(a,\"b c\",n,bl,r) VALUES(1,'x',NULL,X'00ff',0.5);\n"
        );
    }

    #[test]
    fn insert_named_table_two_statements_zero_rows() {
        let opts = RenderOptions {
            insert_table: Some("my_tab".into()),
            ..Default::default()
        };
        let stmts: [(&[&str], Vec<Vec<Value>>); 3] = [
            (
                &["a"],
                vec![
                    vec![Value::Text("it's".into())],
                    vec![Value::Real(f64::INFINITY)],
                ],
            ),
            (&["b"], vec![]),
            (
                &["c", "d"],
                vec![vec![Value::Integer(1), Value::Real(f64::NAN)]],
            ),
        ];
        let got = render(Format::Insert, &opts, &stmts);
        assert_eq!(
            got,
            "INSERT INTO my_tab VALUES('it''s');\nINSERT INTO my_tab VALUES(1e999);\n\
             INSERT INTO my_tab VALUES(1,NULL);\n"
        );
        let opts = RenderOptions {
            insert_table: Some("my tab".into()),
            ..Default::default()
        };
        let got = render(
            Format::Insert,
            &opts,
            &[(&["a"], vec![vec![Value::Integer(1)]])],
        );
        assert_eq!(got, "INSERT INTO \"my tab\" VALUES(1);\n");
    }
}
