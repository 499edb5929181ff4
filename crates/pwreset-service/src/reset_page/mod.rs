//! The reset page that links of dialects B and C open: `GET /reset?token=…` (B) or
//! `GET /reset?user=…&token=…` (C) shows the form; `POST /reset` sets the password. A `GET` never
//! uses a link up, so mail scanners that open links can't burn them.

use crate::config::ServiceConfig;
use crate::http::{Request, Response};
use crate::platform::Platform;

/// `GET /reset`: the form.
pub async fn show(_p: &impl Platform, _cfg: &ServiceConfig, _req: &Request) -> Response {
    Response::json(
        501,
        &serde_json::json!({ "error": "not_implemented", "message": "The reset page is being built." }),
    )
}

/// `POST /reset`: the form's submission.
pub async fn submit(_p: &impl Platform, _cfg: &ServiceConfig, _req: &Request) -> Response {
    Response::json(
        501,
        &serde_json::json!({ "error": "not_implemented", "message": "The reset page is being built." }),
    )
}
