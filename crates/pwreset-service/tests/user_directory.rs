//! The application's user directory over the protocol (v2), natively: the service against the
//! in-memory user service, with a test standing on the path between the two and rewriting answers.
//! A rewritten, unsigned, re-signed, replayed or off-topic answer must fail the request (`503`, or
//! a retried queue job), mail nobody, and leave the password as it was.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use futures_executor::block_on;
use pwreset_service::delivery::DeliveryStore;
use pwreset_service::delivery::OutboundRequest;
use pwreset_service::directory::{
    RemoteDirectory, SIGNATURE_HEADER, request_is_signed, sign_answer, sign_request,
};
use pwreset_service::ports::FetchedAnswer;
use pwreset_service::testing::user_service::MemoryUserService;
use serde_json::{Value, json};

const ATTACKER: &str = "mallory@attacker.example";

/// A service whose accounts live in the in-memory user service.
fn harness() -> Harness {
    Harness::with(&[
        ("USER_DIRECTORY_URL", MemoryUserService::URL),
        ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
    ])
}

fn header<'r>(request: &'r OutboundRequest, name: &str) -> &'r str {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

fn path(request: &OutboundRequest) -> &str {
    request.url.strip_prefix(MemoryUserService::URL).unwrap()
}

fn body(request: &OutboundRequest) -> Value {
    serde_json::from_str(&request.body).unwrap()
}

/// `answer` with a new body, its signature header left as it was (an on-path rewrite).
fn rewritten(mut answer: FetchedAnswer, body: &Value) -> FetchedAnswer {
    answer.body = body.to_string();
    answer
}

/// `answer` with `body`, signed with `secret` for `request`: what a receiver holding `secret`
/// would send.
fn signed_as(secret: &str, request: &OutboundRequest, status: u16, body: &Value) -> FetchedAnswer {
    let body = body.to_string();
    let nonce = header(request, "x-pwreset-nonce");
    let signature = sign_answer(secret, nonce, path(request), status, &body);
    FetchedAnswer {
        status,
        headers: vec![(SIGNATURE_HEADER.to_owned(), format!("v2={signature}"))],
        body,
    }
}

/// Every `/lookup` answer with each account's e-mail swapped for the attacker's.
fn swap_email_in_lookups(request: &OutboundRequest, answer: FetchedAnswer) -> FetchedAnswer {
    if path(request) != "/lookup" {
        return answer;
    }
    let mut value: Value = serde_json::from_str(&answer.body).unwrap();
    for account in value["accounts"].as_array_mut().unwrap() {
        account["email"] = json!(ATTACKER);
    }
    rewritten(answer, &value)
}

fn password_hash(h: &Harness, user: &User) -> String {
    h.platform.user_service.account(&user.id).unwrap()["password_hash"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Asserts a dialect B link reset with `token` is refused with `503` and changes nothing, then
/// succeeds once the path is clean again (nothing was used up).
#[track_caller]
fn refused_then_retried(h: &Harness, user: &User, token: &str) {
    let before = password_hash(h, user);
    let answer = h.reset_link(token, NEW_PASSWORD, NEW_PASSWORD);
    assert_json_status(&answer, 503);
    assert_eq!(error_codes(&answer), ["service_unavailable"]);
    assert_eq!(password_hash(h, user), before, "the password is unchanged");
    h.platform.user_service.stop_intercepting();
    let answer = h.reset_link(token, NEW_PASSWORD, NEW_PASSWORD);
    assert_eq!(answer.status, 200, "retry: {}", text(&answer));
    assert_ne!(password_hash(h, user), before);
}

#[test]
fn every_flow_runs_against_the_user_service() {
    let h = harness();
    let jane = h.jane();
    let stored = h.platform.user_service.account(&jane.id).unwrap();
    assert_eq!(stored["username"], "jane");
    assert!(
        stored["password_hash"]
            .as_str()
            .unwrap()
            .starts_with("$argon2id$")
    );

    // Dialect A: a code by e-mail, a signed payload, a new password, then the account's info.
    let before = password_hash(&h, &jane);
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    assert_ne!(password_hash(&h, &jane), before);
    assert_eq!(h.reg_info(&token).status, 200);

    // Dialect B: a link by e-mail, and an SMS code redeemed without the phone.
    let link = h.link_token(&jane);
    assert_eq!(
        h.reset_link(&link, NEWER_PASSWORD, NEWER_PASSWORD).status,
        200
    );
    let code = h.sms_code(&jane);
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 200);

    let stored = h.platform.user_service.account(&jane.id).unwrap();
    assert_eq!(stored["sessions_revoked"], 3);
    assert_eq!(h.platform.user_service.refused(), []);
    let paths: Vec<String> = h
        .platform
        .user_service
        .calls()
        .into_iter()
        .map(|c| c.0)
        .collect();
    for expected in ["/create", "/lookup", "/set-password", "/revoke-sessions"] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} in {paths:?}"
        );
    }
}

