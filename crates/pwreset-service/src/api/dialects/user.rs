//! Dialect C, "user", under `/<prefix>/<version>/user/` (default `/api/v1/user/`): every route
//! needs a registered `apikey` header; passwords follow the `seed-002` rules by default; errors
//! carry the original API's texts verbatim, in English (other languages of `Accept-Language`:
//! [`texts`](super::texts)).
//!
//! - `POST …/forgot-password/` [`UserForgotPassword`] (e-mail or username) → `200` [`UserMessage`]
//! - `POST …/forgot-password-submit/` [`UserForgotPasswordSubmit`] → `200` [`UserTokenMessage`]
//! - `POST …/profile/change-password/` Bearer + [`UserChangePassword`] → `200` [`UserTokenMessage`]
//!
//! Errors: [`UserErrorResponse`].

use super::texts::{body_message, tr, user_body_description};
use crate::api::shapes::request::{BodyError, read};
use crate::api::shapes::user::{
    UserChangePassword, UserErrorItem, UserErrorResponse, UserErrorType, UserForgotPassword,
    UserForgotPasswordSubmit, UserMessage, UserTokenMessage,
};
use crate::config::ServiceConfig;
use crate::flows::{self, FlowError, PasswordForm, lookup};
use crate::model::http::{Request, Response};
use crate::model::job::ResetVia;
use crate::model::locale::Locale;
use crate::ports::Platform;

/// Which route of the dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `forgot-password/`.
    ForgotPassword,
    /// `forgot-password-submit/`.
    ForgotPasswordSubmit,
    /// `profile/change-password/`.
    ChangePassword,
}

const VALIDATION: UserErrorType = UserErrorType::Validation;
const AUTHENTICATION: UserErrorType = UserErrorType::Authentication;
const TOKEN_INVALID: &str =
    "The token is invalid. Enter the correct token that send to your email.";
const OLD_PASSWORD_WRONG: &str =
    "Your old password was entered incorrectly. Please enter it again.";
const SEVERAL_ACCOUNTS: &str = "There is multiple users are registered with the specified E-Mail address.Please enter the username";
const NO_SUCH_ACCOUNT: &str = "This username or email does not exist in the system.";

/// An error answer in the dialect's shape; repeated (field, description) pairs are listed once.
fn error(status: u16, error_type: UserErrorType, items: Vec<UserErrorItem>) -> Response {
    Response::json(status, &UserErrorResponse::new(status, error_type, items))
}

fn one(status: u16, error_type: UserErrorType, field: &str, description: &str) -> Response {
    error(
        status,
        error_type,
        vec![UserErrorItem::new(field, description)],
    )
}

fn body_error(e: &BodyError, locale: Locale) -> Response {
    if *e == BodyError::UnsupportedMediaType {
        return one(
            415,
            UserErrorType::UnsupportedMediaType,
            e.field(),
            &body_message(e, locale),
        );
    }
    let description = user_body_description(e, locale);
    one(e.status(), VALIDATION, e.field(), &description)
}

fn ok(locale: Locale, message: &'static str) -> Response {
    Response::json(200, &UserMessage::new(tr(locale, message)))
}

/// Renders a refused flow in the dialect's shape and texts, in `locale`.
fn failure(p: &impl Platform, e: FlowError, locale: Locale) -> Response {
    let say = |english: &'static str| tr(locale, english);
    match e {
        // Dialect C redeems links, whose tries are never spent; as a wrong token all the same.
        FlowError::InvalidSecret | FlowError::SecretExhausted => {
            one(400, VALIDATION, "token", say(TOKEN_INVALID))
        }
        FlowError::WrongPassword => {
            one(401, AUTHENTICATION, "old_password", say(OLD_PASSWORD_WRONG))
        }
        FlowError::Unauthorized => one(
            401,
            AUTHENTICATION,
            "Authorization",
            say("Authentication credentials were not provided or are invalid."),
        ),
        // Dialect C never redeems a code without its account; throttled all the same.
        FlowError::RateLimited { retry_after } | FlowError::PhoneRequired { retry_after } => one(
            429,
            UserErrorType::Throttled,
            "request",
            say("Request was throttled. Try again later."),
        )
        .with_header("retry-after", retry_after.to_string()),
        FlowError::Policy(result) => error(
            400,
            VALIDATION,
            result
                .errors
                .into_iter()
                .map(|v| UserErrorItem::new(&v.field, &v.message))
                .collect(),
        ),
        FlowError::Unavailable(e) => crate::api::unavailable(
            p,
            &e.0,
            one(
                503,
                UserErrorType::ServiceUnavailable,
                "request",
                say("The service is unavailable. Try again shortly."),
            ),
        ),
        FlowError::ChangeUnderWay { retry_after } => one(
            503,
            UserErrorType::ServiceUnavailable,
            "request",
            say("A password change of this account is under way. Try again shortly."),
        )
        .with_header("retry-after", retry_after.to_string()),
    }
}

