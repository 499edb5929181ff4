//! Admin routes: `POST /admin/users` ([`AdminNewUser`] → `201` [`Created`]) creates an account
//! in the configured directory; `GET /admin/dead-letters` lists what could not be delivered.
//!
//! Errors: [`PlainError`].

use serde_json::json;

use super::shapes::plain::{AdminNewUser, Created, NewUser, PlainError};
use super::shapes::request::read;
use crate::config::ServiceConfig;
use crate::model::account::{Account, new_id};
use crate::model::audit;
use crate::model::http::{Request, Response};
use crate::ports::{Accounts, LimitRule, Platform};

/// An answer in the plain error shape (admin, dev, an unknown route, a wrong method).
pub fn admin_error(status: u16, code: &str, message: &str, field: Option<&str>) -> Response {
    Response::json(status, &PlainError::new(code, message, field))
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
    let user = match read::<AdminNewUser>(req) {
        Ok(user) => user,
        Err(e) => return admin_error(e.status(), e.code(), &e.message(), Some(e.field())),
    };
    let account = match new_account(cfg, user) {
        Ok(account) => account,
        Err(reason) => return unavailable(p, &reason),
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
            Response::json(201, &Created { id: &account.id })
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

/// `503 service_unavailable` for a platform call that failed for `reason`, logged.
fn unavailable(p: &impl Platform, reason: &str) -> Response {
    super::log_unavailable(p, reason);
    admin_error(
        503,
        "service_unavailable",
        "The service is unavailable. Try again shortly.",
        None,
    )
}

/// The account of a checked body, its password hashed as the directory asks; why not, when the
/// platform failed (no randomness).
fn new_account(cfg: &ServiceConfig, user: NewUser) -> Result<Account, String> {
    // Hashing costs tens of milliseconds: only once every field is known to be good.
    let hash = crate::flows::stored_hash::new_hash(cfg, &user.password)
        .map_err(|e| format!("password hashing failed: {e}"))?;
    let id = new_id().map_err(|e| e.to_string())?;
    let email_id = new_id().map_err(|e| e.to_string())?;
    Ok(Account {
        id,
        username: user.username,
        email: user.email,
        email_id,
        email_confirmed: true,
        phone: user.phone,
        first_name: user.first_name,
        last_name: user.last_name,
        user_type: user.user_type,
        scopes: user.scopes,
        approved: false,
        password_hash: hash,
        password_changed_at: 0,
    })
}