#[test]
fn a_lookup_answer_rewritten_on_the_path_mails_nobody() {
    let h = harness();
    let jane = h.jane();
    h.platform.user_service.intercept(swap_email_in_lookups);

    // The request routes only enqueue (200 either way); the queue's job fails, is retried and
    // ends in the dead letters, and no message goes anywhere.
    assert_eq!(h.reg_request(&jane.username).status, 200);
    assert_eq!(h.forgot_email(&jane.email).status, 200);
    h.drain();
    assert_eq!(h.outbox(ATTACKER), []);
    assert_eq!(h.outbox(&jane.email), []);
    let dead = block_on(h.platform.list_dead_letters()).unwrap();
    assert_eq!(dead.len(), 2, "{dead:?}");
    let failures = h
        .platform
        .logs()
        .into_iter()
        .filter(|l| l.contains("job_failed") && l.contains("signature"))
        .count();
    assert_eq!(failures, 2, "{:#?}", h.platform.logs());

    // Without the attacker, the same request mails Jane.
    h.platform.user_service.stop_intercepting();
    let token = h.link_token(&jane);
    assert_eq!(h.outbox(ATTACKER), []);

    // A synchronous route (the link's account looked up by id) answers 503 and changes nothing.
    h.platform.user_service.intercept(swap_email_in_lookups);
    refused_then_retried(&h, &jane, &token);
}

#[test]
fn an_unsigned_answer_of_a_v1_receiver_is_refused() {
    let h = harness();
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.platform.user_service.intercept(|_, mut answer| {
        answer
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case(SIGNATURE_HEADER));
        answer
    });
    refused_then_retried(&h, &jane, &token);

    // An admin creation through a receiver that does not sign is refused too, not taken for done.
    h.platform.user_service.intercept(|_, mut answer| {
        answer.headers.clear();
        answer
    });
    let answer = h.send(admin_post(
        "/admin/users",
        &json!({ "username": "john", "email": "john@example.org", "password": OLD_PASSWORD }),
    ));
    assert_eq!(answer.status, 503, "{}", text(&answer));
}

#[test]
fn an_answer_signed_with_another_secret_is_refused() {
    let h = harness();
    let jane = h.jane();
    let token = h.link_token(&jane);
    // The attacker rewrites the answer and signs it with a secret of their own.
    h.platform.user_service.intercept(|request, answer| {
        let mut value: Value = serde_json::from_str(&answer.body).unwrap();
        if let Some(accounts) = value["accounts"].as_array_mut() {
            for account in accounts {
                account["email"] = json!(ATTACKER);
            }
        }
        signed_as(
            "attacker-secret-0123456789abcdef0123456789",
            request,
            answer.status,
            &value,
        )
    });
    refused_then_retried(&h, &jane, &token);
}

