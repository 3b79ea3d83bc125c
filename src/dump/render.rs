//! Rows the server writes as SQL text: a dump page asks for each row as ONE text value, the
//! row's literals already joined (`1,'it''s',X'00ff',2.5`), so a row costs one JSON value
//! instead of one per column — the server's JSON encoding is what bounds a remote dump.
//!
//! The text must be exactly what [`crate::value`] writes. A table is probed first
//! ([`probe`]): which storage classes each column holds, and whether its text holds a NUL
//! (which SQLite's quoting cuts off) and its REALs are all non-zero multiples of 1/16 below
//! 1e11 in magnitude (at most 15 significant digits: `%!.15g` writes their exact decimal,
//! which is what the 17-digit rule writes too). Each column then gets the cheapest exact
//! rendering ([`Spec`]): `%d` for integers, `%Q` for text, `%!.15g` for such REALs, and for
//! anything else a `CASE` on the value's type that renders what SQL can render exactly
//! (NULL, integers, lower-case hex blobs, text, ±infinity, integral REALs in the i64 range,
//! multiples of 1/16 below 1e13). Where a column holds values nothing in SQL renders exactly
//! (other REALs, text with NUL), it gets a *slot*: a result column carrying the raw value
//! where the text holds `?`, rendered by the client with the exact rules. Newlines and CRs
//! inside quoted text arrive raw; the client spells them as [`crate::value`] does.

use std::borrow::Cow;

use crate::value::Value;

/// How the server writes a column's values, as the probe found them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spec {
    /// Only NULLs.
    Null,
    /// Only integers.
    Integers,
    IntegersOrNull,
    /// Only text without NUL, and NULLs.
    Text,
    /// Only REALs that `%!.15g` writes exactly (see the module docs).
    Reals,
    RealsOrNull,
    /// Anything else: typed per value, with a slot when some value needs the client.
    Any {
        slotted: bool,
    },
}

impl Spec {
    /// The spec for the classes the probe found (`bits`, see [`probe`]; `None`: no rows).
    pub fn from_bits(bits: Option<i64>) -> Spec {
        let Some(b) = bits else {
            return Spec::Any { slotted: false };
        };
        let only = |allowed: i64| b & !allowed == 0;
        match b {
            NULL => Spec::Null,
            INTEGER => Spec::Integers,
            SIXTEENTHS => Spec::Reals,
            _ if only(INTEGER | NULL) => Spec::IntegersOrNull,
            _ if only(TEXT | NULL) => Spec::Text,
            _ if only(SIXTEENTHS | NULL) => Spec::RealsOrNull,
            _ => Spec::Any {
                slotted: b & (TEXT_NUL | OTHER_REAL) != 0,
            },
        }
    }

    pub fn slotted(self) -> bool {
        matches!(self, Spec::Any { slotted: true })
    }
}

/// Probe bits: the classes of values a column holds.
const INTEGER: i64 = 1;
const NULL: i64 = 2;
const TEXT: i64 = 4;
const TEXT_NUL: i64 = 8;
const BLOB: i64 = 16;
const SIXTEENTHS: i64 = 32;
const OTHER_REAL: i64 = 64;

/// SQL aggregate over a table: the probe bits of column `col` (NULL for no rows).
pub fn probe(col: &str) -> String {
    let c = col;
    format!(
        "sum(DISTINCT CASE typeof({c}) WHEN 'integer' THEN {INTEGER} WHEN 'null' THEN {NULL} \
         WHEN 'text' THEN CASE WHEN instr({c}, char(0)) THEN {TEXT_NUL} ELSE {TEXT} END \
         WHEN 'blob' THEN {BLOB} ELSE CASE WHEN {c} <> 0 AND abs({c}) < 1e11 \
         AND {c} * 16 = CAST({c} * 16 AS INTEGER) THEN {SIXTEENTHS} ELSE {OTHER_REAL} END END)"
    )
}

/// The decimal digits of j/16 (j = 1..15) after the point, 4 per entry.
const SIXTEENTH_DIGITS: &str = "062512501875250031253750437550005625625068757500812587509375";

