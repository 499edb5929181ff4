//! Messages as they travel: through the delivery queue as JSON, into the dev outbox, into a
//! provider's request, and, when delivery fails for good, into a dead letter.

use serde::{Deserialize, Serialize};

use super::event::EventSource;
use super::mask::mask_recipient;

/// How a message reaches its recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// E-mail (`"email"`).
    Email,
    /// Text message (`"sms"`).
    Sms,
}

impl Channel {
    /// The channel's wire name: `email` or `sms`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// One message to deliver. Its `id` is random, unique per message, and doubles as the
/// idempotency key: every attempt at delivering it carries the same id.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMessage {
    /// Random delivery id; the provider's idempotency key where it has one.
    pub id: String,
    /// E-mail or SMS.
    pub channel: Channel,
    /// The recipient: an e-mail address, or a phone number in E.164.
    pub to: String,
    /// The subject line; empty for SMS.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The reset link in the text, when it carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The reset code in the text, when it carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// When the message was composed (unix seconds).
    pub created_at: u64,
    /// How many delivery attempts came before this one (0 on the first).
    #[serde(default)]
    pub attempt: u32,
    /// Which accounts it is for and where their reset came from, for the application's
    /// `message.dead_lettered` event; `None` for a message of no account. Never sent to a provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<MessageAbout>,
}

/// What an [`OutgoingMessage`] is about: the accounts it serves and where their reset came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageAbout {
    /// The accounts' ids (several for one message listing several accounts' links).
    pub accounts: Vec<String>,
    /// Where the reset came from.
    pub source: EventSource,
}

impl OutgoingMessage {
    /// The same message, about `accounts` reset from `source`.
    pub fn about(self, accounts: Vec<String>, source: EventSource) -> Self {
        Self {
            about: Some(MessageAbout { accounts, source }),
            ..self
        }
    }

    /// The same message for its next delivery attempt (same id, `attempt + 1`).
    pub fn next_attempt(&self) -> Self {
        Self {
            attempt: self.attempt.saturating_add(1),
            ..self.clone()
        }
    }

    /// The message without its secret: no text, link or code (subject, recipient and ids stay).
    /// What goes to the dead-letter queue, where nobody should read a live code or link.
    pub fn without_secret(&self) -> Self {
        Self {
            text: String::new(),
            link: None,
            code: None,
            ..self.clone()
        }
    }

    /// The message as the dev outbox lists it:
    /// `{"id","channel","to","subject","text","link"?,"code"?,"created_at"}`.
    pub fn outbox_view(&self) -> serde_json::Value {
        let mut view = serde_json::json!({
            "id": self.id,
            "channel": self.channel,
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "created_at": self.created_at,
        });
        if let Some(link) = &self.link {
            view["link"] = link.as_str().into();
        }
        if let Some(code) = &self.code {
            view["code"] = code.as_str().into();
        }
        view
    }
}

impl std::fmt::Debug for OutgoingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text, link and code carry the reset secret: never printed. The recipient is masked.
        f.debug_struct("OutgoingMessage")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("to", &mask_recipient(&self.to))
            .field("subject", &self.subject)
            .field("text", &"<redacted>")
            .field("link", &self.link.as_ref().map(|_| "<redacted>"))
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .field("created_at", &self.created_at)
            .field("attempt", &self.attempt)
            .field("about", &self.about)
            .finish()
    }
}

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
