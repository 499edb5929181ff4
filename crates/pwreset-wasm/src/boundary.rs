//! How values cross to JavaScript: results are built as plain JavaScript objects with js-sys (what
//! `JSON.parse` of the same value would give: `null` for `None`, objects for maps), and failures
//! become thrown `{code, message}` objects. No JSON text and no serde layer on the way: measured
//! against both in docs/benchmarks.md, this is the smallest and as fast.

#[cfg(any(feature = "policy", feature = "strength"))]
use js_sys::Array;
use js_sys::{Object, Reflect};
#[cfg(feature = "strength")]
use pwreset_core::Strength;
#[cfg(any(feature = "policy", feature = "strength"))]
use pwreset_core::UserAttributes;
#[cfg(feature = "policy")]
use pwreset_core::{CheckResult, Violation};
use wasm_bindgen::JsValue;

/// A Rust value as a plain JavaScript value.
#[cfg(any(feature = "policy", feature = "strength"))]
pub(crate) trait ToJs {
    /// The JavaScript value.
    fn to_js(&self) -> JsValue;
}

fn object(members: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in members {
        // Setting an own property of a fresh plain object can't throw.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

#[cfg(any(feature = "policy", feature = "strength"))]
impl ToJs for str {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

#[cfg(any(feature = "policy", feature = "strength"))]
impl<T: ToJs> ToJs for Option<T> {
    fn to_js(&self) -> JsValue {
        self.as_ref().map_or(JsValue::NULL, ToJs::to_js)
    }
}

#[cfg(any(feature = "policy", feature = "strength"))]
impl ToJs for String {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

#[cfg(any(feature = "policy", feature = "strength"))]
impl<T: ToJs> ToJs for [T] {
    fn to_js(&self) -> JsValue {
        self.iter().map(ToJs::to_js).collect::<Array>().into()
    }
}

#[cfg(any(feature = "policy", feature = "strength"))]
impl<T: ToJs> ToJs for Vec<T> {
    fn to_js(&self) -> JsValue {
        self.as_slice().to_js()
    }
}

/// A parameter of a message: numbers and strings (other JSON values do not occur).
#[cfg(feature = "policy")]
impl ToJs for serde_json::Value {
    fn to_js(&self) -> JsValue {
        match self {
            serde_json::Value::Bool(flag) => JsValue::from_bool(*flag),
            serde_json::Value::Number(number) => {
                number.as_f64().map_or(JsValue::NULL, JsValue::from_f64)
            }
            serde_json::Value::String(text) => JsValue::from_str(text),
            _ => JsValue::NULL,
        }
    }
}

#[cfg(feature = "policy")]
impl ToJs for Violation {
    fn to_js(&self) -> JsValue {
        let params = Object::new();
        for (name, value) in &self.params {
            let _ = Reflect::set(&params, &JsValue::from_str(name), &value.to_js());
        }
        object(&[
            ("code", JsValue::from_str(self.code.as_str())),
            ("field", self.field.to_js()),
            ("message", self.message.to_js()),
            ("params", params.into()),
        ])
    }
}

#[cfg(feature = "policy")]
impl ToJs for CheckResult {
    fn to_js(&self) -> JsValue {
        debug_assert!(
            self.strength.is_none(),
            "the estimate is attached in JavaScript"
        );
        object(&[
            ("valid", JsValue::from_bool(self.valid)),
            ("errors", self.errors.to_js()),
            ("strength", JsValue::NULL),
        ])
    }
}

#[cfg(feature = "strength")]
impl ToJs for Strength {
    fn to_js(&self) -> JsValue {
        object(&[
            ("score", JsValue::from_f64(self.score.into())),
            ("guesses_log10", JsValue::from_f64(self.guesses_log10)),
            ("warning", self.warning.to_js()),
            ("suggestions", self.suggestions.to_js()),
        ])
    }
}

/// A failure thrown to JavaScript: a `{code, message}` object.
#[cfg(any(feature = "policy", feature = "hashing"))]
pub(crate) fn failure(code: &str, message: impl std::fmt::Display) -> JsValue {
    object(&[
        ("code", JsValue::from_str(code)),
        ("message", JsValue::from_str(&message.to_string())),
    ])
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
