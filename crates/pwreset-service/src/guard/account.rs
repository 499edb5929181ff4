//! One account's guard: which secrets are live, how many wrong tries its code has had, how many
//! guesses and messages the account has had today, and when its password last changed.
//!
//! Setting a password is two steps around the store's write, so that the guard and the store can
//! never disagree for good about whether the password changed:
//! 1. [`GuardOp::BeginChange`] proves the secret and records a *pending* change (nothing is used
//!    up yet, and a second change of the account waits behind it);
//! 2. the caller writes the new password to the store, then sends [`GuardOp::FinishChange`] with
//!    whether the store holds it: stored, the change is recorded (the secret is used up, every
//!    other outstanding secret dies); not stored, the pending change is dropped and the secret
//!    stays usable.
//!
//! When the second step is lost (the guard could not be reached), the next op that carries the
//! account as the store shows it resolves the pending change: a store that shows the change rolls
//! it forward, and a pending change older than [`CHANGE_LEASE_SECS`] that the store does not show
//! is dropped. So a failure at any step leaves the account resettable, and each secret either
//! unused or really used.

use pwreset_core::UnixTime;
use serde::{Deserialize, Serialize};

use crate::model::error::{PlatformError, PlatformResult};
use crate::model::guard_ops::{GuardAnswer, GuardOp, Proof};
use crate::model::secret::{Digest, SecretId};
use crate::model::tags::{IdentifierTag, StateTag};
use crate::ports::ObjectStorage;

/// Wrong tries that burn a code: the fifth wrong guess deletes it.
pub const MAX_WRONG_TRIES: u32 = 5;
/// Failed code guesses an account may have in a rolling day (whichever code, identifier, dialect
/// or IP they came from); past it, code redemption pauses until the oldest is a day old. NIST SP
/// 800-63B caps failed attempts at 100.
pub const DAILY_FAILED_GUESSES: usize = 100;
/// Reset messages (codes and links) an account may be sent in a rolling day.
pub const DAILY_MESSAGES: usize = 10;
/// How long a begun password change holds the account before a later request may drop it: longer
/// than a store's read may lag behind its writes (KV: about 60 s), so that a change whose end was
/// lost is settled by a read that shows it.
pub const CHANGE_LEASE_SECS: u64 = 90;
/// How long after a recorded change a caller's read may still show the account from before it.
/// Past this, a store that shows an older change went back (a restore) or keeps no time: the
/// guard follows it rather than refuse every later change.
pub const STALE_READ_SECS: u64 = 120;
/// A rolling day.
const DAY_SECS: u64 = 86_400;
/// The most identifiers whose tries a guard counts at once (an account has a few: username,
/// address, phone; a decoy one).
const MAX_ASKED: usize = 8;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct LiveCode {
    digest: Digest,
    expires_at: u64,
    wrong_tries: u32,
    #[serde(default)]
    global_digests: Vec<Digest>,
    /// Issue order (see [`GuardState::serial`]).
    #[serde(default)]
    serial: u64,
    /// The password state it was issued against (a state tag; empty: issued before secrets were
    /// bound, holds whatever the state).
    #[serde(default)]
    state: StateTag,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Secret {
    id: SecretId,
    expires_at: u64,
    #[serde(default)]
    serial: u64,
    /// As [`LiveCode::state`] (links; empty for used payloads, which carry their own binding).
    #[serde(default)]
    state: StateTag,
}

/// Whether a secret issued against `issued_for` holds for the account's current state, given as
/// its tags under every key (each compared in constant time). A secret from before the binding
/// (no tag) holds.
fn same_state(issued_for: &StateTag, current: &[StateTag]) -> bool {
    issued_for.is_unbound() || issued_for.is_among(current)
}

/// A begun password change that the store may or may not hold yet.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PendingChange {
    change_id: String,
    proof: Proof,
    changed_at: u64,
    /// Secrets issued before the change began (serial below this) die with it.
    serial: u64,
    /// Until when (unix seconds) it holds the account against other changes.
    lease_until: u64,
}

/// One account's secret state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GuardState {
    code: Option<LiveCode>,
    /// Payload nonces used, kept until they expire.
    #[serde(default)]
    used: Vec<Secret>,
    /// The newest link sent and not yet used (a new link supersedes the older ones).
    #[serde(default)]
    links: Vec<Secret>,
    /// When the password last changed (unix seconds).
    #[serde(default)]
    password_changed_at: u64,
    /// The next issue serial: each code and link takes one, so a change knows which secrets were
    /// issued before it began, whatever the clocks say.
    #[serde(default)]
    serial: u64,
    /// A begun change not yet finished.
    #[serde(default)]
    pending: Option<PendingChange>,
    /// Each failed code guess of the last day (at most [`DAILY_FAILED_GUESSES`]): when, and the
    /// tag of the identifier it came through.
    #[serde(default)]
    guesses: Vec<FailedGuess>,
    /// When each reset message of the last day was issued (at most [`DAILY_MESSAGES`]).
    #[serde(default)]
    messages: Vec<u64>,
    /// The codes last asked for, per identifier (at most [`MAX_ASKED`]), with the tries since.
    #[serde(default)]
    asked: Vec<AskedCode>,
}

/// A failed code guess.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct FailedGuess {
    at: u64,
    by: IdentifierTag,
}

/// The tries through one identifier since a code was last asked for with it: what
/// [`GuardAnswer::Exhausted`] is decided on. Kept per identifier, and whether or not a code was
/// issued, so that a decoy guard (which issues none) counts exactly as an account's does, and so
/// that another identifier of the same account never changes what this one answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct AskedCode {
    /// The identifier's keyed tag.
    by: IdentifierTag,
    /// Failed code guesses through it since.
    wrong: u32,
    /// When the code asked for would expire (unix seconds): then this is forgotten.
    until: u64,
}

