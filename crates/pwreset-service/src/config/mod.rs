//! Configuration: every setting parsed and checked once, from the environment's strings.
//!
//! A bad configuration is not a panic: [`ServiceConfig::from_vars`] returns every problem found
//! (each names its variable and never echoes a secret value); the router answers every request
//! with a bare `503` and writes the problems to the log.
//!
//! Development is chosen explicitly: only `ENVIRONMENT=development` allows the outbox and the
//! `/dev/` routes, and it requires a loopback `PUBLIC_URL`. Any other value, or none, means
//! production rules: every configured URL `https://`, real providers, and none of the secrets
//! published in `.dev.vars.example`.
//!
//! Every variable read is declared once in [`VARIABLES`] (name, default, secret or not, [`Kind`],
//! section, one line of documentation); values are read through `read::Vars`, which refuses in
//! debug builds an undeclared name, a parser of another kind and a secret read as plain text (or
//! plain text as a secret), and each section has its small reader below.

use std::collections::BTreeMap;

use pwreset_core::secrets::{AccessTokenAlgorithms, Keyring, ResetCode};
use pwreset_core::{Policy, Preset};
use url::Url;

pub(crate) mod branding;
pub(crate) mod breached;
pub(crate) mod delivery;
pub(crate) mod directory;
pub(crate) mod events;
mod read;
pub(crate) mod templates;
pub(crate) mod turnstile;
pub(crate) mod variables;

pub use read::is_loopback;
use read::{Parser, Vars};
pub use variables::{Kind, Section, UrlKind, VARIABLES, Variable, variable};

pub use crate::model::secret::Secret;
pub use branding::{Branding, DEFAULT_BRAND_COLOR, MIN_CONTRAST, contrast_with_white};
pub use breached::{BreachedCheck, BreachedConfig, PWNED_PASSWORDS_URL};
pub use delivery::{DeliveryConfig, EmailTransport, SmsTransport};
pub use directory::RemoteDirectory;
pub use events::EventsConfig;
pub use templates::{MessageSettings, MessageTemplates, Part};
pub use turnstile::{TURNSTILE_VERIFY_URL, TurnstileConfig};

/// NIST SP 800-63B's ceiling for codes sent by SMS or e-mail, and the default: 10 minutes.
pub const MAX_CODE_TTL_SECS: u64 = 10 * 60;
/// The ceiling for e-mailed links: 24 hours. Default 1 hour.
pub const MAX_LINK_TTL_SECS: u64 = 24 * 60 * 60;
/// The ceiling for dialect A's signed payload (the step between a right code and the new
/// password): 1 hour. Default 15 minutes.
pub const MAX_PAYLOAD_TTL_SECS: u64 = 60 * 60;
/// The ceiling for access tokens: 24 hours. Default 1 hour.
pub const MAX_ACCESS_TOKEN_TTL_SECS: u64 = 24 * 60 * 60;
/// The floor of `REFUSAL_MIN_MS` outside development: below it, a store's own timing shows.
pub const MIN_REFUSAL_MIN_MS: u64 = 100;
/// The ceiling of `REFUSAL_MIN_MS`: 5 seconds.
pub const MAX_REFUSAL_MIN_MS: u64 = 5_000;
/// The shortest admin token accepted.
pub const MIN_ADMIN_TOKEN_LEN: usize = 24;
/// The shortest dialect C API key accepted (`API_KEYS`).
pub const MIN_API_KEY_LEN: usize = 16;
/// The shortest introspection token accepted (`INTROSPECTION_TOKENS`).
pub const MIN_INTROSPECTION_TOKEN_LEN: usize = 32;
/// The `aud` claim of every access token.
pub const TOKEN_AUDIENCE: &str = "pwreset";

/// `.dev.vars.example`, the development settings: its secrets are public, so they are refused
/// outside development. Read from the file itself, so the values are written in one place.
const DEV_VARS_EXAMPLE: &str = include_str!("../../../../.dev.vars.example");

