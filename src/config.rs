//! Named connections: a TOML file of `[databases.NAME]` entries, so `libsql-shell @prod`
//! needs neither the URL nor the token on the command line (or in shell history).
//!
//! ```toml
//! [databases.prod]
//! url = "libsql://prod-org.turso.io"
//! auth_token_env = "PROD_TOKEN"     # read the token from this variable
//!
//! [databases.dev]
//! url = "libsql://127.0.0.1:8080?tls=0"
//! auth_token = "..."                # inline: only if the file is chmod 600
//!
//! [databases.alpha]
//! url = "libsql://tenants.example.com"
//! namespace = "alpha"               # a database of a multi-tenant sqld
//! encryption_key_env = "ALPHA_KEY"  # an encrypted Turso database's key, from this variable
//! ```
//!
//! The file is `--config PATH`, else `$LIBSQL_SHELL_CONFIG`, else
//! `<config dir>/libsql-shell/config.toml`. Parsing is pure ([`Config::parse`] takes the text
//! and whether the file is private); only [`load`] touches the file system. An inline token
//! is held as an [`AuthToken`] from the moment it is parsed, and is refused when the file is
//! readable by group or others.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::token::{AuthToken, EncryptionKey};

/// Environment variable naming the config file.
pub const CONFIG_ENV: &str = "LIBSQL_SHELL_CONFIG";

/// A problem with the config file or a name looked up in it (exit 2). Never holds a token.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Where an entry's token comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    None,
    /// The value of this environment variable.
    Env(String),
    /// Written in the file.
    Inline(AuthToken),
}

/// One `[databases.NAME]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub url: String,
    pub token: TokenSource,
    /// The namespace (database) on a multi-tenant sqld.
    pub namespace: Option<String>,
    /// The variable holding the database's encryption key.
    pub encryption_key_env: Option<String>,
}

/// The parsed file. A missing file is an empty config (`exists == false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub path: PathBuf,
    pub exists: bool,
    /// Not readable by group or others (always true where permissions are not checked).
    pub private: bool,
    pub databases: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    databases: BTreeMap<String, RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    url: String,
    auth_token_env: Option<String>,
    auth_token: Option<String>,
    namespace: Option<String>,
    encryption_key_env: Option<String>,
}

/// The config file's path: `--config`, else `$LIBSQL_SHELL_CONFIG`, else
/// `<default_dir>/libsql-shell/config.toml` (`default_dir` is the platform config dir).
pub fn path(
    flag: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
    default_dir: Option<PathBuf>,
) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| env(CONFIG_ENV).filter(|s| !s.is_empty()).map(PathBuf::from))
        .or_else(|| default_dir.map(|d| d.join("libsql-shell").join("config.toml")))
}

/// The path for this process (platform config dir from `dirs`).
pub fn default_path(flag: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    path(flag, env, dirs::config_dir())
}

/// Is `name` a reference to a named connection (`@prod`)? Returns the name without `@`.
pub fn reference(name: &str) -> Option<&str> {
    name.strip_prefix('@')
}

impl Config {
    /// An empty config for a file that does not exist.
    pub fn missing(path: PathBuf) -> Config {
        Config {
            path,
            exists: false,
            private: true,
            databases: BTreeMap::new(),
        }
    }

