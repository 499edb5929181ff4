//! How values cross to JavaScript: Rust values become plain JavaScript objects (`null` for `None`,
//! objects for maps), and failures become thrown `{code, message}` objects.

#[cfg(any(feature = "policy", feature = "strength"))]
use pwreset_core::UserAttributes;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Objects for maps and `null` for `None`: what `JSON.parse` of the same value would give.
const SERIALIZER: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::json_compatible();

/// `value` as a plain JavaScript value.
#[cfg(any(feature = "policy", feature = "strength"))]
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&SERIALIZER)
        .map_err(|e| failure("internal", e))
}

#[derive(Serialize)]
struct Failure<'a> {
    code: &'a str,
    message: String,
}

/// A failure thrown to JavaScript: a `{code, message}` object.
pub(crate) fn failure(code: &str, message: impl std::fmt::Display) -> JsValue {
    let failure = Failure {
        code,
        message: message.to_string(),
    };
    failure
        .serialize(&SERIALIZER)
        .unwrap_or_else(|_| JsValue::from_str(code))
}

/// `[name, value, name, value, ...]` as user attributes; a trailing odd entry is ignored.
#[cfg(any(feature = "policy", feature = "strength"))]
pub(crate) fn user_attributes(pairs: &[String]) -> UserAttributes {
    let mut user = UserAttributes::new();
    for pair in pairs.chunks_exact(2) {
        user.insert(&pair[0], &pair[1]);
    }
    user
}
