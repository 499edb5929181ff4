//! The structs against the route table and the OpenAPI document, so that none of the three drifts
//! from the others. For every row of [`ROUTES`] and each method it answers, [`operations`] says
//! which request struct it reads and which answer structs it writes with each status (an
//! exhaustive `match` on the route: a new route does not compile here until it is described), and:
//!
//! - the answered statuses are exactly those the document gives a JSON answer for;
//! - each answer struct fills the documented schema of its status exactly: an example with every
//!   optional field set has every documented property, one with none has only the required ones,
//!   and both have only documented properties, of their documented types and constants;
//! - the request struct has exactly the documented body's properties (as serde names them); the
//!   documented body with its examples is accepted, also with a field no one named (refused as
//!   `unknown_field` instead when the body is closed, as the document then says); each required
//!   field, absent or `null`, is refused as missing, and each optional one may be absent or
//!   `null`; each field of the wrong type is refused as invalid, naming that field.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::auth_v1::{AuthForgotEmail, AuthForgotMobile, AuthResetLink, AuthResetMobile};
use super::plain::{AdminNewUser, Created, OutboxMessage, PlainError};
use super::reg::{RegCodeRequest, RegResetPassword, SignedPayloadIssued, UserInfo};
use super::request::{BodyError, RequestBody, field_names, parse_body};
use super::reset_check::{CheckResult, ResetCheckRequest};
use super::status::{FailItem, FailResponse, Success, TokenIssued};
use super::tokens::{Introspection, IntrospectionRequest, OAuthError};
use super::user::{
    UserChangePassword, UserErrorItem, UserErrorResponse, UserErrorType, UserForgotPassword,
    UserForgotPasswordSubmit, UserMessage, UserTokenMessage,
};
use crate::api::dialects::auth_v1::Route as AuthRoute;
use crate::api::dialects::user::Route as UserRoute;
use crate::api::openapi::{self, Fill};
use crate::api::router::{Mount, ROUTES, Route};
use crate::model::account::Account;
use crate::model::http::Method;
use crate::model::message::{Channel, DeadLetter, OutgoingMessage};

/// Dialect C's base path with the default `USER_API_PREFIX` and `USER_API_VERSION`, as the
/// document writes it (`tests/routes.rs` checks the full paths).
const USER_API_BASE: &str = "/api/v1/user/";

/// An answer struct, by two examples of it.
struct Answer {
    name: &'static str,
    /// With every optional field set.
    every: Value,
    /// With no optional field set.
    required: Value,
    /// Whether the examples must fill the schema exactly (not so for the document itself).
    exact: bool,
}

fn answer<T: Serialize>(name: &'static str, every: T, required: T) -> Answer {
    Answer {
        name,
        every: serde_json::to_value(every).unwrap(),
        required: serde_json::to_value(required).unwrap(),
        exact: true,
    }
}

type RequestCheck = fn(&Value, &Value) -> Result<(), String>;

