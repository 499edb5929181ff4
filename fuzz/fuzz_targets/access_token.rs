//! Access tokens: `AccessTokenIssuer::verify_with` on arbitrary text, on fuzzer-chosen header and
//! claims under a correct signature of the algorithm the header names (Ed25519 for `EdDSA`, else
//! HMAC-SHA256: so the checks after the signature are reached), each with `EdDSA` alone and with
//! HS256 accepted too, and issue → verify → confirm round trips of either algorithm.
//!
//! The first input byte picks the mode; the rest is that mode's input.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::Signer;
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use pwreset_core::UnixTime;
use pwreset_core::secrets::{
    AccessTokenAlgorithm, AccessTokenAlgorithms, AccessTokenError, AccessTokenIssuer, KeyPurpose,
    MAX_CLOCK_SKEW_SECS, MAX_SECRET_LIFETIME_SECS, PendingAccessToken,
};
use pwreset_fuzz::fixtures::{
    KEY_ENTRIES, KEYRING, be_u64, changed_state, now, purpose_key, state, text,
};
use serde_json::Value;

const ISSUER: &str = "https://reset.example.test";
const AUDIENCE: &str = "pwreset";

/// What a verifier may accept: `EdDSA` alone (the default), or HS256 too (a transition).
const ACCEPTING: [AccessTokenAlgorithms; 2] = [
    AccessTokenAlgorithms::EDDSA_ONLY,
    AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256,
];

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

/// Arbitrary text: nothing without the key may verify, whatever the verifier accepts.
fn arbitrary_text(rest: &[u8]) {
    let token = text(rest);
    for algorithms in ACCEPTING {
        if let Ok(pending) = issuer(3600).verify_with(&KEYRING, &token, now(), algorithms) {
            panic!(
                "text made without the key verified (subject {:?})",
                pending.subject()
            );
        }
    }
}

/// `[clock: 8][header length: 1][header JSON][claims JSON]`, signed with the key the header
/// names (or the signing key), by the algorithm its `alg` names (`EdDSA`: the entry's Ed25519
/// key; anything else: its HS256 key): whatever verifies must satisfy every documented check.
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
    let signed_as = match header_json.as_ref().and_then(|h| h.get("alg")) {
        Some(alg) if alg == "EdDSA" => AccessTokenAlgorithm::EdDsa,
        _ => AccessTokenAlgorithm::Hs256,
    };
    let key_id = named.unwrap_or(KEY_ENTRIES[0].0);
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let signature = match signed_as {
        AccessTokenAlgorithm::EdDsa => {
            let seed = purpose_key(key_id, KeyPurpose::AccessTokenEd25519).expect("fixture key");
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            key.sign(signing_input.as_bytes()).to_bytes().to_vec()
        }
        AccessTokenAlgorithm::Hs256 => {
            let key = purpose_key(key_id, KeyPurpose::AccessToken).expect("fixture key");
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
            mac.update(signing_input.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
    };
    let token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));
    for algorithms in ACCEPTING {
        match issuer(3600).verify_with(&KEYRING, &token, at, algorithms) {
            Ok(pending) => {
                let header = header_json
                    .as_ref()
                    .expect("a verified token has a JSON header");
                let claims: Value =
                    serde_json::from_slice(claims).expect("verified claims are JSON");
                check_verified(&pending, header, &claims, at, algorithms);
                assert_eq!(
                    pending.algorithm(),
                    signed_as,
                    "verified as another algorithm"
                );
                match pending.confirm_password_state(&state()) {
                    Err(AccessTokenError::Revoked) => {}
                    other => panic!("a fingerprint made without the key was accepted: {other:?}"),
                }
            }
            Err(AccessTokenError::BadSignature)
                if named.is_some() && algorithms.accepts(signed_as) =>
            {
                panic!("a signature made with the named key was refused")
            }
            Err(_) => {}
        }
    }
}

fn check_verified(
    pending: &PendingAccessToken<'_>,
    header: &Value,
    claims: &Value,
    at: UnixTime,
    algorithms: AccessTokenAlgorithms,
) {
    let accepted =
        header["alg"] == "EdDSA" || (algorithms.accept_hs256 && header["alg"] == "HS256");
    assert!(accepted, "{} verified under {algorithms:?}", header["alg"]);
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

/// Issue (`EdDSA`, or HS256 when the third byte is odd), then verify and confirm: a fresh token
/// holds for its state only, until its expiry, for its issuer and audience only, and any one
/// changed character breaks it; an HS256 one verifies only where HS256 is accepted.
fn round_trip(rest: &[u8]) {
    let (head, subject) = rest.split_at(rest.len().min(3));
    let ttl = be_u64(head.get(..2).unwrap_or(head)) % (MAX_SECRET_LIFETIME_SECS + 2);
    let signing = if head.get(2).is_some_and(|b| b & 1 == 1) {
        AccessTokenAlgorithms::HS256
    } else {
        AccessTokenAlgorithms::default()
    };
    let subject = text(subject);
    let state = state();
    let issuer = issuer(ttl);
    let token = match issuer.issue_with(&KEYRING, &subject, &state, now(), signing) {
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
    // EdDSA alone refuses an HS256 token before any key is used; with HS256 accepted, both hold.
    let verifying = AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256;
    if signing.sign == AccessTokenAlgorithm::Hs256 {
        assert_eq!(
            issuer.verify(&KEYRING, token, now()).err(),
            Some(AccessTokenError::Algorithm)
        );
    }
    let verify = |issuer: &AccessTokenIssuer, token: &str, at: UnixTime| {
        issuer.verify_with(&KEYRING, token, at, verifying)
    };
    let pending = verify(&issuer, token, now()).unwrap_or_else(|e| {
        panic!(
            "fresh token refused: {e:?} (subject of {} bytes)",
            subject.len()
        )
    });
    assert_eq!(pending.subject(), subject);
    assert_eq!(pending.algorithm(), signing.sign);
    let verified = pending.confirm_password_state(&state).expect("same state");
    assert_eq!(verified.expires_at.as_secs(), now().as_secs() + ttl);
    let pending = verify(&issuer, token, now()).expect("fresh token");
    assert_eq!(
        pending.confirm_password_state(&changed_state()).err(),
        Some(AccessTokenError::Revoked)
    );
    assert_eq!(
        verify(&issuer, token, now().saturating_add(ttl)).err(),
        Some(AccessTokenError::Expired)
    );
    let stranger = AccessTokenIssuer {
        audience: "someone-else".to_owned(),
        ..issuer.clone()
    };
    assert_eq!(
        verify(&stranger, token, now()).err(),
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
    if verify(&issuer, &altered, now()).is_ok() {
        panic!(
            "a token with character {position} of {} changed verified",
            token.len()
        );
    }
}
