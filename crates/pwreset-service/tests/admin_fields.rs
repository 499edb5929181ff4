//! The admin routes take only the fields they name: any other is refused with `400`
//! `unknown_field` naming it, before anything is stored, and every admin answer that is not a
//! success is the one documented shape `{"error","message","field"?}`.

mod common;

use std::collections::BTreeSet;

use common::*;
use pwreset_service::testing::user_service::MemoryUserService;
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

fn create(h: &Harness, body: &Value) -> Response {
    h.send(admin_post("/admin/users", body))
}

fn jane() -> Value {
    json!({ "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD })
}

/// `body` with `name` set to `value`.
fn with(mut body: Value, name: &str, value: Value) -> Value {
    body[name] = value;
    body
}

/// Asserts `answer` is the admin error shape: exactly `error`, `message` and, when given, `field`.
#[track_caller]
fn assert_plain_error(answer: &Response, status: u16, error: &str, field: Option<&str>) {
    assert_json_status(answer, status);
    let body = answer.json_body();
    let keys: BTreeSet<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = BTreeSet::from(["error", "message"]);
    if field.is_some() {
        expected.insert("field");
    }
    assert_eq!(keys, expected, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert!(!body["message"].as_str().unwrap().is_empty());
    assert_eq!(body["field"].as_str(), field, "{body}");
}

#[test]
fn an_unknown_field_is_refused_naming_it_and_nothing_is_created() {
    let h = Harness::new();
    for (name, value) in [
        ("phone_number", json!("+447700900456")),
        ("firstName", json!("Jane")),
        ("approved", json!(true)),
        (
            "password_hash",
            json!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"),
        ),
        ("nickname", Value::Null),
        ("", json!("x")),
    ] {
        let answer = create(&h, &with(jane(), name, value));
        assert_plain_error(&answer, 400, "unknown_field", Some(name));
        assert_eq!(
            answer.json_body()["message"],
            format!("The field \"{name}\" is not one this route takes.")
        );
    }
    // Nothing was created: the name is still free.
    assert_json_status(&create(&h, &jane()), 201);
    assert!(
        h.platform
            .logs()
            .iter()
            .all(|l| !l.contains("phone_number"))
    );
}

#[test]
fn the_unknown_field_is_refused_before_the_others_are_judged() {
    let h = Harness::new();
    // Missing and invalid fields too: an unknown one is the answer (of several, the first by name).
    let answer = create(
        &h,
        &json!({ "usename": "jane", "email": "not an address", "e-mail": "jane@example.com" }),
    );
    assert_plain_error(&answer, 400, "unknown_field", Some("e-mail"));
    let answer = create(&h, &json!({ "usename": "jane", "email": "not an address" }));
    assert_plain_error(&answer, 400, "unknown_field", Some("usename"));
    // Every named field, optional ones set or null, is accepted.
    let every = json!({
        "username": "john", "email": "john@example.com", "password": OLD_PASSWORD,
        "phone": null, "first_name": "John", "last_name": null, "user_type": "STAFF",
        "scopes": ["a"],
    });
    assert_json_status(&create(&h, &every), 201);
}

#[test]
fn the_user_directory_sees_no_call_for_a_body_with_an_unknown_field() {
    let h = Harness::with(&[
        ("USER_DIRECTORY_URL", MemoryUserService::URL),
        ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
    ]);
    let answer = create(&h, &with(jane(), "role", json!("admin")));
    assert_plain_error(&answer, 400, "unknown_field", Some("role"));
    assert!(h.platform.user_service.calls().is_empty());
}

#[test]
fn every_admin_refusal_has_the_one_error_shape() {
    let h = Harness::new();
    let no_token = h.send(post("/admin/users", &jane()));
    assert_plain_error(&no_token, 401, "unauthorized", None);
    let dead_letters_no_token = h.send(Request::new(Method::Get, "/admin/dead-letters"));
    assert_plain_error(&dead_letters_no_token, 401, "unauthorized", None);
    let not_json = h.send(
        post_raw("/admin/users", b"[1, 2]")
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
    );
    assert_plain_error(&not_json, 400, "invalid_json", Some("body"));
    let missing = create(
        &h,
        &json!({ "username": "jane", "email": "jane@example.com" }),
    );
    assert_plain_error(&missing, 400, "field_required", Some("password"));
    let invalid = create(&h, &with(jane(), "scopes", json!("all")));
    assert_plain_error(&invalid, 400, "field_invalid", Some("scopes"));
    let too_large = h.send(
        post_raw("/admin/users", &vec![b' '; 16_385])
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
    );
    assert_plain_error(&too_large, 413, "body_too_large", Some("body"));
    let mut text = Request::new(Method::Post, "/admin/users")
        .header("content-type", "text/plain")
        .header("authorization", &format!("Bearer {ADMIN_TOKEN}"));
    text.body = jane().to_string().into_bytes();
    assert_plain_error(
        &h.send(text),
        415,
        "unsupported_media_type",
        Some("content-type"),
    );
    assert_json_status(&create(&h, &jane()), 201);
    let taken = create(&h, &jane());
    assert_plain_error(&taken, 409, "conflict", None);
    let wrong_method = h.send(
        Request::new(Method::Get, "/admin/users")
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
    );
    assert_plain_error(&wrong_method, 405, "method_not_allowed", None);
}

#[test]
fn other_routes_still_ignore_fields_they_do_not_name() {
    let h = Harness::new();
    let jane = h.jane();
    let answer = h.reg_request(&jane.username);
    assert_eq!(answer.status, 200);
    let extra = h.send(post(
        "/reg/user/resetPasswordRequest",
        &json!({ "username": jane.username, "locale": "de" }),
    ));
    assert_eq!(extra.status, 200, "{}", text(&extra));
}
