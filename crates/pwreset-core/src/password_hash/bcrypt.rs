//! bcrypt (`$2a$`, `$2b$`, `$2y$`), verified by the `bcrypt` crate.

use super::{HashFormat, PasswordHashError, within};

/// The most a stored bcrypt string may ask of a verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BcryptLimits {
    /// The highest cost (log₂ of the key-expansion rounds; each step doubles the work).
    pub max_cost: u32,
}

impl BcryptLimits {
    /// Cost 12: the default of the `bcrypt` crate, pyca/bcrypt, Django's bcrypt hashers, Laravel
    /// and PHP 8.4 (older PHP: 10); about 0.24 s natively (release build). Cost 13 would double
    /// that, and the format allows 31 (days).
    pub const DEFAULT: BcryptLimits = BcryptLimits { max_cost: 12 };
}

impl Default for BcryptLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Verifies a bcrypt string: its cost is read and checked against `limits` before the `bcrypt`
/// crate computes (its comparison is constant-time). As every bcrypt, only the first 72 bytes of
/// `password` count.
pub(super) fn verify(
    password: &str,
    stored: &str,
    limits: BcryptLimits,
) -> Result<bool, PasswordHashError> {
    // `$2b$12$` + 22 characters of salt + 31 of hash.
    let bytes = stored.as_bytes();
    let [b'$', b'2', b'a' | b'b' | b'y', b'$', tens, units, b'$', ..] = *bytes else {
        return Err(PasswordHashError::Malformed);
    };
    if bytes.len() != 60 || !tens.is_ascii_digit() || !units.is_ascii_digit() {
        return Err(PasswordHashError::Malformed);
    }
    let cost = u32::from(tens - b'0') * 10 + u32::from(units - b'0');
    within(
        HashFormat::Bcrypt,
        "cost",
        cost.into(),
        limits.max_cost.into(),
    )?;
    bcrypt::verify(password, stored).map_err(|_| PasswordHashError::Malformed)
}
