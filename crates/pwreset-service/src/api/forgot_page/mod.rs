//! The hosted forgot-password page: `GET /forgot` shows a form with one field (an e-mail address,
//! a username or a phone number), `POST /forgot` asks for a reset link, and the link opens the
//! reset page ([`crate::api::reset_page`]). Same look, languages (`Accept-Language`: English,
//! German, Spanish) and headers as the reset page; no script of its own, so it works without
//! JavaScript.
//!
//! Which link (`form::Ask::of`):
//! - an e-mail address asks for dialect B's link by e-mail (`ResetVia::EmailLink`: every account
//!   with that address, `/reset?token=…`, dialect B's policy);
//! - a phone number with its country code (a leading `+`, then as dialect B's `forgotpass/mobile`
//!   reads it: spaces, dashes, dots or parentheses allowed) asks for the same link by SMS
//!   (`ResetVia::SmsLink`: the account with that phone). The SMS carries a link, not a code, so it
//!   opens `/reset` as the e-mailed link does. SMS cannot be switched off (`SMS_PROVIDER` is
//!   `outbox`, `twilio` or `webhook`), so a phone number is always accepted;
//! - anything else is a username and asks for dialect C's link by e-mail (`ResetVia::UserLink`:
//!   the account with that username, else each account with that address,
//!   `/reset?user=…&token=…`, dialect C's policy). Digits without a `+` are a username.
//!
//! All through [`flows::request_reset`], under the same `request_per_ip` and
//! `request_per_identifier` limits as the JSON request routes (a phone shares its counter with
//! `forgotpass/mobile`). Links are not counted against the code limits.
//!
//! Every non-empty input gets the same answer (`200`, the same page and headers), whether an
//! account matches, none does, or nothing could (a text no account can have is counted against
//! the limits, and not queued); the page says to look for an e-mail or a text message. An empty
//! field gets the form again with an error (`400`).
//!
//! The `POST` is a same-origin form: when `Origin` is sent it must be `PUBLIC_URL`'s origin, else
//! `403` (a page on another site can make a browser post a form anywhere, but not forge
//! `Origin`). The pages set their own referrer policy, `strict-origin` (a `<meta>`): under every
//! answer's `no-referrer` a browser would send `Origin: null` with the form. With Turnstile on (`TURNSTILE_SITE_KEY` and `TURNSTILE_SECRET_KEY`), the form shows
//! the widget, the page's Content-Security-Policy admits `https://challenges.cloudflare.com`
//! (script, frame, connect), and a submission passes only once siteverify accepts its
//! `cf-turnstile-response` ([`crate::turnstile`]); else `403` with the form again. The check
//! comes before the limits, so requests without a passing token spend no one's limit (the checks
//! count on a counter of their own: [`crate::turnstile::verify`]).

pub(crate) mod form;
pub(crate) mod render;
pub(crate) mod texts;

use serde_json::json;

use crate::api;
use crate::api::pages::brand::PageBrand;
use crate::api::pages::html_response;
use crate::api::reset_page::texts::{PageTexts, texts as chrome_texts};
use crate::config::ServiceConfig;
use crate::flows::{self, FlowError};
use crate::model::audit;
use crate::model::http::{Request, Response};
use crate::ports::Platform;
use crate::turnstile;
use form::{Ask, Submission};
use render::FormView;
use texts::{ForgotTexts, texts};

pub use render::{FORGOT_PAGE_PATH, TURNSTILE_ACTION};

/// The page's Content-Security-Policy: no script at all, styles only from the site's files, no
/// framing, forms only to the site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The Content-Security-Policy of the form with Turnstile on: Cloudflare's script, its frame and
/// its calls come from [`crate::turnstile::CHALLENGES_ORIGIN`]; nothing else is loosened.
pub const TURNSTILE_CONTENT_SECURITY_POLICY: &str = concat!(
    "default-src 'none'; script-src https://challenges.cloudflare.com; frame-src https://challenges.cloudflare.com; connect-src https://challenges.cloudflare.com; ",
    "style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
);

/// The page's words and its chrome (language tag, error prefix), for the request's language.
fn words(req: &Request) -> (&'static PageTexts, &'static ForgotTexts) {
    let locale = req.locale();
    (chrome_texts(locale), texts(locale))
}

/// An HTML answer with the pages' security headers and `csp` with what `brand` adds to it.
fn html(status: u16, body: String, brand: &PageBrand<'_>, csp: &'static str) -> Response {
    html_response(status, body, &brand.policy(csp))
}

/// A one-message page, with a link back to the form when `back` is set.
fn message(
    cfg: &ServiceConfig,
    req: &Request,
    status: u16,
    title: &str,
    body: &str,
    back: Option<&ForgotTexts>,
) -> Response {
    let (chrome, _) = words(req);
    let brand = PageBrand::of(&cfg.branding);
    html(
        status,
        render::message(chrome, &brand, title, body, back),
        &brand,
        CONTENT_SECURITY_POLICY,
    )
}

