//! `POST /reset/check`, the reset page's dry run, through the router on the in-memory platform:
//! for a real link it gives exactly the errors a submit gives (similarity to the account, same as
//! current, breached, the policy) and consumes nothing; any other link (unknown, malformed,
//! expired, used, of the other dialect, sent before the password last changed) gets the same
//! status, headers and shape with the policy's verdict alone; it counts `attempt_per_ip` with the
//! submit; bad bodies get their documented plain errors; a failing platform call gives `503` or a
//! verdict; no secret is ever answered or logged.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_core::ErrorCode;
use pwreset_service::api::openapi::{self, Fill};
use pwreset_service::api::reset_page::html::escape;
use pwreset_service::ports::LimitRule;
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

const CHECK: &str = "/reset/check";

/// Too similar to `jane@example.com`, and fine by every other rule of the `django` preset.
const SIMILAR: &str = "Jane.Example.Com";
/// In the fake breach corpus, and fine by every other rule.
const BREACHED: &str = "Correct-horse-breached-42";
/// Well formed, but no link's.
const UNKNOWN_TOKEN: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// `POST /reset/check` with `body`.
fn check_request(body: &Value) -> Request {
    post(CHECK, body)
}

/// The body of a check of `token` (dialect B) with `password` and its confirmation.
fn body_b(token: &str, password: &str) -> Value {
    json!({ "token": token, "password": password, "confirm": password })
}

/// The page's form submission, URL-encoded as a browser sends it.
fn page_submit(fields: &[(&str, &str)]) -> Request {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = Request::new(Method::Post, "/reset")
        .header("content-type", "application/x-www-form-urlencoded");
    request.body = body.into_bytes();
    request
}

/// The `(code, field, message)` of each error of a verdict, or of a dialect B failure.
fn errors(answer: &Response) -> Vec<(String, String, String)> {
    answer.json_body()["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {}", text(answer)))
        .iter()
        .map(|e| {
            let field = |name: &str| e[name].as_str().unwrap_or_default().to_owned();
            (field("code"), field("field"), field("message"))
        })
        .collect()
}

fn codes(answer: &Response) -> Vec<String> {
    errors(answer).into_iter().map(|(code, ..)| code).collect()
}

/// Asserts `answer` is a documented answer of `POST /reset/check` with `status`.
#[track_caller]
fn assert_documented(answer: &Response, status: u16) {
    assert_json_status(answer, status);
    assert_eq!(answer.header_value("cache-control"), Some("no-store"));
    let document = openapi::document().unwrap();
    let schema = openapi::answer_schema(&document, CHECK, "post", status)
        .unwrap_or_else(|| panic!("{status} is not documented"));
    let value: Value = serde_json::from_slice(&answer.body).unwrap();
    openapi::check(&document, schema, &value, Fill::Valid).unwrap();
    // Written canonically, as every JSON answer is.
    assert_eq!(text(answer), value.to_string());
    if status == 429 || status == 503 {
        assert!(answer.header_value("retry-after").is_some(), "{status}");
    }
}

/// A verdict: `200`, documented.
#[track_caller]
fn verdict(answer: &Response) -> Value {
    assert_documented(answer, 200);
    answer.json_body()
}

/// Asserts that no answer and no log line holds any of `secrets`.
#[track_caller]
fn assert_nothing_shows(h: &Harness, answers: &[&Response], secrets: &[&str]) {
    for secret in secrets {
        for answer in answers {
            assert!(!text(answer).contains(secret), "{}", text(answer));
            for (name, value) in &answer.headers {
                assert!(!value.contains(secret), "{name}: {value}");
            }
        }
        for line in h.platform.logs() {
            assert!(!line.contains(secret), "{line}");
        }
    }
}

