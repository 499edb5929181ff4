//! Delivery: from a message to the provider's HTTP request to an outcome.
//!
//! The flows queue a message unwritten ([`unwritten`]): what it says and for whom. [`deliver`]
//! writes it once ([`written_with`]): an SMS's text, an e-mail's subject, text
//! and HTML through its templates (`templates/`, and the operator's in [`MessageTemplates`]) with
//! the [`Branding`]. An operator's template that fails there or writes too much gives way to the
//! built-in one, and the delivery's report says so ([`DeliveryReport`], [`TemplateFallback`]).
//! [`DeliveryConfig`] says which provider delivers each channel; [`provider_request`] builds the
//! provider's exact request; [`deliver`] sends it once through the platform's [`HttpFetch`] and
//! [`DeliveryStore`] and says whether to ack, retry later or give up; [`dead_letter`] keeps what
//! could not be delivered. The application's events go the same way ([`deliver_event`]), signed
//! as the webhook's messages are ([`standard_webhooks`]).

mod catalog;
mod compose;
mod consumer;
mod dead_letter;
mod events;
mod outcome;
pub mod providers;
pub mod standard_webhooks;
pub(crate) mod text;

pub use crate::config::branding::Branding;
pub use crate::config::delivery::{
    DeliveryConfig, EmailApi, EmailTransport, MIN_WEBHOOK_SECRET_BYTES, POSTMARK_BASE_URL,
    Provider, RESEND_BASE_URL, SENDGRID_BASE_URL, Secret, SmsTransport, TWILIO_BASE_URL,
    TwilioAccount, TwilioSender, WebhookTarget,
};
pub use crate::config::templates::{
    MAX_PART_BYTES, MAX_SUBJECT_CHARS, MessageSettings, MessageTemplates, Part,
};
pub use crate::model::mask::mask_recipient;
pub use crate::model::message::{Channel, DeadLetter, MessageContent, OutgoingMessage};
pub use crate::model::outbound::{FetchedAnswer, OutboundRequest, TransportError, USER_AGENT};
pub use crate::ports::{DeliveryStore, HttpFetch};
pub use catalog::Locale;
pub use compose::{MessageKind, TemplateFallback, compose, compose_with, unwritten, written_with};
pub use consumer::{Delivery, DeliveryReport, deliver};
pub use dead_letter::dead_letter;
pub use events::{deliver_event, event_request};
pub use outcome::{
    BASE_DELAY_SECONDS, MAX_ATTEMPTS, MAX_DELAY_SECONDS, RetryReason, SendOutcome, backoff_seconds,
    classify, classify_transport, parse_retry_after, retry_delay,
};
pub use providers::provider_request;
