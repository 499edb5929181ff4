//! The forgot-password page through the router, on the in-memory platform: the form and its
//! headers, the same answer for every input, the link flow each input starts (and that the link
//! then works on the reset page: e-mailed, or sent by SMS for a phone number), the limits it shares
//! with the JSON request routes, the `Origin` check, bad bodies, languages, and fault injection over
//! every platform call of a submission and of the SMS link's queued request.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_service::api::forgot_page::{CONTENT_SECURITY_POLICY, FORGOT_PAGE_PATH};
use pwreset_service::api::reset_page::html::escape;
use pwreset_service::delivery::Channel;
use pwreset_service::model::job::{JobOutcome, ResetVia};
use pwreset_service::ports::LimitRule;
use pwreset_service::queue;
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::{Method, Request, Response};
use serde_json::json;

/// Accepted by dialect B's `django` preset and dialect C's `seed-002`.
const GOOD: &str = "Amber#Falcon-River58";
/// Jane's phone ([`Harness::jane`]) as people write it: spaces, no `+` needed.
const JANE_PHONE_TYPED: &str = "+44 7700 900456";
/// Jane's phone in E.164, as stored and as the outbox is read.
const JANE_PHONE: &str = "+447700900456";
/// A phone number no account has.
const NOBODY_PHONE_TYPED: &str = "+44 7700 900999";

/// `fields`, URL-encoded as a browser sends a form.
fn form_body(fields: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
        .into_bytes()
}

/// A `POST` of the form to `path`, as a browser sends it from the page itself.
fn form_to(path: &str, fields: &[(&str, &str)]) -> Request {
    let mut request = Request::new(Method::Post, path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", PUBLIC_URL);
    request.body = form_body(fields);
    request
}

/// The forgot form sent with `identifier`.
fn forgot(identifier: &str) -> Request {
    form_to(FORGOT_PAGE_PATH, &[("identifier", identifier)])
}

/// The answer without what legitimately differs between two runs (nothing, today): its status,
/// headers and body.
fn shape(answer: &Response) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut headers = answer.headers.clone();
    headers.sort();
    (answer.status, headers, answer.body.clone())
}

#[track_caller]
fn assert_page_headers(answer: &Response) {
    assert_eq!(
        answer.header_value("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(answer.header_value("cache-control"), Some("no-store"));
    assert_eq!(answer.header_value("x-frame-options"), Some("DENY"));
    assert_eq!(answer.header_value("referrer-policy"), Some("no-referrer"));
    assert_eq!(
        answer.header_value("x-content-type-options"),
        Some("nosniff")
    );
    assert_eq!(
        answer.header_value("content-security-policy"),
        Some(CONTENT_SECURITY_POLICY)
    );
}

/// No script at all, and no inline style or handler: the page works as plain HTML.
#[track_caller]
fn assert_no_script_or_inline_code(html: &str) {
    let lower = html.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "<style",
        " style=",
        "javascript:",
        " onclick=",
        " onsubmit=",
    ] {
        assert!(!lower.contains(forbidden), "{forbidden} in {html}");
    }
}

fn param(link: &str, name: &str) -> Option<String> {
    let query = link.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

#[test]
fn the_form_is_plain_html_with_the_reset_page_s_look_and_headers() {
    let h = Harness::new();
    let answer = h.send(Request::new(Method::Get, FORGOT_PAGE_PATH));
    assert_eq!(answer.status, 200);
    assert_page_headers(&answer);
    let html = text(&answer);
    assert_no_script_or_inline_code(&html);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/assets/reset.css\">"));
    // The browser sends the form's Origin (not `null`, as no-referrer would have it).
    assert!(html.contains("<meta name=\"referrer\" content=\"strict-origin\">"));
    assert!(html.contains("<h1>Forgot your password?</h1>"));
    assert!(html.contains(
        "<form class=\"forgot-form\" id=\"forgot-form\" method=\"post\" action=\"/forgot\""
    ));
    assert!(
        html.contains("<label for=\"identifier\">E-mail address, username or phone number</label>")
    );
    assert!(html.contains("name=\"identifier\" autocomplete=\"username\""));
    // The intro, which describes the field, says a phone number gets the link by text message.
    assert!(html.contains("aria-describedby=\"identifier-intro\""));
    assert!(html.contains("by text message if you enter a phone number"));
    // No Turnstile while it is off.
    assert!(!html.contains("cf-turnstile"), "{html}");
    // GET renders only.
    assert_eq!(h.platform.queued(), 0);
}