/// SQL for the literal of the value in column `col`, whatever its type, as text; NULL where
/// SQL cannot render it exactly (see the module docs). Integral REALs and multiples of 1/16
/// are written with integer arithmetic (exact); ±infinity as `1e999`.
pub fn literal(col: &str) -> String {
    let c = col;
    let real = format!(
        "CASE WHEN {c} = 1e999 THEN '1e999' WHEN {c} = -1e999 THEN '-1e999' \
         WHEN {c} = 0 OR abs({c}) >= 9223372036854775808.0 THEN NULL \
         WHEN {c} = CAST({c} AS INTEGER) THEN CAST({c} AS INTEGER) || '.0' \
         WHEN abs({c}) >= 1e13 OR {c} * 16 <> CAST({c} * 16 AS INTEGER) THEN NULL \
         ELSE CASE WHEN {c} < 0 THEN '-' ELSE '' END || abs(CAST({c} AS INTEGER)) || '.' || \
         rtrim(substr('{SIXTEENTH_DIGITS}', CAST(abs({c}) * 16 AS INTEGER) % 16 * 4 - 3, 4), '0') END"
    );
    format!(
        "CASE typeof({c}) WHEN 'integer' THEN {c} \
         WHEN 'text' THEN CASE WHEN instr({c}, char(0)) THEN NULL ELSE quote({c}) END \
         WHEN 'null' THEN 'NULL' WHEN 'blob' THEN 'X''' || lower(hex({c})) || '''' \
         ELSE {real} END"
    )
}

/// SQL: whether SQL cannot render the value in `col` (see [`literal`]).
pub fn unrenderable(col: &str) -> String {
    format!("({}) IS NULL", literal(col))
}

/// The `printf` conversion and argument that write column `col` under `spec`.
fn conversion(col: &str, spec: Spec) -> (&'static str, Option<String>) {
    match spec {
        Spec::Null => ("NULL", None),
        Spec::Integers => ("%d", Some(col.to_string())),
        Spec::IntegersOrNull => ("%s", Some(format!("ifnull({col}, 'NULL')"))),
        Spec::Text => ("%Q", Some(col.to_string())),
        Spec::Reals => ("%!.15g", Some(col.to_string())),
        Spec::RealsOrNull => (
            "%s",
            Some(format!(
                "CASE WHEN {col} IS NULL THEN 'NULL' ELSE printf('%!.15g', {col}) END"
            )),
        ),
        Spec::Any { slotted: false } => ("%s", Some(literal(col))),
        Spec::Any { slotted: true } => ("%s", Some(format!("coalesce({}, '?')", literal(col)))),
    }
}

/// Columns per `printf` call (SQLite takes at most 127 arguments per function call).
const PER_CALL: usize = 100;

/// SQL for a row's text: `key` (an SQL expression) and a space first when given, then the
/// literals of `cols` (SQL expression, spec) separated by commas; a value of a slotted column
/// that SQL cannot render is `?`.
pub fn line(key: Option<&str>, cols: &[(String, Spec)]) -> String {
    let mut calls: Vec<String> = Vec::new();
    let mut chunks = cols.chunks(PER_CALL).peekable();
    let mut first = true;
    if chunks.peek().is_none() {
        return match key {
            Some(k) => format!("{k} || ' '"),
            None => "''".into(),
        };
    }
    for chunk in chunks {
        let mut format = String::new();
        let mut args: Vec<String> = Vec::with_capacity(chunk.len() + 1);
        if first {
            if let Some(k) = key {
                format.push_str("%d ");
                args.push(k.to_string());
            }
        } else {
            format.push(',');
        }
        for (i, (col, spec)) in chunk.iter().enumerate() {
            if i > 0 {
                format.push(',');
            }
            let (conv, arg) = conversion(col, *spec);
            format.push_str(conv);
            args.extend(arg);
        }
        first = false;
        calls.push(match args.is_empty() {
            true => format!("'{format}'"),
            false => format!("printf('{format}', {})", args.join(", ")),
        });
    }
    calls.join(" || ")
}

/// SQL for a slot: the raw value of `col` where SQL cannot render it, else NULL.
pub fn slot(col: &str) -> String {
    format!("CASE WHEN {} THEN {col} END", unrenderable(col))
}

/// Append a server's row text to `out` as [`crate::value`] writes it: quoted text holding a
/// newline or CR spelled with `replace(...)`, and each `?` outside a string literal replaced
/// by the literal of the next value of `slots` that is not NULL (a NULL slot means the server
/// rendered that value itself).
pub fn finish_line<'a>(
    line: &str,
    slots: impl IntoIterator<Item = &'a Value>,
    out: &mut String,
) -> Result<(), String> {
    let line = spell_controls(line);
    let mut values = slots.into_iter().filter(|v| !v.is_null());
    let mut quoted = false;
    let mut from = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b'?' if !quoted => {
                let v = values
                    .next()
                    .ok_or("the server's row text has more placeholders than values")?;
                out.push_str(&line[from..i]);
                v.write_sql_literal(out);
                from = i + 1;
            }
            _ => {}
        }
    }
    if values.next().is_some() {
        return Err("the server sent a value its row text has no place for".into());
    }
    out.push_str(&line[from..]);
    Ok(())
}

