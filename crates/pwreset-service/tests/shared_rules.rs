//! The rules every route keeps: answers that do not tell accounts apart, secrets consumed
//! atomically, limits, bad bodies, unknown routes, no secret where it does not belong, and what
//! follows a reset.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use pwreset_service::delivery::{Channel, MessageKind, compose};
use pwreset_service::guard::{GuardAnswer, MAX_WRONG_TRIES};
use pwreset_service::model::account::Account;
use pwreset_service::model::http::MAX_BODY_BYTES;
use pwreset_service::model::job::{Job, ResetVia};
use pwreset_service::ports::LimitRule;
use pwreset_service::queue;
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

/// Everything a client sees of an answer: status, headers and body.
fn observable(response: &Response) -> (u16, Vec<(String, String)>, String) {
    (response.status, response.headers.clone(), text(response))
}

// ---------------------------------------------------------------- accounts stay secret

#[test]
fn a_reset_request_answers_the_same_whether_or_not_the_account_exists() {
    let h = Harness::new();
    h.jane();
    let cases: [(&str, Value, Value); 4] = [
        (
            "/reg/user/resetPasswordRequest",
            json!({ "username": "jane" }),
            json!({ "username": "janet" }),
        ),
        (
            "/reg/user/resetPasswordRequest",
            json!({ "username": "jane@example.com" }),
            json!({ "username": "janet@example.com" }),
        ),
        (
            "/api/v1/auth/forgotpass",
            json!({ "email": "jane@example.com" }),
            json!({ "email": "janet@example.com" }),
        ),
        (
            "/api/v1/auth/forgotpass/mobile",
            json!({ "phone": "+447700900456" }),
            json!({ "phone": "+447700900999" }),
        ),
    ];
    for (path, known, unknown) in cases {
        let build = |body: &Value| {
            if path.starts_with("/api/") {
                auth_post(path, body)
            } else {
                post(path, body)
            }
        };
        let before = h.platform.queued();
        let sent_before = h.platform.outbox_all().len();
        let known_answer = h.send(build(&known));
        assert_eq!(h.platform.queued(), before + 1, "{path}: one job queued");
        let unknown_answer = h.send(build(&unknown));
        assert_eq!(h.platform.queued(), before + 2, "{path}: one job queued");
        assert_eq!(known_answer.status, 200);
        assert_eq!(
            observable(&known_answer),
            observable(&unknown_answer),
            "{path}"
        );
        // Nothing was sent while answering: that happens in the queue.
        assert_eq!(h.platform.outbox_all().len(), sent_before, "{path}");
        h.drain();
        assert_eq!(h.platform.outbox_all().len(), sent_before + 1, "{path}");
    }
    // The queue sent one message per known account and none for the unknown ones.
    let sent: Vec<String> = h.platform.outbox_all().into_iter().map(|m| m.to).collect();
    assert_eq!(
        sent,
        [
            "jane@example.com",
            "jane@example.com",
            "jane@example.com",
            "+447700900456"
        ]
    );
}

#[test]
fn a_wrong_secret_answers_the_same_whether_or_not_the_account_exists() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.sms_code(&jane);
    h.drain();
    let code = h.latest_code(&jane.email);
    let wrong = if code == "000000" { "000001" } else { "000000" };

    let known = h.reg_code("jane", wrong);
    let unknown = h.reg_code("janet", wrong);
    assert_eq!(known.status, 400);
    assert_eq!(observable(&known), observable(&unknown));

    let known = h.reset_mobile(wrong, jane.phone.as_deref(), NEW_PASSWORD);
    let unknown = h.reset_mobile(wrong, Some("+447700900999"), NEW_PASSWORD);
    assert_eq!(known.status, 400);
    assert_eq!(observable(&known), observable(&unknown));

    // A refused new password reads the same too.
    let known = h.reset_mobile(wrong, jane.phone.as_deref(), "password");
    let unknown = h.reset_mobile(wrong, Some("+447700900999"), "password");
    assert_eq!(known.status, 400);
    assert_eq!(observable(&known), observable(&unknown));
}

// ---------------------------------------------------------------- atomic secrets

#[test]
fn concurrent_wrong_codes_never_count_more_than_five_tries_and_burn_the_code() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    let wrong: Vec<String> = (1..=9)
        .map(|d| d.to_string().repeat(6))
        .filter(|w| *w != code)
        .take(8)
        .collect();

    let platform = Interleaved::new(&h.platform);
    let requests = wrong.iter().map(|w| reg_code_request("jane", w)).collect();
    let answers = send_together(&h.service, &platform, requests);
    assert!(answers.iter().all(|a| a.status == 400));

    let guard = platform.guard_answers.borrow();
    let counted = guard
        .iter()
        .filter(|a| {
            matches!(
                a,
                GuardAnswer::CodeWrong { .. } | GuardAnswer::CodeBurnt { .. }
            )
        })
        .count();
    let burnt = guard
        .iter()
        .filter(|a| matches!(a, GuardAnswer::CodeBurnt { .. }))
        .count();
    assert_eq!(counted as u32, MAX_WRONG_TRIES, "{guard:?}");
    assert_eq!(burnt, 1);
    // The rest found the username's tries spent.
    assert!(
        guard[counted..]
            .iter()
            .all(|a| matches!(a, GuardAnswer::Exhausted { burnt: false, .. })),
        "{guard:?}"
    );
    drop(guard);
    let right = h.reg_code("jane", &code);
    assert_eq!(right.status, 400, "the code is burnt");
    assert_eq!(error_codes(&right), ["secret_exhausted"]);
}

#[test]
fn concurrent_wrong_sms_codes_never_count_more_than_five_tries() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    let wrong: Vec<String> = (1..=9)
        .map(|d| d.to_string().repeat(6))
        .filter(|w| *w != code)
        .take(7)
        .collect();
    let platform = Interleaved::new(&h.platform);
    let requests = wrong
        .iter()
        .map(|w| reset_mobile_request(w, jane.phone.as_deref(), NEW_PASSWORD))
        .collect();
    let answers = send_together(&h.service, &platform, requests);
    assert!(answers.iter().all(|a| a.status == 400));
    let guard = platform.guard_answers.borrow();
    let counted = guard
        .iter()
        .filter(|a| {
            matches!(
                a,
                GuardAnswer::CodeWrong { .. } | GuardAnswer::CodeBurnt { .. }
            )
        })
        .count();
    assert_eq!(counted as u32, MAX_WRONG_TRIES, "{guard:?}");
    drop(guard);
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 400);
}

