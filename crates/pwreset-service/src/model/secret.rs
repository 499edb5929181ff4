//! A configured secret: an API key, a token, a signing secret.

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
}
