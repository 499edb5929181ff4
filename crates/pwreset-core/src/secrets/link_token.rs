//! Link tokens: 256 random bits, sent as 64 hex digits in a reset link.

use std::fmt;

use zeroize::Zeroizing;

use super::digest::{SecretDigest, SecretKind};
use super::keyring::Keyring;
use super::random::{RandomUnavailable, random_bytes};
use super::{MalformedSecret, push_hex};

/// A reset-link token. Stored only as a [`SecretDigest`]; its value leaves the process only
/// through [`LinkToken::reveal_hex`], to be put in the link.
pub struct LinkToken(Zeroizing<[u8; 32]>);

impl LinkToken {
    /// Length of the text form.
    pub const HEX_LEN: usize = 64;

    /// A fresh token from the CSPRNG.
    pub fn generate() -> Result<Self, RandomUnavailable> {
        Ok(Self(Zeroizing::new(random_bytes()?)))
    }

    /// Reads a token from a link: exactly 64 hex digits (either case).
    pub fn parse(text: &str) -> Result<Self, MalformedSecret> {
        let bytes = text.as_bytes();
        if bytes.len() != Self::HEX_LEN {
            return Err(MalformedSecret);
        }
        let mut token = Zeroizing::new([0u8; 32]);
        for (slot, pair) in token.iter_mut().zip(bytes.chunks_exact(2)) {
            let high = hex_value(pair[0]).ok_or(MalformedSecret)?;
            let low = hex_value(pair[1]).ok_or(MalformedSecret)?;
            *slot = high << 4 | low;
        }
        Ok(Self(token))
    }

    /// The 64 lowercase hex digits, for the link sent to the user. Nowhere else.
    pub fn reveal_hex(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(Self::HEX_LEN));
        push_hex(&mut text, self.0.as_ref());
        text
    }

    /// The digest to store for a new token (newest key).
    pub fn digest(&self, keyring: &Keyring) -> SecretDigest {
        SecretDigest::newest(SecretKind::LinkToken, keyring, "", self.0.as_ref())
    }

    /// The digests to look up for a presented token (every key, newest first).
    pub fn digests(&self, keyring: &Keyring) -> Vec<SecretDigest> {
        SecretDigest::all(SecretKind::LinkToken, keyring, "", self.0.as_ref())
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkToken(<redacted>)")
    }
}
