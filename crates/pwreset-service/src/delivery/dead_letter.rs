//! Messages that could not be delivered, kept for the operator and logged, never dropped silently.

use crate::model::message::{DeadLetter, OutgoingMessage};
use crate::ports::DeliveryStore;

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
