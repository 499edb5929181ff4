//! Reading a JSON request body into its route's struct, with a precise complaint for each way it
//! can be wrong.
//!
//! A body is read in two steps. First it must be declared `application/json` (else nothing of it
//! is read), be at most [`MAX_BODY_BYTES`] and be a JSON object (of a key given twice, the last
//! counts). Then it is read into the route's struct, a [`RequestBody`] whose fields are all
//! [`Field`]s: that step cannot fail, whatever the values, so that each route checks its fields
//! in its own order and the first wrong one is the answer ([`RequestBody::check`]). Fields the
//! struct does not name are ignored, unless the body is closed ([`RequestBody::CLOSED`], the admin
//! routes'): then the first of them is refused before anything else
//! ([`BodyError::UnknownField`]). `null` counts as absent.

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};
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
    /// A field has the wrong type or an unusable value: the field, and what it must be.
    Invalid(&'static str, &'static str),
    /// A field a closed body does not take ([`RequestBody::CLOSED`]): its name as sent.
    UnknownField(String),
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
            BodyError::UnknownField(_) => "unknown_field",
        }
    }

    /// The field concerned (`"body"` for the body as a whole, `"content-type"` for its header).
    pub fn field(&self) -> &str {
        match self {
            BodyError::UnsupportedMediaType => "content-type",
            BodyError::TooLarge | BodyError::NotJson => "body",
            BodyError::Missing(field) | BodyError::Invalid(field, _) => field,
            BodyError::UnknownField(field) => field,
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
            BodyError::UnknownField(field) => {
                format!("The field \"{field}\" is not one this route takes.")
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

/// Whether a `Content-Type` value is `application/json`, in any case, with or without parameters
/// (`; charset=utf-8`).
pub fn is_json(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// One field of a request body as it was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Field<T> {
    /// Absent, or `null`.
    #[default]
    Absent,
    /// A value of the field's type.
    Given(T),
    /// A value of another type.
    WrongType,
}

/// What a [`Field`] can hold, and how a complaint names it.
pub trait FieldType: DeserializeOwned {
    /// What the field must be, after "must be" (`a string`).
    const EXPECTED: &'static str;
}

impl FieldType for String {
    const EXPECTED: &'static str = "a string";
}

impl FieldType for Vec<String> {
    const EXPECTED: &'static str = "a list of strings";
}

impl<'de, T: FieldType> Deserialize<'de> for Field<T> {
    /// Never fails: a value of another type is [`Field::WrongType`], for the route to refuse in
    /// its turn.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Field::Absent,
            value => serde_json::from_value(value).map_or(Field::WrongType, Field::Given),
        })
    }
}

impl<T: FieldType> Field<T> {
    /// The value of a required field named `name`.
    pub fn required(self, name: &'static str) -> Result<T, BodyError> {
        self.optional(name)?.ok_or(BodyError::Missing(name))
    }

    /// The value of an optional field named `name`, when it has one.
    pub fn optional(self, name: &'static str) -> Result<Option<T>, BodyError> {
        match self {
            Field::Absent => Ok(None),
            Field::Given(value) => Ok(Some(value)),
            Field::WrongType => Err(BodyError::Invalid(name, T::EXPECTED)),
        }
    }
}

/// A route's request body: a struct of [`Field`]s, named as on the wire (`#[serde(default)]`, so
/// that an absent field is [`Field::Absent`]).
pub trait RequestBody: DeserializeOwned {
    /// The body's values, checked and normalised.
    type Checked;

    /// `true` for a body that refuses a field it does not name ([`BodyError::UnknownField`]; of
    /// several, the first by name) rather than ignoring it.
    const CLOSED: bool = false;

    /// Checks the fields in the route's order: the first wrong one is the answer.
    fn check(self) -> Result<Self::Checked, BodyError>;
}

/// Reads a request's body as `T`: it must be declared `application/json`, then be a JSON object
/// of at most [`MAX_BODY_BYTES`] whose fields `T` accepts.
pub fn read<T: RequestBody>(req: &Request) -> Result<T::Checked, BodyError> {
    if !is_json(req.header_value("content-type")) {
        return Err(BodyError::UnsupportedMediaType);
    }
    parse_body::<T>(&req.body)?.check()
}

/// Parses `bytes` as `T`'s body, unchecked: [`parse`], and for a closed body
/// ([`RequestBody::CLOSED`]) no field `T` does not name.
pub fn parse_body<T: RequestBody>(bytes: &[u8]) -> Result<T, BodyError> {
    if !T::CLOSED {
        return parse::<T>(bytes);
    }
    let object: Map<String, Value> = parse(bytes)?;
    let named = field_names::<T>();
    if let Some(unknown) = object.keys().find(|key| !named.contains(&key.as_str())) {
        return Err(BodyError::UnknownField(unknown.clone()));
    }
    serde_json::from_value(Value::Object(object)).map_err(|_| BodyError::NotJson)
}

/// The field names serde reads into the struct `T` (after renames), from its derived
/// `Deserialize`; empty for anything but a struct.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Introspect<'f>(&'f mut &'static [&'static str]);

    impl<'de> Deserializer<'de> for Introspect<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("only its fields were wanted"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Introspect(&mut fields));
    fields
}

/// Parses `bytes` as a JSON object into `T`, unchecked.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(BodyError::TooLarge);
    }
    let object: Map<String, Value> =
        serde_json::from_slice(bytes).map_err(|_| BodyError::NotJson)?;
    // The object has no key twice, and a struct of `Field`s takes any values: this cannot fail.
    serde_json::from_value(Value::Object(object)).map_err(|_| BodyError::NotJson)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Abc {
        a: Field<String>,
        b: Field<String>,
        c: Field<String>,
        d: Field<Vec<String>>,
    }

    impl RequestBody for Abc {
        type Checked = ();
        fn check(self) -> Result<(), BodyError> {
            Ok(())
        }
    }

    #[test]
    fn each_kind_of_bad_body_is_named() {
        assert_eq!(parse::<Abc>(b"nope").err(), Some(BodyError::NotJson));
        assert_eq!(parse::<Abc>(b"[1]").err(), Some(BodyError::NotJson));
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(parse::<Abc>(&big).err(), Some(BodyError::TooLarge));
        let body = parse::<Abc>(br#"{"a": 1, "b": null, "c": "x", "d": ["y"]}"#).unwrap();
        assert_eq!(
            body.a.required("a"),
            Err(BodyError::Invalid("a", "a string"))
        );
        assert_eq!(body.b.required("b"), Err(BodyError::Missing("b")));
        assert_eq!(body.c.required("c"), Ok("x".to_owned()));
        assert_eq!(body.d.optional("d"), Ok(Some(vec!["y".to_owned()])));
        let lists = parse::<Abc>(br#"{"d": ["y", 1], "e": {}}"#).unwrap();
        assert_eq!(
            lists.d.optional("d"),
            Err(BodyError::Invalid("d", "a list of strings"))
        );
        assert_eq!(lists.a.optional("a"), Ok(None));
    }

    #[test]
    fn of_a_key_given_twice_the_last_counts() {
        let body = parse::<Abc>(br#"{"a": 1, "a": "x"}"#).unwrap();
        assert_eq!(body.a, Field::Given("x".to_owned()));
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
            read::<Abc>(&req)
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
