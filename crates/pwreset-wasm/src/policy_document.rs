//! Policy documents as JavaScript developers write them, checked member by member with errors in
//! JavaScript's terms ("a whole number from 1 to 4", "the string \"12\""), before the core reads
//! them. The core's own limits still apply; this only says what is wrong in words a frontend
//! developer recognises, rather than the Rust type behind it.

use std::fmt;

use pwreset_core::messages::Catalog;
use pwreset_core::{
    MAX_MAX_LENGTH, MIN_MAX_LENGTH, MIN_SIMILARITY, Policy, PolicySettings, Preset,
};
use serde_json::Value;

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

/// A policy from a preset name (a JSON string) or a policy document (a JSON object).
pub fn policy_from_document(document: Value) -> Result<Policy, DocumentError> {
    match document {
        Value::String(name) => {
            name.parse::<Preset>()
                .map(Policy::preset)
                .map_err(|_| DocumentError {
                    code: "unknown_preset",
                    message: format!(
                        "unknown preset {}, expected one of {}",
                        quoted(&name),
                        listed(&NameKind::Preset.names())
                    ),
                })
        }
        Value::Object(members) => {
            for (name, value) in &members {
                check_member(name, value)?;
            }
            PolicySettings::from_value(Value::Object(members))
                .and_then(Policy::new)
                .map_err(|e| DocumentError::invalid(e.to_string()))
        }
        other => Err(DocumentError::invalid(format!(
            "a policy is a preset name or a policy object, got {}",
            describe(&other)
        ))),
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
    if value.is_null() && member.nullable {
        return Ok(());
    }
    let fits = match (member.expected, value) {
        (Expected::WholeNumber { min, max }, Value::Number(n)) => {
            n.as_u64().is_some_and(|n| (min..=max).contains(&n))
        }
        (Expected::Number { min, max }, Value::Number(n)) => {
            n.as_f64().is_some_and(|n| (min..=max).contains(&n))
        }
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
        Expected::Number { min, max } => format!("a number from {min} to {max}"),
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
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", quoted(s)),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
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

    fn error_of(document: Value) -> DocumentError {
        match policy_from_document(document) {
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
            let mut document = preset.settings().to_json_object();
            document.insert("preset".into(), json!(preset.name()));
            assert!(policy_from_document(Value::Object(document)).is_ok());
        }
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
        assert!(policy_from_document(json!({"min_score": null, "max_similarity": null})).is_ok());
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
}
