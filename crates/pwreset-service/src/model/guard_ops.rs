//! The guards' operations and answers, and where a guard lives: the messages between the flows
//! and the atomic steps of the guards.

use serde::{Deserialize, Serialize};

use super::secret::{Digest, SecretId};
use super::tags::{IdentifierTag, StateTag};

/// How many objects hold every guard, accounts' and decoys' alike.
pub const GUARD_OBJECTS: u64 = 256;

/// How the records of accounts' guards start.
pub const ACCOUNT_RECORD_PREFIX: &str = "account:";

/// How the records of decoy guards start.
pub const DECOY_RECORD_PREFIX: &str = "name:";

/// Where a guard's state lives: an object and a record in its storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardAddress {
    /// The object's name (a Durable Object's name on the edge).
    pub object: String,
    /// The record's key in that object's storage.
    pub record: String,
}

impl GuardAddress {
    /// An account's guard. Its object comes from a plain hash of the id, so that it does not move
    /// when the keyring changes.
    pub fn of_account(account_id: &str) -> Self {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(account_id.as_bytes());
        let mut head = [0u8; 8];
        head.copy_from_slice(&digest[..8]);
        GuardAddress {
            object: object_name(u64::from_be_bytes(head)),
            record: format!("{ACCOUNT_RECORD_PREFIX}{account_id}"),
        }
    }

    /// The decoy guard of a name that matches no account, from the name's keyed tag
    /// ([`IdentifierTag`], 16 hex digits): nobody without the key can tell which object a name's
    /// guesses go to.
    pub fn of_unknown_name(name_tag: &IdentifierTag) -> Self {
        let name_tag = name_tag.as_str();
        let head = name_tag.get(..16).unwrap_or(name_tag);
        GuardAddress {
            object: object_name(u64::from_str_radix(head, 16).unwrap_or(0)),
            record: format!("{DECOY_RECORD_PREFIX}{name_tag}"),
        }
    }
}

/// Whether `record` is a decoy's (swept a day after its last guess).
pub fn is_decoy_record(record: &str) -> bool {
    record.starts_with(DECOY_RECORD_PREFIX)
}

fn object_name(hash: u64) -> String {
    format!("guards-{:03}", hash % GUARD_OBJECTS)
}

/// What proves the right to set a new password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Proof {
    /// A code: its keyed digests (one per key) in the account's scope.
    Code {
        /// Hex digests.
        digests: Vec<Digest>,
        /// The keyed tag of the identifier the code was presented with (username, address,
        /// phone, or `no-phone`): whose own day of guesses a paused account reports.
        #[serde(default)]
        asked_as: IdentifierTag,
    },
    /// A link: its record's storage key.
    Link {
        /// The storage key.
        secret_id: SecretId,
    },
    /// A signed payload: its nonce, issue time and expiry.
    Payload {
        /// `payload:<nonce hex>`.
        secret_id: SecretId,
        /// Issue time (unix seconds).
        issued_at: u64,
        /// Expiry (unix seconds).
        expires_at: u64,
    },
    /// The current password, already verified by the caller (a signed-in change).
    CurrentPassword,
}

