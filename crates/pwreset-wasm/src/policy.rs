//! The policy module's exports: compiled policies and the confirmation check.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use js_sys::{Array, Object};
use pwreset_core::messages::Catalog;
use pwreset_core::{
    CheckInput, DEFAULT_CONFIRM_FIELD, DEFAULT_PASSWORD_FIELD, Policy, Strength, UserAttributes,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::boundary::{ToJs, user_attributes};
use crate::{Document, Value, failure, policy_from_document};

/// How many compiled policies are alive in this module's memory (for the test that JavaScript's
/// garbage collector frees them).
static LIVE_POLICIES: AtomicUsize = AtomicUsize::new(0);

/// A policy parsed once and kept in wasm memory, to check many passwords.
#[wasm_bindgen]
pub struct CompiledPolicy {
    policy: Policy,
    /// Where messages and help texts come from: the policy's own catalog, or its translation
    /// into the locale the policy was compiled for.
    catalog: &'static Catalog,
    /// The user of the last check: a form checks one user's passwords keystroke after keystroke,
    /// so the attributes cross the boundary only when they change.
    user: RefCell<UserAttributes>,
}

#[wasm_bindgen]
impl CompiledPolicy {
    /// Compiles a preset name or a plain-data policy document (the package hands over a
    /// `structuredClone`, so reading it runs no code of the caller's). Throws `unknown_preset` or
    /// `invalid_policy` with a sentence in JavaScript's terms. `locale` (a language tag such as
    /// `de` or `es-MX`) picks the catalog's translation as the server does for `Accept-Language`;
    /// a catalog without one (`seed-002`) and an unknown language keep the policy's own.
    #[wasm_bindgen(constructor)]
    pub fn new(document: JsValue, locale: Option<String>) -> Result<CompiledPolicy, JsValue> {
        let policy =
            policy_from_document(document_of(&document)).map_err(|e| failure(e.code, e.message))?;
        let catalog = match locale {
            Some(tag) => policy.catalog().in_language(&tag),
            None => policy.catalog(),
        };
        LIVE_POLICIES.fetch_add(1, Ordering::Relaxed);
        Ok(Self {
            policy,
            catalog,
            user: RefCell::default(),
        })
    }

    /// Checks `password`. `user` is the user's string attributes as `[name, value, name, value,
    /// ...]`, or `undefined` for the same user as the last check; the field names default to
    /// `password` and `password_confirm`. `score` is the score of the strength module's estimate
    /// for the same password and user, when it is loaded. Returns `{valid, errors, strength: null}`:
    /// the caller attaches the estimate it made.
    pub fn check(
        &self,
        password: &str,
        user: Option<Vec<String>>,
        confirm: Option<String>,
        password_field: Option<String>,
        confirm_field: Option<String>,
        score: Option<u8>,
    ) -> Result<JsValue, JsValue> {
        if score.is_none() && self.policy.needs_strength() {
            return Err(strength_not_loaded());
        }
        if let Some(pairs) = user {
            *self.user.borrow_mut() = user_attributes(&pairs);
        }
        let user = self.user.borrow();
        // Only the score is judged (`min_score`); the estimate itself stays on the JavaScript side.
        let strength = score.map(|score| Strength {
            score,
            guesses_log10: 0.0,
            warning: None,
            suggestions: Vec::new(),
        });
        let mut input = CheckInput::new(password).user(&user);
        input.confirm = confirm.as_deref();
        input.password_field = password_field.as_deref().unwrap_or(DEFAULT_PASSWORD_FIELD);
        input.confirm_field = confirm_field.as_deref().unwrap_or(DEFAULT_CONFIRM_FIELD);
        input.strength = strength.as_ref();
        let mut result = self.policy.check(&input);
        result.strength = None;
        if !std::ptr::eq(self.catalog, self.policy.catalog()) {
            result = result.localized(self.catalog);
        }
        Ok(result.to_js())
    }

    /// [`CompiledPolicy::check`] with JSON text both ways (`user` as a JSON object): only for
    /// measuring the boundaries against each other (`npm/bench/boundary.mjs`).
    #[cfg(feature = "boundary-bench")]
    #[wasm_bindgen(js_name = checkJson)]
    pub fn check_json(&self, password: &str, user_json: &str) -> Result<String, JsValue> {
        if self.policy.needs_strength() {
            return Err(strength_not_loaded());
        }
        let user: UserAttributes =
            serde_json::from_str(user_json).map_err(|e| failure("invalid_argument", e))?;
        let input = CheckInput::new(password).user(&user);
        serde_json::to_string(&self.policy.check(&input)).map_err(|e| failure("internal", e))
    }

    /// [`CompiledPolicy::check`] with the result built by serde-wasm-bindgen instead of js-sys:
    /// only for measuring the boundaries against each other (`npm/bench/boundary.mjs`).
    #[cfg(feature = "boundary-bench")]
    #[wasm_bindgen(js_name = checkSerde)]
    pub fn check_serde(&self, password: &str, user: Vec<String>) -> Result<JsValue, JsValue> {
        use serde::Serialize;
        if self.policy.needs_strength() {
            return Err(strength_not_loaded());
        }
        let user = user_attributes(&user);
        let input = CheckInput::new(password).user(&user);
        self.policy
            .check(&input)
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| failure("internal", e))
    }

    /// The policy's rules in words (in its locale), for showing before the user types.
    #[wasm_bindgen(js_name = helpTexts)]
    pub fn help_texts(&self) -> JsValue {
        self.policy.help_texts_in(self.catalog).to_js()
    }

    /// The name of the catalog messages come from (the policy's, or its translation).
    #[wasm_bindgen(getter)]
    pub fn messages(&self) -> String {
        self.catalog.name().to_owned()
    }

    /// The language tag of that catalog (`en`, `de`, `es`): the package asks the strength module
    /// for its feedback in it, so that warnings and suggestions speak the messages' language.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        self.catalog.language().tag().to_owned()
    }

    /// The most characters a password may have (`max_length`): longer ones are refused before
    /// any other work, so they need no estimate.
    #[wasm_bindgen(getter, js_name = maxLength)]
    pub fn max_length(&self) -> usize {
        self.policy.settings().max_length
    }

    /// Whether a check needs a strength estimate (the policy sets `min_score`).
    #[wasm_bindgen(getter, js_name = needsStrength)]
    pub fn needs_strength(&self) -> bool {
        self.policy.needs_strength()
    }
}