/// The URL variables whose section checks `https://` itself, with their other rules, so that a
/// bad one is reported once (the user directory: `http://` only to a loopback host). Every other
/// [`Kind::Url`] variable is held to `https://` outside development by [`read_environment`].
const OWN_HTTPS_RULE: [&str; 1] = ["USER_DIRECTORY_URL"];

/// The value `.dev.vars.example` gives `name`, if it sets one.
pub fn example_value(name: &str) -> Option<&'static str> {
    DEV_VARS_EXAMPLE.lines().find_map(|line| {
        let value = line.trim().strip_prefix(name)?.strip_prefix('=')?.trim();
        (!value.is_empty()).then_some(value)
    })
}

/// Which rules the configuration is held to (`ENVIRONMENT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// `ENVIRONMENT=development`, exactly: the outbox and the `/dev/` routes may exist, URLs may be
    /// `http://`, and `PUBLIC_URL` must be a loopback address.
    Development,
    /// Any other value, or none: real providers, `https://` everywhere, no example secrets.
    Production,
}

impl Environment {
    /// Reads `ENVIRONMENT`'s value: only `development` (surrounding blanks aside) is development.
    pub fn from_value(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some("development") => Environment::Development,
            _ => Environment::Production,
        }
    }

    /// Whether this is development.
    pub fn is_development(self) -> bool {
        self == Environment::Development
    }
}

/// The whole checked configuration.
pub struct ServiceConfig {
    /// Development or production rules (`ENVIRONMENT`).
    pub environment: Environment,
    /// The base of every link in a message (no trailing slash).
    pub public_url: String,
    /// Signing keys; the newest signs.
    pub keyring: Keyring,
    /// The admin bearer token; admin routes answer 401 without one configured.
    pub admin_token: Option<Secret>,
    /// Dialect B clients: id → allowed origins.
    pub clients: BTreeMap<String, Vec<String>>,
    /// Dialect C API keys.
    pub api_keys: Vec<Secret>,
    /// Which access tokens verify (`ACCESS_TOKEN_ACCEPT_HS256`): new ones are always `EdDSA`;
    /// HS256 ones too only during a transition.
    pub access_token_algorithms: AccessTokenAlgorithms,
    /// The bearer tokens of `POST /oauth/introspect` (`INTROSPECTION_TOKENS`); none: it answers
    /// 401 to every caller.
    pub introspection_tokens: Vec<Secret>,
    /// The password policy of dialects A and B (`PASSWORD_POLICY`, default `django`).
    pub policy: Policy,
    /// Dialect C's settings.
    pub user_api: UserApi,
    /// Lifetimes, in seconds.
    pub lifetimes: Lifetimes,
    /// Digits of a numeric code.
    pub code_digits: u8,
    /// How long a refused secret takes at least (`REFUSAL_MIN_MS`), see [`crate::refusal`].
    pub refusal_min_ms: u64,
    /// Delivery providers, and how e-mails look and read (`delivery.messages`).
    pub delivery: DeliveryConfig,
    /// The brand e-mails show, for pages to show too (`BRAND_*`, `SUPPORT_EMAIL`).
    pub branding: Branding,
    /// The breached-password check.
    pub breached: BreachedConfig,
    /// The application's user service, when accounts live there (`USER_DIRECTORY_URL`).
    pub directory: Option<RemoteDirectory>,
    /// Where the application's events go (`EVENTS_URL`); `None`: no event is queued.
    pub events: Option<EventsConfig>,
    /// Cloudflare Turnstile, when both keys are set (`TURNSTILE_*`); `None`: no check.
    pub turnstile: Option<TurnstileConfig>,
}

