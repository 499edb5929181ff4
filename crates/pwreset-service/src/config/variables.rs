//! Every variable the service reads, declared once: [`VARIABLES`].
//!
//! The configuration reads through this table: [`super::read::Vars`] refuses, in debug builds, a
//! name it does not list, a parser of another [`Kind`] than the declared one, and a secret read by
//! a reader that is not for secrets (or the other way round). `tests/config.rs` checks that every
//! entry is read, that each kind says how its variable is read, and that `docs/api.md`'s
//! configuration table gives exactly these variables, defaults, kinds and secret flags. The rules
//! over several variables read the table too: every [`Kind::Url`] is `https://` outside
//! development, and no `secret` may hold a value `.dev.vars.example` gives it.

use std::fmt;

use pwreset_core::secrets::ResetCode;

use crate::model::secret::SigningKey;

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
    /// The brand e-mails (and pages) show, and the operator's message templates.
    Branding,
    /// The application's signed events.
    Events,
    /// Cloudflare Turnstile on the forgot page and, optionally, the JSON request routes.
    Turnstile,
}

/// What a URL variable is for, and so what else it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    /// A base that paths are appended to: no query; kept without a trailing `/`.
    Base,
    /// An address called or linked to as it is (a webhook's, the brand's site or logo): a
    /// query allowed (it may carry a token).
    Endpoint,
}

/// How a variable's value is read: what its parser accepts, before the rules that depend on the
/// environment (`https://` outside development, no published secrets, a floor or two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `development`, or anything else for production: never refused.
    Environment,
    /// `on` or `off`.
    Switch,
    /// A whole number in a range.
    WholeNumber {
        /// The least accepted.
        min: u64,
        /// The most accepted.
        max: u64,
    },
    /// One of these words, exactly.
    OneOf(&'static [&'static str]),
    /// One of these words, in any case.
    OneOfAnyCase(&'static [&'static str]),
    /// An absolute `http(s)` URL with a host, without credentials or fragment.
    Url(UrlKind),
    /// The signing keyring: `pwreset keygen` entries `ID:KEY`.
    Keyring,
    /// Dialect B's clients: a JSON object of client id to origins.
    Clients,
    /// A password policy: a preset name or a JSON policy document.
    Policy,
    /// A path segment: 1-32 letters, digits, `-` or `_`.
    PathSegment,
    /// An e-mail sender: `name@example.com` or `Name <name@example.com>`.
    EmailSender,
    /// A plain e-mail address, `name@example.com`.
    EmailAddress,
    /// One line of text, without control characters.
    Text {
        /// The most characters accepted.
        max: usize,
    },
    /// A colour `#rgb` or `#rrggbb` that white text is readable on.
    Color,
    /// The operator's message templates: JSON of language to kind to templates.
    MessageTemplates,
    /// Letters and digits.
    Alphanumeric,
    /// An SMS sender: an E.164 number, an alphanumeric sender id or a Messaging Service SID.
    SmsSender,
    /// A secret of at least `min` characters.
    Secret {
        /// The fewest characters accepted.
        min: usize,
    },
    /// Secrets separated by commas or white space, each of at least `min` characters.
    SecretList {
        /// The fewest characters accepted in each.
        min: usize,
    },
    /// A secret as given, without spaces or control characters.
    Credential,
    /// A Standard Webhooks secret (`whsec_` and base64), or with `raw_min`, any other secret of
    /// at least that many bytes.
    SigningSecret {
        /// The fewest bytes of a secret in the webhook's own form; `None`: only `whsec_`.
        raw_min: Option<usize>,
    },
}

/// The words, in backticks, separated by commas.
fn words(f: &mut fmt::Formatter<'_>, words: &[&str]) -> fmt::Result {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    f.write_str(&quoted.join(", "))
}