#[test]
fn every_non_empty_input_gets_the_same_answer() {
    let h = Harness::new();
    let jane = h.jane();
    let inputs = [
        jane.email.clone(),
        "JANE@Example.com ".to_owned(),
        jane.username.clone(),
        "nobody@example.com".to_owned(),
        "nobody".to_owned(),
        "a@b@c".to_owned(),
        "x".repeat(300),
        "bell\u{7}".to_owned(),
        "<script>alert(1)</script>".to_owned(),
        JANE_PHONE_TYPED.to_owned(),
        NOBODY_PHONE_TYPED.to_owned(),
    ];
    let first = h.send(forgot(&inputs[0]));
    assert_eq!(first.status, 200, "{}", text(&first));
    assert_page_headers(&first);
    let html = text(&first);
    assert!(
        html.contains("<h1>Check your e-mail or your phone</h1>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/forgot\">Ask for another link</a>"));
    assert_no_script_or_inline_code(&html);
    for input in &inputs[1..] {
        let answer = h.send(forgot(input));
        assert_eq!(shape(&answer), shape(&first), "{input:?}");
        // Nothing of the input comes back.
        assert!(!text(&answer).contains(input.trim()), "{input:?}");
    }
}

#[test]
fn an_e_mail_address_gets_dialect_b_s_link_and_the_link_works() {
    let h = Harness::new();
    let jane = h.jane();
    assert_eq!(h.send(forgot(" Jane@Example.com")).status, 200);
    h.drain();
    let link = h.latest_link(&jane.email);
    assert!(
        link.starts_with(&format!("{PUBLIC_URL}/reset?token=")),
        "{link}"
    );
    assert_eq!(param(&link, "user"), None);
    let token = param(&link, "token").unwrap();

    // The reset page takes it.
    let path = link.strip_prefix(PUBLIC_URL).unwrap();
    assert_eq!(h.send(Request::new(Method::Get, path)).status, 200);
    let done = h.send(form_to(
        "/reset",
        &[
            ("token", &token),
            ("password", GOOD),
            ("password_confirm", GOOD),
        ],
    ));
    assert_eq!(done.status, 200, "{}", text(&done));
    assert!(text(&done).contains("Your password has been changed"));
}

#[test]
fn a_username_gets_dialect_c_s_link_and_the_link_works() {
    let h = Harness::new();
    let jane = h.jane();
    assert_eq!(h.send(forgot("Jane")).status, 200);
    h.drain();
    let link = h.latest_link(&jane.email);
    assert!(
        link.starts_with(&format!("{PUBLIC_URL}/reset?user=")),
        "{link}"
    );
    assert_eq!(param(&link, "user").as_deref(), Some(jane.id.as_str()));
    let token = param(&link, "token").unwrap();
    let done = h.send(form_to(
        "/reset",
        &[
            ("token", &token),
            ("user", &jane.id),
            ("password", GOOD),
            ("password_confirm", GOOD),
        ],
    ));
    assert_eq!(done.status, 200, "{}", text(&done));
}

#[test]
fn nothing_is_sent_for_an_unknown_or_impossible_input() {
    let h = Harness::new();
    h.jane();
    for input in ["nobody@example.com", "nobody", &"y".repeat(300)] {
        assert_eq!(h.send(forgot(input)).status, 200);
    }
    // The two possible ones are queued (the consumer finds no account); the impossible one not.
    assert_eq!(h.platform.queued(), 2);
    h.drain();
    assert!(h.platform.outbox_all().is_empty());
}

#[test]
fn an_empty_field_gets_the_form_again_with_an_error_and_nothing_else() {
    let h = Harness::new();
    h.platform.set_limit(LimitRule::RequestPerIp, 1);
    for fields in [
        vec![("identifier", "")],
        vec![("identifier", "  \t ")],
        vec![("other", "jane")],
    ] {
        let answer = h.send(form_to(FORGOT_PAGE_PATH, &fields));
        assert_eq!(answer.status, 400, "{fields:?}");
        assert_page_headers(&answer);
        let html = text(&answer);
        assert!(html.contains("<title>Error: Forgot your password?</title>"));
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains(
            "<a href=\"#identifier\">Enter your e-mail address, username or phone number.</a>"
        ));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("value=\"\""));
    }
    assert_eq!(h.platform.queued(), 0);
    // No limit was counted: the one request the limit allows still goes through.
    assert_eq!(h.send(forgot("jane")).status, 200);
}

