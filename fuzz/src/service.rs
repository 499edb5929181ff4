//! The service harness: a configured [`Service`] over a fresh [`MemoryPlatform`] per input, one
//! seeded account, and requests the fuzzer describes (method, path from the real routes or any
//! text, query, headers, body), answered in order, with every answer checked.
//!
//! The account is created once per process through `POST /admin/users` (one argon2id hash), then
//! copied into each input's fresh platform, so a crash reproduces from its input alone.
//!
//! Two modes:
//! - [`Mode::Untrusted`]: what anyone can send. The fuzzer may use the public client id, origins and
//!   API key, but no admin token, access token, signed payload or password of the account: no
//!   request can reach argon2id, so inputs run fast. Whatever the requests, the account's password
//!   must not change.
//! - [`Mode::Holder`]: also a valid admin token, an access token and a dialect A signed payload for
//!   the account, its current password, and the newest code and link token delivered to its
//!   outbox, so the fuzzer reaches the flows behind the secrets (and their argon2id hashing: far
//!   fewer inputs per second).
//!
//! In [`Mode::Untrusted`] codes have 10 digits, so that a guessed code (which would rightly change
//! the password) has odds of 1e-10 per try instead of 1e-6.
//!
//! Checked on every answer: the status is 200..600 and never 500; a JSON answer parses; an HTML
//! answer never carries the fuzzer's markup unescaped; no answer, header or log line carries a
//! secret (the account's password and hash, the keys, the admin token, the API key, the issued
//! tokens, the tracked new password) unless the request itself carried it where it is not secret.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use futures_executor::block_on;
use pwreset_core::UnixTime;
use pwreset_core::secrets::{AccessTokenIssuer, PayloadPurpose, sign_payload};
use pwreset_service::model::account::Account;
use pwreset_service::delivery::DeliveryStore;
use pwreset_service::testing::memory::MemoryPlatform;
use pwreset_service::api::router::Mount;
use pwreset_service::ports::{Accounts, LimitRule};
use pwreset_service::{Method, Request, Response, Service};
use serde_json::{Value, json};

use crate::fixtures::{KEY_ENTRIES, NOW, keys_config};

/// The configured public URL (the access tokens' issuer): loopback, as development requires.
pub const PUBLIC_URL: &str = "http://127.0.0.1:8787";
/// The configured admin token.
pub const ADMIN_TOKEN: &str = "fuzz-admin-token-6f1d2c9b8a7e4d3c";
/// The bearer an application introspects tokens with.
pub const INTROSPECTION_TOKEN: &str = "fuzz-introspection-token-9a8b7c6d5e4f3a2b";
/// Dialect B's client and its origin.
pub const CLIENT_ID: &str = "web-app";
/// The origin [`CLIENT_ID`] registered.
pub const ORIGIN: &str = "https://app.example.test";
/// Another client's origin.
pub const OTHER_ORIGIN: &str = "https://partner.example.test";
/// Dialect C's API key.
pub const API_KEY: &str = "fuzz-api-key-0123456789abcdef";
/// The seeded account's password.
pub const OLD_PASSWORD: &str = "violet-kettle-harbor-42";
/// A new password every policy accepts, tracked: it must never be echoed or logged.
pub const NEW_PASSWORD: &str = "amber-falcon-river-58";
/// The seeded account.
pub const USERNAME: &str = "jane";
/// Its e-mail address.
pub const EMAIL: &str = "jane@example.com";
/// Its phone.
pub const PHONE: &str = "+447700900456";
/// Markup the fuzzer may place anywhere; an HTML answer must never carry it unescaped.
pub const MARKUP: &str = "\"'><fuzz-markup>";

/// Which secrets the fuzzer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Only what is public.
    Untrusted,
    /// Also the admin token, valid tokens for the account, and its password.
    Holder,
}

/// One input: which configuration, then up to four requests on one fresh platform.
#[derive(Arbitrary, Debug)]
pub struct Exchange {
    strict_config: bool,
    requests: Vec<FuzzRequest>,
}