fn api_key_ok(cfg: &ServiceConfig, req: &Request) -> bool {
    let Some(given) = req.header_value("apikey") else {
        return false;
    };
    // Every key is compared, in constant time, so the time does not tell how close a guess was.
    cfg.api_keys
        .iter()
        .fold(false, |found, key| found | key.matches(given))
}

/// A `POST` to one of the dialect's routes.
pub async fn handle(
    p: &impl Platform,
    cfg: &ServiceConfig,
    req: &Request,
    route: Route,
) -> Response {
    if !api_key_ok(cfg, req) {
        return one(
            401,
            AUTHENTICATION,
            "apikey",
            tr(req.locale(), "A valid apikey header is required."),
        );
    }
    match route {
        Route::ForgotPassword => forgot_password(p, cfg, req).await,
        Route::ForgotPasswordSubmit => submit(p, cfg, req).await,
        Route::ChangePassword => change_password(p, cfg, req).await,
    }
}

async fn forgot_password(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let identifier = match read::<UserForgotPassword>(req) {
        Ok(identifier) => identifier,
        Err(e) => return body_error(&e, req.locale()),
    };
    if !super::challenge::passes(p, cfg, req).await {
        return super::challenge::refused_user(req.locale());
    }
    // The limits come first, so that nothing (not even the reveal switch's lookup) answers past them.
    if let Err(e) = flows::request_limits(p, cfg, &identifier, &req.client_ip).await {
        return failure(p, e, req.locale());
    }
    if cfg.user_api.reveal_accounts {
        // The original API's answers, on only when configured: they reveal which accounts exist.
        match lookup::count_by_username_else_email(&flows::directory(p, cfg), &identifier).await {
            Ok(0) => {
                return one(
                    401,
                    AUTHENTICATION,
                    "email",
                    tr(req.locale(), NO_SUCH_ACCOUNT),
                );
            }
            Ok(count) if count > 1 => {
                return one(
                    401,
                    AUTHENTICATION,
                    "email",
                    tr(req.locale(), SEVERAL_ACCOUNTS),
                );
            }
            Ok(_) => {}
            Err(e) => return failure(p, FlowError::Unavailable(e), req.locale()),
        }
    }
    let (via, locale, ip) = (ResetVia::UserLink, req.locale(), &req.client_ip);
    match flows::enqueue_request(p, cfg, via, identifier, locale, ip, None).await {
        Ok(()) => ok(
            req.locale(),
            "If an account matches, a link to reset its password has been sent.",
        ),
        Err(e) => failure(p, e, req.locale()),
    }
}

async fn submit(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let (user, token, password) = match read::<UserForgotPasswordSubmit>(req) {
        Ok(checked) => checked,
        Err(e) => return body_error(&e, req.locale()),
    };
    let form = PasswordForm {
        policy: &cfg.user_api.policy,
        password: &password,
        confirm: None,
        password_field: "password",
        confirm_field: "confirm_password",
        locale: req.locale(),
    };
    match flows::reset_with_link(p, cfg, &token, Some(&user), form, &req.client_ip).await {
        Ok(token) => Response::json(
            200,
            &UserTokenMessage::new(
                tr(req.locale(), "Your password has been reset."),
                token.reveal().to_owned(),
            ),
        ),
        Err(e) => failure(p, e, req.locale()),
    }
}

async fn change_password(p: &impl Platform, cfg: &ServiceConfig, req: &Request) -> Response {
    let (old, password, confirm) = match read::<UserChangePassword>(req) {
        Ok(checked) => checked,
        Err(e) => return body_error(&e, req.locale()),
    };
    let form = PasswordForm {
        policy: &cfg.user_api.policy,
        password: &password,
        confirm: Some(&confirm),
        password_field: "password",
        confirm_field: "confirm_password",
        locale: req.locale(),
    };
    match flows::change_password(p, cfg, req.bearer_token(), &old, form, &req.client_ip).await {
        Ok(token) => Response::json(
            200,
            &UserTokenMessage::new(
                tr(req.locale(), "Your password has been changed."),
                token.reveal().to_owned(),
            ),
        ),
        Err(e) => failure(p, e, req.locale()),
    }
}
