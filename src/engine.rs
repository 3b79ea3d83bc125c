//! The local engine: libSQL (SQLite plus libSQL's additions: vector types, functions and
//! indexes, `RANDOM ROWID`, `ALTER TABLE … ALTER COLUMN`), linked through `libsql-rusqlite`
//! (whose library is named `rusqlite`). Local files, `:memory:`, the statement splitter's
//! `sqlite3_complete`, identifier quoting and the keyword list all come from it, so SQL that
//! works on sqld or Turso works on a local file.

use std::ffi::CStr;

/// libSQL's version (`libsql_libversion()`), e.g. `0.2.3`.
pub fn libsql_version() -> &'static str {
    // SAFETY: libsql_libversion returns a pointer to a static NUL-terminated string.
    let v = unsafe { CStr::from_ptr(rusqlite::ffi::libsql_libversion()) };
    v.to_str().unwrap_or("?")
}

/// The SQLite version libSQL is built on (`sqlite_version()`), e.g. `3.47.0`.
pub fn sqlite_version() -> &'static str {
    rusqlite::version()
}

/// The engine as `--version`, the local banner and `.transport` name it:
/// `libSQL 0.2.3, SQLite 3.47.0`.
pub fn describe() -> String {
    format!("libSQL {}, SQLite {}", libsql_version(), sqlite_version())
}

/// What libSQL adds to SQLite's SQL that completion offers besides SQLite's keyword list
/// (which already includes libSQL's own keywords, such as `RANDOM` of `RANDOM ROWID`):
/// the vector functions and the index function, the `vector_top_k` table-valued function,
/// and the vector column types. A test checks the functions against the engine's own list.
pub const LIBSQL_WORDS: &[&str] = &[
    // functions
    "vector",
    "vector32",
    "vector64",
    "vector1bit",
    "vector8",
    "vector16",
    "vectorb16",
    "vector_extract",
    "vector_distance_cos",
    "vector_distance_l2",
    "libsql_vector_idx",
    // table-valued function of a vector index
    "vector_top_k",
    // column types
    "F32_BLOB",
    "F64_BLOB",
    "F16_BLOB",
    "FB16_BLOB",
    "F8_BLOB",
    "F1BIT_BLOB",
    "FLOAT32",
    "FLOAT64",
    "FLOAT16",
    "FLOATB16",
    "FLOAT8",
    "FLOAT1BIT",
];

/// The keywords libSQL adds to SQLite's 147 (`CREATE FUNCTION … LANGUAGE`, `RANDOM ROWID`,
/// …). They stay usable as bare identifiers in libSQL and are none in stock SQLite, so names
/// are quoted as the sqlite3 shell quotes them (`INSERT INTO random VALUES(1)`).
pub const LIBSQL_ONLY_KEYWORDS: &[&str] = &["FUNCTION", "LANGUAGE", "RANDOM", "READONLY"];

/// Whether `word` needs quoting as an identifier: a keyword of the engine other than
/// [`LIBSQL_ONLY_KEYWORDS`] (`sqlite3_keyword_check`, so the list is the engine's own).
pub fn is_keyword(word: &str) -> bool {
    let Ok(len) = std::os::raw::c_int::try_from(word.len()) else {
        return false;
    };
    // SAFETY: sqlite3_keyword_check reads exactly `len` bytes from the pointer, which
    // points into a live &str of that length; it keeps no reference.
    let keyword = unsafe {
        rusqlite::ffi::sqlite3_keyword_check(word.as_ptr() as *const std::os::raw::c_char, len) != 0
    };
    keyword
        && !LIBSQL_ONLY_KEYWORDS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(word))
}

/// The words completion offers, upper case: the engine's keyword list
/// (`sqlite3_keyword_name`), then [`LIBSQL_WORDS`].
pub fn keywords() -> Vec<String> {
    use rusqlite::ffi;
    // SAFETY: sqlite3_keyword_name writes a pointer/length pair into our locals for an index
    // below sqlite3_keyword_count; the name is static memory inside the engine.
    let mut words: Vec<String> = unsafe {
        let n = ffi::sqlite3_keyword_count();
        (0..n)
            .filter_map(|i| {
                let mut p: *const std::os::raw::c_char = std::ptr::null();
                let mut len: std::os::raw::c_int = 0;
                if ffi::sqlite3_keyword_name(i, &mut p, &mut len) != ffi::SQLITE_OK || p.is_null() {
                    return None;
                }
                let bytes = std::slice::from_raw_parts(p as *const u8, len as usize);
                std::str::from_utf8(bytes).ok().map(str::to_string)
            })
            .collect()
    };
    for w in LIBSQL_WORDS {
        let w = w.to_ascii_uppercase();
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

/// The double the engine reads from the REAL literal `lit` (its own `sqlite3AtoF`, which
/// both the parser and `CAST(text AS REAL)` use), or None if it cannot be asked. One
/// in-memory connection per thread, opened on first use.
pub fn reads_real(lit: &str) -> Option<f64> {
    thread_local! {
        static CONN: Option<rusqlite::Connection> = rusqlite::Connection::open_in_memory().ok();
    }
    CONN.with(|c| {
        let c = c.as_ref()?;
        let mut stmt = c.prepare_cached("SELECT CAST(?1 AS REAL)").ok()?;
        stmt.query_row([lit], |r| r.get::<_, f64>(0)).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_libsqls() {
        assert!(libsql_version().starts_with("0."), "{}", libsql_version());
        assert!(sqlite_version().starts_with("3."), "{}", sqlite_version());
        assert_eq!(
            describe(),
            format!("libSQL {}, SQLite {}", libsql_version(), sqlite_version())
        );
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let v: String = conn
            .query_row("SELECT sqlite_version()", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, sqlite_version());
    }

    #[test]
    fn libsql_words_are_the_engines_functions() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT DISTINCT name FROM pragma_function_list \
                 WHERE name LIKE 'vector%' OR name LIKE 'libsql_vector%' ORDER BY name",
            )
            .unwrap();
        let engine: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut ours: Vec<String> = LIBSQL_WORDS
            .iter()
            .filter(|w| w.chars().all(|c| !c.is_ascii_uppercase()) && **w != "vector_top_k")
            .map(|w| w.to_string())
            .collect();
        ours.sort();
        assert_eq!(ours, engine);
        // vector_top_k is a table-valued function (a virtual table module).
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_module_list WHERE name = 'vector_top_k'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn libsql_only_keywords_are_keywords_and_still_identifiers() {
        let k = keywords();
        for w in LIBSQL_ONLY_KEYWORDS {
            assert!(k.iter().any(|x| x == w), "{w}");
            assert!(
                !is_keyword(w) && !is_keyword(&w.to_ascii_lowercase()),
                "{w}"
            );
        }
        assert!(is_keyword("select") && is_keyword("TABLE") && !is_keyword("docs"));
        // SQLite 3.47 has 147 keywords; libSQL's list is those plus these four.
        assert_eq!(
            k.len() - LIBSQL_WORDS.len(),
            147 + LIBSQL_ONLY_KEYWORDS.len()
        );
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE function(language, readonly, random); \
             INSERT INTO function(language, readonly, random) VALUES (1, 2, 3);",
        )
        .unwrap();
    }

    #[test]
    fn keywords_include_sqlite_and_libsql_words() {
        let k = keywords();
        for w in [
            "SELECT",
            "RANDOM",
            "VECTOR_TOP_K",
            "F32_BLOB",
            "VECTOR_DISTANCE_COS",
        ] {
            assert!(k.iter().any(|x| x == w), "{w}");
        }
    }
}