/// What checking a proof found.
enum Verdict {
    Holds,
    CodeWrong(u32),
    CodeBurnt(Vec<Digest>),
    /// The identifier's tries are spent (the digests of a code this try burnt, and whether it did).
    Exhausted(Vec<Digest>, bool),
    Paused(u64),
    Fails,
}

impl GuardState {
    /// Applies `op` at `now`. A failed guess that spends the day's guesses answers
    /// [`GuardAnswer::DaySpent`] around its own answer.
    pub fn apply(&mut self, op: GuardOp, now: UnixTime) -> GuardAnswer {
        let now = now.as_secs();
        self.forget_old(now);
        let guesses_before = self.guesses.len();
        let answer = self.apply_op(op, now);
        if guesses_before < DAILY_FAILED_GUESSES && self.guesses.len() >= DAILY_FAILED_GUESSES {
            GuardAnswer::DaySpent {
                then: Box::new(answer),
            }
        } else {
            answer
        }
    }

    fn apply_op(&mut self, op: GuardOp, now: u64) -> GuardAnswer {
        match op {
            GuardOp::IssueCode {
                digest,
                expires_at,
                global_digests,
                state,
                asked_as,
            } => {
                // Fresh tries through this identifier, whether or not the day's messages allow
                // the code: a decoy guard cannot tell.
                self.note_asked(&asked_as, expires_at);
                let serial = match self.take_message(now) {
                    Ok(serial) => serial,
                    Err(retry_after) => return GuardAnswer::DailyMessagesSent { retry_after },
                };
                let replaced = self
                    .code
                    .take()
                    .map(|c| c.global_digests)
                    .unwrap_or_default();
                self.code = Some(LiveCode {
                    digest,
                    expires_at,
                    wrong_tries: 0,
                    global_digests,
                    serial,
                    state,
                });
                GuardAnswer::Issued {
                    released_global: replaced,
                }
            }
            GuardOp::IssueLink {
                secret_id,
                expires_at,
                state,
            } => {
                let serial = match self.take_message(now) {
                    Ok(serial) => serial,
                    Err(retry_after) => return GuardAnswer::DailyMessagesSent { retry_after },
                };
                // The newest link supersedes the older ones: one live link per account.
                self.links.clear();
                self.links.push(Secret {
                    id: secret_id,
                    expires_at,
                    serial,
                    state,
                });
                GuardAnswer::LinkIssued
            }
            GuardOp::CodeAsked {
                asked_as,
                expires_at,
            } => {
                self.note_asked(&asked_as, expires_at);
                GuardAnswer::Noted
            }
            GuardOp::Check {
                proof,
                seen_changed_at,
                state,
            } => {
                self.settle(seen_changed_at, now);
                self.verdict(&proof, &state, now).into_answer(Vec::new())
            }
            GuardOp::RedeemCode {
                digests,
                asked_as,
                seen_changed_at,
                state,
            } => {
                self.settle(seen_changed_at, now);
                match self.verdict(&Proof::Code { digests, asked_as }, &state, now) {
                    Verdict::Holds => {
                        let released = self
                            .code
                            .take()
                            .map(|c| c.global_digests)
                            .unwrap_or_default();
                        Verdict::Holds.into_answer(released)
                    }
                    other => other.into_answer(Vec::new()),
                }
            }
            GuardOp::CheckIssued { issued_at } => {
                if issued_at < self.password_changed_at {
                    GuardAnswer::Revoked
                } else {
                    GuardAnswer::Current
                }
            }
            GuardOp::BeginChange {
                change_id,
                proof,
                seen_changed_at,
                state,
                changed_at,
            } => {
                self.settle(seen_changed_at, now);
                if let Some(pending) = &self.pending {
                    // Another change (or this secret's own, presented twice) is under way: nothing
                    // is used until it ends, so the caller may try again then.
                    return GuardAnswer::Busy {
                        retry_after: pending.lease_until.saturating_sub(now).max(1),
                    };
                }
                if seen_changed_at < self.password_changed_at {
                    let settled_at = self.password_changed_at + STALE_READ_SECS;
                    if now < settled_at {
                        // The caller read the account from before the last change: the proof it
                        // checked (the current password, a secret) may be dead. It reads afresh
                        // when it tries again.
                        return GuardAnswer::Busy {
                            retry_after: settled_at - now,
                        };
                    }
                    // Long after the change, a read is fresh: the store went back (a restore)
                    // or keeps no time. Follow it; the proof must still hold.
                }
                match self.verdict(&proof, &state, now) {
                    Verdict::Holds => {}
                    other => return other.into_answer(Vec::new()),
                }
                self.pending = Some(PendingChange {
                    change_id,
                    proof,
                    changed_at,
                    serial: self.serial + 1,
                    lease_until: now + CHANGE_LEASE_SECS,
                });
                GuardAnswer::Begun
            }
            GuardOp::FinishChange {
                change_id,
                changed_at,
                stored,
            } => {
                let pending = self.pending.take_if(|p| p.change_id == change_id);
                if stored {
                    GuardAnswer::Changed {
                        released_global: self.record_change(pending, changed_at),
                    }
                } else {
                    GuardAnswer::Dropped
                }
            }
        }
    }

