//! What only an in-process SQLite connection can do: the C API behind sqlite3's `.limit`,
//! `.load`, `.backup`, `.restore` and `.vfsname`, as functions of a rusqlite connection. The
//! local transport implements [`Native`] with them; a remote database has none of it.

use std::ffi::{c_char, c_int, CStr, CString};
use std::path::Path;

use rusqlite::{ffi, Connection};

/// SQLite's run-time limits, in `sqlite3_limit` order, with sqlite3's names.
pub const LIMITS: &[(&str, c_int)] = &[
    ("length", ffi::SQLITE_LIMIT_LENGTH),
    ("sql_length", ffi::SQLITE_LIMIT_SQL_LENGTH),
    ("column", ffi::SQLITE_LIMIT_COLUMN),
    ("expr_depth", ffi::SQLITE_LIMIT_EXPR_DEPTH),
    ("compound_select", ffi::SQLITE_LIMIT_COMPOUND_SELECT),
    ("vdbe_op", ffi::SQLITE_LIMIT_VDBE_OP),
    ("function_arg", ffi::SQLITE_LIMIT_FUNCTION_ARG),
    ("attached", ffi::SQLITE_LIMIT_ATTACHED),
    ("like_pattern_length", ffi::SQLITE_LIMIT_LIKE_PATTERN_LENGTH),
    ("variable_number", ffi::SQLITE_LIMIT_VARIABLE_NUMBER),
    ("trigger_depth", ffi::SQLITE_LIMIT_TRIGGER_DEPTH),
    ("worker_threads", ffi::SQLITE_LIMIT_WORKER_THREADS),
];

/// The connection-level operations sqlite3's shell performs through the C API.
pub trait Native {
    /// Read limit `id` (one of [`LIMITS`]), after setting it to `value` if given.
    fn limit(&mut self, id: c_int, value: Option<c_int>) -> c_int;
    /// Load an extension library.
    fn load_extension(&mut self, file: &str, entry: Option<&str>) -> Result<(), String>;
    /// Copy the whole `main` database into `file` (replacing its content), page by page.
    fn backup_to(&mut self, file: &Path) -> Result<(), String>;
    /// Replace the `main` database's content with `file`'s, page by page.
    fn restore_from(&mut self, file: &Path) -> Result<(), String>;
    /// The name of the VFS stack `main` uses.
    fn vfs_name(&mut self) -> Option<String>;
    /// sqlite3_changes64 and sqlite3_total_changes64 (what sqlite3's `.changes` prints).
    fn change_counts(&mut self) -> (i64, i64);
}

fn c_path(p: &Path) -> Result<CString, String> {
    CString::new(p.to_string_lossy().as_bytes()).map_err(|_| "a file name with a NUL byte".into())
}

/// The last error message of `db`.
///
/// # Safety
/// `db` must be a live connection handle.
unsafe fn errmsg(db: *mut ffi::sqlite3) -> String {
    CStr::from_ptr(ffi::sqlite3_errmsg(db))
        .to_string_lossy()
        .into_owned()
}

/// Copy `main` of `from` into `main` of `to` with the backup API.
fn copy(from: &Connection, to: &Connection) -> Result<(), String> {
    // SAFETY: both handles are live for the whole call (borrowed connections); the backup
    // object is finished before returning, on every path.
    unsafe {
        let main = c"main".as_ptr();
        let b = ffi::sqlite3_backup_init(to.handle(), main, from.handle(), main);
        if b.is_null() {
            return Err(errmsg(to.handle()));
        }
        let mut rc;
        loop {
            rc = ffi::sqlite3_backup_step(b, 100);
            match rc {
                ffi::SQLITE_OK => continue,
                ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => ffi::sqlite3_sleep(100),
                _ => break,
            };
        }
        ffi::sqlite3_backup_finish(b);
        if rc == ffi::SQLITE_DONE {
            Ok(())
        } else {
            Err(errmsg(to.handle()))
        }
    }
}

/// Read limit `id`, after setting it to `value` if given.
pub fn limit(db: &Connection, id: c_int, value: Option<c_int>) -> c_int {
    // SAFETY: a live handle; sqlite3_limit only reads or sets an integer on it.
    unsafe {
        if let Some(v) = value {
            ffi::sqlite3_limit(db.handle(), id, v);
        }
        ffi::sqlite3_limit(db.handle(), id, -1)
    }
}

