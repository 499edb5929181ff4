//! Reset secrets: what a reset link, a code or a session carries, and how the server checks it.
//!
//! Invariants the types enforce:
//! - every secret is made from the system's CSPRNG and compared in constant time;
//! - codes and link tokens are stored only as keyed digests ([`SecretDigest`]);
//! - signed payloads and access tokens carry a [`PasswordFingerprint`] of the account's password
//!   state, so changing the password kills every outstanding one without a revocation list;
//! - each kind of secret is keyed by its own key derived from the [`Keyring`] ([`KeyPurpose`]), so a
//!   key that signs one kind can't forge another; the newest key signs, every key verifies;
//! - no secret type prints its value through `Debug`; revealing one is a named method.

mod access_token;
mod digest;
mod fingerprint;
mod keyring;
mod link_token;
mod mac;
mod random;
mod reset_code;
mod signed_payload;

pub use access_token::{
    AccessToken, AccessTokenError, AccessTokenIssuer, PendingAccessToken, VerifiedAccessToken,
};
pub use digest::{SecretDigest, SecretKind};
pub use fingerprint::PasswordFingerprint;
pub use keyring::{KeyPurpose, Keyring, KeyringError, PurposeKey, derive_purpose_key};
pub use link_token::LinkToken;
pub use mac::hmac_sha256;
pub use random::{RandomUnavailable, random_bytes};
pub use reset_code::{CodeError, ResetCode};
pub use signed_payload::{
    PayloadError, PayloadPurpose, SignError, SignedPayload, VerifiedPayload, sign_payload,
    verify_payload,
};

/// Appends `bytes` to `out` as lowercase hex digits (into the caller's string, which may be a
/// zeroizing one).
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

/// Text that is not a well-formed secret of the expected kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MalformedSecret;

impl std::fmt::Display for MalformedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("malformed secret")
    }
}

impl std::error::Error for MalformedSecret {}