    /// Drops what has expired or aged out of the rolling day.
    fn forget_old(&mut self, now: u64) {
        self.used.retain(|u| u.expires_at > now);
        self.links.retain(|l| l.expires_at > now);
        if self.code.as_ref().is_some_and(|c| c.expires_at <= now) {
            // An expired code's global claims lapse by themselves in the registry.
            self.code = None;
        }
        self.guesses.retain(|g| g.at + DAY_SECS > now);
        self.messages.retain(|&at| at + DAY_SECS > now);
        self.asked.retain(|a| a.until > now);
    }

    /// A code was asked for through `by` (a keyed tag; empty: an op from before the tries were
    /// counted per identifier), to expire at `until`: its tries start afresh.
    fn note_asked(&mut self, by: &IdentifierTag, until: u64) {
        if by.is_empty() {
            return;
        }
        self.asked.retain(|a| a.by != *by);
        self.asked.push(AskedCode {
            by: by.clone(),
            wrong: 0,
            until,
        });
        if self.asked.len() > MAX_ASKED {
            self.asked.remove(0);
        }
    }

    /// Counts a failed code guess through `by` against the code last asked for with it.
    fn note_wrong(&mut self, by: &IdentifierTag) {
        if let Some(asked) = self.asked.iter_mut().find(|a| a.by == *by) {
            asked.wrong = asked.wrong.saturating_add(1);
        }
    }

    /// Whether the tries of the code last asked for through `by` are spent.
    fn tries_spent(&self, by: &IdentifierTag) -> bool {
        self.asked
            .iter()
            .any(|a| a.by == *by && a.wrong >= MAX_WRONG_TRIES)
    }

    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// Counts a reset message against the day's cap and gives its secret the next issue serial;
    /// `Err` with the seconds to wait when the day's messages are spent.
    fn take_message(&mut self, now: u64) -> Result<u64, u64> {
        if self.messages.len() >= DAILY_MESSAGES {
            return Err(until_a_day_after(&self.messages, now));
        }
        self.messages.push(now);
        Ok(self.next_serial())
    }

    /// When today's failed guesses are spent: whether `asked_as` spent a day's worth on its own
    /// (and the seconds until it may guess again).
    fn guesses_paused(&self, asked_as: &IdentifierTag, now: u64) -> Option<Option<u64>> {
        if self.guesses.len() < DAILY_FAILED_GUESSES {
            return None;
        }
        let own: Vec<u64> = self
            .guesses
            .iter()
            .filter(|g| g.by == *asked_as)
            .map(|g| g.at)
            .collect();
        Some((own.len() >= DAILY_FAILED_GUESSES).then(|| until_a_day_after(&own, now)))
    }

    fn record_failed_guess(&mut self, asked_as: &IdentifierTag, now: u64) {
        self.guesses.push(FailedGuess {
            at: now,
            by: asked_as.clone(),
        });
    }

    /// Resolves a pending change by what the caller read from the store: a store that shows it
    /// (`seen_changed_at` at or after it) took the new password, so the change is recorded; one
    /// that does not, once the lease is over, never will, so the change is dropped.
    fn settle(&mut self, seen_changed_at: u64, now: u64) {
        let Some(pending) = &self.pending else {
            return;
        };
        if seen_changed_at >= pending.changed_at {
            // The change's own time, whatever the store shows (a clock ahead must not revoke
            // every later credential).
            let changed_at = pending.changed_at;
            let pending = self.pending.take();
            // A killed code's global claim lapses at its expiry: a phone-less guess that finds it
            // still meets this guard, which refuses it.
            self.record_change(pending, changed_at);
        } else if pending.lease_until <= now {
            self.pending = None;
        }
    }

    /// Records a password change at `changed_at`: the pending change's secret is used, and every
    /// secret issued before it began (every secret, without one) dies. Returns the dead code's
    /// global digests.
    fn record_change(&mut self, pending: Option<PendingChange>, changed_at: u64) -> Vec<Digest> {
        let issued_before = pending.as_ref().map_or(u64::MAX, |p| p.serial);
        if let Some(PendingChange {
            proof:
                Proof::Payload {
                    secret_id,
                    expires_at,
                    ..
                },
            ..
        }) = pending
        {
            self.used.push(Secret {
                id: secret_id,
                expires_at,
                serial: 0,
                state: StateTag::default(),
            });
        }
        self.links.retain(|l| l.serial >= issued_before);
        self.password_changed_at = self.password_changed_at.max(changed_at);
        if self.code.as_ref().is_some_and(|c| c.serial < issued_before) {
            self.code
                .take()
                .map(|c| c.global_digests)
                .unwrap_or_default()
        } else {
            Vec::new()
        }
    }

