//! The application's events: `password.reset_requested`, `password.changed`, `secret.locked` and
//! `message.dead_lettered`, each about one account, posted to `EVENTS_URL` signed the Standard
//! Webhooks way. With no `EVENTS_URL` nothing is queued.
//!
//! An event is queued by the flow where it happens ([`emit`]) and sent by the queue's consumer
//! ([`send`]) as a message is: retried with backoff on a 5xx, 429, 408, 409 or a transport
//! failure, given up (and handed to the dead-letter queue, whose consumer logs it, [`dead_letter`])
//! after the fifth attempt or on any other status.
//!
//! Queuing is best effort: a failed enqueue is logged (`event_not_queued`) and never changes what
//! the flow does or answers. An event is queued only after what it reports is settled (a password
//! stored, a code burnt), so a lost event never leaves a secret half used, and a reset never fails
//! for want of its event.

use pwreset_core::secrets::random_bytes;
use serde_json::json;

use crate::config::ServiceConfig;
use crate::delivery::{self, Delivery};
use crate::model::audit;
use crate::model::event::{Dialect, Event, EventData, EventSource, EventType, LockReason, Method};
use crate::model::guard_ops::GuardAnswer;
use crate::model::job::{Job, ResetVia};
use crate::model::message::OutgoingMessage;
use crate::model::tags::IdentifierTag;
use crate::ports::{Platform, PlatformResult};

/// The keyed tag of a client's IP address: the [`IdentifierTag`] of `ip:<address>`, 16 hex
/// digits.
pub fn ip_tag(cfg: &ServiceConfig, client_ip: &str) -> String {
    IdentifierTag::of(&cfg.keyring, &format!("ip:{client_ip}")).into()
}

/// Where a request came from, as events tell it.
pub fn source(
    cfg: &ServiceConfig,
    dialect: Dialect,
    method: Method,
    client_ip: &str,
) -> EventSource {
    EventSource {
        dialect,
        method,
        ip_tag: Some(ip_tag(cfg, client_ip)),
    }
}

/// The dialect and method of a queued reset request.
pub fn source_of_request(via: ResetVia, ip_tag: Option<String>) -> EventSource {
    let (dialect, method) = match via {
        ResetVia::EmailCode => (Dialect::Reg, Method::Email),
        ResetVia::EmailLink => (Dialect::AuthV1, Method::Link),
        ResetVia::SmsCode => (Dialect::AuthV1, Method::Sms),
        ResetVia::UserLink => (Dialect::User, Method::Link),
        // Dialect B's link, sent by SMS from the forgot page: redeemed as a link.
        ResetVia::SmsLink => (Dialect::AuthV1, Method::Link),
    };
    EventSource {
        dialect,
        method,
        ip_tag,
    }
}

/// Queues an event of `kind` about `data`'s account, when `EVENTS_URL` is set. Best effort: a
/// failure is logged, never returned.
pub async fn emit(p: &impl Platform, cfg: &ServiceConfig, kind: EventType, data: EventData) {
    if cfg.events.is_none() {
        return;
    }
    let id = match random_bytes::<16>() {
        Ok(bytes) => format!("evt_{}", base16ct::lower::encode_string(&bytes)),
        Err(e) => return not_queued(p, kind, &e.to_string()),
    };
    let event = Event {
        id,
        kind,
        at: p.now().as_secs(),
        data,
        attempt: 0,
    };
    if let Err(e) = p.enqueue(&Job::Event(event), 0).await {
        not_queued(p, kind, &e.0);
    }
}

fn not_queued(p: &impl Platform, kind: EventType, reason: &str) {
    p.log(&audit::line(
        "event_not_queued",
        p.now(),
        json!({ "type": kind, "reason": reason }),
    ));
}

