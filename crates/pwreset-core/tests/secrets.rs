//! The reset secrets' promises (`docs/secrets.md`), one test each, with property tests for
//! tampering.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use proptest::prelude::*;
use pwreset_core::UnixTime;
use pwreset_core::password_hash::{HashParams, hash_password, verify_password};
use pwreset_core::secrets::{
    AccessTokenAlgorithms, AccessTokenError, AccessTokenIssuer, CodeError, CodeScope, KeyPurpose,
    Keyring, LinkToken, MAX_CLOCK_SKEW_SECS, MAX_SECRET_LIFETIME_SECS, PasswordState, PayloadError,
    PayloadPurpose, ResetCode, SecretDigest, SecretKind, SignError, VerifiedPayload,
    derive_purpose_key, sign_payload, verify_payload,
};

const NOW: UnixTime = UnixTime::from_secs(1_790_000_000);
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;
const HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhh";

/// The account's state as the tests issue against it: the password hash and the e-mail address.
fn state() -> PasswordState {
    PasswordState::new(HASH).bind("email", "jane@example.com")
}

fn at(secs_after_now: u64) -> UnixTime {
    NOW.saturating_add(secs_after_now)
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().into()
}

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
        &state(),
        NOW,
        HOUR,
    )
    .unwrap()
    .reveal()
    .to_owned()
}

/// Both steps, for `account` whose current state is `state`, at `now`.
fn verify_full(
    keyring: &Keyring,
    encoded: &str,
    purpose: PayloadPurpose,
    account: &str,
    state: &PasswordState,
    now: UnixTime,
) -> Result<VerifiedPayload, PayloadError> {
    verify_payload(keyring, encoded, purpose, now)?.confirm(account, state)
}

fn verify(keyring: &Keyring, encoded: &str) -> Result<(), PayloadError> {
    verify_full(
        keyring,
        encoded,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        &state(),
        at(1),
    )
    .map(|_| ())
}

