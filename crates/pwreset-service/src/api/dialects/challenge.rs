//! Cloudflare Turnstile on the JSON request routes (`TURNSTILE_REQUEST_ROUTES=on`): dialect A's
//! `resetPasswordRequest` without a code, dialect B's `forgotpass` and `forgotpass/mobile`, dialect
//! C's `forgot-password/`. The widget's token comes in the `cf-turnstile-response` header and is
//! verified by [`crate::turnstile::verify`] once the body has been read, before the request's limits
//! count (the checks count on a counter of their own);
//! a token that does not pass (missing, refused, or siteverify unreachable: the check fails
//! closed) is answered `403` in the dialect's error shape, field `cf-turnstile-response`.

use super::fail;
use super::texts::tr;
use crate::api::shapes::status::FailItem;
use crate::api::shapes::user::{UserErrorItem, UserErrorResponse, UserErrorType};
use crate::config::ServiceConfig;
use crate::model::http::{Request, Response};
use crate::model::locale::Locale;
use crate::ports::Platform;
use crate::turnstile::{self, RESPONSE_FIELD};

/// The error code of a refused token (dialects A and B).
pub const CHALLENGE_FAILED: &str = "challenge_failed";

const REFUSED: &str = "The Turnstile token in the cf-turnstile-response header is missing or did not pass. Solve the challenge again and retry.";

/// Whether `req`, a request route's, may go on: always when Turnstile is off for the request
/// routes, else only when its token passes (a refusal is logged with the request's path).
pub async fn passes(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> bool {
    let Some(turnstile) = cfg.turnstile.as_ref().filter(|t| t.request_routes) else {
        return true;
    };
    let token = req.header_value(RESPONSE_FIELD);
    // The widget is on the application's own page: its host name and action are the
    // application's, unknown here, so siteverify's word on the token is all that is checked.
    let expected = turnstile::Expected::default();
    turnstile::verify(p, turnstile, token, &req.client_ip, &req.path, expected)
        .await
        .is_ok()
}

/// The refusal in dialects A's and B's shape.
pub fn refused(locale: Locale) -> Response {
    let message = tr(locale, REFUSED);
    fail(
        403,
        message,
        vec![FailItem::new(RESPONSE_FIELD, CHALLENGE_FAILED, message)],
    )
}

/// The refusal in dialect C's shape.
pub fn refused_user(locale: Locale) -> Response {
    let items = vec![UserErrorItem::new(RESPONSE_FIELD, tr(locale, REFUSED))];
    Response::json(
        403,
        &UserErrorResponse::new(403, UserErrorType::Authentication, items),
    )
}

/// The request headers dialect B's preflight allows: `cf-turnstile-response` too when the request
/// routes ask for a token.
pub fn preflight_headers(cfg: &ServiceConfig) -> &'static str {
    if cfg.turnstile.as_ref().is_some_and(|t| t.request_routes) {
        "content-type, client_id, cf-turnstile-response"
    } else {
        "content-type, client_id"
    }
}
