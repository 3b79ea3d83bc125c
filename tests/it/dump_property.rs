//! Property test for `dump`: random schemas and values (every storage class, NULLs, extreme
//! integers, -0.0, tiny and huge reals and infinities, text with quotes, newlines, CR, NUL
//! and non-ASCII, empty and large blobs; rowid, INTEGER PRIMARY KEY, AUTOINCREMENT and
//! WITHOUT ROWID tables with mixed key directions and collations; views, triggers, indexes)
//! must survive dump → load (with `sqlite3` and with `libsql-shell batch`) exactly, value for
//! value and type for type; dumping the copy gives the same text; and the text is the same
//! on every transport. Seeded, so a failure names the seed that reproduces it.
//!
//! REALs from random bits (any exponent) are loaded with `sqlite3` too: the dump writes the
//! values whose decimal literal libSQL or the sqlite3 3.40 CLI would misread (libSQL beyond
//! about 1e-84 / 1e118, sqlite3 3.40 below 1e-291, whatever the digits) as exact expressions
//! (see `value::write_exact_real`).

use rusqlite::types::Value as V;

use crate::dump::{file_of, snapshot, sqlite3};
use crate::harness::{shell, Backend, Db, REMOTE_BACKENDS};

/// xorshift64*: small, deterministic, good enough to pick test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const TYPES: &[&str] = &[
    "",
    "INTEGER",
    "TEXT",
    "REAL",
    "BLOB",
    "NUMERIC",
    "VARCHAR(10)",
];
const NAMES: &[&str] = &["a", "b c", "select", "é", "x\"y", "_n1", "Order", "t-2"];
const TEXTS: &[&str] = &[
    "",
    "plain",
    "it's",
    "two\nlines",
    "cr\rlf\r\n",
    "nul\0inside",
    "\\n marker\n",
    "\\n\\012(\\n0)\n",
    "é ü 中文 🎉",
    "  12  ",
    "1e5",
    "-- not a comment",
];

