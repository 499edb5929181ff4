//! Dialect A, "reg": a code by e-mail, a signed payload for the right code, the new password for
//! the payload, and the user info for the access token.

mod common;

use common::*;
use serde_json::json;

#[test]
fn a_full_reset_ends_with_a_token_that_opens_the_user_info() {
    let h = Harness::new();
    let jane = h.jane();

    let asked = h.reg_request("jane");
    assert_json_status(&asked, 200);
    assert_eq!(asked.json_body(), json!({ "status": "success" }));

    h.drain();
    let code = h.latest_code(&jane.email);
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let redeemed = h.reg_code("jane", &code);
    assert_json_status(&redeemed, 200);
    let body = redeemed.json_body();
    assert_eq!(body["status"], "success");
    let payload = body["signedPayload"].as_str().expect("a signed payload");
    assert!(
        payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'),
        "base64url: {payload}"
    );

    let reset = h.reg_reset("jane", payload, NEW_PASSWORD);
    assert_json_status(&reset, 200);
    let body = reset.json_body();
    assert_eq!(body["status"], "success");
    let token = body["token"].as_str().expect("an access token");

    let info = h.reg_info(token);
    assert_json_status(&info, 200);
    let info = info.json_body();
    let email =
        json!({ "id": info["primaryEmail"]["id"], "email": "jane@example.com", "confirmed": true });
    assert!(
        info["primaryEmail"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert_eq!(
        info,
        json!({
            "userType": "CUSTOMER",
            "phone": jane.phone,
            "primaryEmail": email,
            "emails": [email],
            "approved": false,
            "addresses": [],
            "userScopes": [],
            "accounts": [],
            "userGroups": [],
        })
    );
}

#[test]
fn the_user_info_shows_the_scopes_and_user_type_the_account_was_created_with() {
    let h = Harness::new();
    let body = json!({
        "username": "ops", "email": "ops@example.com", "password": OLD_PASSWORD,
        "user_type": "ADMIN", "scopes": ["accounts:read", "deposit:read"],
    });
    assert_eq!(h.send(admin_post("/admin/users", &body)).status, 201);
    let ops = User {
        id: String::new(),
        username: "ops".into(),
        email: "ops@example.com".into(),
        phone: None,
    };
    let token = h.reg_full_reset(&ops, NEW_PASSWORD);
    let info = h.reg_info(&token).json_body();
    assert_eq!(info["userType"], "ADMIN");
    assert_eq!(info["userScopes"], json!(["accounts:read", "deposit:read"]));
    assert_eq!(info["phone"], json!(null));
}

#[test]
fn the_new_password_is_the_one_that_counts_after_the_reset() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_full_reset(&jane, NEW_PASSWORD);
    // Setting the same password again is refused as "the same as the current one".
    let payload = h.reg_payload(&jane);
    let again = h.reg_reset("jane", &payload, NEW_PASSWORD);
    assert_json_status(&again, 400);
    assert_eq!(error_codes(&again), ["password_same_as_old"]);
}

#[test]
fn a_wrong_code_is_refused_with_400() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let answer = h.reg_code("jane", wrong);
    assert_json_status(&answer, 400);
    let body = answer.json_body();
    assert_eq!(body["status"], "fail");
    assert!(body.get("signedPayload").is_none());
    assert_eq!(error_fields(&answer), ["code"]);
}

#[test]
fn five_wrong_codes_burn_it_and_the_right_one_is_refused_after() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    let wrong = wrong_codes(&code, 5);
    for guess in &wrong {
        assert_eq!(h.reg_code("jane", guess).status, 400);
    }
    let sixth = h.reg_code("jane", &code);
    assert_json_status(&sixth, 400);
    assert!(sixth.json_body().get("signedPayload").is_none());
}

#[test]
fn four_wrong_codes_leave_the_right_one_usable() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    for guess in wrong_codes(&code, 4) {
        assert_eq!(h.reg_code("jane", &guess).status, 400);
    }
    assert_json_status(&h.reg_code("jane", &code), 200);
}

