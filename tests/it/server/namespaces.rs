//! Several databases on one server, as sqld serves them with `--enable-namespaces`: each
//! request names its database by the `x-namespace` header (newer sqld: `x-namespace-bin`),
//! else by the first label of its `Host`; without either, the default database, unless the
//! server was started with `--disable-default-namespace`. The refusals are sqld's: 400
//! `{"error":"Namespace `x` doesn't exist"}`, and 400 `Invalid host header: ...` when none
//! is named and there is no default.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value as Json};

/// The server's databases by namespace (`default` is the server's main database).
#[derive(Debug)]
pub struct Namespaces {
    dbs: HashMap<String, PathBuf>,
    default_enabled: bool,
}

impl Namespaces {
    /// One database file per name in `dir`, besides the default one at `default_db`.
    pub fn create(dir: &Path, default_db: &Path, names: &[String], default_enabled: bool) -> Self {
        let mut dbs = HashMap::new();
        dbs.insert("default".to_string(), default_db.to_path_buf());
        for name in names {
            let path = dir.join(format!("ns-{name}.db"));
            let conn = rusqlite::Connection::open(&path).expect("create a namespace's database");
            conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
                .expect("WAL mode");
            dbs.insert(name.clone(), path);
        }
        Namespaces {
            dbs,
            default_enabled,
        }
    }

    /// The file of namespace `name`, if it exists.
    pub fn path(&self, name: &str) -> Option<&Path> {
        self.dbs.get(name).map(PathBuf::as_path)
    }

    /// The database a request names by its headers (lower-case names), or sqld's refusal.
    pub fn resolve(&self, headers: &[(String, String)]) -> Result<PathBuf, (u16, Json)> {
        let header = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        let named = match header("x-namespace").or_else(|| header("x-namespace-bin")) {
            Some(ns) => Some(ns.to_string()),
            None => header("host")
                .and_then(|h| h.split_once('.'))
                .map(|(ns, _)| ns.to_string()),
        };
        let name = match named {
            Some(ns) if !ns.is_empty() => ns,
            _ if self.default_enabled => "default".to_string(),
            _ => {
                return Err((
                    400,
                    json!({"error": "Invalid host header: `host header should be in the format <namespace>.<...>`"}),
                ))
            }
        };
        self.dbs.get(&name).cloned().ok_or_else(|| {
            (
                400,
                json!({"error": format!("Namespace `{name}` doesn't exist")}),
            )
        })
    }
}
