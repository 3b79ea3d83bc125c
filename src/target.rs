//! Resolving what the user typed into a connection target and credentials. Pure: the
//! environment and the file system are passed in, so every rule is unit-tested.
//!
//! The rule between a bare host name and a relative file name (also in the README):
//! 1. `:memory:`, `file:` URIs, and anything with `--local` are local.
//! 2. `scheme://...` is remote (`libsql`, `https`, `http`, `wss`, `ws`); other schemes are errors.
//! 3. A name that exists on disk is local.
//! 4. A bare name is remote (HTTPS) only if it has no path separator and is a DNS name with
//!    at least three labels (`my-db-org.turso.io`), or `localhost`, or ends in `:PORT`; or if
//!    `--remote` is given. Names ending in a SQLite extension (`.db`, `.sqlite`, `.sqlite3`,
//!    `.db3`, `.s3db`, `.sl3`) are always local.
//! 5. Everything else is a local file (created if missing, as `sqlite3` does).

use crate::token::AuthToken;

/// Where to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A local database: a path, a `file:` URI or `:memory:`.
    Local { path: String },
    /// Hrana over HTTP; `url` is the base URL without a trailing slash.
    Http {
        url: String,
        host: String,
        port: u16,
    },
    /// Hrana over WebSocket.
    Ws {
        url: String,
        host: String,
        port: u16,
    },
}

impl Target {
    /// A short human name for prompts and messages.
    pub fn display_name(&self) -> &str {
        match self {
            Target::Local { path } => path,
            Target::Http { host, .. } | Target::Ws { host, .. } => host,
        }
    }
}

/// Force the interpretation of an ambiguous name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Force {
    #[default]
    Auto,
    Local,
    Remote,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct TargetError(pub String);

const SQLITE_EXTENSIONS: &[&str] = &["db", "sqlite", "sqlite3", "db3", "s3db", "sl3"];

/// Where the database name comes from: the argument, else `LIBSQL_URL`, else
/// `TURSO_DATABASE_URL`. `None` when none is given.
pub fn database_arg(arg: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    arg.map(str::to_string)
        .or_else(|| env("LIBSQL_URL").filter(|s| !s.is_empty()))
        .or_else(|| env("TURSO_DATABASE_URL").filter(|s| !s.is_empty()))
}

/// The token: `--auth-token`, else `LIBSQL_AUTH_TOKEN`, else `TURSO_AUTH_TOKEN`; with where
/// it came from, for messages.
pub fn auth_token(
    flag: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<(AuthToken, &'static str)> {
    let var = |k: &'static str| env(k).filter(|s| !s.is_empty()).map(|t| (t, k));
    flag.map(|t| (t.to_string(), "--auth-token"))
        .or_else(|| var("LIBSQL_AUTH_TOKEN"))
        .or_else(|| var("TURSO_AUTH_TOKEN"))
        .map(|(t, from)| (AuthToken::new(t), from))
}

/// Resolve a database name into a target. `exists` says whether a local path exists.
pub fn resolve(
    name: &str,
    force: Force,
    exists: &dyn Fn(&str) -> bool,
) -> Result<Target, TargetError> {
    if force == Force::Local || name == ":memory:" || name.starts_with("file:") {
        return Ok(Target::Local {
            path: name.to_string(),
        });
    }
    if let Some((scheme, _)) = name.split_once("://") {
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return resolve_url(name);
        }
    }
    if force == Force::Remote {
        return resolve_url(&format!("https://{name}"));
    }
    if exists(name) || !looks_like_host(name) {
        return Ok(Target::Local {
            path: name.to_string(),
        });
    }
    resolve_url(&format!("https://{name}"))
}

fn looks_like_host(name: &str) -> bool {
    let (host, port) = match name.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (name, None),
    };
    if let Some(p) = port {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.parse::<u16>().is_err() {
            return false;
        }
    }
    let labels: Vec<&str> = host.split('.').collect();
    let dns_label = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !labels.iter().all(dns_label) {
        return false;
    }
    let last = labels.last().copied().unwrap_or("");
    if labels.len() > 1 && SQLITE_EXTENSIONS.contains(&last.to_ascii_lowercase().as_str()) {
        return false;
    }
    host == "localhost" || port.is_some() || labels.len() >= 3
}

