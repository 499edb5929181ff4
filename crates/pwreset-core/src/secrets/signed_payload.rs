//! Signed payloads: a stateless, purpose-tagged, expiring proof that the server vouches for a reset.
//!
//! Layout (version 1), all integers big-endian, then base64url without padding:
//!
//! ```text
//! version (1 byte) = 1
//! purpose (1 byte)                 PayloadPurpose tag
//! key id length (1 byte), key id   the keyring entry that signed it
//! account length (1 byte), account UTF-8, 1-255 bytes
//! issued at (8 bytes)              unix seconds
//! expires at (8 bytes)             unix seconds
//! nonce (16 bytes)                 random; the single-use record is keyed by it
//! password fingerprint (16 bytes)  of the account's PasswordState when issued
//! MAC (32 bytes)                   HMAC-SHA256 of everything above, signed-payload key `key id`
//! ```
//!
//! Verification is two steps, so that a forged payload costs no storage read:
//! [`verify_payload`] reads top to bottom (size and shape, the key, the MAC in constant time, then
//! purpose, lifetime, issue time and expiry) and yields a [`PendingPayload`] naming its account;
//! only then does the caller load that account's [`PasswordState`], and
//! [`PendingPayload::confirm`] checks account and fingerprint.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::fingerprint::PasswordFingerprint;
use super::keyring::{KeyPurpose, Keyring};
use super::mac::{hmac_sha256, verify_hmac_sha256};
use super::password_state::PasswordState;
use super::random::{RandomUnavailable, random_bytes};
use super::{MAX_CLOCK_SKEW_SECS, MAX_SECRET_LIFETIME_SECS};
use crate::UnixTime;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 16;
const MAC_LEN: usize = 32;
const MAX_ACCOUNT_LEN: usize = 255;
const MAX_KEY_ID_LEN: usize = 32;
const MAX_BYTES: usize =
    4 + MAX_KEY_ID_LEN + MAX_ACCOUNT_LEN + 8 + 8 + NONCE_LEN + PasswordFingerprint::LEN + MAC_LEN;
/// Longer text is refused before decoding.
const MAX_ENCODED_LEN: usize = MAX_BYTES.div_ceil(3) * 4;

/// What a payload authorises. A payload made for one purpose is refused for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadPurpose {
    /// Dialect A: the e-mailed code was right; the holder may now set a new password.
    ResetAfterCode,
    /// Dialect C: the token of an e-mailed reset link.
    ResetLink,
}

impl PayloadPurpose {
    fn tag(self) -> u8 {
        match self {
            PayloadPurpose::ResetAfterCode => 1,
            PayloadPurpose::ResetLink => 2,
        }
    }

    fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            1 => Some(PayloadPurpose::ResetAfterCode),
            2 => Some(PayloadPurpose::ResetLink),
            _ => None,
        }
    }
}

/// An encoded payload. Its text is a bearer secret: not `Debug`-printed, revealed by name.
pub struct SignedPayload(String);

impl SignedPayload {
    /// The base64url text, for the response or the link that carries it. Nowhere else.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SignedPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignedPayload(<redacted>)")
    }
}

/// Why a payload could not be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The account id is empty or longer than 255 bytes.
    #[error("account id must be 1-255 bytes")]
    AccountLength,
    /// The lifetime is 0 or longer than [`MAX_SECRET_LIFETIME_SECS`].
    #[error("a signed payload lives 1 s to 24 h, not {0} s")]
    Lifetime(u64),
    /// No randomness for the nonce.
    #[error(transparent)]
    Random(#[from] RandomUnavailable),
}