/// The kind in a few words, as docs/api.md's configuration table gives it.
impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let standard = SigningKey::MIN_STANDARD_BYTES;
        match *self {
            Kind::Environment => f.write_str("`development`, or anything else for production"),
            Kind::Switch => f.write_str("`on`/`off`"),
            Kind::WholeNumber { min, max } => write!(f, "whole number {min}–{max}"),
            Kind::OneOf(choices) => {
                f.write_str("one of: ")?;
                words(f, choices)
            }
            Kind::OneOfAnyCase(choices) => {
                f.write_str("one of (any case): ")?;
                words(f, choices)
            }
            Kind::Url(UrlKind::Base) => f.write_str("http(s) URL, no query"),
            Kind::Url(UrlKind::Endpoint) => f.write_str("http(s) URL, query allowed"),
            Kind::Keyring => f.write_str("keyring: `ID:KEY` entries"),
            Kind::Clients => f.write_str("JSON: client id → origins"),
            Kind::Policy => f.write_str("preset name or JSON policy"),
            Kind::PathSegment => f.write_str("1–32 letters, digits, `-`, `_`"),
            Kind::EmailSender => f.write_str("e-mail address"),
            Kind::EmailAddress => f.write_str("plain e-mail address"),
            Kind::Text { max } => write!(f, "text, at most {max} characters"),
            Kind::Color => write!(
                f,
                "`#rgb` or `#rrggbb`, contrast with white at least {}:1",
                super::branding::MIN_CONTRAST
            ),
            Kind::MessageTemplates => {
                f.write_str("JSON: language → kind → `subject`/`text`/`html` templates")
            }
            Kind::Alphanumeric => f.write_str("letters and digits"),
            Kind::SmsSender => f.write_str("E.164 number, sender id or `MG…` SID"),
            Kind::Secret { min } => write!(f, "secret, at least {min} characters"),
            Kind::SecretList { min } => write!(f, "secrets, each at least {min} characters"),
            Kind::Credential => f.write_str("secret without spaces"),
            Kind::SigningSecret { raw_min: None } => {
                write!(f, "`whsec_` + base64 of at least {standard} bytes")
            }
            Kind::SigningSecret { raw_min: Some(min) } => write!(
                f,
                "`whsec_` + base64 of at least {standard} bytes, or at least {min} bytes"
            ),
        }
    }
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
    /// How its value is read.
    pub kind: Kind,
    /// The section that reads it.
    pub section: Section,
    /// What it sets, in one line.
    pub doc: &'static str,
}