/// An operation on one account's state.
///
/// Ops that prove a secret carry `seen_changed_at`: the account's `password_changed_at` as the
/// caller read it from the store, which is how a pending change learns whether the store took it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GuardOp {
    /// A new code replaces any outstanding one; its tries start at zero.
    IssueCode {
        /// Keyed digest (hex) of the code in the account's scope.
        digest: Digest,
        /// Expiry (unix seconds).
        expires_at: u64,
        /// The code's digests in the global registry, when it was claimed there.
        #[serde(default)]
        global_digests: Vec<Digest>,
        /// The newest tag of the account's password state as the issuer read it
        /// (`Keyring::state_tags`): the code holds only while the state has not changed.
        #[serde(default)]
        state: StateTag,
        /// The keyed tag of the identifier the code was asked for with: its tries start afresh
        /// (see [`GuardOp::CodeAsked`]), whether or not the code is issued.
        #[serde(default)]
        asked_as: IdentifierTag,
    },
    /// A code was asked for with the identifier `asked_as` and none is issued here: the account's
    /// codes are limited for now, or the name is unknown (its decoy guard). The tries counted
    /// through `asked_as` start afresh all the same, as an issued code's do, so that whether a code
    /// was issued never shows in what a try answers (see [`GuardAnswer::Exhausted`]).
    CodeAsked {
        /// The identifier's keyed tag.
        asked_as: IdentifierTag,
        /// When the code asked for would expire (unix seconds).
        expires_at: u64,
    },
    /// A link was sent: it is live until used, expired, superseded by a newer link or a password
    /// change.
    IssueLink {
        /// The link record's storage key.
        secret_id: SecretId,
        /// Expiry (unix seconds).
        expires_at: u64,
        /// The newest tag of the account's password state (see [`GuardOp::IssueCode`]).
        #[serde(default)]
        state: StateTag,
    },
    /// Whether a proof holds, without using it up. A wrong code costs a try.
    Check {
        /// The proof.
        proof: Proof,
        /// The account's `password_changed_at` as the caller read it.
        #[serde(default)]
        seen_changed_at: u64,
        /// The tags of the account's password state as the caller read it, one per key.
        #[serde(default)]
        state: Vec<StateTag>,
    },
    /// Dialect A's step between code and password: a right code is used up (and buys a signed
    /// payload); a wrong one costs a try.
    RedeemCode {
        /// Keyed digests (hex) of the presented code, one per key.
        digests: Vec<Digest>,
        /// The keyed tag of the identifier it was presented with (see [`Proof::Code`]).
        #[serde(default)]
        asked_as: IdentifierTag,
        /// The account's `password_changed_at` as the caller read it.
        #[serde(default)]
        seen_changed_at: u64,
        /// The tags of the account's password state as the caller read it, one per key.
        #[serde(default)]
        state: Vec<StateTag>,
    },
    /// Whether a credential issued at `issued_at` predates the last password change. The guard is
    /// strongly consistent where the account record in KV is not, so this closes the window in
    /// which another location still reads the old password state.
    CheckIssued {
        /// When the credential was issued (unix seconds).
        issued_at: u64,
    },
    /// Step one of setting the password: the proof must hold, the password must not have changed
    /// since `seen_changed_at`, and no other change may be under way; then the change is pending
    /// (nothing used up yet).
    BeginChange {
        /// A random id of this change, which its [`GuardOp::FinishChange`] names.
        change_id: String,
        /// What proves the right.
        proof: Proof,
        /// The account's `password_changed_at` as the caller read it.
        seen_changed_at: u64,
        /// The tags of the account's password state as the caller read it, one per key.
        #[serde(default)]
        state: Vec<StateTag>,
        /// When it changes, by the caller's clock (the clock that stamps the new credentials, so a
        /// token issued with the change is never older than it).
        changed_at: u64,
    },
    /// Step two: whether the store now holds the new password of change `change_id`.
    FinishChange {
        /// The begun change's id.
        change_id: String,
        /// The begun change's `changed_at`.
        changed_at: u64,
        /// `true`: recorded (secret used, every other secret dead); `false`: dropped.
        stored: bool,
    },
}

/// The answer to a [`GuardOp`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum GuardAnswer {
    /// The code is stored; a replaced code's global digests are to be released.
    Issued {
        /// The replaced code's global digests.
        released_global: Vec<Digest>,
    },
    /// The link is recorded as live.
    LinkIssued,
    /// The account was sent [`DAILY_MESSAGES`] in the last day: nothing was issued.
    DailyMessagesSent {
        /// Seconds until another may be sent.
        retry_after: u64,
    },
    /// The proof holds (and, for [`GuardOp::RedeemCode`], the code is now used up).
    Holds {
        /// Global digests to release (a code used up).
        released_global: Vec<Digest>,
    },
    /// The code was wrong; `tries_left` more before it burns.
    CodeWrong {
        /// Wrong tries left (at least 1).
        tries_left: u32,
    },
    /// The code was wrong for the last time and is now burnt.
    CodeBurnt {
        /// Its global digests, to be released.
        released_global: Vec<Digest>,
    },
    /// No code is judged: the tries of the code last asked for through this identifier are
    /// spent ([`MAX_WRONG_TRIES`] wrong ones through it), until a new code is asked for or that
    /// code would have expired. Counted per identifier, whether or not a code was issued, so an
    /// unknown name (its decoy guard) answers it in exactly the same situations as an account.
    Exhausted {
        /// Global digests to release (the live code burnt by this try).
        released_global: Vec<Digest>,
        /// Whether this try burnt the account's live code.
        #[serde(default)]
        burnt: bool,
    },
    /// This failed guess spent the account's day of failed guesses ([`DAILY_FAILED_GUESSES`]):
    /// `then` is what the guess itself answers; from now on codes pause.
    DaySpent {
        /// The guess's own answer.
        then: Box<GuardAnswer>,
    },
    /// The code asked for is noted ([`GuardOp::CodeAsked`]).
    Noted,
    /// The account had [`DAILY_FAILED_GUESSES`] failed code guesses in the last day: no code is
    /// judged (the right one is refused too) until `retry_after` seconds have passed.
    GuessesPaused {
        /// Seconds until a code may be tried again.
        retry_after: u64,
    },
    /// The proof does not hold: no live code, a dead link, a used or stale payload, or a password
    /// changed since the caller read the account.
    Fails,
    /// The credential was issued at or after the last password change.
    Current,
    /// The credential predates the last password change.
    Revoked,
    /// The change is pending: write the store, then [`GuardOp::FinishChange`].
    Begun,
    /// Another change of this account is under way: try again after `retry_after` seconds.
    Busy {
        /// Seconds until its lease ends.
        retry_after: u64,
    },
    /// The password change is recorded; every other secret is dead.
    Changed {
        /// Global digests to release (the codes that died).
        released_global: Vec<Digest>,
    },
    /// The pending change was dropped; its secret is still usable.
    Dropped,
}

