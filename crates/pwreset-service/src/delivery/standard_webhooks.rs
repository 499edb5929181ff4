//! Standard Webhooks (<https://www.standardwebhooks.com>) signing, the one scheme both the
//! message webhook (`WEBHOOK_URL`) and the application's events (`EVENTS_URL`) are signed with.
//!
//! Each request carries three headers: `webhook-id` (the message's or event's id, the same on
//! every retry: receivers dedupe on it), `webhook-timestamp` (unix seconds when sent) and
//! `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`. The key is
//! what follows `whsec_` in the secret, base64-decoded ([`SigningKey`]). Any Standard Webhooks
//! library verifies these requests.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use pwreset_core::secrets::{hmac_sha256, verify_hmac_sha256};

use crate::model::secret::SigningKey;

/// The id header.
pub const ID_HEADER: &str = "webhook-id";
/// The timestamp header (unix seconds).
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The signature header: `v1,<base64>` (a receiver accepts any of several, space-separated).
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// The signature scheme's version.
pub const SIGNATURE_VERSION: &str = "v1";
/// How far a timestamp may be from the receiver's clock, in seconds (the specification's 5
/// minutes).
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

/// `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`.
pub fn sign(key: &SigningKey, id: &str, timestamp: u64, body: &str) -> String {
    let tag = hmac_sha256(key.bytes(), &signed_parts(id, &timestamp.to_string(), body));
    format!("{SIGNATURE_VERSION},{}", STANDARD.encode(tag))
}

/// The headers that sign `body` as message or event `id`, sent at `timestamp`:
/// `Content-Type: application/json` and the three `webhook-*` headers.
pub fn headers(
    key: &SigningKey,
    id: &str,
    timestamp: u64,
    body: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", "application/json".to_owned()),
        (ID_HEADER, id.to_owned()),
        (TIMESTAMP_HEADER, timestamp.to_string()),
        (SIGNATURE_HEADER, sign(key, id, timestamp, body)),
    ]
}

/// What a receiver does: `true` when one of the space-separated signatures in `signatures` (the
/// header's value) is a `v1` signature of `id`, `timestamp` and the exact `body`, and `timestamp`
/// is within `tolerance_secs` of `now_secs`. The comparison takes constant time.
pub fn verify(
    key: &SigningKey,
    id: &str,
    timestamp: &str,
    body: &str,
    signatures: &str,
    now_secs: u64,
    tolerance_secs: u64,
) -> bool {
    let Ok(sent_at) = timestamp.parse::<u64>() else {
        return false;
    };
    if sent_at.abs_diff(now_secs) > tolerance_secs {
        return false;
    }
    let parts = signed_parts(id, timestamp, body);
    signatures
        .split(' ')
        .filter_map(|signature| signature.split_once(','))
        .filter(|(version, _)| *version == SIGNATURE_VERSION)
        .filter_map(|(_, encoded)| STANDARD.decode(encoded).ok())
        .fold(false, |found, claimed| {
            verify_hmac_sha256(key.bytes(), &parts, &claimed) | found
        })
}

/// The signed text `<id>.<timestamp>.<body>`, in parts. Ids are `evt_` or hex message ids: they
/// hold no ".", so the three parts cannot shift.
fn signed_parts<'a>(id: &'a str, timestamp: &'a str, body: &'a str) -> [&'a [u8]; 5] {
    [
        id.as_bytes(),
        b".",
        timestamp.as_bytes(),
        b".",
        body.as_bytes(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The specification's own example (standard-webhooks/libraries' test vector).
    #[test]
    fn the_specifications_example_signs_and_verifies() {
        let key = SigningKey::standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        let signature = sign(&key, id, 1_614_265_330, body);
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(verify(
            &key,
            id,
            "1614265330",
            body,
            &signature,
            1_614_265_330,
            DEFAULT_TOLERANCE_SECS
        ));
        // One of several signatures (a rotation), another version's ignored.
        let several = format!("v1a,abc v1,AAAA {signature}");
        assert!(verify(
            &key,
            id,
            "1614265330",
            body,
            &several,
            1_614_265_330,
            300
        ));
        for (id, ts, body, now) in [
            ("msg_other", "1614265330", body, 1_614_265_330),
            (id, "1614265331", body, 1_614_265_330),
            (id, "1614265330", r#"{"test": 2432232315}"#, 1_614_265_330),
            (id, "1614265330", body, 1_614_265_330 + 301),
            (id, "16142653300", body, 1_614_265_330),
        ] {
            assert!(
                !verify(&key, id, ts, body, &signature, now, 300),
                "{id} {ts} {body} {now}"
            );
        }
        let other = SigningKey::standard("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBk").unwrap();
        assert!(!verify(
            &other,
            id,
            "1614265330",
            body,
            &signature,
            1_614_265_330,
            300
        ));
    }
}
