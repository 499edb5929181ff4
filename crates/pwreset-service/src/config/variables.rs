//! Every variable the service reads, declared once: [`VARIABLES`].
//!
//! The configuration reads through this table ([`super::read::Vars`] refuses, in debug builds, a
//! name it does not list), `tests/config.rs` checks that every entry is read and that
//! `docs/api.md`'s configuration table names exactly these variables.

/// The part of the configuration a variable belongs to; [`super::ServiceConfig::from_vars`] reads
/// one section after another, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Which rules hold (`ENVIRONMENT`) and where links lead (`PUBLIC_URL`).
    Environment,
    /// The signing keyring and which access tokens verify, the admin token, dialect B's clients,
    /// dialect C's API keys and the introspection tokens.
    KeysAndClients,
    /// The password policies, and where dialect C is mounted and how it answers.
    Policies,
    /// How long each kind of secret lives, and the digits of a code.
    LifetimesAndCodes,
    /// The least time a refusal takes.
    Refusal,
    /// The breached-password check.
    Breached,
    /// The application's own user service.
    Directory,
    /// The e-mail and SMS providers.
    Delivery,
    /// The application's signed events.
    Events,
}

/// One configuration variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variable {
    /// Its name, as the platform's environment spells it.
    pub name: &'static str,
    /// What an unset (or blank) value means, as the value one could write instead; `None` when
    /// it is required, optional without a value of its own, or depends on another variable.
    pub default: Option<&'static str>,
    /// Whether its value is a secret: never in a problem, a log line or `Debug` output.
    pub secret: bool,
    /// The section that reads it.
    pub section: Section,
    /// What it sets, in one line.
    pub doc: &'static str,
}

impl Variable {
    const fn new(name: &'static str, section: Section, doc: &'static str) -> Self {
        Self {
            name,
            default: None,
            secret: false,
            section,
            doc,
        }
    }

    const fn default(self, value: &'static str) -> Self {
        Self {
            default: Some(value),
            ..self
        }
    }

    const fn secret(self) -> Self {
        Self {
            secret: true,
            ..self
        }
    }
}

use Section::*;

