//! Django's `UserAttributeSimilarityValidator`, exactly.

use super::{Candidate, Finding, Rule};
use crate::text::{py_len, py_lower, quick_ratio, split_on_non_word};
use crate::{ErrorCode, UserAttributes};

/// Not too similar to any user attribute: for each attribute (Django's order), its lower-cased value
/// and each of its `\W+` parts are compared with the lower-cased password by
/// `SequenceMatcher.quick_ratio()`; a ratio at or above `max_similarity` fails. Parts so much shorter
/// than the password that they could never reach the threshold are skipped, as Django skips them.
pub(crate) struct NotSimilarToUser {
    pub max_similarity: f64,
}

impl NotSimilarToUser {
    /// Django's `exceeds_maximum_length_ratio`, with the same float arithmetic.
    fn exceeds_maximum_length_ratio(&self, password_len: usize, value_len: usize) -> bool {
        let length_bound_similarity = self.max_similarity / 2.0 * password_len as f64;
        password_len >= 10 * value_len && (value_len as f64) < length_bound_similarity
    }

    fn is_similar(&self, lowered_password: &str, password_len: usize, value: &str) -> bool {
        let value_lower = py_lower(value);
        split_on_non_word(&value_lower)
            .into_iter()
            .chain([value_lower.as_str()])
            .filter(|part| !self.exceeds_maximum_length_ratio(password_len, py_len(part)))
            .any(|part| quick_ratio(lowered_password, part) >= self.max_similarity)
    }
}

impl Rule for NotSimilarToUser {
    fn check(&self, candidate: &Candidate<'_>) -> Option<Finding> {
        let password_len = py_len(&candidate.lowered);
        let (attribute, _) = candidate
            .user
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .find(|(_, value)| self.is_similar(&candidate.lowered, password_len, value))?;
        Some(
            self.requirement()
                .with("attribute", attribute)
                .with("verbose_name", UserAttributes::verbose_name(attribute)),
        )
    }

    fn requirement(&self) -> Finding {
        Finding::bare(ErrorCode::PasswordTooSimilar).with("max_similarity", self.max_similarity)
    }
}
