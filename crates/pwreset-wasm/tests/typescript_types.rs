//! The npm package's TypeScript types (`npm/types/index.d.ts`) are written by hand; this test fails
//! when they and the Rust types they describe drift apart: error codes, presets, catalogs, the
//! members of a policy document and the shapes of a check's result.

use std::collections::BTreeSet;
use std::path::Path;

use pwreset_core::messages::Catalog;
use pwreset_core::{CheckInput, ErrorCode, Policy, Preset, Strength};
use serde_json::{Value, json};

fn declarations() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../npm/types/index.d.ts");
    std::fs::read_to_string(path).expect("npm/types/index.d.ts exists")
}

/// The string literals of `export type NAME = "a" | "b" ...;`.
fn union_of(source: &str, name: &str) -> BTreeSet<String> {
    let start = source
        .find(&format!("export type {name} ="))
        .unwrap_or_else(|| panic!("type {name} is declared"));
    let body = &source[start..start + source[start..].find(';').expect("the type ends")];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The members of `export interface NAME { ... }` as (name, optional, type).
fn members_of(source: &str, name: &str) -> Vec<(String, bool, String)> {
    let start = source
        .find(&format!("export interface {name} "))
        .unwrap_or_else(|| panic!("interface {name} is declared"));
    let body = &source[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("/*") && !line.starts_with('*') && !line.is_empty())
        .filter_map(|line| {
            let (member, ty) = line.split_once(':')?;
            let optional = member.ends_with('?');
            let member = member.trim_end_matches('?');
            member
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
                .then(|| {
                    (
                        member.to_owned(),
                        optional,
                        ty.trim().trim_end_matches(';').to_owned(),
                    )
                })
        })
        .collect()
}

fn names(members: &[(String, bool, String)]) -> BTreeSet<String> {
    members.iter().map(|(name, _, _)| name.clone()).collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn error_codes_presets_and_catalogs_match() {
    let source = declarations();
    let codes: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(union_of(&source, "ErrorCode"), codes);
    let presets: BTreeSet<String> = Preset::ALL.iter().map(|p| p.name().to_owned()).collect();
    assert_eq!(union_of(&source, "Preset"), presets);
    let catalogs: BTreeSet<String> = Catalog::ALL.iter().map(|c| c.name().to_owned()).collect();
    assert_eq!(union_of(&source, "Messages"), catalogs);
}

#[test]
fn a_policy_document_has_every_setting_with_its_javascript_type() {
    let source = declarations();
    let members = members_of(&source, "PolicyDocument");
    let settings = Value::Object(Preset::Django.settings().to_json_object());
    let mut expected = keys(&settings);
    expected.insert("preset".to_owned());
    assert_eq!(names(&members), expected);
    for (name, optional, ty) in &members {
        assert!(optional, "every member of a document is optional: {name}");
        let expected_type = match (name.as_str(), &settings[name.as_str()]) {
            ("preset", _) => "Preset",
            ("messages", _) => "Messages",
            ("min_score" | "max_similarity", _) => "number | null",
            (_, Value::Bool(_)) => "boolean",
            (_, Value::Number(_)) => "number",
            (other, value) => panic!("no TypeScript type for {other} = {value}"),
        };
        assert_eq!(ty, expected_type, "type of {name}");
    }
}

#[test]
fn a_check_result_has_the_serialized_shape() {
    let source = declarations();
    let policy = Policy::preset(Preset::Seed002);
    let strength = Strength {
        score: 1,
        guesses_log10: 3.0,
        warning: Some("w".into()),
        suggestions: vec!["s".into()],
    };
    let mut input = CheckInput::new("password");
    input.strength = Some(&strength);
    let result = serde_json::to_value(policy.check(&input)).unwrap();
    assert_eq!(names(&members_of(&source, "CheckResult")), keys(&result));
    assert_eq!(
        names(&members_of(&source, "Violation")),
        keys(&result["errors"][0])
    );
    assert_eq!(
        names(&members_of(&source, "Strength")),
        keys(&result["strength"])
    );
    assert_eq!(
        keys(&json!({"valid": 0, "errors": 0, "strength": 0})),
        keys(&result),
        "the documented result shape"
    );
}

#[test]
fn every_error_code_the_package_throws_is_declared() {
    let source = declarations();
    let declared = union_of(&source, "PwresetErrorCode");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut thrown = BTreeSet::new();
    let patterns = [
        ("crates/pwreset-wasm/src", "failure(\""),
        ("crates/pwreset-wasm/src", "code: \""),
        ("npm/src", "new PwresetError(\""),
    ];
    for (dir, pattern) in patterns {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            // argon2id is measured, not shipped: its module is no part of the package.
            if path.ends_with("hashing.rs") {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            for piece in text.split(pattern).skip(1) {
                thrown.insert(piece.split('"').next().unwrap().to_owned());
            }
        }
    }
    assert!(thrown.len() >= 8, "found the throw sites: {thrown:?}");
    let undeclared: Vec<_> = thrown.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "thrown but not in PwresetErrorCode: {undeclared:?}"
    );
}