#[test]
fn a_password_too_similar_to_the_account_gets_the_errors_the_submit_gets() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let checked = h.send(check_request(&body_b(&token, SIMILAR)));
    let result = verdict(&checked);
    assert_eq!(result["valid"], false);
    assert_eq!(codes(&checked), ["password_too_similar"]);
    assert_eq!(result["errors"][0]["field"], "password");
    assert_eq!(result["errors"][0]["params"]["attribute"], "email");

    // Dialect B's submit of the same link: the same errors, word for word.
    let submitted = h.reset_link(&token, SIMILAR, SIMILAR);
    assert_eq!(submitted.status, 400, "{}", text(&submitted));
    assert_eq!(errors(&submitted), errors(&checked));
    // The page's submit lists the same message.
    let page = h.send(page_submit(&[
        ("token", &token),
        ("password", SIMILAR),
        ("password_confirm", SIMILAR),
    ]));
    assert_eq!(page.status, 400);
    let (_, _, message) = &errors(&checked)[0];
    assert!(text(&page).contains(&escape(message)), "{}", text(&page));
    assert_nothing_shows(&h, &[&checked, &submitted], &[&token]);
    // Still usable: neither the check nor the refused submits used it.
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn the_current_password_gets_same_as_old_as_the_submit_does() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let checked = h.send(check_request(&body_b(&token, OLD_PASSWORD)));
    assert_eq!(verdict(&checked)["valid"], false);
    assert_eq!(codes(&checked), ["password_same_as_old"]);
    let submitted = h.reset_link(&token, OLD_PASSWORD, OLD_PASSWORD);
    assert_eq!(errors(&submitted), errors(&checked));
    assert_nothing_shows(&h, &[&checked], &[&token, OLD_PASSWORD]);
}

#[test]
fn a_breached_password_gets_password_breached_for_any_link() {
    let h = Harness::with(&[("BREACHED_CHECK", "fail-closed")]);
    h.platform.add_breached(BREACHED);
    let jane = h.jane();
    let token = h.link_token(&jane);
    // Its only write is the range API's answer, cached as the submit caches it (beside the
    // guard's check of the link, which uses nothing up).
    let watched = Interleaved::new(&h.platform);
    let checked = send_together(
        &h.service,
        &watched,
        vec![check_request(&body_b(&token, BREACHED))],
    )
    .remove(0);
    assert_eq!(codes(&checked), ["password_breached"]);
    let stored: Vec<String> = watched
        .stored
        .borrow()
        .iter()
        .filter(|call| !call.starts_with("guard Check { proof: Link"))
        .cloned()
        .collect();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(stored[0].starts_with("kv pwned:"), "{stored:?}");
    let submitted = h.reset_link(&token, BREACHED, BREACHED);
    assert_eq!(errors(&submitted), errors(&checked));
    // The corpus is no account's: an unknown link's check says the same.
    let unknown = h.send(check_request(&body_b(UNKNOWN_TOKEN, BREACHED)));
    assert_eq!(unknown, checked);
    // Only the hash's prefix left.
    assert!(
        h.platform
            .range_requests()
            .iter()
            .all(|r| !r.contains(BREACHED))
    );
    assert_nothing_shows(&h, &[&checked, &unknown], &[&token, BREACHED]);
    // An unreachable range API fails closed, as the submit does.
    h.platform.set_range_down(true);
    let down = h.send(check_request(&body_b(&token, "Another-unlisted-pass-77")));
    assert_documented(&down, 503);
    assert_eq!(down.json_body()["error"], "service_unavailable");
}

#[test]
fn a_mismatch_is_named_on_the_pages_confirmation_field_and_only_when_confirm_is_sent() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let body = json!({ "token": token, "password": NEW_PASSWORD, "confirm": "something else" });
    let checked = h.send(check_request(&body));
    let result = verdict(&checked);
    assert_eq!(codes(&checked), ["password_mismatch"]);
    assert_eq!(result["errors"][0]["field"], "password_confirm");
    let unconfirmed = h.send(check_request(
        &json!({ "token": token, "password": NEW_PASSWORD }),
    ));
    assert_eq!(verdict(&unconfirmed)["valid"], true);
}

#[test]
fn a_valid_password_is_valid_and_the_check_consumes_nothing() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let before = h.platform.logs().len();
    let recorder = Faulty::new(&h.platform);
    let mut answers = Vec::new();
    for password in [NEW_PASSWORD, SIMILAR, OLD_PASSWORD, "short"] {
        let request = check_request(&body_b(&token, password));
        answers.push(block_on(h.service.handle(&recorder, request)));
    }
    let result = verdict(&answers[0]);
    assert_eq!(
        result,
        json!({ "errors": [], "strength": null, "valid": true })
    );
    // It read, counted the limit and asked the guard's check of the link (which uses nothing
    // up: the link redeems below): no write, no queue.
    for call in recorder.calls() {
        assert!(["allow", "kv_get", "guard"].contains(&call), "{call}");
    }
    // Not a word logged about it.
    assert_eq!(h.platform.logs().len(), before, "{:?}", h.platform.logs());
    let refs: Vec<&Response> = answers.iter().collect();
    assert_nothing_shows(&h, &refs, &[&token, NEW_PASSWORD, OLD_PASSWORD]);
    // The link redeems once, and is then used.
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
    assert_eq!(
        h.reset_link(&token, NEWER_PASSWORD, NEWER_PASSWORD).status,
        400
    );
}

