//! Time as the core sees it: whole unix seconds, always passed in by the caller.
//!
//! Nothing in the core reads a clock (a Worker has `Date.now()`, a test a fixed instant), so every
//! function that judges an expiry takes a [`UnixTime`]. It is a type of its own, not a bare `u64`,
//! because JavaScript's clock counts milliseconds: a `Date.now()` passed where seconds are expected
//! would make every secret live a thousand times longer, and with a bare integer that mistake
//! compiles. Here the conversion is a named constructor, [`UnixTime::from_millis`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// An instant as whole seconds since 1970-01-01T00:00:00Z.
///
/// Serializes as the bare number of seconds, as JWT's `iat`/`exp` do. A bare integer is not one:
///
/// ```compile_fail,E0308
/// fn expires_after(_now: pwreset_core::UnixTime) {}
/// expires_after(1_790_000_000_000u64); // `Date.now()`: milliseconds, refused by the compiler
/// ```
///
/// ```
/// # fn expires_after(_now: pwreset_core::UnixTime) {}
/// expires_after(pwreset_core::UnixTime::from_millis(1_790_000_000_000));
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The unix epoch.
    pub const EPOCH: UnixTime = UnixTime(0);

    /// From whole unix seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// From unix milliseconds (JavaScript's `Date.now()`), rounded down to the second.
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis / 1000)
    }

    /// The whole unix seconds.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// `secs` later, stopping at the largest representable instant instead of overflowing.
    #[must_use]
    pub const fn saturating_add(self, secs: u64) -> Self {
        Self(self.0.saturating_add(secs))
    }

    /// `secs` earlier, stopping at the epoch.
    #[must_use]
    pub const fn saturating_sub(self, secs: u64) -> Self {
        Self(self.0.saturating_sub(secs))
    }

    /// Seconds from `earlier` to `self`; `None` when `earlier` is later than `self`.
    pub const fn secs_since(self, earlier: UnixTime) -> Option<u64> {
        self.0.checked_sub(earlier.0)
    }

    /// The instant in UTC written with `format` (chrono's `strftime` syntax); `None` beyond the
    /// years chrono represents.
    #[cfg(feature = "secrets")]
    fn utc(self, format: &str) -> Option<String> {
        let secs = i64::try_from(self.0).ok()?;
        let at = chrono::DateTime::from_timestamp(secs, 0)?;
        Some(at.format(format).to_string())
    }

    /// RFC 3339 in UTC, to the second: `2026-12-07T09:33:42Z` (empty beyond chrono's years).
    #[cfg(feature = "secrets")]
    pub fn to_rfc3339(self) -> String {
        self.utc("%Y-%m-%dT%H:%M:%SZ").unwrap_or_default()
    }

    /// The UTC calendar date as eight digits: `20261207` (empty beyond chrono's years).
    #[cfg(feature = "secrets")]
    pub fn utc_date_digits(self) -> String {
        self.utc("%Y%m%d").unwrap_or_default()
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "secrets")]
    #[test]
    fn instants_read_as_rfc_3339_and_dates() {
        let at = |secs| UnixTime::from_secs(secs);
        assert_eq!(at(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400).to_rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_767_229_200).to_rfc3339(), "2026-01-01T01:00:00Z");
        assert_eq!(at(1_798_761_599).to_rfc3339(), "2026-12-31T23:59:59Z");
        assert_eq!(at(1_798_761_599).utc_date_digits(), "20261231");
        assert_eq!(at(u64::MAX).to_rfc3339(), "");
    }

    #[test]
    fn milliseconds_become_whole_seconds() {
        assert_eq!(
            UnixTime::from_millis(1_790_000_000_999),
            UnixTime::from_secs(1_790_000_000)
        );
        assert_eq!(UnixTime::from_millis(999), UnixTime::EPOCH);
    }

    #[test]
    fn arithmetic_saturates_and_orders() {
        let now = UnixTime::from_secs(100);
        assert_eq!(
            UnixTime::from_secs(u64::MAX).saturating_add(1).as_secs(),
            u64::MAX
        );
        assert_eq!(now.saturating_sub(1000), UnixTime::EPOCH);
        assert_eq!(now.saturating_add(5).secs_since(now), Some(5));
        assert_eq!(now.secs_since(now.saturating_add(5)), None);
        assert!(now < now.saturating_add(1));
    }

    #[test]
    fn serializes_as_bare_seconds() {
        let now = UnixTime::from_secs(1_790_000_000);
        assert_eq!(serde_json::to_string(&now).unwrap(), "1790000000");
        assert_eq!(serde_json::from_str::<UnixTime>("1790000000").unwrap(), now);
    }
}