/// `line` with every quoted literal that holds a newline or CR written again by
/// [`Value::write_sql_literal`] (which keeps a statement on one line).
fn spell_controls(line: &str) -> Cow<'_, str> {
    if !line.contains(['\n', '\r']) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 32);
    let mut rest = line;
    while let Some(open) = rest.find('\'') {
        out.push_str(&rest[..open]);
        // The literal ends at a quote not followed by another (`''` is a quote inside).
        let body = &rest[open + 1..];
        let mut text = String::new();
        let mut end = body.len();
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    end = i;
                    break;
                }
            }
            text.push(c);
        }
        let literal = &rest[open..(open + 2 + end).min(rest.len())];
        if text.contains(['\n', '\r']) {
            Value::Text(text).write_sql_literal(&mut out);
        } else {
            out.push_str(literal);
        }
        rest = &rest[(open + 2 + end).min(rest.len())..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::sql_real_literal;

    /// What SQLite writes for `v` under `spec` ([`line`] of one column, no key); `None` for
    /// SQL NULL.
    fn rendered(conn: &rusqlite::Connection, v: &Value, spec: Spec) -> Option<String> {
        let sql = format!("SELECT {}", line(None, &[("?1".into(), spec)]));
        let text: Option<String> = match sql.contains("?1") {
            true => conn.query_row(&sql, [v], |r| r.get(0)).unwrap(),
            false => conn.query_row(&sql, [], |r| r.get(0)).unwrap(),
        };
        text.map(|t| {
            let mut out = String::new();
            let slot = if t == "?" { v.clone() } else { Value::Null };
            finish_line(&t, [&slot], &mut out).unwrap();
            out
        })
    }

    fn tricky() -> Vec<Value> {
        let mut values = vec![
            Value::Null,
            Value::Integer(0),
            Value::Integer(i64::MIN),
            Value::Integer(i64::MAX),
            Value::Text(String::new()),
            Value::Text("it's ? a 'quote' é".into()),
            Value::Text("two\nlines, cr\r\n and '\\n'".into()),
            Value::Text("nul\0inside".into()),
            Value::Blob(vec![]),
            Value::Blob(vec![0, 0xab, 0xff]),
        ];
        for f in [
            0.25,
            -0.25,
            0.0625,
            -0.0625,
            1.5,
            7.75,
            125000.0,
            -3.0,
            1e12,
            1e13,
            9.5e12,
            1e15,
            9.2e18,
            -9.2e18,
            4503599627370497.0,
            123456789012.9375,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            0.1,
            1.0 / 3.0,
            1e13 + 0.5,
            9.3e18,
            -9223372036854775808.0,
            1e300,
            5e-324,
        ] {
            values.push(Value::Real(f));
        }
        values
    }

    #[test]
    fn any_value_is_written_exactly() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for v in tricky() {
            let got = rendered(&conn, &v, Spec::Any { slotted: true });
            assert_eq!(got, Some(v.to_sql_literal()), "{v:?}");
        }
    }

    #[test]
    fn sql_leaves_to_the_client_only_what_it_cannot_write_exactly() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let sql = format!("SELECT {}", unrenderable("?1"));
        let left: Vec<Value> = tricky()
            .into_iter()
            .filter(|v| conn.query_row(&sql, [v], |r| r.get::<_, bool>(0)).unwrap())
            .collect();
        let want = [
            0.0,
            -0.0,
            0.1,
            1.0 / 3.0,
            1e13 + 0.5,
            9.3e18,
            -9223372036854775808.0,
            1e300,
            5e-324,
        ];
        let mut expected: Vec<Value> = vec![Value::Text("nul\0inside".into())];
        expected.extend(want.iter().map(|f| Value::Real(*f)));
        assert_eq!(left, expected);
        assert_eq!(sql_real_literal(0.1), "0.10000000000000001");
    }

    #[test]
    fn the_probe_picks_the_cheapest_exact_spec() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let spec = |values: &str| {
            conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS t; CREATE TABLE t(c); INSERT INTO t VALUES {values}"
            ))
            .unwrap();
            let bits: Option<i64> = conn
                .query_row(&format!("SELECT {} FROM t", probe("c")), [], |r| r.get(0))
                .unwrap();
            Spec::from_bits(bits)
        };
        assert_eq!(spec("(1), (2)"), Spec::Integers);
        assert_eq!(spec("(1), (NULL)"), Spec::IntegersOrNull);
        assert_eq!(spec("(NULL), (NULL)"), Spec::Null);
        assert_eq!(spec("('a'), (NULL), ('b\n')"), Spec::Text);
        assert_eq!(spec("(0.25), (3.0)"), Spec::Reals);
        assert_eq!(spec("(0.25), (NULL)"), Spec::RealsOrNull);
        assert_eq!(spec("(0.25), (1e11)"), Spec::Any { slotted: true });
        assert_eq!(spec("(1), (x'00'), ('a')"), Spec::Any { slotted: false });
        assert_eq!(spec("('a' || char(0))"), Spec::Any { slotted: true });
        assert_eq!(spec("(0.0)"), Spec::Any { slotted: true });
        assert_eq!(Spec::from_bits(None), Spec::Any { slotted: false });
    }

    #[test]
    fn each_spec_writes_its_values_exactly() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        // Multiples of 1/16 below 1e11: what `%!.15g` must write exactly.
        for i in 0..20_000 {
            let m = (next() % 1_600_000_000_000) as i64 + 1;
            let scale = [1, 16, 1_000_000][i % 3];
            let f = (m / scale) as f64 / 16.0 * if i % 2 == 0 { 1.0 } else { -1.0 };
            let v = Value::Real(f);
            assert_eq!(
                rendered(&conn, &v, Spec::Reals),
                Some(sql_real_literal(f)),
                "{f:e}"
            );
            assert_eq!(
                rendered(&conn, &v, Spec::RealsOrNull),
                Some(sql_real_literal(f))
            );
        }
        assert_eq!(
            rendered(&conn, &Value::Null, Spec::RealsOrNull).as_deref(),
            Some("NULL")
        );
        for v in [Value::Integer(i64::MIN), Value::Integer(7)] {
            assert_eq!(
                rendered(&conn, &v, Spec::Integers),
                Some(v.to_sql_literal())
            );
            assert_eq!(
                rendered(&conn, &v, Spec::IntegersOrNull),
                Some(v.to_sql_literal())
            );
        }
        for v in [
            Value::Null,
            Value::Text("it''s\n\r'".into()),
            Value::Text("é?".into()),
        ] {
            assert_eq!(
                rendered(&conn, &v, Spec::Text),
                Some(v.to_sql_literal()),
                "{v:?}"
            );
        }
        assert_eq!(
            rendered(&conn, &Value::Null, Spec::Null).as_deref(),
            Some("NULL")
        );
    }

    #[test]
    fn a_row_text_and_its_placeholders() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t(a, b, c); INSERT INTO t VALUES (1, 'x?''y', 0.1)")
            .unwrap();
        let cols = [
            ("a".to_string(), Spec::Integers),
            ("b".to_string(), Spec::Text),
            ("c".to_string(), Spec::Any { slotted: true }),
        ];
        let sql = format!(
            "SELECT {}, {} FROM t",
            line(Some("rowid"), &cols),
            slot("c")
        );
        let (text, c): (String, f64) = conn
            .query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!(text, "1 1,'x?''y',?");
        let mut out = String::new();
        finish_line(&text[2..], [&Value::Real(c)], &mut out).unwrap();
        assert_eq!(out, "1,'x?''y',0.10000000000000001");
        assert!(finish_line("?,?", [&Value::Integer(1)], &mut String::new()).is_err());
        assert!(finish_line("1", [&Value::Integer(1)], &mut String::new()).is_err());
        assert_eq!(line(None, &[]), "''");
        assert_eq!(line(Some("rowid"), &[]), "rowid || ' '");
        // More columns than one printf takes.
        let many: Vec<(String, Spec)> = (0..250)
            .map(|_| ("1".to_string(), Spec::Integers))
            .collect();
        let text: String = conn
            .query_row(&format!("SELECT {}", line(Some("7"), &many)), [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(text, format!("7 {}", vec!["1"; 250].join(",")));
    }

    #[test]
    fn quoted_newlines_are_spelled_as_the_client_does() {
        let mut out = String::new();
        finish_line("1,'a\nb','it''s',X'0a','c\r'", [], &mut out).unwrap();
        assert_eq!(
            out,
            "1,replace('a\\nb','\\n',char(10)),'it''s',X'0a',replace('c\\r','\\r',char(13))"
        );
    }
}
