//! `.sha3sum ?OPTIONS? ?LIKE-PATTERN?`: sqlite3's SHA3 digest of the database's content,
//! computed here from the rows of sqlite3's own per-table queries, which go through the
//! session like every other statement, so the digest is the same on every transport.
//!
//! The tables are the main schema's b-tree tables (`lower(name)`, in `nocase` order), user
//! tables only unless `--schema` (or a pattern starting `sqlite_`) adds `sqlite_schema` and
//! the internal tables. Each is read with one statement (`SELECT * FROM "t" NOT INDEXED;`,
//! fixed column lists and orders for the internal tables). What is hashed is what SQLite's
//! `sha3_query()` hashes: per statement `S<bytes>:` and its text, then per row `R` and per
//! value `N`; `I` and the 8-byte big-endian integer; `F` and the double's 8 big-endian IEEE
//! bytes; `T<bytes>:` and the UTF-8 text; `B<bytes>:` and the blob. Without a pattern all
//! statements feed one digest (sqlite3 concatenates them into one text, so a statement's
//! text starts with whatever followed the previous one's semicolon); with one, each table
//! gets its own digest, printed with its name. The result rows are rendered in the current
//! output mode, as sqlite3's are.

use anyhow::Result;
use sha3::{Digest, Sha3_224, Sha3_256, Sha3_384, Sha3_512};

use super::state::Shell;
use crate::session::{Origin, Output};
use crate::transport::{SqlError, Stmt};
use crate::value::{hex, Column, StmtSummary, Value};

/// sqlite3's help for the command, printed after an unknown option.
const HELP: &str = "\
.sha3sum ...             Compute a SHA3 hash of database content
    Options:
      --schema              Also hash the sqlite_schema table
      --sha3-224            Use the sha3-224 algorithm
      --sha3-256            Use the sha3-256 algorithm (default)
      --sha3-384            Use the sha3-384 algorithm
      --sha3-512            Use the sha3-512 algorithm
    Any other argument is a LIKE pattern for tables to hash
";

const USAGE: &str = "Usage: .sha3sum ?OPTIONS? ?LIKE-PATTERN?";

/// What the arguments ask for.
#[derive(Debug, PartialEq)]
struct Options {
    schema: bool,
    bits: u16,
    debug: bool,
    like: Option<String>,
}

/// Arguments sqlite3 refuses: an unknown option (named as given), or a second pattern.
#[derive(Debug, PartialEq)]
enum Refused {
    Unknown(String),
    Usage,
}

/// sqlite3's reading of the arguments, in order: an option has one or two dashes; the first
/// other argument is the pattern (one starting `sqlite_` implies `--schema`); the default
/// digest is SHA3-224.
fn parse_args(args: &[String]) -> Result<Options, Refused> {
    let mut o = Options {
        schema: false,
        bits: 224,
        debug: false,
        like: None,
    };
    for arg in args {
        if let Some(opt) = arg.strip_prefix('-') {
            let opt = opt.strip_prefix('-').unwrap_or(opt);
            match opt {
                "schema" => o.schema = true,
                "sha3-224" => o.bits = 224,
                "sha3-256" => o.bits = 256,
                "sha3-384" => o.bits = 384,
                "sha3-512" => o.bits = 512,
                "debug" => o.debug = true,
                _ => return Err(Refused::Unknown(arg.clone())),
            }
        } else if o.like.is_some() {
            return Err(Refused::Usage);
        } else {
            if arg.to_ascii_lowercase().starts_with("sqlite_") {
                o.schema = true;
            }
            o.like = Some(arg.clone());
        }
    }
    Ok(o)
}