#[test]
fn a_malformed_code_counts_as_a_wrong_try() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    for guess in ["12345", "abcdef", "", "1234567", "１２３４５６"] {
        assert_eq!(h.reg_code("jane", guess).status, 400, "guess {guess:?}");
    }
    assert_eq!(h.reg_code("jane", &code).status, 400);
}

#[test]
fn a_code_is_used_once() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.latest_code(&jane.email);
    assert_eq!(h.reg_code("jane", &code).status, 200);
    assert_json_status(&h.reg_code("jane", &code), 400);
}

#[test]
fn a_new_code_replaces_the_outstanding_one() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let first = h.latest_code(&jane.email);
    h.platform.advance(5);
    h.reg_request("jane");
    h.drain();
    let second = h.latest_code(&jane.email);
    if first != second {
        assert_eq!(h.reg_code("jane", &first).status, 400);
    }
    assert_eq!(h.reg_code("jane", &second).status, 200);
}

#[test]
fn a_code_lives_ten_minutes() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    h.platform.advance(10 * 60 - 1);
    let code = h.latest_code(&jane.email);
    assert_json_status(&h.reg_code("jane", &code), 200);

    h.reg_request("jane");
    h.drain();
    h.platform.advance(10 * 60 + 1);
    let code = h.latest_code(&jane.email);
    let late = h.reg_code("jane", &code);
    assert_json_status(&late, 400);
    assert_eq!(error_fields(&late), ["code"]);
}

#[test]
fn a_shorter_configured_code_lifetime_is_honoured() {
    let h = Harness::with(&[("CODE_TTL_SECONDS", "120")]);
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    h.platform.advance(121);
    let code = h.latest_code(&jane.email);
    assert_eq!(h.reg_code("jane", &code).status, 400);
}

#[test]
fn a_used_payload_is_refused_with_401() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    assert_eq!(h.reg_reset("jane", &payload, NEW_PASSWORD).status, 200);
    let replay = h.reg_reset("jane", &payload, NEWER_PASSWORD);
    assert_json_status(&replay, 401);
    assert_eq!(error_fields(&replay), ["signedPayload"]);
}

#[test]
fn a_tampered_payload_is_refused_with_401() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    for index in [0, payload.len() / 3, payload.len() / 2, payload.len() - 10] {
        let tampered = flip_char_at(&payload, index);
        assert_ne!(tampered, payload);
        let answer = h.reg_reset("jane", &tampered, NEW_PASSWORD);
        assert_json_status(&answer, 401);
    }
    for garbage in ["", "x", "not.a.payload", &"A".repeat(400)] {
        assert_eq!(h.reg_reset("jane", garbage, NEW_PASSWORD).status, 401);
    }
    // The untouched payload still works.
    assert_eq!(h.reg_reset("jane", &payload, NEW_PASSWORD).status, 200);
}

#[test]
fn an_expired_payload_is_refused_with_401() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    h.platform.advance(15 * 60 + 1);
    let late = h.reg_reset("jane", &payload, NEW_PASSWORD);
    assert_json_status(&late, 401);
}

#[test]
fn a_payload_is_good_for_its_own_account_only() {
    let h = Harness::new();
    let jane = h.jane();
    h.john();
    let payload = h.reg_payload(&jane);
    let other = h.reg_reset("john", &payload, NEW_PASSWORD);
    assert_json_status(&other, 401);
    let nobody = h.reg_reset("nobody", &payload, NEW_PASSWORD);
    assert_json_status(&nobody, 401);
    assert_eq!(h.reg_reset("jane", &payload, NEW_PASSWORD).status, 200);
}