impl std::fmt::Debug for ServiceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceConfig")
            .field("environment", &self.environment)
            .field("public_url", &self.public_url)
            .field("keyring", &self.keyring)
            .field("clients", &self.clients.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Dialect C ("user"): where it is mounted, its policy, and whether it keeps the original API's
/// existence-revealing answers.
pub struct UserApi {
    /// `USER_API_PREFIX`, default `api`.
    pub prefix: String,
    /// `USER_API_VERSION`, default `v1`.
    pub version: String,
    /// `USER_API_PASSWORD_POLICY`, default the `seed-002` preset.
    pub policy: Policy,
    /// `USER_API_REVEAL_ACCOUNTS=on`: forgot-password answers `401` for an unknown identifier and
    /// for an e-mail shared by several accounts, as the original API did. Off by default: those
    /// answers tell anyone which accounts exist.
    pub reveal_accounts: bool,
}

impl UserApi {
    /// The base path, e.g. `/api/v1/user/`.
    pub fn base(&self) -> String {
        format!("/{}/{}/user/", self.prefix, self.version)
    }
}

/// How long each kind of secret lives, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetimes {
    /// Numeric codes (`CODE_TTL_SECONDS`, ≤ 600).
    pub code: u64,
    /// Link tokens (`LINK_TTL_SECONDS`, ≤ 86,400).
    pub link: u64,
    /// Dialect A's signed payload (`SIGNED_PAYLOAD_TTL_SECONDS`, ≤ 3,600).
    pub payload: u64,
    /// Access tokens (`ACCESS_TOKEN_TTL_SECONDS`, ≤ 86,400).
    pub access_token: u64,
}

/// Every problem found in a configuration, each naming its variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblems(pub Vec<String>);

impl std::fmt::Display for ConfigProblems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

impl ServiceConfig {
    /// Whether a configured policy needs strength estimates (`min_score`).
    pub fn needs_strength(&self) -> bool {
        self.policy.needs_strength() || self.user_api.policy.needs_strength()
    }

    /// Reads and checks every setting through `get` (a variable's value, `None` when unset), one
    /// section of [`VARIABLES`] after another; every name read is declared there.
    pub fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigProblems> {
        let mut vars = Vars::new(get);
        let (environment, public_url) = read_environment(&mut vars);
        let keys = read_keys_and_clients(&mut vars, environment);
        let (policy, user_api) = read_policies(&mut vars);
        let (lifetimes, code_digits) = read_lifetimes_and_codes(&mut vars);
        let refusal_min_ms = read_refusal(&mut vars, environment);
        let breached = BreachedConfig::read(&mut vars);
        let directory = RemoteDirectory::read(&mut vars, environment);
        let delivery = read_delivery(&mut vars, environment);
        let branding = Branding::read(&mut vars);
        let templates = MessageTemplates::read(&mut vars);
        let events = EventsConfig::read(&mut vars);
        let turnstile = TurnstileConfig::read(&mut vars, environment);
        let delivery = delivery.map(|delivery| DeliveryConfig {
            messages: MessageSettings {
                branding: branding.clone(),
                templates,
            },
            ..delivery
        });

        // With the check on, every policy reports `password_breached`.
        let (policy, user_api) = if breached.mode == BreachedCheck::Off {
            (policy, user_api)
        } else {
            (
                with_breached_rule(policy),
                UserApi {
                    policy: with_breached_rule(user_api.policy),
                    ..user_api
                },
            )
        };
        match (keys.keyring, delivery) {
            (Some(keyring), Some(delivery)) if vars.problems.is_empty() => Ok(Self {
                environment,
                public_url,
                keyring,
                admin_token: keys.admin_token,
                clients: keys.clients,
                api_keys: keys.api_keys,
                access_token_algorithms: keys.access_token_algorithms,
                introspection_tokens: keys.introspection_tokens,
                policy,
                user_api,
                lifetimes,
                code_digits,
                refusal_min_ms,
                delivery,
                branding,
                breached,
                directory,
                events,
                turnstile,
            }),
            _ => Err(ConfigProblems(vars.problems)),
        }
    }

    /// The origins client `id` may call from; `None` for an unknown client.
    pub fn client_origins(&self, id: &str) -> Option<&[String]> {
        self.clients.get(id).map(Vec::as_slice)
    }

    /// Whether any client registered `origin` (CORS preflights carry no client id).
    pub fn origin_is_registered(&self, origin: &str) -> bool {
        self.clients.values().flatten().any(|o| o == origin)
    }
}

