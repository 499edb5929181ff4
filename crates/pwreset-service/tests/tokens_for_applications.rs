//! Access tokens that any application checks: `GET /.well-known/jwks.json` publishes the keyring's
//! public keys, tokens are signed `EdDSA`, HS256 ones verify only with `ACCESS_TOKEN_ACCEPT_HS256=on`,
//! and `POST /oauth/introspect` (RFC 7662) tells an application's servers whether a token is
//! active, revocation by a password change included.

mod common;

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use futures_executor::block_on;
use pwreset_core::UnixTime;
use pwreset_core::secrets::{AccessTokenAlgorithms, AccessTokenIssuer, Keyring};
use pwreset_service::ports::{Accounts, LimitRule};
use pwreset_service::{Method, Request, Response, Service};
use serde_json::{Value, json};

const JWKS: &str = "/.well-known/jwks.json";
const INTROSPECT: &str = "/oauth/introspect";
/// The introspection tokens of these tests' configuration.
const INTROSPECTION_TOKEN: &str = "introspection-token-0123456789abcdefghij";
const OTHER_INTROSPECTION_TOKEN: &str = "second-introspection-token-9876543210zyx";

fn with_introspection(changes: &[(&str, &str)]) -> Harness {
    let tokens = format!("{INTROSPECTION_TOKEN}, {OTHER_INTROSPECTION_TOKEN}");
    let mut all = vec![("INTROSPECTION_TOKENS", tokens.as_str())];
    all.extend_from_slice(changes);
    Harness::with(&all)
}

/// A service with `changes` on `h`'s platform (the same accounts and guards): a redeploy.
fn redeployed(changes: &[(&str, &str)]) -> Service {
    let tokens = format!("{INTROSPECTION_TOKEN}, {OTHER_INTROSPECTION_TOKEN}");
    let mut all = vec![("INTROSPECTION_TOKENS", tokens.as_str())];
    all.extend_from_slice(changes);
    let service = service_from(&vars_with(&all));
    assert!(service.config().is_ok(), "{:?}", service.config().err());
    service
}

fn send_to(service: &Service, h: &Harness, request: Request) -> Response {
    block_on(service.handle(&h.platform, request))
}

/// `POST /oauth/introspect` with `token=…` as a form, and the bearer when given.
fn introspect_form(token: &str, bearer: Option<&str>) -> Request {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.append_pair("token", token);
    raw_introspect(
        body.finish().as_bytes(),
        Some("application/x-www-form-urlencoded"),
        bearer,
    )
}

/// `POST /oauth/introspect` with `body` as JSON, and the bearer when given.
fn introspect_json(body: &Value, bearer: Option<&str>) -> Request {
    raw_introspect(
        body.to_string().as_bytes(),
        Some("application/json"),
        bearer,
    )
}

fn raw_introspect(body: &[u8], content_type: Option<&str>, bearer: Option<&str>) -> Request {
    let mut request = Request::new(Method::Post, INTROSPECT);
    request.body = body.to_vec();
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    if let Some(bearer) = bearer {
        request = request.header("authorization", &format!("Bearer {bearer}"));
    }
    request
}

/// The introspection answer for `token`, checked to be a `200` in the route's manner.
#[track_caller]
fn introspection(send: impl Fn(Request) -> Response, token: &str) -> Value {
    let answer = send(introspect_form(token, Some(INTROSPECTION_TOKEN)));
    assert_eq!(answer.status, 200, "{}", text(&answer));
    assert_eq!(
        answer.header_value("content-type"),
        Some("application/json")
    );
    assert_eq!(answer.header_value("cache-control"), Some("no-store"));
    let by_json = send(introspect_json(
        &json!({ "token": token }),
        Some(INTROSPECTION_TOKEN),
    ));
    assert_eq!(by_json.status, 200);
    let (form, json) = (answer.json_body(), by_json.json_body());
    // The claims are the same either way (a JSON body and a form are read alike).
    assert_eq!(form, json);
    form
}

#[track_caller]
fn assert_inactive(value: &Value) {
    assert_eq!(value, &json!({ "active": false }));
}

/// A compact JWT's header and claims.
fn decode(token: &str) -> (Value, Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let part = |i: usize| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[i]).unwrap()).unwrap()
    };
    (part(0), part(1))
}

fn jwks(send: impl Fn(Request) -> Response) -> Vec<Value> {
    let answer = send(Request::new(Method::Get, JWKS));
    assert_eq!(answer.status, 200, "{}", text(&answer));
    answer.json_body()["keys"].as_array().unwrap().clone()
}

