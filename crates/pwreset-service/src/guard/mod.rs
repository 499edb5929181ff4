//! The atomic steps: per-account secret state (`account`: a code and its tries, live links, used
//! payloads, the last password change) and the registry of codes redeemable without their account
//! (`global`).
//!
//! The logic lives here once; a platform only gives it an [`ObjectStorage`] whose calls run alone
//! (a Durable Object's storage under its input gate, or a map in memory), one op at a time.
//!
//! **Where a guard lives** ([`GuardAddress`]): every guard is one record in one of
//! [`GUARD_OBJECTS`] fixed objects. An account's guard is the record `account:<id>`, in the object
//! its id hashes to. A name that matches no account gets a decoy guard, so that a guess at it costs
//! the same round trip, writes the same way and counts against a day's budget just as one at an
//! account does: the record `name:<keyed tag>`, in the object its tag picks. Known and unknown names
//! thus meet objects drawn alike from one warm pool: no object is created for a name (a new
//! object's first call costs several milliseconds more than a warm one's, and would stay behind for
//! good), and an account's object is no colder than a decoy's. Decoy records are swept a day after
//! their last guess ([`sweep_decoys`]). Each object runs one op at a time, so every op is atomic
//! for its account as before.

pub(crate) mod account;
pub(crate) mod global;

pub use account::{
    CHANGE_LEASE_SECS, DAILY_FAILED_GUESSES, DAILY_MESSAGES, GuardState, MAX_WRONG_TRIES,
    apply_guard_op,
};
pub use global::apply_global_op;

pub use crate::model::guard_ops::{
    ACCOUNT_RECORD_PREFIX, DECOY_RECORD_PREFIX, GUARD_OBJECTS, GlobalAnswer, GlobalOp,
    GuardAddress, GuardAnswer, GuardOp, Proof, is_decoy_record,
};
pub use crate::ports::ObjectStorage;

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::error::{PlatformError, PlatformResult};

/// Where the decoy sweep of an object stopped: the last decoy record it looked at. Outside
/// [`DECOY_RECORD_PREFIX`], and there only while a pass is under way.
pub const DECOY_SWEEP_CURSOR: &str = "sweep:cursor";

/// How long after a decoy object's first new record its sweep runs (and, while decoy records
/// remain, how long after a finished pass over them the next starts).
pub const DECOY_SWEEP_DELAY: Duration = Duration::from_secs(3_600);
/// How many decoy records one run of the sweep (one alarm) looks at.
pub const DECOY_SWEEP_BATCH: usize = 1_000;
/// How soon the next run follows one that stopped short of the last decoy record.
pub const DECOY_SWEEP_NEXT_BATCH: Duration = Duration::from_secs(1);

/// After an op on `record` in an object whose alarm is set (`alarm_pending`) or not: when to set
/// the object's alarm, from now (`None`: leave it). A decoy record needs a sweep to be due; an
/// account's record never does. The platform reads the alarm for every op, an account's too, so
/// that a decoy costs the calls an account costs.
pub fn decoy_alarm_after_op(record: &str, alarm_pending: bool) -> Option<Duration> {
    (!alarm_pending && is_decoy_record(record)).then_some(DECOY_SWEEP_DELAY)
}

/// What an object's alarm does: one run of the sweep over [`DECOY_SWEEP_BATCH`] records
/// ([`sweep_decoys`]), then when to set the alarm again, from now. Soon
/// ([`DECOY_SWEEP_NEXT_BATCH`]) when the run stopped short of the last record; after
/// [`DECOY_SWEEP_DELAY`] when the pass is done and decoy records remain; `None` when none remain
/// (the next op on a decoy record sets it again).
pub async fn decoy_sweep_alarm(
    storage: &impl ObjectStorage,
    now: pwreset_core::UnixTime,
) -> PlatformResult<Option<Duration>> {
    if !sweep_decoys(storage, now, DECOY_SWEEP_BATCH).await? {
        return Ok(Some(DECOY_SWEEP_NEXT_BATCH));
    }
    let remain = !storage.list(DECOY_RECORD_PREFIX, None, 1).await?.is_empty();
    Ok(remain.then_some(DECOY_SWEEP_DELAY))
}

/// Looks at up to `limit` decoy records of `storage`, from where the last run stopped, and deletes
/// those that hold nothing any more (their last guess is a day old). Returns whether this run
/// reached the last decoy record (the pass is done and the next run starts from the first one);
/// when it did not, more wait for another run soon. Live records early in key order thus never
/// keep the sweep from the ones after them.
pub async fn sweep_decoys(
    storage: &impl ObjectStorage,
    now: pwreset_core::UnixTime,
    limit: usize,
) -> PlatformResult<bool> {
    let limit = limit.max(1);
    let cursor = storage.get(DECOY_SWEEP_CURSOR).await?;
    // The cursor is the last record of the run before, and listing starts at it: one more is
    // asked for, and the cursor's own record is not looked at twice.
    let asked = limit + usize::from(cursor.is_some());
    let records: Vec<(String, String)> = storage
        .list(DECOY_RECORD_PREFIX, cursor.as_deref(), asked)
        .await?
        .into_iter()
        .filter(|(key, _)| Some(key.as_str()) != cursor.as_deref())
        .take(limit)
        .collect();
    for (key, text) in &records {
        let mut state: GuardState = serde_json::from_str(text)
            .map_err(|e| PlatformError::unreadable("decoy record", &e))?;
        if state.holds_nothing_at(now) {
            storage.delete(key).await?;
        }
    }
    match records.last() {
        Some((last, _)) if records.len() == limit => {
            storage.put(DECOY_SWEEP_CURSOR, last).await?;
            Ok(false)
        }
        _ => {
            if cursor.is_some() {
                storage.delete(DECOY_SWEEP_CURSOR).await?;
            }
            Ok(true)
        }
    }
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
