//! Postmark: `POST {base}/email` with the server token in `X-Postmark-Server-Token`, JSON with
//! both bodies (`HtmlBody`, `TextBody`), on the transactional `outbound` stream. Postmark has no
//! idempotency key.

use crate::config::delivery::EmailApi;
use crate::model::message::OutgoingMessage;
use crate::model::outbound::OutboundRequest;

/// The request that sends `msg` through Postmark.
pub fn request(api: &EmailApi, msg: &OutgoingMessage) -> OutboundRequest {
    let mut body = serde_json::json!({
        "From": api.from,
        "To": msg.to,
        "Subject": msg.subject,
        "HtmlBody": msg.html,
        "TextBody": msg.text,
        "MessageStream": "outbound",
    });
    // An e-mail queued before messages had HTML, sent as it was (`deliver` writes one first).
    if msg.html.is_empty()
        && let Some(fields) = body.as_object_mut()
    {
        fields.remove("HtmlBody");
    }
    OutboundRequest::post(
        format!("{}/email", api.base_url),
        vec![
            ("Accept", "application/json".to_owned()),
            ("Content-Type", "application/json".to_owned()),
            ("X-Postmark-Server-Token", api.api_key.expose().to_owned()),
        ],
        body.to_string(),
    )
}
