//! Postmark: `POST {base}/email` with the server token in `X-Postmark-Server-Token`, JSON, on
//! the transactional `outbound` stream. Postmark has no idempotency key.

use crate::config::delivery::EmailApi;
use crate::model::message::OutgoingMessage;
use crate::model::outbound::OutboundRequest;

/// The request that sends `msg` through Postmark.
pub fn request(api: &EmailApi, msg: &OutgoingMessage) -> OutboundRequest {
    let body = serde_json::json!({
        "From": api.from,
        "To": msg.to,
        "Subject": msg.subject,
        "TextBody": msg.text,
        "MessageStream": "outbound",
    });
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