    /// Whether `proof` holds now for the account in `state` (its state tags as read); a wrong code
    /// costs a try (and burns at the fifth) and counts against the day's failed guesses. A link or
    /// code issued against another state (the password or the e-mail address changed since,
    /// whoever changed it) holds no more.
    fn verdict(&mut self, proof: &Proof, state: &[StateTag], now: u64) -> Verdict {
        match proof {
            Proof::CurrentPassword => Verdict::Holds,
            Proof::Link { secret_id } => {
                if self
                    .links
                    .iter()
                    .any(|l| l.id == *secret_id && same_state(&l.state, state))
                {
                    Verdict::Holds
                } else {
                    Verdict::Fails
                }
            }
            Proof::Payload {
                secret_id,
                issued_at,
                ..
            } => {
                let stale = *issued_at < self.password_changed_at;
                if stale || self.used.iter().any(|u| u.id == *secret_id) {
                    Verdict::Fails
                } else {
                    Verdict::Holds
                }
            }
            Proof::Code { digests, asked_as } => {
                // Decided before this try counts, on this identifier's own tries alone: an
                // unknown name's decoy counts them alike, and another identifier of the account
                // changes nothing here.
                let spent = self.tries_spent(asked_as);
                let wrong = |this: &mut Self, burnt: Option<Vec<Digest>>| {
                    this.record_failed_guess(asked_as, now);
                    this.note_wrong(asked_as);
                    match (spent, burnt) {
                        (true, burnt) => {
                            let was_burnt = burnt.is_some();
                            Verdict::Exhausted(burnt.unwrap_or_default(), was_burnt)
                        }
                        (false, Some(released)) => Verdict::CodeBurnt(released),
                        (false, None) => Verdict::Fails,
                    }
                };
                match self.guesses_paused(asked_as, now) {
                    None => {}
                    // This identifier spent the day's guesses itself: it is told when to retry.
                    Some(Some(retry_after)) => return Verdict::Paused(retry_after),
                    // The account's are spent through other identifiers: no code is judged, and
                    // the answer is a wrong code's. The guess still counts as this identifier's
                    // own, so that it meets its own pause after its own day's worth, as a name of
                    // no account or of another account would: a probe cannot tell which
                    // identifiers belong to the paused account.
                    Some(None) => return wrong(self, None),
                }
                if self
                    .code
                    .as_ref()
                    .is_some_and(|c| !same_state(&c.state, state))
                {
                    // Issued against another password state: dead, as if none were live.
                    self.code = None;
                }
                let Some(code) = self.code.as_mut() else {
                    // A guess with no live code is still a guess; recording it also makes the
                    // answer cost a write, as a wrong guess at a live code does, so the time tells
                    // neither whether the account has a live code nor whether it exists.
                    return wrong(self, None);
                };
                // Every presented digest is compared, so the time does not depend on which matched.
                let right = digests
                    .iter()
                    .fold(false, |found, d| (*d == code.digest) | found);
                if right {
                    return Verdict::Holds;
                }
                code.wrong_tries += 1;
                let tries_left = MAX_WRONG_TRIES.saturating_sub(code.wrong_tries);
                if tries_left == 0 {
                    let released = self
                        .code
                        .take()
                        .map(|c| c.global_digests)
                        .unwrap_or_default();
                    return wrong(self, Some(released));
                }
                match wrong(self, None) {
                    Verdict::Fails => Verdict::CodeWrong(tries_left),
                    spent => spent,
                }
            }
        }
    }
}

/// Seconds from `now` until the oldest of `times` (sorted, within the last day) is a day old.
fn until_a_day_after(times: &[u64], now: u64) -> u64 {
    times
        .first()
        .map_or(1, |&oldest| (oldest + DAY_SECS).saturating_sub(now).max(1))
}

impl Verdict {
    fn into_answer(self, released_on_hold: Vec<Digest>) -> GuardAnswer {
        match self {
            Verdict::Holds => GuardAnswer::Holds {
                released_global: released_on_hold,
            },
            Verdict::CodeWrong(tries_left) => GuardAnswer::CodeWrong { tries_left },
            Verdict::CodeBurnt(released_global) => GuardAnswer::CodeBurnt { released_global },
            Verdict::Exhausted(released_global, burnt) => GuardAnswer::Exhausted {
                released_global,
                burnt,
            },
            Verdict::Paused(retry_after) => GuardAnswer::GuessesPaused { retry_after },
            Verdict::Fails => GuardAnswer::Fails,
        }
    }
}

/// Loads the guard record `record` from `storage`, applies `op`, and stores the result when it
/// changed (reads, and guesses that change nothing, cost no write); a record left holding nothing
/// is deleted rather than kept.
pub async fn apply_guard_op(
    storage: &impl ObjectStorage,
    record: &str,
    op: GuardOp,
    now: UnixTime,
) -> PlatformResult<GuardAnswer> {
    let stored = storage.get(record).await?;
    let mut state: GuardState = match &stored {
        Some(text) => serde_json::from_str(text)
            .map_err(|e| PlatformError::unreadable("account guard state", &e))?,
        None => GuardState::default(),
    };
    let answer = state.apply(op, now);
    let text = serde_json::to_string(&state).expect("guard state serialises");
    if state.is_empty() {
        if stored.is_some() {
            storage.delete(record).await?;
        }
    } else if stored.as_deref() != Some(text.as_str()) {
        storage.put(record, &text).await?;
    }
    Ok(answer)
}

impl GuardState {
    /// Whether this state holds nothing: no live secret, no change, no guess or message to count.
    fn is_empty(&self) -> bool {
        self.code.is_none()
            && self.used.is_empty()
            && self.links.is_empty()
            && self.password_changed_at == 0
            && self.pending.is_none()
            && self.guesses.is_empty()
            && self.messages.is_empty()
            && self.asked.is_empty()
    }

