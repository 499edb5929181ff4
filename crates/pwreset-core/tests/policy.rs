//! The policy's promises (`docs/policy.md`), one test each.

use pwreset_core::{
    CheckInput, ErrorCode, Policy, PolicySettings, Preset, Strength, UserAttributes, check_confirm,
    messages,
};

use ErrorCode::*;

fn codes(policy: &Policy, password: &str) -> Vec<ErrorCode> {
    policy.check(&CheckInput::new(password)).codes()
}

#[test]
fn too_long_is_checked_first_and_alone_without_strength() {
    let policy = Policy::preset(Preset::Seed002);
    let huge = "1".repeat(10_240);
    let result = policy.check(&CheckInput::new(&huge).confirm("different"));
    assert_eq!(result.codes(), [PasswordTooLong]);
    assert_eq!(result.errors[0].params["max_length"], 128);
    assert!(result.strength.is_none());
}

#[test]
fn length_counts_characters_not_bytes() {
    let policy = Policy::preset(Preset::Django);
    assert_eq!(codes(&policy, &"é".repeat(128)), Vec::<ErrorCode>::new());
    assert_eq!(codes(&policy, &"é".repeat(129)), [PasswordTooLong]);
    assert_eq!(codes(&policy, "ééééééé"), [PasswordTooShort]);
}

#[test]
fn django_preset_has_djangos_help_texts_first() {
    let texts = Policy::preset(Preset::Django).help_texts();
    assert_eq!(
        texts,
        [
            "Your password can’t be too similar to your other personal information.",
            "Your password must contain at least 8 characters.",
            "Your password can’t be a commonly used password.",
            "Your password can’t be entirely numeric.",
            "Your password can’t be longer than 128 characters.",
        ]
    );
}

#[test]
fn seed_002_preset_uses_the_seeds_messages_and_all_four_classes() {
    let policy = Policy::preset(Preset::Seed002);
    let result = policy.check(&CheckInput::new("xqz"));
    assert_eq!(
        result.codes(),
        [
            PasswordTooShort,
            PasswordNoUpper,
            PasswordNoDigit,
            PasswordNoSymbol
        ]
    );
    assert_eq!(
        result.errors[0].message,
        "Your password must contain at least 8 characters."
    );
    assert_eq!(
        result.errors[1].message,
        "Your password must contain at least one capital letter, small letter, number and special character."
    );
    assert_eq!(codes(&policy, "Abcdef1!xyz"), Vec::<ErrorCode>::new());
    assert_eq!(
        codes(&policy, "12345678"),
        [
            PasswordTooCommon,
            PasswordEntirelyNumeric,
            PasswordNoUpper,
            PasswordNoLower,
            PasswordNoSymbol
        ]
    );
    assert_eq!(
        policy.help_texts(),
        [
            "Your password can't be too similar to your other personal information.",
            "Your password must contain at least 8 characters.",
            "Your password can't be a commonly used password.",
            "Your password can't be entirely numeric.",
            "Your password must contain at least one capital letter, small letter, number and special character.",
            "Your password can't be longer than 128 characters.",
        ]
    );
}

