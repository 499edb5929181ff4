//! Dialect B, "auth v1": registered clients at their own origins; a link by e-mail or a code by
//! SMS, redeemed with or without the phone.

mod common;

use std::collections::BTreeSet;

use common::*;
use pwreset_core::secrets::ResetCode;
use pwreset_service::guard::{GlobalAnswer, GlobalOp, MAX_WRONG_TRIES, apply_global_op};
use pwreset_service::testing::memory::MemoryObjectStorage;
use pwreset_service::{Method, Request};
use serde_json::json;

const ROUTES: [&str; 4] = [
    "/api/v1/auth/forgotpass",
    "/api/v1/auth/forgotpass/mobile",
    "/api/v1/auth/resetpass",
    "/api/v1/auth/resetpass/mobile",
];

// ---------------------------------------------------------------- clients, origins, CORS

#[test]
fn a_missing_or_unknown_client_id_is_refused_with_401() {
    let h = Harness::new();
    let body = json!({ "email": "jane@example.com" });
    for path in ROUTES {
        let missing = h.send(post(path, &body).header("origin", ORIGIN));
        assert_json_status(&missing, 401);
        assert_eq!(missing.json_body()["status"], "fail");
        assert_eq!(error_fields(&missing), ["client_id"]);

        let unknown = h.send(
            post(path, &body)
                .header("client_id", "no-such-client")
                .header("origin", ORIGIN),
        );
        assert_json_status(&unknown, 401);
    }
    assert_eq!(h.platform.queued(), 0, "nothing was asked");
}

#[test]
fn a_foreign_or_missing_origin_is_refused_with_403() {
    let h = Harness::new();
    let body = json!({ "email": "jane@example.com" });
    for path in ROUTES {
        let missing = h.send(post(path, &body).header("client_id", CLIENT_ID));
        assert_json_status(&missing, 403);
        assert_eq!(error_fields(&missing), ["origin"]);

        for foreign in [
            "https://evil.example",
            OTHER_ORIGIN,
            "https://app.example.test.evil.example",
            "http://app.example.test",
        ] {
            let answer = h.send(
                post(path, &body)
                    .header("client_id", CLIENT_ID)
                    .header("origin", foreign),
            );
            assert_json_status(&answer, 403);
            assert_eq!(answer.header_value("access-control-allow-origin"), None);
        }
    }
    assert_eq!(h.platform.queued(), 0);
}

#[test]
fn answers_carry_cors_headers_for_the_clients_origin() {
    let h = Harness::new();
    let ok = h.forgot_email("jane@example.com");
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header_value("access-control-allow-origin"), Some(ORIGIN));
    assert!(
        ok.header_value("vary")
            .is_some_and(|v| v.contains("Origin"))
    );

    let refused = h.reset_link(&"0".repeat(64), NEW_PASSWORD, NEW_PASSWORD);
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.header_value("access-control-allow-origin"),
        Some(ORIGIN)
    );

    let other = h.send(
        post(
            "/api/v1/auth/forgotpass",
            &json!({ "email": "a@b.example" }),
        )
        .header("client_id", OTHER_CLIENT_ID)
        .header("origin", OTHER_ORIGIN),
    );
    assert_eq!(other.status, 200);
    assert_eq!(
        other.header_value("access-control-allow-origin"),
        Some(OTHER_ORIGIN)
    );
}

#[test]
fn a_preflight_from_a_registered_origin_is_answered_204_with_the_allowed_headers() {
    let h = Harness::new();
    for path in ROUTES {
        let answer = h.send(
            Request::new(Method::Options, path)
                .header("origin", ORIGIN)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type, client_id"),
        );
        assert_eq!(answer.status, 204);
        assert!(answer.body.is_empty());
        assert_eq!(
            answer.header_value("access-control-allow-origin"),
            Some(ORIGIN)
        );
        let methods = answer.header_value("access-control-allow-methods").unwrap();
        assert!(methods.contains("POST"));
        let allowed = answer
            .header_value("access-control-allow-headers")
            .unwrap()
            .to_ascii_lowercase();
        assert!(allowed.contains("client_id") && allowed.contains("content-type"));
    }
}

