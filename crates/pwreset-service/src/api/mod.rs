//! Layer 5, the HTTP entry point: the route table ([`router`]), the three dialects' request and
//! answer logic (`dialects`) and the JSON they read and write as types ([`shapes`]), the hosted
//! reset page ([`reset_page`]) and forgot-password page ([`forgot_page`]) with what they share
//! (`pages`: layout, the brand, headers, form reading, texts by language), the operator's and
//! the developer's routes (`admin`, `dev`), the routes for applications that check access tokens
//! themselves (`tokens`: the JWK Set and introspection) and the OpenAPI document ([`openapi`]).
//! A failed platform call is logged by one helper (`log_unavailable`), and answered `503` with
//! `retry-after` through another (`unavailable`).

pub(crate) mod admin;
pub(crate) mod dev;
pub(crate) mod dialects;
pub mod edge;
pub mod forgot_page;
pub mod openapi;
pub(crate) mod pages;
pub mod reset_page;
pub mod router;
pub(crate) mod shapes;
pub(crate) mod tokens;

use serde_json::json;

use crate::model::audit;
use crate::model::http::Response;
use crate::ports::{Clock, Logger};

/// Seconds a caller is told to wait (`retry-after`) after a platform call failed.
pub(crate) const RETRY_AFTER_UNAVAILABLE: &str = "5";

/// The `503` of a platform call that failed (the rate-limit or audit log, a store): `reason` is
/// logged ([`log_unavailable`]), and `answer` (the route's `503`, in its own shape) gets
/// `retry-after`.
pub(crate) fn unavailable(log: &(impl Logger + Clock), reason: &str, answer: Response) -> Response {
    log_unavailable(log, reason);
    answer.with_header("retry-after", RETRY_AFTER_UNAVAILABLE)
}

/// Logs a platform call that failed for `reason` as an `unavailable` line.
pub(crate) fn log_unavailable(log: &(impl Logger + Clock), reason: &str) {
    log.log(&audit::line(
        "unavailable",
        log.now(),
        json!({ "reason": reason }),
    ));
}