#[test]
fn an_answer_replayed_to_another_request_is_refused() {
    let h = harness();
    let jane = h.jane();
    // The attacker records Jane's lookup answers while her e-mail is one they control...
    let captured: Rc<RefCell<Vec<FetchedAnswer>>> = Rc::default();
    let record = captured.clone();
    h.platform.user_service.intercept(move |request, answer| {
        if path(request) == "/lookup" {
            record.borrow_mut().push(answer.clone());
        }
        answer
    });
    let mut account = h.platform.user_service.account(&jane.id).unwrap();
    account["email"] = json!(ATTACKER);
    h.platform.user_service.put_account(account.clone());
    assert_eq!(h.reg_request(&jane.username).status, 200);
    h.drain();
    let old_code = h.latest_code(ATTACKER);

    // ...then the application moves her to a new address, and the attacker replays the recorded
    // answer (signed, the right account, the right username) to the next lookup.
    account["email"] = json!(jane.email);
    h.platform.user_service.put_account(account);
    let replay = captured.borrow()[0].clone();
    h.platform.user_service.intercept(move |request, answer| {
        if path(request) == "/lookup" {
            replay.clone()
        } else {
            answer
        }
    });
    assert_eq!(h.reg_request(&jane.username).status, 200);
    h.drain();
    let codes: Vec<_> = h
        .outbox(ATTACKER)
        .into_iter()
        .filter_map(|m| m.code)
        .collect();
    assert_eq!(codes, [old_code], "no new code for the attacker");
    assert_eq!(h.outbox(&jane.email), []);
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("job_failed") && l.contains("signature")),
        "{:#?}",
        h.platform.logs()
    );
}

#[test]
fn a_signed_answer_to_another_question_is_refused() {
    let h = harness();
    let jane = h.jane();
    let john = h.john();
    let john_account = h.platform.user_service.account(&john.id).unwrap();
    let mut mallory = john_account.clone();
    mallory["id"] = json!("0f0f0f0f-0000-4000-8000-000000000000");
    mallory["email"] = json!(ATTACKER);
    mallory["username"] = json!("mallory");

    // A receiver that holds the secret (a bug, or a compromised application) answers a lookup
    // with accounts that don't have what was asked: each is refused.
    let answers: Vec<(&str, Value)> = vec![
        // Jane's username answered with John's account.
        ("username", json!([john_account])),
        // Jane's e-mail answered with Jane and another account that doesn't have her e-mail.
        (
            "email",
            json!([h.platform.user_service.account(&jane.id).unwrap(), mallory]),
        ),
        // Two accounts for one username.
        (
            "username",
            json!([
                h.platform.user_service.account(&jane.id).unwrap(),
                h.platform.user_service.account(&jane.id).unwrap(),
            ]),
        ),
    ];
    for (by, accounts) in answers {
        h.platform.user_service.intercept(move |request, answer| {
            if path(request) == "/lookup" && body(request)["by"] == by {
                signed_as(
                    MemoryUserService::SECRET,
                    request,
                    200,
                    &json!({ "accounts": accounts }),
                )
            } else {
                answer
            }
        });
        let before = h.platform.logs().len();
        assert_eq!(h.reg_request(&jane.username).status, 200);
        assert_eq!(h.forgot_email(&jane.email).status, 200);
        h.drain();
        assert_eq!(h.outbox(&john.email), [], "{by}");
        assert_eq!(h.outbox(ATTACKER), [], "{by}");
        let refused = h.platform.logs()[before..]
            .iter()
            .filter(|l| {
                l.contains("job_failed") && l.contains("another") || l.contains("at most one")
            })
            .count();
        assert!(refused >= 1, "{by}: {:#?}", &h.platform.logs()[before..]);
    }

    // By id (the link's account): John's account for Jane's id.
    h.platform.user_service.stop_intercepting();
    let token = h.link_token(&jane);
    let john_account = h.platform.user_service.account(&john.id).unwrap();
    h.platform.user_service.intercept(move |request, answer| {
        if path(request) == "/lookup" && body(request)["by"] == "id" {
            signed_as(
                MemoryUserService::SECRET,
                request,
                200,
                &json!({ "accounts": [john_account] }),
            )
        } else {
            answer
        }
    });
    let john_before = h.platform.user_service.account(&john.id).unwrap()["password_hash"].clone();
    refused_then_retried(&h, &jane, &token);
    assert_eq!(
        h.platform.user_service.account(&john.id).unwrap()["password_hash"],
        john_before,
        "John's password is unchanged"
    );
}

