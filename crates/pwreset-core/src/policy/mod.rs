//! A password policy: a list of configured rules, a message catalog, and the check that runs them.

mod rules;
mod settings;

pub use settings::{
    MAX_MAX_LENGTH, MIN_MAX_LENGTH, MIN_SIMILARITY, PolicyConfigError, PolicySettings, Preset,
};

use rules::{
    Candidate, CharacterClass, Finding, MaxLength, MinLength, MinScore, NotBreached, NotCommon,
    NotEntirelyNumeric, NotSameAsOld, NotSimilarToUser, RequireClass, Rule,
};

use crate::messages::Catalog;
use crate::{CheckResult, ErrorCode, Strength, UserAttributes, Violation, text::py_lower};

/// The field name errors are reported on unless the caller names another.
pub const DEFAULT_PASSWORD_FIELD: &str = "password";
/// The confirmation's field name unless the caller names another.
pub const DEFAULT_CONFIRM_FIELD: &str = "password_confirm";

/// What to check: the password and what is known around it.
///
/// Deliberately not `Debug`: it holds a password.
#[derive(Clone, Copy)]
pub struct CheckInput<'a> {
    /// The new password.
    pub password: &'a str,
    /// The user's attributes, for the similarity rule and as strength inputs.
    pub user: Option<&'a UserAttributes>,
    /// The confirmation, when the form has one.
    pub confirm: Option<&'a str>,
    /// The field name password errors are reported on.
    pub password_field: &'a str,
    /// The field name a mismatch is reported on.
    pub confirm_field: &'a str,
    /// An estimate computed elsewhere (the browser's strength module). Without one, a build with
    /// the `strength` feature estimates only when the policy needs it (`min_score`) or
    /// [`CheckInput::want_strength`] asks.
    pub strength: Option<&'a Strength>,
    /// Report a strength estimate even when no rule needs one (a meter beside the form). zxcvbn
    /// costs far more than every other rule together, so it is not run unless needed or asked.
    pub want_strength: bool,
    /// The caller found the password in a breach corpus.
    pub breached: bool,
    /// The caller found the password equal to the account's current one.
    pub same_as_old: bool,
}

impl<'a> CheckInput<'a> {
    /// A bare password with default field names and nothing else known.
    pub fn new(password: &'a str) -> Self {
        Self {
            password,
            user: None,
            confirm: None,
            password_field: DEFAULT_PASSWORD_FIELD,
            confirm_field: DEFAULT_CONFIRM_FIELD,
            strength: None,
            want_strength: false,
            breached: false,
            same_as_old: false,
        }
    }

    /// Asking for a strength estimate in the result even when no rule needs one.
    pub fn with_strength(self) -> Self {
        Self {
            want_strength: true,
            ..self
        }
    }

    /// With the user's attributes.
    pub fn user(self, user: &'a UserAttributes) -> Self {
        Self {
            user: Some(user),
            ..self
        }
    }

    /// With a confirmation to compare.
    pub fn confirm(self, confirm: &'a str) -> Self {
        Self {
            confirm: Some(confirm),
            ..self
        }
    }
}

/// A configured password policy.
pub struct Policy {
    settings: PolicySettings,
    catalog: &'static Catalog,
    max_length: MaxLength,
    rules: Vec<Box<dyn Rule>>,
}

impl Policy {
    /// A policy from resolved settings, which must respect the limits of [`PolicySettings::validate`].
    pub fn new(settings: PolicySettings) -> Result<Self, PolicyConfigError> {
        settings.validate()?;
        let catalog = Catalog::by_name(&settings.messages).expect("validated above");
        let mut rules: Vec<Box<dyn Rule>> = Vec::new();
        // Django's validator order first, so errors come out in Django's order.
        if let Some(max_similarity) = settings.max_similarity {
            rules.push(Box::new(NotSimilarToUser { max_similarity }));
        }
        rules.push(Box::new(MinLength(settings.min_length)));
        if settings.common {
            rules.push(Box::new(NotCommon));
        }
        if settings.numeric {
            rules.push(Box::new(NotEntirelyNumeric));
        }
        let classes = [
            (settings.require_upper, CharacterClass::Upper),
            (settings.require_lower, CharacterClass::Lower),
            (settings.require_digit, CharacterClass::Digit),
            (settings.require_symbol, CharacterClass::Symbol),
        ];
        for (required, class) in classes {
            if required {
                rules.push(Box::new(RequireClass(class)));
            }
        }
        if let Some(min_score) = settings.min_score {
            rules.push(Box::new(MinScore(min_score)));
        }
        if settings.breached {
            rules.push(Box::new(NotBreached));
        }
        Ok(Self {
            max_length: MaxLength(settings.max_length),
            settings,
            catalog,
            rules,
        })
    }

