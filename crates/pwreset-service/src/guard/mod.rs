//! The atomic steps: per-account secret state ([`account`]: a code and its tries, live links, used
//! payloads, the last password change) and the registry of codes redeemable without their account
//! ([`global`]).
//!
//! The logic lives here once; a platform only gives it an [`ObjectStorage`] whose calls run alone
//! (a Durable Object's storage under its input gate, or a map in memory), one op at a time.
//!
//! **Where a guard lives** ([`GuardAddress`]): a known account's guard is its own object, one
//! record. A name that matches no account gets a decoy guard, so that a guess at it costs a guard
//! round trip and counts against a day's budget just as one at an account does. Decoys do not get
//! objects of their own: every unknown name is a record in one of [`DECOY_OBJECTS`] fixed objects,
//! picked by its keyed tag. So guessing at never-seen names creates no object (whose first use
//! costs more than a warm one's, and which would stay behind for good); their records are swept a
//! day after their last guess ([`sweep_decoys`]).

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
    /// Up to `limit` keys that start with `prefix`, in key order, with their values.
    async fn list(&self, prefix: &str, limit: usize) -> PlatformResult<Vec<(String, String)>>;
}

/// How many objects hold the decoy guards of every unknown name.
pub const DECOY_OBJECTS: u64 = 64;
/// How a decoy guard id starts.
const DECOY_ID_PREFIX: &str = "decoy:";
/// The record of a known account's guard in its own object.
pub const ACCOUNT_RECORD: &str = "state";
/// How the records of decoy guards start, in the decoy objects.
pub const DECOY_RECORD_PREFIX: &str = "name:";

/// The guard id of a name that matches no account, from the name's keyed tag
/// ([`pwreset_core::secrets::Keyring::identifier_tag`]).
pub fn decoy_guard_id(name_tag: &str) -> String {
    format!("{DECOY_ID_PREFIX}{name_tag}")
}

/// Where a guard's state lives: an object and a record in its storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardAddress {
    /// The object's name (a Durable Object's name on the edge).
    pub object: String,
    /// The record's key in that object's storage.
    pub record: String,
}

impl GuardAddress {
    /// The address of guard `guard_id`: an account's own object, or a record in a decoy object.
    pub fn of(guard_id: &str) -> Self {
        match guard_id.strip_prefix(DECOY_ID_PREFIX) {
            Some(tag) => {
                let head = tag.get(..8).unwrap_or(tag);
                let slot = u64::from_str_radix(head, 16).unwrap_or(0) % DECOY_OBJECTS;
                GuardAddress {
                    object: format!("decoys-{slot:02}"),
                    record: format!("{DECOY_RECORD_PREFIX}{tag}"),
                }
            }
            None => GuardAddress {
                object: guard_id.to_owned(),
                record: ACCOUNT_RECORD.to_owned(),
            },
        }
    }

    /// Whether this is a decoy's record (whose object needs sweeping).
    pub fn is_decoy(&self) -> bool {
        self.record.starts_with(DECOY_RECORD_PREFIX)
    }
}

/// Deletes up to `limit` decoy records of `storage` that hold nothing any more (their last guess is
/// a day old); returns how many it looked at, so the caller knows whether to come back.
pub async fn sweep_decoys(
    storage: &impl ObjectStorage,
    now: pwreset_core::UnixTime,
    limit: usize,
) -> PlatformResult<usize> {
    let records = storage.list(DECOY_RECORD_PREFIX, limit).await?;
    for (key, text) in &records {
        let mut state: GuardState = serde_json::from_str(text)
            .map_err(|e| PlatformError(format!("decoy record unreadable: {e}")))?;
        if state.holds_nothing_at(now) {
            storage.delete(key).await?;
        }
    }
    Ok(records.len())
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