#[test]
fn nist_preset_has_no_composition_or_numeric_rule_but_keeps_the_blocklist() {
    let policy = Policy::preset(Preset::Nist);
    assert_eq!(codes(&policy, "4815162342108"), Vec::<ErrorCode>::new());
    assert_eq!(codes(&policy, "password"), [PasswordTooCommon]);
    assert_eq!(codes(&policy, "abc"), [PasswordTooShort, PasswordTooCommon]);
    let single_factor = Policy::from_json(r#"{"preset":"nist","min_length":15}"#).unwrap();
    assert_eq!(codes(&single_factor, "4815162342108"), [PasswordTooShort]);
}

#[test]
fn similarity_names_the_attribute_and_counts_email_parts() {
    let policy = Policy::preset(Preset::Django);
    let user = UserAttributes::new()
        .with("email", "jane.doe@example.com")
        .with("firstName", "Zed");
    let result = policy.check(&CheckInput::new("JaneDoe").user(&user));
    assert_eq!(result.codes(), [PasswordTooSimilar, PasswordTooShort]);
    assert_eq!(result.errors[0].params["attribute"], "email");
    assert_eq!(
        result.errors[0].message,
        "The password is too similar to the email address."
    );
    // The whole e-mail value counts too.
    let result = policy.check(&CheckInput::new("jane.doe@example.com!").user(&user));
    assert_eq!(result.codes(), [PasswordTooSimilar]);
    // Any string attribute counts, reported by its own name.
    let user = UserAttributes::new().with("phone", "+15550100999");
    let result = policy.check(&CheckInput::new("15550100999x").user(&user));
    assert_eq!(
        result.errors[0].message,
        "The password is too similar to the phone."
    );
}

#[test]
fn character_classes_are_off_by_default_and_each_has_its_code() {
    let policy = Policy::from_json(
        r#"{"require_upper":true,"require_lower":true,"require_digit":true,"require_symbol":true}"#,
    )
    .unwrap();
    assert_eq!(
        codes(&policy, "ÄÖÜÉÈÊÇÑ"),
        [PasswordNoLower, PasswordNoDigit, PasswordNoSymbol]
    );
    assert_eq!(codes(&policy, "äöü٣ÉÈ€x"), Vec::<ErrorCode>::new());
    assert_eq!(
        codes(&Policy::preset(Preset::Django), "ÄÖÜÉÈÊÇÑ"),
        Vec::<ErrorCode>::new()
    );
}

#[test]
fn min_score_uses_a_supplied_estimate() {
    let policy = Policy::from_json(r#"{"min_score":3}"#).unwrap();
    assert!(policy.needs_strength());
    let weak = Strength {
        score: 2,
        guesses_log10: 7.0,
        warning: None,
        suggestions: vec![],
    };
    let mut input = CheckInput::new("Xq7!mz0-pw");
    input.strength = Some(&weak);
    let result = policy.check(&input);
    assert_eq!(result.codes(), [PasswordTooWeak]);
    assert_eq!(result.errors[0].params["score"], 2);
    assert_eq!(result.errors[0].params["min_score"], 3);
    assert_eq!(result.strength.as_ref(), Some(&weak));
}

#[cfg(feature = "strength")]
#[test]
fn min_score_is_judged_natively_with_user_inputs() {
    let policy =
        Policy::from_json(r#"{"min_score":3,"max_similarity":null,"common":false}"#).unwrap();
    assert_eq!(codes(&policy, "kD9#mQ2$vL7pX!"), Vec::<ErrorCode>::new());
    assert_eq!(codes(&policy, "Password1!"), [PasswordTooWeak]);
    let user = UserAttributes::new().with("email", "xkcdfan@example.com");
    let with_user = policy.check(&CheckInput::new("xkcdfan19!").user(&user));
    let without = policy.check(&CheckInput::new("xkcdfan19!"));
    assert!(with_user.strength.unwrap().guesses_log10 < without.strength.unwrap().guesses_log10);
}

#[cfg(feature = "strength")]
#[test]
fn strength_is_estimated_only_when_the_policy_needs_it_or_the_caller_asks() {
    let django = Policy::preset(Preset::Django);
    let plain = django.check(&CheckInput::new(
        "The quick brown fox jumps over 13 lazy!!x",
    ));
    assert!(plain.valid);
    assert_eq!(plain.strength, None);
    let asked =
        django.check(&CheckInput::new("The quick brown fox jumps over 13 lazy!!x").with_strength());
    assert_eq!(asked.strength.map(|s| s.score), Some(4));
    let needing = Policy::from_json(r#"{"min_score":2}"#).unwrap();
    assert!(
        needing
            .check(&CheckInput::new("Xq7!mz0-pw"))
            .strength
            .is_some()
    );
    // A supplied estimate is used as is, asked for or not.
    let supplied = Strength {
        score: 1,
        guesses_log10: 3.0,
        warning: None,
        suggestions: vec![],
    };
    let mut input = CheckInput::new("Xq7!mz0-pw").with_strength();
    input.strength = Some(&supplied);
    assert_eq!(django.check(&input).strength.as_ref(), Some(&supplied));
}

#[cfg(feature = "strength")]
#[test]
fn strength_feedback_is_in_the_language_of_the_policys_catalog() {
    let feedback = |messages: &str| {
        let policy = Policy::from_json(&format!(r#"{{"messages":"{messages}"}}"#)).unwrap();
        let result = policy.check(&CheckInput::new("password").with_strength());
        let strength = result.strength.unwrap();
        (result.errors[0].message.clone(), strength.warning.unwrap())
    };
    assert_eq!(
        feedback("django"),
        (
            "This password is too common.".to_owned(),
            "This is a top-10 common password.".to_owned()
        )
    );
    assert_eq!(
        feedback("de"),
        (
            "Dieses Passwort ist zu gebräuchlich.".to_owned(),
            "Dies ist eines der 10 häufigsten Passwörter.".to_owned()
        )
    );
    assert_eq!(
        feedback("es"),
        (
            "Esta contraseña es demasiado común.".to_owned(),
            "Esta es una de las 10 contraseñas más comunes.".to_owned()
        )
    );
    // seed-002 is English, so is its feedback.
    assert_eq!(feedback("seed-002").1, "This is a top-10 common password.");
    // A verdict localized into another catalog (as the server does for `Accept-Language`) takes
    // the strength feedback along.
    let django = Policy::preset(Preset::Django);
    let input = CheckInput::new("password").with_strength();
    let spanish = messages::Catalog::by_name("django")
        .unwrap()
        .in_language("es-MX");
    let localized = django.check(&input).localized(spanish);
    assert_eq!(
        localized.errors[0].message,
        "Esta contraseña es demasiado común."
    );
    let strength = localized.strength.unwrap();
    assert_eq!(
        strength.warning.as_deref(),
        Some("Esta es una de las 10 contraseñas más comunes.")
    );
    assert_eq!(
        strength.suggestions,
        ["Añade una o dos palabras más. Las palabras poco comunes son mejores."]
    );
}

#[test]
fn breached_and_same_as_old_come_from_the_caller() {
    let policy = Policy::from_json(r#"{"breached":true}"#).unwrap();
    let mut input = CheckInput::new("Xq7!mz0-pw");
    input.breached = true;
    input.same_as_old = true;
    assert_eq!(
        policy.check(&input).codes(),
        [PasswordBreached, PasswordSameAsOld]
    );
    // Without the setting, a breach finding is not a policy error.
    assert_eq!(
        Policy::preset(Preset::Django).check(&input).codes(),
        [PasswordSameAsOld]
    );
}

#[test]
fn confirmation_is_exact_and_reported_on_its_field() {
    let policy = Policy::preset(Preset::Django);
    let mut input = CheckInput::new("Xq7!mz0-pw").confirm("Xq7!mz0-pw ");
    input.confirm_field = "passwordConfirm";
    let result = policy.check(&input);
    assert_eq!(result.codes(), [PasswordMismatch]);
    assert_eq!(result.errors[0].field, "passwordConfirm");
    assert_eq!(
        result.errors[0].message,
        "The two password fields didn’t match."
    );
    assert!(check_confirm("a", "a", "c", &messages::DJANGO).is_none());
}

#[test]
fn every_preset_round_trips_through_json() {
    for preset in Preset::ALL {
        let document = serde_json::Value::Object(preset.settings().to_json_object()).to_string();
        assert_eq!(
            PolicySettings::from_json(&document).unwrap(),
            preset.settings()
        );
        assert_eq!(
            Policy::from_json(&format!(r#"{{"preset":"{}"}}"#, preset.name()))
                .unwrap()
                .settings(),
            &preset.settings()
        );
    }
}
