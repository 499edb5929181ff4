//! Reset secrets: what a reset link, a code or a session carries, and how the server checks it.
//!
//! Invariants the types enforce:
//! - every secret is made from the system's CSPRNG and compared in constant time;
//! - codes and link tokens are stored only as keyed digests ([`SecretDigest`]);
//! - signed payloads and access tokens carry a fingerprint of the account's [`PasswordState`], so
//!   changing the password (or another bound field) kills every outstanding one without a
//!   revocation list;
//! - each kind of secret is keyed by its own key derived from the [`Keyring`] ([`KeyPurpose`]), so a
//!   key that signs one kind can't forge another; the newest key signs, every key verifies;
//! - nothing lives longer than [`MAX_SECRET_LIFETIME_SECS`], and nothing issued in the future
//!   (beyond [`MAX_CLOCK_SKEW_SECS`]) is accepted;
//! - no secret type prints its value through `Debug`; revealing one is a named method.

mod access_token;
mod digest;
mod fingerprint;
mod jwks;
mod keyring;
mod link_token;
mod mac;
mod password_state;
mod random;
mod reset_code;
mod signed_payload;

pub use access_token::{
    AccessToken, AccessTokenAlgorithm, AccessTokenAlgorithms, AccessTokenError, AccessTokenIssuer,
    PendingAccessToken, VerifiedAccessToken,
};
pub use digest::{SecretDigest, SecretKind};
pub use jwks::{Ed25519Jwk, JwkSet};
pub use keyring::{KeyPurpose, Keyring, KeyringError, derive_purpose_key};
pub use link_token::LinkToken;
pub use mac::{constant_time_eq, hmac_sha256, verify_hmac_sha256};
pub use password_state::PasswordState;
pub use random::{RandomUnavailable, random_bytes};
pub use reset_code::{CodeDraw, CodeError, CodeScope, ResetCode};
pub use signed_payload::{
    PayloadError, PayloadPurpose, PendingPayload, SignError, SignedPayload, VerifiedPayload,
    sign_payload, verify_payload,
};

/// The longest any signed payload or access token may live: 24 hours (NIST's bound for e-mailed
/// links). Issuing beyond it is refused, and so is verifying a secret that claims more.
pub const MAX_SECRET_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// How far in the future a secret's issue time (or a token's `nbf`) may lie and still be accepted:
/// the clocks of two machines of one service disagree by less than a minute.
pub const MAX_CLOCK_SKEW_SECS: u64 = 60;

/// Text that is not a well-formed secret of the expected kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed secret")]
pub struct MalformedSecret;
