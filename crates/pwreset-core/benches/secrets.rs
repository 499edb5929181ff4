//! Secret benchmarks (`cargo bench -p pwreset-core --bench secrets`).
//!
//! Baseline: `bare HMAC-SHA256`, one HMAC over the same bytes a signed payload MACs (its layout minus
//! the tag), with a raw key. `sign payload` and `verify payload` add the nonce draw, the password
//! fingerprint (of a state binding the e-mail address), the layout and base64url; the ratio is
//! their cost over that one HMAC. `refuse forged payload` is the first step alone on a payload
//! whose MAC fails: what a forgery costs before any storage is read.
//! Also: access tokens (EdDSA JWT, the default, and HS256 JWT) issue and verify, argon2id with OWASP parameters, and an argon2id
//! verification at the default verify limit (64 MiB, t=4).

use std::hint::black_box;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use pwreset_core::UnixTime;
use pwreset_core::password_hash::{HashParams, hash_password, verify_password};
use pwreset_core::secrets::{
    AccessTokenAlgorithms, AccessTokenIssuer, Keyring, PasswordState, PayloadPurpose, sign_payload,
    verify_payload,
};

const NOW: UnixTime = UnixTime::from_secs(1_790_000_000);
const HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhh";

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn payloads(c: &mut Criterion) {
    let master: Vec<u8> = (0..32u8)
        .map(|i| i.wrapping_mul(151).wrapping_add(3))
        .collect();
    let keyring = Keyring::from_keys([("k1", master.as_slice())]).unwrap();
    let state = PasswordState::new(HASH).bind("email", "jane.doe@example.com");
    let sample = sign_payload(
        &keyring,
        PayloadPurpose::ResetAfterCode,
        "acct-1",
        &state,
        NOW,
        600,
    )
    .unwrap();
    let bytes = URL_SAFE_NO_PAD.decode(sample.reveal()).unwrap();
    let signed_part = &bytes[..bytes.len() - 32];

    let mut group = c.benchmark_group("signed payload");
    group.bench_function("bare HMAC-SHA256 (baseline)", |b| {
        b.iter(|| hmac_sha256(black_box(&master), black_box(signed_part)))
    });
    group.bench_function("sign payload", |b| {
        b.iter(|| {
            sign_payload(
                &keyring,
                PayloadPurpose::ResetAfterCode,
                black_box("acct-1"),
                &state,
                NOW,
                600,
            )
        })
    });
    group.bench_function("verify payload (both steps)", |b| {
        b.iter(|| {
            verify_payload(
                &keyring,
                black_box(sample.reveal()),
                PayloadPurpose::ResetAfterCode,
                NOW,
            )
            .and_then(|pending| pending.confirm("acct-1", &state))
        })
    });
    let mut forged = bytes.clone();
    forged[bytes.len() - 1] ^= 1;
    let forged = URL_SAFE_NO_PAD.encode(forged);
    group.bench_function("refuse forged payload (first step)", |b| {
        b.iter(|| {
            verify_payload(
                &keyring,
                black_box(&forged),
                PayloadPurpose::ResetAfterCode,
                NOW,
            )
        })
    });
    group.finish();

    let issuer = AccessTokenIssuer {
        issuer: "pwreset".into(),
        audience: "pwreset-api".into(),
        ttl_seconds: 3600,
    };
    let mut group = c.benchmark_group("access token");
    for (name, algorithms) in [
        ("EdDSA", AccessTokenAlgorithms::EDDSA_ONLY),
        ("HS256", AccessTokenAlgorithms::HS256),
    ] {
        let token = issuer
            .issue_with(&keyring, "acct-1", &state, NOW, algorithms)
            .unwrap();
        group.bench_function(format!("issue {name}"), |b| {
            b.iter(|| issuer.issue_with(&keyring, black_box("acct-1"), &state, NOW, algorithms))
        });
        group.bench_function(format!("verify {name}"), |b| {
            b.iter(|| {
                issuer
                    .verify_with(&keyring, black_box(token.reveal()), NOW, algorithms)
                    .and_then(|pending| pending.confirm_password_state(&state))
            })
        });
    }
    group.finish();
}

fn argon2(c: &mut Criterion) {
    let phc = hash_password("Tr0ub4dour&3", HashParams::OWASP).unwrap();
    let mut group = c.benchmark_group("argon2id OWASP (19 MiB, t=2, p=1)");
    group.sample_size(20);
    group.bench_function("hash", |b| {
        b.iter(|| hash_password(black_box("Tr0ub4dour&3"), HashParams::OWASP))
    });
    group.bench_function("verify", |b| {
        b.iter(|| verify_password(black_box("Tr0ub4dour&3"), &phc))
    });
    group.finish();

    // The most a stored string may ask of `verify_password` (VerifyLimits::DEFAULT's memory and
    // passes, one lane).
    let at_limit = HashParams {
        memory_kib: 64 * 1024,
        iterations: 4,
        parallelism: 1,
    };
    let phc = hash_password("Tr0ub4dour&3", at_limit).unwrap();
    let mut group = c.benchmark_group("argon2id at the verify limit (64 MiB, t=4, p=1)");
    group.sample_size(10);
    group.bench_function("verify", |b| {
        b.iter(|| verify_password(black_box("Tr0ub4dour&3"), &phc))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = payloads, argon2
}
criterion_main!(benches);