/// Load an extension library into `db`.
pub fn load_extension(db: &Connection, file: &str, entry: Option<&str>) -> Result<(), String> {
    let file = CString::new(file).map_err(|_| "a file name with a NUL byte".to_string())?;
    let entry = entry
        .map(CString::new)
        .transpose()
        .map_err(|_| "an entry point with a NUL byte".to_string())?;
    // SAFETY: a live handle; the strings outlive the call; the error message is freed
    // with sqlite3_free as the API requires; loading is switched off again afterwards.
    unsafe {
        ffi::sqlite3_enable_load_extension(db.handle(), 1);
        let mut err: *mut c_char = std::ptr::null_mut();
        let rc = ffi::sqlite3_load_extension(
            db.handle(),
            file.as_ptr(),
            entry.as_ref().map_or(std::ptr::null(), |e| e.as_ptr()),
            &mut err,
        );
        ffi::sqlite3_enable_load_extension(db.handle(), 0);
        if rc == ffi::SQLITE_OK {
            return Ok(());
        }
        let msg = if err.is_null() {
            errmsg(db.handle())
        } else {
            let m = CStr::from_ptr(err).to_string_lossy().into_owned();
            ffi::sqlite3_free(err.cast());
            m
        };
        Err(msg)
    }
}

/// Copy `main` of `db` into `file` (its content replaced), page by page.
pub fn backup_to(db: &Connection, file: &Path) -> Result<(), String> {
    c_path(file)?;
    let dest = Connection::open(file).map_err(|e| e.to_string())?;
    copy(db, &dest)
}

/// Replace `main` of `db` with `file`'s content, page by page.
pub fn restore_from(db: &Connection, file: &Path) -> Result<(), String> {
    if !file.exists() {
        return Err(format!("cannot open \"{}\"", file.display()));
    }
    let src = Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    copy(&src, db)
}

/// sqlite3_changes64 and sqlite3_total_changes64 of `db`.
pub fn change_counts(db: &Connection) -> (i64, i64) {
    // SAFETY: a live handle; both calls only read counters on it.
    unsafe {
        (
            ffi::sqlite3_changes64(db.handle()),
            ffi::sqlite3_total_changes64(db.handle()),
        )
    }
}

/// The name of the VFS stack `main` uses.
pub fn vfs_name(db: &Connection) -> Option<String> {
    // SAFETY: SQLITE_FCNTL_VFSNAME writes a string allocated with sqlite3_malloc into
    // `name`, which we copy and free.
    unsafe {
        let mut name: *mut c_char = std::ptr::null_mut();
        ffi::sqlite3_file_control(
            db.handle(),
            c"main".as_ptr(),
            ffi::SQLITE_FCNTL_VFSNAME,
            (&mut name as *mut *mut c_char).cast(),
        );
        if name.is_null() {
            return None;
        }
        let s = CStr::from_ptr(name).to_string_lossy().into_owned();
        ffi::sqlite3_free(name.cast());
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::local::{LocalOptions, LocalTransport};

    #[test]
    fn limits_backup_restore_vfs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut t = LocalTransport::open(&path.to_string_lossy(), LocalOptions::default()).unwrap();
        assert_eq!(t.limit(ffi::SQLITE_LIMIT_COLUMN, Some(100)), 100);
        assert_eq!(t.limit(ffi::SQLITE_LIMIT_COLUMN, None), 100);
        t.connection()
            .execute_batch("CREATE TABLE a(x); INSERT INTO a VALUES (42);")
            .unwrap();
        let f = dir.path().join("copy.db");
        t.backup_to(&f).unwrap();
        let copy = Connection::open(&f).unwrap();
        let v: i64 = copy.query_row("SELECT x FROM a", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 42);
        copy.execute_batch("DROP TABLE a; CREATE TABLE b(y);")
            .unwrap();
        drop(copy);
        t.restore_from(&f).unwrap();
        let n: i64 = t
            .connection()
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'b'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
        assert!(t.restore_from(&dir.path().join("missing.db")).is_err());
        assert!(t.load_extension("/no/such/extension", None).is_err());
        assert_eq!(t.vfs_name().as_deref(), Some("unix"));
        t.connection()
            .execute_batch("CREATE TABLE c(x); INSERT INTO c VALUES (1), (2);")
            .unwrap();
        assert_eq!(t.change_counts(), (2, 3));
    }
}