fn issuer() -> AccessTokenIssuer {
    AccessTokenIssuer {
        issuer: PUBLIC_URL.to_owned(),
        audience: "pwreset".to_owned(),
        ttl_seconds: 3600,
    }
}

/// A token for `user` as an earlier release issued it: HS256 under the configured key `k1`.
fn hs256_token(h: &Harness, user: &User) -> String {
    let account = block_on(h.platform.account(&user.id)).unwrap().unwrap();
    let keyring = Keyring::parse(&key_entry("k1", 7)).unwrap();
    let token = issuer()
        .issue_with(
            &keyring,
            &account.id,
            &account.password_state(),
            UnixTime::from_secs(NOW),
            AccessTokenAlgorithms::HS256,
        )
        .unwrap();
    token.reveal().to_owned()
}

// ---------------------------------------------------------------- the JWK Set

#[test]
fn the_jwk_set_publishes_one_public_key_per_keyring_entry_and_nothing_else() {
    let keys = format!("{},{}", key_entry("k2", 9), key_entry("k1", 7));
    let h = Harness::with(&[("KEYS", &keys)]);
    let answer = h.send(Request::new(Method::Get, JWKS));
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header_value("content-type"),
        Some("application/json")
    );
    assert_eq!(
        answer.header_value("cache-control"),
        Some("public, max-age=300")
    );
    assert_eq!(
        answer.header_value("access-control-allow-origin"),
        Some("*")
    );
    let body = answer.json_body();
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["keys"]
    );
    let set = body["keys"].as_array().unwrap();
    // Newest first, under the entries' ids.
    let kids: Vec<&str> = set.iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, ["k2", "k1"]);
    for key in set {
        let members: BTreeSet<&str> = key
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            members,
            BTreeSet::from(["alg", "crv", "kid", "kty", "use", "x"]),
            "{key}"
        );
        assert_eq!(key["kty"], "OKP");
        assert_eq!(key["crv"], "Ed25519");
        assert_eq!(key["alg"], "EdDSA");
        assert_eq!(key["use"], "sig");
        let x = URL_SAFE_NO_PAD.decode(key["x"].as_str().unwrap()).unwrap();
        assert_eq!(x.len(), 32);
    }
    assert_ne!(set[0]["x"], set[1]["x"]);
    // No key material of the keyring, raw or in any encoding a JWK would use.
    let text = text(&answer);
    for seed in [7, 9] {
        let material = key_material(seed);
        assert!(!text.contains(&URL_SAFE_NO_PAD.encode(&material)));
    }
    // The same keys whatever the request, and answered to HEAD.
    let head = h.send(Request::new(Method::parse("HEAD"), JWKS));
    assert_eq!(head.json_body(), body);
    let wrong = h.send(post(JWKS, &json!({})));
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header_value("allow"), Some("GET, HEAD"));
}

