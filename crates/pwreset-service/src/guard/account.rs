//! One account's guard: which secrets are live, how many wrong tries its code has had, and when
//! its password last changed. Every step that sets a password goes through
//! [`GuardOp::ChangePassword`], which proves the secret, checks that nobody changed the password
//! since the caller read the account, uses the secret up and kills every other outstanding secret,
//! all at once: two secrets of one account used together change the password once.

use pwreset_core::UnixTime;
use serde::{Deserialize, Serialize};

use super::{ObjectStorage, same_digest};
use crate::platform::{PlatformError, PlatformResult};

/// Wrong tries that burn a code: the fifth wrong guess deletes it.
pub const MAX_WRONG_TRIES: u32 = 5;

/// What proves the right to set a new password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Proof {
    /// A code: its keyed digests (one per key) in the account's scope.
    Code {
        /// Hex digests.
        digests: Vec<String>,
    },
    /// A link: its record's storage key.
    Link {
        /// The storage key.
        secret_id: String,
    },
    /// A signed payload: its nonce, issue time and expiry.
    Payload {
        /// `payload:<nonce hex>`.
        secret_id: String,
        /// Issue time (unix seconds).
        issued_at: u64,
        /// Expiry (unix seconds).
        expires_at: u64,
    },
    /// The current password, already verified by the caller (a signed-in change).
    CurrentPassword,
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
        /// The code's digests in the global registry, when it was claimed there.
        #[serde(default)]
        global_digests: Vec<String>,
    },
    /// A link was sent: it is live until used, expired or a password change.
    IssueLink {
        /// The link record's storage key.
        secret_id: String,
        /// Expiry (unix seconds).
        expires_at: u64,
    },
    /// Whether a proof holds, without using it up. A wrong code costs a try.
    Check {
        /// The proof.
        proof: Proof,
    },
    /// Dialect A's step between code and password: a right code is used up (and buys a signed
    /// payload); a wrong one costs a try.
    RedeemCode {
        /// Keyed digests (hex) of the presented code, one per key.
        digests: Vec<String>,
    },
    /// Whether a credential issued at `issued_at` predates the last password change. The guard is
    /// strongly consistent where the account record in KV is not, so this closes the window in
    /// which another location still reads the old password state.
    CheckIssued {
        /// When the credential was issued (unix seconds).
        issued_at: u64,
    },
    /// Sets the password: atomically, the proof must hold and the password must not have changed
    /// since `seen_changed_at` (what the caller read); then the proof is used up, every other code
    /// and link dies, and the change is recorded at `changed_at`.
    ChangePassword {
        /// What proves the right.
        proof: Proof,
        /// The account's `password_changed_at` as the caller read it.
        seen_changed_at: u64,
        /// When it changes, by the caller's clock (the clock that stamps the new credentials, so a
        /// token issued with the change is never older than it).
        changed_at: u64,
    },
}

/// The answer to a [`GuardOp`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum GuardAnswer {
    /// The code is stored; a replaced code's global digests are to be released.
    Issued {
        /// The replaced code's global digests.
        released_global: Vec<String>,
    },
    /// The link is recorded as live.
    LinkIssued,
    /// The proof holds (and, for [`GuardOp::RedeemCode`], the code is now used up).
    Holds {
        /// Global digests to release (a code used up).
        released_global: Vec<String>,
    },
    /// The code was wrong; `tries_left` more before it burns.
    CodeWrong {
        /// Wrong tries left (at least 1).
        tries_left: u32,
    },
    /// The code was wrong for the last time and is now burnt.
    CodeBurnt {
        /// Its global digests, to be released.
        released_global: Vec<String>,
    },
    /// The proof does not hold: no live code, a dead link, a used or stale payload, or a password
    /// changed since the caller read the account.
    Fails,
    /// The credential was issued at or after the last password change.
    Current,
    /// The credential predates the last password change.
    Revoked,
    /// The password change is recorded; every other secret is dead.
    Changed {
        /// Global digests to release (the codes that died).
        released_global: Vec<String>,
    },
}

