//! Cloudflare Turnstile against a fake siteverify (the in-memory platform's scripted HTTP): the
//! forgot page's widget and policy, the exact request siteverify gets, a pass only on
//! `"success": true` (false, a 5xx, a timeout, no connection and an unreadable answer all refuse),
//! the JSON request routes with `TURNSTILE_REQUEST_ROUTES=on`, the configuration's rules, no token
//! or secret in a log line or an answer, a pass for another host or widget refused on the forgot
//! page, and fault injection over every platform call.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_service::api::forgot_page::TURNSTILE_ACTION;
use pwreset_service::api::forgot_page::{
    CONTENT_SECURITY_POLICY, FORGOT_PAGE_PATH, TURNSTILE_CONTENT_SECURITY_POLICY,
};
use pwreset_service::ports::{FetchedAnswer, LimitRule, TransportError};
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::turnstile::{SCRIPT_URL, VERIFY_TIME_LIMIT};
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

/// Cloudflare's documented test keys (development only).
const SITE_KEY: &str = "1x00000000000000000000AA";
const SECRET_KEY: &str = "1x0000000000000000000000000000000AA";
/// The fake siteverify.
const VERIFY_URL: &str = "https://verify.example.test/turnstile/v0/siteverify";
/// A token as the widget hands it over.
const TOKEN: &str = "0.Zm9vYmFyLXRva2VuLWZyb20tdGhlLXdpZGdldA.abc123";
/// The client's address, as `CF-Connecting-IP` gives it.
const CLIENT_IP: &str = "203.0.113.7";

fn turnstile_vars(request_routes: bool) -> Vec<(&'static str, &'static str)> {
    vec![
        ("TURNSTILE_SITE_KEY", SITE_KEY),
        ("TURNSTILE_SECRET_KEY", SECRET_KEY),
        ("TURNSTILE_VERIFY_URL", VERIFY_URL),
        (
            "TURNSTILE_REQUEST_ROUTES",
            if request_routes { "on" } else { "off" },
        ),
    ]
}

fn harness(request_routes: bool) -> Harness {
    Harness::with(&turnstile_vars(request_routes))
}

fn answer(status: u16, body: Value) -> Result<FetchedAnswer, TransportError> {
    Ok(FetchedAnswer {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string(),
    })
}

fn passes() -> Result<FetchedAnswer, TransportError> {
    answer(
        200,
        json!({ "success": true, "error-codes": [], "challenge_ts": "2026-01-01T01:00:00.000Z", "hostname": "example.com" }),
    )
}

fn rejected() -> Result<FetchedAnswer, TransportError> {
    answer(
        200,
        json!({ "success": false, "error-codes": ["invalid-input-response"] }),
    )
}

/// The forgot form with `identifier` and, when given, the widget's token, from [`CLIENT_IP`].
fn forgot(identifier: &str, token: Option<&str>) -> Request {
    let mut fields = vec![("identifier", identifier)];
    if let Some(token) = token {
        fields.push(("cf-turnstile-response", token));
    }
    let mut request = Request::new(Method::Post, FORGOT_PAGE_PATH)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", PUBLIC_URL);
    request.body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
        .into_bytes();
    from_ip(request, CLIENT_IP)
}

fn with_token(request: Request, token: &str) -> Request {
    from_ip(request.header("cf-turnstile-response", token), CLIENT_IP)
}

#[track_caller]
fn assert_refused_page(h: &Harness, answer: &Response, typed: &str) {
    assert_eq!(answer.status, 403, "{}", text(answer));
    let html = text(answer);
    assert!(
        html.contains("<title>Error: Forgot your password?</title>"),
        "{html}"
    );
    assert!(html.contains("We could not check that this request comes from a person."));
    // The form again, with the widget and what was typed.
    assert!(html.contains(&format!("data-sitekey=\"{SITE_KEY}\"")));
    assert!(html.contains(&format!("value=\"{typed}\"")), "{html}");
    assert_eq!(
        answer.header_value("content-security-policy"),
        Some(TURNSTILE_CONTENT_SECURITY_POLICY)
    );
    assert_eq!(h.platform.queued(), 0);
}

