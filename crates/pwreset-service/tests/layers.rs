//! The crate's modules are layers (see the crate's documentation): a module may use its own
//! layer and those below, never one above, and the top-level modules form no cycle. Read from the
//! source, so that it stays true as code moves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module's layer, bottom up.
const LAYERS: &[(&str, u8)] = &[
    ("model", 0),
    ("ports", 1),
    ("config", 2),
    ("guard", 3),
    ("delivery", 3),
    ("breached", 3),
    ("directory", 3),
    ("refusal", 3),
    ("store", 3),
    ("flows", 4),
    ("api", 5),
    ("queue", 5),
    ("testing", 6),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The module path of a source file: `src/a/b.rs` and `src/a/b/mod.rs` are `[a, b]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .strip_prefix(src)
        .unwrap()
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The top-level modules a line of code names, through `crate::` or through enough `super::`s
/// to reach the crate root.
fn named_top_modules(line: &str, module: &[String]) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let mut named = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `pwreset_service_crate::`
        }
        let rest = &code[i + "crate::".len()..];
        named.push(first_segment(rest));
    }
    for (i, _) in code.match_indices("super::") {
        if code[..i].ends_with("super::") {
            continue; // counted from the first `super::` of a chain
        }
        let mut rest = &code[i..];
        let mut up = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            up += 1;
        }
        // Inside `src/a/b.rs` (module [a, b]), one `super` is `a`, two are the crate root.
        if up >= module.len() {
            named.push(first_segment(rest));
        }
    }
    named.retain(|m| !m.is_empty());
    named
}

fn first_segment(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn no_module_uses_a_layer_above_its_own_and_the_top_level_has_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_path(&src, file);
        let Some(top) = module.first() else {
            continue; // lib.rs declares the layers
        };
        let own = layer(top).unwrap_or_else(|| panic!("{top} (in {file:?}) has no layer"));
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for target in named_top_modules(line, &module) {
                let Some(theirs) = layer(&target) else {
                    continue; // a crate-root item (`crate::Service`, …) re-exported by lib.rs
                };
                if theirs > own {
                    upward.push(format!(
                        "{}:{}: {top} (layer {own}) uses {target} (layer {theirs})",
                        file.strip_prefix(&src).unwrap().display(),
                        n + 1
                    ));
                }
                if target != *top {
                    edges.entry(top.clone()).or_default().insert(target);
                }
            }
        }
    }
    assert!(upward.is_empty(), "upward uses:\n{}", upward.join("\n"));
    // Depth-first search for a cycle among the top-level modules.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|p| p == node) {
            panic!("import cycle: {} -> {node}", path[at..].join(" -> "));
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done);
        }
        path.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_check_sees_an_upward_use() {
    let module = vec!["model".to_owned(), "job".to_owned()];
    assert_eq!(
        named_top_modules("use crate::delivery::compose_in;", &module),
        ["delivery"]
    );
    assert_eq!(
        named_top_modules("    super::super::flows::send(x)", &module),
        ["flows"]
    );
    assert_eq!(
        named_top_modules("use super::locale::Locale;", &module),
        Vec::<String>::new()
    );
    assert_eq!(
        named_top_modules("let x = 1; // crate::api", &module),
        Vec::<String>::new()
    );
}
