//! How dialects A and B fail, in the shape they share ([`FailResponse`]): a bad body, and each
//! way a flow can refuse, in the requester's language ([`texts`](super::texts)).

use super::texts::{body_message, tr};
use crate::api;
use crate::api::shapes::request::BodyError;
use crate::api::shapes::status::{FailItem, FailResponse};
use crate::flows::FlowError;
use crate::model::http::Response;
use crate::model::locale::Locale;
use crate::ports::{Clock, Logger};

/// A failure answer.
pub fn fail(status: u16, message: &str, errors: Vec<FailItem>) -> Response {
    Response::json(status, &FailResponse::new(message, errors))
}

/// A bad body, in `locale`.
pub fn body_failure(e: &BodyError, locale: Locale) -> Response {
    let message = body_message(e, locale);
    fail(
        e.status(),
        &message,
        vec![FailItem::new(e.field(), e.code(), &message)],
    )
}

/// Renders a refused flow in `locale`. `secret` says which field carried the secret and the
/// status a wrong one gets on this route (A answers `401` for a bad payload, `400` for a bad code).
pub fn flow_failure(
    log: &(impl Logger + Clock),
    error: FlowError,
    secret: (&str, u16),
    locale: Locale,
) -> Response {
    let say = |english: &'static str| tr(locale, english);
    match error {
        FlowError::RateLimited { retry_after } => fail(
            429,
            say("Too many attempts. Try again later."),
            vec![FailItem::new(
                "request",
                "rate_limited",
                say("Too many attempts. Try again later."),
            )],
        )
        .with_header("retry-after", retry_after.to_string()),
        FlowError::PhoneRequired { retry_after } => {
            let message = say(
                "Too many codes were tried without a phone number today. Send the code with the phone number it was sent to.",
            );
            fail(
                429,
                message,
                vec![FailItem::new("phone", "phone_required", message)],
            )
            .with_header("retry-after", retry_after.to_string())
        }
        FlowError::InvalidSecret => {
            let (field, status) = secret;
            let message = say("The reset code or link is invalid or has expired.");
            fail(
                status,
                message,
                vec![FailItem::new(field, "invalid_secret", message)],
            )
        }
        FlowError::SecretExhausted => {
            let (field, status) = secret;
            let message = say("This code was tried too many times. Ask for a new code.");
            fail(
                status,
                message,
                vec![FailItem::new(field, "secret_exhausted", message)],
            )
        }
        FlowError::Policy(result) => {
            let errors = result
                .errors
                .iter()
                .map(|v| FailItem::new(&v.field, v.code.as_str(), &v.message))
                .collect();
            fail(400, say("The new password was refused."), errors)
        }
        FlowError::Unauthorized | FlowError::WrongPassword => fail(
            401,
            say("Authentication required."),
            vec![FailItem::new(
                "authorization",
                "unauthorized",
                say("A valid access token is required."),
            )],
        ),
        FlowError::Unavailable(e) => api::unavailable(
            log,
            &e.0,
            fail(
                503,
                say("The service is unavailable. Try again shortly."),
                vec![FailItem::new(
                    "request",
                    "service_unavailable",
                    say("The service is unavailable."),
                )],
            ),
        ),
        FlowError::ChangeUnderWay { retry_after } => {
            let message = say("A password change of this account is under way. Try again shortly.");
            fail(
                503,
                message,
                vec![FailItem::new("request", "service_unavailable", message)],
            )
            .with_header("retry-after", retry_after.to_string())
        }
    }
}
