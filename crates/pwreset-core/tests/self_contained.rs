//! The project documents itself: no source, test or doc of the core, the CLI or their docs cites
//! a document outside the repository.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "rs" || ext == "md" || ext == "toml")
        {
            found.push(path);
        }
    }
}

#[test]
fn nothing_cites_a_contract_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        "crates/pwreset-core/src",
        "crates/pwreset-core/tests",
        "crates/pwreset-core/benches",
        "crates/pwreset-cli/src",
        "crates/pwreset-cli/tests",
    ] {
        files_under(&root.join(dir), &mut files);
    }
    files.push(root.join("docs/secrets.md"));
    files.push(root.join("docs/policy.md"));
    // Spelled in two halves so that this file does not find itself.
    let citations = [
        ["CONTRACT", " section"].concat(),
        ["CONTRACT", ".md"].concat(),
        ["../", "shared"].concat(),
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for citation in &citations {
            assert!(
                !text.contains(citation.as_str()),
                "{} cites {citation:?}",
                file.display()
            );
        }
    }
}