#[test]
fn the_limits_are_the_json_request_routes_own() {
    // Per IP: the page and the JSON routes count together.
    let h = Harness::new();
    h.platform.set_limit(LimitRule::RequestPerIp, 2);
    assert_eq!(h.send(forgot("jane@example.com")).status, 200);
    assert_eq!(h.forgot_email("john@example.org").status, 200);
    let limited = h.send(forgot("someone-else"));
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header_value("retry-after"), Some("60"));
    assert!(text(&limited).contains("<h1>Too many requests</h1>"));
    // Another address is not limited.
    assert_eq!(h.send(from_ip(forgot("jane"), "203.0.113.9")).status, 200);

    // Per identifier, whatever the address, known or not: the same 429.
    let h = Harness::new();
    h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 1);
    for (i, input) in ["jane@example.com", "nobody@example.com"]
        .iter()
        .enumerate()
    {
        let ip = format!("198.51.100.{i}");
        assert_eq!(h.send(from_ip(forgot(input), &ip)).status, 200);
        let again = h.send(from_ip(forgot(input), "192.0.2.1"));
        assert_eq!(again.status, 429, "{input}");
    }
    // Shared with dialect B's route: the page spent jane@example.com's.
    assert_eq!(h.forgot_email("jane@example.com").status, 429);
}

#[test]
fn a_form_from_another_origin_is_refused() {
    let h = Harness::new();
    h.jane();
    for origin in ["https://evil.example", "null", "http://127.0.0.1:8788"] {
        let mut request = forgot("jane@example.com");
        request.headers.retain(|(name, _)| name != "origin");
        let answer = h.send(request.header("origin", origin));
        assert_eq!(answer.status, 403, "{origin}");
        assert_page_headers(&answer);
        assert!(text(&answer).contains("<h1>This form can&#39;t be sent from here</h1>"));
    }
    assert_eq!(h.platform.queued(), 0);
    // PUBLIC_URL's origin, and no Origin at all (not a browser's cross-site form), go through.
    assert_eq!(h.send(forgot("jane@example.com")).status, 200);
    let mut bare = forgot("jane@example.com");
    bare.headers.retain(|(name, _)| name != "origin");
    assert_eq!(h.send(bare).status, 200);
    assert_eq!(h.platform.queued(), 2);
}

#[test]
fn bodies_that_are_no_form_are_refused_with_a_page() {
    let h = Harness::new();
    let json =
        h.send(Request::new(Method::Post, FORGOT_PAGE_PATH).json(&json!({ "identifier": "jane" })));
    assert_eq!(json.status, 415);
    assert_page_headers(&json);
    assert!(text(&json).contains("<h1>The form could not be read</h1>"));
    let mut plain =
        Request::new(Method::Post, FORGOT_PAGE_PATH).header("content-type", "text/plain");
    plain.body = b"identifier=jane".to_vec();
    assert_eq!(h.send(plain).status, 415);
    let big = "x".repeat(16 * 1024);
    let large = h.send(forgot(&big));
    assert_eq!(large.status, 413);
    assert_eq!(h.platform.queued(), 0);
    // Other methods: 405 with Allow.
    let put = h.send(Request::new(Method::Other, FORGOT_PAGE_PATH));
    assert_eq!(put.status, 405);
    assert_eq!(put.header_value("allow"), Some("GET, HEAD, POST"));
}

