//! The policy module's exports.

use pwreset_core::messages::Catalog;
use pwreset_core::{
    CheckInput, DEFAULT_CONFIRM_FIELD, DEFAULT_PASSWORD_FIELD, Policy, PolicySettings, Preset,
    Strength, UserAttributes,
};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::failure;

/// What `validate` reads, as JSON. Unknown members are refused so a typo can't go unnoticed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Request {
    preset: Option<String>,
    policy: Option<Value>,
    user: Option<UserAttributes>,
    confirm: Option<String>,
    confirm_field: Option<String>,
    password_field: Option<String>,
    strength: Option<Strength>,
}

fn policy_of(preset: Option<&str>, policy: Option<Value>) -> Result<Policy, JsValue> {
    match (preset, policy) {
        (Some(_), Some(_)) => Err(failure(
            "invalid_argument",
            "give either preset or policy, not both",
        )),
        (None, Some(document)) => PolicySettings::from_value(document)
            .and_then(Policy::new)
            .map_err(|e| failure("invalid_policy", e)),
        (preset, None) => preset
            .unwrap_or("django")
            .parse::<Preset>()
            .map(Policy::preset)
            .map_err(|e| failure("unknown_preset", e)),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<T, JsValue> {
    serde_json::from_str(json).map_err(|e| failure("invalid_argument", format!("{what}: {e}")))
}

/// Checks `password`; `request_json` is `{preset?, policy?, user?, confirm?, confirmField?,
/// passwordField?, strength?}`. Returns the result as JSON. Throws when the policy needs a strength
/// estimate and none was given.
#[wasm_bindgen]
pub fn validate(password: &str, request_json: &str) -> Result<String, JsValue> {
    let request: Request = parse(request_json, "options")?;
    let policy = policy_of(request.preset.as_deref(), request.policy)?;
    if policy.needs_strength() && request.strength.is_none() {
        return Err(failure(
            "strength_not_loaded",
            "this policy sets min_score: load the strength module first (await loadStrength())",
        ));
    }
    let user = request.user.unwrap_or_default();
    let mut input = CheckInput::new(password).user(&user);
    input.password_field = request
        .password_field
        .as_deref()
        .unwrap_or(DEFAULT_PASSWORD_FIELD);
    input.confirm_field = request
        .confirm_field
        .as_deref()
        .unwrap_or(DEFAULT_CONFIRM_FIELD);
    input.confirm = request.confirm.as_deref();
    input.strength = request.strength.as_ref();
    let result = policy.check(&input);
    Ok(serde_json::to_string(&result).expect("results serialize"))
}

/// `password_mismatch` as JSON, or `undefined` when the two match. `messages` names the catalog.
#[wasm_bindgen(js_name = checkConfirm)]
pub fn check_confirm(
    password: &str,
    confirm: &str,
    confirm_field: Option<String>,
    messages: Option<String>,
) -> Result<Option<String>, JsValue> {
    let name = messages.as_deref().unwrap_or("django");
    let catalog = Catalog::by_name(name).ok_or_else(|| {
        failure(
            "invalid_argument",
            format!("unknown message catalog `{name}`"),
        )
    })?;
    let field = confirm_field.as_deref().unwrap_or(DEFAULT_CONFIRM_FIELD);
    Ok(
        pwreset_core::check_confirm(password, confirm, field, catalog)
            .map(|violation| serde_json::to_string(&violation).expect("violations serialize")),
    )
}

/// The policy's rules in words, as a JSON array of strings. `preset_or_policy_json` is a JSON
/// string (a preset name) or a policy document.
#[wasm_bindgen(js_name = helpTexts)]
pub fn help_texts(preset_or_policy_json: &str) -> Result<String, JsValue> {
    let policy = match parse::<Value>(preset_or_policy_json, "preset or policy")? {
        Value::String(name) => policy_of(Some(&name), None)?,
        document => policy_of(None, Some(document))?,
    };
    Ok(serde_json::to_string(&policy.help_texts()).expect("strings serialize"))
}

/// The words a strength estimator should treat as personal: each user attribute and its parts.
#[wasm_bindgen(js_name = strengthInputs)]
pub fn strength_inputs(user_json: &str) -> Result<String, JsValue> {
    let user: UserAttributes = parse(user_json, "user")?;
    Ok(serde_json::to_string(&user.strength_inputs()).expect("strings serialize"))
}
