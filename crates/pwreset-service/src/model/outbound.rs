//! Outbound HTTP as plain values: the requests the service builds (provider deliveries, the
//! breached-password range API, the user directory) and what comes back.

/// The `User-Agent` every provider request carries (Resend refuses requests without one).
pub const USER_AGENT: &str = concat!("pwreset/", env!("CARGO_PKG_VERSION"));

/// One HTTP request to a provider. Its `Debug` shows the method, URL and header names only:
/// headers carry keys and signatures, the body the message's secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderRequest {
    /// The method (`POST`).
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Header names and values, in sending order.
    pub headers: Vec<(String, String)>,
    /// The body, JSON or form-encoded per the `Content-Type` header.
    pub body: String,
}

impl ProviderRequest {
    /// A `POST` to `url` with `User-Agent` first, then `headers`.
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

impl std::fmt::Debug for ProviderRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ProviderRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// A provider's answer, as much of it as delivery reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header, if any (seconds or an HTTP date).
    pub retry_after: Option<String>,
}

/// Why no answer came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// No answer within the platform's time limit. The provider may still have accepted it.
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

/// An answer to an HTTP call whose body matters (the breached-password range API, the user
/// directory).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchedAnswer {
    /// The status.
    pub status: u16,
    /// Header names and values as received (the user directory's answers carry a signature).
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
}
