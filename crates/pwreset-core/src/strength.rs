//! Password strength: zxcvbn's estimate of how many guesses an attacker needs.
//!
//! The [`Strength`] type is always present, so a build without the `strength` feature (the browser's
//! light policy module) can still receive an estimate computed elsewhere and enforce `min_score`.
//!
//! zxcvbn's cost grows with the square of the length times the number of ways it reads the
//! password's l33t characters (800 for all twenty), so the estimate bounds it: see [`Strength::plan`].
//!
//! zxcvbn's feedback is English; [`Strength::estimate_in`] gives it in a catalog's
//! [`Language`](crate::messages::Language), translated from zxcvbn's typed warnings and
//! suggestions ([`crate::messages`]). A policy's check gives it in its catalog's language.

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
    /// What makes the password weak, if anything (in the language it was estimated for; English
    /// unless asked otherwise).
    pub warning: Option<String>,
    /// How to make it stronger (in the same language as `warning`).
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
    use crate::messages::Language;

    /// Estimates the strength of `password`, treating `user_inputs` (name, email, ...) as words an
    /// attacker would try first. zxcvbn looks at the first 100 characters only, and at fewer when
    /// they would cost more than [`Strength::COST_BUDGET`] ([`Strength::plan`]). The feedback is
    /// zxcvbn's English.
    pub fn estimate_strength(password: &str, user_inputs: &[&str]) -> Strength {
        Strength::estimate_in(password, user_inputs, Language::English)
    }

    impl Strength {
        /// [`estimate_strength`] with the warning and suggestions in `language`, e.g. the
        /// [language of the catalog](crate::messages::Catalog::language) the messages come from.
        pub fn estimate_in(password: &str, user_inputs: &[&str], language: Language) -> Strength {
            let plan = bound::plan(password, user_inputs);
            let analysed: String = password.chars().take(plan.analysed_chars).collect();
            let inputs = bound::inputs_for(&analysed, user_inputs);
            Strength::from_entropy(&zxcvbn::zxcvbn(&analysed, &inputs), language)
        }

        /// The same estimate with its feedback in `language`: zxcvbn's warnings and suggestions,
        /// as given in any catalog language, are translated; a text that is none of them (an
        /// estimate made elsewhere) stays as it is.
        pub fn in_language(mut self, language: Language) -> Self {
            if let Some(warning) = &mut self.warning
                && let Some(text) = language.translate_warning(warning)
            {
                text.clone_into(warning);
            }
            for suggestion in &mut self.suggestions {
                if let Some(text) = language.translate_suggestion(suggestion) {
                    text.clone_into(suggestion);
                }
            }
            self
        }

        /// zxcvbn's own verdict, as is (`guesses_log10` 0 where zxcvbn's is not finite), with its
        /// feedback in `language`.
        pub fn from_entropy(entropy: &zxcvbn::Entropy, language: Language) -> Self {
            let feedback = entropy.feedback();
            Strength {
                score: entropy.score().into(),
                guesses_log10: if entropy.guesses_log10().is_finite() {
                    entropy.guesses_log10()
                } else {
                    0.0
                },
                warning: feedback
                    .and_then(|f| f.warning())
                    .map(|w| language.warning(w).to_owned()),
                suggestions: feedback
                    .map(|f| {
                        f.suggestions()
                            .iter()
                            .map(|s| language.suggestion(*s).to_owned())
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        }
    }

    impl From<&zxcvbn::Entropy> for Strength {
        /// zxcvbn's own verdict, as is (`guesses_log10` 0 where zxcvbn's is not finite), with its
        /// English feedback.
        fn from(entropy: &zxcvbn::Entropy) -> Self {
            Strength::from_entropy(entropy, Language::English)
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
    fn feedback_comes_in_the_language_asked_for() {
        use crate::messages::Language;
        let english = estimate_strength("password", &[]);
        assert_eq!(
            Strength::estimate_in("password", &[], Language::English),
            english
        );
        assert_eq!(
            english.warning.as_deref(),
            Some("This is a top-10 common password.")
        );
        assert_eq!(
            english.suggestions,
            ["Add another word or two. Uncommon words are better."]
        );
        let german = Strength::estimate_in("password", &[], Language::German);
        assert_eq!(
            german.warning.as_deref(),
            Some("Dies ist eines der 10 häufigsten Passwörter.")
        );
        assert_eq!(
            german.suggestions,
            ["Fügen Sie ein oder zwei weitere Wörter hinzu. Ungewöhnliche Wörter sind besser."]
        );
        let spanish = Strength::estimate_in("password", &[], Language::Spanish);
        assert_eq!(
            spanish.warning.as_deref(),
            Some("Esta es una de las 10 contraseñas más comunes.")
        );
        assert_eq!(
            spanish.suggestions,
            ["Añade una o dos palabras más. Las palabras poco comunes son mejores."]
        );
        // Only the words change.
        assert_eq!(
            (german.score, german.guesses_log10),
            (english.score, english.guesses_log10)
        );
    }

    #[test]
    fn an_estimate_is_put_into_another_language_and_back() {
        use crate::messages::Language;
        let english = estimate_strength("password", &[]);
        let german = Strength::estimate_in("password", &[], Language::German);
        assert_eq!(english.clone().in_language(Language::German), german);
        assert_eq!(german.clone().in_language(Language::English), english);
        assert_eq!(english.clone().in_language(Language::English), english);
        // Texts zxcvbn does not give are left alone.
        let other = Strength {
            warning: Some("Too short.".into()),
            suggestions: vec!["Add words.".into()],
            ..english
        };
        assert_eq!(other.clone().in_language(Language::Spanish), other);
    }

    #[test]
    fn empty_password_has_finite_figures() {
        let strength = estimate_strength("", &[]);
        assert_eq!((strength.score, strength.guesses_log10), (0, 0.0));
    }
}
