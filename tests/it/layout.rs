//! The layout of `src/` is part of the design, so it is checked like behaviour: no import
//! cycle between files, no oversized room, a `//!` header on every module, and comments
//! that cite only what is in the repository.
//!
//! An import is any path a file names that resolves to another file's module: `crate::a::b`,
//! `super::x`, `self::x`, and `child::x` for a `mod child;` the file declares. Test modules
//! (everything from a file's first `#[cfg(test)]`) are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Production lines a file in `src/` may have.
const MAX_LINES: usize = 600;

type ModPath = Vec<String>;

struct SourceFile {
    path: PathBuf,
    /// The text before the first `#[cfg(test)]`.
    production: String,
    /// The whole text.
    text: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every file of `src/` by its module path (`transport::http::client`; `[]` for the crate
/// root, where `lib.rs` and `main.rs` both sit).
fn modules() -> Vec<(ModPath, SourceFile)> {
    let root = src_dir();
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).unwrap().with_extension("");
            let mut parts: ModPath = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let last = parts.last().cloned().unwrap_or_default();
            if matches!(last.as_str(), "mod" | "lib" | "main") {
                parts.pop();
            }
            let text = fs::read_to_string(&path).unwrap();
            let production = match text.find("#[cfg(test)]") {
                Some(i) => text[..i].to_string(),
                None => text.clone(),
            };
            let file = SourceFile {
                path,
                production,
                text,
            };
            (parts, file)
        })
        .collect()
}

/// The text without `//` comments (doc comments included) and string literals' contents.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_str && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            // A char literal ('"', '\'') is not the start of a string.
            if !in_str && c == '\'' {
                let len = if chars.get(i + 1) == Some(&'\\') {
                    4
                } else {
                    3
                };
                if chars.get(i + len - 1) == Some(&'\'') {
                    kept.extend(&chars[i..i + len]);
                    i += len;
                    continue;
                }
            }
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            }
            if !in_str || c == '"' {
                kept.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The module paths a file's code names: `crate::`/`super::`/`self::` paths and paths
/// through the children it declares, with `{a, b::c}` groups expanded one level.
fn named_paths(code: &str, here: &[String], children: &[String]) -> Vec<ModPath> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_ident(chars[i]) || (i > 0 && (is_ident(chars[i - 1]) || chars[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        let first: String = chars[start..i].iter().collect();
        let base: Option<ModPath> = match first.as_str() {
            "crate" | "libsql_shell" => Some(Vec::new()),
            "self" => Some(here.to_vec()),
            "super" => Some(here[..here.len().saturating_sub(1)].to_vec()),
            c if children.iter().any(|x| x == c) => {
                let mut p = here.to_vec();
                p.push(c.to_string());
                Some(p)
            }
            _ => None,
        };
        let Some(mut path) = base else { continue };
        if !(chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':')) {
            continue;
        }
        // Segments, then perhaps a `{...}` group.
        loop {
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                i += 2;
                while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
            } else {
                break;
            }
            if chars.get(i) == Some(&'{') {
                let mut depth = 0;
                let mut item = String::new();
                let mut items = Vec::new();
                while i < chars.len() {
                    let c = chars[i];
                    i += 1;
                    match c {
                        '{' => {
                            depth += 1;
                            if depth > 1 {
                                item.push(c);
                            }
                        }
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                items.push(std::mem::take(&mut item));
                                break;
                            }
                            item.push(c);
                        }
                        ',' if depth == 1 => items.push(std::mem::take(&mut item)),
                        _ => item.push(c),
                    }
                }
                for item in items {
                    let head = item.split('{').next().unwrap_or("");
                    let segs: Vec<String> = head
                        .split(" as ")
                        .next()
                        .unwrap_or("")
                        .split("::")
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty() && s != "self" && s.chars().all(is_ident))
                        .collect();
                    let mut p = path.clone();
                    p.extend(segs);
                    found.push(p);
                }
                break;
            }
            let seg_start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            if seg_start == i {
                break;
            }
            let seg: String = chars[seg_start..i].iter().collect();
            if seg == "super" {
                path.pop();
            } else {
                path.push(seg);
            }
        }
        found.push(path);
    }
    found
}

/// The file-to-file import graph of `src/`.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<ModPath> = modules.iter().map(|(m, _)| m.clone()).collect();
    let resolve = |path: &ModPath| -> Option<ModPath> {
        (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| known.contains(p))
    };
    let name = |m: &ModPath| {
        if m.is_empty() {
            "lib".into()
        } else {
            m.join("/")
        }
    };
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let code = code_only(&file.production);
        let children: Vec<String> = code
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                let l = l.strip_prefix("pub ").unwrap_or(l);
                let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
                let l = l.strip_prefix("mod ")?.strip_suffix(';')?;
                Some(l.trim().to_string())
            })
            .collect();
        let mut edges = BTreeSet::new();
        for p in named_paths(&code, module, &children) {
            if let Some(target) = resolve(&p) {
                if &target != module && !target.is_empty() {
                    edges.insert(name(&target));
                }
            }
        }
        graph.insert(name(module), edges);
    }
    graph
}