/// `ENVIRONMENT` and `PUBLIC_URL` (the public URL empty when refused); outside development, every
/// configured URL must be `https://`.
fn read_environment(vars: &mut Vars<'_>) -> (Environment, String) {
    let environment = vars.environment();
    let public_url = vars.required(
        "PUBLIC_URL",
        " is missing: set it to the site links should point to",
        read::url_with(UrlKind::Base, |url| {
            if environment.is_development() && !is_loopback(url) {
                return Err(" must be a loopback address (127.0.0.0/8, [::1] or localhost) with ENVIRONMENT=development; a public site runs under production rules".to_owned());
            }
            Ok(())
        }),
    );
    if !environment.is_development() {
        // The value is never repeated (a webhook URL may carry a token in its query). A URL that
        // does not parse gets its fault where it is read, not this problem too.
        for v in VARIABLES
            .iter()
            .filter(|v| !OWN_HTTPS_RULE.contains(&v.name))
        {
            let Kind::Url(kind) = v.kind else { continue };
            let parsed = vars
                .text(v.name)
                .and_then(|text| read::parse_url(&text, kind).ok());
            if parsed.is_some_and(|url| url.scheme() != "https") {
                vars.problem(
                    v.name,
                    " must be an https:// URL outside ENVIRONMENT=development",
                );
            }
        }
    }
    (environment, public_url.unwrap_or_default())
}

/// What [`read_keys_and_clients`] found.
struct KeysAndClients {
    keyring: Option<Keyring>,
    admin_token: Option<Secret>,
    clients: BTreeMap<String, Vec<String>>,
    api_keys: Vec<Secret>,
    access_token_algorithms: AccessTokenAlgorithms,
    introspection_tokens: Vec<Secret>,
}

/// `KEYS`, `ACCESS_TOKEN_ACCEPT_HS256`, `ADMIN_TOKEN`, `CLIENTS`, `API_KEYS` and
/// `INTROSPECTION_TOKENS`; outside development, no secret variable (of any section) may hold a
/// secret `.dev.vars.example` publishes.
fn read_keys_and_clients(vars: &mut Vars<'_>, environment: Environment) -> KeysAndClients {
    if !environment.is_development() {
        example_secret_problems(vars);
    }
    let keyring = vars.required_secret(
        "KEYS",
        " is missing: add a key made by `pwreset keygen`",
        Parser::new(Kind::Keyring, |text: &str| {
            Keyring::parse(text).map_err(|e| format!(": {e}"))
        }),
    );
    let accept_hs256 = vars.or_declared("ACCESS_TOKEN_ACCEPT_HS256", read::switch());
    KeysAndClients {
        keyring,
        access_token_algorithms: if accept_hs256 {
            AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256
        } else {
            AccessTokenAlgorithms::EDDSA_ONLY
        },
        admin_token: vars.optional_secret(
            "ADMIN_TOKEN",
            read::secret(MIN_ADMIN_TOKEN_LEN, || {
                format!(" is too short: use at least {MIN_ADMIN_TOKEN_LEN} random characters")
            }),
        ),
        clients: vars.or_empty(
            "CLIENTS",
            BTreeMap::new(),
            Parser::new(Kind::Clients, |text: &str| {
                parse_clients(text, environment).map_err(|problem| format!(": {problem}"))
            }),
        ),
        api_keys: vars
            .optional_secret(
                "API_KEYS",
                read::secret_list(MIN_API_KEY_LEN, || {
                    format!(": every key needs at least {MIN_API_KEY_LEN} characters")
                }),
            )
            .unwrap_or_default(),
        introspection_tokens: vars
            .optional_secret(
                "INTROSPECTION_TOKENS",
                read::secret_list(MIN_INTROSPECTION_TOKEN_LEN, || {
                    format!(
                        ": every token needs at least {MIN_INTROSPECTION_TOKEN_LEN} random characters"
                    )
                }),
            )
            .unwrap_or_default(),
    }
}

