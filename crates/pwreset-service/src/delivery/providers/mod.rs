//! Each provider's HTTP request for a message, built as a plain value for the platform to send.

pub mod postmark;
pub mod resend;
pub mod sendgrid;
pub mod twilio;
pub mod webhook;

use super::config::{DeliveryConfig, EmailTransport, SmsTransport};
use super::message::{Channel, OutgoingMessage};

/// The `User-Agent` every provider request carries (Resend refuses requests without one).
pub const USER_AGENT: &str = concat!("pwreset/", env!("CARGO_PKG_VERSION"));

/// Who delivers a channel's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// The dev outbox.
    Outbox,
    /// Resend (e-mail).
    Resend,
    /// Postmark (e-mail).
    Postmark,
    /// SendGrid (e-mail).
    SendGrid,
    /// Twilio (SMS).
    Twilio,
    /// A signed webhook (either channel).
    Webhook,
}

impl Provider {
    /// The provider's configuration name (`resend`, `twilio`, …).
    pub fn name(self) -> &'static str {
        match self {
            Provider::Outbox => "outbox",
            Provider::Resend => "resend",
            Provider::Postmark => "postmark",
            Provider::SendGrid => "sendgrid",
            Provider::Twilio => "twilio",
            Provider::Webhook => "webhook",
        }
    }

    /// Whether a repeated request for the same message is recognised and not delivered twice:
    /// the outbox (keyed by message id), Resend (`Idempotency-Key`, kept 24 hours) and the
    /// webhook (whose receivers must dedupe on `X-Pwreset-Id`). Postmark, SendGrid and Twilio
    /// have no such key: a retry after a timeout that hid an acceptance delivers twice.
    pub fn dedupes_retries(self) -> bool {
        matches!(
            self,
            Provider::Outbox | Provider::Resend | Provider::Webhook
        )
    }
}

/// One HTTP request to a provider. Its `Debug` shows the method, URL and header names only:
/// headers carry keys and signatures, the body the message's secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderRequest {
    /// The method (`POST`).
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Header names and values, in sending order.
    pub headers: Vec<(String, String)>,
    /// The body, JSON or form-encoded per the `Content-Type` header.
    pub body: String,
}

impl ProviderRequest {
    /// A `POST` to `url` with `User-Agent` first, then `headers`.
    pub(crate) fn post(url: String, headers: Vec<(&str, String)>, body: String) -> Self {
        let mut all = vec![("User-Agent".to_owned(), USER_AGENT.to_owned())];
        all.extend(
            headers
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        Self {
            method: "POST".to_owned(),
            url,
            headers: all,
            body,
        }
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl std::fmt::Debug for ProviderRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ProviderRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// The request that delivers `msg` under `config`; `None` when its channel goes to the outbox.
/// `now_secs` stamps the webhook's signature.
pub fn provider_request(
    config: &DeliveryConfig,
    msg: &OutgoingMessage,
    now_secs: u64,
) -> Option<ProviderRequest> {
    match msg.channel {
        Channel::Email => match &config.email {
            EmailTransport::Outbox => None,
            EmailTransport::Resend(api) => Some(resend::request(api, msg)),
            EmailTransport::Postmark(api) => Some(postmark::request(api, msg)),
            EmailTransport::SendGrid(api) => Some(sendgrid::request(api, msg)),
            EmailTransport::Webhook(target) => Some(webhook::request(target, msg, now_secs)),
        },
        Channel::Sms => match &config.sms {
            SmsTransport::Outbox => None,
            SmsTransport::Twilio(account) => Some(twilio::request(account, msg)),
            SmsTransport::Webhook(target) => Some(webhook::request(target, msg, now_secs)),
        },
    }
}
