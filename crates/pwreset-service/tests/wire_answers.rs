//! What goes over the wire, answer by answer: a broad set of requests to every JSON route (each
//! way a body can be wrong, each refusal, each success) and two checks on every answer:
//!
//! - its bytes are its JSON value written canonically (keys sorted, no white space), as they were
//!   when the dialects built their answers with `json!`: the typed answer structs declare their
//!   fields in that order, and this fails if one does not;
//! - it is what the OpenAPI document says that route answers with that status: the status is
//!   documented, and the body fits the documented schema (required fields present, no field the
//!   schema does not name, constants, types, nested objects and lists).

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_service::api::openapi::{self, Fill};
use pwreset_service::ports::LimitRule;
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

/// One request's answer, with what it was sent to.
struct Case {
    name: String,
    method: Method,
    path: String,
    answer: Response,
}

struct Cases<'h> {
    h: &'h Harness,
    all: Vec<Case>,
}

impl Cases<'_> {
    fn send(&mut self, name: &str, request: Request) -> Response {
        let (method, path) = (request.method, request.path.clone());
        let answer = self.h.send(request);
        self.all.push(Case {
            name: name.to_owned(),
            method,
            path,
            answer: answer.clone(),
        });
        answer
    }

    /// `request` answered by a platform whose first fallible call fails.
    fn send_failing(&mut self, name: &str, request: Request) {
        let (method, path) = (request.method, request.path.clone());
        let faulty = Faulty::failing(&self.h.platform, 0, Fault::Error);
        let answer = block_on(self.h.service.handle(&faulty, request));
        self.all.push(Case {
            name: name.to_owned(),
            method,
            path,
            answer,
        });
    }
}

fn undeclared(path: &str, body: &Value) -> Request {
    let mut request = Request::new(Method::Post, path);
    request.body = body.to_string().into_bytes();
    request.header("content-type", "text/plain")
}

fn too_large(path: &str) -> Request {
    post_raw(path, &vec![b' '; 16_385])
}

const REG_REQUEST: &str = "/reg/user/resetPasswordRequest";
const REG_RESET: &str = "/reg/user/resetPassword";
const AUTH_FORGOT: &str = "/api/v1/auth/forgotpass";
const AUTH_FORGOT_MOBILE: &str = "/api/v1/auth/forgotpass/mobile";
const AUTH_RESET: &str = "/api/v1/auth/resetpass";
const AUTH_RESET_MOBILE: &str = "/api/v1/auth/resetpass/mobile";

fn user_path(route: &str) -> String {
    format!("{USER_API}/{route}")
}

fn user_post(route: &str, body: &Value) -> Request {
    with_api_key(post(&user_path(route), body))
}

