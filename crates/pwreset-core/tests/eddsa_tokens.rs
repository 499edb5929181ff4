//! `EdDSA` access tokens and the JWK Set: the default algorithm, key rotation, verification by
//! others from the JWK Set alone (an independent Ed25519 implementation, and Node's `jose`), and
//! the algorithms that are refused.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use pwreset_core::UnixTime;
use pwreset_core::secrets::{
    AccessToken, AccessTokenAlgorithm, AccessTokenAlgorithms, AccessTokenError, AccessTokenIssuer,
    Ed25519Jwk, KeyPurpose, Keyring, PasswordState, derive_purpose_key,
};
use serde_json::{Value, json};

const NOW_SECS: u64 = 1_790_000_000;
const NOW: UnixTime = UnixTime::from_secs(NOW_SECS);
const HOUR: u64 = 3600;

fn key(seed: u8) -> Vec<u8> {
    (0..32u8)
        .map(|i| i.wrapping_mul(151).wrapping_add(seed))
        .collect()
}

/// `k2` (newest, signs) and `k1`.
fn keyring() -> Keyring {
    Keyring::from_keys([("k2", key(2).as_slice()), ("k1", key(1).as_slice())]).unwrap()
}

fn state() -> PasswordState {
    PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
        .bind("email", "a@example.com")
}

fn issuer() -> AccessTokenIssuer {
    AccessTokenIssuer {
        issuer: "https://reset.example.test".into(),
        audience: "pwreset".into(),
        ttl_seconds: HOUR,
    }
}

fn issue(keyring: &Keyring) -> AccessToken {
    issuer().issue(keyring, "acct-1", &state(), NOW).unwrap()
}

/// Part `index` of a compact JWT, decoded from base64url (header 0, claims 1, signature 2).
fn part(token: &str, index: usize) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(token.split('.').nth(index).unwrap())
        .unwrap()
}

fn header(token: &str) -> Value {
    serde_json::from_slice(&part(token, 0)).unwrap()
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// `token`'s claims under another header, signed with HMAC-SHA256 under `key`.
fn hs256_token(header: &Value, token: &str, key: &[u8]) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        token.split('.').nth(1).unwrap()
    );
    let signature = hmac_sha256(key, signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The JWK Set as a consumer reads it: the served JSON, parsed.
fn served_jwks(keyring: &Keyring) -> Value {
    serde_json::from_str(&keyring.jwk_set().to_json()).unwrap()
}

#[test]
fn eddsa_is_the_default_and_round_trips() {
    assert_eq!(
        AccessTokenAlgorithms::default(),
        AccessTokenAlgorithms::EDDSA_ONLY
    );
    assert_eq!(
        AccessTokenAlgorithms::default().sign,
        AccessTokenAlgorithm::EdDsa
    );
    assert!(!AccessTokenAlgorithms::default().accept_hs256);
    let keyring = keyring();
    let token = issue(&keyring);
    assert_eq!(header(token.reveal()), json!({"alg": "EdDSA", "kid": "k2"}));
    assert_eq!(part(token.reveal(), 2).len(), 64, "an Ed25519 signature");
    let pending = issuer().verify(&keyring, token.reveal(), NOW).unwrap();
    assert_eq!(pending.subject(), "acct-1");
    assert_eq!(pending.algorithm(), AccessTokenAlgorithm::EdDsa);
    assert_eq!(pending.key_id(), "k2");
    let verified = pending.confirm_password_state(&state()).unwrap();
    assert_eq!(verified.subject, "acct-1");
    assert_eq!(verified.algorithm, AccessTokenAlgorithm::EdDsa);
    assert_eq!(verified.expires_at, NOW.saturating_add(HOUR));
    // The two-step confirmation holds for EdDSA as for HS256: a password change revokes.
    assert_eq!(
        issuer()
            .verify(&keyring, token.reveal(), NOW)
            .unwrap()
            .confirm_password_state(&PasswordState::new("new hash"))
            .unwrap_err(),
        AccessTokenError::Revoked
    );
    // Signing is deterministic (RFC 8032) and `jti` random, so two tokens differ.
    assert_ne!(issue(&keyring).reveal(), token.reveal());
}

#[test]
fn the_newest_entry_signs_and_every_entry_verifies() {
    let before = Keyring::from_keys([("k1", key(1).as_slice())]).unwrap();
    let old_token = issue(&before);
    assert_eq!(header(old_token.reveal())["kid"], "k1");

    // A new key is put first: it signs, and the old entry's tokens still verify.
    let rotated = keyring();
    let new_token = issue(&rotated);
    assert_eq!(header(new_token.reveal())["kid"], "k2");
    for token in [&old_token, &new_token] {
        let pending = issuer().verify(&rotated, token.reveal(), NOW).unwrap();
        assert_eq!(pending.key_id(), header(token.reveal())["kid"]);
        assert!(pending.confirm_password_state(&state()).is_ok());
    }
    let set = rotated.jwk_set();
    let kids: Vec<&str> = set.keys().iter().map(|k| k.kid()).collect();
    assert_eq!(kids, ["k2", "k1"]);
    // The old entry's public key is the same before and after the rotation.
    assert_eq!(
        before.jwk_set().find("k1"),
        rotated.jwk_set().find("k1"),
        "keys are derived, not drawn"
    );

    // Once the old entry is dropped, its tokens name an unknown key.
    let after = Keyring::from_keys([("k2", key(2).as_slice())]).unwrap();
    assert_eq!(
        issuer()
            .verify(&after, old_token.reveal(), NOW)
            .unwrap_err(),
        AccessTokenError::UnknownKey
    );
    assert!(issuer().verify(&after, new_token.reveal(), NOW).is_ok());

    // A signature by k1 under a header naming k2 does not verify.
    let signed_by_k1: Vec<&str> = old_token.reveal().split('.').collect();
    let renamed = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"EdDSA","kid":"k2"}"#),
        signed_by_k1[1],
        signed_by_k1[2]
    );
    assert_eq!(
        issuer().verify(&rotated, &renamed, NOW).unwrap_err(),
        AccessTokenError::BadSignature
    );
}