#[test]
fn a_dialect_c_link_is_judged_by_dialect_cs_policy_with_its_user() {
    let h = Harness::new();
    let jane = h.jane();
    let (user, token) = h.user_link(&jane);
    // `seed-002` wants a capital letter; `django` does not.
    let with_user = json!({ "user": user, "token": token, "password": NEW_PASSWORD });
    let checked = h.send(check_request(&with_user));
    assert_eq!(verdict(&checked)["valid"], false);
    let submit = with_api_key(post(
        &format!("{USER_API}/forgot-password-submit/"),
        &json!({ "user": user, "token": token, "new_password": NEW_PASSWORD }),
    ));
    let submitted = h.send(submit);
    assert_eq!(submitted.status, 400, "{}", text(&submitted));
    let similar = json!({ "user": user, "token": token, "password": "Jane.Example.Com1!" });
    assert!(codes(&h.send(check_request(&similar))).contains(&"password_too_similar".to_owned()));
    // Without `user` the link is of the other dialect: an unknown link under dialect B's policy.
    let without_user = h.send(check_request(&body_b(&token, SIMILAR)));
    assert_eq!(verdict(&without_user)["valid"], true);
    // And the page's submit of it works.
    let page = h.send(page_submit(&[
        ("user", &user),
        ("token", &token),
        ("password", "Amber-falcon-river-58"),
        ("password_confirm", "Amber-falcon-river-58"),
    ]));
    assert_eq!(page.status, 200, "{}", text(&page));
}

/// The check of `body`'s link answered exactly as the one of an unknown link.
#[track_caller]
fn assert_answered_as_unknown(h: &Harness, token: &str, user: Option<&str>, password: &str) {
    let mut body = body_b(token, password);
    let mut unknown = body_b(UNKNOWN_TOKEN, password);
    if let Some(user) = user {
        body["user"] = json!(user);
        unknown["user"] = json!(user);
    }
    let answer = h.send(check_request(&body));
    verdict(&answer);
    assert_eq!(answer, h.send(check_request(&unknown)), "{}", text(&answer));
}

#[test]
fn any_other_link_is_answered_alike_with_the_policys_verdict_alone() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    // A password with no account-specific error: the same answer, byte for byte, for a real link
    // and any other, refused or valid.
    for password in ["short", "password", "12345678901", NEW_PASSWORD] {
        let known = h.send(check_request(&body_b(&token, password)));
        verdict(&known);
        for other in [
            UNKNOWN_TOKEN,
            "not a token",
            "",
            &token.to_uppercase()[..63],
        ] {
            let answer = h.send(check_request(&body_b(other, password)));
            assert_eq!(answer, known, "{other:?} {password}");
        }
    }
    // No account: no similarity, no same-as-current.
    for other in [UNKNOWN_TOKEN, "not a token", ""] {
        for password in [SIMILAR, OLD_PASSWORD] {
            let answer = h.send(check_request(&body_b(other, password)));
            assert_eq!(verdict(&answer)["valid"], true, "{}", text(&answer));
        }
    }
    // Sent as dialect B's, asked as dialect C's: as unknown.
    assert_answered_as_unknown(&h, &token, Some(&jane.id), SIMILAR);
    // Used.
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
    assert_answered_as_unknown(&h, &token, None, SIMILAR);
    assert_answered_as_unknown(&h, &token, None, NEW_PASSWORD);
    // Expired.
    let token = h.link_token(&jane);
    let lifetime = h.service.config().unwrap().lifetimes.link;
    h.platform.advance(lifetime);
    assert_answered_as_unknown(&h, &token, None, SIMILAR);
    // Unknown and expired links log nothing either.
    assert_nothing_shows(&h, &[], &[&token, SIMILAR]);
}

