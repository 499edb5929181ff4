//! The reset flows as benchmark cases, one source for two measurements: the criterion bench
//! (`benches/flows.rs`, native) and the wasm harness (`benches/flow-cost` at the repository root,
//! the same code compiled for wasm32 and timed under Node). Both run exactly this code.
//!
//! Every case goes through [`Service::handle`] (or the queue) over the in-memory platform, as a
//! platform calls it: request parsing, rules, storage calls, the JSON answer. What a case needs
//! first (a live code, a signed payload, a link) is prepared outside the timed part. The baseline
//! is [`Case::Hmac`], one bare HMAC-SHA256 of 64 bytes.
//!
//! Time comes from a clock the caller passes (milliseconds as `f64`): `Instant` natively,
//! `performance.now()` under Node.

// Each user takes part of it (criterion no `per_op_ms`, the wasm harness all).
#![allow(dead_code)]

use std::hint::black_box;

use futures_executor::block_on;
use hmac::{Hmac, KeyInit, Mac};
use pwreset_service::delivery::OutgoingMessage;
use pwreset_service::flows::token_issuer;
use pwreset_service::model::account::Account;
use pwreset_service::ports::{Accounts, Clock};
use pwreset_service::testing::memory::MemoryPlatform;
use pwreset_service::{Method, Request, Response, Service};
use serde_json::{Value, json};

/// 2026-01-01T01:00:00Z.
const NOW: u64 = 1_767_225_600 + 3_600;
/// The one account every case uses.
const USERNAME: &str = "jane";
const EMAIL: &str = "jane@example.com";
const OLD_PASSWORD: &str = "violet-kettle-harbor-42";
const ADMIN_TOKEN: &str = "admin-token-0123456789abcdefghij";
const CLIENT_ID: &str = "web-app";
const ORIGIN: &str = "https://app.example.test";
/// Cases whose platform state grows with each run (queue, outbox, guard records) start over on a
/// fresh platform after this many operations, outside the timed part.
const FRESH_PLATFORM_EVERY: u64 = 100;
/// Cheap cases are timed in batches of this many operations (one clock read per batch).
const BATCH: u64 = 64;

/// One flow to time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Baseline: one bare HMAC-SHA256 (32-byte key) of 64 bytes.
    Hmac,
    /// `GET /no/such/route` → 404: the router and a JSON answer, no flow.
    NotFound,
    /// `POST /reg/user/resetPasswordRequest {"username"}` → 200: limits and one enqueue.
    RequestReset,
    /// The queue's work for one such request (one job): find the account, issue a code (guard),
    /// compose the message and hand it to the provider (the outbox).
    RunResetJob,
    /// `POST /reg/user/resetPasswordRequest {"username","code"}` with a wrong code → 400.
    RedeemWrongCode,
    /// The same with the right code → 200 and a signed payload.
    RedeemRightCode,
    /// `POST /reg/user/resetPassword` with a fresh payload → 200 and an access token (policy,
    /// argon2id verify of the old hash, argon2id hash of the new password).
    SetPassword,
    /// `POST /api/v1/auth/resetpass` with a fresh link token → 200 (the same argon2id work).
    LinkReset,
    /// `GET /reg/user/info` with a valid bearer token → 200.
    Authenticate,
}

impl Case {
    /// Every case, the baseline first.
    pub const ALL: [Case; 9] = [
        Case::Hmac,
        Case::NotFound,
        Case::RequestReset,
        Case::RunResetJob,
        Case::RedeemWrongCode,
        Case::RedeemRightCode,
        Case::SetPassword,
        Case::LinkReset,
        Case::Authenticate,
    ];

    /// A short stable name (bench ids, the wasm harness's argument).
    pub fn name(self) -> &'static str {
        match self {
            Case::Hmac => "hmac",
            Case::NotFound => "not_found",
            Case::RequestReset => "request_reset",
            Case::RunResetJob => "run_reset_job",
            Case::RedeemWrongCode => "redeem_wrong_code",
            Case::RedeemRightCode => "redeem_right_code",
            Case::SetPassword => "set_password",
            Case::LinkReset => "link_reset",
            Case::Authenticate => "authenticate",
        }
    }

    /// The case called `name`.
    pub fn from_name(name: &str) -> Option<Case> {
        Case::ALL.into_iter().find(|case| case.name() == name)
    }

    /// Whether argon2id dominates the case (few iterations suffice).
    pub fn is_slow(self) -> bool {
        matches!(self, Case::SetPassword | Case::LinkReset)
    }
}