#[test]
fn a_right_code_presented_several_times_at_once_is_accepted_once() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    let platform = Interleaved::new(&h.platform);
    let requests = (0..4).map(|_| reg_code_request("jane", &code)).collect();
    let answers = send_together(&h.service, &platform, requests);
    let accepted = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(accepted, 1);
    assert!(answers.iter().all(|a| a.status == 200 || a.status == 400));
}

#[test]
fn a_payload_presented_several_times_at_once_resets_once() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    let platform = Interleaved::new(&h.platform);
    let passwords = [NEW_PASSWORD, NEWER_PASSWORD, "silver-orchid-canyon-17"];
    let requests = passwords
        .iter()
        .map(|p| reg_reset_request("jane", &payload, p))
        .collect();
    let answers = send_together(&h.service, &platform, requests);
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
    // The others are refused, or told to try again while the first change is under way; tried
    // again, they are refused.
    assert!(answers.iter().all(|a| matches!(a.status, 200 | 401 | 503)));
    let again = h.reg_reset("jane", &payload, NEWER_PASSWORD);
    assert_eq!(again.status, 401, "{}", text(&again));
}

#[test]
fn a_link_presented_several_times_at_once_resets_once() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let platform = Interleaved::new(&h.platform);
    let requests = (0..3)
        .map(|_| reset_link_request(&token, NEW_PASSWORD))
        .collect();
    let answers = send_together(&h.service, &platform, requests);
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
    // The others are refused, or told to try again while the first change is under way; tried
    // again, they are refused.
    assert!(answers.iter().all(|a| matches!(a.status, 200 | 400 | 503)));
    assert_eq!(h.send(reset_link_request(&token, NEW_PASSWORD)).status, 400);
}

#[test]
fn an_sms_code_presented_several_times_at_once_resets_once() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    let platform = Interleaved::new(&h.platform);
    let requests = vec![
        reset_mobile_request(&code, None, NEW_PASSWORD),
        reset_mobile_request(&code, jane.phone.as_deref(), NEW_PASSWORD),
        reset_mobile_request(&code, None, NEW_PASSWORD),
        reset_mobile_request(&code, jane.phone.as_deref(), NEW_PASSWORD),
    ];
    let answers = send_together(&h.service, &platform, requests);
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
}

#[test]
fn two_secrets_of_one_account_used_at_once_reset_the_password_once() {
    let h = Harness::new();
    let jane = h.jane();
    let link = h.link_token(&jane);
    let code = h.sms_code(&jane);
    let platform = Interleaved::new(&h.platform);
    let requests = vec![
        reset_link_request(&link, NEW_PASSWORD),
        reset_mobile_request(&code, jane.phone.as_deref(), NEWER_PASSWORD),
    ];
    let answers = send_together(&h.service, &platform, requests);
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "statuses {statuses:?}"
    );
}

// ---------------------------------------------------------------- limits

#[test]
fn reset_requests_from_one_ip_are_limited_with_429_and_retry_after() {
    let h = Harness::new();
    h.platform.set_limit(LimitRule::RequestPerIp, 3);
    let ip = "203.0.113.5";
    for name in ["a", "b", "c"] {
        let request = post(
            "/reg/user/resetPasswordRequest",
            &json!({ "username": name }),
        );
        assert_eq!(h.send(from_ip(request, ip)).status, 200);
    }
    let over = h.send(from_ip(
        post(
            "/reg/user/resetPasswordRequest",
            &json!({ "username": "d" }),
        ),
        ip,
    ));
    assert_json_status(&over, 429);
    assert_eq!(over.header_value("retry-after"), Some("60"));
    assert_eq!(over.json_body()["status"], "fail");
    let dialect_b = h.send(from_ip(
        auth_post(
            "/api/v1/auth/forgotpass",
            &json!({ "email": "e@example.com" }),
        ),
        ip,
    ));
    assert_json_status(&dialect_b, 429);
    assert_eq!(dialect_b.header_value("retry-after"), Some("60"));
    assert_eq!(
        dialect_b.header_value("access-control-allow-origin"),
        Some(ORIGIN)
    );

    let other_ip = from_ip(
        post(
            "/reg/user/resetPasswordRequest",
            &json!({ "username": "d" }),
        ),
        "203.0.113.6",
    );
    assert_eq!(h.send(other_ip).status, 200);

    h.platform.advance(60);
    let later = from_ip(
        post(
            "/reg/user/resetPasswordRequest",
            &json!({ "username": "d" }),
        ),
        ip,
    );
    assert_eq!(h.send(later).status, 200);
    assert!(h.platform.logs().iter().any(|l| l.contains("rate_limited")));
}

#[test]
fn reset_requests_for_one_identifier_are_limited_whatever_the_ip() {
    let h = Harness::new();
    h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 2);
    for name in ["jane", "nobody-here"] {
        for (i, expected) in [200, 200, 429].into_iter().enumerate() {
            let request = post(
                "/reg/user/resetPasswordRequest",
                &json!({ "username": name }),
            );
            let answer = h.send(from_ip(request, &format!("198.51.100.{i}")));
            assert_eq!(answer.status, expected, "{name} #{i}");
            if expected == 429 {
                assert_eq!(answer.header_value("retry-after"), Some("60"));
            }
        }
    }
    // The same address in another spelling is the same identifier.
    for (i, expected) in [200, 200, 429].into_iter().enumerate() {
        let email = if i == 1 {
            "Jane@Example.COM"
        } else {
            "jane@example.com"
        };
        let request = auth_post("/api/v1/auth/forgotpass", &json!({ "email": email }));
        assert_eq!(h.send(from_ip(request, "192.0.2.1")).status, expected);
    }
    // Only what was allowed was queued: 2 + 2 + 2 requests.
    assert_eq!(h.platform.queued(), 6);
}

