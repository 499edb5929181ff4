//! The stable error codes a password check reports.

use serde::{Deserialize, Serialize};

/// Why a password was refused. The serialized names never change: clients match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// Fewer characters than the policy's `min_length`.
    PasswordTooShort,
    /// More characters than the policy's `max_length`; checked before anything else.
    PasswordTooLong,
    /// Every character is a Unicode digit.
    PasswordEntirelyNumeric,
    /// On the list of 20,000 common passwords.
    PasswordTooCommon,
    /// Too similar to one of the user's attributes.
    PasswordTooSimilar,
    /// No uppercase letter.
    PasswordNoUpper,
    /// No lowercase letter.
    PasswordNoLower,
    /// No digit.
    PasswordNoDigit,
    /// No symbol.
    PasswordNoSymbol,
    /// zxcvbn's score is below the policy's `min_score`.
    PasswordTooWeak,
    /// Found in a breach corpus (the caller looked it up).
    PasswordBreached,
    /// The confirmation differs from the password.
    PasswordMismatch,
    /// The new password equals the current one (the caller knows it).
    PasswordSameAsOld,
}

impl ErrorCode {
    /// Every code, in the order checks report them.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::PasswordTooLong,
        ErrorCode::PasswordTooSimilar,
        ErrorCode::PasswordTooShort,
        ErrorCode::PasswordTooCommon,
        ErrorCode::PasswordEntirelyNumeric,
        ErrorCode::PasswordNoUpper,
        ErrorCode::PasswordNoLower,
        ErrorCode::PasswordNoDigit,
        ErrorCode::PasswordNoSymbol,
        ErrorCode::PasswordTooWeak,
        ErrorCode::PasswordBreached,
        ErrorCode::PasswordSameAsOld,
        ErrorCode::PasswordMismatch,
    ];

    /// The code as clients see it, e.g. `"password_too_short"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::PasswordTooShort => "password_too_short",
            ErrorCode::PasswordTooLong => "password_too_long",
            ErrorCode::PasswordEntirelyNumeric => "password_entirely_numeric",
            ErrorCode::PasswordTooCommon => "password_too_common",
            ErrorCode::PasswordTooSimilar => "password_too_similar",
            ErrorCode::PasswordNoUpper => "password_no_upper",
            ErrorCode::PasswordNoLower => "password_no_lower",
            ErrorCode::PasswordNoDigit => "password_no_digit",
            ErrorCode::PasswordNoSymbol => "password_no_symbol",
            ErrorCode::PasswordTooWeak => "password_too_weak",
            ErrorCode::PasswordBreached => "password_breached",
            ErrorCode::PasswordMismatch => "password_mismatch",
            ErrorCode::PasswordSameAsOld => "password_same_as_old",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn serialized_name_is_as_str() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str());
        }
    }
}
