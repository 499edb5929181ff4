//! The reset secrets' promises (CONTRACT section 4, "Shared rules"), one test each, with property
//! tests for tampering.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use pwreset_core::password_hash::{HashParams, hash_password, verify_password};
use pwreset_core::secrets::{
    AccessTokenError, AccessTokenIssuer, KeyPurpose, Keyring, LinkToken, PayloadError,
    PayloadPurpose, ResetCode, hmac_sha256, sign_payload, verify_payload,
};

const NOW: u64 = 1_790_000_000;
const HOUR: u64 = 3600;
const STATE: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhh";

fn key(seed: u8) -> Vec<u8> {
    (0..32u8)
        .map(|i| i.wrapping_mul(151).wrapping_add(seed))
        .collect()
}

fn keyring() -> Keyring {
    Keyring::from_keys([("k2", key(2).as_slice()), ("k1", key(1).as_slice())]).unwrap()
}

fn sign(keyring: &Keyring) -> String {
    sign_payload(
        keyring,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        STATE,
        NOW,
        HOUR,
    )
    .unwrap()
    .reveal()
    .to_owned()
}

fn verify(keyring: &Keyring, encoded: &str) -> Result<(), PayloadError> {
    verify_payload(
        keyring,
        encoded,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        STATE,
        NOW + 1,
    )
    .map(|_| ())
}

// Signed payloads.