#[test]
fn codes_for_one_account_are_limited_whichever_identifier_asks() {
    let h = Harness::new();
    let jane = h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 2);
    // Three identifiers of one account, each within its own limit: without a limit on the
    // account, three codes (each with fresh tries); with it, the identifier limit's two.
    assert_eq!(h.reg_request("jane").status, 200);
    assert_eq!(h.reg_request(&jane.email).status, 200);
    assert_eq!(h.forgot_mobile(jane.phone.as_deref().unwrap()).status, 200);
    h.drain();
    let codes = h.outbox(&jane.email).len() + h.outbox(jane.phone.as_deref().unwrap()).len();
    assert_eq!(codes, 2);
    assert!(h.platform.logs().iter().any(|l| l.contains("code_limited")));
    // Links carry 256-bit tokens, not guessable codes: not counted against the account.
    let mails = h.outbox(&jane.email).len();
    assert_eq!(h.forgot_email(&jane.email).status, 200);
    h.drain();
    assert_eq!(h.outbox(&jane.email).len(), mails + 1);
}

#[test]
fn secret_attempts_from_one_ip_are_limited_even_for_the_right_secret() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    h.platform.set_limit(LimitRule::AttemptPerIp, 3);
    let ip = "203.0.113.9";
    for _ in 0..3 {
        assert_eq!(
            h.send(from_ip(reg_code_request("jane", wrong), ip)).status,
            400
        );
    }
    let over = h.send(from_ip(reg_code_request("jane", &code), ip));
    assert_json_status(&over, 429);
    assert_eq!(over.header_value("retry-after"), Some("60"));
    // Every secret-bearing route shares the limit.
    for request in [
        reg_reset_request("jane", "payload", NEW_PASSWORD),
        reset_link_request(&"0".repeat(64), NEW_PASSWORD),
        reset_mobile_request(&code, None, NEW_PASSWORD),
    ] {
        assert_eq!(h.send(from_ip(request, ip)).status, 429);
    }
    // Another IP may still try; the refused attempts did not touch the code.
    let elsewhere = h.send(from_ip(reg_code_request("jane", &code), "203.0.113.10"));
    assert_eq!(elsewhere.status, 200, "{}", text(&elsewhere));
}

#[test]
fn admin_calls_from_one_ip_are_limited() {
    let h = Harness::new();
    h.platform.set_limit(LimitRule::AdminPerIp, 1);
    let list = || {
        Request::new(Method::Get, "/admin/dead-letters")
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
    };
    assert_eq!(h.send(list()).status, 200);
    let over = h.send(list());
    assert_json_status(&over, 429);
    assert_eq!(over.header_value("retry-after"), Some("60"));
}

// ---------------------------------------------------------------- bad requests

/// What a route needs added to a request to get past its headers.
type Prepare = fn(Request) -> Request;

/// Every route that reads a JSON body, with what it takes to get past its headers.
fn body_routes() -> Vec<(&'static str, Prepare)> {
    fn plain(r: Request) -> Request {
        r
    }
    fn admin(r: Request) -> Request {
        r.header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
    }
    vec![
        ("/reg/user/resetPasswordRequest", plain),
        ("/reg/user/resetPassword", plain),
        ("/api/v1/auth/forgotpass", with_client),
        ("/api/v1/auth/forgotpass/mobile", with_client),
        ("/api/v1/auth/resetpass", with_client),
        ("/api/v1/auth/resetpass/mobile", with_client),
        ("/admin/users", admin),
        ("/api/v1/user/forgot-password/", with_api_key),
        ("/api/v1/user/forgot-password-submit/", with_api_key),
        ("/api/v1/user/profile/change-password/", with_api_key),
    ]
}

/// The field a 4xx answer names, in either error shape.
fn named_field(response: &Response) -> Option<String> {
    let body = response.json_body();
    body["field"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| error_fields(response).into_iter().next())
}

#[test]
fn a_body_that_is_not_json_gets_400() {
    let h = Harness::new();
    for (path, prepare) in body_routes() {
        for body in [&b"{"[..], b"nope", b"", b"{\"username\": }", b"\xff\xfe{}"] {
            let answer = h.send(prepare(post_raw(path, body)));
            assert_json_status(&answer, 400);
            assert_eq!(named_field(&answer).as_deref(), Some("body"), "{path}");
        }
    }
}

#[test]
fn a_json_body_that_is_not_an_object_gets_400() {
    let h = Harness::new();
    for (path, prepare) in body_routes() {
        for body in ["[1,2]", "\"jane\"", "42", "null", "true"] {
            let answer = h.send(prepare(post_raw(path, body.as_bytes())));
            assert_json_status(&answer, 400);
            assert_eq!(named_field(&answer).as_deref(), Some("body"), "{path}");
        }
    }
}

#[test]
fn a_body_over_16_kib_gets_413() {
    let h = Harness::new();
    let padded = |len: usize| {
        let head = r#"{"username":"jane","pad":""#;
        let tail = r#""}"#;
        let pad = "x".repeat(len - head.len() - tail.len());
        format!("{head}{pad}{tail}").into_bytes()
    };
    for (path, prepare) in body_routes() {
        let answer = h.send(prepare(post_raw(path, &padded(MAX_BODY_BYTES + 1))));
        assert_json_status(&answer, 413);
    }
    let exactly = h.send(post_raw(
        "/reg/user/resetPasswordRequest",
        &padded(MAX_BODY_BYTES),
    ));
    assert_eq!(exactly.status, 200, "16 KiB itself is accepted");
}

