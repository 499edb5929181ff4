//! Django's `CommonPasswordValidator`.

use super::{Candidate, Finding, Rule};
use crate::{ErrorCode, common_passwords, text::py_strip};

/// Not on Django's list of 20,000 common passwords, compared as `password.lower().strip()`.
pub(crate) struct NotCommon;

impl Rule for NotCommon {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        common_passwords::contains(py_strip(&candidate.lowered)).then(|| self.requirement())
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordTooCommon)
    }
}