    /// Parse the file's text. Errors name the file and line but never quote it (a line may
    /// hold a token).
    pub fn parse(path: PathBuf, text: &str, private: bool) -> Result<Config, ConfigError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let at = line.map(|l| format!(", line {l}")).unwrap_or_default();
            ConfigError(format!(
                "invalid config file {}{at}: {}",
                path.display(),
                without_quoted(e.message().trim_end())
            ))
        })?;
        let mut databases = BTreeMap::new();
        for (name, e) in raw.databases {
            if !valid_name(&name) {
                return Err(ConfigError(format!(
                    "invalid config file {}: database name '{name}' may only hold letters, digits, '-', '_' and '.'",
                    path.display()
                )));
            }
            if e.url.starts_with('@') {
                return Err(ConfigError(format!(
                    "invalid config file {}: [databases.{name}] url must be a database, not another @name",
                    path.display()
                )));
            }
            if url_has_secret(&e.url) {
                return Err(ConfigError(format!(
                    "invalid config file {}: [databases.{name}] url may only carry tls=0|1; put the token in auth_token_env or auth_token",
                    path.display()
                )));
            }
            let token = match (e.auth_token_env, e.auth_token) {
                (Some(_), Some(_)) => {
                    return Err(ConfigError(format!(
                        "invalid config file {}: [databases.{name}] has both auth_token and auth_token_env; keep one",
                        path.display()
                    )))
                }
                (Some(var), None) => TokenSource::Env(var),
                (None, Some(t)) => TokenSource::Inline(AuthToken::new(t)),
                (None, None) => TokenSource::None,
            };
            databases.insert(
                name,
                Entry {
                    url: e.url,
                    token,
                    namespace: e.namespace,
                    encryption_key_env: e.encryption_key_env,
                },
            );
        }
        Ok(Config {
            path,
            exists: true,
            private,
            databases,
        })
    }

    /// Look up `@name`; an unknown name lists the known ones.
    pub fn get(&self, name: &str) -> Result<&Entry, ConfigError> {
        if let Some(e) = self.databases.get(name) {
            return Ok(e);
        }
        let path = self.path.display();
        if !self.exists {
            return Err(ConfigError(format!(
                "unknown database '@{name}': there is no config file at {path} (create it, or pass --config PATH)"
            )));
        }
        let known: Vec<String> = self.databases.keys().map(|k| format!("@{k}")).collect();
        let known = if known.is_empty() {
            "it defines none".to_string()
        } else {
            format!("known: {}", known.join(", "))
        };
        Err(ConfigError(format!(
            "unknown database '@{name}' in {path}; {known}"
        )))
    }

    /// The entry's own token, given the environment. `Ok(None)` when the entry has none.
    /// An inline token in a file readable by others is refused; so is an `auth_token_env`
    /// naming a variable that is not set (the user asked for a token and would get none).
    pub fn entry_token(
        &self,
        name: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<AuthToken>, ConfigError> {
        let entry = self.get(name)?;
        match &entry.token {
            TokenSource::None => Ok(None),
            TokenSource::Inline(t) => {
                if !self.private {
                    let p = self.path.display();
                    return Err(ConfigError(format!(
                        "refusing the inline auth_token of @{name}: {p} is readable by group or others; run `chmod 600 {p}` (or use auth_token_env)"
                    )));
                }
                Ok(Some(t.clone()))
            }
            TokenSource::Env(var) => match env(var).filter(|v| !v.is_empty()) {
                Some(v) => Ok(Some(AuthToken::new(v))),
                None => Err(ConfigError(format!(
                    "@{name} takes its token from ${var}, which is not set (set it, or pass --auth-token)"
                ))),
            },
        }
    }
}

impl Config {
    /// The entry's encryption key, from its `encryption_key_env`. `Ok(None)` when the entry
    /// names none; an error when the variable is not set.
    pub fn entry_encryption_key(
        &self,
        name: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<EncryptionKey>, ConfigError> {
        let Some(var) = &self.get(name)?.encryption_key_env else {
            return Ok(None);
        };
        match env(var).filter(|v| !v.is_empty()) {
            Some(v) => Ok(Some(EncryptionKey::new(v))),
            None => Err(ConfigError(format!(
                "@{name} takes its encryption key from ${var}, which is not set (set it, or pass --encryption-key)"
            ))),
        }
    }
}

/// A parser message with its double-quoted values elided: serde quotes the value it could
/// not use (`invalid type: string "...", expected ...`), and that value may be a token.
fn without_quoted(msg: &str) -> String {
    let mut out = String::new();
    let mut parts = msg.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    for (i, part) in rest.iter().enumerate() {
        if i % 2 == 1 {
            out.push_str(part);
        } else if i + 1 < rest.len() {
            out.push_str("\"...\"");
        } else {
            // An unterminated quote: elide to the end.
            out.push_str("\"...");
        }
    }
    out
}

/// Does a `scheme://` url hold credentials or a query parameter other than `tls`? Such a url
/// is refused by the resolver anyway; refusing it here keeps it out of `config list`.
fn url_has_secret(url: &str) -> bool {
    if !url.contains("://") {
        return false;
    }
    match url::Url::parse(url) {
        Ok(u) => {
            !u.username().is_empty()
                || u.password().is_some()
                || u.query_pairs().any(|(k, _)| k != "tls")
        }
        Err(_) => false,
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// Read the config file at `path`; a missing file is an empty config.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config::missing(path.to_path_buf()))
        }
        Err(e) => {
            return Err(ConfigError(format!(
                "cannot read config file {}: {e}",
                path.display()
            )))
        }
    };
    Config::parse(path.to_path_buf(), &text, is_private(path))
}

/// Not readable, writable or executable by group or others (`mode & 0o077 == 0`).
#[cfg(unix)]
fn is_private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
}

/// Permissions are not checked where there are no unix modes.
#[cfg(not(unix))]
fn is_private(_path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, private: bool) -> Result<Config, ConfigError> {
        Config::parse(PathBuf::from("/home/u/.config/c.toml"), text, private)
    }

    const FILE: &str = r#"
[databases.prod]
url = "libsql://prod-org.turso.io"
auth_token_env = "PROD_TOKEN"

[databases.dev]
url = "libsql://127.0.0.1:8080?tls=0"
auth_token = "inline-sekrit"

