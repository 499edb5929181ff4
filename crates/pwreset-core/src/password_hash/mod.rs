//! Password hashing: argon2id PHC strings (RustCrypto `argon2`, built with `zeroize` so its memory
//! blocks are wiped when a hash is done), and verification of the hashes other applications store.
//!
//! - Writing: [`hash_password`] (an argon2id PHC string) and [`hash_password_as`] (the same hash as
//!   a PHC string or in Django's `argon2$argon2id$…` form, [`StorageFormat`]).
//! - Verifying this crate's hashes: [`verify_password`] / [`verify_password_within`] (argon2 PHC
//!   strings only, as before).
//! - Verifying an application's hashes: [`verify_any`] detects the format ([`HashFormat::detect`]):
//!   argon2id/argon2i (PHC and Django), bcrypt (`$2a$`, `$2b$`, `$2y$`), PBKDF2-SHA256 (PHC,
//!   passlib and Django) and scrypt (PHC), each computed by its RustCrypto crate (`argon2`,
//!   `pbkdf2`, `scrypt`) or the `bcrypt` crate, each compared in constant time.
//!
//! A stored string is data (altered, or imported from elsewhere), and its parameters set the cost of
//! checking it. Every format has limits ([`HashLimits`]); a string asking for more is refused with
//! [`PasswordHashError::BeyondLimits`] before anything is computed, never answered `Ok(false)`, so
//! the caller can log the decision and raise the limit on purpose. The defaults
//! ([`HashLimits::DEFAULT`]):
//!
//! | format | default limit | admits |
//! | --- | --- | --- |
//! | argon2 | m ≤ 65536 KiB, t ≤ 4, p ≤ 4 ([`VerifyLimits::DEFAULT`]) | OWASP's settings; **not** Django's m=102400, p=8: use [`VerifyLimits::DJANGO`] |
//! | bcrypt | cost ≤ 12 ([`BcryptLimits::DEFAULT`]) | the `bcrypt` crate, pyca/bcrypt, Django, Laravel, PHP 8.4 (all 12) |
//! | PBKDF2-SHA256 | 1,200,000 iterations, 32-byte output ([`Pbkdf2Limits::DEFAULT`]) | Django 5.2 (1,000,000) and 6.0 (1,200,000), OWASP (600,000), passlib |
//! | scrypt | ln ≤ 17, r ≤ 8, p ≤ 1 ([`ScryptLimits::DEFAULT`]) | OWASP's and the `scrypt` crate's N=2^17 (128 MiB), passlib's 2^16, Django's 2^14 |

use core::fmt;

mod argon2;
mod bcrypt;
mod pbkdf2;
mod scrypt;

pub use self::argon2::{
    HashParams, StorageFormat, VerifyLimits, hash_password, hash_password_as, needs_rehash,
    verify_password, verify_password_within,
};
pub use self::bcrypt::BcryptLimits;
pub use self::pbkdf2::Pbkdf2Limits;
pub use self::scrypt::ScryptLimits;

/// Why hashing or verification could not be done (not: the password is wrong).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordHashError {
    /// The stored string is not a well-formed string of its format (or, from
    /// [`verify_password`], not an argon2 PHC string).
    #[error("malformed password hash string")]
    Malformed,
    /// Parameters argon2 does not accept (hashing).
    #[error("unsupported argon2 parameters")]
    Parameters,
    /// Hashing failed (no randomness for the salt).
    #[error("password hashing failed")]
    Hashing,
    /// The stored string is none of the formats [`HashFormat::detect`] knows.
    #[error("unknown password hash format")]
    UnknownFormat,
    /// The stored string asks for more work than the verify limits allow; nothing was computed.
    #[error("{format} hash asks for {parameter}={value}, above the verify limit {limit}")]
    BeyondLimits {
        /// The stored string's format.
        format: HashFormat,
        /// The parameter over its limit (`m`, `t`, `p`, `cost`, `iterations`, `output length`,
        /// `ln`, `r`).
        parameter: &'static str,
        /// What the stored string asks for.
        value: u64,
        /// The limit it exceeds.
        limit: u64,
    },
}

/// `Err(BeyondLimits)` when `value` exceeds `limit`.
fn within(
    format: HashFormat,
    parameter: &'static str,
    value: u64,
    limit: u64,
) -> Result<(), PasswordHashError> {
    if value > limit {
        return Err(PasswordHashError::BeyondLimits {
            format,
            parameter,
            value,
            limit,
        });
    }
    Ok(())
}