impl GuardAnswer {
    /// Global digests this answer asks the caller to release.
    pub fn released_global(&self) -> &[String] {
        match self {
            GuardAnswer::Issued { released_global }
            | GuardAnswer::Holds { released_global }
            | GuardAnswer::CodeBurnt { released_global }
            | GuardAnswer::Changed { released_global } => released_global,
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct LiveCode {
    digest: String,
    expires_at: u64,
    wrong_tries: u32,
    #[serde(default)]
    global_digests: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Secret {
    id: String,
    expires_at: u64,
}

/// One account's secret state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GuardState {
    code: Option<LiveCode>,
    /// Payload nonces used, kept until they expire.
    #[serde(default)]
    used: Vec<Secret>,
    /// Links sent and not yet used.
    #[serde(default)]
    links: Vec<Secret>,
    /// When the password last changed (unix seconds).
    #[serde(default)]
    password_changed_at: u64,
    /// Codes presented when none was live. Counting them makes such a guess write its state just as
    /// a wrong guess at a live code does, so the time of the answer tells neither whether the
    /// account has a live code nor (with the decoy objects of unknown accounts) whether it exists.
    #[serde(default)]
    stray_tries: u32,
}

/// What checking a proof found.
enum Verdict {
    Holds,
    CodeWrong(u32),
    CodeBurnt(Vec<String>),
    Fails,
}

impl GuardState {
    /// Applies `op` at `now`.
    pub fn apply(&mut self, op: GuardOp, now: UnixTime) -> GuardAnswer {
        let now = now.as_secs();
        self.used.retain(|u| u.expires_at > now);
        self.links.retain(|l| l.expires_at > now);
        if self.code.as_ref().is_some_and(|c| c.expires_at <= now) {
            // An expired code's global claims lapse by themselves in the registry.
            self.code = None;
        }
        match op {
            GuardOp::IssueCode {
                digest,
                expires_at,
                global_digests,
            } => {
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
                });
                GuardAnswer::Issued {
                    released_global: replaced,
                }
            }
            GuardOp::IssueLink {
                secret_id,
                expires_at,
            } => {
                self.links.push(Secret {
                    id: secret_id,
                    expires_at,
                });
                GuardAnswer::LinkIssued
            }
            GuardOp::Check { proof } => self.verdict(&proof).into_answer(Vec::new()),
            GuardOp::RedeemCode { digests } => match self.verdict(&Proof::Code { digests }) {
                Verdict::Holds => {
                    let released = self
                        .code
                        .take()
                        .map(|c| c.global_digests)
                        .unwrap_or_default();
                    Verdict::Holds.into_answer(released)
                }
                other => other.into_answer(Vec::new()),
            },
            GuardOp::CheckIssued { issued_at } => {
                if issued_at < self.password_changed_at {
                    GuardAnswer::Revoked
                } else {
                    GuardAnswer::Current
                }
            }
            GuardOp::ChangePassword {
                proof,
                seen_changed_at,
                changed_at,
            } => {
                if seen_changed_at < self.password_changed_at {
                    return GuardAnswer::Fails;
                }
                match self.verdict(&proof) {
                    Verdict::Holds => {}
                    other => return other.into_answer(Vec::new()),
                }
                if let Proof::Payload {
                    secret_id,
                    expires_at,
                    ..
                } = proof
                {
                    self.used.push(Secret {
                        id: secret_id,
                        expires_at,
                    });
                }
                self.links.clear();
                self.password_changed_at = self.password_changed_at.max(changed_at);
                GuardAnswer::Changed {
                    released_global: self
                        .code
                        .take()
                        .map(|c| c.global_digests)
                        .unwrap_or_default(),
                }
            }
        }
    }

    /// Whether `proof` holds now; a wrong code costs a try (and burns at the fifth).
    fn verdict(&mut self, proof: &Proof) -> Verdict {
        match proof {
            Proof::CurrentPassword => Verdict::Holds,
            Proof::Link { secret_id } => {
                if self.links.iter().any(|l| l.id == *secret_id) {
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
            Proof::Code { digests } => {
                let Some(code) = self.code.as_mut() else {
                    self.stray_tries = self.stray_tries.wrapping_add(1);
                    return Verdict::Fails;
                };
                // Every presented digest is compared, so the time does not depend on which matched.
                let right = digests
                    .iter()
                    .fold(false, |found, d| same_digest(d, &code.digest) | found);
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
                    return Verdict::CodeBurnt(released);
                }
                Verdict::CodeWrong(tries_left)
            }
        }
    }
}

impl Verdict {
    fn into_answer(self, released_on_hold: Vec<String>) -> GuardAnswer {
        match self {
            Verdict::Holds => GuardAnswer::Holds {
                released_global: released_on_hold,
            },
            Verdict::CodeWrong(tries_left) => GuardAnswer::CodeWrong { tries_left },
            Verdict::CodeBurnt(released_global) => GuardAnswer::CodeBurnt { released_global },
            Verdict::Fails => GuardAnswer::Fails,
        }
    }
}

const STATE_KEY: &str = "state";

/// Loads an account's state from `storage`, applies `op`, stores the result when it changed
/// (reads, and guesses at accounts that don't exist, cost no storage write).
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
    let unchanged = match &stored {
        Some(before) => *before == text,
        None => text == serde_json::to_string(&GuardState::default()).expect("serialises"),
    };
    if !unchanged {
        storage.put(STATE_KEY, &text).await?;
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> UnixTime {
        UnixTime::from_secs(secs)
    }

    fn code(digest: &str) -> Proof {
        Proof::Code {
            digests: vec![digest.into()],
        }
    }

    fn issue(state: &mut GuardState, digest: &str) {
        state.apply(
            GuardOp::IssueCode {
                digest: digest.into(),
                expires_at: 1_000,
                global_digests: vec!["g".into()],
            },
            at(0),
        );
    }

    fn change(state: &mut GuardState, proof: Proof, seen: u64, now: u64) -> GuardAnswer {
        state.apply(
            GuardOp::ChangePassword {
                proof,
                seen_changed_at: seen,
                changed_at: now,
            },
            at(now),
        )
    }

    #[test]
    fn the_fifth_wrong_try_burns_the_code_and_the_right_one_is_refused_after() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        for left in (1..MAX_WRONG_TRIES).rev() {
            let answer = state.apply(GuardOp::Check { proof: code("bb") }, at(1));
            assert_eq!(answer, GuardAnswer::CodeWrong { tries_left: left });
        }
        let burnt = state.apply(GuardOp::Check { proof: code("bb") }, at(1));
        assert_eq!(
            burnt,
            GuardAnswer::CodeBurnt {
                released_global: vec!["g".into()]
            }
        );
        assert_eq!(change(&mut state, code("aa"), 0, 2), GuardAnswer::Fails);
    }

    #[test]
    fn checking_a_right_code_leaves_it_live_and_redeeming_uses_it_up() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        let check = state.apply(GuardOp::Check { proof: code("aa") }, at(1));
        assert_eq!(
            check,
            GuardAnswer::Holds {
                released_global: vec![]
            }
        );
        let redeem = GuardOp::RedeemCode {
            digests: vec!["aa".into()],
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
            state.apply(GuardOp::Check { proof: code("aa") }, at(1_000)),
            GuardAnswer::Fails
        );
    }

