//! The reset page's dry run, `POST /reset/check`: the link and a password in
//! ([`ResetCheckRequest`]), the verdict a submit would give out ([`CheckResult`], the core's
//! `{"valid","errors","strength"}` written with its keys in order). Its failures are
//! [`PlainError`](super::plain::PlainError)s.

use pwreset_core::Violation;
use serde::{Deserialize, Serialize};

use super::request::{BodyError, Field, RequestBody};

/// `POST /reset/check` (OpenAPI `ResetCheckRequest`): the page's link and form, as JSON.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ResetCheckRequest {
    /// The link's token.
    pub token: Field<String>,
    /// Dialect C's account key, from the link.
    pub user: Field<String>,
    /// The new password.
    pub password: Field<String>,
    /// Its confirmation, when the form has one yet.
    pub confirm: Field<String>,
}

impl std::fmt::Debug for ResetCheckRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token and the passwords are secrets: never printed.
        f.debug_struct("ResetCheckRequest").finish_non_exhaustive()
    }
}

/// A checked [`ResetCheckRequest`].
pub struct ResetCheck {
    /// The link's token, as given (any string: a malformed one is an unknown link).
    pub token: String,
    /// Dialect C's account key; `None` when absent or empty, as the page reads its link.
    pub user: Option<String>,
    /// The new password, as given.
    pub password: String,
    /// Its confirmation, when given.
    pub confirm: Option<String>,
}

impl std::fmt::Debug for ResetCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetCheck")
            .field("dialect_c", &self.user.is_some())
            .field("confirm", &self.confirm.is_some())
            .finish_non_exhaustive()
    }
}

impl RequestBody for ResetCheckRequest {
    type Checked = ResetCheck;

    fn check(self) -> Result<ResetCheck, BodyError> {
        Ok(ResetCheck {
            token: self.token.required("token")?,
            user: self.user.optional("user")?.filter(|u| !u.is_empty()),
            password: self.password.required("password")?,
            confirm: self.confirm.optional("confirm")?,
        })
    }
}

/// The verdict on a password (OpenAPI `CheckResult`): the core's
/// [`CheckResult`](pwreset_core::CheckResult), field for field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckResult<'a> {
    /// Every broken rule, in the policy's order (the core's [`Violation`]s, whose fields are in
    /// order already).
    pub errors: &'a [Violation],
    /// zxcvbn's estimate; `null` when not computed.
    pub strength: Option<Strength<'a>>,
    /// `true` when `errors` is empty.
    pub valid: bool,
}

/// zxcvbn's estimate (OpenAPI `Strength`): the core's [`Strength`](pwreset_core::Strength).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Strength<'a> {
    /// log10 of the estimated number of guesses.
    pub guesses_log10: f64,
    /// 0 (too guessable) to 4 (very unguessable).
    pub score: u8,
    /// How to make it stronger.
    pub suggestions: &'a [String],
    /// What makes it weak, if anything.
    pub warning: Option<&'a str>,
}

impl<'a> CheckResult<'a> {
    /// What the answer shows of the core's `result`: all of it.
    pub fn of(result: &'a pwreset_core::CheckResult) -> Self {
        Self {
            errors: &result.errors,
            strength: result.strength.as_ref().map(|s| Strength {
                guesses_log10: s.guesses_log10,
                score: s.score,
                suggestions: &s.suggestions,
                warning: s.warning.as_deref(),
            }),
            valid: result.valid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pwreset_core::{CheckInput, Policy, Preset};

    #[test]
    fn the_answer_is_the_cores_result_with_its_keys_in_order() {
        let policy = Policy::preset(Preset::Django);
        for input in [
            CheckInput::new("pass").confirm("other"),
            CheckInput::new("amber-falcon-river-58").with_strength(),
        ] {
            let result = policy.check(&input);
            let ours = serde_json::to_string(&CheckResult::of(&result)).unwrap();
            let value: serde_json::Value = serde_json::from_str(&ours).unwrap();
            // The same value as the core's own, written canonically (a sorted map).
            assert_eq!(value, serde_json::to_value(&result).unwrap());
            assert_eq!(ours, value.to_string());
        }
    }

    #[test]
    fn debug_output_has_no_secret() {
        let body: ResetCheckRequest = serde_json::from_str(
            r#"{"token":"deadbeefcafe","password":"hunter2secret","confirm":"hunter2secret"}"#,
        )
        .unwrap();
        assert!(!format!("{body:?}").contains("deadbeef"));
        let checked = body.check().unwrap();
        let shown = format!("{checked:?}");
        assert!(
            !shown.contains("deadbeefcafe") && !shown.contains("hunter2secret"),
            "{shown}"
        );
    }
}
