//! The atomic steps: per-account secret state (a code and its tries, secrets used once) and the
//! global registry of codes redeemable without their account.
//!
//! The logic lives here once; a platform only gives it an [`ObjectStorage`] whose calls run alone
//! (a Durable Object's storage under its input gate, or a map in memory), and runs one op at a time.

use std::collections::BTreeMap;

use pwreset_core::UnixTime;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::platform::{PlatformError, PlatformResult};

/// Wrong tries that burn a code: the fifth wrong guess deletes it.
pub const MAX_WRONG_TRIES: u32 = 5;

/// The chance of any successful guess of a code redeemed without its account that the service
/// accepts per UTC day: 1 in 10,000.
pub const DAILY_GUESS_RISK_BUDGET: f64 = 1e-4;

/// Key-value storage that one op at a time has to itself.
pub trait ObjectStorage {
    /// The value under `key`.
    async fn get(&self, key: &str) -> PlatformResult<Option<String>>;
    /// Stores `value` under `key`.
    async fn put(&self, key: &str, value: &str) -> PlatformResult<()>;
    /// Removes `key`.
    async fn delete(&self, key: &str) -> PlatformResult<()>;
}

/// An operation on one account's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GuardOp {
    /// A new code replaces any outstanding one; its tries start at zero.
    IssueCode {
        /// Keyed digest (hex) of the code in the account's scope.
        digest: String,
        /// Expiry (unix seconds).
        expires_at: u64,
        /// The code's digest in the global registry, when it was claimed there.
        global_digest: Option<String>,
    },
    /// A presented code (its digests under every key): right → consumed; wrong → one try used.
    RedeemCode {
        /// Keyed digests (hex) of the presented code, one per key.
        digests: Vec<String>,
    },
    /// Uses a secret (a payload nonce) once; refused when it was issued before the last
    /// password change.
    Consume {
        /// The secret's id.
        secret_id: String,
        /// When the secret was issued (unix seconds).
        #[serde(default)]
        issued_at: u64,
        /// When the secret expires anyway (the record is kept until then).
        expires_at: u64,
    },
    /// Whether a credential issued at `issued_at` predates the last password change. The guard is
    /// strongly consistent where the account record in KV is not, so this closes the window in
    /// which another location still reads the old password state.
    CheckIssued {
        /// When the credential was issued (unix seconds).
        issued_at: u64,
    },
    /// A link was sent: it is live until used, expired or a password change.
    IssueLink {
        /// The link record's storage key.
        secret_id: String,
        /// Expiry (unix seconds).
        expires_at: u64,
    },
    /// Uses a live link once.
    UseLink {
        /// The link record's storage key.
        secret_id: String,
    },
    /// The password changed: any outstanding code and every live link die.
    PasswordChanged {
        /// When it changed, by the caller's clock (the clock that stamps the new credentials, so
        /// a token issued with the change is never older than it).
        changed_at: u64,
    },
}

/// The answer to a [`GuardOp`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum GuardAnswer {
    /// The code is stored; a replaced code's global digest is to be released.
    Issued {
        /// The replaced code's global digest.
        released_global: Option<String>,
    },
    /// The code was right and is now used up.
    CodeAccepted {
        /// Its global digest, to be released.
        global_digest: Option<String>,
    },
    /// The code was wrong; `tries_left` more before it burns.
    CodeWrong {
        /// Wrong tries left (at least 1).
        tries_left: u32,
    },
    /// The code was wrong for the last time and is now burnt.
    CodeBurnt {
        /// Its global digest, to be released.
        released_global: Option<String>,
    },
    /// No live code (none issued, expired, used or burnt).
    NoCode,
    /// The secret was unused and is now used.
    Consumed,
    /// The secret was used before (or, for a link, is no longer live).
    AlreadyUsed,
    /// The link is recorded as live.
    LinkIssued,
    /// The credential was issued at or after the last password change.
    Current,
    /// The credential predates the last password change.
    Revoked,
    /// The outstanding code (if any) is gone.
    Cleared {
        /// Its global digest, to be released.
        released_global: Option<String>,
    },
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct LiveCode {
    digest: String,
    expires_at: u64,
    wrong_tries: u32,
    global_digest: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct UsedSecret {
    id: String,
    expires_at: u64,
}

/// One account's secret state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GuardState {
    code: Option<LiveCode>,
    used: Vec<UsedSecret>,
    #[serde(default)]
    links: Vec<UsedSecret>,
    /// When the password last changed (unix seconds).
    #[serde(default)]
    password_changed_at: u64,
}

