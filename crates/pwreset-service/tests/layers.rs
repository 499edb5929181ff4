//! The crate's modules are layers (see the crate's documentation): a module may use its own
//! layer and those below, never one above, and the top-level modules form no cycle. Read from the
//! source with a Rust parser, so that grouped `use`s, paths split across lines and paths inside
//! macros all count, and so that it stays true as code moves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

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
    ("turnstile", 3),
    ("flows", 4),
    ("api", 5),
    ("queue", 5),
    ("service", 6),
    ("testing", 7),
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

/// What `lib.rs` re-exports at the crate root, by name: `Service` → `api`, so that
/// `use crate::Service` counts as a use of the module it comes from.
fn root_reexports(src: &Path) -> BTreeMap<String, String> {
    let lib = syn::parse_file(&std::fs::read_to_string(src.join("lib.rs")).unwrap()).unwrap();
    let mut found = BTreeMap::new();
    fn leaves(prefix: &mut Vec<String>, tree: &syn::UseTree, found: &mut BTreeMap<String, String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                leaves(prefix, &p.tree, found);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                found.insert(n.ident.to_string(), prefix[0].clone());
            }
            syn::UseTree::Rename(r) => {
                found.insert(r.rename.to_string(), prefix[0].clone());
            }
            syn::UseTree::Glob(_) => panic!("lib.rs re-exports a glob of {prefix:?}"),
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    leaves(prefix, item, found);
                }
            }
        }
    }
    for item in &lib.items {
        if let syn::Item::Use(u) = item {
            leaves(&mut Vec::new(), &u.tree, &mut found);
        }
    }
    found
}

/// What a file may not write at all, because it would hide which module it uses: a glob of the
/// crate root (`use crate::*`) or the crate under another name (`use crate as c`).
const HIDDEN: &str = "<crate root hidden>";

/// Collects the top-level modules that a file's paths name, through `crate::` or through enough
/// `super::`s to reach the crate root.
struct Named<'m> {
    /// The file's module path.
    module: &'m [String],
    /// How many inline `mod … { }` the visitor is inside.
    inline_depth: usize,
    found: BTreeSet<String>,
}

impl Named<'_> {
    /// Notes the top-level module that a path of `segments` names, if it starts at the crate root.
    fn path(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        let up = segments.iter().take_while(|s| *s == "super").count();
        let target = if first == "crate" {
            segments.get(1)
        } else if up > 0 && up >= self.module.len() + self.inline_depth {
            // Inside `src/a/b.rs` (module [a, b]), one `super` is `a`, two are the crate root.
            segments.get(up)
        } else {
            None
        };
        if let Some(target) = target {
            self.found.insert(target.clone());
        }
    }

    /// Every path a `use` tree spells out, a group `{a, b}` giving one path for each.
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.path(prefix);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                if prefix.is_empty() && r.ident == "crate" {
                    self.found.insert(HIDDEN.to_owned());
                }
                prefix.push(r.ident.to_string());
                self.path(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => {
                if prefix.len() == 1 && prefix[0] == "crate" {
                    self.found.insert(HIDDEN.to_owned());
                }
                prefix.push("*".to_owned());
                self.path(prefix);
                prefix.pop();
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix, item);
                }
            }
        }
    }

    /// Paths inside a macro's tokens (`format!`, `json!`, …), which the parser leaves unparsed:
    /// every run of `ident :: ident :: …`.
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let mut run: Vec<String> = Vec::new();
        let mut colons = 0;
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(ident) => {
                    if colons != 2 && !run.is_empty() {
                        self.path(&run);
                        run.clear();
                    }
                    run.push(ident.to_string());
                    colons = 0;
                }
                proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' && !run.is_empty() => {
                    colons += 1;
                }
                proc_macro2::TokenTree::Group(group) => {
                    self.flush(&mut run);
                    colons = 0;
                    self.tokens(group.stream());
                }
                _ => {
                    self.flush(&mut run);
                    colons = 0;
                }
            }
        }
        self.flush(&mut run);
    }

    fn flush(&mut self, run: &mut Vec<String>) {
        if !run.is_empty() {
            self.path(run);
            run.clear();
        }
    }
}

impl<'ast> Visit<'ast> for Named<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.path(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.inline_depth += 1;
        syn::visit::visit_item_mod(self, item);
        self.inline_depth -= 1;
    }
}

/// The top-level modules that `source`, the text of module `module`, names.
fn named_top_modules(source: &str, module: &[String]) -> BTreeSet<String> {
    let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{module:?}: {e}"));
    let mut named = Named {
        module,
        inline_depth: 0,
        found: BTreeSet::new(),
    };
    named.visit_file(&file);
    named.found
}

#[test]
fn no_module_uses_a_layer_above_its_own_and_the_top_level_has_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let reexports = root_reexports(&src);
    let mut upward = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_path(&src, file);
        let Some(top) = module.first() else {
            continue; // lib.rs declares the layers
        };
        let own = layer(top).unwrap_or_else(|| panic!("{top} (in {file:?}) has no layer"));
        let text = std::fs::read_to_string(file).unwrap();
        for named in named_top_modules(&text, &module) {
            let where_ = file.strip_prefix(&src).unwrap().display();
            assert!(
                named != HIDDEN,
                "{where_}: `use crate::*` or `use crate as …` hides which modules it uses"
            );
            // A crate-root item (`crate::Service`, …) counts as the module lib.rs takes it from.
            let target = reexports.get(&named).cloned().unwrap_or(named);
            let Some(theirs) = layer(&target) else {
                panic!(
                    "{where_}: names crate::{target}, which is neither a module nor re-exported"
                );
            };
            if theirs > own {
                upward.push(format!(
                    "{where_}: {top} (layer {own}) uses {target} (layer {theirs})"
                ));
            }
            if target != *top {
                edges.entry(top.clone()).or_default().insert(target);
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
fn a_crate_root_reexport_counts_as_its_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    assert_eq!(root_reexports(&src)["Service"], "service");
}

#[test]
fn the_check_sees_every_spelling_of_a_use() {
    let module = vec!["model".to_owned(), "job".to_owned()];
    let named =
        |source: &str| -> Vec<String> { named_top_modules(source, &module).into_iter().collect() };
    assert_eq!(named("use crate::delivery::compose_in;"), ["delivery"]);
    assert_eq!(named("fn f() { super::super::flows::send(x) }"), ["flows"]);
    assert_eq!(named("use super::locale::Locale;"), Vec::<String>::new());
    assert_eq!(
        named("fn f() { let x = 1; } // crate::api"),
        Vec::<String>::new()
    );
    // Grouped, nested and split across lines.
    assert_eq!(
        named("use crate::{\n    model::Job,\n    api::{router,\n dialects},\n};"),
        ["api", "model"]
    );
    assert_eq!(
        named("fn f() -> crate::\n    queue::Outcome { todo!() }"),
        ["queue"]
    );
    // The crate root hidden behind a glob or another name.
    assert_eq!(named("use crate::*;"), ["*", HIDDEN]);
    assert_eq!(named("use crate as c;"), [HIDDEN]);
    // Inside a macro's tokens, and from an inline module one level deeper.
    assert_eq!(named("fn f() { format!(\"{}\", crate::api::X) }"), ["api"]);
    assert_eq!(
        named("mod tests { use super::super::super::testing::X; }"),
        ["testing"]
    );
    assert_eq!(
        named("mod tests { use super::super::locale::X; }"),
        Vec::<String>::new()
    );
}