impl GuardAnswer {
    /// Global digests this answer asks the caller to release.
    pub fn released_global(&self) -> &[Digest] {
        match self {
            GuardAnswer::Issued { released_global }
            | GuardAnswer::Holds { released_global }
            | GuardAnswer::CodeBurnt { released_global }
            | GuardAnswer::Exhausted {
                released_global, ..
            }
            | GuardAnswer::Changed { released_global } => released_global,
            GuardAnswer::DaySpent { then } => then.released_global(),
            _ => &[],
        }
    }

    /// The answer without a [`GuardAnswer::DaySpent`] around it, and whether there was one.
    pub fn day_spent(self) -> (GuardAnswer, bool) {
        match self {
            GuardAnswer::DaySpent { then } => (*then, true),
            other => (other, false),
        }
    }
}

/// An operation on the registry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GlobalOp {
    /// Claims a code for an account: refused when the code, under any key, is already live.
    Claim {
        /// The digest (hex) to store, under the newest key.
        stored: Digest,
        /// The code's digests under every key (the stored one among them).
        digests: Vec<Digest>,
        /// The account it belongs to.
        account_id: String,
        /// Expiry (unix seconds).
        expires_at: u64,
    },
    /// Looks up a presented code (its digests under every key) within the day's guess budget.
    Redeem {
        /// Keyed digests (hex) in the global scope, one per key.
        digests: Vec<Digest>,
        /// The codes' digit count (for the odds of a guess).
        digits: u8,
    },
    /// Frees claims (the code was used, burnt or replaced).
    Release {
        /// The stored digests.
        digests: Vec<Digest>,
    },
}

