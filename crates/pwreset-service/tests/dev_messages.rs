//! The development preview of every e-mail, `GET /dev/messages`.

mod common;

use common::*;
use pwreset_service::{Method, Request, Response};

const KINDS: [&str; 4] = [
    "reset_code",
    "reset_link",
    "reset_links",
    "password_changed",
];
const LANGUAGES: [&str; 3] = ["en", "de", "es"];

fn preview(h: &Harness, query: &str) -> Response {
    h.send(Request::new(Method::Get, &format!("/dev/messages{query}")))
}

fn body(answer: &Response) -> String {
    String::from_utf8(answer.body.clone()).unwrap()
}

fn branded() -> Harness {
    Harness::with(&[
        ("BRAND_NAME", "Acme & <Sons>"),
        ("BRAND_COLOR", "#b91c1c"),
        ("SUPPORT_EMAIL", "help@acme.test"),
    ])
}

/// The headers every preview answer carries: never cached, no script.
fn assert_preview_headers(answer: &Response, content_type: &str) {
    assert_eq!(answer.status, 200, "{}", body(answer));
    assert_eq!(
        answer.header_value("content-type"),
        Some(format!("{content_type}; charset=utf-8").as_str())
    );
    assert_eq!(answer.header_value("cache-control"), Some("no-store"));
    let csp = answer.header_value("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");
}

#[test]
fn the_index_links_every_kind_in_every_language() {
    let answer = preview(&Harness::new(), "");
    assert_preview_headers(&answer, "text/html");
    let page = body(&answer);
    assert!(!page.contains("<script"));
    for kind in KINDS {
        for lang in LANGUAGES {
            for part in ["html", "text"] {
                let href = format!("/dev/messages?kind={kind}&amp;lang={lang}&amp;part={part}");
                assert!(page.contains(&href), "{href}");
            }
        }
    }
}

#[test]
fn every_kind_in_every_language_renders_both_parts_with_the_brand() {
    let h = branded();
    for kind in KINDS {
        for lang in LANGUAGES {
            let html = preview(&h, &format!("?kind={kind}&lang={lang}&part=html"));
            assert_preview_headers(&html, "text/html");
            let page = body(&html);
            assert!(page.starts_with("<!DOCTYPE html>"), "{kind} {lang}");
            assert!(page.contains(&format!("lang=\"{lang}\"")), "{kind} {lang}");
            assert!(page.contains("Acme &amp; &lt;Sons&gt;"), "{kind} {lang}");
            assert!(page.contains("#b91c1c"), "{kind} {lang}");
            assert!(page.contains("mailto:help@acme.test"), "{kind} {lang}");
            assert!(!page.contains("<script"), "{kind} {lang}");

            let text = preview(&h, &format!("?kind={kind}&lang={lang}&part=text"));
            assert_preview_headers(&text, "text/plain");
            let text = body(&text);
            assert!(text.starts_with("Subject: "), "{kind} {lang}");
            assert!(text.contains("Acme & <Sons>"), "{kind} {lang}: {text}");
            assert!(text.contains("help@acme.test"), "{kind} {lang}: {text}");
            match kind {
                "reset_code" => {
                    assert!(page.contains("123456") && text.contains("123456"));
                }
                "reset_link" | "reset_links" => {
                    let link = format!("{PUBLIC_URL}/reset?token=");
                    assert!(
                        page.contains(&link) && text.contains(&link),
                        "{kind} {lang}"
                    );
                }
                _ => {}
            }
        }
    }
}

#[test]
fn the_part_defaults_to_html_and_the_templates_are_the_configured_ones() {
    let templates =
        r#"{"de":{"reset_code":{"subject":"Ihr Code {{ code }}","text":"Code: {{ code }}\n"}}}"#;
    let h = Harness::with(&[("MESSAGE_TEMPLATES", templates)]);
    let html = preview(&h, "?kind=reset_code&lang=de");
    assert_preview_headers(&html, "text/html");
    assert!(body(&html).contains("Ihr Code 123456"));
    let text = body(&preview(&h, "?kind=reset_code&lang=de&part=text"));
    assert_eq!(text, "Subject: Ihr Code 123456\n\nCode: 123456\n");
}

#[test]
fn values_in_the_html_are_escaped() {
    let h = branded();
    let page = body(&preview(&h, "?kind=reset_links&lang=en&part=html"));
    // The sample list has an account label with markup in it.
    assert!(page.contains("&lt;b&gt;family&lt;/b&gt;"), "{page}");
    assert!(!page.contains("<b>family"));
    assert!(!page.contains("<Sons>"));
}

#[test]
fn bad_parameters_answer_400_naming_the_parameter() {
    let h = Harness::new();
    for (query, field) in [
        ("?kind=nope&lang=en&part=html", "kind"),
        ("?lang=en", "kind"),
        ("?kind=reset_code", "lang"),
        ("?kind=reset_code&lang=fr&part=html", "lang"),
        ("?kind=reset_code&lang=EN&part=html", "lang"),
        ("?kind=reset_code&lang=en&part=pdf", "part"),
        ("?kind=%3Cscript%3E&lang=en", "kind"),
    ] {
        let answer = preview(&h, query);
        assert_json_status(&answer, 400);
        let error = answer.json_body();
        assert_eq!(error["error"], "field_invalid", "{query}");
        assert_eq!(error["field"], field, "{query}");
        assert!(error["message"].is_string(), "{query}");
        assert!(!body(&answer).contains("<script>"));
    }
}

#[test]
fn there_is_no_preview_outside_development() {
    let service = service_from(&production_vars(&[]));
    let platform = pwreset_service::testing::memory::MemoryPlatform::new(NOW);
    for query in ["", "?kind=reset_code&lang=en&part=html"] {
        let request = Request::new(Method::Get, &format!("/dev/messages{query}"));
        let answer = futures_executor::block_on(service.handle(&platform, request));
        assert_json_status(&answer, 404);
        assert_eq!(answer.json_body()["error"], "not_found");
    }
}

#[test]
fn only_get_is_answered() {
    let answer = Harness::new().send(Request::new(Method::Post, "/dev/messages"));
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header_value("allow"), Some("GET, HEAD"));
}
