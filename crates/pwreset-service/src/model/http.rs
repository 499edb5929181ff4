//! Requests and answers as plain values: the platform turns its own HTTP types into these and back.

use serde::Serialize;

/// The largest request body any route reads (16 KiB); a longer one is refused unread.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The reset page's path, as a literal for `concat!` (the page's form action).
macro_rules! reset_page_path {
    () => {
        "/reset"
    };
}
pub(crate) use reset_page_path;

/// The reset page's path: the route table's row, the links that lead to it and its form's action.
pub const RESET_PAGE_PATH: &str = reset_page_path!();

/// The reset page's dry run: the verdict a submit of a link would give on a password, consuming
/// nothing (`POST /reset/check`).
pub const RESET_CHECK_PATH: &str = concat!(reset_page_path!(), "/check");

/// An HTTP method, as the routes tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET` (and `HEAD`, answered like it).
    Get,
    /// `POST`.
    Post,
    /// `OPTIONS`: CORS preflight.
    Options,
    /// Anything else.
    Other,
}

impl Method {
    /// Reads a method name.
    pub fn parse(name: &str) -> Self {
        match name.to_ascii_uppercase().as_str() {
            "GET" | "HEAD" => Method::Get,
            "POST" => Method::Post,
            "OPTIONS" => Method::Options,
            _ => Method::Other,
        }
    }
}

/// An incoming request. Header names are compared case-insensitively.
#[derive(Clone)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The path, without the query (`/reg/user/info`).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body; the platform reads at most [`MAX_BODY_BYTES`] + 1 bytes of it.
    pub body: Vec<u8>,
    /// The client's address as the platform saw it (`CF-Connecting-IP`), for rate limits.
    pub client_ip: String,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bodies and headers carry passwords and bearer tokens: never printed.
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request with no headers and no body (tests and tools).
    pub fn new(method: Method, target: &str) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Self {
            method,
            path: path.to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            client_ip: "127.0.0.1".to_owned(),
        }
    }

    /// With one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// With a JSON body.
    pub fn json(mut self, body: &serde_json::Value) -> Self {
        self.body = body.to_string().into_bytes();
        self.headers
            .push(("content-type".to_owned(), "application/json".to_owned()));
        self
    }

    /// The first value of header `name`.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of query parameter `name`, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key)? == name).then(|| percent_decode(value))?
        })
    }

    /// The language the client prefers among those the service speaks (`Accept-Language`).
    pub fn locale(&self) -> super::locale::Locale {
        super::locale::Locale::negotiate(self.header_value("accept-language"))
    }

    /// The token of an `Authorization: Bearer <token>` header.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.header_value("authorization")?;
        let (scheme, token) = value.split_once(' ')?;
        (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
    }
}

/// Decodes `%XX` escapes and `+` (as a space); `None` for a bad escape (`%` not followed by two
/// hex digits, which the decoder would keep as it is) or a non-UTF-8 result.
fn percent_decode(text: &str) -> Option<String> {
    let escapes_well_formed = text.split('%').skip(1).all(|after| {
        after
            .get(..2)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if !escapes_well_formed {
        return None;
    }
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// An answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON answer.
    pub fn json(status: u16, body: &impl Serialize) -> Self {
        let body = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
        Self {
            status,
            headers: vec![
                (
                    "content-type".to_owned(),
                    "application/json; charset=utf-8".to_owned(),
                ),
                ("cache-control".to_owned(), "no-store".to_owned()),
            ],
            body,
        }
    }

    /// An empty answer (CORS preflight).
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// With header `name` set to `value`, replacing any value it had: an answer carries each
    /// header once, so every platform writes it the same way.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The first value of header `name`.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (tests).
    pub fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_set_twice_keeps_the_last_value_once() {
        let answer = Response::empty(200)
            .with_header("Cache-Control", "no-store")
            .with_header("cache-control", "max-age=5");
        assert_eq!(
            answer.headers,
            [("cache-control".to_owned(), "max-age=5".to_owned())]
        );
    }

    #[test]
    fn query_parameters_are_percent_decoded() {
        let request = Request::new(Method::Get, "/dev/outbox?to=jane%2Bx%40example.com&a=1");
        assert_eq!(
            request.query_param("to").as_deref(),
            Some("jane+x@example.com")
        );
        assert_eq!(request.query_param("missing"), None);
        let bad = Request::new(Method::Get, "/x?to=%zz");
        assert_eq!(bad.query_param("to"), None);
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let request = Request::new(Method::Get, "/").header("Authorization", "bearer abc");
        assert_eq!(request.bearer_token(), Some("abc"));
        let basic = Request::new(Method::Get, "/").header("Authorization", "Basic abc");
        assert_eq!(basic.bearer_token(), None);
    }
}
