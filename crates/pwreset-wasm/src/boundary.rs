//! How values cross to JavaScript: results are built as plain JavaScript objects with js-sys (what
//! `JSON.parse` of the same value would give: `null` for `None`, objects for maps), and failures
//! become thrown `{code, message}` objects. No JSON text and no serde layer on the way: measured
//! against both in docs/benchmarks.md, this is the smallest and as fast.

#[cfg(any(feature = "policy", feature = "strength"))]
use js_sys::Array;
use std::cell::RefCell;

use js_sys::Object;
#[cfg(feature = "strength")]
use pwreset_core::Strength;
#[cfg(any(feature = "policy", feature = "strength"))]
use pwreset_core::UserAttributes;
#[cfg(feature = "policy")]
use pwreset_core::{CheckResult, Violation};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

/// A Rust value as a plain JavaScript value.
#[cfg(any(feature = "policy", feature = "strength"))]
pub(crate) trait ToJs {
    /// The JavaScript value.
    fn to_js(&self) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// A fresh plain object, filled by plain assignment (`object[key] = value`): no `Reflect.set`
    /// and no exception handling around it, as setting a property of such an object can't throw.
    #[wasm_bindgen(extends = Object)]
    type PlainObject;

    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set(this: &PlainObject, key: &JsValue, value: &JsValue);
}

fn plain_object() -> PlainObject {
    Object::new().unchecked_into()
}

/// A JavaScript string for a name that recurs in every result: made once, then reused, rather than
/// decoded from UTF-8 on every call.
fn interned(name: &'static str) -> JsValue {
    thread_local! {
        static NAMES: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
    }
    NAMES.with_borrow_mut(|names| {
        if let Some((_, value)) = names.iter().find(|(known, _)| *known == name) {
            return value.clone();
        }
        let value = JsValue::from_str(name);
        names.push((name, value.clone()));
        value
    })
}

/// Like [`interned`] for texts made at run time that recur (messages, field names, suggestions):
/// the last few hundred are kept; a text is compared, not decoded again.
#[cfg(any(feature = "policy", feature = "strength"))]
fn recurring(text: &str) -> JsValue {
    const KEPT: usize = 256;
    thread_local! {
        static TEXTS: RefCell<Vec<(String, JsValue)>> = const { RefCell::new(Vec::new()) };
    }
    TEXTS.with_borrow_mut(|texts| {
        if let Some((_, value)) = texts.iter().find(|(known, _)| known == text) {
            return value.clone();
        }
        if texts.len() == KEPT {
            texts.clear();
        }
        let value = JsValue::from_str(text);
        texts.push((text.to_owned(), value.clone()));
        value
    })
}

fn object(members: &[(&'static str, JsValue)]) -> JsValue {
    let object = plain_object();
    for (name, value) in members {
        object.set(&interned(name), value);
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
        recurring(self)
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
        let params = plain_object();
        for (name, value) in &self.params {
            params.set(&JsValue::from_str(name), &value.to_js());
        }
        object(&[
            ("code", interned(self.code.as_str())),
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
pub(crate) fn failure(code: &'static str, message: impl std::fmt::Display) -> JsValue {
    object(&[
        ("code", interned(code)),
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