    #[test]
    fn two_secrets_of_one_account_change_the_password_once() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        let link = GuardOp::IssueLink {
            secret_id: "link:1".into(),
            expires_at: 500,
        };
        state.apply(link, at(1));
        // Both requests read the account when its password last changed at 0.
        assert!(matches!(
            change(&mut state, code("aa"), 0, 10),
            GuardAnswer::Changed { .. }
        ));
        let second = Proof::Link {
            secret_id: "link:1".into(),
        };
        assert_eq!(change(&mut state, second, 0, 10), GuardAnswer::Fails);
    }

    #[test]
    fn a_change_kills_every_other_secret_and_earlier_credentials() {
        let mut state = GuardState::default();
        issue(&mut state, "aa");
        state.apply(
            GuardOp::IssueLink {
                secret_id: "link:1".into(),
                expires_at: 500,
            },
            at(1),
        );
        let payload = |id: &str, issued_at| Proof::Payload {
            secret_id: id.into(),
            issued_at,
            expires_at: 600,
        };
        assert!(matches!(
            change(&mut state, payload("p1", 5), 0, 40),
            GuardAnswer::Changed { .. }
        ));
        assert_eq!(
            state.apply(GuardOp::Check { proof: code("aa") }, at(41)),
            GuardAnswer::Fails
        );
        let link = Proof::Link {
            secret_id: "link:1".into(),
        };
        assert_eq!(
            state.apply(GuardOp::Check { proof: link }, at(41)),
            GuardAnswer::Fails
        );
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
    fn a_live_link_holds_until_used_or_expired() {
        let mut state = GuardState::default();
        for id in ["a", "b"] {
            let op = GuardOp::IssueLink {
                secret_id: id.into(),
                expires_at: 100,
            };
            state.apply(op, at(1));
        }
        let link = |id: &str| Proof::Link {
            secret_id: id.into(),
        };
        assert_eq!(
            state.apply(GuardOp::Check { proof: link("a") }, at(2)),
            GuardAnswer::Holds {
                released_global: vec![]
            }
        );
        assert!(matches!(
            change(&mut state, link("a"), 0, 3),
            GuardAnswer::Changed { .. }
        ));
        assert_eq!(
            state.apply(GuardOp::Check { proof: link("b") }, at(4)),
            GuardAnswer::Fails
        );
    }

    #[test]
    fn a_change_seen_stale_is_refused() {
        let mut state = GuardState::default();
        assert!(matches!(
            change(&mut state, Proof::CurrentPassword, 0, 10),
            GuardAnswer::Changed { .. }
        ));
        assert_eq!(
            change(&mut state, Proof::CurrentPassword, 5, 20),
            GuardAnswer::Fails
        );
    }
}
