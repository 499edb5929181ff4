//! Dialect A, "reg": a code by e-mail, a signed payload for the right code, then the new password.
//!
//! - `POST /reg/user/resetPasswordRequest` [`RegCodeRequest`] → `200` [`Success`], or with a code
//!   `200` [`SignedPayloadIssued`] or `400`
//! - `POST /reg/user/resetPassword` [`RegResetPassword`] → `200` [`TokenIssued`], `400` policy,
//!   `401` payload
//! - `GET /reg/user/info` with a bearer token → `200` [`UserInfo`]

use super::{body_failure, challenge, flow_failure};
use crate::api::shapes::reg::{RegCodeRequest, RegResetPassword, SignedPayloadIssued, UserInfo};
use crate::api::shapes::request::read;
use crate::api::shapes::status::{Success, TokenIssued};
use crate::config::ServiceConfig;
use crate::flows::{self, PasswordForm};
use crate::model::http::{Request, Response};
use crate::model::job::ResetVia;
use crate::ports::{LimitRule, Platform};

/// `POST /reg/user/resetPasswordRequest`.
pub async fn reset_password_request(
    p: &impl Platform,
    cfg: &ServiceConfig,
    req: &Request,
) -> Response {
    let (username, code) = match read::<RegCodeRequest>(req) {
        Ok(checked) => checked,
        Err(e) => return body_failure(&e, req.locale()),
    };
    match code {
        None => {
            if !challenge::passes(p, cfg, req).await {
                return challenge::refused(req.locale());
            }
            match flows::request_reset(
                p,
                cfg,
                ResetVia::EmailCode,
                username,
                &req.client_ip,
                req.locale(),
                None,
            )
            .await
            {
                Ok(()) => Response::json(200, &Success::default()),
                Err(e) => flow_failure(p, e, ("code", 400), req.locale()),
            }
        }
        Some(code) => {
            match flows::code_for_payload(p, cfg, &username, &code, &req.client_ip).await {
                Ok(payload) => {
                    Response::json(200, &SignedPayloadIssued::new(payload.reveal().to_owned()))
                }
                Err(e) => flow_failure(p, e, ("code", 400), req.locale()),
            }
        }
    }
}

/// `POST /reg/user/resetPassword`.
pub async fn reset_password(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let (password, payload, username) = match read::<RegResetPassword>(req) {
        Ok(checked) => checked,
        Err(e) => return body_failure(&e, req.locale()),
    };
    let form = PasswordForm {
        policy: &cfg.policy,
        password: &password,
        confirm: None,
        password_field: "newPassword",
        confirm_field: "newPassword",
        locale: req.locale(),
    };
    match flows::reset_with_payload(p, cfg, &username, &payload, form, &req.client_ip).await {
        Ok(token) => Response::json(200, &TokenIssued::new(token.reveal().to_owned())),
        Err(e) => flow_failure(p, e, ("signedPayload", 401), req.locale()),
    }
}

/// `GET /reg/user/info`.
pub async fn user_info(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let authenticated = match flows::limit(p, LimitRule::AttemptPerIp, &req.client_ip).await {
        Ok(()) => flows::authenticate(p, cfg, req.bearer_token()).await,
        Err(e) => Err(e),
    };
    match authenticated {
        Ok(account) => Response::json(200, &UserInfo::of(&account)),
        Err(e) => flow_failure(p, e, ("authorization", 401), req.locale()),
    }
}