/// `PASSWORD_POLICY` and dialect C's `USER_API_*`.
fn read_policies(vars: &mut Vars<'_>) -> (Policy, UserApi) {
    let policy = || {
        Parser::new(Kind::Policy, |text: &str| {
            parse_policy(text).map_err(|problem| format!(": {problem}"))
        })
    };
    let segment = || {
        Parser::new(Kind::PathSegment, |text: &str| {
            let fits = (1..=32).contains(&text.len())
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            fits.then(|| text.to_owned())
                .ok_or_else(|| " must be 1-32 letters, digits, - or _".to_owned())
        })
    };
    let password_policy = vars.or_declared("PASSWORD_POLICY", policy());
    let user_api = UserApi {
        prefix: vars.or_declared("USER_API_PREFIX", segment()),
        version: vars.or_declared("USER_API_VERSION", segment()),
        policy: vars.or_declared("USER_API_PASSWORD_POLICY", policy()),
        reveal_accounts: vars.or_declared("USER_API_REVEAL_ACCOUNTS", read::switch()),
    };
    if !cfg!(feature = "strength")
        && (password_policy.needs_strength() || user_api.policy.needs_strength())
    {
        vars.problem(
            "PASSWORD_POLICY/USER_API_PASSWORD_POLICY",
            ": min_score needs zxcvbn, which this build leaves out; build the Worker with its default features (`make worker`, without WORKER_NO_DEFAULT_FEATURES)",
        );
    }
    (password_policy, user_api)
}

/// The four lifetimes and `CODE_DIGITS`.
fn read_lifetimes_and_codes(vars: &mut Vars<'_>) -> (Lifetimes, u8) {
    let mut seconds = |name: &str, max: u64, why: &'static str| {
        let refusal =
            move || format!(" must be a whole number of seconds from 60 to {max} ({why})");
        vars.or_declared(name, read::whole_number(60..=max, refusal))
    };
    let lifetimes = Lifetimes {
        code: seconds(
            "CODE_TTL_SECONDS",
            MAX_CODE_TTL_SECS,
            "NIST SP 800-63B: codes sent by SMS or e-mail live at most 10 minutes",
        ),
        link: seconds(
            "LINK_TTL_SECONDS",
            MAX_LINK_TTL_SECS,
            "e-mailed links live at most 24 hours",
        ),
        payload: seconds(
            "SIGNED_PAYLOAD_TTL_SECONDS",
            MAX_PAYLOAD_TTL_SECS,
            "the step after a right code",
        ),
        access_token: seconds(
            "ACCESS_TOKEN_TTL_SECONDS",
            MAX_ACCESS_TOKEN_TTL_SECS,
            "access tokens live at most 24 hours",
        ),
    };
    let digits = ResetCode::MIN_DIGITS..=ResetCode::MAX_DIGITS;
    let refusal = || {
        format!(
            " must be {} to {}",
            ResetCode::MIN_DIGITS,
            ResetCode::MAX_DIGITS
        )
    };
    let code_digits = vars.or_declared("CODE_DIGITS", read::whole_number(digits, refusal));
    (lifetimes, code_digits)
}

/// `REFUSAL_MIN_MS`: at least [`MIN_REFUSAL_MIN_MS`] outside development.
fn read_refusal(vars: &mut Vars<'_>, environment: Environment) -> u64 {
    let refusal = || {
        format!(
            " must be a whole number of milliseconds from {MIN_REFUSAL_MIN_MS} to {MAX_REFUSAL_MIN_MS} (from 0 with ENVIRONMENT=development): below that, how long a refusal takes tells whether the name exists"
        )
    };
    let ms = vars.or_declared(
        "REFUSAL_MIN_MS",
        read::whole_number(0..=MAX_REFUSAL_MIN_MS, refusal),
    );
    if ms < MIN_REFUSAL_MIN_MS && !environment.is_development() {
        // The same problem as a value out of range; the configuration is refused.
        vars.problem("REFUSAL_MIN_MS", refusal());
        return MIN_REFUSAL_MIN_MS;
    }
    ms
}