/// A PHC string with both its salt and its hash (the `password-hash` crates answer "wrong password"
/// for a string without them; here it is malformed).
fn parse_phc(
    stored: &str,
) -> Result<::argon2::password_hash::phc::PasswordHash, PasswordHashError> {
    let hash = ::argon2::password_hash::phc::PasswordHash::new(stored)
        .map_err(|_| PasswordHashError::Malformed)?;
    if hash.salt.is_none() || hash.hash.is_none() {
        return Err(PasswordHashError::Malformed);
    }
    Ok(hash)
}

/// The stored-hash formats [`verify_any`] verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashFormat {
    /// argon2 PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (`$argon2i$`, `$argon2d$` too; no
    /// `v=` means version 16, as in the reference implementation).
    Argon2,
    /// Django's `Argon2PasswordHasher`: `argon2` followed by the PHC string,
    /// `argon2$argon2id$v=19$m=…,t=…,p=…$salt$hash`.
    DjangoArgon2,
    /// bcrypt: `$2a$`, `$2b$` or `$2y$`, a two-digit cost, 22 characters of salt and 31 of hash.
    /// Passwords count up to their 72nd byte, as bcrypt always did.
    Bcrypt,
    /// PBKDF2-HMAC-SHA256 as the PHC string the `pbkdf2` crate writes and parses:
    /// `$pbkdf2-sha256$i=…,l=…$salt$hash` (standard base64 without padding).
    Pbkdf2Sha256,
    /// passlib's `pbkdf2_sha256`: `$pbkdf2-sha256$<rounds>$<salt>$<hash>`, bare rounds and base64
    /// with `.` for `+`.
    PasslibPbkdf2Sha256,
    /// Django's `PBKDF2PasswordHasher`: `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`.
    DjangoPbkdf2Sha256,
    /// scrypt PHC string (passlib, the `scrypt` crate): `$scrypt$ln=…,r=…,p=…$salt$hash`.
    Scrypt,
}

impl HashFormat {
    /// The format of `stored`, from its prefix alone (nothing is parsed or computed; a detected
    /// string may still be malformed). `None` for anything else, `$2x$` bcrypt (crypt_blowfish's
    /// buggy variant) and `$pbkdf2-sha512$` included.
    pub fn detect(stored: &str) -> Option<HashFormat> {
        if stored.starts_with("$argon2id$")
            || stored.starts_with("$argon2i$")
            || stored.starts_with("$argon2d$")
        {
            return Some(HashFormat::Argon2);
        }
        if let Some(phc) = stored.strip_prefix("argon2") {
            return (HashFormat::detect(phc) == Some(HashFormat::Argon2))
                .then_some(HashFormat::DjangoArgon2);
        }
        if stored.starts_with("$2a$") || stored.starts_with("$2b$") || stored.starts_with("$2y$") {
            return Some(HashFormat::Bcrypt);
        }
        if let Some(rest) = stored.strip_prefix("$pbkdf2-sha256$") {
            // passlib writes the rounds bare, the PHC string as `i=…`.
            let params = rest.split('$').next().unwrap_or_default();
            let bare = !params.is_empty() && params.bytes().all(|b| b.is_ascii_digit());
            return Some(if bare {
                HashFormat::PasslibPbkdf2Sha256
            } else {
                HashFormat::Pbkdf2Sha256
            });
        }
        if stored.starts_with("pbkdf2_sha256$") {
            return Some(HashFormat::DjangoPbkdf2Sha256);
        }
        if stored.starts_with("$scrypt$") {
            return Some(HashFormat::Scrypt);
        }
        None
    }

    /// A short name for logs: `argon2`, `django-argon2`, `bcrypt`, `pbkdf2-sha256`,
    /// `passlib-pbkdf2-sha256`, `django-pbkdf2-sha256`, `scrypt`.
    pub const fn name(self) -> &'static str {
        match self {
            HashFormat::Argon2 => "argon2",
            HashFormat::DjangoArgon2 => "django-argon2",
            HashFormat::Bcrypt => "bcrypt",
            HashFormat::Pbkdf2Sha256 => "pbkdf2-sha256",
            HashFormat::PasslibPbkdf2Sha256 => "passlib-pbkdf2-sha256",
            HashFormat::DjangoPbkdf2Sha256 => "django-pbkdf2-sha256",
            HashFormat::Scrypt => "scrypt",
        }
    }
}

impl fmt::Display for HashFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The most a stored string of each format may ask of [`verify_any`]. Start from
/// [`HashLimits::DEFAULT`] and change fields:
///
/// ```
/// use pwreset_core::password_hash::{HashLimits, VerifyLimits};
///
/// let mut limits = HashLimits::DEFAULT;
/// limits.argon2 = VerifyLimits::DJANGO; // Django's m=102400, t=2, p=8
/// limits.bcrypt.max_cost = 13;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HashLimits {
    /// argon2, PHC and Django.
    pub argon2: VerifyLimits,
    /// bcrypt.
    pub bcrypt: BcryptLimits,
    /// PBKDF2-SHA256, PHC, passlib and Django.
    pub pbkdf2: Pbkdf2Limits,
    /// scrypt.
    pub scrypt: ScryptLimits,
}

