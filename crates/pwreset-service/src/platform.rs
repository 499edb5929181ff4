//! What the service needs from a platform, one small trait per capability.
//!
//! The edge Worker implements them on Workers KV, Durable Objects, Queues, the rate-limiting
//! binding and `fetch`; [`crate::memory`] implements them in memory for tests. Futures are not
//! `Send`: a Worker runs on one thread.

use pwreset_core::UnixTime;

use crate::account::Account;
use crate::delivery::{DeliveryStore, HttpClient, ProviderRequest, TransportError};
use crate::guard::{GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp};
use crate::jobs::Job;

/// A platform operation failed (storage, queue, binding). The text is for the log and carries no
/// secret; the caller answers `503`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformError(pub String);

impl std::fmt::Display for PlatformError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlatformError {}

/// The result of a platform call.
pub type PlatformResult<T> = Result<T, PlatformError>;

/// The current time, and waiting.
pub trait Clock {
    /// Now, in unix seconds.
    fn now(&self) -> UnixTime;
    /// Now, in unix milliseconds (for how long a request has taken).
    fn now_millis(&self) -> u64 {
        self.now().as_secs() * 1000
    }
    /// Waits `ms` milliseconds without using the processor (a timer).
    async fn sleep_millis(&self, ms: u64);
}

/// The account directory.
pub trait Accounts {
    /// The account with this id.
    async fn account(&self, id: &str) -> PlatformResult<Option<Account>>;
    /// The account with this (normalised) username.
    async fn account_by_username(&self, username: &str) -> PlatformResult<Option<Account>>;
    /// Every account with this (normalised) e-mail address.
    async fn accounts_by_email(&self, email: &str) -> PlatformResult<Vec<Account>>;
    /// How many accounts have this (normalised) e-mail address, and the account when exactly one
    /// does. For the lookups whose time an attacker can measure: a platform should make it cost
    /// the same storage reads however many accounts share the address (none, one or several).
    async fn sole_account_by_email(&self, email: &str) -> PlatformResult<(usize, Option<Account>)> {
        let mut accounts = self.accounts_by_email(email).await?;
        let count = accounts.len();
        Ok((count, if count == 1 { accounts.pop() } else { None }))
    }
    /// The account with this E.164 phone number.
    async fn account_by_phone(&self, phone: &str) -> PlatformResult<Option<Account>>;
    /// Stores a new account; `Ok(false)` when its username or phone is taken.
    async fn create_account(&self, account: &Account) -> PlatformResult<bool>;
    /// Replaces an existing account (after a password change).
    async fn update_account(&self, account: &Account) -> PlatformResult<()>;
}

/// Where a link token points: the record stored under its keyed digest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkRecord {
    /// The account the link resets.
    pub account_id: String,
    /// Expiry (unix seconds).
    pub expires_at: u64,
    /// Sent by dialect C (`?user=…&token=…`): redeemed only with the account's key and under
    /// dialect C's policy; a dialect B link only without it. A link is bound to its dialect.
    #[serde(default)]
    pub with_user: bool,
}

/// Records of issued link tokens, keyed by the token's keyed digest (never the token).
pub trait LinkRecords {
    /// Stores a record that expires by itself after `ttl_seconds`.
    async fn put_link(
        &self,
        storage_key: &str,
        record: &LinkRecord,
        ttl_seconds: u64,
    ) -> PlatformResult<()>;
    /// The record under this key.
    async fn link(&self, storage_key: &str) -> PlatformResult<Option<LinkRecord>>;
    /// Removes the record.
    async fn delete_link(&self, storage_key: &str) -> PlatformResult<()>;
}

/// The per-account atomic guard: each call runs alone against that account's state (a Durable
/// Object per account on the edge).
pub trait AccountGuard {
    /// Applies `op` to the guard at `at` atomically (see [`GuardAddress`]).
    async fn guard(&self, at: &GuardAddress, op: GuardOp) -> PlatformResult<GuardAnswer>;
}

/// The global registry of codes that may be redeemed without their account (one Durable Object).
pub trait GlobalCodes {
    /// Applies `op` atomically.
    async fn global_codes(&self, op: GlobalOp) -> PlatformResult<GlobalAnswer>;
}

/// The background queue: reset requests and deliveries run in its consumer.
pub trait JobQueue {
    /// Enqueues `job`, to run after `delay_seconds`.
    async fn enqueue(&self, job: &Job, delay_seconds: u32) -> PlatformResult<()>;
    /// Hands `job` to the dead-letter queue.
    async fn dead_letter(&self, job: &Job) -> PlatformResult<()>;
}

/// A kind of rate limit. Each is a fixed window (the edge's rate-limiting binding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitRule {
    /// Reset requests from one IP.
    RequestPerIp,
    /// Reset requests naming one identifier (e-mail, username, phone), whether it exists or not.
    RequestPerIdentifier,
    /// Secret-bearing attempts (codes, links, payloads) from one IP.
    AttemptPerIp,
    /// Admin calls from one IP.
    AdminPerIp,
}

impl LimitRule {
    /// Every rule.
    pub const ALL: [LimitRule; 4] = [
        LimitRule::RequestPerIp,
        LimitRule::RequestPerIdentifier,
        LimitRule::AttemptPerIp,
        LimitRule::AdminPerIp,
    ];

    /// The window in seconds, for `retry-after`.
    pub fn period_seconds(self) -> u64 {
        60
    }

    /// A short name (binding names and logs).
    pub fn name(self) -> &'static str {
        match self {
            LimitRule::RequestPerIp => "request_per_ip",
            LimitRule::RequestPerIdentifier => "request_per_identifier",
            LimitRule::AttemptPerIp => "attempt_per_ip",
            LimitRule::AdminPerIp => "admin_per_ip",
        }
    }
}

/// Rate limits.
pub trait RateLimits {
    /// Counts one event for `key` under `rule`; `false` when over the limit.
    async fn allow(&self, rule: LimitRule, key: &str) -> PlatformResult<bool>;
}

/// An answer to an HTTP call whose body matters (the breached-password range API, the user
/// directory).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchedAnswer {
    /// The status.
    pub status: u16,
    /// Header names and values as received (the user directory's answers carry a signature).
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl FetchedAnswer {
    /// The first value of header `name` (compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Outbound HTTP that reads the answer's body.
pub trait HttpFetch {
    /// Sends `request` (within the platform's time limit) and reads the answer.
    async fn fetch(&self, request: &ProviderRequest) -> Result<FetchedAnswer, TransportError>;
}

/// A cache of small text answers with a lifetime.
pub trait ResponseCache {
    /// The cached value under `key`.
    async fn cache_get(&self, key: &str) -> PlatformResult<Option<String>>;
    /// Caches `value` under `key` for `ttl_seconds`.
    async fn cache_put(&self, key: &str, value: &str, ttl_seconds: u64) -> PlatformResult<()>;
}

/// Where JSON log lines go.
pub trait Logger {
    /// Writes one line.
    fn log(&self, line: &str);
}

/// Everything the service needs, as one bound.
pub trait Platform:
    Clock
    + Accounts
    + LinkRecords
    + AccountGuard
    + GlobalCodes
    + JobQueue
    + RateLimits
    + Logger
    + HttpClient
    + DeliveryStore
    + HttpFetch
    + ResponseCache
{
}

impl<T> Platform for T where
    T: Clock
        + Accounts
        + LinkRecords
        + AccountGuard
        + GlobalCodes
        + JobQueue
        + RateLimits
        + Logger
        + HttpClient
        + DeliveryStore
        + HttpFetch
        + ResponseCache
{
}