#[test]
fn a_preflight_from_an_unknown_origin_is_refused_with_403() {
    let h = Harness::new();
    for origin in [Some("https://evil.example"), None] {
        let mut request = Request::new(Method::Options, "/api/v1/auth/forgotpass")
            .header("access-control-request-method", "POST");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let answer = h.send(request);
        assert_json_status(&answer, 403);
        assert_eq!(answer.header_value("access-control-allow-origin"), None);
    }
}

// ---------------------------------------------------------------- links

#[test]
fn a_link_resets_the_password_and_gives_a_token() {
    let h = Harness::new();
    let jane = h.jane();
    let asked = h.forgot_email("Jane@Example.com");
    assert_json_status(&asked, 200);
    assert_eq!(asked.json_body(), json!({ "status": "success" }));
    h.drain();

    let link = h.latest_link(&jane.email);
    assert!(
        link.starts_with(&format!("{PUBLIC_URL}/reset?token=")),
        "{link}"
    );
    let token = link_token(&link);
    assert_eq!(token.len(), 64);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );

    let reset = h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    assert_json_status(&reset, 200);
    let body = reset.json_body();
    assert_eq!(body["status"], "success");
    let access = body["token"].as_str().unwrap();
    assert_eq!(h.reg_info(access).status, 200);
}

#[test]
fn a_mismatched_confirmation_is_refused_on_password_confirm_and_keeps_the_link() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let mismatch = h.reset_link(&token, NEW_PASSWORD, NEWER_PASSWORD);
    assert_json_status(&mismatch, 400);
    let body = mismatch.json_body();
    assert_eq!(body["status"], "fail");
    assert!(body["message"].is_string());
    let items = body["errors"].as_array().unwrap();
    assert!(items.iter().any(|e| e["field"] == "passwordConfirm"
        && e["code"] == "password_mismatch"
        && e["message"].is_string()));

    let weak = h.reset_link(&token, "password", "password");
    assert_json_status(&weak, 400);
    assert!(error_fields(&weak).iter().all(|f| f == "password"));

    assert_json_status(&h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD), 200);
}

#[test]
fn a_link_is_used_once() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
    let again = h.reset_link(&token, NEWER_PASSWORD, NEWER_PASSWORD);
    assert_json_status(&again, 400);
    assert_eq!(error_fields(&again), ["token"]);
}

#[test]
fn a_link_dies_when_the_password_changes_another_way() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.reg_full_reset(&jane, NEWER_PASSWORD);
    let dead = h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    assert_json_status(&dead, 400);
}

#[test]
fn every_outstanding_link_dies_with_a_reset_by_one_of_them() {
    let h = Harness::new();
    let jane = h.jane();
    let first = h.link_token(&jane);
    h.platform.advance(5);
    let second = h.link_token(&jane);
    assert_ne!(first, second);
    assert_eq!(
        h.reset_link(&second, NEW_PASSWORD, NEW_PASSWORD).status,
        200
    );
    assert_eq!(
        h.reset_link(&first, NEWER_PASSWORD, NEWER_PASSWORD).status,
        400
    );
}

#[test]
fn a_link_lives_one_hour_by_default() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.platform.advance(60 * 60 - 1);
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);

    let token = h.link_token(&jane);
    h.platform.advance(60 * 60 + 1);
    let late = h.reset_link(&token, NEWER_PASSWORD, NEWER_PASSWORD);
    assert_json_status(&late, 400);
}

