//! The operator's routes (`POST /admin/users`, `GET /admin/dead-letters`) and the developer's
//! outbox (`GET /dev/outbox`).

mod common;

use common::*;
use pwreset_service::delivery::MAX_ATTEMPTS;
use pwreset_service::queue;
use pwreset_service::{Job, Method, Request, Response};
use serde_json::{Value, json};

fn create(h: &Harness, body: &Value) -> Response {
    h.send(admin_post("/admin/users", body))
}

fn dead_letters(h: &Harness) -> Response {
    h.send(
        Request::new(Method::Get, "/admin/dead-letters")
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
    )
}

fn outbox_route(h: &Harness, query: &str) -> Response {
    h.send(Request::new(Method::Get, &format!("/dev/outbox{query}")))
}

/// A service that delivers e-mail through Resend at a closed local port and SMS through the
/// outbox.
fn with_resend() -> Harness {
    Harness::with(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_API_KEY", "re_TestKey0123456789"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_BASE_URL", "http://127.0.0.1:1"),
    ])
}

// ---------------------------------------------------------------- POST /admin/users

#[test]
fn creating_a_user_answers_201_with_its_id() {
    let h = Harness::new();
    let answer = create(
        &h,
        &json!({
            "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD,
            "phone": "+447700900456", "first_name": "Jane", "last_name": "Doe",
            "user_type": "CUSTOMER", "scopes": ["accounts:read"],
        }),
    );
    assert_json_status(&answer, 201);
    let body = answer.json_body();
    let id = body["id"].as_str().unwrap();
    assert_eq!(body, json!({ "id": id }));
    assert_eq!(id.len(), 36);
    let again = create(
        &h,
        &json!({ "username": "john", "email": "john@example.com", "password": OLD_PASSWORD }),
    );
    assert_ne!(again.json_body()["id"], body["id"]);
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("account_created") && l.contains(id))
    );
}

