//! Access tokens: `AccessTokenIssuer::verify` on arbitrary text, on fuzzer-chosen header and claims
//! under a correct HS256 signature (so the checks after the signature are reached), and
//! issue → verify → confirm round trips.
//!
//! The first input byte picks the mode; the rest is that mode's input.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use pwreset_core::UnixTime;
use pwreset_core::secrets::{
    AccessTokenError, AccessTokenIssuer, KeyPurpose, MAX_CLOCK_SKEW_SECS, MAX_SECRET_LIFETIME_SECS,
    PendingAccessToken,
};
use pwreset_fuzz::fixtures::{
    KEY_ENTRIES, KEYRING, be_u64, changed_state, now, purpose_key, state, text,
};
use serde_json::Value;

const ISSUER: &str = "https://reset.example.test";
const AUDIENCE: &str = "pwreset";

fn issuer(ttl_seconds: u64) -> AccessTokenIssuer {
    AccessTokenIssuer {
        issuer: ISSUER.to_owned(),
        audience: AUDIENCE.to_owned(),
        ttl_seconds,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => arbitrary_text(rest),
        1 => claims_under_a_good_signature(rest),
        _ => round_trip(rest),
    }
});

/// Arbitrary text: nothing without the key may verify.
fn arbitrary_text(rest: &[u8]) {
    let token = text(rest);
    if let Ok(pending) = issuer(3600).verify(&KEYRING, &token, now()) {
        panic!(
            "text made without the key verified (subject {:?})",
            pending.subject()
        );
    }
}

/// `[clock: 8][header length: 1][header JSON][claims JSON]`, signed with the key the header
/// names (or the signing key): whatever verifies must satisfy every documented check.
fn claims_under_a_good_signature(rest: &[u8]) {
    let (clock, rest) = rest.split_at(rest.len().min(8));
    let at = UnixTime::from_secs(be_u64(clock));
    let Some((&header_len, rest)) = rest.split_first() else {
        return;
    };
    let (header, claims) = rest.split_at(rest.len().min(usize::from(header_len)));
    let header_json: Option<Value> = serde_json::from_slice(header).ok();
    let named = header_json
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str)
        .and_then(|kid| KEY_ENTRIES.iter().map(|(id, _)| *id).find(|id| *id == kid));
    let key = purpose_key(named.unwrap_or(KEY_ENTRIES[0].0), KeyPurpose::AccessToken)
        .expect("fixture key");
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(signing_input.as_bytes());
    let token = format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    );
    match issuer(3600).verify(&KEYRING, &token, at) {
        Ok(pending) => {
            let header = header_json.expect("a verified token has a JSON header");
            let claims: Value = serde_json::from_slice(claims).expect("verified claims are JSON");
            check_verified(&pending, &header, &claims, at);
            match pending.confirm_password_state(&state()) {
                Err(AccessTokenError::Revoked) => {}
                other => panic!("a fingerprint made without the key was accepted: {other:?}"),
            }
        }
        Err(AccessTokenError::BadSignature) if named.is_some() => {
            panic!("a signature made with the named key was refused")
        }
        Err(_) => {}
    }
}

fn check_verified(pending: &PendingAccessToken<'_>, header: &Value, claims: &Value, at: UnixTime) {
    assert_eq!(header["alg"], "HS256", "another algorithm verified");
    assert!(header.get("crit").is_none(), "a critical header verified");
    let int = |name: &str| claims[name].as_u64();
    let iat = int("iat").expect("iat is an integer");
    let exp = int("exp").expect("exp is an integer");
    let lifetime = exp.checked_sub(iat).expect("exp before iat");
    assert!(
        (1..=MAX_SECRET_LIFETIME_SECS).contains(&lifetime),
        "lifetime {lifetime} verified"
    );
    let latest_start = at.as_secs().saturating_add(MAX_CLOCK_SKEW_SECS);
    assert!(iat <= latest_start, "issued in the future");
    if let Some(nbf) = claims.get("nbf") {
        let nbf = nbf.as_u64().expect("nbf is an integer");
        assert!(nbf <= latest_start, "not valid yet, yet verified");
    }
    assert!(at.as_secs() < exp, "expired token verified");
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["aud"], AUDIENCE);
    assert_eq!(claims["sub"], pending.subject());
    assert!(!pending.subject().is_empty(), "empty subject verified");
    assert!(
        (1..=128).contains(&pending.jti().len()),
        "jti of {} bytes verified",
        pending.jti().len()
    );
}

/// Issue, then verify and confirm: a fresh token holds for its state only, until its expiry, for
/// its issuer and audience only, and any one changed character breaks it.
fn round_trip(rest: &[u8]) {
    let (head, subject) = rest.split_at(rest.len().min(3));
    let ttl = be_u64(head.get(..2).unwrap_or(head)) % (MAX_SECRET_LIFETIME_SECS + 2);
    let subject = text(subject);
    let state = state();
    let issuer = issuer(ttl);
    let token = match issuer.issue(&KEYRING, &subject, &state, now()) {
        Ok(token) => token,
        // `issue` refuses what `verify` would: a token over 4 KiB (found by this target).
        Err(AccessTokenError::Malformed) if !subject.is_empty() => {
            let escaped = serde_json::to_string(&*subject).expect("a string").len();
            assert!(
                escaped * 4 / 3 + 600 > 4096,
                "a subject of {escaped} bytes as JSON refused as malformed"
            );
            return;
        }
        Err(_) => {
            assert!(
                subject.is_empty() || ttl == 0 || ttl > MAX_SECRET_LIFETIME_SECS,
                "issuing refused a valid subject and lifetime"
            );
            return;
        }
    };
    let token = token.reveal();
    let pending = issuer.verify(&KEYRING, token, now()).unwrap_or_else(|e| {
        panic!(
            "fresh token refused: {e:?} (subject of {} bytes)",
            subject.len()
        )
    });
    assert_eq!(pending.subject(), subject);
    let verified = pending.confirm_password_state(&state).expect("same state");
    assert_eq!(verified.expires_at.as_secs(), now().as_secs() + ttl);
    let pending = issuer.verify(&KEYRING, token, now()).expect("fresh token");
    assert_eq!(
        pending.confirm_password_state(&changed_state()).err(),
        Some(AccessTokenError::Revoked)
    );
    assert_eq!(
        issuer
            .verify(&KEYRING, token, now().saturating_add(ttl))
            .err(),
        Some(AccessTokenError::Expired)
    );
    let stranger = AccessTokenIssuer {
        audience: "someone-else".to_owned(),
        ..issuer.clone()
    };
    assert_eq!(
        stranger.verify(&KEYRING, token, now()).err(),
        Some(AccessTokenError::WrongIssuerOrAudience)
    );
    let position = usize::from(head[0]) % token.len();
    let mut altered = token.as_bytes().to_vec();
    altered[position] = match altered[position] {
        b'A' => b'B',
        b'.' => b'x',
        _ => b'A',
    };
    let altered = String::from_utf8(altered).expect("a compact JWT is ASCII");
    if issuer.verify(&KEYRING, &altered, now()).is_ok() {
        panic!(
            "a token with character {position} of {} changed verified",
            token.len()
        );
    }
}
