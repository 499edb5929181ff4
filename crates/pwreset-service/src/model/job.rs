//! The work queue's messages.

use serde::{Deserialize, Serialize};

use super::event::Event;
use super::locale::Locale;
use super::message::OutgoingMessage;

/// A message on the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum Job {
    /// Someone asked for a reset; the consumer finds the account and sends the secret.
    ResetRequested(ResetRequest),
    /// A message to hand to its provider (a retry, or a notice).
    Deliver(OutgoingMessage),
    /// A message delivery gave up on, on its way to the dead-letter queue.
    GaveUp {
        /// The message.
        message: OutgoingMessage,
        /// Why delivery stopped.
        reason: String,
    },
    /// An event for the application, to sign and post to `EVENTS_URL` (a retry, or a first try).
    Event(Event),
    /// An event whose delivery gave up, on its way to the dead-letter queue.
    EventGaveUp {
        /// The event.
        event: Event,
        /// Why delivery stopped.
        reason: String,
    },
}

impl Job {
    /// Jobs with the same key must run one after another, in the order they were queued: two
    /// requests naming one identifier (each issues a code that replaces the other's, and the
    /// message that arrives last must carry the live one), and copies of one message (checked
    /// and marked as sent in two steps). Jobs with different keys may run side by side.
    pub fn order_key(&self) -> String {
        match self {
            Job::ResetRequested(request) => format!("request:{}", request.identifier),
            Job::Deliver(message) | Job::GaveUp { message, .. } => {
                format!("message:{}", message.id)
            }
            Job::Event(event) | Job::EventGaveUp { event, .. } => format!("event:{}", event.id),
        }
    }
}

/// How a reset was asked for, which decides the secret and the channel. Queued as its snake_case
/// name (`email_code`, `email_link`, `sms_code`, `user_link`, `sms_link`): a name, once queued,
/// never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetVia {
    /// Dialect A: a code by e-mail, the account named by username (or its e-mail).
    EmailCode,
    /// Dialect B: a link by e-mail, the accounts found by e-mail.
    EmailLink,
    /// Dialect B: a code by SMS, the account found by phone; redeemable without the phone.
    SmsCode,
    /// Dialect C: a link carrying the account's key and a token, by e-mail; the accounts found by
    /// username, else every account with that e-mail address (one message lists each link).
    UserLink,
    /// Dialect B's link (`/reset?token=…`, B's policy) by SMS, the account found by phone: what
    /// the forgot page asks for when a phone number is typed. Serialised `sms_link`; jobs queued
    /// before it existed carry the other names, which are unchanged.
    SmsLink,
}

/// A reset request as queued.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ResetRequest {
    /// Random id, for logs.
    pub id: String,
    /// What to send.
    pub via: ResetVia,
    /// The normalised identifier given (username or e-mail, e-mail, or E.164 phone).
    pub identifier: String,
    /// When it was asked (unix seconds).
    pub requested_at: u64,
    /// The language to write the message in.
    #[serde(default)]
    pub locale: Locale,
    /// The client's keyed IP tag, for the application's events (never the address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_tag: Option<String>,
    /// Where the reset page's success page may lead back to: the verified `Origin` of dialect B's
    /// `forgotpass` (one of its client's registered origins), for its links only. Checked again
    /// against the configuration when used; absent from jobs queued before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

impl std::fmt::Debug for ResetRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetRequest")
            .field("id", &self.id)
            .field("via", &self.via)
            .finish_non_exhaustive()
    }
}

/// What the consumer does with a queue message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobOutcome {
    /// Done with it: acknowledge.
    Done,
    /// A platform call failed: let the queue deliver it again.
    Retry,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(identifier: &str) -> Job {
        Job::ResetRequested(ResetRequest {
            id: "r1".into(),
            via: ResetVia::EmailCode,
            identifier: identifier.into(),
            requested_at: 0,
            locale: Locale::default(),
            ip_tag: None,
            return_url: None,
        })
    }

    fn message(id: &str) -> OutgoingMessage {
        OutgoingMessage {
            id: id.into(),
            channel: crate::model::message::Channel::Email,
            to: "a@b.test".into(),
            subject: "Your password was changed".into(),
            text: "Your password was changed.".into(),
            html: String::new(),
            link: None,
            code: None,
            created_at: 0,
            attempt: 0,
            about: None,
            content: None,
        }
    }

    #[test]
    fn every_way_keeps_its_queued_name() {
        for (via, name) in [
            (ResetVia::EmailCode, "email_code"),
            (ResetVia::EmailLink, "email_link"),
            (ResetVia::SmsCode, "sms_code"),
            (ResetVia::UserLink, "user_link"),
            (ResetVia::SmsLink, "sms_link"),
        ] {
            assert_eq!(serde_json::to_value(via).unwrap(), name);
            assert_eq!(
                serde_json::from_value::<ResetVia>(name.into()).unwrap(),
                via
            );
        }
        // A job queued before `sms_link` existed reads as it did.
        let old: Job = serde_json::from_str(
            r#"{"job":"reset_requested","id":"r1","via":"email_link","identifier":"a@b.test","requested_at":0}"#,
        )
        .unwrap();
        let Job::ResetRequested(old) = old else {
            panic!("not a reset request")
        };
        assert_eq!(old.via, ResetVia::EmailLink);
    }

    #[test]
    fn a_request_without_a_return_url_reads_and_writes_as_before_it_existed() {
        let old = r#"{"job":"reset_requested","id":"r1","via":"email_code","identifier":"jane","requested_at":0,"locale":"en"}"#;
        let job: Job = serde_json::from_str(old).unwrap();
        assert_eq!(job, request("jane"));
        assert_eq!(serde_json::to_string(&job).unwrap(), old);
        let Job::ResetRequested(mut with_url) = job else {
            panic!("not a reset request")
        };
        with_url.return_url = Some("https://app.example.test".into());
        let text = serde_json::to_string(&Job::ResetRequested(with_url.clone())).unwrap();
        assert!(
            text.ends_with(r#","return_url":"https://app.example.test"}"#),
            "{text}"
        );
        assert_eq!(
            serde_json::from_str::<Job>(&text).unwrap(),
            Job::ResetRequested(with_url.clone())
        );
        // Never in its debug form (which logs may carry).
        assert!(!format!("{with_url:?}").contains("app.example.test"));
    }

    #[test]
    fn jobs_that_must_keep_their_order_share_a_key() {
        assert_eq!(request("jane").order_key(), request("jane").order_key());
        assert_ne!(request("jane").order_key(), request("john").order_key());
        let gave_up = Job::GaveUp {
            message: message("m1"),
            reason: "x".into(),
        };
        assert_eq!(Job::Deliver(message("m1")).order_key(), gave_up.order_key());
        assert_ne!(
            Job::Deliver(message("m1")).order_key(),
            Job::Deliver(message("m2")).order_key()
        );
        // An identifier that looks like a message key is still a request's.
        assert_ne!(
            request("m1").order_key(),
            Job::Deliver(message("m1")).order_key()
        );
    }
}
