//! The strength module's exports: zxcvbn estimates, alone or with a user's attributes as the
//! words an attacker tries first (what a policy check carries).

use pwreset_core::{Strength, UserAttributes};
use wasm_bindgen::prelude::*;

use crate::boundary::{ToJs, user_attributes};

/// zxcvbn's estimate of `password`, with `user_inputs` as words an attacker tries first.
#[wasm_bindgen]
pub fn estimate(password: &str, user_inputs: Vec<String>) -> JsValue {
    let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
    pwreset_core::estimate_strength(password, &inputs).to_js()
}

/// Builds zxcvbn's dictionaries now rather than on the first estimate.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() {
    pwreset_core::warm_up();
}

/// The estimate a policy check carries: `user` is the user's string attributes as `[name, value,
/// name, value, ...]`, and each value and its parts count as user inputs, as on the server.
#[wasm_bindgen(js_name = estimateForUser)]
pub fn estimate_for_user(password: &str, user: Vec<String>) -> JsValue {
    strength_for_user(password, &user_attributes(&user)).to_js()
}

fn strength_for_user(password: &str, user: &UserAttributes) -> Strength {
    let inputs = user.strength_inputs();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    pwreset_core::estimate_strength(password, &inputs)
}