#[test]
fn tokens_are_eddsa_with_the_newest_entry_s_kid_and_a_rotation_keeps_earlier_tokens() {
    let h = with_introspection(&[]);
    let jane = h.jane();
    let before = h.reg_full_reset(&jane, NEW_PASSWORD);
    let (header, claims) = decode(&before);
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["kid"], "k1");
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(before.rsplit('.').next().unwrap())
            .unwrap()
            .len(),
        64,
        "an Ed25519 signature"
    );
    assert_eq!(claims["sub"], jane.id.as_str());
    let only_k1 = jwks(|r| h.send(r));
    assert_eq!(only_k1.len(), 1);

    // Rotation: a new entry first, the old one kept.
    let keys = format!("{},{}", key_entry("k2", 9), key_entry("k1", 7));
    let rotated = redeployed(&[("KEYS", &keys)]);
    let send = |r| send_to(&rotated, &h, r);
    let set = jwks(send);
    assert_eq!(set.len(), 2);
    assert_eq!(set[0]["kid"], "k2");
    // k1's public key is unchanged: a verifier's cached key still holds.
    assert_eq!(set[1], only_k1[0]);
    assert_json_status(&send(reg_info_request(&before)), 200);
    let active = introspection(send, &before);
    assert_eq!(active["active"], true);

    // A new token carries the new kid; the password change revokes the earlier one.
    let payload = {
        assert_eq!(send(reg_request("jane")).status, 200);
        block_on(h.platform.drain_queue(&rotated));
        let code = h.latest_code(&jane.email);
        let answer = send(reg_code_request("jane", &code));
        answer.json_body()["signedPayload"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let answer = send(reg_reset_request("jane", &payload, NEWER_PASSWORD));
    assert_json_status(&answer, 200);
    let after = answer.json_body()["token"].as_str().unwrap().to_owned();
    assert_eq!(decode(&after).0["kid"], "k2");
    assert_eq!(decode(&after).0["alg"], "EdDSA");
    assert_eq!(introspection(send, &after)["active"], true);
    assert_inactive(&introspection(send, &before));

    // k1 dropped: its tokens no longer verify (here the earlier one was revoked anyway; a token
    // signed by k2 still does).
    let only_k2 = redeployed(&[("KEYS", &key_entry("k2", 9))]);
    let send = |r| send_to(&only_k2, &h, r);
    assert_eq!(jwks(send).len(), 1);
    assert_eq!(introspection(send, &after)["active"], true);
}

#[test]
fn a_token_signed_by_a_dropped_key_is_inactive() {
    let h = with_introspection(&[]);
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let other = redeployed(&[("KEYS", &key_entry("k2", 9))]);
    let send = |r| send_to(&other, &h, r);
    assert_inactive(&introspection(send, &token));
    assert_json_status(&send(reg_info_request(&token)), 401);
}

// ---------------------------------------------------------------- HS256

#[test]
fn hs256_tokens_are_refused_unless_the_transition_is_on() {
    let h = with_introspection(&[]);
    let jane = h.jane();
    let hs256 = hs256_token(&h, &jane);
    assert_eq!(decode(&hs256).0["alg"], "HS256");
    assert_eq!(decode(&hs256).0["kid"], "k1");
    // Off, the default: refused everywhere.
    assert_json_status(&h.reg_info(&hs256), 401);
    assert_inactive(&introspection(|r| h.send(r), &hs256));

    // On: accepted on the Bearer routes and by introspection, and counted in the log.
    let on = redeployed(&[("ACCESS_TOKEN_ACCEPT_HS256", "on")]);
    let send = |r| send_to(&on, &h, r);
    assert_json_status(&send(reg_info_request(&hs256)), 200);
    let active = introspection(send, &hs256);
    assert_eq!(active["active"], true);
    assert_eq!(active["sub"], jane.id.as_str());
    let counted = h
        .platform
        .logs()
        .iter()
        .filter(|l| l.contains("\"access_token_hs256_accepted\""))
        .count();
    assert!(counted >= 2, "{:?}", h.platform.logs());
    // New tokens are EdDSA all the same.
    let payload = {
        assert_eq!(send(reg_request("jane")).status, 200);
        block_on(h.platform.drain_queue(&on));
        let code = h.latest_code(&jane.email);
        send(reg_code_request("jane", &code)).json_body()["signedPayload"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let answer = send(reg_reset_request("jane", &payload, NEW_PASSWORD));
    assert_json_status(&answer, 200);
    let token = answer.json_body()["token"].as_str().unwrap().to_owned();
    assert_eq!(decode(&token).0["alg"], "EdDSA");
    // And the password change revoked the HS256 token as it revokes any.
    assert_inactive(&introspection(send, &hs256));
    // `off` explicitly is the default.
    let off = redeployed(&[("ACCESS_TOKEN_ACCEPT_HS256", "off")]);
    assert_eq!(
        introspection(|r| send_to(&off, &h, r), &token)["active"],
        true
    );
}

#[test]
fn the_transition_variable_is_on_or_off() {
    for value in ["yes", "true", "ON", "1"] {
        let service = service_from(&vars_with(&[("ACCESS_TOKEN_ACCEPT_HS256", value)]));
        let problems = service.config().expect_err("refused").0.clone();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("ACCESS_TOKEN_ACCEPT_HS256")),
            "{value}: {problems:?}"
        );
    }
}

// ---------------------------------------------------------------- introspection

#[test]
fn introspection_answers_the_claims_of_an_active_token_and_inactive_after_a_password_change() {
    let h = with_introspection(&[]);
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let (_, claims) = decode(&token);
    let active = introspection(|r| h.send(r), &token);
    assert_eq!(
        active,
        json!({
            "active": true,
            "sub": jane.id,
            "exp": NOW + 3600,
            "iat": NOW,
            "iss": PUBLIC_URL,
            "aud": "pwreset",
            "jti": claims["jti"],
        })
    );
    // The second configured token works too.
    let second = h.send(introspect_form(&token, Some(OTHER_INTROSPECTION_TOKEN)));
    assert_eq!(second.json_body(), active);

    // A password change (dialect C's change-password, with the token itself) revokes it.
    let changed = "Cobalt#Meadow42";
    let answer = h.send(with_api_key(
        post(
            &format!("{USER_API}/profile/change-password/"),
            &json!({ "old_password": NEW_PASSWORD, "new_password": changed, "confirm_password": changed }),
        )
        .header("authorization", &format!("Bearer {token}")),
    ));
    assert_json_status(&answer, 200);
    assert_inactive(&introspection(|r| h.send(r), &token));
    let fresh = answer.json_body()["token"].as_str().unwrap().to_owned();
    assert_eq!(introspection(|r| h.send(r), &fresh)["active"], true);
}

#[test]
fn every_kind_of_bad_token_is_the_same_inactive_answer() {
    let h = with_introspection(&[]);
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let keyring = Keyring::parse(&key_entry("k1", 7)).unwrap();
    let account = block_on(h.platform.account(&jane.id)).unwrap().unwrap();
    let issue = |issuer: AccessTokenIssuer, subject: &str| {
        issuer
            .issue(
                &keyring,
                subject,
                &account.password_state(),
                UnixTime::from_secs(NOW),
            )
            .unwrap()
            .reveal()
            .to_owned()
    };
    let unknown_account = issue(issuer(), "no-such-account");
    let other_audience = issue(
        AccessTokenIssuer {
            audience: "another-app".to_owned(),
            ..issuer()
        },
        &jane.id,
    );
    let other_issuer = issue(
        AccessTokenIssuer {
            issuer: "http://127.0.0.1:9999".to_owned(),
            ..issuer()
        },
        &jane.id,
    );
    let foreign = {
        let stranger = Keyring::parse(&key_entry("k1", 99)).unwrap();
        issuer()
            .issue(
                &stranger,
                &jane.id,
                &account.password_state(),
                UnixTime::from_secs(NOW),
            )
            .unwrap()
            .reveal()
            .to_owned()
    };
    let (_, payload_part) = token.split_once('.').unwrap();
    let unsigned = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","kid":"k1"}"#),
        payload_part.rsplit_once('.').unwrap().0
    ) + ".";
    let cases = [
        ("garbage", "not-a-token".to_owned()),
        ("tampered", flip_char_at(&token, token.len() - 5)),
        ("alg none", unsigned),
        ("unknown account", unknown_account),
        ("another audience", other_audience),
        ("another issuer", other_issuer),
        ("another keyring", foreign),
        ("very long", "a".repeat(10_000)),
    ];
    for (name, bad) in &cases {
        let answer = h.send(introspect_form(bad, Some(INTROSPECTION_TOKEN)));
        assert_eq!(answer.status, 200, "{name}");
        assert_eq!(text(&answer), r#"{"active":false}"#, "{name}");
    }
    // Expired: an hour on, the token that was active is not.
    assert_eq!(introspection(|r| h.send(r), &token)["active"], true);
    h.platform.advance(3600);
    assert_inactive(&introspection(|r| h.send(r), &token));
}

#[test]
fn a_wrong_or_missing_bearer_gets_401_with_www_authenticate() {
    let h = with_introspection(&[]);
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let body = format!("token={token}");
    let asks: Vec<(&str, Option<String>)> = vec![
        ("no authorization", None),
        (
            "a wrong token",
            Some("Bearer wrong-token-0123456789abcdefghijklmnop".to_owned()),
        ),
        (
            "a prefix",
            Some(format!("Bearer {}", &INTROSPECTION_TOKEN[..20])),
        ),
        (
            "a longer one",
            Some(format!("Bearer {INTROSPECTION_TOKEN}x")),
        ),
        (
            "both joined",
            Some(format!(
                "Bearer {INTROSPECTION_TOKEN},{OTHER_INTROSPECTION_TOKEN}"
            )),
        ),
        ("basic", Some(format!("Basic {INTROSPECTION_TOKEN}"))),
        ("the access token", Some(format!("Bearer {token}"))),
        ("the admin token", Some(format!("Bearer {ADMIN_TOKEN}"))),
    ];
    for (name, authorization) in &asks {
        let mut request = raw_introspect(
            body.as_bytes(),
            Some("application/x-www-form-urlencoded"),
            None,
        );
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        let answer = h.send(request);
        assert_eq!(answer.status, 401, "{name}");
        assert_eq!(
            answer.header_value("www-authenticate"),
            Some("Bearer"),
            "{name}"
        );
        assert_eq!(
            answer.header_value("content-type"),
            Some("application/json")
        );
        let value = answer.json_body();
        assert_eq!(value["error"], "invalid_token", "{name}");
        assert_eq!(
            value.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["error", "error_description"]
        );
        assert!(!text(&answer).contains(&token));
    }
    // Checked before the body is read: a wrong bearer with a bad body is still 401.
    let answer = h.send(raw_introspect(b"nope", Some("text/plain"), Some("wrong")));
    assert_eq!(answer.status, 401);
}

#[test]
fn without_introspection_tokens_the_route_answers_401_to_everyone() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    for bearer in [None, Some(INTROSPECTION_TOKEN), Some("")] {
        let answer = h.send(introspect_form(&token, bearer));
        assert_eq!(answer.status, 401, "{bearer:?}");
        assert_eq!(answer.header_value("www-authenticate"), Some("Bearer"));
    }
}