#[test]
fn a_signed_payload_verifies_and_reports_its_fields() {
    let keyring = keyring();
    let payload = sign(&keyring);
    let verified = verify_payload(
        &keyring,
        &payload,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        STATE,
        NOW,
    )
    .unwrap();
    assert_eq!(verified.account, "acct-1");
    assert_eq!((verified.issued_at, verified.expires_at), (NOW, NOW + HOUR));
    assert_eq!(verified.key_id, "k2");
    assert_eq!(verified.nonce_hex.len(), 32);
    assert!(
        payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
}

#[test]
fn a_signed_payload_expires_at_its_expiry() {
    let keyring = keyring();
    let payload = sign(&keyring);
    let at = |now| {
        verify_payload(
            &keyring,
            &payload,
            PayloadPurpose::ResetAfterCode,
            "acct-1",
            STATE,
            now,
        )
    };
    assert!(at(NOW + HOUR - 1).is_ok());
    assert_eq!(at(NOW + HOUR), Err(PayloadError::Expired));
}

#[test]
fn a_signed_payload_dies_when_the_password_changes() {
    let keyring = keyring();
    let payload = sign(&keyring);
    let new_state = STATE.replace("c2Fsd", "bmV3c");
    let result = verify_payload(
        &keyring,
        &payload,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        &new_state,
        NOW,
    );
    assert_eq!(result, Err(PayloadError::StalePassword));
}

#[test]
fn a_signed_payload_is_refused_for_another_purpose_or_account() {
    let keyring = keyring();
    let payload = sign(&keyring);
    assert_eq!(
        verify_payload(
            &keyring,
            &payload,
            PayloadPurpose::ResetLink,
            "acct-1",
            STATE,
            NOW
        ),
        Err(PayloadError::WrongPurpose)
    );
    assert_eq!(
        verify_payload(
            &keyring,
            &payload,
            PayloadPurpose::ResetAfterCode,
            "acct-2",
            STATE,
            NOW
        ),
        Err(PayloadError::WrongAccount)
    );
}

#[test]
fn rotation_keeps_old_payloads_valid_until_their_key_is_dropped() {
    let old = Keyring::from_keys([("k1", key(1).as_slice())]).unwrap();
    let payload = sign(&old);
    assert_eq!(verify(&keyring(), &payload), Ok(()));
    let without_k1 = Keyring::from_keys([("k2", key(2).as_slice())]).unwrap();
    assert_eq!(verify(&without_k1, &payload), Err(PayloadError::UnknownKey));
}

#[test]
fn a_payload_under_the_same_key_id_but_another_key_is_a_bad_mac() {
    let payload = sign(&keyring());
    let impostor = Keyring::from_keys([("k2", key(9).as_slice())]).unwrap();
    assert_eq!(verify(&impostor, &payload), Err(PayloadError::BadMac));
}

#[test]
fn a_payload_with_a_forged_purpose_tag_fails_its_mac() {
    let keyring = keyring();
    let mut bytes = URL_SAFE_NO_PAD.decode(sign(&keyring)).unwrap();
    bytes[1] = 2; // ResetAfterCode -> ResetLink, without re-signing
    let forged = URL_SAFE_NO_PAD.encode(&bytes);
    assert_eq!(
        verify_payload(
            &keyring,
            &forged,
            PayloadPurpose::ResetLink,
            "acct-1",
            STATE,
            NOW
        ),
        Err(PayloadError::BadMac)
    );
}

#[test]
fn oversized_and_non_base64url_payloads_are_malformed() {
    let keyring = keyring();
    for text in [
        "",
        "!!!!",
        "a",
        &"A".repeat(10_000),
        &format!("{}=", sign(&keyring)),
    ] {
        assert_eq!(
            verify(&keyring, text),
            Err(PayloadError::Malformed),
            "{text:.20}"
        );
    }
}

#[test]
fn payload_accounts_must_be_1_to_255_bytes() {
    let keyring = keyring();
    assert!(sign_payload(&keyring, PayloadPurpose::ResetLink, "", STATE, NOW, HOUR).is_err());
    assert!(
        sign_payload(
            &keyring,
            PayloadPurpose::ResetLink,
            &"a".repeat(256),
            STATE,
            NOW,
            HOUR
        )
        .is_err()
    );
    assert!(
        sign_payload(
            &keyring,
            PayloadPurpose::ResetLink,
            &"a".repeat(255),
            STATE,
            NOW,
            HOUR
        )
        .is_ok()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_single_bit_flip_is_rejected(bit in 0usize..(8 * 160)) {
        let keyring = keyring();
        let mut bytes = URL_SAFE_NO_PAD.decode(sign(&keyring)).unwrap();
        let bit = bit % (8 * bytes.len());
        bytes[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(verify(&keyring, &URL_SAFE_NO_PAD.encode(&bytes)).is_err());
    }

    #[test]
    fn any_byte_change_is_rejected(index in 0usize..160, value in any::<u8>()) {
        let keyring = keyring();
        let mut bytes = URL_SAFE_NO_PAD.decode(sign(&keyring)).unwrap();
        let index = index % bytes.len();
        prop_assume!(bytes[index] != value);
        bytes[index] = value;
        prop_assert!(verify(&keyring, &URL_SAFE_NO_PAD.encode(&bytes)).is_err());
    }

    #[test]
    fn any_truncation_is_rejected(keep in 0usize..160) {
        let keyring = keyring();
        let bytes = URL_SAFE_NO_PAD.decode(sign(&keyring)).unwrap();
        let keep = keep % bytes.len();
        prop_assert!(verify(&keyring, &URL_SAFE_NO_PAD.encode(&bytes[..keep])).is_err());
    }

    #[test]
    fn any_extension_is_rejected(extra in proptest::collection::vec(any::<u8>(), 1..64)) {
        let keyring = keyring();
        let mut bytes = URL_SAFE_NO_PAD.decode(sign(&keyring)).unwrap();
        bytes.extend(extra);
        prop_assert!(verify(&keyring, &URL_SAFE_NO_PAD.encode(&bytes)).is_err());
    }

    #[test]
    fn any_text_edit_is_rejected(index in 0usize..220, c in "[A-Za-z0-9_=+/ .-]") {
        let keyring = keyring();
        let text = sign(&keyring);
        let index = index % text.len();
        let mut edited = text.clone();
        edited.replace_range(index..=index, &c);
        prop_assume!(edited != text);
        prop_assert!(verify(&keyring, &edited).is_err());
    }

    #[test]
    fn any_other_key_is_rejected(seed in 3u8..=255) {
        let payload = sign(&keyring());
        let other = Keyring::from_keys([("k2", key(seed).as_slice()), ("k1", key(seed ^ 0x55).as_slice())]).unwrap();
        prop_assert_eq!(verify(&other, &payload), Err(PayloadError::BadMac));
    }

    #[test]
    fn any_time_at_or_after_expiry_is_rejected(ttl in 1u64..100_000, late in 0u64..1_000_000) {
        let keyring = keyring();
        let payload = sign_payload(&keyring, PayloadPurpose::ResetLink, "acct-1", STATE, NOW, ttl).unwrap();
        let result = verify_payload(&keyring, payload.reveal(), PayloadPurpose::ResetLink, "acct-1", STATE, NOW + ttl + late);
        prop_assert_eq!(result, Err(PayloadError::Expired));
    }

    #[test]
    fn arbitrary_text_never_panics_and_never_verifies(text in ".{0,600}") {
        prop_assert!(verify(&keyring(), &text).is_err());
    }
}

// Purpose separation.

#[test]
fn each_purpose_has_its_own_key() {
    let master = key(7);
    let derived: Vec<_> = KeyPurpose::ALL
        .iter()
        .map(|&p| *pwreset_core::secrets::derive_purpose_key(&master, p))
        .collect();
    for (i, a) in derived.iter().enumerate() {
        assert!(derived[i + 1..].iter().all(|b| a != b));
        assert_ne!(a.as_slice(), master.as_slice());
    }
    // The derivation is the documented one.
    assert_eq!(
        derived[3],
        hmac_sha256(&master, &[b"pwreset/v1/access-token"])
    );
}

#[test]
fn a_jwt_signed_with_the_payload_key_is_refused() {
    let keyring = keyring();
    let payload_key = pwreset_core::secrets::derive_purpose_key(&key(2), KeyPurpose::SignedPayload);
    let issuer = issuer();
    let good = issuer.issue(&keyring, "acct-1", STATE, NOW).unwrap();
    let (signing_input, _) = good.reveal().rsplit_once('.').unwrap();
    let forged_sig = URL_SAFE_NO_PAD.encode(hmac_sha256(
        payload_key.as_slice(),
        &[signing_input.as_bytes()],
    ));
    let forged = format!("{signing_input}.{forged_sig}");
    assert_eq!(
        issuer.verify(&keyring, &forged, NOW).unwrap_err(),
        AccessTokenError::BadSignature
    );
}

// Link tokens.

#[test]
fn link_tokens_are_256_random_bits_as_64_hex() {
    let a = LinkToken::generate().unwrap();
    let b = LinkToken::generate().unwrap();
    let hex = a.reveal_hex();
    assert_eq!(hex.len(), 64);
    assert!(
        hex.bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_ne!(*hex, *b.reveal_hex());
}

#[test]
fn link_tokens_are_found_by_their_digest_across_rotation() {
    let old = Keyring::from_keys([("k1", key(1).as_slice())]).unwrap();
    let token = LinkToken::generate().unwrap();
    let stored = token.digest(&old);
    assert!(stored.storage_key().starts_with("link:"));
    assert!(!stored.storage_key().contains(token.reveal_hex().as_str()));
    let presented = LinkToken::parse(&token.reveal_hex().to_uppercase()).unwrap();
    let candidates = presented.digests(&keyring());
    assert_eq!(candidates.len(), 2);
    assert!(candidates.contains(&stored));
    assert_eq!(candidates[0].key_id(), "k2");
}

#[test]
fn malformed_link_tokens_are_refused() {
    let valid = "a".repeat(64);
    assert!(LinkToken::parse(&valid).is_ok());
    for text in [
        "",
        &"a".repeat(63),
        &"a".repeat(65),
        &format!("{}g", "a".repeat(63)),
        &format!("{} ", "a".repeat(63)),
        &"é".repeat(32),
    ] {
        assert!(LinkToken::parse(text).is_err(), "{text:?}");
    }
}

// Codes.

#[test]
fn codes_have_the_requested_number_of_digits() {
    for digits in 6..=10 {
        let code = ResetCode::generate(digits).unwrap();
        assert_eq!(code.reveal().len(), usize::from(digits));
        assert!(code.reveal().bytes().all(|b| b.is_ascii_digit()));
    }
    assert!(ResetCode::generate(5).is_err());
    assert!(ResetCode::generate(11).is_err());
}

/// 100,000 codes of 6 digits: the chi-square statistic of each position's digit counts and of
/// all digits together stays below 50 (9 degrees of freedom: p ≈ 1e-7 for a uniform source).
#[test]
fn code_digits_are_uniform_within_statistical_bounds() {
    const CODES: usize = 100_000;
    let mut counts = [[0u64; 10]; 6];
    for _ in 0..CODES {
        let code = ResetCode::generate(6).unwrap();
        for (position, digit) in code.reveal().bytes().enumerate() {
            counts[position][usize::from(digit - b'0')] += 1;
        }
    }
    let chi_square = |observed: &[u64; 10], total: f64| -> f64 {
        let expected = total / 10.0;
        observed
            .iter()
            .map(|&o| (o as f64 - expected).powi(2) / expected)
            .sum()
    };
    let mut all = [0u64; 10];
    for position in &counts {
        let statistic = chi_square(position, CODES as f64);
        assert!(
            statistic < 50.0,
            "position counts {position:?}, chi² {statistic}"
        );
        for (total, count) in all.iter_mut().zip(position) {
            *total += count;
        }
    }
    let statistic = chi_square(&all, (CODES * 6) as f64);
    assert!(statistic < 50.0, "all counts {all:?}, chi² {statistic}");
}

#[test]
fn code_digests_are_scoped_and_keyed() {
    let keyring = keyring();
    let code = ResetCode::parse("123456", 6).unwrap();
    let mine = code.digest(&keyring, "acct-1");
    assert!(mine.storage_key().starts_with("code:"));
    assert_ne!(mine, code.digest(&keyring, "acct-2"));
    assert_ne!(
        mine,
        ResetCode::parse("123457", 6)
            .unwrap()
            .digest(&keyring, "acct-1")
    );
    assert_eq!(
        mine,
        ResetCode::parse("123456", 6)
            .unwrap()
            .digest(&keyring, "acct-1")
    );
    let other = Keyring::from_keys([("k2", key(8).as_slice())]).unwrap();
    assert_ne!(mine.as_hex(), code.digest(&other, "acct-1").as_hex());
    for text in ["12345", "1234567", "12345a", "１２３４５６", " 12345"] {
        assert!(ResetCode::parse(text, 6).is_err(), "{text:?}");
    }
}

// Access tokens.

fn issuer() -> AccessTokenIssuer {
    AccessTokenIssuer {
        issuer: "pwreset".into(),
        audience: "pwreset-api".into(),
        ttl_seconds: HOUR,
    }
}

#[test]
fn access_tokens_verify_and_carry_the_subject() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", STATE, NOW).unwrap();
    let pending = issuer().verify(&keyring, token.reveal(), NOW + 10).unwrap();
    assert_eq!(pending.subject(), "acct-1");
    let verified = pending.confirm_password_state(STATE).unwrap();
    assert_eq!(verified.subject, "acct-1");
    assert_eq!(verified.expires_at, NOW + HOUR);
}

#[test]
fn access_tokens_are_revoked_by_a_password_change() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", STATE, NOW).unwrap();
    let pending = issuer().verify(&keyring, token.reveal(), NOW).unwrap();
    assert_eq!(
        pending.confirm_password_state("new hash").unwrap_err(),
        AccessTokenError::Revoked
    );
}

#[test]
fn access_tokens_expire_and_are_bound_to_issuer_and_audience() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", STATE, NOW).unwrap();
    assert_eq!(
        issuer()
            .verify(&keyring, token.reveal(), NOW + HOUR)
            .unwrap_err(),
        AccessTokenError::Expired
    );
    let other = AccessTokenIssuer {
        audience: "elsewhere".into(),
        ..issuer()
    };
    assert_eq!(
        other.verify(&keyring, token.reveal(), NOW).unwrap_err(),
        AccessTokenError::WrongIssuerOrAudience
    );
}

#[test]
fn tampered_unsigned_and_foreign_access_tokens_are_refused() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", STATE, NOW).unwrap();
    let parts: Vec<&str> = token.reveal().split('.').collect();
    let claims = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let swapped = URL_SAFE_NO_PAD.encode(claims.replace("acct-1", "acct-2"));
    let tampered = format!("{}.{}.{}", parts[0], swapped, parts[2]);
    assert_eq!(
        issuer().verify(&keyring, &tampered, NOW).unwrap_err(),
        AccessTokenError::BadSignature
    );
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k2"}"#);
    assert!(
        issuer()
            .verify(&keyring, &format!("{none_header}.{}.", parts[1]), NOW)
            .is_err()
    );
    let unknown = Keyring::from_keys([("k9", key(9).as_slice())]).unwrap();
    assert_eq!(
        issuer().verify(&unknown, token.reveal(), NOW).unwrap_err(),
        AccessTokenError::UnknownKey
    );
    for junk in ["", "a.b.c", "....", &"x".repeat(5000)] {
        assert_eq!(
            issuer().verify(&keyring, junk, NOW).unwrap_err(),
            AccessTokenError::Malformed,
            "{junk:.10}"
        );
    }
}

