//! `POST /reset/check`: the page's dry run. The link's `token` (and `user`) and a password, as
//! JSON ([`ResetCheckRequest`]), answered `200` with the verdict a submit of that link would give
//! ([`CheckResult`]: the account's similarity, "same as current", breached, the policy), whatever
//! the link: an unknown, malformed, expired or used one gets the policy's verdict alone, in the same
//! shape. Nothing is consumed; `attempt_per_ip` is counted as by the submit. Errors are named on
//! the page's own fields (`password`, `password_confirm`), so the page can place them.
//!
//! Failures, in the plain shape ([`PlainError`]): a bad body `400`/`413`/`415`, `429` with
//! `retry-after`, `503`. Neither the token nor a password is ever written to an answer or a log
//! line.

use super::form::Link;
use super::with_link;
use crate::api::shapes::plain::PlainError;
use crate::api::shapes::request::read;
use crate::api::shapes::reset_check::{CheckResult, ResetCheckRequest};
use crate::api::{self, RETRY_AFTER_UNAVAILABLE};
use crate::config::ServiceConfig;
use crate::flows::{self, FlowError};
use crate::model::http::{Request, Response};
use crate::ports::Platform;

/// An answer in the plain error shape.
fn plain(status: u16, code: &str, message: &str, field: Option<&str>) -> Response {
    Response::json(status, &PlainError::new(code, message, field))
}

/// `POST /reset/check`: `200` with the verdict, or a plain error.
pub async fn check(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let body = match read::<ResetCheckRequest>(req) {
        Ok(body) => body,
        Err(e) => return plain(e.status(), e.code(), &e.message(), Some(e.field())),
    };
    let link = Link {
        token: body.token,
        user: body.user,
    };
    // Judged as the submit of this link would be: its policy, the page's fields.
    let verdict = with_link(
        flows::check_with_link,
        p,
        cfg,
        req,
        &link,
        &body.password,
        body.confirm.as_deref(),
    )
    .await;
    match verdict {
        Ok(result) => Response::json(200, &CheckResult::of(&result)),
        Err(FlowError::RateLimited { retry_after } | FlowError::PhoneRequired { retry_after }) => {
            plain(
                429,
                "rate_limited",
                "Too many attempts. Try again later.",
                None,
            )
            .with_header("retry-after", retry_after.to_string())
        }
        Err(FlowError::Unavailable(e)) => api::unavailable(p, &e.0, unavailable()),
        // The dry run refuses nothing else; were it to, the caller may try again.
        Err(
            FlowError::InvalidSecret
            | FlowError::SecretExhausted
            | FlowError::Policy(_)
            | FlowError::Unauthorized
            | FlowError::WrongPassword
            | FlowError::ChangeUnderWay { .. },
        ) => unavailable(),
    }
}

/// `503 service_unavailable`, with `retry-after`.
fn unavailable() -> Response {
    plain(
        503,
        "service_unavailable",
        "The service is unavailable. Try again shortly.",
        None,
    )
    .with_header("retry-after", RETRY_AFTER_UNAVAILABLE)
}