/// At most this much of what the user typed is quoted back in a message.
const EXCERPT_CHARS: usize = 40;

/// The start of `s` for a message: a 100 KB name is not echoed whole.
pub fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        Some((i, _)) => format!("{}... ({} bytes)", &s[..i], s.len()),
        None => s.to_string(),
    }
}

/// DNS limits (RFC 1035): a name of at most 253 bytes (without a final dot), labels of 1 to 63
/// bytes. IP addresses pass (an IPv4 address is short labels, IPv6 is in brackets).
fn check_host(host: &str) -> Result<(), TargetError> {
    if host.starts_with('[') {
        return Ok(());
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.len() > 253 {
        return Err(TargetError(format!(
            "host name {} is too long: a DNS name has at most 253 bytes",
            excerpt(host)
        )));
    }
    if let Some(label) = name.split('.').find(|l| l.is_empty() || l.len() > 63) {
        return Err(TargetError(format!(
            "host name {} has {}: DNS labels are 1 to 63 bytes",
            excerpt(host),
            if label.is_empty() {
                "an empty label".to_string()
            } else {
                format!("a label of {} bytes", label.len())
            }
        )));
    }
    Ok(())
}

fn resolve_url(s: &str) -> Result<Target, TargetError> {
    let url = url::Url::parse(s).map_err(|e| TargetError(format!("invalid database URL: {e}")))?;
    let scheme = url.scheme().to_string();
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| TargetError(format!("database URL has no host (scheme {scheme}://)")))?;
    // `libsql` is not a scheme the URL standard knows, so its host was kept opaque
    // (percent-encoded); it names an https:// host, so it is parsed as one (IDNA: punycode).
    let host = match scheme.as_str() {
        "libsql" => url::Host::parse(host)
            .map_err(|e| TargetError(format!("invalid host in database URL: {e}")))?
            .to_string(),
        _ => host.to_string(),
    };
    check_host(&host)?;
    if url.fragment().is_some() {
        return Err(TargetError("database URL must not have a #fragment".into()));
    }
    let mut tls: Option<bool> = None;
    for (k, v) in url.query_pairs() {
        match (k.as_ref(), v.as_ref()) {
            ("tls", "0") => tls = Some(false),
            ("tls", "1") => tls = Some(true),
            ("tls", _) => return Err(TargetError("tls= must be 0 or 1".into())),
            (other, _) => {
                return Err(TargetError(format!(
                    "unsupported URL parameter '{}' (only tls=0|1; pass tokens with --auth-token or LIBSQL_AUTH_TOKEN)",
                    excerpt(other)
                )))
            }
        }
    }
    let (http_scheme, ws) = match (scheme.as_str(), tls) {
        ("libsql", Some(false)) => {
            if url.port().is_none() {
                return Err(TargetError("libsql:// with tls=0 needs an explicit port, e.g. libsql://127.0.0.1:8080?tls=0".into()));
            }
            ("http", false)
        }
        ("libsql", _) => ("https", false),
        ("https", Some(false))
        | ("http", Some(true))
        | ("wss", Some(false))
        | ("ws", Some(true)) => {
            return Err(TargetError(format!(
                "tls= contradicts the {scheme}:// scheme"
            )))
        }
        ("https", _) => ("https", false),
        ("http", _) => ("http", false),
        ("wss", _) => ("wss", true),
        ("ws", _) => ("ws", true),
        (other, _) => {
            return Err(TargetError(format!(
            "unsupported URL scheme '{}://' (use libsql://, https://, http://, wss:// or ws://)",
            excerpt(other)
        )))
        }
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError(
            "credentials in the URL are not supported; use --auth-token".into(),
        ));
    }
    let default_port = if matches!(http_scheme, "https" | "wss") {
        443
    } else {
        80
    };
    let port = url.port().unwrap_or(default_port);
    let path = url.path().trim_end_matches('/');
    let host_part = if url.port().is_some() {
        format!("{host}:{port}")
    } else {
        host.clone()
    };
    let base = format!("{http_scheme}://{host_part}{path}");
    Ok(if ws {
        Target::Ws {
            url: base,
            host,
            port,
        }
    } else {
        Target::Http {
            url: base,
            host,
            port,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str) -> Result<Target, TargetError> {
        resolve(name, Force::Auto, &|p| p == "existing.turso.io")
    }

    fn http(url: &str, host: &str, port: u16) -> Target {
        Target::Http {
            url: url.into(),
            host: host.into(),
            port,
        }
    }

    fn local(p: &str) -> Target {
        Target::Local { path: p.into() }
    }

    #[test]
    fn urls() {
        assert_eq!(
            r("libsql://db-org.turso.io").unwrap(),
            http("https://db-org.turso.io", "db-org.turso.io", 443)
        );
        assert_eq!(
            r("libsql://127.0.0.1:8080?tls=0").unwrap(),
            http("http://127.0.0.1:8080", "127.0.0.1", 8080)
        );
        assert!(r("libsql://127.0.0.1?tls=0")
            .unwrap_err()
            .0
            .contains("explicit port"));
        assert_eq!(
            r("https://h.example.com:8443/").unwrap(),
            http("https://h.example.com:8443", "h.example.com", 8443)
        );
        assert_eq!(
            r("http://localhost:8080").unwrap(),
            http("http://localhost:8080", "localhost", 8080)
        );
        assert_eq!(
            r("wss://db.turso.io").unwrap(),
            Target::Ws {
                url: "wss://db.turso.io".into(),
                host: "db.turso.io".into(),
                port: 443
            }
        );
        assert_eq!(
            r("ws://127.0.0.1:9000").unwrap(),
            Target::Ws {
                url: "ws://127.0.0.1:9000".into(),
                host: "127.0.0.1".into(),
                port: 9000
            }
        );
        assert!(r("ftp://x")
            .unwrap_err()
            .0
            .contains("unsupported URL scheme"));
        assert!(r("libsql://h?authToken=abc")
            .unwrap_err()
            .0
            .contains("authToken"));
        assert!(!r("libsql://h?authToken=abc").unwrap_err().0.contains("abc"));
        assert!(r("https://h?tls=0").is_err());
        assert!(r("https://u:p@h").is_err());
    }

    #[test]
    fn host_names_within_dns_limits_and_never_echoed_whole() {
        let label = "a".repeat(63);
        let longest = [&label[..], &label, &label, &label[..61]].join(".");
        assert_eq!(longest.len(), 253);
        assert!(r(&format!("libsql://{longest}")).is_ok());
        assert!(r(&format!("https://{longest}.:8443")).is_ok());
        let huge = vec!["a".repeat(60); 1700].join(".");
        for url in [
            format!("libsql://{huge}"),
            format!("https://{huge}"),
            format!("wss://{huge}:443"),
            huge.clone(),
        ] {
            let e = r(&url).unwrap_err().0;
            assert!(
                e.contains("too long: a DNS name has at most 253 bytes"),
                "{e}"
            );
            assert!(e.len() < 200, "{e}");
        }
        let e = r(&format!("libsql://{}.example.com", "b".repeat(64)))
            .unwrap_err()
            .0;
        assert!(e.contains("a label of 64 bytes"), "{e}");
        assert!(r("https://a..b.example.com")
            .unwrap_err()
            .0
            .contains("an empty label"));
        let e = r(&format!("https://h.example.com?{}=1", "k".repeat(100_000)))
            .unwrap_err()
            .0;
        assert!(e.len() < 200, "{e}");
        let e = r(&format!("{}://h", "s".repeat(100_000))).unwrap_err().0;
        assert!(e.len() < 200, "{e}");
        assert!(r("libsql://127.0.0.1:8080?tls=0").is_ok());
    }

    #[test]
    fn libsql_hosts_are_parsed_as_https_hosts() {
        let idna = http(
            "https://xn--dtenbnk-5wae.example.jp",
            "xn--dtenbnk-5wae.example.jp",
            443,
        );
        assert_eq!(r("https://dätenbänk.example.jp").unwrap(), idna);
        assert_eq!(r("libsql://dätenbänk.example.jp").unwrap(), idna);
        assert_eq!(r("libsql://DätenBänk.Example.JP/").unwrap(), idna);
        assert_eq!(
            r("libsql://[::1]:8080?tls=0").unwrap(),
            http("http://[::1]:8080", "[::1]", 8080)
        );
        assert!(r("libsql://a%00b.example.com")
            .unwrap_err()
            .0
            .contains("invalid host"));
    }

    #[test]
    fn local_forms() {
        assert_eq!(r(":memory:").unwrap(), local(":memory:"));
        assert_eq!(
            r("file:data.db?mode=ro").unwrap(),
            local("file:data.db?mode=ro")
        );
        assert_eq!(r("/tmp/x.db").unwrap(), local("/tmp/x.db"));
        assert_eq!(r("dev.db").unwrap(), local("dev.db"));
        assert_eq!(r("data.sqlite3").unwrap(), local("data.sqlite3"));
        assert_eq!(r("sub/dir.turso.io").unwrap(), local("sub/dir.turso.io"));
        assert_eq!(r("example.com").unwrap(), local("example.com"));
        assert_eq!(r("mydata").unwrap(), local("mydata"));
        assert_eq!(r("a.b.db").unwrap(), local("a.b.db"));
        assert_eq!(r("existing.turso.io").unwrap(), local("existing.turso.io"));
    }

    #[test]
    fn bare_hosts() {
        assert_eq!(
            r("my-db-org.turso.io").unwrap(),
            http("https://my-db-org.turso.io", "my-db-org.turso.io", 443)
        );
        assert_eq!(
            r("localhost").unwrap(),
            http("https://localhost", "localhost", 443)
        );
        assert_eq!(
            r("db.example:8080").unwrap(),
            http("https://db.example:8080", "db.example", 8080)
        );
    }

    #[test]
    fn overrides() {
        let no = |_: &str| false;
        assert_eq!(
            resolve("my-db-org.turso.io", Force::Local, &no).unwrap(),
            local("my-db-org.turso.io")
        );
        assert_eq!(
            resolve("example.com", Force::Remote, &no).unwrap(),
            http("https://example.com", "example.com", 443)
        );
        assert_eq!(
            resolve("dev.db", Force::Remote, &no).unwrap(),
            http("https://dev.db", "dev.db", 443)
        );
    }

    #[test]
    fn env_precedence() {
        let env = |k: &str| match k {
            "LIBSQL_URL" => Some("libsql://a.b.c".to_string()),
            "TURSO_DATABASE_URL" => Some("libsql://x.y.z".to_string()),
            "TURSO_AUTH_TOKEN" => Some("turso".to_string()),
            _ => None,
        };
        assert_eq!(
            database_arg(Some("dev.db"), &env).as_deref(),
            Some("dev.db")
        );
        assert_eq!(database_arg(None, &env).as_deref(), Some("libsql://a.b.c"));
        assert_eq!(
            database_arg(None, &|k| if k == "TURSO_DATABASE_URL" {
                Some("t".into())
            } else {
                None
            })
            .as_deref(),
            Some("t")
        );
        let (t, from) = auth_token(Some("flag"), &env).unwrap();
        assert_eq!((t.expose(), from), ("flag", "--auth-token"));
        let (t, from) = auth_token(None, &env).unwrap();
        assert_eq!((t.expose(), from), ("turso", "TURSO_AUTH_TOKEN"));
        assert!(auth_token(None, &|_| None).is_none());
    }
}