/// The Ed25519 seed is the entry's HKDF-SHA256 output for the documented label, and the JWK Set
/// carries its RFC 8032 public key (computed here by a second implementation).
#[test]
fn the_key_pair_is_derived_from_the_documented_label() {
    assert_eq!(
        KeyPurpose::AccessTokenEd25519.label(),
        "pwreset/v1/access-token-ed25519"
    );
    let keyring = keyring();
    let set = keyring.jwk_set();
    for (kid, seed_byte) in [("k2", 2), ("k1", 1)] {
        let seed = derive_purpose_key(&key(seed_byte), KeyPurpose::AccessTokenEd25519);
        let expected = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(*seed)).pk;
        let jwk = set.find(kid).unwrap();
        assert_eq!(jwk.public_key().as_slice(), expected.as_ref());
        assert_eq!(jwk.x(), URL_SAFE_NO_PAD.encode(expected.as_ref()));
        assert_ne!(
            *seed,
            *derive_purpose_key(&key(seed_byte), KeyPurpose::AccessToken)
        );
    }
    assert_ne!(set.keys()[0].public_key(), set.keys()[1].public_key());
}

/// The served document has exactly the public members, and nothing a secret could hide in.
#[test]
fn the_jwk_set_holds_public_keys_only() {
    let keyring = keyring();
    let jwks = served_jwks(&keyring);
    let top: Vec<&String> = jwks.as_object().unwrap().keys().collect();
    assert_eq!(top, ["keys"]);
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let allowed: BTreeSet<&str> = ["kty", "crv", "alg", "use", "kid", "x"].into();
    for (jwk, kid) in keys.iter().zip(["k2", "k1"]) {
        let members: BTreeSet<&str> = jwk
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(members, allowed, "{jwk}");
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
        assert_eq!(jwk["alg"], "EdDSA");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["kid"], kid);
        let x = URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap();
        assert_eq!(x.len(), 32);
    }
    assert_eq!(Ed25519Jwk::KTY, "OKP");
    assert_eq!(Ed25519Jwk::USE, "sig");
    // No key material of any purpose, nor the configured keys, appears in any encoding.
    let text = keyring.jwk_set().to_json();
    let debug = format!("{:?}", keyring.jwk_set());
    for master in [key(1), key(2)] {
        let mut secrets = vec![master.clone()];
        for purpose in [
            KeyPurpose::SignedPayload,
            KeyPurpose::LinkTokenDigest,
            KeyPurpose::CodeDigest,
            KeyPurpose::AccessToken,
            KeyPurpose::PasswordFingerprint,
            KeyPurpose::IdentifierTag,
            KeyPurpose::AccessTokenEd25519,
        ] {
            secrets.push(derive_purpose_key(&master, purpose).to_vec());
        }
        for secret in secrets {
            let b64 = URL_SAFE_NO_PAD.encode(&secret);
            let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
            let bytes = format!("{:?}", &secret[..8]);
            for shown in [&text, &debug] {
                assert!(!shown.contains(&b64[..16]) && !shown.contains(&hex[..16]));
                assert!(!shown.contains(&bytes[1..bytes.len() - 1]));
            }
        }
    }
}

