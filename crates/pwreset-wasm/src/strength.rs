//! The strength module's exports.

use wasm_bindgen::prelude::*;

use crate::failure;

/// zxcvbn's estimate of `password` as JSON; `user_inputs_json` is a JSON array of strings.
#[wasm_bindgen]
pub fn estimate(password: &str, user_inputs_json: &str) -> Result<String, JsValue> {
    let inputs: Vec<String> = serde_json::from_str(user_inputs_json)
        .map_err(|e| failure("invalid_argument", format!("userInputs: {e}")))?;
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let strength = pwreset_core::estimate_strength(password, &inputs);
    Ok(serde_json::to_string(&strength).expect("strength serializes"))
}

/// Builds zxcvbn's dictionaries now rather than on the first estimate.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() {
    pwreset_core::warm_up();
}
