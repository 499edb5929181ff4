//! Between workers-rs' HTTP types and the service's plain ones. What the body, the client's
//! address and the answer's headers come to is the service's business
//! (`pwreset_service::api::edge`): this only reads what came and writes what goes.

use futures_util::StreamExt;
use pwreset_service::Response;
use pwreset_service::api::edge::{BODY_READ_LIMIT, WireRequest, reads_body};

/// Reads a request as it came: its raw method, URL, headers, and as much of its body as the
/// service asks for ([`reads_body`]: at most [`BODY_READ_LIMIT`] bytes kept).
pub async fn read_request(req: &mut worker::Request) -> WireRequest {
    // The raw name: workers-rs maps methods it does not know to GET, which would route them.
    let method = req.inner().method();
    let url = req
        .url()
        .ok()
        .map(|url| (url.path().to_owned(), url.query().unwrap_or("").to_owned()));
    let headers: Vec<(String, String)> = req.headers().entries().collect();
    let body = if reads_body(&method, &headers) {
        read_capped(req).await
    } else {
        Vec::new()
    };
    WireRequest {
        method,
        url,
        headers,
        body,
    }
}

/// The body's first [`BODY_READ_LIMIT`] bytes; a body that declares no length is read to its end.
async fn read_capped(req: &mut worker::Request) -> Vec<u8> {
    let Ok(mut stream) = req.stream() else {
        return Vec::new();
    };
    let mut body = Vec::new();
    // Read to the end (a body left half-read breaks the connection under the local runtime), but
    // keep only what the service looks at.
    while let Some(Ok(chunk)) = stream.next().await {
        let room = BODY_READ_LIMIT.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    body
}

/// Writes an answer as the service gave it.
pub fn write_response(response: Response) -> worker::Result<worker::Response> {
    let mut out = worker::Response::from_bytes(response.body)?.with_status(response.status);
    let headers = out.headers_mut();
    // `set`, not `append`: the runtime gave the body a default `content-type` to replace, and the
    // service's answers carry each header once (`Response::with_header`).
    for (name, value) in &response.headers {
        headers.set(name, value)?;
    }
    Ok(out)
}