// Hashing, and what a secret shows.

#[test]
fn owasp_parameters_are_the_default() {
    let phc = hash_password("Tr0ub4dour&3", HashParams::default()).unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert_eq!(verify_password("Tr0ub4dour&3", &phc), Ok(true));
}

#[test]
fn no_secret_shows_its_value_in_debug_output() {
    let keyring = keyring();
    let token = LinkToken::generate().unwrap();
    let code = ResetCode::generate(6).unwrap();
    let payload = sign_payload(
        &keyring,
        PayloadPurpose::ResetLink,
        "acct-1",
        STATE,
        NOW,
        HOUR,
    )
    .unwrap();
    let access = issuer().issue(&keyring, "acct-1", STATE, NOW).unwrap();
    let shown = format!("{token:?} {code:?} {payload:?} {access:?} {keyring:?}");
    for secret in [
        token.reveal_hex().as_str(),
        code.reveal(),
        payload.reveal(),
        access.reveal(),
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("redacted"));
}

#[test]
fn an_enormous_access_token_lifetime_saturates_instead_of_panicking() {
    let keyring = keyring();
    let forever = AccessTokenIssuer {
        ttl_seconds: u64::MAX,
        ..issuer()
    };
    let token = forever.issue(&keyring, "acct-1", STATE, NOW).unwrap();
    assert!(
        forever
            .verify(&keyring, token.reveal(), NOW + 10 * 365 * 86_400)
            .is_ok()
    );
}
