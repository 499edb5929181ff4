//! Signed payloads: `verify_payload` on arbitrary text, on fuzzer-chosen fields under a correct MAC
//! (so the checks after the MAC are reached), and sign → verify → confirm round trips.
//!
//! The first input byte picks the mode; the rest is that mode's input.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use pwreset_core::UnixTime;
use pwreset_core::secrets::{
    KeyPurpose, MAX_CLOCK_SKEW_SECS, MAX_SECRET_LIFETIME_SECS, PayloadError, PayloadPurpose,
    PendingPayload, sign_payload, verify_payload,
};
use pwreset_fuzz::fixtures::{
    KEY_ENTRIES, KEYRING, be_u64, changed_state, now, purpose_key, state, text,
};

const PURPOSES: [PayloadPurpose; 2] = [PayloadPurpose::ResetAfterCode, PayloadPurpose::ResetLink];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => arbitrary_text(rest),
        1 => fields_under_a_good_mac(mode, rest),
        _ => round_trip(rest),
    }
});

/// Arbitrary text, for both purposes: nothing without the key may verify.
fn arbitrary_text(rest: &[u8]) {
    let encoded = text(rest);
    for purpose in PURPOSES {
        if let Ok(pending) = verify_payload(&KEYRING, &encoded, purpose, now()) {
            panic!(
                "text made without the key verified (purpose {purpose:?}, account {:?})",
                pending.account()
            );
        }
    }
}

/// The fuzzer's bytes as the signed part, with the MAC a holder of the key would add: every check
/// after the MAC must hold for whatever verifies.
fn fields_under_a_good_mac(mode: u8, rest: &[u8]) {
    let (clock, signed) = rest.split_at(rest.len().min(8));
    let at = UnixTime::from_secs(be_u64(clock));
    let purpose = PURPOSES[usize::from(mode >> 7)];
    // The key the payload names, if it is one of ours; else the signing key (then it must fail).
    let key_id = named_key_id(signed).unwrap_or(KEY_ENTRIES[0].0);
    let key = purpose_key(key_id, KeyPurpose::SignedPayload).expect("fixture key");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(signed);
    let mut bytes = signed.to_vec();
    bytes.extend(mac.finalize().into_bytes());
    let encoded = URL_SAFE_NO_PAD.encode(&bytes);
    match verify_payload(&KEYRING, &encoded, purpose, at) {
        Ok(pending) => check_pending(&pending, signed, purpose, at),
        Err(PayloadError::BadMac) if named_key_id(signed).is_some() => {
            panic!("a MAC made with the named key was refused")
        }
        Err(_) => {}
    }
}

/// The key id a payload's bytes name (version, purpose, length, id), if it is a fixture key.
fn named_key_id(signed: &[u8]) -> Option<&'static str> {
    let len = usize::from(*signed.get(2)?);
    let id = signed.get(3..3 + len)?;
    KEY_ENTRIES
        .iter()
        .map(|(known, _)| *known)
        .find(|known| known.as_bytes() == id)
}

fn check_pending(
    pending: &PendingPayload<'_>,
    signed: &[u8],
    purpose: PayloadPurpose,
    at: UnixTime,
) {
    // Layout: version, purpose, key id, account, issued (8), expires (8), nonce (16), fingerprint (16).
    assert_eq!(signed.first(), Some(&1), "only version 1 verifies");
    let key_len = usize::from(signed[2]);
    let account_len = usize::from(signed[3 + key_len]);
    let account_start = 4 + key_len;
    let account = &signed[account_start..account_start + account_len];
    assert_eq!(pending.account().as_bytes(), account, "account read back");
    assert!(!pending.account().is_empty(), "an empty account verified");
    let times = account_start + account_len;
    let issued = be_u64(&signed[times..times + 8]);
    let expires = be_u64(&signed[times + 8..times + 16]);
    assert_eq!(
        signed.len(),
        times + 16 + 16 + 16,
        "trailing bytes verified"
    );
    let lifetime = expires.checked_sub(issued).expect("expiry before issue");
    assert!(
        (1..=MAX_SECRET_LIFETIME_SECS).contains(&lifetime),
        "lifetime {lifetime} verified"
    );
    assert!(
        issued <= at.as_secs().saturating_add(MAX_CLOCK_SKEW_SECS),
        "issued in the future"
    );
    assert!(at.as_secs() < expires, "expired payload verified");
    let tag = signed[1];
    let wanted = match purpose {
        PayloadPurpose::ResetAfterCode => 1,
        _ => 2,
    };
    assert_eq!(tag, wanted, "payload of another purpose verified");
}

/// Sign, then verify and confirm: a fresh payload holds for its account and state only, until its
/// expiry, and any one changed character breaks it.
fn round_trip(rest: &[u8]) {
    let (head, account) = rest.split_at(rest.len().min(3));
    let ttl = be_u64(head.get(..2).unwrap_or(head)) % (MAX_SECRET_LIFETIME_SECS + 2);
    let purpose = PURPOSES[usize::from(head.get(2).copied().unwrap_or(0) & 1)];
    let account = text(account);
    let state = state();
    let Ok(payload) = sign_payload(&KEYRING, purpose, &account, &state, now(), ttl) else {
        assert!(
            account.is_empty() || account.len() > 255 || ttl == 0 || ttl > MAX_SECRET_LIFETIME_SECS,
            "signing refused a valid account and lifetime"
        );
        return;
    };
    let encoded = payload.reveal();
    let pending = verify_payload(&KEYRING, encoded, purpose, now()).expect("fresh payload");
    assert_eq!(pending.account(), account);
    let verified = pending.confirm(&account, &state).expect("same state");
    assert_eq!(verified.account, account);
    assert_eq!(verified.key_id, KEY_ENTRIES[0].0);
    assert_eq!(verified.expires_at.as_secs(), now().as_secs() + ttl);
    let other = PURPOSES
        .iter()
        .find(|p| **p != purpose)
        .expect("two purposes");
    assert_eq!(
        verify_payload(&KEYRING, encoded, *other, now()).err(),
        Some(PayloadError::WrongPurpose)
    );
    let pending = verify_payload(&KEYRING, encoded, purpose, now()).expect("fresh payload");
    assert_eq!(
        pending.confirm(&account, &changed_state()).err(),
        Some(PayloadError::StalePassword)
    );
    let expiry = now().saturating_add(ttl);
    assert_eq!(
        verify_payload(&KEYRING, encoded, purpose, expiry).err(),
        Some(PayloadError::Expired)
    );
    let position = usize::from(head[0]) % encoded.len();
    let mut altered = encoded.as_bytes().to_vec();
    altered[position] = if altered[position] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let altered = String::from_utf8(altered).expect("base64url is ASCII");
    if let Ok(pending) = verify_payload(&KEYRING, &altered, purpose, now()) {
        panic!(
            "a payload with character {position} of {} changed verified (account {:?})",
            encoded.len(),
            pending.account()
        );
    }
}
