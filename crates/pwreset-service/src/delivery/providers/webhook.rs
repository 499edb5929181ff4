//! The signed webhook: `POST WEBHOOK_URL` with the message as JSON and three headers,
//! `X-Pwreset-Id`, `X-Pwreset-Timestamp` (unix seconds) and
//! `X-Pwreset-Signature: v2=<hex HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
//! Receivers verify the signature, refuse stale timestamps and dedupe on the id, which the
//! signature covers: nobody on the path can change it to have a message delivered twice, or
//! reuse another message's id to have this one dropped.

use pwreset_core::secrets::{hmac_sha256, verify_hmac_sha256};

use crate::config::delivery::WebhookTarget;
use crate::model::message::OutgoingMessage;
use crate::model::outbound::OutboundRequest;

/// The signature scheme's version prefix.
pub const SIGNATURE_VERSION: &str = "v2";

/// How far a timestamp may be from the receiver's clock, in seconds, by default.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

/// The request that delivers `msg` to the webhook, signed at `now_secs`.
pub fn request(target: &WebhookTarget, msg: &OutgoingMessage, now_secs: u64) -> OutboundRequest {
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
    OutboundRequest::post(
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
    let tag = hmac_sha256(secret, &signed_parts(id, &timestamp.to_string(), body));
    format!(
        "{SIGNATURE_VERSION}={}",
        base16ct::lower::encode_string(&tag)
    )
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
    let Ok(claimed) = base16ct::mixed::decode_vec(hex) else {
        return false;
    };
    verify_hmac_sha256(secret, &signed_parts(id, timestamp, body), &claimed)
}

/// The signed text `<id>.<timestamp>.<body>`, in parts. Ids are message ids (hex): they hold no
/// ".", so the three parts cannot shift.
fn signed_parts<'a>(id: &'a str, timestamp: &'a str, body: &'a str) -> [&'a [u8]; 5] {
    [
        id.as_bytes(),
        b".",
        timestamp.as_bytes(),
        b".",
        body.as_bytes(),
    ]
}