/// The form, with Turnstile's widget and policy when it is on.
fn form_page(cfg: &ServiceConfig, req: &Request, status: u16, view: FormView<'_>) -> Response {
    let (chrome, t) = words(req);
    let brand = PageBrand::of(&cfg.branding);
    let site_key = cfg.turnstile.as_ref().map(|c| c.site_key.as_str());
    let csp = if site_key.is_some() {
        TURNSTILE_CONTENT_SECURITY_POLICY
    } else {
        CONTENT_SECURITY_POLICY
    };
    let view = FormView { site_key, ..view };
    html(status, render::form(chrome, &brand, t, &view), &brand, csp)
}

/// Whether `req` may be a submission of the page's own form: no `Origin` (not a browser's
/// cross-site form), or exactly `PUBLIC_URL`'s origin.
pub fn origin_allowed(cfg: &ServiceConfig, req: &Request) -> bool {
    let Some(origin) = req.header_value("origin") else {
        return true;
    };
    public_url(cfg).is_some_and(|public| public.origin().ascii_serialization() == origin.trim())
}

/// `PUBLIC_URL`, where the page is served (checked at start, so `None` only if it were not a URL).
fn public_url(cfg: &ServiceConfig) -> Option<url::Url> {
    url::Url::parse(&cfg.public_url).ok()
}

/// `GET /forgot`: the form. Renders only.
pub async fn show(_p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let view = FormView {
        identifier: "",
        error: None,
        site_key: None,
    };
    form_page(cfg, req, 200, view)
}

/// `POST /forgot`: asks for a link. `200` with the same answer page for every non-empty input;
/// `400` with the form for an empty one; `403` from another origin, or when Turnstile is on and
/// the token does not pass; `413`/`415` for a body that is no form; `429` over a limit; `503`
/// when a platform call failed.
pub async fn submit(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let (_, t) = words(req);
    if !origin_allowed(cfg, req) {
        p.log(&audit::line(
            "forgot_foreign_origin",
            p.now(),
            json!({ "route": FORGOT_PAGE_PATH }),
        ));
        return message(cfg, req, 403, t.forbidden_title, t.forbidden_body, None);
    }
    let submission = match Submission::parse(req) {
        Ok(submission) => submission,
        Err(e) => {
            return message(
                cfg,
                req,
                e.status(),
                t.bad_form_title,
                t.bad_form_body,
                None,
            );
        }
    };
    if submission.is_empty() {
        let view = FormView {
            identifier: "",
            error: Some(t.empty_error),
            site_key: None,
        };
        return form_page(cfg, req, 400, view);
    }
    if let Some(turnstile) = &cfg.turnstile {
        let token = submission.token.as_deref();
        // Solved on this page: served from PUBLIC_URL's host, by this page's widget.
        let host = public_url(cfg)
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_default();
        let expected = turnstile::Expected {
            hostname: Some(&host),
            action: Some(TURNSTILE_ACTION),
        };
        let route = FORGOT_PAGE_PATH;
        if turnstile::verify(p, turnstile, token, &req.client_ip, route, expected)
            .await
            .is_err()
        {
            let view = FormView {
                identifier: submission.identifier.trim(),
                error: Some(t.challenge_error),
                site_key: None,
            };
            return form_page(cfg, req, 403, view);
        }
    }
    let asked = match Ask::of(&submission.identifier) {
        Ask::Link(via, identifier) => {
            // No return URL: the page is the service's own, not an application's.
            let ip = &req.client_ip;
            flows::request_reset(p, cfg, via, identifier, ip, req.locale(), None).await
        }
        Ask::Nothing { key } => flows::request_limits(p, cfg, &key, &req.client_ip).await,
    };
    match asked {
        Ok(()) => message(cfg, req, 200, t.sent_title, t.sent_body, Some(t)),
        Err(FlowError::RateLimited { retry_after }) => {
            message(cfg, req, 429, t.limited_title, t.limited_body, None)
                .with_header("retry-after", retry_after.to_string())
        }
        Err(e) => {
            // Asking for a reset refuses only over a limit or when a platform call failed.
            let reason = match e {
                FlowError::Unavailable(e) => e.0,
                _ => "unexpected refusal".to_owned(),
            };
            api::unavailable(
                p,
                &reason,
                message(cfg, req, 503, t.unavailable_title, t.unavailable_body, None),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turnstile_loosens_the_policy_for_cloudflare_alone() {
        let with = TURNSTILE_CONTENT_SECURITY_POLICY;
        for directive in ["script-src", "frame-src", "connect-src"] {
            let origin = turnstile::CHALLENGES_ORIGIN;
            assert!(with.contains(&format!("{directive} {origin};")), "{with}");
            assert!(!CONTENT_SECURITY_POLICY.contains(directive));
        }
        // Otherwise the same directives.
        let without_cloudflare: Vec<&str> = with
            .split("; ")
            .filter(|d| !d.contains(turnstile::CHALLENGES_ORIGIN))
            .collect();
        assert_eq!(without_cloudflare.join("; "), CONTENT_SECURITY_POLICY);
        assert!(!with.contains("unsafe"));
    }
}