#[test]
fn a_missing_field_gets_400_naming_it() {
    let h = Harness::new();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/reg/user/resetPasswordRequest", json!({}), "username"),
        (
            "/reg/user/resetPasswordRequest",
            json!({ "code": "123456" }),
            "username",
        ),
        (
            "/reg/user/resetPassword",
            json!({ "signedPayload": "p", "username": "jane" }),
            "newPassword",
        ),
        (
            "/reg/user/resetPassword",
            json!({ "newPassword": NEW_PASSWORD, "username": "jane" }),
            "signedPayload",
        ),
        (
            "/reg/user/resetPassword",
            json!({ "newPassword": NEW_PASSWORD, "signedPayload": "p" }),
            "username",
        ),
        ("/api/v1/auth/forgotpass", json!({}), "email"),
        ("/api/v1/auth/forgotpass", json!({ "email": null }), "email"),
        (
            "/api/v1/auth/forgotpass/mobile",
            json!({ "email": "jane@example.com" }),
            "phone",
        ),
        (
            "/api/v1/auth/resetpass",
            json!({ "password": "x", "passwordConfirm": "x" }),
            "token",
        ),
        (
            "/api/v1/auth/resetpass",
            json!({ "token": "t", "passwordConfirm": "x" }),
            "password",
        ),
        (
            "/api/v1/auth/resetpass",
            json!({ "token": "t", "password": "x" }),
            "passwordConfirm",
        ),
        (
            "/api/v1/auth/resetpass/mobile",
            json!({ "token": "t", "password": "x" }),
            "passwordConfirm",
        ),
        (
            "/admin/users",
            json!({ "email": "a@b.example", "password": "x" }),
            "username",
        ),
        (
            "/admin/users",
            json!({ "username": "a", "password": "x" }),
            "email",
        ),
        (
            "/admin/users",
            json!({ "username": "a", "email": "a@b.example" }),
            "password",
        ),
    ];
    for (path, body, field) in cases {
        let answer = h.send(prepare_for(path)(post(path, &body)));
        assert_json_status(&answer, 400);
        assert_eq!(
            named_field(&answer).as_deref(),
            Some(field),
            "{path} {body}"
        );
        assert!(text(&answer).contains(field));
    }
}

#[test]
fn a_field_of_the_wrong_type_gets_400_naming_it() {
    let h = Harness::new();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/reg/user/resetPasswordRequest",
            json!({ "username": 42 }),
            "username",
        ),
        (
            "/reg/user/resetPasswordRequest",
            json!({ "username": ["jane"] }),
            "username",
        ),
        (
            "/reg/user/resetPasswordRequest",
            json!({ "username": "jane", "code": 123456 }),
            "code",
        ),
        (
            "/reg/user/resetPassword",
            json!({ "newPassword": {}, "signedPayload": "p", "username": "jane" }),
            "newPassword",
        ),
        (
            "/reg/user/resetPassword",
            json!({ "newPassword": "x", "signedPayload": 1, "username": "jane" }),
            "signedPayload",
        ),
        ("/api/v1/auth/forgotpass", json!({ "email": true }), "email"),
        (
            "/api/v1/auth/forgotpass",
            json!({ "email": "not-an-email" }),
            "email",
        ),
        (
            "/api/v1/auth/forgotpass/mobile",
            json!({ "phone": 447700900456u64 }),
            "phone",
        ),
        (
            "/api/v1/auth/forgotpass/mobile",
            json!({ "phone": "call me" }),
            "phone",
        ),
        (
            "/api/v1/auth/resetpass",
            json!({ "token": 5, "password": "x", "passwordConfirm": "x" }),
            "token",
        ),
        (
            "/api/v1/auth/resetpass/mobile",
            json!({ "token": "1", "password": "x", "passwordConfirm": "x", "phone": 7 }),
            "phone",
        ),
        (
            "/admin/users",
            json!({ "username": "a", "email": "a@b.example", "password": 12345678 }),
            "password",
        ),
        (
            "/admin/users",
            json!({ "username": "a", "email": "a@b.example", "password": "x", "scopes": "all" }),
            "scopes",
        ),
    ];
    for (path, body, field) in cases {
        let answer = h.send(prepare_for(path)(post(path, &body)));
        assert_json_status(&answer, 400);
        assert_eq!(
            named_field(&answer).as_deref(),
            Some(field),
            "{path} {body}"
        );
    }
}

#[test]
fn no_body_on_any_route_gets_a_5xx() {
    let h = Harness::new();
    let jane = h.jane();
    let odd = "\u{0}\u{202e}\u{1F600}ÿ".repeat(50);
    let bodies: Vec<Value> = vec![
        json!({ "username": odd, "code": odd }),
        json!({ "username": "jane", "code": "9".repeat(5000) }),
        json!({ "newPassword": odd, "signedPayload": odd, "username": odd }),
        json!({ "newPassword": "x".repeat(15_000), "signedPayload": "a.b.c", "username": "jane" }),
        json!({ "email": odd, "phone": odd }),
        json!({ "email": format!("{}@example.com", "a".repeat(10_000)) }),
        json!({ "phone": "+".repeat(20) }),
        json!({ "token": odd, "password": odd, "passwordConfirm": odd, "phone": odd }),
        json!({ "token": "1".repeat(6), "password": "", "passwordConfirm": "" }),
        json!({ "username": odd, "email": "x@y.example", "password": "p", "phone": odd, "first_name": odd, "scopes": [1] }),
        json!({ "username": -1, "email": 1.5, "password": null, "token": false, "phone": [], "code": {} }),
    ];
    for (path, prepare) in body_routes() {
        for body in &bodies {
            let answer = h.send(prepare(post(path, body)));
            assert!(answer.status < 500, "{path} {body} → {}", answer.status);
            assert!(serde_json::from_slice::<Value>(&answer.body).is_ok());
        }
    }
    for token in ["", "x", &odd, &"a".repeat(20_000)] {
        let answer = h.send(
            Request::new(Method::Get, "/reg/user/info")
                .header("authorization", &format!("Bearer {token}")),
        );
        assert!(answer.status < 500);
    }
    // The account is untouched by all of it.
    assert!(!h.reg_full_reset(&jane, NEW_PASSWORD).is_empty());
}

fn prepare_for(path: &str) -> Prepare {
    body_routes()
        .into_iter()
        .find(|(p, _)| *p == path)
        .map(|(_, prepare)| prepare)
        .unwrap()
}

