//! The reset page that links of dialects B and C open: `GET /reset?token=…` (B) or
//! `GET /reset?user=…&token=…` (C) shows the form; `POST /reset` sets the password. A `GET` never
//! uses a link up, so mail scanners that open links can't burn them: it does not even look the
//! token up, so the page looks the same for a good link and a bad one.
//!
//! The page works as plain HTML (a form `POST` answered by a success page, or by the form again
//! with the errors listed); its script (`/assets/reset.js`) adds live checks with the npm package
//! and a strength meter. Answers carry a strict Content-Security-Policy (no inline script or
//! style), `no-store` and a frame ban. Texts follow `Accept-Language` (English, German, Spanish).
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

use serde_json::json;

use crate::api::pages::html_response;
use crate::config::ServiceConfig;
use crate::flows::{self, FlowError};
use crate::model::audit;
use crate::model::http::{Request, Response};
use crate::ports::Platform;
use form::{Link, Submission};
use texts::{PageTexts, texts};

pub use check::check;

/// The page's Content-Security-Policy: scripts and styles only from the site's own files (wasm
/// compiled from them), nothing inline, no framing, forms only to the site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// An HTML answer with the page's security headers and policy.
fn answer(status: u16, body: String) -> Response {
    html_response(status, body, CONTENT_SECURITY_POLICY)
}

/// The texts for the request's `Accept-Language`.
fn texts_for(req: &Request) -> &'static PageTexts {
    texts(req.locale())
}

/// `GET /reset`: the form. Renders only: no storage is read or written, whatever the token.
pub async fn show(_p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let t = texts_for(req);
    let link = Link::from_query(req);
    answer(200, render::form(t, link.policy(cfg), &link, &[]))
}

/// `POST /reset`: the form's submission. `200` with the success page; `400` with the form and
/// its errors when the password is refused (the link stays usable); `400` with the
/// invalid-link page when the link is wrong, used or expired.
pub async fn submit(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let t = texts_for(req);
    let submission = match Submission::parse(req) {
        Ok(submission) => submission,
        Err(e) => {
            return answer(
                e.status(),
                render::message(t, t.bad_form_title, t.bad_form_body),
            );
        }
    };
    let link = &submission.link;
    let policy = link.policy(cfg);
    let form = link.password_form(
        cfg,
        &submission.password,
        Some(&submission.confirm),
        req.locale(),
    );
    let outcome = flows::reset_with_link(
        p,
        cfg,
        &link.token,
        link.user.as_deref(),
        form,
        &req.client_ip,
    )
    .await;
    match outcome {
        // The access token is not shown: the page's user signs in anew.
        Ok(_token) => answer(200, render::success(t, &cfg.branding)),
        Err(FlowError::Policy(result)) => {
            answer(400, render::form(t, policy, link, &result.errors))
        }
        Err(
            FlowError::InvalidSecret
            | FlowError::SecretExhausted
            | FlowError::Unauthorized
            | FlowError::WrongPassword,
        ) => answer(400, render::message(t, t.invalid_title, t.invalid_body)),
        Err(FlowError::RateLimited { retry_after } | FlowError::PhoneRequired { retry_after }) => {
            answer(429, render::message(t, t.limited_title, t.limited_body))
                .with_header("retry-after", retry_after.to_string())
        }
        Err(FlowError::Unavailable(e)) => {
            p.log(&audit::line(
                "unavailable",
                p.now(),
                json!({ "reason": e.0 }),
            ));
            answer(
                503,
                render::message(t, t.unavailable_title, t.unavailable_body),
            )
            .with_header("retry-after", "5")
        }
        Err(FlowError::ChangeUnderWay { retry_after }) => answer(
            503,
            render::message(t, t.unavailable_title, t.unavailable_body),
        )
        .with_header("retry-after", retry_after.to_string()),
    }
}
