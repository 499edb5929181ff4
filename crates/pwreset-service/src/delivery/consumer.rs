//! The queue consumer's work for one message: send it once, or say when to try again, or give up.

use super::compose::{TemplateFallback, written_with};
use super::outcome::retry_delay;
use super::outcome::{MAX_ATTEMPTS, RetryReason, SendOutcome, classify, classify_transport};
use super::providers::provider_request;
use crate::config::delivery::DeliveryConfig;
use crate::model::mask::mask_recipient;
use crate::model::message::OutgoingMessage;
use crate::ports::{DeliveryStore, HttpFetch};

/// What became of one delivery attempt, and what the queue should do with the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Delivered now (or put in the outbox): ack it.
    Sent,
    /// Delivered by an earlier attempt (a redelivered queue message): ack it, nothing sent.
    AlreadySent,
    /// Not delivered yet: ack it and enqueue [`OutgoingMessage::next_attempt`] after
    /// `delay_seconds`.
    RetryLater {
        /// How long to wait.
        delay_seconds: u64,
        /// Why it failed.
        reason: RetryReason,
    },
    /// Refused for good or out of attempts: ack it and [`dead_letter`](super::dead_letter) it.
    GiveUp {
        /// Why, fit for a log line.
        reason: String,
    },
}

impl Delivery {
    /// Whether the next attempt may deliver a second copy: the failure may have hidden an
    /// acceptance (a timeout) and the provider has no idempotency key. Count these.
    pub fn duplicate_risk(&self, config: &DeliveryConfig, msg: &OutgoingMessage) -> bool {
        match self {
            Delivery::RetryLater { reason, .. } => {
                reason.may_hide_acceptance() && !config.provider(msg.channel).dedupes_retries()
            }
            _ => false,
        }
    }

    /// The JSON log line for this result: `event` (`delivery_sent`, `delivery_already_sent`,
    /// `delivery_retry`, `delivery_gave_up`), `message_id`, `channel`, `provider`, the masked
    /// `to`, `attempt`, and `delay_seconds`, `reason`, `duplicate_risk` where they apply.
    pub fn log_line(&self, config: &DeliveryConfig, msg: &OutgoingMessage) -> String {
        self.log_value(config, msg).to_string()
    }

    /// [`Delivery::log_line`]'s fields.
    fn log_value(&self, config: &DeliveryConfig, msg: &OutgoingMessage) -> serde_json::Value {
        let event = match self {
            Delivery::Sent => "delivery_sent",
            Delivery::AlreadySent => "delivery_already_sent",
            Delivery::RetryLater { .. } => "delivery_retry",
            Delivery::GiveUp { .. } => "delivery_gave_up",
        };
        let mut line = serde_json::json!({
            "event": event,
            "message_id": msg.id,
            "channel": msg.channel,
            "provider": config.provider(msg.channel).name(),
            "to": mask_recipient(&msg.to),
            "attempt": msg.attempt,
        });
        match self {
            Delivery::RetryLater {
                delay_seconds,
                reason,
            } => {
                line["delay_seconds"] = (*delay_seconds).into();
                line["reason"] = reason.to_string().into();
                line["duplicate_risk"] = self.duplicate_risk(config, msg).into();
            }
            Delivery::GiveUp { reason } => line["reason"] = reason.as_str().into(),
            Delivery::Sent | Delivery::AlreadySent => {}
        }
        line
    }
}

/// What one call of [`deliver`] came to: the result, and the templates that failed as the
/// message was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryReport {
    /// What became of the attempt, and what the queue should do with the message.
    pub delivery: Delivery,
    /// The templates that failed (or wrote too much) as the message was written, each with why:
    /// an operator's, which gave way to the built-in one ([`TemplateFallback`]). Empty when none
    /// did, and when nothing was written (a redelivery of a message already sent, or a store that
    /// could not say).
    pub template_fallbacks: Vec<TemplateFallback>,
}

impl DeliveryReport {
    /// Whether the attempt is worth a log line of its own: a retry (which may be a
    /// `duplicate_risk`), or a template that failed.
    pub fn worth_a_line(&self) -> bool {
        matches!(self.delivery, Delivery::RetryLater { .. }) || !self.template_fallbacks.is_empty()
    }