#[test]
fn a_payload_dies_when_the_password_changes_another_way() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    let code = h.sms_code(&jane);
    assert_eq!(
        h.reset_mobile(&code, jane.phone.as_deref(), NEWER_PASSWORD)
            .status,
        200
    );
    assert_json_status(&h.reg_reset("jane", &payload, NEW_PASSWORD), 401);
}

#[test]
fn a_refused_new_password_answers_400_and_leaves_the_payload_usable() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    let cases: [(&str, &str); 4] = [
        ("password", "password_too_common"),
        ("short", "password_too_short"),
        ("1234567890123", "password_entirely_numeric"),
        ("jane@example.com", "password_too_similar"),
    ];
    for (password, code) in cases {
        let refused = h.reg_reset("jane", &payload, password);
        assert_json_status(&refused, 400);
        assert!(
            error_codes(&refused).iter().any(|c| c == code),
            "{password:?} → {}",
            text(&refused)
        );
        assert!(error_fields(&refused).iter().all(|f| f == "newPassword"));
    }
    assert_json_status(&h.reg_reset("jane", &payload, NEW_PASSWORD), 200);
}

#[test]
fn a_token_dies_when_a_later_reset_changes_the_password() {
    let h = Harness::new();
    let jane = h.jane();
    let first = h.reg_full_reset(&jane, NEW_PASSWORD);
    assert_eq!(h.reg_info(&first).status, 200);
    let second = h.reg_full_reset(&jane, NEWER_PASSWORD);
    assert_json_status(&h.reg_info(&first), 401);
    assert_eq!(h.reg_info(&second).status, 200);
}

#[test]
fn the_user_info_needs_a_good_unexpired_token() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let none = h.send(pwreset_service::Request::new(
        pwreset_service::Method::Get,
        "/reg/user/info",
    ));
    assert_json_status(&none, 401);
    for bad in ["", "garbage", &flip_char_at(&token, token.len() / 2)] {
        assert_json_status(&h.reg_info(bad), 401);
    }
    let basic = h.send(
        pwreset_service::Request::new(pwreset_service::Method::Get, "/reg/user/info")
            .header("authorization", &format!("Basic {token}")),
    );
    assert_json_status(&basic, 401);
    h.platform.advance(60 * 60 + 1);
    assert_json_status(&h.reg_info(&token), 401);
}

#[test]
fn the_account_is_found_by_username_or_by_email() {
    let h = Harness::new();
    let jane = h.create_user("jane.doe", "Jane@Example.com", None);

    // By username, in any case and with stray spaces.
    assert_eq!(h.reg_request(" Jane.Doe ").status, 200);
    h.drain();
    let code = h.latest_code(&jane.email);
    let by_name = h.reg_code("JANE.DOE", &code);
    assert_eq!(by_name.status, 200, "{}", text(&by_name));

    // By e-mail address.
    assert_eq!(h.reg_request("jane@example.com").status, 200);
    h.drain();
    let code = h.latest_code(&jane.email);
    let redeemed = h.reg_code("Jane@Example.com", &code);
    assert_eq!(redeemed.status, 200, "{}", text(&redeemed));
    let payload = redeemed.json_body()["signedPayload"]
        .as_str()
        .unwrap()
        .to_owned();
    let reset = h.reg_reset("jane@example.com", &payload, NEW_PASSWORD);
    assert_json_status(&reset, 200);
}

#[test]
fn an_email_shared_by_several_accounts_names_none_of_them() {
    let h = Harness::new();
    h.create_user("twin-one", "twins@example.com", None);
    h.create_user("twin-two", "twins@example.com", None);
    assert_eq!(h.reg_request("twins@example.com").status, 200);
    h.drain();
    assert!(h.outbox("twins@example.com").is_empty());
}

/// `n` six-digit codes that differ from `code` and from each other.
fn wrong_codes(code: &str, n: usize) -> Vec<String> {
    (0..)
        .map(|i: u32| format!("{:06}", 111_111 * (i % 9) + i / 9))
        .filter(|c| c != code)
        .take(n)
        .collect()
}
