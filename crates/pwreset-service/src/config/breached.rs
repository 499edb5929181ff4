//! The breached-password check's settings (`BREACHED_CHECK`, `PWNED_PASSWORDS_URL`).

use super::read::{self, UrlKind, Vars, url};

/// The real range API.
pub const PWNED_PASSWORDS_URL: &str = "https://api.pwnedpasswords.com";

/// What to do about breached passwords (`BREACHED_CHECK`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreachedCheck {
    /// No check (the default).
    Off,
    /// Check; when the range API can't be reached, accept the password (and log it).
    FailOpen,
    /// Check; when the range API can't be reached, refuse to set the password for now (503).
    FailClosed,
}

impl BreachedCheck {
    /// Reads `off`, `fail-open` or `fail-closed`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "off" => Some(BreachedCheck::Off),
            "fail-open" => Some(BreachedCheck::FailOpen),
            "fail-closed" => Some(BreachedCheck::FailClosed),
            _ => None,
        }
    }
}

/// The breached-password settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreachedConfig {
    /// Whether and how to check.
    pub mode: BreachedCheck,
    /// The range API's base URL (`PWNED_PASSWORDS_URL`), without a trailing slash.
    pub base_url: String,
}

impl BreachedConfig {
    /// Reads `BREACHED_CHECK` (default `off`) and `PWNED_PASSWORDS_URL` (default the real API;
    /// a base URL, `https://` outside development), noting each problem in `vars`.
    pub(crate) fn read(vars: &mut Vars<'_>) -> Self {
        Self {
            mode: vars.or_declared(
                "BREACHED_CHECK",
                read::one_of(
                    &["off", "fail-open", "fail-closed"],
                    [
                        BreachedCheck::Off,
                        BreachedCheck::FailOpen,
                        BreachedCheck::FailClosed,
                    ],
                ),
            ),
            base_url: vars.or_declared("PWNED_PASSWORDS_URL", url(UrlKind::Base)),
        }
    }
}
