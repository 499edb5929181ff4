//! Length limits, counted in Unicode scalar values as Python's `len`.

use super::{Candidate, Finding, Rule};
use crate::{ErrorCode, text::py_len};

/// At least `0` characters (Django's `MinimumLengthValidator`).
pub(crate) struct MinLength(pub usize);

impl Rule for MinLength {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        (py_len(candidate.password) < self.0).then(|| self.requirement())
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordTooShort).with("min_length", self.0)
    }
}

/// At most `0` characters. The policy runs it before every other rule, on the raw input, and stops
/// there when it fails, so an oversized input costs one bounded count.
pub(crate) struct MaxLength(pub usize);

impl MaxLength {
    /// `true` when `password` is longer than allowed; stops counting past the limit.
    pub fn is_exceeded_by(&self, password: &str) -> bool {
        password.len() > self.0 && password.chars().nth(self.0).is_some()
    }
}

impl Rule for MaxLength {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        self.is_exceeded_by(candidate.password)
            .then(|| self.requirement())
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordTooLong).with("max_length", self.0)
    }
}