/// The providers; outside development, neither channel may use the outbox.
fn read_delivery(vars: &mut Vars<'_>, environment: Environment) -> Option<DeliveryConfig> {
    let delivery = DeliveryConfig::read(vars)?;
    if !environment.is_development() {
        let outboxes = [
            ("EMAIL_PROVIDER", delivery.email == EmailTransport::Outbox),
            ("SMS_PROVIDER", delivery.sms == SmsTransport::Outbox),
        ];
        for (name, _) in outboxes.into_iter().filter(|(_, outbox)| *outbox) {
            vars.problem(
                name,
                " is outbox (the default when unset), which publishes every message at /dev/outbox: outside ENVIRONMENT=development set a real provider",
            );
        }
    }
    Some(delivery)
}

/// The same policy with the breached-password rule on.
fn with_breached_rule(policy: Policy) -> Policy {
    let mut settings = policy.settings().clone();
    settings.breached = true;
    Policy::new(settings).unwrap_or(policy)
}

/// Outside development: no secret variable may hold a secret `.dev.vars.example` publishes, in
/// any position of a list (a keyring entry is compared by its key, whatever its id). Never
/// repeats a value.
fn example_secret_problems(vars: &mut Vars<'_>) {
    /// What of a list item is compared: a keyring entry's key, any other item whole.
    fn compared(kind: Kind, item: &str) -> &str {
        match item.split_once(':') {
            Some((_, key)) if kind == Kind::Keyring => key,
            _ => item,
        }
    }
    for v in VARIABLES.iter().filter(|v| v.secret) {
        let Some(example) = example_value(v.name) else {
            continue;
        };
        let Some(given) = vars.secret_text(v.name) else {
            continue;
        };
        let examples: Vec<&str> = read::list_items(example)
            .into_iter()
            .map(|item| compared(v.kind, item))
            .collect();
        let published = read::list_items(given.expose())
            .into_iter()
            .any(|item| examples.contains(&compared(v.kind, item)));
        if published {
            vars.problem(
                v.name,
                " holds a value published in .dev.vars.example, for development only: outside ENVIRONMENT=development set a secret of your own",
            );
        }
    }
}

/// `{"client-id": ["https://app.example", ...], ...}`; origins `https://` outside development.
fn parse_clients(
    text: &str,
    environment: Environment,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let clients: BTreeMap<String, Vec<String>> = serde_json::from_str(text).map_err(|_| {
        "expected a JSON object of client ids to lists of origins, e.g. {\"web\":[\"https://app.example\"]}".to_owned()
    })?;
    for (id, origins) in &clients {
        if id.is_empty() || id.len() > 128 {
            return Err("client ids must be 1-128 characters".into());
        }
        if origins.is_empty() {
            return Err(format!("client {id:?} has no origins"));
        }
        if let Some(bad) = origins.iter().find(|o| !is_origin(o)) {
            return Err(format!(
                "client {id:?}: {bad:?} is not an origin as browsers send it, like https://app.example (scheme, lower-case host, port only when not the default)"
            ));
        }
        if !environment.is_development()
            && let Some(bad) = origins
                .iter()
                .find(|o| Url::parse(o).is_ok_and(|url| url.scheme() != "https"))
        {
            return Err(format!(
                "client {id:?}: {bad:?} must be an https:// origin outside ENVIRONMENT=development"
            ));
        }
    }
    Ok(clients)
}

/// `scheme://host[:port]`, exactly as a browser's `Origin` header spells it (the `Origin` of a
/// request is compared with it as text).
fn is_origin(text: &str) -> bool {
    Url::parse(text).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host().is_some()
            && url.origin().ascii_serialization() == text
    })
}

/// A preset name (`django`, `nist`, `seed-002`) or a JSON policy document.
pub(crate) fn parse_policy(text: &str) -> Result<Policy, String> {
    if text.starts_with('{') {
        return Policy::from_json(text).map_err(|e| e.to_string());
    }
    text.parse::<Preset>().map(Policy::preset).map_err(|_| {
        format!("unknown preset {text:?}: use django, nist, seed-002 or a JSON policy")
    })
}