#[test]
fn the_form_shows_the_widget_and_its_policy_admits_cloudflare_alone() {
    let h = harness(false);
    let page = h.send(Request::new(Method::Get, FORGOT_PAGE_PATH).header("accept-language", "de"));
    assert_eq!(page.status, 200);
    let html = text(&page);
    assert!(html.contains(&format!(
        "<script src=\"{SCRIPT_URL}\" async defer></script>"
    )));
    assert!(html.contains(&format!(
        "<div class=\"cf-turnstile\" data-sitekey=\"{SITE_KEY}\" data-action=\"forgot\" data-language=\"de\" data-response-field-name=\"cf-turnstile-response\"></div>"
    )));
    // Without JavaScript the check can't run: the page says so.
    assert!(html.contains("<noscript><p class=\"notice\">Dieses Formular"));
    assert_eq!(
        page.header_value("content-security-policy"),
        Some(TURNSTILE_CONTENT_SECURITY_POLICY)
    );
    // The secret key never reaches the page.
    assert!(!html.contains(SECRET_KEY));
    assert!(!format!("{:?}", h.service.config().unwrap()).contains(SECRET_KEY));
}

#[test]
fn a_passing_token_goes_on_and_siteverify_is_asked_as_cloudflare_documents() {
    let h = harness(false);
    let jane = h.jane();
    h.platform.http.push(passes());
    let done = h.send(forgot(&jane.email, Some(TOKEN)));
    assert_eq!(done.status, 200, "{}", text(&done));
    assert!(text(&done).contains("<h1>Check your e-mail or your phone</h1>"));
    // The answer page loads nothing from Cloudflare.
    assert_eq!(
        done.header_value("content-security-policy"),
        Some(CONTENT_SECURITY_POLICY)
    );

    let requests = h.platform.http.requests();
    assert_eq!(requests.len(), 1);
    let verify = &requests[0];
    assert_eq!(verify.method, "POST");
    assert_eq!(verify.url, VERIFY_URL);
    assert_eq!(
        verify.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        verify
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("pwreset/"))
    );
    let fields: Vec<(String, String)> = form_urlencoded::parse(verify.body.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        fields,
        [
            ("secret".to_owned(), SECRET_KEY.to_owned()),
            ("response".to_owned(), TOKEN.to_owned()),
            ("remoteip".to_owned(), CLIENT_IP.to_owned()),
        ]
    );
    assert_eq!(verify.time_limit, VERIFY_TIME_LIMIT);
    assert!(VERIFY_TIME_LIMIT.as_secs() <= 5);

    h.drain();
    assert!(h.latest_link(&jane.email).contains("/reset?token="));
}

/// A production-like secret key (not one of Cloudflare's test keys, whose answers name
/// `example.com` and no action, so that nothing about the page is checked with them).
const LIVE_SECRET_KEY: &str = "0x4AAAAAAAAlivesecretkeyforthetests";

fn pass_from(
    hostname: Option<&str>,
    action: Option<&str>,
) -> Result<FetchedAnswer, TransportError> {
    let mut body =
        json!({ "success": true, "error-codes": [], "challenge_ts": "2026-01-01T01:00:00.000Z" });
    if let Some(hostname) = hostname {
        body["hostname"] = json!(hostname);
    }
    if let Some(action) = action {
        body["action"] = json!(action);
    }
    answer(200, body)
}

