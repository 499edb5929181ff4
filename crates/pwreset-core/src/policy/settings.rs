//! Policy documents: presets, JSON overrides, and the limits a policy must respect.
//!
//! A policy document is a JSON object. `preset` names the starting point (default `django`); every other
//! member overrides that preset's value; unknown members are an error, so a typo never silently weakens
//! a policy. The same document drives the Worker and the browser package.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::messages::Catalog;

/// The smallest `max_length` a policy may set: NIST SP 800-63B requires accepting at least 64.
pub const MIN_MAX_LENGTH: usize = 64;
/// The largest `max_length` a policy may set, so that hashing cost stays bounded.
pub const MAX_MAX_LENGTH: usize = 4096;
/// Django refuses a `max_similarity` below this.
pub const MIN_SIMILARITY: f64 = 0.1;

/// A named starting point for a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    /// Django 5.2's four default validators, with Django's messages.
    #[serde(rename = "django")]
    Django,
    /// NIST SP 800-63B rev. 4: length, blocklist and similarity, no composition rules.
    #[serde(rename = "nist")]
    Nist,
    /// The seed-002 API's rules and messages: length, similarity, common, numeric, all four classes.
    #[serde(rename = "seed-002")]
    Seed002,
}

impl Preset {
    /// Every preset.
    pub const ALL: &'static [Preset] = &[Preset::Django, Preset::Nist, Preset::Seed002];

    /// The name a policy document uses.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Django => "django",
            Preset::Nist => "nist",
            Preset::Seed002 => "seed-002",
        }
    }

    /// The full settings of this preset.
    pub fn settings(self) -> PolicySettings {
        let django = PolicySettings {
            min_length: 8,
            max_length: 128,
            max_similarity: Some(0.7),
            common: true,
            numeric: true,
            require_upper: false,
            require_lower: false,
            require_digit: false,
            require_symbol: false,
            min_score: None,
            breached: false,
            messages: "django".to_owned(),
        };
        match self {
            Preset::Django => django,
            Preset::Nist => PolicySettings {
                numeric: false,
                ..django
            },
            Preset::Seed002 => PolicySettings {
                require_upper: true,
                require_lower: true,
                require_digit: true,
                require_symbol: true,
                messages: "seed-002".to_owned(),
                ..django
            },
        }
    }
}

impl FromStr for Preset {
    type Err = PolicyConfigError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Preset::ALL
            .iter()
            .copied()
            .find(|preset| preset.name() == name)
            .ok_or_else(|| {
                PolicyConfigError::new(format!(
                    "unknown preset `{name}`, expected one of {}",
                    preset_names()
                ))
            })
    }
}

