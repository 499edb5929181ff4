//! Dialect B, "auth v1": links by e-mail, codes by SMS, for registered clients calling from their
//! own origins (headers `client_id` and `Origin`), with CORS answered per client.
//!
//! - `POST /api/v1/auth/forgotpass` [`AuthForgotEmail`] → `200` [`Success`]
//! - `POST /api/v1/auth/forgotpass/mobile` [`AuthForgotMobile`] → `200` [`Success`]
//! - `POST /api/v1/auth/resetpass` [`AuthResetLink`] → `200` [`TokenIssued`]
//! - `POST /api/v1/auth/resetpass/mobile` [`AuthResetMobile`] (optional `phone`) → the same

use super::texts::tr;
use super::{body_failure, challenge, fail, flow_failure};
use crate::api::shapes::auth_v1::{
    AuthForgotEmail, AuthForgotMobile, AuthReset, AuthResetLink, AuthResetMobile,
};
use crate::api::shapes::request::{BodyError, read};
use crate::api::shapes::status::{FailItem, Success, TokenIssued};
use crate::config::ServiceConfig;
use crate::flows::{self, PasswordForm};
use crate::model::http::{Request, Response};
use crate::model::job::ResetVia;
use crate::ports::Platform;

/// Which route of the dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `forgotpass`.
    ForgotEmail,
    /// `forgotpass/mobile`.
    ForgotMobile,
    /// `resetpass`.
    ResetEmail,
    /// `resetpass/mobile`.
    ResetMobile,
}

/// Checks `client_id` and `Origin`; the origin to echo in CORS headers, or the refusal.
fn admit<'r>(cfg: &ServiceConfig, req: &'r Request) -> Result<&'r str, Response> {
    let Some(origins) = req
        .header_value("client_id")
        .and_then(|id| cfg.client_origins(id.trim()))
    else {
        let message = tr(req.locale(), "A registered client_id header is required.");
        return Err(fail(
            401,
            message,
            vec![FailItem::new("client_id", "unknown_client", message)],
        ));
    };
    match req.header_value("origin") {
        Some(origin) if origins.iter().any(|o| o == origin) => Ok(origin),
        _ => {
            let message = tr(
                req.locale(),
                "This client may not be used from this origin.",
            );
            Err(fail(
                403,
                message,
                vec![FailItem::new("origin", "forbidden_origin", message)],
            ))
        }
    }
}

fn with_cors(response: Response, origin: &str) -> Response {
    response
        .with_header("access-control-allow-origin", origin)
        .with_header("access-control-expose-headers", "retry-after")
        .with_header("vary", "Origin")
}

/// `OPTIONS` on any route of the dialect: the preflight names no client, so an origin that some
/// client registered is allowed; the request itself is then checked against its client.
pub fn preflight(cfg: &ServiceConfig, req: &Request) -> Response {
    match req.header_value("origin") {
        Some(origin) if cfg.origin_is_registered(origin) => with_cors(Response::empty(204), origin)
            .with_header("access-control-allow-methods", "POST, OPTIONS")
            .with_header(
                "access-control-allow-headers",
                challenge::preflight_headers(cfg),
            )
            .with_header("access-control-max-age", "600"),
        _ => {
            let message = tr(req.locale(), "This origin is not registered.");
            fail(
                403,
                message,
                vec![FailItem::new("origin", "forbidden_origin", message)],
            )
        }
    }
}

/// A `POST` to one of the dialect's routes.
pub async fn handle(
    p: &impl Platform,
    cfg: &ServiceConfig,
    req: &Request,
    route: Route,
) -> Response {
    let origin = match admit(cfg, req) {
        Ok(origin) => origin,
        // A page at a registered origin may read that its client id is missing or unknown; an
        // origin foreign to the client gets no CORS headers at all.
        Err(refusal) => {
            return match req.header_value("origin") {
                Some(origin) if refusal.status == 401 && cfg.origin_is_registered(origin) => {
                    with_cors(refusal, origin)
                }
                _ => refusal.with_header("vary", "Origin"),
            };
        }
    };
    let response = match route {
        Route::ForgotEmail => {
            // The link's success page may lead back to the verified origin (see `forgot`).
            forgot(
                p,
                cfg,
                req,
                read::<AuthForgotEmail>(req),
                ResetVia::EmailLink,
                Some(origin),
            )
            .await
        }
        Route::ForgotMobile => {
            forgot(
                p,
                cfg,
                req,
                read::<AuthForgotMobile>(req),
                ResetVia::SmsCode,
                None,
            )
            .await
        }
        Route::ResetEmail => reset(p, cfg, req, read::<AuthResetLink>(req), route).await,
        Route::ResetMobile => reset(p, cfg, req, read::<AuthResetMobile>(req), route).await,
    };
    with_cors(response, origin)
}

async fn forgot(
    p: &impl Platform,
    cfg: &ServiceConfig,
    req: &Request,
    identifier: Result<String, BodyError>,
    via: ResetVia,
    return_url: Option<&str>,
) -> Response {
    let identifier = match identifier {
        Ok(identifier) => identifier,
        Err(e) => return body_failure(&e, req.locale()),
    };
    if !challenge::passes(p, cfg, req).await {
        return challenge::refused(req.locale());
    }
    // `return_url` is the request's `Origin`, already checked to be one of its client's
    // registered origins (`admit`); the reset page checks it again when the link is used.
    let return_url = return_url.map(str::to_owned);
    let ip = &req.client_ip;
    match flows::request_reset(p, cfg, via, identifier, ip, req.locale(), return_url).await {
        Ok(()) => Response::json(200, &Success::default()),
        Err(e) => flow_failure(p, e, ("token", 400), req.locale()),
    }
}

async fn reset(
    p: &impl Platform,
    cfg: &ServiceConfig,
    req: &Request,
    body: Result<AuthReset, BodyError>,
    route: Route,
) -> Response {
    let AuthReset {
        token,
        password,
        confirm,
        phone,
    } = match body {
        Ok(body) => body,
        Err(e) => return body_failure(&e, req.locale()),
    };
    let form = PasswordForm {
        policy: &cfg.policy,
        password: &password,
        confirm: Some(&confirm),
        password_field: "password",
        confirm_field: "passwordConfirm",
        locale: req.locale(),
    };
    let result = match route {
        Route::ResetMobile => {
            flows::reset_with_code(p, cfg, &token, phone.as_deref(), form, &req.client_ip).await
        }
        _ => flows::reset_with_link(p, cfg, &token, None, form, &req.client_ip).await,
    };
    match result {
        Ok(token) => Response::json(200, &TokenIssued::new(token.reveal().to_owned())),
        Err(e) => flow_failure(p, e, ("token", 400), req.locale()),
    }
}