#[test]
fn a_link_sent_before_the_password_last_changed_tells_nothing_about_the_new_one() {
    let h = Harness::new();
    let jane = h.jane();
    let stale = h.link_token(&jane);
    h.platform.advance(60);
    // The password changes another way; the guard now refuses the link, and so does the check.
    h.reg_full_reset(&jane, NEW_PASSWORD);
    assert_answered_as_unknown(&h, &stale, None, NEW_PASSWORD);
    assert_answered_as_unknown(&h, &stale, None, SIMILAR);
    let submitted = h.reset_link(&stale, NEWER_PASSWORD, NEWER_PASSWORD);
    assert_eq!(codes(&submitted), ["invalid_secret"]);
    // A link sent since is live again.
    let fresh = h.link_token(&jane);
    let checked = h.send(check_request(&body_b(&fresh, NEW_PASSWORD)));
    assert_eq!(codes(&checked), ["password_same_as_old"]);
}

#[test]
fn a_link_superseded_by_a_newer_one_tells_nothing_about_the_account() {
    let h = Harness::new();
    let jane = h.jane();
    let older = h.link_token(&jane);
    h.platform.advance(60);
    let newer = h.link_token(&jane);
    assert_ne!(older, newer);
    // The guard holds only the newest link: the older one's check is the policy's alone.
    assert_answered_as_unknown(&h, &older, None, SIMILAR);
    assert_answered_as_unknown(&h, &older, None, OLD_PASSWORD);
    assert_eq!(
        codes(&h.send(check_request(&body_b(&newer, OLD_PASSWORD)))),
        ["password_same_as_old"]
    );
    // The check used nothing up: the newer link still redeems, the older one does not.
    assert_eq!(
        codes(&h.reset_link(&older, NEW_PASSWORD, NEW_PASSWORD)),
        ["invalid_secret"]
    );
    assert_eq!(h.reset_link(&newer, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn the_check_counts_attempt_per_ip_with_the_submit() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.platform.set_limit(LimitRule::AttemptPerIp, 3);
    for _ in 0..2 {
        verdict(&h.send(check_request(&body_b(&token, SIMILAR))));
    }
    // The third attempt of the minute is a submit; then both are refused.
    assert_eq!(h.reset_link(&token, SIMILAR, SIMILAR).status, 400);
    let limited = h.send(check_request(&body_b(&token, SIMILAR)));
    assert_documented(&limited, 429);
    assert_eq!(limited.json_body()["error"], "rate_limited");
    assert_eq!(limited.header_value("retry-after"), Some("60"));
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 429);
    // An unknown link counts alike.
    let unknown = h.send(check_request(&body_b(UNKNOWN_TOKEN, SIMILAR)));
    assert_eq!(unknown, limited);
    // Another address has its own count; the next minute starts afresh.
    let elsewhere = h.send(from_ip(
        check_request(&body_b(&token, SIMILAR)),
        "192.0.2.7",
    ));
    assert_eq!(codes(&elsewhere), ["password_too_similar"]);
    h.platform.advance(60);
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn bad_bodies_get_their_documented_plain_errors() {
    let h = Harness::new();
    let raw = |body: &[u8], content_type: Option<&str>| {
        let mut request = Request::new(Method::Post, CHECK);
        request.body = body.to_vec();
        match content_type {
            Some(value) => request.header("content-type", value),
            None => request,
        }
    };
    let json_type = Some("application/json");
    let cases: Vec<(Request, u16, &str, &str)> = vec![
        (
            raw(br#"{"token":"x","password":"y"}"#, None),
            415,
            "unsupported_media_type",
            "content-type",
        ),
        (
            raw(
                b"token=x&password=y",
                Some("application/x-www-form-urlencoded"),
            ),
            415,
            "unsupported_media_type",
            "content-type",
        ),
        (raw(b"nope", json_type), 400, "invalid_json", "body"),
        (raw(b"[1]", json_type), 400, "invalid_json", "body"),
        (raw(b"", json_type), 400, "invalid_json", "body"),
        (
            raw(&[b' '; 16_385], json_type),
            413,
            "body_too_large",
            "body",
        ),
        (
            check_request(&json!({ "password": "y" })),
            400,
            "field_required",
            "token",
        ),
        (
            check_request(&json!({ "token": null, "password": "y" })),
            400,
            "field_required",
            "token",
        ),
        (
            check_request(&json!({ "token": "x" })),
            400,
            "field_required",
            "password",
        ),
        (
            check_request(&json!({ "token": 5, "password": "y" })),
            400,
            "field_invalid",
            "token",
        ),
        (
            check_request(&json!({ "token": "x", "password": ["y"] })),
            400,
            "field_invalid",
            "password",
        ),
        (
            check_request(&json!({ "token": "x", "user": 1, "password": "y" })),
            400,
            "field_invalid",
            "user",
        ),
        (
            check_request(&json!({ "token": "x", "password": "y", "confirm": {} })),
            400,
            "field_invalid",
            "confirm",
        ),
    ];
    for (request, status, code, field) in cases {
        let answer = h.send(request);
        assert_documented(&answer, status);
        let body = answer.json_body();
        assert_eq!(
            (body["error"].as_str(), body["field"].as_str()),
            (Some(code), Some(field))
        );
    }
    // Other fields are ignored; `null` is absent.
    let extra = json!({ "token": "x", "password": "y", "user": null, "confirm": null, "x": [1] });
    verdict(&h.send(check_request(&extra)));
    // A `GET` is not the check's.
    let get = h.send(Request::new(Method::Get, CHECK));
    assert_eq!(get.status, 405);
    assert_eq!(get.header_value("allow"), Some("POST"));
}

#[test]
fn a_refusal_waits_the_least_refusal_time_and_a_verdict_does_not() {
    let h = Harness::with(&[("REFUSAL_MIN_MS", "300")]);
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.platform.take_waits();
    verdict(&h.send(check_request(&body_b(UNKNOWN_TOKEN, SIMILAR))));
    verdict(&h.send(check_request(&body_b(&token, SIMILAR))));
    assert!(h.platform.take_waits().is_empty());
    let bad = h.send(check_request(&json!({ "token": "x" })));
    assert_eq!(bad.status, 400);
    assert_eq!(h.platform.take_waits().len(), 1);
}

#[test]
fn a_failing_platform_call_answers_503_or_a_verdict_and_the_link_still_redeems() {
    let h = Harness::with(&[("BREACHED_CHECK", "fail-closed")]);
    let jane = h.jane();
    let token = h.link_token(&jane);
    // Each run of a valid password gets a new one (`None`), so that its range is not cached yet
    // and the range API is asked (and its answer cached) every time.
    let mut serial = 0;
    let mut next = |fixed: Option<&str>| match fixed {
        Some(password) => password.to_owned(),
        None => {
            serial += 1;
            format!("amber-falcon-river-{serial}x")
        }
    };
    for fixed in [Some(SIMILAR), Some(OLD_PASSWORD), Some("qz7"), None] {
        let expected = h.send(check_request(&body_b(&token, &next(fixed))));
        verdict(&expected);
        let learner = Faulty::new(&h.platform);
        let request = check_request(&body_b(&token, &next(fixed)));
        assert_eq!(block_on(h.service.handle(&learner, request)), expected);
        let calls = learner.calls();
        assert!(calls.starts_with(&["allow", "kv_get"]), "{calls:?}");
        // The guard is asked whether the link is live, with the check that uses nothing up.
        assert_eq!(
            calls.iter().filter(|c| **c == "guard").count(),
            1,
            "{calls:?}"
        );
        for (index, call) in calls.iter().enumerate() {
            for fault in Fault::ALL {
                let password = next(fixed);
                let faulty = Faulty::failing(&h.platform, index, fault);
                let request = check_request(&body_b(&token, &password));
                let answer = block_on(h.service.handle(&faulty, request));
                let context = format!("{password}: {call} {fault:?}");
                match answer.status {
                    200 => assert_eq!(answer, expected, "{context}"),
                    503 => assert_documented(&answer, 503),
                    other => panic!("{context}: {other} {}", text(&answer)),
                }
                assert_nothing_shows(&h, &[&answer], &[&token, &password]);
            }
        }
    }
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn messages_follow_accept_language_and_codes_do_not() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let english = h.send(check_request(&body_b(&token, SIMILAR)));
    let german = h
        .send(check_request(&body_b(&token, SIMILAR)).header("accept-language", "de-CH, en;q=0.5"));
    let (en, de) = (errors(&english), errors(&german));
    assert_eq!((&en[0].0, &en[0].1), (&de[0].0, &de[0].1));
    assert_ne!(en[0].2, de[0].2);
    let submitted =
        h.send(reset_link_request(&token, SIMILAR).header("accept-language", "de-CH, en;q=0.5"));
    assert_eq!(errors(&submitted), de);
}

#[test]
fn the_documented_codes_are_the_cores() {
    let document = openapi::document().unwrap();
    let documented: Vec<&str> = document
        .pointer("/components/schemas/Violation/properties/code/enum")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let core: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(documented, core);
}