/// Every variable the service reads, each once, by section.
pub const VARIABLES: &[Variable] = &[
    Variable::new(
        "ENVIRONMENT",
        Environment,
        "`development` for development rules; anything else, or none, is production",
    )
    .default("production"),
    Variable::new(
        "PUBLIC_URL",
        Environment,
        "the base of every link in a message: loopback in development, https:// elsewhere",
    ),
    Variable::new(
        "KEYS",
        KeysAndClients,
        "the signing keyring: `pwreset keygen` entries ID:KEY, newest first",
    )
    .secret(),
    Variable::new(
        "ACCESS_TOKEN_ACCEPT_HS256",
        KeysAndClients,
        "`on` also accepts the HS256 access tokens of earlier releases (a transition); new ones are EdDSA",
    )
    .default("off"),
    Variable::new(
        "ADMIN_TOKEN",
        KeysAndClients,
        "the bearer token of the admin routes, at least 24 characters (unset: they answer 401)",
    )
    .secret(),
    Variable::new(
        "CLIENTS",
        KeysAndClients,
        "dialect B's clients: a JSON object of client id to its browser origins",
    ),
    Variable::new(
        "API_KEYS",
        KeysAndClients,
        "dialect C's apikey values, separated by commas or white space",
    )
    .secret(),
    Variable::new(
        "INTROSPECTION_TOKENS",
        KeysAndClients,
        "the bearer tokens of POST /oauth/introspect, each at least 32 characters (unset: it answers 401)",
    )
    .secret(),
    Variable::new(
        "PASSWORD_POLICY",
        Policies,
        "the policy of dialects A and B: a preset name or a JSON policy document",
    )
    .default("django"),
    Variable::new(
        "USER_API_PASSWORD_POLICY",
        Policies,
        "dialect C's policy: a preset name or a JSON policy document",
    )
    .default("seed-002"),
    Variable::new(
        "USER_API_PREFIX",
        Policies,
        "the first segment of dialect C's path, 1-32 letters, digits, - or _",
    )
    .default("api"),
    Variable::new(
        "USER_API_VERSION",
        Policies,
        "the second segment of dialect C's path, 1-32 letters, digits, - or _",
    )
    .default("v1"),
    Variable::new(
        "USER_API_REVEAL_ACCOUNTS",
        Policies,
        "`on` restores dialect C's existence-revealing 401s; `off` keeps them out",
    )
    .default("off"),
    Variable::new(
        "CODE_TTL_SECONDS",
        LifetimesAndCodes,
        "lifetime of e-mailed and SMS codes, 60-600 seconds",
    )
    .default("600"),
    Variable::new(
        "LINK_TTL_SECONDS",
        LifetimesAndCodes,
        "lifetime of e-mailed links, 60-86400 seconds",
    )
    .default("3600"),
    Variable::new(
        "SIGNED_PAYLOAD_TTL_SECONDS",
        LifetimesAndCodes,
        "lifetime of dialect A's signed payload, 60-3600 seconds",
    )
    .default("900"),
    Variable::new(
        "ACCESS_TOKEN_TTL_SECONDS",
        LifetimesAndCodes,
        "lifetime of access tokens, 60-86400 seconds",
    )
    .default("3600"),
    Variable::new(
        "CODE_DIGITS",
        LifetimesAndCodes,
        "digits of every code, 6-10",
    )
    .default("6"),
    Variable::new(
        "REFUSAL_MIN_MS",
        Refusal,
        "the least milliseconds a refused secret takes, 100-5000 (from 0 in development)",
    )
    .default("500"),
    Variable::new(
        "BREACHED_CHECK",
        Breached,
        "`off`, `fail-open` or `fail-closed`: also refuse passwords found in Pwned Passwords",
    )
    .default("off"),
    Variable::new(
        "PWNED_PASSWORDS_URL",
        Breached,
        "the Pwned Passwords range API's base URL",
    )
    .default(super::breached::PWNED_PASSWORDS_URL),
    Variable::new(
        "USER_DIRECTORY_URL",
        Directory,
        "the application's user service, which then holds the accounts (unset: accounts in KV)",
    ),
    Variable::new(
        "USER_DIRECTORY_SECRET",
        Directory,
        "the HMAC secret of the user service's calls and answers, at least 32 characters",
    )
    .secret(),
    Variable::new(
        "USER_DIRECTORY_HASH_FORMAT",
        Directory,
        "how new argon2id hashes are handed to the user service: `phc` or `django` (`argon2$argon2id$…`)",
    )
    .default("phc"),
    Variable::new(
        "USER_DIRECTORY_HASH_LIMITS",
        Directory,
        "the most a stored hash may cost to verify: `default`, or `django` to admit Django's argon2 (m=102400, p=8)",
    )
    .default("default"),
    Variable::new(
        "EMAIL_PROVIDER",
        Delivery,
        "`outbox` (development only), `resend`, `postmark`, `sendgrid` or `webhook`",
    )
    .default("outbox"),
    Variable::new(
        "EMAIL_FROM",
        Delivery,
        "the sender of e-mail through an API: name@example.com or Name <name@example.com>",
    ),
    Variable::new(
        "EMAIL_API_KEY",
        Delivery,
        "the Resend or SendGrid API key, or the Postmark server token",
    )
    .secret(),
    Variable::new(
        "EMAIL_BASE_URL",
        Delivery,
        "the e-mail API's base URL (unset: the provider's own)",
    ),
    Variable::new(
        "SMS_PROVIDER",
        Delivery,
        "`outbox` (development only), `twilio` or `webhook`",
    )
    .default("outbox"),
    Variable::new(
        "SMS_FROM",
        Delivery,
        "Twilio's sender: an E.164 number, an alphanumeric sender id or a Messaging Service SID",
    ),
    Variable::new(
        "TWILIO_ACCOUNT_SID",
        Delivery,
        "the Twilio Account SID (AC...)",
    ),
    Variable::new("TWILIO_AUTH_TOKEN", Delivery, "the Twilio Auth Token").secret(),
    Variable::new("SMS_BASE_URL", Delivery, "Twilio's base URL")
        .default(super::delivery::TWILIO_BASE_URL),
    Variable::new(
        "WEBHOOK_URL",
        Delivery,
        "where either channel's webhook provider posts (a query is allowed)",
    ),
    Variable::new(
        "WEBHOOK_SECRET",
        Delivery,
        "the webhook's signing secret: whsec_ and base64 of at least 24 bytes (Standard Webhooks), or at least 32 bytes",
    )
    .secret(),
    Variable::new(
        "EVENTS_URL",
        Events,
        "where the application's signed events are posted (unset: no events; a query is allowed)",
    ),
    Variable::new(
        "EVENTS_SECRET",
        Events,
        "the events' Standard Webhooks signing secret: whsec_ and base64 of at least 24 bytes",
    )
    .secret(),
];

/// The declared variable called `name`, if there is one.
pub fn variable(name: &str) -> Option<&'static Variable> {
    VARIABLES.iter().find(|v| v.name == name)
}
