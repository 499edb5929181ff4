//! `Keyring::parse` on arbitrary text: it never panics; a keyring it accepts has unique, well-formed
//! ids, signs with its first key and verifies what it signed; neither its `Debug` output nor any
//! refusal repeats key text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pwreset_core::secrets::{Keyring, PayloadPurpose, sign_payload, verify_payload};
use pwreset_fuzz::fixtures::{now, state, text};

fuzz_target!(|data: &[u8]| {
    let config = text(data);
    // What could be key text: the part after the first `:` of each entry, when long enough that it
    // can't appear in a message by chance.
    let key_texts: Vec<&str> = config
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter_map(|entry| entry.split_once(':').map(|(_, key)| key))
        .filter(|key| key.len() >= 16)
        .collect();
    match Keyring::parse(&config) {
        Ok(keyring) => {
            let ids = keyring.key_ids();
            assert!(!ids.is_empty(), "an empty keyring was accepted");
            for (index, id) in ids.iter().enumerate() {
                assert!((1..=32).contains(&id.len()), "id {id:?} accepted");
                assert!(
                    id.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                    "id {id:?} accepted"
                );
                assert!(!ids[..index].contains(id), "id {id:?} accepted twice");
            }
            let debug = format!("{keyring:?}");
            for key in &key_texts {
                assert!(!debug.contains(key), "Debug repeats key text");
            }
            let account = "jane";
            let payload = sign_payload(
                &keyring,
                PayloadPurpose::ResetLink,
                account,
                &state(),
                now(),
                60,
            )
            .expect("a parsed keyring signs");
            let verified =
                verify_payload(&keyring, payload.reveal(), PayloadPurpose::ResetLink, now())
                    .expect("a keyring verifies what it signed")
                    .confirm(account, &state())
                    .expect("same state");
            assert_eq!(verified.key_id, ids[0], "the first key signs");
        }
        Err(error) => {
            let message = error.to_string();
            let debug = format!("{error:?}");
            for key in &key_texts {
                assert!(!message.contains(key), "a refusal repeats key text");
                assert!(!debug.contains(key), "a refusal's Debug repeats key text");
            }
        }
    }
});
