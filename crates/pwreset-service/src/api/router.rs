//! The route table, and the answer to a request under a usable configuration.

use crate::api::dialects::auth_v1::{self, Route as AuthRoute};
use crate::api::dialects::reg;
use crate::api::dialects::user::{self, Route as UserRoute};
use crate::api::shapes::plain::PlainError;
use crate::api::{admin, dev};
use crate::api::{forgot_page, openapi, reset_page, tokens};
use crate::config::ServiceConfig;
use crate::model::http::{Method, RESET_CHECK_PATH, RESET_PAGE_PATH, Request, Response};
use crate::ports::Platform;
use crate::refusal::{self, Arrival};

/// What a path names. The tests match on it exhaustively to say which request and answer
/// structs each route has (`api::shapes`' drift test).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    RegResetRequest,
    RegReset,
    RegInfo,
    Auth(AuthRoute),
    User(UserRoute),
    AdminUsers,
    AdminDeadLetters,
    DevOutbox,
    DevMessages,
    ResetPage,
    ResetCheck,
    ForgotPage,
    OpenApi,
    Jwks,
    Introspect,
}

/// Where a route's path lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mount {
    /// At the root: the path as written.
    Root,
    /// Under dialect C's configurable base (`/api/v1/user/` by default, `USER_API_PREFIX`,
    /// `USER_API_VERSION`), with or without the final `/`.
    UserApi,
}

/// One row of the route table: the only place a route's path, methods and properties are written.
/// The router, the `405`'s `Allow` header and which refusals wait are read from it,
/// `tests/routes.rs` checks the OpenAPI document (and through it the npm client) against it, and
/// `api::shapes`' drift test holds each route's request and answer structs to the document.
#[derive(Clone, Copy, Debug)]
pub struct RouteSpec {
    /// The path (under its mount).
    pub path: &'static str,
    /// Where the path lives.
    pub mount: Mount,
    /// The methods it answers (`GET` also answers `HEAD`).
    pub methods: &'static [Method],
    /// Whether it answers dialect B's CORS preflight (`OPTIONS`).
    pub preflight: bool,
    /// The methods with which it takes a secret (a code, a link token, a signed payload, an old
    /// password): their refusals wait for the least time (see [`refusal`]).
    pub secret_methods: &'static [Method],
    /// Whether it exists only with `ENVIRONMENT=development`.
    pub development_only: bool,
    pub(crate) route: Route,
}

const GET: &[Method] = &[Method::Get];
const POST: &[Method] = &[Method::Post];
const GET_POST: &[Method] = &[Method::Get, Method::Post];
const NONE: &[Method] = &[];

const fn route(path: &'static str, route: Route, methods: &'static [Method]) -> RouteSpec {
    RouteSpec {
        path,
        mount: Mount::Root,
        methods,
        preflight: false,
        secret_methods: NONE,
        development_only: false,
        route,
    }
}

impl RouteSpec {
    const fn under_user_api(self) -> Self {
        Self {
            mount: Mount::UserApi,
            ..self
        }
    }
    const fn with_preflight(self) -> Self {
        Self {
            preflight: true,
            ..self
        }
    }
    const fn secret(self, methods: &'static [Method]) -> Self {
        Self {
            secret_methods: methods,
            ..self
        }
    }
    const fn development_only(self) -> Self {
        Self {
            development_only: true,
            ..self
        }
    }

    /// The full path under `cfg`'s mounts.
    pub fn full_path(&self, cfg: &ServiceConfig) -> String {
        match self.mount {
            Mount::Root => self.path.to_owned(),
            Mount::UserApi => format!("{}{}", cfg.user_api.base(), self.path),
        }
    }

    fn matches(&self, cfg: &ServiceConfig, path: &str) -> bool {
        match self.mount {
            Mount::Root => path == self.path,
            Mount::UserApi => path
                .strip_prefix(&cfg.user_api.base())
                .is_some_and(|rest| rest.trim_end_matches('/') == self.path.trim_end_matches('/')),
        }
    }

    /// The `Allow` header of a `405`.
    pub fn allow_header(&self) -> String {
        let mut allowed = Vec::new();
        for method in self.methods {
            match method {
                Method::Get => allowed.extend(["GET", "HEAD"]),
                Method::Post => allowed.push("POST"),
                Method::Options | Method::Other => {}
            }
        }
        if self.preflight {
            allowed.push("OPTIONS");
        }
        allowed.join(", ")
    }
}