/// The import cycles of a graph (its strongly connected components with more than one file).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: order by finish time, then walk the reversed graph.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        order: &mut Vec<String>,
    ) {
        if !seen.insert(n.to_string()) {
            return;
        }
        for m in g.get(n).into_iter().flatten() {
            visit(m, g, seen, order);
        }
        order.push(n.to_string());
    }
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    for n in graph.keys() {
        visit(n, graph, &mut seen, &mut order);
    }
    let mut reversed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in graph {
        for to in tos {
            reversed.entry(to.clone()).or_default().insert(from.clone());
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = Vec::new();
    for n in order.iter().rev() {
        let mut component = Vec::new();
        visit(n, &reversed, &mut assigned, &mut component);
        if component.len() > 1 {
            component.sort();
            out.push(component);
        }
    }
    out
}

#[test]
fn no_import_cycle_between_files() {
    let graph = import_graph();
    assert!(graph.len() > 40, "the scan found too few files: {graph:?}");
    // The scan sees real edges (a broken scanner would pass trivially).
    assert!(
        graph["commands/exec"].contains("feed"),
        "{:?}",
        graph["commands/exec"]
    );
    assert!(graph["transport/http"].contains("transport/http/client"));
    assert!(graph["transport/http/client"].contains("transport/trace"));
    let found = cycles(&graph);
    assert!(found.is_empty(), "import cycles: {found:?}");
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["c".to_string()].into());
    g.insert("c".into(), ["a".to_string()].into());
    g.insert("d".into(), ["a".to_string()].into());
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
    let paths = named_paths(
        "use super::x::{Y, z::W};\nuse crate::a::b;\nchild::f();\n",
        &["m".to_string(), "n".to_string()],
        &["child".to_string()],
    );
    assert!(paths.contains(&vec!["m".into(), "x".into(), "z".into(), "W".into()]));
    assert!(paths.contains(&vec!["a".into(), "b".into()]));
    assert!(paths.contains(&vec!["m".into(), "n".into(), "child".into(), "f".into()]));
}

#[test]
fn no_oversized_file() {
    let mut too_long = Vec::new();
    for (_, file) in modules() {
        let lines = file.production.lines().count();
        if lines > MAX_LINES {
            too_long.push(format!("{} ({lines} lines)", file.path.display()));
        }
    }
    assert!(
        too_long.is_empty(),
        "over {MAX_LINES} production lines: {too_long:?}"
    );
    let exec = fs::read_to_string(src_dir().join("commands/exec.rs")).unwrap();
    assert!(
        exec.lines().count() <= 300,
        "commands/exec.rs keeps only `exec`"
    );
    for gone in ["hrana.rs", "trace.rs"] {
        assert!(
            !src_dir().join(gone).exists(),
            "src/{gone} lives under transport/"
        );
    }
}

#[test]
fn every_module_says_what_it_is() {
    let missing: Vec<String> = modules()
        .into_iter()
        .filter(|(_, f)| !f.text.starts_with("//!"))
        .map(|(_, f)| f.path.display().to_string())
        .collect();
    assert!(missing.is_empty(), "no `//!` header: {missing:?}");
}

/// A comment naming a document outside the repository or an issue number.
fn outside_citation(comment: &str) -> bool {
    let outside = [["DESIGN", ".md"].concat(), ["PROTOCOL", ".md"].concat()];
    if outside.iter().any(|d| comment.contains(d.as_str())) {
        return true;
    }
    let lower = comment.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.windows(2).any(|w| {
        matches!(w[0], "issue" | "issues")
            && w[1]
                .trim_start_matches('#')
                .starts_with(|c: char| c.is_ascii_digit())
    }) || words.iter().any(|w| {
        w.strip_prefix("(#")
            .or_else(|| w.strip_prefix('#'))
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit() || c == ')'))
    })
}

#[test]
fn comments_cite_only_what_is_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    let mut found = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if let Some(at) = line.find("//") {
                if outside_citation(&line[at..]) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "comments citing outside documents: {found:#?}"
    );
    // Documents that comments cite by name exist.
    assert!(root.join("docs/ARCHITECTURE.md").exists());
    let issue = ["issue", " 5"].concat();
    assert!(outside_citation(&format!("// see {issue}")));
    assert!(outside_citation(&["// see ", "DESIGN", ".md"].concat()));
    assert!(!outside_citation(
        "// see docs/ARCHITECTURE.md, 3 issues remain"
    ));
}
