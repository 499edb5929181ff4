//! Policies: `Policy::from_json` on arbitrary text, and the check of arbitrary UTF-8 passwords with
//! arbitrary user attributes under the parsed policy (or a preset when the document is refused).
//!
//! Invariants: nothing panics; a result is valid exactly when it has no errors; a password over
//! `max_length` gets that one error; every error names one of the two fields and has a message;
//! the confirmation is judged only when given; the same input gives the same result.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pwreset_core::{CheckInput, ErrorCode, Policy, Preset, UserAttributes};

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
    breached: bool,
    same_as_old: bool,
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
    let again = policy.check(&check);
    assert_eq!(
        again.valid, result.valid,
        "the same input judged twice differently"
    );
    assert_eq!(again.errors.len(), result.errors.len());
});