#[derive(Arbitrary, Debug)]
struct FuzzRequest {
    method: MethodName,
    path: PathChoice,
    query: Vec<(Text, Text)>,
    raw_query: Option<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: BodyChoice,
    client_ip: ClientIp,
    /// Seconds the clock moves before the request.
    wait: Wait,
    /// Run the delivery queue after the request.
    drain: bool,
}

#[derive(Arbitrary, Debug)]
enum MethodName {
    Get,
    Head,
    Post,
    Options,
    Put,
    Delete,
    LowerPost,
    Other(String),
}

impl MethodName {
    fn name(&self) -> &str {
        match self {
            MethodName::Get => "GET",
            MethodName::Head => "HEAD",
            MethodName::Post => "POST",
            MethodName::Options => "OPTIONS",
            MethodName::Put => "PUT",
            MethodName::Delete => "DELETE",
            MethodName::LowerPost => "post",
            MethodName::Other(name) => name,
        }
    }
}

/// Every route the service answers, read from its route table: dialect C's under both bases the
/// fuzz configurations mount it at (`v1` by default, `v2` when strict), with and without the final
/// `/`.
fn routes() -> &'static [String] {
    static ROUTES: OnceLock<Vec<String>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut paths = Vec::new();
        for spec in pwreset_service::api::router::ROUTES {
            match spec.mount {
                Mount::Root => paths.push(spec.path.to_owned()),
                Mount::UserApi => {
                    for version in ["v1", "v2"] {
                        let path = format!("/api/{version}/user/{}", spec.path);
                        paths.push(path.trim_end_matches('/').to_owned());
                        paths.push(path);
                    }
                }
            }
        }
        paths
    })
}

#[derive(Arbitrary, Debug)]
enum PathChoice {
    Route(u8),
    RouteWithSuffix(u8, String),
    Any(String),
}

