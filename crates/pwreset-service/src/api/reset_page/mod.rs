//! The reset page that links of dialects B and C open: `GET /reset?token=…` (B) or
//! `GET /reset?user=…&token=…` (C) shows the form; `POST /reset` sets the password. A `GET` never
//! uses a link up, so mail scanners that open links can't burn them: it does not even look the
//! token up, so the page looks the same for a good link and a bad one.
//!
//! The page works as plain HTML (a form `POST` answered by a success page, or by the form again
//! with the errors listed); its script (`/assets/reset.js`) adds live checks with the npm package
//! and a strength meter. Answers carry a strict Content-Security-Policy (no inline script, no
//! inline style but the brand's accent, admitted by its hash: `pages::brand`),
//! `no-store` and a frame ban. Texts follow `Accept-Language` (English, German, Spanish). Every
//! page shows the configured brand (`BRAND_*`, `SUPPORT_EMAIL`).
//!
//! `POST /reset/check` ([`check()`]) is the page's dry run: the verdict a submit of the link would
//! give on a password, as JSON, consuming nothing.
//!
//! [`html`] escapes, `form` reads the link and the submission, `texts` holds the words, `render`
//! writes the pages, `check` answers the dry run.

mod check;
pub(crate) mod form;
pub(crate) mod render;
pub(crate) mod texts;

pub use crate::api::pages::html;

use std::future::Future;

use crate::api;
use crate::api::pages::brand::PageBrand;
use crate::api::pages::html_response;
use crate::config::ServiceConfig;
use crate::flows::{self, FlowError, FlowResult, PasswordForm};
use crate::model::http::{Request, Response};
use crate::ports::Platform;
use form::{Link, Submission};
use texts::{PageTexts, texts};

pub use check::check;

/// The page's Content-Security-Policy: scripts and styles only from the site's own files (wasm
/// compiled from them), nothing inline, no framing, forms only to the site. The brand adds its
/// accent's `<style>` (by hash) and its logo's origin (`PageBrand::policy`).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What one answer of the page is written with: the request's texts and the brand.
struct Page<'a> {
    t: &'static PageTexts,
    brand: PageBrand<'a>,
}

impl<'a> Page<'a> {
    /// The texts for the request's `Accept-Language`, and the configured brand.
    fn new(cfg: &'a ServiceConfig, req: &Request) -> Self {
        Self {
            t: texts(req.locale()),
            brand: PageBrand::of(&cfg.branding),
        }
    }

    /// An HTML answer with the page's security headers and policy.
    fn answer(&self, status: u16, body: String) -> Response {
        html_response(status, body, &self.brand.policy(CONTENT_SECURITY_POLICY))
    }

    /// A one-message page.
    fn message(&self, status: u16, title: &str, body: &str) -> Response {
        self.answer(status, render::message(self.t, &self.brand, title, body))
    }
}

/// Runs a link flow, the dry run ([`flows::check_with_link`]) or the reset
/// ([`flows::reset_with_link`]), on `link` with a new password as the page's form names it: the
/// link's policy, the page's fields, messages in the request's language, counted against the
/// request's address.
async fn with_link<'a, P: Platform, T, Run>(
    flow: impl FnOnce(
        &'a P,
        &'a ServiceConfig,
        &'a str,
        Option<&'a str>,
        PasswordForm<'a>,
        &'a str,
    ) -> Run,
    p: &'a P,
    cfg: &'a ServiceConfig,
    req: &'a Request,
    link: &'a Link,
    password: &'a str,
    confirm: Option<&'a str>,
) -> FlowResult<T>
where
    Run: Future<Output = FlowResult<T>>,
{
    let form = link.password_form(cfg, password, confirm, req.locale());
    flow(
        p,
        cfg,
        &link.token,
        link.user.as_deref(),
        form,
        &req.client_ip,
    )
    .await
}

/// `GET /reset`: the form. Renders only: no storage is read or written, whatever the token.
pub async fn show(_p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let page = Page::new(cfg, req);
    let link = Link::from_query(req);
    page.answer(
        200,
        render::form(page.t, &page.brand, link.policy(cfg), &link, &[]),
    )
}

/// `POST /reset`: the form's submission. `200` with the success page (leading back to the origin
/// the link was asked from while it is registered, else to `BRAND_URL`); `400` with the form and
/// its errors when the password is refused (the link stays usable); `400` with the
/// invalid-link page when the link is wrong, used or expired.
pub async fn submit(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let page = Page::new(cfg, req);
    let t = page.t;
    let submission = match Submission::parse(req) {
        Ok(submission) => submission,
        Err(e) => return page.message(e.status(), t.bad_form_title, t.bad_form_body),
    };
    let link = &submission.link;
    let policy = link.policy(cfg);
    let outcome = with_link(
        flows::redeem_link,
        p,
        cfg,
        req,
        link,
        &submission.password,
        Some(&submission.confirm),
    )
    .await;
    match outcome {
        // The access token is not shown: the page's user signs in anew. The link's return URL
        // (dialect B's verified origin) leads back only while some client still registers it.
        Ok(redeemed) => {
            let back = redeemed
                .return_url
                .filter(|origin| cfg.origin_is_registered(origin));
            page.answer(200, render::success(t, &page.brand, back.as_deref()))
        }
        Err(FlowError::Policy(result)) => page.answer(
            400,
            render::form(t, &page.brand, policy, link, &result.errors),
        ),
        Err(
            FlowError::InvalidSecret
            | FlowError::SecretExhausted
            | FlowError::Unauthorized
            | FlowError::WrongPassword,
        ) => page.message(400, t.invalid_title, t.invalid_body),
        Err(FlowError::RateLimited { retry_after } | FlowError::PhoneRequired { retry_after }) => {
            page.message(429, t.limited_title, t.limited_body)
                .with_header("retry-after", retry_after.to_string())
        }
        Err(FlowError::Unavailable(e)) => api::unavailable(
            p,
            &e.0,
            page.message(503, t.unavailable_title, t.unavailable_body),
        ),
        Err(FlowError::ChangeUnderWay { retry_after }) => page
            .message(503, t.unavailable_title, t.unavailable_body)
            .with_header("retry-after", retry_after.to_string()),
    }
}