/// Signs a payload for `account`, bound to its current `state`, valid for `ttl_seconds` (1 s to
/// [`MAX_SECRET_LIFETIME_SECS`]) from `now`.
pub fn sign_payload(
    keyring: &Keyring,
    purpose: PayloadPurpose,
    account: &str,
    state: &PasswordState,
    now: UnixTime,
    ttl_seconds: u64,
) -> Result<SignedPayload, SignError> {
    if account.is_empty() || account.len() > MAX_ACCOUNT_LEN {
        return Err(SignError::AccountLength);
    }
    if !(1..=MAX_SECRET_LIFETIME_SECS).contains(&ttl_seconds) {
        return Err(SignError::Lifetime(ttl_seconds));
    }
    let key = keyring.signing_key(KeyPurpose::SignedPayload);
    let fingerprint = PasswordFingerprint::compute(keyring, key.id(), account, state)
        .expect("the signing key is in the keyring");
    let nonce: [u8; NONCE_LEN] = random_bytes()?;
    let mut bytes = Vec::with_capacity(MAX_BYTES);
    bytes.extend([VERSION, purpose.tag()]);
    push_short(&mut bytes, key.id().as_bytes());
    push_short(&mut bytes, account.as_bytes());
    bytes.extend(now.as_secs().to_be_bytes());
    bytes.extend(now.saturating_add(ttl_seconds).as_secs().to_be_bytes());
    bytes.extend(nonce);
    bytes.extend(fingerprint.to_bytes());
    let mac = hmac_sha256(key.bytes(), &[&bytes]);
    bytes.extend(mac);
    Ok(SignedPayload(URL_SAFE_NO_PAD.encode(bytes)))
}

fn push_short(bytes: &mut Vec<u8>, field: &[u8]) {
    bytes.push(u8::try_from(field.len()).expect("checked to be at most 255 bytes"));
    bytes.extend(field);
}

/// A payload that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedPayload {
    /// What it authorises.
    pub purpose: PayloadPurpose,
    /// The account it was issued for.
    pub account: String,
    /// When it was issued.
    pub issued_at: UnixTime,
    /// When it stops being valid.
    pub expires_at: UnixTime,
    /// Its random nonce, as 32 hex digits: record it to make the payload single-use.
    pub nonce_hex: String,
    /// The key that signed it.
    pub key_id: String,
}

/// Why a payload was refused. For logs and metrics: an API answers every case alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// Not base64url, wrong size, unknown version, or bad fields.
    #[error("malformed signed payload")]
    Malformed,
    /// Signed by a key the keyring no longer has.
    #[error("signed payload names an unknown key")]
    UnknownKey,
    /// The MAC does not hold: forged or altered.
    #[error("signed payload MAC does not verify")]
    BadMac,
    /// Made for another purpose.
    #[error("signed payload was made for another purpose")]
    WrongPurpose,
    /// Its lifetime exceeds [`MAX_SECRET_LIFETIME_SECS`] or is not positive.
    #[error("signed payload claims a lifetime beyond 24 h")]
    Lifetime,
    /// Issued later than `now` plus [`MAX_CLOCK_SKEW_SECS`].
    #[error("signed payload was issued in the future")]
    IssuedInFuture,
    /// Past its expiry.
    #[error("signed payload has expired")]
    Expired,
    /// Made for another account.
    #[error("signed payload was made for another account")]
    WrongAccount,
    /// The account's password state changed since it was issued.
    #[error("the password changed since the signed payload was issued")]
    StalePassword,
}

/// The fields of a decoded payload, before its MAC is checked.
struct Fields<'a> {
    signed: &'a [u8],
    mac: &'a [u8],
    purpose_tag: u8,
    key_id: &'a str,
    account: &'a str,
    issued_at: u64,
    expires_at: u64,
    nonce: &'a [u8],
    fingerprint: [u8; PasswordFingerprint::LEN],
}

