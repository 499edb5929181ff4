//! What every native test of the service shares: a configured [`Service`] over the in-memory
//! platform, request builders for each dialect, and readers for the dev outbox.
//!
//! Each test binary uses part of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_executor::block_on;
use pwreset_core::UnixTime;
use pwreset_service::delivery::{DeliveryStore, OutboundRequest, OutgoingMessage, TransportError};
use pwreset_service::guard::{GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp};
use pwreset_service::model::job::{Job, ResetVia};
use pwreset_service::ports::{
    AccountGuard, Clock, FetchedAnswer, GlobalCodes, HttpFetch, JobQueue, KeyValue, LimitRule,
    Logger, PlatformResult, RateLimits,
};
use pwreset_service::testing::memory::MemoryPlatform;
use pwreset_service::{Method, Request, Response, Service};
use serde_json::{Value, json};

/// 2026-01-01T01:00:00Z: an hour into a UTC day, so a test never crosses midnight by accident.
pub const NOW: u64 = 1_767_225_600 + 3_600;
/// The configured public URL: loopback, as development requires.
pub const PUBLIC_URL: &str = "http://127.0.0.1:8787";
/// The configured admin token.
pub const ADMIN_TOKEN: &str = "admin-token-0123456789abcdefghij";
/// Dialect B's client and its one origin.
pub const CLIENT_ID: &str = "web-app";
/// The origin [`CLIENT_ID`] registered.
pub const ORIGIN: &str = "https://app.example.test";
/// Another client, with another origin.
pub const OTHER_CLIENT_ID: &str = "partner-app";
/// The origin [`OTHER_CLIENT_ID`] registered.
pub const OTHER_ORIGIN: &str = "https://partner.example.test";

/// Dialect C's API key.
pub const API_KEY: &str = "dev-api-key-0123456789abcdef";
/// Dialect C's base path.
pub const USER_API: &str = "/api/v1/user";

/// The password every test account starts with.
pub const OLD_PASSWORD: &str = "violet-kettle-harbor-42";
/// A password every policy accepts.
pub const NEW_PASSWORD: &str = "amber-falcon-river-58";
/// Another acceptable password, for a second reset.
pub const NEWER_PASSWORD: &str = "quiet-lantern-meadow-93";

/// A 32-byte key as `pwreset keygen` prints it: random-looking bytes (many distinct values,
/// most not printable), base64url without padding.
pub fn key_material(seed: u8) -> Vec<u8> {
    (0u8..32)
        .map(|i| i.wrapping_mul(151).wrapping_add(seed).wrapping_add(0x80))
        .collect()
}

/// The keyring entry `id:KEY` for [`key_material`]`(seed)`.
pub fn key_entry(id: &str, seed: u8) -> String {
    format!("{id}:{}", URL_SAFE_NO_PAD.encode(key_material(seed)))
}

