//! The strength module's exports: zxcvbn estimates, alone or with a user's attributes as the
//! words an attacker tries first (what a policy check carries).

use std::cell::RefCell;

use pwreset_core::Strength;
use pwreset_core::messages::Language;
use wasm_bindgen::prelude::*;

use crate::boundary::{ToJs, user_attributes};

/// The language of `locale` (a tag such as `de` or `es-MX`): English when `undefined` or a
/// language without catalogs, as Django's catalog answers it.
fn language_of(locale: Option<String>) -> Language {
    locale
        .as_deref()
        .and_then(Language::from_tag)
        .unwrap_or_default()
}

/// zxcvbn's estimate of `password`, with `user_inputs` as words an attacker tries first, and its
/// feedback in the language of `locale`.
#[wasm_bindgen]
pub fn estimate(password: &str, user_inputs: Vec<String>, locale: Option<String>) -> JsValue {
    let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
    Strength::estimate_in(password, &inputs, language_of(locale)).to_js()
}

/// Builds zxcvbn's dictionaries now rather than on the first estimate.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() {
    pwreset_core::warm_up();
}

thread_local! {
    /// The user inputs of the last `estimateForUser`: a form estimates one user's passwords
    /// keystroke after keystroke, so the attributes cross the boundary only when they change.
    static USER_INPUTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The estimate a policy check carries: `user` is the user's string attributes as `[name, value,
/// name, value, ...]` (or `undefined` for the same user as the last call), and each value and its
/// parts count as user inputs, as on the server. The feedback is in the language of `locale`: the
/// package passes the compiled policy's `language`, the language of the check's messages.
#[wasm_bindgen(js_name = estimateForUser)]
pub fn estimate_for_user(
    password: &str,
    user: Option<Vec<String>>,
    locale: Option<String>,
) -> JsValue {
    let language = language_of(locale);
    USER_INPUTS.with_borrow_mut(|inputs| {
        if let Some(pairs) = user {
            *inputs = user_attributes(&pairs).strength_inputs();
        }
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        Strength::estimate_in(password, &inputs, language).to_js()
    })
}