/// Checks everything about `encoded` that needs no storage, at `now`: size and shape, the key,
/// the MAC (constant time), `purpose`, the lifetime (at most 24 h), the issue time (not beyond
/// `now` plus the clock skew) and the expiry (`now >= expires_at` is expired). Look up the
/// account that [`PendingPayload::account`] names, then [`PendingPayload::confirm`].
pub fn verify_payload<'k>(
    keyring: &'k Keyring,
    encoded: &str,
    purpose: PayloadPurpose,
    now: UnixTime,
) -> Result<PendingPayload<'k>, PayloadError> {
    if encoded.len() > MAX_ENCODED_LEN {
        return Err(PayloadError::Malformed);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| PayloadError::Malformed)?;
    let fields = parse(&bytes).ok_or(PayloadError::Malformed)?;
    let key = keyring
        .key(fields.key_id, KeyPurpose::SignedPayload)
        .ok_or(PayloadError::UnknownKey)?;
    if !verify_hmac_sha256(key.bytes(), &[fields.signed], fields.mac) {
        return Err(PayloadError::BadMac);
    }
    let declared = PayloadPurpose::from_tag(fields.purpose_tag).ok_or(PayloadError::Malformed)?;
    if declared != purpose {
        return Err(PayloadError::WrongPurpose);
    }
    let issued_at = UnixTime::from_secs(fields.issued_at);
    let expires_at = UnixTime::from_secs(fields.expires_at);
    match expires_at.secs_since(issued_at) {
        Some(lifetime) if (1..=MAX_SECRET_LIFETIME_SECS).contains(&lifetime) => {}
        _ => return Err(PayloadError::Lifetime),
    }
    if issued_at > now.saturating_add(MAX_CLOCK_SKEW_SECS) {
        return Err(PayloadError::IssuedInFuture);
    }
    if now >= expires_at {
        return Err(PayloadError::Expired);
    }
    Ok(PendingPayload {
        keyring,
        key_id: key.id(),
        purpose: declared,
        account: fields.account.to_owned(),
        issued_at,
        expires_at,
        nonce_hex: base16ct::lower::encode_string(fields.nonce),
        fingerprint: PasswordFingerprint::from_bytes(fields.fingerprint),
    })
}

/// A payload whose MAC, purpose and times hold, awaiting its account's current password state.
#[derive(Debug)]
pub struct PendingPayload<'k> {
    keyring: &'k Keyring,
    key_id: &'k str,
    purpose: PayloadPurpose,
    account: String,
    issued_at: UnixTime,
    expires_at: UnixTime,
    nonce_hex: String,
    fingerprint: PasswordFingerprint,
}

impl PendingPayload<'_> {
    /// The account it was issued for: look up its password state.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Finishes verification: the payload holds only for `account` (the one the request names)
    /// and only while that account's state is still `state`.
    pub fn confirm(
        self,
        account: &str,
        state: &PasswordState,
    ) -> Result<VerifiedPayload, PayloadError> {
        if self.account != account {
            return Err(PayloadError::WrongAccount);
        }
        let current = PasswordFingerprint::compute(self.keyring, self.key_id, account, state)
            .ok_or(PayloadError::UnknownKey)?;
        if !current.matches(&self.fingerprint) {
            return Err(PayloadError::StalePassword);
        }
        Ok(VerifiedPayload {
            purpose: self.purpose,
            account: self.account,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            nonce_hex: self.nonce_hex,
            key_id: self.key_id.to_owned(),
        })
    }
}

/// Splits the bytes into fields; `None` unless the layout is exactly right.
fn parse(bytes: &[u8]) -> Option<Fields<'_>> {
    let split = bytes.len().checked_sub(MAC_LEN)?;
    let (signed, mac) = bytes.split_at(split);
    let mut reader = Reader(signed);
    if reader.byte()? != VERSION {
        return None;
    }
    let purpose_tag = reader.byte()?;
    let key_id = std::str::from_utf8(reader.short_field(MAX_KEY_ID_LEN)?).ok()?;
    let account = std::str::from_utf8(reader.short_field(MAX_ACCOUNT_LEN)?).ok()?;
    let issued_at = u64::from_be_bytes(reader.take(8)?.try_into().ok()?);
    let expires_at = u64::from_be_bytes(reader.take(8)?.try_into().ok()?);
    let nonce = reader.take(NONCE_LEN)?;
    let fingerprint = reader.take(PasswordFingerprint::LEN)?.try_into().ok()?;
    if !reader.0.is_empty() {
        return None;
    }
    Some(Fields {
        signed,
        mac,
        purpose_tag,
        key_id,
        account,
        issued_at,
        expires_at,
        nonce,
        fingerprint,
    })
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    /// A 1-byte length, then that many bytes (1 to `max`).
    fn short_field(&mut self, max: usize) -> Option<&'a [u8]> {
        let len = usize::from(self.byte()?);
        if len == 0 || len > max {
            return None;
        }
        self.take(len)
    }
}
