//! Cloudflare Turnstile (`TURNSTILE_SITE_KEY`, `TURNSTILE_SECRET_KEY`, `TURNSTILE_VERIFY_URL`,
//! `TURNSTILE_REQUEST_ROUTES`): on the forgot page when both keys are set, and on the JSON request
//! routes too when `TURNSTILE_REQUEST_ROUTES=on`. One key without the other is a configuration
//! problem, and so is `TURNSTILE_REQUEST_ROUTES=on` without the keys: the check is never quietly
//! off when it was asked for.

use super::read::{self, Parser, UrlKind, Vars, credential, url};
use super::{Environment, Kind};
use crate::model::secret::Secret;

/// Cloudflare's siteverify endpoint, the default `TURNSTILE_VERIFY_URL`.
pub const TURNSTILE_VERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/// Cloudflare's published dummy secret keys (they pass every token, fail every token, or answer
/// that the token was already spent): fine for development, refused outside it, where the first
/// would turn the check off without a word.
pub const TEST_SECRET_KEYS: [&str; 3] = [
    "1x0000000000000000000000000000000AA",
    "2x0000000000000000000000000000000AA",
    "3x0000000000000000000000000000000AA",
];

/// The Turnstile settings, when both keys are set.
#[derive(Clone, PartialEq, Eq)]
pub struct TurnstileConfig {
    /// The widget's site key (`TURNSTILE_SITE_KEY`), public: the page shows it.
    pub site_key: String,
    /// The secret key siteverify is called with (`TURNSTILE_SECRET_KEY`).
    pub(crate) secret_key: Secret,
    /// Where tokens are verified (`TURNSTILE_VERIFY_URL`).
    pub verify_url: String,
    /// Whether the JSON request routes need a token too (`TURNSTILE_REQUEST_ROUTES=on`, in the
    /// `cf-turnstile-response` header).
    pub request_routes: bool,
}

impl std::fmt::Debug for TurnstileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never; of the URL only its origin (a query may carry a token of its own).
        let origin = url::Url::parse(&self.verify_url)
            .map_or_else(|_| "?".to_owned(), |u| u.origin().ascii_serialization());
        f.debug_struct("TurnstileConfig")
            .field("site_key", &self.site_key)
            .field("verify_origin", &origin)
            .field("request_routes", &self.request_routes)
            .finish_non_exhaustive()
    }
}

impl TurnstileConfig {
    /// The secret key, for the siteverify call only.
    pub(crate) fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// Whether the secret key is one of Cloudflare's test keys ([`TEST_SECRET_KEYS`],
    /// development only), whose answers name no real page.
    pub(crate) fn uses_test_key(&self) -> bool {
        TEST_SECRET_KEYS.contains(&self.secret_key.expose())
    }

    /// Reads the four variables in `environment`, noting each problem in `vars`; `None` when no
    /// key is set or something is wrong. Every variable is read whether or not Turnstile is on,
    /// so that a mistake in one is found before the day it is turned on.
    pub(crate) fn read(vars: &mut Vars<'_>, environment: Environment) -> Option<Self> {
        let site_set = vars.is_set("TURNSTILE_SITE_KEY");
        let secret_set = vars.is_set("TURNSTILE_SECRET_KEY");
        let site_key = vars.optional(
            "TURNSTILE_SITE_KEY",
            Parser::new(Kind::Alphanumeric, |key: &str| {
                if key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    Ok(key.to_owned())
                } else {
                    Err(" must be letters and digits only, as the dashboard shows it".to_owned())
                }
            }),
        );
        let secret_key = if site_set {
            vars.secret(
                "TURNSTILE_SECRET_KEY",
                "when TURNSTILE_SITE_KEY is set: Turnstile needs both keys",
                credential(),
            )
        } else {
            if secret_set {
                vars.problem(
                    "TURNSTILE_SECRET_KEY",
                    " is set without TURNSTILE_SITE_KEY: Turnstile needs both keys, or neither",
                );
            }
            None
        };
        if let Some(secret) = &secret_key
            && !environment.is_development()
            && TEST_SECRET_KEYS.iter().any(|test| secret.matches(test))
        {
            vars.problem(
                "TURNSTILE_SECRET_KEY",
                " is one of Cloudflare's published test secret keys, which pass or fail every token whoever sends it: outside ENVIRONMENT=development set your widget's own secret key",
            );
        }
        let verify_url = vars.or_declared("TURNSTILE_VERIFY_URL", url(UrlKind::Endpoint));
        let request_routes = vars.or_declared("TURNSTILE_REQUEST_ROUTES", read::switch());
        if request_routes && !(site_set && secret_set) {
            vars.problem(
                "TURNSTILE_REQUEST_ROUTES",
                " is on, but TURNSTILE_SITE_KEY and TURNSTILE_SECRET_KEY are not both set: there is nothing to verify the tokens with",
            );
        }
        Some(Self {
            site_key: site_key?,
            secret_key: secret_key?,
            verify_url,
            request_routes,
        })
    }
}
