//! The signed webhook: `POST WEBHOOK_URL` with the message as JSON and three headers,
//! `X-Pwreset-Id`, `X-Pwreset-Timestamp` (unix seconds) and
//! `X-Pwreset-Signature: v2=<hex HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
//! Receivers verify the signature, refuse stale timestamps and dedupe on the id, which the
//! signature covers: nobody on the path can change it to have a message delivered twice, or
//! reuse another message's id to have this one dropped.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::config::delivery::WebhookTarget;
use crate::model::message::OutgoingMessage;
use crate::model::outbound::ProviderRequest;

/// The signature scheme's version prefix.
pub const SIGNATURE_VERSION: &str = "v2";

/// How far a timestamp may be from the receiver's clock, in seconds, by default.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

type HmacSha256 = Hmac<Sha256>;

/// The request that delivers `msg` to the webhook, signed at `now_secs`.
pub fn request(target: &WebhookTarget, msg: &OutgoingMessage, now_secs: u64) -> ProviderRequest {
    let mut body = serde_json::json!({
        "id": msg.id,
        "channel": msg.channel,
        "to": msg.to,
        "subject": msg.subject,
        "text": msg.text,
        "created_at": msg.created_at,
    });
    if let Some(link) = &msg.link {
        body["link"] = link.as_str().into();
    }
    if let Some(code) = &msg.code {
        body["code"] = code.as_str().into();
    }
    let body = body.to_string();
    let signature = sign(target.secret.expose().as_bytes(), &msg.id, now_secs, &body);
    ProviderRequest::post(
        target.url.clone(),
        vec![
            ("Content-Type", "application/json".to_owned()),
            ("X-Pwreset-Id", msg.id.clone()),
            ("X-Pwreset-Timestamp", now_secs.to_string()),
            ("X-Pwreset-Signature", signature),
        ],
        body,
    )
}

/// `v2=<hex HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
pub fn sign(secret: &[u8], id: &str, timestamp: u64, body: &str) -> String {
    let mac = signed_mac(secret, id, &timestamp.to_string(), body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(3 + 64);
    out.push_str(SIGNATURE_VERSION);
    out.push('=');
    for byte in digest.iter() {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// What a receiver does: `true` when `signature` (the header's value) is a `v2` signature of the
/// message `id`, `timestamp` and the exact `body`, and `timestamp` is within `tolerance_secs` of
/// `now_secs`. The comparison takes constant time.
pub fn verify(
    secret: &[u8],
    id: &str,
    timestamp: &str,
    body: &str,
    signature: &str,
    now_secs: u64,
    tolerance_secs: u64,
) -> bool {
    let Ok(sent_at) = timestamp.parse::<u64>() else {
        return false;
    };
    if sent_at.abs_diff(now_secs) > tolerance_secs {
        return false;
    }
    let Some(hex) = signature
        .strip_prefix(SIGNATURE_VERSION)
        .and_then(|rest| rest.strip_prefix('='))
    else {
        return false;
    };
    let Some(claimed) = decode_hex(hex) else {
        return false;
    };
    signed_mac(secret, id, timestamp, body)
        .verify_slice(&claimed)
        .is_ok()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn signed_mac(secret: &[u8], id: &str, timestamp: &str, body: &str) -> HmacSha256 {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    // Ids are message ids (hex): they hold no ".", so the three parts cannot shift.
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| char::from(c).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}