fn value(r: &mut Rng, extreme: bool) -> V {
    match r.below(6) {
        0 => V::Null,
        1 => {
            let any = r.next() as i64;
            V::Integer(*r.pick(&[0, -1, 1, i64::MIN, i64::MAX, any, 9_007_199_254_740_993]))
        }
        2 => {
            let specials = [
                0.1,
                -0.0,
                0.0,
                1.0,
                5e-324,
                f64::MAX,
                f64::MIN_POSITIVE,
                f64::INFINITY,
                f64::NEG_INFINITY,
                1e300,
                123.456,
                2f64.powi(63),
                -(2f64.powi(63)),
                1e19,
            ];
            if r.below(2) == 0 {
                V::Real(*r.pick(&specials))
            } else {
                let f = if extreme {
                    f64::from_bits(r.next())
                } else {
                    let m = (r.next() >> 11) as f64 / (1u64 << 53) as f64 + 1.0;
                    let e = r.below(581) as i32 - 290;
                    m * 10f64.powi(e) * if r.below(2) == 0 { 1.0 } else { -1.0 }
                };
                V::Real(if f.is_finite() { f } else { 0.5 })
            }
        }
        3 | 4 => {
            let mut s = r.pick(TEXTS).to_string();
            if r.below(3) == 0 {
                let more: &&str = r.pick(TEXTS);
                s.push_str(more);
            }
            V::Text(s)
        }
        _ => {
            let n = *r.pick(&[0usize, 1, 3, 16, 10_000]);
            V::Blob(
                (0..n)
                    .map(|_| if r.below(4) == 0 { 0 } else { r.next() as u8 })
                    .collect(),
            )
        }
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Build a random database into `conn`.
fn build(seed: u64, conn: &rusqlite::Connection, extreme: bool) {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let ntables = 1 + r.below(4);
    for t in 0..ntables {
        let tname = format!("t{t} {}", r.pick(NAMES));
        let ncols = 1 + r.below(4);
        let mut cols: Vec<String> = Vec::new();
        while cols.len() < ncols {
            let n = r.pick(NAMES).to_string();
            if !cols.iter().any(|c| c.eq_ignore_ascii_case(&n)) {
                cols.push(n);
            }
        }
        let defs: Vec<String> = cols
            .iter()
            .map(|c| format!("{} {}", quote(c), r.pick(TYPES)))
            .collect();
        let kind = r.below(4);
        let sql = match kind {
            0 => format!("CREATE TABLE {}({})", quote(&tname), defs.join(", ")),
            1 => format!(
                "CREATE TABLE {}(id INTEGER PRIMARY KEY, {})",
                quote(&tname),
                defs.join(", ")
            ),
            2 => format!(
                "CREATE TABLE {}(id INTEGER PRIMARY KEY AUTOINCREMENT, {})",
                quote(&tname),
                defs.join(", ")
            ),
            _ => {
                let dir = |r: &mut Rng| *r.pick(&["", " DESC"]);
                let coll = |r: &mut Rng| *r.pick(&["", " COLLATE NOCASE", " COLLATE RTRIM"]);
                format!(
                    "CREATE TABLE {}(k1, k2 TEXT, {}, PRIMARY KEY (k1{}{}, k2{}{})) WITHOUT ROWID",
                    quote(&tname),
                    defs.join(", "),
                    coll(&mut r),
                    dir(&mut r),
                    coll(&mut r),
                    dir(&mut r)
                )
            }
        };
        conn.execute_batch(&sql).unwrap();
        let nrows = r.below(30);
        for i in 0..nrows {
            let mut names: Vec<String> = cols.iter().map(|c| quote(c)).collect();
            let mut vals: Vec<V> = cols.iter().map(|_| value(&mut r, extreme)).collect();
            if kind == 3 {
                names.extend(["k1".to_string(), "k2".to_string()]);
                let k1 = match r.below(3) {
                    0 => V::Integer(i as i64 % 4),
                    1 => V::Real(i as f64 / 8.0),
                    _ => V::Text(format!("K{}", i % 3)),
                };
                vals.extend([
                    k1,
                    V::Text(format!("v{i}{}", if i % 2 == 0 { "" } else { " " })),
                ]);
            }
            let marks = vec!["?"; vals.len()].join(", ");
            let ins = format!(
                "INSERT OR IGNORE INTO {}({}) VALUES ({marks})",
                quote(&tname),
                names.join(", ")
            );
            conn.execute(&ins, rusqlite::params_from_iter(vals))
                .unwrap();
        }
        if kind == 2 && r.below(2) == 0 {
            conn.execute_batch(&format!("DELETE FROM {} WHERE id % 2 = 0", quote(&tname)))
                .unwrap();
        }
        if r.below(2) == 0 {
            conn.execute_batch(&format!(
                "CREATE INDEX {} ON {}({} DESC)",
                quote(&format!("i{t}")),
                quote(&tname),
                quote(&cols[0])
            ))
            .unwrap();
        }
        if r.below(3) == 0 {
            conn.execute_batch(&format!(
                "CREATE VIEW {} AS SELECT * FROM {} -- view {t}\n",
                quote(&format!("v{t}")),
                quote(&tname)
            ))
            .unwrap();
        }
        if r.below(3) == 0 {
            conn.execute_batch(&format!(
                "CREATE TRIGGER {} AFTER DELETE ON {} BEGIN SELECT 'it''s;'; END",
                quote(&format!("tr{t}")),
                quote(&tname)
            ))
            .unwrap();
        }
    }
}

/// Equal snapshots, or a failure showing the first entry that differs (shortened).
#[track_caller]
fn same(got: &[String], want: &[String], what: &str) {
    if got == want {
        return;
    }
    let cut = |s: Option<&String>| s.map(|s| s.chars().take(300).collect::<String>());
    let i = (0..got.len().max(want.len()))
        .find(|&i| got.get(i) != want.get(i))
        .unwrap_or(0);
    panic!(
        "{what}: entry {i} differs:\n got: {:?}\nwant: {:?}",
        cut(got.get(i)),
        cut(want.get(i))
    );
}

fn dump_text(target: &str) -> String {
    let out = shell().arg("dump").arg(target).run();
    out.ok().to_string()
}

/// Dump `db`, load the text into a new file with `batch` (and with `sqlite3` if asked),
/// and check both copies and the dump of the copy.
fn check_round_trip(db: &Db, seed: u64, with_sqlite3: bool) {
    let original = snapshot(&file_of(db));
    let text = dump_text(&db.target());
    let dir = tempfile::tempdir().unwrap();
    if with_sqlite3 {
        let via_sqlite3 = dir.path().join("sqlite3.db");
        sqlite3(&via_sqlite3, &[], Some(&text));
        same(
            &snapshot(&via_sqlite3),
            &original,
            &format!("seed {seed}: loaded with sqlite3"),
        );
    }
    let script = dir.path().join("dump.sql");
    std::fs::write(&script, &text).unwrap();
    let via_batch = dir.path().join("batch.db");
    let out = shell().arg("batch").arg(&via_batch).arg(&script).run();
    assert_eq!(out.code, 0, "seed {seed}: {}", out.stderr);
    same(
        &snapshot(&via_batch),
        &original,
        &format!("seed {seed}: loaded with batch"),
    );
    assert_eq!(
        dump_text(via_batch.to_str().unwrap()),
        text,
        "seed {seed}: dump of the copy"
    );
}

#[test]
fn random_databases_survive_dump_and_load() {
    for seed in 0..40u64 {
        let db = Db::new(Backend::Local);
        build(
            seed,
            &rusqlite::Connection::open(file_of(&db)).unwrap(),
            false,
        );
        check_round_trip(&db, seed, true);
    }
}

#[test]
fn random_reals_of_any_exponent_survive_dump_and_load() {
    for seed in 200..230u64 {
        let db = Db::new(Backend::Local);
        build(
            seed,
            &rusqlite::Connection::open(file_of(&db)).unwrap(),
            true,
        );
        check_round_trip(&db, seed, true);
    }
}

#[test]
fn random_databases_dump_the_same_on_every_transport() {
    for seed in 100..106u64 {
        let local = Db::new(Backend::Local);
        build(
            seed,
            &rusqlite::Connection::open(file_of(&local)).unwrap(),
            true,
        );
        let text = dump_text(&local.target());
        for b in REMOTE_BACKENDS {
            let remote = Db::new(*b);
            build(
                seed,
                &rusqlite::Connection::open(file_of(&remote)).unwrap(),
                true,
            );
            assert_eq!(dump_text(&remote.target()), text, "seed {seed} on {b:?}");
        }
    }
}

/// Every REAL survives dump → load bit for bit, into libSQL (the test server, over HTTP) and
/// into stock SQLite (the sqlite3 CLI): doubles from random 64-bit patterns (every exponent,
/// subnormals included), plus the values whose plain 17-digit literals libSQL or sqlite3 3.40
/// misread (-1.0e-300 reads as -9.9999999999999986e-301 in libSQL).
#[test]
fn reals_from_random_bits_load_bit_exact_into_libsql_and_sqlite3() {
    let mut r = Rng(0x5eed_0f1e_e7e7);
    let mut reals = vec![
        1e-300,
        -1e-300,
        1e300,
        -1e300,
        5e-324,
        -5e-324,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -0.0,
        0.1,
        1.5e-300,
    ];
    while reals.len() < 3000 {
        let f = f64::from_bits(r.next());
        if f.is_finite() {
            reals.push(f);
        }
    }
    let db = Db::new(Backend::Local);
    {
        let mut c = rusqlite::Connection::open(file_of(&db)).unwrap();
        let tx = c.transaction().unwrap();
        tx.execute_batch("CREATE TABLE r(i INTEGER PRIMARY KEY, x); CREATE TABLE t(y REAL)")
            .unwrap();
        for (i, f) in reals.iter().enumerate() {
            tx.execute(
                "INSERT INTO r VALUES (?1, ?2)",
                rusqlite::params![i as i64, f],
            )
            .unwrap();
            tx.execute("INSERT INTO t VALUES (?1)", [f]).unwrap();
        }
        tx.commit().unwrap();
    }
    let original = snapshot(&file_of(&db));
    let text = dump_text(&db.target());
    let dir = tempfile::tempdir().unwrap();

    let script = dir.path().join("dump.sql");
    std::fs::write(&script, &text).unwrap();
    let server = Db::new(Backend::Http);
    let out = shell().arg("batch").arg(server.target()).arg(&script).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    same(
        &snapshot(&file_of(&server)),
        &original,
        "loaded into the test server (libSQL)",
    );

    let via_sqlite3 = dir.path().join("sqlite3.db");
    sqlite3(&via_sqlite3, &[], Some(&text));
    same(&snapshot(&via_sqlite3), &original, "loaded with sqlite3");
}
