//! Between workers-rs' HTTP types and the service's plain ones.

use pwreset_service::http::MAX_BODY_BYTES;
use pwreset_service::{Method, Request, Response};

/// Reads a request; a body that declares more than the service reads is refused unread.
pub async fn read_request(req: &mut worker::Request) -> Result<Request, Response> {
    let url = req
        .url()
        .map_err(|_| too_large_or_bad(400, "bad_request", "The request URL is unreadable."))?;
    let headers: Vec<(String, String)> = req.headers().entries().collect();
    let declared = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large_or_bad(
            413,
            "body_too_large",
            "The request body is larger than 16384 bytes.",
        ));
    }
    let method = Method::parse(req.method().as_ref());
    let body = match method {
        Method::Post => req.bytes().await.unwrap_or_default(),
        _ => Vec::new(),
    };
    let client_ip = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("cf-connecting-ip"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "unknown".to_owned());
    Ok(Request {
        method,
        path: url.path().to_owned(),
        query: url.query().unwrap_or("").to_owned(),
        headers,
        body,
        client_ip,
    })
}

fn too_large_or_bad(status: u16, code: &str, message: &str) -> Response {
    Response::json(
        status,
        &serde_json::json!({ "error": code, "message": message }),
    )
}

/// Writes an answer, with the headers every answer carries.
pub fn write_response(response: Response) -> worker::Result<worker::Response> {
    let mut out = worker::Response::from_bytes(response.body)?.with_status(response.status);
    let headers = out.headers_mut();
    for (name, value) in &response.headers {
        headers.set(name, value)?;
    }
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("referrer-policy", "no-referrer")?;
    Ok(out)
}
