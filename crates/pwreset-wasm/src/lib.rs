//! The npm package's two WebAssembly modules, built from this one crate by feature:
//!
//! - `policy` (`pwreset_policy.wasm`): compiled policies, confirmation, help texts. No zxcvbn, so it
//!   stays small enough to load with the page.
//! - `strength` (`pwreset_strength.wasm`): everything `policy` has, plus zxcvbn. Loaded on first
//!   use; from then on one call checks a password and estimates its strength.
//! - `hashing`: argon2id, only for measuring it under a JavaScript engine (`make bench-argon2`).
//!
//! Values cross the boundary as JavaScript values (`serde-wasm-bindgen`, strings and string arrays),
//! not JSON text. Failures are thrown as `{code, message}` objects, which the package's JavaScript
//! turns into a typed `PwresetError`. Nothing here panics on input, and nothing here calls back into
//! code the caller controls: the package's JavaScript hands over plain strings and plain data.

mod policy_document;

#[cfg(any(feature = "policy", feature = "strength", feature = "hashing"))]
mod boundary;
#[cfg(feature = "hashing")]
mod hashing;
#[cfg(feature = "policy")]
mod policy;
#[cfg(feature = "strength")]
mod strength;

#[cfg(any(feature = "policy", feature = "hashing"))]
pub(crate) use boundary::failure;

pub use policy_document::{Document, DocumentError, Value, policy_from_document};
