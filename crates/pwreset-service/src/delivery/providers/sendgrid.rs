//! SendGrid: `POST {base}/v3/mail/send`, bearer key, JSON with one personalization and both
//! bodies in `content`, `text/plain` first (as SendGrid requires). SendGrid answers `202` with no
//! body and has no idempotency key.

use crate::config::delivery::EmailApi;
use crate::model::message::OutgoingMessage;
use crate::model::outbound::OutboundRequest;

/// The request that sends `msg` through SendGrid.
pub fn request(api: &EmailApi, msg: &OutgoingMessage) -> OutboundRequest {
    let mut content = vec![serde_json::json!({ "type": "text/plain", "value": msg.text })];
    if !msg.html.is_empty() {
        content.push(serde_json::json!({ "type": "text/html", "value": msg.html }));
    }
    let body = serde_json::json!({
        "personalizations": [{ "to": [{ "email": msg.to }] }],
        "from": sender(&api.from),
        "subject": msg.subject,
        "content": content,
    });
    OutboundRequest::post(
        format!("{}/v3/mail/send", api.base_url),
        vec![
            ("Authorization", format!("Bearer {}", api.api_key.expose())),
            ("Content-Type", "application/json".to_owned()),
        ],
        body.to_string(),
    )
}

/// SendGrid wants the sender as `{"email", "name"?}`: `Name <a@b>` is split in two.
fn sender(from: &str) -> serde_json::Value {
    if let Some((name, rest)) = from.rsplit_once('<')
        && let Some(email) = rest.strip_suffix('>')
    {
        let name = name.trim().trim_matches('"').trim();
        if !name.is_empty() {
            return serde_json::json!({ "email": email.trim(), "name": name });
        }
        return serde_json::json!({ "email": email.trim() });
    }
    serde_json::json!({ "email": from })
}