#[test]
fn a_status_rewritten_on_the_path_is_refused() {
    let h = harness();
    h.jane();
    // `409 taken` turned into `201 created` (signature kept): refused, not a second account.
    h.platform.user_service.intercept(|request, mut answer| {
        if path(request) == "/create" {
            answer.status = 201;
        }
        answer
    });
    let answer = h.send(admin_post(
        "/admin/users",
        &json!({ "username": "jane", "email": "other@example.com", "password": OLD_PASSWORD }),
    ));
    assert_eq!(answer.status, 503, "{}", text(&answer));
    h.platform.user_service.stop_intercepting();
    let answer = h.send(admin_post(
        "/admin/users",
        &json!({ "username": "jane", "email": "other@example.com", "password": OLD_PASSWORD }),
    ));
    assert_eq!(answer.status, 409, "{}", text(&answer));
}

/// The in-memory service checks requests as the reference receiver does: a forged, stale or
/// replayed request is refused with `401`, unsigned.
#[test]
fn the_user_service_refuses_forged_stale_and_replayed_requests() {
    let service = MemoryUserService::default();
    // The directory as the service configures it, with `secret`.
    let configured = |secret: &str| -> RemoteDirectory {
        let vars = vars_with(&[
            ("USER_DIRECTORY_URL", MemoryUserService::URL),
            ("USER_DIRECTORY_SECRET", secret),
        ]);
        let config = service_from(&vars)
            .config()
            .expect("accepted")
            .directory
            .clone();
        config.expect("a user directory")
    };
    let remote = configured(MemoryUserService::SECRET);
    let lookup = json!({ "by": "username", "value": "jane" });
    let nonce = "00112233445566778899aabbccddeeff";
    let request = remote.request("/lookup", &lookup, NOW, nonce);
    let answer = service.answer(&request, NOW);
    assert_eq!(answer.status, 200);
    assert!(remote.answer_is_signed(nonce, "/lookup", &answer));
    assert_eq!(service.answer(&request, NOW).status, 401, "replayed");

    let other = configured(&"x".repeat(40));
    let forged = other.request("/lookup", &lookup, NOW, "10112233445566778899aabbccddeeff");
    let stale = remote.request(
        "/lookup",
        &lookup,
        NOW - 301,
        "20112233445566778899aabbccddeeff",
    );
    let mut v1 = remote.request("/lookup", &lookup, NOW, "30112233445566778899aabbccddeeff");
    for (name, value) in &mut v1.headers {
        if name == SIGNATURE_HEADER {
            *value = value.replacen("v2=", "v1=", 1);
        }
    }
    for refused in [forged, stale, v1] {
        let answer = service.answer(&refused, NOW);
        assert_eq!(answer.status, 401);
        assert_eq!(answer.header(SIGNATURE_HEADER), None);
    }
    let reasons: Vec<String> = service.refused().into_iter().map(|r| r.1).collect();
    assert_eq!(
        reasons,
        [
            "replayed nonce",
            "bad signature",
            "timestamp outside the replay window",
            "bad signature"
        ]
    );

    // The request's signature is the documented string.
    let signature = sign_request(
        MemoryUserService::SECRET,
        NOW,
        nonce,
        "/lookup",
        &request.body,
    );
    assert_eq!(
        header(&request, SIGNATURE_HEADER),
        format!("v2={signature}")
    );
    assert!(request_is_signed(
        MemoryUserService::SECRET,
        &NOW.to_string(),
        nonce,
        "/lookup",
        &request.body,
        Some(header(&request, SIGNATURE_HEADER)),
    ));
}