/// Bodies that are wrong as a whole, for a route built by `build`.
fn bad_bodies(cases: &mut Cases, prefix: &str, build: &dyn Fn(&[u8], bool) -> Request) {
    cases.send(&format!("{prefix} undeclared"), build(b"{}", false));
    cases.send(&format!("{prefix} not json"), build(b"nope", true));
    cases.send(&format!("{prefix} a list"), build(b"[1]", true));
    cases.send(&format!("{prefix} a string"), build(br#""x""#, true));
    cases.send(&format!("{prefix} empty"), build(b"", true));
    cases.send(&format!("{prefix} too large"), build(&[b' '; 16_385], true));
}

fn raw(path: &str, body: &[u8], declared: bool) -> Request {
    let mut request = Request::new(Method::Post, path);
    request.body = body.to_vec();
    if declared {
        request.header("content-type", "application/json")
    } else {
        request
    }
}

fn dialect_a(cases: &mut Cases, h: &Harness) {
    let jane = h.jane();
    bad_bodies(cases, "A request", &|b, d| raw(REG_REQUEST, b, d));
    bad_bodies(cases, "A reset", &|b, d| raw(REG_RESET, b, d));
    for (name, body) in [
        ("no username", json!({})),
        ("null username", json!({ "username": null })),
        ("numeric username", json!({ "username": 5 })),
        ("list username", json!({ "username": ["jane"] })),
        ("blank username", json!({ "username": "   " })),
        (
            "numeric code",
            json!({ "username": "jane", "code": 123456 }),
        ),
        (
            "numeric code, no username",
            json!({ "code": 123456, "other": true }),
        ),
        ("null code", json!({ "username": "nobody", "code": null })),
        (
            "unknown fields",
            json!({ "username": "x", "extra": [1, 2] }),
        ),
    ] {
        cases.send(&format!("A request {name}"), post(REG_REQUEST, &body));
    }
    cases.send(
        "A request ok",
        post(REG_REQUEST, &json!({ "username": "jane" })),
    );
    cases.send(
        "A request undeclared",
        undeclared(REG_REQUEST, &json!({ "username": "jane" })),
    );
    cases.send("A code wrong", reg_code_request("jane", "000000"));
    cases.send("A code malformed", reg_code_request("jane", "12ab"));
    cases.send(
        "A code unknown account",
        reg_code_request("nobody", "123456"),
    );
    h.drain();
    let answer = cases.send(
        "A code right",
        reg_code_request("jane", &h.latest_code(&jane.email)),
    );
    assert_eq!(answer.status, 200, "{}", text(&answer));
    let payload = answer.json_body()["signedPayload"]
        .as_str()
        .unwrap()
        .to_owned();
    for (name, body) in [
        ("empty", json!({})),
        (
            "numeric newPassword",
            json!({ "newPassword": 1, "signedPayload": 2, "username": 3 }),
        ),
        (
            "numeric signedPayload",
            json!({ "newPassword": "x", "signedPayload": 2, "username": 3 }),
        ),
        (
            "no signedPayload",
            json!({ "newPassword": "x", "username": 3 }),
        ),
        (
            "numeric username",
            json!({ "newPassword": "x", "signedPayload": "y", "username": 3 }),
        ),
        (
            "blank username",
            json!({ "newPassword": "x", "signedPayload": "y", "username": "" }),
        ),
        (
            "no username",
            json!({ "newPassword": "x", "signedPayload": "y" }),
        ),
    ] {
        cases.send(&format!("A reset {name}"), post(REG_RESET, &body));
    }
    cases.send(
        "A reset forged payload",
        reg_reset_request("jane", "AQEOforged", NEW_PASSWORD),
    );
    cases.send(
        "A reset short password",
        reg_reset_request("jane", &payload, "a"),
    );
    cases.send(
        "A reset common password",
        reg_reset_request("jane", &payload, "password"),
    );
    cases.send(
        "A reset same password",
        reg_reset_request("jane", &payload, OLD_PASSWORD),
    );
    let token = cases.send(
        "A reset ok",
        reg_reset_request("jane", &payload, NEW_PASSWORD),
    );
    let token = token.json_body()["token"].as_str().unwrap().to_owned();
    cases.send(
        "A reset used payload",
        reg_reset_request("jane", &payload, NEWER_PASSWORD),
    );
    cases.send(
        "A info ok",
        Request::new(Method::Get, "/reg/user/info")
            .header("authorization", &format!("Bearer {token}")),
    );
    let phoneless = h.create_user("phoneless", "phoneless@example.com", None);
    let token = h.reg_full_reset(&phoneless, NEW_PASSWORD);
    cases.send(
        "A info without a phone",
        Request::new(Method::Get, "/reg/user/info")
            .header("authorization", &format!("Bearer {token}")),
    );
    cases.send(
        "A info no token",
        Request::new(Method::Get, "/reg/user/info"),
    );
    cases.send(
        "A info bad token",
        Request::new(Method::Get, "/reg/user/info").header("authorization", "Bearer x.y.z"),
    );
    cases.send_failing(
        "A request unavailable",
        post(REG_REQUEST, &json!({ "username": "jane" })),
    );
    cases.send_failing(
        "A info unavailable",
        Request::new(Method::Get, "/reg/user/info"),
    );
}

fn dialect_b(cases: &mut Cases, h: &Harness) {
    let jane = h.jane();
    for path in [
        AUTH_FORGOT,
        AUTH_FORGOT_MOBILE,
        AUTH_RESET,
        AUTH_RESET_MOBILE,
    ] {
        bad_bodies(cases, &format!("B {path}"), &|b, d| {
            with_client(raw(path, b, d))
        });
        cases.send(
            &format!("B {path} empty object"),
            auth_post(path, &json!({})),
        );
        cases.send(
            &format!("B {path} no client"),
            post(path, &json!({})).header("origin", ORIGIN),
        );
        cases.send(
            &format!("B {path} unknown client, foreign origin"),
            post(path, &json!({}))
                .header("client_id", "nobody")
                .header("origin", "https://evil.example"),
        );
        cases.send(
            &format!("B {path} other client's origin"),
            post(path, &json!({}))
                .header("client_id", CLIENT_ID)
                .header("origin", OTHER_ORIGIN),
        );
        cases.send(
            &format!("B {path} no origin"),
            post(path, &json!({})).header("client_id", CLIENT_ID),
        );
        cases.send(
            &format!("B {path} preflight"),
            Request::new(Method::Options, path).header("origin", ORIGIN),
        );
        cases.send(
            &format!("B {path} preflight, foreign origin"),
            Request::new(Method::Options, path).header("origin", "https://evil.example"),
        );
    }
    for (name, body) in [
        ("numeric email", json!({ "email": 1 })),
        ("bad email", json!({ "email": "not an address" })),
        ("ok", json!({ "email": "jane@example.com", "x": 1 })),
    ] {
        cases.send(&format!("B forgot {name}"), auth_post(AUTH_FORGOT, &body));
    }
    for (name, body) in [
        ("numeric phone", json!({ "phone": 1 })),
        ("bad phone", json!({ "phone": "12" })),
        ("ok", json!({ "phone": "+447700900456" })),
    ] {
        cases.send(
            &format!("B forgot mobile {name}"),
            auth_post(AUTH_FORGOT_MOBILE, &body),
        );
    }
    for path in [AUTH_RESET, AUTH_RESET_MOBILE] {
        for (name, body) in [
            ("numeric token", json!({ "token": 1, "password": 2 })),
            ("no password", json!({ "token": "1", "passwordConfirm": 2 })),
            (
                "numeric confirm",
                json!({ "token": "1", "password": "2", "passwordConfirm": 3 }),
            ),
            (
                "numeric phone",
                json!({ "token": "1", "password": "2", "passwordConfirm": "3", "phone": 4 }),
            ),
            (
                "bad phone",
                json!({ "token": "1", "password": "2", "passwordConfirm": "3", "phone": "12" }),
            ),
            (
                "null phone",
                json!({ "token": "1", "password": "2", "passwordConfirm": "3", "phone": null }),
            ),
            (
                "mismatch",
                json!({ "token": "1", "password": NEW_PASSWORD, "passwordConfirm": NEWER_PASSWORD }),
            ),
        ] {
            cases.send(&format!("B {path} {name}"), auth_post(path, &body));
        }
    }
    let link = h.link_token(&jane);
    cases.send(
        "B resetpass mismatch, right token",
        auth_post(
            AUTH_RESET,
            &json!({ "token": link, "password": NEW_PASSWORD, "passwordConfirm": NEWER_PASSWORD }),
        ),
    );
    cases.send(
        "B resetpass short, right token",
        auth_post(
            AUTH_RESET,
            &json!({ "token": link, "password": "a", "passwordConfirm": "b" }),
        ),
    );
    cases.send("B resetpass ok", reset_link_request(&link, NEW_PASSWORD));
    cases.send(
        "B resetpass used",
        reset_link_request(&link, NEWER_PASSWORD),
    );
    let code = h.sms_code(&jane);
    cases.send(
        "B resetpass/mobile wrong code",
        reset_mobile_request("000000", Some("+447700900456"), NEWER_PASSWORD),
    );
    cases.send(
        "B resetpass/mobile ok",
        reset_mobile_request(&code, Some("+447700900456"), NEWER_PASSWORD),
    );
    h.platform.set_limit(LimitRule::AttemptPerIp, 0);
    cases.send(
        "B resetpass rate limited",
        reset_link_request(&link, NEW_PASSWORD),
    );
    cases.send("A code rate limited", reg_code_request("jane", "123456"));
    cases.send(
        "A info rate limited",
        Request::new(Method::Get, "/reg/user/info"),
    );
    cases.send(
        "C submit rate limited",
        user_post(
            "forgot-password-submit/",
            &json!({ "user": "u", "token": "t", "new_password": "p" }),
        ),
    );
    h.platform.set_limit(LimitRule::AttemptPerIp, 1000);
    cases.send_failing(
        "B forgot unavailable",
        auth_post(AUTH_FORGOT, &json!({ "email": "jane@example.com" })),
    );
}

/// Passwords dialect C's `seed-002` policy accepts.
const C_PASSWORD: &str = "Fresh-Pass-word-1!";
const C_NEWER_PASSWORD: &str = "Other-Pass-word-2!";

fn dialect_c(cases: &mut Cases, h: &Harness) {
    let jane = h.jane();
    for route in [
        "forgot-password/",
        "forgot-password-submit/",
        "profile/change-password/",
    ] {
        let path = user_path(route);
        bad_bodies(cases, &format!("C {route}"), &|b, d| {
            with_api_key(raw(&path, b, d))
        });
        cases.send(
            &format!("C {route} empty object"),
            user_post(route, &json!({})),
        );
        cases.send(&format!("C {route} no apikey"), post(&path, &json!({})));
        cases.send(
            &format!("C {route} wrong apikey"),
            post(&path, &json!({})).header("apikey", "wrong-key-0123456789"),
        );
        cases.send(
            &format!("C {route} no final slash"),
            user_post(route.trim_end_matches('/'), &json!({})),
        );
    }
    for (name, body) in [
        ("numeric email", json!({ "email": 1 })),
        ("blank email", json!({ "email": " " })),
        ("ok", json!({ "email": "jane@example.com" })),
        ("unknown", json!({ "email": "nobody" })),
    ] {
        cases.send(
            &format!("C forgot {name}"),
            user_post("forgot-password/", &body),
        );
    }
    for (name, body) in [
        (
            "numeric user",
            json!({ "user": 1, "token": 2, "new_password": 3 }),
        ),
        ("no token", json!({ "user": "u", "new_password": 3 })),
        (
            "numeric password",
            json!({ "user": "u", "token": "t", "new_password": 3 }),
        ),
        (
            "wrong token",
            json!({ "user": jane.id, "token": "0".repeat(64), "new_password": NEW_PASSWORD }),
        ),
    ] {
        cases.send(
            &format!("C submit {name}"),
            user_post("forgot-password-submit/", &body),
        );
    }
    // "C forgot ok" asked for the link.
    h.drain();
    let link = h.latest_link(&jane.email);
    let token = link_token(&link);
    for (name, password) in [
        ("short", "a"),
        ("common", "password"),
        ("numeric", "12345678"),
    ] {
        cases.send(
            &format!("C submit {name} password"),
            user_post(
                "forgot-password-submit/",
                &json!({ "user": jane.id, "token": token, "new_password": password }),
            ),
        );
    }
    let answer = cases.send(
        "C submit ok",
        user_post(
            "forgot-password-submit/",
            &json!({ "user": jane.id, "token": token, "new_password": C_PASSWORD }),
        ),
    );
    assert_eq!(answer.status, 200, "{}", text(&answer));
    let access = answer.json_body()["token"].as_str().unwrap().to_owned();
    let change = |body: &Value, bearer: Option<&str>| {
        let request = user_post("profile/change-password/", body);
        match bearer {
            Some(token) => request.header("authorization", &format!("Bearer {token}")),
            None => request,
        }
    };
    let full = |old: &str, new: &str, confirm: &str| json!({ "old_password": old, "new_password": new, "confirm_password": confirm });
    cases.send(
        "C change no bearer",
        change(&full(C_PASSWORD, C_NEWER_PASSWORD, C_NEWER_PASSWORD), None),
    );
    cases.send(
        "C change numeric old",
        change(
            &json!({ "old_password": 1, "new_password": 2, "confirm_password": 3 }),
            Some(&access),
        ),
    );
    cases.send(
        "C change wrong old",
        change(
            &full("wrong-old-password-1", C_NEWER_PASSWORD, C_NEWER_PASSWORD),
            Some(&access),
        ),
    );
    cases.send(
        "C change mismatch",
        change(
            &full(C_PASSWORD, C_NEWER_PASSWORD, "something-else-77"),
            Some(&access),
        ),
    );
    cases.send(
        "C change ok",
        change(
            &full(C_PASSWORD, C_NEWER_PASSWORD, C_NEWER_PASSWORD),
            Some(&access),
        ),
    );
    cases.send_failing(
        "C forgot unavailable",
        user_post("forgot-password/", &json!({ "email": "jane@example.com" })),
    );
    h.platform.set_limit(LimitRule::RequestPerIp, 0);
    cases.send(
        "C forgot rate limited",
        user_post("forgot-password/", &json!({ "email": "jane@example.com" })),
    );
    cases.send(
        "A request rate limited",
        post(REG_REQUEST, &json!({ "username": "jane" })),
    );
    cases.send(
        "B forgot rate limited",
        auth_post(AUTH_FORGOT, &json!({ "email": "jane@example.com" })),
    );
    h.platform.set_limit(LimitRule::RequestPerIp, 1000);
}

fn dialect_c_revealing(cases: &mut Cases) {
    let h = Harness::with(&[("USER_API_REVEAL_ACCOUNTS", "on")]);
    h.create_user("ann", "shared@example.com", None);
    h.create_user("bob", "shared@example.com", None);
    let mut revealing = Cases {
        h: &h,
        all: Vec::new(),
    };
    for (name, email) in [
        ("unknown", "nobody@example.com"),
        ("shared", "shared@example.com"),
        ("one", "ann"),
    ] {
        revealing.send(
            &format!("C revealing forgot {name}"),
            user_post("forgot-password/", &json!({ "email": email })),
        );
    }
    cases.all.append(&mut revealing.all);
}

fn admin_and_dev(cases: &mut Cases, h: &Harness) {
    let jane = h.jane();
    assert_eq!(h.reg_request(&jane.username).status, 200);
    assert_eq!(h.forgot_email(&jane.email).status, 200);
    assert_eq!(h.forgot_mobile("+447700900456").status, 200);
    h.drain();
    let good = || {
        json!({
            "username": "Mary",
            "email": "mary@example.com",
            "password": OLD_PASSWORD,
            "phone": "+447700900999",
            "first_name": "Mary",
            "last_name": "Major",
            "user_type": "STAFF",
            "scopes": ["a", "b"],
            "unknown": 1,
        })
    };
    let with = |field: &str, value: Value| {
        let mut body = good();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = good();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    bad_bodies(cases, "admin users", &|b, d| {
        raw("/admin/users", b, d).header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
    });
    let long = "x".repeat(151);
    for (name, body) in [
        ("no username", without("username")),
        ("numeric username", with("username", json!(1))),
        ("blank username", with("username", json!(" "))),
        ("no email", without("email")),
        ("bad email", with("email", json!("nope"))),
        ("no password", without("password")),
        ("empty password", with("password", json!(""))),
        ("long password", with("password", json!("p".repeat(4097)))),
        ("bad phone", with("phone", json!("12"))),
        ("numeric phone", with("phone", json!(12))),
        ("long first_name", with("first_name", json!(long))),
        ("long last_name", with("last_name", json!(long))),
        ("long user_type", with("user_type", json!(long))),
        ("numeric user_type", with("user_type", json!(1))),
        ("scopes not a list", with("scopes", json!("a"))),
        ("scopes of numbers", with("scopes", json!([1]))),
        (
            "null scopes",
            json!({ "username": "nora", "email": "nora@example.com", "password": OLD_PASSWORD, "scopes": null, "phone": null }),
        ),
        (
            "everything wrong",
            json!({ "username": 1, "email": 2, "password": 3 }),
        ),
    ] {
        cases.send(
            &format!("admin users {name}"),
            admin_post("/admin/users", &body),
        );
    }
    cases.send("admin users ok", admin_post("/admin/users", &good()));
    cases.send("admin users conflict", admin_post("/admin/users", &good()));
    cases.send("admin users no token", post("/admin/users", &good()));
    cases.send(
        "admin users wrong token",
        post("/admin/users", &good()).header("authorization", "Bearer wrong"),
    );
    cases.send(
        "admin users undeclared",
        undeclared("/admin/users", &good())
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
    );
    cases.send(
        "admin users too large",
        too_large("/admin/users").header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
    );
    let dead_letters = || {
        Request::new(Method::Get, "/admin/dead-letters")
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
    };
    cases.send("admin dead letters", dead_letters());
    cases.send(
        "admin dead letters no token",
        Request::new(Method::Get, "/admin/dead-letters"),
    );
    cases.send_failing("admin dead letters unavailable", dead_letters());
    cases.send_failing(
        "admin users unavailable",
        admin_post("/admin/users", &good()),
    );
    cases.send(
        "dev outbox email",
        Request::new(Method::Get, "/dev/outbox?to=jane@example.com"),
    );
    cases.send(
        "dev outbox phone",
        Request::new(Method::Get, "/dev/outbox?to=%2B447700900456"),
    );
    cases.send(
        "dev outbox nobody",
        Request::new(Method::Get, "/dev/outbox?to=nobody@example.com"),
    );
    cases.send("dev outbox no to", Request::new(Method::Get, "/dev/outbox"));
    cases.send(
        "dev outbox blank to",
        Request::new(Method::Get, "/dev/outbox?to=%20"),
    );
    cases.send_failing(
        "dev outbox unavailable",
        Request::new(Method::Get, "/dev/outbox?to=jane@example.com"),
    );
    h.platform.set_limit(LimitRule::AdminPerIp, 0);
    cases.send(
        "admin users rate limited",
        admin_post("/admin/users", &good()),
    );
    cases.send("admin dead letters rate limited", dead_letters());
    cases.send(
        "dev outbox rate limited",
        Request::new(Method::Get, "/dev/outbox?to=jane@example.com"),
    );
    h.platform.set_limit(LimitRule::AdminPerIp, 1000);
    for (method, path) in [
        (Method::Get, "/no/such/route"),
        (Method::Get, "/reg/user/resetPasswordRequest"),
        (Method::Post, "/reg/user/info"),
        (Method::Other, "/api/v1/auth/forgotpass"),
        (Method::Options, "/admin/users"),
        (Method::Post, "/admin/dead-letters"),
        (Method::Post, "/api/v1/user/forgot-password"),
        (Method::Post, "/openapi.json"),
        (Method::Get, "/openapi.json"),
    ] {
        cases.send(&format!("{method:?} {path}"), Request::new(method, path));
    }
}

/// The JWK Set and introspection, on a service with an introspection token.
fn tokens_for_applications(cases: &mut Cases) {
    const BEARER: &str = "introspection-token-0123456789abcdefghij";
    let h = Harness::with(&[("INTROSPECTION_TOKENS", BEARER)]);
    let jane = h.jane();
    let token = h.reg_full_reset(&jane, NEW_PASSWORD);
    let introspect = |body: &[u8], content_type: Option<&str>, bearer: Option<&str>| {
        let mut request = Request::new(Method::Post, "/oauth/introspect");
        request.body = body.to_vec();
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        if let Some(bearer) = bearer {
            request = request.header("authorization", &format!("Bearer {bearer}"));
        }
        request
    };
    let form = Some("application/x-www-form-urlencoded");
    let json = Some("application/json");
    let active = format!("token={token}");
    let active_json = json!({ "token": token }).to_string();
    let requests = [
        ("jwks", Request::new(Method::Get, "/.well-known/jwks.json")),
        (
            "introspect active",
            introspect(active.as_bytes(), form, Some(BEARER)),
        ),
        (
            "introspect active json",
            introspect(active_json.as_bytes(), json, Some(BEARER)),
        ),
        (
            "introspect inactive",
            introspect(b"token=x.y.z", form, Some(BEARER)),
        ),
        (
            "introspect no bearer",
            introspect(active.as_bytes(), form, None),
        ),
        (
            "introspect wrong bearer",
            introspect(active.as_bytes(), form, Some("wrong")),
        ),
        (
            "introspect no token",
            introspect(b"a=b", form, Some(BEARER)),
        ),
        (
            "introspect numeric token",
            introspect(br#"{"token":5}"#, json, Some(BEARER)),
        ),
        (
            "introspect not json",
            introspect(b"nope", json, Some(BEARER)),
        ),
        (
            "introspect text",
            introspect(b"token=x", Some("text/plain"), Some(BEARER)),
        ),
        (
            "introspect too large",
            introspect(&[b'a'; 16_385], form, Some(BEARER)),
        ),
    ];
    for (name, request) in requests {
        let (method, path) = (request.method, request.path.clone());
        let answer = h.send(request);
        cases.all.push(Case {
            name: name.to_owned(),
            method,
            path,
            answer,
        });
    }
    h.platform.set_limit(LimitRule::AttemptPerIp, 0);
    let limited = h.send(introspect(active.as_bytes(), form, Some(BEARER)));
    assert_eq!(limited.status, 429);
    cases.all.push(Case {
        name: "introspect rate limited".to_owned(),
        method: Method::Post,
        path: "/oauth/introspect".to_owned(),
        answer: limited,
    });
}

fn outbox_off(cases: &mut Cases) {
    let h = Harness::with(&[
        ("EMAIL_PROVIDER", "webhook"),
        ("SMS_PROVIDER", "webhook"),
        ("WEBHOOK_URL", "http://127.0.0.1:9/hook"),
        ("WEBHOOK_SECRET", "webhook-secret-0123456789abcdefghij"),
    ]);
    let answer = h.send(Request::new(Method::Get, "/dev/outbox?to=jane@example.com"));
    cases.all.push(Case {
        name: "dev outbox off".to_owned(),
        method: Method::Get,
        path: "/dev/outbox".to_owned(),
        answer,
    });
}

/// Every case, in order; each group on a platform of its own.
fn all_cases() -> Vec<Case> {
    let mut all = Vec::new();
    let groups: [fn(&mut Cases, &Harness); 4] = [dialect_a, dialect_b, dialect_c, admin_and_dev];
    for group in groups {
        let h = Harness::new();
        let mut cases = Cases {
            h: &h,
            all: Vec::new(),
        };
        group(&mut cases, &h);
        all.append(&mut cases.all);
    }
    let mut cases = Cases {
        h: &Harness::new(),
        all: Vec::new(),
    };
    dialect_c_revealing(&mut cases);
    outbox_off(&mut cases);
    tokens_for_applications(&mut cases);
    all.append(&mut cases.all);
    all
}

fn is_json(answer: &Response) -> bool {
    answer
        .header_value("content-type")
        .is_some_and(|t| t.starts_with("application/json"))
}

#[test]
fn every_json_answer_is_written_canonically() {
    for case in all_cases() {
        if !is_json(&case.answer) || case.path == "/openapi.json" {
            continue;
        }
        if case.path == "/admin/dead-letters" && case.answer.status == 200 {
            // The dead letters are the stored records as they are (docs/storage.md).
            continue;
        }
        let value: Value = serde_json::from_slice(&case.answer.body)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", case.name, text(&case.answer)));
        assert_eq!(
            text(&case.answer),
            serde_json::to_string(&value).unwrap(),
            "{}",
            case.name
        );
    }
}

#[test]
fn every_json_answer_is_documented_for_its_route_and_status() {
    let document = openapi::document().unwrap();
    let mut checked = 0;
    for case in all_cases() {
        if !is_json(&case.answer) {
            continue;
        }
        let value: Value = serde_json::from_slice(&case.answer.body).unwrap();
        let status = case.answer.status;
        let schema = match status {
            404 | 405 => {
                let name = if status == 404 {
                    "NotFound"
                } else {
                    "MethodNotAllowed"
                };
                document.pointer(&format!(
                    "/components/responses/{name}/content/application~1json/schema"
                ))
            }
            _ => {
                // Dialect C's paths are documented with their final `/`.
                let path = [case.path.clone(), format!("{}/", case.path)]
                    .into_iter()
                    .find(|p| document["paths"].get(p).is_some())
                    .unwrap_or_else(|| panic!("{}: {} is not documented", case.name, case.path));
                let method = format!("{:?}", case.method).to_lowercase();
                openapi::answer_schema(&document, &path, &method, status)
            }
        };
        let schema = schema.unwrap_or_else(|| {
            panic!(
                "{}: {} is not documented: {}",
                case.name,
                status,
                text(&case.answer)
            )
        });
        if let Err(e) = openapi::check(&document, schema, &value, Fill::Valid) {
            panic!("{} ({status}): {e}", case.name);
        }
        checked += 1;
    }
    assert!(checked > 200, "only {checked} answers checked");
}
