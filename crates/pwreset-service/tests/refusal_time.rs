//! A refused secret waits until `REFUSAL_MIN_MS` after it arrived, on every route that takes one,
//! whether the name exists or not; successes and the routes without a secret do not wait.

mod common;

use common::*;
use pwreset_service::{Method, Request};
use serde_json::json;

/// `REFUSAL_MIN_MS`'s declared default.
fn default_ms() -> u64 {
    let declared = pwreset_service::config::variable("REFUSAL_MIN_MS").unwrap();
    declared.default.unwrap().parse().unwrap()
}

fn page_post(token: &str) -> Request {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("token", token),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ])
        .finish();
    let mut request = Request::new(Method::Post, "/reset")
        .header("content-type", "application/x-www-form-urlencoded");
    request.body = body.into_bytes();
    request
}

/// Every route that takes a secret, refusing a wrong one for an existing and for an unknown name.
fn refusals(h: &Harness, jane: &User) -> Vec<(&'static str, Request)> {
    let user_submit = |user: &str| {
        with_api_key(post(
            &format!("{USER_API}/forgot-password-submit/"),
            &json!({ "user": user, "token": "x".repeat(43), "new_password": NEW_PASSWORD }),
        ))
    };
    let change = with_api_key(
        post(
            &format!("{USER_API}/profile/change-password/"),
            &json!({
                "old_password": "not-the-old-one",
                "new_password": NEW_PASSWORD,
                "confirm_password": NEW_PASSWORD,
            }),
        )
        .header(
            "authorization",
            &format!(
                "Bearer {}",
                h.reg_full_reset(jane, "Signed-in-passphrase-1")
            ),
        ),
    );
    vec![
        (
            "A code, existing",
            reg_code_request(&jane.username, "000000"),
        ),
        ("A code, unknown", reg_code_request("nobody", "000000")),
        (
            "A payload, existing",
            reg_reset_request(&jane.username, "forged", NEW_PASSWORD),
        ),
        (
            "B code with phone, existing",
            reset_mobile_request("000000", jane.phone.as_deref(), NEW_PASSWORD),
        ),
        (
            "B code with phone, unknown",
            reset_mobile_request("000000", Some("+15550009999"), NEW_PASSWORD),
        ),
        (
            "B code without phone",
            reset_mobile_request("000000", None, NEW_PASSWORD),
        ),
        ("B link", reset_link_request(&"x".repeat(43), NEW_PASSWORD)),
        ("C submit, existing", user_submit(&jane.username)),
        ("C submit, unknown", user_submit("nobody")),
        ("C change-password, wrong old password", change),
        ("reset page", page_post(&"x".repeat(43))),
    ]
}

#[test]
fn every_refused_secret_waits_until_the_minimum() {
    let h = Harness::new();
    let jane = h.jane();
    for (name, request) in refusals(&h, &jane) {
        h.platform.take_waits();
        let answer = h.send(request);
        assert!(answer.status >= 400, "{name}: {}", answer.status);
        assert_eq!(h.platform.take_waits(), [default_ms()], "{name}");
    }
}

#[test]
fn successes_and_routes_without_a_secret_do_not_wait() {
    let h = Harness::new();
    let jane = h.jane();
    h.platform.take_waits();
    assert_eq!(h.reg_request(&jane.username).status, 200);
    assert_eq!(h.forgot_email("nobody@example.com").status, 200);
    assert_eq!(
        h.send(post("/reg/user/resetPasswordRequest", &json!({})))
            .status,
        400,
        "a malformed request on a secret route is a refusal"
    );
    assert_eq!(h.platform.take_waits(), [default_ms()]);

    h.drain();
    let code = h.latest_code(&jane.email);
    assert_eq!(h.reg_code(&jane.username, &code).status, 200);
    let sms = h.sms_code(&jane);
    h.platform.take_waits();
    let reset = h.reset_mobile(&sms, jane.phone.as_deref(), NEW_PASSWORD);
    assert_eq!(reset.status, 200);
    assert_eq!(h.send(Request::new(Method::Get, "/reset")).status, 200);
    assert_eq!(h.platform.take_waits(), Vec::<u64>::new());
}

#[test]
fn the_minimum_is_configured_and_zero_turns_it_off() {
    let h = Harness::with(&[("REFUSAL_MIN_MS", "0")]);
    let jane = h.jane();
    for (name, request) in refusals(&h, &jane) {
        h.send(request);
        assert_eq!(h.platform.take_waits(), Vec::<u64>::new(), "{name}");
    }
    let h = Harness::with(&[("REFUSAL_MIN_MS", "80")]);
    h.send(reg_code_request("nobody", "000000"));
    assert_eq!(h.platform.take_waits(), [80]);

    // Outside development the minimum cannot be turned off.
    for (value, accepted) in [("0", false), ("99", false), ("100", true), ("5000", true)] {
        let service = service_from(&production_vars(&[("REFUSAL_MIN_MS", value)]));
        assert_eq!(service.config().is_ok(), accepted, "production, {value}");
    }

    for bad in ["-1", "5001", "half a second", ""] {
        let service = service_from(&vars_with(&[("REFUSAL_MIN_MS", bad)]));
        if bad.is_empty() {
            assert!(
                service.config().is_ok(),
                "an empty value removes the variable"
            );
            continue;
        }
        let Err(problems) = service.config() else {
            panic!("{bad} was accepted");
        };
        let problems = problems.0.join("; ");
        assert!(problems.contains("REFUSAL_MIN_MS"), "{bad}: {problems}");
    }
}
