//! Numeric codes: 6–10 uniform digits, sent by SMS or e-mail.
//!
//! A code is redeemed either with its account (its digest is scoped to the account id) or, in
//! dialect B's mobile reset without `phone`, alone: it is then looked up among every live code,
//! in the [`CodeScope::Global`] scope, and must be unique there. The service makes it unique by
//! drawing a code, asking its atomic store to claim the code's storage key, and drawing again when
//! the key is taken ([`ResetCode::draws`]); `docs/secrets.md` has the guessing arithmetic.

use std::fmt;

use zeroize::Zeroizing;

use super::digest::{SecretDigest, SecretKind};
use super::keyring::Keyring;
use super::random::{RandomUnavailable, random_bytes};

/// A numeric reset code. Stored only as a [`SecretDigest`] in a [`CodeScope`]; revealed only for
/// delivery.
pub struct ResetCode(Zeroizing<String>);

/// Where a code is looked up: with its account, or among every live code.
///
/// The two can never share a digest: the scope is encoded with a tag (`account:` + id, or
/// `global`) before it is length-prefixed into the digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeScope<'a> {
    /// Redeemed together with this account id (or phone, or whatever the caller keys accounts by).
    Account(&'a str),
    /// Redeemed alone: unique among live codes (see [`ResetCode::draws`]).
    Global,
}

impl CodeScope<'_> {
    fn encode(self) -> Vec<u8> {
        match self {
            CodeScope::Account(id) => [b"account:".as_slice(), id.as_bytes()].concat(),
            CodeScope::Global => b"global".to_vec(),
        }
    }
}

/// Why a code could not be made or read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeError {
    /// The digit count is outside 6–10.
    #[error("codes have 6-10 digits, not {0}")]
    DigitCount(u8),
    /// The text is not exactly the expected number of ASCII digits.
    #[error("malformed code")]
    Malformed,
    /// No randomness.
    #[error(transparent)]
    Random(#[from] RandomUnavailable),
}

impl ResetCode {
    /// The fewest digits a code may have.
    pub const MIN_DIGITS: u8 = 6;
    /// The most digits a code may have.
    pub const MAX_DIGITS: u8 = 10;
    /// The default digit count, for codes redeemed with their account (5 tries per code).
    pub const DEFAULT_DIGITS: u8 = 6;
    /// The recommended digit count for codes redeemed without their account
    /// ([`CodeScope::Global`]): with 8 digits and 100 live codes, the daily risk budget allows 50
    /// failed global guesses a day, where 6 digits would allow none (`docs/secrets.md`).
    pub const GLOBAL_DIGITS: u8 = 8;
    /// How many draws [`ResetCode::draws`] offers before giving up: with N live codes among
    /// 10^digits each draw is taken with probability N/10^digits, so 16 taken draws in a row
    /// mean the code space is nearly full.
    pub const MAX_DRAWS: usize = 16;
    /// The most probability of any successful global guess the service should accept per UTC
    /// day: 1 in 20,000, half of the 1 in 10,000 a day allowed per account. The other half is
    /// what the account's own identifiers allow (`docs/storage.md`).
    pub const DAILY_GLOBAL_RISK_BUDGET: f64 = 5e-5;

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
            Ok::<u8, RandomUnavailable>(pool[used - 1])
        })?;
        Ok(Self(code))
    }

    /// Reads a code as typed: exactly `digits` ASCII digits, `digits` in 6–10.
    pub fn parse(text: &str, digits: u8) -> Result<Self, CodeError> {
        check_digit_count(digits)?;
        let ok = text.len() == usize::from(digits) && text.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(CodeError::Malformed);
        }
        Ok(Self(Zeroizing::new(text.to_owned())))
    }

    /// Fresh codes for `scope`, each with its digests, at most [`ResetCode::MAX_DRAWS`] of them:
    /// claim the first draw whose storage key is free, e.g.
    ///
    /// ```ignore
    /// for draw in ResetCode::draws(8, &keyring, CodeScope::Global) {
    ///     let draw = draw?;
    ///     if store.claim_if_none_taken(draw.digests()).await? {
    ///         return Ok(draw);
    ///     }
    /// }
    /// Err(NoFreeCode)
    /// ```
    ///
    /// The store must claim `draw.stored_digest()` atomically, and only when none of
    /// `draw.digests()` (the code under every key) is live, so a code stays unique across a key
    /// rotation.
    pub fn draws<'k>(
        digits: u8,
        keyring: &'k Keyring,
        scope: CodeScope<'k>,
    ) -> impl Iterator<Item = Result<CodeDraw, CodeError>> + 'k {
        (0..Self::MAX_DRAWS).map(move |_| {
            let code = Self::generate(digits)?;
            let digests = code.digests(keyring, scope);
            Ok(CodeDraw { code, digests })
        })
    }

    /// The chance that one guess of a `digits`-digit code matches one of `live_codes` codes that
    /// are unique among themselves: `live_codes / 10^digits` (capped at 1). What a failed global
    /// guess adds to the day's risk, against [`ResetCode::DAILY_GLOBAL_RISK_BUDGET`].
    pub fn guess_success_probability(live_codes: u64, digits: u8) -> f64 {
        let space = 10f64.powi(i32::from(digits));
        (live_codes as f64 / space).min(1.0)
    }

    /// The digits, for the message sent to the user. Nowhere else.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// The digest to store for a new code in `scope` (newest key).
    pub fn digest(&self, keyring: &Keyring, scope: CodeScope<'_>) -> SecretDigest {
        SecretDigest::newest(
            SecretKind::Code,
            keyring,
            &scope.encode(),
            self.0.as_bytes(),
        )
    }

    /// The digests to look up for a presented code (every key, newest first).
    pub fn digests(&self, keyring: &Keyring, scope: CodeScope<'_>) -> Vec<SecretDigest> {
        SecretDigest::all(
            SecretKind::Code,
            keyring,
            &scope.encode(),
            self.0.as_bytes(),
        )
    }
}

/// One draw of [`ResetCode::draws`]: a fresh code and its digests in the scope, newest key first.
#[derive(Debug)]
pub struct CodeDraw {
    code: ResetCode,
    digests: Vec<SecretDigest>,
}

impl CodeDraw {
    /// The code, to send once its key is claimed.
    pub fn code(&self) -> &ResetCode {
        &self.code
    }

    /// The digest to store (under the newest key).
    pub fn stored_digest(&self) -> &SecretDigest {
        &self.digests[0]
    }

    /// The code's digest under every key, newest first: none may be live for the claim to hold.
    pub fn digests(&self) -> &[SecretDigest] {
        &self.digests
    }

    /// The code, giving up the digests.
    pub fn into_code(self) -> ResetCode {
        self.code
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
