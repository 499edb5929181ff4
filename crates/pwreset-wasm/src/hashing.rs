//! argon2id under a JavaScript engine, for the native-vs-wasm benchmark.

use pwreset_core::password_hash::{HashParams, hash_password, verify_password};
use wasm_bindgen::prelude::*;

use crate::failure;

/// The PHC string of `password` with the given argon2id cost.
#[wasm_bindgen(js_name = hashPassword)]
pub fn hash(
    password: &str,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
) -> Result<String, JsValue> {
    let params = HashParams {
        memory_kib,
        iterations,
        parallelism,
    };
    hash_password(password, params).map_err(|e| failure("hashing_failed", e))
}

/// Whether `password` matches `phc`.
#[wasm_bindgen(js_name = verifyPassword)]
pub fn verify(password: &str, phc: &str) -> Result<bool, JsValue> {
    verify_password(password, phc).map_err(|e| failure("invalid_argument", e))
}