/// After a code was tried for `account`: `secret.locked` when the try burnt the code or spent the
/// account's day of failed guesses (`day_spent`).
pub async fn after_code_try(
    p: &impl Platform,
    cfg: &ServiceConfig,
    account: &str,
    source: &EventSource,
    answer: &GuardAnswer,
    day_spent: bool,
) {
    let burnt = matches!(
        answer,
        GuardAnswer::CodeBurnt { .. } | GuardAnswer::Exhausted { burnt: true, .. }
    );
    let reasons = [
        (burnt, LockReason::CodeBurnt),
        (day_spent, LockReason::DailyGuessesSpent),
    ];
    for (_, reason) in reasons.into_iter().filter(|(happened, _)| *happened) {
        let mut data = EventData::new(account, source);
        data.reason = Some(reason);
        emit(p, cfg, EventType::SecretLocked, data).await;
    }
}

/// After `message` was dead-lettered for `reason`: `message.dead_lettered` for each account it was
/// for (none for a message of no account).
pub async fn message_dead_lettered(
    p: &impl Platform,
    cfg: &ServiceConfig,
    message: &OutgoingMessage,
    reason: &str,
) {
    let Some(about) = &message.about else {
        return;
    };
    for account in &about.accounts {
        let mut data = EventData::new(account, &about.source);
        data.message_id = Some(message.id.clone());
        data.channel = Some(message.channel);
        data.failure = Some(reason.to_owned());
        emit(p, cfg, EventType::MessageDeadLettered, data).await;
    }
}

/// The queue's consumer: posts `event` once; a failure that may pass is retried through the
/// queue with backoff, one that won't goes to the dead-letter queue. `Err` only when the platform
/// failed to queue the retry or the dead letter (the queue then offers the event again).
pub async fn send(p: &impl Platform, cfg: &ServiceConfig, event: Event) -> PlatformResult<()> {
    let Some(target) = &cfg.events else {
        // Queued before EVENTS_URL was unset: nowhere to send it.
        p.log(&line(
            p,
            "event_dropped",
            &event,
            json!({ "reason": "EVENTS_URL is not set" }),
        ));
        return Ok(());
    };
    let outcome = delivery::deliver_event(target, &event, p, p, p.now().as_secs()).await;
    match outcome {
        Delivery::Sent | Delivery::AlreadySent => {
            p.log(&line(p, "event_sent", &event, json!({})));
            Ok(())
        }
        Delivery::RetryLater {
            delay_seconds,
            reason,
        } => {
            p.log(&line(
                p,
                "event_retry",
                &event,
                json!({ "delay_seconds": delay_seconds, "reason": reason.to_string() }),
            ));
            let delay = u32::try_from(delay_seconds).unwrap_or(u32::MAX);
            p.enqueue(&Job::Event(event.next_attempt()), delay).await
        }
        Delivery::GiveUp { reason } => {
            p.log(&line(
                p,
                "event_given_up",
                &event,
                json!({ "reason": reason }),
            ));
            p.dead_letter(&Job::EventGaveUp { event, reason }).await
        }
    }
}

/// The dead-letter queue's consumer: an event that delivery (or the queue) gave up on is logged
/// (`event_dead_letter`), the only record of it; the operator's list of dead letters holds
/// messages.
pub fn dead_letter(p: &impl Platform, event: &Event, reason: &str) {
    p.log(&line(
        p,
        "event_dead_letter",
        event,
        json!({ "reason": reason, "attempts": event.attempt.saturating_add(1) }),
    ));
}

/// A log line about `event`: its id, type, account and attempt, and `extra`.
fn line(p: &impl Platform, name: &str, event: &Event, extra: serde_json::Value) -> String {
    let mut fields = json!({
        "id": event.id,
        "type": event.kind,
        "account": event.data.account,
        "attempt": event.attempt,
    });
    if let (Some(fields), serde_json::Value::Object(extra)) = (fields.as_object_mut(), extra) {
        fields.extend(extra);
    }
    audit::line(name, p.now(), fields)
}
