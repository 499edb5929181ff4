//! What a platform's entry points hand the service as they received it, and the rules that turn
//! that into the service's values: an HTTP request as read off the wire ([`WireRequest`], answered
//! by [`crate::Service::handle_wire`]) and a queue batch's bodies
//! ([`crate::Service::consume_batch`]). The
//! platform only translates its own types: which body bytes to read ([`reads_body`],
//! [`BODY_READ_LIMIT`]), its headers and method as they came, and the decisions back.
//!
//! Rules here: a body declared larger than [`MAX_BODY_BYTES`] is left unread and stood for by
//! [`MAX_BODY_BYTES`] + 1 blank bytes, so the route refuses it as too large in its own error shape;
//! the client's address is `CF-Connecting-IP` (or [`UNKNOWN_CLIENT_IP`]); an unreadable URL gets a
//! `400`; every answer carries [`ANSWER_HEADERS`].

use crate::api::admin::admin_error;
use crate::model::http::{MAX_BODY_BYTES, Method, Request, Response};

/// The most body bytes a platform reads: enough to tell a body is too large.
pub const BODY_READ_LIMIT: usize = MAX_BODY_BYTES + 1;

/// The header that carries the client's address (set by Cloudflare's edge).
pub const CLIENT_IP_HEADER: &str = "cf-connecting-ip";

/// The client's address when no [`CLIENT_IP_HEADER`] came (all such requests share one key of
/// the per-address limits).
pub const UNKNOWN_CLIENT_IP: &str = "unknown";

/// The headers every answer carries, whatever the route (set once: a route that sets one keeps a
/// single copy).
pub const ANSWER_HEADERS: [(&str, &str); 2] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
];

/// A request as the platform received it.
#[derive(Clone)]
pub struct WireRequest {
    /// The method's name as it came (a platform that maps names it does not know to `GET` must
    /// pass the raw one).
    pub method: String,
    /// The URL's path and its query (without `?`, `""` when none); `None` when the platform
    /// could not read the URL.
    pub url: Option<(String, String)>,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body bytes read: empty unless [`reads_body`] said to read it, and then at most
    /// [`BODY_READ_LIMIT`] of them (the rest read and dropped, or left unread).
    pub body: Vec<u8>,
}

impl std::fmt::Debug for WireRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bodies and headers carry passwords and bearer tokens: never printed.
        f.debug_struct("WireRequest")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// The length a request's `Content-Length` declares, when it declares one that reads as a number.
pub fn declared_length(headers: &[(String, String)]) -> Option<usize> {
    header(headers, "content-length").and_then(|v| v.trim().parse::<usize>().ok())
}

/// Whether the platform should read the body of a request with `method` (its raw name) and
/// `headers`, up to [`BODY_READ_LIMIT`] bytes: only a `POST`'s, and not one declared too large.
pub fn reads_body(method: &str, headers: &[(String, String)]) -> bool {
    Method::parse(method) == Method::Post && !declared_too_large(headers)
}

fn declared_too_large(headers: &[(String, String)]) -> bool {
    declared_length(headers).is_some_and(|n| n > MAX_BODY_BYTES)
}

/// The body the routes see: a `POST`'s bytes as read (at most [`BODY_READ_LIMIT`]), or, when
/// it declared more than [`MAX_BODY_BYTES`] and was left unread, [`BODY_READ_LIMIT`] blank bytes
/// that stand for it; nothing for other methods.
pub fn request_body(method: Method, headers: &[(String, String)], mut read: Vec<u8>) -> Vec<u8> {
    match method {
        Method::Post if declared_too_large(headers) => vec![b' '; BODY_READ_LIMIT],
        Method::Post => {
            read.truncate(BODY_READ_LIMIT);
            read
        }
        _ => Vec::new(),
    }
}

/// The client's address: the first [`CLIENT_IP_HEADER`], else [`UNKNOWN_CLIENT_IP`].
pub fn client_ip(headers: &[(String, String)]) -> String {
    header(headers, CLIENT_IP_HEADER)
        .unwrap_or(UNKNOWN_CLIENT_IP)
        .to_owned()
}

/// The service's request for what came off the wire; `None` when its URL was unreadable.
pub fn request(wire: WireRequest) -> Option<Request> {
    let (path, query) = wire.url?;
    let method = Method::parse(&wire.method);
    let body = request_body(method, &wire.headers, wire.body);
    let client_ip = client_ip(&wire.headers);
    Some(Request {
        method,
        path,
        query,
        headers: wire.headers,
        body,
        client_ip,
    })
}

/// The answer to a request whose URL could not be read (the admin routes' error shape, which the
/// `404` and `405` share).
pub fn unreadable_url() -> Response {
    admin_error(400, "bad_request", "The request URL is unreadable.", None)
}

/// `response` with [`ANSWER_HEADERS`]: each set once, replacing any copy the route set.
pub fn with_answer_headers(response: Response) -> Response {
    ANSWER_HEADERS
        .iter()
        .fold(response, |response, (name, value)| {
            response.with_header(name, *value)
        })
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
