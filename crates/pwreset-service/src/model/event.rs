//! Events for the application: what happened to one of its accounts, queued like a message and
//! posted, signed the Standard Webhooks way, to `EVENTS_URL` (`flows::events`).
//!
//! An event names the account and how the reset came (dialect, method, the client's keyed IP
//! tag), never a secret: no code, link, token, password, hash, e-mail address or phone number.

use pwreset_core::UnixTime;
use serde::{Deserialize, Serialize};

use super::message::Channel;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    /// A reset was asked for an account (one event per account the request names).
    #[serde(rename = "password.reset_requested")]
    ResetRequested,
    /// An account's password changed (a reset, or a signed-in change).
    #[serde(rename = "password.changed")]
    PasswordChanged,
    /// A code burnt (its tries spent), or the account's day of failed code guesses spent.
    #[serde(rename = "secret.locked")]
    SecretLocked,
    /// A message to an account could not be delivered and was dead-lettered.
    #[serde(rename = "message.dead_lettered")]
    MessageDeadLettered,
}

impl EventType {
    /// Every type.
    pub const ALL: [EventType; 4] = [
        EventType::ResetRequested,
        EventType::PasswordChanged,
        EventType::SecretLocked,
        EventType::MessageDeadLettered,
    ];

    /// The wire name (`password.changed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ResetRequested => "password.reset_requested",
            EventType::PasswordChanged => "password.changed",
            EventType::SecretLocked => "secret.locked",
            EventType::MessageDeadLettered => "message.dead_lettered",
        }
    }
}

/// Which dialect the reset came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Dialect A, `/reg/user/…`.
    Reg,
    /// Dialect B, `/api/v1/auth/…`.
    AuthV1,
    /// Dialect C, `/<prefix>/<version>/user/…` (and its links on the reset page).
    User,
}

/// How the secret travelled, or what proved the right to change the password.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A code by e-mail (dialect A).
    Email,
    /// A code by SMS (dialect B).
    Sms,
    /// A link (dialects B and C, and the reset page): by e-mail, or by SMS from the forgot page.
    Link,
    /// The current password, signed in (dialect C's change-password).
    Password,
}

/// Why a `secret.locked` event came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    /// The code's last wrong try: it is burnt, a new one has to be asked for.
    CodeBurnt,
    /// The account's day of failed code guesses is spent: no code is judged until the oldest is
    /// a day old.
    DailyGuessesSpent,
}

/// Where a reset came from: what an event's data says besides the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSource {
    /// The dialect.
    pub dialect: Dialect,
    /// The method.
    pub method: Method,
    /// The client's IP address as a keyed tag (`Keyring::identifier_tag` of `ip:<address>`),
    /// `None` when unknown. Never the address.
    #[serde(default)]
    pub ip_tag: Option<String>,
}

/// An event's `data`: the account, where the reset came from, and what the event type adds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventData {
    /// The account's id.
    pub account: String,
    /// The dialect.
    pub dialect: Dialect,
    /// The method.
    pub method: Method,
    /// The client's keyed IP tag (`null` when unknown).
    pub ip_tag: Option<String>,
    /// `secret.locked`: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<LockReason>,
    /// `message.dead_lettered`: the message's delivery id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// `message.dead_lettered`: its channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// `message.dead_lettered`: why delivery stopped (no recipient, text or secret in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

impl EventData {
    /// The data of an event about `account` from `source`.
    pub fn new(account: &str, source: &EventSource) -> Self {
        Self {
            account: account.to_owned(),
            dialect: source.dialect,
            method: source.method,
            ip_tag: source.ip_tag.clone(),
            reason: None,
            message_id: None,
            channel: None,
            failure: None,
        }
    }
}

/// One event on its way to the application. Every attempt carries the same `id` (the
/// `webhook-id` receivers dedupe on) and the same body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Random, `evt_` and 32 hex digits.
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When (unix seconds).
    pub at: u64,
    /// What it concerns.
    pub data: EventData,
    /// How many delivery attempts came before this one (0 on the first).
    #[serde(default)]
    pub attempt: u32,
}

impl Event {
    /// The body posted: `{"type","timestamp","data"}`, `timestamp` in RFC 3339 (UTC). The same
    /// bytes on every attempt.
    pub fn body(&self) -> String {
        serde_json::json!({
            "type": self.kind,
            "timestamp": UnixTime::from_secs(self.at).to_rfc3339(),
            "data": self.data,
        })
        .to_string()
    }

    /// The same event for its next attempt.
    pub fn next_attempt(&self) -> Self {
        Self {
            attempt: self.attempt.saturating_add(1),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_type_timestamp_and_data() {
        let source = EventSource {
            dialect: Dialect::AuthV1,
            method: Method::Sms,
            ip_tag: Some("0011223344556677".into()),
        };
        let mut data = EventData::new("acc-1", &source);
        data.reason = Some(LockReason::CodeBurnt);
        let event = Event {
            id: "evt_1".into(),
            kind: EventType::SecretLocked,
            at: 1_767_229_200,
            data,
            attempt: 3,
        };
        let body: serde_json::Value = serde_json::from_str(&event.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "type": "secret.locked",
                "timestamp": "2026-01-01T01:00:00Z",
                "data": {
                    "account": "acc-1", "dialect": "auth_v1", "method": "sms",
                    "ip_tag": "0011223344556677", "reason": "code_burnt",
                },
            })
        );
        assert_eq!(event.next_attempt().body(), event.body());
        for kind in EventType::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
