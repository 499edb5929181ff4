//! The keyring leaves no copy of a key in freed heap memory: every block freed while a keyring is
//! built, used and dropped is scanned for the derived keys (and, for `parse`, the raw keys).
//!
//! A test binary of its own, because it installs a scanning global allocator.

#[path = "support/scanning_allocator.rs"]
mod scanning_allocator;

use std::sync::atomic::Ordering;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pwreset_core::secrets::{KeyPurpose, Keyring, derive_purpose_key};
use scanning_allocator::{ARMED, FOUND, NEEDLES, raw_key};

const PURPOSES: [KeyPurpose; 5] = [
    KeyPurpose::SignedPayload,
    KeyPurpose::LinkTokenDigest,
    KeyPurpose::CodeDigest,
    KeyPurpose::AccessToken,
    KeyPurpose::PasswordFingerprint,
];

/// Five keys: enough that a vector of entries grows (and moves) twice while it is filled.
#[test]
fn building_using_and_dropping_a_keyring_leaves_no_key_in_freed_memory() {
    let ids = ["k1", "k2", "k3", "k4", "k5"];
    let keys: [[u8; 32]; 5] = std::array::from_fn(|i| raw_key(i as u8 * 17 + 1));
    // Reserved up front: a growing needle list would leave needles in freed blocks itself.
    let mut needles: Vec<[u8; 16]> = Vec::with_capacity(keys.len() * (1 + PURPOSES.len()));
    for key in &keys {
        needles.push(key[..16].try_into().unwrap());
        for purpose in PURPOSES {
            needles.push(derive_purpose_key(key, purpose)[..16].try_into().unwrap());
        }
    }
    NEEDLES.set(needles).unwrap();
    let config = ids
        .iter()
        .zip(&keys)
        .map(|(id, key)| format!("{id}:{}", URL_SAFE_NO_PAD.encode(key)))
        .collect::<Vec<_>>()
        .join(",");

    ARMED.store(true, Ordering::SeqCst);
    let from_keys = Keyring::from_keys(ids.iter().copied().zip(keys.iter().map(|k| k.as_slice())));
    let parsed = Keyring::parse(&config);
    let shown = format!("{:?} {:?}", from_keys, parsed);
    drop(from_keys);
    drop(parsed);
    drop(shown);
    ARMED.store(false, Ordering::SeqCst);

    assert_eq!(
        FOUND.load(Ordering::SeqCst),
        0,
        "key copies in freed blocks"
    );
}