#[test]
fn with_a_live_key_the_forgot_page_takes_only_a_pass_for_its_own_host_and_widget() {
    let mut vars = turnstile_vars(true);
    vars.retain(|(name, _)| *name != "TURNSTILE_SECRET_KEY");
    vars.push(("TURNSTILE_SECRET_KEY", LIVE_SECRET_KEY));
    let h = Harness::with(&vars);
    let jane = h.jane();
    // PUBLIC_URL is http://127.0.0.1:8787: its host is where the page is served.
    let page_host = "127.0.0.1";
    for (answer, why) in [
        (
            pass_from(Some("evil.example"), Some(TURNSTILE_ACTION)),
            "another host",
        ),
        (pass_from(None, Some(TURNSTILE_ACTION)), "no host"),
        (pass_from(Some(page_host), Some("login")), "another widget"),
        (pass_from(Some(page_host), None), "no action"),
    ] {
        h.platform.http.push(answer);
        let refused = h.send(forgot(&jane.email, Some(TOKEN)));
        assert_refused_page(&h, &refused, &jane.email);
        let field = if why.ends_with("host") {
            "hostname"
        } else {
            "action"
        };
        assert!(
            h.platform
                .logs()
                .iter()
                .any(|line| line.contains("turnstile_refused")
                    && line.contains("\"mismatch\"")
                    && line.contains(field)),
            "{why}"
        );
    }
    h.platform
        .http
        .push(pass_from(Some(page_host), Some(TURNSTILE_ACTION)));
    let done = h.send(forgot(&jane.email, Some(TOKEN)));
    assert_eq!(done.status, 200, "{}", text(&done));
    // The JSON routes' widget is the application's: any pass of siteverify's goes.
    h.platform
        .http
        .push(pass_from(Some("app.example"), Some("whatever")));
    let json = h.send(with_token(h_forgot_email_request(), TOKEN));
    assert_eq!(json.status, 200, "{}", text(&json));
}

#[test]
fn remoteip_is_left_out_when_the_edge_knew_no_address() {
    let h = harness(false);
    h.platform.http.push(passes());
    let request = from_ip(forgot("jane", Some(TOKEN)), "unknown");
    assert_eq!(h.send(request).status, 200);
    let body = &h.platform.http.requests()[0].body;
    assert!(!body.contains("remoteip"), "{body}");
}

#[test]
fn anything_but_success_true_refuses_and_fails_closed() {
    let outcomes: Vec<(&str, Result<FetchedAnswer, TransportError>)> = vec![
        ("success false", rejected()),
        ("a 500", answer(500, json!({ "success": true }))),
        ("a 503", answer(503, json!({}))),
        ("a redirect", answer(302, json!({ "success": true }))),
        ("a timeout", Err(TransportError::Timeout)),
        ("no connection", Err(TransportError::Connection)),
        ("not JSON", answer(200, json!("<html>"))),
        (
            "a string for success",
            answer(200, json!({ "success": "true" })),
        ),
        ("no success", answer(200, json!({ "error-codes": [] }))),
    ];
    for (what, outcome) in outcomes {
        let h = harness(false);
        h.jane();
        h.platform.http.push(outcome);
        let refused = h.send(forgot("jane@example.com", Some(TOKEN)));
        assert_refused_page(&h, &refused, "jane@example.com");
        assert_eq!(h.platform.http.request_count(), 1, "{what}");
        let logged: Vec<String> = h
            .platform
            .logs()
            .into_iter()
            .filter(|line| line.contains("\"turnstile_refused\""))
            .collect();
        assert_eq!(logged.len(), 1, "{what}: {logged:?}");
        assert!(logged[0].contains("\"route\":\"/forgot\""), "{what}");
    }
}

#[test]
fn a_missing_empty_or_oversized_token_is_refused_without_asking() {
    let long = "t".repeat(2049);
    for token in [None, Some(""), Some(long.as_str())] {
        let h = harness(false);
        let refused = h.send(forgot("jane", token));
        assert_refused_page(&h, &refused, "jane");
        assert_eq!(
            h.platform.http.request_count(),
            0,
            "{:?}",
            token.map(str::len)
        );
    }
}