#[test]
fn a_configured_link_lifetime_is_honoured() {
    let h = Harness::with(&[("LINK_TTL_SECONDS", "86400")]);
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.platform.advance(23 * 60 * 60);
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn a_wrong_or_malformed_link_token_is_refused_with_400() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let mut flipped = token.clone().into_bytes();
    flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    let longer = format!("{token}0");
    for bad in [
        flipped.as_str(),
        &"f".repeat(64),
        "",
        "abc",
        &token[..63],
        &longer,
        &format!("{}g", &token[..63]),
    ] {
        let answer = h.reset_link(bad, NEW_PASSWORD, NEW_PASSWORD);
        assert_json_status(&answer, 400);
    }
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn an_email_shared_by_several_accounts_gets_one_message_with_a_link_for_each() {
    let h = Harness::new();
    h.create_user("twin-one", "twins@example.com", None);
    h.create_user("twin-two", "twins@example.com", None);
    assert_eq!(h.forgot_email("twins@example.com").status, 200);
    h.drain();
    let messages = h.outbox("twins@example.com");
    assert_eq!(messages.len(), 1);
    let text = &messages[0].text;
    let tokens: Vec<String> = text
        .split(&format!("{PUBLIC_URL}/reset?token="))
        .skip(1)
        .map(|rest| rest.chars().take(64).collect())
        .collect();
    assert_eq!(tokens.len(), 2, "{text}");
    assert!(text.contains("twin-one") && text.contains("twin-two"));
    for token in &tokens {
        let reset = h.reset_link(token, NEW_PASSWORD, NEW_PASSWORD);
        assert_eq!(reset.status, 200, "{}", common::text(&reset));
    }
}

// ---------------------------------------------------------------- SMS codes

#[test]
fn an_sms_code_with_the_phone_resets_the_password() {
    let h = Harness::new();
    let jane = h.jane();
    assert_json_status(&h.forgot_mobile("+44 7700 900456"), 200);
    h.drain();
    let messages = h.outbox("+447700900456");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, "+447700900456");
    let code = messages[0].code.clone().unwrap();
    assert_eq!(code.len(), 6);

    let reset = h.reset_mobile(&code, Some("447700900456"), NEW_PASSWORD);
    assert_json_status(&reset, 200);
    let token = reset.json_body()["token"].as_str().unwrap().to_owned();
    assert_eq!(h.reg_info(&token).json_body()["phone"], json!(jane.phone));
}

#[test]
fn an_sms_code_without_the_phone_resets_the_password() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    let reset = h.reset_mobile(&code, None, NEW_PASSWORD);
    assert_json_status(&reset, 200);
    let token = reset.json_body()["token"].as_str().unwrap().to_owned();
    assert_eq!(
        h.reg_info(&token).json_body()["primaryEmail"]["email"],
        "jane@example.com"
    );
    // Used up.
    assert_eq!(h.reset_mobile(&code, None, NEWER_PASSWORD).status, 400);
}

#[test]
fn a_wrong_code_without_the_phone_is_refused_with_400() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    let wrong = other_code(&code, 0);
    let answer = h.reset_mobile(&wrong, None, NEW_PASSWORD);
    assert_json_status(&answer, 400);
    assert_eq!(error_fields(&answer), ["token"]);
    assert!(answer.json_body().get("token").is_none());
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 200);
}

#[test]
fn a_code_given_with_another_accounts_phone_is_refused() {
    let h = Harness::new();
    let jane = h.jane();
    let john = h.john();
    let code = h.sms_code(&jane);
    let answer = h.reset_mobile(&code, john.phone.as_deref(), NEW_PASSWORD);
    assert_json_status(&answer, 400);
    assert_eq!(
        h.reset_mobile(&code, jane.phone.as_deref(), NEW_PASSWORD)
            .status,
        200
    );
}

#[test]
fn a_refused_new_password_keeps_the_sms_code() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    for phone in [jane.phone.as_deref(), None] {
        let refused = h.send(auth_post(
            "/api/v1/auth/resetpass/mobile",
            &json!({ "token": code, "password": NEW_PASSWORD, "passwordConfirm": "typo", "phone": phone }),
        ));
        assert_json_status(&refused, 400);
        assert!(error_fields(&refused).contains(&"passwordConfirm".to_owned()));
    }
    assert_json_status(&h.reset_mobile(&code, None, NEW_PASSWORD), 200);
}

