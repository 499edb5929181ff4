//! The decoy sweep resumes where its last run stopped: records that hold nothing any more are
//! deleted even when more than one batch of live records comes before them.

use futures_executor::block_on;
use pwreset_core::UnixTime;
use pwreset_service::guard::{
    DECOY_RECORD_PREFIX, GuardAddress, GuardOp, ObjectStorage, Proof, apply_guard_op, sweep_decoys,
};
use pwreset_service::ports::AccountGuard as _;
use pwreset_service::testing::memory::{MemoryObjectStorage, MemoryPlatform};

/// One alarm's batch on the edge.
const BATCH: usize = 1_000;
/// When the first guesses were made.
const T0: u64 = 1_800_000_000;
/// A day and a second after `T0`: guesses made at `T0` are a day old, later ones not.
const SWEEP_AT: u64 = T0 + 86_400 + 1;
/// When the live records' guesses were made (still within a day at `SWEEP_AT`).
const LIVE_AT: u64 = T0 + 50_000;

fn at(secs: u64) -> UnixTime {
    UnixTime::from_secs(secs)
}

/// `GuardOp::Check { proof: Proof::Code { digests: ["x"], .. }, seen_changed_at: 0 }`, built from
/// its wire form so that fields with defaults may come and go.
fn wrong_guess() -> GuardOp {
    let proof: Proof =
        serde_json::from_value(serde_json::json!({ "kind": "code", "digests": ["x"] })).unwrap();
    GuardOp::Check {
        proof,
        seen_changed_at: 0,
        state: Vec::new(),
    }
}

/// The `i`th name's tag: 16 hex digits, all picking the same object, in key order by `i`.
fn tag(i: usize) -> String {
    format!("{:016x}", i * 256)
}

fn record(i: usize) -> String {
    format!("{DECOY_RECORD_PREFIX}{}", tag(i))
}

/// `live` records guessed at `LIVE_AT` first in key order, then `expired` ones guessed at `T0`.
fn storage_with(live: usize, expired: usize) -> MemoryObjectStorage {
    let storage = MemoryObjectStorage::default();
    for i in 0..live + expired {
        let when = if i < live { LIVE_AT } else { T0 };
        block_on(apply_guard_op(
            &storage,
            &record(i),
            wrong_guess(),
            at(when),
        ))
        .unwrap();
    }
    storage
}

fn present(storage: &MemoryObjectStorage, i: usize) -> bool {
    block_on(storage.get(&record(i))).unwrap().is_some()
}

#[test]
fn sweeping_in_batches_reaches_expired_records_behind_a_thousand_live_ones() {
    let (live, expired) = (2_001, 500);
    let storage = storage_with(live, expired);
    assert!((0..live + expired).all(|i| present(&storage, i)));
    // One pass over 2,501 records takes three batches of 1,000.
    for _ in 0..(live + expired).div_ceil(BATCH) {
        let _ = block_on(sweep_decoys(&storage, at(SWEEP_AT), BATCH)).unwrap();
    }
    let kept: Vec<usize> = (0..live).filter(|&i| !present(&storage, i)).collect();
    assert!(kept.is_empty(), "live records deleted: {kept:?}");
    let left: Vec<usize> = (live..live + expired)
        .filter(|&i| present(&storage, i))
        .collect();
    assert!(
        left.is_empty(),
        "{} expired records left, from {:?}",
        left.len(),
        left.first()
    );
}

#[test]
fn a_sweep_wraps_at_the_end_and_its_next_pass_starts_from_the_beginning() {
    let (live, expired) = (1_001, 200);
    let storage = storage_with(live, expired);
    let sweep = |now| block_on(sweep_decoys(&storage, at(now), BATCH)).unwrap();
    assert!(
        !sweep(SWEEP_AT),
        "1,201 records: the first batch stops short"
    );
    assert!(sweep(SWEEP_AT), "the second batch reaches the end");
    assert!((0..live).all(|i| present(&storage, i)));
    assert!((live..live + expired).all(|i| !present(&storage, i)));
    // A finished pass leaves no cursor behind: the object holds its decoy records only.
    let all = block_on(storage.list("", None, usize::MAX)).unwrap();
    assert_eq!(all.len(), live);
    assert!(all.iter().all(|(k, _)| k.starts_with(DECOY_RECORD_PREFIX)));
    // A day after the live records' guesses, the next pass starts over and deletes them all.
    let later = LIVE_AT + 86_400;
    assert!(!sweep(later));
    assert!(sweep(later));
    assert!((0..live).all(|i| !present(&storage, i)));
    assert!(
        block_on(storage.list("", None, usize::MAX))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_cursor_whose_record_is_gone_still_resumes_after_it() {
    // The last record of the first batch is expired: it is deleted, and the cursor names it.
    let storage = storage_with(999, 300);
    let sweep = || block_on(sweep_decoys(&storage, at(SWEEP_AT), BATCH)).unwrap();
    assert!(!sweep());
    assert!(!present(&storage, 999));
    assert!(sweep());
    assert!((0..999).all(|i| present(&storage, i)));
    assert!((999..1_299).all(|i| !present(&storage, i)));
}

#[test]
fn the_memory_platform_sweeps_in_batches_like_the_alarm() {
    let platform = MemoryPlatform::new(T0);
    let (live, expired) = (1_500, 300);
    let addresses: Vec<GuardAddress> = (0..live + expired)
        .map(|i| GuardAddress::of_unknown_name(&tag(i)))
        .collect();
    assert!(addresses.iter().all(|a| a.object == addresses[0].object));
    for a in &addresses[live..] {
        block_on(platform.guard(a, wrong_guess())).unwrap();
    }
    platform.advance(LIVE_AT - T0);
    for a in &addresses[..live] {
        block_on(platform.guard(a, wrong_guess())).unwrap();
    }
    platform.advance(SWEEP_AT - LIVE_AT);
    assert_eq!(platform.guard_records(), live + expired);
    for _ in 0..(live + expired).div_ceil(BATCH) {
        let _ = block_on(platform.sweep_decoys_batch(BATCH)).unwrap();
    }
    assert_eq!(platform.guard_records(), live);
}
