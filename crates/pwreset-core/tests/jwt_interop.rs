//! HS256 access tokens (the format of earlier releases, still issued and accepted when configured)
//! against an independent JWT implementation: Node's `jose` verifies tokens this crate issues, and
//! this crate verifies tokens `jose` signs. Needs `node` and the root `node_modules` (`make setup`
//! installs them). `EdDSA`, the default, is in `eddsa_tokens.rs`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use pwreset_core::UnixTime;
use pwreset_core::secrets::{
    AccessTokenAlgorithms, AccessTokenError, AccessTokenIssuer, KeyPurpose, Keyring, PasswordState,
    derive_purpose_key,
};
use serde_json::{Value, json};

const NOW_SECS: u64 = 1_790_000_000;
const NOW: UnixTime = UnixTime::from_secs(NOW_SECS);

fn state() -> PasswordState {
    PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
        .bind("email", "a@example.com")
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn jose(request: Value) -> Value {
    let root = repo_root();
    assert!(
        root.join("node_modules/jose").is_dir(),
        "node_modules/jose is missing: run `make setup` (or `npm ci`) at the repository root"
    );
    let mut child = Command::new("node")
        .arg(root.join("tests/interop/jwt.mjs"))
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
    serde_json::from_slice(&output.stdout).expect("node answers JSON")
}

fn master() -> Vec<u8> {
    (0..32u8)
        .map(|i| i.wrapping_mul(97).wrapping_add(5))
        .collect()
}

fn keyring() -> Keyring {
    Keyring::from_keys([("k1", master().as_slice())]).unwrap()
}

fn access_key_hex() -> String {
    derive_purpose_key(&master(), KeyPurpose::AccessToken)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn issuer() -> AccessTokenIssuer {
    AccessTokenIssuer {
        issuer: "pwreset".into(),
        audience: "pwreset-api".into(),
        ttl_seconds: 3600,
    }
}

#[test]
fn jose_verifies_our_access_tokens() {
    let token = issuer()
        .issue_with(
            &keyring(),
            "acct-42",
            &state(),
            NOW,
            AccessTokenAlgorithms::HS256,
        )
        .unwrap();
    let answer = jose(json!({
        "op": "verify", "token": token.reveal(), "key_hex": access_key_hex(),
        "issuer": "pwreset", "audience": "pwreset-api", "now": NOW_SECS + 5,
    }));
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["header"]["kid"], "k1");
    assert_eq!(answer["header"]["alg"], "HS256");
    let payload = &answer["payload"];
    assert_eq!(payload["sub"], "acct-42");
    assert_eq!(payload["iat"], NOW_SECS);
    assert_eq!(payload["exp"], NOW_SECS + 3600);
    assert_eq!(payload["pfp"].as_str().unwrap().len(), 22);
}

#[test]
fn jose_refuses_our_tokens_after_expiry_and_with_another_key() {
    let token = issuer()
        .issue_with(
            &keyring(),
            "acct-42",
            &state(),
            NOW,
            AccessTokenAlgorithms::HS256,
        )
        .unwrap();
    let expired = jose(json!({
        "op": "verify", "token": token.reveal(), "key_hex": access_key_hex(),
        "issuer": "pwreset", "audience": "pwreset-api", "now": NOW_SECS + 3600,
    }));
    assert_eq!(expired["ok"], false);
    let wrong_key = jose(json!({
        "op": "verify", "token": token.reveal(), "key_hex": "00".repeat(32),
        "issuer": "pwreset", "audience": "pwreset-api", "now": NOW_SECS,
    }));
    assert_eq!(wrong_key["ok"], false);
}

#[test]
fn we_verify_tokens_jose_signs() {
    // Our own token supplies the claims only the keyring can compute (the password fingerprint).
    let ours = issuer()
        .issue_with(
            &keyring(),
            "acct-42",
            &state(),
            NOW,
            AccessTokenAlgorithms::HS256,
        )
        .unwrap();
    let claims = jose(json!({
        "op": "verify", "token": ours.reveal(), "key_hex": access_key_hex(),
        "issuer": "pwreset", "audience": "pwreset-api", "now": NOW_SECS,
    }))["payload"]
        .clone();
    let theirs = jose(json!({
        "op": "sign", "kid": "k1", "key_hex": access_key_hex(), "now": NOW_SECS,
        "claims": { "sub": "acct-42", "iss": "pwreset", "aud": "pwreset-api", "jti": "jose-1", "pfp": claims["pfp"] },
    }))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(theirs, ours.reveal());
    let keyring = keyring();
    let accepting = AccessTokenAlgorithms::EDDSA_ACCEPTING_HS256;
    assert_eq!(
        issuer()
            .verify(&keyring, &theirs, NOW.saturating_add(1))
            .unwrap_err(),
        AccessTokenError::Algorithm,
        "HS256 is refused unless accepted"
    );
    let pending = issuer()
        .verify_with(&keyring, &theirs, NOW.saturating_add(1), accepting)
        .unwrap();
    assert_eq!(pending.subject(), "acct-42");
    assert!(pending.confirm_password_state(&state()).is_ok());

    let forged = jose(json!({
        "op": "sign", "kid": "k1", "key_hex": "11".repeat(32), "now": NOW_SECS,
        "claims": { "sub": "acct-42", "iss": "pwreset", "aud": "pwreset-api", "jti": "x", "pfp": claims["pfp"] },
    }))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        issuer()
            .verify_with(&keyring, &forged, NOW, accepting)
            .unwrap_err(),
        AccessTokenError::BadSignature
    );
}
