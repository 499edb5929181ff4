//! The platform on Cloudflare's bindings: the queues, the rate limiters and the log
//! here; the key-value port on KV in [`crate::kv`], the atomic steps in [`crate::objects`],
//! outbound HTTP in [`crate::http_client`], the clock in [`crate::clock`].

use pwreset_core::UnixTime;
use pwreset_service::model::job::Job;
use pwreset_service::ports::{
    Clock, JobQueue, LimitRule, Logger, PlatformError, PlatformResult, RateLimits,
};
use worker::{Env, MessageBuilder};

use crate::clock::EdgeClock;

/// The KV namespace holding accounts, link records, the outbox and delivery records.
pub const KV_BINDING: &str = "PWRESET_KV";
/// The work queue's producer binding.
pub const JOBS_BINDING: &str = "JOBS";
/// The dead-letter queue's producer binding.
pub const DEAD_LETTERS_BINDING: &str = "DEAD_LETTERS";

/// This request's bindings.
pub struct EdgePlatform {
    /// The environment (bindings, variables, secrets).
    pub env: Env,
}

impl EdgePlatform {
    /// The platform over `env`.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    /// The KV namespace.
    pub fn kv(&self) -> PlatformResult<worker::kv::KvStore> {
        self.env.kv(KV_BINDING).map_err(failed("KV binding"))
    }
}

/// A variable or secret of the environment as a string. Secrets and text variables are the same
/// kind of binding (a string) to the runtime, so one lookup reads either. A variable written as a
/// TOML table or array in wrangler.toml (`CLIENTS = { web = [...] }`) arrives as an object: it is
/// read as its JSON text, so it means what the same JSON in a string means.
pub fn env_string(env: &Env, name: &str) -> Option<String> {
    match env.var(name) {
        Ok(text) => Some(text.to_string()),
        Err(_) => env
            .object_var::<serde_json::Value>(name)
            .ok()
            .map(|value| value.to_string()),
    }
}

/// Maps a binding's error to a [`PlatformError`] that names what failed (never a secret).
pub fn failed<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> PlatformError {
    move |e| PlatformError(format!("{what}: {e}"))
}

impl Clock for EdgePlatform {
    fn now(&self) -> UnixTime {
        EdgeClock.now()
    }
    fn now_millis(&self) -> u64 {
        EdgeClock.now_millis()
    }
    async fn sleep_millis(&self, ms: u64) {
        EdgeClock.sleep_millis(ms).await;
    }
}

impl JobQueue for EdgePlatform {
    async fn enqueue(&self, job: &Job, delay_seconds: u32) -> PlatformResult<()> {
        let queue = self
            .env
            .queue(JOBS_BINDING)
            .map_err(failed("JOBS binding"))?;
        let message = MessageBuilder::new(job)
            .delay_seconds(delay_seconds)
            .build();
        queue.send(message).await.map_err(failed("queue send"))
    }

    async fn dead_letter(&self, job: &Job) -> PlatformResult<()> {
        let queue = self
            .env
            .queue(DEAD_LETTERS_BINDING)
            .map_err(failed("DEAD_LETTERS binding"))?;
        queue.send(job).await.map_err(failed("dead-letter send"))
    }
}

impl RateLimits for EdgePlatform {
    async fn allow(&self, rule: LimitRule, key: &str) -> PlatformResult<bool> {
        let limiter = self
            .env
            .rate_limiter(rule.binding())
            .map_err(failed("rate-limit binding"))?;
        let outcome = limiter
            .limit(format!("{}:{key}", rule.name()))
            .await
            .map_err(failed("rate limit"))?;
        Ok(outcome.success)
    }
}

impl Logger for EdgePlatform {
    fn log(&self, line: &str) {
        worker::console_log!("{line}");
    }
}