#[test]
fn the_page_follows_accept_language() {
    let h = Harness::new();
    for (header, lang, heading, sent) in [
        (
            "de-DE,de;q=0.9",
            "de",
            "Passwort vergessen?",
            "Sehen Sie in Ihren E-Mails oder SMS nach",
        ),
        (
            "es-MX",
            "es",
            "¿Has olvidado tu contraseña?",
            "Revisa tu correo electrónico o tus SMS",
        ),
        (
            "fr, ja",
            "en",
            "Forgot your password?",
            "Check your e-mail or your phone",
        ),
    ] {
        let form = text(
            &h.send(Request::new(Method::Get, FORGOT_PAGE_PATH).header("accept-language", header)),
        );
        assert!(
            form.contains(&format!("<html lang=\"{lang}\">")),
            "{header}"
        );
        assert!(
            form.contains(&format!("<h1>{}</h1>", escape(heading))),
            "{header}"
        );
        let answer = h.send(forgot("jane").header("accept-language", header));
        assert!(
            text(&answer).contains(&format!("<h1>{}</h1>", escape(sent))),
            "{header}"
        );
    }
    // The message it sends is in that language too.
    let (jane, john) = (h.jane(), h.john());
    h.send(forgot(&jane.email).header("accept-language", "de"));
    h.send(forgot(&john.email).header("accept-language", "en"));
    h.drain();
    let (german, english) = (&h.outbox(&jane.email)[0], &h.outbox(&john.email)[0]);
    assert!(german.link.is_some() && english.link.is_some());
    assert_ne!(german.subject, english.subject);
}

#[test]
fn no_identifier_reaches_a_log_line() {
    let h = Harness::new();
    h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 1);
    for input in ["jane@example.com", "jane@example.com", "secret-name-x"] {
        h.send(forgot(input));
    }
    h.drain();
    for line in h.platform.logs() {
        assert!(
            !line.contains("jane@example.com") && !line.contains("secret-name-x"),
            "{line}"
        );
    }
}

#[test]
fn every_failed_platform_call_of_a_submission_answers_a_page() {
    let inputs = [
        "jane@example.com",
        "jane",
        "nobody",
        &"z".repeat(300),
        JANE_PHONE_TYPED,
        NOBODY_PHONE_TYPED,
    ];
    for input in inputs {
        let h = Harness::new();
        h.jane();
        let recorder = Faulty::new(&h.platform);
        let answer = block_on(h.service.handle(&recorder, forgot(input)));
        assert_eq!(answer.status, 200, "{input}");
        let calls = recorder.calls();
        assert!(calls.contains(&"allow"), "{input}: {calls:?}");
        for (index, call) in calls.iter().enumerate() {
            for fault in Fault::ALL {
                let h = Harness::new();
                h.jane();
                let faulty = Faulty::failing(&h.platform, index, fault);
                let answer = block_on(h.service.handle(&faulty, forgot(input)));
                let context = format!("{input}: {fault:?} in call {index} ({call})");
                assert!(faulty.injected(), "{context}");
                assert!(
                    matches!(answer.status, 200 | 503),
                    "{context}: {}",
                    answer.status
                );
                assert_eq!(
                    answer.header_value("content-type"),
                    Some("text/html; charset=utf-8"),
                    "{context}"
                );
                if answer.status == 503 {
                    assert_eq!(answer.header_value("retry-after"), Some("5"), "{context}");
                    assert!(text(&answer).contains("Something went wrong on our side"));
                }
            }
        }
    }
}

// ---------------------------------------------------------------- a phone number: a link by SMS

/// Resets the password with `link` on the reset page, as its form posts it.
#[track_caller]
fn reset_with(h: &Harness, link: &str) -> Response {
    let path = link
        .strip_prefix(PUBLIC_URL)
        .expect("a link to this service");
    assert_eq!(
        h.send(Request::new(Method::Get, path)).status,
        200,
        "{link}"
    );
    let token = param(link, "token").expect("a token");
    h.send(form_to(
        "/reset",
        &[
            ("token", &token),
            ("password", GOOD),
            ("password_confirm", GOOD),
        ],
    ))
}

#[test]
fn a_phone_number_gets_dialect_b_s_link_by_sms_and_the_link_works() {
    // Every way of writing it that dialect B's `forgotpass/mobile` reads.
    for typed in [
        JANE_PHONE_TYPED,
        JANE_PHONE,
        "+44 7700-900-456",
        "+44 (7700) 900-456",
        " +44.7700.900.456 ",
    ] {
        let h = Harness::new();
        let jane = h.jane();
        let answer = h.send(forgot(typed));
        assert_eq!(answer.status, 200, "{typed:?}: {}", text(&answer));
        assert_eq!(h.platform.queued(), 1, "{typed:?}");
        h.drain();
        let sent = h.platform.outbox_all();
        assert_eq!(sent.len(), 1, "{typed:?}: {sent:?}");
        let sms = &sent[0];
        assert_eq!(sms.channel, Channel::Sms, "{typed:?}");
        assert_eq!(sms.to, JANE_PHONE, "{typed:?}");
        assert_eq!(sms.code, None, "{typed:?}: a link, not a code");
        let link = sms.link.clone().expect("the SMS carries a link");
        // Dialect B's link, written into the text in full.
        assert!(
            link.starts_with(&format!("{PUBLIC_URL}/reset?token=")),
            "{link}"
        );
        assert_eq!(param(&link, "user"), None);
        assert!(
            sms.text.starts_with("Reset your password: ") && sms.text.contains(&link),
            "{}",
            sms.text
        );
        assert!(h.outbox(&jane.email).is_empty(), "{typed:?}: no e-mail");

        let done = reset_with(&h, &link);
        assert_eq!(done.status, 200, "{typed:?}: {}", text(&done));
        assert!(text(&done).contains("Your password has been changed"));
        // Used once.
        let again = reset_with(&h, &link);
        assert_ne!(again.status, 200, "{typed:?}");
    }
}