fn preset_names() -> String {
    Preset::ALL
        .iter()
        .map(|p| p.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every setting of a policy, resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    /// Fewer characters (Unicode scalar values) is `password_too_short`.
    pub min_length: usize,
    /// More characters is `password_too_long`, checked first; at least 64.
    pub max_length: usize,
    /// Django's similarity threshold (0.1..=1.0); `null` turns the rule off.
    pub max_similarity: Option<f64>,
    /// Refuse the 20,000 most common passwords.
    pub common: bool,
    /// Refuse entirely numeric passwords.
    pub numeric: bool,
    /// Require an uppercase letter.
    pub require_upper: bool,
    /// Require a lowercase letter.
    pub require_lower: bool,
    /// Require a digit.
    pub require_digit: bool,
    /// Require a symbol.
    pub require_symbol: bool,
    /// The lowest zxcvbn score (1..=4) accepted; `null` turns the rule off.
    pub min_score: Option<u8>,
    /// Refuse passwords the caller found in a breach corpus.
    pub breached: bool,
    /// The message catalog's name (`django`, `seed-002`).
    pub messages: String,
}

impl PolicySettings {
    /// Reads a policy document: a preset (default `django`) with the document's members over it.
    pub fn from_json(document: &str) -> Result<Self, PolicyConfigError> {
        let value: Value = serde_json::from_str(document)
            .map_err(|e| PolicyConfigError::new(format!("policy is not valid JSON: {e}")))?;
        Self::from_value(value)
    }

    /// Like [`PolicySettings::from_json`], from parsed JSON.
    pub fn from_value(value: Value) -> Result<Self, PolicyConfigError> {
        let Value::Object(mut overrides) = value else {
            return Err(PolicyConfigError::new("policy must be a JSON object"));
        };
        let preset = match overrides.remove("preset") {
            None => Preset::Django,
            Some(Value::String(name)) => name.parse()?,
            Some(_) => {
                return Err(PolicyConfigError::new(
                    "policy field `preset` must be a string",
                ));
            }
        };
        let Value::Object(mut merged) =
            serde_json::to_value(preset.settings()).expect("settings serialize to a JSON object")
        else {
            unreachable!("settings serialize to a JSON object")
        };
        merged.extend(overrides);
        let settings: PolicySettings = serde_json::from_value(Value::Object(merged))
            .map_err(|e| PolicyConfigError::new(format!("invalid policy: {e}")))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks the limits every policy must respect.
    pub fn validate(&self) -> Result<(), PolicyConfigError> {
        let fail = |msg: String| Err(PolicyConfigError::new(msg));
        if !(MIN_MAX_LENGTH..=MAX_MAX_LENGTH).contains(&self.max_length) {
            return fail(format!(
                "max_length must be between {MIN_MAX_LENGTH} and {MAX_MAX_LENGTH}, got {}",
                self.max_length
            ));
        }
        if self.min_length < 1 || self.min_length > self.max_length {
            return fail(format!(
                "min_length must be between 1 and max_length ({}), got {}",
                self.max_length, self.min_length
            ));
        }
        if let Some(similarity) = self.max_similarity
            && !(MIN_SIMILARITY..=1.0).contains(&similarity)
        {
            return fail(format!(
                "max_similarity must be between {} and 1.0, got {}",
                decimal(MIN_SIMILARITY),
                decimal(similarity)
            ));
        }
        if let Some(score) = self.min_score
            && !(1..=4).contains(&score)
        {
            return fail(format!("min_score must be between 1 and 4, got {score}"));
        }
        if Catalog::by_name(&self.messages).is_none() {
            let known: Vec<&str> = Catalog::ALL.iter().map(|c| c.name()).collect();
            return fail(format!(
                "unknown message catalog `{}`, expected one of {}",
                self.messages,
                known.join(", ")
            ));
        }
        Ok(())
    }

    /// The document members as a JSON object (every setting, no preset).
    pub fn to_json_object(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(object)) => object,
            _ => unreachable!("settings serialize to a JSON object"),
        }
    }
}

/// A policy document that can't be used, with a sentence saying why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyConfigError {
    message: String,
}

impl PolicyConfigError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// `x` as JSON writes it (`0.1`, `1.5`, `NaN` for what JSON cannot hold). Not `{x}`: Rust's own
/// float formatting would add about 17 KB to the npm package's policy module, which has JSON's.
fn decimal(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(|| "NaN".to_owned(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(document: &str) -> String {
        PolicySettings::from_json(document).unwrap_err().to_string()
    }

    #[test]
    fn empty_document_is_the_django_preset() {
        assert_eq!(
            PolicySettings::from_json("{}").unwrap(),
            Preset::Django.settings()
        );
    }

    #[test]
    fn members_override_the_named_preset() {
        let settings = PolicySettings::from_json(r#"{"preset":"nist","min_length":15}"#).unwrap();
        assert_eq!(settings.min_length, 15);
        assert!(!settings.numeric);
    }

    #[test]
    fn null_turns_optional_rules_off() {
        let settings = PolicySettings::from_json(r#"{"max_similarity":null}"#).unwrap();
        assert_eq!(settings.max_similarity, None);
    }

    #[test]
    fn unknown_fields_are_rejected_by_name() {
        assert!(error_of(r#"{"min_lenght":10}"#).contains("unknown field `min_lenght`"));
    }

    #[test]
    fn wrong_types_and_non_objects_are_rejected() {
        assert!(error_of(r#"{"min_length":"8"}"#).contains("invalid policy"));
        assert!(error_of("[]").contains("must be a JSON object"));
        assert!(error_of("{").contains("not valid JSON"));
        assert!(error_of(r#"{"preset":7}"#).contains("`preset` must be a string"));
    }

    #[test]
    fn limits_are_enforced() {
        assert!(error_of(r#"{"max_length":63}"#).contains("max_length must be between 64"));
        assert!(error_of(r#"{"min_length":0}"#).contains("min_length must be between 1"));
        assert!(error_of(r#"{"min_length":200}"#).contains("min_length"));
        assert!(
            error_of(r#"{"max_similarity":0.05}"#)
                .contains("max_similarity must be between 0.1 and 1.0, got 0.05")
        );
        assert!(error_of(r#"{"min_score":5}"#).contains("min_score"));
        assert!(error_of(r#"{"messages":"klingon"}"#).contains("unknown message catalog"));
        assert!(error_of(r#"{"preset":"strict"}"#).contains("unknown preset `strict`"));
    }
}