#[test]
fn creating_a_user_needs_the_admin_token() {
    let h = Harness::new();
    let body = json!({ "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD });
    let wrong_tokens = [
        None,
        Some("Bearer wrong-token-0123456789abcdef".to_owned()),
        Some(format!("Bearer {}", &ADMIN_TOKEN[..ADMIN_TOKEN.len() - 1])),
        Some(format!("Bearer {ADMIN_TOKEN}x")),
        Some(format!("Basic {ADMIN_TOKEN}")),
        Some(ADMIN_TOKEN.to_owned()),
    ];
    for authorization in wrong_tokens {
        let mut request = post("/admin/users", &body);
        if let Some(value) = &authorization {
            request = request.header("authorization", value);
        }
        let answer = h.send(request);
        assert_json_status(&answer, 401);
        assert!(!text(&answer).contains(ADMIN_TOKEN));
    }
    // Nothing was created: the username is still free.
    assert_json_status(&create(&h, &body), 201);
}

#[test]
fn admin_routes_are_closed_when_no_admin_token_is_configured() {
    let h = Harness::with(&[("ADMIN_TOKEN", "")]);
    let body = json!({ "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD });
    for token in ["", "anything-at-all-0123456789"] {
        let request =
            post("/admin/users", &body).header("authorization", &format!("Bearer {token}"));
        assert_json_status(&h.send(request), 401);
    }
    let list = h.send(Request::new(Method::Get, "/admin/dead-letters"));
    assert_json_status(&list, 401);
}

#[test]
fn each_bad_field_of_a_new_user_gets_400_naming_it() {
    let h = Harness::new();
    let good = json!({
        "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD,
        "phone": "+447700900456", "first_name": "Jane", "last_name": "Doe",
        "user_type": "CUSTOMER", "scopes": ["a"],
    });
    let long = "x".repeat(151);
    let cases: Vec<(&str, Value)> = vec![
        ("username", json!(null)),
        ("username", json!("")),
        ("username", json!("   ")),
        ("username", json!(42)),
        ("username", json!("x".repeat(255))),
        ("username", json!("bad\nname")),
        ("email", json!(null)),
        ("email", json!("not-an-email")),
        ("email", json!("a@b@c")),
        ("email", json!(["jane@example.com"])),
        ("password", json!(null)),
        ("password", json!("")),
        ("password", json!("x".repeat(4097))),
        ("password", json!(12345678)),
        ("phone", json!("12")),
        ("phone", json!("call me")),
        ("phone", json!(447700900456u64)),
        ("first_name", json!(long)),
        ("first_name", json!(1)),
        ("last_name", json!(long)),
        ("user_type", json!(long)),
        ("scopes", json!("accounts:read")),
        ("scopes", json!([1, 2])),
    ];
    for (field, value) in cases {
        let mut body = good.clone();
        body[field] = value.clone();
        let answer = create(&h, &body);
        assert_json_status(&answer, 400);
        let got = answer.json_body();
        assert_eq!(got["field"], field, "{field} = {value}: {got}");
        assert!(got["error"].is_string() && got["message"].is_string());
        assert!(!text(&answer).contains(OLD_PASSWORD));
    }
    assert_json_status(&create(&h, &good), 201);
}

#[test]
fn a_taken_username_or_phone_gets_409() {
    let h = Harness::new();
    let jane = json!({
        "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD,
        "phone": "+447700900456",
    });
    assert_eq!(create(&h, &jane).status, 201);
    let same_name =
        json!({ "username": " JANE ", "email": "other@example.com", "password": OLD_PASSWORD });
    assert_json_status(&create(&h, &same_name), 409);
    let same_phone = json!({
        "username": "janet", "email": "janet@example.com", "password": OLD_PASSWORD,
        "phone": "+44 7700 900456",
    });
    assert_json_status(&create(&h, &same_phone), 409);
    // An e-mail address may be shared.
    let same_email =
        json!({ "username": "jane2", "email": "Jane@Example.com", "password": OLD_PASSWORD });
    assert_json_status(&create(&h, &same_email), 201);
}

#[test]
fn a_created_user_can_reset_its_password() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let info = h.reg_info(&token).json_body();
    assert_eq!(info["primaryEmail"]["email"], "jane@example.com");
    assert_eq!(info["phone"], "+447700900456");
}

// ---------------------------------------------------------------- GET /admin/dead-letters

#[test]
fn a_message_that_failed_for_good_is_listed_in_the_dead_letters() {
    let h = with_resend();
    let jane = h.jane();
    for _ in 0..MAX_ATTEMPTS {
        h.platform.http.push_status(500);
    }
    assert_eq!(h.reg_request("jane").status, 200);
    h.drain();
    let requests = h.platform.http.requests();
    assert_eq!(requests.len(), MAX_ATTEMPTS as usize);
    assert!(
        requests
            .iter()
            .all(|r| r.url == "http://127.0.0.1:1/emails")
    );

    let answer = dead_letters(&h);
    assert_json_status(&answer, 200);
    let letters = answer.json_body();
    let letters = letters.as_array().unwrap();
    assert_eq!(letters.len(), 1, "{letters:?}");
    let letter = &letters[0];
    assert_eq!(letter["channel"], "email");
    assert_eq!(letter["attempts"], MAX_ATTEMPTS);
    assert!(letter["message_id"].is_string());
    assert!(!letter["reason"].as_str().unwrap().is_empty());
    let to = letter["to"].as_str().unwrap();
    assert_ne!(to, jane.email, "the recipient is masked");
    assert!(to.ends_with("@example.com"));
    let body = text(&answer);
    assert!(!body.contains("re_TestKey0123456789"));
    let code = email_code_sent(&h).unwrap();
    assert!(!body.contains(&code));
    // What went through the dead-letter queue carries no secret either.
    let handed = h.platform.dead_lettered();
    assert_eq!(handed.len(), 1);
    let Job::GaveUp { message, .. } = &handed[0] else {
        panic!("a given-up message: {handed:?}");
    };
    assert!(message.text.is_empty() && message.code.is_none() && message.link.is_none());
    assert!(!serde_json::to_string(&handed[0]).unwrap().contains(&code));
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("delivery_dead_letter"))
    );
}

#[test]
fn a_message_the_provider_refuses_is_dead_lettered_at_once() {
    let h = with_resend();
    h.jane();
    h.platform.http.push_status(422);
    h.reg_request("jane");
    h.drain();
    assert_eq!(h.platform.http.request_count(), 1);
    let letters = dead_letters(&h).json_body();
    assert_eq!(letters.as_array().unwrap().len(), 1);
    assert_eq!(letters[0]["attempts"], 1);
}

#[test]
fn dead_letters_are_listed_newest_first() {
    let h = with_resend();
    h.jane();
    h.john();
    h.platform.http.push_status(422);
    h.reg_request("jane");
    h.drain();
    h.platform.advance(30);
    h.platform.http.push_status(422);
    h.reg_request("john");
    h.drain();
    let letters = dead_letters(&h).json_body();
    let letters = letters.as_array().unwrap();
    assert_eq!(letters.len(), 2);
    assert!(letters[0]["failed_at"].as_u64() > letters[1]["failed_at"].as_u64());
    assert!(letters[0]["to"].as_str().unwrap().ends_with("@example.org"));
}

#[test]
fn the_dead_letters_need_the_admin_token() {
    let h = with_resend();
    let none = h.send(Request::new(Method::Get, "/admin/dead-letters"));
    assert_json_status(&none, 401);
    let wrong = h.send(
        Request::new(Method::Get, "/admin/dead-letters")
            .header("authorization", "Bearer not-the-admin-token-at-all"),
    );
    assert_json_status(&wrong, 401);
    assert_json_status(&dead_letters(&h), 200);
    assert_eq!(dead_letters(&h).json_body(), json!([]));
}

// ---------------------------------------------------------------- GET /dev/outbox

#[test]
fn the_outbox_route_does_not_exist_without_an_outbox_provider() {
    let h = Harness::with(&[
        ("EMAIL_PROVIDER", "webhook"),
        ("SMS_PROVIDER", "webhook"),
        ("WEBHOOK_URL", "http://127.0.0.1:1/hook"),
        (
            "WEBHOOK_SECRET",
            "whsec_0123456789abcdef0123456789abcdef0123456789abcdef",
        ),
    ]);
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let answer = outbox_route(&h, "?to=jane%40example.com");
    assert_json_status(&answer, 404);
    assert_json_status(&outbox_route(&h, ""), 404);
    assert!(h.outbox(&jane.email).is_empty());
    assert_eq!(h.platform.http.request_count(), 1);
}

#[test]
fn the_outbox_route_needs_to() {
    let h = Harness::new();
    for query in ["", "?", "?to=", "?to=%20", "?from=jane%40example.com"] {
        let answer = outbox_route(&h, query);
        assert_json_status(&answer, 400);
        assert_eq!(answer.json_body()["field"], "to", "{query}");
    }
}

#[test]
fn the_outbox_lists_messages_newest_first_in_the_documented_shape() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    h.platform.advance(10);
    h.forgot_email("jane@example.com");
    h.drain();
    h.platform.advance(10);
    h.forgot_mobile("+447700900456");
    h.drain();

    let answer = outbox_route(&h, "?to=Jane%40Example.com");
    assert_json_status(&answer, 200);
    let messages = answer.json_body();
    let messages = messages.as_array().unwrap();
    assert_eq!(messages.len(), 2);
    let newest = &messages[0];
    let oldest = &messages[1];
    assert!(newest["created_at"].as_u64() > oldest["created_at"].as_u64());
    assert!(newest["link"].as_str().unwrap().starts_with(PUBLIC_URL));
    assert!(newest.get("code").is_none());
    let code = oldest["code"].as_str().expect("code is a string");
    assert_eq!(code, h.outbox(&jane.email)[1].code.as_deref().unwrap());
    assert!(oldest["text"].as_str().unwrap().contains(code));
    for message in messages {
        let keys: Vec<&str> = message
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "id",
            "channel",
            "to",
            "subject",
            "text",
            "html",
            "created_at",
        ] {
            assert!(keys.contains(&key), "{key} missing from {message}");
        }
        assert!(keys.iter().all(|k| {
            [
                "id",
                "channel",
                "to",
                "subject",
                "text",
                "html",
                "link",
                "code",
                "created_at",
            ]
            .contains(k)
        }));
        assert!(
            message["html"]
                .as_str()
                .unwrap()
                .starts_with("<!DOCTYPE html>")
        );
        assert_eq!(message["channel"], "email");
        assert_eq!(message["to"], "jane@example.com");
    }

    // A phone, however it is written, lists the SMS in E.164.
    for query in [
        "?to=%2B447700900456",
        "?to=+447700900456",
        "?to=447700900456",
        "?to=%2B44%207700%20900456",
    ] {
        let sms = outbox_route(&h, query).json_body();
        let sms = sms.as_array().unwrap();
        assert_eq!(sms.len(), 1, "{query}");
        assert_eq!(sms[0]["channel"], "sms");
        assert_eq!(sms[0]["to"], "+447700900456");
        assert_eq!(sms[0]["subject"], "");
        assert!(sms[0].get("html").is_none(), "an SMS has no HTML");
        assert!(sms[0]["code"].is_string());
    }
    assert_eq!(
        outbox_route(&h, "?to=nobody%40example.com").json_body(),
        json!([])
    );
}