#[test]
fn bad_bodies_get_their_statuses_in_the_oauth_error_shape() {
    let h = with_introspection(&[]);
    let bearer = Some(INTROSPECTION_TOKEN);
    let form = Some("application/x-www-form-urlencoded");
    let json = Some("application/json");
    let big = vec![b'a'; 16_385];
    let cases: Vec<(&str, Request, u16)> = vec![
        (
            "text/plain",
            raw_introspect(b"token=x", Some("text/plain"), bearer),
            415,
        ),
        (
            "no content type",
            raw_introspect(b"token=x", None, bearer),
            415,
        ),
        (
            "multipart",
            raw_introspect(b"token=x", Some("multipart/form-data; boundary=x"), bearer),
            415,
        ),
        (
            "form without token",
            raw_introspect(b"other=1", form, bearer),
            400,
        ),
        (
            "form empty token",
            raw_introspect(b"token=", form, bearer),
            400,
        ),
        ("empty form", raw_introspect(b"", form, bearer), 400),
        (
            "json without token",
            introspect_json(&json!({}), bearer),
            400,
        ),
        (
            "json null token",
            introspect_json(&json!({ "token": null }), bearer),
            400,
        ),
        (
            "json numeric token",
            introspect_json(&json!({ "token": 5 }), bearer),
            400,
        ),
        (
            "json list token",
            introspect_json(&json!({ "token": ["x"] }), bearer),
            400,
        ),
        (
            "json empty token",
            introspect_json(&json!({ "token": "" }), bearer),
            400,
        ),
        ("json list", raw_introspect(b"[1]", json, bearer), 400),
        ("not json", raw_introspect(b"token=x", json, bearer), 400),
        ("big form", raw_introspect(&big, form, bearer), 413),
        ("big json", raw_introspect(&big, json, bearer), 413),
    ];
    for (name, request, status) in cases {
        let answer = h.send(request);
        assert_eq!(answer.status, status, "{name}: {}", text(&answer));
        assert_eq!(
            answer.header_value("content-type"),
            Some("application/json"),
            "{name}"
        );
        assert_eq!(
            answer.header_value("cache-control"),
            Some("no-store"),
            "{name}"
        );
        let value = answer.json_body();
        assert_eq!(value["error"], "invalid_request", "{name}");
        assert!(
            value["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
        assert_eq!(value.as_object().unwrap().len(), 2, "{name}");
    }
    // Other parameters are ignored; a form's first `token` counts; a charset is fine.
    let answer = h.send(raw_introspect(
        b"token=abc&token_type_hint=access_token&token=def",
        Some("Application/X-WWW-Form-Urlencoded; charset=UTF-8"),
        bearer,
    ));
    assert_eq!(text(&answer), r#"{"active":false}"#);
    let wrong = h.send(Request::new(Method::Get, INTROSPECT));
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header_value("allow"), Some("POST"));
}

#[test]
fn introspection_counts_attempts_per_ip_and_its_refusals_wait() {
    let h = with_introspection(&[("REFUSAL_MIN_MS", "250")]);
    h.platform.set_limit(LimitRule::AttemptPerIp, 2);
    let ask = || h.send(introspect_form("x.y.z", Some(INTROSPECTION_TOKEN)));
    h.platform.take_waits();
    assert_eq!(ask().status, 200);
    // An inactive token is an answer, not a refusal: it does not wait.
    assert_eq!(h.platform.take_waits(), Vec::<u64>::new());
    assert_eq!(h.send(introspect_form("x", Some("wrong"))).status, 401);
    assert_eq!(h.platform.take_waits(), [250]);
    let limited = ask();
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header_value("retry-after"), Some("60"));
    assert_eq!(limited.json_body()["error"], "rate_limited");
    // Another address is counted apart.
    let other = h.send(from_ip(
        introspect_form("x", Some(INTROSPECTION_TOKEN)),
        "192.0.2.7",
    ));
    assert_eq!(other.status, 200);
}

#[test]
fn a_failing_store_is_503_never_an_inactive_token() {
    use pwreset_service::testing::faults::{Fault, Faulty};
    let h = with_introspection(&[]);
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let mut seen = BTreeSet::new();
    for call in 0..6 {
        let faulty = Faulty::failing(&h.platform, call, Fault::Error);
        let answer = block_on(
            h.service
                .handle(&faulty, introspect_form(&token, Some(INTROSPECTION_TOKEN))),
        );
        seen.insert(answer.status);
        match answer.status {
            503 => {
                assert_eq!(answer.json_body()["error"], "temporarily_unavailable");
                assert_eq!(answer.header_value("retry-after"), Some("5"));
            }
            200 => assert_eq!(answer.json_body()["active"], true, "call {call}"),
            other => panic!("call {call}: {other} {}", text(&answer)),
        }
    }
    assert!(seen.contains(&503));
}

#[test]
fn no_token_or_bearer_reaches_the_log() {
    let h = with_introspection(&[]);
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let hs256 = hs256_token(&h, &jane);
    introspection(|r| h.send(r), &token);
    introspection(|r| h.send(r), &hs256);
    h.send(introspect_form(
        &token,
        Some("wrong-bearer-0123456789abcdefghijklmn"),
    ));
    h.platform.set_limit(LimitRule::AttemptPerIp, 0);
    h.send(introspect_form(&token, Some(INTROSPECTION_TOKEN)));
    let logs = h.platform.logs().join("\n");
    for secret in [
        token.as_str(),
        hs256.as_str(),
        INTROSPECTION_TOKEN,
        "wrong-bearer-0123456789abcdefghijklmn",
    ] {
        assert!(!logs.contains(secret), "{secret} logged");
    }
    // Nor the signature alone.
    assert!(!logs.contains(token.rsplit('.').next().unwrap()));
}

// ---------------------------------------------------------------- configuration

#[test]
fn introspection_tokens_are_at_least_32_characters_and_never_echoed() {
    let short = "short-introspection-token-0123";
    let service = service_from(&vars_with(&[(
        "INTROSPECTION_TOKENS",
        &format!("{INTROSPECTION_TOKEN},{short}"),
    )]));
    let problems = service.config().expect_err("refused").to_string();
    assert!(problems.contains("INTROSPECTION_TOKENS"), "{problems}");
    assert!(!problems.contains(short) && !problems.contains(INTROSPECTION_TOKEN));
    let config = service_from(&vars_with(&[(
        "INTROSPECTION_TOKENS",
        &format!("{INTROSPECTION_TOKEN}\n {OTHER_INTROSPECTION_TOKEN} ,"),
    )]));
    let config = config.config().expect("accepted");
    assert_eq!(config.introspection_tokens.len(), 2);
    assert!(!format!("{config:?}").contains(INTROSPECTION_TOKEN));
}

#[test]
fn the_example_introspection_token_is_refused_outside_development() {
    let example = pwreset_service::config::example_value("INTROSPECTION_TOKENS")
        .expect(".dev.vars.example sets INTROSPECTION_TOKENS");
    let accepted = service_from(&vars_with(&[("INTROSPECTION_TOKENS", example)]));
    assert!(accepted.config().is_ok());
    let refused = service_from(&production_vars(&[(
        "INTROSPECTION_TOKENS",
        &format!("{INTROSPECTION_TOKEN} {example}"),
    )]));
    let problems = refused.config().expect_err("refused").to_string();
    assert!(problems.contains("INTROSPECTION_TOKENS"), "{problems}");
    assert!(!problems.contains(example));
}

fn reg_request(username: &str) -> Request {
    post(
        "/reg/user/resetPasswordRequest",
        &json!({ "username": username }),
    )
}

fn reg_info_request(token: &str) -> Request {
    Request::new(Method::Get, "/reg/user/info").header("authorization", &format!("Bearer {token}"))
}