    /// Whether, at `now`, this state holds nothing any more (everything in it expired or aged out).
    pub fn holds_nothing_at(&mut self, now: UnixTime) -> bool {
        self.forget_old(now.as_secs());
        self.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> UnixTime {
        UnixTime::from_secs(secs)
    }

    /// An identifier's tag as the guard reads it off the wire (the tests name identifiers by what
    /// they stand for; only the keyring makes real ones).
    fn tag(text: &str) -> IdentifierTag {
        serde_json::from_value(serde_json::json!(text)).unwrap()
    }

    /// A link's or payload's id as the guard reads it off the wire.
    fn secret(text: &str) -> SecretId {
        serde_json::from_value(serde_json::json!(text)).unwrap()
    }

    fn code(digest: &str) -> Proof {
        Proof::Code {
            digests: vec![digest.into()],
            asked_as: tag("by-username"),
        }
    }

    fn issue(state: &mut GuardState, digest: &str) {
        state.apply(
            GuardOp::IssueCode {
                state: Default::default(),
                asked_as: tag("by-username"),
                digest: digest.into(),
                expires_at: 1_000,
                global_digests: vec!["g".into()],
            },
            at(0),
        );
    }

    fn issue_at(state: &mut GuardState, digest: &str, now: u64) {
        let op = GuardOp::IssueCode {
            state: Default::default(),
            asked_as: tag("by-username"),
            digest: digest.into(),
            expires_at: now + 600,
            global_digests: vec![],
        };
        state.apply(op, at(now));
    }

    fn check(proof: Proof) -> GuardOp {
        GuardOp::Check {
            state: Default::default(),
            proof,
            seen_changed_at: 0,
        }
    }

    fn begin(state: &mut GuardState, proof: Proof, seen: u64, now: u64) -> GuardAnswer {
        let op = GuardOp::BeginChange {
            state: Default::default(),
            change_id: format!("change-{now}"),
            proof,
            seen_changed_at: seen,
            changed_at: now,
        };
        state.apply(op, at(now))
    }

    fn finish(state: &mut GuardState, changed_at: u64, stored: bool, now: u64) -> GuardAnswer {
        let change_id = format!("change-{changed_at}");
        let op = GuardOp::FinishChange {
            change_id,
            changed_at,
            stored,
        };
        state.apply(op, at(now))
    }

    /// Both steps of a change whose store write succeeds.
    fn change(state: &mut GuardState, proof: Proof, seen: u64, now: u64) -> GuardAnswer {
        match begin(state, proof, seen, now) {
            GuardAnswer::Begun => finish(state, now, true, now),
            other => other,
        }
    }

    #[test]
    fn the_fifth_wrong_try_burns_the_code_and_the_right_one_is_refused_after() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        for left in (1..MAX_WRONG_TRIES).rev() {
            let answer = state.apply(check(code("bb")), at(1));
            assert_eq!(answer, GuardAnswer::CodeWrong { tries_left: left });
        }
        let burnt = state.apply(check(code("bb")), at(1));
        assert_eq!(
            burnt,
            GuardAnswer::CodeBurnt {
                released_global: vec!["g".into()]
            }
        );
        // The right code is refused after: its identifier's tries are spent.
        let spent = GuardAnswer::Exhausted {
            released_global: vec![],
            burnt: false,
        };
        assert_eq!(change(&mut state, code("aa"), 0, 2), spent);
        assert_eq!(state.apply(check(code("bb")), at(3)), spent);
    }

    fn by(asked_as: &str, digest: &str) -> GuardOp {
        check(Proof::Code {
            digests: vec![digest.into()],
            asked_as: tag(asked_as),
        })
    }

    fn asked(state: &mut GuardState, asked_as: &str, now: u64) -> GuardAnswer {
        let op = GuardOp::CodeAsked {
            asked_as: tag(asked_as),
            expires_at: now + 600,
        };
        state.apply(op, at(now))
    }

    /// What five wrong tries and a sixth answer, as `HTTP` would tell them apart: exhausted or not.
    fn spent_after_five(state: &mut GuardState, asked_as: &str, now: u64) -> Vec<bool> {
        (0..=MAX_WRONG_TRIES)
            .map(|_| {
                let (answer, _) = state.apply(by(asked_as, "zz"), at(now)).day_spent();
                matches!(answer, GuardAnswer::Exhausted { .. })
            })
            .collect()
    }

    #[test]
    fn an_identifiers_tries_are_spent_alike_with_a_code_or_without_one() {
        let expected: Vec<bool> = (0..=MAX_WRONG_TRIES)
            .map(|n| n == MAX_WRONG_TRIES)
            .collect();
        // An account issued a code through its username, and a decoy told only that a code was
        // asked for: the same answers.
        let mut account = GuardState::default();
        issue_at(&mut account, "aa", 100);
        let mut decoy = GuardState::default();
        assert_eq!(asked(&mut decoy, "by-username", 100), GuardAnswer::Noted);
        assert_eq!(spent_after_five(&mut account, "by-username", 101), expected);
        assert_eq!(spent_after_five(&mut decoy, "by-username", 101), expected);
        // Another identifier of the account has tries of its own: none asked through it, none
        // spent, as for a name of no account.
        assert_eq!(
            spent_after_five(&mut account, "by-phone", 102),
            vec![false; 6]
        );
        // A new code asked for starts the tries afresh, issued or not (the day's messages spent,
        // or codes limited: `CodeAsked`).
        account.messages = vec![102; DAILY_MESSAGES];
        let refused = GuardOp::IssueCode {
            state: Default::default(),
            asked_as: tag("by-username"),
            digest: "cc".into(),
            expires_at: 700,
            global_digests: vec![],
        };
        assert!(matches!(
            account.apply(refused, at(103)),
            GuardAnswer::DailyMessagesSent { .. }
        ));
        asked(&mut decoy, "by-username", 103);
        assert_eq!(spent_after_five(&mut account, "by-username", 104), expected);
        assert_eq!(spent_after_five(&mut decoy, "by-username", 104), expected);
        // When the code asked for would have expired, the tries are forgotten.
        for state in [&mut account, &mut decoy] {
            let (answer, _) = state.apply(by("by-username", "zz"), at(703)).day_spent();
            assert_eq!(answer, GuardAnswer::Fails);
        }
    }