#[test]
fn the_sixth_guess_is_refused_even_with_the_right_code() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    for i in 0..MAX_WRONG_TRIES {
        let guess = other_code(&code, i);
        assert_eq!(
            h.reset_mobile(&guess, jane.phone.as_deref(), NEW_PASSWORD)
                .status,
            400
        );
    }
    let sixth = h.reset_mobile(&code, jane.phone.as_deref(), NEW_PASSWORD);
    assert_json_status(&sixth, 400);
    // Burnt for the phone-less route as well.
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 400);
}

#[test]
fn a_new_sms_code_replaces_the_outstanding_one_everywhere() {
    let h = Harness::new();
    let jane = h.jane();
    let first = h.sms_code(&jane);
    h.platform.advance(5);
    let second = h.sms_code(&jane);
    if first != second {
        assert_eq!(h.reset_mobile(&first, None, NEW_PASSWORD).status, 400);
        assert_eq!(
            h.reset_mobile(&first, jane.phone.as_deref(), NEW_PASSWORD)
                .status,
            400
        );
    }
    assert_eq!(h.reset_mobile(&second, None, NEW_PASSWORD).status, 200);
}

#[test]
fn an_sms_code_lives_ten_minutes() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    h.platform.advance(10 * 60 + 1);
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 400);
    assert_eq!(
        h.reset_mobile(&code, jane.phone.as_deref(), NEW_PASSWORD)
            .status,
        400
    );
}

#[test]
fn live_codes_of_different_accounts_never_collide() {
    let h = Harness::new();
    let users: Vec<User> = (0..12)
        .map(|i| {
            h.create_user(
                &format!("user{i}"),
                &format!("user{i}@example.com"),
                Some(&format!("+4477009001{i:02}")),
            )
        })
        .collect();
    // Several rounds: each new code replaces the account's last one, so the live set stays one
    // per account while many codes are drawn.
    let mut live = Vec::new();
    for round in 0..3 {
        live.clear();
        for user in &users {
            live.push((user.clone(), h.sms_code(user)));
        }
        let distinct: BTreeSet<&String> = live.iter().map(|(_, code)| code).collect();
        assert_eq!(distinct.len(), users.len(), "round {round}");
        h.platform.advance(1);
    }
    // Each live code, without its phone, resets exactly its own account.
    for (user, code) in &live {
        let reset = h.reset_mobile(code, None, NEW_PASSWORD);
        assert_eq!(reset.status, 200, "{}", text(&reset));
        let token = reset.json_body()["token"].as_str().unwrap().to_owned();
        assert_eq!(h.reg_info(&token).json_body()["phone"], json!(user.phone));
    }
}

#[test]
fn the_global_registry_refuses_a_code_another_live_code_holds() {
    let storage = MemoryObjectStorage::default();
    let at = |s| pwreset_core::UnixTime::from_secs(s);
    let claim = |account: &str, expires_at| GlobalOp::Claim {
        stored: "d1".into(),
        digests: vec!["d1".into()],
        account_id: account.into(),
        expires_at,
    };
    let run = |op, now| futures_executor::block_on(apply_global_op(&storage, op, at(now))).unwrap();
    assert_eq!(run(claim("a", NOW + 600), NOW), GlobalAnswer::Claimed);
    assert_eq!(run(claim("b", NOW + 600), NOW + 1), GlobalAnswer::Taken);
    // Released (used, burnt or replaced): free again.
    run(
        GlobalOp::Release {
            digests: vec!["d1".into()],
        },
        NOW + 2,
    );
    assert_eq!(run(claim("b", NOW + 602), NOW + 2), GlobalAnswer::Claimed);
    // Expired: free again.
    assert_eq!(
        run(claim("c", NOW + 1_300), NOW + 602),
        GlobalAnswer::Claimed
    );
}