/// Hex digests compared in constant time.
fn same_digest(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl GuardState {
    /// Applies `op` at `now`.
    pub fn apply(&mut self, op: GuardOp, now: UnixTime) -> GuardAnswer {
        let now = now.as_secs();
        self.used.retain(|u| u.expires_at > now);
        self.links.retain(|l| l.expires_at > now);
        if self.code.as_ref().is_some_and(|c| c.expires_at <= now) {
            self.code = None;
        }
        match op {
            GuardOp::IssueCode {
                digest,
                expires_at,
                global_digest,
            } => {
                let replaced = self.code.take().and_then(|c| c.global_digest);
                self.code = Some(LiveCode {
                    digest,
                    expires_at,
                    wrong_tries: 0,
                    global_digest,
                });
                GuardAnswer::Issued {
                    released_global: replaced,
                }
            }
            GuardOp::RedeemCode { digests } => {
                let Some(code) = self.code.as_mut() else {
                    return GuardAnswer::NoCode;
                };
                // Every presented digest is compared, so the time does not depend on which matched.
                let right = digests
                    .iter()
                    .fold(false, |found, d| same_digest(d, &code.digest) | found);
                if right {
                    let global_digest = self.code.take().and_then(|c| c.global_digest);
                    return GuardAnswer::CodeAccepted { global_digest };
                }
                code.wrong_tries += 1;
                let tries_left = MAX_WRONG_TRIES.saturating_sub(code.wrong_tries);
                if tries_left == 0 {
                    let released_global = self.code.take().and_then(|c| c.global_digest);
                    return GuardAnswer::CodeBurnt { released_global };
                }
                GuardAnswer::CodeWrong { tries_left }
            }
            GuardOp::Consume {
                secret_id,
                issued_at,
                expires_at,
            } => {
                if issued_at < self.password_changed_at
                    || self.used.iter().any(|u| u.id == secret_id)
                {
                    return GuardAnswer::AlreadyUsed;
                }
                self.used.push(UsedSecret {
                    id: secret_id,
                    expires_at,
                });
                GuardAnswer::Consumed
            }
            GuardOp::IssueLink {
                secret_id,
                expires_at,
            } => {
                self.links.push(UsedSecret {
                    id: secret_id,
                    expires_at,
                });
                GuardAnswer::LinkIssued
            }
            GuardOp::UseLink { secret_id } => {
                let before = self.links.len();
                self.links.retain(|l| l.id != secret_id);
                if self.links.len() < before {
                    GuardAnswer::Consumed
                } else {
                    GuardAnswer::AlreadyUsed
                }
            }
            GuardOp::CheckIssued { issued_at } => {
                if issued_at < self.password_changed_at {
                    GuardAnswer::Revoked
                } else {
                    GuardAnswer::Current
                }
            }
            GuardOp::PasswordChanged { changed_at } => {
                self.links.clear();
                self.password_changed_at = changed_at;
                GuardAnswer::Cleared {
                    released_global: self.code.take().and_then(|c| c.global_digest),
                }
            }
        }
    }
}

const STATE_KEY: &str = "state";

/// Loads an account's state from `storage`, applies `op`, stores the result.
pub async fn apply_guard_op(
    storage: &impl ObjectStorage,
    op: GuardOp,
    now: UnixTime,
) -> PlatformResult<GuardAnswer> {
    let stored = storage.get(STATE_KEY).await?;
    let mut state: GuardState = match &stored {
        Some(text) => serde_json::from_str(text)
            .map_err(|e| PlatformError(format!("account guard state unreadable: {e}")))?,
        None => GuardState::default(),
    };
    let answer = state.apply(op, now);
    let text = serde_json::to_string(&state).expect("guard state serialises");
    // Unchanged state is not written back: reads (and guesses at accounts that don't exist) cost
    // no storage write.
    let unchanged = match &stored {
        Some(before) => *before == text,
        None => text == serde_json::to_string(&GuardState::default()).expect("serialises"),
    };
    if !unchanged {
        storage.put(STATE_KEY, &text).await?;
    }
    Ok(answer)
}

/// An operation on the global code registry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GlobalOp {
    /// Claims a code's global digest for an account; refused while another live code holds it.
    Claim {
        /// Keyed digest (hex) of the code in the global scope.
        digest: String,
        /// The account it belongs to.
        account_id: String,
        /// Expiry (unix seconds).
        expires_at: u64,
    },
    /// Looks up a presented code (its digests under every key) within the day's guess budget.
    Redeem {
        /// Keyed digests (hex) in the global scope, one per key.
        digests: Vec<String>,
        /// The codes' digit count (for the odds of a guess).
        digits: u8,
    },
    /// Frees a claim (the code was used, burnt or replaced).
    Release {
        /// The digest claimed.
        digest: String,
    },
}