#[test]
fn an_empty_field_is_answered_before_the_token_is_spent() {
    let h = harness(false);
    let answer = h.send(forgot("  ", Some(TOKEN)));
    assert_eq!(answer.status, 400);
    assert!(text(&answer).contains("Enter your e-mail address, username or phone number."));
    assert_eq!(h.platform.http.request_count(), 0);
}

#[test]
fn refused_tokens_spend_no_limit() {
    let h = harness(false);
    h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 1);
    h.platform.set_limit(LimitRule::RequestPerIp, 4);
    for _ in 0..2 {
        h.platform.http.push(rejected());
        assert_eq!(h.send(forgot("jane@example.com", Some(TOKEN))).status, 403);
    }
    h.platform.http.push(passes());
    assert_eq!(h.send(forgot("jane@example.com", Some(TOKEN))).status, 200);
    h.platform.http.push(passes());
    assert_eq!(h.send(forgot("jane@example.com", Some(TOKEN))).status, 429);
}

/// Each check calls Cloudflare: an address gets `request_per_ip` of them, on a counter of their
/// own; past it, tokens are refused without a call.
#[test]
fn checks_are_counted_per_address_and_refused_past_the_limit_without_a_call() {
    let h = harness(false);
    h.platform.set_limit(LimitRule::RequestPerIp, 3);
    for _ in 0..3 {
        h.platform.http.push(rejected());
        assert_eq!(h.send(forgot("nobody", Some(TOKEN))).status, 403);
    }
    assert_eq!(h.platform.http.request_count(), 3);
    let limited = h.send(forgot("nobody", Some(TOKEN)));
    assert_refused_page(&h, &limited, "nobody");
    assert_eq!(h.platform.http.request_count(), 3, "no call past the limit");
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("\"reason\":\"limited\""))
    );
}

#[test]
fn neither_the_token_nor_the_secret_reaches_a_log_line_or_an_answer() {
    let h = harness(true);
    h.jane();
    let mut answers = Vec::new();
    for outcome in [passes(), rejected(), Err(TransportError::Timeout)] {
        h.platform.http.push(outcome);
        answers.push(h.send(forgot("jane@example.com", Some(TOKEN))));
        h.platform.http.push(rejected());
        answers.push(h.send(with_token(h_forgot_email_request(), TOKEN)));
    }
    h.drain();
    for answer in &answers {
        let body = text(answer);
        assert!(
            !body.contains(TOKEN) && !body.contains(SECRET_KEY),
            "{body}"
        );
        for (_, value) in &answer.headers {
            assert!(!value.contains(TOKEN) && !value.contains(SECRET_KEY));
        }
    }
    let logs = h.platform.logs();
    assert!(logs.iter().any(|line| line.contains("turnstile_refused")));
    for line in logs {
        assert!(
            !line.contains(TOKEN) && !line.contains(SECRET_KEY),
            "{line}"
        );
        assert!(!line.contains("Zm9vYmFy"), "{line}");
    }
}

/// Dialect B's `forgotpass` for Jane, from its registered client.
fn h_forgot_email_request() -> Request {
    auth_post(
        "/api/v1/auth/forgotpass",
        &json!({ "email": "jane@example.com" }),
    )
}

fn json_request_routes() -> Vec<(&'static str, Request)> {
    vec![
        (
            "A resetPasswordRequest",
            post(
                "/reg/user/resetPasswordRequest",
                &json!({ "username": "jane" }),
            ),
        ),
        ("B forgotpass", h_forgot_email_request()),
        (
            "B forgotpass/mobile",
            auth_post(
                "/api/v1/auth/forgotpass/mobile",
                &json!({ "phone": "+447700900456" }),
            ),
        ),
        (
            "C forgot-password",
            with_api_key(post(
                &format!("{USER_API}/forgot-password/"),
                &json!({ "email": "jane@example.com" }),
            )),
        ),
    ]
}

