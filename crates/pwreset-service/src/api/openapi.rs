//! The OpenAPI 3.1 document of every route, kept in the repository (`docs/openapi.json`) and
//! served at `GET /openapi.json`.

use crate::model::http::Response;

/// The document, as committed.
pub const DOCUMENT: &str = include_str!("../../../../docs/openapi.json");

/// `GET /openapi.json`.
pub fn serve() -> Response {
    let mut response = Response::json(200, &serde_json::Value::Null);
    response.body = DOCUMENT.as_bytes().to_vec();
    response
}
