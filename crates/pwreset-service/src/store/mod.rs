//! Layer 3: the service's records on a plain key-value store ([`KeyValue`]): accounts and their
//! indexes, link records, the delivery records (dev outbox, sent markers, dead letters) and cached
//! answers. The key layout, the indexes, the lifetimes and the timing defence of lookups are
//! written here once; a platform only stores strings under keys (Workers KV on the edge, a map in
//! memory for tests).
//!
//! | key | value | lifetime |
//! |---|---|---|
//! | `account:<id>` | the account (JSON) | kept |
//! | `username:<name>` | the account's id | kept |
//! | `email:<address>` | the ids of the accounts with that address (JSON list) | kept |
//! | `phone:<e164>` | the account's id | kept |
//! | `account:~absent:<tag>` | never written: what an unknown identifier reads instead of a record | |
//! | `link:<digest>` | a link record | the link's |
//! | `pwned:<prefix>` | a cached range answer of the breached-password API | 1 day |
//! | `outbox:<to>:<inverted millis>:<id>` | a message in the dev outbox | 1 day |
//! | `sent:<id>` | a message was delivered | 7 days |
//! | `dead:<inverted millis>:<id>` | a dead letter | 30 days |

mod accounts;
mod cache;
pub(crate) mod delivery;
mod links;

pub use crate::ports::KeyValue;

/// Workers KV refuses expirations shorter than a minute: shorter lifetimes are stored as one.
pub const MIN_TTL_SECS: u64 = 60;

/// Stores `value` under `key`, expiring after `ttl` (at least [`MIN_TTL_SECS`]) when given.
async fn put(
    kv: &impl KeyValue,
    key: &str,
    value: &str,
    ttl: Option<u64>,
) -> crate::ports::PlatformResult<()> {
    kv.kv_put(key, value, ttl.map(|t| t.max(MIN_TTL_SECS)))
        .await
}