[databases.local]
url = "/tmp/x.db"
"#;

    #[test]
    fn paths() {
        let none = |_: &str| None;
        let env = |k: &str| (k == CONFIG_ENV).then(|| "/env/c.toml".to_string());
        let dir = Some(PathBuf::from("/cfg"));
        assert_eq!(
            path(Some(Path::new("/flag.toml")), &env, dir.clone()).unwrap(),
            PathBuf::from("/flag.toml")
        );
        assert_eq!(
            path(None, &env, dir.clone()).unwrap(),
            PathBuf::from("/env/c.toml")
        );
        assert_eq!(
            path(None, &none, dir).unwrap(),
            PathBuf::from("/cfg/libsql-shell/config.toml")
        );
        assert_eq!(path(None, &none, None), None);
    }

    #[test]
    fn entries() {
        let c = parse(FILE, true).unwrap();
        assert_eq!(c.databases.len(), 3);
        assert_eq!(c.get("prod").unwrap().url, "libsql://prod-org.turso.io");
        assert_eq!(
            c.get("prod").unwrap().token,
            TokenSource::Env("PROD_TOKEN".into())
        );
        assert_eq!(c.get("local").unwrap().token, TokenSource::None);
        let env = |k: &str| (k == "PROD_TOKEN").then(|| "from-env".to_string());
        assert_eq!(
            c.entry_token("prod", &env).unwrap().unwrap().expose(),
            "from-env"
        );
        assert_eq!(
            c.entry_token("dev", &env).unwrap().unwrap().expose(),
            "inline-sekrit"
        );
        assert_eq!(c.entry_token("local", &env).unwrap(), None);
        let e = c.entry_token("prod", &|_| None).unwrap_err().0;
        assert!(e.contains("$PROD_TOKEN, which is not set"), "{e}");
    }

    #[test]
    fn unknown_names_list_known_ones() {
        let c = parse(FILE, true).unwrap();
        let e = c.get("stage").unwrap_err().0;
        assert_eq!(
            e,
            "unknown database '@stage' in /home/u/.config/c.toml; known: @dev, @local, @prod"
        );
        let e = Config::missing("/nope.toml".into()).get("x").unwrap_err().0;
        assert!(e.contains("no config file at /nope.toml"), "{e}");
    }

    #[test]
    fn inline_token_refused_when_others_can_read() {
        let c = parse(FILE, false).unwrap();
        let e = c.entry_token("dev", &|_| None).unwrap_err().0;
        assert!(e.contains("chmod 600 /home/u/.config/c.toml"), "{e}");
        assert!(!e.contains("inline-sekrit"));
        // Entries without an inline token are still usable.
        assert_eq!(c.entry_token("local", &|_| None).unwrap(), None);
    }

    #[test]
    fn errors_never_quote_the_file() {
        let text = "[databases.dev]\nurl = \"x.db\"\nauth_token = sekrit-unquoted\n";
        let e = parse(text, true).unwrap_err().0;
        assert!(e.contains("line 3"), "{e}");
        assert!(!e.contains("sekrit"), "{e}");
        let text = "[databases.dev]\nurl = \"x.db\"\ntoken = \"sekrit\"\n";
        let e = parse(text, true).unwrap_err().0;
        assert!(e.contains("unknown field `token`"), "{e}");
        assert!(!e.contains("sekrit"), "{e}");
        let text = "[databases]\ndev = \"sekrit\"\n";
        let e = parse(text, true).unwrap_err().0;
        assert!(e.contains("invalid type: string \"...\""), "{e}");
        assert!(!e.contains("sekrit"), "{e}");
        let both = "[databases.d]\nurl = \"x\"\nauth_token = \"a\"\nauth_token_env = \"B\"\n";
        assert!(parse(both, true).unwrap_err().0.contains("keep one"));
        let nested = "[databases.d]\nurl = \"@other\"\n";
        assert!(parse(nested, true)
            .unwrap_err()
            .0
            .contains("not another @name"));
        let in_url = "[databases.d]\nurl = \"libsql://h.turso.io?authToken=sekrit\"\n";
        let e = parse(in_url, true).unwrap_err().0;
        assert!(e.contains("may only carry tls=0|1"), "{e}");
        assert!(!e.contains("sekrit"), "{e}");
        let userinfo = "[databases.d]\nurl = \"https://u:sekrit@h.turso.io\"\n";
        assert!(parse(userinfo, true).is_err());
        let ok = "[databases.d]\nurl = \"libsql://127.0.0.1:8080?tls=0\"\n";
        assert!(parse(ok, true).is_ok());
        assert!(format!("{:?}", parse(FILE, true).unwrap()).contains("Secret(redacted)"));
        assert!(!format!("{:?}", parse(FILE, true).unwrap()).contains("inline-sekrit"));
    }
}
