//! Where the application's user service is (`USER_DIRECTORY_URL`, `USER_DIRECTORY_SECRET`).

/// The shortest shared secret accepted.
pub const MIN_SECRET_BYTES: usize = 32;

/// The application's user service.
#[derive(Clone)]
pub struct RemoteDirectory {
    pub(crate) url: String,
    pub(crate) secret: String,
}

impl std::fmt::Debug for RemoteDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteDirectory")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Why `url` can't be the user directory's address; `None` when it can.
fn url_problem(text: &str, development: bool) -> Option<String> {
    let Ok(url) = url::Url::parse(text) else {
        return Some("USER_DIRECTORY_URL must be an absolute https:// URL".to_owned());
    };
    let Some(host) = url.host() else {
        return Some("USER_DIRECTORY_URL must name a host".to_owned());
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Some(
            "USER_DIRECTORY_URL must not carry credentials (the shared secret signs every call)"
                .to_owned(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Some(
            "USER_DIRECTORY_URL must not have a query or a fragment (paths are appended to it)"
                .to_owned(),
        );
    }
    let loopback = match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    match url.scheme() {
        "https" => None,
        "http" if development && loopback => None,
        "http" if development => Some(
            "USER_DIRECTORY_URL: http:// is accepted only for a loopback host (127.0.0.1, [::1], localhost); use https://".to_owned(),
        ),
        "http" => Some(
            "USER_DIRECTORY_URL must be https:// (http:// only with ENVIRONMENT=development, to a loopback host): whoever can rewrite its answers decides who receives a reset link".to_owned(),
        ),
        _ => Some("USER_DIRECTORY_URL must be an https:// URL".to_owned()),
    }
}

impl RemoteDirectory {
    /// The service at `url` (no trailing slash), calls signed with `secret`.
    pub fn new(url: &str, secret: &str) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            secret: secret.to_owned(),
        }
    }

    /// Reads `USER_DIRECTORY_URL` and `USER_DIRECTORY_SECRET`; `Ok(None)` when no URL is set.
    /// The URL must be `https://`; `http://` only with `ENVIRONMENT=development` and a loopback
    /// host, since whoever can rewrite the answers decides who receives a reset link.
    pub fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<Self>, Vec<String>> {
        let value = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let Some(url) = value("USER_DIRECTORY_URL") else {
            return Ok(None);
        };
        let development = value("ENVIRONMENT").as_deref() == Some("development");
        let mut problems = Vec::new();
        if let Some(problem) = url_problem(&url, development) {
            problems.push(problem);
        }
        let secret = value("USER_DIRECTORY_SECRET").unwrap_or_default();
        if secret.len() < MIN_SECRET_BYTES {
            problems.push(format!(
                "USER_DIRECTORY_SECRET must be at least {MIN_SECRET_BYTES} characters when USER_DIRECTORY_URL is set"
            ));
        }
        if problems.is_empty() {
            Ok(Some(Self::new(&url, &secret)))
        } else {
            Err(problems)
        }
    }
}
