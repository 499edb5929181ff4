//! Numeric codes: 6–10 uniform digits, sent by SMS or e-mail.

use std::fmt;

use zeroize::Zeroizing;

use super::MalformedSecret;
use super::digest::{SecretDigest, SecretKind};
use super::keyring::Keyring;
use super::random::{RandomUnavailable, random_bytes};

/// A numeric reset code. Stored only as a [`SecretDigest`] scoped to an account (or to a global
/// scope where a code is looked up without its account); revealed only for delivery.
pub struct ResetCode(Zeroizing<String>);

/// Why a code could not be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// The digit count is outside 6–10.
    DigitCount(u8),
    /// No randomness.
    Random(RandomUnavailable),
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::DigitCount(n) => write!(
                f,
                "codes have {}-{} digits, not {n}",
                ResetCode::MIN_DIGITS,
                ResetCode::MAX_DIGITS
            ),
            CodeError::Random(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CodeError {}

impl ResetCode {
    /// The fewest digits a code may have.
    pub const MIN_DIGITS: u8 = 6;
    /// The most digits a code may have.
    pub const MAX_DIGITS: u8 = 10;
    /// The default digit count.
    pub const DEFAULT_DIGITS: u8 = 6;

    /// A fresh code of `digits` uniform decimal digits.
    pub fn generate(digits: u8) -> Result<Self, CodeError> {
        check_digit_count(digits)?;
        let mut pool = Zeroizing::new([0u8; 32]);
        let mut used = pool.len();
        let code = uniform_digits(digits, || {
            if used == pool.len() {
                *pool = random_bytes()?;
                used = 0;
            }
            used += 1;
            Ok(pool[used - 1])
        })
        .map_err(CodeError::Random)?;
        Ok(Self(code))
    }

    /// Reads a code as typed: exactly `digits` ASCII digits.
    pub fn parse(text: &str, digits: u8) -> Result<Self, MalformedSecret> {
        let ok = text.len() == usize::from(digits) && text.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(MalformedSecret);
        }
        Ok(Self(Zeroizing::new(text.to_owned())))
    }

    /// The digits, for the message sent to the user. Nowhere else.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// The digest to store for a new code, in `scope` (an account id, or a global scope name).
    pub fn digest(&self, keyring: &Keyring, scope: &str) -> SecretDigest {
        SecretDigest::newest(SecretKind::Code, keyring, scope, self.0.as_bytes())
    }

    /// The digests to look up for a presented code (every key, newest first).
    pub fn digests(&self, keyring: &Keyring, scope: &str) -> Vec<SecretDigest> {
        SecretDigest::all(SecretKind::Code, keyring, scope, self.0.as_bytes())
    }
}

fn check_digit_count(digits: u8) -> Result<(), CodeError> {
    if (ResetCode::MIN_DIGITS..=ResetCode::MAX_DIGITS).contains(&digits) {
        Ok(())
    } else {
        Err(CodeError::DigitCount(digits))
    }
}

/// `count` decimal digits from uniform random bytes by rejection sampling: bytes 250–255 are
/// dropped, so each of the 250 kept values maps to a digit exactly 25 times (`byte % 10`): no
/// modulo bias.
fn uniform_digits<E>(
    count: u8,
    mut next_byte: impl FnMut() -> Result<u8, E>,
) -> Result<Zeroizing<String>, E> {
    const LIMIT: u8 = 250;
    let mut code = Zeroizing::new(String::with_capacity(usize::from(count)));
    while code.len() < usize::from(count) {
        let byte = next_byte()?;
        if byte < LIMIT {
            code.push(char::from(b'0' + byte % 10));
        }
    }
    Ok(code)
}

impl fmt::Debug for ResetCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResetCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_value_below_the_limit_maps_to_each_digit_equally_often() {
        let mut bytes = 0u8..=255;
        let digits = uniform_digits::<()>(250, || Ok(bytes.next().unwrap())).unwrap();
        assert_eq!(digits.len(), 250);
        for d in b'0'..=b'9' {
            assert_eq!(digits.bytes().filter(|&b| b == d).count(), 25);
        }
    }

    #[test]
    fn bytes_from_250_up_are_rejected() {
        let mut bytes = [250u8, 251, 252, 253, 254, 255, 7, 249, 13, 0, 99, 100].into_iter();
        let digits = uniform_digits::<()>(6, || Ok(bytes.next().unwrap())).unwrap();
        assert_eq!(digits.as_str(), "793090");
    }
}
