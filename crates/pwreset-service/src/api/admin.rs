//! Admin routes: `POST /admin/users` creates an account in the default directory.
//!
//! Errors: `{"error": code, "message", "field"?}`.

use pwreset_core::password_hash::{HashParams, hash_password};
use serde_json::json;

use super::dialects::body::{Body, BodyError};
use crate::config::ServiceConfig;
use crate::model::account::{
    Account, new_id, normalize_email, normalize_identifier, normalize_phone,
};
use crate::model::audit;
use crate::model::http::{Request, Response};
use crate::ports::{Accounts, LimitRule, Platform};

/// The longest password the admin route hashes.
const MAX_PASSWORD_CHARS: usize = 4096;

/// An admin error answer.
pub fn admin_error(status: u16, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut body = json!({ "error": code, "message": message });
    if let Some(field) = field {
        body["field"] = json!(field);
    }
    Response::json(status, &body)
}

fn authorized(cfg: &ServiceConfig, req: &Request) -> bool {
    match (&cfg.admin_token, req.bearer_token()) {
        (Some(expected), Some(given)) => expected.matches(given),
        _ => false,
    }
}

/// The limit and the admin token, checked before any admin route does anything.
async fn admit(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Result<(), Response> {
    match p.allow(LimitRule::AdminPerIp, &req.client_ip).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(
                admin_error(429, "rate_limited", "Too many requests.", None).with_header(
                    "retry-after",
                    LimitRule::AdminPerIp.period_seconds().to_string(),
                ),
            );
        }
        Err(e) => return Err(unavailable(p, &e.0)),
    }
    if !authorized(cfg, req) {
        return Err(admin_error(
            401,
            "unauthorized",
            "Authorization: Bearer <ADMIN_TOKEN> is required.",
            None,
        ));
    }
    Ok(())
}

/// `GET /admin/dead-letters` → `200 [DeadLetter…]`, newest first: messages that could not be
/// delivered (recipient masked, no text, link or code).
pub async fn dead_letters(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    if let Err(refusal) = admit(p, cfg, req).await {
        return refusal;
    }
    match p.list_dead_letters().await {
        Ok(letters) => Response::json(200, &letters),
        Err(e) => unavailable(p, &e.0),
    }
}

/// `POST /admin/users` → `201 {"id"}`.
pub async fn create_user(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    if let Err(refusal) = admit(p, cfg, req).await {
        return refusal;
    }
    let account = match Body::from_request(req).and_then(|body| read_account(&body)) {
        Ok(account) => account,
        Err(e) => return admin_error(e.status(), e.code(), &e.message(), Some(e.field())),
    };
    match crate::flows::directory(p, cfg)
        .create_account(&account)
        .await
    {
        Ok(true) => {
            p.log(&audit::line(
                "account_created",
                p.now(),
                json!({ "account": account.id }),
            ));
            Response::json(201, &json!({ "id": account.id }))
        }
        Ok(false) => admin_error(
            409,
            "conflict",
            "That username or phone number is taken.",
            None,
        ),
        Err(e) => unavailable(p, &e.0),
    }
}

fn unavailable(p: &impl Platform, reason: &str) -> Response {
    p.log(&audit::line(
        "unavailable",
        p.now(),
        json!({ "reason": reason }),
    ));
    admin_error(
        503,
        "service_unavailable",
        "The service is unavailable. Try again shortly.",
        None,
    )
}

fn read_account(body: &Body) -> Result<Account, BodyError> {
    let username = normalize_identifier(body.string("username")?)
        .ok_or(BodyError::Invalid("username", "1-254 printable characters"))?;
    let email = normalize_email(body.string("email")?)
        .ok_or(BodyError::Invalid("email", "an e-mail address"))?;
    let password = body.string("password")?;
    if password.is_empty() || password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(BodyError::Invalid("password", "1-4096 characters"));
    }
    let phone = match body.optional_string("phone")? {
        None => None,
        Some(text) => Some(normalize_phone(text).ok_or(BodyError::Invalid(
            "phone",
            "a phone number in international form",
        ))?),
    };
    let short = |field: &'static str| -> Result<Option<String>, BodyError> {
        match body.optional_string(field)? {
            Some(text) if text.chars().count() > 150 => {
                Err(BodyError::Invalid(field, "at most 150 characters"))
            }
            other => Ok(other.map(str::to_owned)),
        }
    };
    let first_name = short("first_name")?;
    let last_name = short("last_name")?;
    let user_type = short("user_type")?.unwrap_or_else(|| "CUSTOMER".to_owned());
    let scopes = body.optional_strings("scopes")?.unwrap_or_default();
    // Hashing costs tens of milliseconds: only once every field is known to be good.
    let hash = hash_password(password, HashParams::OWASP)
        .map_err(|_| BodyError::Invalid("password", "hashable"))?;
    let id = new_id().map_err(|_| BodyError::Invalid("request", "retried"))?;
    let email_id = new_id().map_err(|_| BodyError::Invalid("request", "retried"))?;
    Ok(Account {
        id,
        username,
        email,
        email_id,
        email_confirmed: true,
        phone,
        first_name,
        last_name,
        user_type,
        scopes,
        approved: false,
        password_hash: hash,
        password_changed_at: 0,
    })
}
