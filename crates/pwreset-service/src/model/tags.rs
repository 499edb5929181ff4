//! The keyed tags the guards keep and compare: a password state's ([`StateTag`]) and an
//! identifier's ([`IdentifierTag`]). Each is made in one place, from the core's keyring, and
//! travels and is stored as the JSON string the keyring gave, so guard ops and records read and
//! write as they did when these were plain strings. Both compare in constant time.

use pwreset_core::secrets::{Keyring, PasswordState, constant_time_eq};
use serde::{Deserialize, Serialize};

/// One tag of an account's password state (its hash and e-mail address) under one key
/// ([`Keyring::state_tags`]: `<key id>:<32 hex digits>`, the password fingerprint signed payloads
/// and access tokens carry). A link or code keeps the newest tag of the state it was issued
/// against and holds only while the state's current tags include it.
///
/// The empty tag ([`StateTag::default`]) is what a secret issued before secrets were bound to the
/// state carries: it holds whatever the state. `Debug` never prints a tag: it is a keyed digest of
/// the password hash, like the fingerprint it is, which the core keeps out of logs too.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StateTag(String);

impl StateTag {
    /// The tags of `state`, the password state of `account` (an account's id, or a decoy guard's
    /// record), one per key, newest first: the only place a tag is made.
    pub fn of(keyring: &Keyring, account: &str, state: &PasswordState) -> Vec<Self> {
        keyring
            .state_tags(account, state)
            .into_iter()
            .map(Self)
            .collect()
    }

    /// Whether this is the empty tag of a secret issued before the binding.
    pub fn is_unbound(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this tag is one of `current` (a state's tags as read). Every tag is compared, each
    /// in constant time, so the time tells neither whether nor where it matched.
    pub fn is_among(&self, current: &[StateTag]) -> bool {
        current
            .iter()
            .fold(false, |found, tag| (tag == self) | found)
    }
}

impl PartialEq for StateTag {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for StateTag {}

impl std::fmt::Debug for StateTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_unbound() {
            f.write_str("StateTag(<unbound>)")
        } else {
            f.write_str("StateTag(<redacted>)")
        }
    }
}

/// The keyed tag of an identifier a code was asked for or presented with (a username, an e-mail
/// address, a phone number, or `no-phone`): [`Keyring::identifier_tag`], 16 hex digits. The guards
/// count a code's tries and an account's failed guesses per tag, and a name of no account has its
/// decoy guard where its tag points ([`crate::guard::GuardAddress::of_unknown_name`]).
///
/// The empty tag ([`IdentifierTag::default`]) is what an op from before the tries were counted per
/// identifier carries. `Debug` prints the tag: the core makes it for logs (a reader cannot test
/// guessed addresses against it without the key), and the request's log lines, rate-limit keys,
/// dead letters and decoy records' names already carry it.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdentifierTag(String);

impl IdentifierTag {
    /// The tag of `identifier` under the newest key: the only place a tag is made.
    pub fn of(keyring: &Keyring, identifier: &str) -> Self {
        Self(keyring.identifier_tag(identifier))
    }

    /// The hex digits (a rate-limit key, a log field, a record's name).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the empty tag of an op from before the tries were counted per identifier.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The hex digits, for a field that holds a plain string (an event's IP tag).
impl From<IdentifierTag> for String {
    fn from(tag: IdentifierTag) -> Self {
        tag.0
    }
}

impl PartialEq for IdentifierTag {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for IdentifierTag {}

impl std::fmt::Debug for IdentifierTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyring() -> Keyring {
        let key = |seed: u8| -> Vec<u8> {
            (0u8..32)
                .map(|i| i.wrapping_mul(151).wrapping_add(seed).wrapping_add(0x80))
                .collect()
        };
        let (newer, older) = (key(1), key(2));
        Keyring::from_keys([("k2", &newer[..]), ("k1", &older[..])]).unwrap()
    }

    #[test]
    fn the_tags_are_the_keyrings_strings_on_the_wire() {
        let keyring = keyring();
        let state = PasswordState::new("$argon2id$hash").bind("email", "jane@example.com");
        let tags = StateTag::of(&keyring, "acct-1", &state);
        assert_eq!(
            serde_json::to_value(&tags).unwrap(),
            serde_json::json!(keyring.state_tags("acct-1", &state))
        );
        let tag = IdentifierTag::of(&keyring, "jane@example.com");
        assert_eq!(tag.as_str(), keyring.identifier_tag("jane@example.com"));
        assert_eq!(
            serde_json::to_string(&tag).unwrap(),
            format!("\"{}\"", tag.as_str())
        );
        let read: IdentifierTag = serde_json::from_str(&format!("\"{}\"", tag.as_str())).unwrap();
        assert_eq!(read, tag);
        assert_ne!(IdentifierTag::of(&keyring, "john@example.com"), tag);
    }

    #[test]
    fn a_state_tag_is_found_among_the_current_ones_and_never_printed() {
        let keyring = keyring();
        let state = PasswordState::new("$argon2id$hash");
        let tags = StateTag::of(&keyring, "acct-1", &state);
        assert_eq!(tags.len(), 2);
        assert!(tags[0].is_among(&tags) && tags[1].is_among(&tags));
        let other = StateTag::of(&keyring, "acct-1", &PasswordState::new("$argon2id$other"));
        assert!(!other[0].is_among(&tags));
        assert!(!StateTag::default().is_among(&tags));
        assert!(StateTag::default().is_unbound() && !tags[0].is_unbound());
        let printed = format!("{tags:?}");
        assert_eq!(printed, "[StateTag(<redacted>), StateTag(<redacted>)]");
        let hex = serde_json::to_value(&tags[0]).unwrap();
        assert!(!printed.contains(hex.as_str().unwrap()));
        assert_eq!(format!("{:?}", StateTag::default()), "StateTag(<unbound>)");
    }
}
