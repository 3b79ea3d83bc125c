//! The committed completions (`completions/`) and man pages (`man/`) are what the clap
//! definition generates today; the man page renders without warnings and documents exit
//! codes, environment and targets; `generate` itself stays hidden.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::harness::shell;

/// Every file of a directory, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries {
            let e = e.unwrap();
            out.insert(
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

/// Regenerate `what` into a temp dir and compare with the committed `dir`.
#[track_caller]
fn assert_current(what: &str, dir: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(dir);
    shell()
        .args(["generate", what, "--out"])
        .arg(&out)
        .run()
        .ok();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let fresh = files(&out);
    let old = files(&committed);
    let hint = format!("run `cargo run -- generate {what} --out {dir}` to refresh");
    assert!(!fresh.is_empty(), "generate {what} wrote nothing");
    let fresh_names: Vec<&String> = fresh.keys().collect();
    let old_names: Vec<&String> = old.keys().collect();
    assert_eq!(
        old_names, fresh_names,
        "{dir}/ has other files than `generate {what}` writes; {hint} (and delete stale files)"
    );
    for (name, bytes) in &fresh {
        assert!(old[name] == *bytes, "{dir}/{name} is stale: {hint}");
    }
}

#[test]
fn committed_completions_are_current() {
    assert_current("completions", "completions");
}

#[test]
fn committed_man_pages_are_current() {
    assert_current("man", "man");
}

#[test]
fn man_page_renders_and_documents_exit_status_environment_and_targets() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("man/libsql-shell.1");
    let text = std::fs::read_to_string(&page).unwrap();
    for needle in [
        ".SH TARGETS",
        ".SH \"NAMED CONNECTIONS\"",
        ".SH ENVIRONMENT",
        ".SH \"EXIT STATUS\"",
        "LIBSQL_SHELL_CONFIG",
        "LIBSQL_SHELL_HISTORY",
        "NO_COLOR",
        "TURSO_AUTH_TOKEN",
    ] {
        assert!(text.contains(needle), "man page lacks {needle}");
    }
    // `.ci/run` installs groff; without it (a bare developer machine) only the text is checked.
    let Ok(out) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-rLL=100n"])
        .arg(&page)
        .output()
    else {
        eprintln!("groff not installed: rendering of man/libsql-shell.1 not checked");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "groff: {stderr}");
    // Strip overstrike (bold/underline) so words can be searched for.
    let rendered = strip_overstrike(&String::from_utf8_lossy(&out.stdout));
    for needle in [
        "EXIT STATUS",
        "ENVIRONMENT",
        "TARGETS",
        "libsql://HOST:PORT?tls=0",
        "chmod 600",
        "libsql-shell-exec(1)",
    ] {
        assert!(
            rendered.contains(needle),
            "rendered page lacks {needle}:\n{rendered}"
        );
    }
    for sub in files(page.parent().unwrap()).keys() {
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(page.parent().unwrap().join(sub))
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "groff {sub}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn strip_overstrike(s: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in s.chars() {
        if c == '\u{8}' {
            out.pop();
            continue;
        }
        out.push(c);
    }
    // groff may also emit SGR sequences instead of overstrike.
    let s: String = out.into_iter().collect();
    let mut plain = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        plain.push(c);
    }
    plain
}

#[test]
fn generate_is_hidden() {
    let help = shell().arg("--help").run();
    assert!(!help.ok().contains("generate"), "{}", help.stdout);
    let completions = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (name, bytes) in files(&completions) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("generate"),
            "completions/{name} offers generate"
        );
        assert!(text.contains("migrate"), "completions/{name} lacks migrate");
    }
}