/// Runs `iterations` operations of `case` and returns the milliseconds their timed parts took by
/// `clock`. `Err` when the service answered something other than what the case expects.
pub fn measure(case: Case, iterations: u64, clock: &dyn Fn() -> f64) -> Result<f64, String> {
    let mut timer = Timer { clock, total: 0.0 };
    match case {
        Case::Hmac => hmac_baseline(iterations, &mut timer),
        _ => Fixture::new()?.run(case, iterations, &mut timer)?,
    }
    Ok(timer.total)
}

/// Milliseconds per operation: the iterations double until one run's timed part takes at least
/// `min_ms`, then `repeats` runs of that size give their median.
pub fn per_op_ms(
    case: Case,
    min_ms: f64,
    repeats: usize,
    clock: &dyn Fn() -> f64,
) -> Result<f64, String> {
    let mut iterations = 1;
    while measure(case, iterations, clock)? < min_ms && iterations < 1 << 24 {
        iterations *= 2;
    }
    let mut runs = (0..repeats.max(1))
        .map(|_| Ok(measure(case, iterations, clock)? / iterations as f64))
        .collect::<Result<Vec<f64>, String>>()?;
    runs.sort_by(f64::total_cmp);
    Ok(runs[runs.len() / 2])
}

/// Adds up the time of the parts it is handed.
struct Timer<'c> {
    clock: &'c dyn Fn() -> f64,
    total: f64,
}

impl Timer<'_> {
    fn time<T>(&mut self, work: impl FnOnce() -> T) -> T {
        let start = (self.clock)();
        let out = work();
        self.total += (self.clock)() - start;
        out
    }
}

fn hmac_baseline(iterations: u64, timer: &mut Timer<'_>) {
    let key: Vec<u8> = (0..32u8)
        .map(|i| i.wrapping_mul(151).wrapping_add(7))
        .collect();
    let data: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(31)).collect();
    let mut left = iterations;
    while left > 0 {
        let n = left.min(BATCH * 16);
        timer.time(|| {
            for _ in 0..n {
                let mut mac =
                    Hmac::<sha2::Sha256>::new_from_slice(black_box(&key)).expect("any key length");
                mac.update(black_box(&data));
                black_box(mac.finalize().into_bytes());
            }
        });
        left -= n;
    }
}

/// A 32-byte key for the keyring, base64url as `pwreset keygen` prints it.
fn keys_var() -> String {
    use base64::Engine;
    let key: Vec<u8> = (0u8..32)
        .map(|i| i.wrapping_mul(151).wrapping_add(0x87))
        .collect();
    format!(
        "k1:{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
    )
}