    /// The edge's guards answer over JSON (a Durable Object's): the new answers and ops survive it.
    #[test]
    fn the_answers_and_ops_of_spent_tries_travel_as_json() {
        let answers = [
            GuardAnswer::Exhausted {
                released_global: vec!["g".into()],
                burnt: true,
            },
            GuardAnswer::DaySpent {
                then: Box::new(GuardAnswer::CodeWrong { tries_left: 2 }),
            },
            GuardAnswer::Noted,
        ];
        for answer in answers {
            let text = serde_json::to_string(&answer).unwrap();
            assert_eq!(
                serde_json::from_str::<GuardAnswer>(&text).unwrap(),
                answer,
                "{text}"
            );
        }
        let op = GuardOp::CodeAsked {
            asked_as: tag("by-username"),
            expires_at: 600,
        };
        let text = serde_json::to_string(&op).unwrap();
        assert_eq!(serde_json::from_str::<GuardOp>(&text).unwrap(), op);
        // A stored state from before `asked` reads as none asked.
        let old: GuardState = serde_json::from_str(r#"{"code":null}"#).unwrap();
        assert!(old.asked.is_empty());
    }

    /// A record stored while the guard's tags and ids were plain strings reads back and is
    /// written again byte for byte; one from before the tags (no `state`, no `asked`) reads too.
    #[test]
    fn a_record_stored_with_string_tags_is_read_and_written_unchanged() {
        let stored = concat!(
            r#"{"code":{"digest":"3f1c","expires_at":700,"wrong_tries":1,"global_digests":["9a0b"],"#,
            r#""serial":2,"state":"k2:00112233445566778899aabbccddeeff"},"#,
            r#""used":[{"id":"payload:0123456789abcdef0123456789abcdef","expires_at":900,"serial":0,"state":""}],"#,
            r#""links":[{"id":"link:5e6f","expires_at":800,"serial":1,"state":"k2:00112233445566778899aabbccddeeff"}],"#,
            r#""password_changed_at":5,"serial":2,"#,
            r#""pending":{"change_id":"c0ffee","proof":{"kind":"link","secret_id":"link:5e6f"},"changed_at":10,"serial":3,"lease_until":100},"#,
            r#""guesses":[{"at":50,"by":"0123456789abcdef"}],"messages":[1,2],"#,
            r#""asked":[{"by":"0123456789abcdef","wrong":1,"until":700}]}"#,
        );
        let state: GuardState = serde_json::from_str(stored).unwrap();
        assert_eq!(serde_json::to_string(&state).unwrap(), stored);
        let old = r#"{"code":{"digest":"3f1c","expires_at":700,"wrong_tries":0},"links":[{"id":"link:5e6f","expires_at":800}]}"#;
        let state: GuardState = serde_json::from_str(old).unwrap();
        let written = concat!(
            r#"{"code":{"digest":"3f1c","expires_at":700,"wrong_tries":0,"global_digests":[],"#,
            r#""serial":0,"state":""},"used":[],"#,
            r#""links":[{"id":"link:5e6f","expires_at":800,"serial":0,"state":""}],"#,
            r#""password_changed_at":0,"serial":0,"pending":null,"guesses":[],"messages":[],"asked":[]}"#,
        );
        assert_eq!(serde_json::to_string(&state).unwrap(), written);
    }

    #[test]
    fn a_try_that_burns_the_code_through_a_spent_identifier_reports_both() {
        let mut state = GuardState::default();
        issue_at(&mut state, "aa", 10);
        asked(&mut state, "by-email", 10);
        // Four wrong tries through the e-mail address.
        for _ in 0..MAX_WRONG_TRIES - 1 {
            state.apply(by("by-email", "zz"), at(11));
        }
        // A new code through the username; one more wrong try through the address spends its
        // tries, and the new code's fifth wrong try, through the spent address, burns it.
        issue_at(&mut state, "aa", 12);
        state.apply(by("by-email", "zz"), at(13));
        for _ in 0..MAX_WRONG_TRIES - 2 {
            assert!(matches!(
                state.apply(by("by-email", "zz"), at(14)),
                GuardAnswer::Exhausted { burnt: false, .. }
            ));
        }
        assert_eq!(
            state.apply(by("by-email", "zz"), at(15)),
            GuardAnswer::Exhausted {
                released_global: vec![],
                burnt: true
            }
        );
    }

    #[test]
    fn checking_a_right_code_leaves_it_live_and_redeeming_uses_it_up() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        let check = state.apply(check(code("aa")), at(1));
        assert_eq!(
            check,
            GuardAnswer::Holds {
                released_global: vec![]
            }
        );
        let redeem = GuardOp::RedeemCode {
            state: Default::default(),
            digests: vec!["aa".into()],
            asked_as: tag("by-username"),
            seen_changed_at: 0,
        };
        assert_eq!(
            state.apply(redeem.clone(), at(2)),
            GuardAnswer::Holds {
                released_global: vec!["g".into()]
            }
        );
        assert_eq!(state.apply(redeem, at(3)), GuardAnswer::Fails);
    }

