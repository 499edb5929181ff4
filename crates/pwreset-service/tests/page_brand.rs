//! The brand on the hosted pages (`/reset` and `/forgot`), through the router on the in-memory
//! platform: with `BRAND_NAME`, `BRAND_URL`, `BRAND_LOGO_URL`, `BRAND_COLOR` and `SUPPORT_EMAIL`
//! set, every state of both pages carries the header (the logo, its alt text the name, linking to
//! the site), the accent in a `<style>` the Content-Security-Policy admits by its hash, the logo's
//! origin in `img-src` and the support address as a `mailto:` link; hostile values are escaped;
//! without them, nothing of the brand and the policies as they were.

mod common;

use base64::Engine;
use common::*;
use pwreset_service::api::forgot_page::{
    CONTENT_SECURITY_POLICY as FORGOT_CSP, FORGOT_PAGE_PATH, TURNSTILE_CONTENT_SECURITY_POLICY,
};
use pwreset_service::api::reset_page::CONTENT_SECURITY_POLICY as RESET_CSP;
use pwreset_service::api::reset_page::html::escape;
use pwreset_service::ports::LimitRule;
use pwreset_service::turnstile::CHALLENGES_ORIGIN;
use pwreset_service::{Method, Request, Response};
use sha2::{Digest, Sha256};

const NAME: &str = "Acme";
const SITE: &str = "http://acme.test/home?a=1&b=2";
const LOGO: &str = "https://cdn.acme.test/brand/logo.png";
const LOGO_ORIGIN: &str = "https://cdn.acme.test";
const SUPPORT: &str = "help@acme.test";
/// `#0F766E` as configured: kept as `#0f766e`; its hover shade each channel at three quarters.
const STYLE: &str = "<style>:root{--accent:#0f766e;--accent-dark:#0b5852}</style>";

fn brand_vars() -> Vec<(&'static str, &'static str)> {
    vec![
        ("BRAND_NAME", NAME),
        ("BRAND_URL", SITE),
        ("BRAND_LOGO_URL", LOGO),
        ("BRAND_COLOR", "#0F766E"),
        ("SUPPORT_EMAIL", SUPPORT),
    ]
}

/// `fields`, URL-encoded and posted to `path` as the page's own form.
fn form_to(path: &str, fields: &[(&str, &str)]) -> Request {
    form_from(PUBLIC_URL, path, fields)
}