fn service() -> Service {
    let vars: Vec<(&str, String)> = vec![
        // Development (the outbox is allowed only there), on a loopback address.
        ("ENVIRONMENT", "development".to_owned()),
        ("PUBLIC_URL", "http://127.0.0.1:8787".to_owned()),
        ("KEYS", keys_var()),
        ("ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
        ("CLIENTS", json!({ CLIENT_ID: [ORIGIN] }).to_string()),
        ("EMAIL_PROVIDER", "outbox".to_owned()),
        ("SMS_PROVIDER", "outbox".to_owned()),
    ];
    Service::from_vars(&|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
}

fn post(path: &str, body: &Value) -> Request {
    Request::new(Method::Post, path).json(body)
}

fn expect(response: &Response, status: u16, what: &str) -> Result<(), String> {
    if response.status == status {
        Ok(())
    } else {
        Err(format!(
            "{what}: expected {status}, got {} {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ))
    }
}

/// The service, its platform and the account, ready for any case.
struct Fixture {
    service: Service,
    platform: MemoryPlatform,
    account: Account,
    /// Operations since the platform was fresh.
    used: u64,
    /// Makes each new password differ from the last.
    passwords: u64,
}

impl Fixture {
    fn new() -> Result<Self, String> {
        let service = service();
        if let Err(problems) = service.config() {
            return Err(format!("bench configuration refused: {problems}"));
        }
        let platform = MemoryPlatform::new(NOW);
        let created = block_on(
            service.handle(
                &platform,
                post(
                    "/admin/users",
                    &json!({ "username": USERNAME, "email": EMAIL, "password": OLD_PASSWORD }),
                )
                .header("authorization", &format!("Bearer {ADMIN_TOKEN}")),
            ),
        );
        expect(&created, 201, "create the account")?;
        let id = created.json_body()["id"]
            .as_str()
            .ok_or("no account id")?
            .to_owned();
        let account = block_on(platform.account(&id))
            .map_err(|e| e.0)?
            .ok_or("the account was not stored")?;
        Ok(Self {
            service,
            platform,
            account,
            used: 0,
            passwords: 0,
        })
    }

    /// A fresh platform holding the account as it is now (untimed).
    fn refresh(&mut self) -> Result<(), String> {
        if let Some(now) = block_on(self.platform.account(&self.account.id)).map_err(|e| e.0)? {
            self.account = now;
        }
        self.platform = MemoryPlatform::new(NOW);
        block_on(self.platform.create_account(&self.account)).map_err(|e| e.0)?;
        self.used = 0;
        Ok(())
    }

    fn send(&self, request: Request) -> Response {
        block_on(self.service.handle(&self.platform, request))
    }

    fn drain(&self) -> usize {
        block_on(self.platform.drain_queue(&self.service))
    }

    fn newest_message(
        &self,
        carries: impl Fn(&OutgoingMessage) -> Option<String>,
    ) -> Option<String> {
        self.platform.outbox_all().iter().rev().find_map(carries)
    }

    /// Asks for a code for the account and runs the queue: the code.
    fn fresh_code(&self) -> Result<String, String> {
        expect(&self.send(reset_request()), 200, "request a code")?;
        self.drain();
        self.newest_message(|m| m.code.clone())
            .ok_or_else(|| "no code in the outbox".to_owned())
    }

    /// A fresh code redeemed: the signed payload.
    fn fresh_payload(&self) -> Result<String, String> {
        let code = self.fresh_code()?;
        let answer = self.send(redeem(&code));
        expect(&answer, 200, "redeem the right code")?;
        answer.json_body()["signedPayload"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| "no signedPayload".to_owned())
    }

    /// Asks for a link for the account and runs the queue: the link's token.
    fn fresh_link_token(&self) -> Result<String, String> {
        let ask = with_client(post("/api/v1/auth/forgotpass", &json!({ "email": EMAIL })));
        expect(&self.send(ask), 200, "request a link")?;
        self.drain();
        let link = self
            .newest_message(|m| m.link.clone())
            .ok_or("no link in the outbox")?;
        let (_, token) = link.split_once("token=").ok_or("no token in the link")?;
        Ok(token.split('&').next().unwrap_or_default().to_owned())
    }

    fn next_password(&mut self) -> String {
        self.passwords += 1;
        format!("amber-falcon-river-{}", 58 + self.passwords)
    }

    /// Before each operation of a case whose state grows: a fresh platform now and then.
    fn step(&mut self) -> Result<(), String> {
        if self.used >= FRESH_PLATFORM_EVERY {
            self.refresh()?;
        }
        self.used += 1;
        Ok(())
    }

    fn run(&mut self, case: Case, iterations: u64, timer: &mut Timer<'_>) -> Result<(), String> {
        match case {
            Case::Hmac => hmac_baseline(iterations, timer),
            Case::NotFound => self.batched(iterations, timer, 404, || {
                Request::new(Method::Get, "/no/such/route")
            })?,
            Case::Authenticate => {
                let cfg = self.service.config().map_err(|p| p.to_string())?;
                let token = token_issuer(cfg)
                    .issue(
                        &cfg.keyring,
                        &self.account.id,
                        &self.account.password_state(),
                        self.platform.now(),
                    )
                    .map_err(|e| e.to_string())?;
                let bearer = format!("Bearer {}", token.reveal());
                self.batched(iterations, timer, 200, || {
                    Request::new(Method::Get, "/reg/user/info").header("authorization", &bearer)
                })?
            }
            Case::RequestReset => {
                let mut left = iterations;
                while left > 0 {
                    let n = left.min(BATCH);
                    if self.used + n > FRESH_PLATFORM_EVERY * 10 {
                        self.refresh()?;
                    }
                    self.used += n;
                    let requests: Vec<Request> = (0..n).map(|_| reset_request()).collect();
                    let wrong = timer.time(|| {
                        requests
                            .into_iter()
                            .map(|r| self.send(r).status)
                            .filter(|&status| status != 200)
                            .count()
                    });
                    if wrong > 0 {
                        return Err(format!("request a reset: {wrong} answers were not 200"));
                    }
                    left -= n;
                }
            }
            Case::RunResetJob => {
                for _ in 0..iterations {
                    self.step()?;
                    expect(&self.send(reset_request()), 200, "request a code")?;
                    let ran = timer.time(|| self.drain());
                    if ran != 1 {
                        return Err(format!("run the reset job: {ran} jobs ran, expected 1"));
                    }
                }
            }
            Case::RedeemWrongCode => {
                for _ in 0..iterations {
                    self.step()?;
                    let wrong = other_code(&self.fresh_code()?);
                    let request = redeem(&wrong);
                    let answer = timer.time(|| self.send(request));
                    expect(&answer, 400, "redeem a wrong code")?;
                }
            }
            Case::RedeemRightCode => {
                for _ in 0..iterations {
                    self.step()?;
                    let request = redeem(&self.fresh_code()?);
                    let answer = timer.time(|| self.send(request));
                    expect(&answer, 200, "redeem the right code")?;
                }
            }
            Case::SetPassword => {
                for _ in 0..iterations {
                    self.step()?;
                    let payload = self.fresh_payload()?;
                    let password = self.next_password();
                    let request = post(
                        "/reg/user/resetPassword",
                        &json!({ "newPassword": password, "signedPayload": payload, "username": USERNAME }),
                    );
                    let answer = timer.time(|| self.send(request));
                    expect(&answer, 200, "set the password with a payload")?;
                }
            }
            Case::LinkReset => {
                for _ in 0..iterations {
                    self.step()?;
                    let token = self.fresh_link_token()?;
                    let password = self.next_password();
                    let request = with_client(post(
                        "/api/v1/auth/resetpass",
                        &json!({ "token": token, "password": password, "passwordConfirm": password }),
                    ));
                    let answer = timer.time(|| self.send(request));
                    expect(&answer, 200, "reset with a link")?;
                }
            }
        }
        Ok(())
    }

    /// Times a case without state in batches of [`BATCH`] requests built beforehand.
    fn batched(
        &self,
        iterations: u64,
        timer: &mut Timer<'_>,
        status: u16,
        request: impl Fn() -> Request,
    ) -> Result<(), String> {
        let mut left = iterations;
        while left > 0 {
            let n = left.min(BATCH);
            let requests: Vec<Request> = (0..n).map(|_| request()).collect();
            let wrong = timer.time(|| {
                requests
                    .into_iter()
                    .map(|r| self.send(r).status)
                    .filter(|&s| s != status)
                    .count()
            });
            if wrong > 0 {
                return Err(format!("{wrong} answers were not {status}"));
            }
            left -= n;
        }
        Ok(())
    }
}

fn reset_request() -> Request {
    post(
        "/reg/user/resetPasswordRequest",
        &json!({ "username": USERNAME }),
    )
}

fn redeem(code: &str) -> Request {
    post(
        "/reg/user/resetPasswordRequest",
        &json!({ "username": USERNAME, "code": code }),
    )
}

fn with_client(request: Request) -> Request {
    request
        .header("client_id", CLIENT_ID)
        .header("origin", ORIGIN)
}

/// A well-formed code that is not `code` (its last digit moved on by one).
fn other_code(code: &str) -> String {
    let mut digits: Vec<char> = code.chars().collect();
    if let Some(last) = digits.last_mut() {
        let next = last.to_digit(10).map_or(0, |d| (d + 1) % 10);
        *last = char::from_digit(next, 10).unwrap_or('0');
    }
    digits.into_iter().collect()
}