#[test]
fn an_unknown_phone_number_gets_the_same_page_and_nothing_is_sent() {
    let h = Harness::new();
    h.jane();
    let known = h.send(forgot(JANE_PHONE_TYPED));
    let unknown = h.send(forgot(NOBODY_PHONE_TYPED));
    assert_eq!(known.status, 200);
    assert_page_headers(&known);
    assert_eq!(shape(&unknown), shape(&known));
    // And the same page as an e-mail address or a username gets.
    assert_eq!(shape(&h.send(forgot("jane@example.com"))), shape(&known));
    assert_eq!(shape(&h.send(forgot("nobody"))), shape(&known));
    for answer in [&known, &unknown] {
        let html = text(answer);
        assert!(!html.contains("7700") && !html.contains("900"), "{html}");
    }
    // Nothing is sent before the queue runs; then the unknown phone's request finds nobody.
    assert!(h.platform.outbox_all().is_empty());
    h.drain();
    assert_eq!(h.platform.queued(), 0);
    assert!(h.outbox("+447700900999").is_empty());
    let sms: Vec<_> = h
        .platform
        .outbox_all()
        .into_iter()
        .filter(|m| m.channel == Channel::Sms)
        .collect();
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert_eq!(sms[0].to, JANE_PHONE);
}

#[test]
fn a_phone_number_in_german_gets_the_german_page_and_sms() {
    let h = Harness::new();
    h.jane();
    let form =
        text(&h.send(Request::new(Method::Get, FORGOT_PAGE_PATH).header("accept-language", "de")));
    assert!(
        form.contains(
            "<label for=\"identifier\">E-Mail-Adresse, Benutzername oder Telefonnummer</label>"
        ),
        "{form}"
    );
    let answer = h.send(forgot(JANE_PHONE_TYPED).header("accept-language", "de-DE,de;q=0.9"));
    assert_eq!(answer.status, 200);
    let html = text(&answer);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"de\">"));
    assert!(
        html.contains(&format!(
            "<h1>{}</h1>",
            escape("Sehen Sie in Ihren E-Mails oder SMS nach")
        )),
        "{html}"
    );
    assert!(html.contains(&escape(
        "per SMS, wenn Sie eine Telefonnummer eingegeben haben"
    )));
    // The unknown phone's German page is the known one's.
    let unknown = h.send(forgot(NOBODY_PHONE_TYPED).header("accept-language", "de-DE,de;q=0.9"));
    assert_eq!(shape(&unknown), shape(&answer));
    h.drain();
    let sms = &h.outbox(JANE_PHONE)[0];
    assert_eq!(sms.channel, Channel::Sms);
    let link = sms.link.clone().unwrap();
    assert!(
        sms.text.starts_with("Passwort zurücksetzen: ") && sms.text.contains(&link),
        "{}",
        sms.text
    );
}

