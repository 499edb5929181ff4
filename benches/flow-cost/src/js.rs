//! What JavaScript calls: the cases by name, timed with `performance.now()`.

use wasm_bindgen::prelude::*;

use crate::flow_cases::{self, Case};

#[wasm_bindgen]
extern "C" {
    /// Milliseconds from the host's monotonic clock.
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

fn case(name: &str) -> Result<Case, JsError> {
    Case::from_name(name).ok_or_else(|| JsError::new(&format!("no case named {name:?}")))
}

/// Every case's name, the baseline (`hmac`) first.
#[wasm_bindgen]
pub fn cases() -> Vec<String> {
    Case::ALL.iter().map(|c| c.name().to_owned()).collect()
}

/// Whether argon2id dominates case `name` (a few iterations suffice).
#[wasm_bindgen(js_name = isSlow)]
pub fn is_slow(name: &str) -> Result<bool, JsError> {
    Ok(case(name)?.is_slow())
}

/// Runs `iterations` operations of case `name`: the milliseconds their timed parts took.
#[wasm_bindgen]
pub fn run(name: &str, iterations: u32) -> Result<f64, JsError> {
    flow_cases::measure(case(name)?, u64::from(iterations), &now).map_err(|e| JsError::new(&e))
}

/// Milliseconds per operation of case `name`: iterations double until a run takes `min_ms`,
/// then the median of `repeats` runs.
#[wasm_bindgen(js_name = perOpMs)]
pub fn per_op_ms(name: &str, min_ms: f64, repeats: u32) -> Result<f64, JsError> {
    flow_cases::per_op_ms(case(name)?, min_ms, repeats as usize, &now).map_err(|e| JsError::new(&e))
}

/// zxcvbn's dictionaries built, as the Worker's start event does with feature `strength` (time it
/// from JavaScript on a fresh module).
#[cfg(feature = "strength")]
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() {
    pwreset_core::warm_up();
}
