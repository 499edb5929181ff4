//! Dialect A, "reg": a code by e-mail, a signed payload for the right code, then the new password.
//!
//! - `POST /reg/user/resetPasswordRequest` `{"username"}` → `200 {"status":"success"}`
//! - `POST /reg/user/resetPasswordRequest` `{"username","code"}` → `200 {"status":"success","signedPayload"}` or `400`
//! - `POST /reg/user/resetPassword` `{"newPassword","signedPayload","username"}` → `200 {"status":"success","token"}`, `400` policy, `401` payload
//! - `GET /reg/user/info` with a bearer token → `200` user info

use serde_json::json;

use super::body::{Body, BodyError};
use super::flow_failure;
use crate::config::ServiceConfig;
use crate::flows::{self, PasswordForm};
use crate::model::account::{Account, normalize_identifier};
use crate::model::http::{Request, Response};
use crate::model::job::ResetVia;
use crate::ports::{LimitRule, Platform};

fn username(body: &Body) -> Result<String, BodyError> {
    normalize_identifier(body.string("username")?).ok_or(BodyError::Invalid(
        "username",
        "a username or e-mail address",
    ))
}

/// `POST /reg/user/resetPasswordRequest`.
pub async fn reset_password_request(
    p: &impl Platform,
    cfg: &ServiceConfig,
    req: &Request,
) -> Response {
    let parsed = Body::from_request(req).and_then(|body| {
        let username = username(&body)?;
        let code = body.optional_string("code")?.map(str::to_owned);
        Ok((username, code))
    });
    let (username, code) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return e.into(),
    };
    match code {
        None => {
            match flows::request_reset(
                p,
                cfg,
                ResetVia::EmailCode,
                username,
                &req.client_ip,
                req.locale(),
            )
            .await
            {
                Ok(()) => Response::json(200, &json!({ "status": "success" })),
                Err(e) => flow_failure(p, e, ("code", 400)),
            }
        }
        Some(code) => {
            match flows::code_for_payload(p, cfg, &username, &code, &req.client_ip).await {
                Ok(payload) => Response::json(
                    200,
                    &json!({ "status": "success", "signedPayload": payload.reveal() }),
                ),
                Err(e) => flow_failure(p, e, ("code", 400)),
            }
        }
    }
}

/// `POST /reg/user/resetPassword`.
pub async fn reset_password(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let parsed = Body::from_request(req).and_then(|body| {
        Ok((
            body.string("newPassword")?.to_owned(),
            body.string("signedPayload")?.to_owned(),
            username(&body)?,
        ))
    });
    let (password, payload, username) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return e.into(),
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
        Ok(token) => Response::json(
            200,
            &json!({ "status": "success", "token": token.reveal() }),
        ),
        Err(e) => flow_failure(p, e, ("signedPayload", 401)),
    }
}

/// `GET /reg/user/info`.
pub async fn user_info(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let authenticated = match flows::limit(p, LimitRule::AttemptPerIp, &req.client_ip).await {
        Ok(()) => flows::authenticate(p, cfg, req.bearer_token()).await,
        Err(e) => Err(e),
    };
    match authenticated {
        Ok(account) => Response::json(200, &user_info_body(&account)),
        Err(e) => flow_failure(p, e, ("authorization", 401)),
    }
}

/// The user-info shape of dialect A.
pub fn user_info_body(account: &Account) -> serde_json::Value {
    let email = json!({
        "id": account.email_id,
        "email": account.email,
        "confirmed": account.email_confirmed,
    });
    json!({
        "userType": account.user_type,
        "phone": account.phone,
        "primaryEmail": email,
        "emails": [email],
        "approved": account.approved,
        "addresses": [],
        "userScopes": account.scopes,
        "accounts": [],
        "userGroups": [],
    })
}
