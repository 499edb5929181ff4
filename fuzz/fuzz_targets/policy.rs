//! Policies: `Policy::from_json` on arbitrary text, and the check of arbitrary UTF-8 passwords with
//! arbitrary user attributes under the parsed policy (or a preset when the document is refused).
//!
//! Invariants: nothing panics; a result is valid exactly when it has no errors; a password over
//! `max_length` gets that one error; every error names one of the two fields and has a message;
//! the confirmation is judged only when given; the same input gives the same result.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pwreset_core::{CheckInput, ErrorCode, Policy, Preset, Strength, UserAttributes};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// The policy document.
    document: &'a str,
    /// The preset used when the document is refused.
    fallback: u8,
    password: &'a str,
    confirm: Option<&'a str>,
    user: Vec<(Attribute<'a>, &'a str)>,
    password_field: &'a str,
    want_strength: bool,
    /// An estimate made elsewhere (the browser's strength module), or none: then zxcvbn runs when
    /// the policy needs it or `want_strength` asks, for passwords of up to [`ZXCVBN_MAX_CHARS`].
    strength: Option<GivenStrength<'a>>,
    breached: bool,
    same_as_old: bool,
}

/// A strength estimate as a caller may pass it, any score included.
#[derive(Arbitrary, Debug)]
struct GivenStrength<'a> {
    score: u8,
    guesses_log10: f64,
    warning: Option<&'a str>,
    suggestions: Vec<&'a str>,
}

/// An attribute name: Django's four (and the camelCase spellings read as them) or any other.
#[derive(Arbitrary, Debug)]
enum Attribute<'a> {
    Username,
    Email,
    FirstName,
    LastName,
    FirstNameCamel,
    Other(&'a str),
}

impl<'a> Attribute<'a> {
    fn name(&self) -> &'a str {
        match self {
            Attribute::Username => "username",
            Attribute::Email => "email",
            Attribute::FirstName => "first_name",
            Attribute::LastName => "last_name",
            Attribute::FirstNameCamel => "firstName",
            Attribute::Other(name) => name,
        }
    }
}

/// zxcvbn under coverage instrumentation is most of this target's time, and grows with the square
/// of the length (up to its own cap of 100 characters): longer passwords get a fixed estimate, so
/// the target spends its time on the policy's own code.
const ZXCVBN_MAX_CHARS: usize = 12;

fuzz_target!(|input: Input<'_>| {
    let policy = match Policy::from_json(input.document) {
        Ok(policy) => {
            let settings = policy.settings();
            assert!((64..=4096).contains(&settings.max_length));
            assert!((1..=settings.max_length).contains(&settings.min_length));
            // What the document says is what a round trip through its JSON form gives back.
            let again = serde_json::Value::Object(settings.to_json_object()).to_string();
            let reparsed = Policy::from_json(&again).expect("a policy's own JSON form parses");
            assert_eq!(reparsed.settings(), settings, "JSON round trip");
            policy
        }
        Err(error) => {
            assert!(!error.to_string().is_empty());
            let preset = Preset::ALL[usize::from(input.fallback) % Preset::ALL.len()];
            Policy::preset(preset)
        }
    };
    assert!(
        !policy.help_texts().is_empty(),
        "a policy with no rules shown"
    );

    let mut user = UserAttributes::new();
    for (attribute, value) in input.user.iter().take(8) {
        user.insert(attribute.name(), value);
    }
    let mut check = CheckInput::new(input.password).user(&user);
    if let Some(confirm) = input.confirm {
        check = check.confirm(confirm);
    }
    if !input.password_field.is_empty() {
        check.password_field = input.password_field;
    }
    check.want_strength = input.want_strength;
    let given = match &input.strength {
        Some(given) => Some(Strength {
            score: given.score,
            guesses_log10: given.guesses_log10,
            warning: given.warning.map(str::to_owned),
            suggestions: given.suggestions.iter().map(|s| (*s).to_owned()).collect(),
        }),
        None if input.password.chars().count() > ZXCVBN_MAX_CHARS => Some(Strength {
            score: 2,
            guesses_log10: 8.0,
            warning: None,
            suggestions: Vec::new(),
        }),
        None => None,
    };
    check.strength = given.as_ref();
    check.breached = input.breached;
    check.same_as_old = input.same_as_old;

    let result = policy.check(&check);
    assert_eq!(
        result.valid,
        result.errors.is_empty(),
        "valid iff no errors"
    );
    let fields = [check.password_field, check.confirm_field];
    for error in &result.errors {
        assert!(
            fields.contains(&error.field.as_str()),
            "error on {:?}",
            error.field
        );
        assert!(
            !error.message.is_empty(),
            "{:?} without a message",
            error.code
        );
    }
    let too_long = input.password.chars().count() > policy.settings().max_length;
    if too_long {
        let codes: Vec<ErrorCode> = result.errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, [ErrorCode::PasswordTooLong], "an over-long password");
        assert!(
            result.strength.is_none(),
            "strength estimated past max_length"
        );
    }
    let mismatch = result
        .errors
        .iter()
        .any(|e| e.code == ErrorCode::PasswordMismatch);
    let differs = input.confirm.is_some_and(|c| c != input.password);
    assert_eq!(mismatch, differs && !too_long, "mismatch reported wrongly");
    if input.breached && !too_long {
        assert!(
            !policy.settings().breached
                || result
                    .errors
                    .iter()
                    .any(|e| e.code == ErrorCode::PasswordBreached),
            "a breached password passed a policy that refuses them"
        );
    }
    if input.same_as_old && !too_long {
        assert!(
            result
                .errors
                .iter()
                .any(|e| e.code == ErrorCode::PasswordSameAsOld),
            "the old password passed"
        );
    }
    if check.want_strength && !too_long {
        assert!(result.strength.is_some(), "strength asked for, not given");
    }
    if let (Some(given), false) = (&given, too_long) {
        let reported = result
            .strength
            .as_ref()
            .expect("the given estimate is reported");
        assert_eq!(
            reported.score, given.score,
            "the given estimate is reported"
        );
        if let Some(min_score) = policy.settings().min_score {
            let refused = result
                .errors
                .iter()
                .any(|e| e.code == ErrorCode::PasswordTooWeak);
            assert_eq!(refused, given.score < min_score, "min_score judged wrongly");
        }
    }
    // Judged again with the first estimate passed in, so zxcvbn (the slow part) runs once.
    let estimate = result.strength.clone();
    if check.strength.is_none() {
        check.strength = estimate.as_ref();
    }
    let again = policy.check(&check);
    assert_eq!(
        again.valid, result.valid,
        "the same input judged twice differently"
    );
    assert_eq!(again.errors.len(), result.errors.len());
});
