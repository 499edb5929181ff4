//! Resend: `POST {base}/emails`, bearer key, JSON with both bodies (`html`, `text`); the message
//! id is the `Idempotency-Key`, so a retry within 24 hours never sends twice.

use crate::config::delivery::EmailApi;
use crate::model::message::OutgoingMessage;
use crate::model::outbound::OutboundRequest;

/// The request that sends `msg` through Resend.
pub fn request(api: &EmailApi, msg: &OutgoingMessage) -> OutboundRequest {
    let mut body = serde_json::json!({
        "from": api.from,
        "to": [msg.to],
        "subject": msg.subject,
        "html": msg.html,
        "text": msg.text,
    });
    // An e-mail queued before messages had HTML, sent as it was (`deliver` writes one first).
    if msg.html.is_empty()
        && let Some(fields) = body.as_object_mut()
    {
        fields.remove("html");
    }
    OutboundRequest::post(
        format!("{}/emails", api.base_url),
        vec![
            ("Authorization", format!("Bearer {}", api.api_key.expose())),
            ("Content-Type", "application/json".to_owned()),
            ("Idempotency-Key", msg.id.clone()),
        ],
        body.to_string(),
    )
}
