//! A configured secret (an API key, a token, a signing secret), and the keyed digest that stands
//! for an issued secret (a code) in the guards' ops and storage.

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
    fn a_digest_travels_as_its_hex_string() {
        let digest = Digest::from("3f1c");
        assert_eq!(serde_json::to_string(&digest).unwrap(), r#""3f1c""#);
        let read: Digest = serde_json::from_str(r#""3f1c""#).unwrap();
        assert_eq!(read, digest);
        assert_ne!(read, Digest::from("3f1d"));
        assert_eq!(format!("{digest:?}"), r#""3f1c""#);
    }
}
