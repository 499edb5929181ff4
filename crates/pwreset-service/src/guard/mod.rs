//! The atomic steps: per-account secret state ([`account`]: a code and its tries, live links, used
//! payloads, the last password change) and the registry of codes redeemable without their account
//! ([`global`]).
//!
//! The logic lives here once; a platform only gives it an [`ObjectStorage`] whose calls run alone
//! (a Durable Object's storage under its input gate, or a map in memory), one op at a time.

pub mod account;
pub mod global;

pub use account::{
    CHANGE_LEASE_SECS, DAILY_FAILED_GUESSES, DAILY_MESSAGES, GuardAnswer, GuardOp, GuardState,
    MAX_WRONG_TRIES, Proof, apply_guard_op,
};
pub use global::{GlobalAnswer, GlobalOp, apply_global_op};

use serde::Serialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::platform::{PlatformError, PlatformResult};

/// Key-value storage that one op at a time has to itself.
pub trait ObjectStorage {
    /// The value under `key`.
    async fn get(&self, key: &str) -> PlatformResult<Option<String>>;
    /// Stores `value` under `key`.
    async fn put(&self, key: &str, value: &str) -> PlatformResult<()>;
    /// Removes `key`.
    async fn delete(&self, key: &str) -> PlatformResult<()>;
}

/// Hex digests compared in constant time.
fn same_digest(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

async fn read<T: DeserializeOwned>(
    storage: &impl ObjectStorage,
    key: &str,
) -> PlatformResult<Option<T>> {
    match storage.get(key).await? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| PlatformError(format!("guard record {key} unreadable: {e}"))),
    }
}

async fn write<T: Serialize>(
    storage: &impl ObjectStorage,
    key: &str,
    value: &T,
) -> PlatformResult<()> {
    let text = serde_json::to_string(value).expect("guard records serialise");
    storage.put(key, &text).await
}
