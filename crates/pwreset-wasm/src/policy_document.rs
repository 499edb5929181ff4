//! Policy documents as JavaScript developers write them, checked member by member with errors in
//! JavaScript's terms ("a whole number from 1 to 4", "the string \"12\""), and laid over their
//! preset's settings. The core's own limits still apply ([`Policy::new`] validates); this says what
//! is wrong in words a frontend developer recognises rather than the Rust type behind it, and reads
//! a document without a JSON or serde layer in between.

use std::fmt;

use pwreset_core::messages::Catalog;
use pwreset_core::{
    MAX_MAX_LENGTH, MIN_MAX_LENGTH, MIN_SIMILARITY, Policy, PolicySettings, Preset,
};

/// A JavaScript value as far as a policy document's member can hold one.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` (or `undefined`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array (never a valid member).
    Array,
    /// Any other object (never a valid member).
    Object,
}

/// What `createPolicy` was given: a preset's name, a document's members, or something else.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// A preset by name.
    Preset(String),
    /// A policy document's members, in order.
    Members(Vec<(String, Value)>),
    /// Neither (refused, described in the error).
    Other(Value),
}

/// What a member of a policy document must hold.
#[derive(Clone, Copy, Debug)]
enum Expected {
    /// An integer in `min..=max`.
    WholeNumber { min: u64, max: u64 },
    /// Any number in `min..=max`.
    Number { min: f64, max: f64 },
    /// `true` or `false`.
    Boolean,
    /// One of the names of presets or message catalogs.
    Name(NameKind),
}

/// Which list of names a member takes its value from.
#[derive(Clone, Copy, Debug)]
enum NameKind {
    Preset,
    Catalog,
}

impl NameKind {
    fn names(self) -> Vec<&'static str> {
        match self {
            NameKind::Preset => Preset::ALL.iter().map(|preset| preset.name()).collect(),
            NameKind::Catalog => Catalog::ALL.iter().map(|catalog| catalog.name()).collect(),
        }
    }
}

/// One member of a policy document: its name, what it holds, and whether `null` turns it off.
struct Member {
    name: &'static str,
    expected: Expected,
    nullable: bool,
}

const fn member(name: &'static str, expected: Expected) -> Member {
    Member {
        name,
        expected,
        nullable: false,
    }
}

const fn nullable(name: &'static str, expected: Expected) -> Member {
    Member {
        name,
        expected,
        nullable: true,
    }
}

/// Every member a document may have: `preset` and each of [`PolicySettings`]' settings (a test
/// keeps the two lists equal).
const MEMBERS: &[Member] = &[
    member("preset", Expected::Name(NameKind::Preset)),
    member(
        "min_length",
        Expected::WholeNumber {
            min: 1,
            max: MAX_MAX_LENGTH as u64,
        },
    ),
    member(
        "max_length",
        Expected::WholeNumber {
            min: MIN_MAX_LENGTH as u64,
            max: MAX_MAX_LENGTH as u64,
        },
    ),
    nullable(
        "max_similarity",
        Expected::Number {
            min: MIN_SIMILARITY,
            max: 1.0,
        },
    ),
    member("common", Expected::Boolean),
    member("numeric", Expected::Boolean),
    member("require_upper", Expected::Boolean),
    member("require_lower", Expected::Boolean),
    member("require_digit", Expected::Boolean),
    member("require_symbol", Expected::Boolean),
    nullable("min_score", Expected::WholeNumber { min: 1, max: 4 }),
    member("breached", Expected::Boolean),
    member("messages", Expected::Name(NameKind::Catalog)),
];

/// Why a document can't be used, with the package's error code for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentError {
    /// `unknown_preset` or `invalid_policy`.
    pub code: &'static str,
    /// A sentence in JavaScript's terms.
    pub message: String,
}

