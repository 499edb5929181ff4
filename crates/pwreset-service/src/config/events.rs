//! Where the application's events go (`EVENTS_URL`) and the secret they are signed with
//! (`EVENTS_SECRET`). Unset URL: no event is queued at all.

use super::Kind;
use super::read::{Parser, UrlKind, Vars, url};
use crate::model::secret::{SigningKey, SigningKeyFault};

/// The application's events endpoint.
#[derive(Clone, PartialEq, Eq)]
pub struct EventsConfig {
    /// Where events are posted (`https://` outside development; a query is allowed).
    pub url: String,
    /// The Standard Webhooks signing key (`EVENTS_SECRET`, `whsec_…`).
    pub key: SigningKey,
}

impl std::fmt::Debug for EventsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A URL's path or query may carry a token of its own: only the origin is printed.
        f.debug_struct("EventsConfig")
            .field("origin", &super::delivery::origin_of(&self.url))
            .field("key", &self.key)
            .finish()
    }
}

impl EventsConfig {
    /// Reads `EVENTS_URL` and, when it is set, `EVENTS_SECRET`; `None` when the URL is unset or
    /// something is wrong (each problem noted in `vars`). Whether the URL must be `https://` is
    /// decided with the other URLs' (`config::read_environment`).
    pub(crate) fn read(vars: &mut Vars<'_>) -> Option<Self> {
        if !vars.is_set("EVENTS_URL") {
            return None;
        }
        let url = vars.optional("EVENTS_URL", url(UrlKind::Endpoint));
        let signing_secret = Parser::new(Kind::SigningSecret { raw_min: None }, |secret: &str| {
            SigningKey::standard(secret).map_err(signing_key_problem)
        });
        let key = vars.secret("EVENTS_SECRET", "when EVENTS_URL is set", signing_secret);
        Some(Self {
            url: url?,
            key: key?,
        })
    }
}

/// What follows a secret's name when it is no Standard Webhooks secret (never its value).
pub(crate) fn signing_key_problem(fault: SigningKeyFault) -> String {
    let min = SigningKey::MIN_STANDARD_BYTES;
    match fault {
        SigningKeyFault::NoPrefix => format!(
            " must be a Standard Webhooks secret: whsec_ followed by at least {min} random bytes in base64"
        ),
        SigningKeyFault::NotBase64 => format!(
            " starts with whsec_ but what follows is not base64: whsec_ must be followed by at least {min} random bytes in base64"
        ),
        SigningKeyFault::TooShort => format!(
            " is too short: whsec_ must be followed by at least {min} random bytes in base64"
        ),
    }
}