#[test]
fn an_unknown_route_gets_404_json() {
    let h = Harness::new();
    for (method, path) in [
        (Method::Get, "/"),
        (Method::Post, "/reg/user"),
        (Method::Post, "/reg/user/resetPasswordRequest/"),
        (Method::Get, "/api/v1/auth/unknown"),
        (Method::Options, "/api/v1/auth/nothing"),
        (Method::Post, "/admin/users/1"),
        (Method::Other, "/nowhere"),
    ] {
        let answer = h.send(Request::new(method, path));
        assert_json_status(&answer, 404);
    }
}

#[test]
fn a_wrong_method_gets_405_json_with_allow() {
    let h = Harness::new();
    let cases = [
        (Method::Get, "/reg/user/resetPasswordRequest", "POST"),
        (Method::Get, "/reg/user/resetPassword", "POST"),
        (Method::Post, "/reg/user/info", "GET"),
        (Method::Other, "/api/v1/auth/forgotpass", "POST"),
        (Method::Get, "/api/v1/auth/resetpass/mobile", "POST"),
        (Method::Get, "/admin/users", "POST"),
        (Method::Post, "/admin/dead-letters", "GET"),
        (Method::Post, "/dev/outbox", "GET"),
        (Method::Options, "/reg/user/resetPassword", "POST"),
    ];
    for (method, path, allowed) in cases {
        let answer = h.send(with_client(Request::new(method, path)));
        assert_json_status(&answer, 405);
        let allow = answer.header_value("allow").unwrap_or_default();
        assert!(allow.contains(allowed), "{path}: Allow {allow:?}");
    }
}

// ---------------------------------------------------------------- secrets stay put

/// Whether `haystack` holds `code` as a number of its own (not inside a longer one).
fn holds_code(haystack: &str, code: &str) -> bool {
    haystack.match_indices(code).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + code.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn no_secret_appears_in_an_answer_except_where_it_is_handed_out() {
    let h = Harness::new();
    let refused_password = "Zq9!xW";
    let mut answers: Vec<(String, Response)> = Vec::new();
    let mut record = |what: &str, response: Response| {
        answers.push((what.to_owned(), response.clone()));
        response
    };

    let created = record(
        "admin create",
        h.send(admin_post(
            "/admin/users",
            &json!({ "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD, "phone": "+447700900456" }),
        )),
    );
    assert_eq!(created.status, 201);
    let jane = User {
        id: String::new(),
        username: "jane".into(),
        email: "jane@example.com".into(),
        phone: Some("+447700900456".into()),
    };

    record("A request", h.reg_request("jane"));
    h.drain();
    let code_a = h.latest_code(&jane.email);
    let wrong = if code_a == "000000" {
        "000001"
    } else {
        "000000"
    };
    record("A wrong code", h.reg_code("jane", wrong));
    let with_payload = h.reg_code("jane", &code_a);
    let payload = with_payload.json_body()["signedPayload"]
        .as_str()
        .unwrap()
        .to_owned();
    record(
        "A refused password",
        h.reg_reset("jane", &payload, refused_password),
    );
    let with_token = h.reg_reset("jane", &payload, NEW_PASSWORD);
    let token_a = with_token.json_body()["token"].as_str().unwrap().to_owned();
    record("A replay", h.reg_reset("jane", &payload, NEWER_PASSWORD));
    record("A info", h.reg_info(&token_a));

    record("B forgot", h.forgot_email(&jane.email));
    h.drain();
    let link = h.latest_link_token(&jane.email);
    record(
        "B mismatch",
        h.reset_link(&link, NEWER_PASSWORD, refused_password),
    );
    let by_link = h.reset_link(&link, NEWER_PASSWORD, NEWER_PASSWORD);
    let token_b = by_link.json_body()["token"].as_str().unwrap().to_owned();
    record(
        "B link reuse",
        h.reset_link(&link, NEWER_PASSWORD, NEWER_PASSWORD),
    );
    record("B forgot mobile", h.forgot_mobile("+447700900456"));
    h.drain();
    let code_b = h.latest_code("+447700900456");
    record(
        "B wrong code",
        h.reset_mobile(wrong, None, refused_password),
    );
    record("B refused", h.reset_mobile(&code_b, None, refused_password));
    let by_code = h.reset_mobile(&code_b, None, NEW_PASSWORD);
    let token_c = by_code.json_body()["token"].as_str().unwrap().to_owned();
    record("B stale token", h.reg_info(&token_a));
    record(
        "dead letters",
        h.send(
            Request::new(Method::Get, "/admin/dead-letters")
                .header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
        ),
    );

    let key = base_vars()["KEYS"].split_once(':').unwrap().1.to_owned();
    let always_hidden = [
        OLD_PASSWORD,
        NEW_PASSWORD,
        NEWER_PASSWORD,
        refused_password,
        &link,
        &key,
        ADMIN_TOKEN,
        "$argon2",
    ];
    for (what, response) in &answers {
        let body = text(response);
        for secret in always_hidden {
            assert!(!body.contains(secret), "{what}: {secret:?} in {body}");
        }
        for code in [&code_a, &code_b] {
            assert!(!holds_code(&body, code), "{what}: code in {body}");
        }
        for handed_out in [&payload, &token_a, &token_b, &token_c] {
            assert!(!body.contains(handed_out.as_str()), "{what}: {body}");
        }
    }
    // Where they are handed out, each answer carries its own secret and no other.
    for (response, own) in [
        (&with_payload, &payload),
        (&with_token, &token_a),
        (&by_link, &token_b),
        (&by_code, &token_c),
    ] {
        let body = text(response);
        assert!(body.contains(own.as_str()));
        for secret in always_hidden {
            assert!(!body.contains(secret));
        }
        assert!(!holds_code(&body, &code_a) && !holds_code(&body, &code_b));
    }
}

#[test]
fn no_secret_appears_in_any_log_line() {
    let h = Harness::with(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_API_KEY", "re_LogSecretKey123"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_BASE_URL", "http://127.0.0.1:1"),
    ]);
    let jane = h.jane();
    // Fail a few e-mail deliveries on the way, for the retry and dead-letter lines.
    for _ in 0..12 {
        h.platform.http.push_status(503);
    }
    h.reg_request("jane");
    h.drain();
    let email_requests = h.platform.http.requests();
    let code_a = email_code(&email_requests).expect("the code went to the provider");
    let payload = h.reg_code("jane", &code_a).json_body()["signedPayload"]
        .as_str()
        .unwrap()
        .to_owned();
    let token_a = h.reg_reset("jane", &payload, NEW_PASSWORD).json_body()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    h.reg_info(&token_a);
    let code_b = h.sms_code(&jane);
    let refused = h.reset_mobile(&code_b, None, "Zq9!xW");
    assert_eq!(refused.status, 400);
    let token_b = h.reset_mobile(&code_b, None, NEWER_PASSWORD).json_body()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    h.reg_info(&token_a);
    h.platform.set_limit(LimitRule::AttemptPerIp, 0);
    h.reg_code("jane", &code_a);
    h.drain();

    let logs = h.platform.logs().join("\n");
    assert!(logs.contains("password_changed"));
    assert!(logs.contains("delivery_dead_letter") || logs.contains("delivery_given_up"));
    let key = base_vars()["KEYS"].split_once(':').unwrap().1.to_owned();
    for secret in [
        OLD_PASSWORD,
        NEW_PASSWORD,
        NEWER_PASSWORD,
        "Zq9!xW",
        &payload,
        &token_a,
        &token_b,
        &key,
        ADMIN_TOKEN,
        "re_LogSecretKey123",
        "$argon2",
    ] {
        assert!(!logs.contains(secret), "{secret:?} in the log:\n{logs}");
    }
    for code in [&code_a, &code_b] {
        assert!(!holds_code(&logs, code), "code {code} in the log:\n{logs}");
    }
    for line in h.platform.logs() {
        let parsed: Value = serde_json::from_str(&line).expect("every log line is JSON");
        assert!(parsed["event"].is_string(), "{line}");
    }
}

#[test]
fn a_link_token_never_appears_in_a_log_line() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.reset_link(&token, "Zq9!xW", "Zq9!xW");
    h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    h.drain();
    let logs = h.platform.logs().join("\n");
    assert!(!logs.contains(&token));
    assert!(!logs.contains(&token[..16]));
}