/// `fields`, URL-encoded and posted to `path` from a page of `origin`.
fn form_from(origin: &str, path: &str, fields: &[(&str, &str)]) -> Request {
    let mut request = Request::new(Method::Post, path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", origin);
    request.body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
        .into_bytes();
    request
}

/// A `POST` of `path` whose body is no form.
fn not_a_form(path: &str) -> Request {
    let mut request = Request::new(Method::Post, path).header("content-type", "application/json");
    request.body = b"{}".to_vec();
    request
}

/// A fresh dialect B link for `email`: its token.
fn fresh_token(h: &Harness, email: &str) -> String {
    assert_eq!(h.forgot_email(email).status, 200);
    h.drain();
    h.latest_link_token(email)
}

/// A fresh link for `email` asked through the forgot page: its token.
fn page_token(h: &Harness, email: &str) -> String {
    let answer = h.send(form_to(FORGOT_PAGE_PATH, &[("identifier", email)]));
    assert_eq!(answer.status, 200, "{}", text(&answer));
    h.drain();
    h.latest_link_token(email)
}

/// The reset form posted with `token` and `password` twice.
fn reset_with(token: &str, password: &str) -> Request {
    form_to(
        "/reset",
        &[
            ("token", token),
            ("password", password),
            ("password_confirm", password),
        ],
    )
}

/// Every state of both pages under `h`'s configuration, each with a name and its status.
fn every_state(h: &Harness) -> Vec<(&'static str, u16, Response)> {
    let jane = h.jane();
    let mut states = Vec::new();
    let mut add = |what: &'static str, status: u16, answer: Response| {
        assert_eq!(answer.status, status, "{what}: {}", text(&answer));
        states.push((what, status, answer));
    };
    // The reset page.
    add(
        "reset form",
        200,
        h.send(Request::new(Method::Get, "/reset?token=abc123")),
    );
    add(
        "reset form, German",
        200,
        h.send(Request::new(Method::Get, "/reset?token=abc123").header("accept-language", "de")),
    );
    // Asked through the forgot page: no client's origin to lead back to, so the success page
    // leads to the brand's site.
    let token = page_token(h, &jane.email);
    add(
        "reset form with errors",
        400,
        h.send(reset_with(&token, "abc")),
    );
    add(
        "reset form with a mismatch",
        400,
        h.send(form_to(
            "/reset",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEWER_PASSWORD),
            ],
        )),
    );
    add(
        "invalid link",
        400,
        h.send(reset_with(&"0".repeat(64), NEW_PASSWORD)),
    );
    add("unreadable form", 415, h.send(not_a_form("/reset")));
    add("success", 200, h.send(reset_with(&token, NEW_PASSWORD)));
    let stale = fresh_token(h, &jane.email);
    h.platform.advance(2 * 24 * 60 * 60);
    add(
        "expired link",
        400,
        h.send(reset_with(&stale, NEWER_PASSWORD)),
    );
    // The forgot page.
    add(
        "forgot form",
        200,
        h.send(Request::new(Method::Get, FORGOT_PAGE_PATH)),
    );
    add(
        "forgot form with an error",
        400,
        h.send(form_to(FORGOT_PAGE_PATH, &[("identifier", " ")])),
    );
    add(
        "forgot answer",
        200,
        h.send(form_to(
            FORGOT_PAGE_PATH,
            &[("identifier", "nobody@example.test")],
        )),
    );
    add(
        "forgot from another site",
        403,
        h.send(form_from(
            "https://evil.example.test",
            FORGOT_PAGE_PATH,
            &[("identifier", "jane")],
        )),
    );
    add(
        "forgot unreadable form",
        415,
        h.send(not_a_form(FORGOT_PAGE_PATH)),
    );
    // Over the limits.
    h.platform.set_limit(LimitRule::AttemptPerIp, 0);
    add(
        "reset over a limit",
        429,
        h.send(reset_with(&"1".repeat(64), NEW_PASSWORD)),
    );
    h.platform.set_limit(LimitRule::RequestPerIp, 0);
    add(
        "forgot over a limit",
        429,
        h.send(form_to(FORGOT_PAGE_PATH, &[("identifier", "jane")])),
    );
    states
}

/// The page's own policy for an answer of `what`.
fn base_policy(what: &str) -> &'static str {
    if what.starts_with("forgot") {
        FORGOT_CSP
    } else {
        RESET_CSP
    }
}

fn body(answer: &Response) -> String {
    String::from_utf8(answer.body.clone()).unwrap()
}

fn csp(answer: &Response) -> &str {
    answer.header_value("content-security-policy").unwrap()
}

/// The sources of `directive` in `policy`.
fn sources<'a>(policy: &'a str, directive: &str) -> Vec<&'a str> {
    policy
        .split("; ")
        .find_map(|d| d.strip_prefix(directive)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {directive} in {policy}"))
        .split(' ')
        .collect()
}