#[track_caller]
fn assert_refused_json(name: &str, answer: &Response) {
    assert_eq!(answer.status, 403, "{name}: {}", text(answer));
    let body = answer.json_body();
    if name.starts_with('C') {
        assert_eq!(body["status_code"], 403, "{name}");
        assert_eq!(body["error_type"], "Authentication Error", "{name}");
        assert_eq!(
            body["errors"][0]["field"], "cf-turnstile-response",
            "{name}"
        );
    } else {
        assert_eq!(body["status"], "fail", "{name}");
        assert_eq!(error_codes(answer), ["challenge_failed"], "{name}");
        assert_eq!(error_fields(answer), ["cf-turnstile-response"], "{name}");
    }
    if name.starts_with('B') {
        // Dialect B's page can read it.
        assert_eq!(
            answer.header_value("access-control-allow-origin"),
            Some(ORIGIN),
            "{name}"
        );
    }
}

#[test]
fn with_request_routes_on_each_json_request_route_needs_a_passing_header() {
    for (name, request) in json_request_routes() {
        let h = harness(true);
        h.jane();
        // No header: refused without asking siteverify.
        assert_refused_json(name, &h.send(request.clone()));
        assert_eq!(h.platform.http.request_count(), 0, "{name}");
        // A token siteverify refuses, or can't be asked about.
        for outcome in [
            rejected(),
            answer(502, json!({})),
            Err(TransportError::Timeout),
        ] {
            h.platform.http.push(outcome);
            assert_refused_json(name, &h.send(with_token(request.clone(), TOKEN)));
        }
        assert_eq!(h.platform.queued(), 0, "{name}");
        // A passing one: the route's own answer, and the request is queued.
        h.platform.http.push(passes());
        let accepted = h.send(with_token(request.clone(), TOKEN));
        assert_eq!(accepted.status, 200, "{name}: {}", text(&accepted));
        assert_eq!(h.platform.queued(), 1, "{name}");
        let verify = h.platform.http.requests().pop().unwrap();
        assert!(verify.body.contains("remoteip=203.0.113.7"), "{name}");
    }
}

#[test]
fn with_request_routes_on_a_bad_body_is_answered_before_the_token_is_checked() {
    let h = harness(true);
    let bad = post("/reg/user/resetPasswordRequest", &json!({ "username": 7 }));
    assert_eq!(h.send(bad).status, 400);
    let bad = auth_post(
        "/api/v1/auth/forgotpass",
        &json!({ "email": "not an address" }),
    );
    assert_eq!(h.send(bad).status, 400);
    assert_eq!(h.platform.http.request_count(), 0);
}

#[test]
fn trading_a_code_needs_no_token() {
    let h = harness(true);
    let exchange = post(
        "/reg/user/resetPasswordRequest",
        &json!({ "username": "jane", "code": "123456" }),
    );
    assert_eq!(h.send(exchange).status, 400);
    assert_eq!(h.platform.http.request_count(), 0);
}

#[test]
fn dialect_b_s_preflight_allows_the_header_when_the_routes_ask_for_it() {
    for (on, expected) in [
        (true, "content-type, client_id, cf-turnstile-response"),
        (false, "content-type, client_id"),
    ] {
        let h = harness(on);
        let preflight = h.send(
            Request::new(Method::Options, "/api/v1/auth/forgotpass").header("origin", ORIGIN),
        );
        assert_eq!(preflight.status, 204);
        assert_eq!(
            preflight.header_value("access-control-allow-headers"),
            Some(expected)
        );
    }
}

#[test]
fn with_request_routes_off_the_json_routes_never_ask() {
    let h = harness(false);
    h.jane();
    for (name, request) in json_request_routes() {
        let answer = h.send(request);
        assert_eq!(answer.status, 200, "{name}: {}", text(&answer));
    }
    assert_eq!(h.platform.http.request_count(), 0);
}

