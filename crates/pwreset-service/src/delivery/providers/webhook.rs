//! The signed webhook: `POST WEBHOOK_URL` with the message as JSON, signed the Standard Webhooks
//! way ([`standard_webhooks`](crate::delivery::standard_webhooks)): `webhook-id` (the message id),
//! `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256(key,
//! "<id>.<timestamp>.<body>")>`. Receivers verify the signature, refuse stale timestamps and
//! dedupe on the id, which the signature covers: nobody on the path can change it to have a
//! message delivered twice, or reuse another message's id to have this one dropped.

use crate::config::delivery::WebhookTarget;
use crate::delivery::standard_webhooks;
use crate::model::message::OutgoingMessage;
use crate::model::outbound::OutboundRequest;

/// The request that delivers `msg` to the webhook, signed at `now_secs`: its `id`, `channel`,
/// `to`, `subject`, `text`, `html` (an e-mail's), `link` and `code` (when set) and `created_at`.
pub fn request(target: &WebhookTarget, msg: &OutgoingMessage, now_secs: u64) -> OutboundRequest {
    let mut body = serde_json::json!({
        "id": msg.id,
        "channel": msg.channel,
        "to": msg.to,
        "subject": msg.subject,
        "text": msg.text,
        "created_at": msg.created_at,
    });
    if !msg.html.is_empty() {
        body["html"] = msg.html.as_str().into();
    }
    if let Some(link) = &msg.link {
        body["link"] = link.as_str().into();
    }
    if let Some(code) = &msg.code {
        body["code"] = code.as_str().into();
    }
    let body = body.to_string();
    let headers = standard_webhooks::headers(&target.key, &msg.id, now_secs, &body);
    OutboundRequest::post(target.url.clone(), headers, body)
}