/// The policy source of a `<style>` element holding `css`, as browsers compute it.
fn style_source(css: &str) -> String {
    let digest = Sha256::digest(css.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The text of every `<style>` element of `html`.
fn style_elements(html: &str) -> Vec<&str> {
    html.split("<style>")
        .skip(1)
        .map(|rest| rest.split_once("</style>").expect("closed").0)
        .collect()
}

/// No inline script, no style attribute, no event handler.
#[track_caller]
fn assert_no_inline_code(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains(" style="), "style attribute: {html}");
    assert!(!lower.contains("javascript:"), "{html}");
    assert!(!lower.contains(" onerror="), "{html}");
    for (i, _) in lower.match_indices("<script") {
        let tag = &lower[i..i + lower[i..].find('>').unwrap()];
        assert!(
            tag.contains(" src=\"/assets/") || tag.contains(" src=\"https://challenges."),
            "inline <script>: {html}"
        );
    }
}

#[test]
fn every_state_of_both_pages_shows_the_brand() {
    let h = Harness::with(&brand_vars());
    let header = format!(
        "<body>\n<header class=\"brand\">\n<a class=\"brand-link\" href=\"{}\"><img class=\"brand-logo\" src=\"{LOGO}\" alt=\"{NAME}\" height=\"40\"></a>\n</header>\n<main class=\"page\">\n",
        escape(SITE)
    );
    let support_en = format!(
        "<p class=\"support\">Need help? Contact <a href=\"mailto:{SUPPORT}\">{SUPPORT}</a>.</p>\n</main>\n"
    );
    let support_de = format!(
        "<p class=\"support\">Brauchen Sie Hilfe? Schreiben Sie an <a href=\"mailto:{SUPPORT}\">{SUPPORT}</a>.</p>\n</main>\n"
    );
    let states = every_state(&h);
    assert_eq!(states.len(), 15);
    for (what, _, answer) in &states {
        let html = body(answer);
        assert_no_inline_code(&html);
        assert!(html.contains(&header), "{what}: {html}");
        assert_eq!(html.matches("<img").count(), 1, "{what}");
        let support = if what.ends_with("German") {
            &support_de
        } else {
            &support_en
        };
        assert!(html.contains(support.as_str()), "{what}: {html}");
        // The accent: one `<style>` in the head, after the stylesheet, holding only the colours.
        let head = html.split_once("</head>").unwrap().0;
        assert!(
            head.contains(&format!(
                "<link rel=\"stylesheet\" href=\"/assets/reset.css\">\n{STYLE}\n"
            )),
            "{what}: {head}"
        );
        let styles = style_elements(&html);
        assert_eq!(styles.len(), 1, "{what}");
        // The policy: the page's own, with the style's hash and the logo's origin, and nothing
        // else loosened.
        let policy = csp(answer);
        assert!(
            !policy.contains("unsafe-inline") && !policy.contains("unsafe-hashes"),
            "{what}: {policy}"
        );
        assert_eq!(
            sources(policy, "style-src"),
            ["'self'", style_source(styles[0]).as_str()],
            "{what}"
        );
        assert_eq!(
            sources(policy, "img-src"),
            ["'self'", LOGO_ORIGIN],
            "{what}"
        );
        let without_brand = policy
            .replace(&format!(" {}", style_source(styles[0])), "")
            .replace(&format!(" {LOGO_ORIGIN}"), "");
        assert_eq!(without_brand, base_policy(what), "{what}");
    }
    // The success page still leads back to the site, named.
    let success = states.iter().find(|(w, ..)| *w == "success").unwrap();
    assert!(body(&success.2).contains(&format!(
        "<a class=\"continue\" id=\"continue\" href=\"{}\">Continue to Acme</a>",
        escape(SITE)
    )));
}

#[test]
fn the_forgot_form_with_turnstile_admits_cloudflare_and_the_brand() {
    let mut vars = brand_vars();
    vars.extend([
        ("TURNSTILE_SITE_KEY", "1x00000000000000000000AA"),
        (
            "TURNSTILE_SECRET_KEY",
            "1x0000000000000000000000000000000AA",
        ),
    ]);
    let h = Harness::with(&vars);
    let answer = h.send(Request::new(Method::Get, FORGOT_PAGE_PATH));
    let html = body(&answer);
    assert!(html.contains("<header class=\"brand\">") && html.contains("class=\"cf-turnstile\""));
    let policy = csp(&answer);
    let style = style_source(style_elements(&html)[0]);
    assert_eq!(
        policy,
        TURNSTILE_CONTENT_SECURITY_POLICY
            .replace("style-src 'self'", &format!("style-src 'self' {style}"))
            .replace("img-src 'self'", &format!("img-src 'self' {LOGO_ORIGIN}"))
    );
    assert!(policy.contains(&format!("script-src {CHALLENGES_ORIGIN};")));
}

#[test]
fn hostile_values_are_escaped_everywhere() {
    let name = r#"Acme "<script>alert(1)</script>" & 'Co'"#;
    let site = r#"http://acme.test/?q="><script>alert(2)</script>&r='1'"#;
    let logo = r#"https://cdn.acme.test/logo.png?x="onerror="alert(3)"#;
    let support = "o'brien&co@acme.test";
    let vars = [
        ("BRAND_NAME", name),
        ("BRAND_URL", site),
        ("BRAND_LOGO_URL", logo),
        ("BRAND_COLOR", "#7c2d12"),
        ("SUPPORT_EMAIL", support),
    ];
    let h = Harness::with(&vars);
    for (what, _, answer) in every_state(&h) {
        let html = body(&answer);
        assert_no_inline_code(&html);
        // Nothing a value held became markup.
        assert!(!html.contains("<script>alert"), "{what}: {html}");
        assert!(!html.contains("\"onerror=\""), "{what}: {html}");
        assert!(
            html.contains(&format!(
                "<a class=\"brand-link\" href=\"{}\"><img class=\"brand-logo\" src=\"{}\" alt=\"{}\" height=\"40\"></a>",
                escape(site),
                escape(logo),
                escape(name)
            )),
            "{what}: {html}"
        );
        assert!(
            html.contains(&format!(
                "<a href=\"mailto:{}\">{}</a>",
                escape(support),
                escape(support)
            )),
            "{what}: {html}"
        );
        // The policy names the logo's origin alone: nothing of its path or query.
        let policy = csp(&answer);
        assert_eq!(
            sources(policy, "img-src"),
            ["'self'", LOGO_ORIGIN],
            "{what}"
        );
        assert!(
            !policy.contains("onerror") && !policy.contains('"'),
            "{policy}"
        );
        assert_eq!(
            style_elements(&html),
            [":root{--accent:#7c2d12;--accent-dark:#5d210d}"],
            "{what}"
        );
    }
    // Without a logo the name is the header's text, escaped.
    let h = Harness::with(&[("BRAND_NAME", name)]);
    let html = body(&h.send(Request::new(Method::Get, FORGOT_PAGE_PATH)));
    assert!(
        html.contains(&format!(
            "<header class=\"brand\">\n<span class=\"brand-name\">{}</span>\n</header>",
            escape(name)
        )),
        "{html}"
    );
    assert!(!html.contains("alert(1)</script>"), "{html}");
}

#[test]
fn without_a_brand_the_pages_are_as_before() {
    let h = Harness::new();
    for (what, _, answer) in every_state(&h) {
        let html = body(&answer);
        for absent in [
            "<header",
            "<img",
            "<style",
            "mailto:",
            "class=\"support\"",
            "brand",
        ] {
            assert!(!html.contains(absent), "{what}: {absent} in {html}");
        }
        assert!(
            html.contains("</head>\n<body>\n<main class=\"page\">\n"),
            "{what}"
        );
        assert!(html.ends_with("</main>\n</body>\n</html>\n"), "{what}");
        assert_eq!(csp(&answer), base_policy(what), "{what}");
    }
}

#[test]
fn a_name_alone_is_text_and_the_default_colour_needs_no_style() {
    let h = Harness::with(&[
        ("BRAND_NAME", NAME),
        ("BRAND_COLOR", "#1D4ED8"),
        ("SUPPORT_EMAIL", SUPPORT),
    ]);
    for (what, _, answer) in every_state(&h) {
        let html = body(&answer);
        assert!(
            html.contains(
                "<body>\n<header class=\"brand\">\n<span class=\"brand-name\">Acme</span>\n</header>\n<main class=\"page\">"
            ),
            "{what}: {html}"
        );
        assert!(!html.contains("<img") && !html.contains("<style"), "{what}");
        assert!(html.contains("href=\"mailto:help@acme.test\""), "{what}");
        // The stylesheet's accent is the default colour: the policy is the page's own.
        assert_eq!(csp(&answer), base_policy(what), "{what}");
    }
}
