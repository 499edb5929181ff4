//! A minimum zxcvbn score.

use super::{Candidate, Finding, Rule};
use crate::ErrorCode;

/// zxcvbn's score at least `0`. Judged only when an estimate is available: natively the policy
/// computes one; a build without strength support must be given one
/// ([`crate::Policy::needs_strength`]).
pub(crate) struct MinScore(pub u8);

impl Rule for MinScore {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        let strength = candidate.strength?;
        (strength.score < self.0).then(|| self.requirement().with("score", strength.score))
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordTooWeak).with("min_score", self.0)
    }
}
