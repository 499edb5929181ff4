//! Link tokens: 256 random bits, sent as 64 hex digits in a reset link.

use std::fmt;

use zeroize::Zeroizing;

use super::MalformedSecret;
use super::digest::{SecretDigest, SecretKind};
use super::keyring::Keyring;
use super::random::{RandomUnavailable, random_bytes};

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

    /// Reads a token from a link: exactly 64 hex digits (either case), decoded in constant time.
    pub fn parse(text: &str) -> Result<Self, MalformedSecret> {
        if text.len() != Self::HEX_LEN {
            return Err(MalformedSecret);
        }
        let mut token = Zeroizing::new([0u8; 32]);
        base16ct::mixed::decode(text.as_bytes(), token.as_mut()).map_err(|_| MalformedSecret)?;
        Ok(Self(token))
    }

    /// The 64 lowercase hex digits, for the link sent to the user. Nowhere else.
    pub fn reveal_hex(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new([0u8; Self::HEX_LEN]);
        let hex = base16ct::lower::encode_str(self.0.as_ref(), text.as_mut())
            .expect("64 bytes hold 32 bytes as hex");
        Zeroizing::new(hex.to_owned())
    }

    /// The digest to store for a new token (newest key).
    pub fn digest(&self, keyring: &Keyring) -> SecretDigest {
        SecretDigest::newest(SecretKind::LinkToken, keyring, b"", self.0.as_ref())
    }

    /// The digests to look up for a presented token (every key, newest first).
    pub fn digests(&self, keyring: &Keyring) -> Vec<SecretDigest> {
        SecretDigest::all(SecretKind::LinkToken, keyring, b"", self.0.as_ref())
    }
}

impl fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkToken(<redacted>)")
    }
}
