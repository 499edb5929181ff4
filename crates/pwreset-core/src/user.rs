//! The user's own attributes, which a password must not resemble.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::text::{py_lower, split_on_non_word};

/// Django's default `user_attributes`, in Django's order, with their `verbose_name`s on its `User`.
const KNOWN: &[(&str, &str)] = &[
    ("username", "username"),
    ("first_name", "first name"),
    ("last_name", "last name"),
    ("email", "email address"),
];

/// Named string attributes of a user (`username`, `email`, `first_name`, ...).
///
/// Django's four attributes come first, in Django's order, so the first similar one reported is the
/// one Django would report; any others follow in name order. `firstName`/`lastName` are read as
/// `first_name`/`last_name`. Non-string values are ignored, as Django ignores them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserAttributes {
    attributes: Vec<(String, String)>,
}

impl UserAttributes {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one attribute (chainable).
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.insert(name, value);
        self
    }

    /// Adds one attribute, keeping Django's order.
    pub fn insert(&mut self, name: &str, value: &str) {
        let name = canonical_name(name).to_owned();
        let entry = (name, value.to_owned());
        if self.attributes.contains(&entry) {
            return;
        }
        self.attributes.push(entry);
        self.attributes
            .sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    }

    /// Reads the string members of a JSON object; other members are ignored.
    pub(crate) fn from_json_object(object: &Map<String, Value>) -> Self {
        let mut user = Self::new();
        for (name, value) in object {
            if let Value::String(value) = value {
                user.insert(name, value);
            }
        }
        user
    }

    /// `true` when no attribute was given.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }

    /// The attributes as `(name, value)`, in check order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attributes
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Words for a strength estimator: each value and its `\W+`-separated parts, lower-cased.
    pub fn strength_inputs(&self) -> Vec<String> {
        let mut inputs: Vec<String> = Vec::new();
        for (_, value) in self.iter() {
            let lower = py_lower(value);
            for part in split_on_non_word(&lower) {
                if !part.is_empty() && !inputs.iter().any(|known| known == part) {
                    inputs.push(part.to_owned());
                }
            }
            if !inputs.contains(&lower) {
                inputs.push(lower);
            }
        }
        inputs
    }

    /// How Django's `User` model names an attribute in messages ("email address").
    pub(crate) fn verbose_name(name: &str) -> &str {
        KNOWN
            .iter()
            .find(|(known, _)| *known == name)
            .map_or(name, |(_, verbose)| verbose)
    }
}

impl<'de> Deserialize<'de> for UserAttributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(|object| Self::from_json_object(&object))
    }
}

fn canonical_name(name: &str) -> &str {
    match name {
        "firstName" => "first_name",
        "lastName" => "last_name",
        other => other,
    }
}

fn rank(name: &str) -> usize {
    KNOWN
        .iter()
        .position(|(known, _)| *known == name)
        .unwrap_or(KNOWN.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_attributes_come_first_in_django_order() {
        let user = UserAttributes::new()
            .with("phone", "+15550100")
            .with("email", "jane@example.com")
            .with("firstName", "Jane")
            .with("username", "jdoe");
        let names: Vec<&str> = user.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["username", "first_name", "email", "phone"]);
    }

    #[test]
    fn non_string_json_members_are_ignored() {
        let object = serde_json::json!({"username": "jdoe", "age": 42, "admin": true});
        let user = UserAttributes::from_json_object(object.as_object().unwrap());
        assert_eq!(user.iter().collect::<Vec<_>>(), [("username", "jdoe")]);
    }

    #[test]
    fn strength_inputs_hold_whole_values_and_parts() {
        let user = UserAttributes::new().with("email", "Jane.Doe@example.com");
        assert_eq!(
            user.strength_inputs(),
            ["jane", "doe", "example", "com", "jane.doe@example.com"]
        );
    }
}
