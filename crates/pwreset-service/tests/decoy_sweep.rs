//! The decoy sweep resumes where its last run stopped: records that hold nothing any more are
//! deleted even when more than one batch of live records comes before them. An op on a decoy
//! record makes a sweep due; each alarm sweeps one batch and says when the next is due (the
//! Durable Object and the memory platform only set the alarms the service asks for).

use futures_executor::block_on;
use pwreset_core::UnixTime;
use pwreset_service::guard::{
    DECOY_RECORD_PREFIX, DECOY_SWEEP_BATCH as BATCH, DECOY_SWEEP_DELAY, DECOY_SWEEP_NEXT_BATCH,
    GuardAddress, GuardOp, ObjectStorage, Proof, apply_guard_op, decoy_alarm_after_op,
    decoy_sweep_alarm, sweep_decoys,
};
use pwreset_service::model::tags::IdentifierTag;
use pwreset_service::ports::AccountGuard as _;
use pwreset_service::testing::memory::{MemoryObjectStorage, MemoryPlatform};
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

/// The `i`th name's tag as the service holds it (read off the wire: only the keyring makes tags).
fn name_tag(i: usize) -> IdentifierTag {
    serde_json::from_value(serde_json::json!(tag(i))).unwrap()
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
        .map(|i| GuardAddress::of_unknown_name(&name_tag(i)))
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

#[test]
fn an_op_on_a_decoy_record_makes_a_sweep_due_once_and_an_accounts_never() {
    assert_eq!(
        decoy_alarm_after_op(&record(0), false),
        Some(DECOY_SWEEP_DELAY)
    );
    assert_eq!(decoy_alarm_after_op(&record(0), true), None, "already due");
    let account = GuardAddress::of_account("0123456789abcdef");
    assert_eq!(decoy_alarm_after_op(&account.record, false), None);
    assert_eq!(decoy_alarm_after_op(&account.record, true), None);
}

#[test]
fn each_alarm_sweeps_one_batch_and_says_when_the_next_is_due() {
    let (live, expired) = (1_001, 200);
    let storage = storage_with(live, expired);
    let alarm = |now| block_on(decoy_sweep_alarm(&storage, at(now))).unwrap();
    // 1,201 records: one batch stops short, so the next follows soon; the second reaches the end
    // with live records left, so the next pass comes later.
    assert_eq!(alarm(SWEEP_AT), Some(DECOY_SWEEP_NEXT_BATCH));
    assert_eq!(alarm(SWEEP_AT), Some(DECOY_SWEEP_DELAY));
    assert!((0..live).all(|i| present(&storage, i)));
    assert!((live..live + expired).all(|i| !present(&storage, i)));
    // A day after the live records' guesses, a pass deletes them all, and no alarm is left due.
    let later = LIVE_AT + 86_400;
    assert_eq!(alarm(later), Some(DECOY_SWEEP_NEXT_BATCH));
    assert_eq!(alarm(later), None);
    assert!(
        block_on(storage.list("", None, usize::MAX))
            .unwrap()
            .is_empty()
    );
    // An object with no decoy record needs no alarm.
    assert_eq!(alarm(later), None);
}

#[test]
fn the_memory_platforms_alarms_are_the_services() {
    let platform = MemoryPlatform::new(T0);
    let (live, expired) = (BATCH + 500, 300);
    let addresses: Vec<GuardAddress> = (0..live + expired)
        .map(|i| GuardAddress::of_unknown_name(&name_tag(i)))
        .collect();
    let object = addresses[0].object.clone();
    // An account's op sets no alarm; the first decoy op sets one, an hour on, and later ops
    // leave it.
    let account = GuardAddress::of_account("0123456789abcdef");
    block_on(platform.guard(&account, wrong_guess())).unwrap();
    assert!(platform.guard_alarms().is_empty());
    let first_alarm = T0 * 1000 + u64::try_from(DECOY_SWEEP_DELAY.as_millis()).unwrap();
    for a in &addresses[live..] {
        block_on(platform.guard(a, wrong_guess())).unwrap();
    }
    assert_eq!(platform.guard_alarms(), [(object.clone(), first_alarm)]);
    platform.advance(LIVE_AT - T0);
    for a in &addresses[..live] {
        block_on(platform.guard(a, wrong_guess())).unwrap();
    }
    assert_eq!(platform.guard_alarms(), [(object.clone(), first_alarm)]);
    // Once the first guesses are a day old, the alarm goes off: one batch per run, the next run a
    // second later, until the pass reaches the end; then, live records being left, the next pass
    // an hour later.
    platform.advance(SWEEP_AT - LIVE_AT);
    let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap();
    assert_eq!(block_on(platform.run_due_alarms()).unwrap(), 1);
    assert_eq!(
        platform.guard_alarms(),
        [(object.clone(), SWEEP_AT * 1000 + ms(DECOY_SWEEP_NEXT_BATCH))]
    );
    assert_eq!(block_on(platform.run_due_alarms()).unwrap(), 0, "not yet");
    platform.advance(1);
    assert_eq!(block_on(platform.run_due_alarms()).unwrap(), 1);
    assert_eq!(
        platform.guard_records(),
        live + 1,
        "the account's record stays"
    );
    assert_eq!(
        platform.guard_alarms(),
        [(object, (SWEEP_AT + 1) * 1000 + ms(DECOY_SWEEP_DELAY))]
    );
}
