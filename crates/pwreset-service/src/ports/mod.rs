//! What the service needs from a platform, one small trait per capability.
//!
//! The edge Worker implements them on Workers KV, Durable Objects, Queues, the rate-limiting
//! binding and `fetch`; `testing::memory` (with the `testing` feature) implements them in memory
//! for tests. Futures are not `Send`: a Worker runs on one thread.

use pwreset_core::UnixTime;

pub use crate::model::error::{PlatformError, PlatformResult};
pub use crate::model::outbound::{FetchedAnswer, OutboundRequest, TransportError};

use crate::model::account::Account;
use crate::model::guard_ops::{GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp};
use crate::model::job::Job;
use crate::model::message::{DeadLetter, OutgoingMessage};

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

/// Key-value storage with lifetimes, eventually consistent (Workers KV on the edge). The service
/// keeps its records on it ([`crate::store`]): the key layout is the service's, not the platform's.
pub trait KeyValue {
    /// The value under `key`, `None` when there is none (or it expired).
    async fn kv_get(&self, key: &str) -> PlatformResult<Option<String>>;
    /// Stores `value` under `key`; with `ttl_seconds` (at least 60), it expires after that long.
    async fn kv_put(&self, key: &str, value: &str, ttl_seconds: Option<u64>) -> PlatformResult<()>;
    /// Removes `key`.
    async fn kv_delete(&self, key: &str) -> PlatformResult<()>;
    /// Up to `limit` entries whose keys start with `prefix`, in key order, with their values.
    async fn kv_list(&self, prefix: &str, limit: usize) -> PlatformResult<Vec<(String, String)>>;
}

/// The account directory ([`crate::store`] implements it on any [`KeyValue`]).
pub trait Accounts {
    /// The account with this id.
    async fn account(&self, id: &str) -> PlatformResult<Option<Account>>;
    /// The account with this (normalised) username.
    async fn account_by_username(&self, username: &str) -> PlatformResult<Option<Account>>;
    /// Every account with this (normalised) e-mail address.
    async fn accounts_by_email(&self, email: &str) -> PlatformResult<Vec<Account>>;
    /// How many accounts have this (normalised) e-mail address, and the account when exactly one
    /// does. For the lookups whose time an attacker can measure: it costs the same storage reads
    /// however many accounts share the address (none, one or several).
    async fn sole_account_by_email(&self, email: &str) -> PlatformResult<(usize, Option<Account>)>;
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
    /// Where the success page may lead back to once the link is used: the verified `Origin` of
    /// the dialect B `forgotpass` that asked for it (see `ResetRequest::return_url`), checked
    /// again against the registered origins when used. Records without it are written exactly as
    /// before it existed, and those read without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
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

    /// The platform's name for the limiter that enforces this rule (the rate-limiting bindings in
    /// wrangler.toml, whose limits and periods `tests/wrangler_bindings.rs` checks).
    pub fn binding(self) -> &'static str {
        match self {
            LimitRule::RequestPerIp => "LIMIT_REQUEST_PER_IP",
            LimitRule::RequestPerIdentifier => "LIMIT_REQUEST_PER_IDENTIFIER",
            LimitRule::AttemptPerIp => "LIMIT_ATTEMPT_PER_IP",
            LimitRule::AdminPerIp => "LIMIT_ADMIN_PER_IP",
        }
    }

    /// A short name (logs).
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

/// Outbound HTTP: provider deliveries, the range API, the user directory (the Worker: `fetch`,
/// redirects not followed).
pub trait HttpFetch {
    /// Sends `request` and reads the answer, giving up after the request's
    /// [`time_limit`](OutboundRequest::time_limit) with [`TransportError::Timeout`].
    async fn fetch(&self, request: &OutboundRequest) -> Result<FetchedAnswer, TransportError>;
}

/// The breached-password API's range answers, kept a while ([`crate::store`] keeps them on any
/// [`KeyValue`], with their key and lifetime).
pub trait RangeCache {
    /// The kept answer for the SHA-1 `prefix` (5 hex digits), when there is one.
    async fn range_get(&self, prefix: &str) -> PlatformResult<Option<String>>;
    /// Keeps `body`, the answer for `prefix`.
    async fn range_put(&self, prefix: &str, body: &str) -> PlatformResult<()>;
}

/// Where JSON log lines go.
pub trait Logger {
    /// Writes one line.
    fn log(&self, line: &str);
}

/// Everything the service needs, as one bound.
pub trait Platform:
    Clock
    + KeyValue
    + Accounts
    + LinkRecords
    + AccountGuard
    + GlobalCodes
    + JobQueue
    + RateLimits
    + Logger
    + DeliveryStore
    + HttpFetch
    + RangeCache
{
}

impl<T> Platform for T where
    T: Clock
        + KeyValue
        + Accounts
        + LinkRecords
        + AccountGuard
        + GlobalCodes
        + JobQueue
        + RateLimits
        + Logger
        + DeliveryStore
        + HttpFetch
        + RangeCache
{
}

/// Where delivery keeps its records (the Worker: KV).
pub trait DeliveryStore {
    /// Adds a message to the dev outbox.
    async fn outbox_put(&self, msg: &OutgoingMessage) -> PlatformResult<()>;
    /// The outbox's messages to `to`, newest first.
    async fn outbox_list(&self, to: &str) -> PlatformResult<Vec<OutgoingMessage>>;
    /// Whether the message with this id was already delivered.
    async fn was_sent(&self, id: &str) -> PlatformResult<bool>;
    /// Records that the message with this id was delivered.
    async fn mark_sent(&self, id: &str) -> PlatformResult<()>;
    /// Keeps a dead letter for the operator.
    async fn put_dead_letter(&self, letter: &DeadLetter) -> PlatformResult<()>;
    /// Every dead letter kept, newest first.
    async fn list_dead_letters(&self) -> PlatformResult<Vec<DeadLetter>>;
}

/// Key-value storage that one op at a time has to itself.
pub trait ObjectStorage {
    /// The value under `key`.
    async fn get(&self, key: &str) -> PlatformResult<Option<String>>;
    /// Stores `value` under `key`.
    async fn put(&self, key: &str, value: &str) -> PlatformResult<()>;
    /// Removes `key`.
    async fn delete(&self, key: &str) -> PlatformResult<()>;
    /// Up to `limit` keys that start with `prefix`, from `start_at` on (when given, that key
    /// included; it need not exist), in key order, with their values.
    async fn list(
        &self,
        prefix: &str,
        start_at: Option<&str>,
        limit: usize,
    ) -> PlatformResult<Vec<(String, String)>>;
}