#[test]
fn the_global_guess_budget_answers_429_with_retry_after_once_spent() {
    let h = Harness::new();
    // Five live codes of six digits: each wrong guess spends 5 / 10^6 of the day's 5 x 10^-5, so
    // ten wrong guesses are allowed and the eleventh is refused.
    let users: Vec<User> = (0..5)
        .map(|i| {
            h.create_user(
                &format!("user{i}"),
                &format!("user{i}@example.com"),
                Some(&format!("+4477009002{i:02}")),
            )
        })
        .collect();
    let codes: Vec<String> = users.iter().map(|u| h.sms_code(u)).collect();
    let allowed = guesses_allowed(codes.len() as u64, 6);
    assert_eq!(allowed, 10);

    let mut guesses = (0..)
        .map(|i| format!("{:06}", 999_999 - i))
        .filter(|g| !codes.contains(g));
    for i in 0..allowed {
        let guess = guesses.next().unwrap();
        let answer = h.reset_mobile(&guess, None, NEW_PASSWORD);
        assert_eq!(answer.status, 400, "guess {i}: {}", text(&answer));
    }
    let spent = h.reset_mobile(&guesses.next().unwrap(), None, NEW_PASSWORD);
    assert_json_status(&spent, 429);
    // The answer tells the client what still works: the code with its phone number.
    assert_eq!(error_codes(&spent), ["phone_required"]);
    assert_eq!(error_fields(&spent), ["phone"]);
    let midnight = 86_400 - NOW % 86_400;
    assert_eq!(
        spent.header_value("retry-after"),
        Some(midnight.to_string().as_str())
    );
    assert_eq!(
        spent.header_value("access-control-allow-origin"),
        Some(ORIGIN)
    );
    // While spent, no phone-less lookup happens, not even for a right code.
    assert_eq!(h.reset_mobile(&codes[0], None, NEW_PASSWORD).status, 429);
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("global_code_budget_spent"))
    );

    // A new UTC day brings a new budget.
    h.platform.advance(midnight);
    let code = h.sms_code(&users[1]);
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 200);
}

#[test]
fn the_global_guess_budget_keeps_the_days_chance_of_a_lucky_guess_within_one_in_ten_thousand() {
    let h = Harness::new();
    let users: Vec<User> = (0..3)
        .map(|i| {
            h.create_user(
                &format!("user{i}"),
                &format!("user{i}@example.com"),
                Some(&format!("+4477009003{i:02}")),
            )
        })
        .collect();
    let codes: Vec<String> = users.iter().map(|u| h.sms_code(u)).collect();
    let mut guesses = (0..)
        .map(|i| format!("{:06}", 999_999 - i))
        .filter(|g| !codes.contains(g));
    let mut chance = 0.0;
    for _ in 0..1_000 {
        let answer = h.reset_mobile(&guesses.next().unwrap(), None, NEW_PASSWORD);
        if answer.status == 429 {
            break;
        }
        assert_eq!(answer.status, 400);
        chance += codes.len() as f64 / 1e6;
    }
    assert!(
        chance <= ResetCode::DAILY_GLOBAL_RISK_BUDGET * (1.0 + 1e-9),
        "the allowed guesses add up to a chance of {chance}"
    );
}

#[test]
fn a_token_from_dialect_b_opens_dialect_a_user_info() {
    let h = Harness::new();
    let jane = h.jane();
    let code = h.sms_code(&jane);
    let reset = h.reset_mobile(&code, jane.phone.as_deref(), NEW_PASSWORD);
    let token = reset.json_body()["token"].as_str().unwrap().to_owned();
    let info = h.reg_info(&token);
    assert_json_status(&info, 200);
    assert_eq!(
        info.json_body()["primaryEmail"]["email"],
        "jane@example.com"
    );
}

/// How many wrong phone-less guesses the documented arithmetic allows in a day: each adds
/// `live / 10^digits` to the day's spent chance, and guessing stops before it passes 5 x 10^-5.
fn guesses_allowed(live: u64, digits: u32) -> u64 {
    // In units of 10^-digits: the budget is 10^(digits - 4), a guess costs `live`.
    let budget_units =
        (ResetCode::DAILY_GLOBAL_RISK_BUDGET * 10f64.powi(digits as i32)).round() as u64;
    budget_units / live
}

