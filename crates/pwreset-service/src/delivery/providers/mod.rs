//! Each provider's HTTP request for a message, built as a plain value for the platform to send.

pub(crate) mod postmark;
pub(crate) mod resend;
pub(crate) mod sendgrid;
pub(crate) mod twilio;
pub mod webhook;

use crate::config::delivery::{DeliveryConfig, EmailTransport, SmsTransport};
use crate::model::message::{Channel, OutgoingMessage};
use crate::model::outbound::OutboundRequest;

/// The request that delivers `msg` under `config`; `None` when its channel goes to the outbox.
/// `now_secs` stamps the webhook's signature.
pub fn provider_request(
    config: &DeliveryConfig,
    msg: &OutgoingMessage,
    now_secs: u64,
) -> Option<OutboundRequest> {
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