#[test]
fn logs_name_people_only_by_id_tag_or_mask() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_full_reset(&jane, NEW_PASSWORD);
    h.link_token(&jane);
    h.sms_code(&jane);
    h.reg_request("nobody@example.com");
    h.drain();
    let logs = h.platform.logs().join("\n");
    for identifier in [
        "jane@example.com",
        "+447700900456",
        "447700900456",
        "nobody@example.com",
        "\"jane\"",
    ] {
        assert!(
            !logs.contains(identifier),
            "{identifier} in the log:\n{logs}"
        );
    }
}

#[test]
fn debug_output_of_requests_jobs_and_accounts_hides_every_secret() {
    let request = reg_reset_request("jane", "PAYLOAD-SECRET-123", NEW_PASSWORD)
        .header("authorization", "Bearer TOKEN-SECRET-456");
    let printed = format!("{request:?} {request:#?}");
    for secret in [
        NEW_PASSWORD,
        "PAYLOAD-SECRET-123",
        "TOKEN-SECRET-456",
        "jane",
    ] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }

    let job = reset_job(ResetVia::EmailCode, "jane@example.com");
    let printed = format!("{job:?} {job:#?}");
    assert!(!printed.contains("jane@example.com"), "{printed}");

    let message = compose(
        MessageKind::ResetLink {
            link: format!("{PUBLIC_URL}/reset?token={}", "ab".repeat(32)),
            ttl_minutes: 60,
        },
        Channel::Email,
        "jane@example.com",
        "msg-1",
        NOW,
    );
    let job = Job::Deliver(message);
    let printed = format!("{job:?} {job:#?}");
    assert!(!printed.contains(&"ab".repeat(32)), "{printed}");
    assert!(!printed.contains("jane@example.com"), "{printed}");
    let coded = Job::Deliver(compose(
        MessageKind::ResetCode {
            code: "482913".into(),
            ttl_minutes: 10,
        },
        Channel::Sms,
        "+447700900456",
        "msg-2",
        NOW,
    ));
    let printed = format!("{coded:?} {coded:#?}");
    assert!(
        !printed.contains("482913") && !printed.contains("+447700900456"),
        "{printed}"
    );

    let account = Account {
        id: "a1".into(),
        username: "jane".into(),
        email: "jane@example.com".into(),
        email_id: "e1".into(),
        email_confirmed: true,
        phone: Some("+447700900456".into()),
        first_name: Some("Jane".into()),
        last_name: None,
        user_type: "CUSTOMER".into(),
        scopes: vec![],
        approved: false,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        password_changed_at: 0,
    };
    let printed = format!("{account:?} {account:#?}");
    assert!(
        !printed.contains("$argon2id") && !printed.contains("aGFzaGhhc2g"),
        "{printed}"
    );

    let h = Harness::new();
    let printed = format!("{:?}", h.service.config().unwrap());
    let key = base_vars()["KEYS"].split_once(':').unwrap().1.to_owned();
    assert!(
        !printed.contains(&key) && !printed.contains(ADMIN_TOKEN),
        "{printed}"
    );
}

// ---------------------------------------------------------------- after a reset

#[test]
fn every_reset_sends_a_password_changed_notice() {
    let h = Harness::new();
    let jane = h.jane();
    let notices = |h: &Harness| {
        h.outbox(&jane.email)
            .into_iter()
            .filter(|m| m.subject == "Your password was changed")
            .collect::<Vec<_>>()
    };
    h.reg_full_reset(&jane, NEW_PASSWORD);
    h.drain();
    assert_eq!(notices(&h).len(), 1);

    let token = h.link_token(&jane);
    assert_eq!(
        h.reset_link(&token, NEWER_PASSWORD, NEWER_PASSWORD).status,
        200
    );
    h.drain();
    assert_eq!(notices(&h).len(), 2);

    let code = h.sms_code(&jane);
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 200);
    h.drain();
    let all = notices(&h);
    assert_eq!(all.len(), 3);
    for notice in all {
        assert_eq!(notice.channel, Channel::Email);
        assert!(notice.code.is_none() && notice.link.is_none());
    }
    // A refused attempt sends none.
    let code = h.sms_code(&jane);
    h.reset_mobile(&code, None, "password");
    h.drain();
    assert_eq!(notices(&h).len(), 3);
}

