//! Where the application's user service is (`USER_DIRECTORY_URL`, `USER_DIRECTORY_SECRET`).

use super::Environment;
use super::read::{UrlKind, Vars, is_loopback, parse_url};
use crate::model::secret::Secret;

/// The shortest shared secret accepted.
pub const MIN_SECRET_BYTES: usize = 32;

/// The application's user service.
#[derive(Clone)]
pub struct RemoteDirectory {
    pub(crate) url: String,
    pub(crate) secret: Secret,
}

impl std::fmt::Debug for RemoteDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteDirectory")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RemoteDirectory {
    /// The service at `url` (no trailing slash), calls signed with `secret`.
    pub fn new(url: &str, secret: &str) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            secret: Secret::new(secret),
        }
    }

    /// Reads `USER_DIRECTORY_URL` and `USER_DIRECTORY_SECRET`; `Ok(None)` when no URL is set.
    /// The URL must be `https://`; `http://` only with `ENVIRONMENT=development` and a loopback
    /// host, since whoever can rewrite the answers decides who receives a reset link.
    pub fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<Self>, Vec<String>> {
        let mut vars = Vars::new(get);
        let environment = vars.environment();
        let directory = Self::read(&mut vars, environment);
        if vars.problems.is_empty() {
            Ok(directory)
        } else {
            Err(vars.problems)
        }
    }

    /// [`RemoteDirectory::from_vars`] in `environment`, noting each problem in `vars`; `None`
    /// when no URL is set or something is wrong.
    pub(crate) fn read(vars: &mut Vars<'_>, environment: Environment) -> Option<Self> {
        vars.text("USER_DIRECTORY_URL")?;
        let development = environment.is_development();
        let url = vars.optional("USER_DIRECTORY_URL", |text| {
            let url = parse_url(text, UrlKind::Base).map_err(|fault| fault.to_string())?;
            match url.scheme() {
                "http" if !development => Err(
                    " must be https:// (http:// only with ENVIRONMENT=development, to a loopback host): whoever can rewrite its answers decides who receives a reset link".to_owned(),
                ),
                "http" if !is_loopback(&url) => Err(
                    ": http:// is accepted only for a loopback host (127.0.0.1, [::1], localhost); use https://".to_owned(),
                ),
                _ => Ok(text.to_owned()),
            }
        });
        let secret = vars.text("USER_DIRECTORY_SECRET").unwrap_or_default();
        if secret.len() < MIN_SECRET_BYTES {
            vars.problem(
                "USER_DIRECTORY_SECRET",
                format_args!(
                    " must be at least {MIN_SECRET_BYTES} characters when USER_DIRECTORY_URL is set"
                ),
            );
            return None;
        }
        Some(Self::new(&url?, &secret))
    }
}