/// Re-signs payload bytes (everything before the MAC) with the signed-payload key of `key(seed)`.
fn resign(mut bytes: Vec<u8>, seed: u8) -> String {
    let mac_at = bytes.len() - 32;
    let payload_key = derive_purpose_key(&key(seed), KeyPurpose::SignedPayload);
    let mac = hmac_sha256(payload_key.as_slice(), &bytes[..mac_at]);
    bytes[mac_at..].copy_from_slice(&mac);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Offsets of `issued at` and `expires at` in a payload signed by `k2` for `acct-1`.
const ISSUED_AT: usize = 2 + 1 + 2 + 1 + 6;
const EXPIRES_AT: usize = ISSUED_AT + 8;

// Signed payloads.

#[test]
fn a_signed_payload_verifies_and_reports_its_fields() {
    let keyring = keyring();
    let payload = sign(&keyring);
    let pending = verify_payload(&keyring, &payload, PayloadPurpose::ResetAfterCode, NOW).unwrap();
    assert_eq!(pending.account(), "acct-1");
    let verified = pending.confirm("acct-1", &state()).unwrap();
    assert_eq!(verified.account, "acct-1");
    assert_eq!(verified.purpose, PayloadPurpose::ResetAfterCode);
    assert_eq!((verified.issued_at, verified.expires_at), (NOW, at(HOUR)));
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
    let verify_at = |now| {
        verify_full(
            &keyring,
            &payload,
            PayloadPurpose::ResetAfterCode,
            "acct-1",
            &state(),
            now,
        )
    };
    assert!(verify_at(at(HOUR - 1)).is_ok());
    assert_eq!(verify_at(at(HOUR)), Err(PayloadError::Expired));
}

#[test]
fn a_signed_payload_dies_when_the_password_changes() {
    let keyring = keyring();
    let payload = sign(&keyring);
    let new_state =
        PasswordState::new(&HASH.replace("c2Fsd", "bmV3c")).bind("email", "jane@example.com");
    let result = verify_full(
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
fn a_signed_payload_dies_when_a_bound_field_changes() {
    let keyring = keyring();
    let payload = sign(&keyring);
    let check = |state: &PasswordState| {
        verify_full(
            &keyring,
            &payload,
            PayloadPurpose::ResetAfterCode,
            "acct-1",
            state,
            NOW,
        )
        .map(|_| ())
    };
    let new_email = PasswordState::new(HASH).bind("email", "mallory@example.com");
    assert_eq!(check(&new_email), Err(PayloadError::StalePassword));
    let unbound = PasswordState::new(HASH);
    assert_eq!(check(&unbound), Err(PayloadError::StalePassword));
    let also_login = state().bind("last_login", "1789990000");
    assert_eq!(check(&also_login), Err(PayloadError::StalePassword));
    assert_eq!(check(&state()), Ok(()));
}

#[test]
fn a_signed_payload_is_refused_for_another_purpose_or_account() {
    let keyring = keyring();
    let payload = sign(&keyring);
    assert_eq!(
        verify_payload(&keyring, &payload, PayloadPurpose::ResetLink, NOW).unwrap_err(),
        PayloadError::WrongPurpose
    );
    assert_eq!(
        verify_full(
            &keyring,
            &payload,
            PayloadPurpose::ResetAfterCode,
            "acct-2",
            &state(),
            NOW
        ),
        Err(PayloadError::WrongAccount)
    );
}

#[test]
fn a_forged_payload_is_refused_before_any_account_is_looked_up() {
    let keyring = keyring();
    let mut bytes = URL_SAFE_NO_PAD.decode(sign(&keyring)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let forged = URL_SAFE_NO_PAD.encode(&bytes);
    // The first step needs no account state: the service looks one up only for a payload that
    // passed it.
    let mut lookups = 0;
    let result = verify_payload(&keyring, &forged, PayloadPurpose::ResetAfterCode, NOW).and_then(
        |pending| {
            lookups += 1;
            pending.confirm("acct-1", &state())
        },
    );
    assert_eq!(result, Err(PayloadError::BadMac));
    assert_eq!(lookups, 0);
}

#[test]
fn payload_lifetimes_are_bounded_to_24_hours() {
    let keyring = keyring();
    let sign_for = |ttl| {
        sign_payload(
            &keyring,
            PayloadPurpose::ResetLink,
            "acct-1",
            &state(),
            NOW,
            ttl,
        )
    };
    assert_eq!(MAX_SECRET_LIFETIME_SECS, DAY);
    assert_eq!(
        sign_for(u64::MAX).unwrap_err(),
        SignError::Lifetime(u64::MAX)
    );
    assert_eq!(sign_for(DAY + 1).unwrap_err(), SignError::Lifetime(DAY + 1));
    assert_eq!(sign_for(0).unwrap_err(), SignError::Lifetime(0));
    assert!(sign_for(DAY).is_ok());
    assert!(!SignError::Lifetime(DAY + 1).to_string().is_empty());
}

#[test]
fn a_correctly_signed_payload_claiming_more_than_24_hours_is_refused() {
    let keyring = keyring();
    let mut bytes = URL_SAFE_NO_PAD.decode(sign(&keyring)).unwrap();
    assert_eq!(bytes[ISSUED_AT..ISSUED_AT + 8], NOW.as_secs().to_be_bytes());
    bytes[EXPIRES_AT..EXPIRES_AT + 8].copy_from_slice(&u64::MAX.to_be_bytes());
    assert_eq!(
        verify(&keyring, &resign(bytes.clone(), 2)),
        Err(PayloadError::Lifetime)
    );
    // Expiring before it was issued.
    bytes[EXPIRES_AT..EXPIRES_AT + 8].copy_from_slice(&(NOW.as_secs() - 1).to_be_bytes());
    assert_eq!(
        verify(&keyring, &resign(bytes, 2)),
        Err(PayloadError::Lifetime)
    );
}

#[test]
fn a_payload_issued_in_the_future_is_refused_beyond_the_clock_skew() {
    let keyring = keyring();
    let tomorrow = sign_payload(
        &keyring,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        &state(),
        at(DAY),
        HOUR,
    )
    .unwrap();
    assert_eq!(
        verify_payload(
            &keyring,
            tomorrow.reveal(),
            PayloadPurpose::ResetAfterCode,
            NOW
        )
        .unwrap_err(),
        PayloadError::IssuedInFuture
    );
    let slightly_ahead = sign_payload(
        &keyring,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        &state(),
        at(MAX_CLOCK_SKEW_SECS),
        HOUR,
    )
    .unwrap();
    assert!(
        verify_payload(
            &keyring,
            slightly_ahead.reveal(),
            PayloadPurpose::ResetAfterCode,
            NOW
        )
        .is_ok()
    );
    let too_far = sign_payload(
        &keyring,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        &state(),
        at(MAX_CLOCK_SKEW_SECS + 1),
        HOUR,
    )
    .unwrap();
    assert_eq!(
        verify_payload(
            &keyring,
            too_far.reveal(),
            PayloadPurpose::ResetAfterCode,
            NOW
        )
        .unwrap_err(),
        PayloadError::IssuedInFuture
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
        verify_payload(&keyring, &forged, PayloadPurpose::ResetLink, NOW).unwrap_err(),
        PayloadError::BadMac
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
    let sign_for = |account: &str| {
        sign_payload(
            &keyring,
            PayloadPurpose::ResetLink,
            account,
            &state(),
            NOW,
            HOUR,
        )
    };
    assert_eq!(sign_for("").unwrap_err(), SignError::AccountLength);
    assert_eq!(
        sign_for(&"a".repeat(256)).unwrap_err(),
        SignError::AccountLength
    );
    assert!(sign_for(&"a".repeat(255)).is_ok());
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
    fn any_time_at_or_after_expiry_is_rejected(ttl in 1u64..=DAY, late in 0u64..1_000_000) {
        let keyring = keyring();
        let payload = sign_payload(&keyring, PayloadPurpose::ResetLink, "acct-1", &state(), NOW, ttl).unwrap();
        let result = verify_payload(&keyring, payload.reveal(), PayloadPurpose::ResetLink, at(ttl + late));
        prop_assert_eq!(result.unwrap_err(), PayloadError::Expired);
    }

    #[test]
    fn arbitrary_text_never_panics_and_never_verifies(text in ".{0,600}") {
        prop_assert!(verify(&keyring(), &text).is_err());
    }
}

// Purpose separation and the keyring.

#[test]
fn each_purpose_has_its_own_key() {
    let master = key(7);
    let purposes = [
        KeyPurpose::SignedPayload,
        KeyPurpose::LinkTokenDigest,
        KeyPurpose::CodeDigest,
        KeyPurpose::AccessToken,
        KeyPurpose::PasswordFingerprint,
    ];
    let derived: Vec<_> = purposes
        .iter()
        .map(|&p| *derive_purpose_key(&master, p))
        .collect();
    for (i, a) in derived.iter().enumerate() {
        assert!(derived[i + 1..].iter().all(|b| a != b));
        assert_ne!(a.as_slice(), master.as_slice());
    }
}

/// HKDF-SHA256 (RFC 5869) with no salt and the label as `info`, written out with bare HMACs:
/// `PRK = HMAC(32 zero bytes, key)`, `OKM = HMAC(PRK, label ‖ 0x01)`. What another service
/// reproduces with `crypto.hkdfSync("sha256", key, "", label, 32)`.
#[test]
fn purpose_keys_are_hkdf_sha256_of_the_documented_labels() {
    let master = key(7);
    let prk = hmac_sha256(&[0u8; 32], &master);
    let expected = hmac_sha256(&prk, b"pwreset/v1/access-token\x01");
    assert_eq!(
        *derive_purpose_key(&master, KeyPurpose::AccessToken),
        expected
    );
    assert_eq!(KeyPurpose::AccessToken.label(), "pwreset/v1/access-token");
}

#[test]
fn a_jwt_signed_with_the_payload_key_is_refused() {
    let keyring = keyring();
    let payload_key = derive_purpose_key(&key(2), KeyPurpose::SignedPayload);
    let issuer = issuer();
    let good = issuer.issue(&keyring, "acct-1", &state(), NOW).unwrap();
    let (signing_input, _) = good.reveal().rsplit_once('.').unwrap();
    let forged_sig = URL_SAFE_NO_PAD.encode(hmac_sha256(
        payload_key.as_slice(),
        signing_input.as_bytes(),
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
    assert_eq!(*presented.reveal_hex(), *token.reveal_hex());
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

// Digests read back from storage.

#[test]
fn a_stored_digest_parses_from_hex_and_matches_in_constant_time() {
    let keyring = keyring();
    let token = LinkToken::generate().unwrap();
    let stored = token.digest(&keyring);
    let read_back =
        SecretDigest::from_hex(SecretKind::LinkToken, stored.key_id(), stored.as_hex()).unwrap();
    assert!(read_back.matches(&stored));
    assert_eq!(read_back.storage_key(), stored.storage_key());
    let upper = stored.as_hex().to_uppercase();
    assert!(
        SecretDigest::from_hex(SecretKind::LinkToken, "k2", &upper)
            .unwrap()
            .matches(&stored)
    );
    // Another token, another kind or another key id does not match.
    let other = LinkToken::generate().unwrap().digest(&keyring);
    assert!(!read_back.matches(&other));
    let as_code = SecretDigest::from_hex(SecretKind::Code, "k2", stored.as_hex()).unwrap();
    assert!(!as_code.matches(&stored));
    let other_key = SecretDigest::from_hex(SecretKind::LinkToken, "k1", stored.as_hex()).unwrap();
    assert!(!other_key.matches(&stored));
    for bad in [
        "",
        &stored.as_hex()[..63],
        &format!("{}0", stored.as_hex()),
        &format!("{}00", stored.as_hex()),
        &format!("{}g", &stored.as_hex()[..63]),
    ] {
        assert!(
            SecretDigest::from_hex(SecretKind::LinkToken, "k2", bad).is_err(),
            "{bad:?}"
        );
    }
    assert!(SecretDigest::from_hex(SecretKind::LinkToken, "", stored.as_hex()).is_err());
}

// Codes.

#[test]
fn codes_have_the_requested_number_of_digits() {
    for digits in 6..=10 {
        let code = ResetCode::generate(digits).unwrap();
        assert_eq!(code.reveal().len(), usize::from(digits));
        assert!(code.reveal().bytes().all(|b| b.is_ascii_digit()));
    }
    assert_eq!(
        ResetCode::generate(5).unwrap_err(),
        CodeError::DigitCount(5)
    );
    assert_eq!(
        ResetCode::generate(11).unwrap_err(),
        CodeError::DigitCount(11)
    );
}

#[test]
fn parsing_refuses_the_digit_counts_generating_refuses() {
    assert_eq!(
        ResetCode::parse("", 0).unwrap_err(),
        CodeError::DigitCount(0)
    );
    assert_eq!(
        ResetCode::parse("12345", 5).unwrap_err(),
        CodeError::DigitCount(5)
    );
    assert_eq!(
        ResetCode::parse("12345678901", 11).unwrap_err(),
        CodeError::DigitCount(11)
    );
    assert!(ResetCode::parse("1234567890", 10).is_ok());
    assert_eq!(
        ResetCode::parse("12345", 6).unwrap_err(),
        CodeError::Malformed
    );
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
    let mine = code.digest(&keyring, CodeScope::Account("acct-1"));
    assert!(mine.storage_key().starts_with("code:"));
    assert_ne!(mine, code.digest(&keyring, CodeScope::Account("acct-2")));
    assert_ne!(mine, code.digest(&keyring, CodeScope::Global));
    assert_ne!(
        mine,
        ResetCode::parse("123457", 6)
            .unwrap()
            .digest(&keyring, CodeScope::Account("acct-1"))
    );
    assert_eq!(
        mine,
        ResetCode::parse("123456", 6)
            .unwrap()
            .digest(&keyring, CodeScope::Account("acct-1"))
    );
    let other = Keyring::from_keys([("k2", key(8).as_slice())]).unwrap();
    assert_ne!(
        mine.as_hex(),
        code.digest(&other, CodeScope::Account("acct-1")).as_hex()
    );
    for text in ["12345", "1234567", "12345a", "１２３４５６", " 12345"] {
        assert!(ResetCode::parse(text, 6).is_err(), "{text:?}");
    }
}

#[test]
fn no_account_id_shares_the_global_scope() {
    let keyring = keyring();
    let code = ResetCode::parse("12345678", 8).unwrap();
    let global = code.digest(&keyring, CodeScope::Global);
    for account in ["global", "", "account:", "*", "Global"] {
        assert_ne!(
            global,
            code.digest(&keyring, CodeScope::Account(account)),
            "{account:?}"
        );
    }
}

/// The service's protocol for codes redeemed without their account: draw, claim the storage key
/// only if none of the code's digests is live, redraw when taken. Simulated with a set as the
/// atomic store: 40 runs of 1,000 live 6-digit codes and 3 runs of 5,000 (where plain drawing
/// collided in 11 of 40 and in every run), never two live codes on one key.
#[test]
fn globally_looked_up_codes_are_unique_among_live_codes() {
    use std::collections::HashSet;
    let keyring = keyring();
    for (runs, live) in [(40, 1_000), (3, 5_000)] {
        for _ in 0..runs {
            let mut store: HashSet<String> = HashSet::new();
            let mut codes: HashSet<String> = HashSet::new();
            for _ in 0..live {
                let claimed = ResetCode::draws(6, &keyring, CodeScope::Global)
                    .map(Result::unwrap)
                    .find(|draw| {
                        let taken = draw
                            .digests()
                            .iter()
                            .any(|d| store.contains(&d.storage_key()));
                        if !taken {
                            store.insert(draw.stored_digest().storage_key());
                        }
                        !taken
                    })
                    .expect("a free code among 16 draws");
                assert!(codes.insert(claimed.code().reveal().to_owned()));
            }
            assert_eq!(store.len(), live);
        }
    }
}

#[test]
fn draws_stop_after_the_documented_number_and_check_every_key() {
    let keyring = keyring();
    let draws: Vec<_> = ResetCode::draws(8, &keyring, CodeScope::Global)
        .map(Result::unwrap)
        .collect();
    assert_eq!(draws.len(), ResetCode::MAX_DRAWS);
    let draw = &draws[0];
    assert_eq!(draw.digests().len(), 2);
    assert_eq!(draw.stored_digest().key_id(), "k2");
    assert_eq!(draw.digests()[1].key_id(), "k1");
    assert_eq!(draw.code().reveal().len(), 8);
    let presented = ResetCode::parse(draw.code().reveal(), 8).unwrap();
    assert!(
        presented
            .digests(&keyring, CodeScope::Global)
            .contains(draw.stored_digest())
    );
    assert_eq!(
        ResetCode::draws(5, &keyring, CodeScope::Global)
            .next()
            .unwrap()
            .unwrap_err(),
        CodeError::DigitCount(5)
    );
}

/// The figures of `docs/secrets.md`: each failed guess adds N/10^digits to the day's risk; the
/// day's budget of 5e-5 then allows the whole number of failed guesses that fits in it.
#[test]
fn the_global_guessing_arithmetic_is_the_documented_one() {
    let guesses_per_day = |live: u64, digits: u8| {
        (ResetCode::DAILY_GLOBAL_RISK_BUDGET / ResetCode::guess_success_probability(live, digits)
            * (1.0 + 1e-9))
            .floor() as u64
    };
    assert_eq!(ResetCode::DAILY_GLOBAL_RISK_BUDGET, 5e-5);
    assert_eq!(ResetCode::guess_success_probability(1, 6), 1e-6);
    assert_eq!(guesses_per_day(1, 6), 50);
    assert_eq!(guesses_per_day(10, 6), 5);
    assert_eq!(guesses_per_day(100, 6), 0);
    assert_eq!(guesses_per_day(1, 8), 5_000);
    assert_eq!(guesses_per_day(100, 8), 50);
    assert_eq!(guesses_per_day(1_000, 8), 5);
    assert_eq!(guesses_per_day(1_000, 10), 500);
    assert_eq!(ResetCode::GLOBAL_DIGITS, 8);
    assert_eq!(ResetCode::guess_success_probability(2_000_000, 6), 1.0);
}

// Access tokens.

fn issuer() -> AccessTokenIssuer {
    AccessTokenIssuer {
        issuer: "pwreset".into(),
        audience: "pwreset-api".into(),
        ttl_seconds: HOUR,
    }
}

/// A token with this header and these claims, signed with k2's HS256 access-token key (so its
/// signature is valid where HS256 is accepted).
fn signed_token(header: serde_json::Value, claims: serde_json::Value) -> String {
    let access_key = derive_purpose_key(&key(2), KeyPurpose::AccessToken);
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = hmac_sha256(access_key.as_slice(), signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A token with this header and these claims, signed with k2's Ed25519 key (so its signature is
/// valid).
fn eddsa_signed_token(header: serde_json::Value, claims: serde_json::Value) -> String {
    let seed = derive_purpose_key(&key(2), KeyPurpose::AccessTokenEd25519);
    let key_pair = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(*seed));
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key_pair.sk.sign(signing_input.as_bytes(), None);
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.as_ref())
    )
}

/// Each way of signing a test token: the header's `alg`, the signer, and the algorithms a
/// verifier must accept for it.
type Signer = fn(serde_json::Value, serde_json::Value) -> String;
const SIGNERS: [(&str, Signer, AccessTokenAlgorithms); 2] = [
    (
        "EdDSA",
        eddsa_signed_token,
        AccessTokenAlgorithms::EDDSA_ONLY,
    ),
    (
        "HS256",
        signed_token,
        AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256,
    ),
];

/// The claims of a real token for `acct-1`, as JSON, to edit.
fn real_claims(keyring: &Keyring) -> serde_json::Value {
    let token = issuer().issue(keyring, "acct-1", &state(), NOW).unwrap();
    let claims = token.reveal().split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap()
}

#[test]
fn access_tokens_verify_and_carry_subject_id_and_times() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", &state(), NOW).unwrap();
    let pending = issuer().verify(&keyring, token.reveal(), at(10)).unwrap();
    assert_eq!(pending.subject(), "acct-1");
    let jti = pending.jti().to_owned();
    let verified = pending.confirm_password_state(&state()).unwrap();
    assert_eq!(verified.subject, "acct-1");
    assert_eq!(verified.issued_at, NOW);
    assert_eq!(verified.expires_at, at(HOUR));
    assert_eq!(verified.jti, jti);
    assert_eq!(verified.jti.len(), 22);
    let again = issuer().issue(&keyring, "acct-1", &state(), NOW).unwrap();
    let other_jti = issuer()
        .verify(&keyring, again.reveal(), NOW)
        .unwrap()
        .jti()
        .to_owned();
    assert_ne!(jti, other_jti);
}

#[test]
fn access_tokens_are_revoked_by_a_password_or_bound_field_change() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", &state(), NOW).unwrap();
    let confirm = |state: &PasswordState| {
        issuer()
            .verify(&keyring, token.reveal(), NOW)
            .unwrap()
            .confirm_password_state(state)
            .map(|_| ())
    };
    assert_eq!(
        confirm(&PasswordState::new("new hash").bind("email", "jane@example.com")),
        Err(AccessTokenError::Revoked)
    );
    assert_eq!(
        confirm(&PasswordState::new(HASH).bind("email", "new@example.com")),
        Err(AccessTokenError::Revoked)
    );
    assert_eq!(confirm(&state()), Ok(()));
}

#[test]
fn access_tokens_expire_and_are_bound_to_issuer_and_audience() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", &state(), NOW).unwrap();
    assert_eq!(
        issuer()
            .verify(&keyring, token.reveal(), at(HOUR))
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
fn access_token_lifetimes_are_bounded_to_24_hours() {
    let keyring = keyring();
    for ttl in [0, DAY + 1, u64::MAX] {
        let issuer = AccessTokenIssuer {
            ttl_seconds: ttl,
            ..issuer()
        };
        assert_eq!(
            issuer.issue(&keyring, "acct-1", &state(), NOW).unwrap_err(),
            AccessTokenError::Lifetime,
            "{ttl}"
        );
    }
    let day = AccessTokenIssuer {
        ttl_seconds: DAY,
        ..issuer()
    };
    assert!(day.issue(&keyring, "acct-1", &state(), NOW).is_ok());
    // A validly signed token claiming more is refused too, under either algorithm.
    for (alg, signed, algorithms) in SIGNERS {
        let mut claims = real_claims(&keyring);
        claims["exp"] = (NOW.as_secs() + DAY + 1).into();
        let token = signed(serde_json::json!({"alg": alg, "kid": "k2"}), claims);
        assert_eq!(
            issuer()
                .verify_with(&keyring, &token, NOW, algorithms)
                .unwrap_err(),
            AccessTokenError::Lifetime,
            "{alg}"
        );
    }
}

/// What a valid signature is not enough for: each token below is signed with the right key, under
/// each algorithm.
#[test]
fn validly_signed_tokens_with_bad_times_or_headers_are_refused() {
    for (alg, signed, algorithms) in SIGNERS {
        validly_signed_tokens_with_bad_times_or_headers_are_refused_under(alg, signed, algorithms);
    }
}

fn validly_signed_tokens_with_bad_times_or_headers_are_refused_under(
    alg: &str,
    signed_token: Signer,
    algorithms: AccessTokenAlgorithms,
) {
    let keyring = keyring();
    let header = serde_json::json!({"alg": alg, "kid": "k2"});
    let now = NOW.as_secs();
    let edit = |f: &dyn Fn(&mut serde_json::Map<String, serde_json::Value>)| {
        let mut claims = real_claims(&keyring);
        f(claims.as_object_mut().unwrap());
        signed_token(header.clone(), claims)
    };
    let cases: Vec<(&str, String, AccessTokenError)> = vec![
        (
            "nbf a day ahead",
            edit(&|c| {
                c.insert("nbf".into(), (now + DAY).into());
            }),
            AccessTokenError::NotYetValid,
        ),
        (
            "iat ten years ahead",
            edit(&|c| {
                let iat = now + 10 * 365 * DAY;
                c.insert("iat".into(), iat.into());
                c.insert("exp".into(), (iat + HOUR).into());
            }),
            AccessTokenError::NotYetValid,
        ),
        (
            "no iat",
            edit(&|c| {
                c.remove("iat");
            }),
            AccessTokenError::Malformed,
        ),
        (
            "float exp",
            edit(&|c| {
                c.insert("exp".into(), serde_json::json!((now + HOUR) as f64 + 0.5));
            }),
            AccessTokenError::Malformed,
        ),
        (
            "no exp",
            edit(&|c| {
                c.remove("exp");
            }),
            AccessTokenError::Malformed,
        ),
        (
            "no jti",
            edit(&|c| {
                c.remove("jti");
            }),
            AccessTokenError::Malformed,
        ),
        (
            "crit exp",
            signed_token(
                serde_json::json!({"alg": alg, "kid": "k2", "crit": ["exp"], "exp": now + HOUR}),
                real_claims(&keyring),
            ),
            AccessTokenError::CriticalHeader,
        ),
    ];
    let verify = |token: &str| issuer().verify_with(&keyring, token, NOW, algorithms);
    for (what, token, expected) in cases {
        assert_eq!(verify(&token).unwrap_err(), expected, "{alg}: {what}");
    }
    // Within the clock skew, `nbf` and `iat` are accepted; unedited, the helper's token verifies.
    let skewed = edit(&|c| {
        c.insert("nbf".into(), (now + MAX_CLOCK_SKEW_SECS).into());
        c.insert("iat".into(), (now + MAX_CLOCK_SKEW_SECS).into());
    });
    assert!(verify(&skewed).is_ok(), "{alg}");
    assert!(verify(&edit(&|_| {})).is_ok(), "{alg}");
}

#[test]
fn tampered_unsigned_and_foreign_access_tokens_are_refused() {
    let keyring = keyring();
    let token = issuer().issue(&keyring, "acct-1", &state(), NOW).unwrap();
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

/// The manifest builds argon2 with `zeroize`, so its memory blocks are wiped after each hash.
#[test]
fn argon2_is_built_with_zeroize() {
    let manifest = include_str!("../Cargo.toml");
    let argon2 = manifest
        .lines()
        .find(|line| line.starts_with("argon2 ="))
        .expect("argon2 is a dependency");
    assert!(argon2.contains(r#""zeroize""#), "{argon2}");
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
        &state(),
        NOW,
        HOUR,
    )
    .unwrap();
    let access = issuer().issue(&keyring, "acct-1", &state(), NOW).unwrap();
    let draw = ResetCode::draws(8, &keyring, CodeScope::Global)
        .next()
        .unwrap()
        .unwrap();
    let shown = format!(
        "{token:?} {code:?} {payload:?} {access:?} {keyring:?} {:?} {draw:?}",
        state()
    );
    for secret in [
        token.reveal_hex().as_str(),
        code.reveal(),
        payload.reveal(),
        access.reveal(),
        draw.code().reveal(),
        HASH,
        "jane@example.com",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("redacted"));
}

#[test]
fn identifier_tags_are_keyed_short_and_stable_per_key() {
    let one = Keyring::from_keys([("k1", key(7).as_slice())]).unwrap();
    let two = Keyring::from_keys([("k2", key(9).as_slice())]).unwrap();
    let tag = one.identifier_tag("jane@example.com");
    assert_eq!(tag.len(), 16);
    assert!(tag.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(tag, one.identifier_tag("jane@example.com"));
    assert_ne!(tag, one.identifier_tag("john@example.com"));
    // Another key, another tag: without the key a log reader cannot test a guessed address.
    assert_ne!(tag, two.identifier_tag("jane@example.com"));
    use sha2::{Digest, Sha256};
    let plain: String = Sha256::digest(b"jane@example.com")[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_ne!(tag, plain);
}

#[test]
fn state_tags_change_with_the_state_and_survive_a_key_rotation() {
    let old = Keyring::from_keys([("k1", key(1).as_slice())]).unwrap();
    let rotated = keyring();
    let state = PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
        .bind("email", "a@b.test");
    let tags = old.state_tags("acct-1", &state);
    assert_eq!(tags.len(), 1);
    assert!(
        tags[0].starts_with("k1:") && tags[0].len() == 3 + 32,
        "{tags:?}"
    );
    // After a rotation the old key's tag is still among the current ones.
    let now = rotated.state_tags("acct-1", &state);
    assert_eq!(now.len(), 2);
    assert!(now[0].starts_with("k2:"));
    assert_eq!(now[1], tags[0]);
    // Another hash, another e-mail address or another account: another tag.
    let other_hash = PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$b3RoZXI")
        .bind("email", "a@b.test");
    let other_email = PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
        .bind("email", "c@d.test");
    assert_ne!(old.state_tags("acct-1", &other_hash), tags);
    assert_ne!(old.state_tags("acct-1", &other_email), tags);
    assert_ne!(old.state_tags("acct-2", &state), tags);
}