/// SQLite's LIKE without an escape character: `%` any run, `_` one character, ASCII letters
/// matched without regard to case. Greedy with one backtrack point (the last `%`), so it
/// takes time proportional to the lengths' product at worst, whatever the `%`s.
fn like(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('%') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '_' || c.eq_ignore_ascii_case(&text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

/// The statement sqlite3 reads a table with (`table` as `lower(name)` gives it). A table of
/// SQLite's own that sqlite3 has no statement for gets the previous table's text again, as
/// sqlite3's reused buffer gives it (or none).
fn table_query(table: &str, previous: &str) -> String {
    match table {
        "sqlite_schema" => "SELECT type,name,tbl_name,sql FROM sqlite_schema ORDER BY name;".into(),
        "sqlite_sequence" => "SELECT name,seq FROM sqlite_sequence ORDER BY name;".into(),
        "sqlite_stat1" => "SELECT tbl,idx,stat FROM sqlite_stat1 ORDER BY tbl,idx;".into(),
        "sqlite_stat4" => "SELECT * FROM sqlite_stat4 ORDER BY tbl, idx, rowid;\n".into(),
        t if t.starts_with("sqlite_") => previous.to_string(),
        t => format!("SELECT * FROM \"{}\" NOT INDEXED;", t.replace('"', "\"\"")),
    }
}

/// The statements SQLite prepares from the concatenated `queries` (each one statement, or
/// none), with the text it reports for each: from where the previous one ended (white space
/// after its semicolon included) to its own semicolon. What follows the last semicolon is
/// only white space, and prepares to nothing.
fn statements(queries: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut carry = String::new();
    for q in queries {
        match q.rfind(';') {
            Some(end) => {
                out.push(format!("{carry}{}", &q[..=end]));
                carry = q[end + 1..].to_string();
            }
            None => carry.push_str(q),
        }
    }
    out
}

/// The bytes `sha3_query()` hashes for one value, given to `put` piece by piece.
fn feed_value(v: &Value, mut put: impl FnMut(&[u8])) {
    match v {
        Value::Null => put(b"N"),
        Value::Integer(i) => {
            put(b"I");
            put(&i.to_be_bytes());
        }
        Value::Real(f) => {
            put(b"F");
            put(&f.to_bits().to_be_bytes());
        }
        Value::Text(s) => {
            put(format!("T{}:", s.len()).as_bytes());
            put(s.as_bytes());
        }
        Value::RawText(b) => {
            put(format!("T{}:", b.len()).as_bytes());
            put(b);
        }
        Value::Blob(b) => {
            put(format!("B{}:", b.len()).as_bytes());
            put(b);
        }
    }
}

/// A SHA3 digest of one of the four sizes.
enum Sha3 {
    B224(Sha3_224),
    B256(Sha3_256),
    B384(Sha3_384),
    B512(Sha3_512),
}

impl Sha3 {
    fn new(bits: u16) -> Sha3 {
        match bits {
            224 => Sha3::B224(Sha3_224::new()),
            384 => Sha3::B384(Sha3_384::new()),
            512 => Sha3::B512(Sha3_512::new()),
            _ => Sha3::B256(Sha3_256::new()),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Sha3::B224(h) => h.update(bytes),
            Sha3::B256(h) => h.update(bytes),
            Sha3::B384(h) => h.update(bytes),
            Sha3::B512(h) => h.update(bytes),
        }
    }

    /// The digest in lowercase hex.
    fn hex(self) -> String {
        match self {
            Sha3::B224(h) => hex(&h.finalize()),
            Sha3::B256(h) => hex(&h.finalize()),
            Sha3::B384(h) => hex(&h.finalize()),
            Sha3::B512(h) => hex(&h.finalize()),
        }
    }
}

/// Hashes the results of the planned statements as they arrive, in order: each statement's
/// text before its rows, into the digest the plan names for it.
struct Digests {
    digests: Vec<Sha3>,
    /// Each statement's digest and text, in the order they were submitted.
    plan: Vec<(usize, String)>,
    /// The statement whose results come next.
    at: usize,
    /// The first statement that failed, and why.
    error: Option<(usize, SqlError)>,
}

impl Digests {
    fn new(digests: Vec<Sha3>, plan: Vec<(usize, String)>) -> Digests {
        let mut d = Digests {
            digests,
            plan,
            at: 0,
            error: None,
        };
        d.start_statement();
        d
    }

    fn start_statement(&mut self) {
        if let Some((k, sql)) = self.plan.get(self.at) {
            let h = &mut self.digests[*k];
            h.update(format!("S{}:", sql.len()).as_bytes());
            h.update(sql.as_bytes());
        }
    }

    fn next_statement(&mut self) {
        self.at += 1;
        self.start_statement();
    }

    /// The digests of the tables read in full before the first statement that failed or
    /// never ran (sqlite3 prints those), and why the rest is missing.
    fn finish(self) -> (Vec<String>, Option<anyhow::Error>) {
        let (stop, err) = match self.error {
            Some((at, e)) => (Some(at), Some(anyhow::Error::new(e))),
            None if self.at < self.plan.len() => (
                Some(self.at),
                Some(anyhow::anyhow!(
                    ".sha3sum: not every table was read (after an earlier failure?)"
                )),
            ),
            None => (None, None),
        };
        let complete = stop.map_or(self.digests.len(), |at| self.plan[at].0);
        let hashes = self
            .digests
            .into_iter()
            .take(complete)
            .map(Sha3::hex)
            .collect();
        (hashes, err)
    }
}

impl Output for Digests {
    fn begin(&mut self, _: &[Column]) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, row: &[Value]) -> Result<()> {
        let Some((k, _)) = self.plan.get(self.at).filter(|_| self.error.is_none()) else {
            return Ok(());
        };
        let h = &mut self.digests[*k];
        h.update(b"R");
        for v in row {
            feed_value(v, |b| h.update(b));
        }
        Ok(())
    }
    fn end(&mut self, _: &StmtSummary) -> Result<()> {
        self.next_statement();
        Ok(())
    }
    fn error(&mut self, _: &Origin, _: &str, err: &SqlError) -> Result<()> {
        if self.error.is_none() {
            self.error = Some((self.at, err.clone()));
        }
        self.next_statement();
        Ok(())
    }
    fn notice(&mut self, msg: &str) -> Result<()> {
        eprintln!("Note: {msg}");
        Ok(())
    }
}

/// The query sqlite3 would run (what `--debug` prints): the statements as a `VALUES` list,
/// each hashed apart (`separate`) or all as one text.
fn debug_sql(tables: &[(String, String)], bits: u16, separate: bool) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut sql = String::from("WITH [sha3sum$query](a,b) AS(");
    let mut sep = "VALUES(";
    for (t, q) in tables {
        sql.push_str(&format!("{sep}{},{}", quote(q), quote(t)));
        sep = "),(";
    }
    let (input, label) = if separate {
        ("a", ", b AS label")
    } else {
        ("group_concat(a,'')", "")
    };
    sql.push_str(&format!(
        ")) SELECT lower(hex(sha3_query({input},{bits}))) AS hash{label}   FROM [sha3sum$query]"
    ));
    sql
}

