//! Reading a JSON request body field by field, with a precise complaint for each way it can be
//! wrong.

use serde_json::{Map, Value};

use crate::model::http::{MAX_BODY_BYTES, Request};

/// What is wrong with a request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Not sent as `Content-Type: application/json`. A page on another site can send a
    /// `text/plain` body without asking the browser's CORS preflight; JSON it cannot.
    UnsupportedMediaType,
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
            BodyError::UnsupportedMediaType => "unsupported_media_type",
            BodyError::TooLarge => "body_too_large",
            BodyError::NotJson => "invalid_json",
            BodyError::Missing(_) => "field_required",
            BodyError::Invalid(..) => "field_invalid",
        }
    }

    /// The field concerned (`"body"` for the body as a whole, `"content-type"` for its header).
    pub fn field(&self) -> &'static str {
        match self {
            BodyError::UnsupportedMediaType => "content-type",
            BodyError::TooLarge | BodyError::NotJson => "body",
            BodyError::Missing(field) | BodyError::Invalid(field, _) => field,
        }
    }

    /// A sentence for people.
    pub fn message(&self) -> String {
        match self {
            BodyError::UnsupportedMediaType => {
                "The request body must be JSON, sent with Content-Type: application/json."
                    .to_owned()
            }
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
            BodyError::UnsupportedMediaType => 415,
            BodyError::TooLarge => 413,
            _ => 400,
        }
    }
}

/// A parsed JSON object body.
pub struct Body(Map<String, Value>);

/// Whether a `Content-Type` value is `application/json`, in any case, with or without parameters
/// (`; charset=utf-8`).
pub fn is_json(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

impl Body {
    /// Reads a request's body: it must be declared `application/json` (else nothing of it is
    /// read), then be a JSON object of at most [`MAX_BODY_BYTES`].
    pub fn from_request(req: &Request) -> Result<Self, BodyError> {
        if !is_json(req.header_value("content-type")) {
            return Err(BodyError::UnsupportedMediaType);
        }
        Self::parse(&req.body)
    }

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

    #[test]
    fn only_a_body_declared_as_json_is_read() {
        let post = |content_type: Option<&str>| {
            let mut req = Request::new(
                crate::model::http::Method::Post,
                "/reg/user/resetPasswordRequest",
            );
            req.body = br#"{"username":"jane"}"#.to_vec();
            if let Some(value) = content_type {
                req = req.header("Content-Type", value);
            }
            Body::from_request(&req).map(|_| ())
        };
        for accepted in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
            " application/json ",
        ] {
            assert_eq!(post(Some(accepted)), Ok(()), "{accepted}");
        }
        for refused in [
            None,
            Some(""),
            Some("text/plain"),
            Some("text/plain; charset=utf-8"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonp"),
            Some("application/json-patch+json"),
            Some("text/plain, application/json"),
        ] {
            assert_eq!(
                post(refused),
                Err(BodyError::UnsupportedMediaType),
                "{refused:?}"
            );
        }
        assert_eq!(BodyError::UnsupportedMediaType.status(), 415);
    }
}
