//! Signing `EdDSA` access tokens leaves no copy of an Ed25519 seed (nor of any key) in freed heap
//! memory: every block freed while a keyring is built, signs, verifies, publishes its JWK Set and
//! is dropped is scanned for the raw keys and their derived keys.
//!
//! A test binary of its own, because it installs a scanning global allocator.

#[path = "support/scanning_allocator.rs"]
mod scanning_allocator;

use std::sync::atomic::Ordering;

use pwreset_core::UnixTime;
use pwreset_core::secrets::{
    AccessTokenAlgorithms, AccessTokenIssuer, KeyPurpose, Keyring, PasswordState,
    derive_purpose_key,
};
use scanning_allocator::{ARMED, FOUND, NEEDLES, raw_key};

const PURPOSES: [KeyPurpose; 3] = [
    KeyPurpose::AccessTokenEd25519,
    KeyPurpose::AccessToken,
    KeyPurpose::PasswordFingerprint,
];

#[test]
fn signing_and_verifying_leave_no_seed_in_freed_memory() {
    let ids = ["k1", "k2", "k3"];
    let keys: [[u8; 32]; 3] = std::array::from_fn(|i| raw_key(i as u8 * 29 + 3));
    let mut needles: Vec<[u8; 16]> = Vec::with_capacity(keys.len() * (1 + PURPOSES.len()));
    for key in &keys {
        needles.push(key[..16].try_into().unwrap());
        for purpose in PURPOSES {
            needles.push(derive_purpose_key(key, purpose)[..16].try_into().unwrap());
        }
    }
    NEEDLES.set(needles).unwrap();
    let issuer = AccessTokenIssuer {
        issuer: "https://reset.example.test".to_owned(),
        audience: "pwreset".to_owned(),
        ttl_seconds: 3_600,
    };
    let state = PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
    let now = UnixTime::from_secs(1_790_000_000);

    ARMED.store(true, Ordering::SeqCst);
    let keyring = Keyring::from_keys(ids.iter().copied().zip(keys.iter().map(|k| k.as_slice())))
        .expect("test keys");
    let jwks = keyring.jwk_set().to_json();
    for algorithms in [
        AccessTokenAlgorithms::EDDSA_ONLY,
        AccessTokenAlgorithms::HS256,
    ] {
        let token = issuer
            .issue_with(&keyring, "acct-1", &state, now, algorithms)
            .expect("token");
        let verified = issuer
            .verify_with(&keyring, token.reveal(), now, algorithms)
            .expect("fresh token")
            .confirm_password_state(&state);
        assert!(verified.is_ok());
    }
    drop(jwks);
    drop(keyring);
    ARMED.store(false, Ordering::SeqCst);

    assert_eq!(
        FOUND.load(Ordering::SeqCst),
        0,
        "key copies in freed blocks"
    );
}
