//! Routes for applications that check access tokens themselves.
//!
//! - `GET /.well-known/jwks.json`: the keyring's public keys as a JWK Set (RFC 7517), one Ed25519
//!   key per `KEYS` entry, newest first, `kid` the entry's id: with it any JWT library verifies an
//!   access token's signature and claims without a secret (it cannot see a password change: ask
//!   introspection for that). Public and cacheable for 5 minutes.
//! - `POST /oauth/introspect` (RFC 7662): for an application's servers holding one of
//!   `INTROSPECTION_TOKENS` (`Authorization: Bearer …`), whether a token is active now, revocation by
//!   a password change included. Counts `attempt_per_ip`, then checks the caller's token (`401` with
//!   `WWW-Authenticate: Bearer`; every caller gets it while none is configured), then reads
//!   `token` from a form or a JSON object. An inactive token is `{"active":false}`, whatever the
//!   reason.

use serde_json::json;

use super::shapes::request::{BodyError, RequestBody, is_json, parse, read};
use super::shapes::tokens::{Introspection, IntrospectionRequest, OAuthError};
use crate::config::{ServiceConfig, TOKEN_AUDIENCE};
use crate::flows::{self, FlowError};
use crate::model::http::{MAX_BODY_BYTES, Request, Response};
use crate::ports::{LimitRule, Platform};

/// How long a JWK Set may be cached (`Cache-Control: public, max-age=300`). A key put first in
/// `KEYS` signs at once, so a verifier that cached the set without it refetches on the unknown
/// `kid` (jose, PyJWT and most libraries do); put a new key second for five minutes first to avoid
/// even that.
pub const JWKS_MAX_AGE_SECS: u64 = 300;

/// `response` with header `name` set to `value` alone.
fn set_header(mut response: Response, name: &str, value: &str) -> Response {
    response
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    response.with_header(name, value)
}

/// A JSON answer as RFC 7517 and 7662 write it: `Content-Type: application/json`.
fn json(status: u16, body: &impl serde::Serialize) -> Response {
    set_header(
        Response::json(status, body),
        "content-type",
        "application/json",
    )
}

/// `GET /.well-known/jwks.json`.
pub fn jwks(cfg: &ServiceConfig) -> Response {
    // Through a JSON value, so that the members are written in sorted order like every answer.
    let set = serde_json::to_value(cfg.keyring.jwk_set()).unwrap_or_default();
    let answer = json(200, &set);
    let answer = set_header(
        answer,
        "cache-control",
        &format!("public, max-age={JWKS_MAX_AGE_SECS}"),
    );
    // Public keys: any page may read them (a browser verifying a token itself).
    set_header(answer, "access-control-allow-origin", "*")
}

/// A failure of introspection.
fn failure(status: u16, error: &str, description: &str) -> Response {
    json(status, &OAuthError::new(error, description))
}

fn unauthorized() -> Response {
    failure(
        401,
        "invalid_token",
        "Authorization: Bearer <one of INTROSPECTION_TOKENS> is required.",
    )
    .with_header("www-authenticate", "Bearer")
}

/// Whether the caller holds one of the introspection tokens (each compared in constant time, and
/// all of them, wherever one matches).
fn authorized(cfg: &ServiceConfig, req: &Request) -> bool {
    let Some(given) = req.bearer_token() else {
        return false;
    };
    cfg.introspection_tokens
        .iter()
        .fold(false, |found, token| token.matches(given) | found)
}

/// Whether the body is declared a form.
fn is_form(req: &Request) -> bool {
    req.header_value("content-type")
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| {
            media_type
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// The `token` parameter of a form or a JSON object.
fn read_token(req: &Request) -> Result<String, BodyError> {
    if is_json(req.header_value("content-type")) {
        return read::<IntrospectionRequest>(req);
    }
    if !is_form(req) {
        return Err(BodyError::UnsupportedMediaType);
    }
    if req.body.len() > MAX_BODY_BYTES {
        return Err(BodyError::TooLarge);
    }
    // The first value of a repeated parameter counts (as on the reset page's form).
    let token = form_urlencoded::parse(&req.body)
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value.into_owned());
    // A form's values are strings: read as the JSON body would be, for the same complaints.
    parse::<IntrospectionRequest>(json!({ "token": token }).to_string().as_bytes())?.check()
}

/// A body that could not be read, in the OAuth shape (`invalid_request`, with the status of the
/// fault: 400, 413 or 415).
fn bad_body(e: &BodyError) -> Response {
    let description = match e {
        BodyError::UnsupportedMediaType => {
            "The request body must be a form (application/x-www-form-urlencoded) or JSON (application/json).".to_owned()
        }
        BodyError::Missing(_) => "The token parameter is required.".to_owned(),
        other => other.message(),
    };
    failure(e.status(), "invalid_request", &description)
}

/// `503 temporarily_unavailable` for a platform call that failed for `reason`.
fn unavailable(p: &impl Platform, reason: &str) -> Response {
    super::unavailable(
        p,
        reason,
        failure(
            503,
            "temporarily_unavailable",
            "The service is unavailable. Try again shortly.",
        ),
    )
}

/// `POST /oauth/introspect`.
pub async fn introspect(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    match flows::limit(p, LimitRule::AttemptPerIp, &req.client_ip).await {
        Ok(()) => {}
        Err(FlowError::RateLimited { retry_after }) => {
            return failure(429, "rate_limited", "Too many requests. Try again later.")
                .with_header("retry-after", retry_after.to_string());
        }
        Err(FlowError::Unavailable(e)) => return unavailable(p, &e.0),
        Err(_) => return unavailable(p, "rate limit"),
    }
    if !authorized(cfg, req) {
        return unauthorized();
    }
    let token = match read_token(req) {
        Ok(token) => token,
        Err(e) => return bad_body(&e),
    };
    match flows::introspect(p, cfg, &token).await {
        Ok(None) => json(200, &Introspection::inactive()),
        Ok(Some(verified)) => json(
            200,
            &Introspection::active(&verified, &cfg.public_url, TOKEN_AUDIENCE),
        ),
        Err(FlowError::Unavailable(e)) => unavailable(p, &e.0),
        Err(_) => json(200, &Introspection::inactive()),
    }
}