/// The variables of a working configuration: development (the outbox is allowed only there),
/// outbox providers, one key, two clients.
pub fn base_vars() -> BTreeMap<String, String> {
    let clients = json!({ CLIENT_ID: [ORIGIN], OTHER_CLIENT_ID: [OTHER_ORIGIN] });
    [
        ("ENVIRONMENT", "development".to_owned()),
        ("PUBLIC_URL", PUBLIC_URL.to_owned()),
        ("KEYS", key_entry("k1", 7)),
        ("ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
        ("CLIENTS", clients.to_string()),
        ("API_KEYS", API_KEY.to_owned()),
        ("EMAIL_PROVIDER", "outbox".to_owned()),
        ("SMS_PROVIDER", "outbox".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// A working production configuration (no `ENVIRONMENT=development`): real providers,
/// `https://` URLs and origins, secrets of its own; then `changes` (an empty value removes the
/// variable).
pub fn production_vars(changes: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut vars = vars_with(&[
        ("ENVIRONMENT", "production"),
        ("PUBLIC_URL", "https://reset.example.test"),
        ("API_KEYS", "prod-api-key-fedcba9876543210"),
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_API_KEY", "re_TestKey0123456789"),
        ("EMAIL_FROM", "no-reply@acme.test"),
        ("SMS_PROVIDER", "twilio"),
        ("SMS_FROM", "+15551234567"),
        ("TWILIO_ACCOUNT_SID", "AC0123456789abcdef"),
        ("TWILIO_AUTH_TOKEN", "tw-token-9"),
    ]);
    for (name, value) in changes {
        if value.is_empty() {
            vars.remove(*name);
        } else {
            vars.insert((*name).to_owned(), (*value).to_owned());
        }
    }
    vars
}

/// A service from `vars`, read through the same `get` a platform passes.
pub fn service_from(vars: &BTreeMap<String, String>) -> Service {
    Service::from_vars(&|name| vars.get(name).cloned())
}

/// The base variables with `changes` applied; an empty value removes the variable.
pub fn vars_with(changes: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut vars = base_vars();
    for (name, value) in changes {
        if value.is_empty() {
            vars.remove(*name);
        } else {
            vars.insert((*name).to_owned(), (*value).to_owned());
        }
    }
    vars
}

/// A service and an in-memory platform at [`NOW`].
pub struct Harness {
    /// The service under test.
    pub service: Service,
    /// Its platform.
    pub platform: MemoryPlatform,
}

/// A test account.
#[derive(Clone, Debug)]
pub struct User {
    /// Its id, as `POST /admin/users` answered.
    pub id: String,
    /// Username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// Phone in E.164, if any.
    pub phone: Option<String>,
}

impl Harness {
    /// The base configuration.
    pub fn new() -> Self {
        Self::with(&[])
    }

    /// The base configuration with `changes` (see [`vars_with`]).
    pub fn with(changes: &[(&str, &str)]) -> Self {
        let service = service_from(&vars_with(changes));
        if let Err(problems) = service.config() {
            panic!("test configuration refused: {problems}");
        }
        Self {
            service,
            platform: MemoryPlatform::new(NOW),
        }
    }

    /// Answers one request (which carries each header once: a platform writes it as given).
    pub fn send(&self, request: Request) -> Response {
        let answer = block_on(self.service.handle(&self.platform, request));
        let mut names: Vec<String> = answer
            .headers
            .iter()
            .map(|(name, _)| name.to_ascii_lowercase())
            .collect();
        names.sort();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "a header repeats: {:?}", answer.headers);
        answer
    }

    /// Runs the queue until it is empty.
    pub fn drain(&self) -> usize {
        block_on(self.platform.drain_queue(&self.service))
    }

    /// Creates an account through `POST /admin/users`.
    pub fn create_user(&self, username: &str, email: &str, phone: Option<&str>) -> User {
        let mut body = json!({ "username": username, "email": email, "password": OLD_PASSWORD });
        if let Some(phone) = phone {
            body["phone"] = json!(phone);
        }
        let answer = self.send(admin_post("/admin/users", &body));
        assert_eq!(answer.status, 201, "create user: {}", text(&answer));
        User {
            id: answer.json_body()["id"].as_str().unwrap().to_owned(),
            username: username.to_lowercase(),
            email: email.to_lowercase(),
            phone: phone.map(str::to_owned),
        }
    }

    /// The account Jane: username `jane`, e-mail `jane@example.com`, phone `+447700900456`.
    pub fn jane(&self) -> User {
        self.create_user("jane", "jane@example.com", Some("+447700900456"))
    }

    /// The account John: username `john`, e-mail `john@example.org`, phone `+447700900789`.
    pub fn john(&self) -> User {
        self.create_user("john", "john@example.org", Some("+447700900789"))
    }

    /// Every outbox message to `to`, newest first.
    pub fn outbox(&self, to: &str) -> Vec<OutgoingMessage> {
        block_on(self.platform.outbox_list(to)).expect("outbox readable")
    }

    /// The code of the newest message to `to` that carries one.
    pub fn latest_code(&self, to: &str) -> String {
        self.outbox(to)
            .into_iter()
            .find_map(|m| m.code)
            .unwrap_or_else(|| panic!("no code was sent to {to}"))
    }

    /// The link of the newest message to `to` that carries one.
    pub fn latest_link(&self, to: &str) -> String {
        self.outbox(to)
            .into_iter()
            .find_map(|m| m.link)
            .unwrap_or_else(|| panic!("no link was sent to {to}"))
    }

    /// The token of the newest link sent to `to`.
    pub fn latest_link_token(&self, to: &str) -> String {
        link_token(&self.latest_link(to))
    }

    /// Asks dialect C's `forgot-password` for `user` and returns the e-mailed link's `user` and
    /// `token`.
    pub fn user_link(&self, user: &User) -> (String, String) {
        let forgot = with_api_key(post(
            &format!("{USER_API}/forgot-password/"),
            &json!({ "email": user.email }),
        ));
        assert_eq!(self.send(forgot).status, 200);
        self.drain();
        let link = self.latest_link(&user.email);
        let query = link.split_once('?').expect("a query").1;
        let param = |name: &str| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.into_owned())
                .expect("the link carries it")
        };
        (param("user"), param("token"))
    }

    // ------------------------------------------------------------ dialect A

    /// `POST /reg/user/resetPasswordRequest {"username"}`.
    pub fn reg_request(&self, username: &str) -> Response {
        self.send(post(
            "/reg/user/resetPasswordRequest",
            &json!({ "username": username }),
        ))
    }

    /// `POST /reg/user/resetPasswordRequest {"username","code"}`.
    pub fn reg_code(&self, username: &str, code: &str) -> Response {
        self.send(reg_code_request(username, code))
    }

    /// `POST /reg/user/resetPassword`.
    pub fn reg_reset(&self, username: &str, payload: &str, password: &str) -> Response {
        self.send(reg_reset_request(username, payload, password))
    }

    /// `GET /reg/user/info` with a bearer token.
    pub fn reg_info(&self, token: &str) -> Response {
        self.send(
            Request::new(Method::Get, "/reg/user/info")
                .header("authorization", &format!("Bearer {token}")),
        )
    }

    /// Request, deliver and redeem a code for `user`: the signed payload.
    pub fn reg_payload(&self, user: &User) -> String {
        assert_eq!(self.reg_request(&user.username).status, 200);
        self.drain();
        let code = self.latest_code(&user.email);
        let answer = self.reg_code(&user.username, &code);
        assert_eq!(answer.status, 200, "code redeemed: {}", text(&answer));
        answer.json_body()["signedPayload"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A whole dialect A reset of `user` to `password`: the access token.
    pub fn reg_full_reset(&self, user: &User, password: &str) -> String {
        let payload = self.reg_payload(user);
        let answer = self.reg_reset(&user.username, &payload, password);
        assert_eq!(answer.status, 200, "reset: {}", text(&answer));
        answer.json_body()["token"].as_str().unwrap().to_owned()
    }

    // ------------------------------------------------------------ dialect B

    /// A `POST` to a dialect B route from [`CLIENT_ID`] at [`ORIGIN`].
    pub fn auth(&self, path: &str, body: &Value) -> Response {
        self.send(auth_post(path, body))
    }

    /// `POST /api/v1/auth/forgotpass {"email"}`.
    pub fn forgot_email(&self, email: &str) -> Response {
        self.auth("/api/v1/auth/forgotpass", &json!({ "email": email }))
    }

    /// `POST /api/v1/auth/forgotpass/mobile {"phone"}`.
    pub fn forgot_mobile(&self, phone: &str) -> Response {
        self.auth("/api/v1/auth/forgotpass/mobile", &json!({ "phone": phone }))
    }

    /// `POST /api/v1/auth/resetpass`.
    pub fn reset_link(&self, token: &str, password: &str, confirm: &str) -> Response {
        self.auth(
            "/api/v1/auth/resetpass",
            &json!({ "token": token, "password": password, "passwordConfirm": confirm }),
        )
    }

    /// `POST /api/v1/auth/resetpass/mobile`, with the phone when given.
    pub fn reset_mobile(&self, code: &str, phone: Option<&str>, password: &str) -> Response {
        self.send(reset_mobile_request(code, phone, password))
    }

    /// Request and deliver an SMS code for `user`: the code.
    pub fn sms_code(&self, user: &User) -> String {
        let phone = user.phone.as_deref().expect("user has a phone");
        assert_eq!(self.forgot_mobile(phone).status, 200);
        self.drain();
        self.latest_code(phone)
    }

    /// Request and deliver a link for `user`: the link token.
    pub fn link_token(&self, user: &User) -> String {
        assert_eq!(self.forgot_email(&user.email).status, 200);
        self.drain();
        self.latest_link_token(&user.email)
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

// ---------------------------------------------------------------- requests

/// A `POST` with a JSON body.
pub fn post(path: &str, body: &Value) -> Request {
    Request::new(Method::Post, path).json(body)
}

/// A `POST` with raw bytes as its body.
pub fn post_raw(path: &str, body: &[u8]) -> Request {
    let mut request = Request::new(Method::Post, path).header("content-type", "application/json");
    request.body = body.to_vec();
    request
}

/// An admin `POST` with the right token.
pub fn admin_post(path: &str, body: &Value) -> Request {
    post(path, body).header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
}

/// `request` with dialect C's API key.
pub fn with_api_key(request: Request) -> Request {
    request.header("apikey", API_KEY)
}

/// A dialect B `POST` from [`CLIENT_ID`] at [`ORIGIN`].
pub fn auth_post(path: &str, body: &Value) -> Request {
    with_client(post(path, body))
}

/// `request` with [`CLIENT_ID`] and [`ORIGIN`].
pub fn with_client(request: Request) -> Request {
    request
        .header("client_id", CLIENT_ID)
        .header("origin", ORIGIN)
}

/// Dialect A's code redemption.
pub fn reg_code_request(username: &str, code: &str) -> Request {
    post(
        "/reg/user/resetPasswordRequest",
        &json!({ "username": username, "code": code }),
    )
}

/// Dialect A's reset with a signed payload.
pub fn reg_reset_request(username: &str, payload: &str, password: &str) -> Request {
    post(
        "/reg/user/resetPassword",
        &json!({ "newPassword": password, "signedPayload": payload, "username": username }),
    )
}

/// Dialect B's reset by link.
pub fn reset_link_request(token: &str, password: &str) -> Request {
    auth_post(
        "/api/v1/auth/resetpass",
        &json!({ "token": token, "password": password, "passwordConfirm": password }),
    )
}

/// Dialect B's reset by SMS code.
pub fn reset_mobile_request(code: &str, phone: Option<&str>, password: &str) -> Request {
    let mut body = json!({ "token": code, "password": password, "passwordConfirm": password });
    if let Some(phone) = phone {
        body["phone"] = json!(phone);
    }
    auth_post("/api/v1/auth/resetpass/mobile", &body)
}

/// `request` as sent from `ip`.
pub fn from_ip(mut request: Request, ip: &str) -> Request {
    request.client_ip = ip.to_owned();
    request
}

/// The queue message a reset request for `identifier` becomes (read from its JSON form, so
/// fields added later take their defaults).
pub fn reset_job(via: ResetVia, identifier: &str) -> Job {
    let request = serde_json::from_value(json!({
        "id": "0011223344556677",
        "via": via,
        "identifier": identifier,
        "requested_at": NOW,
    }))
    .expect("a reset request");
    Job::ResetRequested(request)
}

// ---------------------------------------------------------------- answers

/// The body as text, for assertion messages and secret scans.
pub fn text(response: &Response) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// The `field` of every item of a dialect A/B error's `errors`.
pub fn error_fields(response: &Response) -> Vec<String> {
    response.json_body()["errors"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The `code` of every item of a dialect A/B error's `errors`.
pub fn error_codes(response: &Response) -> Vec<String> {
    response.json_body()["errors"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The token a reset link carries.
pub fn link_token(link: &str) -> String {
    let (_, token) = link
        .split_once("token=")
        .unwrap_or_else(|| panic!("no token in link {link}"));
    token.split('&').next().unwrap().to_owned()
}

/// Asserts the answer is JSON with this status.
#[track_caller]
pub fn assert_json_status(response: &Response, status: u16) {
    assert_eq!(response.status, status, "body: {}", text(response));
    assert!(
        response
            .header_value("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "JSON content type, got {:?}",
        response.header_value("content-type")
    );
    assert!(
        serde_json::from_slice::<Value>(&response.body).is_ok(),
        "JSON body, got {}",
        text(response)
    );
}

/// `secret` with the character at `index` changed (`A`, or `B` where it was `A`).
pub fn flip_char_at(secret: &str, index: usize) -> String {
    let mut chars: Vec<char> = secret.chars().collect();
    chars[index] = if chars[index] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

// ---------------------------------------------------------------- interleaving

/// A future that is pending once, then ready: an await point where another request may run.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

async fn yield_now() {
    YieldOnce(false).await;
}

/// The in-memory platform seen through real await points: every platform call first yields, so
/// requests run together with `join_all` interleave between any two platform calls, as
/// concurrent requests do on the edge. Each guard call itself stays atomic (as a Durable Object's
/// is). Records every guard answer.
pub struct Interleaved<'p> {
    /// The platform underneath.
    pub inner: &'p MemoryPlatform,
    /// Every answer the per-account guard gave, in order.
    pub guard_answers: RefCell<Vec<GuardAnswer>>,
    /// Everything handed to storage (guard and registry ops, link keys and records, cache
    /// entries), printed.
    pub stored: RefCell<Vec<String>>,
}

impl<'p> Interleaved<'p> {
    /// Wraps `inner`.
    pub fn new(inner: &'p MemoryPlatform) -> Self {
        Self {
            inner,
            guard_answers: RefCell::new(Vec::new()),
            stored: RefCell::new(Vec::new()),
        }
    }
}

impl Clock for Interleaved<'_> {
    fn now(&self) -> UnixTime {
        self.inner.now()
    }
    fn now_millis(&self) -> u64 {
        self.inner.now_millis()
    }
    async fn sleep_millis(&self, ms: u64) {
        self.inner.sleep_millis(ms).await;
    }
}

impl Logger for Interleaved<'_> {
    fn log(&self, line: &str) {
        self.inner.log(line);
    }
}

/// Every write of the service's records is recorded, but the dev outbox's (where messages, codes
/// and links included, are meant to be read in development).
impl KeyValue for Interleaved<'_> {
    async fn kv_get(&self, key: &str) -> PlatformResult<Option<String>> {
        yield_now().await;
        self.inner.kv_get(key).await
    }
    async fn kv_put(&self, key: &str, value: &str, ttl: Option<u64>) -> PlatformResult<()> {
        yield_now().await;
        if !key.starts_with("outbox:") {
            self.stored.borrow_mut().push(format!("kv {key} {value}"));
        }
        self.inner.kv_put(key, value, ttl).await
    }
    async fn kv_delete(&self, key: &str) -> PlatformResult<()> {
        yield_now().await;
        self.inner.kv_delete(key).await
    }
    async fn kv_list(&self, prefix: &str, limit: usize) -> PlatformResult<Vec<(String, String)>> {
        yield_now().await;
        self.inner.kv_list(prefix, limit).await
    }
}

impl AccountGuard for Interleaved<'_> {
    async fn guard(&self, at: &GuardAddress, op: GuardOp) -> PlatformResult<GuardAnswer> {
        yield_now().await;
        self.stored.borrow_mut().push(format!("guard {op:?}"));
        let answer = self.inner.guard(at, op).await?;
        self.guard_answers.borrow_mut().push(answer.clone());
        yield_now().await;
        Ok(answer)
    }
}

impl GlobalCodes for Interleaved<'_> {
    async fn global_codes(&self, op: GlobalOp) -> PlatformResult<GlobalAnswer> {
        yield_now().await;
        self.stored.borrow_mut().push(format!("global {op:?}"));
        self.inner.global_codes(op).await
    }
}

impl JobQueue for Interleaved<'_> {
    async fn enqueue(&self, job: &Job, delay: u32) -> PlatformResult<()> {
        yield_now().await;
        self.inner.enqueue(job, delay).await
    }
    async fn dead_letter(&self, job: &Job) -> PlatformResult<()> {
        yield_now().await;
        self.inner.dead_letter(job).await
    }
}

impl RateLimits for Interleaved<'_> {
    async fn allow(&self, rule: LimitRule, key: &str) -> PlatformResult<bool> {
        yield_now().await;
        self.inner.allow(rule, key).await
    }
}

impl HttpFetch for Interleaved<'_> {
    async fn fetch(&self, request: &OutboundRequest) -> Result<FetchedAnswer, TransportError> {
        yield_now().await;
        self.inner.fetch(request).await
    }
}

/// Runs `requests` together on `platform`, interleaved at every platform call; the answers in
/// the order of `requests`.
pub fn send_together(
    service: &Service,
    platform: &Interleaved<'_>,
    requests: Vec<Request>,
) -> Vec<Response> {
    let futures = requests
        .into_iter()
        .map(|request| service.handle(platform, request));
    block_on(futures_util::future::join_all(futures))
}