/// The answer to a [`GlobalOp`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum GlobalAnswer {
    /// The claim holds.
    Claimed,
    /// Another live code holds this digest: draw another code.
    Taken,
    /// The code is live and belongs to this account.
    Found {
        /// The account.
        account_id: String,
        /// The digest that matched (to release once used).
        digest: String,
    },
    /// No live code matches; the guess was counted against the day's budget.
    NotFound,
    /// The day's guess budget is spent: no lookups until the next UTC day.
    Exhausted {
        /// Seconds until the next UTC day.
        retry_after: u64,
    },
    /// The claim is gone.
    Released,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Claim {
    account_id: String,
    expires_at: u64,
}

/// Bookkeeping beside the claims: live codes counted per expiry minute, and the day's spent risk.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Meta {
    /// Expiry minute → claims expiring in it.
    expiring: BTreeMap<u64, u32>,
    day: u64,
    risk: f64,
}

impl Meta {
    fn prune(&mut self, now: u64) {
        self.expiring
            .retain(|minute, n| minute * 60 > now && *n > 0);
        if self.day != now / 86_400 {
            self.day = now / 86_400;
            self.risk = 0.0;
        }
    }

    /// Live claims, counting a claim as live until the end of its expiry minute (an overcount
    /// makes the guess budget stricter, never looser).
    fn live(&self) -> u64 {
        self.expiring.values().map(|&n| u64::from(n)).sum()
    }

    fn add(&mut self, expires_at: u64) {
        *self.expiring.entry(expires_at.div_ceil(60)).or_default() += 1;
    }

    fn remove(&mut self, expires_at: u64) {
        if let Some(n) = self.expiring.get_mut(&expires_at.div_ceil(60)) {
            *n = n.saturating_sub(1);
        }
    }
}

const META_KEY: &str = "meta";

fn claim_key(digest: &str) -> String {
    format!("claim:{digest}")
}

async fn read<T: serde::de::DeserializeOwned>(
    storage: &impl ObjectStorage,
    key: &str,
) -> PlatformResult<Option<T>> {
    match storage.get(key).await? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| PlatformError(format!("global code registry unreadable: {e}"))),
    }
}

async fn write<T: Serialize>(
    storage: &impl ObjectStorage,
    key: &str,
    value: &T,
) -> PlatformResult<()> {
    let text = serde_json::to_string(value).expect("registry records serialise");
    storage.put(key, &text).await
}

