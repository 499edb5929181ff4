//! Outbound HTTP as plain values: the requests the service builds (provider deliveries, the
//! breached-password range API, the user directory), how long each may take, and what comes back.

use std::time::Duration;

/// The `User-Agent` every outbound request carries (Resend refuses requests without one).
pub const USER_AGENT: &str = concat!("pwreset/", env!("CARGO_PKG_VERSION"));

/// How long a provider may take to answer a delivery before the attempt counts as timed out (a
/// queue consumer waits, not a client).
pub const DELIVERY_TIME_LIMIT: Duration = Duration::from_secs(10);

/// How long the range API or the user directory may take to answer (a client's request waits).
pub const LOOKUP_TIME_LIMIT: Duration = Duration::from_secs(5);

/// One outbound HTTP request: a provider's delivery, a range API lookup or a user directory call.
/// Its `Debug` shows the method, URL and header names only: headers carry keys and signatures,
/// the body the message's secret.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboundRequest {
    /// The method (`POST`, `GET`).
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Header names and values, in sending order.
    pub headers: Vec<(String, String)>,
    /// The body, JSON or form-encoded per the `Content-Type` header; empty for none.
    pub body: String,
    /// How long the answer may take before the platform gives up ([`TransportError::Timeout`]):
    /// the service decides, the platform applies it.
    pub time_limit: Duration,
}

impl OutboundRequest {
    /// A provider's delivery: a `POST` to `url` with `User-Agent` first, then `headers`, within
    /// [`DELIVERY_TIME_LIMIT`].
    pub(crate) fn post(url: String, headers: Vec<(&str, String)>, body: String) -> Self {
        let mut all = vec![("User-Agent".to_owned(), USER_AGENT.to_owned())];
        all.extend(
            headers
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        Self {
            method: "POST".to_owned(),
            url,
            headers: all,
            body,
            time_limit: DELIVERY_TIME_LIMIT,
        }
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl std::fmt::Debug for OutboundRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("OutboundRequest")
            .field("method", &self.method)
            // Only the origin: a webhook's path or query may carry its token.
            .field("origin", &origin(&self.url))
            .field("headers", &names)
            .field("body_bytes", &self.body.len())
            .field("time_limit", &self.time_limit)
            .finish()
    }
}

/// The scheme, host and port of `url`, or `"?"` when it does not parse.
fn origin(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| "?".to_owned(), |u| u.origin().ascii_serialization())
}

/// Why no answer came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// No answer within the request's time limit. The provider may still have accepted it.
    Timeout,
    /// The connection failed or closed before an answer.
    Connection,
    /// Anything else, e.g. an answer that could not be read; a short description, no secret.
    Other(String),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Timeout => f.write_str("timed out"),
            TransportError::Connection => f.write_str("connection failed or closed"),
            TransportError::Other(what) => write!(f, "transport error: {what}"),
        }
    }
}

/// The answer to an [`OutboundRequest`]: its status, headers (a provider's `Retry-After`, the user
/// directory's signature) and body (the range API's list, the user directory's JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchedAnswer {
    /// The status.
    pub status: u16,
    /// Header names and values as received.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl FetchedAnswer {
    /// The first value of header `name` (compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Retry-After` header, if any (seconds or an HTTP date).
    pub fn retry_after(&self) -> Option<&str> {
        self.header("retry-after")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_origin_only() {
        let request = OutboundRequest::post(
            "https://hooks.example.com:8443/T0/s3cr3t?token=s3cr3t".to_owned(),
            vec![("Authorization", "Bearer s3cr3t".to_owned())],
            "{\"code\":\"s3cr3t\"}".to_owned(),
        );
        let printed = format!("{request:?}");
        assert!(
            printed.contains("https://hooks.example.com:8443"),
            "{printed}"
        );
        assert!(!printed.contains("s3cr3t"), "{printed}");
    }
}