impl Variable {
    const fn new(name: &'static str, section: Section, kind: Kind, doc: &'static str) -> Self {
        Self {
            name,
            default: None,
            secret: false,
            kind,
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

/// A lifetime: whole seconds from 60 to `max`.
const fn seconds(max: u64) -> Kind {
    Kind::WholeNumber { min: 60, max }
}

/// Every variable the service reads, each once, by section.
pub const VARIABLES: &[Variable] = &[
    Variable::new(
        "ENVIRONMENT",
        Environment,
        Kind::Environment,
        "`development` for development rules; anything else, or none, is production",
    )
    .default("production"),
    Variable::new(
        "PUBLIC_URL",
        Environment,
        Kind::Url(UrlKind::Base),
        "the base of every link in a message: loopback in development, https:// elsewhere",
    ),
    Variable::new(
        "KEYS",
        KeysAndClients,
        Kind::Keyring,
        "the signing keyring: `pwreset keygen` entries ID:KEY, newest first",
    )
    .secret(),
    Variable::new(
        "ACCESS_TOKEN_ACCEPT_HS256",
        KeysAndClients,
        Kind::Switch,
        "`on` also accepts the HS256 access tokens of earlier releases (a transition); new ones are EdDSA",
    )
    .default("off"),
    Variable::new(
        "ADMIN_TOKEN",
        KeysAndClients,
        Kind::Secret { min: super::MIN_ADMIN_TOKEN_LEN },
        "the bearer token of the admin routes, at least 24 characters (unset: they answer 401)",
    )
    .secret(),
    Variable::new(
        "CLIENTS",
        KeysAndClients,
        Kind::Clients,
        "dialect B's clients: a JSON object of client id to its browser origins",
    ),
    Variable::new(
        "API_KEYS",
        KeysAndClients,
        Kind::SecretList { min: super::MIN_API_KEY_LEN },
        "dialect C's apikey values, separated by commas or white space",
    )
    .secret(),
    Variable::new(
        "INTROSPECTION_TOKENS",
        KeysAndClients,
        Kind::SecretList { min: super::MIN_INTROSPECTION_TOKEN_LEN },
        "the bearer tokens of POST /oauth/introspect, each at least 32 characters (unset: it answers 401)",
    )
    .secret(),
    Variable::new(
        "PASSWORD_POLICY",
        Policies,
        Kind::Policy,
        "the policy of dialects A and B: a preset name or a JSON policy document",
    )
    .default("django"),
    Variable::new(
        "USER_API_PASSWORD_POLICY",
        Policies,
        Kind::Policy,
        "dialect C's policy: a preset name or a JSON policy document",
    )
    .default("seed-002"),
    Variable::new(
        "USER_API_PREFIX",
        Policies,
        Kind::PathSegment,
        "the first segment of dialect C's path, 1-32 letters, digits, - or _",
    )
    .default("api"),
    Variable::new(
        "USER_API_VERSION",
        Policies,
        Kind::PathSegment,
        "the second segment of dialect C's path, 1-32 letters, digits, - or _",
    )
    .default("v1"),
    Variable::new(
        "USER_API_REVEAL_ACCOUNTS",
        Policies,
        Kind::Switch,
        "`on` restores dialect C's existence-revealing 401s; `off` keeps them out",
    )
    .default("off"),
    Variable::new(
        "CODE_TTL_SECONDS",
        LifetimesAndCodes,
        seconds(super::MAX_CODE_TTL_SECS),
        "lifetime of e-mailed and SMS codes, 60-600 seconds",
    )
    .default("600"),
    Variable::new(
        "LINK_TTL_SECONDS",
        LifetimesAndCodes,
        seconds(super::MAX_LINK_TTL_SECS),
        "lifetime of reset links (by e-mail, or by SMS from the forgot page), 60-86400 seconds",
    )
    .default("3600"),
    Variable::new(
        "SIGNED_PAYLOAD_TTL_SECONDS",
        LifetimesAndCodes,
        seconds(super::MAX_PAYLOAD_TTL_SECS),
        "lifetime of dialect A's signed payload, 60-3600 seconds",
    )
    .default("900"),
    Variable::new(
        "ACCESS_TOKEN_TTL_SECONDS",
        LifetimesAndCodes,
        seconds(super::MAX_ACCESS_TOKEN_TTL_SECS),
        "lifetime of access tokens, 60-86400 seconds",
    )
    .default("3600"),
    Variable::new(
        "CODE_DIGITS",
        LifetimesAndCodes,
        Kind::WholeNumber {
            min: ResetCode::MIN_DIGITS as u64,
            max: ResetCode::MAX_DIGITS as u64,
        },
        "digits of every code, 6-10",
    )
    .default("6"),
    Variable::new(
        "REFUSAL_MIN_MS",
        Refusal,
        Kind::WholeNumber {
            min: 0,
            max: super::MAX_REFUSAL_MIN_MS,
        },
        "the least milliseconds a refused secret takes, 100-5000 (from 0 in development)",
    )
    .default("500"),
    Variable::new(
        "BREACHED_CHECK",
        Breached,
        Kind::OneOf(&["off", "fail-open", "fail-closed"]),
        "`off`, `fail-open` or `fail-closed`: also refuse passwords found in Pwned Passwords",
    )
    .default("off"),
    Variable::new(
        "PWNED_PASSWORDS_URL",
        Breached,
        Kind::Url(UrlKind::Base),
        "the Pwned Passwords range API's base URL",
    )
    .default(super::breached::PWNED_PASSWORDS_URL),
    Variable::new(
        "USER_DIRECTORY_URL",
        Directory,
        Kind::Url(UrlKind::Base),
        "the application's user service, which then holds the accounts (unset: accounts in KV)",
    ),
    Variable::new(
        "USER_DIRECTORY_SECRET",
        Directory,
        Kind::Secret {
            min: super::directory::MIN_SECRET_BYTES,
        },
        "the HMAC secret of the user service's calls and answers, at least 32 characters",
    )
    .secret(),
    Variable::new(
        "USER_DIRECTORY_HASH_FORMAT",
        Directory,
        Kind::OneOf(&["phc", "django"]),
        "how new argon2id hashes are handed to the user service: `phc` or `django` (`argon2$argon2id$…`)",
    )
    .default("phc"),
    Variable::new(
        "USER_DIRECTORY_HASH_LIMITS",
        Directory,
        Kind::OneOf(&["default", "django"]),
        "the most a stored hash may cost to verify: `default`, or `django` to admit Django's argon2 (m=102400, p=8)",
    )
    .default("default"),
    Variable::new(
        "EMAIL_PROVIDER",
        Delivery,
        Kind::OneOfAnyCase(&["outbox", "resend", "postmark", "sendgrid", "webhook"]),
        "`outbox` (development only), `resend`, `postmark`, `sendgrid` or `webhook`",
    )
    .default("outbox"),
    Variable::new(
        "EMAIL_FROM",
        Delivery,
        Kind::EmailSender,
        "the sender of e-mail through an API: name@example.com or Name <name@example.com>",
    ),
    Variable::new(
        "EMAIL_API_KEY",
        Delivery,
        Kind::Credential,
        "the Resend or SendGrid API key, or the Postmark server token",
    )
    .secret(),
    Variable::new(
        "EMAIL_BASE_URL",
        Delivery,
        Kind::Url(UrlKind::Base),
        "the e-mail API's base URL (unset: the provider's own)",
    ),
    Variable::new(
        "SMS_PROVIDER",
        Delivery,
        Kind::OneOfAnyCase(&["outbox", "twilio", "webhook"]),
        "`outbox` (development only), `twilio` or `webhook`",
    )
    .default("outbox"),
    Variable::new(
        "SMS_FROM",
        Delivery,
        Kind::SmsSender,
        "Twilio's sender: an E.164 number, an alphanumeric sender id or a Messaging Service SID",
    ),
    Variable::new(
        "TWILIO_ACCOUNT_SID",
        Delivery,
        Kind::Alphanumeric,
        "the Twilio Account SID (AC...)",
    ),
    Variable::new(
        "TWILIO_AUTH_TOKEN",
        Delivery,
        Kind::Credential,
        "the Twilio Auth Token",
    )
    .secret(),
    Variable::new("SMS_BASE_URL", Delivery, Kind::Url(UrlKind::Base), "Twilio's base URL")
        .default(super::delivery::TWILIO_BASE_URL),
    Variable::new(
        "WEBHOOK_URL",
        Delivery,
        Kind::Url(UrlKind::Endpoint),
        "where either channel's webhook provider posts (a query is allowed)",
    ),
    Variable::new(
        "WEBHOOK_SECRET",
        Delivery,
        Kind::SigningSecret {
            raw_min: Some(super::delivery::MIN_WEBHOOK_SECRET_BYTES),
        },
        "the webhook's signing secret: whsec_ and base64 of at least 24 bytes (Standard Webhooks), or at least 32 bytes",
    )
    .secret(),
    Variable::new(
        "BRAND_NAME",
        Branding,
        Kind::Text {
            max: super::branding::MAX_BRAND_NAME_CHARS,
        },
        "the product's name on e-mails and the hosted pages' header, also the logo's alt text (unset: none is named)",
    ),
    Variable::new(
        "BRAND_URL",
        Branding,
        Kind::Url(UrlKind::Endpoint),
        "the product's site, linked from the e-mails' logo and signature and the pages' header",
    ),
    Variable::new(
        "BRAND_LOGO_URL",
        Branding,
        Kind::Url(UrlKind::Endpoint),
        "the logo image atop every e-mail and hosted page (needs BRAND_NAME, its alt text)",
    ),
    Variable::new(
        "BRAND_COLOR",
        Branding,
        Kind::Color,
        "the e-mails' and pages' accent and button colour, #rgb or #rrggbb, at least 4.5:1 against white",
    )
    .default(super::branding::DEFAULT_BRAND_COLOR),
    Variable::new(
        "SUPPORT_EMAIL",
        Branding,
        Kind::EmailAddress,
        "the address the messages' \"contact support\" and the pages' help line name (unset: none is named)",
    ),
    Variable::new(
        "MESSAGE_TEMPLATES",
        Branding,
        Kind::MessageTemplates,
        "the operator's e-mail templates: JSON of language to kind to subject, text and html (minijinja)",
    ),
    Variable::new(
        "EVENTS_URL",
        Events,
        Kind::Url(UrlKind::Endpoint),
        "where the application's signed events are posted (unset: no events; a query is allowed)",
    ),
    Variable::new(
        "EVENTS_SECRET",
        Events,
        Kind::SigningSecret { raw_min: None },
        "the events' Standard Webhooks signing secret: whsec_ and base64 of at least 24 bytes",
    )
    .secret(),
    Variable::new(
        "TURNSTILE_SITE_KEY",
        Turnstile,
        Kind::Alphanumeric,
        "the Turnstile widget's site key: with the secret key, the forgot page asks for a token (unset: no Turnstile)",
    ),
    Variable::new(
        "TURNSTILE_SECRET_KEY",
        Turnstile,
        Kind::Credential,
        "the Turnstile widget's secret key, required with the site key, sent only to TURNSTILE_VERIFY_URL",
    )
    .secret(),
    Variable::new(
        "TURNSTILE_VERIFY_URL",
        Turnstile,
        Kind::Url(UrlKind::Endpoint),
        "where Turnstile tokens are verified (siteverify)",
    )
    .default(super::turnstile::TURNSTILE_VERIFY_URL),
    Variable::new(
        "TURNSTILE_REQUEST_ROUTES",
        Turnstile,
        Kind::Switch,
        "`on` also asks the JSON request routes for a token, in the cf-turnstile-response header",
    )
    .default("off"),
];

/// The declared variable called `name`, if there is one.
pub fn variable(name: &str) -> Option<&'static Variable> {
    VARIABLES.iter().find(|v| v.name == name)
}
