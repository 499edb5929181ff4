//! Keyed digests: how codes and link tokens are stored without being stored.

use std::fmt;

use super::MalformedSecret;
use super::keyring::{KeyPurpose, Keyring, PurposeKey};
use super::mac::{constant_time_eq, hmac_sha256, length_prefixed};

/// The kind of stored secret, which names its storage keys and picks its digest key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretKind {
    /// A link token (`link:` keys).
    LinkToken,
    /// A numeric code (`code:` keys).
    Code,
}

impl SecretKind {
    fn purpose(self) -> KeyPurpose {
        match self {
            SecretKind::LinkToken => KeyPurpose::LinkTokenDigest,
            SecretKind::Code => KeyPurpose::CodeDigest,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            SecretKind::LinkToken => "link",
            SecretKind::Code => "code",
        }
    }
}

/// `HMAC-SHA256(purpose key, len(scope) ‖ scope ‖ secret)`: what storage holds in place of a
/// secret. Without the key, a leaked store does not let anyone test guesses offline, not even for
/// 6-digit codes.
///
/// Equality (`==` and [`SecretDigest::matches`]) compares the digest bytes in constant time.
#[derive(Clone)]
pub struct SecretDigest {
    kind: SecretKind,
    key_id: String,
    tag: [u8; SecretDigest::LEN],
    hex: String,
}

impl SecretDigest {
    /// Length of a digest in bytes (64 hex digits).
    const LEN: usize = 32;

    /// The digests of `secret` under every key, newest first: look each up, so that secrets made
    /// before a key rotation are still found.
    pub(crate) fn all(
        kind: SecretKind,
        keyring: &Keyring,
        scope: &[u8],
        secret: &[u8],
    ) -> Vec<Self> {
        keyring
            .keys(kind.purpose())
            .map(|key| Self::with_key(kind, key, scope, secret))
            .collect()
    }

    /// The digest of `secret` under the newest key: what to store for a new secret.
    pub(crate) fn newest(kind: SecretKind, keyring: &Keyring, scope: &[u8], secret: &[u8]) -> Self {
        Self::with_key(kind, keyring.signing_key(kind.purpose()), scope, secret)
    }

    fn with_key(kind: SecretKind, key: PurposeKey<'_>, scope: &[u8], secret: &[u8]) -> Self {
        let tag = hmac_sha256(key.bytes(), &[&length_prefixed(scope), scope, secret]);
        Self::from_parts(kind, key.id(), tag)
    }

    fn from_parts(kind: SecretKind, key_id: &str, tag: [u8; Self::LEN]) -> Self {
        Self {
            kind,
            key_id: key_id.to_owned(),
            tag,
            hex: base16ct::lower::encode_string(&tag),
        }
    }

    /// A digest read back from storage: its kind, the id of the key that made it, and its 64 hex
    /// digits (either case; what [`SecretDigest::as_hex`] gave).
    pub fn from_hex(kind: SecretKind, key_id: &str, hex: &str) -> Result<Self, MalformedSecret> {
        let mut tag = [0u8; Self::LEN];
        let decoded =
            base16ct::mixed::decode(hex.as_bytes(), &mut tag).map_err(|_| MalformedSecret)?;
        if decoded.len() != Self::LEN || key_id.is_empty() {
            return Err(MalformedSecret);
        }
        Ok(Self::from_parts(kind, key_id, tag))
    }

    /// `true` when both are the digest of the same secret in the same scope under the same key;
    /// the digest bytes are compared in constant time.
    pub fn matches(&self, other: &SecretDigest) -> bool {
        let same_tag = constant_time_eq(&self.tag, &other.tag);
        same_tag & (self.kind == other.kind) & (self.key_id == other.key_id)
    }

    /// The digest as 64 lowercase hex digits.
    pub fn as_hex(&self) -> &str {
        &self.hex
    }

    /// The id of the key that made it.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// A storage key for the secret, e.g. `code:3f1c…`.
    pub fn storage_key(&self) -> String {
        format!("{}:{}", self.kind.prefix(), self.hex)
    }
}

impl PartialEq for SecretDigest {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}

impl Eq for SecretDigest {}

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretDigest")
            .field("kind", &self.kind)
            .field("key_id", &self.key_id)
            .field("hex", &self.hex)
            .finish()
    }
}