    #[test]
    fn an_expired_code_is_gone() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        assert_eq!(
            state.apply(check(code("aa")), at(1_000)),
            GuardAnswer::Fails
        );
    }

    #[test]
    fn two_secrets_of_one_account_change_the_password_once() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        let link = GuardOp::IssueLink {
            state: Default::default(),
            secret_id: secret("link:1"),
            expires_at: 500,
        };
        state.apply(link, at(1));
        // Both requests read the account when its password last changed at 0.
        assert!(matches!(
            change(&mut state, code("aa"), 0, 10),
            GuardAnswer::Changed { .. }
        ));
        let second = Proof::Link {
            secret_id: secret("link:1"),
        };
        // The second read the account before the first changed it: it waits, reads afresh, and
        // finds its link dead.
        assert!(matches!(
            change(&mut state, second.clone(), 0, 10),
            GuardAnswer::Busy { .. }
        ));
        assert_eq!(change(&mut state, second, 10, 11), GuardAnswer::Fails);
    }

    #[test]
    fn a_change_kills_every_other_secret_and_earlier_credentials() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        state.apply(
            GuardOp::IssueLink {
                state: Default::default(),
                secret_id: secret("link:1"),
                expires_at: 500,
            },
            at(1),
        );
        let payload = |id: &str, issued_at| Proof::Payload {
            secret_id: secret(id),
            issued_at,
            expires_at: 600,
        };
        assert!(matches!(
            change(&mut state, payload("p1", 5), 0, 40),
            GuardAnswer::Changed { .. }
        ));
        assert_eq!(state.apply(check(code("aa")), at(41)), GuardAnswer::Fails);
        let link = Proof::Link {
            secret_id: secret("link:1"),
        };
        assert_eq!(state.apply(check(link), at(41)), GuardAnswer::Fails);
        assert_eq!(
            state.apply(GuardOp::CheckIssued { issued_at: 39 }, at(41)),
            GuardAnswer::Revoked
        );
        assert_eq!(
            state.apply(GuardOp::CheckIssued { issued_at: 40 }, at(41)),
            GuardAnswer::Current
        );
        // The payload is used, and one issued before the change is stale.
        assert_eq!(
            change(&mut state, payload("p1", 40), 40, 42),
            GuardAnswer::Fails
        );
        assert_eq!(
            change(&mut state, payload("p2", 39), 40, 42),
            GuardAnswer::Fails
        );
        assert!(matches!(
            change(&mut state, payload("p3", 41), 40, 42),
            GuardAnswer::Changed { .. }
        ));
    }

    #[test]
    fn a_new_link_supersedes_the_older_ones_and_holds_until_used() {
        let mut state = GuardState::default();
        for id in ["a", "b"] {
            let op = GuardOp::IssueLink {
                state: Default::default(),
                secret_id: secret(id),
                expires_at: 100,
            };
            state.apply(op, at(1));
        }
        let link = |id: &str| Proof::Link {
            secret_id: secret(id),
        };
        assert_eq!(state.apply(check(link("a")), at(2)), GuardAnswer::Fails);
        assert_eq!(
            state.apply(check(link("b")), at(2)),
            GuardAnswer::Holds {
                released_global: vec![]
            }
        );
        assert!(matches!(
            change(&mut state, link("b"), 0, 3),
            GuardAnswer::Changed { .. }
        ));
        assert_eq!(state.apply(check(link("b")), at(4)), GuardAnswer::Fails);
    }

    fn link(id: &str) -> Proof {
        Proof::Link {
            secret_id: secret(id),
        }
    }

    fn issue_link(state: &mut GuardState, id: &str, now: u64) -> GuardAnswer {
        let op = GuardOp::IssueLink {
            state: Default::default(),
            secret_id: secret(id),
            expires_at: now + 3_600,
        };
        state.apply(op, at(now))
    }

    #[test]
    fn a_begun_change_uses_nothing_until_the_store_holds_it() {
        let mut state = GuardState::default();
        issue_link(&mut state, "a", 1);
        assert_eq!(begin(&mut state, link("a"), 0, 10), GuardAnswer::Begun);
        // The store refused the write: the change is dropped and the link still holds.
        assert_eq!(finish(&mut state, 10, false, 11), GuardAnswer::Dropped);
        assert!(matches!(
            state.apply(check(link("a")), at(12)),
            GuardAnswer::Holds { .. }
        ));
        assert!(matches!(
            change(&mut state, link("a"), 0, 20),
            GuardAnswer::Changed { .. }
        ));
        assert_eq!(state.apply(check(link("a")), at(21)), GuardAnswer::Fails);
    }

    #[test]
    fn a_second_change_waits_behind_a_begun_one_until_its_lease_ends() {
        let mut state = GuardState::default();
        issue_link(&mut state, "a", 1);
        assert_eq!(begin(&mut state, link("a"), 0, 10), GuardAnswer::Begun);
        assert_eq!(
            begin(&mut state, Proof::CurrentPassword, 0, 15),
            GuardAnswer::Busy {
                retry_after: CHANGE_LEASE_SECS - 5
            }
        );
        // The finish was lost and the store never took the password: after the lease the next
        // change drops the stale one, and the link is still usable.
        let after_lease = 10 + CHANGE_LEASE_SECS;
        assert_eq!(
            begin(&mut state, link("a"), 0, after_lease),
            GuardAnswer::Begun
        );
    }

    #[test]
    fn a_lost_finish_is_rolled_forward_by_the_next_request_that_reads_the_store() {
        let mut state = GuardState::default();
        issue_link(&mut state, "a", 1);
        assert_eq!(begin(&mut state, link("a"), 0, 10), GuardAnswer::Begun);
        // The store took the password (changed_at 10) but the finish never arrived. A fresh link
        // is sent meanwhile; a request that read the store then settles the change.
        issue_link(&mut state, "fresh", 12);
        assert_eq!(
            state.apply(
                GuardOp::Check {
                    state: Default::default(),
                    proof: link("a"),
                    seen_changed_at: 10,
                },
                at(13)
            ),
            GuardAnswer::Fails,
            "the used link is dead"
        );
        assert_eq!(
            state.apply(GuardOp::CheckIssued { issued_at: 9 }, at(13)),
            GuardAnswer::Revoked
        );
        assert!(matches!(
            change(&mut state, link("fresh"), 10, 14),
            GuardAnswer::Changed { .. }
        ));
    }

    #[test]
    fn a_finish_without_its_pending_change_still_records_the_change() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        issue_link(&mut state, "a", 1);
        assert!(matches!(
            finish(&mut state, 50, true, 50),
            GuardAnswer::Changed { .. }
        ));
        assert_eq!(state.apply(check(link("a")), at(51)), GuardAnswer::Fails);
        assert_eq!(state.apply(check(code("aa")), at(51)), GuardAnswer::Fails);
    }

    #[test]
    fn a_day_of_failed_guesses_pauses_every_code_even_the_right_one() {
        let mut state = GuardState::default();
        let mut now = 0;
        let mut failed = 0;
        while failed < DAILY_FAILED_GUESSES {
            now += 60;
            if failed % MAX_WRONG_TRIES as usize == 0 {
                // A fresh code (the day's message cap is not what this test is about).
                state.messages.clear();
                issue_at(&mut state, "aa", now);
            }
            let (answer, day_spent) = state.apply(check(code("bb")), at(now)).day_spent();
            assert!(matches!(
                answer,
                GuardAnswer::CodeWrong { .. } | GuardAnswer::CodeBurnt { .. }
            ));
            failed += 1;
            // The guess that spends the day says so, once.
            assert_eq!(day_spent, failed == DAILY_FAILED_GUESSES);
        }
        state.messages.clear();
        issue_at(&mut state, "aa", now);
        let paused = state.apply(check(code("aa")), at(now + 1));
        let first = 60;
        assert_eq!(
            paused,
            GuardAnswer::GuessesPaused {
                retry_after: first + DAY_SECS - (now + 1)
            }
        );
        // A day after the first failure, one more guess is allowed, and the right code holds.
        state.messages.clear();
        issue_at(&mut state, "aa", first + DAY_SECS - 1);
        assert!(matches!(
            state.apply(check(code("aa")), at(first + DAY_SECS)),
            GuardAnswer::Holds { .. }
        ));
    }

    #[test]
    fn guesses_with_no_live_code_count_against_the_day_too() {
        let mut state = GuardState::default();
        for i in 0..DAILY_FAILED_GUESSES as u64 {
            let (answer, _) = state.apply(check(code("bb")), at(i)).day_spent();
            assert_eq!(answer, GuardAnswer::Fails);
        }
        assert!(matches!(
            state.apply(check(code("bb")), at(200)),
            GuardAnswer::GuessesPaused { .. }
        ));
        // Links cannot be guessed, so the pause leaves them alone.
        issue_link(&mut state, "a", 201);
        assert!(matches!(
            state.apply(check(link("a")), at(202)),
            GuardAnswer::Holds { .. }
        ));
    }

    #[test]
    fn an_account_is_sent_at_most_the_days_messages() {
        let mut state = GuardState::default();
        for i in 0..DAILY_MESSAGES as u64 {
            assert_eq!(
                issue_link(&mut state, &format!("l{i}"), 100 + i),
                GuardAnswer::LinkIssued
            );
        }
        assert_eq!(
            issue_link(&mut state, "over", 200),
            GuardAnswer::DailyMessagesSent {
                retry_after: 100 + DAY_SECS - 200
            }
        );
        let code_op = GuardOp::IssueCode {
            state: Default::default(),
            asked_as: tag("by-username"),
            digest: "aa".into(),
            expires_at: 1_000,
            global_digests: vec![],
        };
        assert!(matches!(
            state.apply(code_op, at(300)),
            GuardAnswer::DailyMessagesSent { .. }
        ));
        assert_eq!(
            issue_link(&mut state, "next-day", 100 + DAY_SECS),
            GuardAnswer::LinkIssued
        );
    }

    #[test]
    fn a_change_seen_stale_waits_and_a_store_that_went_back_is_followed() {
        let mut state = GuardState::default();
        assert!(matches!(
            change(&mut state, Proof::CurrentPassword, 0, 10),
            GuardAnswer::Changed { .. }
        ));
        // A caller that read the account before the change is told to try again (and reads it
        // afresh then), never allowed through.
        assert_eq!(
            change(&mut state, Proof::CurrentPassword, 5, 20),
            GuardAnswer::Busy {
                retry_after: 10 + STALE_READ_SECS - 20
            }
        );
        // Long after, a read still older than the change means the store went back (a restore,
        // or a directory that keeps no time): the guard follows it rather than lock the account.
        assert!(matches!(
            change(&mut state, Proof::CurrentPassword, 0, 10 + STALE_READ_SECS),
            GuardAnswer::Changed { .. }
        ));
    }

    #[test]
    fn a_change_settled_from_the_store_keeps_its_own_time() {
        let mut state = GuardState::default();
        issue_link(&mut state, "a", 1);
        assert_eq!(begin(&mut state, link("a"), 0, 10), GuardAnswer::Begun);
        // The store shows a time far ahead (another clock): the guard records the change's own.
        let far = GuardOp::Check {
            state: Default::default(),
            proof: link("a"),
            seen_changed_at: 9_999_999,
        };
        assert_eq!(state.apply(far, at(11)), GuardAnswer::Fails);
        assert_eq!(
            state.apply(GuardOp::CheckIssued { issued_at: 12 }, at(12)),
            GuardAnswer::Current
        );
    }

    #[test]
    fn a_finish_names_its_own_change() {
        let mut state = GuardState::default();
        issue_link(&mut state, "a", 1);
        assert_eq!(begin(&mut state, link("a"), 0, 10), GuardAnswer::Begun);
        // Another request's finish, begun in the same second, does not drop this change.
        let other = GuardOp::FinishChange {
            change_id: "another".into(),
            changed_at: 10,
            stored: false,
        };
        state.apply(other, at(10));
        assert!(matches!(
            begin(&mut state, link("a"), 0, 11),
            GuardAnswer::Busy { .. }
        ));
    }
}