/// What any JWT library does with the JWK Set: pick the key by `kid`, check `alg`, and verify the
/// Ed25519 signature over `header.payload`. Done here with `ed25519-compact`, which shares no code
/// with the signer (`ed25519-dalek`).
#[test]
fn a_token_verifies_with_the_jwk_set_alone() {
    let keyring = keyring();
    let token = issue(&keyring);
    let jwks = served_jwks(&keyring);
    drop(keyring);

    let verify = |token: &str| -> bool {
        let header = header(token);
        let Some(jwk) = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == header["kid"])
        else {
            return false;
        };
        assert_eq!(jwk["alg"], header["alg"]);
        let x = URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap();
        let public = ed25519_compact::PublicKey::from_slice(&x).unwrap();
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        let Ok(signature) = ed25519_compact::Signature::from_slice(&signature) else {
            return false;
        };
        public.verify(signing_input.as_bytes(), &signature).is_ok()
    };
    assert!(verify(token.reveal()));
    let claims: Value = serde_json::from_slice(&part(token.reveal(), 1)).unwrap();
    assert_eq!(claims["sub"], "acct-1");
    assert_eq!(claims["iss"], "https://reset.example.test");

    let parts: Vec<&str> = token.reveal().split('.').collect();
    let altered_claims = String::from_utf8(part(token.reveal(), 1))
        .unwrap()
        .replace("acct-1", "acct-2");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(altered_claims),
        parts[2]
    );
    assert!(!verify(&tampered));
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Node's `jose`, given only the JWK Set, verifies our token (and refuses it expired or for
/// another audience). Needs `node` and the root `node_modules` (`make setup`), as `jwt_interop`.
#[test]
fn jose_verifies_eddsa_tokens_with_the_jwk_set() {
    let root = repo_root();
    assert!(
        root.join("node_modules/jose").is_dir(),
        "node_modules/jose is missing: run `make setup` (or `npm ci`) at the repository root"
    );
    const SCRIPT: &str = r#"
import { createLocalJWKSet, jwtVerify } from "jose";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { jwks, token, checks } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const keys = createLocalJWKSet(jwks);
const answers = [];
for (const { audience, now } of checks) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      algorithms: ["EdDSA"], issuer: "https://reset.example.test", audience,
      currentDate: new Date(now * 1000),
    });
    answers.push({ ok: true, header: protectedHeader, sub: payload.sub });
  } catch (error) {
    answers.push({ ok: false, error: error.code ?? String(error) });
  }
}
process.stdout.write(JSON.stringify(answers));
"#;
    let keyring = keyring();
    let token = issue(&keyring);
    let request = json!({
        "jwks": served_jwks(&keyring),
        "token": token.reveal(),
        "checks": [
            {"audience": "pwreset", "now": NOW_SECS + 5},
            {"audience": "pwreset", "now": NOW_SECS + HOUR},
            {"audience": "someone-else", "now": NOW_SECS + 5},
        ],
    });
    let mut child = Command::new("node")
        .args(["--input-type=module", "-e", SCRIPT])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node is installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "node failed");
    let answers: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answers[0]["ok"], true, "{answers}");
    assert_eq!(answers[0]["header"], json!({"alg": "EdDSA", "kid": "k2"}));
    assert_eq!(answers[0]["sub"], "acct-1");
    assert_eq!(answers[1]["ok"], false, "expired: {answers}");
    assert_eq!(answers[2]["ok"], false, "another audience: {answers}");
}

