//! Reading a JSON request body field by field, with a precise complaint for each way it can be
//! wrong.

use serde_json::{Map, Value};

use crate::http::MAX_BODY_BYTES;

/// What is wrong with a request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than [`MAX_BODY_BYTES`].
    TooLarge,
    /// Not JSON, or not a JSON object.
    NotJson,
    /// A required field is absent or `null`.
    Missing(&'static str),
    /// A field has the wrong type or an unusable value.
    Invalid(&'static str, &'static str),
}

impl BodyError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            BodyError::TooLarge => "body_too_large",
            BodyError::NotJson => "invalid_json",
            BodyError::Missing(_) => "field_required",
            BodyError::Invalid(..) => "field_invalid",
        }
    }

    /// The field concerned (`"body"` for the body as a whole).
    pub fn field(&self) -> &'static str {
        match self {
            BodyError::TooLarge | BodyError::NotJson => "body",
            BodyError::Missing(field) | BodyError::Invalid(field, _) => field,
        }
    }

    /// A sentence for people.
    pub fn message(&self) -> String {
        match self {
            BodyError::TooLarge => {
                format!("The request body is larger than {MAX_BODY_BYTES} bytes.")
            }
            BodyError::NotJson => "The request body must be a JSON object.".to_owned(),
            BodyError::Missing(field) => format!("The field \"{field}\" is required."),
            BodyError::Invalid(field, expected) => {
                format!("The field \"{field}\" must be {expected}.")
            }
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            BodyError::TooLarge => 413,
            _ => 400,
        }
    }
}

/// A parsed JSON object body.
pub struct Body(Map<String, Value>);

impl Body {
    /// Parses `bytes` as a JSON object.
    pub fn parse(bytes: &[u8]) -> Result<Self, BodyError> {
        if bytes.len() > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            _ => Err(BodyError::NotJson),
        }
    }

    /// A required string field.
    pub fn string(&self, field: &'static str) -> Result<&str, BodyError> {
        self.optional_string(field)?
            .ok_or(BodyError::Missing(field))
    }

    /// An optional string field (`null` counts as absent).
    pub fn optional_string(&self, field: &'static str) -> Result<Option<&str>, BodyError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(BodyError::Invalid(field, "a string")),
        }
    }

    /// An optional list of strings.
    pub fn optional_strings(&self, field: &'static str) -> Result<Option<Vec<String>>, BodyError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or(BodyError::Invalid(field, "a list of strings")),
            Some(_) => Err(BodyError::Invalid(field, "a list of strings")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_bad_body_is_named() {
        assert_eq!(Body::parse(b"nope").err(), Some(BodyError::NotJson));
        assert_eq!(Body::parse(b"[1]").err(), Some(BodyError::NotJson));
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(Body::parse(&big).err(), Some(BodyError::TooLarge));
        let body = Body::parse(br#"{"a": 1, "b": null, "c": "x"}"#).unwrap();
        assert_eq!(body.string("a"), Err(BodyError::Invalid("a", "a string")));
        assert_eq!(body.string("b"), Err(BodyError::Missing("b")));
        assert_eq!(body.string("c"), Ok("x"));
    }
}
