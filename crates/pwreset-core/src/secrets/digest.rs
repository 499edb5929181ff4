//! Keyed digests: how codes and link tokens are stored without being stored.

use super::keyring::{KeyPurpose, Keyring, PurposeKey};
use super::mac::{hmac_sha256, length_prefixed};
use super::push_hex;

/// The kind of stored secret, which names its storage keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// `HMAC-SHA256(purpose key, scope, secret)`: what storage holds in place of a secret. Without the
/// key, a leaked store does not let anyone test guesses offline, not even for 6-digit codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretDigest {
    kind: SecretKind,
    key_id: String,
    hex: String,
}

impl SecretDigest {
    /// The digests of `secret` under every key, newest first: look each up, so that secrets made
    /// before a key rotation are still found.
    pub(crate) fn all(
        kind: SecretKind,
        keyring: &Keyring,
        scope: &str,
        secret: &[u8],
    ) -> Vec<Self> {
        keyring
            .keys(kind.purpose())
            .map(|key| Self::with_key(kind, key, scope, secret))
            .collect()
    }

    /// The digest of `secret` under the newest key: what to store for a new secret.
    pub(crate) fn newest(kind: SecretKind, keyring: &Keyring, scope: &str, secret: &[u8]) -> Self {
        Self::with_key(kind, keyring.signing_key(kind.purpose()), scope, secret)
    }

    fn with_key(kind: SecretKind, key: PurposeKey<'_>, scope: &str, secret: &[u8]) -> Self {
        let tag = hmac_sha256(
            key.bytes(),
            &[&length_prefixed(scope.as_bytes()), scope.as_bytes(), secret],
        );
        let mut hex = String::with_capacity(64);
        push_hex(&mut hex, &tag);
        Self {
            kind,
            key_id: key.id().to_owned(),
            hex,
        }
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