#[test]
fn every_reset_is_logged_as_an_audit_event() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_full_reset(&jane, NEW_PASSWORD);
    let token = h.link_token(&jane);
    h.reset_link(&token, NEWER_PASSWORD, NEWER_PASSWORD);
    let events: Vec<Value> = h
        .platform
        .logs()
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["event"] == "password_changed")
        .collect();
    assert_eq!(events.len(), 2);
    for event in events {
        assert_eq!(event["account"], jane.id.as_str());
        assert!(event["at"].is_u64());
    }
}

#[test]
fn after_a_reset_every_earlier_access_token_is_dead() {
    let h = Harness::new();
    let jane = h.jane();
    let from_a = h.reg_full_reset(&jane, NEW_PASSWORD);
    let link = h.link_token(&jane);
    let from_link = h
        .reset_link(&link, NEWER_PASSWORD, NEWER_PASSWORD)
        .json_body()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_json_status(&h.reg_info(&from_a), 401);
    assert_eq!(h.reg_info(&from_link).status, 200);

    let code = h.sms_code(&jane);
    let from_code = h.reset_mobile(&code, None, NEW_PASSWORD).json_body()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_json_status(&h.reg_info(&from_a), 401);
    assert_json_status(&h.reg_info(&from_link), 401);
    assert_eq!(h.reg_info(&from_code).status, 200);
}

#[test]
fn links_are_built_from_the_public_url_whatever_the_host_header() {
    // Another loopback address than the default one, with a trailing `/` (dropped).
    let h = Harness::with(&[("PUBLIC_URL", "http://localhost:8788/")]);
    let jane = h.jane();
    let request = auth_post(
        "/api/v1/auth/forgotpass",
        &json!({ "email": "jane@example.com" }),
    )
    .header("host", "evil.example")
    .header("x-forwarded-host", "evil.example")
    .header("forwarded", "host=evil.example;proto=http");
    assert_eq!(h.send(request).status, 200);
    h.drain();
    let link = h.latest_link(&jane.email);
    assert!(
        link.starts_with("http://localhost:8788/reset?token="),
        "{link}"
    );
    let message = &h.outbox(&jane.email)[0];
    assert!(!message.text.contains("evil.example"));
}

// ---------------------------------------------------------------- key rotation

#[test]
fn secrets_issued_under_an_older_key_work_after_rotation_until_the_key_is_dropped() {
    let h = Harness::new();
    let jane = h.jane();
    let john = h.john();
    let bob = h.create_user("bob", "bob@example.com", Some("+447700900111"));
    let payload = h.reg_payload(&jane);
    let link = h.link_token(&john);
    let code = h.sms_code(&bob);
    let token = h.reg_full_reset(&h.create_user("ann", "ann@example.com", None), NEW_PASSWORD);

    let rotated = service_from(&vars_with(&[(
        "KEYS",
        &format!("{},{}", key_entry("k2", 99), key_entry("k1", 7)),
    )]));
    let send = |service: &pwreset_service::Service, request| {
        futures_executor::block_on(service.handle(&h.platform, request))
    };
    assert_eq!(
        send(&rotated, reg_reset_request("jane", &payload, NEW_PASSWORD)).status,
        200
    );
    assert_eq!(
        send(
            &rotated,
            Request::new(Method::Get, "/reg/user/info")
                .header("authorization", &format!("Bearer {token}"))
        )
        .status,
        200
    );
    assert_eq!(
        send(&rotated, reset_mobile_request(&code, None, NEW_PASSWORD)).status,
        200
    );
    let fresh = send(&rotated, reset_link_request(&link, NEWER_PASSWORD));
    assert_eq!(fresh.status, 200, "{}", text(&fresh));
    let fresh = fresh.json_body()["token"].as_str().unwrap().to_owned();
    let header = URL_SAFE_NO_PAD
        .decode(fresh.split('.').next().unwrap())
        .unwrap();
    let header: Value = serde_json::from_slice(&header).unwrap();
    assert_eq!(header["kid"], "k2", "the newest key signs");

    let dropped = service_from(&vars_with(&[("KEYS", &key_entry("k2", 99))]));
    let old = send(
        &dropped,
        Request::new(Method::Get, "/reg/user/info")
            .header("authorization", &format!("Bearer {token}")),
    );
    assert_eq!(old.status, 401);
    let new = send(
        &dropped,
        Request::new(Method::Get, "/reg/user/info")
            .header("authorization", &format!("Bearer {fresh}")),
    );
    assert_eq!(new.status, 200);
}

/// The six-digit code in the text of the last provider request that carries one.
fn email_code(requests: &[pwreset_service::delivery::OutboundRequest]) -> Option<String> {
    requests.iter().rev().find_map(|request| {
        let body: Value = serde_json::from_str(&request.body).ok()?;
        let text = body["text"].as_str()?;
        text.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .map(str::to_owned)
    })
}

// ---------------------------------------------------------------- one policy, one token format