    /// [`Delivery::log_line`], with `template_fallback` when a template failed: each as
    /// `name: reason` (`"template_fallback": ["de.reset_link.html: engine ran out of fuel (line
    /// 2)"]`), never what it was given or wrote.
    pub fn log_line(&self, config: &DeliveryConfig, msg: &OutgoingMessage) -> String {
        let mut line = self.delivery.log_value(config, msg);
        if !self.template_fallbacks.is_empty() {
            let failed: Vec<String> = self
                .template_fallbacks
                .iter()
                .map(|f| f.to_string())
                .collect();
            line["template_fallback"] = failed.into();
        }
        line.to_string()
    }
}

/// Delivers `msg` once, written (this once) with `config`'s brand and templates
/// ([`written_with`]): skipped when an earlier attempt delivered it; into the outbox when its
/// channel uses it; else the provider's request is sent and the answer classified. Success is
/// recorded so a redelivered message is not sent again. A retryable failure gives
/// [`Delivery::RetryLater`] with backoff, until the [`MAX_ATTEMPTS`]th attempt gives up. The
/// report lists the templates that failed as it was written ([`DeliveryReport::log_line`]).
pub async fn deliver(
    config: &DeliveryConfig,
    msg: &OutgoingMessage,
    http: &impl HttpFetch,
    store: &impl DeliveryStore,
    now_secs: u64,
) -> DeliveryReport {
    if let Some(done) = sent_before(store, &msg.id, msg.attempt).await {
        return DeliveryReport {
            delivery: done,
            template_fallbacks: Vec::new(),
        };
    }
    let (msg, template_fallbacks) = written_with(&config.messages, msg);
    let msg = &msg;
    let outcome = match provider_request(config, msg, now_secs) {
        None => match store.outbox_put(msg).await {
            Ok(()) => SendOutcome::Delivered,
            Err(error) => SendOutcome::Retry {
                after_seconds: None,
                reason: RetryReason::Store(error.0),
            },
        },
        Some(request) => send_once(http, &request, now_secs).await,
    };
    DeliveryReport {
        delivery: settle(store, &msg.id, msg.attempt, outcome).await,
        template_fallbacks,
    }
}

/// Before attempt `attempt` of item `id` (a message or an event): [`Delivery::AlreadySent`] when
/// an earlier attempt delivered it, a retry when the store cannot say (rather than risk a
/// duplicate), `None` to go ahead.
pub(crate) async fn sent_before(
    store: &impl DeliveryStore,
    id: &str,
    attempt: u32,
) -> Option<Delivery> {
    match store.was_sent(id).await {
        Ok(true) => Some(Delivery::AlreadySent),
        Ok(false) => None,
        Err(error) => Some(retry_or_give_up(attempt, None, RetryReason::Store(error.0))),
    }
}

/// Sends `request` once and classifies the answer.
pub(crate) async fn send_once(
    http: &impl HttpFetch,
    request: &crate::model::outbound::OutboundRequest,
    now_secs: u64,
) -> SendOutcome {
    match http.fetch(request).await {
        Ok(answer) => classify(answer.status, answer.retry_after(), now_secs),
        Err(error) => classify_transport(&error),
    }
}

/// What attempt `attempt` of item `id` came to: delivered (and recorded as sent), retried with
/// backoff, or given up.
pub(crate) async fn settle(
    store: &impl DeliveryStore,
    id: &str,
    attempt: u32,
    outcome: SendOutcome,
) -> Delivery {
    match outcome {
        SendOutcome::Delivered => {
            // Delivered either way; a failed record only weakens the redelivery check, which
            // the provider's own idempotency key (where it has one) still covers.
            let _ = store.mark_sent(id).await;
            Delivery::Sent
        }
        SendOutcome::Retry {
            after_seconds,
            reason,
        } => retry_or_give_up(attempt, after_seconds, reason),
        SendOutcome::Rejected { reason } => Delivery::GiveUp { reason },
    }
}

fn retry_or_give_up(attempt: u32, after: Option<u64>, reason: RetryReason) -> Delivery {
    let attempts = attempt.saturating_add(1);
    if attempts >= MAX_ATTEMPTS {
        return Delivery::GiveUp {
            reason: format!("gave up after {attempts} attempts: {reason}"),
        };
    }
    Delivery::RetryLater {
        delay_seconds: retry_delay(attempt, after),
        reason,
    }
}
