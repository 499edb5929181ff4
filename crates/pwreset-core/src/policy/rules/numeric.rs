//! Django's `NumericPasswordValidator`.

use super::{Candidate, Finding, Rule};
use crate::{ErrorCode, text::py_isdigit};

/// Not made of digits only (Python's `str.isdigit()`, so superscripts and other scripts' digits count).
pub(crate) struct NotEntirelyNumeric;

impl Rule for NotEntirelyNumeric {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        py_isdigit(candidate.password).then(|| self.requirement())
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordEntirelyNumeric)
    }
}
