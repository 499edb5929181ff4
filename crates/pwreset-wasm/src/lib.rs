//! The npm package's two WebAssembly modules, built from this one crate by feature:
//!
//! - `policy` (`pwreset_policy.wasm`): validation, confirmation, help texts. No zxcvbn, so it stays
//!   small enough to load with the page.
//! - `strength` (`pwreset_strength.wasm`): zxcvbn estimates, loaded on first use.
//! - `hashing`: argon2id, only for measuring it under a JavaScript engine (`make bench-argon2`).
//!
//! Values cross the boundary as JSON text; failures are thrown as JSON `{"code","message"}` text,
//! which the package's JavaScript turns into a typed `PwresetError`. Nothing here panics on input.

#[cfg(feature = "hashing")]
mod hashing;
#[cfg(feature = "policy")]
mod policy;
#[cfg(feature = "strength")]
mod strength;

/// A failure thrown to JavaScript: `{"code","message"}` as text.
#[cfg(any(feature = "policy", feature = "strength", feature = "hashing"))]
pub(crate) fn failure(code: &str, message: impl std::fmt::Display) -> wasm_bindgen::JsValue {
    wasm_bindgen::JsValue::from_str(
        &serde_json::json!({ "code": code, "message": message.to_string() }).to_string(),
    )
}
