//! Password strength: zxcvbn's estimate of how many guesses an attacker needs.
//!
//! The [`Strength`] type is always present, so a build without the `strength` feature (the browser's
//! light policy module) can still receive an estimate computed elsewhere and enforce `min_score`.
//!
//! zxcvbn's cost grows with the square of the length times the number of ways it reads the
//! password's l33t characters (800 for all twenty), so the estimate bounds it: see [`Strength::plan`].

#[cfg(feature = "strength")]
mod bound;

#[cfg(feature = "strength")]
pub use bound::{Analysis, StrengthPlan};

use serde::{Deserialize, Serialize};

/// zxcvbn's verdict on a password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Strength {
    /// 0 (too guessable) to 4 (very unguessable).
    pub score: u8,
    /// log10 of the estimated number of guesses (0 for an empty password).
    pub guesses_log10: f64,
    /// What makes the password weak, if anything.
    pub warning: Option<String>,
    /// How to make it stronger.
    pub suggestions: Vec<String>,
}

#[cfg(feature = "strength")]
impl Strength {
    /// The most work one estimate does, in the cost units of [`Strength::plan`].
    pub const COST_BUDGET: u64 = bound::COST_BUDGET;

    /// How [`estimate_strength`] analyses `password`: zxcvbn on the whole of it (its first 100
    /// characters) when that costs at most [`Strength::COST_BUDGET`], else on the longest prefix
    /// that does, cut where no pattern crosses the cut when possible (docs/policy.md, "Strength").
    /// The plan tells how many characters are analysed, at what cost, and whether the estimate is
    /// zxcvbn's own (`is_whole`) or at least never stronger than it (`never_stronger`).
    pub fn plan(password: &str, user_inputs: &[&str]) -> bound::StrengthPlan {
        bound::plan(password, user_inputs)
    }
}

#[cfg(feature = "strength")]
mod estimate {
    use super::{Strength, bound};

    /// Estimates the strength of `password`, treating `user_inputs` (name, email, ...) as words an
    /// attacker would try first. zxcvbn looks at the first 100 characters only, and at fewer when
    /// they would cost more than [`Strength::COST_BUDGET`] ([`Strength::plan`]).
    pub fn estimate_strength(password: &str, user_inputs: &[&str]) -> Strength {
        let plan = bound::plan(password, user_inputs);
        let analysed: String = password.chars().take(plan.analysed_chars).collect();
        let inputs = bound::inputs_for(&analysed, user_inputs);
        Strength::from(&zxcvbn::zxcvbn(&analysed, &inputs))
    }

    impl From<&zxcvbn::Entropy> for Strength {
        /// zxcvbn's own verdict, as is (`guesses_log10` 0 where zxcvbn's is not finite).
        fn from(entropy: &zxcvbn::Entropy) -> Self {
            let feedback = entropy.feedback();
            Strength {
                score: entropy.score().into(),
                guesses_log10: if entropy.guesses_log10().is_finite() {
                    entropy.guesses_log10()
                } else {
                    0.0
                },
                warning: feedback.and_then(|f| f.warning()).map(|w| w.to_string()),
                suggestions: feedback
                    .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
            }
        }
    }

    /// Builds zxcvbn's dictionaries now, so that the first real check is not the slow one.
    pub fn warm_up() {
        estimate_strength("warm-up Tr0ub4dour&3", &["warm"]);
    }
}

#[cfg(feature = "strength")]
pub use estimate::{estimate_strength, warm_up};

#[cfg(all(test, feature = "strength"))]
mod tests {
    use super::*;

    #[test]
    fn a_common_password_scores_zero_with_a_warning() {
        let strength = estimate_strength("password", &[]);
        assert_eq!(strength.score, 0);
        assert!(strength.warning.is_some());
    }

    #[test]
    fn a_long_random_password_scores_four() {
        assert_eq!(estimate_strength("kD9#mQ2$vL7pX!zR", &[]).score, 4);
    }

    #[test]
    fn user_inputs_make_a_password_weaker() {
        let alone = estimate_strength("janedoe1987", &[]);
        let with_inputs = estimate_strength("janedoe1987", &["jane", "doe"]);
        assert!(with_inputs.guesses_log10 < alone.guesses_log10);
    }

    #[test]
    fn empty_password_has_finite_figures() {
        let strength = estimate_strength("", &[]);
        assert_eq!((strength.score, strength.guesses_log10), (0, 0.0));
    }
}