impl HashLimits {
    /// Each family's default: [`VerifyLimits::DEFAULT`], [`BcryptLimits::DEFAULT`],
    /// [`Pbkdf2Limits::DEFAULT`], [`ScryptLimits::DEFAULT`] (the module docs give the reasons).
    pub const DEFAULT: HashLimits = HashLimits {
        argon2: VerifyLimits::DEFAULT,
        bcrypt: BcryptLimits::DEFAULT,
        pbkdf2: Pbkdf2Limits::DEFAULT,
        scrypt: ScryptLimits::DEFAULT,
    };
}

impl Default for HashLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// `Ok(true)` when `password` matches `stored`, whatever its format ([`HashFormat::detect`]); the
/// comparison is constant-time. Errors: [`PasswordHashError::UnknownFormat`] for an unknown
/// format, [`PasswordHashError::BeyondLimits`] when `stored` asks for more than `limits` (nothing is
/// computed), [`PasswordHashError::Malformed`] for a broken string of a known format.
pub fn verify_any(
    password: &str,
    stored: &str,
    limits: &HashLimits,
) -> Result<bool, PasswordHashError> {
    let format = HashFormat::detect(stored).ok_or(PasswordHashError::UnknownFormat)?;
    match format {
        HashFormat::Argon2 => self::argon2::verify(password, stored, limits.argon2, format),
        HashFormat::DjangoArgon2 => {
            let phc = stored
                .strip_prefix("argon2")
                .ok_or(PasswordHashError::Malformed)?;
            self::argon2::verify(password, phc, limits.argon2, format)
        }
        HashFormat::Bcrypt => self::bcrypt::verify(password, stored, limits.bcrypt),
        HashFormat::Pbkdf2Sha256 => self::pbkdf2::verify_phc(password, stored, limits.pbkdf2),
        HashFormat::PasslibPbkdf2Sha256 => {
            self::pbkdf2::verify_passlib(password, stored, limits.pbkdf2)
        }
        HashFormat::DjangoPbkdf2Sha256 => {
            self::pbkdf2::verify_django(password, stored, limits.pbkdf2)
        }
        HashFormat::Scrypt => self::scrypt::verify(password, stored, limits.scrypt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_by_prefix() {
        let cases = [
            ("$argon2id$v=19$…", Some(HashFormat::Argon2)),
            ("$argon2i$v=19$…", Some(HashFormat::Argon2)),
            ("$argon2d$v=19$…", Some(HashFormat::Argon2)),
            ("argon2$argon2id$v=19$…", Some(HashFormat::DjangoArgon2)),
            ("argon2$argon2i$m=8,…", Some(HashFormat::DjangoArgon2)),
            ("argon2$bcrypt$…", None),
            ("$2a$05$…", Some(HashFormat::Bcrypt)),
            ("$2b$12$…", Some(HashFormat::Bcrypt)),
            ("$2y$10$…", Some(HashFormat::Bcrypt)),
            ("$2x$10$…", None),
            ("$2$10$…", None),
            (
                "$pbkdf2-sha256$i=1000,l=32$…",
                Some(HashFormat::Pbkdf2Sha256),
            ),
            ("$pbkdf2-sha256$", Some(HashFormat::Pbkdf2Sha256)),
            (
                "$pbkdf2-sha256$29000$…",
                Some(HashFormat::PasslibPbkdf2Sha256),
            ),
            ("$pbkdf2-sha512$i=1000$…", None),
            (
                "pbkdf2_sha256$1000000$…",
                Some(HashFormat::DjangoPbkdf2Sha256),
            ),
            ("pbkdf2_sha1$…", None),
            ("$scrypt$ln=16,r=8,p=1$…", Some(HashFormat::Scrypt)),
            ("scrypt$…", None),
            ("", None),
            ("$", None),
        ];
        for (stored, expected) in cases {
            assert_eq!(HashFormat::detect(stored), expected, "{stored}");
        }
    }

    #[test]
    fn beyond_limits_names_format_parameter_and_values() {
        let error = within(HashFormat::Bcrypt, "cost", 13, 12).unwrap_err();
        assert_eq!(
            error.to_string(),
            "bcrypt hash asks for cost=13, above the verify limit 12"
        );
        assert_eq!(within(HashFormat::Bcrypt, "cost", 12, 12), Ok(()));
    }
}
