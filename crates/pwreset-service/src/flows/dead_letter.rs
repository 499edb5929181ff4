//! The dead-letter queue's work: what the queue (or delivery) gave up on is kept for the operator
//! (`GET /admin/dead-letters`) and logged, never dropped silently. Stored or not, the line is
//! printed: when the store failed it is the only record.

use pwreset_core::secrets::Keyring;
use serde_json::json;

use crate::config::ServiceConfig;
use crate::delivery::{self, Channel};
use crate::model::audit;
use crate::model::job::{ResetRequest, ResetVia};
use crate::model::message::{DeadLetter, OutgoingMessage};
use crate::model::tags::IdentifierTag;
use crate::ports::Platform;

/// The reason kept for a message the work queue gave up on after its retries.
pub const QUEUE_GAVE_UP: &str = "the queue gave up on it after repeated failures";

/// The reason kept for a reset request the work queue gave up on after its retries.
pub const REQUEST_GAVE_UP: &str =
    "the reset request could not be processed (the queue gave up after repeated failures)";

/// Keeps `message`, which delivery or the queue gave up on for `reason`, and logs it; the
/// application hears of it (`message.dead_lettered`) when the configuration is readable.
pub async fn message(
    p: &impl Platform,
    cfg: Option<&ServiceConfig>,
    message: &OutgoingMessage,
    reason: &str,
) {
    let (Ok(line) | Err(line)) = delivery::dead_letter(p, message, reason, p.now().as_secs()).await;
    p.log(&line);
    if let Some(cfg) = cfg {
        super::events::message_dead_lettered(p, cfg, message, reason).await;
    }
}

/// Keeps a reset request the queue gave up on, and logs it. The name as typed may match no
/// account: the letter names it by its keyed tag (the one in the request's log lines), never by
/// even a masked part of it; without a usable keyring, not at all.
pub async fn reset_request(p: &impl Platform, keyring: Option<&Keyring>, request: &ResetRequest) {
    let now = p.now();
    let letter = DeadLetter {
        message_id: request.id.clone(),
        channel: match request.via {
            ResetVia::SmsCode | ResetVia::SmsLink => Channel::Sms,
            ResetVia::EmailCode | ResetVia::EmailLink | ResetVia::UserLink => Channel::Email,
        },
        to: match keyring {
            Some(keyring) => format!(
                "identifier {}",
                IdentifierTag::of(keyring, &request.identifier).as_str()
            ),
            None => "identifier withheld".to_owned(),
        },
        reason: REQUEST_GAVE_UP.to_owned(),
        attempts: 0,
        failed_at: now.as_secs(),
    };
    let stored = p.put_dead_letter(&letter).await.is_ok();
    p.log(&audit::line(
        "reset_request_dead_letter",
        now,
        json!({ "id": request.id, "via": request.via, "to": letter.to, "stored": stored }),
    ));
}