impl PathChoice {
    fn path(&self) -> String {
        let routes = routes();
        let route = |i: &u8| routes[usize::from(*i) % routes.len()].as_str();
        match self {
            PathChoice::Route(i) => route(i).to_owned(),
            PathChoice::RouteWithSuffix(i, suffix) => format!("{}{suffix}", route(i)),
            PathChoice::Any(path) => path.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum HeaderName {
    ClientId,
    Origin,
    ApiKey,
    Authorization,
    ContentType,
    AcceptLanguage,
    Other(String),
}

impl HeaderName {
    fn name(&self) -> &str {
        match self {
            HeaderName::ClientId => "client_id",
            HeaderName::Origin => "Origin",
            HeaderName::ApiKey => "apikey",
            HeaderName::Authorization => "Authorization",
            HeaderName::ContentType => "Content-Type",
            HeaderName::AcceptLanguage => "Accept-Language",
            HeaderName::Other(name) => name,
        }
    }

    /// Headers whose value is a credential: a secret there is not "carried openly".
    fn is_credential(&self) -> bool {
        let name = self.name();
        name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("apikey")
    }
}

#[derive(Arbitrary, Debug)]
enum HeaderValue {
    Text(Text),
    Bearer(Text),
    Json,
    Form,
}

/// A string value: any text, or one the harness knows.
#[derive(Arbitrary, Debug)]
enum Text {
    Literal(String),
    Username,
    UsernameUpper,
    Email,
    EmailUpper,
    Phone,
    AccountId,
    ClientId,
    Origin,
    OtherOrigin,
    ApiKey,
    NewPassword,
    Markup,
    Long(u16),
    /// The rest need [`Mode::Holder`]; in [`Mode::Untrusted`] they are wrong values of the same shape.
    OldPassword,
    AdminToken,
    IntrospectionToken,
    AccessToken,
    SignedPayload,
    /// The newest code sent to the account (e-mail or SMS), read from the outbox.
    SentCode,
    /// The token of the newest link sent to the account, read from the outbox.
    SentLinkToken,
}

/// What the outbox holds for the account before a request.
#[derive(Default)]
struct Sent {
    code: Option<String>,
    link_token: Option<String>,
}

impl Sent {
    fn read(platform: &MemoryPlatform) -> Self {
        let mut sent = Sent::default();
        for to in [EMAIL, PHONE] {
            let messages = block_on(platform.outbox_list(to)).unwrap_or_default();
            for message in messages {
                if sent.code.is_none() {
                    sent.code = message.code.clone();
                }
                if sent.link_token.is_none() {
                    sent.link_token = message.link.as_deref().and_then(link_token);
                }
            }
        }
        sent
    }
}

/// The `token` parameter of a link.
fn link_token(link: &str) -> Option<String> {
    let (_, query) = link.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::to_owned)
}

#[derive(Arbitrary, Debug)]
enum FieldName {
    Username,
    Email,
    Phone,
    Code,
    Token,
    SignedPayload,
    NewPasswordCamel,
    NewPasswordSnake,
    Password,
    PasswordConfirmCamel,
    PasswordConfirmSnake,
    OldPassword,
    ConfirmPassword,
    User,
    FirstName,
    LastName,
    Other(String),
}

impl FieldName {
    fn name(&self) -> &str {
        match self {
            FieldName::Username => "username",
            FieldName::Email => "email",
            FieldName::Phone => "phone",
            FieldName::Code => "code",
            FieldName::Token => "token",
            FieldName::SignedPayload => "signedPayload",
            FieldName::NewPasswordCamel => "newPassword",
            FieldName::NewPasswordSnake => "new_password",
            FieldName::Password => "password",
            FieldName::PasswordConfirmCamel => "passwordConfirm",
            FieldName::PasswordConfirmSnake => "password_confirm",
            FieldName::OldPassword => "old_password",
            FieldName::ConfirmPassword => "confirm_password",
            FieldName::User => "user",
            FieldName::FirstName => "first_name",
            FieldName::LastName => "last_name",
            FieldName::Other(name) => name,
        }
    }
}

/// Field names whose value is a secret (passwords, codes, tokens).
fn is_secret_field(name: &str) -> bool {
    matches!(
        name,
        "code"
            | "token"
            | "signedPayload"
            | "newPassword"
            | "new_password"
            | "password"
            | "passwordConfirm"
            | "password_confirm"
            | "old_password"
            | "confirm_password"
    )
}

#[derive(Arbitrary, Debug)]
enum JsonValue {
    Text(Text),
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    List(Vec<Text>),
    Object(Vec<(String, Text)>),
}

#[derive(Arbitrary, Debug)]
enum BodyChoice {
    Empty,
    Raw(Vec<u8>),
    Json(Vec<(FieldName, JsonValue)>),
    Form(Vec<(FieldName, Text)>),
    /// A JSON object padded past the 16 KiB limit (or just under it).
    Oversized {
        fields: Vec<(FieldName, Text)>,
        under: bool,
    },
}

#[derive(Arbitrary, Debug)]
enum ClientIp {
    Loopback,
    Other,
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Wait {
    None,
    Second,
    Minute,
    CodeLifetime,
    Hour,
    Day,
}

impl Wait {
    fn seconds(&self) -> u64 {
        match self {
            Wait::None => 0,
            Wait::Second => 1,
            Wait::Minute => 61,
            Wait::CodeLifetime => 601,
            Wait::Hour => 3_601,
            Wait::Day => 86_401,
        }
    }
}

/// A built request and the text of its slots, for the leak checks.
struct Built {
    request: Request,
    /// Everything a secret may be echoed back from (not credentials or password fields).
    echoable: Vec<String>,
    /// Everything a secret may be logged from (not credentials, passwords, codes or tokens).
    loggable: Vec<String>,
}

/// The configured service, the seeded account and the secrets, built once per process.
pub struct Fixture {
    default_service: Service,
    strict_service: Service,
    account: Account,
    access_token: String,
    signed_payload: String,
    /// (name, value) of everything that must not leak.
    secrets: Vec<(&'static str, String)>,
}

fn vars(strict: bool, mode: Mode) -> BTreeMap<&'static str, String> {
    let clients = json!({ CLIENT_ID: [ORIGIN], "partner-app": [OTHER_ORIGIN] });
    let mut vars: BTreeMap<&'static str, String> = [
        // Development: the outbox, which the harness reads, exists only there.
        ("ENVIRONMENT", "development".to_owned()),
        ("PUBLIC_URL", PUBLIC_URL.to_owned()),
        ("KEYS", keys_config()),
        ("ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
        ("INTROSPECTION_TOKENS", INTROSPECTION_TOKEN.to_owned()),
        ("CLIENTS", clients.to_string()),
        ("API_KEYS", API_KEY.to_owned()),
        ("EMAIL_PROVIDER", "outbox".to_owned()),
        ("SMS_PROVIDER", "outbox".to_owned()),
    ]
    .into_iter()
    .collect();
    if mode == Mode::Untrusted {
        vars.insert("CODE_DIGITS", "10".to_owned());
    }
    if strict {
        vars.insert("BREACHED_CHECK", "fail-closed".to_owned());
        vars.insert("USER_API_REVEAL_ACCOUNTS", "on".to_owned());
        vars.insert("PASSWORD_POLICY", "nist".to_owned());
        vars.insert("USER_API_VERSION", "v2".to_owned());
    }
    vars
}

fn service(strict: bool, mode: Mode) -> Service {
    let vars = vars(strict, mode);
    let service = Service::from_vars(&|name| vars.get(name).cloned());
    if let Err(problems) = service.config() {
        panic!("the fuzz configuration was refused: {problems}");
    }
    service
}

impl Fixture {
    fn new(mode: Mode) -> Self {
        let default_service = service(false, mode);
        let strict_service = service(true, mode);
        let seed = MemoryPlatform::new(NOW);
        let body = json!({
            "username": USERNAME, "email": EMAIL, "phone": PHONE, "password": OLD_PASSWORD,
            "first_name": "Jane", "last_name": "Doe",
        });
        let request = Request::new(Method::Post, "/admin/users")
            .header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
            .json(&body);
        let answer = block_on(default_service.handle(&seed, request));
        assert_eq!(answer.status, 201, "seeding the account");
        let id = answer.json_body()["id"].as_str().expect("an id").to_owned();
        let account = block_on(seed.account(&id))
            .expect("memory")
            .expect("the seeded account");
        let now = UnixTime::from_secs(NOW);
        let issuer = AccessTokenIssuer {
            issuer: PUBLIC_URL.to_owned(),
            audience: "pwreset".to_owned(),
            ttl_seconds: 3_600,
        };
        let keyring = &default_service.config().expect("checked").keyring;
        let access_token = issuer
            .issue(keyring, &account.id, &account.password_state(), now)
            .expect("token")
            .reveal()
            .to_owned();
        let signed_payload = sign_payload(
            keyring,
            PayloadPurpose::ResetAfterCode,
            &account.id,
            &account.password_state(),
            now,
            900,
        )
        .expect("payload")
        .reveal()
        .to_owned();
        let hash_tail = account
            .password_hash
            .rsplit('$')
            .next()
            .expect("a PHC string")
            .to_owned();
        let mut secrets = vec![
            ("the account's password", OLD_PASSWORD.to_owned()),
            ("the tracked new password", NEW_PASSWORD.to_owned()),
            ("the account's password hash", hash_tail),
            ("the admin token", ADMIN_TOKEN.to_owned()),
            ("the introspection token", INTROSPECTION_TOKEN.to_owned()),
            ("the API key", API_KEY.to_owned()),
            ("an access token", access_token.clone()),
            ("a signed payload", signed_payload.clone()),
        ];
        for (_, key) in KEY_ENTRIES {
            secrets.push(("a signing key", key.to_owned()));
        }
        Self {
            default_service,
            strict_service,
            account,
            access_token,
            signed_payload,
            secrets,
        }
    }

    fn text(&self, text: &Text, mode: Mode, sent: &Sent) -> String {
        let holder = mode == Mode::Holder;
        match text {
            Text::Literal(text) => text.clone(),
            Text::Username => USERNAME.to_owned(),
            Text::UsernameUpper => USERNAME.to_uppercase(),
            Text::Email => EMAIL.to_owned(),
            Text::EmailUpper => EMAIL.to_uppercase(),
            Text::Phone => PHONE.to_owned(),
            Text::AccountId => self.account.id.clone(),
            Text::ClientId => CLIENT_ID.to_owned(),
            Text::Origin => ORIGIN.to_owned(),
            Text::OtherOrigin => OTHER_ORIGIN.to_owned(),
            Text::ApiKey => API_KEY.to_owned(),
            Text::NewPassword => NEW_PASSWORD.to_owned(),
            Text::Markup => MARKUP.to_owned(),
            Text::Long(n) => "x".repeat(usize::from(*n) % 20_000),
            Text::OldPassword if holder => OLD_PASSWORD.to_owned(),
            Text::OldPassword => "violet-kettle-harbor-43".to_owned(),
            Text::AdminToken if holder => ADMIN_TOKEN.to_owned(),
            Text::AdminToken => "fuzz-admin-token-0000000000000000".to_owned(),
            Text::IntrospectionToken if holder => INTROSPECTION_TOKEN.to_owned(),
            Text::IntrospectionToken => "fuzz-introspection-token-00000000000000000".to_owned(),
            Text::AccessToken if holder => self.access_token.clone(),
            Text::AccessToken => forged(&self.access_token),
            Text::SignedPayload if holder => self.signed_payload.clone(),
            Text::SignedPayload => forged(&self.signed_payload),
            Text::SentCode => match &sent.code {
                Some(code) if holder => code.clone(),
                _ => "0".repeat(10),
            },
            Text::SentLinkToken => match &sent.link_token {
                Some(token) if holder => token.clone(),
                Some(token) => forged(token),
                None => "0".repeat(64),
            },
        }
    }

    fn build(&self, spec: &FuzzRequest, mode: Mode, sent: &Sent) -> Built {
        let mut echoable = Vec::new();
        let mut loggable = Vec::new();
        let path = spec.path.path();
        echoable.push(path.clone());
        loggable.push(path.clone());
        let query = match &spec.raw_query {
            Some(raw) => raw.clone(),
            None => spec
                .query
                .iter()
                .take(4)
                .map(|(k, v)| {
                    let (k, v) = (self.text(k, mode, sent), self.text(v, mode, sent));
                    format!("{}={}", percent_encode(&k), percent_encode(&v))
                })
                .collect::<Vec<_>>()
                .join("&"),
        };
        echoable.push(query.clone());
        for (k, v) in &spec.query {
            echoable.push(self.text(k, mode, sent));
            echoable.push(self.text(v, mode, sent));
        }
        let mut request = Request::new(Method::parse(spec.method.name()), &path);
        request.query = query;
        request.client_ip = match &spec.client_ip {
            ClientIp::Loopback => "127.0.0.1".to_owned(),
            ClientIp::Other => "203.0.113.7".to_owned(),
            ClientIp::Any(ip) => ip.clone(),
        };
        echoable.push(request.client_ip.clone());
        loggable.push(request.client_ip.clone());
        for (name, value) in spec.headers.iter().take(8) {
            let value = match value {
                HeaderValue::Text(text) => self.text(text, mode, sent),
                HeaderValue::Bearer(text) => format!("Bearer {}", self.text(text, mode, sent)),
                HeaderValue::Json => "application/json".to_owned(),
                HeaderValue::Form => "application/x-www-form-urlencoded".to_owned(),
            };
            if !name.is_credential() {
                echoable.push(value.clone());
                loggable.push(value.clone());
            }
            request.headers.push((name.name().to_owned(), value));
        }
        // A JSON body is declared as JSON unless the input chose a Content-Type of its own, so the
        // corpus keeps reaching past the routes' 415 (a raw body, or a chosen header, still
        // reaches that answer).
        let json_body = matches!(
            spec.body,
            BodyChoice::Json(_) | BodyChoice::Oversized { .. }
        );
        if json_body && request.header_value("content-type").is_none() {
            request
                .headers
                .push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        request.body = match &spec.body {
            BodyChoice::Empty => Vec::new(),
            BodyChoice::Raw(bytes) => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                echoable.push(text.clone());
                loggable.push(text);
                bytes.clone()
            }
            BodyChoice::Json(fields) => {
                let mut object = serde_json::Map::new();
                for (name, value) in fields.iter().take(8) {
                    let value = self.json(value, mode, sent);
                    let name = name.name();
                    let shown = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    if !is_secret_field(name) || !value.is_string() {
                        echoable.push(shown.clone());
                        loggable.push(shown);
                    }
                    echoable.push(name.to_owned());
                    loggable.push(name.to_owned());
                    object.insert(name.to_owned(), value);
                }
                Value::Object(object).to_string().into_bytes()
            }
            BodyChoice::Form(fields) => {
                let mut pairs = Vec::new();
                for (name, value) in fields.iter().take(8) {
                    let (name, value) = (name.name(), self.text(value, mode, sent));
                    // The reset page re-renders its form with the link (token, user) in hidden
                    // fields: echoing those to the sender is by design; passwords never.
                    if !name.contains("password") {
                        echoable.push(value.clone());
                    }
                    if !is_secret_field(name) {
                        loggable.push(value.clone());
                    }
                    echoable.push(name.to_owned());
                    loggable.push(name.to_owned());
                    pairs.push(format!(
                        "{}={}",
                        percent_encode(name),
                        percent_encode(&value)
                    ));
                }
                pairs.join("&").into_bytes()
            }
            BodyChoice::Oversized { fields, under } => {
                let mut object = serde_json::Map::new();
                for (name, value) in fields.iter().take(4) {
                    let value = self.text(value, mode, sent);
                    if !is_secret_field(name.name()) {
                        echoable.push(value.clone());
                        loggable.push(value.clone());
                    }
                    object.insert(name.name().to_owned(), Value::String(value));
                }
                let target: usize = if *under {
                    16 * 1024 - 64
                } else {
                    16 * 1024 + 1
                };
                let used = Value::Object(object.clone()).to_string().len();
                object.insert(
                    "padding".to_owned(),
                    Value::String(" ".repeat(target.saturating_sub(used + 14))),
                );
                Value::Object(object).to_string().into_bytes()
            }
        };
        Built {
            request,
            echoable,
            loggable,
        }
    }

    fn json(&self, value: &JsonValue, mode: Mode, sent: &Sent) -> Value {
        match value {
            JsonValue::Text(text) => Value::String(self.text(text, mode, sent)),
            JsonValue::Null => Value::Null,
            JsonValue::Bool(b) => Value::Bool(*b),
            JsonValue::Integer(n) => json!(n),
            JsonValue::Float(f) => json!(f),
            JsonValue::List(items) => Value::Array(
                items
                    .iter()
                    .take(4)
                    .map(|t| Value::String(self.text(t, mode, sent)))
                    .collect(),
            ),
            JsonValue::Object(members) => Value::Object(
                members
                    .iter()
                    .take(4)
                    .map(|(k, t)| (k.clone(), Value::String(self.text(t, mode, sent))))
                    .collect(),
            ),
        }
    }

    /// Fails (panics) when `answer` breaks an invariant.
    fn check(&self, built: &Built, answer: &Response, logs: &[String], sent: &Sent) {
        let route = &built.request.path;
        assert!(
            (200..600).contains(&answer.status) && answer.status != 500,
            "{route}: status {}",
            answer.status
        );
        let content_type = answer.header_value("content-type").unwrap_or_default();
        let body = String::from_utf8_lossy(&answer.body);
        if content_type.starts_with("application/json") {
            assert!(
                serde_json::from_slice::<Value>(&answer.body).is_ok(),
                "{route}: a JSON answer that does not parse"
            );
        }
        if content_type.starts_with("text/html") {
            assert!(
                !body.contains("<fuzz-markup"),
                "{route}: markup from the request rendered unescaped"
            );
        }
        let headers: String = answer
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}\n"))
            .collect();
        // A link token may be shown by the dev outbox and echoed by the reset page; never logged.
        let loggable = |secret: &str| built.loggable.iter().any(|t| carries(t, secret));
        if let Some(token) = &sent.link_token {
            let in_logs = logs.iter().any(|line| line.contains(token.as_str()));
            assert!(
                !in_logs || loggable(token),
                "{route}: a log line carries a link token"
            );
        }
        // The answer and the logs are searched first: the request's slots only when they hold it.
        let echoable = |secret: &str| built.echoable.iter().any(|t| carries(t, secret));
        for (what, secret) in &self.secrets {
            let secret = secret.as_str();
            let in_answer = body.contains(secret) || headers.contains(secret);
            assert!(
                !in_answer || echoable(secret),
                "{route}: the answer carries {what}"
            );
            let in_logs = logs.iter().any(|line| line.contains(secret));
            assert!(
                !in_logs || loggable(secret),
                "{route}: a log line carries {what}"
            );
        }
    }
}

/// A token of the same shape that does not verify (its last character changed).
fn forged(token: &str) -> String {
    let mut forged = token.to_owned();
    let last = forged.pop().unwrap_or('A');
    forged.push(if last == 'A' { 'B' } else { 'A' });
    forged
}

/// Percent-encodes everything but unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

thread_local! {
    static FIXTURE: RefCell<Option<&'static Fixture>> = const { RefCell::new(None) };
}

/// The process's fixture (a process fuzzes in one mode).
fn fixture(mode: Mode) -> &'static Fixture {
    FIXTURE.with(|cell| {
        *cell
            .borrow_mut()
            .get_or_insert_with(|| Box::leak(Box::new(Fixture::new(mode))))
    })
}

/// Builds the fixture (and hashes the seeded account's password) before fuzzing starts.
pub fn init(mode: Mode) {
    fixture(mode);
}

/// Runs one input in `mode`: a fresh platform with the seeded account and tight rate limits, then
/// each request in order, each answer checked.
pub fn run(exchange: &Exchange, mode: Mode) {
    let fixture = fixture(mode);
    let service = if exchange.strict_config {
        &fixture.strict_service
    } else {
        &fixture.default_service
    };
    let platform = MemoryPlatform::new(NOW);
    for rule in LimitRule::ALL {
        platform.set_limit(rule, 3);
    }
    assert!(block_on(platform.create_account(&fixture.account)).expect("memory"));
    for spec in exchange.requests.iter().take(4) {
        platform.advance(spec.wait.seconds());
        let sent = Sent::read(&platform);
        let built = fixture.build(spec, mode, &sent);
        let logs_before = platform.logs().len();
        let answer = block_on(service.handle(&platform, built.request.clone()));
        if spec.drain {
            block_on(platform.drain_queue(service));
        }
        let logs = platform.logs();
        let sent_after = Sent::read(&platform);
        fixture.check(&built, &answer, &logs[logs_before..], &sent_after);
    }
    if std::env::var_os("PWRESET_FUZZ_REACHED").is_some() {
        // How far inputs get, for docs/reliability.md: replay a corpus with this set and count.
        for event in ["password_changed", "account_created"] {
            let quoted = format!("\"{event}\"");
            if platform.logs().iter().any(|line| line.contains(&quoted)) {
                eprintln!("reached {event}");
            }
        }
    }
    if mode == Mode::Untrusted {
        let account = block_on(platform.account(&fixture.account.id))
            .expect("memory")
            .expect("the account");
        assert_eq!(
            account.password_hash, fixture.account.password_hash,
            "the password changed without any secret"
        );
    }
}

/// Whether `secret` shows in `text` as sent, or in `text` as a JSON string writes it: escaping can
/// make it appear where the request did not carry it whole (the `f` ending `\u001f` followed by
/// `uzz-admin-token-…` spells `fuzz-admin-token-…`), and that is an echo, not a leak.
fn carries(text: &str, secret: &str) -> bool {
    text.contains(secret)
        || serde_json::to_string(text).is_ok_and(|escaped| escaped.contains(secret))
}
