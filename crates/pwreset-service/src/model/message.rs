//! Messages as they travel: through the delivery queue as JSON, into the dev outbox, into a
//! provider's request, and, when delivery fails for good, into a dead letter.

use serde::{Deserialize, Serialize};

use super::event::EventSource;
use super::locale::Locale;
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
    /// The subject line; empty for SMS, and while queued (its delivery writes it from
    /// `content`).
    pub subject: String,
    /// The plain-text body; empty while queued (its delivery writes it from `content`).
    pub text: String,
    /// The HTML body of an e-mail; empty for SMS, while queued (its delivery writes it from
    /// `content`), and for an e-mail queued before messages had one (its delivery writes it then,
    /// from the text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
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
    /// What it says before it is written in words, so that its delivery writes it, once, with the
    /// configured brand and templates; `None` for a message queued before messages kept it. Never
    /// sent to a provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<MessageContent>,
}

/// What a message tells its recipient; in JSON, its name (`{"name": "reset_code", …}`) beside
/// what it carries.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum MessageKind {
    /// A reset code to type in (`reset_code`).
    ResetCode {
        /// The code, digits only.
        code: String,
        /// How long it stays valid.
        ttl_minutes: u64,
    },
    /// A reset link to open (`reset_link`).
    ResetLink {
        /// The full link.
        link: String,
        /// How long it stays valid.
        ttl_minutes: u64,
    },
    /// One message listing a reset link for each account sharing the address (`reset_links`).
    ResetLinks {
        /// `(account label, link)` pairs, in the order to list them. Labels are account data,
        /// shown only as `delivery::text::plain_label` makes them; links are shown as given.
        links: Vec<(String, String)>,
        /// How long the links stay valid.
        ttl_minutes: u64,
    },
    /// The notice that the password was changed; it carries no secret (`password_changed`).
    PasswordChanged,
}

impl MessageKind {
    /// Every kind's name, as `MESSAGE_TEMPLATES` and the built-in templates' files spell it.
    pub const NAMES: [&'static str; 4] = [
        "reset_code",
        "reset_link",
        "reset_links",
        "password_changed",
    ];

    /// The kind's name: `reset_code`, `reset_link`, `reset_links` or `password_changed`.
    pub fn name(&self) -> &'static str {
        match self {
            MessageKind::ResetCode { .. } => Self::NAMES[0],
            MessageKind::ResetLink { .. } => Self::NAMES[1],
            MessageKind::ResetLinks { .. } => Self::NAMES[2],
            MessageKind::PasswordChanged => Self::NAMES[3],
        }
    }
}

impl std::fmt::Debug for MessageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Codes and links are secrets: only the kind and the lifetime are printed.
        match self {
            MessageKind::ResetCode { ttl_minutes, .. } => f
                .debug_struct("ResetCode")
                .field("ttl_minutes", ttl_minutes)
                .finish_non_exhaustive(),
            MessageKind::ResetLink { ttl_minutes, .. } => f
                .debug_struct("ResetLink")
                .field("ttl_minutes", ttl_minutes)
                .finish_non_exhaustive(),
            MessageKind::ResetLinks { links, ttl_minutes } => f
                .debug_struct("ResetLinks")
                .field("accounts", &links.len())
                .field("ttl_minutes", ttl_minutes)
                .finish_non_exhaustive(),
            MessageKind::PasswordChanged => f.write_str("PasswordChanged"),
        }
    }
}

/// What a message says, in its language, before it is written in words
/// (`{"locale":"de","kind":{"name":"reset_code","code":"…","ttl_minutes":10}}`). No
/// `#[serde(flatten)]` here: the Worker's queue writes a flattened struct as a JavaScript `Map`,
/// which its consumer cannot read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageContent {
    /// The language it is written in.
    pub locale: Locale,
    /// What it tells, with the code, link or links it carries.
    pub kind: MessageKind,
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

    /// The message without its secret: no text, HTML, link, code or content (subject,
    /// recipient and ids stay). What goes to the dead-letter queue, where nobody should read a
    /// live code or link.
    pub fn without_secret(&self) -> Self {
        Self {
            text: String::new(),
            html: String::new(),
            link: None,
            code: None,
            content: None,
            ..self.clone()
        }
    }

    /// The message as the dev outbox lists it:
    /// `{"id","channel","to","subject","text","html"?,"link"?,"code"?,"created_at"}`, `html` for
    /// an e-mail.
    pub fn outbox_view(&self) -> serde_json::Value {
        let mut view = serde_json::json!({
            "id": self.id,
            "channel": self.channel,
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "created_at": self.created_at,
        });
        if self.channel == Channel::Email {
            view["html"] = self.html.as_str().into();
        }
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
        // The subject (an operator's template may put the code in it), text, HTML, link and code
        // carry the reset secret: never printed (the content's `Debug` prints none either). The
        // recipient is masked.
        f.debug_struct("OutgoingMessage")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("to", &mask_recipient(&self.to))
            .field("subject", &"<redacted>")
            .field("text", &"<redacted>")
            .field("html", &"<redacted>")
            .field("link", &self.link.as_ref().map(|_| "<redacted>"))
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .field("created_at", &self.created_at)
            .field("attempt", &self.attempt)
            .field("about", &self.about)
            .field("content", &self.content)
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