/// A six-digit code other than `code`, the `i`th such.
fn other_code(code: &str, i: u32) -> String {
    (0..)
        .map(|k: u32| format!("{:06}", 123_457 * (k + 1) % 1_000_000))
        .filter(|c| c != code)
        .nth(i as usize)
        .unwrap()
}

#[test]
fn a_configured_code_length_is_used_for_sms_and_email_codes() {
    let h = Harness::with(&[("CODE_DIGITS", "8")]);
    let jane = h.jane();
    let code = h.sms_code(&jane);
    assert_eq!(code.len(), 8);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(h.reset_mobile(&code[..6], None, NEW_PASSWORD).status, 400);
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 200);
    h.reg_request("jane");
    h.drain();
    assert_eq!(h.latest_code(&jane.email).len(), 8);
}

#[test]
fn a_dead_link_answers_as_invalid_whatever_the_new_password() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let code = h.sms_code(&jane);
    assert_eq!(h.reset_mobile(&code, None, NEWER_PASSWORD).status, 200);
    for (password, confirm) in [
        (NEWER_PASSWORD, NEWER_PASSWORD),
        (NEW_PASSWORD, "typo"),
        ("password", "password"),
    ] {
        let answer = h.reset_link(&token, password, confirm);
        assert_eq!(answer.status, 400);
        assert_eq!(
            error_codes(&answer),
            ["invalid_secret"],
            "{}",
            text(&answer)
        );
    }
}

#[test]
fn a_link_is_redeemed_only_in_the_dialect_that_sent_it() {
    let h = Harness::new();
    let jane = h.jane();
    // A dialect B link, offered to dialect C's submit with the right account key: refused.
    let b_token = h.link_token(&jane);
    let c_submit = h.send(with_api_key(post(
        "/api/v1/user/forgot-password-submit/",
        &json!({ "user": jane.id, "token": b_token, "new_password": "Fresh-Pass-word-1!" }),
    )));
    assert_eq!(c_submit.status, 400);
    assert_eq!(c_submit.json_body()["errors"][0]["field"], "token");
    // A dialect C link, offered to dialect B's resetpass without the key: refused.
    let asked = h.send(with_api_key(post(
        "/api/v1/user/forgot-password/",
        &json!({ "email": "jane" }),
    )));
    assert_eq!(asked.status, 200);
    h.drain();
    let c_link = h.latest_link(&jane.email);
    assert!(c_link.contains("user="), "{c_link}");
    let c_token = c_link.rsplit("token=").next().unwrap().to_owned();
    let b_reset = h.reset_link(&c_token, "Fresh-Pass-word-1!", "Fresh-Pass-word-1!");
    assert_eq!(b_reset.status, 400);
    assert_eq!(error_fields(&b_reset), ["token"]);
    // The newer link superseded the older one, and works where it belongs.
    assert_eq!(
        h.reset_link(&b_token, "Fresh-Pass-word-1!", "Fresh-Pass-word-1!")
            .status,
        400
    );
    let c_submit = h.send(with_api_key(post(
        "/api/v1/user/forgot-password-submit/",
        &json!({ "user": jane.id, "token": c_token, "new_password": "Fresh-Pass-word-1!" }),
    )));
    assert_eq!(c_submit.status, 200, "{}", text(&c_submit));
}

#[test]
fn refused_passwords_are_explained_in_the_requesters_language() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let german = h.send(
        reset_link_request(&token, "kurz").header("accept-language", "de-DE,de;q=0.9,en;q=0.5"),
    );
    assert_eq!(german.status, 400);
    let messages: Vec<String> = german.json_body()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        messages.contains(
            &"Dieses Passwort ist zu kurz. Es muss mindestens 8 Zeichen enthalten.".to_owned()
        ),
        "{messages:?}"
    );
    let spanish = h.send(reset_link_request(&token, "corta").header("accept-language", "es"));
    assert!(
        text(&spanish).contains("Esta contraseña es demasiado corta"),
        "{}",
        text(&spanish)
    );
    // Codes never change with the language.
    assert_eq!(
        german.json_body()["errors"][0]["code"],
        "password_too_short"
    );
}
