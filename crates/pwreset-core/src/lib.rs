//! # pwreset-core
//!
//! The password policy shared by the `pwreset` CLI, the edge Worker and the npm package: Django-exact
//! validators (length, similarity, common passwords, numeric), character classes, zxcvbn strength,
//! confirmation checks, with stable error codes and messages from a catalog.
//!
//! ```
//! use pwreset_core::{CheckInput, ErrorCode, Policy, Preset, UserAttributes};
//!
//! let policy = Policy::preset(Preset::Django);
//! let user = UserAttributes::new().with("username", "johndoe");
//! let result = policy.check(&CheckInput::new("johndoe1").user(&user));
//! assert_eq!(result.codes(), [ErrorCode::PasswordTooSimilar]);
//! ```
//!
//! The `strength` feature (on by default) brings zxcvbn and its ~1 MB of dictionaries; without it the
//! crate still checks every other rule and accepts a [`Strength`] computed elsewhere. With it, a
//! check runs zxcvbn only when the policy sets `min_score` or the caller asks
//! ([`CheckInput::with_strength`]). Time is a [`UnixTime`], passed in by the caller. The `secrets`
//! feature (on by default) adds the server side: [`secrets`] (keyring, signed payloads, link tokens,
//! codes, access tokens) and [`password_hash`] (argon2id, and
//! verification of bcrypt, PBKDF2 and scrypt hashes from other applications).

mod common_passwords;
mod error_code;
pub mod messages;
mod outcome;
#[cfg(feature = "secrets")]
pub mod password_hash;
mod policy;
#[cfg(feature = "secrets")]
pub mod secrets;
mod strength;
mod text;
mod time;
mod user;

pub use common_passwords::all as common_password_list;
pub use error_code::ErrorCode;
pub use outcome::{CheckResult, Violation};
pub use policy::{
    CheckInput, DEFAULT_CONFIRM_FIELD, DEFAULT_PASSWORD_FIELD, MAX_MAX_LENGTH, MIN_MAX_LENGTH,
    MIN_SIMILARITY, Policy, PolicyConfigError, PolicySettings, Preset, check_confirm,
};
pub use strength::Strength;
#[cfg(feature = "strength")]
pub use strength::{Analysis, StrengthPlan, estimate_strength, warm_up};
pub use time::UnixTime;
pub use user::UserAttributes;
