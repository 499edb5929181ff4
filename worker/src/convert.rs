//! Between workers-rs' HTTP types and the service's plain ones.

use futures_util::StreamExt;
use pwreset_service::model::http::MAX_BODY_BYTES;
use pwreset_service::{Method, Request, Response};

/// Reads a request, and at most [`MAX_BODY_BYTES`] + 1 bytes of its body: a longer body is cut
/// there, unread, and the service answers it as too large in the route's own error shape.
pub async fn read_request(req: &mut worker::Request) -> Result<Request, Response> {
    let url = req.url().map_err(|_| unreadable_url())?;
    let headers: Vec<(String, String)> = req.headers().entries().collect();
    // The raw name: workers-rs maps methods it does not know to GET, which would route them.
    let method = Method::parse(&req.inner().method());
    let declared = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
    let body = match method {
        // Declared too large: left unread, and stood for by MAX_BODY_BYTES + 1 blank bytes, so
        // the service refuses it as too large in the route's own error shape.
        Method::Post if declared.is_some_and(|n| n > MAX_BODY_BYTES) => {
            vec![b' '; MAX_BODY_BYTES + 1]
        }
        Method::Post => read_capped(req).await,
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

/// The body's first [`MAX_BODY_BYTES`] + 1 bytes (enough to tell it is too large); a body that
/// declares no length is read to its end.
async fn read_capped(req: &mut worker::Request) -> Vec<u8> {
    let Ok(mut stream) = req.stream() else {
        return Vec::new();
    };
    let mut body = Vec::new();
    // Read to the end (a body left half-read breaks the connection under the local runtime), but
    // keep only what tells whether it is too large.
    while let Some(Ok(chunk)) = stream.next().await {
        let room = (MAX_BODY_BYTES + 1).saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    body
}

fn unreadable_url() -> Response {
    Response::json(
        400,
        &serde_json::json!({ "error": "bad_request", "message": "The request URL is unreadable." }),
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
