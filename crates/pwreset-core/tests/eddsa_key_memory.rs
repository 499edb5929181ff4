//! Signing `EdDSA` access tokens leaves no copy of an Ed25519 seed (nor of any key) in freed heap
//! memory: every block freed while a keyring is built, signs, verifies, publishes its JWK Set and
//! is dropped is scanned for the raw keys and their derived keys.
//!
//! A test binary of its own, because it installs a scanning global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pwreset_core::UnixTime;
use pwreset_core::secrets::{
    AccessTokenAlgorithms, AccessTokenIssuer, KeyPurpose, Keyring, PasswordState,
    derive_purpose_key,
};

/// The first 16 bytes of every secret to look for; set before the scan is armed.
static NEEDLES: OnceLock<Vec<[u8; 16]>> = OnceLock::new();
static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, which looks through each block it is asked to free for a needle.
struct Scanning;

unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst)
            && let Some(needles) = NEEDLES.get()
        {
            // SAFETY: the block is live until the `System.dealloc` below.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let hits = needles
                .iter()
                .filter(|needle| block.windows(needle.len()).any(|w| w == needle.as_slice()))
                .count();
            FOUND.fetch_add(hits, Ordering::SeqCst);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

const PURPOSES: [KeyPurpose; 3] = [
    KeyPurpose::AccessTokenEd25519,
    KeyPurpose::AccessToken,
    KeyPurpose::PasswordFingerprint,
];

fn raw_key(seed: u8) -> [u8; 32] {
    std::array::from_fn(|i| (i as u8).wrapping_mul(151).wrapping_add(seed))
}

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
