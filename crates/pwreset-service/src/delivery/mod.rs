//! Delivery: from a message to the provider's HTTP request to an outcome.
//!
//! [`compose`] writes a message's text; [`DeliveryConfig`] says which provider delivers each
//! channel; [`provider_request`] builds the provider's exact request; [`deliver`] sends it once
//! through the platform's [`HttpClient`] and [`DeliveryStore`] and says whether to ack, retry
//! later or give up; [`dead_letter`] keeps what could not be delivered.

mod catalog;
mod compose;
mod config;
mod consumer;
mod dead_letter;
mod mask;
pub mod memory;
mod message;
mod outcome;
mod ports;
pub mod providers;
pub mod text;

pub use catalog::Locale;
pub use compose::{MessageKind, compose, compose_in};
pub use config::{
    DeliveryConfig, EmailApi, EmailTransport, MIN_WEBHOOK_SECRET_BYTES, POSTMARK_BASE_URL,
    RESEND_BASE_URL, SENDGRID_BASE_URL, Secret, SmsTransport, TWILIO_BASE_URL, TwilioAccount,
    TwilioSender, WebhookTarget,
};
pub use consumer::{Delivery, deliver};
pub use dead_letter::{DeadLetter, dead_letter};
pub use mask::mask_recipient;
pub use memory::{FakeHttpClient, MemoryDeliveryStore};
pub use message::{Channel, OutgoingMessage};
pub use outcome::{
    BASE_DELAY_SECONDS, MAX_ATTEMPTS, MAX_DELAY_SECONDS, RetryReason, SendOutcome, backoff_seconds,
    classify, classify_transport, parse_retry_after, retry_delay,
};
pub use ports::{DeliveryStore, HttpAnswer, HttpClient, StoreError, TransportError};
pub use providers::{Provider, ProviderRequest, USER_AGENT, provider_request};