#[test]
fn a_phone_number_counts_against_the_request_limits_and_not_the_code_limits() {
    // Per identifier: the phone in E.164, however it was written, and shared with dialect B's
    // `forgotpass/mobile`; known or not, the same 429.
    let h = Harness::new();
    h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 1);
    for (i, (first, second)) in [
        (JANE_PHONE_TYPED, "+44-7700-900456"),
        (NOBODY_PHONE_TYPED, "+44 (7700) 900-999"),
    ]
    .into_iter()
    .enumerate()
    {
        let ip = format!("198.51.100.{i}");
        assert_eq!(h.send(from_ip(forgot(first), &ip)).status, 200, "{first}");
        let again = h.send(from_ip(forgot(second), "192.0.2.1"));
        assert_eq!(again.status, 429, "{second}");
        assert_eq!(again.header_value("retry-after"), Some("60"));
        assert!(text(&again).contains("<h1>Too many requests</h1>"));
    }
    assert_eq!(h.forgot_mobile(JANE_PHONE).status, 429);
    assert_eq!(h.platform.queued(), 2);

    // Per IP, with the other request routes.
    let h = Harness::new();
    h.platform.set_limit(LimitRule::RequestPerIp, 1);
    assert_eq!(h.forgot_mobile(JANE_PHONE).status, 200);
    assert_eq!(h.send(forgot(NOBODY_PHONE_TYPED)).status, 429);

    // A link is not a code: an account whose codes are spent for the minute still gets its link.
    let h = Harness::new();
    let jane = h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 1);
    assert_eq!(h.reg_request(&jane.username).status, 200);
    h.drain();
    assert!(h.outbox(&jane.email)[0].code.is_some());
    assert_eq!(h.send(forgot(JANE_PHONE_TYPED)).status, 200);
    h.drain();
    let sms = &h.outbox(JANE_PHONE)[0];
    assert!(sms.link.is_some(), "{sms:?}");
    assert!(
        !h.platform.logs().iter().any(|l| l.contains("code_limited")),
        "{:?}",
        h.platform.logs()
    );
}

#[test]
fn no_phone_number_or_link_reaches_a_log_line() {
    let h = Harness::new();
    h.jane();
    h.platform.set_limit(LimitRule::RequestPerIdentifier, 2);
    for input in [
        JANE_PHONE_TYPED,
        "+44-7700-900456",
        JANE_PHONE,
        NOBODY_PHONE_TYPED,
    ] {
        h.send(forgot(input));
    }
    h.drain();
    let link = h.latest_link(JANE_PHONE);
    let token = param(&link, "token").unwrap();
    assert_eq!(reset_with(&h, &link).status, 200);
    h.drain();
    let logs = h.platform.logs();
    assert!(!logs.is_empty());
    for line in logs {
        for secret in [
            "447700900",
            "7700 900",
            "900456",
            "900999",
            &token,
            "/reset?",
        ] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

/// The queued request for an SMS link to Jane's phone, as the forgot page queues it.
fn sms_link_job() -> pwreset_service::model::job::Job {
    reset_job(ResetVia::SmsLink, JANE_PHONE)
}

#[test]
fn every_failed_platform_call_of_the_queued_sms_link_request_is_retried_and_a_link_then_works() {
    let h = Harness::new();
    h.jane();
    let recorder = Faulty::new(&h.platform);
    let cfg = h.service.config().unwrap();
    assert_eq!(
        block_on(queue::run_job(&recorder, cfg, sms_link_job())),
        JobOutcome::Done
    );
    let calls = recorder.calls();
    assert!(
        calls.contains(&"guard") && calls.contains(&"kv_put"),
        "{calls:?}"
    );
    assert_eq!(h.outbox(JANE_PHONE).len(), 1);
    for (index, call) in calls.iter().enumerate() {
        for fault in Fault::ALL {
            let h = Harness::new();
            h.jane();
            let cfg = h.service.config().unwrap();
            let context = format!("{fault:?} in call {index} ({call})");
            let faulty = Faulty::failing(&h.platform, index, fault);
            if block_on(queue::run_job(&faulty, cfg, sms_link_job())) == JobOutcome::Retry {
                // The queue offers it again.
                assert_eq!(
                    block_on(queue::run_job(&h.platform, cfg, sms_link_job())),
                    JobOutcome::Done,
                    "{context}"
                );
            }
            assert!(faulty.injected(), "{context}");
            h.drain();
            // Only SMS, only to the phone; one of them carries a link that resets the password.
            let sent = h.platform.outbox_all();
            assert!(!sent.is_empty(), "{context}: nothing sent");
            assert!(
                sent.iter()
                    .all(|m| m.channel == Channel::Sms && m.to == JANE_PHONE),
                "{context}: {sent:?}"
            );
            let worked = sent
                .iter()
                .filter_map(|m| m.link.as_deref())
                .any(|link| reset_with(&h, link).status == 200);
            assert!(worked, "{context}: no link worked");
        }
    }
}