#[test]
fn the_configuration_holds_both_keys_or_neither() {
    let problems = |changes: &[(&str, &str)]| -> String {
        match service_from(&vars_with(changes)).config() {
            Ok(_) => String::new(),
            Err(problems) => problems.to_string(),
        }
    };
    assert!(
        problems(&[("TURNSTILE_SITE_KEY", SITE_KEY)]).contains("TURNSTILE_SECRET_KEY is required")
    );
    assert!(
        problems(&[("TURNSTILE_SECRET_KEY", SECRET_KEY)])
            .contains("TURNSTILE_SECRET_KEY is set without TURNSTILE_SITE_KEY")
    );
    assert!(
        problems(&[("TURNSTILE_REQUEST_ROUTES", "on")]).contains("TURNSTILE_REQUEST_ROUTES is on")
    );
    assert!(problems(&[("TURNSTILE_SITE_KEY", "0x4-bad")]).contains("TURNSTILE_SITE_KEY must be"));
    // Every problem names its variable, never the secret.
    let spaced = problems(&[
        ("TURNSTILE_SITE_KEY", SITE_KEY),
        ("TURNSTILE_SECRET_KEY", "0x4AAA secret with spaces"),
    ]);
    assert!(spaced.contains("TURNSTILE_SECRET_KEY contains spaces") && !spaced.contains("0x4AAA"));
    assert_eq!(problems(&turnstile_vars(true)), "");

    // Outside development: https:// only, and none of Cloudflare's test secrets.
    let production = |changes: &[(&str, &str)]| -> String {
        match service_from(&production_vars(changes)).config() {
            Ok(_) => String::new(),
            Err(problems) => problems.to_string(),
        }
    };
    let own = [
        ("TURNSTILE_SITE_KEY", "0x4AAAAAAAexample0000"),
        ("TURNSTILE_SECRET_KEY", "0x4AAAAAAAexample-secret-0000"),
    ];
    assert_eq!(production(&own), "");
    let mut test_secret = own.to_vec();
    test_secret[1].1 = SECRET_KEY;
    let refused = production(&test_secret);
    assert!(
        refused.contains("TURNSTILE_SECRET_KEY is one of Cloudflare's published test secret keys")
    );
    assert!(!refused.contains(SECRET_KEY), "{refused}");
    let mut http = own.to_vec();
    http.push(("TURNSTILE_VERIFY_URL", "http://127.0.0.1:9/siteverify"));
    assert!(production(&http).contains("TURNSTILE_VERIFY_URL must be an https:// URL"));
}

#[test]
fn every_failed_platform_call_of_a_submission_answers_a_page() {
    let run = |faulty: Option<(usize, Fault)>| -> (Response, Vec<&'static str>, bool) {
        let h = harness(false);
        h.jane();
        h.platform.http.push(passes());
        let platform = match faulty {
            Some((index, fault)) => Faulty::failing(&h.platform, index, fault),
            None => Faulty::new(&h.platform),
        };
        let answer = block_on(
            h.service
                .handle(&platform, forgot("jane@example.com", Some(TOKEN))),
        );
        (answer, platform.calls(), platform.injected())
    };
    let (answer, calls, _) = run(None);
    assert_eq!(answer.status, 200);
    // The check's own limit, then siteverify.
    assert_eq!(calls[..2], ["allow", "fetch"], "{calls:?}");
    assert!(
        calls.contains(&"allow") && calls.contains(&"enqueue"),
        "{calls:?}"
    );
    for (index, call) in calls.iter().enumerate() {
        for fault in Fault::ALL {
            let (answer, _, injected) = run(Some((index, fault)));
            let context = format!("{fault:?} in call {index} ({call})");
            assert!(injected, "{context}");
            // The check's limit and siteverify fail closed.
            let expected: &[u16] = if index < 2 { &[403] } else { &[200, 503] };
            assert!(
                expected.contains(&answer.status),
                "{context}: {}",
                answer.status
            );
            assert_eq!(
                answer.header_value("content-type"),
                Some("text/html; charset=utf-8"),
                "{context}"
            );
        }
    }
}