/// The code in the last e-mail handed to the provider.
fn email_code_sent(h: &Harness) -> Option<String> {
    h.platform.http.requests().iter().rev().find_map(|request| {
        let body: Value = serde_json::from_str(&request.body).ok()?;
        body["text"]
            .as_str()?
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .map(str::to_owned)
    })
}

#[test]
fn a_dead_lettered_reset_request_keeps_the_names_keyed_tag_not_the_name() {
    let h = Harness::new();
    for identifier in ["nobody@example.com", "+15550001234", "someone"] {
        let job = reset_job(pwreset_service::model::job::ResetVia::EmailCode, identifier);
        let body = serde_json::to_value(job).unwrap();
        let decisions = futures_executor::block_on(h.service.consume_batch(
            &h.platform,
            queue::DEAD_LETTER_QUEUE,
            vec![body],
        ));
        assert_eq!(decisions, [queue::Decision::Ack]);
    }
    let letters = dead_letters(&h).json_body();
    let letters = letters.as_array().unwrap();
    assert_eq!(letters.len(), 3);
    for letter in letters {
        let to = letter["to"].as_str().unwrap();
        let tag = to.strip_prefix("identifier ").expect(to);
        assert!(
            tag.len() == 16 && tag.bytes().all(|b| b.is_ascii_hexdigit()),
            "{to}"
        );
    }
    let logged = h.platform.logs().join("\n");
    for part in ["example.com", "1234", "someone"] {
        assert!(!text(&dead_letters(&h)).contains(part), "{part}");
        assert!(!logged.contains(part), "{part}");
    }
}