impl Shell {
    /// `.sha3sum`: see the module's documentation. A refused argument is reported as
    /// sqlite3 reports it and counts as a failure.
    pub(super) fn sha3sum(&mut self, args: &[String]) -> Result<()> {
        let o = match parse_args(args) {
            Ok(o) => o,
            Err(refused) => {
                match refused {
                    Refused::Unknown(arg) => {
                        eprintln!("Unknown option \"{arg}\" on \"sha3sum\"");
                        self.print(HELP)?;
                    }
                    Refused::Usage => eprintln!("{USAGE}"),
                }
                self.failures += 1;
                return Ok(());
            }
        };
        let which = if o.schema {
            " UNION ALL SELECT 'sqlite_schema'"
        } else {
            // sqlite3 3.40's filter: `_` matches any character, so a table named
            // `sqliteXfoo` is left out too.
            " AND name NOT LIKE 'sqlite_%'"
        };
        let names = self.query(
            &format!(
                "SELECT lower(name) AS tname FROM sqlite_schema \
                 WHERE type='table' AND coalesce(rootpage,0)>1{which} ORDER BY 1 COLLATE nocase"
            ),
            Vec::new(),
        )?;
        let pattern: Option<Vec<char>> = o.like.as_ref().map(|p| p.chars().collect());
        let mut tables: Vec<(String, String)> = Vec::new();
        let mut previous = String::new();
        for row in names {
            let Some(Value::Text(name)) = row.into_iter().next() else {
                continue;
            };
            if let Some(p) = &pattern {
                if !like(p, &name.chars().collect::<Vec<_>>()) {
                    continue;
                }
            }
            let q = table_query(&name, &previous);
            previous.clone_from(&q);
            tables.push((name, q));
        }
        let separate = o.like.is_some();
        if o.debug {
            return self.print(&format!("{}\n", debug_sql(&tables, o.bits, separate)));
        }
        if tables.is_empty() {
            // sqlite3's query is then not valid SQL, and it prints nothing.
            return Ok(());
        }
        let plan: Vec<(usize, String)> = if separate {
            tables
                .iter()
                .enumerate()
                .flat_map(|(k, (_, q))| statements(&[q]).into_iter().map(move |s| (k, s)))
                .collect()
        } else {
            let all: Vec<&str> = tables.iter().map(|(_, q)| q.as_str()).collect();
            statements(&all).into_iter().map(|s| (0, s)).collect()
        };
        let count = if separate { tables.len() } else { 1 };
        let mut digests = Digests::new((0..count).map(|_| Sha3::new(o.bits)).collect(), plan);
        let texts: Vec<String> = digests.plan.iter().map(|(_, s)| s.clone()).collect();
        for sql in texts {
            self.session
                .submit(Stmt::new(&sql), Origin::synthetic("shell"), &mut digests)?;
        }
        self.session.sync(&mut digests)?;
        let (hashes, failure) = digests.finish();
        if hashes.is_empty() {
            return failure.map_or(Ok(()), Err);
        }
        let (cols, rows): (Vec<&str>, Vec<Vec<Value>>) = if separate {
            let rows = hashes
                .into_iter()
                .zip(tables)
                .map(|(h, (t, _))| vec![Value::Text(h), Value::Text(t)])
                .collect();
            (vec!["hash", "label"], rows)
        } else {
            (
                vec!["hash"],
                vec![hashes.into_iter().map(Value::Text).collect()],
            )
        };
        let cols: Vec<Column> = cols
            .into_iter()
            .map(|name| Column {
                name: name.to_string(),
                decltype: None,
            })
            .collect();
        let summary = StmtSummary {
            cols: cols.clone(),
            rows_returned: rows.len() as u64,
            ..StmtSummary::default()
        };
        self.with_output(false, |_, out| {
            out.begin(&cols)?;
            for r in &rows {
                out.row(r)?;
            }
            out.end(&summary)
        })?;
        failure.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_as_sqlite3_reads_them() {
        let o = parse_args(&args(&["-schema", "--sha3-512", "T%"])).unwrap();
        assert_eq!(
            o,
            Options {
                schema: true,
                bits: 512,
                debug: false,
                like: Some("T%".into())
            }
        );
        assert_eq!(parse_args(&[]).unwrap().bits, 224);
        assert!(parse_args(&args(&["SQLITE_stat1"])).unwrap().schema);
        assert!(!parse_args(&args(&["sqlite%"])).unwrap().schema);
        assert_eq!(
            parse_args(&args(&["--sha3-999"])),
            Err(Refused::Unknown("--sha3-999".into()))
        );
        assert_eq!(
            parse_args(&args(&["a", "b", "--bogus"])),
            Err(Refused::Usage)
        );
        assert_eq!(parse_args(&args(&["-"])), Err(Refused::Unknown("-".into())));
    }

    #[test]
    fn like_without_escape() {
        let l = |p: &str, t: &str| {
            like(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(l("T%", "t1"));
        assert!(l("_1", "t1"));
        assert!(l("%é_", "xéz"));
        assert!(!l("t_", "t12"));
        assert!(l("%", ""));
        assert!(!l("é", "É"));
        assert!(l("a%b%c", "aXbYbZc"));
        assert!(!l("a%b%c", "aXbYbZ"));
        assert!(l("%%_", "x"));
        // Many `%`s against a name that fails at its end: answered at once (a recursive
        // matcher took exponential time here).
        let name = "a".repeat(40);
        assert!(!l(&format!("{}b", "%".repeat(30)), &name));
    }

    #[test]
    fn values_encoded_as_sha3_query_does() {
        let enc = |v: Value| {
            let mut out = Vec::new();
            feed_value(&v, |b| out.extend_from_slice(b));
            out
        };
        assert_eq!(enc(Value::Text("xyzzy".into())), b"T5:xyzzy");
        assert_eq!(enc(Value::Blob(vec![1, 2, 3])), b"B3:\x01\x02\x03");
        assert_eq!(enc(Value::Integer(0x123456)), b"I\0\0\0\0\0\x12\x34\x56");
        assert_eq!(enc(Value::Real(100.015625)), b"F\x40\x59\x01\0\0\0\0\0");
        assert_eq!(enc(Value::Null), b"N");
        assert_eq!(
            enc(Value::Integer(-1)),
            b"I\xff\xff\xff\xff\xff\xff\xff\xff"
        );
        assert_eq!(enc(Value::Real(-0.0)), b"F\x80\0\0\0\0\0\0\0");
    }

    #[test]
    fn statement_texts_keep_what_follows_a_semicolon() {
        assert_eq!(
            statements(&["SELECT 1;\n", "", "SELECT ';';\n"]),
            ["SELECT 1;", "\nSELECT ';';"]
        );
        assert!(statements(&[""]).is_empty());
        assert_eq!(
            table_query("a\"b", ""),
            "SELECT * FROM \"a\"\"b\" NOT INDEXED;"
        );
        assert_eq!(table_query("sqlite_stat3", "prev"), "prev");
    }

    #[test]
    fn digest_of_two_statements_is_sqlite3s() {
        // sqlite3 3.40.1: SELECT lower(hex(sha3_query('select 1;'||char(10)||'select 2;'
        // ||char(10), 224)))
        let plan: Vec<(usize, String)> = statements(&["select 1;\n", "select 2;\n"])
            .into_iter()
            .map(|s| (0, s))
            .collect();
        let mut d = Digests::new(vec![Sha3::new(224)], plan);
        for i in [1, 2] {
            d.begin(&[]).unwrap();
            d.row(&[Value::Integer(i)]).unwrap();
            d.end(&StmtSummary::default()).unwrap();
        }
        assert_eq!(
            d.digests.pop().unwrap().hex(),
            "1f89e8cb03b40fc5a72051b6e6173d515cd231f8f677b1c9b721236a"
        );
    }

    #[test]
    fn debug_text_is_sqlite3s() {
        let tables = vec![("t1".to_string(), table_query("t1", ""))];
        assert_eq!(
            debug_sql(&tables, 224, true),
            "WITH [sha3sum$query](a,b) AS(VALUES('SELECT * FROM \"t1\" NOT INDEXED;','t1')) \
             SELECT lower(hex(sha3_query(a,224))) AS hash, b AS label   FROM [sha3sum$query]"
        );
        assert_eq!(
            debug_sql(&[], 256, false),
            "WITH [sha3sum$query](a,b) AS()) SELECT lower(hex(sha3_query(group_concat(a,''),256))) \
             AS hash   FROM [sha3sum$query]"
        );
    }
}