#[test]
fn the_configured_policy_is_enforced_on_every_route_that_sets_a_password() {
    let h = Harness::with(&[("PASSWORD_POLICY", r#"{"preset":"nist","min_length":24}"#)]);
    let jane = h.jane();
    let long_enough = "amber-falcon-river-58-kiln";
    assert!(NEW_PASSWORD.chars().count() < 24 && long_enough.chars().count() >= 24);

    let payload = h.reg_payload(&jane);
    let refused = h.reg_reset("jane", &payload, NEW_PASSWORD);
    assert_eq!(refused.status, 400);
    assert_eq!(error_codes(&refused), ["password_too_short"]);
    assert_eq!(h.reg_reset("jane", &payload, long_enough).status, 200);

    let link = h.link_token(&jane);
    let refused = h.reset_link(&link, NEW_PASSWORD, NEW_PASSWORD);
    assert_eq!(error_codes(&refused), ["password_too_short"]);
    assert_eq!(
        h.reset_link(
            &link,
            &format!("{long_enough}-2"),
            &format!("{long_enough}-2")
        )
        .status,
        200
    );

    let code = h.sms_code(&jane);
    let refused = h.reset_mobile(&code, None, NEW_PASSWORD);
    assert_eq!(error_codes(&refused), ["password_too_short"]);
    assert_eq!(
        h.reset_mobile(&code, None, &format!("{long_enough}-3"))
            .status,
        200
    );
}

#[test]
fn a_secret_of_one_kind_is_refused_as_another() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    let token = h.reg_full_reset(&h.john(), NEW_PASSWORD);
    // A signed payload is no access token, and an access token no signed payload.
    assert_json_status(&h.reg_info(&payload), 401);
    assert_json_status(&h.reg_reset("john", &token, NEWER_PASSWORD), 401);
    assert_json_status(&h.reg_reset("jane", &token, NEWER_PASSWORD), 401);
    // Neither is a link token.
    assert_json_status(&h.reset_link(&payload, NEWER_PASSWORD, NEWER_PASSWORD), 400);
    assert_json_status(&h.reset_link(&token, NEWER_PASSWORD, NEWER_PASSWORD), 400);
    // The payload still works where it belongs.
    assert_eq!(h.reg_reset("jane", &payload, NEWER_PASSWORD).status, 200);
}

#[test]
fn an_access_token_from_another_deployment_is_refused() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let other_key = service_from(&vars_with(&[("KEYS", &key_entry("k1", 42))]));
    let answer = futures_executor::block_on(
        other_key.handle(
            &h.platform,
            Request::new(Method::Get, "/reg/user/info")
                .header("authorization", &format!("Bearer {token}")),
        ),
    );
    assert_json_status(&answer, 401);
    let other_site = service_from(&vars_with(&[("PUBLIC_URL", "http://localhost:9999")]));
    assert!(other_site.config().is_ok());
    let answer = futures_executor::block_on(
        other_site.handle(
            &h.platform,
            Request::new(Method::Get, "/reg/user/info")
                .header("authorization", &format!("Bearer {token}")),
        ),
    );
    assert_json_status(&answer, 401);
}

#[test]
fn a_token_from_a_reset_is_accepted_by_every_bearer_route() {
    let h = Harness::new();
    let jane = h.jane();
    let from_a = h.reg_full_reset(&jane, NEW_PASSWORD);
    let changed = "Cobalt#Meadow42";
    let change = |token: &str, old: &str, new: &str| {
        h.send(with_api_key(
            post(
                &format!("{USER_API}/profile/change-password/"),
                &json!({ "old_password": old, "new_password": new, "confirm_password": new }),
            )
            .header("authorization", &format!("Bearer {token}")),
        ))
    };
    let answer = change(&from_a, NEW_PASSWORD, changed);
    assert_json_status(&answer, 200);
    // The change revoked the token it was made with, and sent the notice.
    assert_json_status(&h.reg_info(&from_a), 401);
    h.drain();
    assert!(
        h.outbox(&jane.email)
            .iter()
            .filter(|m| m.subject == "Your password was changed")
            .count()
            == 2
    );

    let code = h.sms_code(&jane);
    let from_b = h.reset_mobile(&code, None, NEWER_PASSWORD).json_body()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_json_status(&change(&from_b, NEWER_PASSWORD, "Amber#Falcon58"), 200);
    assert_json_status(&change(&from_b, "Amber#Falcon58", "Quiet#Lantern93"), 401);
}

#[test]
fn codes_and_link_tokens_are_stored_only_as_keyed_digests() {
    use sha2::{Digest, Sha256};
    let h = Harness::new();
    h.jane();
    let platform = Interleaved::new(&h.platform);
    let run = |via: ResetVia, identifier: &str| {
        let cfg = h.service.config().unwrap();
        futures_executor::block_on(queue::run_job(&platform, cfg, reset_job(via, identifier)))
    };
    run(ResetVia::EmailCode, "jane");
    run(ResetVia::EmailLink, "jane@example.com");
    run(ResetVia::SmsCode, "+447700900456");
    let messages = h.platform.outbox_all();
    assert_eq!(messages.len(), 3);
    let code_a = messages[0].code.clone().unwrap();
    let link = link_token(messages[1].link.as_deref().unwrap());
    let code_b = messages[2].code.clone().unwrap();

    let stored = platform.stored.borrow().join("\n");
    assert!(
        stored.contains("IssueCode") && stored.contains("Claim"),
        "{stored}"
    );
    for secret in [link.as_str(), &link[..32], &link[32..]] {
        assert!(!stored.contains(secret), "link token stored:\n{stored}");
    }
    for code in [&code_a, &code_b] {
        assert!(!holds_code(&stored, code), "code {code} stored:\n{stored}");
        let plain = base16ct::lower::encode_string(&Sha256::digest(code.as_bytes()));
        assert!(!stored.contains(&plain), "unkeyed digest of {code} stored");
    }
    let plain = base16ct::lower::encode_string(&Sha256::digest(link.as_bytes()));
    assert!(
        !stored.contains(&plain),
        "unkeyed digest of the link stored"
    );
    // The secrets work all the same.
    assert_eq!(h.reset_link(&link, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn without_a_right_secret_the_answer_tells_nothing_about_the_account() {
    let h = Harness::new();
    let jane = h.jane();
    h.sms_code(&jane);
    let wrong = "000000";
    let unknown_phone = Some("+447700900999");
    for password in [OLD_PASSWORD, "jane@example.com"] {
        let known = h.reset_mobile(wrong, jane.phone.as_deref(), password);
        let unknown = h.reset_mobile(wrong, unknown_phone, password);
        assert_eq!(
            observable(&known),
            observable(&unknown),
            "{password:?}: known {} vs unknown {}",
            text(&known),
            text(&unknown)
        );
        assert!(
            !error_codes(&known).contains(&"password_same_as_old".to_owned()),
            "{}",
            text(&known)
        );
    }
}
