//! PBKDF2-HMAC-SHA256 in three spellings: the PHC string of the `pbkdf2` crate
//! (`$pbkdf2-sha256$i=…,l=…$…`), passlib's (`$pbkdf2-sha256$<rounds>$…`) and Django's
//! (`pbkdf2_sha256$<iterations>$…`). The `pbkdf2` crate derives; passlib's and Django's strings
//! are parsed here and compared with `subtle` in constant time.

use base64::Engine;
use base64::alphabet::Alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use pbkdf2::password_hash::{Error as PhcError, PasswordVerifier};
use pbkdf2::sha2::Sha256;
use pbkdf2::{Params, Pbkdf2, pbkdf2_hmac_array};
use zeroize::Zeroizing;

use super::{HashFormat, PasswordHashError, within};

/// SHA-256's output, the derived-key length Django and passlib write.
const SHA256_LEN: usize = 32;

/// The most a stored PBKDF2-SHA256 string may ask of a verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pbkdf2Limits {
    /// The most iterations.
    pub max_iterations: u32,
    /// The longest derived key, in bytes (a PHC string's `l`): each further 32 bytes repeat every
    /// iteration.
    pub max_output_len: usize,
}

impl Pbkdf2Limits {
    /// 1,200,000 iterations, a 32-byte key: Django 6.0's count (5.2 writes 1,000,000), above
    /// OWASP's 600,000 for PBKDF2-HMAC-SHA256 and passlib's 29,000; about 0.14 s natively at the
    /// limit (release build). 32 bytes is SHA-256's size, what Django, passlib and the `pbkdf2`
    /// crate write.
    pub const DEFAULT: Pbkdf2Limits = Pbkdf2Limits {
        max_iterations: 1_200_000,
        max_output_len: SHA256_LEN,
    };

    fn check(
        self,
        format: HashFormat,
        iterations: u32,
        len: usize,
    ) -> Result<(), PasswordHashError> {
        within(
            format,
            "iterations",
            iterations.into(),
            self.max_iterations.into(),
        )?;
        within(
            format,
            "output length",
            len as u64,
            self.max_output_len as u64,
        )
    }
}

impl Default for Pbkdf2Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// passlib's "adapted base64": the standard alphabet with `.` for `+`, no padding.
const PASSLIB_BASE64: GeneralPurpose = GeneralPurpose::new(
    &match Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./") {
        Ok(alphabet) => alphabet,
        Err(_) => panic!("64 distinct symbols"),
    },
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// The PHC string, by the `pbkdf2` crate (which refuses fewer than 1,000 iterations and keys
/// outside 10 to 64 bytes).
pub(super) fn verify_phc(
    password: &str,
    stored: &str,
    limits: Pbkdf2Limits,
) -> Result<bool, PasswordHashError> {
    let hash = super::parse_phc(stored)?;
    if hash.algorithm.as_str() != "pbkdf2-sha256" {
        return Err(PasswordHashError::Malformed);
    }
    let params = Params::try_from(&hash).map_err(|_| PasswordHashError::Malformed)?;
    limits.check(
        HashFormat::Pbkdf2Sha256,
        params.rounds(),
        params.output_len(),
    )?;
    match Pbkdf2::default().verify_password(password.as_bytes(), &hash) {
        Ok(()) => Ok(true),
        Err(PhcError::PasswordInvalid) => Ok(false),
        Err(_) => Err(PasswordHashError::Malformed),
    }
}

/// passlib's `$pbkdf2-sha256$<rounds>$<salt>$<hash>`.
pub(super) fn verify_passlib(
    password: &str,
    stored: &str,
    limits: Pbkdf2Limits,
) -> Result<bool, PasswordHashError> {
    let rest = stored
        .strip_prefix("$pbkdf2-sha256$")
        .ok_or(PasswordHashError::Malformed)?;
    let [rounds, salt, hash] = fields(rest)?;
    let rounds = iterations(rounds)?;
    let salt = PASSLIB_BASE64
        .decode(salt)
        .map_err(|_| PasswordHashError::Malformed)?;
    let expected = PASSLIB_BASE64
        .decode(hash)
        .map_err(|_| PasswordHashError::Malformed)?;
    compare(
        password,
        &salt,
        rounds,
        &expected,
        limits,
        HashFormat::PasslibPbkdf2Sha256,
    )
}

/// Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`: the salt is text, used as its UTF-8
/// bytes; the hash standard base64 with padding.
pub(super) fn verify_django(
    password: &str,
    stored: &str,
    limits: Pbkdf2Limits,
) -> Result<bool, PasswordHashError> {
    let rest = stored
        .strip_prefix("pbkdf2_sha256$")
        .ok_or(PasswordHashError::Malformed)?;
    let [rounds, salt, hash] = fields(rest)?;
    let rounds = iterations(rounds)?;
    if salt.is_empty() {
        return Err(PasswordHashError::Malformed);
    }
    let expected = STANDARD
        .decode(hash)
        .map_err(|_| PasswordHashError::Malformed)?;
    compare(
        password,
        salt.as_bytes(),
        rounds,
        &expected,
        limits,
        HashFormat::DjangoPbkdf2Sha256,
    )
}

/// Exactly three `$`-separated fields.
fn fields(rest: &str) -> Result<[&str; 3], PasswordHashError> {
    let mut parts = rest.split('$');
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(PasswordHashError::Malformed);
    };
    Ok([a, b, c])
}

/// A positive decimal count as Django and passlib write it (digits, no sign, no leading zero).
fn iterations(field: &str) -> Result<u32, PasswordHashError> {
    if field.is_empty() || field.starts_with('0') || !field.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PasswordHashError::Malformed);
    }
    field.parse().map_err(|_| PasswordHashError::Malformed)
}

/// Checks the key's length and the limits, derives a 32-byte key and compares it with `expected` in constant time.
fn compare(
    password: &str,
    salt: &[u8],
    rounds: u32,
    expected: &[u8],
    limits: Pbkdf2Limits,
    format: HashFormat,
) -> Result<bool, PasswordHashError> {
    // Django and passlib write SHA-256's length and accept nothing else (and a shorter stored key
    // would be easier to match by chance).
    if expected.len() != SHA256_LEN {
        return Err(PasswordHashError::Malformed);
    }
    limits.check(format, rounds, expected.len())?;
    let derived = Zeroizing::new(pbkdf2_hmac_array::<Sha256, SHA256_LEN>(
        password.as_bytes(),
        salt,
        rounds,
    ));
    Ok(crate::secrets::constant_time_eq(
        derived.as_slice(),
        expected,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passlib_base64_is_standard_with_a_dot_for_plus() {
        let bytes = [0xfb, 0xef, 0xff];
        assert_eq!(STANDARD.encode(bytes), "++//");
        assert_eq!(PASSLIB_BASE64.encode(bytes), "..//");
        assert_eq!(PASSLIB_BASE64.decode("..//").unwrap(), bytes);
        assert!(PASSLIB_BASE64.decode("++//").is_err());
    }

    #[test]
    fn iteration_counts_are_plain_positive_decimals() {
        assert_eq!(iterations("1"), Ok(1));
        assert_eq!(iterations("1000000"), Ok(1_000_000));
        assert_eq!(iterations("4294967295"), Ok(u32::MAX));
        for bad in [
            "",
            "0",
            "01000",
            "+1000",
            "-1",
            "1_000",
            " 1000",
            "4294967296",
            "1e6",
        ] {
            assert_eq!(iterations(bad), Err(PasswordHashError::Malformed), "{bad}");
        }
    }

    #[test]
    fn three_fields_exactly() {
        assert_eq!(fields("a$b$c"), Ok(["a", "b", "c"]));
        assert_eq!(fields("a$b$"), Ok(["a", "b", ""]));
        assert_eq!(fields("a$b"), Err(PasswordHashError::Malformed));
        assert_eq!(fields("a$b$c$d"), Err(PasswordHashError::Malformed));
    }
}