    /// A preset's policy.
    pub fn preset(preset: Preset) -> Self {
        Self::new(preset.settings()).expect("presets respect the limits (tested)")
    }

    /// A policy from a JSON document (see [`PolicySettings::from_json`]).
    pub fn from_json(document: &str) -> Result<Self, PolicyConfigError> {
        Self::new(PolicySettings::from_json(document)?)
    }

    /// The resolved settings.
    pub fn settings(&self) -> &PolicySettings {
        &self.settings
    }

    /// The message catalog errors and help texts come from.
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    /// `true` when a rule needs a strength estimate (`min_score`). A build without the `strength`
    /// feature must then pass one in [`CheckInput::strength`], or the rule is not judged.
    pub fn needs_strength(&self) -> bool {
        self.settings.min_score.is_some()
    }

    /// The rules in words, for showing before the user types (Django's
    /// `password_validators_help_texts`), without repeats.
    pub fn help_texts(&self) -> Vec<String> {
        self.help_texts_in(self.catalog)
    }

    /// The rules in words from `catalog` (e.g. the policy's catalog in another language).
    pub fn help_texts_in(&self, catalog: &Catalog) -> Vec<String> {
        let mut texts: Vec<String> = Vec::new();
        let requirements = self
            .rules
            .iter()
            .map(|rule| rule.requirement())
            .chain([self.max_length.requirement()]);
        for Finding { code, params } in requirements {
            let text = catalog.help_text(code, &params);
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
        texts
    }

    /// Checks a password. An input over `max_length` is refused before any other work, with that
    /// one error and no strength estimate. zxcvbn runs only when the policy sets `min_score` or the
    /// input asks ([`CheckInput::with_strength`]), and never when the input brings an estimate; its
    /// feedback is in the language of the policy's catalog.
    pub fn check(&self, input: &CheckInput<'_>) -> CheckResult {
        if self.max_length.is_exceeded_by(input.password) {
            return CheckResult {
                valid: false,
                errors: vec![self.violation(self.max_length.requirement(), input.password_field)],
                strength: None,
            };
        }
        let no_user = UserAttributes::new();
        let user = input.user.unwrap_or(&no_user);
        let wanted = input.want_strength || self.needs_strength();
        let estimated = match input.strength {
            None if wanted => estimate(input.password, user, self.catalog),
            _ => None,
        };
        let candidate = Candidate {
            password: input.password,
            lowered: py_lower(input.password),
            user,
            strength: input.strength.or(estimated.as_ref()),
            breached: input.breached,
            same_as_old: input.same_as_old,
        };
        // `NotSameAsOld` is contextual, not a setting: it is checked but has no help text.
        let mut errors: Vec<Violation> = self
            .rules
            .iter()
            .filter_map(|rule| rule.check(&candidate))
            .chain(NotSameAsOld.check(&candidate))
            .map(|finding| self.violation(finding, input.password_field))
            .collect();
        if let Some(confirm) = input.confirm {
            errors.extend(check_confirm(
                input.password,
                confirm,
                input.confirm_field,
                self.catalog,
            ));
        }
        CheckResult {
            valid: errors.is_empty(),
            errors,
            strength: candidate.strength.cloned(),
        }
    }

    fn violation(&self, finding: Finding, field: &str) -> Violation {
        violation(self.catalog, finding, field)
    }
}

/// `password_mismatch` on `confirm_field` when the confirmation differs from the password.
pub fn check_confirm(
    password: &str,
    confirm: &str,
    confirm_field: &str,
    catalog: &Catalog,
) -> Option<Violation> {
    (password != confirm).then(|| {
        violation(
            catalog,
            Finding::bare(ErrorCode::PasswordMismatch),
            confirm_field,
        )
    })
}

fn violation(catalog: &Catalog, finding: Finding, field: &str) -> Violation {
    Violation {
        code: finding.code,
        field: field.to_owned(),
        message: catalog.message(finding.code, &finding.params),
        params: finding.params,
    }
}

/// zxcvbn's estimate, its feedback in the language of `catalog` (the one the messages come from).
#[cfg(feature = "strength")]
fn estimate(password: &str, user: &UserAttributes, catalog: &Catalog) -> Option<Strength> {
    let inputs = user.strength_inputs();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    Some(Strength::estimate_in(password, &inputs, catalog.language()))
}

#[cfg(not(feature = "strength"))]
fn estimate(_password: &str, _user: &UserAttributes, _catalog: &Catalog) -> Option<Strength> {
    None
}
