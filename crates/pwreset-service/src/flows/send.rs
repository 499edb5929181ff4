//! Handing a composed message to its provider, through the queue when it has to wait.

use serde_json::json;

use crate::config::ServiceConfig;
use crate::delivery::{self, Delivery};
use crate::model::audit;
use crate::model::job::Job;
use crate::model::message::OutgoingMessage;
use crate::ports::{Platform, PlatformResult};

/// Hands `message` to its provider; a failure that may pass is retried through the queue with
/// backoff, one that won't goes to the dead-letter queue.
pub async fn send(
    p: &impl Platform,
    cfg: &ServiceConfig,
    message: OutgoingMessage,
) -> PlatformResult<()> {
    let now = p.now().as_secs();
    let report = delivery::deliver(&cfg.delivery, &message, p, p, now).await;
    if report.worth_a_line() {
        // One line per retry, with `duplicate_risk` when a hidden acceptance may send it twice,
        // and one for any delivery an operator's template failed in (`template_fallback`).
        p.log(&report.log_line(&cfg.delivery, &message));
    }
    match report.delivery {
        Delivery::Sent | Delivery::AlreadySent => Ok(()),
        Delivery::RetryLater { delay_seconds, .. } => {
            let next = message.next_attempt();
            let delay = u32::try_from(delay_seconds).unwrap_or(u32::MAX);
            p.enqueue(&Job::Deliver(next), delay).await
        }
        Delivery::GiveUp { reason } => {
            p.log(&audit::line(
                "delivery_given_up",
                p.now(),
                json!({ "message_id": message.id, "channel": message.channel, "reason": reason }),
            ));
            // Only what the dead-letter consumer lists: the code or link stays out of the queue.
            let message = message.without_secret();
            p.dead_letter(&Job::GaveUp { message, reason }).await
        }
    }
}