impl Drop for CompiledPolicy {
    fn drop(&mut self) {
        LIVE_POLICIES.fetch_sub(1, Ordering::Relaxed);
    }
}

/// How many compiled policies this module holds (internal: for the package's tests).
#[wasm_bindgen(js_name = livePolicyCount)]
pub fn live_policy_count() -> usize {
    LIVE_POLICIES.load(Ordering::Relaxed)
}

/// `password_mismatch` on `confirm_field`, or `null` when the two match. `messages` names the
/// catalog (default `django`).
#[wasm_bindgen(js_name = checkConfirm)]
pub fn check_confirm(
    password: &str,
    confirm: &str,
    confirm_field: Option<String>,
    messages: Option<String>,
) -> Result<JsValue, JsValue> {
    let name = messages.as_deref().unwrap_or("django");
    let catalog = Catalog::by_name(name).ok_or_else(|| {
        let known: Vec<&str> = Catalog::ALL.iter().map(|c| c.name()).collect();
        failure(
            "invalid_argument",
            format!(
                "unknown message catalog \"{name}\", expected one of {}",
                known.join(", ")
            ),
        )
    })?;
    let field = confirm_field.as_deref().unwrap_or(DEFAULT_CONFIRM_FIELD);
    Ok(pwreset_core::check_confirm(password, confirm, field, catalog).to_js())
}

fn strength_not_loaded() -> JsValue {
    failure(
        "strength_not_loaded",
        "this policy sets min_score: load the strength module first (await loadStrength())",
    )
}

/// What JavaScript gave as a policy: a preset's name, an object's members, or something else.
fn document_of(value: &JsValue) -> Document {
    if let Some(name) = value.as_string() {
        return Document::Preset(name);
    }
    if value.is_object() && !Array::is_array(value) {
        let members = Object::entries(value.unchecked_ref())
            .iter()
            .map(|entry| {
                let pair: Array = entry.unchecked_into();
                (
                    pair.get(0).as_string().unwrap_or_default(),
                    value_of(&pair.get(1)),
                )
            })
            .collect();
        return Document::Members(members);
    }
    Document::Other(value_of(value))
}

fn value_of(value: &JsValue) -> Value {
    if value.is_null() || value.is_undefined() {
        Value::Null
    } else if let Some(flag) = value.as_bool() {
        Value::Bool(flag)
    } else if let Some(number) = value.as_f64() {
        Value::Number(number)
    } else if let Some(text) = value.as_string() {
        Value::String(text)
    } else if Array::is_array(value) {
        Value::Array
    } else {
        Value::Object
    }
}
