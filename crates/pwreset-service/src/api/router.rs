//! The route table and the one entry point a platform calls for a request.

use serde_json::json;

use crate::api::dialects::auth_v1::{self, Route as AuthRoute};
use crate::api::dialects::reg;
use crate::api::dialects::user::{self, Route as UserRoute};
use crate::api::{admin, dev};
use crate::api::{openapi, reset_page};
use crate::config::{ConfigProblems, ServiceConfig};
use crate::model::audit;
use crate::model::http::{Method, Request, Response};
use crate::model::job::{Job, JobOutcome};
use crate::ports::Platform;
use crate::queue;
use crate::refusal::{self, Arrival};

/// What a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    RegResetRequest,
    RegReset,
    RegInfo,
    Auth(AuthRoute),
    User(UserRoute),
    AdminUsers,
    AdminDeadLetters,
    DevOutbox,
    ResetPage,
    OpenApi,
}

impl Route {
    fn find(cfg: &ServiceConfig, path: &str) -> Option<Self> {
        if let Some(route) = UserRoute::find(&cfg.user_api.base(), path) {
            return Some(Route::User(route));
        }
        Some(match path {
            "/reg/user/resetPasswordRequest" => Route::RegResetRequest,
            "/reg/user/resetPassword" => Route::RegReset,
            "/reg/user/info" => Route::RegInfo,
            "/api/v1/auth/forgotpass" => Route::Auth(AuthRoute::ForgotEmail),
            "/api/v1/auth/forgotpass/mobile" => Route::Auth(AuthRoute::ForgotMobile),
            "/api/v1/auth/resetpass" => Route::Auth(AuthRoute::ResetEmail),
            "/api/v1/auth/resetpass/mobile" => Route::Auth(AuthRoute::ResetMobile),
            "/admin/users" => Route::AdminUsers,
            "/admin/dead-letters" => Route::AdminDeadLetters,
            "/reset" => Route::ResetPage,
            "/openapi.json" => Route::OpenApi,
            // The development routes exist only in development, whatever the providers.
            "/dev/outbox" if cfg.environment.is_development() => Route::DevOutbox,
            _ => return None,
        })
    }

    /// Whether it answers `method` (besides `OPTIONS` for dialect B's preflight).
    fn allows(self, method: Method) -> bool {
        match self {
            Route::ResetPage => matches!(method, Method::Get | Method::Post),
            Route::RegInfo | Route::DevOutbox | Route::AdminDeadLetters | Route::OpenApi => {
                method == Method::Get
            }
            _ => method == Method::Post,
        }
    }

    /// Whether it takes a secret (a code, a link token, a signed payload, an old password), so
    /// that its refusals wait for the least time (see [`refusal`]).
    fn takes_secret(self, method: Method) -> bool {
        match self {
            Route::RegResetRequest
            | Route::RegReset
            | Route::Auth(AuthRoute::ResetEmail | AuthRoute::ResetMobile)
            | Route::User(UserRoute::ForgotPasswordSubmit | UserRoute::ChangePassword) => true,
            Route::ResetPage => method == Method::Post,
            _ => false,
        }
    }

    /// The `Allow` header of a `405`.
    fn allow_header(self) -> &'static str {
        match self {
            Route::ResetPage => "GET, HEAD, POST",
            Route::Auth(_) => "POST, OPTIONS",
            Route::RegInfo | Route::DevOutbox | Route::AdminDeadLetters | Route::OpenApi => {
                "GET, HEAD"
            }
            _ => "POST",
        }
    }
}

/// The reset service: its checked configuration (or what is wrong with it) and the routes.
pub struct Service {
    config: Result<ServiceConfig, ConfigProblems>,
}

impl Service {
    /// Reads the configuration through `get`.
    pub fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            config: ServiceConfig::from_vars(get),
        }
    }

    /// The configuration, when it is usable.
    pub fn config(&self) -> Result<&ServiceConfig, &ConfigProblems> {
        self.config.as_ref()
    }

    /// The log line that reports a bad configuration (at start and on each request).
    pub fn config_problem_line(&self, p: &impl Platform) -> Option<String> {
        self.config.as_ref().err().map(|problems| {
            audit::line(
                "configuration_invalid",
                p.now(),
                json!({ "problems": problems.0 }),
            )
        })
    }

    /// Answers one request. While the configuration is invalid, every request gets a bare `503`
    /// (an empty body: what is wrong is the operator's business, not the caller's) and the
    /// problems go to the log.
    pub async fn handle(&self, p: &impl Platform, req: Request) -> Response {
        let arrival = Arrival::now(p);
        let Ok(cfg) = &self.config else {
            if let Some(line) = self.config_problem_line(p) {
                p.log(&line);
            }
            return misconfigured();
        };
        let Some(route) = Route::find(cfg, &req.path) else {
            return not_found(&req);
        };
        if let (Route::Auth(_), Method::Options) = (route, req.method) {
            return auth_v1::preflight(cfg, &req);
        }
        if !route.allows(req.method) {
            let allow = route.allow_header();
            return Response::json(
                405,
                &json!({ "error": "method_not_allowed", "message": format!("Use {allow} for {}.", req.path) }),
            )
            .with_header("allow", allow);
        }
        let answer = Self::route(p, cfg, &req, route).await;
        if route.takes_secret(req.method) {
            refusal::no_sooner(p, arrival, cfg.refusal_min_ms, &req.path, answer).await
        } else {
            answer
        }
    }

    /// Answers `req` on `route`.
    async fn route(
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
            Route::ResetPage if req.method == Method::Get => reset_page::show(p, cfg, req).await,
            Route::ResetPage => reset_page::submit(p, cfg, req).await,
            Route::OpenApi => openapi::serve(),
        }
    }

    /// Runs one message of the work queue.
    pub async fn run_job(&self, p: &impl Platform, job: Job) -> JobOutcome {
        match &self.config {
            Ok(cfg) => queue::run_job(p, cfg, job).await,
            Err(_) => JobOutcome::Retry,
        }
    }

    /// Runs one message of the dead-letter queue.
    pub async fn run_dead_letter(&self, p: &impl Platform, job: Job) -> JobOutcome {
        let keyring = self.config.as_ref().ok().map(|cfg| &cfg.keyring);
        queue::run_dead_letter(p, keyring, job).await
    }
}

/// The answer of a service whose configuration is invalid, on every path: an empty body, declared
/// as text so that nothing sniffs it.
fn misconfigured() -> Response {
    Response::empty(503)
        .with_header("content-type", "text/plain; charset=utf-8")
        .with_header("cache-control", "no-store")
}

fn not_found(req: &Request) -> Response {
    Response::json(
        404,
        &json!({ "error": "not_found", "message": format!("No route for {}.", req.path) }),
    )
}
