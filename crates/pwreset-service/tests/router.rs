//! What the router decides before any dialect reads a request: JSON routes take only bodies
//! declared `application/json` (`415` otherwise, in the route's own error shape), and the
//! development routes exist only in development.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_service::testing::memory::MemoryPlatform;
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

/// How a route's error answers are shaped.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Dialects A and B: `{"status":"fail","errors":[{"field","code","message"}]}`.
    Fail,
    /// Dialect C: `{"status_code","error_type","errors":[{"field","description"}]}`.
    User,
    /// Admin: `{"error","message","field"}`.
    Admin,
}

/// Every route that reads a JSON body, with a body it would accept and its credentials.
fn json_routes(h: &Harness) -> Vec<(Request, Shape)> {
    let jane = h.jane();
    let code_body = json!({ "username": "jane", "code": "123456" });
    vec![
        (
            post(
                "/reg/user/resetPasswordRequest",
                &json!({ "username": "jane" }),
            ),
            Shape::Fail,
        ),
        (post("/reg/user/resetPasswordRequest", &code_body), Shape::Fail),
        (
            post(
                "/reg/user/resetPassword",
                &json!({ "newPassword": NEW_PASSWORD, "signedPayload": "p", "username": "jane" }),
            ),
            Shape::Fail,
        ),
        (
            auth_post(
                "/api/v1/auth/forgotpass",
                &json!({ "email": jane.email }),
            ),
            Shape::Fail,
        ),
        (
            auth_post(
                "/api/v1/auth/forgotpass/mobile",
                &json!({ "phone": jane.phone }),
            ),
            Shape::Fail,
        ),
        (
            auth_post(
                "/api/v1/auth/resetpass",
                &json!({ "token": "ab".repeat(32), "password": NEW_PASSWORD, "passwordConfirm": NEW_PASSWORD }),
            ),
            Shape::Fail,
        ),
        (
            auth_post(
                "/api/v1/auth/resetpass/mobile",
                &json!({ "token": "123456", "password": NEW_PASSWORD, "passwordConfirm": NEW_PASSWORD }),
            ),
            Shape::Fail,
        ),
        (
            with_api_key(post(
                "/api/v1/user/forgot-password/",
                &json!({ "email": "jane" }),
            )),
            Shape::User,
        ),
        (
            with_api_key(post(
                "/api/v1/user/forgot-password-submit/",
                &json!({ "user": jane.id, "token": "ab".repeat(32), "new_password": "Fresh-Pass-word-1!" }),
            )),
            Shape::User,
        ),
        (
            with_api_key(post(
                "/api/v1/user/profile/change-password/",
                &json!({ "old_password": OLD_PASSWORD, "new_password": "Fresh-Pass-word-1!", "confirm_password": "Fresh-Pass-word-1!" }),
            ))
            .header("authorization", "Bearer not-a-token"),
            Shape::User,
        ),
        (
            admin_post(
                "/admin/users",
                &json!({ "username": "john", "email": "john@example.org", "password": OLD_PASSWORD }),
            ),
            Shape::Admin,
        ),
    ]
}

/// `request` with its `Content-Type` replaced by `content_type` (or removed).
fn declared(request: &Request, content_type: Option<&str>) -> Request {
    let mut request = request.clone();
    request
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
    if let Some(value) = content_type {
        request = request.header("Content-Type", value);
    }
    request
}

#[track_caller]
fn assert_unsupported_media_type(answer: &Response, shape: Shape, what: &str) {
    assert_json_status(answer, 415);
    let body = answer.json_body();
    match shape {
        Shape::Fail => {
            assert_eq!(body["status"], "fail", "{what}");
            assert_eq!(error_codes(answer), ["unsupported_media_type"], "{what}");
            assert_eq!(error_fields(answer), ["content-type"], "{what}");
        }
        Shape::User => {
            assert_eq!(body["status_code"], 415, "{what}");
            assert_eq!(body["error_type"], "Unsupported Media Type", "{what}");
            assert_eq!(body["errors"][0]["field"], "content-type", "{what}");
        }
        Shape::Admin => {
            assert_eq!(body["error"], "unsupported_media_type", "{what}");
            assert_eq!(body["field"], "content-type", "{what}");
        }
    }
}

#[test]
fn a_body_not_declared_as_json_gets_415_in_the_routes_shape_and_does_nothing() {
    let h = Harness::new();
    let routes = json_routes(&h);
    let queued = h.platform.queued();
    for (request, shape) in &routes {
        for content_type in [
            Some("text/plain"),
            Some("text/plain;charset=UTF-8"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonx"),
            None,
        ] {
            let what = format!("{} with {content_type:?}", request.path);
            let answer = h.send(declared(request, content_type));
            assert_unsupported_media_type(&answer, *shape, &what);
        }
    }
    // Nothing was queued, so no message is ever sent; no account was created.
    assert_eq!(h.platform.queued(), queued);
    h.drain();
    assert!(h.outbox("jane@example.com").is_empty());
    let john = h.send(admin_post(
        "/admin/users",
        &json!({ "username": "john", "email": "john@example.org", "password": OLD_PASSWORD }),
    ));
    assert_eq!(
        john.status, 201,
        "john was not created by a refused request"
    );
}

#[test]
fn a_dialect_b_415_carries_its_cors_headers() {
    let h = Harness::new();
    let request = declared(
        &auth_post(
            "/api/v1/auth/forgotpass",
            &json!({ "email": "jane@example.com" }),
        ),
        Some("text/plain"),
    );
    let answer = h.send(request);
    assert_eq!(answer.status, 415);
    assert_eq!(
        answer.header_value("access-control-allow-origin"),
        Some(ORIGIN)
    );
}

#[test]
fn json_with_parameters_or_in_another_case_is_json() {
    let h = Harness::new();
    let jane = h.jane();
    for content_type in [
        "application/json; charset=utf-8",
        "Application/JSON;charset=UTF-8",
        "APPLICATION/JSON",
    ] {
        let answer = h.send(declared(
            &post(
                "/reg/user/resetPasswordRequest",
                &json!({ "username": "jane" }),
            ),
            Some(content_type),
        ));
        assert_json_status(&answer, 200);
    }
    h.drain();
    assert!(!h.outbox(&jane.email).is_empty());
}

#[test]
fn the_reset_page_still_takes_its_form() {
    let h = Harness::new();
    let mut form = Request::new(Method::Post, "/reset")
        .header("content-type", "application/x-www-form-urlencoded");
    form.body = b"token=abc&password=x&password_confirm=x".to_vec();
    let answer = h.send(form);
    assert_eq!(
        answer.status, 400,
        "an invalid link, not a refused media type"
    );
}

// ---------------------------------------------------------------- the development routes

fn outbox_answer(vars: &std::collections::BTreeMap<String, String>) -> Response {
    let service = service_from(vars);
    assert!(service.config().is_ok(), "{:?}", service.config().err());
    block_on(service.handle(
        &MemoryPlatform::new(NOW),
        Request::new(Method::Get, "/dev/outbox?to=jane%40example.com"),
    ))
}

#[test]
fn the_outbox_route_is_served_in_development() {
    let answer = outbox_answer(&base_vars());
    assert_json_status(&answer, 200);
    assert_eq!(answer.json_body(), Value::Array(Vec::new()));
}

#[test]
fn the_dev_routes_do_not_exist_outside_development() {
    let answer = outbox_answer(&production_vars(&[]));
    assert_json_status(&answer, 404);
    assert_eq!(
        answer.json_body(),
        json!({ "error": "not_found", "message": "No route for /dev/outbox." }),
        "an unknown route, not an outbox that is off"
    );
}