#[test]
fn http_is_refused_outside_development() {
    // The problems the configuration reports about USER_DIRECTORY_URL (other variables may have
    // their own under production rules).
    let problems = |url: &str, environment: &str| -> Vec<String> {
        let vars = vars_with(&[
            ("USER_DIRECTORY_URL", url),
            ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
            ("ENVIRONMENT", environment),
        ]);
        match service_from(&vars).config() {
            Ok(_) => Vec::new(),
            Err(found) => found
                .0
                .iter()
                .filter(|p| p.contains("USER_DIRECTORY_URL"))
                .cloned()
                .collect(),
        }
    };
    for environment in ["production", "test", "Development", ""] {
        for url in ["http://users.example.com", "http://127.0.0.1:8790"] {
            let found = problems(url, environment);
            assert!(
                found.iter().any(|p| p.contains("https://")),
                "{url} with ENVIRONMENT={environment:?}: {found:?}"
            );
        }
        assert_eq!(
            problems(MemoryUserService::URL, environment),
            Vec::<String>::new()
        );
    }
    assert_eq!(
        problems("http://127.0.0.1:8790", "development"),
        Vec::<String>::new()
    );
    let found = problems("http://users.example.com", "development");
    assert!(found.iter().any(|p| p.contains("loopback")), "{found:?}");
}

#[test]
fn an_application_id_with_query_characters_stays_one_value_of_the_link() {
    let h = Harness::with(&[
        ("USER_DIRECTORY_URL", MemoryUserService::URL),
        ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
    ]);
    let jane = h.jane();
    // Jane under another id: the account moves, it is not copied (a copy would be a second
    // account with her address, and a second link in the message).
    let mut account = h.platform.user_service.remove_account(&jane.id).unwrap();
    let odd_id = "7&token=00#x y+z";
    account["id"] = serde_json::json!(odd_id);
    h.platform.user_service.put_account(account);
    let forgot = with_api_key(post(
        &format!("{USER_API}/forgot-password/"),
        &serde_json::json!({ "email": jane.email }),
    ));
    assert_eq!(h.send(forgot).status, 200);
    h.drain();
    let link = h.latest_link(&jane.email);
    let query = link.split_once('?').unwrap().1;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(pairs.len(), 2, "{link}");
    assert_eq!(pairs[0], ("user".to_owned(), odd_id.to_owned()));
    assert_eq!(pairs[1].0, "token");
}

#[test]
fn a_password_changed_at_in_another_unit_is_refused_not_trusted() {
    let h = harness();
    let jane = h.jane();
    let token = h.link_token(&jane);
    // A receiver that answers milliseconds: every pending change would look stored.
    let mut account = h.platform.user_service.account(&jane.id).unwrap();
    account["password_changed_at"] = serde_json::json!(NOW * 1000);
    h.platform.user_service.put_account(account);
    let answer = h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    assert_json_status(&answer, 503);
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("password_changed_at more than a day ahead")),
        "{:#?}",
        h.platform.logs()
    );
}

#[test]
fn a_user_service_that_is_down_refuses_with_503_and_uses_nothing_up() {
    let h = harness();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let before = password_hash(&h, &jane);
    h.platform.user_service.set_down(true);
    let answer = h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    assert_json_status(&answer, 503);
    assert_eq!(error_codes(&answer), ["service_unavailable"]);
    h.platform.user_service.set_down(false);
    assert_eq!(
        password_hash(&h, &jane),
        before,
        "the password is unchanged"
    );
    let answer = h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    assert_eq!(
        answer.status,
        200,
        "the same link, once it is back: {}",
        text(&answer)
    );
    assert_ne!(password_hash(&h, &jane), before);
}