/// The answer to a [`GlobalOp`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum GlobalAnswer {
    /// The claim holds.
    Claimed,
    /// Another live code is the same code: draw another.
    Taken,
    /// The code is live and belongs to this account.
    Found {
        /// The account.
        account_id: String,
        /// The stored digest that matched (to release once used).
        digest: Digest,
    },
    /// No live code matches; the guess was counted against the day's budget.
    NotFound,
    /// The day's guess budget is spent: no lookups until the next UTC day.
    Exhausted {
        /// Seconds until the next UTC day.
        retry_after: u64,
    },
    /// The claims are gone.
    Released,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each op as the flows sent it and the guards stored it while its tags and ids were plain
    /// strings: a Durable Object's request body, and a pending change's proof in a stored record.
    const OPS_ON_THE_WIRE: [&str; 9] = [
        r#"{"op":"issue_code","digest":"3f1c","expires_at":700,"global_digests":["9a0b"],"state":"k2:00112233445566778899aabbccddeeff","asked_as":"0123456789abcdef"}"#,
        r#"{"op":"code_asked","asked_as":"0123456789abcdef","expires_at":700}"#,
        r#"{"op":"issue_link","secret_id":"link:5e6f","expires_at":800,"state":"k2:00112233445566778899aabbccddeeff"}"#,
        r#"{"op":"check","proof":{"kind":"code","digests":["3f1c","3f1d"],"asked_as":"0123456789abcdef"},"seen_changed_at":5,"state":["k2:00112233445566778899aabbccddeeff","k1:ffeeddccbbaa99887766554433221100"]}"#,
        r#"{"op":"redeem_code","digests":["3f1c"],"asked_as":"0123456789abcdef","seen_changed_at":5,"state":["k2:00112233445566778899aabbccddeeff"]}"#,
        r#"{"op":"check_issued","issued_at":9}"#,
        r#"{"op":"begin_change","change_id":"c0ffee","proof":{"kind":"link","secret_id":"link:5e6f"},"seen_changed_at":5,"state":["k2:00112233445566778899aabbccddeeff"],"changed_at":10}"#,
        r#"{"op":"begin_change","change_id":"c0ffee","proof":{"kind":"payload","secret_id":"payload:0123456789abcdef0123456789abcdef","issued_at":3,"expires_at":900},"seen_changed_at":5,"state":[],"changed_at":10}"#,
        r#"{"op":"finish_change","change_id":"c0ffee","changed_at":10,"stored":true}"#,
    ];

    #[test]
    fn guard_ops_travel_as_they_did_when_their_tags_were_strings() {
        for text in OPS_ON_THE_WIRE {
            let op: GuardOp = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&op).unwrap(), text);
        }
        // An op from before the tags (no `state`, no `asked_as`) reads with empty ones.
        let old: GuardOp = serde_json::from_str(
            r#"{"op":"issue_code","digest":"3f1c","expires_at":700,"global_digests":[]}"#,
        )
        .unwrap();
        let GuardOp::IssueCode {
            state, asked_as, ..
        } = &old
        else {
            panic!("{old:?}")
        };
        assert!(state.is_unbound() && asked_as.is_empty());
    }

    /// The ops the flows make from the keyring serialise to the very text the core's strings made.
    #[test]
    fn ops_made_from_the_keyring_are_the_strings_the_core_gives() {
        use pwreset_core::secrets::{Keyring, LinkToken, PasswordState};
        let key = |seed: u8| -> Vec<u8> {
            (0u8..32)
                .map(|i| i.wrapping_mul(151).wrapping_add(seed).wrapping_add(0x80))
                .collect()
        };
        let (newer, older) = (key(1), key(2));
        let keyring = Keyring::from_keys([("k2", &newer[..]), ("k1", &older[..])]).unwrap();
        let state = PasswordState::new("$argon2id$hash").bind("email", "jane@example.com");
        let raw_states = keyring.state_tags("acct-1", &state);
        let raw_tag = keyring.identifier_tag("jane");
        let link = LinkToken::generate().unwrap().digest(&keyring);
        let raw_link = link.storage_key();

        let states = StateTag::of(&keyring, "acct-1", &state);
        let tag = IdentifierTag::of(&keyring, "jane");
        let ops = [
            (
                GuardOp::IssueCode {
                    digest: Digest::from("3f1c"),
                    expires_at: 700,
                    global_digests: vec![],
                    state: states[0].clone(),
                    asked_as: tag.clone(),
                },
                format!(
                    r#"{{"op":"issue_code","digest":"3f1c","expires_at":700,"global_digests":[],"state":"{}","asked_as":"{raw_tag}"}}"#,
                    raw_states[0]
                ),
            ),
            (
                GuardOp::IssueLink {
                    secret_id: SecretId::of_link(&link),
                    expires_at: 800,
                    state: states[0].clone(),
                },
                format!(
                    r#"{{"op":"issue_link","secret_id":"{raw_link}","expires_at":800,"state":"{}"}}"#,
                    raw_states[0]
                ),
            ),
            (
                GuardOp::Check {
                    proof: Proof::Code {
                        digests: vec![Digest::from("3f1c")],
                        asked_as: tag.clone(),
                    },
                    seen_changed_at: 5,
                    state: states.clone(),
                },
                format!(
                    r#"{{"op":"check","proof":{{"kind":"code","digests":["3f1c"],"asked_as":"{raw_tag}"}},"seen_changed_at":5,"state":["{}","{}"]}}"#,
                    raw_states[0], raw_states[1]
                ),
            ),
            (
                GuardOp::BeginChange {
                    change_id: "c0ffee".into(),
                    proof: Proof::Payload {
                        secret_id: SecretId::of_payload("0123456789abcdef0123456789abcdef"),
                        issued_at: 3,
                        expires_at: 900,
                    },
                    seen_changed_at: 5,
                    state: states.clone(),
                    changed_at: 10,
                },
                format!(
                    r#"{{"op":"begin_change","change_id":"c0ffee","proof":{{"kind":"payload","secret_id":"payload:0123456789abcdef0123456789abcdef","issued_at":3,"expires_at":900}},"seen_changed_at":5,"state":["{}","{}"],"changed_at":10}}"#,
                    raw_states[0], raw_states[1]
                ),
            ),
        ];
        for (op, text) in ops {
            assert_eq!(serde_json::to_string(&op).unwrap(), text);
            assert_eq!(serde_json::from_str::<GuardOp>(&text).unwrap(), op);
        }
        // A decoy's address is where the name's raw tag pointed.
        let decoy = GuardAddress::of_unknown_name(&tag);
        assert_eq!(decoy.record, format!("{DECOY_RECORD_PREFIX}{raw_tag}"));
        let head = u64::from_str_radix(&raw_tag[..16], 16).unwrap();
        assert_eq!(decoy.object, object_name(head));
    }
}