/// What one method of a route reads and answers.
struct Operation {
    method: Method,
    request: Option<(&'static str, RequestCheck)>,
    answers: Vec<(u16, Vec<Answer>)>,
}

fn account(phone: Option<&str>) -> Account {
    Account {
        id: "fa3be52a-d962-4e34-acb7-7eca561ed624".to_owned(),
        username: "jane".to_owned(),
        email: "jane@example.com".to_owned(),
        email_id: "0b7e4c1a-9f3d-4a55-8d2e-5c6b7a8d9e0f".to_owned(),
        email_confirmed: true,
        phone: phone.map(str::to_owned),
        first_name: None,
        last_name: None,
        user_type: "CUSTOMER".to_owned(),
        scopes: vec!["read".to_owned()],
        approved: false,
        password_hash: String::new(),
        password_changed_at: 0,
    }
}

fn success() -> Answer {
    answer("Success", Success::default(), Success::default())
}

fn token_issued() -> Answer {
    let token = || TokenIssued::new("eyJh.eyJz.c2ln".to_owned());
    answer("TokenIssued", token(), token())
}

fn signed_payload_issued() -> Answer {
    let issued = || SignedPayloadIssued::new("AQEOazIwMjYxMTI1".to_owned());
    answer("SignedPayloadIssued", issued(), issued())
}

fn user_info() -> Answer {
    let (with, without) = (account(Some("+15551234567")), account(None));
    answer("UserInfo", UserInfo::of(&with), UserInfo::of(&without))
}

fn fail() -> Answer {
    let fail = || {
        FailResponse::new(
            "The field \"username\" is required.",
            vec![FailItem::new(
                "username",
                "field_required",
                "The field \"username\" is required.",
            )],
        )
    };
    answer("FailResponse", fail(), fail())
}

fn user_message() -> Answer {
    let message = || UserMessage::new("If an account matches, a link has been sent.");
    answer("UserMessage", message(), message())
}

fn user_token_message() -> Answer {
    let message = || UserTokenMessage::new("Your password has been reset.", "a.b.c".to_owned());
    answer("UserTokenMessage", message(), message())
}

/// Every kind of dialect C failure (the `match` fails to compile when a kind is added).
fn user_error_types() -> Vec<UserErrorType> {
    use UserErrorType::*;
    let all = vec![
        Validation,
        Authentication,
        UnsupportedMediaType,
        Throttled,
        ServiceUnavailable,
    ];
    for kind in &all {
        match kind {
            Validation | Authentication | UnsupportedMediaType | Throttled | ServiceUnavailable => {
            }
        }
    }
    all
}

fn user_errors(status: u16) -> Vec<Answer> {
    user_error_types()
        .into_iter()
        .map(|kind| {
            let error = || {
                UserErrorResponse::new(
                    status,
                    kind,
                    vec![UserErrorItem::new("email", "This field is required.")],
                )
            };
            answer("UserErrorResponse", error(), error())
        })
        .collect()
}

fn plain_error() -> Answer {
    answer(
        "PlainError",
        PlainError::new("field_required", "The field is required.", Some("to")),
        PlainError::new("unauthorized", "A token is required.", None),
    )
}

fn created() -> Answer {
    let created = || Created {
        id: "fa3be52a-d962-4e34-acb7-7eca561ed624",
    };
    answer("Created", created(), created())
}

fn outbox() -> Answer {
    let message = |link: Option<&str>, code: Option<&str>| OutgoingMessage {
        id: "msg-1".to_owned(),
        channel: Channel::Email,
        to: "jane@example.com".to_owned(),
        subject: "Reset your password".to_owned(),
        text: "…".to_owned(),
        html: "<!DOCTYPE html>…".to_owned(),
        link: link.map(str::to_owned),
        code: code.map(str::to_owned),
        created_at: 1_767_225_600,
        attempt: 2,
        about: None,
        content: None,
    };
    let every = message(Some("http://127.0.0.1:8787/reset?token=ab"), Some("123456"));
    // An SMS: no HTML either.
    let required = OutgoingMessage {
        channel: Channel::Sms,
        to: "+447700900456".to_owned(),
        subject: String::new(),
        html: String::new(),
        ..message(None, None)
    };
    answer(
        "[OutboxMessage]",
        [OutboxMessage::of(&every)],
        [OutboxMessage::of(&required)],
    )
}

fn dead_letters() -> Answer {
    let letter = || DeadLetter {
        message_id: "msg-1".to_owned(),
        channel: Channel::Sms,
        to: "+44********56".to_owned(),
        reason: "the provider refused it".to_owned(),
        attempts: 5,
        failed_at: 1_767_225_600,
    };
    answer("[DeadLetter]", [letter()], [letter()])
}

fn jwk_set() -> Answer {
    let key = |seed: u8| -> Vec<u8> {
        (0u8..32)
            .map(|i| i.wrapping_mul(151).wrapping_add(seed).wrapping_add(0x80))
            .collect()
    };
    let (newer, older) = (key(1), key(2));
    let keyring =
        pwreset_core::secrets::Keyring::from_keys([("k2", &newer[..]), ("k1", &older[..])])
            .unwrap();
    let set = || serde_json::to_value(keyring.jwk_set()).unwrap();
    answer("JwkSet", set(), set())
}

fn introspection_inactive() -> Answer {
    answer(
        "IntrospectionInactive",
        Introspection::inactive(),
        Introspection::inactive(),
    )
}

fn introspection_active() -> Answer {
    let active = || Introspection {
        active: true,
        aud: Some("pwreset".to_owned()),
        exp: Some(1_767_229_200),
        iat: Some(1_767_225_600),
        iss: Some("https://reset.example.test".to_owned()),
        jti: Some("c2VjcmV0LXJhbmRvbS1pZA".to_owned()),
        sub: Some("fa3be52a-d962-4e34-acb7-7eca561ed624".to_owned()),
    };
    answer("IntrospectionActive", active(), active())
}

fn oauth_error() -> Answer {
    let error = || OAuthError::new("invalid_request", "The token parameter is required.");
    answer("OAuthError", error(), error())
}

fn check_result() -> Answer {
    let refused = pwreset_core::CheckResult {
        valid: false,
        errors: vec![pwreset_core::Violation {
            code: pwreset_core::ErrorCode::PasswordTooSimilar,
            field: "password".to_owned(),
            message: "The password is too similar to the email address.".to_owned(),
            params: json!({ "attribute": "email", "max_similarity": 0.7 })
                .as_object()
                .unwrap()
                .clone(),
        }],
        strength: Some(pwreset_core::Strength {
            score: 1,
            guesses_log10: 4.2,
            warning: Some("This is similar to a commonly used password.".to_owned()),
            suggestions: vec!["Add another word or two.".to_owned()],
        }),
    };
    let valid = pwreset_core::CheckResult {
        valid: true,
        errors: Vec::new(),
        strength: None,
    };
    answer(
        "CheckResult",
        CheckResult::of(&refused),
        CheckResult::of(&valid),
    )
}

fn the_document() -> Answer {
    let document = openapi::document().unwrap();
    Answer {
        name: "the document",
        every: document.clone(),
        required: document,
        exact: false,
    }
}

fn with(statuses: &[u16], each: fn() -> Answer) -> Vec<(u16, Vec<Answer>)> {
    statuses.iter().map(|&s| (s, vec![each()])).collect()
}

fn post(request: (&'static str, RequestCheck), answers: Vec<(u16, Vec<Answer>)>) -> Operation {
    Operation {
        method: Method::Post,
        request: Some(request),
        answers,
    }
}

fn get(answers: Vec<(u16, Vec<Answer>)>) -> Operation {
    Operation {
        method: Method::Get,
        request: None,
        answers,
    }
}

macro_rules! body {
    ($t:ty) => {
        (stringify!($t), check_request::<$t> as RequestCheck)
    };
}

/// Dialect B's answers to a `POST`: `ok` with `200`, a failure with any other status.
fn auth_post(request: (&'static str, RequestCheck), ok: fn() -> Answer) -> Vec<Operation> {
    let mut answers = vec![(200, vec![ok()])];
    answers.extend(with(&[400, 401, 403, 413, 415, 429, 503], fail));
    vec![
        post(request, answers),
        Operation {
            method: Method::Options,
            request: None,
            answers: with(&[403], fail),
        },
    ]
}

/// Dialect C's answers to a `POST`.
fn user_post(request: (&'static str, RequestCheck), ok: fn() -> Answer) -> Vec<Operation> {
    let mut answers = vec![(200, vec![ok()])];
    answers.extend([400, 401, 413, 415, 429, 503].map(|s| (s, user_errors(s))));
    vec![post(request, answers)]
}

/// What each method of `route` reads and answers with each status.
fn operations(route: Route) -> Vec<Operation> {
    let fails = |statuses: &[u16]| with(statuses, fail);
    let concat = |mut first: Vec<(u16, Vec<Answer>)>, rest: Vec<(u16, Vec<Answer>)>| {
        first.extend(rest);
        first
    };
    match route {
        // 403: with TURNSTILE_REQUEST_ROUTES=on, a token that does not pass.
        Route::RegResetRequest => vec![post(
            body!(RegCodeRequest),
            concat(
                vec![(200, vec![success(), signed_payload_issued()])],
                fails(&[400, 403, 413, 415, 429, 503]),
            ),
        )],
        Route::RegReset => vec![post(
            body!(RegResetPassword),
            concat(
                with(&[200], token_issued),
                fails(&[400, 401, 413, 415, 429, 503]),
            ),
        )],
        Route::RegInfo => vec![get(concat(
            with(&[200], user_info),
            fails(&[401, 429, 503]),
        ))],
        Route::Auth(AuthRoute::ForgotEmail) => auth_post(body!(AuthForgotEmail), success),
        Route::Auth(AuthRoute::ForgotMobile) => auth_post(body!(AuthForgotMobile), success),
        Route::Auth(AuthRoute::ResetEmail) => auth_post(body!(AuthResetLink), token_issued),
        Route::Auth(AuthRoute::ResetMobile) => auth_post(body!(AuthResetMobile), token_issued),
        Route::User(UserRoute::ForgotPassword) => {
            let mut operations = user_post(body!(UserForgotPassword), user_message);
            // With TURNSTILE_REQUEST_ROUTES=on, a token that does not pass.
            operations[0].answers.push((403, user_errors(403)));
            operations[0].answers.sort_by_key(|(status, _)| *status);
            operations
        }
        Route::User(UserRoute::ForgotPasswordSubmit) => {
            user_post(body!(UserForgotPasswordSubmit), user_token_message)
        }
        Route::User(UserRoute::ChangePassword) => {
            user_post(body!(UserChangePassword), user_token_message)
        }
        Route::AdminUsers => vec![post(
            body!(AdminNewUser),
            concat(
                with(&[201], created),
                with(&[400, 401, 409, 413, 415, 429, 503], plain_error),
            ),
        )],
        Route::AdminDeadLetters => vec![get(concat(
            with(&[200], dead_letters),
            with(&[401, 429, 503], plain_error),
        ))],
        Route::DevOutbox => vec![get(concat(
            with(&[200], outbox),
            with(&[400, 404, 429, 503], plain_error),
        ))],
        // The e-mail preview answers HTML or text; only its refusals are JSON.
        Route::DevMessages => vec![get(with(&[400, 404], plain_error))],
        Route::ResetCheck => vec![post(
            body!(ResetCheckRequest),
            concat(
                with(&[200], check_result),
                with(&[400, 413, 415, 429, 503], plain_error),
            ),
        )],
        Route::OpenApi => vec![get(with(&[200], the_document))],
        Route::Jwks => vec![get(with(&[200], jwk_set))],
        Route::Introspect => vec![post(
            body!(IntrospectionRequest),
            concat(
                vec![(200, vec![introspection_inactive(), introspection_active()])],
                with(&[400, 401, 413, 415, 429, 503], oauth_error),
            ),
        )],
        // The reset and forgot pages read a form and answer HTML.
        Route::ResetPage | Route::ForgotPage => vec![
            get(Vec::new()),
            Operation {
                method: Method::Post,
                request: None,
                answers: Vec::new(),
            },
        ],
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Post => "post",
        Method::Options => "options",
        Method::Other => "other",
    }
}

/// Checks one answer struct's examples against `schema`.
fn check_answer(document: &Value, schema: &Value, answer: &Answer) -> Result<(), String> {
    if !answer.exact {
        return openapi::check(document, schema, &answer.every, Fill::Valid);
    }
    openapi::check(document, schema, &answer.every, Fill::Every)
        .map_err(|e| format!("with every optional field: {e}"))?;
    openapi::check(document, schema, &answer.required, Fill::Required)
        .map_err(|e| format!("with no optional field: {e}"))
}

#[test]
fn every_route_answers_with_its_documented_structs() {
    let document = openapi::document().unwrap();
    for spec in ROUTES {
        let path = match spec.mount {
            Mount::Root => spec.path.to_owned(),
            Mount::UserApi => format!("{USER_API_BASE}{}", spec.path),
        };
        let operations = operations(spec.route);
        let mut methods: Vec<Method> = spec.methods.to_vec();
        if spec.preflight {
            methods.push(Method::Options);
        }
        let described: Vec<Method> = operations.iter().map(|op| op.method).collect();
        assert_eq!(described, methods, "{path}: the methods described");
        for op in &operations {
            let method = method_name(op.method);
            let mut documented = openapi::json_statuses(&document, &path, method);
            documented.sort_unstable();
            let answered: Vec<u16> = op.answers.iter().map(|(status, _)| *status).collect();
            assert_eq!(answered, documented, "{method} {path}: the JSON answers");
            for (status, answers) in &op.answers {
                let schema = openapi::answer_schema(&document, &path, method, *status).unwrap();
                for answer in answers {
                    if let Err(e) = check_answer(&document, schema, answer) {
                        panic!("{method} {path} {status} {}: {e}", answer.name);
                    }
                }
                // Each variant the document allows is one of the structs.
                let variants = openapi::resolve(&document, schema).get("oneOf");
                for variant in variants.and_then(Value::as_array).into_iter().flatten() {
                    assert!(
                        answers
                            .iter()
                            .any(|a| check_answer(&document, variant, a).is_ok()),
                        "{method} {path} {status}: no struct answers {variant}"
                    );
                }
            }
            let body = openapi::request_schema(&document, &path, method);
            match (&op.request, body) {
                (Some((name, check)), Some(schema)) => {
                    if let Err(e) = check(&document, schema) {
                        panic!("{method} {path} reads {name}: {e}");
                    }
                }
                (None, None) => {}
                (request, body) => panic!(
                    "{method} {path}: reads {:?}, documented {body:?}",
                    request.map(|r| r.0)
                ),
            }
        }
    }
}

#[test]
fn an_unknown_route_and_a_wrong_method_answer_plain_errors() {
    let document = openapi::document().unwrap();
    for name in ["NotFound", "MethodNotAllowed"] {
        let schema = document
            .pointer(&format!(
                "/components/responses/{name}/content/application~1json/schema"
            ))
            .unwrap();
        check_answer(&document, schema, &plain_error()).unwrap();
    }
}

#[test]
fn dialect_c_has_exactly_the_documented_kinds_of_failure() {
    let document = openapi::document().unwrap();
    let documented: BTreeSet<String> = document
        .pointer("/components/schemas/UserErrorResponse/properties/error_type/enum")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let written: BTreeSet<String> = user_error_types()
        .into_iter()
        .map(|kind| {
            serde_json::to_value(kind)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(written, documented);
}

// ---------------------------------------------------------------- request structs

/// Reads `body` as `T` would be read off a request.
fn read_as<T: RequestBody>(body: &Map<String, Value>) -> Result<T::Checked, BodyError> {
    parse_body::<T>(Value::Object(body.clone()).to_string().as_bytes())?.check()
}

/// `T` against the documented request body `schema` (see the module's documentation).
fn check_request<T: RequestBody>(document: &Value, schema: &Value) -> Result<(), String> {
    let schema = openapi::resolve(document, schema);
    let variants: Vec<&Value> = match schema.get("oneOf").and_then(Value::as_array) {
        Some(variants) => variants
            .iter()
            .map(|v| openapi::resolve(document, v))
            .collect(),
        None => vec![schema],
    };
    // Across the variants: each property, with its types and an example; and what all require.
    let mut properties: BTreeMap<String, (BTreeSet<String>, Option<Value>)> = BTreeMap::new();
    let mut required: Option<BTreeSet<String>> = None;
    for variant in &variants {
        if variant.get("additionalProperties") != Some(&Value::Bool(!T::CLOSED)) {
            return Err(if T::CLOSED {
                "the document must say that other fields are refused, as they are".into()
            } else {
                "the document must say that other fields are ignored, as they are".into()
            });
        }
        for (name, property) in variant["properties"].as_object().into_iter().flatten() {
            let entry = properties.entry(name.clone()).or_default();
            match &property["type"] {
                Value::Array(types) => entry
                    .0
                    .extend(types.iter().filter_map(Value::as_str).map(str::to_owned)),
                Value::String(t) => {
                    entry.0.insert(t.clone());
                }
                _ => {}
            }
            if entry.1.is_none() {
                entry.1 = property.pointer("/examples/0").cloned();
            }
        }
        let these: BTreeSet<String> = variant["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        required = Some(match required {
            None => these,
            Some(before) => before.intersection(&these).cloned().collect(),
        });
    }
    let required = required.unwrap_or_default();

    let fields: BTreeSet<String> = field_names::<T>().iter().map(|f| f.to_string()).collect();
    let named: BTreeSet<String> = properties.keys().cloned().collect();
    if fields != named {
        return Err(format!(
            "the struct reads {fields:?}, the document names {named:?}"
        ));
    }

    let mut base = Map::new();
    for (name, (_, example)) in &properties {
        match example {
            Some(example) => {
                base.insert(name.clone(), example.clone());
            }
            None if required.contains(name) => {
                return Err(format!("the required {name} has no example"));
            }
            None => {}
        }
    }
    let changed = |name: &str, value: Option<Value>| {
        let mut body = base.clone();
        match value {
            Some(value) => body.insert(name.to_owned(), value),
            None => body.remove(name),
        };
        body
    };
    read_as::<T>(&base).map_err(|e| format!("the documented example is refused: {e:?}"))?;
    let unnamed = "a field no one named";
    match (T::CLOSED, read_as::<T>(&changed(unnamed, Some(json!([1]))))) {
        (false, Err(e)) => return Err(format!("an unnamed field is not ignored: {e:?}")),
        (true, Err(BodyError::UnknownField(field))) if field == unnamed => {}
        (true, other) => {
            return Err(format!(
                "an unnamed field is not refused as unknown: {:?}",
                other.err()
            ));
        }
        (false, Ok(_)) => {}
    }
    for (name, (types, _)) in &properties {
        if required.contains(name) {
            for absent in [None, Some(Value::Null)] {
                match read_as::<T>(&changed(name, absent.clone())) {
                    Err(BodyError::Missing(field)) if field == name.as_str() => {}
                    other => {
                        return Err(format!(
                            "{name} as {absent:?}: {:?} instead of field_required",
                            other.err()
                        ));
                    }
                }
            }
        } else {
            for absent in [None, Some(Value::Null)] {
                if let Err(e) = read_as::<T>(&changed(name, absent.clone())) {
                    return Err(format!(
                        "the optional {name} as {absent:?} is refused: {e:?}"
                    ));
                }
            }
        }
        // A value of another type than the documented one.
        let mut wrong = vec![json!(12345), json!(true), json!({ "x": "y" })];
        let (expected, other) = if types.contains("array") {
            ("a list of strings", json!("text"))
        } else if types.contains("string") {
            ("a string", json!(["text"]))
        } else {
            return Err(format!("{name} is documented as {types:?}"));
        };
        wrong.push(other);
        for value in wrong {
            match read_as::<T>(&changed(name, Some(value.clone()))) {
                Err(BodyError::Invalid(field, what))
                    if field == name.as_str() && what == expected => {}
                other => {
                    return Err(format!(
                        "{name} as {value}: {:?} instead of field_invalid ({expected})",
                        other.err()
                    ));
                }
            }
        }
    }
    Ok(())
}
