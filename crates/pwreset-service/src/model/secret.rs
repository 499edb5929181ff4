//! A configured secret (an API key, a token, a signing secret), and what stands for an issued
//! secret in the guards' ops and storage: a code's keyed digest, a link's or a payload's id.

use pwreset_core::secrets::{SecretDigest, constant_time_eq};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// A configured secret (API key, token, signing secret). Its memory is wiped when it is dropped,
/// its `Debug` prints `<redacted>`, and it compares in constant time.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The value, for building a request or comparing with what a caller sent.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this secret, in time that does not depend on where they differ.
    pub fn matches(&self, given: &str) -> bool {
        pwreset_core::secrets::constant_time_eq(self.0.as_bytes(), given.as_bytes())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other.expose())
    }
}

impl Eq for Secret {}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The key a webhook's signatures are made with (the message webhook's `WEBHOOK_SECRET`, the
/// events' `EVENTS_SECRET`). Standard Webhooks writes a secret as `whsec_` and the key in base64:
/// the key is the decoded bytes. The message webhook also takes a secret of its own form (the
/// releases before Standard Webhooks): any other value, whose key is its UTF-8 bytes. Its `Debug`
/// prints `<redacted>`, its memory is wiped when dropped.
#[derive(Clone)]
pub struct SigningKey(Zeroizing<Vec<u8>>);

impl PartialEq for SigningKey {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(&self.0, &other.0)
    }
}

impl Eq for SigningKey {}

/// Why a value is no Standard Webhooks secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigningKeyFault {
    /// It does not start with `whsec_`.
    NoPrefix,
    /// What follows `whsec_` is not base64.
    NotBase64,
    /// The key is shorter than [`SigningKey::MIN_STANDARD_BYTES`].
    TooShort,
}

impl SigningKey {
    /// How a Standard Webhooks secret starts.
    pub const PREFIX: &'static str = "whsec_";
    /// The shortest key a `whsec_` secret may decode to (Standard Webhooks: 24 to 64 bytes).
    pub const MIN_STANDARD_BYTES: usize = 24;

    /// A Standard Webhooks secret, `whsec_<base64>` (standard alphabet, padding optional), of at
    /// least [`Self::MIN_STANDARD_BYTES`].
    pub fn standard(secret: &str) -> Result<Self, SigningKeyFault> {
        use base64::Engine;
        let encoded = secret
            .strip_prefix(Self::PREFIX)
            .ok_or(SigningKeyFault::NoPrefix)?;
        let key = Zeroizing::new(
            base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT
                .decode(encoded)
                .map_err(|_| SigningKeyFault::NotBase64)?,
        );
        if key.len() < Self::MIN_STANDARD_BYTES {
            return Err(SigningKeyFault::TooShort);
        }
        Ok(Self(key))
    }

    /// A secret of the message webhook's own form: the key is its bytes.
    pub fn raw(secret: &str) -> Self {
        Self(Zeroizing::new(secret.as_bytes().to_vec()))
    }

    /// The key.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A code's keyed digest as the guards keep and exchange it: its hex digits, stored and sent as
/// that JSON string. Equality compares in constant time; `Debug` prints it like a string.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Digest(String);

impl Digest {
    /// The hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&SecretDigest> for Digest {
    fn from(digest: &SecretDigest) -> Self {
        Self(digest.as_hex().to_owned())
    }
}

impl From<SecretDigest> for Digest {
    fn from(digest: SecretDigest) -> Self {
        Self::from(&digest)
    }
}

/// Digits as they were stored or sent (tests and stand-ins; never parsed).
impl From<&str> for Digest {
    fn from(hex: &str) -> Self {
        Self(hex.to_owned())
    }
}

impl PartialEq for Digest {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for Digest {}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

/// The id the account's guard knows an issued link or a signed payload by: a link's record key
/// (`link:` and the keyed digest of its token, under which KV keeps where it points), or a payload's
/// `payload:` and nonce. Stored and sent as that JSON string. Equality compares in constant time;
/// `Debug` prints it like a string (a keyed digest, like [`Digest`]: it does not give the link).
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretId(String);

impl SecretId {
    /// A link's id: its token's keyed digest as a storage key (`link:<hex>`).
    pub fn of_link(digest: &SecretDigest) -> Self {
        Self(digest.storage_key())
    }

    /// A verified signed payload's id, from its nonce (32 hex digits): `payload:<nonce>`.
    pub fn of_payload(nonce_hex: &str) -> Self {
        Self(format!("payload:{nonce_hex}"))
    }

    /// The id as stored (a link's is its KV record's key).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for SecretId {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for SecretId {}

impl std::fmt::Debug for SecretId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_hides_in_debug_and_compares_by_value() {
        let secret = Secret::new("re_0123456789abcdef");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert!(secret.matches("re_0123456789abcdef"));
        assert!(!secret.matches("re_0123456789abcde"));
        assert_eq!(secret, Secret::new("re_0123456789abcdef"));
    }

    #[test]
    fn a_standard_webhooks_secret_is_whsec_and_base64_of_24_bytes_or_more() {
        let key = SigningKey::standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(key.bytes().len(), 24);
        assert_eq!(format!("{key:?}"), "<redacted>");
        // Padding is optional.
        let padded = SigningKey::standard("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBk=").unwrap();
        let bare = SigningKey::standard("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBk").unwrap();
        assert_eq!(padded, bare);
        assert_eq!(padded.bytes(), (0u8..26).collect::<Vec<_>>());
        for (secret, fault) in [
            (
                "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                SigningKeyFault::NoPrefix,
            ),
            ("whsec_not base64!", SigningKeyFault::NotBase64),
            ("whsec_test_0123456789abcdef", SigningKeyFault::NotBase64),
            (
                "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRY=",
                SigningKeyFault::TooShort,
            ),
        ] {
            assert_eq!(SigningKey::standard(secret).err(), Some(fault), "{secret}");
        }
        assert_eq!(SigningKey::raw("abc").bytes(), b"abc");
    }

    #[test]
    fn a_digest_travels_as_its_hex_string() {
        let digest = Digest::from("3f1c");
        assert_eq!(serde_json::to_string(&digest).unwrap(), r#""3f1c""#);
        let read: Digest = serde_json::from_str(r#""3f1c""#).unwrap();
        assert_eq!(read, digest);
        assert_ne!(read, Digest::from("3f1d"));
        assert_eq!(format!("{digest:?}"), r#""3f1c""#);
    }

    #[test]
    fn a_secret_id_travels_as_its_string() {
        let payload = SecretId::of_payload("0123456789abcdef0123456789abcdef");
        let text = r#""payload:0123456789abcdef0123456789abcdef""#;
        assert_eq!(serde_json::to_string(&payload).unwrap(), text);
        let read: SecretId = serde_json::from_str(text).unwrap();
        assert_eq!(read, payload);
        assert_ne!(
            read,
            SecretId::of_payload("0123456789abcdef0123456789abcdee")
        );
        assert_eq!(format!("{payload:?}"), text);
    }
}