/// Every route.
pub const ROUTES: &[RouteSpec] = &[
    route(
        "/reg/user/resetPasswordRequest",
        Route::RegResetRequest,
        POST,
    )
    .secret(POST),
    route("/reg/user/resetPassword", Route::RegReset, POST).secret(POST),
    route("/reg/user/info", Route::RegInfo, GET),
    route(
        "/api/v1/auth/forgotpass",
        Route::Auth(AuthRoute::ForgotEmail),
        POST,
    )
    .with_preflight(),
    route(
        "/api/v1/auth/forgotpass/mobile",
        Route::Auth(AuthRoute::ForgotMobile),
        POST,
    )
    .with_preflight(),
    route(
        "/api/v1/auth/resetpass",
        Route::Auth(AuthRoute::ResetEmail),
        POST,
    )
    .with_preflight()
    .secret(POST),
    route(
        "/api/v1/auth/resetpass/mobile",
        Route::Auth(AuthRoute::ResetMobile),
        POST,
    )
    .with_preflight()
    .secret(POST),
    route(
        "forgot-password/",
        Route::User(UserRoute::ForgotPassword),
        POST,
    )
    .under_user_api(),
    route(
        "forgot-password-submit/",
        Route::User(UserRoute::ForgotPasswordSubmit),
        POST,
    )
    .under_user_api()
    .secret(POST),
    route(
        "profile/change-password/",
        Route::User(UserRoute::ChangePassword),
        POST,
    )
    .under_user_api()
    .secret(POST),
    route("/admin/users", Route::AdminUsers, POST),
    route("/admin/dead-letters", Route::AdminDeadLetters, GET),
    // The development routes exist only in development, whatever the providers.
    route("/dev/outbox", Route::DevOutbox, GET).development_only(),
    route("/dev/messages", Route::DevMessages, GET).development_only(),
    route("/openapi.json", Route::OpenApi, GET),
    route(RESET_PAGE_PATH, Route::ResetPage, GET_POST).secret(POST),
    // The dry run reads the link as the submit does: its refusals wait as the submit's do.
    route(RESET_CHECK_PATH, Route::ResetCheck, POST).secret(POST),
    // The hosted forgot-password page: it takes no secret, and answers every input alike.
    route(forgot_page::FORGOT_PAGE_PATH, Route::ForgotPage, GET_POST),
    route("/.well-known/jwks.json", Route::Jwks, GET),
    // The caller's bearer is a secret (one of INTROSPECTION_TOKENS).
    route("/oauth/introspect", Route::Introspect, POST).secret(POST),
];

/// The row of the route at `path` under `cfg`, when there is one.
fn find(cfg: &ServiceConfig, path: &str) -> Option<&'static RouteSpec> {
    ROUTES.iter().find(|spec| {
        spec.matches(cfg, path) && (!spec.development_only || cfg.environment.is_development())
    })
}

/// Answers `req` under `cfg` (without the headers every answer carries, which
/// [`crate::service::Service::handle`] adds): finds its route, answers `405` with `Allow` for a
/// method the route does not take, and makes a refusal on a route that takes a secret last at
/// least `REFUSAL_MIN_MS` ([`refusal`]).
pub async fn answer(p: &impl Platform, cfg: &ServiceConfig, req: Request) -> Response {
    let arrival = Arrival::now(p);
    let Some(spec) = find(cfg, &req.path) else {
        return not_found(&req);
    };
    if spec.preflight && req.method == Method::Options {
        return auth_v1::preflight(cfg, &req);
    }
    if !spec.methods.contains(&req.method) {
        let allow = spec.allow_header();
        let message = format!("Use {allow} for {}.", req.path);
        return Response::json(405, &PlainError::new("method_not_allowed", &message, None))
            .with_header("allow", &allow);
    }
    let answer = answer_on(p, cfg, &req, spec.route).await;
    if spec.secret_methods.contains(&req.method) {
        refusal::no_sooner(p, arrival, cfg.refusal_min_ms, &req.path, answer).await
    } else {
        answer
    }
}

/// Answers `req` on `route`.
async fn answer_on(
    p: &impl Platform,
    cfg: &ServiceConfig,
    req: &Request,
    route: Route,
) -> Response {
    match route {
        Route::RegResetRequest => reg::reset_password_request(p, cfg, req).await,
        Route::RegReset => reg::reset_password(p, cfg, req).await,
        Route::RegInfo => reg::user_info(p, cfg, req).await,
        Route::Auth(route) => auth_v1::handle(p, cfg, req, route).await,
        Route::User(route) => user::handle(p, cfg, req, route).await,
        Route::AdminUsers => admin::create_user(p, cfg, req).await,
        Route::AdminDeadLetters => admin::dead_letters(p, cfg, req).await,
        Route::DevOutbox => dev::outbox(p, cfg, req).await,
        Route::DevMessages => dev::messages(cfg, req),
        Route::ResetPage if req.method == Method::Get => reset_page::show(p, cfg, req).await,
        Route::ResetPage => reset_page::submit(p, cfg, req).await,
        Route::ResetCheck => reset_page::check(p, cfg, req).await,
        Route::ForgotPage if req.method == Method::Get => forgot_page::show(p, cfg, req).await,
        Route::ForgotPage => forgot_page::submit(p, cfg, req).await,
        Route::OpenApi => openapi::serve(),
        Route::Jwks => tokens::jwks(cfg),
        Route::Introspect => tokens::introspect(p, cfg, req).await,
    }
}

/// The answer of a service whose configuration is invalid, on every path: an empty body, declared
/// as text so that nothing sniffs it.
pub fn misconfigured() -> Response {
    Response::empty(503)
        .with_header("content-type", "text/plain; charset=utf-8")
        .with_header("cache-control", "no-store")
}

fn not_found(req: &Request) -> Response {
    let message = format!("No route for {}.", req.path);
    Response::json(404, &PlainError::new("not_found", &message, None))
}
