//! Password fingerprints: secrets bound to the account state they were issued against.

use super::keyring::{KeyPurpose, Keyring};
use super::mac::{constant_time_eq, hmac_sha256, length_prefixed};
use super::password_state::PasswordState;

/// A keyed 128-bit fingerprint of an account's [`PasswordState`]. Signed payloads and access
/// tokens carry one; when the state changes the fingerprint no longer matches, so every
/// outstanding secret dies without a revocation list (the invariant of Django's
/// `PasswordResetTokenGenerator`).
#[derive(Clone, Copy)]
pub(crate) struct PasswordFingerprint([u8; PasswordFingerprint::LEN]);

impl PasswordFingerprint {
    /// Length in bytes.
    pub const LEN: usize = 16;

    /// `HMAC-SHA256(fingerprint key of key_id, len(account) ‖ account ‖ state encoding)`, truncated
    /// to 128 bits, under the key `key_id` (the key that signed the secret carrying it). `None`
    /// when no such key is configured.
    pub fn compute(
        keyring: &Keyring,
        key_id: &str,
        account: &str,
        state: &PasswordState,
    ) -> Option<Self> {
        let key = keyring.key(key_id, KeyPurpose::PasswordFingerprint)?;
        let tag = hmac_sha256(
            key.bytes(),
            &[
                &length_prefixed(account.as_bytes()),
                account.as_bytes(),
                &state.encode(),
            ],
        );
        let mut fingerprint = [0u8; Self::LEN];
        fingerprint.copy_from_slice(&tag[..Self::LEN]);
        Some(Self(fingerprint))
    }

    /// From the bytes a secret carried.
    pub fn from_bytes(bytes: [u8; Self::LEN]) -> Self {
        Self(bytes)
    }

    /// The bytes to put in a secret.
    pub fn to_bytes(self) -> [u8; Self::LEN] {
        self.0
    }

    /// Equality in constant time.
    pub fn matches(&self, other: &Self) -> bool {
        constant_time_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for PasswordFingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordFingerprint(<redacted>)")
    }
}