/// An HS256 token whose HMAC key is the public key (what a verifier that takes the key from the
/// JWK Set and the algorithm from the token would accept) never verifies.
#[test]
fn hs256_signed_with_the_public_key_is_refused() {
    let keyring = keyring();
    let token = issue(&keyring);
    let jwk = keyring.jwk_set().find("k2").unwrap().clone();
    let hs256 = json!({"alg": "HS256", "kid": "k2"});
    let jwk_json = serde_json::to_string(&jwk).unwrap();
    let x = jwk.x();
    let public_keys: [&[u8]; 3] = [jwk.public_key(), x.as_bytes(), jwk_json.as_bytes()];
    for public in public_keys {
        let forged = hs256_token(&hs256, token.reveal(), public);
        assert_eq!(
            issuer().verify(&keyring, &forged, NOW).unwrap_err(),
            AccessTokenError::Algorithm
        );
        for algorithms in [
            AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256,
            AccessTokenAlgorithms::HS256,
        ] {
            assert_eq!(
                issuer()
                    .verify_with(&keyring, &forged, NOW, algorithms)
                    .unwrap_err(),
                AccessTokenError::BadSignature
            );
        }
        // Nor does an HMAC under the public key pass as an EdDSA signature.
        let as_eddsa = hs256_token(
            &json!({"alg": "EdDSA", "kid": "k2"}),
            token.reveal(),
            public,
        );
        assert_eq!(
            issuer().verify(&keyring, &as_eddsa, NOW).unwrap_err(),
            AccessTokenError::BadSignature
        );
    }
}