/// Applies `op` to the global registry in `storage` at `now`.
pub async fn apply_global_op(
    storage: &impl ObjectStorage,
    op: GlobalOp,
    now: UnixTime,
) -> PlatformResult<GlobalAnswer> {
    let now = now.as_secs();
    let mut meta: Meta = read(storage, META_KEY).await?.unwrap_or_default();
    meta.prune(now);
    let answer = match op {
        GlobalOp::Claim {
            digest,
            account_id,
            expires_at,
        } => {
            let key = claim_key(&digest);
            let existing: Option<Claim> = read(storage, &key).await?;
            if existing.is_some_and(|c| c.expires_at > now) {
                GlobalAnswer::Taken
            } else {
                write(
                    storage,
                    &key,
                    &Claim {
                        account_id,
                        expires_at,
                    },
                )
                .await?;
                meta.add(expires_at);
                GlobalAnswer::Claimed
            }
        }
        GlobalOp::Redeem { digests, digits } => {
            if meta.risk >= DAILY_GUESS_RISK_BUDGET {
                return Ok(GlobalAnswer::Exhausted {
                    retry_after: 86_400 - now % 86_400,
                });
            }
            let mut found = None;
            for digest in digests {
                let claim: Option<Claim> = read(storage, &claim_key(&digest)).await?;
                if let Some(claim) = claim.filter(|c| c.expires_at > now) {
                    found.get_or_insert(GlobalAnswer::Found {
                        account_id: claim.account_id,
                        digest,
                    });
                }
            }
            found.unwrap_or_else(|| {
                meta.risk += meta.live() as f64 / 10f64.powi(i32::from(digits));
                GlobalAnswer::NotFound
            })
        }
        GlobalOp::Release { digest } => {
            let key = claim_key(&digest);
            if let Some(claim) = read::<Claim>(storage, &key).await? {
                storage.delete(&key).await?;
                if claim.expires_at > now {
                    meta.remove(claim.expires_at);
                }
            }
            GlobalAnswer::Released
        }
    };
    write(storage, META_KEY, &meta).await?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> UnixTime {
        UnixTime::from_secs(secs)
    }

    fn issue(state: &mut GuardState, digest: &str) {
        state.apply(
            GuardOp::IssueCode {
                digest: digest.into(),
                expires_at: 1_000,
                global_digest: None,
            },
            at(0),
        );
    }

    fn redeem(state: &mut GuardState, digest: &str) -> GuardAnswer {
        state.apply(
            GuardOp::RedeemCode {
                digests: vec![digest.into()],
            },
            at(10),
        )
    }

    #[test]
    fn the_fifth_wrong_try_burns_the_code_and_the_right_one_is_refused_after() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        for left in (1..MAX_WRONG_TRIES).rev() {
            assert_eq!(
                redeem(&mut state, "bb"),
                GuardAnswer::CodeWrong { tries_left: left }
            );
        }
        assert_eq!(
            redeem(&mut state, "bb"),
            GuardAnswer::CodeBurnt {
                released_global: None
            }
        );
        assert_eq!(redeem(&mut state, "aa"), GuardAnswer::NoCode);
    }

    #[test]
    fn a_right_code_is_used_once() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        assert_eq!(
            redeem(&mut state, "aa"),
            GuardAnswer::CodeAccepted {
                global_digest: None
            }
        );
        assert_eq!(redeem(&mut state, "aa"), GuardAnswer::NoCode);
    }

    #[test]
    fn an_expired_code_is_gone() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        let late = state.apply(
            GuardOp::RedeemCode {
                digests: vec!["aa".into()],
            },
            at(1_000),
        );
        assert_eq!(late, GuardAnswer::NoCode);
    }

    #[test]
    fn a_secret_is_consumed_once_until_it_expires() {
        let mut state = GuardState::default();
        let consume = |state: &mut GuardState, now| {
            state.apply(
                GuardOp::Consume {
                    secret_id: "n1".into(),
                    issued_at: 0,
                    expires_at: 100,
                },
                at(now),
            )
        };
        assert_eq!(consume(&mut state, 1), GuardAnswer::Consumed);
        assert_eq!(consume(&mut state, 2), GuardAnswer::AlreadyUsed);
        assert!(state.used.len() == 1);
        consume(&mut state, 200);
        assert!(state.used.iter().all(|u| u.expires_at == 100));
    }

    #[test]
    fn a_password_change_kills_the_outstanding_code_and_links() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        let link = GuardOp::IssueLink {
            secret_id: "link:1".into(),
            expires_at: 100,
        };
        assert_eq!(state.apply(link, at(1)), GuardAnswer::LinkIssued);
        state.apply(GuardOp::PasswordChanged { changed_at: 5 }, at(5));
        assert_eq!(redeem(&mut state, "aa"), GuardAnswer::NoCode);
        let use_link = GuardOp::UseLink {
            secret_id: "link:1".into(),
        };
        assert_eq!(state.apply(use_link, at(6)), GuardAnswer::AlreadyUsed);
    }

    #[test]
    fn credentials_issued_before_a_password_change_are_revoked() {
        let mut state = GuardState::default();
        let check = |state: &mut GuardState, issued_at| {
            state.apply(GuardOp::CheckIssued { issued_at }, at(50))
        };
        assert_eq!(check(&mut state, 1), GuardAnswer::Current);
        state.apply(GuardOp::PasswordChanged { changed_at: 40 }, at(40));
        assert_eq!(check(&mut state, 39), GuardAnswer::Revoked);
        assert_eq!(check(&mut state, 40), GuardAnswer::Current);
        let old_payload = GuardOp::Consume {
            secret_id: "payload:1".into(),
            issued_at: 30,
            expires_at: 100,
        };
        assert_eq!(state.apply(old_payload, at(50)), GuardAnswer::AlreadyUsed);
    }

    #[test]
    fn a_live_link_is_used_once_and_dies_at_expiry() {
        let mut state = GuardState::default();
        let issue_link = |id: &str| GuardOp::IssueLink {
            secret_id: id.into(),
            expires_at: 100,
        };
        let use_link = |id: &str| GuardOp::UseLink {
            secret_id: id.into(),
        };
        state.apply(issue_link("a"), at(1));
        state.apply(issue_link("b"), at(1));
        assert_eq!(state.apply(use_link("a"), at(2)), GuardAnswer::Consumed);
        assert_eq!(state.apply(use_link("a"), at(3)), GuardAnswer::AlreadyUsed);
        assert_eq!(
            state.apply(use_link("b"), at(100)),
            GuardAnswer::AlreadyUsed
        );
    }
}
