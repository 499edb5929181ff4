//! Rules on facts only the caller can know: a breach lookup, the current password.

use super::{Candidate, Finding, Rule};
use crate::ErrorCode;

/// Not found in a breach corpus (the caller looks it up; the core never goes to the network).
pub(crate) struct NotBreached;

impl Rule for NotBreached {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        candidate.breached.then(|| self.requirement())
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordBreached)
    }
}

/// Not the account's current password (the caller compares it with the stored hash).
pub(crate) struct NotSameAsOld;

impl Rule for NotSameAsOld {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        candidate.same_as_old.then(|| self.requirement())
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordSameAsOld)
    }
}