/// `none` and every algorithm but `EdDSA` (and `HS256` where accepted) are refused, whatever the
/// signature, before any key is used.
#[test]
fn other_algorithms_are_refused() {
    let keyring = keyring();
    let token = issue(&keyring);
    let (_, claims_and_signature) = token.reveal().split_once('.').unwrap();
    let (claims, signature) = claims_and_signature.split_once('.').unwrap();
    let refused = [
        "none", "None", "NONE", "HS512", "HS384", "RS256", "PS256", "ES256", "ES256K", "Ed25519",
        "eddsa", "EDDSA", "EdDSA ", "hs256", "",
    ];
    for alg in refused {
        let header = URL_SAFE_NO_PAD.encode(json!({"alg": alg, "kid": "k2"}).to_string());
        for tail in [String::new(), signature.to_owned()] {
            let forged = format!("{header}.{claims}.{tail}");
            for algorithms in [
                AccessTokenAlgorithms::EDDSA_ONLY,
                AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256,
                AccessTokenAlgorithms::HS256,
            ] {
                let refusal = issuer()
                    .verify_with(&keyring, &forged, NOW, algorithms)
                    .unwrap_err();
                assert!(
                    matches!(
                        refusal,
                        AccessTokenError::Algorithm | AccessTokenError::Malformed
                    ),
                    "{alg:?}: {refusal:?}"
                );
            }
        }
    }
    // The unsigned form of a real token, and a header without `alg`.
    let no_alg = URL_SAFE_NO_PAD.encode(r#"{"kid":"k2"}"#);
    assert!(
        issuer()
            .verify(&keyring, &format!("{no_alg}.{claims}.{signature}"), NOW)
            .is_err()
    );
    let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k2"}"#);
    assert_eq!(
        issuer()
            .verify(&keyring, &format!("{none}.{claims}."), NOW)
            .unwrap_err(),
        AccessTokenError::Algorithm
    );
}

#[test]
fn hs256_is_issued_and_accepted_only_when_configured() {
    let keyring = keyring();
    let hs256 = issuer()
        .issue_with(
            &keyring,
            "acct-1",
            &state(),
            NOW,
            AccessTokenAlgorithms::HS256,
        )
        .unwrap();
    assert_eq!(header(hs256.reveal()), json!({"alg": "HS256", "kid": "k2"}));
    // Its signature is HMAC-SHA256 under the documented access-token key.
    let (signing_input, _) = hs256.reveal().rsplit_once('.').unwrap();
    let access_key = derive_purpose_key(&key(2), KeyPurpose::AccessToken);
    assert_eq!(
        part(hs256.reveal(), 2),
        hmac_sha256(access_key.as_slice(), signing_input.as_bytes())
    );

    assert_eq!(
        issuer().verify(&keyring, hs256.reveal(), NOW).unwrap_err(),
        AccessTokenError::Algorithm,
        "refused by default"
    );
    let eddsa = issue(&keyring);
    let signs_hs256_only = AccessTokenAlgorithms {
        sign: AccessTokenAlgorithm::Hs256,
        accept_hs256: false,
    };
    for algorithms in [
        AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256,
        AccessTokenAlgorithms::HS256,
        signs_hs256_only,
    ] {
        assert!(algorithms.accepts(AccessTokenAlgorithm::Hs256));
        let pending = issuer()
            .verify_with(&keyring, hs256.reveal(), NOW, algorithms)
            .unwrap();
        assert_eq!(pending.algorithm(), AccessTokenAlgorithm::Hs256);
        // The same checks follow: a password change revokes, an expired token is refused.
        assert_eq!(
            pending
                .confirm_password_state(&PasswordState::new("new hash"))
                .unwrap_err(),
            AccessTokenError::Revoked
        );
        let verified = issuer()
            .verify_with(&keyring, hs256.reveal(), NOW, algorithms)
            .unwrap()
            .confirm_password_state(&state())
            .unwrap();
        assert_eq!(verified.algorithm, AccessTokenAlgorithm::Hs256);
        assert_eq!(
            issuer()
                .verify_with(
                    &keyring,
                    hs256.reveal(),
                    NOW.saturating_add(HOUR),
                    algorithms
                )
                .unwrap_err(),
            AccessTokenError::Expired
        );
        // EdDSA verifies whatever is configured.
        assert!(
            issuer()
                .verify_with(&keyring, eddsa.reveal(), NOW, algorithms)
                .is_ok()
        );
    }
    assert!(!AccessTokenAlgorithms::EDDSA_ONLY.accepts(AccessTokenAlgorithm::Hs256));
    assert!(AccessTokenAlgorithms::EDDSA_ONLY.accepts(AccessTokenAlgorithm::EdDsa));
    assert_eq!(AccessTokenAlgorithm::EdDsa.name(), "EdDSA");
    assert_eq!(
        AccessTokenAlgorithm::from_name("HS256"),
        Some(AccessTokenAlgorithm::Hs256)
    );
    assert_eq!(AccessTokenAlgorithm::from_name("HS512"), None);
}

#[test]
fn an_eddsa_token_with_a_crit_header_or_the_wrong_audience_is_refused() {
    let keyring = keyring();
    let token = issue(&keyring);
    let other = AccessTokenIssuer {
        audience: "elsewhere".into(),
        ..issuer()
    };
    assert_eq!(
        other.verify(&keyring, token.reveal(), NOW).unwrap_err(),
        AccessTokenError::WrongIssuerOrAudience
    );
    assert_eq!(
        issuer()
            .verify(&keyring, token.reveal(), NOW.saturating_add(HOUR))
            .unwrap_err(),
        AccessTokenError::Expired
    );
    // A validly signed token with `crit`, signed here with the entry's derived seed.
    let seed = derive_purpose_key(&key(2), KeyPurpose::AccessTokenEd25519);
    let pair = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(*seed));
    let header = json!({"alg": "EdDSA", "kid": "k2", "crit": ["exp"], "exp": NOW_SECS + HOUR});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        token.reveal().split('.').nth(1).unwrap()
    );
    let signature = pair.sk.sign(signing_input.as_bytes(), None);
    let with_crit = format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.as_ref())
    );
    assert_eq!(
        issuer().verify(&keyring, &with_crit, NOW).unwrap_err(),
        AccessTokenError::CriticalHeader
    );
}
