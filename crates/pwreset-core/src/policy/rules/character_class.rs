//! Composition rules: at least one character of a class.

use super::{Candidate, Finding, Rule};
use crate::{ErrorCode, text::is_py_digit};

/// A class of characters a policy may require.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CharacterClass {
    /// Unicode uppercase (`char::is_uppercase`).
    Upper,
    /// Unicode lowercase (`char::is_lowercase`).
    Lower,
    /// A digit as Python's `str.isdigit()` sees it.
    Digit,
    /// Anything that is not a letter, a number, white space or a control character.
    Symbol,
}

impl CharacterClass {
    fn contains(self, c: char) -> bool {
        match self {
            CharacterClass::Upper => c.is_uppercase(),
            CharacterClass::Lower => c.is_lowercase(),
            CharacterClass::Digit => is_py_digit(c),
            CharacterClass::Symbol => !(c.is_alphanumeric() || c.is_whitespace() || c.is_control()),
        }
    }

    fn code(self) -> ErrorCode {
        match self {
            CharacterClass::Upper => ErrorCode::PasswordNoUpper,
            CharacterClass::Lower => ErrorCode::PasswordNoLower,
            CharacterClass::Digit => ErrorCode::PasswordNoDigit,
            CharacterClass::Symbol => ErrorCode::PasswordNoSymbol,
        }
    }
}

/// At least one character of the class.
pub(crate) struct RequireClass(pub CharacterClass);

impl Rule for RequireClass {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        (!candidate.password.chars().any(|c| self.0.contains(c))).then(|| self.requirement())
    }

    fn requirement(&self) -> Finding {
        Finding::bare(self.0.code())
    }
}

#[cfg(test)]
mod tests {
    use super::CharacterClass::*;

    #[test]
    fn classes_cover_unicode_letters_digits_and_symbols() {
        assert!(Upper.contains('Ä') && !Upper.contains('ä'));
        assert!(Lower.contains('ß') && !Lower.contains('1'));
        assert!(Digit.contains('٣') && !Digit.contains('½'));
        for symbol in ['!', '#', '€', '😀', '_', '-'] {
            assert!(Symbol.contains(symbol), "{symbol:?}");
        }
        for not_symbol in ['a', 'Z', '7', '½', ' ', '\u{3000}', '\n'] {
            assert!(!Symbol.contains(not_symbol), "{not_symbol:?}");
        }
    }
}