impl DocumentError {
    fn invalid(message: impl Into<String>) -> Self {
        Self {
            code: "invalid_policy",
            message: message.into(),
        }
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A policy from a preset name or a policy document.
pub fn policy_from_document(document: Document) -> Result<Policy, DocumentError> {
    match document {
        Document::Preset(name) => preset_named(&name).map(Policy::preset),
        Document::Members(members) => {
            for (name, value) in &members {
                check_member(name, value)?;
            }
            let preset = match members.iter().find(|(name, _)| name == "preset") {
                Some((_, Value::String(name))) => preset_named(name)?,
                _ => Preset::Django,
            };
            let mut settings = preset.settings();
            for (name, value) in &members {
                apply(&mut settings, name, value);
            }
            Policy::new(settings).map_err(|e| DocumentError::invalid(e.to_string()))
        }
        Document::Other(other) => Err(DocumentError::invalid(format!(
            "a policy is a preset name or a policy object, got {}",
            describe(&other)
        ))),
    }
}

fn preset_named(name: &str) -> Result<Preset, DocumentError> {
    name.parse::<Preset>().map_err(|_| DocumentError {
        code: "unknown_preset",
        message: format!(
            "unknown preset {}, expected one of {}",
            quoted(name),
            listed(&NameKind::Preset.names())
        ),
    })
}

/// Sets one checked member over the preset's settings.
fn apply(settings: &mut PolicySettings, name: &str, value: &Value) {
    let number = match value {
        Value::Number(n) => Some(*n),
        _ => None,
    };
    let flag = matches!(value, Value::Bool(true));
    // The casts are exact: check_member admitted only whole numbers in range.
    match name {
        "min_length" => settings.min_length = number.unwrap_or_default() as usize,
        "max_length" => settings.max_length = number.unwrap_or_default() as usize,
        "max_similarity" => settings.max_similarity = number,
        "min_score" => settings.min_score = number.map(|n| n as u8),
        "common" => settings.common = flag,
        "numeric" => settings.numeric = flag,
        "require_upper" => settings.require_upper = flag,
        "require_lower" => settings.require_lower = flag,
        "require_digit" => settings.require_digit = flag,
        "require_symbol" => settings.require_symbol = flag,
        "breached" => settings.breached = flag,
        "messages" => {
            if let Value::String(catalog) = value {
                settings.messages = catalog.clone();
            }
        }
        _ => {}
    }
}

fn check_member(name: &str, value: &Value) -> Result<(), DocumentError> {
    let Some(member) = MEMBERS.iter().find(|member| member.name == name) else {
        let known: Vec<&str> = MEMBERS.iter().map(|member| member.name).collect();
        return Err(DocumentError::invalid(format!(
            "unknown policy member {}, expected one of {}",
            quoted(name),
            known.join(", ")
        )));
    };
    if *value == Value::Null && member.nullable {
        return Ok(());
    }
    let fits = match (member.expected, value) {
        (Expected::WholeNumber { min, max }, Value::Number(n)) => {
            n.fract() == 0.0 && (min as f64..=max as f64).contains(n)
        }
        (Expected::Number { min, max }, Value::Number(n)) => (min..=max).contains(n),
        (Expected::Boolean, Value::Bool(_)) => true,
        (Expected::Name(kind), Value::String(s)) => kind.names().contains(&s.as_str()),
        _ => false,
    };
    if fits {
        return Ok(());
    }
    let error = DocumentError::invalid(format!(
        "policy member {name} must be {}, got {}",
        wanted(member),
        describe(value)
    ));
    match (member.expected, value) {
        (Expected::Name(NameKind::Preset), Value::String(_)) => Err(DocumentError {
            code: "unknown_preset",
            ..error
        }),
        _ => Err(error),
    }
}

/// What a member must hold, in words.
fn wanted(member: &Member) -> String {
    let base = match member.expected {
        Expected::WholeNumber { min, max } => format!("a whole number from {min} to {max}"),
        Expected::Number { min, max } => {
            format!("a number from {} to {}", number_text(min), number_text(max))
        }
        Expected::Boolean => "true or false".to_owned(),
        Expected::Name(kind) => format!("one of {}", listed(&kind.names())),
    };
    if member.nullable {
        format!("{base}, or null to turn it off")
    } else {
        base
    }
}

/// A JavaScript value in words: `the string "12"`, `the number 1.5`, `an array`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {}", number_text(*n)),
        Value::String(s) => format!("the string {}", quoted(s)),
        Value::Array => "an array".to_owned(),
        Value::Object => "an object".to_owned(),
    }
}

/// A number as JavaScript prints it (`12`, `1.5`, `NaN`, `Infinity`), without Rust's float
/// formatting, which would add about 17 KB to the policy module (JSON's is there anyway).
fn number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        (n as i64).to_string()
    } else {
        serde_json::Number::from_f64(n).map_or_else(String::new, |n| n.to_string())
    }
}

/// `s` in double quotes, shortened to 40 characters.
fn quoted(s: &str) -> String {
    const LIMIT: usize = 40;
    if s.chars().count() > LIMIT {
        let head: String = s.chars().take(LIMIT).collect();
        format!("\"{head}…\"")
    } else {
        format!("\"{s}\"")
    }
}

