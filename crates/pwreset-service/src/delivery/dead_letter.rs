//! Messages that could not be delivered, kept for the operator and logged, never dropped silently.

use serde::{Deserialize, Serialize};

use super::mask::mask_recipient;
use super::message::{Channel, OutgoingMessage};
use super::ports::DeliveryStore;

/// What the operator sees of a message that could not be delivered: no text, link or code,
/// and the recipient masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The message's delivery id.
    pub message_id: String,
    /// E-mail or SMS.
    pub channel: Channel,
    /// The recipient, masked (`j***@example.com`, `+44********56`).
    pub to: String,
    /// Why delivery stopped.
    pub reason: String,
    /// How many attempts were made.
    pub attempts: u32,
    /// When delivery stopped (unix seconds).
    pub failed_at: u64,
}

impl DeadLetter {
    /// The dead letter of `msg`, whose attempt number `msg.attempt` was the last.
    pub fn new(msg: &OutgoingMessage, reason: &str, now_secs: u64) -> Self {
        Self {
            message_id: msg.id.clone(),
            channel: msg.channel,
            to: mask_recipient(&msg.to),
            reason: reason.to_owned(),
            attempts: msg.attempt.saturating_add(1),
            failed_at: now_secs,
        }
    }
}

/// Keeps `msg` as a dead letter and gives the JSON log line to print:
/// `{"event":"delivery_dead_letter","message_id","channel","to","reason","attempts",
/// "failed_at","stored"}`. `Ok(line)` when stored; `Err(line)` (with `"stored":false`) when the
/// store failed: print that line all the same, it is then the only record. For the dead-letter
/// queue's consumer and for messages delivery gave up on.
pub async fn dead_letter(
    store: &impl DeliveryStore,
    msg: &OutgoingMessage,
    reason: &str,
    now_secs: u64,
) -> Result<String, String> {
    let letter = DeadLetter::new(msg, reason, now_secs);
    let stored = store.put_dead_letter(&letter).await.is_ok();
    let line = serde_json::json!({
        "event": "delivery_dead_letter",
        "message_id": letter.message_id,
        "channel": letter.channel,
        "to": letter.to,
        "reason": letter.reason,
        "attempts": letter.attempts,
        "failed_at": letter.failed_at,
        "stored": stored,
    })
    .to_string();
    if stored { Ok(line) } else { Err(line) }
}