fn listed(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| quoted(name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The document JavaScript would hand over for this JSON.
    fn document(json: serde_json::Value) -> Document {
        match json {
            serde_json::Value::String(name) => Document::Preset(name),
            serde_json::Value::Object(members) => Document::Members(
                members
                    .into_iter()
                    .map(|(name, value)| (name, value_of(value)))
                    .collect(),
            ),
            other => Document::Other(value_of(other)),
        }
    }

    fn value_of(json: serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap()),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(_) => Value::Array,
            serde_json::Value::Object(_) => Value::Object,
        }
    }

    fn accepts(json: serde_json::Value) -> bool {
        policy_from_document(document(json)).is_ok()
    }

    fn error_of(json: serde_json::Value) -> DocumentError {
        match policy_from_document(document(json)) {
            Ok(_) => panic!("the document was accepted"),
            Err(error) => error,
        }
    }

    #[test]
    fn the_members_are_exactly_the_settings_and_preset() {
        let mut settings: Vec<String> = Preset::Django
            .settings()
            .to_json_object()
            .keys()
            .cloned()
            .collect();
        settings.push("preset".to_owned());
        settings.sort();
        let mut members: Vec<String> = MEMBERS.iter().map(|m| m.name.to_owned()).collect();
        members.sort();
        assert_eq!(members, settings);
    }

    #[test]
    fn every_preset_passes_its_own_settings_back() {
        for preset in Preset::ALL {
            let mut members = preset.settings().to_json_object();
            members.insert("preset".into(), json!(preset.name()));
            let policy =
                policy_from_document(document(serde_json::Value::Object(members))).unwrap();
            assert_eq!(*policy.settings(), preset.settings());
        }
    }

    #[test]
    fn every_member_is_laid_over_the_preset() {
        let changed = json!({
            "min_length": 12, "max_length": 256, "max_similarity": 0.5, "common": false,
            "numeric": false, "require_upper": true, "require_lower": true, "require_digit": true,
            "require_symbol": true, "min_score": 3, "breached": true, "messages": "seed-002",
        });
        let policy = policy_from_document(document(changed.clone())).unwrap();
        let settings = serde_json::Value::Object(policy.settings().to_json_object());
        assert_eq!(settings, changed);
        let off = policy_from_document(document(
            json!({"preset": "seed-002", "max_similarity": null}),
        ));
        let off = off.unwrap();
        assert_eq!(off.settings().max_similarity, None);
        assert!(
            off.settings().require_upper,
            "the preset is the starting point"
        );
    }

    #[test]
    fn a_string_where_a_number_belongs_is_said_in_javascript_terms() {
        let error = error_of(json!({"min_length": "12"}));
        assert_eq!(error.code, "invalid_policy");
        assert_eq!(
            error.message,
            "policy member min_length must be a whole number from 1 to 4096, got the string \"12\""
        );
        assert!(!error.message.contains("usize"));
    }

    #[test]
    fn fractions_negatives_and_out_of_range_numbers_are_named() {
        assert!(
            error_of(json!({"min_length": 1.5}))
                .message
                .contains("the number 1.5")
        );
        assert!(
            error_of(json!({"min_length": -3}))
                .message
                .contains("the number -3")
        );
        assert_eq!(
            error_of(json!({"min_score": 300})).message,
            "policy member min_score must be a whole number from 1 to 4, or null to turn it off, got the number 300"
        );
        assert!(
            error_of(json!({"max_similarity": "high"}))
                .message
                .contains("a number from 0.1 to 1")
        );
        assert!(
            error_of(json!({"common": "yes"}))
                .message
                .contains("true or false")
        );
    }

    #[test]
    fn null_turns_off_only_the_members_that_allow_it() {
        assert!(accepts(json!({"min_score": null, "max_similarity": null})));
        assert!(
            error_of(json!({"min_length": null}))
                .message
                .contains("got null")
        );
    }

    #[test]
    fn unknown_members_presets_and_catalogs_are_listed() {
        let error = error_of(json!({"min_lenght": 3}));
        assert!(
            error
                .message
                .starts_with("unknown policy member \"min_lenght\"")
        );
        assert!(error.message.contains("min_length"));
        assert_eq!(error_of(json!({"preset": "strict"})).code, "unknown_preset");
        assert_eq!(error_of(json!("strict")).code, "unknown_preset");
        assert!(
            error_of(json!({"messages": "klingon"}))
                .message
                .contains("\"django\", \"seed-002\"")
        );
    }

    #[test]
    fn the_core_still_judges_members_against_each_other() {
        let error = error_of(json!({"min_length": 200}));
        assert_eq!(error.code, "invalid_policy");
        assert!(error.message.contains("max_length"));
    }

    #[test]
    fn a_document_that_is_not_an_object_or_a_name_is_refused() {
        assert!(error_of(json!(3)).message.contains("the number 3"));
        assert!(error_of(json!([1])).message.contains("an array"));
    }

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        let written: Vec<String> = [
            12.0,
            1.5,
            0.1,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
        ]
        .into_iter()
        .map(number_text)
        .collect();
        assert_eq!(
            written,
            ["12", "1.5", "0.1", "0", "NaN", "Infinity", "-Infinity"]
        );
    }
}
